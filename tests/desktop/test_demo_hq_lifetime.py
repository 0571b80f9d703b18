"""Issue 24: the demo's local HQ (a real ``orchard-hq serve`` on loopback) used to keep
running after Orchard exited, an orphan on its port. Now the app that started it ends it:
when its window closes, when it exits, and when it is killed (SIGKILL leaves no chance to
clean up: the HQ notices its lifeline pipe close). An HQ a previous run left behind on the
demo's file and port is replaced; one another running app started is shared.

The app's side runs in child Python processes through the same code path as the app
(``desktop.app.start_demo_hq``); each prints the process id of the HQ it started ("-" when
it reused one) and then waits for a line on stdin before exiting normally."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from hq.demo import _alive, _answers, local_hq_pids

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from desktop.app import start_demo_hq
import hq.demo
start_demo_hq(Path(sys.argv[1]))
pids = hq.demo.local_hq_pids()
print(pids[0] if pids else "-", flush=True)
sys.stdin.readline()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)


def gone(pid: int, port: int) -> bool:
    return not _alive(pid) and not _answers(port)


@pytest.fixture
def demo_folder(tmp_path):
    """A demo folder as ``orchard demo`` leaves it, as far as its HQ goes: the port and the
    SQLite file (the HQ makes the rest)."""
    folder = tmp_path / "demo"
    folder.mkdir(mode=0o700)
    port = _free_port()
    (folder / "demo-hq.json").write_text(json.dumps({"port": port, "db": f"sqlite:///{folder / 'hq.db'}"}))
    return folder, port


@pytest.fixture
def children():
    """Start app-side children; whatever is left at the end (children, HQs) is ended."""
    started: list[subprocess.Popen] = []
    hqs: list[int] = []

    def start(folder: Path) -> tuple[subprocess.Popen, int | None]:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder)], cwd=ROOT, env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started.append(proc)
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        line = proc.stdout.readline().strip() if ready else ""
        assert line, f"the child did not start an HQ: {proc.poll()} {proc.stderr.read() if proc.poll() else ''}"
        pid = None if line == "-" else int(line)
        if pid is not None:
            hqs.append(pid)
        return proc, pid
    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    for pid in hqs:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_killing_the_app_ends_its_hq(demo_folder, children):
    folder, port = demo_folder
    app, hq = children(folder)
    assert hq is not None and _alive(hq) and _answers(port)
    assert json.loads((folder / "hq.pid").read_text()) == {"pid": hq, "owner": app.pid, "port": port}
    app.send_signal(signal.SIGKILL)
    app.wait(timeout=30)
    until(lambda: gone(hq, port), 10, "the killed app's HQ ended and its port closed")


def test_the_app_exiting_normally_ends_its_hq(demo_folder, children):
    folder, port = demo_folder
    app, hq = children(folder)
    assert hq is not None and _answers(port)
    app.stdin.write("\n")
    app.stdin.flush()
    assert app.wait(timeout=60) == 0, app.stderr.read()
    until(lambda: gone(hq, port), 10, "the HQ ended with the app")
    assert not (folder / "hq.pid").exists(), "an HQ that ended leaves no process id behind"


def test_an_hq_left_by_a_previous_run_is_replaced_and_a_running_apps_hq_is_shared(demo_folder, children):
    folder, port = demo_folder
    db = json.loads((folder / "demo-hq.json").read_text())["db"]
    # as a start from before this change left it: detached, serving the demo's file, nobody's
    old = subprocess.Popen([sys.executable, "-m", "hq.cli", "serve", "--port", str(port), "--db", db], cwd=ROOT,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    try:
        until(lambda: _answers(port), 60, "the old HQ answers")
        first, hq = children(folder)
        assert hq is not None and hq != old.pid
        until(lambda: old.poll() is not None, 10, "the left-behind HQ was ended")
        assert _answers(port) and _alive(hq)

        second, shared = children(folder)        # a second app on the same demo, while the first runs
        assert shared is None, "the running app's HQ is used, not replaced"
        second.stdin.write("\n")
        second.stdin.flush()
        assert second.wait(timeout=60) == 0
        assert _alive(hq) and _answers(port), "the second app's exit does not end the first app's HQ"

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        until(lambda: gone(hq, port), 10, "the HQ ended with the app that started it")
    finally:
        if old.poll() is None:
            old.kill()
        old.wait(timeout=30)


def test_closing_the_demo_window_ends_the_hq_it_started(qtbot, tmp_path, memory_keyring, demo_folder):
    from core import clock
    from core.db import StoreDatabase
    from core.demo import build_demo
    from desktop.app import create_window, save_demo_credentials
    from desktop.qt import QSettings
    from tests.conftest import FAST_KDF
    folder, port = demo_folder
    db = StoreDatabase.create(folder / "store.db", kdf=FAST_KDF)
    save_demo_credentials(folder, build_demo(db, customers=20, now=clock.now()))
    db.close()
    settings = QSettings(str(tmp_path / f"settings-{uuid.uuid4().hex}.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "en")
    window = create_window(folder / "store.db", demo=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: bool(local_hq_pids()) and _answers(port), timeout=60000)
    hq = local_hq_pids()[0]
    try:
        window.close()
        until(lambda: gone(hq, port), 10, "the HQ ended when the window closed")
        assert local_hq_pids() == []
    finally:
        if _alive(hq):
            os.kill(hq, signal.SIGKILL)
