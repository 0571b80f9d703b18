"""Every money rule in one place: what a ticket charges, its tax, the approval limit,
loyalty points for a spend and store credit at the redemption rate.

Pure functions over integer minor units (the currency's smallest unit: cents, fen,
yen) and ``Decimal`` where a rate is involved; nothing here reads the database, so the
bench, the approval step, the pickup, every printed document and the loyalty ledger
get the same figure from the same inputs.

Rules:

* A part line is charged ``unit price x quantity`` unless it is covered or was
  released (cancelled). A line without an explicit choice is covered when the
  warranty decision covers the repair.
* Labour is free when the decision is ``in_warranty`` or ``coverage``; it is charged
  when the decision is ``chargeable`` *and when there is no decision at all*: a ticket
  nobody judged covered is charged (the demo seed makes such tickets; every quote
  sets a decision).
* There are no discounts on a ticket: the model stores none.
* Tax is per store: a rate in percent, inclusive (prices already contain it; the tax
  is the part of the gross that is tax) or exclusive (added on top of the net).
  Rounding is ROUND_HALF_UP to the minor unit, once, on the tax of the whole ticket,
  so net + tax == gross always holds.
* A quote above the customer's approval limit (the gross, what they pay) waits for
  their answer; at or below it the repair goes ahead.
* Points: ``spend // unit x points per unit`` (whole units only, never rounded up);
  store credit is the number of points worth at most the value when redeemed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable

COVERED_DECISIONS = frozenset({"in_warranty", "coverage"})
VOID_STATUSES = frozenset({"cancelled", "unrepairable"})
MAX_TAX_RATE = Decimal(100)
TAX_RATE_PLACES = 4
_HUNDRED = Decimal(100)


def round_minor(value: Decimal) -> int:
    """To the minor unit, halves away from zero (as tills and tax offices round)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def covers(decision: str | None) -> bool:
    """Whether the warranty decision covers the repair; no decision covers nothing."""
    return decision in COVERED_DECISIONS


# --- tax -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TaxRule:
    rate: Decimal = Decimal(0)      # percent: 13 means 13 %
    inclusive: bool = True
    label: str = ""

    @classmethod
    def of(cls, store: object) -> "TaxRule":

        """The rule a store row (or anything with its tax fields) sets."""
        return cls(parse_rate(getattr(store, "tax_rate", None) or "0"), bool(getattr(store, "tax_inclusive", True)),
                   getattr(store, "tax_label", None) or "")

    @property
    def applies(self) -> bool:
        return self.rate > 0


def parse_rate(text: str | Decimal | int) -> Decimal:
    """A tax rate in percent; ValueError when it is not a number from 0 to 100 with at
    most four decimal places."""
    try:
        rate = Decimal(str(text).strip().rstrip("%").strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not rate.is_finite() or rate < 0 or rate >= MAX_TAX_RATE:
        raise ValueError("out of range")
    if rate != rate.quantize(Decimal(1).scaleb(-TAX_RATE_PLACES)):
        raise ValueError("too many decimals")
    return rate.normalize() if rate else Decimal(0)


def rate_text(rate: Decimal) -> str:
    """13 -> "13%", 8.875 -> "8.875%"."""
    return f"{rate.normalize():f}%"


@dataclass(frozen=True)
class TaxSplit:
    net_cents: int
    tax_cents: int
    gross_cents: int


def split_tax(amount_cents: int, tax: TaxRule) -> TaxSplit:
    """Net, tax and gross of an amount priced as the rule says (inclusive: the amount
    is the gross; exclusive: it is the net)."""
    if tax.inclusive:
        tax_cents = round_minor(Decimal(amount_cents) * tax.rate / (_HUNDRED + tax.rate))
        return TaxSplit(amount_cents - tax_cents, tax_cents, amount_cents)
    tax_cents = round_minor(Decimal(amount_cents) * tax.rate / _HUNDRED)
    return TaxSplit(amount_cents, tax_cents, amount_cents + tax_cents)


def default_tax(currency: str) -> TaxRule:
    """What a new store starts with: a Chinese store's prices include 13 % VAT; a US
    store adds sales tax at the rate its manager sets (none until then); elsewhere
    prices are taken as they are until a rate is set."""
    if currency == "CNY":
        return TaxRule(Decimal(13), True, "增值税/VAT")
    if currency == "USD":
        return TaxRule(Decimal(0), False, "Sales tax")
    return TaxRule(Decimal(0), True, "")


# --- a ticket ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    unit_cents: int
    quantity: int = 1
    covered: bool | None = None     # None: as the warranty decision says
    released: bool = False          # the part went back to stock: nothing to pay


@dataclass(frozen=True)
class Charge:
    unit_cents: int
    quantity: int
    covered: bool
    released: bool
    charged_cents: int


def line_covered(decision: str | None, covered: bool | None) -> bool:
    return covers(decision) if covered is None else covered


def charge(decision: str | None, line: Line) -> Charge:
    covered = line_covered(decision, line.covered)
    charged = 0 if covered or line.released else line.unit_cents * line.quantity
    return Charge(line.unit_cents, line.quantity, covered, line.released, charged)


def labour_charged(decision: str | None, labour_cents: int) -> int:
    return 0 if covers(decision) else labour_cents


@dataclass(frozen=True)
class Breakdown:
    """A ticket's money, as every screen and document shows it."""

    decision: str | None
    lines: tuple[Charge, ...]
    parts_cents: int              # charged parts
    labour_cents: int             # as quoted
    labour_charged_cents: int
    subtotal_cents: int           # charged parts + charged labour, at the prices entered
    net_cents: int
    tax_cents: int
    total_cents: int              # gross: what the customer pays
    amount_due_cents: int         # the total, or nothing for a cancelled or unrepairable ticket
    tax: TaxRule


def breakdown(decision: str | None, lines: Iterable[Line], labour_cents: int, tax: TaxRule = TaxRule(),
              status: str | None = None) -> Breakdown:
    charges = tuple(charge(decision, ln) for ln in lines)
    parts = sum(c.charged_cents for c in charges)
    labour = labour_charged(decision, labour_cents)
    split = split_tax(parts + labour, tax)
    due = 0 if status in VOID_STATUSES else split.gross_cents
    return Breakdown(decision, charges, parts, labour_cents, labour, parts + labour, split.net_cents,
                     split.tax_cents, split.gross_cents, due, tax)


def needs_approval(total_cents: int, approval_limit_cents: int) -> bool:
    return total_cents > approval_limit_cents


# --- loyalty ---------------------------------------------------------------------------------------

def points_for_spend(spend_cents: int, unit_cents: int, points_per_unit: int) -> int:
    return max(0, spend_cents) // max(1, unit_cents) * points_per_unit


def credit_points(value_cents: int, cents_per_point: int) -> int:
    """Store credit in points worth the value when redeemed; a remainder below one
    point's worth is not credited (the customer never gets more than the quote)."""
    return max(0, value_cents) // max(1, cents_per_point)


def points_value(points: int, cents_per_point: int) -> int:
    return points * cents_per_point

