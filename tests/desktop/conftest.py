import time
import uuid
from pathlib import Path

import pytest

from core import customers, staff
from core.db import StoreDatabase
from core.permissions import Role
from tests.conftest import FAST_KDF

PINS = {Role.ADMIN: "1111", Role.MANAGER: "2222", Role.TECHNICIAN: "3333", Role.ASSOCIATE: "4444"}
PASSWORDS = {r: f"{r.value}-password" for r in Role}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def gui_store(tmp_path, memory_keyring):
    """A store database with one person of each role and a few customers; returns
    (path, {role: StaffInfo})."""
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    db, store_id, admin = staff.bootstrap_store(
        db, code="SH01", name="Orchard Nanjing Road", timezone="Asia/Shanghai", country="CN",
        admin_name="Ada Admin", admin_password=PASSWORDS[Role.ADMIN], admin_pin=PINS[Role.ADMIN])
    people = {}
    with db.session(write=True) as s:
        people[Role.ADMIN] = staff.get_staff(s, admin.staff_id)
        for role, name in ((Role.MANAGER, "Mia Manager"), (Role.TECHNICIAN, "Tom Technician"),
                           (Role.ASSOCIATE, "Ali Associate")):
            people[role] = staff.create_staff(s, admin, display_name=name, role=role, password=PASSWORDS[role],
                                              pin=PINS[role], skills=["screen"] if role == Role.TECHNICIAN else [])
        customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13800138000")
        customers.create_customer(s, admin, given_name="Anna", family_name="Smith", phone="+44 20 7946 0958",
                                  email="anna@example.com")
    db.close()
    return path, people


@pytest.fixture
def make_window(qtbot, tmp_path):
    from desktop.app import create_window
    from desktop.qt import QSettings
    created = []

    def factory(path: Path, clock=None, language="en"):
        settings = QSettings(str(tmp_path / f"settings-{uuid.uuid4().hex}.ini"), QSettings.Format.IniFormat)
        settings.setValue("language", language)
        window = create_window(path, settings=settings, clock=clock or time.monotonic)
        qtbot.addWidget(window)
        window.resize(1200, 760)
        window.show()
        window.start()
        created.append(window)
        return window
    yield factory
    for w in created:
        # the window's own background work stops first: a closed database refuses every job
        # (core.db.DatabaseClosed), and a late one would report to a window already deleted
        for service in (getattr(w, "sync_service", None), getattr(w, "backup_scheduler", None)):
            if service is not None:
                service.stop()
        w.ctx.runner.wait(5000)
        if w.ctx.db is not None:
            w.ctx.db.close()


def sign_in(qtbot, window, person, secret, kind="pin"):
    page = window.sign_in_page
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page and page.staff_model.rowCount() > 0,
                    timeout=10000)
    page.staff_list.setCurrentIndex(page.staff_model.index(page.staff_model.row_of(person.id)))
    page.credentials.use_password.setChecked(kind == "password")
    page.credentials.secret.setText(secret)
    page.credentials._submit()


def open_profile(qtbot, window, query: str = "Smith"):
    """Search from the top bar and wait for the first match's profile; the customers screen."""
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.shell, timeout=10000)
    window.shell.search.setText(query)
    window.shell._global_search()
    screen = window.shell.screens["customers"]
    qtbot.waitUntil(lambda: screen.detail.isVisible() and screen.detail.profile is not None, timeout=10000)
    return screen
