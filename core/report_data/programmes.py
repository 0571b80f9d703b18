"""The programme summaries for managers: loyalty (members, tiers, points in and out, the
top members) and trade-ins (quotes, acceptances, value by grade, family and payout).
Like the other manager reports, one function each, ``(session, actor, first, last) ->
frozen dataclass``; days are the store's local days."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core import audit
from core.models import Customer, LoyaltyAccount, LoyaltyEntry, PriceBook, TradeInModel, TradeInQuote
from core.permissions import Actor, Perm, require
from core.report_data._common import (
    Generated, StoreHeader, _check_span, _generated, _name, _store_header, _tz, _weeks, day_bounds,
)


# --- loyalty summary ----------------------------------------------------------------------

@dataclass(frozen=True)
class TopMember:
    member_number: str
    customer: str
    tier: str
    spend_cents: int
    points_earned: int


@dataclass(frozen=True)
class LoyaltyReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    members: int                   # enrolled by the end of the span
    active_members: int
    by_tier: tuple[tuple[str, int], ...]
    enrollments: int
    enrollments_by_week: tuple[tuple[date, int], ...]
    points_earned: int             # earn entries
    points_bonus: int
    points_redeemed: int           # as a positive number
    points_expired: int            # as a positive number
    points_adjusted: int
    spend_cents: int
    outstanding_points: int        # the sum of the ledger up to the end of the span
    top_members: tuple[TopMember, ...]


TIER_ORDER = ("platinum", "gold", "silver")


def loyalty_report(session: Session, actor: Actor, first: date, last: date,
                   now: datetime | None = None, top: int = 10) -> LoyaltyReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    la, le = LoyaltyAccount, LoyaltyEntry
    mine = or_(la.store_id == actor.store_id, la.store_id.is_(None))
    accounts = session.execute(select(la.id, la.tier, la.active, la.enrolled_at)
                               .where(mine, la.enrolled_at < end)).all()
    tiers = Counter(r[1] for r in accounts)
    by_tier = tuple((tier, tiers.get(tier, 0)) for tier in TIER_ORDER) + tuple(
        (k, v) for k, v in sorted(tiers.items()) if k not in TIER_ORDER)
    enrolled = [r[3] for r in accounts if r[3] >= start]
    tz = _tz(store)
    weeks = []
    for a, b in _weeks(first, last):
        lo, hi = day_bounds(tz, a, b)
        weeks.append((a, sum(1 for x in enrolled if lo <= x < hi)))
    sums = dict(session.execute(
        select(le.kind, func.sum(le.points)).join(la, la.id == le.account_id)
        .where(mine, le.at >= start, le.at < end).group_by(le.kind)).all())
    spend = int(session.scalar(select(func.coalesce(func.sum(le.spend_cents), 0)).join(la, la.id == le.account_id)
                               .where(mine, le.at >= start, le.at < end)) or 0)
    outstanding = int(session.scalar(select(func.coalesce(func.sum(le.points), 0)).join(la, la.id == le.account_id)
                                     .where(mine, le.at < end)) or 0)
    spend_q = (select(la.member_number, Customer.given_name, Customer.family_name, Customer.erased, la.tier,
                      func.sum(le.spend_cents).label("spend"),
                      func.sum(le.points).filter(le.kind == "earn").label("earned"))
               .join(la, la.id == le.account_id).join(Customer, Customer.id == la.customer_id)
               .where(mine, le.at >= start, le.at < end, le.spend_cents > 0)
               .group_by(la.id).order_by(func.sum(le.spend_cents).desc(), la.member_number).limit(top))
    tops = tuple(TopMember(r[0], _name(r[1], r[2], r[3]), r[4], int(r[5] or 0), int(r[6] or 0))
                 for r in session.execute(spend_q))
    audit.record(session, actor, "report.loyalty", "store", actor.store_id,
                 detail=f"{first.isoformat()}..{last.isoformat()}")
    return LoyaltyReportData(
        store, _generated(actor, now), first, last, members=len(accounts),
        active_members=sum(1 for r in accounts if r[2]), by_tier=by_tier, enrollments=len(enrolled),
        enrollments_by_week=tuple(weeks), points_earned=int(sums.get("earn", 0) or 0),
        points_bonus=int(sums.get("bonus", 0) or 0), points_redeemed=-int(sums.get("redeem", 0) or 0),
        points_expired=-int(sums.get("expire", 0) or 0), points_adjusted=int(sums.get("adjust", 0) or 0),
        spend_cents=spend, outstanding_points=outstanding, top_members=tops)


# --- trade-in summary -----------------------------------------------------------------------

@dataclass(frozen=True)
class CountValue:
    key: str
    count: int
    value_cents: int


@dataclass(frozen=True)
class TradeInReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    currency: str
    quotes: int                              # created in the span
    by_status: tuple[tuple[str, int], ...]   # of those, by their status now
    accepted: int                            # accepted_at in the span
    accepted_value_cents: int
    average_value_cents: int | None
    by_grade: tuple[CountValue, ...]         # accepted, by grade
    by_family: tuple[CountValue, ...]        # accepted, by model family
    by_payout: tuple[CountValue, ...]        # accepted, by payout
    price_books: tuple[str, ...]             # versions the span's quotes used


GRADE_ORDER = ("like_new", "good", "fair", "damaged", "unusable")
QUOTE_STATUSES = ("quoted", "accepted", "received", "declined", "expired", "requoted")


def tradein_report(session: Session, actor: Actor, first: date, last: date,
                   now: datetime | None = None) -> TradeInReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    q = TradeInQuote
    created = session.execute(select(q.status, PriceBook.version).join(PriceBook, PriceBook.id == q.price_book_id)
                              .where(q.store_id == actor.store_id, q.created_at >= start, q.created_at < end)).all()
    status_counts = Counter(r[0] for r in created)
    by_status = tuple((s, status_counts.get(s, 0)) for s in QUOTE_STATUSES) + tuple(
        (k, v) for k, v in sorted(status_counts.items()) if k not in QUOTE_STATUSES)
    accepted = session.execute(
        select(q.grade, q.value_cents, q.payout, TradeInModel.family)
        .join(TradeInModel, TradeInModel.id == q.model_id)
        .where(q.store_id == actor.store_id, q.accepted_at >= start, q.accepted_at < end)).all()

    def group(idx: Literal[0, 2, 3], order: tuple[str, ...] = ()) -> tuple[CountValue, ...]:
        c: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in accepted:
            c[r[idx] or ""][0] += 1
            c[r[idx] or ""][1] += r[1]
        keys = [k for k in order if k in c] + sorted(k for k in c if k not in order)
        return tuple(CountValue(k, c[k][0], c[k][1]) for k in keys)
    total = sum(r[1] for r in accepted)
    books = session.scalars(select(func.distinct(PriceBook.version)).join(q, q.price_book_id == PriceBook.id)
                            .where(q.store_id == actor.store_id,
                                   or_(and_(q.created_at >= start, q.created_at < end),
                                       and_(q.accepted_at >= start, q.accepted_at < end)))
                            .order_by(PriceBook.version)).all()
    return TradeInReportData(
        store, _generated(actor, now), first, last, store.currency, quotes=len(created), by_status=by_status,
        accepted=len(accepted), accepted_value_cents=total,
        average_value_cents=round(total / len(accepted)) if accepted else None,
        by_grade=group(0, GRADE_ORDER), by_family=tuple(sorted(group(3), key=lambda cv: (-cv.count, cv.key))),
        by_payout=group(2, ("purchase", "store_credit", "voucher")), price_books=tuple(books))
