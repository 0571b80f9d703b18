"""The settings screen's tax section, driven as a manager and an associate use it."""

from decimal import Decimal

import pytest

from core import settings as store_settings
from core.money import TaxRule
from core.permissions import Role
from tests.desktop.conftest import PINS, sign_in


def open_settings(qtbot, make_window, gui_store, role):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[role], PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("settings")
    return w, w.shell.screens["settings"]


def stored_tax(w) -> TaxRule:
    with w.ctx.db.session() as s:
        return store_settings.tax(s, w.ctx.actor.store_id)


def test_manager_sees_the_store_tax_and_saves_an_exclusive_sales_tax(qtbot, gui_store, make_window):
    w, screen = open_settings(qtbot, make_window, gui_store, Role.MANAGER)
    # a new US-currency store adds sales tax at no rate yet; the form shows what core holds
    qtbot.waitUntil(lambda: screen.tax_label.text() == "Sales tax", timeout=10000)
    assert screen.tax_box.isVisible()
    assert screen.tax_rate.text() == "0"
    assert not screen.tax_inclusive.isChecked()

    screen.tax_rate.setText("8.875")
    screen.tax_label.setText("Sales tax")
    screen.tax_save.click()
    qtbot.waitUntil(lambda: screen.tax_saved.text() != "", timeout=10000)
    assert "8.875%" in screen.tax_saved.text()
    assert stored_tax(w) == TaxRule(Decimal("8.875"), False, "Sales tax")

    # changed elsewhere (another counter): coming back to the screen shows the stored values
    w.shell.go("customers")
    with w.ctx.db.session(write=True) as s:
        store_settings.set_tax(s, w.ctx.actor, rate="13", inclusive=True, label="VAT")
    w.shell.go("settings")
    qtbot.waitUntil(lambda: screen.tax_rate.text() == "13", timeout=10000)
    assert screen.tax_inclusive.isChecked()
    assert screen.tax_label.text() == "VAT"


@pytest.mark.parametrize("rate", ["abc", "150"])
def test_an_invalid_rate_is_shown_beside_the_rate_and_nothing_is_saved(qtbot, gui_store, make_window, rate):
    w, screen = open_settings(qtbot, make_window, gui_store, Role.MANAGER)
    qtbot.waitUntil(lambda: screen.tax_label.text() == "Sales tax", timeout=10000)
    before = stored_tax(w)
    screen.tax_rate.setText(rate)
    screen.tax_inclusive.setChecked(True)
    screen.tax_label.setText("VAT")
    screen.tax_save.click()
    qtbot.waitUntil(lambda: screen.tax_rate_error.isVisible(), timeout=10000)
    assert "percentage" in screen.tax_rate_error.text()
    assert screen.tax_saved.text() == ""
    assert stored_tax(w) == before


def test_an_associate_does_not_see_the_tax_section(qtbot, gui_store, make_window):
    w, screen = open_settings(qtbot, make_window, gui_store, Role.ASSOCIATE)
    qtbot.waitUntil(lambda: screen.isVisible(), timeout=10000)
    assert not screen.tax_box.isVisible()
    assert screen.language.isVisible(), "the screen itself is shown"


def test_an_idle_lock_kept_from_before_the_cap_becomes_fifteen_minutes(qtbot, gui_store, make_window):
    from core.db import StoreDatabase
    from core.models import Store
    path, people = gui_store
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        store = s.get(Store, people[Role.MANAGER].store_id)
        store.settings = {**(store.settings or {}), "idle_minutes": 45}     # allowed up to 60 before
    db.close()
    w, screen = open_settings(qtbot, make_window, gui_store, Role.MANAGER)
    assert w.idle.timeout_s == 15 * 60
    assert screen.idle.maximum() == 15
    qtbot.waitUntil(lambda: screen.idle.value() == 15, timeout=10000)
