"""Lists of quotes: the store's, one customer's (their timeline), and the summary of a
range of store dates for the manager's report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core import clock
from core.models import AuditEvent, Customer, TradeInModel, TradeInQuote
from core.permissions import Actor, Perm, require
from core.tradein._common import _status, _tz


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


# the customer is None where the quote has none (an outer join the typing does not show)
def _rows(session: Session, q: Select[TradeInQuote, Customer, TradeInModel], now: datetime) -> list[QuoteRow]:
    return [QuoteRow(t.id, t.created_at, c.display_name if c is not None and not c.erased else "",
                     f"{m.name} {m.configuration}", t.grade, t.value_cents, _status(t, now), t.expires_at)
            for t, c, m in session.execute(q)]


def list_quotes(session: Session, actor: Actor, limit: int = 300) -> list[QuoteRow]:
    require(actor, Perm.TAKE_TRADE_INS)
    q = (select(TradeInQuote, Customer, TradeInModel)
         .join(TradeInModel, TradeInModel.id == TradeInQuote.model_id)
         .outerjoin(Customer, Customer.id == TradeInQuote.customer_id)
         .where(TradeInQuote.store_id == actor.store_id)
         .order_by(TradeInQuote.created_at.desc()).limit(limit))
    return _rows(session, q, clock.now())


def customer_trade_ins(session: Session, actor: Actor, customer_id: uuid.UUID) -> list[QuoteRow]:
    """One customer's quotes, newest first (their timeline)."""
    require(actor, Perm.VIEW_CUSTOMERS)
    q = (select(TradeInQuote, Customer, TradeInModel)
         .join(TradeInModel, TradeInModel.id == TradeInQuote.model_id)
         .outerjoin(Customer, Customer.id == TradeInQuote.customer_id)
         .where(TradeInQuote.customer_id == customer_id)
         .order_by(TradeInQuote.created_at.desc()))
    return _rows(session, q, clock.now())


@dataclass(frozen=True)
class TradeInSummary:
    """Trade-ins made between two store dates, for the manager's report."""

    quotes: int
    by_status: dict[str, int]
    by_grade: dict[str, int]
    received: int
    received_value_cents: int
    refused_blocklist: int


def trade_in_summary(session: Session, actor: Actor, start: date, end: date) -> TradeInSummary:
    """Quotes created from ``start`` to ``end`` (store dates, inclusive)."""
    require(actor, Perm.VIEW_REPORTS)
    tz = _tz(session, actor)
    lo = datetime.combine(start, datetime.min.time(), tz)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tz)
    now = clock.now()
    by_status: dict[str, int] = {}
    by_grade: dict[str, int] = {}
    received = value = 0
    quotes = list(session.scalars(select(TradeInQuote).where(TradeInQuote.store_id == actor.store_id,
                                                             TradeInQuote.created_at >= lo,
                                                             TradeInQuote.created_at < hi)))
    for q in quotes:
        st = _status(q, now)
        by_status[st] = by_status.get(st, 0) + 1
        by_grade[q.grade] = by_grade.get(q.grade, 0) + 1
        if st in ("received", "accepted"):
            received += 1
            value += q.value_cents
    hits = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "tradein.blocklist_hit", AuditEvent.at >= lo, AuditEvent.at < hi))
    return TradeInSummary(len(quotes), by_status, by_grade, received, value, int(hits or 0))
