"""Demo step: loyalty members, what they bought, and their ledger of points."""

from __future__ import annotations

import heapq
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.demo.data import (
    _ACCESSORIES, _MODELS, LOYALTY_TERMS, NOTICE_VERSION, POINTS_VALID_DAYS, WELCOME_BONUS, tier_for_spend,
)
from core.demo.hours import _NEVER
from core.demo.values import _member_number
from core.ids import uuid7
from core.models import Consent, LoyaltyAccount, LoyaltyEntry, Purchase, RepairTicket

if TYPE_CHECKING:
    from core.demo.build import Build


def loyalty(b: "Build") -> None:
    rng = b.rng
    accounts, entries, member_purchases, consents = [], [], [], []
    taken: set[str] = set()
    ticket_spend: dict[uuid.UUID | None, list[RepairTicket]] = {}
    for t in b.collected_tickets:
        ticket_spend.setdefault(t.customer_id, []).append(t)
    purchases_by_customer: dict[uuid.UUID, list[Purchase]] = {}
    for p in b.purchases:
        purchases_by_customer.setdefault(p.customer_id, []).append(p)
    for c in b.customers:
        if rng.random() >= 0.3:
            continue
        enrolled = b.open_at(c.created_at + (b.now - c.created_at) * rng.uniform(0, 0.6))
        staff_id = rng.choice(b.counter_staff)
        acct = LoyaltyAccount(id=uuid7(), customer_id=c.id, member_number=_member_number(rng, taken),
                              store_id=b.store_id, terms_version=LOYALTY_TERMS, enrolled_at=enrolled,
                              created_at=enrolled, updated_at=enrolled)
        consents.append(Consent(customer_id=c.id, purpose="loyalty", granted=True, notice_version=NOTICE_VERSION,
                                channel="in_store", staff_id=staff_id, store_id=b.store_id, at=enrolled))
        # what the member buys after joining: light, regular or heavy spenders
        profile = rng.choices(("light", "regular", "heavy"), weights=(60, 30, 10))[0]
        lo, hi = {"light": (0, 1), "regular": (1, 3), "heavy": (4, 8)}[profile]
        for _ in range(rng.randint(lo, hi)):
            at = b.open_at(enrolled + (b.now - enrolled) * rng.random())
            if profile != "light" and rng.random() < (0.7 if profile == "heavy" else 0.4):
                m = rng.choice(_MODELS)
                config, retail, _ = rng.choice(m.configs)
                p = Purchase(customer_id=c.id, store_id=b.store_id, at=at, description=f"{m.name} {config}",
                             sku=f"{m.code}-{config.replace(' ', '').replace('/', '-')}", total_cents=retail * 100)
            else:
                sku, desc, price = rng.choice(_ACCESSORIES)
                p = Purchase(customer_id=c.id, store_id=b.store_id, at=at, description=desc, sku=sku,
                             total_cents=price)
            member_purchases.append(p)
            purchases_by_customer.setdefault(c.id, []).append(p)
        # the ledger, in time order: (at, kind, points, spend, ref_type, ref_id, reason)
        flow: list[tuple[datetime, str, int, int, str | None, uuid.UUID | None, str]] = [
            (enrolled, "bonus", WELCOME_BONUS, 0, None, None, "Welcome bonus")]
        for p in purchases_by_customer.get(c.id, []):
            if p.at >= enrolled:
                flow.append((p.at, "earn", p.total_cents // 100, p.total_cents, "purchase", p.id, p.description))
        for t in ticket_spend.get(c.id, []):
            if t.quote_cents and t.collected_at and t.collected_at >= enrolled:
                flow.append((t.collected_at, "earn", t.quote_cents // 100, t.quote_cents, "ticket", t.id,
                             f"Repair {t.number}"))
        for _ in range(rng.choice((0, 0, 1, 2))):
            flow.append((b.open_at(enrolled + (b.now - enrolled) * rng.random()), "redeem", 0, 0, None, None, ""))
        flow.sort(key=lambda e: e[0])
        spend = 0
        lots: list[list[Any]] = []      # [expires_at, remaining points], soonest to expire first
        for at, kind, points, spent, ref_type, ref_id, reason in flow:
            entries += _expire(b, acct, lots, at)
            balance = sum(lot[1] for lot in lots)
            if kind == "redeem":
                want = rng.choice((500, 1000, 2000))
                if balance < want:
                    continue
                points, reason = -want, f"Redeemed for a ¥{want // 20} voucher"
                _consume(b, lots, want)
            else:
                expires = None if kind == "bonus" else at + timedelta(days=POINTS_VALID_DAYS)
                lots.append([expires or _NEVER, points])
                spend += spent
            expires = None if kind in ("bonus", "redeem") else at + timedelta(days=POINTS_VALID_DAYS)
            entries.append(LoyaltyEntry(account_id=acct.id, kind=kind, points=points, reason=reason[:200],
                                        ref_type=ref_type, ref_id=ref_id, spend_cents=spent,
                                        store_id=b.store_id, staff_id=staff_id, at=at, expires_at=expires))
        entries += _expire(b, acct, lots, b.now)
        acct.tier = tier_for_spend(spend)
        accounts.append(acct)
    b.add("purchase", member_purchases)
    b.add("consent", consents)
    b.add("loyalty_account", accounts)
    b.s.flush()
    b.add("loyalty_entry", entries)


def _consume(b: "Build", lots: list[list[Any]], points: int) -> None:
    for lot in lots:
        used = min(lot[1], points)
        lot[1] -= used
        points -= used
    lots[:] = [lot for lot in lots if lot[1] > 0]


def _expire(b: "Build", acct: LoyaltyAccount, lots: list[list[Any]], until: datetime) -> list[LoyaltyEntry]:
    out = []
    heapq.heapify(lots)        # lots carry their expiry first: the heap yields the oldest
    kept = []
    while lots:
        expires_at, remaining = heapq.heappop(lots)
        if expires_at <= until and remaining > 0:
            out.append(LoyaltyEntry(account_id=acct.id, kind="expire", points=-remaining,
                                    reason="Points expired", store_id=b.store_id, at=expires_at))
        elif remaining > 0:
            kept.append([expires_at, remaining])
    lots[:] = kept
    return out
