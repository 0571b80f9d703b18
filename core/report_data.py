"""What the printable documents show, gathered straight from the models.

One function per document, ``(session, actor, ...) -> frozen dataclass``: a service
report, an intake receipt and a device label for a repair ticket, a trade-in receipt,
a loyalty member card with its welcome letter, a customer's access-request export,
and the manager reports (the day, a period with trends by day and week, technician
productivity, loyalty and trade-in summaries, satisfaction).

The renderers in ``reports/`` only lay out what these return, so every figure a
manager reads comes from a query here, and the tests count the same things from the
rows independently.  Definitions (all days are the store's local days):

* appointments *booked* are those made ahead (source is not ``walk_in``) and not
  cancelled; *kept* are booked ones that were checked in, in service or completed;
  *no-shows* have status ``no_show``; *walk-ins* are not cancelled, source ``walk_in``.
  A walk-in's *wait* runs from its arrival (the row's ``created_at``) to its start.
* tickets *opened* were created in the span; *closed* reached ``collected``,
  ``cancelled`` or ``unrepairable`` in it (the history entry's time); *turnaround*
  is intake to collection, for tickets collected in the span.
* trade-ins *accepted* have ``accepted_at`` in the span; their value is the quote's.
* NPS is the share of promoters (9-10) minus the share of detractors (0-6), in
  percentage points, over surveys with an NPS answer; CSAT is the mean 1-5 score.
"""

from __future__ import annotations

import bisect
import statistics
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from core import audit, clock, money
from core.errors import NotFound, ValidationError
from core.models import (
    Appointment, Consent, Customer, CustomerNote, Device, Feedback, LoyaltyAccount, LoyaltyEntry, Part,
    PriceBook, Purchase, RepairEvent, RepairPart, RepairTicket, ServiceType, Shift, Staff, Store, Survey,
    TradeInModel, TradeInQuote,
)
from core.permissions import Actor, Perm, require
from core.repairs import ticket_amounts

CLOSED_STATUSES = ("collected", "cancelled", "unrepairable")
KEPT_STATUSES = ("checked_in", "in_service", "completed")
MEMBER_PAYLOAD_PREFIX = "ORCHARD:M:"
TICKET_PAYLOAD_PREFIX = "ORCHARD:T:"
MAX_PERIOD_DAYS = 400


# --- shared pieces ------------------------------------------------------------------------

@dataclass(frozen=True)
class StoreHeader:
    id: uuid.UUID
    code: str
    name: str
    address: str
    phone: str | None
    timezone: str
    currency: str
    tax: money.TaxRule = money.TaxRule()


@dataclass(frozen=True)
class Generated:
    """Who asked for a document and when (printed in its footer)."""

    at: datetime
    by: str


def _store(session: Session, actor: Actor) -> Store:
    store = session.get(Store, actor.store_id)
    if store is None:
        raise NotFound("store")
    return store


def _store_header(session: Session, actor: Actor) -> StoreHeader:
    s = _store(session, actor)
    return StoreHeader(s.id, s.code, s.name, s.address or "", s.phone, s.timezone or "UTC", s.currency or "USD",
                       money.TaxRule.of(s))


def _generated(actor: Actor, now: datetime | None = None) -> Generated:
    return Generated(now or clock.now().replace(microsecond=0), actor.display_name)


def _staff_names(session: Session, store_id: uuid.UUID) -> dict[uuid.UUID, str]:
    return dict(session.execute(select(Staff.id, Staff.display_name).where(Staff.store_id == store_id)).all())


def _display_name(c: Customer | None) -> str:
    if c is None or c.erased:
        return ""
    return c.display_name


def _short_name(c: Customer) -> str:
    """How a label or a call greets the customer: the given name, or for a name in
    Chinese characters the whole name (family name first, as it is said)."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in c.family_name + c.given_name):
        return c.display_name
    return c.given_name or c.family_name


def _phone_tail(phone: str | None) -> str:
    return phone[-4:] if phone else ""


def _tz(store: StoreHeader) -> ZoneInfo:
    return ZoneInfo(store.timezone)


def day_bounds(tz: ZoneInfo, first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants from the start of ``first`` to the end of ``last`` (local days, DST-aware)."""
    return (datetime.combine(first, time(0), tz).astimezone(timezone.utc),
            datetime.combine(last + timedelta(days=1), time(0), tz).astimezone(timezone.utc))


def _check_span(first: date, last: date) -> None:
    if last < first:
        raise ValidationError("last_day", "must not be before the first day")
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError("last_day", "a report covers at most {n} days", n=MAX_PERIOD_DAYS)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def nps_score(scores: list[int]) -> float | None:
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100.0 * (promoters - detractors) / len(scores)


# --- repair tickets: service report, intake receipt, label ---------------------------------

@dataclass(frozen=True)
class PartLine:
    sku: str
    name: str
    quantity: int
    unit_cents: int
    covered: bool
    state: str

    @property
    def total_cents(self) -> int:
        return self.unit_cents * self.quantity

    @property
    def charged_cents(self) -> int:
        return money.charge(None, money.Line(self.unit_cents, self.quantity, self.covered,
                                             self.state == "released")).charged_cents


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    from_status: str | None
    to_status: str
    staff: str
    note: str


@dataclass(frozen=True)
class ServiceReportData:
    store: StoreHeader
    generated: Generated
    ticket_id: uuid.UUID
    number: str
    status: str
    created_at: datetime
    due_at: datetime | None
    collected_at: datetime | None
    customer_name: str
    customer_phone: str | None
    customer_email: str | None
    customer_language: str | None
    device_kind: str
    device_model: str
    serial: str | None
    imei: str | None
    warranty_end: date | None
    coverage_end: date | None
    intake_condition: tuple[tuple[str, Any], ...]
    accessories: str
    reported_fault: str
    diagnosis: str
    technician: str
    parts: tuple[PartLine, ...]
    labour_cents: int
    labour_charged_cents: int
    quote_cents: int | None
    warranty_decision: str | None
    approval: str | None
    approval_at: datetime | None
    approval_channel: str | None
    payment_status: str | None
    quality_checks: tuple[tuple[str, bool], ...]
    quality_passed: bool | None
    history: tuple[HistoryLine, ...]
    intake_staff: str
    collected_by: str | None
    pickup_signature_name: str | None
    pickup_signature_png: bytes | None
    amounts: money.Breakdown          # subtotal, tax and total by core.money, as the bench shows them

    @property
    def parts_charged_cents(self) -> int:
        return self.amounts.parts_cents

    @property
    def total_charged_cents(self) -> int:
        return self.amounts.total_cents


