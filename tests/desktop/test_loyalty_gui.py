"""The loyalty screen driven as staff use it: enrol a customer with separate consents,
earn for a repair, redeem, see the tier change, scan a card, settle a negative balance."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import clock, loyalty
from core.models import Consent, Customer, LoyaltyAccount, LoyaltyEntry, RepairTicket
from core.permissions import Role
from core.staff import actor_for
from desktop.qt import QLabel, QLineEdit, Qt
from desktop.views.loyalty import AdjustDialog, EarnDialog, LoyaltyScreen, RedeemDialog
from tests.desktop.conftest import PINS, sign_in


@pytest.fixture(autouse=True)
def loyalty_screen_in_shell(monkeypatch):
    """The shell lists this screen under the key "loyalty"; until it does, put it there."""
    import desktop.shell as shell
    monkeypatch.setattr(shell, "SCREENS", [LoyaltyScreen if c.key == "loyalty" else c for c in shell.SCREENS])


def open_loyalty(qtbot, make_window, path, person, role):
    w = make_window(path)
    sign_in(qtbot, w, person, PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert w.shell.go("loyalty")
    screen = w.shell.screens["loyalty"]
    assert isinstance(screen, LoyaltyScreen)
    return w, screen


def customer_id(db, family):
    with db.session() as s:
        return s.scalars(select(Customer.id).where(Customer.family_name == family)).one()


def test_enrol_with_separate_consents_earn_for_a_repair_redeem_and_see_the_tier_change(
        qtbot, gui_store, make_window):
    path, people = gui_store
    w, screen = open_loyalty(qtbot, make_window, path, people[Role.ASSOCIATE], Role.ASSOCIATE)
    db = w.ctx.db
    anna = customer_id(db, "Smith")
    qtbot.waitUntil(lambda: "No loyalty members" in screen.empty.text() and screen.empty.isVisible(), timeout=10000)

    # find the customer, open the enrolment
    screen.enrol_button.click()
    finder = screen.find_dialog
    finder.search.setText("Smith")
    qtbot.waitUntil(lambda: finder.model.rowCount() == 1, timeout=10000)
    qtbot.keyClick(finder.search, Qt.Key.Key_Return)
    dlg = screen.enroll_dialog
    qtbot.waitUntil(lambda: dlg.enroll_button.isEnabled(), timeout=10000)
    assert "2026-01" in dlg.terms_version.text()
    assert "730 days" in dlg.terms.toPlainText()
    assert dlg.focusWidget() is dlg.programme

    # marketing by SMS ticked, the programme not: refused beside the programme box, nothing written
    dlg.marketing_sms.setChecked(True)
    dlg.enroll_button.click()
    qtbot.waitUntil(lambda: dlg.fields.text("programme") != "", timeout=10000)
    assert "agree" in dlg.fields.text("programme")
    with db.session() as s:
        assert s.scalar(select(LoyaltyAccount.id)) is None
        assert s.scalars(select(Consent).where(Consent.customer_id == anna)).all() == []

    # agreed: one consent row per purpose decided, the card shown with its number
    dlg.programme.setChecked(True)
    dlg.enroll_button.click()
    qtbot.waitUntil(lambda: dlg.card.isVisible(), timeout=10000)
    number = dlg.member.member_number
    assert dlg.card.payload() == f"ORCHARD:M:{number}" and number in dlg.result.text()
    with db.session() as s:
        consents = {c.purpose: c.granted for c in s.scalars(select(Consent).where(Consent.customer_id == anna))}
    assert consents == {"loyalty": True, "marketing_sms": True}, "email was not ticked: not recorded as agreed"
    dlg.done_button.click()
    panel = screen.panel
    qtbot.waitUntil(lambda: panel.member is not None and panel.member.member_number == number, timeout=10000)
    assert "200 points" in panel.balance_label.text() and "Silver" in panel.tier_label.text()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)

    # the repair is collected at the bench: earn for it
    with db.session(write=True) as s:
        t = RepairTicket(store_id=w.ctx.store.id, number="SH01-000777", customer_id=anna, status="collected",
                         reported_fault="Screen", labour_cents=1_050_000, quote_cents=1_050_000,
                         warranty_decision="chargeable", collected_at=clock.now())
        s.add(t)
    panel.earn_button.click()
    earn = panel.dialog
    assert isinstance(earn, EarnDialog)
    qtbot.waitUntil(lambda: earn.model.rowCount() == 1, timeout=10000)
    assert "SH01-000777" in earn.model.data(earn.model.index(0, 1))
    assert earn.model.data(earn.model.index(0, 3)) == "+10,500"
    earn.ok.click()
    qtbot.waitUntil(lambda: panel.member.balance == 10_700, timeout=10000)
    assert panel.member.tier == "gold" and "Gold" in panel.tier_label.text()
    assert "Silver → Gold" in panel.note.text(), "the tier change is shown where it happened"
    qtbot.waitUntil(lambda: screen.model.data(screen.model.index(0, 2)) == "Gold", timeout=10000)

    # redeem
    panel.redeem_button.click()
    redeem = panel.dialog
    assert isinstance(redeem, RedeemDialog)
    assert redeem.points.maximum() == 10_700, "at most the balance, in whole steps"
    redeem.points.setValue(1_000)
    assert redeem.value.text().endswith("50.00")
    redeem.ok.click()
    qtbot.waitUntil(lambda: panel.member.balance == 9_700, timeout=10000)
    assert panel.ledger_model.rowCount() == 3
    assert "1,000 points redeemed" in panel.note.text()

    # another counter spends most of it meanwhile: more than the balance is refused beside the field
    panel.redeem_button.click()
    redeem = panel.dialog
    redeem.points.setValue(9_700)
    with db.session(write=True) as s:
        loyalty.redeem(s, actor_for(people[Role.MANAGER]), panel.member.id, 9_000)
    redeem.ok.click()
    qtbot.waitUntil(lambda: redeem.fields.text("points") != "", timeout=10000)
    assert "balance" in redeem.fields.text("points")
    assert redeem.isVisible()
    with db.session() as s:
        assert loyalty.balance(s, actor_for(people[Role.MANAGER]), panel.member.id) == 700
    assert not panel.adjust_button.isVisible(), "associates do not adjust"


def test_scanning_a_card_opens_the_member(qtbot, gui_store, make_window):
    path, people = gui_store
    w, screen = open_loyalty(qtbot, make_window, path, people[Role.ASSOCIATE], Role.ASSOCIATE)
    db = w.ctx.db
    with db.session(write=True) as s:
        admin = actor_for(people[Role.ADMIN])
        for family in ("张", "Smith"):
            m = loyalty.enroll(s, admin, s.scalars(select(Customer.id).where(Customer.family_name == family)).one(),
                               terms_version="2026-01", programme=True)
    screen.activate()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10000)
    # a scanner types the QR payload and Enter
    screen.lookup.setFocus()
    qtbot.keyClicks(screen.lookup, f"ORCHARD:M:{m.member_number}")
    qtbot.keyClick(screen.lookup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.panel.member is not None and screen.panel.member.id == m.id, timeout=10000)
    assert screen.panel.card.number == m.member_number
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)
    # a number with a wrong check digit finds nobody
    bad = m.member_number[:-1] + str((int(m.member_number[-1]) + 1) % 10)
    screen.lookup.setText(bad)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0 and screen.empty.isVisible(), timeout=10000)


def test_a_negative_balance_after_sync_is_flagged_and_a_manager_settles_it(qtbot, gui_store, make_window):
    path, people = gui_store
    w, screen = open_loyalty(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    db = w.ctx.db
    with db.session(write=True) as s:
        admin = actor_for(people[Role.ADMIN])
        m = loyalty.enroll(s, admin, customer_id(db, "张"), terms_version="2026-01", programme=True)
        loyalty.redeem(s, admin, m.id, 200)
        # what the sync brings from another counter: the same points spent there while offline
        s.add(LoyaltyEntry(id=uuid.uuid4(), account_id=m.id, kind="redeem", points=-200, reason="Voucher",
                           at=clock.now() - timedelta(minutes=5)))
    screen.activate()
    qtbot.waitUntil(lambda: screen.alert.isVisible(), timeout=10000)
    assert "1 member" in screen.alert.text()
    screen.table.selectRow(0)
    panel = screen.panel
    qtbot.waitUntil(lambda: panel.member is not None and panel.warning.isVisible(), timeout=10000)
    assert panel.member.balance == -200
    panel.adjust_button.click()
    adjust = panel.dialog
    assert isinstance(adjust, AdjustDialog)
    assert adjust.points.value() == 200, "proposes what settles the balance"
    adjust.ok.click()
    qtbot.waitUntil(lambda: adjust.fields.text("reason") != "", timeout=10000)
    adjust.reason.setText("Redeemed at two counters while offline")
    adjust.ok.click()
    qtbot.waitUntil(lambda: panel.member.balance == 0, timeout=10000)
    qtbot.waitUntil(lambda: not screen.alert.isVisible(), timeout=10000)
    assert not panel.warning.isVisible()
    # locking removes every trace of the member from the screen
    panel.earn_button.click()                    # a dialog left open when the counter locks
    assert panel.dialog.isVisible()
    w.lock()
    assert panel.card.number == "" and screen.model.rowCount() == 0 and panel.ledger_model.rowCount() == 0

    def traces():
        texts = [x.text() for x in screen.findChildren(QLabel) + screen.findChildren(QLineEdit)]
        return [t for t in texts if m.member_number in t or "张伟" in t]
    qtbot.waitUntil(lambda: traces() == [], timeout=5000)
