"""Service types and appointments."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal, personal


class ServiceType(IdMixin, Base):
    __tablename__ = "service_type"
    code: Mapped[str] = not_personal(String(24), unique=True)
    name: Mapped[str] = not_personal(String(120))
    duration_min: Mapped[int]
    buffer_min: Mapped[int] = mapped_column(default=0)
    required_skill: Mapped[str | None] = not_personal(String(40))
    price_cents: Mapped[int] = mapped_column(default=0)
    is_repair: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class Appointment(IdMixin, Timestamps, Base):
    """A booking of a technician's time. No two live appointments (not cancelled, not a
    no-show) of one technician overlap: the booking service re-checks inside its write
    transaction, and SQLite triggers (migration 0006) refuse an overlapping row from any
    writer."""

    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_tech_time", "technician_id", "starts_at"),
                      Index("ix_appointment_store_time", "store_id", "starts_at"))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"), index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    walk_in_name: Mapped[str | None] = personal(String(120))
    service_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_type.id"))
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]                # includes the service's buffer
    # booked, checked_in, in_service, completed, no_show, cancelled
    status: Mapped[str] = not_personal(String(16), default="booked")
    source: Mapped[str] = not_personal(String(12), default="phone")   # walk_in, phone, online, counter
    checked_in_at: Mapped[datetime | None]
    notes: Mapped[str] = personal(String(500), default="")
    started_at: Mapped[datetime | None]      # service began (for the average wait)


class WalkIn(IdMixin, Timestamps, Base):
    """Someone waiting at the counter without a booking: a customer or just a name.
    Calling them makes an appointment that starts at once."""

    __tablename__ = "walk_in"
    __table_args__ = (Index("ix_walk_in_store_status", "store_id", "status", "arrived_at"),)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    name: Mapped[str | None] = personal(String(120))
    service_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_type.id"))
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))   # asked for / assigned
    status: Mapped[str] = not_personal(String(12), default="waiting")    # waiting, called, left
    arrived_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment.id"))
    note: Mapped[str] = personal(String(200), default="")
