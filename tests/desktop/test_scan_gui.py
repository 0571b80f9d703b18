"""A scan opens what it names, from wherever the counter's focus is: a device label opens
the ticket on the Bench, a trade-in voucher its quote on Trade-in, a member card the
member's profile; a second scan replaces the first, and a code that finds nothing leaves
no customer's profile behind."""

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core import tradein
from core.db import StoreDatabase
from core.demo import build_demo
from core.models import Customer, LoyaltyAccount, RepairTicket, TradeInModel
from core.permissions import Actor, Role
from core.validation import luhn_check_digit
from tests.desktop.conftest import sign_in

ANSWERS = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no", "screen": "flawless",
           "housing": "flawless", "functions": "all_work", "battery_health": 95}


@pytest.fixture
def scan_store(tmp_path, memory_keyring):
    """The demo store with a trade-in paid out as a voucher; returns what the codes name."""
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    info = build_demo(db, customers=20)
    assoc_info = info.staff_with_role(Role.ASSOCIATE)[0]
    assoc = Actor(assoc_info.staff_id, info.store_id, Role.ASSOCIATE, assoc_info.display_name)
    with db.session(write=True) as s:
        tickets = s.scalars(select(RepairTicket).where(RepairTicket.store_id == info.store_id)
                            .order_by(RepairTicket.number).limit(2)).all()
        account = s.scalars(select(LoyaltyAccount).order_by(LoyaltyAccount.member_number)).first()
        member = s.get(Customer, account.customer_id)
        members = set(s.scalars(select(LoyaltyAccount.customer_id)))
        seller = next(c for c in s.scalars(select(Customer).where(Customer.erased.is_(False)).order_by(Customer.id))
                      if c.id not in members)
        seller.birth_date = date(1985, 3, 2)
        phone = s.scalars(select(TradeInModel).where(TradeInModel.name == "iPhone 15",
                                                     TradeInModel.configuration == "128 GB")).one().id
        body = "35717215123456"
        q = tradein.create_quote(s, assoc, model_id=phone, answers=ANSWERS, customer_id=seller.id,
                                 imei=body + str(luhn_check_digit(body))).quote
        facts = SimpleNamespace(tickets=[(t.id, t.number) for t in tickets], quote_id=q.id,
                                member_id=member.id, member_name=member.display_name,
                                member_number=account.member_number)
    with db.session(write=True) as s:
        facts.voucher = tradein.accept_quote(s, assoc, q.id, signature_name="Wang Fang", declared_owner=True,
                                             declared_wiped=True, payout="voucher").voucher_code
    db.close()
    return path, info, facts


