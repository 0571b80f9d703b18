"""Intake: a device comes in and gets a ticket number, its first history entry and a
due time; what the intake form needs to know beforehand.

The passcode a customer gives at intake is sealed with AES-GCM under a random key kept
in the local ``sync_state`` table; the sealed value is never captured for sync
(``RepairTicket.__sync_exclude__``) and is purged at pickup (or when the ticket ends)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, overload

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.messages import events as message_events
from core.ids import uuid7
from core.models import (
    Appointment, Customer, Device, RepairEvent, RepairTicket, ServiceType, Staff, Store, SyncState, TicketCounter,
)
from core.permissions import Actor, Perm, require
from core.repairs.estimate import ready_by
from core.repairs.workflow import (
    CONDITION_CHECKS, CONTACT_PREFERENCES, DEFAULT_DUE_HOURS, DEVICE_KINDS, MAX_PASSCODE, SEAL_KEY, TicketView,
    _audit, _check_cents, _now, _staff_of_store, _ticket, _view,
)
from core.validation import normalize_free_text, normalize_imei, normalize_serial, optional
from core.vault import derive_subkey


# --- ticket numbers --------------------------------------------------------------------

def _highest_number(session: Session, store_id: uuid.UUID, code: str) -> int:
    prefix = f"{code}-"
    highest = 0
    for number in session.scalars(select(RepairTicket.number).where(RepairTicket.store_id == store_id,
                                                                    RepairTicket.number.like(f"{prefix}%"))):
        tail = number[len(prefix):]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return highest


def _next_ticket_number(session: Session, store_id: uuid.UUID) -> str:
    """``SH01-004213``: the store's code and its own counter. Only this store numbers its
    tickets, so offline stores never clash; the counter row is bumped inside the
    caller's write transaction, so two counters in one store never get the same number,
    and a crash before the commit takes the bump back with the ticket. A counter that
    lags behind tickets already there (a store rebuilt from a backup or from HQ) jumps
    past the highest number instead of handing out one twice."""
    store = get_or_not_found(session, Store, store_id, "store")
    conn = session.connection()
    bumped = conn.execute(update(TicketCounter).where(TicketCounter.store_id == store_id)
                          .values(next_number=TicketCounter.next_number + 1)
                          .returning(TicketCounter.next_number)).scalar()
    if bumped is None:
        number = _highest_number(session, store_id, store.code) + 1
        session.add(TicketCounter(store_id=store_id, next_number=number + 1))
        session.flush()
    else:
        number = bumped - 1
        taken = session.scalar(select(RepairTicket.id).where(RepairTicket.store_id == store_id,
                                                             RepairTicket.number == f"{store.code}-{number:06d}"))
        if taken is not None:
            number = _highest_number(session, store_id, store.code) + 1
            conn.execute(update(TicketCounter).where(TicketCounter.store_id == store_id)
                         .values(next_number=number + 1))
    return f"{store.code}-{number:06d}"


# --- the sealed passcode -----------------------------------------------------------------

@overload
def _sealing_key(session: Session, create: Literal[True]) -> bytes: ...
@overload
def _sealing_key(session: Session, create: Literal[False]) -> bytes | None: ...


def _sealing_key(session: Session, create: bool) -> bytes | None:
    """AES key for passcodes: derived from a random secret made once and kept in the local
    ``sync_state`` table (inside the encrypted file, never synced, survives a rekey)."""
    row = session.get(SyncState, SEAL_KEY)
    if row is None:
        if not create:
            return None
        row = SyncState(key=SEAL_KEY, value=os.urandom(32).hex())
        session.add(row)
        session.flush()
    return derive_subkey(bytes.fromhex(row.value), "passcode")


def _seal_passcode(session: Session, ticket_id: uuid.UUID, passcode: str) -> bytes:
    """Version byte, 12-byte nonce, ciphertext; the ticket id is the associated data, so a
    sealed value copied onto another ticket does not open."""
    key = _sealing_key(session, create=True)
    nonce = os.urandom(12)
    return b"\x01" + nonce + AESGCM(key).encrypt(nonce, passcode.encode("utf-8"), ticket_id.bytes)


def _unseal(session: Session, ticket_id: uuid.UUID, sealed: bytes) -> str:
    key = _sealing_key(session, create=False)
    if key is None or not sealed or sealed[:1] != b"\x01":
        raise Conflict("the stored passcode cannot be read")
    try:
        return AESGCM(key).decrypt(sealed[1:13], sealed[13:], ticket_id.bytes).decode("utf-8")
    except InvalidTag:
        raise Conflict("the stored passcode cannot be read") from None


def reveal_passcode(session: Session, actor: Actor, ticket_id: uuid.UUID) -> str | None:
    """The passcode for the technician working on the device; each look is audited."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.passcode_sealed is None:
        return None
    code = _unseal(session, t.id, t.passcode_sealed)
    audit.record(session, actor, "ticket.passcode_view", "repair_ticket", t.id)
    return code