def _ticket(session: Session, actor: Actor, ticket_id: uuid.UUID) -> RepairTicket:
    t = session.get(RepairTicket, ticket_id)
    if t is None or t.store_id != actor.store_id:
        raise NotFound("repair ticket")
    return t


def find_ticket(session: Session, actor: Actor, number: str) -> uuid.UUID:
    """The id of this store's ticket with this number (as scanned from a label)."""
    require(actor, Perm.WORK_TICKETS)
    number = (number or "").strip().upper()
    if number.startswith(TICKET_PAYLOAD_PREFIX):
        number = number[len(TICKET_PAYLOAD_PREFIX):]
    tid = session.scalar(select(RepairTicket.id).where(RepairTicket.store_id == actor.store_id,
                                                       RepairTicket.number == number))
    if tid is None:
        raise NotFound("repair ticket")
    return tid


def service_report(session: Session, actor: Actor, ticket_id: uuid.UUID,
                   now: datetime | None = None) -> ServiceReportData:
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    store = _store_header(session, actor)
    names = _staff_names(session, actor.store_id)
    c = session.get(Customer, t.customer_id) if t.customer_id else None
    live = c is not None and not c.erased
    d = session.get(Device, t.device_id) if t.device_id else None
    parts = tuple(PartLine(p.sku, p.name, rp.quantity, rp.price_cents, rp.covered, rp.state)
                  for rp, p in session.execute(
                      select(RepairPart, Part).join(Part, Part.id == RepairPart.part_id)
                      .where(RepairPart.ticket_id == t.id).order_by(Part.sku)))
    events = list(session.scalars(select(RepairEvent).where(RepairEvent.ticket_id == t.id)
                                  .order_by(RepairEvent.at, RepairEvent.id)))
    history = tuple(HistoryLine(e.at, e.from_status, e.to_status, names.get(e.staff_id, ""), e.note)
                    for e in events)
    intake_staff = next((h.staff for h in history if h.to_status == "new"), "")
    qc = t.quality_check or {}
    checks = tuple((k, bool(v)) for k, v in (qc.get("checks") or {}).items())
    condition = tuple((k, v) for k, v in (t.intake_condition or {}).items())
    amounts = ticket_amounts(session, t)
    if live:
        audit.record(session, actor, "report.service", "repair_ticket", t.id)
    return ServiceReportData(
        store=store, generated=_generated(actor, now), ticket_id=t.id, number=t.number, status=t.status,
        created_at=t.created_at, due_at=t.due_at, collected_at=t.collected_at,
        customer_name=_display_name(c), customer_phone=c.phone_e164 if live else None,
        customer_email=c.email if live else None, customer_language=c.language if live else None,
        device_kind=d.kind if d else "", device_model=d.model if d else "", serial=d.serial if d else None,
        imei=d.imei if d else None, warranty_end=d.warranty_end if d else None,
        coverage_end=d.coverage_end if d else None, intake_condition=condition, accessories=t.accessories or "",
        reported_fault=t.reported_fault or "", diagnosis=t.diagnosis or "",
        technician=names.get(t.technician_id, "") if t.technician_id else "", parts=parts,
        labour_cents=t.labour_cents or 0, labour_charged_cents=amounts.labour_charged_cents, quote_cents=t.quote_cents,
        warranty_decision=t.warranty_decision, approval=t.approval, approval_at=t.approval_at,
        approval_channel=t.approval_channel, payment_status=t.payment_status, quality_checks=checks,
        quality_passed=qc.get("passed") if qc else None, history=history, intake_staff=intake_staff,
        collected_by=t.collected_by, pickup_signature_name=t.pickup_signature_name,
        pickup_signature_png=t.pickup_signature, amounts=amounts)


@dataclass(frozen=True)
class IntakeData:
    store: StoreHeader
    generated: Generated
    number: str
    created_at: datetime
    due_at: datetime | None
    customer_name: str
    customer_given_name: str
    phone_tail: str
    device_model: str
    serial: str | None
    imei: str | None
    reported_fault: str
    intake_condition: tuple[tuple[str, Any], ...]
    accessories: str
    approval_limit_cents: int
    contact_preference: str
    intake_staff: str


def intake_receipt(session: Session, actor: Actor, ticket_id: uuid.UUID,
                   now: datetime | None = None) -> IntakeData:
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    c = session.get(Customer, t.customer_id) if t.customer_id else None
    live = c is not None and not c.erased
    d = session.get(Device, t.device_id) if t.device_id else None
    first = session.scalars(select(RepairEvent).where(RepairEvent.ticket_id == t.id, RepairEvent.to_status == "new")
                            .order_by(RepairEvent.at).limit(1)).first()
    names = _staff_names(session, actor.store_id)
    if live:
        audit.record(session, actor, "report.intake", "repair_ticket", t.id)
    return IntakeData(
        store=_store_header(session, actor), generated=_generated(actor, now), number=t.number,
        created_at=t.created_at, due_at=t.due_at, customer_name=_display_name(c),
        customer_given_name=_short_name(c) if live else "",
        phone_tail=_phone_tail(c.phone_e164) if live else "", device_model=d.model if d else "",
        serial=d.serial if d else None, imei=d.imei if d else None, reported_fault=t.reported_fault or "",
        intake_condition=tuple((t.intake_condition or {}).items()), accessories=t.accessories or "",
        approval_limit_cents=t.approval_limit_cents or 0, contact_preference=t.contact_preference or "",
        intake_staff=names.get(first.staff_id, "") if first else "")


