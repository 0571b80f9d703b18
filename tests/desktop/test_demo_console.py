"""Issue 20: ``orchard demo`` also starts the head office's console. The demo's own HQ
(SQLite, a real ``orchard-hq serve`` process on loopback) serves /console/ with a demo
admin whose password was generated for this demo and kept in its folder (0600); the
demo's sign-in screen shows the address, the user and the password, and with what it
shows one signs in to the console. Outside demo mode the screen shows nothing of it."""

from __future__ import annotations

import json
import re
import socket
import stat
import subprocess
import uuid
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

import hq.demo
from core.db import StoreDatabase
from core.demo import build_demo
from desktop.qt import Qt
from tests.conftest import FAST_KDF

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
BUILT_AT = datetime(2026, 11, 18, 2, 0, tzinfo=timezone.utc)     # a Wednesday, 10:00 in Shanghai


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def hq_processes(monkeypatch):
    """Every HQ the demo code starts in this test (it starts them detached, to outlive the
    app): kept here by their process, and ended after the test."""
    started: list[subprocess.Popen] = []

    def popen(*args, **kw):
        proc = subprocess.Popen(*args, **kw)
        started.append(proc)
        return proc
    monkeypatch.setattr(hq.demo, "subprocess", SimpleNamespace(Popen=popen, DEVNULL=subprocess.DEVNULL))
    yield started
    for proc in started:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture
def demo_folder(tmp_path, memory_keyring):
    """A demo store as ``orchard demo`` leaves it (the store, its PINs, its HQ's port and
    SQLite file), with no HQ running yet."""
    from desktop.app import save_demo_credentials
    folder = tmp_path / "demo"
    folder.mkdir(mode=0o700)
    db = StoreDatabase.create(folder / "store.db", kdf=FAST_KDF)
    info = build_demo(db, customers=20, now=BUILT_AT)
    db.close()
    save_demo_credentials(folder, info)
    (folder / "demo-hq.json").write_text(json.dumps({"port": _free_port(), "db": f"sqlite:///{folder / 'hq.db'}"}))
    return folder


def _console_sign_in(url: str, username: str, password: str) -> httpx.Response:
    """Sign in as a browser would: the form's page (with its CSRF token), then the POST."""
    with httpx.Client(timeout=30, follow_redirects=False) as http:
        form = http.get(url + "sign-in")
        assert form.status_code == 200, form.status_code
        token = _CSRF.search(form.text)
        assert token, "the console's sign-in form has no CSRF field"
        answer = http.post(url + "sign-in", data={"username": username, "password": password,
                                                  "csrf": token.group(1), "next": "/console/"})
        if answer.status_code == 303:
            home = http.get(url)
            assert home.status_code == 200 and "Demo admin" in home.text, "signed in, but the console's home is not"
        return answer


def test_the_demo_hq_serves_the_console_and_its_demo_user_signs_in(demo_folder, hq_processes):
    from desktop.app import start_demo_hq
    port = json.loads((demo_folder / "demo-hq.json").read_text())["port"]
    url = start_demo_hq(demo_folder)                     # what every demo start does
    assert url == f"http://127.0.0.1:{port}" and len(hq_processes) == 1
    login = json.loads((demo_folder / "demo-console.json").read_text())
    assert login["username"] == "demo-admin"
    assert stat.S_IMODE((demo_folder / "demo-console.json").stat().st_mode) == 0o600
    assert "demo" not in login["password"] and len(login["password"]) >= 12
    console = url + "/console/"
    assert _console_sign_in(console, "demo-admin", login["password"]).status_code == 303
    assert _console_sign_in(console, "demo-admin", "not-the-demo-password").status_code == 401

    # the next start finds the HQ running and the same user and password: nothing is made twice
    assert start_demo_hq(demo_folder) == url and len(hq_processes) == 1
    assert json.loads((demo_folder / "demo-console.json").read_text()) == login
    assert _console_sign_in(console, "demo-admin", login["password"]).status_code == 303

    # another demo's password (its file made anew) is the one that works after the next start
    (demo_folder / "demo-console.json").unlink()
    start_demo_hq(demo_folder)
    renewed = json.loads((demo_folder / "demo-console.json").read_text())["password"]
    assert renewed != login["password"]
    assert _console_sign_in(console, "demo-admin", renewed).status_code == 303
    assert _console_sign_in(console, "demo-admin", login["password"]).status_code == 401


