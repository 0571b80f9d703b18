"""Repair tickets from intake to pickup: the bench.

A ticket moves through a fixed workflow (``TRANSITIONS``); every move goes through
``_move``, which refuses what the table does not allow and writes one ``RepairEvent``
(who, when, from where to where). The actions staff take (intake, diagnosis and
quote, the customer's approval, parts arriving, repair done, quality check, pickup)
each make at most one move.

Parts: a quote lists them; they are reserved once the customer accepted the quote
(or it is within their approval limit), consumed when the repair is done and released
when the ticket is cancelled. Stock never goes below zero (CHECK constraints back the
code); a part that is not in stock moves the ticket to awaiting parts.

The passcode a customer gives at intake is sealed with AES-GCM under a random key kept
in the local ``sync_state`` table; the sealed value is never captured for sync
(``RepairTicket.__sync_exclude__``) and is purged at pickup (or when the ticket ends).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, aliased

from core import audit, clock, money
from core.errors import Conflict, NotFound, ValidationError, ValidationErrors
from core.ids import uuid7
from core.models import (
    Appointment, Customer, Device, Part, PartStock, RepairEvent, RepairPart, RepairTicket, ServiceType, Staff,
    Store, SyncState, TicketCounter,
)
from core.permissions import Actor, Perm, require
from core.validation import normalize_imei, normalize_name, normalize_serial, optional
from core.vault import derive_subkey

# --- the workflow ----------------------------------------------------------------------

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
CONTACT_PREFERENCES = ("sms", "phone", "email")
APPROVAL_CHANNELS = ("in_store", "phone", "sms", "email")
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


def _move(session: Session, actor: Actor, t: RepairTicket, target: str, note: str = "") -> None:
    """The one place a ticket's status changes: checked against the table, written to
    the history, the passcode purged once nobody works on the device any more."""
    if target not in TRANSITIONS.get(t.status, ()):
        raise IllegalMove(t.status, target)
    session.add(RepairEvent(ticket_id=t.id, at=_now(), staff_id=actor.staff_id, from_status=t.status,
                            to_status=target, note=note[:500]))
    t.status = target
    if target in CLOSED_STATUSES:
        t.passcode_sealed = None
    session.flush()
    _audit(session, actor, t, f"ticket.{target}")


def _note(session: Session, actor: Actor, t: RepairTicket, note: str) -> None:
    """A history entry that is not a move (assignment, device handed back)."""
    session.add(RepairEvent(ticket_id=t.id, at=_now(), staff_id=actor.staff_id, from_status=t.status,
                            to_status=t.status, note=note[:500]))


def _audit(session: Session, actor: Actor, t: RepairTicket, action: str, detail: str = "") -> None:
    if t.customer_id is not None:
        audit.record(session, actor, action, "repair_ticket", t.id, detail=detail)


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
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound("store")
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


# --- views ---------------------------------------------------------------------------------

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
    t = session.get(RepairTicket, ticket_id)
    if t is None or t.store_id != actor.store_id:
        raise NotFound("repair ticket")
    return t


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


# --- intake ------------------------------------------------------------------------------

def _clean_condition(condition: dict | None, notes: str | None, errors: list[ValidationError]) -> dict:
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
    text = (notes or "").strip()
    if len(text) > 500:
        errors.append(ValidationError("condition_notes", "must be at most {n} characters", n=500))
    elif text:
        out["notes"] = text
    return out


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
    fault = (reported_fault or "").strip()
    if not fault:
        errors.append(ValidationError("reported_fault", "describe the fault as the customer tells it"))
    elif len(fault) > 2000:
        errors.append(ValidationError("reported_fault", "must be at most {n} characters", n=2000))
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
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.store_id != actor.store_id:
            raise NotFound("appointment")
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
        customer = session.get(Customer, customer_id)
        if customer is None or customer.erased:
            raise NotFound("customer")
        if contact_preference in ("sms", "phone") and not customer.phone_e164:
            raise ValidationError("contact_preference", "the customer has no phone number on file")
        if contact_preference == "email" and not customer.email:
            raise ValidationError("contact_preference", "the customer has no e-mail address on file")
    if technician_id is not None:
        _staff_of_store(session, actor, technician_id, "technician")

    if device_id is not None:
        device = session.get(Device, device_id)
        if device is None:
            raise NotFound("device")
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
    ticket = RepairTicket(id=uuid7(), store_id=actor.store_id,
                          number=_next_ticket_number(session, actor.store_id), customer_id=customer_id,
                          device_id=device.id, appointment_id=appointment_id, technician_id=technician_id,
                          status="new", reported_fault=fault, intake_condition=cond, accessories=accessories,
                          approval_limit_cents=limit, contact_preference=contact_preference,
                          due_at=due_at or now + timedelta(hours=hours), created_at=now, updated_at=now)
    if passcode is not None:
        ticket.passcode_sealed = _seal_passcode(session, ticket.id, passcode)
    session.add(ticket)
    session.flush()
    session.add(RepairEvent(ticket_id=ticket.id, at=now, staff_id=actor.staff_id, from_status=None,
                            to_status="new", note="Checked in at the counter"))
    session.flush()
    _audit(session, actor, ticket, "ticket.open")
    return _view(ticket)


intake = open_ticket


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
        a = session.get(Appointment, appointment_id)
        if a is None or a.store_id != actor.store_id:
            raise NotFound("appointment")
        service = session.get(ServiceType, a.service_type_id)
        appt_info = AppointmentInfo(a.id, a.starts_at, service.name if service else "", a.status, a.technician_id,
                                    a.walk_in_name)
        customer_id = customer_id or a.customer_id
    name, has_phone, has_email, devices = "", False, False, ()
    if customer_id is not None:
        c = session.get(Customer, customer_id)
        if c is None or c.erased:
            raise NotFound("customer")
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


# --- assignment and diagnosis -------------------------------------------------------------------

def assign(session: Session, actor: Actor, ticket_id: uuid.UUID, technician_id: uuid.UUID | None) -> TicketView:
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status in CLOSED_STATUSES:
        raise Conflict("the ticket is closed")
    if technician_id == t.technician_id:
        return _view(t)
    name = _staff_of_store(session, actor, technician_id, "technician").display_name if technician_id else ""
    t.technician_id = technician_id
    _note(session, actor, t, f"Assigned to {name}" if name else "Unassigned")
    session.flush()
    _audit(session, actor, t, "ticket.assign")
    return _view(t)


def start_diagnosis(session: Session, actor: Actor, ticket_id: uuid.UUID) -> TicketView:
    """The technician takes the device; an unassigned ticket becomes theirs."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "new":
        raise Conflict("diagnosis starts on a new ticket")
    _move(session, actor, t, "diagnosing", "Diagnosis started")
    if t.technician_id is None:
        t.technician_id = actor.staff_id
    session.flush()
    return _view(t)


