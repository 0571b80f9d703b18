"""Trade-in. The foundation gives the list of quotes; valuation comes with its issue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Customer, PriceBook, TradeInModel, TradeInQuote
from core.permissions import Actor, Perm, require


@dataclass(frozen=True)
class QuoteRow:
    id: uuid.UUID
    created_at: datetime
    customer: str
    device: str
    grade: str
    value_cents: int
    status: str
    expires_at: datetime


@dataclass(frozen=True)
class PriceBookInfo:
    version: str
    valid_from: object
    currency: str


def list_quotes(session: Session, actor: Actor, limit: int = 300) -> list[QuoteRow]:
    require(actor, Perm.TAKE_TRADE_INS)
    q = (select(TradeInQuote, Customer, TradeInModel)
         .join(TradeInModel, TradeInModel.id == TradeInQuote.model_id)
         .outerjoin(Customer, Customer.id == TradeInQuote.customer_id)
         .where(TradeInQuote.store_id == actor.store_id)
         .order_by(TradeInQuote.created_at.desc()).limit(limit))
    return [QuoteRow(t.id, t.created_at, c.display_name if c is not None else "", f"{m.name} {m.configuration}",
                     t.grade, t.value_cents, t.status, t.expires_at)
            for t, c, m in session.execute(q)]


def current_price_book(session: Session) -> PriceBookInfo | None:
    pb = session.scalars(select(PriceBook).order_by(PriceBook.valid_from.desc()).limit(1)).first()
    return PriceBookInfo(pb.version, pb.valid_from, pb.currency) if pb else None
