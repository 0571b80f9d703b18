"""Messages to customers (issue 22): a store queues a request in the same transaction as the
event (through the outbox, so offline is safe); HQ renders and sends it and writes the
delivery status back onto the same row (fields only HQ writes), which the store's timeline
shows. A customer's answer to a quote given on HQ's approval page comes back as a
``link_answer`` row that the store applies to the ticket.

Rules live in :mod:`core.messages`; this module holds the rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, not_personal, utcnow


class MessageRequest(IdMixin, Base):
    """One message a store asks HQ to send. ``event_key`` names the event (e.g.
    ``ticket:<id>:ready``): one event, one message, whoever retries. The store writes the
    request and may cancel it (``cancelled``) before it is sent; HQ writes ``status``,
    ``status_reason``, ``status_at``, ``attempts`` (never the store), so the two never
    write one field."""

    __tablename__ = "message_request"
    __table_args__ = (UniqueConstraint("store_id", "event_key"),)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = not_personal(String(30))                       # core.messages.KINDS
    event_key: Mapped[str] = not_personal(String(120))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("repair_ticket.id"), index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment.id"), index=True)
    tradein_quote_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tradein_quote.id"))
    channel: Mapped[str] = not_personal(String(8))                     # email, sms
    language: Mapped[str] = not_personal(String(10), default="en")
    # what the message needs beyond the customer's name and address (which HQ reads from the
    # customer row it holds): codes, numbers, amounts, times; never free text about the person
    params: Mapped[dict[str, Any]] = not_personal(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    send_after: Mapped[datetime] = mapped_column(default=utcnow)       # a reminder waits for its moment
    cancelled: Mapped[bool] = mapped_column(default=False)             # the store's: the event no longer holds
    cancelled_at: Mapped[datetime | None]
    # HQ's fields: queued, sent, delivered, failed, suppressed (core.messages.STATUSES)
    status: Mapped[str] = not_personal(String(12), default="queued")
    status_reason: Mapped[str] = not_personal(String(40), default="")
    status_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)


class LinkAnswer(IdMixin, Base):
    """The customer's answer to a quote given on HQ's approval page (written by HQ for the
    store); the store applies it to the ticket at its next sync (``applied_at``, the store's
    field; ``outcome`` says what happened: applied, or why not)."""

    __tablename__ = "link_answer"
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("repair_ticket.id"), index=True)
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("message_request.id"))
    answer: Mapped[str] = not_personal(String(10))                     # approved, refused
    at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]
    outcome: Mapped[str] = not_personal(String(20), default="")       # applied, not_waiting, ...
