"""What a customer is worth to the chain, as the counter shows it: the segment, value band and
churn risk HQ computed (``customer_score``, pulled like any row about the customer), worded
in the counter's language from the one catalogue (:mod:`core.terms`; the churn reasons by
:func:`core.crm.churn.reason_text`). Nothing is computed here: a store shows HQ's figures,
so a customer has the same segment in every store."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.crm import NO_SEGMENT
from core.crm.churn import reasons_text
from core.crm.segments import segment_name, value_band_name
from core.models import CustomerScore
from core.permissions import Actor, Perm, require


@dataclass(frozen=True)
class CustomerValue:
    segment: str                 # core.crm.SEGMENTS, or NO_SEGMENT
    segment_name: str
    value_band: str              # core.crm.VALUE_BANDS, or "" (no spend yet)
    value_band_name: str
    churn_score: int             # 0..100, higher is likelier to leave
    reasons: tuple[str, ...]     # worded in the language asked for
    historic_cents: int
    predicted_cents: int         # the next 12 months (hq.crm.ltv)
    currency: str
    recency: int                 # 1..5, 0 without activity
    frequency: int
    monetary: int
    visits: int
    last_visit_at: datetime | None
    computed_at: datetime


def customer_value(session: Session, actor: Actor, customer_id: uuid.UUID, *, lang: str) -> CustomerValue | None:
    """The customer's scores from HQ, worded in ``lang``; None until a sync has brought them."""
    require(actor, Perm.VIEW_CUSTOMERS)
    row = session.scalars(select(CustomerScore).where(CustomerScore.customer_id == customer_id)
                          .order_by(CustomerScore.computed_at.desc()).limit(1)).first()
    if row is None:
        return None
    segment = row.segment or NO_SEGMENT
    return CustomerValue(
        segment, segment_name(segment, lang), row.value_band or "", value_band_name(row.value_band or "", lang),
        int(row.churn_score or 0), reasons_text(list(row.churn_reasons or []), lang), int(row.historic_cents or 0),
        int(row.predicted_cents or 0), row.currency or "", int(row.recency or 0), int(row.frequency or 0),
        int(row.monetary or 0), int(row.visits or 0), row.last_visit_at, row.computed_at)


__all__ = ["CustomerValue", "customer_value"]
