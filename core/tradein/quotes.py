"""Quotes: ``create_quote`` values the device under the price book in force and keeps the
quote (the book, the answers, the breakdown and the expiry, so a quote keeps its value
when a new price book arrives); ``requote`` replaces it after inspection, under the same
book; ``get_quote`` reads one back."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, clock
from core.errors import Conflict, ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.messages import events as message_events
from core.models import Customer, LoyaltyEntry, PriceBook, TradeInModel, TradeInQuote
from core.permissions import Actor, Perm, require
from core.tradein._common import _live_customer, _status, _terms, _tz
from core.tradein.checks import _checks, _imei
from core.tradein.pricebook import _book_in_force, _facts, _repair_costs
from core.tradein.valuation import RepairAdvice, Valuation, clean_answers, repair_advice, valuate
from core.validation import normalize_serial


@dataclass(frozen=True)
class QuoteView:
    id: uuid.UUID
    created_at: datetime
    status: str                   # quoted, requoted, declined, expired, received (accepted: demo data)
    customer_id: uuid.UUID | None
    customer: str
    model_id: uuid.UUID
    device: str
    kind: str
    imei: str | None
    serial: str | None
    answers: dict[str, Any]
    grade: str
    value_cents: int
    breakdown: tuple[dict[str, Any], ...]
    expires_at: datetime
    payout: str | None
    currency: str
    price_book_id: uuid.UUID
    price_book_version: str
    price_book_valid_from: date
    supersedes_id: uuid.UUID | None
    accepted_at: datetime | None
    signature_name: str | None
    declared_owner: bool
    declared_wiped: bool
    voucher_code: str | None
    credit_points: int | None


@dataclass(frozen=True)
class QuoteOutcome:
    """A stored quote, or no quote and the gates that refused it."""

    quote: QuoteView | None
    valuation: Valuation
    repairs: tuple[RepairAdvice, ...] = field(default=())

    @property
    def refused(self) -> bool:
        return self.quote is None


def _view(session: Session, q: TradeInQuote, now: datetime | None = None) -> QuoteView:
    now = now or clock.now()
    pb, m = _terms(session, q)
    c = session.get(Customer, q.customer_id) if q.customer_id else None
    points = None
    if q.status == "received" and q.customer_id:
        points = session.scalar(select(func.sum(LoyaltyEntry.points)).where(
            LoyaltyEntry.ref_type == "tradein", LoyaltyEntry.ref_id == q.id, LoyaltyEntry.kind == "earn"))
    return QuoteView(
        q.id, q.created_at, _status(q, now), q.customer_id, c.display_name if c is not None and not c.erased else "",
        q.model_id, f"{m.name} {m.configuration}", m.kind, q.imei, q.serial, dict(q.answers or {}), q.grade,
        q.value_cents, tuple(q.breakdown or ()), q.expires_at, q.payout, pb.currency, pb.id, pb.version,
        pb.valid_from, q.supersedes_id, q.accepted_at, q.signature_name, bool(q.declared_owner),
        bool(q.declared_wiped), q.voucher_code, int(points) if points is not None else None)


def _payout(rules: Mapping[str, Any], payout: str | None) -> str | None:
    if payout in (None, ""):
        return None
    if payout not in rules.get("payouts", ()):
        raise ValidationError("payout", "is not a payout this price book offers")
    return payout


def _quote(session: Session, actor: Actor, q_id: uuid.UUID) -> TradeInQuote:
    return get_or_not_found(session, TradeInQuote, q_id, "quote", store_id=actor.store_id)


def _make_quote(session: Session, actor: Actor, *, pb: PriceBook, m: TradeInModel, answers: Mapping[str, Any],
                customer: Customer | None, imei: str | None, serial: str | None, payout: str | None,
                now: datetime, supersedes: TradeInQuote | None) -> QuoteOutcome:
    rules = pb.rules
    tz = _tz(session, actor)
    on = now.astimezone(tz).date()
    errors: list[ValidationError] = []
    clean: dict[str, Any] = {}
    try:
        clean = clean_answers(rules, m.kind, answers)
    except ValidationErrors as exc:
        errors += exc.errors
    fields: tuple[tuple[str, Callable[[], str | None]], ...] = (
        ("imei", lambda: _imei(imei)),
        ("serial", lambda: normalize_serial(serial) if serial and serial.strip() else None),
        ("payout", lambda: _payout(rules, payout)))
    for name, fn in fields:
        try:
            clean["__" + name] = fn()
        except ValidationError as exc:
            errors.append(exc)
    if m.kind == "phone" and not errors and not clean["__imei"]:
        errors.append(ValidationError("imei", "is required"))
    if errors:
        raise ValidationErrors(errors)
    imei_v, serial_v, payout_v = clean.pop("__imei"), clean.pop("__serial"), clean.pop("__payout")
    facts = _facts(session, pb, m)
    checks = _checks(session, actor, imei_v, customer)
    valuation = valuate(rules, facts, clean, on=on, payout=payout_v, checks=checks)
    repairs = repair_advice(rules, facts, clean, _repair_costs(session, rules, m), on=on, payout=payout_v)
    if valuation.refused:
        audit.record(session, actor, "tradein.refused", "customer" if customer else None,
                     customer.id if customer else None,
                     detail=",".join(g.code for g in valuation.gates))
        return QuoteOutcome(None, valuation, repairs)
    q = TradeInQuote(store_id=actor.store_id, customer_id=customer.id if customer else None,
                     staff_id=actor.staff_id, model_id=m.id, price_book_id=pb.id, imei=imei_v, serial=serial_v,
                     answers=clean, grade=valuation.grade, value_cents=valuation.value_cents,
                     breakdown=list(valuation.breakdown),
                     expires_at=now + timedelta(days=int(rules["quote_valid_days"])), status="quoted",
                     supersedes_id=supersedes.id if supersedes else None, payout=payout_v,
                     created_at=now, updated_at=now)
    session.add(q)
    session.flush()
    audit.record(session, actor, "tradein.requote" if supersedes else "tradein.quote", "tradein_quote", q.id,
                 detail=f"grade={q.grade}")
    message_events.tradein_quoted(session, q, pb.currency, now)
    return QuoteOutcome(_view(session, q, now), valuation, repairs)


def create_quote(session: Session, actor: Actor, *, model_id: uuid.UUID, answers: Mapping[str, Any],
                 customer_id: uuid.UUID | None = None, imei: str | None = None, serial: str | None = None,
                 payout: str | None = None, now: datetime | None = None) -> QuoteOutcome:
    """Value the device under the price book in force and keep the quote; refused (no quote,
    the gates say why) for a locked, blocklisted or mistyped-IMEI device or a minor."""
    require(actor, Perm.TAKE_TRADE_INS)
    now = now or clock.now()
    on = now.astimezone(_tz(session, actor)).date()
    pb = _book_in_force(session, on)
    if pb is None:
        raise Conflict("no price book is in force")
    m = get_or_not_found(session, TradeInModel, model_id, "model")
    customer = _live_customer(session, customer_id) if customer_id else None
    return _make_quote(session, actor, pb=pb, m=m, answers=answers, customer=customer, imei=imei, serial=serial,
                       payout=payout, now=now, supersedes=None)


def get_quote(session: Session, actor: Actor, quote_id: uuid.UUID) -> QuoteView:
    require(actor, Perm.TAKE_TRADE_INS)
    q = _quote(session, actor, quote_id)
    if q.customer_id:
        audit.record(session, actor, "tradein.view", "tradein_quote", q.id)
    return _view(session, q)


def _open(q: TradeInQuote, now: datetime) -> None:
    status = _status(q, now)
    if status == "expired":
        raise Conflict("the quote has expired; make a new quote")
    if status != "quoted":
        raise Conflict("the quote is no longer open")


def requote(session: Session, actor: Actor, quote_id: uuid.UUID, *, answers: Mapping[str, Any],
            payout: str | None = None, now: datetime | None = None) -> QuoteOutcome:
    """Inspection found the device differs from its description: a new quote from the new
    answers, under the same price book, superseding the old one (which becomes "requoted").
    The customer then accepts it or takes the device back (decline)."""
    require(actor, Perm.TAKE_TRADE_INS)
    now = now or clock.now()
    old = _quote(session, actor, quote_id)
    _open(old, now)
    pb, m = _terms(session, old)
    customer = _live_customer(session, old.customer_id) if old.customer_id else None
    outcome = _make_quote(session, actor, pb=pb, m=m, answers=answers, customer=customer, imei=old.imei,
                          serial=old.serial, payout=payout if payout is not None else old.payout, now=now,
                          supersedes=old)
    message_events.tradein_closed(session, old, now)
    if outcome.quote is not None:
        old.status = "requoted"
        old.updated_at = now
    else:
        # e.g. the activation lock turned out to be on: this device cannot be taken at all
        old.status = "declined"
        old.updated_at = now
    session.flush()
    return outcome
