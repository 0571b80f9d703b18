"""The start to the sign-in page (issue 25): the page shows from the file itself
(core.quick_open) before SQLAlchemy loads, no HQ server package is ever in the desktop's
start path, and signing in at once still goes through once the database has opened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from core import staff
from core.db import StoreDatabase
from core.errors import CorruptDatabase
from core.permissions import Role
from core.quick_open import read_sign_in
from tests.conftest import FAST_KDF
from tests.desktop.conftest import PINS, sign_in

ROOT = Path(__file__).resolve().parents[2]
HQ_SERVER = ("fastapi", "uvicorn", "psycopg", "starlette", "pydantic", "hq")
NOT_BEFORE_SIGN_IN = (*HQ_SERVER, "sqlalchemy", "alembic", "reportlab", "httpx", "phonenumbers", "email_validator",
                      "pypinyin", "desktop.views.customers", "desktop.scan_router", "core.models")

KEYRING = '''
import json, os
from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    def _load(self):
        try:
            with open(os.environ["TEST_KEYRING_FILE"], encoding="utf-8") as fh:
                return json.load(fh)
        except FileNotFoundError:
            return {}

    def get_password(self, service, username):
        return self._load().get(service + "/" + username)

    def set_password(self, service, username, password):
        data = self._load()
        data[service + "/" + username] = password
        with open(os.environ["TEST_KEYRING_FILE"], "w", encoding="utf-8") as fh:
            json.dump(data, fh)

    def delete_password(self, service, username):
        data = self._load()
        data.pop(service + "/" + username, None)
        with open(os.environ["TEST_KEYRING_FILE"], "w", encoding="utf-8") as fh:
            json.dump(data, fh)
'''

BUILD = """
import sys
from core.db import StoreDatabase
from core import staff
db = StoreDatabase.create(sys.argv[1])
staff.bootstrap_store(db, code="SH01", name="Orchard Nanjing Road", timezone="Asia/Shanghai", country="CN",
                      admin_name="Ada Admin", admin_password="admin-password", admin_pin="1111")[0].close()
"""

# the app's own start (desktop.cli, as `orchard --db PATH`), the modules loaded written out
# when the sign-in page shows and when the database has opened behind it
START = """
import json, sys
from desktop import start_path
from desktop.qt import QApplication

def dump(tag, quit):
    def report():
        print(tag, json.dumps(sorted(sys.modules)), flush=True)
        if quit:
            QApplication.instance().quit()
    return report

start_path.report_shown = dump("SHOWN", False)
start_path.report_ready = dump("READY", True)
from desktop.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted({n for n in names for m in modules if m == n or m.startswith(n + ".")})


def test_the_start_path_loads_no_hq_server_package_and_no_orm_before_the_sign_in_page(tmp_path):
    (tmp_path / "kr").mkdir()
    (tmp_path / "kr" / "test_file_keyring.py").write_text(KEYRING, "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHARD_", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", ORCHARD_HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), ORCHARD_BENCH_STARTUP="1",
               PYTHONPATH=os.pathsep.join([str(tmp_path / "kr"), str(ROOT)]),
               PYTHON_KEYRING_BACKEND="test_file_keyring.FileKeyring",
               TEST_KEYRING_FILE=str(tmp_path / "keyring.json"))
    db = tmp_path / "store" / "store.db"
    subprocess.run([sys.executable, "-c", BUILD, str(db)], env=env, cwd=ROOT, check=True, timeout=120,
                   capture_output=True)
    out = subprocess.run([sys.executable, "-c", START, str(db)], env=env, cwd=ROOT, timeout=120,
                         capture_output=True, text=True)
    reports = {line.split(" ", 1)[0]: json.loads(line.split(" ", 1)[1])
               for line in out.stdout.splitlines() if line.startswith(("SHOWN ", "READY "))}
    assert set(reports) == {"SHOWN", "READY"}, out.stderr[-3000:]
    assert _loaded(reports["SHOWN"], NOT_BEFORE_SIGN_IN) == []
    # the database open behind the page loads the ORM, and still nothing of HQ's server
    assert "sqlalchemy" in reports["READY"]
    assert _loaded(reports["READY"], (*HQ_SERVER, "alembic", "reportlab")) == []


def test_the_file_read_agrees_with_the_orm(gui_store, memory_keyring):
    path, people = gui_store
    db = StoreDatabase.open(path)
    try:
        with db.session(write=True) as s:
            admin = staff.actor_for(people[Role.ADMIN])
            staff.set_active(s, admin, people[Role.TECHNICIAN].id, False)     # not on the sign-in list
        with db.session() as s:
            store = staff.current_store(s)
            assert store is not None
            listed = staff.list_staff(s, store.id)
    finally:
        db.close()
    assert people[Role.TECHNICIAN].id not in {p.id for p in listed}
    assert read_sign_in(path) == (store, listed)


def test_the_file_read_leaves_a_passphrase_store_and_a_missing_file_to_the_full_open(tmp_path, memory_keyring):
    assert read_sign_in(tmp_path / "nothing.db") is None
    path = tmp_path / "p.db"
    StoreDatabase.create(path, passphrase="a long passphrase", kdf=FAST_KDF).close()
    assert read_sign_in(path) is None


