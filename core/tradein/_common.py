"""What the trade-in services share: the store and its time zone, the live customer and
their membership, and a quote's status as the counter sees it (an open quote past its
expiry shows as expired before ``expire_quotes`` marks it)."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.models import Customer, LoyaltyAccount, Store, TradeInQuote
from core.permissions import Actor


def _store(session: Session, actor: Actor) -> Store:
    store = session.get(Store, actor.store_id)
    if store is None:
        raise NotFound("store")
    return store


def _tz(session: Session, actor: Actor) -> ZoneInfo:
    return ZoneInfo(_store(session, actor).timezone or "UTC")


def _live_customer(session: Session, customer_id: uuid.UUID) -> Customer:
    c = session.get(Customer, customer_id)
    if c is None or c.erased or c.merged_into_id is not None:
        raise NotFound("customer")
    return c


def _member(session: Session, customer_id: uuid.UUID) -> LoyaltyAccount | None:
    return session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id,
                                                        LoyaltyAccount.active.is_(True))).first()


def _status(q: TradeInQuote, now: datetime) -> str:
    return "expired" if q.status == "quoted" and q.expires_at <= now else q.status