@dataclass(frozen=True)
class LabelData:
    store_code: str
    timezone: str
    number: str
    customer_given_name: str
    phone_tail: str
    device_model: str
    due_at: datetime | None

    @property
    def qr_payload(self) -> str:
        return TICKET_PAYLOAD_PREFIX + self.number


def device_label(session: Session, actor: Actor, ticket_id: uuid.UUID) -> LabelData:
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    c = session.get(Customer, t.customer_id) if t.customer_id else None
    live = c is not None and not c.erased
    d = session.get(Device, t.device_id) if t.device_id else None
    store = _store_header(session, actor)
    if live:
        audit.record(session, actor, "report.label", "repair_ticket", t.id)
    return LabelData(store.code, store.timezone, t.number, _short_name(c) if live else "",
                     _phone_tail(c.phone_e164) if live else "", d.model if d else "", t.due_at)


# --- trade-in receipt -----------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerLine:
    key: str
    label_en: str
    label_zh: str
    value: Any


@dataclass(frozen=True)
class BreakdownLine:
    step: str
    cents: int
    detail: tuple[tuple[str, Any], ...]     # pct, months, health, grade, code


@dataclass(frozen=True)
class TradeInReceiptData:
    store: StoreHeader
    generated: Generated
    quote_id: uuid.UUID
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    status: str
    customer_name: str
    customer_phone: str | None
    staff: str
    model_name: str
    configuration: str
    family: str
    kind: str
    imei: str | None
    serial: str | None
    answers: tuple[AnswerLine, ...]
    grade: str
    value_cents: int
    breakdown: tuple[BreakdownLine, ...]
    price_book_version: str
    currency: str
    payout: str | None
    signature_name: str | None
    promotion_labels: tuple[tuple[str, str, str], ...]    # (code, en, zh_CN)


def tradein_receipt(session: Session, actor: Actor, quote_id: uuid.UUID,
                    now: datetime | None = None) -> TradeInReceiptData:
    require(actor, Perm.TAKE_TRADE_INS)
    q = session.get(TradeInQuote, quote_id)
    if q is None or q.store_id != actor.store_id:
        raise NotFound("trade-in quote")
    m = session.get(TradeInModel, q.model_id)
    book = session.get(PriceBook, q.price_book_id)
    c = session.get(Customer, q.customer_id) if q.customer_id else None
    live = c is not None and not c.erased
    rules = (book.rules if book else {}) or {}
    questions = {qq["key"]: qq for qq in rules.get("questions", [])}
    answers = []
    for key, value in (q.answers or {}).items():
        label = (questions.get(key) or {}).get("label") or {}
        if key == (rules.get("battery_adjustment") or {}).get("question"):
            label = label or {"en": "Battery health (%)", "zh_CN": "电池健康度（%）"}
        answers.append(AnswerLine(key, label.get("en", ""), label.get("zh_CN", ""), value))
    order = [qq["key"] for qq in rules.get("questions", [])]
    answers.sort(key=lambda a: order.index(a.key) if a.key in order else len(order))
    breakdown = tuple(BreakdownLine(str(b.get("step", "")), int(b.get("cents", 0)),
                                    tuple((k, v) for k, v in b.items() if k not in ("step", "cents")))
                      for b in (q.breakdown or []))
    promos = tuple((p.get("code", ""), (p.get("label") or {}).get("en", ""), (p.get("label") or {}).get("zh_CN", ""))
                   for p in rules.get("promotions", []))
    names = _staff_names(session, actor.store_id)
    if live:
        audit.record(session, actor, "report.tradein", "tradein_quote", q.id)
    return TradeInReceiptData(
        store=_store_header(session, actor), generated=_generated(actor, now), quote_id=q.id,
        created_at=q.created_at, expires_at=q.expires_at, accepted_at=q.accepted_at, status=q.status,
        customer_name=_display_name(c), customer_phone=c.phone_e164 if live else None,
        staff=names.get(q.staff_id, "") if q.staff_id else "", model_name=m.name if m else "",
        configuration=m.configuration if m else "", family=m.family if m else "", kind=m.kind if m else "",
        imei=q.imei, serial=q.serial, answers=tuple(answers), grade=q.grade, value_cents=q.value_cents,
        breakdown=breakdown, price_book_version=book.version if book else "",
        currency=(book.currency if book else None) or _store_header(session, actor).currency, payout=q.payout,
        signature_name=q.signature_name, promotion_labels=promos)


# --- loyalty: member card and welcome letter --------------------------------------------------

@dataclass(frozen=True)
class MemberCardData:
    store: StoreHeader
    generated: Generated
    member_number: str
    customer_name: str
    customer_language: str | None
    tier: str
    enrolled_at: datetime
    balance: int
    welcome_bonus: int
    terms_version: str

    @property
    def payload(self) -> str:
        return MEMBER_PAYLOAD_PREFIX + self.member_number


def member_card(session: Session, actor: Actor, account_id: uuid.UUID,
                now: datetime | None = None) -> MemberCardData:
    require(actor, Perm.MANAGE_LOYALTY)
    a = session.get(LoyaltyAccount, account_id)
    if a is None:
        raise NotFound("loyalty account")
    c = session.get(Customer, a.customer_id)
    if c is None or c.erased:
        raise NotFound("customer")
    balance = int(session.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                                 .where(LoyaltyEntry.account_id == a.id)) or 0)
    bonus = int(session.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                               .where(LoyaltyEntry.account_id == a.id, LoyaltyEntry.kind == "bonus")) or 0)
    audit.record(session, actor, "report.member_card", "loyalty_account", a.id)
    return MemberCardData(_store_header(session, actor), _generated(actor, now), a.member_number, c.display_name,
                          c.language, a.tier, a.enrolled_at, balance, bonus, a.terms_version)


