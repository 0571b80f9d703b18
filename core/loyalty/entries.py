"""The ledger in the database: the rules in force, entries read back as ``Line`` values,
and posting an entry.  Every write goes through ``_begin`` (the account, the rules, the
due expiries written first, so a redemption never uses points that had expired) and
``_post`` (the entry, the cached tier refreshed, the audit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, clock
from core.errors import Conflict, ValidationError
from core.lookup import get_or_not_found
from core.loyalty.rules import (
    DEFAULT, Line, Rules, _expiry, due_expiries, fact_id, ledger_state, parse_rules, tier_at,
)
from core.models import Customer, LoyaltyAccount, LoyaltyEntry, Purchase, RepairTicket, Store
from core.models.loyalty import LoyaltyRules
from core.permissions import Actor, Perm, require
from core.staff import current_store


def _rules_in_force(session: Session, today: date | None = None, *, now: datetime | None = None) -> Rules:
    """The rules in force: the published version with the latest ``valid_from`` not after
    today, or the day of ``now`` (the store's day: rules dated 1 January apply from midnight
    there, not in UTC); ``DEFAULT_RULES`` while HQ has published none."""
    if today is None:
        store = current_store(session)
        zone = _tz(session, store.id if store else None)
        today = (now or clock.now()).astimezone(zone).date()
    row = session.scalars(select(LoyaltyRules).where(LoyaltyRules.valid_from <= today)
                          .order_by(LoyaltyRules.valid_from.desc(), LoyaltyRules.published_at.desc())
                          .limit(1)).first()
    if row is None:
        return DEFAULT
    try:
        return parse_rules(row.rules)
    except ValidationError:
        return DEFAULT        # a damaged row must not stop the counter; HQ republishes


def current_rules(session: Session, actor: Actor, today: date | None = None) -> Rules:
    """The programme's rules in force (for the trade-in desk and the loyalty screens)."""
    require(actor, Perm.MANAGE_LOYALTY)
    return _rules_in_force(session, today)


@dataclass(frozen=True)
class RulesInfo:
    id: uuid.UUID
    version: str
    valid_from: date
    terms_version: str


def publish_rules(session: Session, actor: Actor, *, version: str, valid_from: date,
                  rules: dict[str, Any]) -> RulesInfo:
    """Record a rules version (HQ publishes; the demo seeds one). Refuses unusable rules."""
    require(actor, Perm.MANAGE_STORE)
    version = (version or "").strip()
    if not version or len(version) > 20:
        raise ValidationError("version", "must be 1 to 20 characters")
    parsed = parse_rules(rules)
    if session.scalar(select(LoyaltyRules.id).where(LoyaltyRules.version == version)) is not None:
        raise Conflict("this rules version already exists")
    row = LoyaltyRules(version=version, valid_from=valid_from, rules=dict(rules))
    session.add(row)
    session.flush()
    audit.record(session, actor, "loyalty.rules", "loyalty_rules", row.id, detail=version)
    return RulesInfo(row.id, version, valid_from, parsed.terms_version)


def _line(e: LoyaltyEntry) -> Line:
    return Line(e.id, e.kind, e.points, e.at, e.expires_at, e.spend_cents, e.ref_type, e.ref_id)


def _lines(session: Session, account_id: uuid.UUID) -> list[Line]:
    return [_line(e) for e in session.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == account_id))]