# --- intake ------------------------------------------------------------------------------

def _clean_condition(condition: dict[str, Any] | None, notes: str | None,
                     errors: list[ValidationError]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (condition or {}).items():
        if key not in CONDITION_CHECKS:
            errors.append(ValidationError("condition", "is not a known check"))
            continue
        allowed = CONDITION_CHECKS[key]
        if value not in allowed or (isinstance(value, bool) != isinstance(allowed[0], bool)):
            errors.append(ValidationError(f"condition_{key}", "is not one of the listed answers"))
            continue
        out[key] = value
    try:
        text = normalize_free_text(notes, field="condition_notes", max_len=500, multiline=True)
        if text:
            out["notes"] = text
    except ValidationError as e:
        errors.append(e)
    return out


def open_ticket(session: Session, actor: Actor, *, customer_id: uuid.UUID | None, device_model: str = "",
                reported_fault: str, imei: str | None = None, serial: str | None = None,
                device_id: uuid.UUID | None = None, device_kind: str = "phone", passcode: str | None = None,
                condition: dict[str, Any] | None = None, condition_notes: str | None = None,
                accessories: str = "", approval_limit_cents: int = 0, contact_preference: str = "sms",
                appointment_id: uuid.UUID | None = None, technician_id: uuid.UUID | None = None,
                due_at: datetime | None = None) -> TicketView:
    """Intake: a device comes in (from a checked-in appointment, a walk-in, or the
    customer's profile) and gets a ticket number, its first history entry and a due time."""
    require(actor, Perm.WORK_TICKETS)
    errors: list[ValidationError] = []
    now = _now()
    model = (device_model or "").strip()
    if device_id is None:
        if not model:
            errors.append(ValidationError("device_model", "is required"))
        elif len(model) > 120:
            errors.append(ValidationError("device_model", "must be at most {n} characters", n=120))
        if device_kind not in DEVICE_KINDS:
            errors.append(ValidationError("device_kind", "is not a known kind of device"))
    fault = ""
    try:
        fault = normalize_free_text(reported_fault, field="reported_fault", max_len=2000, multiline=True)
        if not fault:
            errors.append(ValidationError("reported_fault", "describe the fault as the customer tells it"))
    except ValidationError as e:
        errors.append(e)
    try:
        imei = optional(normalize_imei, imei)
    except ValidationError as e:
        errors.append(e)
    try:
        serial = optional(normalize_serial, serial)
    except ValidationError as e:
        errors.append(e)
    if passcode is not None and not isinstance(passcode, str):
        errors.append(ValidationError("passcode", "must be text"))
        passcode = None
    passcode = passcode if passcode and passcode.strip() else None
    if passcode is not None and len(passcode) > MAX_PASSCODE:
        errors.append(ValidationError("passcode", "must be at most {n} characters", n=MAX_PASSCODE))
    cond = _clean_condition(condition, condition_notes, errors)
    accessories = (accessories or "").strip()
    if len(accessories) > 300:
        errors.append(ValidationError("accessories", "must be at most {n} characters", n=300))
    limit = _check_cents(approval_limit_cents, "approval_limit", errors)
    if contact_preference not in CONTACT_PREFERENCES:
        errors.append(ValidationError("contact_preference", "is not a way we contact customers"))
    if due_at is not None and (due_at.tzinfo is None or due_at <= now):
        errors.append(ValidationError("due_at", "must be in the future"))
    if errors:
        raise ValidationErrors(errors)

    appointment = None
    if appointment_id is not None:
        appointment = get_or_not_found(session, Appointment, appointment_id, "appointment",
                                       store_id=actor.store_id)
        if appointment.status not in ("checked_in", "in_service"):
            raise Conflict("the appointment is not checked in")
        if session.scalar(select(RepairTicket.id).where(RepairTicket.appointment_id == appointment_id)):
            raise Conflict("this appointment already has a repair ticket")
        if customer_id is None:
            customer_id = appointment.customer_id
        elif appointment.customer_id is not None and appointment.customer_id != customer_id:
            raise ValidationError("customer", "is not the customer of the appointment")
        if technician_id is None:
            technician_id = appointment.technician_id
    customer = None
    if customer_id is not None:
        customer = get_or_not_found(session, Customer, customer_id, "customer", live=lambda c: not c.erased)
        if contact_preference in ("sms", "phone") and not customer.phone_e164:
            raise ValidationError("contact_preference", "the customer has no phone number on file")
        if contact_preference == "email" and not customer.email:
            raise ValidationError("contact_preference", "the customer has no e-mail address on file")
    if technician_id is not None:
        _staff_of_store(session, actor, technician_id, "technician")

    device: Device | None
    if device_id is not None:
        device = get_or_not_found(session, Device, device_id, "device")
        if customer_id is not None and device.customer_id not in (None, customer_id):
            raise ValidationError("device", "belongs to another customer")
    else:
        device = None
        if customer_id is not None and (imei or serial):
            # the same phone brought in again: one device record, its repair history together
            same = [Device.imei == imei] if imei else []
            same += [Device.serial == serial] if serial else []
            device = session.scalars(select(Device).where(Device.customer_id == customer_id, or_(*same))).first()
        if device is None:
            device = Device(customer_id=customer_id, kind=device_kind, model=model, imei=imei, serial=serial)
            session.add(device)
            session.flush()
    store = session.get(Store, actor.store_id)
    hours = int(((store.settings or {}) if store else {}).get("repair_due_hours", DEFAULT_DUE_HOURS))
    if due_at is None:      # promised within opening hours: after closing it moves to the next opening
        due_at = ready_by(now, hours, (store.timezone if store else None) or "UTC",
                          dict(store.opening_hours or {}) if store else {})
    ticket = RepairTicket(id=uuid7(), store_id=actor.store_id,
                          number=_next_ticket_number(session, actor.store_id), customer_id=customer_id,
                          device_id=device.id, appointment_id=appointment_id, technician_id=technician_id,
                          status="new", reported_fault=fault, intake_condition=cond, accessories=accessories,
                          approval_limit_cents=limit, contact_preference=contact_preference,
                          due_at=due_at, created_at=now, updated_at=now)
    if passcode is not None:
        ticket.passcode_sealed = _seal_passcode(session, ticket.id, passcode)
    session.add(ticket)
    session.flush()
    session.add(RepairEvent(ticket_id=ticket.id, at=now, staff_id=actor.staff_id, from_status=None,
                            to_status="new", note_code="checked_in", note_params={}))
    session.flush()
    _audit(session, actor, ticket, "ticket.open")
    message_events.repair_received(session, ticket, now)
    return _view(ticket)


@dataclass(frozen=True)
class DeviceChoice:
    id: uuid.UUID
    model: str
    kind: str
    serial: str | None
    imei: str | None
    warranty_end: date | None
    coverage_end: date | None


@dataclass(frozen=True)
class AppointmentInfo:
    id: uuid.UUID
    starts_at: datetime
    service: str
    status: str
    technician_id: uuid.UUID | None
    walk_in_name: str | None


@dataclass(frozen=True)
class IntakeContext:
    """What the intake form needs to know before staff type: whose device, which
    devices they have, the appointment it comes from, who can work on it."""

    customer_id: uuid.UUID | None
    customer_name: str
    has_phone: bool
    has_email: bool
    devices: tuple[DeviceChoice, ...]
    appointment: AppointmentInfo | None
    technicians: tuple[tuple[uuid.UUID, str], ...]
    currency: str


def _devices_of(session: Session, customer_id: uuid.UUID) -> tuple[DeviceChoice, ...]:
    q = select(Device).where(Device.customer_id == customer_id).order_by(Device.created_at.desc())
    return tuple(DeviceChoice(d.id, d.model, d.kind, d.serial, d.imei, d.warranty_end, d.coverage_end)
                 for d in session.scalars(q))


def intake_context(session: Session, actor: Actor, *, customer_id: uuid.UUID | None = None,
                   appointment_id: uuid.UUID | None = None) -> IntakeContext:
    require(actor, Perm.WORK_TICKETS)
    appt_info = None
    if appointment_id is not None:
        a = get_or_not_found(session, Appointment, appointment_id, "appointment", store_id=actor.store_id)
        service = session.get(ServiceType, a.service_type_id)
        appt_info = AppointmentInfo(a.id, a.starts_at, service.name if service else "", a.status, a.technician_id,
                                    a.walk_in_name)
        customer_id = customer_id or a.customer_id
    name, has_phone, has_email = "", False, False
    devices: tuple[DeviceChoice, ...] = ()
    if customer_id is not None:
        c = get_or_not_found(session, Customer, customer_id, "customer", live=lambda c: not c.erased)
        name, has_phone, has_email = c.display_name, bool(c.phone_e164), bool(c.email)
        devices = _devices_of(session, customer_id)
        audit.record(session, actor, "customer.view", "customer", c.id, detail="intake")
    elif appt_info is not None:
        name = appt_info.walk_in_name or ""
    techs = tuple((s.id, s.display_name) for s in session.scalars(
        select(Staff).where(Staff.store_id == actor.store_id, Staff.active.is_(True), Staff.role == "technician")
        .order_by(Staff.display_name)))
    store = session.get(Store, actor.store_id)
    return IntakeContext(customer_id, name, has_phone, has_email, devices, appt_info, techs,
                         store.currency if store else "USD")
