"""What the screens get of a member: the member view (balance, expiring points, tier and
what it takes to the next), the ledger with running balances, the member list and card
lookup, balances after sync (a negative one needs a manager) and the member card."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import ValidationError
from core.folding import fold, storable
from core.loyalty.entries import (
    EntryRow, _account, _entry_row, _line, _lines, _now, _ref_labels, _rules_in_force, _tz,
)
from core.loyalty.rules import (
    Benefits, Rules, _order, card_payload, due_expiries, expiring, ledger_state, next_period_start,
    parse_card_code, rolling_spend, tier_at, tier_for_spend,
)
from core.models import Customer, LoyaltyAccount, LoyaltyEntry, Staff, Store
from core.permissions import Actor, Perm, require


@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    member_number: str
    customer: str
    tier: str
    balance: int
    enrolled_at: datetime


@dataclass(frozen=True)
class MemberView:
    id: uuid.UUID
    customer_id: uuid.UUID
    member_number: str
    display_name: str
    active: bool
    enrolled_at: datetime
    terms_version: str
    balance: int                       # sum of the ledger
    negative: bool                     # below zero: two stores spent the same points offline
    overdue_points: int                # past their expiry but not yet written off (next write does)
    expiring_points: int               # the next lot(s) to expire ...
    expiring_at: datetime | None       # ... and when
    tier: str                          # by the rules, now
    benefits: Benefits
    rolling_spend_cents: int           # spend in the rolling window up to now
    next_tier: str | None              # the next tier up, if any
    spend_to_next_cents: int           # spend still needed for it (0 at the top)
    review_at: datetime                # end of the current tier period
    tier_after_review: str             # the tier then, if nothing more is spent
    cents_per_point: int
    redeem_min: int
    redeem_step: int
    rules_version: str


def _view(session: Session, acct: LoyaltyAccount, cust: Customer, rules: Rules, now: datetime) -> MemberView:
    lines = _lines(session, acct.id)
    tz = _tz(session, acct.store_id)
    state = ledger_state(lines)
    overdue = sum(lot.remaining for lot in due_expiries(state, now))
    soon, soon_at = expiring(state, now)
    tier = tier_at(lines, rules, now, tz)
    spend = rolling_spend([ln for ln in lines if ln.at <= now], now, rules.window_days)
    rank = [t.code for t in rules.tiers].index(tier)
    nxt = rules.tiers[rank - 1] if rank > 0 else None
    review = next_period_start(now, rules.review_months, tz)
    after = tier_for_spend(rules, rolling_spend([ln for ln in lines if ln.at <= now], review, rules.window_days))
    return MemberView(
        acct.id, cust.id, acct.member_number, cust.display_name, acct.active, acct.enrolled_at, acct.terms_version,
        state.balance, state.balance < 0, overdue, soon, soon_at, tier, rules.tier(tier).benefits, spend,
        nxt.code if nxt else None, max(0, nxt.min_spend_cents - spend) if nxt else 0, review, after,
        rules.cents_per_point, rules.redeem_min, rules.redeem_step, rules.version)


def member(session: Session, actor: Actor, account_id: uuid.UUID, now: datetime | None = None) -> MemberView:
    require(actor, Perm.VIEW_CUSTOMERS)
    acct, cust = _account(session, account_id)
    audit.record(session, actor, "loyalty.view", "loyalty_account", acct.id)
    return _view(session, acct, cust, _rules_in_force(session, now=_now(now)), _now(now))


def member_for_customer(session: Session, actor: Actor, customer_id: uuid.UUID,
                        now: datetime | None = None) -> MemberView | None:
    """The customer's membership, for the profile; None when not a member."""
    require(actor, Perm.VIEW_CUSTOMERS)
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id)).first()
    if acct is None:
        return None
    return member(session, actor, acct.id, now)


def tier_benefits(session: Session, actor: Actor, customer_id: uuid.UUID,
                  now: datetime | None = None) -> Benefits:
    """What the customer's tier gives at the bench or the calendar (no benefits for non-members)."""
    require(actor, Perm.VIEW_CUSTOMERS)
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id)).first()
    if acct is None or not acct.active:
        return Benefits()
    rules = _rules_in_force(session, now=_now(now))
    return rules.tier(tier_at(_lines(session, acct.id), rules, _now(now), _tz(session, acct.store_id))).benefits


def find_by_member_number(session: Session, actor: Actor, code: str,
                          now: datetime | None = None) -> MemberView | None:
    """The member a scanned card (or a typed number) belongs to; None if nobody has it.
    A code that is not a member number at all is a ``ValidationError`` on "code"."""
    require(actor, Perm.VIEW_CUSTOMERS)
    number = parse_card_code(code)
    if number is None:
        raise ValidationError("code", "is not a member number")
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.member_number == number)).first()
    if acct is None:
        return None
    cust = session.get(Customer, acct.customer_id)
    if cust is None or cust.erased:
        return None
    audit.record(session, actor, "loyalty.view", "loyalty_account", acct.id, detail="card")
    return _view(session, acct, cust, _rules_in_force(session, now=_now(now)), _now(now))