# --- customer data export (access request) ----------------------------------------------------

def _row(obj, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def customer_export(session: Session, actor: Actor, customer_id: uuid.UUID,
                    now: datetime | None = None) -> dict[str, Any]:
    """Everything the store holds about one customer, for an access request: a dict of
    sections (``profile`` a dict, the others lists of dicts), ready for the PDF renderer.
    Secrets (a ticket's sealed passcode, signature images) are named, not included."""
    require(actor, Perm.EXPORT_ERASE_CUSTOMERS)
    c = session.get(Customer, customer_id)
    if c is None or c.erased:
        raise NotFound("customer")
    names = _staff_names(session, actor.store_id)
    store = _store_header(session, actor)
    out: dict[str, Any] = {
        "store": {"name": store.name, "code": store.code, "address": store.address, "phone": store.phone,
                  "timezone": store.timezone, "currency": store.currency},
        "generated": {"at": (now or clock.now()).replace(microsecond=0), "by": actor.display_name},
        "profile": {"display_name": c.display_name, "given_name": c.given_name, "family_name": c.family_name,
                    "phone": c.phone_e164, "email": c.email, "address": c.address, "language": c.language,
                    "birth_date": c.birth_date, "created_at": c.created_at, "updated_at": c.updated_at},
    }
    out["consents"] = [dict(_row(x, ("purpose", "granted", "notice_version", "channel", "at")),
                            staff=names.get(x.staff_id, ""))
                       for x in session.scalars(select(Consent).where(Consent.customer_id == c.id)
                                                .order_by(Consent.at))]
    devices = list(session.scalars(select(Device).where(Device.customer_id == c.id).order_by(Device.created_at)))
    out["devices"] = [_row(x, ("kind", "model", "serial", "imei", "purchase_date", "warranty_end", "coverage_end"))
                      for x in devices]
    out["purchases"] = [_row(x, ("at", "description", "sku", "total_cents"))
                        for x in session.scalars(select(Purchase).where(Purchase.customer_id == c.id)
                                                 .order_by(Purchase.at))]
    out["notes"] = [dict(_row(x, ("at", "text")), staff=names.get(x.staff_id, ""))
                    for x in session.scalars(select(CustomerNote).where(CustomerNote.customer_id == c.id)
                                             .order_by(CustomerNote.at))]
    device_model = {d.id: d.model for d in devices}
    out["tickets"] = [dict(_row(x, ("number", "status", "created_at", "reported_fault", "diagnosis", "quote_cents",
                                    "warranty_decision", "collected_at")),
                           device=device_model.get(x.device_id, ""),
                           signature_on_file=x.pickup_signature is not None)
                      for x in session.scalars(select(RepairTicket).where(RepairTicket.customer_id == c.id)
                                               .order_by(RepairTicket.created_at))]
    out["appointments"] = [dict(_row(a, ("starts_at", "status", "source")), service=sname,
                                technician=names.get(a.technician_id, ""))
                           for a, sname in session.execute(
                               select(Appointment, ServiceType.name)
                               .join(ServiceType, ServiceType.id == Appointment.service_type_id)
                               .where(Appointment.customer_id == c.id).order_by(Appointment.starts_at))]
    out["tradeins"] = [dict(_row(q, ("created_at", "status", "grade", "value_cents", "imei", "serial", "payout")),
                            device=f"{m.name} {m.configuration}")
                       for q, m in session.execute(
                           select(TradeInQuote, TradeInModel)
                           .join(TradeInModel, TradeInModel.id == TradeInQuote.model_id)
                           .where(TradeInQuote.customer_id == c.id).order_by(TradeInQuote.created_at))]
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == c.id)).first()
    out["loyalty"] = {}
    out["loyalty_entries"] = []
    if acct is not None:
        entries = list(session.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == acct.id)
                                       .order_by(LoyaltyEntry.at, LoyaltyEntry.id)))
        out["loyalty"] = {"member_number": acct.member_number, "tier": acct.tier, "enrolled_at": acct.enrolled_at,
                          "terms_version": acct.terms_version, "active": acct.active,
                          "balance": sum(e.points for e in entries)}
        out["loyalty_entries"] = [_row(e, ("at", "kind", "points", "reason", "spend_cents")) for e in entries]
    out["surveys"] = [_row(x, ("at", "nps", "csat", "comment"))
                      for x in session.scalars(select(Survey).where(Survey.customer_id == c.id).order_by(Survey.at))]
    out["feedback"] = [_row(x, ("created_at", "category", "text", "status", "due_at"))
                       for x in session.scalars(select(Feedback).where(Feedback.customer_id == c.id)
                                                .order_by(Feedback.created_at))]
    audit.record(session, actor, "customer.export", "customer", c.id)
    return out


# --- manager reports -----------------------------------------------------------------------

@dataclass(frozen=True)
class AppointmentFigures:
    booked: int = 0
    kept: int = 0
    no_show: int = 0
    cancelled: int = 0
    walk_ins: int = 0
    walk_in_wait_avg_min: float | None = None
    walk_in_wait_max_min: float | None = None


@dataclass(frozen=True)
class TicketFigures:
    opened: int = 0
    closed: int = 0
    collected: int = 0
    turnaround_avg_h: float | None = None
    turnaround_median_h: float | None = None


@dataclass(frozen=True)
class TradeInFigures:
    quoted: int = 0
    accepted: int = 0
    accepted_value_cents: int = 0


@dataclass(frozen=True)
class SatisfactionFigures:
    surveys: int = 0
    csat_avg: float | None = None
    nps: float | None = None
    nps_answers: int = 0


@dataclass(frozen=True)
class Figures:
    """Everything counted over one span of time (a day, a week, a whole period)."""

    first: date
    last: date
    appointments: AppointmentFigures
    tickets: TicketFigures
    tradeins: TradeInFigures
    enrollments: int
    satisfaction: SatisfactionFigures