def test_no_demo_user_on_an_hq_that_is_not_a_demo_sqlite_file():
    with pytest.raises(ValueError):
        hq.demo.ensure_console_user("postgresql://hq@127.0.0.1/hq", 8765)


def test_the_demo_password_is_made_once_and_a_damaged_file_is_made_anew(tmp_path):
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    first = hq.demo.console_sign_in(url, 20001)
    assert first.url == "http://127.0.0.1:20001/console/" and first.username == "demo-admin"
    assert hq.demo.console_sign_in(url, 20001) == first
    assert stat.S_IMODE((tmp_path / "demo-console.json").stat().st_mode) == 0o600
    (tmp_path / "demo-console.json").write_text("{not json")
    again = hq.demo.console_sign_in(url, 20001)
    assert again.password != first.password and hq.demo.console_sign_in(url, 20001) == again
    assert stat.S_IMODE((tmp_path / "demo-console.json").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-console.json"], "no temporary file left"


def _window(qtbot, folder: Path, tmp_path: Path, *, demo: bool):
    from desktop.app import create_window
    from desktop.qt import QSettings
    settings = QSettings(str(tmp_path / f"settings-{uuid.uuid4().hex}.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "en")
    window = create_window(folder / "store.db", demo=demo, settings=settings)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    window.start()
    page = window.sign_in_page
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page and page.staff_model.rowCount() > 0,
                    timeout=15000)
    return window, page


def _close(window) -> None:
    window.ctx.runner.wait(30000)
    if getattr(window, "sync_service", None) is not None:
        window.sync_service.stop()
    if window.ctx.db is not None:
        window.ctx.db.close()


def test_the_demo_sign_in_screen_shows_the_console_and_what_signs_in_there(qtbot, demo_folder, tmp_path,
                                                                            hq_processes):
    port = json.loads((demo_folder / "demo-hq.json").read_text())["port"]
    window, page = _window(qtbot, demo_folder, tmp_path, demo=True)
    try:
        assert page.console_hint.isVisible()
        shown = page.console_hint.text()
        address = f"http://127.0.0.1:{port}/console/"
        assert f'href="{address}"' in shown, "the address is a link"
        assert page.console_hint.openExternalLinks()
        flags = page.console_hint.textInteractionFlags()
        assert flags & Qt.TextInteractionFlag.TextSelectableByMouse, "the text can be copied"
        words = re.sub(r"<[^>]+>", "", shown.replace("<br>", "\n"))    # the text as it reads on screen
        assert address in words
        found = re.search(r"User (\S+), password (\S+)", words)
        assert found, words
        # at the smallest supported window the card shows it all, legibly, nothing cut off
        from tests.desktop.fitcheck import problems
        window.resize(1024, 768)
        qtbot.waitUntil(lambda: (window.width(), window.height()) == (1024, 768), timeout=5000)
        assert problems(window, "demo sign-in") == []
        assert page.staff_list.geometry().bottom() < page.number.geometry().top(), "the card is squeezed"
        window.grab().save(str(tmp_path / "demo-sign-in.png"))
        # the window started the demo's HQ in the background; with what the screen says, one signs in
        window.ctx.runner.wait(30000)
        assert len(hq_processes) == 1
        assert _console_sign_in(address, found.group(1), found.group(2)).status_code == 303
    finally:
        _close(window)


def test_outside_demo_mode_the_sign_in_screen_says_nothing_of_the_console(qtbot, demo_folder, tmp_path,
                                                                          hq_processes):
    window, page = _window(qtbot, demo_folder, tmp_path, demo=False)
    try:
        assert not page.console_hint.isVisible() and not page.demo_hint.isVisible()
        password = hq.demo.console_sign_in(f"sqlite:///{demo_folder / 'hq.db'}", 1).password
        from desktop.qt import QLabel
        texts = " ".join(label.text() for label in page.findChildren(QLabel) if label.isVisible())
        assert "/console/" not in texts and "demo-admin" not in texts and password not in texts
        window.ctx.runner.wait(30000)
        assert hq_processes == [], "only the demo starts a local HQ"
    finally:
        _close(window)


def test_a_demo_without_its_own_hq_shows_no_console(qtbot, demo_folder, tmp_path, hq_processes):
    (demo_folder / "demo-hq.json").unlink()
    window, page = _window(qtbot, demo_folder, tmp_path, demo=True)
    try:
        assert page.demo_hint.isVisible() and not page.console_hint.isVisible()
        assert not (demo_folder / "demo-console.json").exists()
    finally:
        _close(window)
