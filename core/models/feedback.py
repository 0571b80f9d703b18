"""Surveys after a service and feedback (complaints) with due times."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal, personal, utcnow


class Survey(IdMixin, Base):
    __tablename__ = "survey"
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("repair_ticket.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment.id"))
    nps: Mapped[int | None]            # 0..10
    csat: Mapped[int | None]           # 1..5
    comment: Mapped[str] = personal(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(IdMixin, Timestamps, Base):
    __tablename__ = "feedback"
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    category: Mapped[str] = not_personal(String(30))
    text: Mapped[str] = personal(Text)
    due_at: Mapped[datetime | None]
    status: Mapped[str] = not_personal(String(12), default="open")   # open, resolved
    escalated: Mapped[bool] = mapped_column(default=False)
