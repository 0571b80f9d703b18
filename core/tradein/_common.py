"""What the trade-in services share: the store and its time zone, the live customer and
their membership, and a quote's status as the counter sees it (an open quote past its
expiry shows as expired before ``expire_quotes`` marks it)."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.lookup import get_or_not_found
from core.models import Customer, LoyaltyAccount, PriceBook, Store, TradeInModel, TradeInQuote
from core.permissions import Actor


def _store(session: Session, actor: Actor) -> Store:
    return get_or_not_found(session, Store, actor.store_id, "store")


def _tz(session: Session, actor: Actor) -> ZoneInfo:
    return ZoneInfo(_store(session, actor).timezone or "UTC")


def _live_customer(session: Session, customer_id: uuid.UUID) -> Customer:
    return get_or_not_found(session, Customer, customer_id, "customer",
                            live=lambda c: not c.erased and c.merged_into_id is None)


def _terms(session: Session, q: TradeInQuote) -> tuple[PriceBook, TradeInModel]:
    """The price book and the model a quote was made under."""
    return (get_or_not_found(session, PriceBook, q.price_book_id, "price book"),
            get_or_not_found(session, TradeInModel, q.model_id, "model"))


def _member(session: Session, customer_id: uuid.UUID) -> LoyaltyAccount | None:
    return session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id,
                                                        LoyaltyAccount.active.is_(True))).first()


def _status(q: TradeInQuote, now: datetime) -> str:
    return "expired" if q.status == "quoted" and q.expires_at <= now else q.status