def _tz(session: Session, store_id: uuid.UUID | None) -> ZoneInfo:
    store = session.get(Store, store_id) if store_id else None
    try:
        return ZoneInfo(store.timezone) if store else ZoneInfo("UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _account(session: Session, account_id: uuid.UUID) -> tuple[LoyaltyAccount, Customer]:
    acct = get_or_not_found(session, LoyaltyAccount, account_id, "loyalty member")
    cust = get_or_not_found(session, Customer, acct.customer_id, "loyalty member", live=lambda c: not c.erased)
    return acct, cust


def _now(now: datetime | None) -> datetime:
    if now is None:
        return clock.now().replace(microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now


def _balance(session: Session, account_id: uuid.UUID) -> int:
    """The balance is the sum of the ledger; nothing stores it."""
    return int(session.scalars(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                               .where(LoyaltyEntry.account_id == account_id)).one())


def balance(session: Session, actor: Actor, account_id: uuid.UUID) -> int:
    require(actor, Perm.MANAGE_LOYALTY)
    return _balance(session, account_id)


@dataclass(frozen=True)
class EntryRow:
    id: uuid.UUID
    kind: str
    points: int
    reason: str
    ref_type: str | None
    ref_id: uuid.UUID | None
    ref_label: str                     # a ticket number, what was bought, ...
    spend_cents: int
    at: datetime
    expires_at: datetime | None
    store: str                         # store code
    staff: str                         # who recorded it ("" for expiries)
    balance_after: int                 # running balance in ledger order


@dataclass(frozen=True)
class LedgerResult:
    entry: EntryRow
    balance: int
    tier: str
    previous_tier: str

    @property
    def tier_changed(self) -> bool:
        return self.tier != self.previous_tier


def _ref_labels(session: Session, entries: list[LoyaltyEntry]) -> dict[uuid.UUID, str]:
    labels: dict[uuid.UUID, str] = {}
    tickets = [e.ref_id for e in entries if e.ref_type == "ticket" and e.ref_id]
    purchases = [e.ref_id for e in entries if e.ref_type == "purchase" and e.ref_id]
    if tickets:
        labels.update(session.execute(select(RepairTicket.id, RepairTicket.number)
                                      .where(RepairTicket.id.in_(tickets))).all())
    if purchases:
        labels.update(session.execute(select(Purchase.id, Purchase.description)
                                      .where(Purchase.id.in_(purchases))).all())
    return labels


def _name_of(names: Mapping[uuid.UUID, str], key: uuid.UUID | None) -> str:
    return names.get(key, "") if key is not None else ""


def _entry_row(e: LoyaltyEntry, labels: Mapping[uuid.UUID, str], stores: Mapping[uuid.UUID, str],
               staff: Mapping[uuid.UUID, str], balance_after: int) -> EntryRow:
    return EntryRow(e.id, e.kind, e.points, e.reason, e.ref_type, e.ref_id, _name_of(labels, e.ref_id),
                    e.spend_cents, e.at, e.expires_at, _name_of(stores, e.store_id), _name_of(staff, e.staff_id),
                    balance_after)


def _write_expiries(session: Session, actor: Actor, acct: LoyaltyAccount, now: datetime) -> int:
    """Insert the expiries that are due; returns the points expired."""
    state = ledger_state(_lines(session, acct.id))
    total = 0
    for lot in due_expiries(state, now):
        entry_id = fact_id("expire", lot.id, lot.expired)
        if session.get(LoyaltyEntry, entry_id) is not None:
            continue      # written by another store, arrived while this one was computed
        session.add(LoyaltyEntry(id=entry_id, account_id=acct.id, kind="expire", points=-lot.remaining,
                                 reason="Points expired", ref_type="lot", ref_id=lot.id, store_id=actor.store_id,
                                 staff_id=None, at=lot.expires_at))
        total += lot.remaining
    if total:
        session.flush()
        audit.record(session, actor, "loyalty.expire", "loyalty_account", acct.id, detail=str(total))
    return total


def _refresh_tier(session: Session, acct: LoyaltyAccount, rules: Rules, now: datetime) -> str:
    tier = tier_at(_lines(session, acct.id), rules, now, _tz(session, acct.store_id))
    if acct.tier != tier:
        acct.tier = tier
        session.flush()
    return tier


def _writable(session: Session, account_id: uuid.UUID) -> tuple[LoyaltyAccount, Customer]:
    acct, cust = _account(session, account_id)
    if not acct.active:
        raise Conflict("this membership has ended")
    return acct, cust


def _post(session: Session, actor: Actor, acct: LoyaltyAccount, rules: Rules, now: datetime, *,
          kind: str, points: int, reason: str, ref_type: str | None = None, ref_id: uuid.UUID | None = None,
          spend_cents: int = 0, entry_id: uuid.UUID | None = None, previous_tier: str) -> LedgerResult:
    ids = {"id": entry_id} if entry_id is not None else {}     # else the column default: a uuid7
    e = LoyaltyEntry(**ids, account_id=acct.id, kind=kind, points=points, reason=reason[:200],
                     ref_type=ref_type, ref_id=ref_id, spend_cents=spend_cents, store_id=actor.store_id,
                     staff_id=actor.staff_id, at=now, expires_at=_expiry(rules, kind, now) if points > 0 else None)
    session.add(e)
    session.flush()
    tier = _refresh_tier(session, acct, rules, now)
    labels = _ref_labels(session, [e])
    stores = dict(session.execute(select(Store.id, Store.code).where(Store.id == actor.store_id)).all())
    bal = _balance(session, acct.id)
    row = _entry_row(e, labels, stores, {actor.staff_id: actor.display_name}, bal)
    audit.record(session, actor, f"loyalty.{kind}", "loyalty_account", acct.id, detail=f"{points:+d}")
    return LedgerResult(row, bal, tier, previous_tier)


def _begin(session: Session, actor: Actor, account_id: uuid.UUID,
           now: datetime | None) -> tuple[LoyaltyAccount, Customer, Rules, datetime, str]:
    """Common start of every ledger write: the account, the rules, due expiries written."""
    now = _now(now)
    acct, cust = _writable(session, account_id)
    rules = _rules_in_force(session, now=now)
    previous = tier_at(_lines(session, acct.id), rules, now, _tz(session, acct.store_id))
    _write_expiries(session, actor, acct, now)
    return acct, cust, rules, now, previous
