"""What a sale from the till must hold (core.crm.sales): any valid sale reads back as itself,
each fault is refused naming its field (never the value), and the keys it is matched by are
normalised the one way HQ's customer rows hold them."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.crm.sales import SaleIn, line_field, normalise_email, normalise_member, normalise_phone, parse_sale, \
    purchase_id
from core.errors import ValidationError

AT = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def sale(**over):
    data = {"receipt_id": "SA-2026-000123", "store": "sa", "at": "2026-11-20T18:00:00+08:00", "currency": "cny",
            "total_cents": 129_900, "lines": [
                {"sku": "IP16-128", "description": "iPhone 16 128 GB", "qty": 1, "amount_cents": 119_900},
                {"sku": "CASE-16", "description": "Clear case", "qty": 2, "amount_cents": 10_000}],
            "member_no": "8800 1234-5678 2", "phone": "138 0013 8000", "email": "  Li.Na@Example.COM "}
    data.update(over)
    return data


def refused(data, *, region="CN", now=AT) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        parse_sale(data, region=region, now=now)
    return err.value


def test_a_sale_is_read_with_its_keys_normalised():
    s = parse_sale(sale(), region="CN", now=AT)
    assert (s.receipt_id, s.store, s.currency, s.kind, s.total_cents) == ("SA-2026-000123", "SA", "CNY", "sale",
                                                                           129_900)
    assert s.at == AT
    assert (s.member_no, s.phone, s.email) == ("8800123456782", "+8613800138000", "li.na@example.com")
    assert s.keys() == (("member", "8800123456782"), ("phone", "+8613800138000"), ("email", "li.na@example.com"))
    assert s.description() == "iPhone 16 128 GB and 1 more"
    assert purchase_id(s.receipt_id) == purchase_id("SA-2026-000123") != purchase_id("SA-2026-000124")


def test_a_refund_is_a_sale_with_a_negative_total_and_lines():
    s = parse_sale(sale(receipt_id="SA-R1", total_cents=-10_000, refund_of="SA-2026-000123",
                        lines=[{"sku": "CASE-16", "description": "Clear case", "qty": 2, "amount_cents": -10_000}],
                        member_no=None, phone=None, email=""), region="CN", now=AT)
    assert (s.kind, s.refund_of, s.keys()) == ("refund", "SA-2026-000123", ())


@pytest.mark.parametrize("over, field", [
    ({"total_cents": 129_901}, "total_cents"),
    ({"receipt_id": ""}, "receipt_id"),
    ({"receipt_id": "x" * 65}, "receipt_id"),
    ({"receipt_id": "A\tB"}, "receipt_id"),
    ({"store": "S"}, "store"),
    ({"store": "SA-1"}, "store"),
    ({"at": "2026-11-20T18:00:00"}, "at"),
    ({"at": "yesterday"}, "at"),
    ({"at": "2026-11-25T10:00:00+00:00"}, "at"),           # days after HQ's clock
    ({"currency": "yuan"}, "currency"),
    ({"lines": []}, "lines"),
    ({"lines": [{"sku": "X", "description": "Y", "qty": 1, "amount_cents": 1}] * 201}, "lines"),
    ({"total_cents": 1.5}, "total_cents"),
    ({"total_cents": True}, "total_cents"),
    ({"refund_of": "SA-1"}, "refund_of"),                  # a sale names no refunded receipt
    ({"kind": "refund"}, "total_cents"),
    ({"member_no": "88-00?"}, "member_no"),
    ({"phone": "12"}, "phone"),
    ({"email": "not-an-address"}, "email"),
])
def test_each_fault_is_refused_naming_its_field_and_never_the_value(over, field):
    err = refused(sale(**over))
    assert err.field == field
    for value in over.values():
        if isinstance(value, str) and len(value) > 3 and value not in ("refund", "sale"):
            assert value not in str(err)


@pytest.mark.parametrize("line, field", [
    ({"sku": "", "description": "Y", "qty": 1, "amount_cents": 129_900}, "lines[1].sku"),
    ({"sku": "X", "description": "\x07", "qty": 1, "amount_cents": 129_900}, "lines[1].description"),
    ({"sku": "X", "description": "Y", "qty": 0, "amount_cents": 129_900}, "lines[1].qty"),
    ({"sku": "X", "description": "Y", "qty": "two", "amount_cents": 129_900}, "lines[1].qty"),
    ({"sku": "X", "description": "Y", "qty": 1}, "lines[1].amount_cents"),
])
def test_a_line_fault_names_the_line_and_its_field(line, field):
    first = {"sku": "A", "description": "B", "qty": 1, "amount_cents": 0}
    err = refused(sale(lines=[first, line]))
    assert err.field == field
    assert line_field(err.field) == (1, field.split(".")[1])


def test_a_refund_line_may_not_be_positive_nor_name_its_own_receipt():
    lines = [{"sku": "A", "description": "B", "qty": 1, "amount_cents": -200},
             {"sku": "C", "description": "D", "qty": 1, "amount_cents": 100}]
    assert refused(sale(total_cents=-100, lines=lines)).field == "lines[1].amount_cents"
    one = [{"sku": "A", "description": "B", "qty": 1, "amount_cents": -100}]
    assert refused(sale(total_cents=-100, lines=one, refund_of="SA-2026-000123")).field == "refund_of"
    assert refused(sale(total_cents=-100, lines=one, kind="sale")).field == "kind"


def test_csv_cells_are_text_and_read_as_the_same_sale():
    as_text = sale(total_cents="129900", lines=[
        {"sku": "IP16-128", "description": "iPhone 16 128 GB", "qty": "1", "amount_cents": "119900"},
        {"sku": "CASE-16", "description": "Clear case", "qty": "2", "amount_cents": "10000"}])
    assert parse_sale(as_text, region="CN", now=AT) == parse_sale(sale(), region="CN", now=AT)


def test_the_keys_normalise_as_hq_holds_them():
    assert normalise_member(" orchard:m:8800-1234 5678 2 ") == "8800123456782"
    assert normalise_member("   ") is None
    assert normalise_phone("(212) 555-0123", region="US") == "+12125550123"
    assert normalise_phone("+86 138 0013 8000", region="US") == "+8613800138000"
    assert normalise_email(" Li.Na@Example.com") == "li.na@example.com"
    assert normalise_email(None) is None


# --- any valid sale reads back as itself ------------------------------------------------------

_text = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1)
_lines = st.lists(st.builds(lambda sku, desc, qty, amount: {"sku": sku, "description": desc, "qty": qty,
                                                            "amount_cents": amount},
                            _text.map(lambda t: t[:40]),
                            st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=200)
                            .filter(lambda t: t.strip() == t and t == unicodedata.normalize("NFC", t)),
                            st.integers(-1000, 1000).filter(bool), st.integers(0, 10 ** 9)),
                  min_size=1, max_size=8)


@st.composite
def valid_sales(draw):
    lines = draw(_lines)
    refund = draw(st.booleans())
    if refund:
        lines = [{**ln, "amount_cents": -ln["amount_cents"] - 1} for ln in lines]
    offset = timedelta(minutes=15 * draw(st.integers(-48, 56)))
    at = draw(st.datetimes(datetime(2000, 1, 2), datetime(2026, 11, 19))).replace(tzinfo=timezone(offset))
    return {"receipt_id": draw(_text.map(lambda t: t[:64])),
            "store": draw(st.from_regex(r"[A-Z0-9]{2,8}", fullmatch=True)),
            "at": at.isoformat(), "currency": draw(st.sampled_from(["CNY", "USD", "EUR", "JPY"])),
            "total_cents": sum(ln["amount_cents"] for ln in lines), "lines": lines,
            "refund_of": draw(st.none() | _text.map(lambda t: "R " + t[:60])) if refund else None,
            "member_no": draw(st.none() | st.from_regex(r"[A-Z0-9]{1,40}", fullmatch=True)),
            "phone": draw(st.none() | st.sampled_from(["+8613800138000", "+12125550123", "+442079460000"])),
            "email": draw(st.none() | st.from_regex(r"[a-z]{1,10}\.[a-z]{1,10}@example\.com", fullmatch=True))}


@settings(max_examples=150, deadline=None)
@given(valid_sales())
def test_any_valid_sale_round_trips(data):
    s = parse_sale(data, region="CN", now=AT)
    assert isinstance(s, SaleIn)
    assert s.as_dict() == data
    assert parse_sale(s.as_dict(), region="CN", now=AT) == s
    assert s.kind == ("refund" if s.total_cents < 0 else "sale")


@settings(max_examples=100, deadline=None)
@given(valid_sales(), st.integers(-10 ** 6, 10 ** 6).filter(bool))
def test_a_total_that_is_not_the_sum_of_the_lines_is_refused_with_its_field(data, off):
    data = {**data, "total_cents": data["total_cents"] + off}
    with pytest.raises(ValidationError) as err:
        parse_sale(data, region="CN", now=AT)
    assert err.value.field == "total_cents"
