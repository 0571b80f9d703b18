"""Unusual input gets an answer beside its field (issue 17): control characters in free text,
points beyond any balance, dates at the end of the calendar and vanity phone numbers are
refused with a ValidationError naming the field, never an OverflowError or a wrong number."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import appointments as ap, customers, loyalty, privacy, repairs
from core.errors import ValidationError, ValidationErrors
from core.loyalty.points import MAX_POINTS_AT_ONCE
from core.validation import normalize_free_text, normalize_phone

UTC = timezone.utc
T0 = datetime(2026, 2, 10, 3, 0, tzinfo=UTC)
END = date(9999, 12, 31)


def refused_field(fn, *args, **kw) -> set[str]:
    """The fields a refusal names (one error or several)."""
    with pytest.raises((ValidationError, ValidationErrors)) as info:
        fn(*args, **kw)
    err = info.value
    return set(err.by_field) if isinstance(err, ValidationErrors) else {err.field}


@pytest.fixture
def shop(store_setup):
    db, _store_id, admin = store_setup
    with db.session(write=True) as s:
        c = customers.create_customer(s, admin, given_name="芳", family_name="王", phone="13100008909")
        rules = loyalty.current_rules(s, admin)
        member = loyalty.enroll(s, admin, c.id, terms_version=rules.terms_version, programme=True, now=T0)
        svc = ap.save_service_type(s, admin, code="setup_help", name="Setup help", duration_min=30)
    return db, admin, c.id, member.id, svc.id


# --- free text --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["12 Main St\x1b[2J", "Room\x00 4", "A\u202eB", "bell\x07", "x\u2028y"])
def test_an_address_with_control_characters_is_refused(shop, text):
    db, admin, cid, *_ = shop
    with db.session(write=True) as s:
        assert refused_field(customers.update_customer, s, admin, cid, address=text) == {"address"}


def test_an_address_on_two_lines_is_kept(shop):
    db, admin, cid, *_ = shop
    with db.session(write=True) as s:
        view = customers.update_customer(s, admin, cid, address="  上海市 徐汇区\r\n漕溪北路 1 号  ")
    assert view.address == "上海市 徐汇区\n漕溪北路 1 号"


def test_a_customer_note_with_control_characters_is_refused(shop):
    db, admin, cid, *_ = shop
    with db.session(write=True) as s:
        assert refused_field(privacy.add_note, s, admin, cid, "called back\x1b") == {"note"}
        privacy.add_note(s, admin, cid, "Prefers calls\nafter 6 pm\twith Mandarin")     # lines and tabs are fine


def test_an_adjustment_reason_with_control_characters_is_refused(shop):
    db, admin, _, account, _ = shop
    with db.session(write=True) as s:
        assert refused_field(loyalty.adjust, s, admin, account, 10, reason="goodwill\x00", now=T0) == {"reason"}
        assert refused_field(loyalty.adjust, s, admin, account, 10, reason="line\none", now=T0) == {"reason"}


def test_a_fault_description_with_control_characters_is_refused(shop):
    db, admin, cid, *_ = shop
    with db.session(write=True) as s:
        fields = refused_field(repairs.open_ticket, s, admin, customer_id=cid, device_model="iPhone 12",
                               reported_fault="Screen cracked\x1b[31m", condition_notes="scratch\x08")
    assert fields == {"reported_fault", "condition_notes"}


@given(st.text())
def test_free_text_is_either_clean_or_refused_by_field(text):
    try:
        out = normalize_free_text(text, field="notes", max_len=50, multiline=True)
    except ValidationError as e:
        assert e.field == "notes"
    else:
        assert len(out) <= 50 and not any(ord(ch) < 32 and ch not in "\n\t" for ch in out)


# --- loyalty points ---------------------------------------------------------------------------

@pytest.mark.parametrize("points", [10**30, 2**63, -(2**63), MAX_POINTS_AT_ONCE + 1])
def test_huge_adjustments_and_redemptions_are_refused_by_field(shop, points):
    db, admin, _, account, _ = shop
    with db.session(write=True) as s:
        assert refused_field(loyalty.adjust, s, admin, account, points, reason="typo", now=T0) == {"points"}
        assert refused_field(loyalty.redeem, s, admin, account, points, now=T0) == {"points"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers())
def test_any_adjustment_is_booked_or_refused_never_overflows(shop, points):
    db, admin, _, account, _ = shop
    with db.session(write=True) as s:
        before = loyalty.balance_status(s, admin, account, now=T0).balance
        try:
            loyalty.adjust(s, admin, account, points, reason="test", now=T0)
        except (ValidationError, ValidationErrors) as e:
            fields = set(e.by_field) if isinstance(e, ValidationErrors) else {e.field}
            assert fields == {"points"}
            assert points == 0 or abs(points) > MAX_POINTS_AT_ONCE or before + points < 0
        else:
            assert abs(points) <= MAX_POINTS_AT_ONCE
            assert loyalty.balance_status(s, admin, account, now=T0).balance == before + points
        s.rollback()


# --- dates ------------------------------------------------------------------------------------

def test_a_birthday_in_year_9999_is_a_field_error(shop):
    db, admin, cid, *_ = shop
    with db.session(write=True) as s:
        assert refused_field(customers.update_customer, s, admin, cid, birth_date=END) == {"birth_date"}
        assert refused_field(customers.update_customer, s, admin, cid, birth_date=date(1, 1, 1)) == {"birth_date"}


def test_appointment_dates_at_the_end_of_the_calendar_are_field_errors(shop):
    db, admin, _, _, svc = shop
    with db.session(write=True) as s:
        assert refused_field(ap.find_slots, s, admin, svc, END, days=7) == {"first_day"}
        assert refused_field(ap.find_slots, s, admin, svc, END - timedelta(days=3), days=1) == {"first_day"}
        assert refused_field(ap.list_day, s, admin, END) == {"day"}
        assert refused_field(ap.day_plan, s, admin, END) == {"day"}
        at = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
        assert refused_field(ap.book, s, admin, service_type_id=svc, starts_at=at,
                             name="Test") == {"starts_at"}


# --- phone numbers ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, region", [("1-800-FLOWERS", "CN"), ("1-800-FLOWERS", "US"),
                                           ("+86 131 ABCD 8909", "CN"), ("call 13100008909", "CN")])
def test_vanity_numbers_are_refused_not_converted(value, region):
    with pytest.raises(ValidationError) as info:
        normalize_phone(value, region=region)
    assert info.value.field == "phone" and info.value.reason == "must be written in digits, not letters"


def test_a_vanity_number_does_not_reach_the_profile(shop):
    db, admin, cid, *_ = shop
    with db.session(write=True) as s:
        assert refused_field(customers.update_customer, s, admin, cid, phone="1-800-FLOWERS") == {"phone"}
        assert customers.get_customer(s, admin, cid).phone == "+8613100008909"
