"""The Customers screen as the counter uses it: type or scan, see results, open the
profile, create with errors beside fields, consent, merge and erase."""

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit

from core import customers
from core.models import Device, LoyaltyAccount
from core.permissions import Role
from tests.desktop.conftest import PINS, sign_in


@pytest.fixture
def counter(qtbot, gui_store, make_window):
    """The window signed in as a manager, on the Customers screen, with extra customers."""
    path, people = gui_store
    from core.db import StoreDatabase
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        from core import staff
        admin = staff.actor_for(s and staff.get_staff(s, people[Role.ADMIN].id))
        zw = customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13912345678",
                                       email="zhangwei@example.cn")
        s.add(Device(customer_id=zw.id, model="iPhone 12", imei="356938035643809", serial="C39XK1ABCD"))
        s.add(LoyaltyAccount(customer_id=zw.id, member_number="8800000000017", terms_version="2026-01"))
    db.close()
    w = make_window(path)
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("customers")
    return w, w.shell.screens["customers"], people


def results(qtbot, screen, text, *, ime=False):
    lookup, asked = screen.lookup, screen.lookup._seq
    screen.search.clear()     # typing the same text again searches again, as the user expects
    if ime:   # Chinese arrives from an input method, not key presses
        screen.search.setFocus()
        ev = QInputMethodEvent("", [])
        ev.setCommitString(text)
        QApplication.sendEvent(screen.search, ev)
    else:
        screen.search.setText(text)
    assert screen.search.text() == text
    # the answer to this text is in: a search ran after typing, none is pending, the newest came back
    qtbot.waitUntil(lambda: lookup._seq > asked and not lookup._timer.isActive() and lookup.busy.isHidden(),
                    timeout=5000)
    return [screen.model.row_at(i).display_name for i in range(screen.model.rowCount())]


@pytest.mark.parametrize("query, expected", [
    ("张伟", ["张伟", "张伟"]),
    ("zw", ["张伟", "张伟"]),
    ("zhang wei", ["张伟", "张伟"]),
    ("Smith", ["Anna Smith"]),
    ("an", ["Anna Smith"]),
    ("7946 0958", ["Anna Smith"]),
    ("anna@", ["Anna Smith"]),
    ("356938035643809", ["张伟"]),
    ("c39xk1", ["张伟"]),
    ("8800000000017", ["张伟"]),
    ("ORCHARD:M:8800000000017", ["张伟"]),
])
def test_typing_each_kind_of_key_lists_the_customer(qtbot, counter, query, expected):
    w, screen, _ = counter
    assert sorted(results(qtbot, screen, query, ime=not query.isascii())) == sorted(expected)


def test_enter_opens_the_profile_with_everything(qtbot, counter):
    w, screen, _ = counter
    screen.search.setText("8800000000017")
    screen.search.returnPressed.emit()
    qtbot.waitUntil(lambda: screen.detail.isVisible(), timeout=5000)
    panel = screen.detail
    assert panel.name.text() == "张伟"
    assert panel.contact["phone"].text() == "+8613912345678"       # a manager sees contact details
    assert "8800000000017" in panel.contact["member"].text()
    assert panel.devices.rowCount() == 1 and panel.devices.row_at(0).model == "iPhone 12"


def test_scanner_typing_anywhere_lands_in_the_search(qtbot, counter):
    w, screen, _ = counter
    w.shell.nav.setFocus()
    for ch in "8800000000017":      # a scanner types into whatever has focus
        qtbot.keyClick(w.focusWidget() or w.shell.nav, ch)
    assert w.shell.search.text() == "8800000000017"
    qtbot.keyClick(w.shell.search, "\r")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)


def test_a_scan_replaces_the_old_search_instead_of_adding_to_it(qtbot, counter):
    w, screen, _ = counter
    w.shell.search.setText("Smith")
    w.shell.nav.setFocus()
    for ch in "8800000000017":      # a scanner types into whatever has focus
        qtbot.keyClick(w.focusWidget() or w.shell.nav, ch)
    assert w.shell.search.text() == "8800000000017"


def test_typing_in_an_open_dialog_stays_in_the_dialog(qtbot, counter):
    """The booking notes once lost their first letter to the global search."""
    w, screen, _ = counter
    w.shell.nav.setFocus()
    dialog = QDialog(w)
    notes = QPlainTextEdit(dialog)
    dialog.show()
    dialog.activateWindow()
    notes.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes, timeout=5000)
    qtbot.keyClicks(notes, "Battery drains fast")
    assert notes.toPlainText() == "Battery drains fast"
    assert w.shell.search.text() == ""
    dialog.close()


