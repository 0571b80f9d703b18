"""The whole ticket as one read model (``TicketDetail``): what the bench's workspace
shows and what the service report, intake receipt and device label print (through
``core.report_data``, which adds only the store header and who asked), so a screen and
a printout of the same ticket cannot disagree."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import money, terms
from core.customers import view_for
from core.lookup import get_or_not_found
from core.models import (
    Appointment, Customer, Device, Part, PartStock, RepairEvent, RepairPart, RepairTicket, Staff, Store,
)
from core.permissions import Actor, Perm, require
from core.repairs.corrections import _warranty_end
from core.repairs.quoting import ticket_amounts
from core.repairs.workflow import (
    CONDITION_CHECKS, OPEN_STATUSES, SCAN_PREFIX, STATUSES, _audit, _now, _ticket, allowed_moves,
)


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
    note: str                  # what staff typed, as typed
    note_code: str | None = None                # the system's words, as a code ...
    note_params: Mapping[str, Any] = field(default_factory=dict)   # ... and its parameters

    def text(self, lang: str) -> str:
        """The entry's note as the reader reads it in ``lang`` (screen and paper alike)."""
        return terms.history_note(self.note_code, dict(self.note_params), lang, self.note)


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
    customer_short_name: str          # how a label or a call greets them
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
    # identity at pickup and the rework links: (id, number) of the ticket reworked / the reworks
    pickup_proof: str | None = None          # receipt, phone, override
    repair_warranty_end: date | None = None  # the repair's own warranty, once collected repaired
    rework_of: tuple[uuid.UUID, str] | None = None
    reworks: tuple[tuple[uuid.UUID, str], ...] = ()
    # True when customer_phone and customer_email hold masks (core.customers.view_for): the
    # actor's role may not see contact details, so neither the screen nor the paper gets them
    contact_masked: bool = False

    @property
    def phone_tail(self) -> str:
        """The last four digits: enough to tell two tickets apart on a label or receipt."""
        return self.customer_phone[-4:] if self.customer_phone else ""

    @property
    def qr_payload(self) -> str:
        """What the label's QR code holds; ``find_ticket`` reads it back."""
        return SCAN_PREFIX + self.number

    @property
    def quality_passed(self) -> bool | None:
        return self.quality_check.get("passed") if self.quality_check else None

    @property
    def quality_checks(self) -> tuple[tuple[str, bool], ...]:
        return tuple((k, bool(v)) for k, v in (self.quality_check.get("checks") or {}).items())


def _short_name(c: Customer) -> str:
    """How a label or a call greets the customer: the given name, or for a name in
    Chinese characters the whole name (family name first, as it is said)."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in c.family_name + c.given_name):
        return c.display_name
    return c.given_name or c.family_name


def _condition_items(cond: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    items = [(k, cond[k]) for k in CONDITION_CHECKS if k in cond]
    items += [(k, v) for k, v in cond.items() if k not in CONDITION_CHECKS and k != "notes"]
    return tuple(items)


def ticket_detail(session: Session, actor: Actor, ticket_id: uuid.UUID, *, now: datetime | None = None,
                  audit_action: str = "ticket.view") -> TicketDetail:
    """The ticket, audited as read for ``audit_action`` (a printed document names itself).
    The customer's phone and email as the actor may see them (``customers.view_for``):
    masked for a role without Perm.SEE_CONTACT_DETAILS, on screen and on paper alike."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    now = now or _now()
    store = get_or_not_found(session, Store, t.store_id, "store")
    c = session.get(Customer, t.customer_id) if t.customer_id else None
    contact = view_for(actor, c) if c else None
    d = session.get(Device, t.device_id) if t.device_id else None
    tech = session.get(Staff, t.technician_id) if t.technician_id else None
    names: dict[uuid.UUID | None, str] = dict(
        session.execute(select(Staff.id, Staff.display_name).where(Staff.store_id == t.store_id)).all())
    events = session.scalars(select(RepairEvent).where(RepairEvent.ticket_id == t.id)
                             .order_by(RepairEvent.at, RepairEvent.id)).all()
    history = tuple(HistoryEntry(e.at, names.get(e.staff_id, ""), e.from_status, e.to_status, e.note,
                                 e.note_code, dict(e.note_params or {})) for e in events)
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
    first = session.get(RepairTicket, t.rework_of_id) if t.rework_of_id else None
    reworks = tuple((i, n) for i, n in session.execute(
        select(RepairTicket.id, RepairTicket.number).where(RepairTicket.rework_of_id == t.id)
        .order_by(RepairTicket.created_at, RepairTicket.id)).all())
    _audit(session, actor, t, audit_action)
    return TicketDetail(
        id=t.id, number=t.number, barcode=t.number, status=t.status,
        allowed_moves=tuple(s for s in STATUSES if s in allowed_moves(t.status)),
        store_code=store.code, store_name=store.name, store_address=store.address, store_phone=store.phone,
        store_timezone=store.timezone, currency=store.currency,
        customer_id=t.customer_id, customer_name=c.display_name if c else (walk_in or ""),
        customer_short_name=_short_name(c) if c else (walk_in or ""),
        customer_phone=contact.phone if contact else None, customer_email=contact.email if contact else None,
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
        signature_name=t.pickup_signature_name, history=history,
        pickup_proof=t.pickup_proof, repair_warranty_end=_warranty_end(session, t),
        rework_of=(first.id, first.number) if first else None, reworks=reworks,
        contact_masked=contact.contact_masked if contact else False)
