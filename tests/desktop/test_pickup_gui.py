"""Pickup at the counter, clicked through: the identity check beside its field, the hand-over
with the phone's last four digits, a manager voiding the pickup (the ticket is ready again,
the points taken back), and a device returned under the repair's warranty."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core import customers, loyalty, repairs, staff
from core.db import StoreDatabase
from core.models import Device
from core.permissions import Role
from desktop.qt import QApplication, Qt
from desktop.views.bench.corrections_dialog import CorrectionDialog
from tests.desktop.conftest import PINS, sign_in


@pytest.fixture(autouse=True)
def _bench_in_the_shell(monkeypatch):
    from desktop import shell
    from desktop.views.bench import BenchScreen
    monkeypatch.setattr(shell, "SCREENS", [BenchScreen if cls.key == "bench" else cls for cls in shell.SCREENS])


@pytest.fixture
def ready(gui_store):
    """A member's repaired phone, ready for pickup with an amount due."""
    path, people = gui_store
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        manager = staff.actor_for(staff.get_staff(s, people[Role.MANAGER].id))
        c = customers.create_customer(s, manager, given_name="Lee", family_name="Test", phone="13912345678")
        terms = loyalty.current_rules(s, manager).terms_version
        member = loyalty.enroll(s, manager, c.id, terms_version=terms, programme=True)
        device = Device(customer_id=c.id, model="iPhone 15", kind="phone")
        s.add(device)
        s.flush()
        t = repairs.open_ticket(s, manager, customer_id=c.id, device_id=device.id, reported_fault="Cracked",
                                approval_limit_cents=10_000_000)
        repairs.start_diagnosis(s, manager, t.id)
        repairs.quote(s, manager, t.id, diagnosis="Display broken", labour_cents=25000, accidental_damage=False)
        repairs.finish_repair(s, manager, t.id)
        repairs.quality_check(s, manager, t.id, {k: True for k in repairs.QC_CHECKS})
        balance = loyalty.balance(s, manager, member.id)
    db.close()
    return SimpleNamespace(path=path, people=people, ticket_id=t.id, number=t.number, account_id=member.id,
                           balance=balance)


def open_ticket(qtbot, make_window, store, role):
    w = make_window(store.path)
    person = store.people[role]
    sign_in(qtbot, w, person, PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert w.shell.go("bench")
    bench = w.shell.screens["bench"]
    bench.open_ticket(store.ticket_id, fresh=True)
    panel = bench.panel
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.id == store.ticket_id, timeout=10000)
    return w, panel


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def points(w, store):
    with w.ctx.db.session() as s:
        return loyalty.balance(s, w.ctx.actor, store.account_id)


def hand_over(qtbot, panel, identity):
    tab = panel.pickup
    tab.typed_name.setText("Lee Test")
    tab.payment.setCurrentIndex(tab.payment.findData("paid"))
    tab.identity.setText(identity)
    click(qtbot, tab.pickup_button)


def test_the_identity_is_checked_beside_its_field_before_the_device_is_handed_over(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.ASSOCIATE)
    tab = panel.pickup
    assert panel.tabs.currentIndex() == 5 and tab.identity.isVisible()
    assert tab.identity.placeholderText() == "Scan the intake receipt or type the phone's last 4 digits"
    hand_over(qtbot, panel, "1234")
    qtbot.waitUntil(lambda: tab.p_fields.text("identity") != "", timeout=10000)
    assert "do not match" in tab.p_fields.text("identity")
    assert panel.detail.status == "ready" and panel.detail.collected_at is None
    tab.identity.setText("5678")                    # the phone on file ends 5678
    click(qtbot, tab.pickup_button)
    qtbot.waitUntil(lambda: panel.detail.status == "collected", timeout=10000)
    assert panel.detail.pickup_proof == "phone" and panel.detail.payment_status == "paid"
    assert not tab.void_pickup_button.isVisible(), "an associate does not correct pickups"
    assert tab.rework_button.isVisible()


