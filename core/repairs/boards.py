"""The bench board: the technician's queue, the store's open tickets, the manager's summary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from core.errors import ValidationError
from core.models import Customer, Device, RepairEvent, RepairTicket, Staff
from core.permissions import Actor, Perm, require
from core.repairs.workflow import CLOSED_STATUSES, OPEN_STATUSES, STATUSES, _now


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
    technician_id: uuid.UUID | None = None
    status_since: datetime | None = None
    overdue: bool = False


BOARD_SCOPES = ("mine", "unassigned", "queue", "status", "store")


# ticket, customer, device model, technician's name, time of the last event; the outer
# joins leave the middle three None where there is none (the typing does not say so)
_BoardQuery = Select[RepairTicket, Customer, str, str, datetime]


def _board_query(actor: Actor) -> _BoardQuery:
    tech = aliased(Staff)
    since = (select(func.max(RepairEvent.at)).where(RepairEvent.ticket_id == RepairTicket.id)
             .correlate(RepairTicket).scalar_subquery())
    return (select(RepairTicket, Customer, Device.model, tech.display_name, since)
            .outerjoin(Customer, Customer.id == RepairTicket.customer_id)
            .outerjoin(Device, Device.id == RepairTicket.device_id)
            .outerjoin(tech, tech.id == RepairTicket.technician_id)
            .where(RepairTicket.store_id == actor.store_id))


def _board_rows(session: Session, q: _BoardQuery, now: datetime) -> list[BoardRow]:
    rows = []
    for t, c, model, tn, since in session.execute(q):
        overdue = t.status in OPEN_STATUSES and t.status != "ready" and t.due_at is not None and t.due_at < now
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        rows.append(BoardRow(t.id, t.number, t.status, c.display_name if c is not None else "", model or "", tn or "",
                             t.created_at, t.due_at, t.technician_id, since, overdue))
    return rows


def list_board(session: Session, actor: Actor, *, include_closed: bool = False, limit: int = 500) -> list[BoardRow]:
    """Every open ticket of the store, oldest first."""
    require(actor, Perm.WORK_TICKETS)
    q = _board_query(actor).order_by(RepairTicket.created_at).limit(limit)
    if not include_closed:
        q = q.where(RepairTicket.status.in_(OPEN_STATUSES))
    return _board_rows(session, q, _now())


def board(session: Session, actor: Actor, scope: str = "queue", *, status: str | None = None,
          now: datetime | None = None, limit: int = 500) -> list[BoardRow]:
    """The technician's queue: ``mine`` (assigned to me), ``unassigned``, ``queue`` (both),
    ``status`` (every ticket in one status, e.g. ready for pickup at the counter), and
    ``store``: the whole store's open tickets, for managers. Overdue first, then by due time."""
    require(actor, Perm.WORK_TICKETS)
    if scope not in BOARD_SCOPES:
        raise ValidationError("scope", "is not a board view")
    if scope == "store":
        require(actor, Perm.MANAGE_ROTA)
    if status is not None and status not in STATUSES:
        raise ValidationError("status", "is not a ticket status")
    now = now or _now()
    q = _board_query(actor)
    if scope == "status":
        if status is None:
            raise ValidationError("status", "is required")
        q = q.where(RepairTicket.status == status)
    else:
        q = q.where(RepairTicket.status.in_((status,) if status else OPEN_STATUSES))
    if scope == "mine":
        q = q.where(RepairTicket.technician_id == actor.staff_id)
    elif scope == "unassigned":
        q = q.where(RepairTicket.technician_id.is_(None))
    elif scope == "queue":
        q = q.where(or_(RepairTicket.technician_id == actor.staff_id, RepairTicket.technician_id.is_(None)))
    if status in CLOSED_STATUSES:     # finished work: the latest first
        return _board_rows(session, q.order_by(RepairTicket.updated_at.desc()).limit(limit), now)
    q = q.order_by(RepairTicket.due_at.is_(None), RepairTicket.due_at, RepairTicket.created_at).limit(limit)
    return sorted(_board_rows(session, q, now), key=lambda r: not r.overdue)   # stable: late ones first


@dataclass(frozen=True)
class BoardSummary:
    open: int
    overdue: int
    by_status: tuple[tuple[str, int], ...]
    by_technician: tuple[tuple[str, int, int], ...]     # (name, open, overdue); "" is unassigned


def board_summary(session: Session, actor: Actor, *, now: datetime | None = None) -> BoardSummary:
    """The manager's view of the whole bench: how much is open, late, and with whom."""
    require(actor, Perm.MANAGE_ROTA)
    rows = board(session, actor, "store", now=now, limit=100_000)
    by_status = {s: 0 for s in OPEN_STATUSES}
    techs: dict[str, list[int]] = {}
    for r in rows:
        by_status[r.status] += 1
        entry = techs.setdefault(r.technician, [0, 0])
        entry[0] += 1
        entry[1] += r.overdue
    return BoardSummary(len(rows), sum(r.overdue for r in rows), tuple(by_status.items()),
                        tuple(sorted(((n, o, d) for n, (o, d) in techs.items()), key=lambda x: (x[0] == "", x[0]))))
