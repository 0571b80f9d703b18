"""The daily run and opening a member at the counter: points past their date written off,
cached tiers brought to what the rules give now (where downgrades take effect at the end
of a period)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import audit
from core.loyalty.entries import _account, _now, _refresh_tier, _rules_in_force, _tz, _write_expiries
from core.loyalty.members import MemberView, _view
from core.loyalty.rules import period_start
from core.messages import events as message_events
from core.models import LoyaltyAccount, LoyaltyEntry, Store
from core.permissions import Actor, Perm, require


def expire_due(session: Session, actor: Actor, account_id: uuid.UUID, now: datetime | None = None) -> int:
    """Write off the points whose time has come (what is left of each lot); returns them."""
    require(actor, Perm.MANAGE_LOYALTY)
    acct, _ = _account(session, account_id)
    return _write_expiries(session, actor, acct, _now(now))


def refresh_member(session: Session, actor: Actor, account_id: uuid.UUID, now: datetime | None = None) -> MemberView:
    """Open a member at the counter: due expiries written, the cached tier brought up to
    date, then the member as ``member`` gives it."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    acct, cust = _account(session, account_id)
    rules = _rules_in_force(session, now=now)
    _write_expiries(session, actor, acct, now)
    _refresh_tier(session, acct, rules, now)
    audit.record(session, actor, "loyalty.view", "loyalty_account", acct.id)
    return _view(session, acct, cust, rules, now)


def expire_all_due(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """The daily run: expiries for every member with a lot past its date; returns the points."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    expired_lots = select(LoyaltyEntry.ref_id).where(LoyaltyEntry.kind == "expire", LoyaltyEntry.ref_type == "lot")
    accounts = set(session.scalars(select(LoyaltyEntry.account_id).where(
        LoyaltyEntry.points > 0, LoyaltyEntry.expires_at <= now, LoyaltyEntry.id.not_in(expired_lots))))
    total = 0
    for account_id in accounts:
        acct = session.get(LoyaltyAccount, account_id)
        if acct is not None:
            total += _write_expiries(session, actor, acct, now)
    return total


@dataclass(frozen=True)
class TierChange:
    account_id: uuid.UUID
    member_number: str
    before: str
    after: str


def review_tiers(session: Session, actor: Actor, now: datetime | None = None) -> list[TierChange]:
    """Bring every cached tier to what the rules give now: after a period ends this is where
    downgrades take effect (and upgrades from entries another store synced).  Only members
    above the lowest tier or with spend in this period can change, so only they are read."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    rules = _rules_in_force(session, now=now)
    store = session.get(Store, actor.store_id)
    tz = _tz(session, store.id if store else None)
    # the earliest start of the current period in any time zone a member's store may be in
    since = period_start(now, rules.review_months, tz) - timedelta(days=1)
    spent = select(LoyaltyEntry.account_id).where(LoyaltyEntry.spend_cents > 0, LoyaltyEntry.at >= since)
    changes = []
    for acct in session.scalars(select(LoyaltyAccount).where(
            LoyaltyAccount.active.is_(True),
            or_(LoyaltyAccount.tier != rules.tiers[-1].code, LoyaltyAccount.id.in_(spent)))):
        before = acct.tier
        after = _refresh_tier(session, acct, rules, now)
        if after != before:
            changes.append(TierChange(acct.id, acct.member_number, before, after))
    if changes:
        audit.record(session, actor, "loyalty.review_tiers", None, None, detail=str(len(changes)))
    return changes


@dataclass(frozen=True)
class Upkeep:
    expired_points: int
    tier_changes: tuple[TierChange, ...]


def daily_upkeep(session: Session, actor: Actor, now: datetime | None = None) -> Upkeep:
    """What the counter runs once a day (the loyalty screen does on first opening): write
    off the points past their date, let tier periods that ended take effect, and queue the
    "points about to expire" messages (once per member and expiry date)."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    done = Upkeep(expire_all_due(session, actor, now), tuple(review_tiers(session, actor, now)))
    # members of this store whose points expire soon hear of it (promotional: needs consent)
    message_events.points_expiring(session, actor.store_id, now, _tz(session, actor.store_id).key)
    return done