@dataclass(frozen=True)
class QuoteLine:
    part_id: uuid.UUID
    quantity: int = 1
    covered: bool | None = None     # None: as the warranty decision says


@dataclass(frozen=True)
class QuoteResult:
    ticket: TicketView
    warranty_decision: str
    parts_cents: int          # charged parts
    labour_cents: int         # charged labour
    total_cents: int          # what the customer pays, tax included
    needs_approval: bool
    missing_parts: tuple[str, ...]   # SKUs not in stock: the ticket waits for them
    tax_cents: int = 0        # the tax in the total (included in it or added to it, as the store says)


def decide_warranty(warranty_end: date | None, coverage_end: date | None, on_day: date,
                    accidental_damage: bool) -> str:
    """The manufacturer's warranty covers faults, not accidents; an accident-coverage plan
    covers accidents too. Judged on the day the device came in."""
    if not accidental_damage and warranty_end is not None and warranty_end >= on_day:
        return "in_warranty"
    if coverage_end is not None and coverage_end >= on_day:
        return "coverage"
    return "chargeable"


def store_tax(session: Session, store_id: uuid.UUID) -> money.TaxRule:
    return money.TaxRule.of(session.get(Store, store_id))


def _ticket_tax(session: Session, t: RepairTicket) -> money.TaxRule:
    """The tax rule of the ticket's quote, kept on the ticket; the store's own before a quote."""
    if t.tax_rate is None:
        return store_tax(session, t.store_id)
    return money.TaxRule.of(t)


