"""Normalising and checking the values staff type in at the core boundary.

Every ``normalize_*`` function returns the one canonical form we store (so
searching and de-duplication compare like with like) or raises
:class:`core.errors.ValidationError`.  Reasons never repeat the input: these
values are personal data and error messages end up in logs and screenshots.
Library exceptions are raised ``from None`` for the same reason, since their
messages often quote the offending text.

Pure functions only: no Qt, no database.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any, Callable, TypeVar

from core.errors import ValidationError

__all__ = [
    "DATE_FIRST_YEAR",
    "DATE_LAST_YEAR",
    "check_date",
    "is_luhn_valid",
    "luhn_check_digit",
    "normalize_email",
    "normalize_free_text",
    "normalize_imei",
    "normalize_name",
    "normalize_phone",
    "normalize_serial",
    "optional",
    "phone_digits",
]

T = TypeVar("T")

REQUIRED = "is required"


def _text(value: object, field: str) -> str:
    """Stripped text, or ``ValidationError`` for anything that is not a string."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    return value.strip()


def _required_text(value: object, field: str) -> str:
    text = _text(value, field)
    if not text:
        raise ValidationError(field, REQUIRED)
    return text


def optional(fn: Callable[..., T], value: object, **kw: Any) -> T | None:

    """Let optional form fields stay empty without each caller special-casing blanks."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return fn(value, **kw)


# --- phone numbers -------------------------------------------------------------------

# phonenumbers and email-validator load on first use, not with this module: sign-in needs
# neither (issue 25: a start under a second). The reasons by the library's constant names:
_PARSE_REASONS = {
    "INVALID_COUNTRY_CODE": "has an unknown country code",
    "NOT_A_NUMBER": "is not a phone number",
    "TOO_SHORT_AFTER_IDD": "is too short",
    "TOO_SHORT_NSN": "is too short",
    "TOO_LONG": "is too long",
}

_POSSIBLE_REASONS = {
    "INVALID_COUNTRY_CODE": "has an unknown country code",
    "TOO_SHORT": "is too short",
    "TOO_LONG": "is too long",
}


@cache
def _parse_reasons() -> dict[int, str]:
    from phonenumbers import NumberParseException
    return {getattr(NumberParseException, name): reason for name, reason in _PARSE_REASONS.items()}


@cache
def _possible_reasons() -> dict[int, str]:
    from phonenumbers import ValidationResult
    return {getattr(ValidationResult, name): reason for name, reason in _POSSIBLE_REASONS.items()}


# letters, except the words that introduce an extension (refused below with their own reason)
_LETTERS_BUT_EXTENSION = re.compile(r"(?i)(?<![^\W\d_])(?!(?:extension|ext|x)(?![^\W\d_]))[^\W\d_]+")


def normalize_phone(value: str, *, field: str = "phone", region: str = "US") -> str:
    """E.164 so one customer's number matches however it was typed.

    ``region`` is the store's country, used for numbers typed without ``+``.
    An unknown ``region`` is a programming error (``ValueError``), not bad input.
    """
    import phonenumbers
    from phonenumbers import NumberParseException
    region = region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown region code {region!r}")
    text = _required_text(value, field)
    # phonenumbers reads letters as keypad digits (1-800-FLOWERS -> 1-800-3569377), which in
    # another country makes a wrong number that looks right: a vanity number is refused
    # (an extension, "ext. 12", has its own reason below)
    if _LETTERS_BUT_EXTENSION.search(text):
        raise ValidationError(field, "must be written in digits, not letters")
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        reason = _parse_reasons().get(exc.error_type, "is not a phone number")
        raise ValidationError(field, reason) from None

    if number.extension:
        # E.164 has no room for it; dropping it silently would lose data.
        raise ValidationError(field, "must not include an extension")
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in _possible_reasons():
        raise ValidationError(field, _possible_reasons()[possible])
    if not phonenumbers.is_valid_number(number):
        if number.country_code == phonenumbers.country_code_for_region(region):
            raise ValidationError(field, "not a valid phone number for region {region}", region=region)
        raise ValidationError(field, "not a valid phone number for country code +{code}",
                              code=number.country_code)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(value: str) -> str:
    """Digits only (any script, as ASCII) so staff can search by the last few digits."""
    if not value:
        return ""
    return "".join(str(unicodedata.decimal(ch)) for ch in value if ch.isdecimal())


# --- e-mail --------------------------------------------------------------------------

# email-validator's messages often quote the address, so map them to our own
# (matched against the lower-cased message, first hit wins).
_EMAIL_REASONS = (
    ("must have an @-sign", "must contain an @ sign"),
    ("small commercial at", "must contain an @ sign"),
    ("display name", "must be the address only, without a name"),
    ("angle bracket", "must be the address only, without a name"),
    ("too long", "is too long"),
    ("special-use or reserved", "uses a domain that cannot receive e-mail"),
    ("something before the @-sign", "is missing the part before the @"),
    ("something after the @-sign", "is missing the part after the @"),
    ("before the @-sign", "has an invalid part before the @"),
    ("after the @-sign", "has an invalid part after the @"),
)


def normalize_email(value: str, *, field: str = "email") -> str:
    """Syntax-checked and normalised (lower-case domain) so duplicates can be found.

    No DNS lookup: the till may be offline, and a typo'd domain is the
    customer's to correct, not ours to guess.
    """
    from email_validator import EmailNotValidError, validate_email
    text = _required_text(value, field)
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        message = str(exc).lower()
        reason = next(
            (ours for theirs, ours in _EMAIL_REASONS if theirs in message),
            "is not a valid e-mail address",
        )
        raise ValidationError(field, reason) from None
    return result.normalized


# --- Luhn and IMEI -------------------------------------------------------------------

_ASCII_DIGITS = re.compile(r"[0-9]*")


def _luhn_sum(digits: str, double_rightmost: bool) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if (i % 2 == 0) == double_rightmost:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total


def luhn_check_digit(body: str) -> int:
    """Check digit that makes ``body`` Luhn-valid (3GPP TS 23.003 Annex B for IMEIs).

    Raises ``ValueError`` for non-digits: callers pass already-cleaned digits.
    """
    if not _ASCII_DIGITS.fullmatch(body):
        raise ValueError("body must contain only the digits 0-9")
    return (10 - _luhn_sum(body, double_rightmost=True) % 10) % 10


def is_luhn_valid(digits: str) -> bool:
    """Whether the last digit is the Luhn check digit of the rest; false for non-digits."""
    if not digits or not _ASCII_DIGITS.fullmatch(digits):
        return False
    return _luhn_sum(digits, double_rightmost=False) % 10 == 0


_IMEI_SEPARATORS = re.compile(r"[\s\-/]+")


def normalize_imei(value: str, *, field: str = "imei") -> str:
    """Bare 15 digits, check digit verified, so mistyped IMEIs are caught at the counter.

    Separators as printed on boxes and ``*#06#`` screens (spaces, dashes,
    slashes) are accepted.  14-digit IMEIs without check digit are refused:
    without the check digit a typo cannot be detected.
    """
    text = _required_text(value, field)
    digits = _IMEI_SEPARATORS.sub("", text)
    if not _ASCII_DIGITS.fullmatch(digits):
        raise ValidationError(field, "may contain only digits, spaces, dashes and slashes")
    if len(digits) != 15:
        raise ValidationError(field, "must be 15 digits")
    if not is_luhn_valid(digits):
        raise ValidationError(field, "check digit does not match")
    return digits


# --- serial numbers ------------------------------------------------------------------

_SERIAL_CHARS = re.compile(r"[A-Za-z0-9-]*")
SERIAL_MIN_LEN = 4
SERIAL_MAX_LEN = 30


def normalize_serial(value: str, *, field: str = "serial") -> str:
    """Upper-case ASCII so a serial read off a label matches however it was keyed in."""
    text = _required_text(value, field)
    # Check before upper-casing: str.upper() turns some non-ASCII letters
    # (e.g. the ligature U+FB01) into ASCII ones.
    if not _SERIAL_CHARS.fullmatch(text):
        raise ValidationError(field, "may contain only letters A-Z, digits and dashes")
    if not SERIAL_MIN_LEN <= len(text) <= SERIAL_MAX_LEN:
        raise ValidationError(
            field, f"must be {SERIAL_MIN_LEN} to {SERIAL_MAX_LEN} characters long"
        )
    if not any(ch.isalnum() for ch in text):
        raise ValidationError(field, "must contain a letter or digit")
    return text.upper()


# --- personal names ------------------------------------------------------------------

# Joiners are needed to spell names correctly in several scripts (e.g. Indic,
# Persian); every other invisible or control character is refused, notably the
# bidi overrides that can make a name display as something else.
_ALLOWED_FORMAT_CHARS = frozenset("\u200c\u200d")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def normalize_name(
    value: str, *, field: str, max_len: int = 100, required: bool = True
) -> str:
    """Tidy a person's name in any script without anglicising it.

    NFC so that visually equal names compare equal; inner whitespace collapsed
    so stray double spaces do not create near-duplicates.  Line breaks and
    other control characters inside the name are refused rather than
    collapsed: they mean a paste went wrong.
    """
    text = unicodedata.normalize("NFC", _text(value, field))
    if not text:
        if required:
            raise ValidationError(field, REQUIRED)
        return ""
    if any(
        unicodedata.category(ch) in _REFUSED_CATEGORIES and ch not in _ALLOWED_FORMAT_CHARS
        for ch in text
    ):
        raise ValidationError(field, "must not contain control characters")
    text = " ".join(text.split())
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        raise ValidationError(field, "must contain at least one letter")
    if len(text) > max_len:
        raise ValidationError(field, "must be at most {n} characters", n=max_len)
    return text


# --- free text ----------------------------------------------------------------------------

# Free text (an address, a note, a reason, a fault as the customer tells it) may be in any
# script and, where a form has room for it, on several lines; control characters are refused
# as in names (a paste gone wrong, or text that would print as something else): C0/C1
# controls but newline and tab, lone surrogates, line/paragraph separators, bidi overrides.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FREE_TEXT_REFUSED = frozenset({"Cc", "Cs", "Zl", "Zp"})


def normalize_free_text(value: object, *, field: str, max_len: int, multiline: bool = False,
                        required: bool = False) -> str:
    """Stripped NFC text of at most ``max_len`` characters, or ``ValidationError`` naming
    ``field``. ``multiline`` lets newlines (``\r\n`` kept as ``\n``) and tabs through."""
    text = _text(value, field)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if not text:
        if required:
            raise ValidationError(field, REQUIRED)
        return ""
    allowed = "\n\t" if multiline else ""
    if any((unicodedata.category(ch) in _FREE_TEXT_REFUSED or ch in _BIDI_CONTROLS) and ch not in allowed
           for ch in text):
        raise ValidationError(field, "must not contain control characters")
    if len(text) > max_len:
        raise ValidationError(field, "must be at most {n} characters", n=max_len)
    return text


# --- dates ----------------------------------------------------------------------------------

# The years a date typed at the counter can be in: wide enough for any birthday, booking or
# report, narrow enough that adding a day or a time zone never runs off the calendar
# (a year-9999 date used to end in OverflowError instead of an answer).
DATE_FIRST_YEAR = 1900
DATE_LAST_YEAR = 2200


def check_date(value: object, *, field: str) -> None:
    """``ValidationError`` naming ``field`` unless ``value`` is a date (or a datetime) between
    the years DATE_FIRST_YEAR and DATE_LAST_YEAR."""
    from datetime import date
    if not isinstance(value, date):
        raise ValidationError(field, "must be a date")
    if not DATE_FIRST_YEAR <= value.year <= DATE_LAST_YEAR:
        raise ValidationError(field, "must be a date between the years {first} and {last}",
                              first=DATE_FIRST_YEAR, last=DATE_LAST_YEAR)