def open_as(qtbot, make_window, path, info, role):
    person = info.staff_with_role(role)[0]
    w = make_window(path)
    sign_in(qtbot, w, SimpleNamespace(id=person.staff_id), person.pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    return w


def scan(qtbot, w, code):
    """A scanner is a keyboard: each key goes to whatever has the focus, then Enter."""
    for ch in code:
        qtbot.keyClicks(w.focusWidget(), ch)
    qtbot.keyClick(w.focusWidget(), "\r")


def focus(qtbot, w, widget):
    widget.setFocus()
    qtbot.waitUntil(lambda: w.focusWidget() is widget, timeout=5000)


def test_scans_open_the_ticket_the_quote_and_the_member_each_replacing_the_last(qtbot, scan_store, make_window):
    path, info, f = scan_store
    w = open_as(qtbot, make_window, path, info, Role.ASSOCIATE)
    shell = w.shell
    bench, trade, customers = shell.screens["bench"], shell.screens["tradein"], shell.screens["customers"]
    (first_id, first_no), (second_id, second_no) = f.tickets

    # on the bench, a scope button has the focus: the device label's barcode (the bare number)
    assert shell.go("bench")
    focus(qtbot, w, bench.scope_buttons["status"])
    scan(qtbot, w, first_no)
    qtbot.waitUntil(lambda: bench.stack.currentWidget() is bench.panel and bench.panel.detail is not None
                    and bench.panel.detail.id == first_id, timeout=10000)
    assert shell.current_key() == "bench" and bench.panel.number.text() == first_no
    assert shell.search.text() == ""

    # a second scan (the label's QR code this time) replaces the first ticket
    focus(qtbot, w, shell.nav)
    scan(qtbot, w, "ORCHARD:T:" + second_no)
    qtbot.waitUntil(lambda: bench.panel.detail is not None and bench.panel.detail.id == second_id, timeout=10000)
    assert bench.panel.number.text() == second_no

    # on the customers screen, the results table has the focus: a voucher opens its trade-in quote
    assert shell.go("customers")
    focus(qtbot, w, customers.table)
    scan(qtbot, w, f.voucher)
    qtbot.waitUntil(lambda: shell.current_key() == "tradein" and trade.quote is not None
                    and trade.quote.id == f.quote_id, timeout=10000)
    assert trade.quote_box.isVisible() and trade.quote.voucher_code == f.voucher

    # on trade-in, the New trade-in button has the focus: a member card opens the member's profile
    focus(qtbot, w, trade.new_button)
    scan(qtbot, w, "ORCHARD:M:" + f.member_number)
    qtbot.waitUntil(lambda: shell.current_key() == "customers" and customers.detail.isVisible()
                    and customers.detail.profile.customer.id == f.member_id, timeout=10000)
    assert customers.detail.name.text() == f.member_name
    assert f.member_number in customers.detail.contact["member"].text()        # loyalty shown
    shown = [customers.model.row_at(i).id for i in range(customers.model.rowCount())]
    assert f.member_id in shown, "the profile is among the results"

    # a code that names nothing: no results, and no stale profile beside them
    focus(qtbot, w, customers.table)
    scan(qtbot, w, "ZZ99-000000")
    qtbot.waitUntil(lambda: customers.lookup.busy.isHidden() and customers.model.rowCount() == 0
                    and not customers.detail.isVisible(), timeout=10000)
    assert customers.no_profile.isVisible()
    assert customers.detail.profile is None and customers.detail.name.text() == ""
    assert customers.lookup.empty.text() == "No customer matches."


def test_a_role_that_may_not_open_trade_in_is_told_so(qtbot, scan_store, make_window):
    path, info, f = scan_store
    w = open_as(qtbot, make_window, path, info, Role.TECHNICIAN)
    shell = w.shell
    assert "tradein" not in shell.visible_keys()
    assert shell.go("bench")
    focus(qtbot, w, shell.screens["bench"].scope_buttons["queue"])
    scan(qtbot, w, f.voucher)
    qtbot.waitUntil(lambda: shell.scans.refusal is not None and shell.scans.refusal.isVisible(), timeout=10000)
    text = shell.scans.refusal.text()
    assert "trade-in" in text and "technician" in text.lower() and f.voucher not in text
    assert shell.current_key() == "bench", "the counter stays where it was"
    shell.scans.refusal.close()
    # the technician's own codes still open: a ticket label
    ticket_id, number = f.tickets[0]
    focus(qtbot, w, shell.nav)
    scan(qtbot, w, number)
    bench = shell.screens["bench"]
    qtbot.waitUntil(lambda: bench.panel.detail is not None and bench.panel.detail.id == ticket_id, timeout=10000)


def test_every_new_search_opens_its_best_match_and_an_empty_one_clears_the_profile(qtbot, scan_store, make_window):
    path, info, f = scan_store
    w = open_as(qtbot, make_window, path, info, Role.ASSOCIATE)
    customers = w.shell.screens["customers"]
    assert w.shell.go("customers")
    customers.search.setText(f.member_number)            # typed, no Enter: the debounced search
    qtbot.waitUntil(lambda: customers.detail.isVisible() and customers.detail.profile.customer.id == f.member_id,
                    timeout=10000)
    assert customers.table.currentIndex().row() == 0
    customers.search.setText("Nobody-By-This-Name")
    qtbot.waitUntil(lambda: customers.model.rowCount() == 0 and not customers.detail.isVisible(), timeout=10000)
    assert customers.no_profile.isVisible() and customers.detail.profile is None
