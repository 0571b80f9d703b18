"""The customer-facing documents: a repair ticket's service report, intake receipt and
device label (the ticket as ``core.repairs`` reads it for the bench), a trade-in receipt,
a loyalty member card with its welcome letter, and a customer's access-request export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, clock, repairs
from core.customers import view_for
from core.lookup import get_or_not_found
from core.models import (
    ActionOutcome, Appointment, CareTask, Consent, Customer, CustomerNote, CustomerScore, Device, Feedback,
    FeedbackNote, LoyaltyAccount, LoyaltyEntry, PriceBook, Purchase, RepairTicket, ServiceType, Survey, TradeInModel,
    TradeInQuote,
)
from core.permissions import Actor, Perm, require
from core.repairs import TicketDetail
from core.report_data._common import (
    MEMBER_PAYLOAD_PREFIX, Generated, StoreHeader, _display_name, _generated, _staff_names, _store_header,
)
from core.tradein.valuation import yes_no


@dataclass(frozen=True)
class TicketDocument:
    """A repair ticket as the service report, intake receipt and device label print it:
    the bench's own read model of the ticket (``core.repairs.TicketDetail``), with the
    store's header and who asked for the document."""

    store: StoreHeader
    generated: Generated
    ticket: TicketDetail
    survey_url: str | None = None       # the service report's survey QR code (core.care.invitations.invite)


def _ticket_document(session: Session, actor: Actor, ticket_id: uuid.UUID, action: str,
                     now: datetime | None) -> TicketDocument:
    detail = repairs.ticket_detail(session, actor, ticket_id, audit_action=action)
    return TicketDocument(_store_header(session, actor), _generated(actor, now), detail)


def service_report(session: Session, actor: Actor, ticket_id: uuid.UUID,
                   now: datetime | None = None) -> TicketDocument:
    require(actor, Perm.WORK_TICKETS)
    return _ticket_document(session, actor, ticket_id, "report.service", now)


def intake_receipt(session: Session, actor: Actor, ticket_id: uuid.UUID,
                   now: datetime | None = None) -> TicketDocument:
    require(actor, Perm.WORK_TICKETS)
    return _ticket_document(session, actor, ticket_id, "report.intake", now)


def device_label(session: Session, actor: Actor, ticket_id: uuid.UUID) -> TicketDocument:
    require(actor, Perm.WORK_TICKETS)
    return _ticket_document(session, actor, ticket_id, "report.label", None)


# --- trade-in receipt -----------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerLine:
    key: str
    label_en: str
    label_zh: str
    value: Any
    yes: bool | None = None     # a yes/no question's answer (core.tradein.yes_no), as the screen asks it


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
    voucher_code: str | None      # TI-XXXX-XXXX once accepted with a voucher payout (core.scan reads it)
    signature_name: str | None
    promotion_labels: tuple[tuple[str, str, str], ...]    # (code, en, zh_CN)


def tradein_receipt(session: Session, actor: Actor, quote_id: uuid.UUID,
                    now: datetime | None = None) -> TradeInReceiptData:
    require(actor, Perm.TAKE_TRADE_INS)
    q = get_or_not_found(session, TradeInQuote, quote_id, "trade-in quote", store_id=actor.store_id)
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
        pair = yes_no(questions[key]) if key in questions else None
        yes = None if pair is None or value not in pair else value == pair[0]
        answers.append(AnswerLine(key, label.get("en", ""), label.get("zh_CN", ""), value, yes))
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
        # masked for a role without Perm.SEE_CONTACT_DETAILS, as every screen shows it (customers.view_for)
        customer_name=_display_name(c), customer_phone=view_for(actor, c).phone if c is not None and live else None,
        staff=names.get(q.staff_id, "") if q.staff_id else "", model_name=m.name if m else "",
        configuration=m.configuration if m else "", family=m.family if m else "", kind=m.kind if m else "",
        imei=q.imei, serial=q.serial, answers=tuple(answers), grade=q.grade, value_cents=q.value_cents,
        breakdown=breakdown, price_book_version=book.version if book else "",
        currency=(book.currency if book else None) or _store_header(session, actor).currency, payout=q.payout,
        voucher_code=q.voucher_code, signature_name=q.signature_name, promotion_labels=promos)


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
    a = get_or_not_found(session, LoyaltyAccount, account_id, "loyalty account")
    c = get_or_not_found(session, Customer, a.customer_id, "customer", live=lambda c: not c.erased)
    balance = int(session.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                                 .where(LoyaltyEntry.account_id == a.id)) or 0)
    bonus = int(session.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                               .where(LoyaltyEntry.account_id == a.id, LoyaltyEntry.kind == "bonus")) or 0)
    audit.record(session, actor, "report.member_card", "loyalty_account", a.id)
    return MemberCardData(_store_header(session, actor), _generated(actor, now), a.member_number, c.display_name,
                          c.language, a.tier, a.enrolled_at, balance, bonus, a.terms_version)


# --- customer data export (access request) ----------------------------------------------------

def _row(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def customer_export(session: Session, actor: Actor, customer_id: uuid.UUID,
                    now: datetime | None = None) -> dict[str, Any]:
    """Everything the store holds about one customer, for an access request: a dict of
    sections (``profile`` a dict, the others lists of dicts), ready for the PDF renderer.
    Secrets (a ticket's sealed passcode, signature images) are named, not included."""
    require(actor, Perm.EXPORT_ERASE_CUSTOMERS)
    c = get_or_not_found(session, Customer, customer_id, "customer", live=lambda c: not c.erased)
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
    device_model: dict[uuid.UUID | None, str] = {d.id: d.model for d in devices}
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
    out["surveys"] = [dict(_row(x, ("at", "nps", "csat", "comment")), survey_channel=x.channel)
                      for x in session.scalars(select(Survey).where(Survey.customer_id == c.id).order_by(Survey.at))]
    complaints = list(session.scalars(select(Feedback).where(Feedback.customer_id == c.id)
                                      .order_by(Feedback.opened_at)))
    out["feedback"] = [_row(x, ("opened_at", "category", "severity", "text", "status", "due_at", "resolved_at",
                                "resolution")) for x in complaints]
    opened = {x.id: x.opened_at for x in complaints}
    out["complaint_notes"] = [dict(complaint_opened_at=opened[n.feedback_id], **_row(n, ("at", "text")),
                                   staff=names.get(n.staff_id, "") if n.author == "store" else n.hq_role)
                              for n in session.scalars(select(FeedbackNote).where(
                                  FeedbackNote.feedback_id.in_(list(opened))).order_by(FeedbackNote.at))]
    out["care_calls"] = [dict(call=x.kind, due_at=x.due_at, done_at=x.done_at, outcome=x.outcome, note=x.note)
                         for x in session.scalars(select(CareTask).where(CareTask.customer_id == c.id)
                                                  .order_by(CareTask.due_at))]
    # issue 23: the scores HQ computed about the person, and what staff did with suggestions to them
    out["scores"] = [_row(x, ("segment", "value_band", "recency", "frequency", "monetary", "visits", "last_visit_at",
                              "historic_cents", "predicted_cents", "churn_score", "churn_reasons", "computed_at"))
                     for x in session.scalars(select(CustomerScore).where(CustomerScore.customer_id == c.id))]
    out["action_outcomes"] = [dict(action=x.code, action_outcome=x.outcome, at=x.at)
                              for x in session.scalars(select(ActionOutcome).where(ActionOutcome.customer_id == c.id)
                                                       .order_by(ActionOutcome.at))]
    audit.record(session, actor, "customer.export", "customer", c.id)
    return out
