"""A store's currency decides how its paper writes money: a Tokyo store prints whole yen,
a New York store dollars and cents (the same formatter the screen uses)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from core import clock, customers, repairs, report_data as rd, staff
from core.models import Device, Part, PartStock
from core.permissions import Role
from core.repairs import QuoteLine
from reports import service_report
from tests.reports.conftest import follows, lines

AT = datetime(2026, 12, 6, 2, 0, tzinfo=timezone.utc)

STORES = {
    # currency: (country, time zone, phone, part price and labour in minor units, what the paper says)
    "JPY": ("JP", "Asia/Tokyo", "+81 90-1234-5678", 12345, 3000, "¥12,345", "¥3,000"),
    "USD": ("US", "America/New_York", "+1 650-253-0000", 123456, 4550, "$1,234.56", "$45.50"),
}


def _quoted_ticket(db, currency: str):
    """A store in ``currency`` and one ticket quoted with a part and labour, out of warranty."""
    country, tz, phone, part_price, labour, _, _ = STORES[currency]
    db, store_id, admin = staff.bootstrap_store(
        db, code="ST01", name="Orchard Test Store", timezone=tz, country=country, admin_name="Ada Admin",
        admin_password="admin-pass-1", admin_pin="1111", currency=currency)
    with db.session(write=True) as s:
        tech = staff.actor_for(staff.create_staff(s, admin, display_name="Sam Tech", role=Role.TECHNICIAN,
                                                  password="long-password-1"))
        c = customers.create_customer(s, admin, given_name="Kim", family_name="Lee", phone=phone)
        d = Device(customer_id=c.id, kind="phone", model="iPhone 15")
        p = Part(sku="SCR-IP15", name="iPhone 15 display assembly", price_cents=part_price, fits="iPhone 15")
        s.add_all([d, p])
        s.flush()
        s.add(PartStock(store_id=store_id, part_id=p.id, on_hand=1, reserved=0))
        t = repairs.open_ticket(s, admin, customer_id=c.id, device_id=d.id, reported_fault="Screen cracked",
                                condition={}, approval_limit_cents=0, contact_preference="sms")
    with db.session(write=True) as s:
        repairs.start_diagnosis(s, tech, t.id)
        repairs.quote(s, tech, t.id, diagnosis="Display cracked", lines=[QuoteLine(p.id)], labour_cents=labour)
    with db.session(write=True) as s:
        return rd.service_report(s, admin, t.id, now=AT)


@pytest.mark.parametrize("currency", sorted(STORES))
def test_a_service_report_writes_money_in_the_store_currency(db, currency):
    *_, part_text, labour_text = STORES[currency]
    with clock.pinned(AT):
        data = _quoted_ticket(db, currency)
    ls = lines(service_report.render(data, lang="en"))
    # each row: item, part number, quantity, unit price, amount
    assert follows(ls, "iPhone 15 display assembly", "SCR-IP15", "1", part_text, part_text)
    assert follows(ls, "Labour", labour_text, labour_text)


def test_a_yen_document_prints_no_decimals_anywhere(db):
    with clock.pinned(AT):
        data = _quoted_ticket(db, "JPY")
    text = "\n".join(lines(service_report.render(data, lang="en")))
    amounts = re.findall(r"¥[\d,]+(?:\.\d+)?", text)
    assert "¥12,345" in amounts
    assert [a for a in amounts if "." in a] == []
