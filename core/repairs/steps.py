"""The technician's steps on the bench that are not about money: assignment, starting
diagnosis, repair done, quality check, cancel, not repairable."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, ValidationError
from core.models import RepairPart
from core.permissions import Actor, Perm, require
from core.repairs.parts import _held_stock, _release
from core.repairs.quoting import ticket_amounts
from core.repairs.workflow import (
    CLOSED_STATUSES, QC_CHECKS, IllegalMove, TicketView, _audit, _move, _note, _now, _staff_of_store, _ticket,
    _view, allowed_moves,
)


def assign(session: Session, actor: Actor, ticket_id: uuid.UUID, technician_id: uuid.UUID | None) -> TicketView:
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status in CLOSED_STATUSES:
        raise Conflict("the ticket is closed")
    if technician_id == t.technician_id:
        return _view(t)
    name = _staff_of_store(session, actor, technician_id, "technician").display_name if technician_id else ""
    t.technician_id = technician_id
    if name:
        _note(session, actor, t, code="assigned", params={"name": name})
    else:
        _note(session, actor, t, code="unassigned")
    session.flush()
    _audit(session, actor, t, "ticket.assign")
    return _view(t)


def start_diagnosis(session: Session, actor: Actor, ticket_id: uuid.UUID) -> TicketView:
    """The technician takes the device; an unassigned ticket becomes theirs."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "new":
        raise Conflict("diagnosis starts on a new ticket")
    _move(session, actor, t, "diagnosing", code="diagnosis_started")
    if t.technician_id is None:
        t.technician_id = actor.staff_id
    session.flush()
    return _view(t)


def finish_repair(session: Session, actor: Actor, ticket_id: uuid.UUID, note: str = "") -> TicketView:
    """The repair is done: the reserved parts are used up, the device goes to quality check."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "in_repair":
        raise Conflict("the ticket is not in repair")
    for rp in session.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id,
                                                       RepairPart.state.in_(("quoted", "reserved")))):
        if rp.state != "reserved":
            raise Conflict("a part of this repair is not reserved")
        stock = _held_stock(session, t.store_id, rp.part_id)
        stock.on_hand -= rp.quantity
        stock.reserved -= rp.quantity
        rp.state = "consumed"
    session.flush()
    _move(session, actor, t, "quality_check", note, code="repair_done")
    return _view(t)


def quality_check(session: Session, actor: Actor, ticket_id: uuid.UUID, checks: dict[str, bool],
                  note: str = "") -> TicketView:
    """Every check passed: ready for pickup (the customer is told). Any failed: back to repair."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "quality_check":
        raise Conflict("the ticket is not in quality check")
    unknown = set(checks) - set(QC_CHECKS)
    if unknown:
        raise ValidationError("checks", "is not a known check")
    missing = [c for c in QC_CHECKS if not isinstance(checks.get(c), bool)]
    if missing:
        raise ValidationError("checks", "answer every check")
    note = (note or "").strip()[:300]
    passed = all(checks[c] for c in QC_CHECKS)
    t.quality_check = {"passed": passed, "by": str(actor.staff_id), "at": _now().isoformat(),
                       "checks": {c: checks[c] for c in QC_CHECKS}, **({"note": note} if note else {})}
    if passed:
        t.payment_status = "unpaid" if ticket_amounts(session, t).amount_due_cents > 0 else "no_charge"
        _move(session, actor, t, "ready", note, code="qc_passed")
    else:
        failed = [c for c in QC_CHECKS if not checks[c]]
        _move(session, actor, t, "in_repair", note, code="qc_failed", params={"checks": failed})
    return _view(t)


def cancel(session: Session, actor: Actor, ticket_id: uuid.UUID, reason: str = "") -> TicketView:
    """Stop work on the customer's wish: reserved parts go back to stock."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if "cancelled" not in allowed_moves(t.status):
        raise IllegalMove(t.status, "cancelled")
    _release(session, t)
    _move(session, actor, t, "cancelled", reason, code="cancelled")
    return _view(t)


def mark_unrepairable(session: Session, actor: Actor, ticket_id: uuid.UUID, findings: str) -> TicketView:
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    text = (findings or "").strip()
    if not text:
        raise ValidationError("diagnosis", "describe what you found")
    if "unrepairable" not in allowed_moves(t.status):
        raise IllegalMove(t.status, "unrepairable")
    _release(session, t)
    t.diagnosis = text[:4000]
    _move(session, actor, t, "unrepairable", code="unrepairable")
    return _view(t)