def ticket_amounts(session: Session, t: RepairTicket) -> money.Breakdown:
    """The ticket's money by core.money's rules (nothing before a quote): what the bench,
    the pickup, the printed documents and the loyalty ledger all show."""
    tax = _ticket_tax(session, t)
    if t.quote_cents is None:
        return money.breakdown(t.warranty_decision, (), 0, tax, t.status)
    rows = session.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id).order_by(RepairPart.id))
    lines = [money.Line(rp.price_cents, rp.quantity, rp.covered, rp.state == "released") for rp in rows]
    return money.breakdown(t.warranty_decision, lines, t.labour_cents, tax, t.status)


def _local_day(session: Session, store_id: uuid.UUID, at: datetime) -> date:
    store = session.get(Store, store_id)
    return at.astimezone(ZoneInfo(store.timezone if store else "UTC")).date()


def _stock(session: Session, store_id: uuid.UUID, part_id: uuid.UUID) -> PartStock | None:
    return session.get(PartStock, (store_id, part_id))


def _reserve(session: Session, t: RepairTicket) -> list[str]:
    """Reserve every quoted line that stock allows; the SKUs that had to wait."""
    missing = []
    for rp in session.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id, RepairPart.state == "quoted")
                              .order_by(RepairPart.id)):
        stock = _stock(session, t.store_id, rp.part_id)
        if stock is not None and stock.on_hand - stock.reserved >= rp.quantity:
            stock.reserved += rp.quantity
            rp.state = "reserved"
        else:
            missing.append(session.get(Part, rp.part_id).sku)
    session.flush()
    return missing


def _release(session: Session, t: RepairTicket) -> None:
    for rp in session.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id,
                                                       RepairPart.state.in_(("quoted", "reserved")))):
        if rp.state == "reserved":
            stock = _stock(session, t.store_id, rp.part_id)
            stock.reserved -= rp.quantity
        rp.state = "released"
    session.flush()


def _route_after_acceptance(session: Session, actor: Actor, t: RepairTicket, note: str) -> list[str]:
    missing = _reserve(session, t)
    if missing:
        _move(session, actor, t, "awaiting_parts", f"{note}; waiting for parts: {', '.join(missing)}")
        t.due_at = max(t.due_at or _now(), _now() + timedelta(hours=PARTS_DELAY_HOURS))
    else:
        has_parts = session.scalar(select(RepairPart.id).where(RepairPart.ticket_id == t.id,
                                                               RepairPart.state == "reserved").limit(1))
        _move(session, actor, t, "in_repair", f"{note}; parts reserved" if has_parts else note)
    session.flush()
    return missing


