"""What a sale from the chain's till or web shop must hold, and the keys it is matched to a
customer by (issue 23, "Sales in"). Pure rules: no session, no clock, no HQ.

A sale arrives as a JSON object (``POST /api/sales``) or as the rows of one receipt in a
CSV file (``orchard-hq import-sales``); :func:`parse_sale` reads either into a
:class:`SaleIn` or raises :class:`core.errors.ValidationError` naming the field (a line's
field as ``lines[i].name``, ``i`` counted from 0), never repeating the value.

- ``receipt_id``: 1..64 printable characters, the till's own id: one receipt is one sale,
  whatever number of times it is sent.
- ``store``: the store's code (2..8 letters or digits); ``at``: ISO 8601 with its UTC offset
  (the till's local time; the day in that offset is the sale's day); ``currency``: 3 letters.
- ``lines``: 1..200, each ``sku``, ``description``, ``qty`` (a whole number, not 0) and
  ``amount_cents`` (the line's total); ``total_cents`` is their sum.
- A refund is a sale whose total is negative, every line 0 or less; it may name the receipt
  it refunds (``refund_of``). A sale's total is 0 or more (a discount line may be negative).
- Match keys as given, normalised: the member number without spaces or dashes in upper case,
  the phone number as E.164 in the store's region, the e-mail address stripped and in lower
  case. They are matched in that order (:data:`MATCH_ORDER`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

from core.errors import ValidationError
from core.loyalty.rules import CARD_PREFIX
from core.validation import normalize_email, normalize_free_text, normalize_phone

MAX_RECEIPT = 64
MAX_LINES = 200
MAX_SKU = 40
MAX_DESCRIPTION = 200
MAX_MEMBER = 40
MAX_QTY = 100_000
MAX_CENTS = 10 ** 12                 # ten billion in major units: far above any receipt
FIRST_YEAR, LAST_YEAR = 2000, 2199
KINDS = ("sale", "refund")
MATCH_ORDER = ("member", "phone", "email")
# how far after HQ's clock a sale may be stamped (a till whose clock runs a little fast)
FUTURE_SLACK = timedelta(days=1)
# Purchase ids HQ writes follow from the receipt (:func:`purchase_id`): the same receipt is
# always the same row, at HQ and in every store
SALE_NS = uuid.UUID("3e0b6f5c-9a1d-4c27-b8e4-52f1d0a7c936")

_STORE_CODE = re.compile(r"[A-Z0-9]{2,8}", re.ASCII)
_CURRENCY = re.compile(r"[A-Z]{3}", re.ASCII)
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_MEMBER = re.compile(r"[A-Z0-9]{1,40}", re.ASCII)
_MEMBER_SEPARATORS = re.compile(r"[\s\-]")

# a caller reading many sales (a file) may keep what each key normalised to, or why it was
# refused, for a while: phonenumbers and email-validator take a tenth of a millisecond each
Memo = dict[tuple[str, str, str], "str | tuple[str, tuple[tuple[str, Any], ...]]"]


@dataclass(frozen=True)
class LineIn:
    """One line of a receipt: ``amount_cents`` is the line's total (negative on a refund)."""

    sku: str
    description: str
    qty: int
    amount_cents: int

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "description": self.description, "qty": self.qty,
                "amount_cents": self.amount_cents}


@dataclass(frozen=True)
class SaleIn:
    """A checked sale. ``at`` keeps the offset it was given in (its day is the sale's day);
    the keys are normalised (None when not given)."""

    receipt_id: str
    store: str
    at: datetime
    currency: str
    total_cents: int
    lines: tuple[LineIn, ...]
    refund_of: str | None = None
    member_no: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def kind(self) -> str:
        return "refund" if self.total_cents < 0 else "sale"

    def keys(self) -> tuple[tuple[str, str], ...]:
        """The match keys given, in the order they are tried (:data:`MATCH_ORDER`)."""
        given = (("member", self.member_no), ("phone", self.phone), ("email", self.email))
        return tuple((kind, value) for kind, value in given if value)

    def key_kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.keys())

    def description(self) -> str:
        """What a store's purchase list shows: the first line's description, with how many
        more lines there are ("iPhone 16 and 2 more"), at most 200 characters."""
        first = self.lines[0].description
        more = len(self.lines) - 1
        if not more:
            return first[:MAX_DESCRIPTION]
        suffix = f" and {more} more"
        return first[:MAX_DESCRIPTION - len(suffix)] + suffix

    def as_dict(self) -> dict[str, Any]:
        """The sale as the API takes it (``parse_sale(sale.as_dict()) == sale``)."""
        return {"receipt_id": self.receipt_id, "store": self.store, "at": self.at.isoformat(),
                "currency": self.currency, "total_cents": self.total_cents,
                "lines": [ln.as_json() for ln in self.lines], "refund_of": self.refund_of,
                "member_no": self.member_no, "phone": self.phone, "email": self.email}


