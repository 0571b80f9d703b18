"""The messages of a ticket, an appointment or a customer with their delivery status, for the
desktop's timelines (issue 22). Codes only: the screen words them through core.terms
(``message_kind``, ``message_status``, ``message_reason``, ``contact``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.models import MessageRequest
from core.permissions import Actor, Perm, require

# why the store cancelled a request, by its kind (core.terms "message_reason")
_WHY_CANCELLED = {
    "appointment_confirmed": "appointment_moved", "appointment_changed": "appointment_moved",
    "appointment_reminder": "appointment_moved", "ready_for_pickup": "collected", "still_waiting": "collected",
    "approval_needed": "quote_answered",
}


@dataclass(frozen=True)
class MessageView:
    id: uuid.UUID
    kind: str                       # core.messages.KINDS
    channel: str                    # email, sms
    status: str                     # core.messages.STATUSES ("cancelled" when the store withdrew it unsent)
    status_reason: str              # a "message_reason" code, or ""
    status_at: datetime | None
    send_after: datetime
    cancelled: bool
    created_at: datetime
    attempts: int


def _view(m: MessageRequest) -> MessageView:
    if m.cancelled and m.status == "queued":
        status, reason, at = "cancelled", _WHY_CANCELLED.get(m.kind, "no_longer_needed"), m.cancelled_at
    else:
        status, reason, at = m.status, m.status_reason, m.status_at
    return MessageView(m.id, m.kind, m.channel, status, reason, at, m.send_after, m.cancelled, m.created_at,
                       m.attempts)


def messages_for(session: Session, actor: Actor, *, ticket_id: uuid.UUID | None = None,
                 appointment_id: uuid.UUID | None = None,
                 customer_id: uuid.UUID | None = None) -> list[MessageView]:
    """This store's messages about one ticket, appointment or customer, oldest first."""
    require(actor, Perm.VIEW_CUSTOMERS)
    q = select(MessageRequest).where(MessageRequest.store_id == actor.store_id)
    if ticket_id is not None:
        q = q.where(MessageRequest.ticket_id == ticket_id)
    elif appointment_id is not None:
        q = q.where(MessageRequest.appointment_id == appointment_id)
    elif customer_id is not None:
        q = q.where(MessageRequest.customer_id == customer_id)
    else:
        raise ValidationError("ticket_id", "name a ticket, an appointment or a customer")
    return [_view(m) for m in session.scalars(q.order_by(MessageRequest.created_at, MessageRequest.id))]


__all__ = ["MessageView", "messages_for"]