def ledger(session: Session, actor: Actor, account_id: uuid.UUID, limit: int = 500) -> list[EntryRow]:
    """The member's entries, newest first, each with the balance after it."""
    require(actor, Perm.VIEW_CUSTOMERS)
    acct, _ = _account(session, account_id)
    entries = list(session.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == acct.id)))
    entries.sort(key=lambda e: _order(_line(e)))
    labels = _ref_labels(session, entries)
    stores = dict(session.execute(select(Store.id, Store.code)).all())
    staff_ids = {e.staff_id for e in entries if e.staff_id}
    staff = dict(session.execute(select(Staff.id, Staff.display_name).where(Staff.id.in_(staff_ids)))
                 .all()) if staff_ids else {}
    rows, running = [], 0
    for e in entries:
        running += e.points
        rows.append(_entry_row(e, labels, stores, staff, running))
    rows.reverse()
    return rows[:limit]


def list_members(session: Session, actor: Actor, limit: int = 500, text: str = "") -> list[MemberRow]:
    """Members, newest first; ``text`` narrows to a member number (or a scanned card) or a
    name. The tier shown is the cached one (every write here refreshes it)."""
    require(actor, Perm.MANAGE_LOYALTY)
    text = (text or "").strip()
    if not storable(text):
        return []            # a lone surrogate or NUL: nothing can match it
    # summed per listed member (index on account_id), not over the whole ledger
    pts = (select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
           .where(LoyaltyEntry.account_id == LoyaltyAccount.id).scalar_subquery())
    q = (select(LoyaltyAccount, Customer, pts)
         .join(Customer, Customer.id == LoyaltyAccount.customer_id)
         .where(Customer.erased.is_(False)))
    if text:
        number = parse_card_code(text)
        if number is not None:
            q = q.where(LoyaltyAccount.member_number == number)
        elif text.isdigit():
            q = q.where(LoyaltyAccount.member_number.like(f"%{text}%"))
        else:
            like = f"%{fold(text)}%"       # names folded as the lookup folds them (core.folding)
            q = q.where(or_(func.orchard_fold(Customer.given_name + " " + Customer.family_name).like(like),
                            func.orchard_fold(Customer.family_name + Customer.given_name).like(like),
                            func.replace(Customer.name_pinyin, " ", "").like(like.replace(" ", ""))))
    q = q.order_by(LoyaltyAccount.enrolled_at.desc()).limit(limit)
    return [MemberRow(a.id, a.member_number, c.display_name, a.tier, int(pts), a.enrolled_at)
            for a, c, pts in session.execute(q)]


@dataclass(frozen=True)
class BalanceStatus:
    account_id: uuid.UUID
    balance: int
    negative: bool               # two stores spent the same points offline: needs a manager
    deficit: int                 # points spent that no lot covered
    overdue_points: int


def balance_status(session: Session, actor: Actor, account_id: uuid.UUID,
                   now: datetime | None = None) -> BalanceStatus:
    require(actor, Perm.VIEW_CUSTOMERS)
    acct, _ = _account(session, account_id)
    state = ledger_state(_lines(session, acct.id))
    overdue = sum(lot.remaining for lot in due_expiries(state, _now(now)))
    return BalanceStatus(acct.id, state.balance, state.balance < 0, state.deficit, overdue)


def flag_negative_balances(session: Session, actor: Actor) -> list[MemberRow]:
    """Members whose merged ledger sums below zero: kept as they are (no entry is dropped),
    listed so a manager can settle each with an adjustment."""
    require(actor, Perm.MANAGE_LOYALTY)
    sums = (select(LoyaltyEntry.account_id, func.sum(LoyaltyEntry.points).label("pts"))
            .group_by(LoyaltyEntry.account_id).having(func.sum(LoyaltyEntry.points) < 0).subquery())
    q = (select(LoyaltyAccount, Customer, sums.c.pts)
         .join(sums, sums.c.account_id == LoyaltyAccount.id)
         .join(Customer, Customer.id == LoyaltyAccount.customer_id)
         .where(Customer.erased.is_(False)).order_by(sums.c.pts))
    return [MemberRow(a.id, a.member_number, c.display_name, a.tier, int(pts), a.enrolled_at)
            for a, c, pts in session.execute(q)]


@dataclass(frozen=True)
class MemberCard:
    """Everything a printed or shown member card needs (the PDF is the reports' job)."""

    member_number: str
    member_number_grouped: str         # 8800 1234 5678 2, as printed under the barcode
    display_name: str
    tier: str
    member_since: date                 # store-local date
    programme: dict[str, str]          # language -> programme name
    store_code: str
    store_name: str
    qr_payload: str                    # ORCHARD:M:<number>
    barcode_value: str                 # Code 128 of the bare number
    terms_version: str


def member_card_data(session: Session, actor: Actor, account_id: uuid.UUID,
                     now: datetime | None = None) -> MemberCard:
    require(actor, Perm.MANAGE_LOYALTY)
    acct, cust = _account(session, account_id)
    rules = _rules_in_force(session, now=_now(now))
    store = session.get(Store, acct.store_id) if acct.store_id else session.get(Store, actor.store_id)
    tz = _tz(session, store.id if store else None)
    n = acct.member_number
    grouped = " ".join([n[:4], n[4:8], n[8:12], n[12:]])
    audit.record(session, actor, "loyalty.card", "loyalty_account", acct.id)
    return MemberCard(n, grouped, cust.display_name, tier_at(_lines(session, acct.id), rules, _now(now), tz),
                      acct.enrolled_at.astimezone(tz).date(), rules.programme, store.code if store else "",
                      store.name if store else "", card_payload(n), n, acct.terms_version)
