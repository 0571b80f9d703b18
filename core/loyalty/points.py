"""Moving points: earning for a collected repair or a purchase, the trade-in and birthday
bonuses, redeeming and a manager's adjustment.  Each is one ledger entry posted through
``core.loyalty.entries``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import formatting
from core.errors import Conflict, ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.loyalty.entries import LedgerResult, _account, _balance, _begin, _now, _post, _rules_in_force, _tz
from core.loyalty.rules import EARN_BEFORE_ENROLMENT, EARN_REFS, _points_for, fact_id
from core.models import Customer, LoyaltyAccount, LoyaltyEntry, Purchase, RepairTicket, TradeInQuote
from core.permissions import Actor, Perm, require
from core.repairs import ticket_amounts
from core.validation import normalize_free_text


@dataclass(frozen=True)
class EarnOption:
    """Something the member can earn points for and has not yet."""

    ref_type: str                      # ticket, purchase
    ref_id: uuid.UUID
    label: str                         # ticket number or what was bought
    at: datetime
    spend_cents: int
    points: int


def _spend_of(session: Session, cust: Customer, ref_type: str, ref_id: uuid.UUID) -> tuple[int, str]:
    if ref_type == "ticket":
        t = get_or_not_found(session, RepairTicket, ref_id, "ticket")
        if t.customer_id != cust.id:
            raise ValidationError("ref_id", "belongs to another customer")
        if t.status != "collected":
            raise Conflict("points are earned when the repair is collected")
        return ticket_amounts(session, t).amount_due_cents, t.number
    if ref_type == "purchase":
        p = get_or_not_found(session, Purchase, ref_id, "purchase")
        if p.customer_id != cust.id:
            raise ValidationError("ref_id", "belongs to another customer")
        return int(p.total_cents), p.description
    raise ValidationError("ref_type", "is not something that earns points")


def earnable(session: Session, actor: Actor, account_id: uuid.UUID) -> list[EarnOption]:
    """Collected repairs and purchases since enrolment (or the day before it) that have not
    earned points yet."""
    require(actor, Perm.MANAGE_LOYALTY)
    acct, cust = _account(session, account_id)
    rules = _rules_in_force(session)
    done = set(session.scalars(select(LoyaltyEntry.ref_id).where(
        LoyaltyEntry.account_id == acct.id, LoyaltyEntry.kind == "earn")))
    out = []
    for t in session.scalars(select(RepairTicket).where(
            RepairTicket.customer_id == cust.id, RepairTicket.status == "collected",
            RepairTicket.collected_at >= acct.enrolled_at - EARN_BEFORE_ENROLMENT)):
        spend = ticket_amounts(session, t).amount_due_cents
        if t.id not in done and spend > 0:
            # the query's ``collected_at >=`` leaves out tickets never collected
            out.append(EarnOption("ticket", t.id, t.number, cast(datetime, t.collected_at), spend,
                                  _points_for(rules, "ticket", spend)))
    for p in session.scalars(select(Purchase).where(Purchase.customer_id == cust.id,
                                                    Purchase.at >= acct.enrolled_at - EARN_BEFORE_ENROLMENT)):
        if p.id not in done and p.total_cents > 0:
            out.append(EarnOption("purchase", p.id, p.description, p.at, p.total_cents,
                                  _points_for(rules, "purchase", p.total_cents)))
    out.sort(key=lambda o: o.at, reverse=True)
    return out


def earn(session: Session, actor: Actor, account_id: uuid.UUID, *, ref_type: str, ref_id: uuid.UUID,
         now: datetime | None = None) -> LedgerResult:
    """Points for a collected repair or a purchase, once per reference, at the rules' rate;
    the spend counts toward the tier (an upgrade applies at once)."""
    require(actor, Perm.MANAGE_LOYALTY)
    return _earn(session, actor, account_id, ref_type=ref_type, ref_id=ref_id, now=now)


def _earn(session: Session, actor: Actor, account_id: uuid.UUID, *, ref_type: str, ref_id: uuid.UUID,
          now: datetime | None) -> LedgerResult:
    if ref_type not in EARN_REFS:
        raise ValidationError("ref_type", "is not something that earns points")
    acct, cust, rules, now, previous = _begin(session, actor, account_id, now)
    entry_id = fact_id("earn", ref_type, ref_id)
    if session.get(LoyaltyEntry, entry_id) is not None or session.scalar(select(LoyaltyEntry.id).where(
            LoyaltyEntry.kind == "earn", LoyaltyEntry.ref_type == ref_type, LoyaltyEntry.ref_id == ref_id)):
        raise Conflict("points were already earned for this")
    spend, label = _spend_of(session, cust, ref_type, ref_id)
    points = _points_for(rules, ref_type, spend)
    if points <= 0:
        raise ValidationError("ref_id", "earns no points")
    reason = f"Repair {label}" if ref_type == "ticket" else label
    return _post(session, actor, acct, rules, now, kind="earn", points=points, reason=reason, ref_type=ref_type,
                 ref_id=ref_id, spend_cents=spend, entry_id=entry_id, previous_tier=previous)


def earn_for_ticket(session: Session, actor: Actor, ticket_id: uuid.UUID,
                    now: datetime | None = None) -> LedgerResult | None:
    """For the bench at pickup: the ticket's customer earns on the amount paid if a member;
    None otherwise. Whoever hands the device back may post it (a technician too): the
    earn follows from the pickup, it is not a loyalty decision."""
    require(actor, Perm.WORK_TICKETS)
    t = get_or_not_found(session, RepairTicket, ticket_id, "ticket")
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == t.customer_id)).first() \
        if t.customer_id else None
    if acct is None or not acct.active:
        return None
    if _points_for(_rules_in_force(session, now=_now(now)), "ticket", ticket_amounts(session, t).amount_due_cents) <= 0:
        return None         # nothing due, or less than one point's worth: the pickup goes ahead all the same
    return _earn(session, actor, acct.id, ref_type="ticket", ref_id=t.id, now=now)


def tradein_bonus(session: Session, actor: Actor, account_id: uuid.UUID, quote_id: uuid.UUID,
                  now: datetime | None = None) -> LedgerResult:
    """The trade-in bonus, once per accepted (or received) quote of this customer (a
    manager giving it by hand; accepting a trade-in gives it by itself)."""
    require(actor, Perm.MANAGE_LOYALTY)
    return grant_tradein_bonus(session, actor, account_id, quote_id, now)


def grant_tradein_bonus(session: Session, actor: Actor, account_id: uuid.UUID, quote_id: uuid.UUID,
                        now: datetime | None = None) -> LedgerResult:
    """For :func:`core.tradein.accept_quote`: whoever takes trade-ins gives the bonus with
    them. The entry's id comes from the quote: given once, at whichever store."""
    require(actor, Perm.TAKE_TRADE_INS)
    acct, cust, rules, now, previous = _begin(session, actor, account_id, now)
    q = get_or_not_found(session, TradeInQuote, quote_id, "trade-in quote")
    if q.customer_id != cust.id:
        raise ValidationError("ref_id", "belongs to another customer")
    if q.status not in ("accepted", "received"):
        raise Conflict("the bonus is given when the trade-in is accepted")
    if not rules.tradein_bonus:
        raise Conflict("the programme gives no bonus for this")
    entry_id = fact_id("tradein", q.id)
    if session.get(LoyaltyEntry, entry_id) is not None:
        raise Conflict("the bonus was already given")
    return _post(session, actor, acct, rules, now, kind="bonus", points=rules.tradein_bonus,
                 reason="Trade-in bonus", ref_type="tradein", ref_id=q.id, entry_id=entry_id,
                 previous_tier=previous)