def test_a_manager_voids_a_pickup_with_a_reason_and_the_ticket_is_ready_again(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.MANAGER)
    hand_over(qtbot, panel, ready.number)                # the intake receipt's barcode
    qtbot.waitUntil(lambda: panel.detail.status == "collected", timeout=10000)
    earned = points(w, ready) - ready.balance
    assert earned > 0
    tab = panel.pickup
    click(qtbot, tab.void_pickup_button)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CorrectionDialog), timeout=10000)
    dialog = QApplication.activeModalWidget()
    dialog.buttons.accepted.emit()                       # no reason: refused beside the field
    qtbot.waitUntil(lambda: dialog.fields.text("reason") != "", timeout=10000)
    assert dialog.isVisible() and panel.detail.status == "collected"
    dialog.text.setText("Handed over the wrong bag")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: panel.detail.status == "ready", timeout=10000)
    assert not dialog.isVisible()
    assert panel.detail.collected_at is None and panel.detail.payment_status == "unpaid"
    assert points(w, ready) == ready.balance, "the points earned on the pickup are taken back"
    assert tab.pickup_button.isVisible() and tab.identity.text() == ""
    assert "Handed over the wrong bag" in panel.detail.history[-1].note


def test_a_device_back_under_the_repair_warranty_opens_a_linked_rework(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.ASSOCIATE)
    hand_over(qtbot, panel, "5678")
    qtbot.waitUntil(lambda: panel.detail.status == "collected", timeout=10000)
    click(qtbot, panel.pickup.rework_button)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CorrectionDialog), timeout=10000)
    dialog = QApplication.activeModalWidget()
    dialog.text.setText("Touch fails again")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(panel.detail.reworks), timeout=10000)
    number = panel.detail.reworks[0][1]
    assert panel.rework_link.isVisible() and f"Reworked as {number}" in panel.rework_link.text()


def test_a_manager_hands_over_without_proof_giving_a_reason_in_the_override_dialog(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.MANAGER)
    tab = panel.pickup
    assert tab.override_button.isVisible() and tab.override_button.text() == "Manager override…"
    tab.typed_name.setText("Lee Test")
    tab.payment.setCurrentIndex(tab.payment.findData("paid"))
    assert tab.identity.text() == ""                     # no receipt, no phone digits
    click(qtbot, tab.override_button)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CorrectionDialog), timeout=10000)
    dialog = QApplication.activeModalWidget()
    dialog.buttons.accepted.emit()                       # no reason: refused beside the reason field
    qtbot.waitUntil(lambda: dialog.fields.text("override_reason") != "", timeout=10000)
    assert "reason" in dialog.fields.text("override_reason")
    assert dialog.isVisible() and panel.detail.status == "ready"
    dialog.text.setText("Receipt lost; ID card checked")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: panel.detail.status == "collected", timeout=10000)
    assert not dialog.isVisible()
    assert panel.detail.pickup_proof == "override" and panel.detail.payment_status == "paid"
    model = panel.history.history_model             # the History tab, as the manager reads it
    notes = [model.index(r, 4).data() for r in range(model.rowCount())]
    assert any("Handed over without proof of identity" in n and "ID card checked" in n for n in notes), notes
    assert not tab.override_button.isVisible()


def test_the_override_refuses_a_missing_signature_beside_the_pickup_form(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.MANAGER)
    tab = panel.pickup
    tab.payment.setCurrentIndex(tab.payment.findData("paid"))
    click(qtbot, tab.override_button)                    # nobody signed yet
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CorrectionDialog), timeout=10000)
    dialog = QApplication.activeModalWidget()
    dialog.text.setText("Known customer")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: tab.p_fields.text("signature") != "", timeout=10000)
    assert not dialog.isVisible() and panel.detail.status == "ready"


@pytest.mark.parametrize("role", [Role.ASSOCIATE, Role.TECHNICIAN])
def test_staff_who_do_not_correct_pickups_see_no_override(qtbot, ready, make_window, role):
    w, panel = open_ticket(qtbot, make_window, ready, role)
    tab = panel.pickup
    assert tab.pickup_button.isVisible()
    assert not tab.override_button.isVisible()
