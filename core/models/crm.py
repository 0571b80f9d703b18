"""Knowing the customer (issue 23): the scores HQ computes for the chain and every store
pulls (``customer_score``), the next-best-action rules HQ publishes (``next_action_rule``),
what staff did with a suggestion (``action_outcome``), the marketing lists a manager
exported (``list_export``) and the store's daily count of customers per segment
(``segment_snapshot``, kept by the store only).

Rules live in :mod:`core.crm`; this module only holds the rows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, not_personal, utcnow


class CustomerScore(IdMixin, Base):
    """One customer's RFM scores, segment, value and churn risk, computed by HQ for the whole
    chain (:mod:`hq.crm`) and pulled by every store that serves the customer. Only HQ writes it
    (reference data in the customer's bucket). ``id`` is the customer's id, one row each.

    ``recency``/``frequency``/``monetary``: 1..5 (chain quintiles, :func:`core.crm.segments.score`);
    0 for a customer with no activity yet. ``churn_reasons``: ``[{"code": ..., **params}]``
    (:mod:`core.crm.churn`), worded by the one catalogue on screen and paper."""

    __tablename__ = "customer_score"
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    recency: Mapped[int] = mapped_column(SmallInteger, default=0)
    frequency: Mapped[int] = mapped_column(SmallInteger, default=0)
    monetary: Mapped[int] = mapped_column(SmallInteger, default=0)
    segment: Mapped[str] = not_personal(String(20), default="")       # core.crm.segments.SEGMENTS
    previous_segment: Mapped[str] = not_personal(String(20), default="")
    segment_since: Mapped[datetime | None]
    visits: Mapped[int] = mapped_column(default=0)                     # distinct days with activity
    last_visit_at: Mapped[datetime | None]
    historic_cents: Mapped[int] = mapped_column(BigInteger, default=0)   # purchases + paid repairs, refunds off
    predicted_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # the next 12 months (hq.crm.ltv)
    value_band: Mapped[str] = not_personal(String(8), default="")     # core.crm.segments.VALUE_BANDS
    churn_score: Mapped[int] = mapped_column(SmallInteger, default=0)   # 0..100, higher is likelier to leave
    churn_reasons: Mapped[list[Any]] = not_personal(default=list)
    currency: Mapped[str] = not_personal(String(3), default="")
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class NextActionRule(IdMixin, Base):
    """One next-best-action rule, published by HQ (reference data): ``code`` names what it
    suggests (:data:`core.crm.actions.CODES`), ``params`` its thresholds (e.g. a device's age
    in days), ``marketing``: a promotional suggestion, shown only with the customer's
    marketing consent. Wording comes from the catalogue by code (:mod:`core.terms`)."""

    __tablename__ = "next_action_rule"
    code: Mapped[str] = not_personal(String(30), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    priority: Mapped[int] = mapped_column(default=100)                 # lower first
    marketing: Mapped[bool] = mapped_column(default=False)
    params: Mapped[dict[str, Any]] = not_personal(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionOutcome(IdMixin, Base):
    """What staff did with a suggestion: ``accepted`` or ``dismissed``, once per rule and
    subject (``subject``: what it was about, e.g. ``device:<id>``), so a dismissed suggestion
    does not come back and the manager sees what converts."""

    __tablename__ = "action_outcome"
    __table_args__ = (UniqueConstraint("store_id", "customer_id", "code", "subject"),)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    code: Mapped[str] = not_personal(String(30))
    subject: Mapped[str] = not_personal(String(80), default="")
    outcome: Mapped[str] = not_personal(String(10))                    # accepted, dismissed
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ListExport(IdMixin, Base):
    """A marketing list a manager exported: the segment and filters, the channel, the purpose
    given, how many people it held; never who (the audit log records the export too)."""

    __tablename__ = "list_export"
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = not_personal(String(8))                     # sms, email
    purpose: Mapped[str] = not_personal(String(200))
    filters: Mapped[dict[str, Any]] = not_personal(default=dict)       # segment, churn, value band...
    count: Mapped[int] = mapped_column(default=0)


class SegmentSnapshot(IdMixin, Base):
    """The store's customers per segment on one day (its own customers: home store), written
    after a sync brings new scores, so the dashboard shows movement over time. Kept by the
    store only (a count, derived from synced rows)."""

    __tablename__ = "segment_snapshot"
    __synced__ = False
    __table_args__ = (UniqueConstraint("store_id", "day", "segment"),)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    day: Mapped[date]
    segment: Mapped[str] = not_personal(String(20))
    customers: Mapped[int] = mapped_column(default=0)
    moved_in: Mapped[int] = mapped_column(default=0)                   # came into the segment that day