def test_a_pin_typed_before_the_database_opened_signs_in_once_it_has(qtbot, gui_store, monkeypatch):
    import desktop.app as app
    from desktop import start_path
    from desktop.qt import QSettings
    path, people = gui_store
    let_open = threading.Event()
    real_open = start_path.open_store

    def held_open(p, passphrase):      # the open (on the I/O thread) finishes when the test lets it
        let_open.wait(20)
        return real_open(p, passphrase)
    monkeypatch.setattr(start_path, "open_store", held_open)
    w = app.create_window(path, settings=QSettings(str(path.parent / "s.ini"), QSettings.Format.IniFormat),
                          quick_sign_in=True)
    qtbot.addWidget(w)
    w.show()
    w.start()
    page = w.sign_in_page
    qtbot.waitUntil(lambda: w.pages.currentWidget() is page and page.staff_model.rowCount() > 0, timeout=10000)
    assert w.ctx.db is None and w.ctx.store is not None
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    qtbot.wait(50)
    assert w.pages.currentWidget() is page          # waiting for the database
    let_open.set()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=20000)
    assert w.ctx.actor is not None and w.ctx.actor.staff_id == people[Role.MANAGER].id
    for service in (getattr(w, "sync_service", None), getattr(w, "backup_scheduler", None)):
        if service is not None:
            service.stop()
    w.ctx.runner.wait(5000)
    w.ctx.db.close()


def test_a_failed_open_behind_the_sign_in_page_replaces_it_with_the_error(qtbot, gui_store, monkeypatch):
    import desktop.app as app
    from desktop import start_path
    from desktop.qt import QSettings
    path, people = gui_store
    shown: list[BaseException] = []

    def damaged(p, passphrase):
        raise CorruptDatabase("the key is right but the database file is damaged; restore a backup")
    monkeypatch.setattr(start_path, "open_store", damaged)
    monkeypatch.setattr(app, "show_error", lambda parent, exc: shown.append(exc))
    w = app.create_window(path, settings=QSettings(str(path.parent / "s.ini"), QSettings.Format.IniFormat),
                          quick_sign_in=True)
    qtbot.addWidget(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert w.pages.currentWidget() is w.busy
    assert "damaged" in w.busy.text.text()
    assert w.ctx.db is None and w.ctx.actor is None


def _held_window(qtbot, path, monkeypatch, let_open, opened=None, entered=None):
    import desktop.app as app
    from desktop import start_path
    from desktop.qt import QSettings
    real_open = start_path.open_store

    def held_open(p, passphrase):      # the open (on the I/O thread) finishes when the test lets it
        if entered is not None:
            entered.set()
        let_open.wait(20)
        try:
            db = real_open(p, passphrase)
        except BaseException as exc:    # the test shows why, instead of waiting in vain
            if opened is not None:
                opened.append(exc)
            raise
        if opened is not None:
            opened.append(db)
        return db
    monkeypatch.setattr(start_path, "open_store", held_open)
    w = app.create_window(path, settings=QSettings(str(path.parent / "s.ini"), QSettings.Format.IniFormat),
                          quick_sign_in=True)
    qtbot.addWidget(w)
    w.show()
    w.start()
    return w


def test_a_pin_typed_for_another_store_is_dropped_when_the_database_opens(qtbot, gui_store, monkeypatch):
    """The page read from the file showed a store the full open does not confirm: the PIN
    typed meanwhile is not replayed against the list the open shows; it is cleared."""
    import dataclasses

    from desktop import start_path
    path, people = gui_store
    real_quick = start_path.quick_read

    def other_store(p):
        store, staff_list = real_quick(p)
        return dataclasses.replace(store, name="Another store"), staff_list
    monkeypatch.setattr(start_path, "quick_read", other_store)
    let_open = threading.Event()
    w = _held_window(qtbot, path, monkeypatch, let_open)
    page = w.sign_in_page
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    qtbot.wait(50)
    assert w._waiting and page.store_label.text() == "Another store"
    let_open.set()
    qtbot.waitUntil(lambda: page.store_label.text() == "Orchard Nanjing Road", timeout=20000)
    qtbot.wait(300)
    assert w.pages.currentWidget() is page and w.ctx.actor is None and not w._waiting
    assert page.credentials.secret.text() == "" and page.selected() is None
    w.ctx.runner.wait(5000)
    for service in (getattr(w, "sync_service", None), getattr(w, "backup_scheduler", None)):
        if service is not None:
            service.stop()
    w.ctx.runner.wait(5000)
    w.ctx.db.close()


def test_a_database_that_opens_after_the_window_closed_is_closed(qtbot, gui_store, monkeypatch):
    path, _ = gui_store
    let_open, opened, entered = threading.Event(), [], threading.Event()
    w = _held_window(qtbot, path, monkeypatch, let_open, opened, entered)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.sign_in_page, timeout=10000)
    # the open is under way on the I/O thread (on a loaded machine it may still be queued
    # when the page shows; a queued one is dropped by the close and never opens anything)
    qtbot.waitUntil(entered.is_set, timeout=20000)
    threading.Timer(0.3, let_open.set).start()      # the open ends while the window is closing
    w.close()
    # the real open (key derivation, schema check) can take long on a loaded machine
    qtbot.waitUntil(lambda: bool(opened), timeout=60000)
    assert not isinstance(opened[0], BaseException), opened[0]
    qtbot.wait(200)                                  # its answer delivered
    assert w.ctx.db is None and opened[0].closed