def quote(session: Session, actor: Actor, ticket_id: uuid.UUID, *, diagnosis: str,
          lines: Sequence[QuoteLine | tuple] = (), labour_cents: int = 0,
          accidental_damage: bool | None = None) -> QuoteResult:
    """The technician's findings and the price. Above the customer's approval limit the
    ticket waits for their approval; within it the parts are reserved at once and the
    repair starts (or waits for parts not in stock)."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "diagnosing":
        raise Conflict("a quote is made while the ticket is being diagnosed")
    errors: list[ValidationError] = []
    findings = (diagnosis or "").strip()
    if not findings:
        errors.append(ValidationError("diagnosis", "describe what you found"))
    elif len(findings) > 4000:
        errors.append(ValidationError("diagnosis", "must be at most {n} characters", n=4000))
    labour = _check_cents(labour_cents, "labour", errors)
    clean: list[QuoteLine] = []
    for line in lines:
        line = line if isinstance(line, QuoteLine) else QuoteLine(*line)
        if not isinstance(line.quantity, int) or not 1 <= line.quantity <= MAX_QUANTITY:
            errors.append(ValidationError("parts", "a quantity must be between 1 and {n}", n=MAX_QUANTITY))
        clean.append(line)
    if len({ln.part_id for ln in clean}) != len(clean):
        errors.append(ValidationError("parts", "list each part once"))
    if errors:
        raise ValidationErrors(errors)
    parts = {}
    for ln in clean:
        part = session.get(Part, ln.part_id)
        if part is None:
            raise NotFound("part")
        parts[ln.part_id] = part
    device = session.get(Device, t.device_id) if t.device_id else None
    if accidental_damage is None:
        accidental_damage = (t.intake_condition or {}).get("liquid_indicator") == "tripped"
    decision = decide_warranty(device.warranty_end if device else None, device.coverage_end if device else None,
                               _local_day(session, t.store_id, t.created_at), accidental_damage)
    if decision == "chargeable" and any(ln.covered for ln in clean):
        raise ValidationError("parts", "nothing covers this repair: every part is charged")
    tax = store_tax(session, t.store_id)
    amounts = money.breakdown(decision, [money.Line(parts[ln.part_id].price_cents, ln.quantity, ln.covered)
                                         for ln in clean], labour, tax)
    # a new quote replaces the lines of an earlier one (only quoted lines exist while diagnosing)
    for old in session.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id)):
        if old.state == "quoted":
            session.delete(old)
    for ln in clean:
        session.add(RepairPart(id=uuid7(), ticket_id=t.id, part_id=ln.part_id, quantity=ln.quantity,
                               price_cents=parts[ln.part_id].price_cents,
                               covered=money.line_covered(decision, ln.covered), state="quoted"))
    total = amounts.total_cents
    t.diagnosis, t.labour_cents, t.quote_cents, t.warranty_decision = findings, labour, total, decision
    t.tax_rate, t.tax_inclusive, t.tax_label = f"{tax.rate:f}", tax.inclusive, tax.label
    t.approval = t.approval_at = t.approval_channel = None
    session.flush()
    needs_approval = money.needs_approval(total, t.approval_limit_cents)
    missing: list[str] = []
    if needs_approval:
        _move(session, actor, t, "awaiting_approval", "Quote sent to the customer")
    else:
        t.approval, t.approval_at, t.approval_channel = "approved", _now(), "limit"
        missing = _route_after_acceptance(session, actor, t, "Quote within the customer's approval limit")
    return QuoteResult(_view(t), decision, amounts.parts_cents, amounts.labour_charged_cents, total,
                       needs_approval, tuple(missing), amounts.tax_cents)


def reopen_diagnosis(session: Session, actor: Actor, ticket_id: uuid.UUID, note: str = "") -> TicketView:
    """The customer asks for another option before deciding: back to diagnosis for a new quote."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "awaiting_approval":
        raise Conflict("only a quote that waits for approval can be revised")
    _move(session, actor, t, "diagnosing", note.strip() or "Quote to be revised")
    return _view(t)


def record_approval(session: Session, actor: Actor, ticket_id: uuid.UUID, *, approved: bool, channel: str,
                    note: str = "") -> TicketView:
    """The customer's answer to a quote, with when and how it came. Approval reserves the
    parts (repair starts, or waits for parts); refusal cancels the ticket."""
    require(actor, Perm.WORK_TICKETS)
    if channel not in APPROVAL_CHANNELS:
        raise ValidationError("channel", "is not a way customers answer")
    t = _ticket(session, actor, ticket_id)
    if t.status != "awaiting_approval":
        raise Conflict("the ticket is not waiting for the customer's approval")
    t.approval, t.approval_at, t.approval_channel = ("approved" if approved else "refused"), _now(), channel
    note = note.strip()
    if approved:
        _route_after_acceptance(session, actor, t, note or f"Customer approved the quote ({channel})")
    else:
        _release(session, t)
        _move(session, actor, t, "cancelled", note or f"Customer refused the quote ({channel})")
    return _view(t)


