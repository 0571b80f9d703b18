"""Lists show what tells people and devices apart (issue 17): six 王芳 differ in the last
digits of their phones, which a narrow column keeps; an IMEI is shortened in the middle."""

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtCore import Qt

from core import customers, staff
from core.customers import mask_phone, short_id
from core.db import StoreDatabase
from core.models import Device
from core.permissions import Role
from tests.desktop.conftest import PINS, sign_in
from tests.desktop.test_customers_gui import results

PHONES = ["13100008909", "13100001234", "13100005555", "13122220001", "13133337777", "13144446060"]


@pytest.fixture
def six_namesakes(gui_store):
    path, people = gui_store
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        admin = staff.actor_for(staff.get_staff(s, people[Role.ADMIN].id))
        for phone in PHONES:
            c = customers.create_customer(s, admin, given_name="芳", family_name="王", phone=phone)
        s.add(Device(customer_id=c.id, model="iPhone 12", imei="356938035643809"))
    db.close()
    return path, people


def _screen(qtbot, make_window, path, person, pin):
    w = make_window(path)
    sign_in(qtbot, w, person, pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("customers")
    return w.shell.screens["customers"]


def test_masked_namesakes_differ_in_the_last_digits(qtbot, make_window, six_namesakes):
    path, people = six_namesakes
    screen = _screen(qtbot, make_window, path, people[Role.TECHNICIAN], PINS[Role.TECHNICIAN])
    assert results(qtbot, screen, "wang fang") == ["王芳"] * 6
    shown = sorted(screen.model.row_at(i).phone for i in range(6))
    assert shown == sorted(f"•••• {p[-4:]}" for p in PHONES)


def test_a_narrow_phone_column_keeps_the_last_digits(qtbot, make_window, six_namesakes):
    path, people = six_namesakes
    screen = _screen(qtbot, make_window, path, people[Role.MANAGER], PINS[Role.MANAGER])
    results(qtbot, screen, "wang fang")
    table = screen.lookup.table
    table.horizontalHeader().setSectionResizeMode(1, table.horizontalHeader().ResizeMode.Fixed)
    table.setColumnWidth(1, 90)
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    metrics = QFontMetrics(table.font())
    seen = set()
    for row in range(6):
        text = screen.model.row_at(row).phone                    # the manager sees the whole number
        shown = metrics.elidedText(text, table.textElideMode(), 90 - 12)
        assert "…" in shown and shown.endswith(text[-3:])       # cut in the middle, the end kept
        seen.add(shown)
    assert len(seen) == 6


def test_the_profile_shortens_an_imei_in_the_middle(qtbot, make_window, six_namesakes):
    path, people = six_namesakes
    screen = _screen(qtbot, make_window, path, people[Role.MANAGER], PINS[Role.MANAGER])
    screen.search.setText("356938035643809")
    screen.search.returnPressed.emit()
    qtbot.waitUntil(lambda: screen.detail.isVisible() and screen.detail.devices.rowCount() == 1, timeout=5000)
    cell = screen.detail.devices.index(0, 1).data()
    assert cell == "35693803…3809"


@pytest.mark.parametrize("value, shown", [
    ("356938035643809", "35693803…3809"),
    ("C39XK1ABCD", "C39XK1ABCD"),                 # short enough to show whole
    ("F2LXK9ABCD12EFGH", "F2LXK9AB…EFGH"),
    (None, ""), ("", ""),
])
def test_short_id(value, shown):
    assert short_id(value) == shown


def test_mask_phone_shows_the_last_four_digits():
    assert mask_phone("+8613100008909") == "•••• 8909"
    assert mask_phone(None) == ""
