"""Tests for core.validation: canonical forms, clear reasons, no personal data in errors."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.errors import ValidationError
from core.validation import (
    is_luhn_valid,
    luhn_check_digit,
    normalize_email,
    normalize_imei,
    normalize_name,
    normalize_phone,
    normalize_serial,
    optional,
    phone_digits,
)

# 3GPP TS 23.003 Annex B example: body 26053179311383, check digit 7.
SPEC_IMEI = "260531793113837"

digits = st.text(alphabet="0123456789", min_size=14, max_size=14)


def _raises(fn, value, expected_field, /, **kw) -> ValidationError:
    """Call ``fn`` and check it refused the value, naming ``expected_field``."""
    with pytest.raises(ValidationError) as info:
        fn(value, **kw)
    err = info.value
    assert err.field == expected_field
    assert str(err).startswith(f"{expected_field}: ")
    return err


# --- Luhn / IMEI ---------------------------------------------------------------------


def test_spec_imei_check_digit():
    assert luhn_check_digit(SPEC_IMEI[:14]) == 7
    assert is_luhn_valid(SPEC_IMEI)
    assert normalize_imei(SPEC_IMEI) == SPEC_IMEI


@pytest.mark.parametrize(
    "body, check",
    [("", 0), ("0", 0), ("7992739871", 3), ("49015420323751", 8), ("35209900176148", 1)],
)
def test_luhn_check_digit_known_values(body, check):
    assert luhn_check_digit(body) == check
    assert is_luhn_valid(body + str(check))


@pytest.mark.parametrize("bad", ["", "12a4", "١٢٣", " 123"])
def test_is_luhn_valid_is_false_for_non_digits(bad):
    assert not is_luhn_valid(bad)


def test_luhn_check_digit_refuses_non_digits():
    with pytest.raises(ValueError):
        luhn_check_digit("12a")


@given(position=st.integers(0, 14), replacement=st.sampled_from("0123456789"))
def test_every_single_digit_change_of_spec_imei_fails(position, replacement):
    assume(replacement != SPEC_IMEI[position])
    changed = SPEC_IMEI[:position] + replacement + SPEC_IMEI[position + 1 :]
    err = _raises(normalize_imei, changed, "imei")
    assert err.reason == "check digit does not match"
    assert changed not in str(err)


@given(body=digits)
def test_body_plus_check_digit_is_a_valid_imei(body):
    imei = body + str(luhn_check_digit(body))
    assert normalize_imei(imei) == imei
    assert is_luhn_valid(imei)


@given(body=digits)
def test_any_other_check_digit_is_refused(body):
    wrong = (luhn_check_digit(body) + 1) % 10
    _raises(normalize_imei, body + str(wrong), "imei")


@pytest.mark.parametrize(
    "formatted",
    [
        "26 053179 311383 7",
        "26-053179-311383-7",
        "26/053179/311383/7",
        " 260531-793113837 ",
        "26 05 31 79 31 13 83 7",
    ],
)
def test_imei_formatting_is_accepted(formatted):
    assert normalize_imei(formatted) == SPEC_IMEI


@pytest.mark.parametrize(
    "value, reason",
    [
        ("26053179311383", "must be 15 digits"),  # no check digit
        ("2605317931138370", "must be 15 digits"),
        ("26053179311383X", "may contain only digits, spaces, dashes and slashes"),
        ("２６０５３１７９３１１３８３７", "may contain only digits, spaces, dashes and slashes"),
        ("", "is required"),
        ("   ", "is required"),
        (None, "is required"),
    ],
)
def test_imei_reasons(value, reason):
    err = _raises(normalize_imei, value, "imei")
    assert err.reason == reason


# --- phone numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, region, expected",
    [
        ("(415) 555-2671", "US", "+14155552671"),
        ("415.555.2671", "US", "+14155552671"),
        ("+1 415 555 2671", "GB", "+14155552671"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("020 7946 0958", "gb", "+442079460958"),
        ("07400 123456", "GB", "+447400123456"),
        ("+86 138 0013 8000", "US", "+8613800138000"),
        ("138 0013 8000", "CN", "+8613800138000"),
        ("１３８ ００１３ ８０００", "CN", "+8613800138000"),
        ("030 123456", "DE", "+4930123456"),
        ("+49 (0)30 123456", "US", "+4930123456"),
        ("0151 23456789", "DE", "+4915123456789"),
    ],
)
def test_phone_normalizes_to_e164(value, region, expected):
    assert normalize_phone(value, region=region) == expected


@given(region=st.sampled_from(["US", "GB", "CN", "DE", "FR", "IN", "JP", "AU", "BR"]))
def test_example_numbers_round_trip(region):
    example = phonenumbers.example_number(region)
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(
        example, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    assert normalize_phone(national, region=region) == e164
    assert normalize_phone(international) == e164
    assert normalize_phone(e164, region="DE") == e164


@pytest.mark.parametrize(
    "value, region",
    [
        ("555-1234", "US"),  # local only, no area code
        ("+1 555 123 4567", "US"),  # 555 is not an area code
        ("020 7946 095", "GB"),
        ("12345678901234567890", "US"),
        ("+999 123 4567", "US"),
        ("hello", "US"),
        ("4", "CN"),
        ("+49 123", "DE"),
        ("415 555 2671 ext. 12", "US"),
    ],
)
def test_invalid_phones_are_refused_without_echoing_the_number(value, region):
    err = _raises(normalize_phone, value, "phone", region=region)
    assert value not in str(err)
    assert phone_digits(value) not in str(err) or len(phone_digits(value)) < 2


def test_phone_reason_names_the_region():
    err = _raises(normalize_phone, "+1 555 123 4567", "phone")
    assert err.reason == "not a valid phone number for region US"


@pytest.mark.parametrize("value", ["", "  ", None])
def test_phone_is_required(value):
    assert _raises(normalize_phone, value, "phone").reason == "is required"


def test_phone_field_name_is_used():
    assert _raises(normalize_phone, "x", "mobile", field="mobile").field == "mobile"


def test_unknown_region_is_a_programming_error():
    with pytest.raises(ValueError):
        normalize_phone("+44 20 7946 0958", region="XX")


@given(st.text(alphabet="0123456789", min_size=5, max_size=25))
def test_refused_digit_strings_are_not_echoed(value):
    try:
        normalize_phone(value)
    except ValidationError as err:
        assert err.field == "phone"
        assert value not in str(err)


@given(st.text())
def test_phone_only_ever_raises_validation_error(value):
    try:
        result = normalize_phone(value, region="GB")
    except ValidationError as err:
        assert err.field == "phone"
    else:
        assert result.startswith("+") and result[1:].isdigit()


def test_phone_digits():
    assert phone_digits("+44 (20) 7946-0958") == "442079460958"
    assert phone_digits("１３８") == "138"
    assert phone_digits("") == ""
    assert phone_digits(None) == ""
    assert phone_digits(normalize_phone("(415) 555-2671")).endswith("2671")


# --- e-mail --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("alice@example.com", "alice@example.com"),
        ("  alice@example.com  ", "alice@example.com"),
        ("Alice.Smith@EXAMPLE.COM", "Alice.Smith@example.com"),
        ("bob+repairs@mail.example.co.uk", "bob+repairs@mail.example.co.uk"),
        ("zhang.wei@例子.中国", "zhang.wei@例子.中国"),
        ("josé@example.com", "josé@example.com"),
    ],
)
def test_valid_emails_normalize(value, expected):
    assert normalize_email(value) == expected


@pytest.mark.parametrize(
    "value, reason",
    [
        ("alice.example.com", "must contain an @ sign"),
        ("@example.com", "is missing the part before the @"),
        ("alice@", "is missing the part after the @"),
        ("alice@example", "has an invalid part after the @"),
        ("al,ice@example.com", "has an invalid part before the @"),
        ("alice@exa_mple.com", "has an invalid part after the @"),
        ("Alice <alice@example.com>", "must be the address only, without a name"),
        ("alice@shop.localhost", "uses a domain that cannot receive e-mail"),
        ("a" * 64 + "@" + ("b" * 60 + ".") * 4 + "com", "is too long"),
        ("x@" + "b" * 64 + ".com", "has an invalid part after the @"),
        ("", "is required"),
        (None, "is required"),
    ],
)
def test_invalid_emails_are_refused(value, reason):
    err = _raises(normalize_email, value, "email")
    assert err.reason == reason
    if value:
        assert value not in str(err)


@given(st.text())
def test_email_only_ever_raises_validation_error(value):
    try:
        normalize_email(value, field="contact_email")
    except ValidationError as err:
        assert err.field == "contact_email"


# --- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Alice", "Alice"),
        ("  Mary   Ann\u00a0 Smith ", "Mary Ann Smith"),
        ("张伟", "张伟"),
        ("José", "José"),
        ("Jose\u0301", "José"),  # decomposed input is composed (NFC)
        ("O'Brien", "O'Brien"),
        ("Anne-Marie", "Anne-Marie"),
        ("Zoë Ŝtraße", "Zoë Ŝtraße"),
        ("Владимир", "Владимир"),
        ("محمد", "محمد"),
        ("Louis XIV", "Louis XIV"),
        ("3M Service Desk", "3M Service Desk"),
    ],
)
def test_valid_names(value, expected):
    assert normalize_name(value, field="first_name") == expected


@pytest.mark.parametrize(
    "value, reason",
    [
        ("12345", "must contain at least one letter"),
        ("--- ...", "must contain at least one letter"),
        ("Bob\x00", "must not contain control characters"),
        ("Bob\nSmith", "must not contain control characters"),
        ("Bob\tSmith", "must not contain control characters"),
        ("Bob\u202eSmith", "must not contain control characters"),
        ("a" * 101, "must be at most 100 characters"),
        ("", "is required"),
        ("   ", "is required"),
        (None, "is required"),
    ],
)
def test_invalid_names(value, reason):
    err = _raises(normalize_name, value, "last_name", field="last_name")
    assert err.reason == reason
    if value and value.strip():
        assert value not in str(err)


def test_name_max_len_counts_after_collapsing():
    assert normalize_name("ab   cd", field="n", max_len=5) == "ab cd"
    _raises(normalize_name, "abcdef", "n", field="n", max_len=5)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_optional_name_may_be_empty(value):
    assert normalize_name(value, field="middle_name", required=False) == ""


def test_optional_name_is_still_checked_when_given():
    _raises(normalize_name, "42", "middle_name", field="middle_name", required=False)


@given(st.text())
def test_name_only_ever_raises_validation_error(value):
    try:
        result = normalize_name(value, field="first_name")
    except ValidationError as err:
        assert err.field == "first_name"
    else:
        assert result == result.strip() and "  " not in result
        assert 0 < len(result) <= 100


# --- serial numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("c02xl0gjjg5h", "C02XL0GJJG5H"),
        ("  R58M-12AB  ", "R58M-12AB"),
        ("1234", "1234"),
        ("A" * 30, "A" * 30),
    ],
)
def test_valid_serials(value, expected):
    assert normalize_serial(value) == expected


@pytest.mark.parametrize(
    "value, reason",
    [
        ("ABC", "must be 4 to 30 characters long"),
        ("A" * 31, "must be 4 to 30 characters long"),
        ("----", "must contain a letter or digit"),
        ("AB 1234", "may contain only letters A-Z, digits and dashes"),
        ("AB_1234", "may contain only letters A-Z, digits and dashes"),
        ("ÄB1234", "may contain only letters A-Z, digits and dashes"),
        ("\ufb01X1234", "may contain only letters A-Z, digits and dashes"),  # ligature fi
        ("", "is required"),
        (None, "is required"),
    ],
)
def test_invalid_serials(value, reason):
    err = _raises(normalize_serial, value, "serial")
    assert err.reason == reason


@given(st.text())
def test_serial_only_ever_raises_validation_error(value):
    try:
        result = normalize_serial(value, field="sn")
    except ValidationError as err:
        assert err.field == "sn"
    else:
        assert result == result.upper() and 4 <= len(result) <= 30


# --- optional / type checks ----------------------------------------------------------


def test_optional():
    assert optional(normalize_email, None) is None
    assert optional(normalize_email, "   ") is None
    assert optional(normalize_email, "a@Example.com") == "a@example.com"
    assert optional(normalize_phone, "020 7946 0958", region="GB") == "+442079460958"
    with pytest.raises(ValidationError):
        optional(normalize_imei, "123")


@pytest.mark.parametrize(
    "fn, kw",
    [
        (normalize_phone, {}),
        (normalize_email, {}),
        (normalize_imei, {}),
        (normalize_serial, {}),
        (normalize_name, {"field": "name"}),
    ],
)
def test_non_text_is_refused(fn, kw):
    with pytest.raises(ValidationError) as info:
        fn(260531793113837, **kw)
    assert info.value.reason == "must be text"
