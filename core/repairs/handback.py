"""Pickup: the device goes back to the customer, with their signature and how it was paid."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from core.errors import Conflict, ValidationError, ValidationErrors
from core.models import RepairTicket
from core.permissions import Actor, Perm, require
from core.repairs.quoting import ticket_amounts
from core.repairs.workflow import (
    MAX_SIGNATURE_BYTES, PAYMENT_STATUSES, PNG_MAGIC, IllegalMove, TicketView, _audit, _move, _note, _now, _ticket,
    _view,
)
from core.validation import normalize_name


def amount_due(session: Session, t: RepairTicket) -> int:
    return ticket_amounts(session, t).amount_due_cents


def pickup(session: Session, actor: Actor, ticket_id: uuid.UUID, *, collected_by: str,
           signature_png: bytes | None = None, signature_name: str | None = None,
           payment_status: str) -> TicketView:
    """The device goes back to the customer: who took it, their signature (drawn on the
    screen, or their typed name), how it was paid. The stored passcode is purged.
    A repaired device (ready) becomes collected; a cancelled or unrepairable one keeps
    its status and records the hand-back."""
    require(actor, Perm.WORK_TICKETS)
    errors: list[ValidationError] = []
    try:
        who = normalize_name(collected_by or "", field="collected_by", max_len=120)
    except ValidationError as e:
        errors.append(e)
        who = ""
    typed = None
    if signature_png is not None:
        if not isinstance(signature_png, bytes) or not signature_png.startswith(PNG_MAGIC):
            errors.append(ValidationError("signature", "is not a picture of a signature"))
        elif len(signature_png) > MAX_SIGNATURE_BYTES:
            errors.append(ValidationError("signature", "is too large"))
    if signature_name is not None and signature_name.strip():
        try:
            typed = normalize_name(signature_name, field="signature_name", max_len=120)
        except ValidationError as e:
            errors.append(e)
    if signature_png is None and typed is None and not any(e.field.startswith("signature") for e in errors):
        errors.append(ValidationError("signature", "the customer signs on the screen or types their name"))
    if not payment_status:
        errors.append(ValidationError("payment_status", "choose how the customer paid"))
    elif payment_status not in PAYMENT_STATUSES:
        errors.append(ValidationError("payment_status", "is not a payment status"))
    if errors:
        raise ValidationErrors(errors)
    t = _ticket(session, actor, ticket_id)
    if t.status not in ("ready", "cancelled", "unrepairable"):
        raise IllegalMove(t.status, "collected")
    if t.collected_at is not None:
        raise Conflict("the device has already been handed back")
    due = amount_due(session, t)
    if due > 0 and payment_status == "no_charge":
        raise ValidationError("payment_status", "the repair is charged: take payment or invoice it")
    if due == 0 and payment_status != "no_charge":
        raise ValidationError("payment_status", "nothing is due for this ticket")
    t.collected_by, t.pickup_signature, t.pickup_signature_name = who, signature_png, typed
    t.payment_status, t.collected_at = payment_status, _now()
    t.passcode_sealed = None
    if t.status == "ready":
        _move(session, actor, t, "collected", "Collected by the customer")
    else:
        _note(session, actor, t, "Device handed back unrepaired")
        session.flush()
        _audit(session, actor, t, "ticket.returned")
    session.flush()
    return _view(t)
