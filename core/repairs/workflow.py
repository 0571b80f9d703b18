"""The workflow of a repair ticket: its statuses and which may follow which
(``TRANSITIONS``), and the helpers every step shares. Every move goes through ``_move``,
which refuses what the table does not allow and writes one ``RepairEvent`` (who, when,
from where to where)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, clock
from core.errors import Conflict, NotFound, ValidationError
from core.lookup import get_or_not_found
from core.messages import events as message_events
from core.models import RepairEvent, RepairTicket, Staff, Store
from core.permissions import Actor, Perm, require


STATUSES = ("new", "diagnosing", "awaiting_approval", "awaiting_parts", "in_repair", "quality_check", "ready",
            "collected", "cancelled", "unrepairable")
OPEN_STATUSES = ("new", "diagnosing", "awaiting_approval", "awaiting_parts", "in_repair", "quality_check", "ready")
CLOSED_STATUSES = ("collected", "cancelled", "unrepairable")

# Which status may follow which. Cancelled and unrepairable tickets end there: handing
# the device back is recorded (who, signature) without turning them into "collected",
# which means repaired and collected.
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"diagnosing", "cancelled"}),
    "diagnosing": frozenset({"awaiting_approval", "awaiting_parts", "in_repair", "unrepairable", "cancelled"}),
    "awaiting_approval": frozenset({"diagnosing", "awaiting_parts", "in_repair", "cancelled"}),
    "awaiting_parts": frozenset({"in_repair", "cancelled"}),
    "in_repair": frozenset({"quality_check", "unrepairable", "cancelled"}),
    "quality_check": frozenset({"ready", "in_repair"}),
    "ready": frozenset({"collected"}),
    "collected": frozenset(),
    "cancelled": frozenset(),
    "unrepairable": frozenset(),
}

# The intake checklist: each check and the answers it takes.
CONDITION_CHECKS: dict[str, tuple[Any, ...]] = {
    "screen": ("ok", "scratched", "cracked"),
    "body": ("ok", "worn", "dented", "cracked"),
    "buttons": ("ok", "faulty"),
    "cameras": ("ok", "faulty"),
    "liquid_indicator": ("clear", "tripped", "not_visible"),
    "powers_on": (True, False),
}
QC_CHECKS = ("powers_on", "display", "touch", "cameras", "buttons", "charging", "speakers", "connectivity")
DEVICE_KINDS = ("phone", "tablet", "laptop", "watch")
CONTACT_PREFERENCES = ("sms", "phone", "email", "none")
APPROVAL_CHANNELS = ("in_store", "phone", "sms", "email", "link")
# "link" is the customer's own answer on HQ's approval page (core.messages.links), never staff's pick
STAFF_APPROVAL_CHANNELS = tuple(c for c in APPROVAL_CHANNELS if c != "link")
PAYMENT_STATUSES = ("paid", "invoiced", "no_charge")
WARRANTY_DECISIONS = ("in_warranty", "coverage", "chargeable")

DEFAULT_DUE_HOURS = 72          # a ticket is due three days after intake ...
PARTS_DELAY_HOURS = 48          # ... and at least two days after it starts waiting for parts
MAX_CENTS = 100_000_000
MAX_QUANTITY = 99
MAX_PASSCODE = 64
MAX_SIGNATURE_BYTES = 256 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SEAL_KEY = "passcode.key"
SCAN_PREFIX = "ORCHARD:T:"

_CONFLICT_REASONS = {
    "illegal_move": "a ticket that is {current} cannot become {target}",
}


class IllegalMove(Conflict):
    """A status change the workflow does not allow; names both statuses (as codes)."""

    def __init__(self, current: str, target: str):
        self.current = current
        self.target = target
        super().__init__(_CONFLICT_REASONS["illegal_move"], current=current.replace("_", " "),
                         target=target.replace("_", " "))


def allowed_moves(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def _now() -> datetime:
    return clock.now()


def _move(session: Session, actor: Actor | None, t: RepairTicket, target: str, note: str = "", *,
          code: str | None = None, params: dict[str, Any] | None = None) -> None:
    """The one place a ticket's status changes: checked against the table, written to
    the history, the passcode purged once nobody works on the device any more. The
    history keeps the system's words as ``code`` and ``params`` (worded when shown, in
    the reader's language: core.terms.history_note) and staff's ``note`` as typed."""
    if target not in TRANSITIONS.get(t.status, ()):
        raise IllegalMove(t.status, target)
    # no actor: the system acting for the store (a customer's answer by link), no staff member
    session.add(RepairEvent(ticket_id=t.id, at=_now(), staff_id=actor.staff_id if actor else None,
                            from_status=t.status, to_status=target, note=note.strip()[:500], note_code=code,
                            note_params=params or {}))
    before, t.status = t.status, target
    if target in CLOSED_STATUSES:
        t.passcode_sealed = None
    session.flush()
    _audit(session, actor, t, f"ticket.{target}")
    message_events.ticket_moved(session, t, before, _now())     # the customer hears of it in the same unit of work


def _note(session: Session, actor: Actor, t: RepairTicket, note: str = "", *,
          code: str | None = None, params: dict[str, Any] | None = None) -> None:
    """A history entry that is not a move (assignment, device handed back)."""
    session.add(RepairEvent(ticket_id=t.id, at=_now(), staff_id=actor.staff_id, from_status=t.status,
                            to_status=t.status, note=note.strip()[:500], note_code=code, note_params=params or {}))


def _amount(session: Session, t: RepairTicket, cents: int | None) -> dict[str, Any]:
    """A history entry's amount: in the store's currency, worded when shown."""
    store = session.get(Store, t.store_id)
    if cents is None or store is None:
        return {}
    return {"amount_cents": cents, "currency": store.currency}


def _audit(session: Session, actor: Actor | None, t: RepairTicket, action: str, detail: str = "") -> None:
    if t.customer_id is not None:
        audit.record(session, actor, action, "repair_ticket", t.id, detail=detail)


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


def _ticket(session: Session, actor: Actor, ticket_id: uuid.UUID) -> RepairTicket:
    return get_or_not_found(session, RepairTicket, ticket_id, "repair ticket", store_id=actor.store_id)


def find_ticket(session: Session, actor: Actor, number: str) -> TicketView:
    """By the number on the device label (a scan types it in)."""
    require(actor, Perm.WORK_TICKETS)
    text = (number or "").strip().upper()
    if text.startswith(SCAN_PREFIX):        # the label's QR code carries the number behind this
        text = text[len(SCAN_PREFIX):]
    if not text:
        raise ValidationError("number", "is required")
    t = session.scalars(select(RepairTicket).where(RepairTicket.store_id == actor.store_id,
                                                   RepairTicket.number == text)).first()
    if t is None:
        raise NotFound("repair ticket")
    return _view(t)


def _check_cents(value: Any, field: str, errors: list[ValidationError]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors.append(ValidationError(field, "must be an amount of zero or more"))
        return 0
    if value > MAX_CENTS:
        errors.append(ValidationError(field, "is too large"))
        return 0
    return value


def _staff_of_store(session: Session, actor: Actor, staff_id: uuid.UUID, field: str) -> Staff:
    s = session.get(Staff, staff_id)
    if s is None or s.store_id != actor.store_id or not s.active:
        raise ValidationError(field, "is not active staff of this store")
    return s