def purchase_id(receipt_id: str) -> uuid.UUID:
    """The id of the purchase row a receipt becomes (the same at HQ and every store)."""
    return uuid.uuid5(SALE_NS, receipt_id)


# --- the keys ----------------------------------------------------------------------------------

def normalise_member(value: object, *, field: str = "member_no") -> str | None:
    """A member number as typed or scanned: without spaces or dashes, upper case (a card's QR
    payload ``ORCHARD:M:<number>`` too); None when blank."""
    text = _optional_text(value, field)
    if text is None:
        return None
    text = text.upper()
    if text.startswith(CARD_PREFIX):
        text = text[len(CARD_PREFIX):]
    text = _MEMBER_SEPARATORS.sub("", text)
    if not _MEMBER.fullmatch(text):
        raise ValidationError(field, "is not a member number")
    return text


def normalise_phone(value: object, *, region: str, field: str = "phone", memo: Memo | None = None) -> str | None:
    """E.164 in the store's ``region`` (:func:`core.validation.normalize_phone`); None when blank."""
    text = _optional_text(value, field)
    if text is None:
        return None
    return _remembered(memo, ("phone", region, text), field,
                       lambda: normalize_phone(text, field=field, region=region))


def normalise_email(value: object, *, field: str = "email", memo: Memo | None = None) -> str | None:
    """Checked, stripped and in lower case; None when blank."""
    text = _optional_text(value, field)
    if text is None:
        return None
    return _remembered(memo, ("email", "", text), field, lambda: normalize_email(text, field=field).lower())


def _remembered(memo: Memo | None, key: tuple[str, str, str], field: str, work: Callable[[], str]) -> str:
    if memo is None:
        return work()
    known = memo.get(key)
    if known is None:
        try:
            known = work()
        except ValidationError as exc:
            known = (exc.template, tuple(exc.params.items()))
        memo[key] = known
    if isinstance(known, tuple):
        raise ValidationError(field, known[0], **dict(known[1]))
    return known


# --- the sale ----------------------------------------------------------------------------------

def parse_sale(data: Mapping[str, Any], *, region: str = "US", now: datetime | None = None,
               memo: Memo | None = None) -> SaleIn:
    """Read and check one sale (see the module's docstring). ``region``: the store's country
    for phone numbers given without ``+``; ``now``: refuse a sale stamped more than a day
    after it; ``memo``: keys normalised before (:data:`Memo`). The first problem found is
    raised, naming its field."""
    if not isinstance(data, Mapping):
        raise ValidationError("sale", "must be an object")
    receipt_id = _receipt(data.get("receipt_id"), "receipt_id")
    store = _code(data.get("store"))
    at = _moment(data.get("at"), now)
    currency = _currency(data.get("currency"))
    total = _whole(data.get("total_cents"), "total_cents", MAX_CENTS)
    lines = _lines(data.get("lines"))
    if sum(ln.amount_cents for ln in lines) != total:
        raise ValidationError("total_cents", "is not the sum of the lines")
    refund_of_raw = data.get("refund_of")
    refund_of = None if refund_of_raw in (None, "") else _receipt(refund_of_raw, "refund_of")
    kind = data.get("kind")
    if kind not in (None, "") and kind not in KINDS:
        raise ValidationError("kind", "must be sale or refund")
    if total < 0:
        if kind == "sale":
            raise ValidationError("kind", "a sale's total must not be negative")
        bad = next((i for i, ln in enumerate(lines) if ln.amount_cents > 0), None)
        if bad is not None:
            raise ValidationError(f"lines[{bad}].amount_cents", "must not be positive on a refund")
        if refund_of == receipt_id:
            raise ValidationError("refund_of", "must name another receipt")
    else:
        if kind == "refund":
            raise ValidationError("total_cents", "must be negative on a refund")
        if refund_of is not None:
            raise ValidationError("refund_of", "only a refund names the receipt it refunds")
    return SaleIn(receipt_id, store, at, currency, total, lines, refund_of,
                  normalise_member(data.get("member_no")),
                  normalise_phone(data.get("phone"), region=region, memo=memo),
                  normalise_email(data.get("email"), memo=memo))


