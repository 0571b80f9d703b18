"""Repair tickets. This module grows with the bench issue; the foundation gives intake
with offline, clash-free ticket numbers and the ticket's first history entry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import audit
from core.errors import NotFound, ValidationError, ValidationErrors
from core.models import Customer, Device, RepairEvent, RepairTicket, Store, TicketCounter
from core.permissions import Actor, Perm, require
from core.validation import normalize_imei, normalize_serial, optional


@dataclass(frozen=True)
class TicketView:
    id: uuid.UUID
    number: str
    status: str
    customer_id: uuid.UUID | None
    device_id: uuid.UUID | None
    reported_fault: str
    created_at: datetime


def _view(t: RepairTicket) -> TicketView:
    return TicketView(t.id, t.number, t.status, t.customer_id, t.device_id, t.reported_fault, t.created_at)


def next_ticket_number(session: Session, store_id: uuid.UUID) -> str:
    """``SH01-004213``: the store's code and its own counter. Only this store numbers its
    tickets, so offline stores never clash; the counter row is bumped inside the
    caller's write transaction, so two counters in one store never get the same number."""
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound("store")
    conn = session.connection()
    bumped = conn.execute(update(TicketCounter).where(TicketCounter.store_id == store_id)
                          .values(next_number=TicketCounter.next_number + 1)
                          .returning(TicketCounter.next_number)).scalar()
    if bumped is None:
        session.add(TicketCounter(store_id=store_id, next_number=2))
        session.flush()
        number = 1
    else:
        number = bumped - 1
    return f"{store.code}-{number:06d}"


def open_ticket(session: Session, actor: Actor, *, customer_id: uuid.UUID | None, device_model: str,
                reported_fault: str, imei: str | None = None, serial: str | None = None,
                device_id: uuid.UUID | None = None) -> TicketView:
    require(actor, Perm.WORK_TICKETS)
    errors = []
    model = (device_model or "").strip()
    if not model and device_id is None:
        errors.append(ValidationError("device_model", "is required"))
    fault = (reported_fault or "").strip()
    if not fault:
        errors.append(ValidationError("reported_fault", "describe the fault as the customer tells it"))
    try:
        imei = optional(normalize_imei, imei)
    except ValidationError as e:
        errors.append(e)
    try:
        serial = optional(normalize_serial, serial)
    except ValidationError as e:
        errors.append(e)
    if errors:
        raise ValidationErrors(errors)
    if customer_id is not None and session.get(Customer, customer_id) is None:
        raise NotFound("customer")
    if device_id is None:
        device = Device(customer_id=customer_id, model=model, imei=imei, serial=serial)
        session.add(device)
        session.flush()
        device_id = device.id
    ticket = RepairTicket(store_id=actor.store_id, number=next_ticket_number(session, actor.store_id),
                          customer_id=customer_id, device_id=device_id, reported_fault=fault, status="new")
    session.add(ticket)
    session.flush()
    session.add(RepairEvent(ticket_id=ticket.id, staff_id=actor.staff_id, from_status=None, to_status="new"))
    session.flush()
    if customer_id is not None:
        audit.record(session, actor, "ticket.open", "repair_ticket", ticket.id)
    return _view(ticket)


def get_ticket(session: Session, ticket_id: uuid.UUID) -> TicketView:
    t = session.get(RepairTicket, ticket_id)
    if t is None:
        raise NotFound("repair ticket")
    return _view(t)


def list_ticket_numbers(session: Session, store_id: uuid.UUID) -> list[str]:
    return list(session.scalars(select(RepairTicket.number).where(RepairTicket.store_id == store_id)))


@dataclass(frozen=True)
class BoardRow:
    id: uuid.UUID
    number: str
    status: str
    customer: str
    device: str
    technician: str
    created_at: datetime
    due_at: datetime | None


OPEN_STATUSES = ("new", "diagnosing", "awaiting_approval", "awaiting_parts", "in_repair", "quality_check", "ready")


def list_board(session: Session, actor: Actor, *, include_closed: bool = False, limit: int = 500) -> list[BoardRow]:
    from sqlalchemy.orm import aliased

    from core.models import Staff
    require(actor, Perm.WORK_TICKETS)
    tech = aliased(Staff)
    q = (select(RepairTicket, Customer, Device.model, tech.display_name)
         .outerjoin(Customer, Customer.id == RepairTicket.customer_id)
         .outerjoin(Device, Device.id == RepairTicket.device_id)
         .outerjoin(tech, tech.id == RepairTicket.technician_id)
         .where(RepairTicket.store_id == actor.store_id)
         .order_by(RepairTicket.created_at).limit(limit))
    if not include_closed:
        q = q.where(RepairTicket.status.in_(OPEN_STATUSES))
    return [BoardRow(t.id, t.number, t.status, c.display_name if c is not None else "", model or "", tn or "",
                     t.created_at, t.due_at)
            for t, c, model, tn in session.execute(q)]