# --- parts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PartRow:
    id: uuid.UUID
    sku: str
    name: str
    price_cents: int
    fits: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def list_parts(session: Session, actor: Actor, text: str = "", *, fits: str | None = None,
               limit: int = 50) -> list[PartRow]:
    """The parts list with prices and this store's stock; parts that fit ``fits`` (a
    device model) first."""
    require(actor, Perm.WORK_TICKETS)
    q = (select(Part, PartStock.on_hand, PartStock.reserved)
         .outerjoin(PartStock, (PartStock.part_id == Part.id) & (PartStock.store_id == actor.store_id)))
    text = (text or "").strip().lower()
    if text:
        like = f"%{text}%"
        q = q.where(or_(func.lower(Part.sku).like(like), func.lower(Part.name).like(like),
                        func.lower(Part.fits).like(like)))
    order = [Part.fits != fits] if fits else []
    q = q.order_by(*order, Part.name).limit(limit)
    return [PartRow(p.id, p.sku, p.name, p.price_cents, p.fits, on_hand or 0, reserved or 0)
            for p, on_hand, reserved in session.execute(q)]


def receive_stock(session: Session, actor: Actor, part_id: uuid.UUID, quantity: int) -> PartRow:
    """Parts delivered to this store. Tickets waiting for them go on with ``resume_repair``."""
    require(actor, Perm.WORK_TICKETS)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 999:
        raise ValidationError("quantity", "must be between 1 and {n}", n=999)
    part = session.get(Part, part_id)
    if part is None:
        raise NotFound("part")
    stock = _stock(session, actor.store_id, part_id)
    if stock is None:
        stock = PartStock(store_id=actor.store_id, part_id=part_id, on_hand=0, reserved=0)
        session.add(stock)
    stock.on_hand += quantity
    session.flush()
    audit.record(session, actor, "stock.receive", "part", part.id, detail=str(quantity))
    return PartRow(part.id, part.sku, part.name, part.price_cents, part.fits, stock.on_hand, stock.reserved)


def resume_repair(session: Session, actor: Actor, ticket_id: uuid.UUID) -> TicketView:
    """The parts arrived: reserve them and start the repair. Nothing changes while any is
    still missing."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "awaiting_parts":
        raise Conflict("the ticket is not waiting for parts")
    missing = _reserve(session, t)
    if missing:
        raise Conflict("parts for this ticket are still out of stock")
    _move(session, actor, t, "in_repair", "Parts arrived and reserved")
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
        stock = _stock(session, t.store_id, rp.part_id)
        stock.on_hand -= rp.quantity
        stock.reserved -= rp.quantity
        rp.state = "consumed"
    session.flush()
    _move(session, actor, t, "quality_check", note.strip() or "Repair done; testing")
    return _view(t)


# --- quality check, cancel, unrepairable ----------------------------------------------------------

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
        _move(session, actor, t, "ready", note or "Passed checks; customer notified")
    else:
        failed = ", ".join(c for c in QC_CHECKS if not checks[c])
        _move(session, actor, t, "in_repair", f"Failed checks: {failed}" + (f"; {note}" if note else ""))
    return _view(t)


def cancel(session: Session, actor: Actor, ticket_id: uuid.UUID, reason: str = "") -> TicketView:
    """Stop work on the customer's wish: reserved parts go back to stock."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if "cancelled" not in allowed_moves(t.status):
        raise IllegalMove(t.status, "cancelled")
    _release(session, t)
    _move(session, actor, t, "cancelled", reason.strip() or "Cancelled at the customer's request")
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
    _move(session, actor, t, "unrepairable", "Not repairable; device to be returned as is")
    return _view(t)


