"""Diagnosis and quote, the warranty decision, the customer's approval, and a
ticket's money (``ticket_amounts``: what every screen and document shows)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import money
from core.errors import Conflict, ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.ids import uuid7
from core.models import Device, Part, RepairPart, RepairTicket, Store
from core.permissions import Actor, Perm, require
from core.repairs.estimate import ready_by
from core.repairs.parts import _release, _reserve
from core.repairs.workflow import (
    MAX_QUANTITY, PARTS_DELAY_HOURS, STAFF_APPROVAL_CHANNELS, TicketView, _amount, _check_cents, _move, _now,
    _ticket, _view,
)


@dataclass(frozen=True)
class QuoteLine:
    part_id: uuid.UUID
    quantity: int = 1
    covered: bool | None = None     # None: as the warranty decision says


# callers may give a line as the tuple of its fields
QuoteLineLike = QuoteLine | tuple[uuid.UUID] | tuple[uuid.UUID, int] | tuple[uuid.UUID, int, bool | None]


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


def _parts_delayed_due(session: Session, t: RepairTicket) -> datetime:
    """The due time once the ticket waits for parts: at least ``PARTS_DELAY_HOURS`` from now,
    moved to the store's next opening when that falls outside its opening hours (a later
    promise already made stands)."""
    now = _now()
    store = session.get(Store, t.store_id)
    pushed = ready_by(now, PARTS_DELAY_HOURS, (store.timezone if store else None) or "UTC",
                      dict(store.opening_hours or {}) if store else {})
    return max(t.due_at or now, pushed)


def _route_after_acceptance(session: Session, actor: Actor | None, t: RepairTicket, code: str,
                            params: dict[str, Any], note: str = "") -> list[str]:
    """The history entry says why the repair may go ahead (``code``, ``params``), then which
    parts it reserved or waits for, then staff's note."""
    missing = _reserve(session, t)
    if missing:
        _move(session, actor, t, "awaiting_parts", note, code=code, params={**params, "missing_parts": missing})
        t.due_at = _parts_delayed_due(session, t)
    else:
        has_parts = session.scalar(select(RepairPart.id).where(RepairPart.ticket_id == t.id,
                                                               RepairPart.state == "reserved").limit(1))
        _move(session, actor, t, "in_repair", note, code=code,
              params={**params, "parts_reserved": True} if has_parts else params)
    session.flush()
    return missing


def quote(session: Session, actor: Actor, ticket_id: uuid.UUID, *, diagnosis: str,
          lines: Sequence[QuoteLineLike] = (), labour_cents: int = 0,
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
        part = get_or_not_found(session, Part, ln.part_id, "part")
        parts[ln.part_id] = part
    device = session.get(Device, t.device_id) if t.device_id else None
    if accidental_damage is None:
        accidental_damage = (t.intake_condition or {}).get("liquid_indicator") == "tripped"
    decision = decide_warranty(device.warranty_end if device else None, device.coverage_end if device else None,
                               _local_day(session, t.store_id, t.created_at), accidental_damage)
    if t.rework_of_id is not None:      # a rework under the repair's own warranty: no charge by default
        decision = "in_warranty"
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
        _move(session, actor, t, "awaiting_approval", code="quote_sent", params=_amount(session, t, total))
    else:
        t.approval, t.approval_at, t.approval_channel = "approved", _now(), "limit"
        missing = _route_after_acceptance(session, actor, t, "quote_within_limit", _amount(session, t, total))
    return QuoteResult(_view(t), decision, amounts.parts_cents, amounts.labour_charged_cents, total,
                       needs_approval, tuple(missing), amounts.tax_cents)


def reopen_diagnosis(session: Session, actor: Actor, ticket_id: uuid.UUID, note: str = "") -> TicketView:
    """The customer asks for another option before deciding: back to diagnosis for a new quote."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "awaiting_approval":
        raise Conflict("only a quote that waits for approval can be revised")
    _move(session, actor, t, "diagnosing", note, code="quote_revised")
    return _view(t)


def record_approval(session: Session, actor: Actor, ticket_id: uuid.UUID, *, approved: bool, channel: str,
                    note: str = "") -> TicketView:
    """The customer's answer to a quote, with when and how it came. Approval reserves the
    parts (repair starts, or waits for parts); refusal cancels the ticket."""
    require(actor, Perm.WORK_TICKETS)
    if channel not in STAFF_APPROVAL_CHANNELS:        # "link": only the customer's own answer (core.messages.links)
        raise ValidationError("channel", "is not a way customers answer")
    return _answer_quote(session, actor, _ticket(session, actor, ticket_id), approved=approved, channel=channel,
                         note=note)


def _answer_quote(session: Session, actor: Actor | None, t: RepairTicket, *, approved: bool, channel: str,
                  note: str = "") -> TicketView:
    """record_approval's work, also done by the system (no actor) for an answer by link."""
    if t.status != "awaiting_approval":
        raise Conflict("the ticket is not waiting for the customer's approval")
    t.approval, t.approval_at, t.approval_channel = ("approved" if approved else "refused"), _now(), channel
    note = note.strip()
    if approved:
        _route_after_acceptance(session, actor, t, "quote_approved", {"channel": channel}, note)
    else:
        _release(session, t)
        _move(session, actor, t, "cancelled", note, code="quote_refused", params={"channel": channel})
    return _view(t)