@dataclass(frozen=True)
class DayAppointment:
    starts_at: datetime
    customer: str
    service: str
    service_code: str
    technician: str
    status: str
    source: str


@dataclass(frozen=True)
class TechDay:
    technician: str
    appointments: int
    completed: int
    no_show: int
    tickets_finished: int


@dataclass(frozen=True)
class DayReportData:
    store: StoreHeader
    generated: Generated
    day: date
    figures: Figures
    # (local hour, booked and not a no-show, no-shows, walk-ins), for hours with any
    by_hour: tuple[tuple[int, int, int, int], ...]
    technicians: tuple[TechDay, ...]
    appointments: tuple[DayAppointment, ...]


@dataclass(frozen=True)
class PeriodReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    total: Figures
    days: tuple[Figures, ...]
    weeks: tuple[Figures, ...]


class _Series:
    """Rows sorted by their first item (a time), sliced by time range with bisect."""

    def __init__(self, rows):
        self.rows = sorted(rows, key=lambda r: r[0])
        self.keys = [r[0] for r in self.rows]

    def between(self, lo: datetime, hi: datetime) -> list:
        return self.rows[bisect.bisect_left(self.keys, lo):bisect.bisect_left(self.keys, hi)]


class _Facts:
    """The raw times behind the figures of a span, fetched once with narrow queries and
    then cut into days and weeks in Python: each bucket costs what it holds, so a 30-day
    period over 50,000 tickets is mostly the fetching."""

    def __init__(self, session: Session, store_id: uuid.UUID, start: datetime, end: datetime):
        self.start, self.end = start, end
        a = Appointment
        self.appts = _Series(session.execute(
            select(a.starts_at, a.status, a.source, a.created_at, a.technician_id)
            .where(a.store_id == store_id, a.starts_at >= start, a.starts_at < end)).all())
        t = RepairTicket
        self.opened = _Series(session.execute(
            select(t.created_at).where(t.store_id == store_id, t.created_at >= start, t.created_at < end)).all())
        # the first time each ticket reached a closed status within the span
        closed: dict[uuid.UUID, datetime] = {}
        for tid, at in session.execute(
                select(RepairEvent.ticket_id, RepairEvent.at).join(t, t.id == RepairEvent.ticket_id)
                .where(t.store_id == store_id, RepairEvent.to_status.in_(CLOSED_STATUSES),
                       RepairEvent.at >= start, RepairEvent.at < end)):
            if tid not in closed or at < closed[tid]:
                closed[tid] = at
        self.closed = _Series((at,) for at in closed.values())
        self.collected = _Series(session.execute(
            select(t.collected_at, t.created_at).where(t.store_id == store_id, t.collected_at >= start,
                                                        t.collected_at < end)).all())
        q = TradeInQuote
        self.quoted = _Series(session.execute(
            select(q.created_at).where(q.store_id == store_id, q.created_at >= start, q.created_at < end)).all())
        self.accepted = _Series(session.execute(
            select(q.accepted_at, q.value_cents).where(q.store_id == store_id, q.accepted_at >= start,
                                                        q.accepted_at < end)).all())
        la = LoyaltyAccount
        self.enrolled = _Series(session.execute(
            select(la.enrolled_at).where(or_(la.store_id == store_id, la.store_id.is_(None)),
                                         la.enrolled_at >= start, la.enrolled_at < end)).all())
        s = Survey
        self.surveys = _Series(session.execute(
            select(s.at, s.csat, s.nps).where(s.store_id == store_id, s.at >= start, s.at < end)).all())

    def figures(self, first: date, last: date, lo: datetime, hi: datetime) -> Figures:
        appts = self.appts.between(lo, hi)
        booked = [r for r in appts if r[2] != "walk_in" and r[1] != "cancelled"]
        walk = [r for r in appts if r[2] == "walk_in" and r[1] != "cancelled"]
        waits = [max(0.0, (r[0] - r[3]).total_seconds() / 60) for r in walk if r[3] is not None]
        af = AppointmentFigures(
            booked=len(booked), kept=sum(1 for r in booked if r[1] in KEPT_STATUSES),
            no_show=sum(1 for r in booked if r[1] == "no_show"),
            cancelled=sum(1 for r in appts if r[1] == "cancelled"), walk_ins=len(walk),
            walk_in_wait_avg_min=_mean(waits), walk_in_wait_max_min=max(waits) if waits else None)
        turn = [(c - o).total_seconds() / 3600 for c, o in self.collected.between(lo, hi)]
        tf = TicketFigures(opened=len(self.opened.between(lo, hi)), closed=len(self.closed.between(lo, hi)),
                           collected=len(turn), turnaround_avg_h=_mean(turn), turnaround_median_h=_median(turn))
        acc = [v for _, v in self.accepted.between(lo, hi)]
        trf = TradeInFigures(quoted=len(self.quoted.between(lo, hi)), accepted=len(acc),
                             accepted_value_cents=int(sum(acc)))
        sv = self.surveys.between(lo, hi)
        csat = [r[1] for r in sv if r[1] is not None]
        nps = [r[2] for r in sv if r[2] is not None]
        sf = SatisfactionFigures(surveys=len(sv), csat_avg=_mean(csat), nps=nps_score(nps), nps_answers=len(nps))
        return Figures(first, last, af, tf, trf, len(self.enrolled.between(lo, hi)), sf)