def test_technician_sees_masked_contact(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.TECHNICIAN], PINS[Role.TECHNICIAN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    screen = w.shell.screens["customers"]
    assert results(qtbot, screen, "Smith") == ["Anna Smith"]
    assert screen.model.row_at(0).phone == "•••• 0958"


def test_new_customer_errors_beside_fields_then_duplicate_warning(qtbot, counter):
    w, screen, _ = counter
    screen.new_customer()
    from desktop.views.customer_form import CustomerForm
    form = w.findChild(CustomerForm)
    qtbot.waitUntil(lambda: form is not None and form.isVisible(), timeout=5000)
    form.family_name.setText("Smith")
    form.phone.setText("12")
    form.email.setText("not-an-email")
    form.save()
    qtbot.waitUntil(lambda: form.buttons.isEnabled(), timeout=5000)
    assert form.fields.text("phone") and form.fields.text("email")
    form.phone.setText("+44 20 7946 0958")       # Anna Smith's number
    form.email.setText("")
    form.given_name.setText("Annie")
    form.save()
    qtbot.waitUntil(lambda: form.duplicates.isVisible(), timeout=5000)
    assert "Anna Smith" in form.duplicates.text()
    form.save()                                  # create anyway
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: screen.detail.isVisible() and screen.detail.name.text() == "Annie Smith", timeout=5000)


def test_consent_toggle_is_saved(qtbot, counter):
    w, screen, _ = counter
    results(qtbot, screen, "Smith")
    screen.open_row(0)
    qtbot.waitUntil(lambda: screen.detail.isVisible(), timeout=5000)
    box = screen.detail.consent_checks["marketing_email"]
    assert not box.isChecked()
    box.click()
    qtbot.waitUntil(lambda: "notice" in screen.detail.consent_info["marketing_email"].text(), timeout=5000)
    assert box.isChecked()
    box.click()
    qtbot.waitUntil(lambda: not screen.detail.consent_checks["marketing_email"].isChecked(), timeout=5000)


def test_manager_merges_and_erases(qtbot, counter, monkeypatch):
    from desktop.qt import QMessageBox
    from desktop.views.customers import MergeDialog
    w, screen, _ = counter
    results(qtbot, screen, "张伟")
    screen.open_row(0)
    qtbot.waitUntil(lambda: screen.detail.isVisible(), timeout=5000)
    kept = screen.detail.profile.customer.id
    screen._action("merge", kept)
    dlg = w.findChild(MergeDialog)
    dlg.lookup.search.setText("zw")
    qtbot.waitUntil(lambda: dlg.lookup.model.rowCount() == 2, timeout=5000)
    other = [i for i in range(2) if dlg.lookup.row(i).id != kept][0]
    dlg.lookup.table.selectRow(other)
    dlg._merge()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)
    assert sorted(results(qtbot, screen, "zw")) == ["张伟"]
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    screen.open_row(0)
    qtbot.waitUntil(lambda: screen.detail.profile is not None and screen.detail.profile.customer.id == kept,
                    timeout=5000)
    screen.detail._act("erase")
    qtbot.waitUntil(lambda: not screen.detail.isVisible(), timeout=5000)
    assert results(qtbot, screen, "zw") == []


def test_a_row_clicked_before_the_results_painted_keeps_its_profile(qtbot, counter):
    """The results ask for their first row's profile after the paint; a click on another row
    in between is the user's choice, and that profile stays."""
    w, screen, _ = counter
    assert len(results(qtbot, screen, "zw")) == 2
    rows = [screen.model.row_at(i) for i in range(2)]
    screen._shown_query = None          # a new search: the results open their first row...
    screen._results(rows)
    screen.table.selectRow(1)           # ...but the user clicks the second before the paint event runs
    qtbot.wait(100)
    assert screen._current_id == rows[1].id
    qtbot.waitUntil(lambda: screen.detail.isVisible(), timeout=5000)
    assert screen._current_id == rows[1].id


def test_the_empty_screen_warms_the_lookup_once_per_database(qtbot, counter, monkeypatch):
    w, screen, _ = counter
    assert screen.lookup._warmed is w.ctx.db        # opening the screen warmed it
    asked = []
    real_read = w.ctx.read
    monkeypatch.setattr(w.ctx, "read", lambda *a, **k: (asked.append(a), real_read(*a, **k)))
    screen.search.clear()
    visits = []
    for _ in range(3):
        asked.clear()
        screen.activate()
        visits.append(len(asked))
    assert visits[0] == visits[1] == visits[2]     # no warm-up on a visit after the first
    screen.lookup._warmed = None        # another database (a restore): warmed again
    asked.clear()
    screen.activate()
    assert len(asked) == visits[0] + 1