# --- pickup ------------------------------------------------------------------------------------

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
    if payment_status not in PAYMENT_STATUSES:
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


# --- the bench board ----------------------------------------------------------------------------

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


def _board_query(actor: Actor):
    tech = aliased(Staff)
    since = (select(func.max(RepairEvent.at)).where(RepairEvent.ticket_id == RepairTicket.id)
             .correlate(RepairTicket).scalar_subquery())
    return (select(RepairTicket, Customer, Device.model, tech.display_name, since)
            .outerjoin(Customer, Customer.id == RepairTicket.customer_id)
            .outerjoin(Device, Device.id == RepairTicket.device_id)
            .outerjoin(tech, tech.id == RepairTicket.technician_id)
            .where(RepairTicket.store_id == actor.store_id))


def _board_rows(session: Session, q, now: datetime) -> list[BoardRow]:
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


# --- the whole ticket: workspace, service report, receipt, label ---------------------------------------

@dataclass(frozen=True)
class PartLine:
    id: uuid.UUID
    part_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    covered: bool
    state: str                 # quoted, reserved, consumed, released
    charged_cents: int         # what the customer pays for this line
    in_stock: int              # available now in this store (on hand minus reserved)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    staff: str
    from_status: str | None
    to_status: str
    note: str


@dataclass(frozen=True)
class TicketDetail:
    """Everything the workspace shows and a service report, intake receipt or device
    label prints. Money in the store currency's smallest unit."""

    id: uuid.UUID
    number: str
    barcode: str               # what the label's barcode encodes (Code 128): the number
    status: str
    allowed_moves: tuple[str, ...]
    # store
    store_code: str
    store_name: str
    store_address: str
    store_phone: str | None
    store_timezone: str
    currency: str
    # customer
    customer_id: uuid.UUID | None
    customer_name: str
    customer_phone: str | None
    customer_email: str | None
    contact_preference: str
    # device
    device_id: uuid.UUID | None
    device_model: str
    device_kind: str
    serial: str | None
    imei: str | None
    purchase_date: date | None
    warranty_end: date | None
    coverage_end: date | None
    # intake
    created_at: datetime
    intake_by: str
    appointment_id: uuid.UUID | None
    reported_fault: str
    condition: tuple[tuple[str, Any], ...]    # (check, answer) in checklist order, then others
    condition_notes: str
    accessories: str
    has_passcode: bool
    approval_limit_cents: int
    due_at: datetime | None
    overdue: bool
    technician_id: uuid.UUID | None
    technician: str
    # diagnosis and quote
    diagnosis: str
    parts: tuple[PartLine, ...]
    labour_cents: int                 # as quoted
    labour_charged_cents: int
    parts_charged_cents: int
    total_cents: int | None           # what the customer pays, tax included; None before a quote
    amounts: money.Breakdown          # the whole breakdown: subtotal, tax, total, amount due
    warranty_decision: str | None
    approval: str | None
    approval_at: datetime | None
    approval_channel: str | None
    # quality check and pickup
    quality_check: dict[str, Any]
    payment_status: str | None
    amount_due_cents: int
    collected_by: str | None
    collected_at: datetime | None
    signature_png: bytes | None
    signature_name: str | None
    history: tuple[HistoryEntry, ...]


