"""Pickup: the device goes back to the customer, with their signature and how it was paid."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from core import audit
from core.care.invitations import invite_by_message
from core.errors import Conflict, ValidationError, ValidationErrors
from core.models import Customer, RepairTicket
from core.permissions import Actor, Perm, require
from core.repairs.quoting import ticket_amounts
from core.repairs.workflow import (
    MAX_SIGNATURE_BYTES, PAYMENT_STATUSES, PNG_MAGIC, SCAN_PREFIX, IllegalMove, TicketView, _audit, _move, _note, _now,
    _ticket, _view,
)
from core.validation import normalize_free_text, normalize_name


# how the person collecting proved who they are (RepairTicket.pickup_proof)
PROOFS = ("receipt", "phone", "override")


def amount_due(session: Session, t: RepairTicket) -> int:
    return ticket_amounts(session, t).amount_due_cents


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _proof(session: Session, t: RepairTicket, identity: str) -> str:
    """Which proof ``identity`` is for this ticket: the intake receipt's code (its barcode holds
    the ticket number; the label's QR code the number behind ``SCAN_PREFIX``) or the last four
    digits of the customer's phone on file. A customer with no phone proves by the receipt."""
    text = "".join(identity.split()).upper()
    if text.startswith(SCAN_PREFIX):
        text = text[len(SCAN_PREFIX):]
    if text == t.number.upper():
        return "receipt"
    c = session.get(Customer, t.customer_id) if t.customer_id else None
    phone = _digits(c.phone_e164 or "") if c is not None and not c.erased else ""
    if len(text) == 4 and text.isdigit():
        if not phone:
            raise ValidationError("identity", "no phone is on file: scan the intake receipt")
        if phone.endswith(text):
            return "phone"
    raise ValidationError("identity", "the code or the phone's last four digits do not match")


def pickup(session: Session, actor: Actor, ticket_id: uuid.UUID, *, collected_by: str,
           signature_png: bytes | None = None, signature_name: str | None = None,
           payment_status: str, identity: str = "", override_reason: str | None = None) -> TicketView:
    """The device goes back to the customer: who took it, their signature (drawn on the
    screen, or their typed name), how it was paid. The stored passcode is purged.
    A repaired device (ready) becomes collected; a cancelled or unrepairable one keeps
    its status and records the hand-back.

    Whoever collects proves it first (``identity``): the intake receipt's code, or the last
    four digits of the customer's phone on file. Without either a manager may override with
    ``override_reason`` (kept in the ticket's history). The audit says which proof was used,
    never what was typed."""
    require(actor, Perm.WORK_TICKETS)
    errors: list[ValidationError] = []
    reason = ""
    if override_reason is not None:
        require(actor, Perm.CORRECT_PICKUPS)
        try:
            reason = normalize_free_text(override_reason, field="override_reason", max_len=300)
            if not reason:
                errors.append(ValidationError("override_reason", "give the reason for handing over without proof"))
        except ValidationError as e:
            errors.append(e)
    elif not (identity or "").strip():
        errors.append(ValidationError("identity", "scan the intake receipt or type the phone's last four digits"))
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
    proof = "override" if override_reason is not None else _proof(session, t, identity)
    due = amount_due(session, t)
    if due > 0 and payment_status == "no_charge":
        raise ValidationError("payment_status", "the repair is charged: take payment or invoice it")
    if due == 0 and payment_status != "no_charge":
        raise ValidationError("payment_status", "nothing is due for this ticket")
    t.collected_by, t.pickup_signature, t.pickup_signature_name = who, signature_png, typed
    t.payment_status, t.collected_at, t.pickup_proof = payment_status, _now(), proof
    t.passcode_sealed = None
    if proof == "override":
        _note(session, actor, t, reason, code="handed_over_override")
    if t.status == "ready":
        _move(session, actor, t, "collected", code="collected")
    else:
        _note(session, actor, t, code="returned_unrepaired")
        session.flush()
        _audit(session, actor, t, "ticket.returned")
    session.flush()
    # which proof, never the digits: kept for walk-in tickets too
    audit.record(session, actor, "ticket.identity", "repair_ticket", t.id, detail=f"proof={proof}")
    # "still waiting" was cancelled by the move; a handed-back device may ask how it went
    invite_by_message(session, actor, t, _now())
    return _view(t)