def day_report(session: Session, actor: Actor, day: date, now: datetime | None = None) -> DayReportData:
    require(actor, Perm.VIEW_REPORTS)
    store = _store_header(session, actor)
    tz = _tz(store)
    start, end = day_bounds(tz, day, day)
    facts = _Facts(session, actor.store_id, start, end)
    figures = facts.figures(day, day, start, end)
    names = _staff_names(session, actor.store_id)
    hours: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_tech: dict[uuid.UUID | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for starts_at, status, source, _, tech in facts.appts.rows:
        if status == "cancelled":
            continue
        h = starts_at.astimezone(tz).hour
        hours[h][2 if source == "walk_in" else 1 if status == "no_show" else 0] += 1
        row = per_tech[tech]
        row[0] += 1
        row[1] += status == "completed"
        row[2] += status == "no_show"
    finished = session.execute(
        select(RepairTicket.technician_id, func.count(func.distinct(RepairEvent.ticket_id)))
        .join(RepairTicket, RepairTicket.id == RepairEvent.ticket_id)
        .where(RepairTicket.store_id == actor.store_id, RepairEvent.to_status == "ready",
               RepairEvent.at >= start, RepairEvent.at < end)
        .group_by(RepairTicket.technician_id)).all()
    for tech, n in finished:
        per_tech[tech][3] += n
    techs = tuple(sorted((TechDay(names.get(k, "") if k else "", *v) for k, v in per_tech.items()),
                         key=lambda r: (r.technician == "", r.technician)))
    tech_alias = aliased(Staff)
    rows = session.execute(
        select(Appointment.starts_at, Customer.given_name, Customer.family_name, Customer.erased,
               Appointment.walk_in_name, ServiceType.name, tech_alias.display_name, Appointment.status,
               Appointment.source, ServiceType.code)
        .join(ServiceType, ServiceType.id == Appointment.service_type_id)
        .outerjoin(Customer, Customer.id == Appointment.customer_id)
        .outerjoin(tech_alias, tech_alias.id == Appointment.technician_id)
        .where(Appointment.store_id == actor.store_id, Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at, tech_alias.display_name)).all()
    appts = tuple(DayAppointment(r[0], _name(r[1], r[2], r[3]) if (r[1] or r[2]) else (r[4] or ""), r[5], r[9],
                                 r[6] or "", r[7], r[8]) for r in rows)
    audit.record(session, actor, "report.day", "store", actor.store_id, detail=day.isoformat())
    return DayReportData(store, _generated(actor, now), day, figures,
                         tuple((h, *hours[h]) for h in sorted(hours)), techs, appts)


def _name(given: str | None, family: str | None, erased: bool | None) -> str:
    """``Customer.display_name`` from the two columns, without building the object."""
    if erased:
        return ""
    given, family = given or "", family or ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in family + given):
        return f"{family}{given}"
    return f"{given} {family}".strip()