def birthday_bonus(session: Session, actor: Actor, account_id: uuid.UUID,
                   now: datetime | None = None) -> LedgerResult:
    """The birthday bonus, in the birthday month (store time), once a year."""
    require(actor, Perm.MANAGE_LOYALTY)
    acct, cust, rules, now, previous = _begin(session, actor, account_id, now)
    if not rules.birthday_bonus:
        raise Conflict("the programme gives no bonus for this")
    local = now.astimezone(_tz(session, acct.store_id)).date()
    if cust.birth_date is None or cust.birth_date.month != local.month:
        raise Conflict("the birthday bonus is given in the birthday month")
    entry_id = fact_id("birthday", acct.id, local.year)
    if session.get(LoyaltyEntry, entry_id) is not None:
        raise Conflict("the bonus was already given")
    return _post(session, actor, acct, rules, now, kind="bonus", points=rules.birthday_bonus,
                 reason=f"Birthday bonus {local.year}", ref_type="birthday", entry_id=entry_id,
                 previous_tier=previous)


# the most one redemption or adjustment may move, either way: far above any real balance,
# far below what the ledger's 64-bit column holds (10**30 used to end in OverflowError)
MAX_POINTS_AT_ONCE = 1_000_000


def _whole_points(value: Any, field: str = "points") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "must be a whole number")
    if abs(value) > MAX_POINTS_AT_ONCE:
        raise ValidationError(field, "must be at most {n} points at a time", n=MAX_POINTS_AT_ONCE)
    return value


def redeem(session: Session, actor: Actor, account_id: uuid.UUID, points: int, *, reason: str = "",
           ref_type: str | None = None, ref_id: uuid.UUID | None = None,
           now: datetime | None = None) -> LedgerResult:
    """Spend points (a voucher, money off a repair). Never more than the balance."""
    require(actor, Perm.MANAGE_LOYALTY)
    points = _whole_points(points)
    acct, _, rules, now, previous = _begin(session, actor, account_id, now)
    if points < rules.redeem_min:
        raise ValidationError("points", "must be at least {n}", n=rules.redeem_min)
    if points % rules.redeem_step:
        raise ValidationError("points", "must be a multiple of {n}", n=rules.redeem_step)
    if points > _balance(session, acct.id):
        raise ValidationError("points", "is more than the member's balance")
    reason = normalize_free_text(reason, field="reason", max_len=200)
    value = points * rules.cents_per_point
    reason = reason or f"Redeemed {points} points ({formatting.major_units(value, rules.currency)} {rules.currency})"
    return _post(session, actor, acct, rules, now, kind="redeem", points=-points, reason=reason,
                 ref_type=ref_type, ref_id=ref_id, previous_tier=previous)


def adjust(session: Session, actor: Actor, account_id: uuid.UUID, points: int, *, reason: str,
           now: datetime | None = None) -> LedgerResult:
    """A manager's correction (goodwill, a mistake, settling a negative balance after sync):
    a reason is required, and it is audited. It may not take a balance below zero."""
    require(actor, Perm.ADJUST_LOYALTY)
    errors = []
    try:
        points = _whole_points(points)
        if points == 0:
            errors.append(ValidationError("points", "must not be zero"))
    except ValidationError as e:
        errors.append(e)
    try:
        reason = normalize_free_text(reason, field="reason", max_len=200)
        if not reason:
            errors.append(ValidationError("reason", "give the reason for the adjustment"))
    except ValidationError as e:
        errors.append(e)
    if errors:
        raise ValidationErrors(errors)
    acct, _, rules, now, previous = _begin(session, actor, account_id, now)
    bal = _balance(session, acct.id)
    if points < 0 and bal + points < 0:
        raise ValidationError("points", "is more than the member's balance")
    return _post(session, actor, acct, rules, now, kind="adjust", points=points, reason=reason,
                 previous_tier=previous)
