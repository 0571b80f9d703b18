"""Contact details masked in core wherever a role without Perm.SEE_CONTACT_DETAILS reads a
customer (issue 18): a technician works a ticket, prints its service report, intake
receipt and label, looks customers up and opens their profile, and never receives the
full phone number or email address; a manager does. The masks are
``core.customers.mask_phone``/``mask_email``, the same ones every list shows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core import clock, customers, privacy, repairs, search, staff
from core import report_data as rd
from core.customers import mask_email, mask_phone
from core.models import Customer, RepairTicket, TradeInQuote
from core.permissions import MATRIX, Perm, Role

PHONE = "+8613912345678"
EMAIL = "li.hidden@example.org"
ADDRESS = "88 Secret Lane, Pudong"
# what must not appear anywhere in what core hands a technician: the number in any of its
# usual spellings (digits after the country code, the national number) and the address
SECRETS = (PHONE, PHONE[1:], PHONE[3:], EMAIL, "li.hidden", ADDRESS)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A demo store with a ticket whose customer has a known phone, email and address."""
    from core.db import StoreDatabase
    from core.demo import build_demo
    from tests.conftest import FAST_KDF
    db = StoreDatabase.create(tmp_path_factory.mktemp("mask") / "store.db", passphrase="mask-test", kdf=FAST_KDF)
    info = build_demo(db, customers=30, seed=7, now=clock.now().replace(microsecond=0))
    with db.session(write=True) as s:
        actors = {role: staff.actor_for(staff.get_staff(s, info.staff_with_role(role)[0].staff_id))
                  for role in Role}
        t = s.scalars(select(RepairTicket).where(RepairTicket.customer_id.is_not(None))
                      .order_by(RepairTicket.number)).first()
        c = s.get(Customer, t.customer_id)
        c.phone_e164, c.email, c.address = PHONE, EMAIL, ADDRESS
        q = s.scalars(select(TradeInQuote).order_by(TradeInQuote.created_at)).first()
        s.get(Customer, q.customer_id).phone_e164 = PHONE
        ids = {"ticket": t.id, "customer": c.id, "quote": q.id}
    yield db, actors, ids
    db.close()


def _leaks(value: object) -> list[str]:
    text = repr(value)
    digits = re.sub(r"\D", "", text)
    return [s for s in SECRETS if s in text] + (["phone digits"] if PHONE[3:] in digits else [])


def test_the_roles_are_what_this_test_assumes():
    assert Role.TECHNICIAN not in MATRIX[Perm.SEE_CONTACT_DETAILS]
    assert Role.TECHNICIAN in MATRIX[Perm.WORK_TICKETS] and Role.TECHNICIAN in MATRIX[Perm.VIEW_CUSTOMERS]
    assert Role.MANAGER in MATRIX[Perm.SEE_CONTACT_DETAILS]


def test_a_technicians_ticket_detail_holds_masks_a_managers_the_contact_details(shop):
    db, actors, ids = shop
    with db.session(write=True) as s:
        tech = repairs.ticket_detail(s, actors[Role.TECHNICIAN], ids["ticket"])
        boss = repairs.ticket_detail(s, actors[Role.MANAGER], ids["ticket"])
    assert (tech.customer_phone, tech.customer_email, tech.contact_masked) == \
        (mask_phone(PHONE), mask_email(EMAIL), True)
    assert _leaks(tech) == []
    assert tech.phone_tail == "5678", "the label and receipt still tell two tickets apart"
    assert (boss.customer_phone, boss.customer_email, boss.contact_masked) == (PHONE, EMAIL, False)


@pytest.mark.parametrize("document", ["service_report", "intake_receipt", "device_label"])
def test_a_technicians_printed_documents_hold_no_contact_details(shop, document):
    db, actors, ids = shop
    with db.session(write=True) as s:
        tech = getattr(rd, document)(s, actors[Role.TECHNICIAN], ids["ticket"])
        boss = getattr(rd, document)(s, actors[Role.MANAGER], ids["ticket"])
    assert _leaks(tech) == []
    assert (tech.ticket.customer_phone, tech.ticket.customer_email) == (mask_phone(PHONE), mask_email(EMAIL))
    assert (boss.ticket.customer_phone, boss.ticket.customer_email) == (PHONE, EMAIL)


def test_the_service_report_a_technician_prints_shows_the_mask(shop):
    from reports import service_report
    from tests.reports.conftest import compact, squash
    db, actors, ids = shop
    with db.session(write=True) as s:
        tech = rd.service_report(s, actors[Role.TECHNICIAN], ids["ticket"])
        boss = rd.service_report(s, actors[Role.MANAGER], ids["ticket"])
    tech_text = compact(service_report.render(tech, lang="en"))
    boss_text = compact(service_report.render(boss, lang="en"))
    assert PHONE in boss_text and EMAIL in boss_text
    assert PHONE[3:] not in tech_text and EMAIL not in tech_text and squash(ADDRESS) not in tech_text
    assert "5678" in tech_text


def test_a_trade_in_receipt_masks_the_phone_for_a_role_that_may_not_see_it(shop, monkeypatch):
    """No role takes trade-ins without seeing contact details today; the mask follows the
    permission, not the role, so a matrix that changes cannot print the number."""
    db, actors, ids = shop
    with db.session(write=True) as s:
        assert rd.tradein_receipt(s, actors[Role.ASSOCIATE], ids["quote"]).customer_phone == PHONE
        monkeypatch.setitem(MATRIX, Perm.SEE_CONTACT_DETAILS, frozenset({Role.MANAGER, Role.ADMIN}))
        data = rd.tradein_receipt(s, actors[Role.ASSOCIATE], ids["quote"])
    assert data.customer_phone == mask_phone(PHONE)
    assert _leaks(data) == []


def test_nothing_a_technician_can_read_about_a_customer_holds_their_contact_details(shop):
    """The sweep of core: every function a technician may call that reads a customer
    (customers, search, privacy, repairs, report data)."""
    db, actors, ids = shop
    tech, cid = actors[Role.TECHNICIAN], ids["customer"]
    with db.session(write=True) as s:
        reads = {
            "customers.get_customer": customers.get_customer(s, tech, cid),
            "customers.search": customers.search(s, tech, "13912345678"),
            "search.lookup phone": search.lookup(s, tech, "13912345678"),
            "search.lookup email": search.lookup(s, tech, EMAIL),
            "privacy.profile": privacy.profile(s, tech, cid),
            "privacy.find_duplicates": privacy.find_duplicates(s, tech, phone=PHONE, email=EMAIL),
            "repairs.intake_context": repairs.intake_context(s, tech, customer_id=cid),
            "repairs.ticket_detail": repairs.ticket_detail(s, tech, ids["ticket"]),
            "report_data.service_report": rd.service_report(s, tech, ids["ticket"]),
        }
    assert {name: _leaks(v) for name, v in reads.items() if _leaks(v)} == {}
    # each search still found them (masked), so the sweep looked at the right person
    for name in ("customers.search", "search.lookup phone", "search.lookup email", "privacy.find_duplicates"):
        assert any(r.id == cid for r in reads[name]), name