def _weeks(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar weeks (Monday to Sunday) covering the span, clipped to it."""
    out = []
    d = first
    while d <= last:
        end = min(last, d + timedelta(days=6 - d.weekday()))
        out.append((d, end))
        d = end + timedelta(days=1)
    return out


def period_report(session: Session, actor: Actor, first: date, last: date,
                  now: datetime | None = None) -> PeriodReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    tz = _tz(store)
    start, end = day_bounds(tz, first, last)
    facts = _Facts(session, actor.store_id, start, end)
    days = []
    d = first
    while d <= last:
        lo, hi = day_bounds(tz, d, d)
        days.append(facts.figures(d, d, lo, hi))
        d += timedelta(days=1)
    weeks = [facts.figures(a, b, *day_bounds(tz, a, b)) for a, b in _weeks(first, last)]
    return PeriodReportData(store, _generated(actor, now), first, last, facts.figures(first, last, start, end),
                            tuple(days), tuple(weeks))


# --- technician productivity -----------------------------------------------------------------

@dataclass(frozen=True)
class TechnicianRow:
    staff_id: uuid.UUID | None
    technician: str
    appointments: int            # not cancelled
    completed: int
    no_show: int
    booked_minutes: int          # of the appointments not cancelled
    shift_minutes: int           # work shifts less breaks, in the span
    tickets_finished: int        # reached "ready" in the span
    finish_hours_avg: float | None    # intake to ready, for those
    labour_cents: int            # chargeable labour on those
    parts_cents: int             # chargeable parts on those
    csat_avg: float | None       # surveys in the span about their tickets and appointments
    surveys: int

    @property
    def utilisation(self) -> float | None:
        return 100.0 * self.booked_minutes / self.shift_minutes if self.shift_minutes else None


@dataclass(frozen=True)
class TechnicianReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    rows: tuple[TechnicianRow, ...]


def technician_report(session: Session, actor: Actor, first: date, last: date,
                      now: datetime | None = None) -> TechnicianReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    sid = actor.store_id
    techs = {s.id: s.display_name for s in session.scalars(
        select(Staff).where(Staff.store_id == sid, Staff.role == "technician", Staff.active.is_(True)))}
    names = _staff_names(session, sid)
    acc: dict[uuid.UUID | None, dict[str, Any]] = defaultdict(
        lambda: {"appointments": 0, "completed": 0, "no_show": 0, "booked": 0.0, "shift": 0.0, "finished": [],
                 "labour": 0, "parts": 0, "csat": []})
    for k in techs:
        acc[k]
    a = Appointment
    for tech, status, s_at, e_at in session.execute(
            select(a.technician_id, a.status, a.starts_at, a.ends_at)
            .where(a.store_id == sid, a.starts_at >= start, a.starts_at < end, a.status != "cancelled")):
        row = acc[tech]
        row["appointments"] += 1
        row["completed"] += status == "completed"
        row["no_show"] += status == "no_show"
        row["booked"] += (e_at - s_at).total_seconds() / 60
    for staff_id, kind, s_at, e_at in session.execute(
            select(Shift.staff_id, Shift.kind, Shift.starts_at, Shift.ends_at)
            .where(Shift.store_id == sid, Shift.ends_at > start, Shift.starts_at < end,
                   Shift.kind.in_(("work", "break")))):
        minutes = (min(e_at, end) - max(s_at, start)).total_seconds() / 60
        acc[staff_id]["shift"] += minutes if kind == "work" else -minutes
    t = RepairTicket
    ready = session.execute(
        select(t.id, t.technician_id, t.created_at, func.min(RepairEvent.at), t.labour_cents, t.warranty_decision)
        .join(RepairEvent, RepairEvent.ticket_id == t.id)
        .where(t.store_id == sid, RepairEvent.to_status == "ready", RepairEvent.at >= start, RepairEvent.at < end)
        .group_by(t.id)).all()
    ticket_ids = [r[0] for r in ready]
    decisions = {r[0]: r[5] for r in ready}
    parts: dict[uuid.UUID, int] = defaultdict(int)
    for i in range(0, len(ticket_ids), 500):
        for tid, price, qty, covered, state in session.execute(
                select(RepairPart.ticket_id, RepairPart.price_cents, RepairPart.quantity, RepairPart.covered,
                       RepairPart.state).where(RepairPart.ticket_id.in_(ticket_ids[i:i + 500]))):
            line = money.Line(price, qty, covered, state == "released")
            parts[tid] += money.charge(decisions[tid], line).charged_cents
    for tid, tech, created, ready_at, labour, decision in ready:
        row = acc[tech]
        row["finished"].append((ready_at - created).total_seconds() / 3600)
        row["labour"] += money.labour_charged(decision, labour or 0)
        row["parts"] += parts.get(tid, 0)
    sv_ticket = session.execute(
        select(t.technician_id, Survey.csat).join(t, t.id == Survey.ticket_id)
        .where(Survey.store_id == sid, Survey.at >= start, Survey.at < end, Survey.csat.is_not(None))).all()
    sv_appt = session.execute(
        select(a.technician_id, Survey.csat).join(a, a.id == Survey.appointment_id)
        .where(Survey.store_id == sid, Survey.at >= start, Survey.at < end, Survey.csat.is_not(None),
               Survey.ticket_id.is_(None))).all()
    for tech, csat in [*sv_ticket, *sv_appt]:
        acc[tech]["csat"].append(csat)
    rows = []
    for k, v in acc.items():
        if k not in techs and not (v["appointments"] or v["finished"] or v["csat"]):
            continue       # a manager's own shifts are not technician work
        rows.append(TechnicianRow(k, techs.get(k) or names.get(k, "") if k else "", v["appointments"],
                                  v["completed"], v["no_show"], round(v["booked"]), round(max(0.0, v["shift"])),
                                  len(v["finished"]), _mean(v["finished"]), v["labour"], v["parts"],
                                  _mean(v["csat"]), len(v["csat"])))
    rows.sort(key=lambda r: (r.staff_id is None, r.technician))
    return TechnicianReportData(store, _generated(actor, now), first, last, tuple(rows))


# --- loyalty summary ----------------------------------------------------------------------

@dataclass(frozen=True)
class TopMember:
    member_number: str
    customer: str
    tier: str
    spend_cents: int
    points_earned: int


@dataclass(frozen=True)
class LoyaltyReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    members: int                   # enrolled by the end of the span
    active_members: int
    by_tier: tuple[tuple[str, int], ...]
    enrollments: int
    enrollments_by_week: tuple[tuple[date, int], ...]
    points_earned: int             # earn entries
    points_bonus: int
    points_redeemed: int           # as a positive number
    points_expired: int            # as a positive number
    points_adjusted: int
    spend_cents: int
    outstanding_points: int        # the sum of the ledger up to the end of the span
    top_members: tuple[TopMember, ...]


TIER_ORDER = ("platinum", "gold", "silver")


def loyalty_report(session: Session, actor: Actor, first: date, last: date,
                   now: datetime | None = None, top: int = 10) -> LoyaltyReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    la, le = LoyaltyAccount, LoyaltyEntry
    mine = or_(la.store_id == actor.store_id, la.store_id.is_(None))
    accounts = session.execute(select(la.id, la.tier, la.active, la.enrolled_at)
                               .where(mine, la.enrolled_at < end)).all()
    tiers = Counter(r[1] for r in accounts)
    by_tier = tuple((tier, tiers.get(tier, 0)) for tier in TIER_ORDER) + tuple(
        (k, v) for k, v in sorted(tiers.items()) if k not in TIER_ORDER)
    enrolled = [r[3] for r in accounts if r[3] >= start]
    tz = _tz(store)
    weeks = []
    for a, b in _weeks(first, last):
        lo, hi = day_bounds(tz, a, b)
        weeks.append((a, sum(1 for x in enrolled if lo <= x < hi)))
    sums = dict(session.execute(
        select(le.kind, func.sum(le.points)).join(la, la.id == le.account_id)
        .where(mine, le.at >= start, le.at < end).group_by(le.kind)).all())
    spend = int(session.scalar(select(func.coalesce(func.sum(le.spend_cents), 0)).join(la, la.id == le.account_id)
                               .where(mine, le.at >= start, le.at < end)) or 0)
    outstanding = int(session.scalar(select(func.coalesce(func.sum(le.points), 0)).join(la, la.id == le.account_id)
                                     .where(mine, le.at < end)) or 0)
    spend_q = (select(la.member_number, Customer.given_name, Customer.family_name, Customer.erased, la.tier,
                      func.sum(le.spend_cents).label("spend"),
                      func.sum(le.points).filter(le.kind == "earn").label("earned"))
               .join(la, la.id == le.account_id).join(Customer, Customer.id == la.customer_id)
               .where(mine, le.at >= start, le.at < end, le.spend_cents > 0)
               .group_by(la.id).order_by(func.sum(le.spend_cents).desc(), la.member_number).limit(top))
    tops = tuple(TopMember(r[0], _name(r[1], r[2], r[3]), r[4], int(r[5] or 0), int(r[6] or 0))
                 for r in session.execute(spend_q))
    audit.record(session, actor, "report.loyalty", "store", actor.store_id,
                 detail=f"{first.isoformat()}..{last.isoformat()}")
    return LoyaltyReportData(
        store, _generated(actor, now), first, last, members=len(accounts),
        active_members=sum(1 for r in accounts if r[2]), by_tier=by_tier, enrollments=len(enrolled),
        enrollments_by_week=tuple(weeks), points_earned=int(sums.get("earn", 0) or 0),
        points_bonus=int(sums.get("bonus", 0) or 0), points_redeemed=-int(sums.get("redeem", 0) or 0),
        points_expired=-int(sums.get("expire", 0) or 0), points_adjusted=int(sums.get("adjust", 0) or 0),
        spend_cents=spend, outstanding_points=outstanding, top_members=tops)


# --- trade-in summary -----------------------------------------------------------------------

@dataclass(frozen=True)
class CountValue:
    key: str
    count: int
    value_cents: int


@dataclass(frozen=True)
class TradeInReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    currency: str
    quotes: int                              # created in the span
    by_status: tuple[tuple[str, int], ...]   # of those, by their status now
    accepted: int                            # accepted_at in the span
    accepted_value_cents: int
    average_value_cents: int | None
    by_grade: tuple[CountValue, ...]         # accepted, by grade
    by_family: tuple[CountValue, ...]        # accepted, by model family
    by_payout: tuple[CountValue, ...]        # accepted, by payout
    price_books: tuple[str, ...]             # versions the span's quotes used


GRADE_ORDER = ("like_new", "good", "fair", "damaged", "unusable")
QUOTE_STATUSES = ("quoted", "accepted", "received", "declined", "expired", "requoted")


def tradein_report(session: Session, actor: Actor, first: date, last: date,
                   now: datetime | None = None) -> TradeInReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    q = TradeInQuote
    created = session.execute(select(q.status, PriceBook.version).join(PriceBook, PriceBook.id == q.price_book_id)
                              .where(q.store_id == actor.store_id, q.created_at >= start, q.created_at < end)).all()
    status_counts = Counter(r[0] for r in created)
    by_status = tuple((s, status_counts.get(s, 0)) for s in QUOTE_STATUSES) + tuple(
        (k, v) for k, v in sorted(status_counts.items()) if k not in QUOTE_STATUSES)
    accepted = session.execute(
        select(q.grade, q.value_cents, q.payout, TradeInModel.family)
        .join(TradeInModel, TradeInModel.id == q.model_id)
        .where(q.store_id == actor.store_id, q.accepted_at >= start, q.accepted_at < end)).all()

    def group(idx: int, order: tuple[str, ...] = ()) -> tuple[CountValue, ...]:
        c: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in accepted:
            c[r[idx] or ""][0] += 1
            c[r[idx] or ""][1] += r[1]
        keys = [k for k in order if k in c] + sorted(k for k in c if k not in order)
        return tuple(CountValue(k, c[k][0], c[k][1]) for k in keys)
    total = sum(r[1] for r in accepted)
    books = session.scalars(select(func.distinct(PriceBook.version)).join(q, q.price_book_id == PriceBook.id)
                            .where(q.store_id == actor.store_id,
                                   or_(and_(q.created_at >= start, q.created_at < end),
                                       and_(q.accepted_at >= start, q.accepted_at < end)))
                            .order_by(PriceBook.version)).all()
    return TradeInReportData(
        store, _generated(actor, now), first, last, store.currency, quotes=len(created), by_status=by_status,
        accepted=len(accepted), accepted_value_cents=total,
        average_value_cents=round(total / len(accepted)) if accepted else None,
        by_grade=group(0, GRADE_ORDER), by_family=tuple(sorted(group(3), key=lambda cv: (-cv.count, cv.key))),
        by_payout=group(2, ("purchase", "store_credit", "voucher")), price_books=tuple(books))


# --- satisfaction ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Comment:
    at: datetime
    csat: int | None
    nps: int | None
    text: str
    about: str          # "ticket" or "appointment" or ""


@dataclass(frozen=True)
class FeedbackCategory:
    category: str
    total: int
    open: int
    overdue: int
    escalated: int


@dataclass(frozen=True)
class SatisfactionReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    figures: SatisfactionFigures
    csat_distribution: tuple[int, ...]     # counts of 1..5
    nps_distribution: tuple[int, ...]      # counts of 0..10
    promoters: int
    passives: int
    detractors: int
    feedback: tuple[FeedbackCategory, ...]     # created in the span
    comments: tuple[Comment, ...]             # newest first, non-empty


def satisfaction_report(session: Session, actor: Actor, first: date, last: date,
                        now: datetime | None = None, comments: int = 30) -> SatisfactionReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    now = now or clock.now()
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    s = Survey
    rows = session.execute(select(s.at, s.csat, s.nps, s.comment, s.ticket_id, s.appointment_id)
                           .where(s.store_id == actor.store_id, s.at >= start, s.at < end)
                           .order_by(s.at.desc())).all()
    csat = [r[1] for r in rows if r[1] is not None]
    nps = [r[2] for r in rows if r[2] is not None]
    fig = SatisfactionFigures(len(rows), _mean(csat), nps_score(nps), len(nps))
    fb = session.execute(select(Feedback.category, Feedback.status, Feedback.due_at, Feedback.escalated)
                         .where(Feedback.store_id == actor.store_id, Feedback.created_at >= start,
                                Feedback.created_at < end)).all()
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for cat, status, due, escalated in fb:
        c = cats[cat]
        c[0] += 1
        c[1] += status == "open"
        c[2] += status == "open" and due is not None and due < now
        c[3] += bool(escalated)
    notes = tuple(Comment(r[0], r[1], r[2], r[3], "ticket" if r[4] else "appointment" if r[5] else "")
                  for r in rows if (r[3] or "").strip())[:comments]
    return SatisfactionReportData(
        store, _generated(actor, now), first, last, fig, tuple(csat.count(i) for i in range(1, 6)),
        tuple(nps.count(i) for i in range(11)), sum(1 for x in nps if x >= 9),
        sum(1 for x in nps if 7 <= x <= 8), sum(1 for x in nps if x <= 6),
        tuple(FeedbackCategory(k, *v) for k, v in sorted(cats.items())), notes)

