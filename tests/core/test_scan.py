"""What a scan names (core.scan): every code Orchard prints opens its own thing, anything
else is a customer search, and a role is told when the code names what it may not open."""

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core import demo, repairs, tradein
from core.errors import ValidationError
from core.models import Customer, LoyaltyAccount, RepairTicket, TradeInModel
from core.permissions import Actor, Role
from core.scan import ScanNotAllowed, resolve_scan
from core.validation import luhn_check_digit

ANSWERS = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no", "screen": "flawless",
           "housing": "flawless", "functions": "all_work", "battery_health": 95}


@pytest.fixture
def shop(db):
    info = demo.build_demo(db, customers=20)
    people = {m.role: m for m in info.staff}
    actors = {Role(r): Actor(m.staff_id, info.store_id, Role(r), m.display_name) for r, m in people.items()}
    assoc = actors[Role.ASSOCIATE]
    with db.session(write=True) as s:
        ticket = s.scalars(select(RepairTicket).order_by(RepairTicket.number)).first()
        account = s.scalars(select(LoyaltyAccount).order_by(LoyaltyAccount.member_number)).first()
        members = set(s.scalars(select(LoyaltyAccount.customer_id)))
        other = next(c for c in s.scalars(select(Customer).where(Customer.erased.is_(False)).order_by(Customer.id))
                     if c.id not in members)
        other.birth_date = date(1985, 3, 2)
        phone = s.scalars(select(TradeInModel).where(TradeInModel.name == "iPhone 15",
                                                     TradeInModel.configuration == "128 GB")).one().id
        body = "35717215123456"
        q = tradein.create_quote(s, assoc, model_id=phone, answers=ANSWERS, customer_id=other.id,
                                 imei=body + str(luhn_check_digit(body))).quote
        facts = SimpleNamespace(ticket_id=ticket.id, ticket_number=ticket.number, member_number=account.member_number,
                                member_customer=account.customer_id, quote_id=q.id)
    with db.session(write=True) as s:
        done = tradein.accept_quote(s, assoc, facts.quote_id, signature_name="Wang Fang", declared_owner=True,
                                    declared_wiped=True, payout="voucher")
    facts.voucher = done.voucher_code
    return SimpleNamespace(db=db, actors=actors, f=facts)


def scan(shop, text, role=Role.ASSOCIATE):
    with shop.db.session() as s:
        return resolve_scan(s, shop.actors[role], text)


def test_a_device_label_or_intake_receipt_opens_the_ticket(shop):
    f = shop.f
    for code in (f.ticket_number, f.ticket_number.lower(), repairs.SCAN_PREFIX + f.ticket_number):
        target = scan(shop, code)
        assert (target.kind, target.id) == ("ticket", f.ticket_id), code
    # a technician works tickets too
    assert scan(shop, f.ticket_number, Role.TECHNICIAN).id == f.ticket_id


def test_a_voucher_code_or_quote_reference_opens_the_trade_in_quote(shop):
    f = shop.f
    assert f.voucher and f.voucher.startswith("TI-")
    reference = str(f.quote_id)[-12:].upper()          # as the trade-in receipt prints it
    for code in (f.voucher, f.voucher.lower(), f.voucher.replace("-", ""), reference, reference.lower()):
        target = scan(shop, code)
        assert (target.kind, target.id) == ("tradein_quote", f.quote_id), code


def test_a_member_card_opens_the_member_s_profile(shop):
    f = shop.f
    grouped = " ".join(f.member_number[i:i + 4] for i in range(0, len(f.member_number), 4))
    for code in (f.member_number, "ORCHARD:M:" + f.member_number, grouped):
        target = scan(shop, code)
        assert (target.kind, target.id, target.text) == ("member", f.member_customer, f.member_number), code


@pytest.mark.parametrize("code", [
    "Anna", "13800138000", "356938035643809", "C39XK1ABCD", "anna@example.com",
    "SH01-999999",            # a ticket number no ticket has
    "TI-AAAA-BBBB",           # a voucher nobody was given
    "ABCDEF123456",           # looks like a quote reference, names no quote
    "8800000000017",          # a valid member number nobody holds
])
def test_anything_else_is_a_customer_search(shop, code):
    target = scan(shop, code)
    assert (target.kind, target.id, target.text) == ("search", None, code)


def test_an_empty_scan_names_the_field(shop):
    with pytest.raises(ValidationError) as err:
        scan(shop, "   ")
    assert err.value.field == "code"


def test_a_role_that_may_not_open_trade_ins_is_told_so(shop):
    with pytest.raises(ScanNotAllowed) as err:
        scan(shop, shop.f.voucher, Role.TECHNICIAN)
    assert err.value.kind == "tradein_quote" and err.value.role == "technician"
    assert shop.f.voucher not in str(err.value)          # the refusal does not repeat the code
    # a search stays a search for everyone
    assert scan(shop, "Anna", Role.TECHNICIAN).kind == "search"