def line_field(field: str) -> tuple[int, str] | None:
    """``lines[3].qty`` -> ``(3, "qty")``; None for a field of the sale itself."""
    m = re.fullmatch(r"lines\[(\d+)\]\.(\w+)", field)
    return (int(m.group(1)), m.group(2)) if m else None


def _optional_text(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    return value.strip() or None


def _receipt(value: object, field: str) -> str:
    if value is None or value == "":
        raise ValidationError(field, "is required")
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    if len(value) > MAX_RECEIPT:
        raise ValidationError(field, "must be at most {n} characters", n=MAX_RECEIPT)
    if not value.isprintable() or value != value.strip():
        raise ValidationError(field, "must be printable characters without spaces around them")
    return value


def _code(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("store", "is required")
    code = value.strip().upper()
    if not _STORE_CODE.fullmatch(code):
        raise ValidationError("store", "must be a store code of 2 to 8 letters or digits")
    return code


def _moment(value: object, now: datetime | None) -> datetime:
    if isinstance(value, datetime):
        at = value
    elif isinstance(value, str) and value.strip():
        try:
            at = datetime.fromisoformat(value.strip()[:40])
        except ValueError:
            raise ValidationError("at", "must be an ISO 8601 date and time") from None
    elif value is None or value == "":
        raise ValidationError("at", "is required")
    else:
        raise ValidationError("at", "must be an ISO 8601 date and time")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError("at", "must carry its UTC offset")
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        raise ValidationError("at", "must be between the years {first} and {last}", first=FIRST_YEAR,
                              last=LAST_YEAR)
    if now is not None and at > now + FUTURE_SLACK:
        raise ValidationError("at", "is in the future")
    return at


def _currency(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("currency", "is required")
    code = value.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise ValidationError("currency", "must be a 3-letter currency code")
    return code


def _whole(value: object, field: str, limit: int) -> int:
    """A whole number (a JSON integer, or its digits as text: a CSV cell) of at most ``limit``
    either way."""
    if isinstance(value, bool):
        raise ValidationError(field, "must be a whole number")
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        if value is None or value == "":
            raise ValidationError(field, "is required")
        raise ValidationError(field, "must be a whole number")
    if abs(value) > limit:
        raise ValidationError(field, "is out of range")
    return value


def _lines(value: object) -> tuple[LineIn, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValidationError("lines", "a sale needs at least one line")
    if len(value) > MAX_LINES:
        raise ValidationError("lines", "a sale has at most {n} lines", n=MAX_LINES)
    return tuple(_line(raw, i) for i, raw in enumerate(value))


def _free_text(value: object, field: str, max_len: int) -> str:
    """:func:`core.validation.normalize_free_text`, required; printable ASCII (most SKUs and
    descriptions) is taken as it is, stripped: it has nothing that rule would change or refuse."""
    if isinstance(value, str) and value.isascii() and value.isprintable():
        text = value.strip()
        if text and len(text) <= max_len:
            return text
    return normalize_free_text(value, field=field, max_len=max_len, required=True)


def _line(raw: object, i: int) -> LineIn:
    name = f"lines[{i}]"
    if not isinstance(raw, Mapping):
        raise ValidationError(name, "must be an object")
    sku = _free_text(raw.get("sku"), f"{name}.sku", MAX_SKU)
    description = _free_text(raw.get("description"), f"{name}.description", MAX_DESCRIPTION)
    qty = _whole(raw.get("qty"), f"{name}.qty", MAX_QTY)
    if qty == 0:
        raise ValidationError(f"{name}.qty", "must not be 0")
    amount = _whole(raw.get("amount_cents"), f"{name}.amount_cents", MAX_CENTS)
    return LineIn(sku, description, qty, amount)


__all__ = ["FIRST_YEAR", "KINDS", "LAST_YEAR", "MATCH_ORDER", "MAX_LINES", "MAX_RECEIPT", "SALE_NS", "LineIn", "Memo",
           "SaleIn", "line_field", "normalise_email", "normalise_member", "normalise_phone", "parse_sale",
           "purchase_id"]
