"""Repair tickets, their history, and parts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal, personal, utcnow


class TicketCounter(Base):
    """Next ticket number per store. Local: only this store numbers its tickets."""

    __tablename__ = "ticket_counter"
    __synced__ = False
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"), primary_key=True)
    next_number: Mapped[int] = mapped_column(default=1)


class RepairTicket(IdMixin, Timestamps, Base):
    __tablename__ = "repair_ticket"
    # the manager reports count tickets by when they were opened and collected (migration 0020)
    __table_args__ = (UniqueConstraint("store_id", "number"),
                      Index("ix_repair_ticket_store_created", "store_id", "created_at"),
                      Index("ix_repair_ticket_store_collected", "store_id", "collected_at", "created_at"))
    # never captured for sync: the sealed passcode stays in this store's file (core.sync.outbox)
    __sync_exclude__ = frozenset({"passcode_sealed"})
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"), index=True)
    number: Mapped[str] = not_personal(String(20))          # SH01-004213
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment.id"))
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    # new, diagnosing, awaiting_approval, awaiting_parts, in_repair, quality_check,
    # ready, collected, cancelled, unrepairable
    status: Mapped[str] = not_personal(String(20), default="new", index=True)
    reported_fault: Mapped[str] = personal(Text, default="")
    intake_condition: Mapped[dict[str, Any]] = personal(default=dict, fields=("notes",))
    accessories: Mapped[str] = personal(String(300), default="")
    passcode_sealed: Mapped[bytes | None] = personal(LargeBinary)   # AES-GCM; purged at pickup
    approval_limit_cents: Mapped[int] = mapped_column(default=0)
    contact_preference: Mapped[str] = not_personal(String(12), default="sms")
    diagnosis: Mapped[str] = personal(Text, default="")
    labour_cents: Mapped[int] = mapped_column(default=0)
    quote_cents: Mapped[int | None]
    warranty_decision: Mapped[str | None] = not_personal(String(20))   # in_warranty, coverage, chargeable
    # the store's tax rule when the quote was made: what the customer approved stays what they
    # pay when the store changes its rate later (None: no quote yet, the store's rule applies)
    tax_rate: Mapped[str | None] = not_personal(String(12))
    tax_inclusive: Mapped[bool | None]
    tax_label: Mapped[str | None] = not_personal(String(40))
    approval: Mapped[str | None] = not_personal(String(10))           # approved, refused
    approval_at: Mapped[datetime | None]
    approval_channel: Mapped[str | None] = not_personal(String(12))
    due_at: Mapped[datetime | None]
    quality_check: Mapped[dict[str, Any]] = personal(default=dict, fields=("note",))
    collected_by: Mapped[str | None] = personal(String(120))
    pickup_signature: Mapped[bytes | None] = personal(LargeBinary)  # PNG of the drawn signature
    pickup_signature_name: Mapped[str | None] = personal(String(120))
    payment_status: Mapped[str | None] = not_personal(String(12))
    collected_at: Mapped[datetime | None]
    # how the person collecting proved who they are: receipt (the intake receipt's code), phone (the
    # last four digits of the customer's phone) or override (a manager, with a reason in the history)
    pickup_proof: Mapped[str | None] = not_personal(String(10))
    # a device returned under the repair's warranty: the new ticket names the ticket it reworks
    rework_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("repair_ticket.id"), index=True)


class RepairEvent(IdMixin, Base):
    """One step in a ticket's history: who moved it, from where to where, when."""

    __tablename__ = "repair_event"
    # the reports' "closed in the span": events into a status by time (migration 0020)
    __table_args__ = (Index("ix_repair_event_status_at", "to_status", "at", "ticket_id"),)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("repair_ticket.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    from_status: Mapped[str | None] = not_personal(String(20))
    to_status: Mapped[str] = not_personal(String(20))
    # what staff typed, shown as typed; the system's own words are a code with parameters,
    # worded in the reader's language when shown (core.terms.history_note)
    note: Mapped[str] = personal(String(500), default="")
    note_code: Mapped[str | None] = not_personal(String(40))
    note_params: Mapped[dict[str, Any]] = not_personal(default=dict)


class Part(IdMixin, Base):
    __tablename__ = "part"
    sku: Mapped[str] = not_personal(String(40), unique=True)
    name: Mapped[str] = not_personal(String(160))
    price_cents: Mapped[int]
    fits: Mapped[str] = not_personal(String(200), default="")   # model family it fits


class PartStock(Base):
    __tablename__ = "part_stock"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_stock"),
    )
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"), primary_key=True)
    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("part.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)


class RepairPart(IdMixin, Base):
    __tablename__ = "repair_part"
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("repair_ticket.id"), index=True)
    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("part.id"))
    quantity: Mapped[int] = mapped_column(default=1)
    price_cents: Mapped[int]
    covered: Mapped[bool] = mapped_column(default=False)     # by warranty or coverage: no charge
    state: Mapped[str] = not_personal(String(10), default="quoted")  # quoted, reserved, consumed, released