def _condition_items(cond: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    items = [(k, cond[k]) for k in CONDITION_CHECKS if k in cond]
    items += [(k, v) for k, v in cond.items() if k not in CONDITION_CHECKS and k != "notes"]
    return tuple(items)


def ticket_detail(session: Session, actor: Actor, ticket_id: uuid.UUID, *, now: datetime | None = None) -> TicketDetail:
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    now = now or _now()
    store = session.get(Store, t.store_id)
    c = session.get(Customer, t.customer_id) if t.customer_id else None
    d = session.get(Device, t.device_id) if t.device_id else None
    tech = session.get(Staff, t.technician_id) if t.technician_id else None
    names = dict(session.execute(select(Staff.id, Staff.display_name).where(Staff.store_id == t.store_id)).all())
    events = session.scalars(select(RepairEvent).where(RepairEvent.ticket_id == t.id)
                             .order_by(RepairEvent.at, RepairEvent.id)).all()
    history = tuple(HistoryEntry(e.at, names.get(e.staff_id, ""), e.from_status, e.to_status, e.note) for e in events)
    amounts = ticket_amounts(session, t)
    lines = []
    for rp, part, on_hand, reserved in session.execute(
            select(RepairPart, Part, PartStock.on_hand, PartStock.reserved)
            .join(Part, Part.id == RepairPart.part_id)
            .outerjoin(PartStock, (PartStock.part_id == Part.id) & (PartStock.store_id == t.store_id))
            .where(RepairPart.ticket_id == t.id).order_by(RepairPart.id)):
        charged = money.charge(t.warranty_decision, money.Line(rp.price_cents, rp.quantity, rp.covered,
                                                               rp.state == "released")).charged_cents
        lines.append(PartLine(rp.id, part.id, part.sku, part.name, rp.quantity, rp.price_cents, rp.covered, rp.state,
                              charged, (on_hand or 0) - (reserved or 0)))
    if c is None and t.appointment_id:
        a = session.get(Appointment, t.appointment_id)
        walk_in = a.walk_in_name if a else None
    else:
        walk_in = None
    cond = t.intake_condition or {}
    _audit(session, actor, t, "ticket.view")
    return TicketDetail(
        id=t.id, number=t.number, barcode=t.number, status=t.status,
        allowed_moves=tuple(s for s in STATUSES if s in allowed_moves(t.status)),
        store_code=store.code, store_name=store.name, store_address=store.address, store_phone=store.phone,
        store_timezone=store.timezone, currency=store.currency,
        customer_id=t.customer_id, customer_name=c.display_name if c else (walk_in or ""),
        customer_phone=c.phone_e164 if c else None, customer_email=c.email if c else None,
        contact_preference=t.contact_preference,
        device_id=t.device_id, device_model=d.model if d else "", device_kind=d.kind if d else "",
        serial=d.serial if d else None, imei=d.imei if d else None, purchase_date=d.purchase_date if d else None,
        warranty_end=d.warranty_end if d else None, coverage_end=d.coverage_end if d else None,
        created_at=t.created_at, intake_by=history[0].staff if history else "", appointment_id=t.appointment_id,
        reported_fault=t.reported_fault, condition=_condition_items(cond), condition_notes=str(cond.get("notes", "")),
        accessories=t.accessories, has_passcode=t.passcode_sealed is not None,
        approval_limit_cents=t.approval_limit_cents, due_at=t.due_at,
        overdue=t.status in OPEN_STATUSES and t.status != "ready" and t.due_at is not None and t.due_at < now,
        technician_id=t.technician_id, technician=tech.display_name if tech else "",
        diagnosis=t.diagnosis, parts=tuple(lines), labour_cents=t.labour_cents,
        labour_charged_cents=amounts.labour_charged_cents, parts_charged_cents=amounts.parts_cents,
        total_cents=amounts.total_cents if t.quote_cents is not None else None, amounts=amounts,
        warranty_decision=t.warranty_decision,
        approval=t.approval, approval_at=t.approval_at, approval_channel=t.approval_channel,
        quality_check=dict(t.quality_check or {}), payment_status=t.payment_status,
        amount_due_cents=amounts.amount_due_cents,
        collected_by=t.collected_by, collected_at=t.collected_at, signature_png=t.pickup_signature,
        signature_name=t.pickup_signature_name, history=history)
