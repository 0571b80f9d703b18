"""The end of a quote: the customer accepts (signature, declarations, the payout as store
credit on the loyalty ledger or a voucher, the trade-in bonus for members; the device is
received), declines (takes the device back), or the quote expires."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, clock, money
from core.errors import Conflict, ValidationError, ValidationErrors
from core.messages import events as message_events
from core.models import LoyaltyEntry, TradeInQuote
from core.permissions import Actor, Perm, require
from core.tradein._common import _live_customer, _member, _terms, _tz
from core.tradein.checks import _checks, _imei
from core.tradein.pricebook import _facts
from core.tradein.quotes import QuoteView, _open, _payout, _quote, _view
from core.tradein.valuation import Gate, find_gates, valuate
from core.validation import normalize_name, normalize_serial


@dataclass(frozen=True)
class AcceptOutcome:
    quote: QuoteView
    gates: tuple[Gate, ...] = ()          # not accepted when any
    credit_points: int | None = None      # store credit on the loyalty ledger
    member_number: str | None = None
    voucher_code: str | None = None
    bonus_points: int | None = None       # the programme's trade-in bonus, for members

    @property
    def accepted(self) -> bool:
        return not self.gates


_VOUCHER_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def voucher_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """A voucher code, ``TI-XXXX-XXXX`` in letters and digits that cannot be mistaken for each
    other (what core.scan recognises); ``choice`` picks one character (the demo passes its
    seeded generator's)."""
    return "TI-" + "".join(choice(_VOUCHER_CHARS) for _ in range(4)) + "-" + \
           "".join(choice(_VOUCHER_CHARS) for _ in range(4))


def _voucher_code(session: Session) -> str:
    while True:
        code = voucher_code()
        if session.scalar(select(func.count()).select_from(TradeInQuote)
                          .where(TradeInQuote.voucher_code == code)) == 0:
            return code


def accept_quote(session: Session, actor: Actor, quote_id: uuid.UUID, *, signature_name: str,
                 declared_owner: bool, declared_wiped: bool, imei: str | None = None, serial: str | None = None,
                 payout: str | None = None, now: datetime | None = None) -> AcceptOutcome:
    """The customer accepts: record the device's IMEI/serial, their signature and the
    declaration that the device is theirs and wiped, pay out (store credit on the loyalty
    ledger for members, otherwise a voucher code; a code towards a purchase), and the
    device is "received" for refurbishment.  The value is the quote's, under its own price
    book, whatever book is in force now; a different payout is valued again under it."""
    require(actor, Perm.TAKE_TRADE_INS)
    now = now or clock.now()
    q = _quote(session, actor, quote_id)
    _open(q, now)
    pb, m = _terms(session, q)
    rules = pb.rules
    errors: list[ValidationError] = []
    values: dict[str, Any] = {}

    def attempt(name: str, fn: Callable[[], str | None]) -> None:
        try:
            values[name] = fn()
        except ValidationError as exc:
            errors.append(exc)

    attempt("signature_name", lambda: normalize_name(signature_name, field="signature_name", max_len=120))
    attempt("imei", lambda: _imei(imei) if imei and imei.strip() else q.imei)
    attempt("serial", lambda: normalize_serial(serial) if serial and serial.strip() else q.serial)
    attempt("payout", lambda: _payout(rules, payout if payout else q.payout))
    if not declared_owner:
        errors.append(ValidationError("declared_owner", "the customer must confirm this"))
    if not declared_wiped:
        errors.append(ValidationError("declared_wiped", "the customer must confirm this"))
    if q.customer_id is None:
        errors.append(ValidationError("customer", "is required"))
    if "imei" in values and m.kind == "phone" and not values["imei"]:
        errors.append(ValidationError("imei", "is required"))
    if "serial" in values and "imei" in values and not values["serial"] and not values["imei"]:
        errors.append(ValidationError("serial", "is required"))
    if "payout" in values and values["payout"] is None:
        errors.append(ValidationError("payout", "is required"))
    if errors:
        raise ValidationErrors(errors)
    assert q.customer_id is not None    # a quote without a customer is one of ``errors``
    if q.imei and values["imei"] != q.imei:
        raise Conflict("the IMEI differs from the quoted device; make a new quote")
    customer = _live_customer(session, q.customer_id)
    on = q.created_at.astimezone(_tz(session, actor)).date()
    checks = _checks(session, actor, values["imei"], customer)
    gates = find_gates(rules, q.answers, checks, now.astimezone(_tz(session, actor)).date())
    if gates:
        audit.record(session, actor, "tradein.refused", "tradein_quote", q.id,
                     detail=",".join(g.code for g in gates))
        return AcceptOutcome(_view(session, q, now), gates)
    if values["payout"] != q.payout:
        valuation = valuate(rules, _facts(session, pb, m), q.answers, on=on, payout=values["payout"])
        # the same answers graded when the quote was made, and the gates were passed just now
        assert valuation.grade is not None
        q.value_cents, q.breakdown, q.grade = valuation.value_cents, list(valuation.breakdown), valuation.grade
    q.payout = values["payout"]
    q.imei, q.serial = values["imei"], values["serial"]
    q.signature_name = values["signature_name"]
    q.declared_owner, q.declared_wiped = True, True
    q.accepted_at = now
    q.status = "received"
    message_events.tradein_closed(session, q, now)
    q.updated_at = now
    points = member_number = voucher = None
    account = _member(session, customer.id) if q.payout == "store_credit" else None
    if account is not None:
        from core.loyalty import current_rules
        points = money.credit_points(q.value_cents, current_rules(session, actor).cents_per_point)
        member_number = account.member_number
        session.add(LoyaltyEntry(account_id=account.id, kind="earn", points=points,
                                 reason=f"Trade-in credit: {m.name} {m.configuration}"[:200],
                                 ref_type="tradein", ref_id=q.id, spend_cents=0, store_id=actor.store_id,
                                 staff_id=actor.staff_id, at=now, expires_at=None))
    else:
        voucher = _voucher_code(session)
        q.voucher_code = voucher
    session.flush()
    bonus = None
    member = account or _member(session, customer.id)
    if member is not None:
        from core.loyalty import current_rules, grant_tradein_bonus
        if current_rules(session, actor).tradein_bonus:
            bonus = grant_tradein_bonus(session, actor, member.id, q.id, now).entry.points
            member_number = member.member_number
    audit.record(session, actor, "tradein.accept", "tradein_quote", q.id,
                 detail=f"payout={q.payout};{'ledger' if account is not None else 'voucher'}")
    return AcceptOutcome(_view(session, q, now), (), points, member_number, voucher, bonus)


def decline_quote(session: Session, actor: Actor, quote_id: uuid.UUID, now: datetime | None = None) -> QuoteView:
    """The customer takes the device back."""
    require(actor, Perm.TAKE_TRADE_INS)
    now = now or clock.now()
    q = _quote(session, actor, quote_id)
    _open(q, now)
    q.status = "declined"
    q.updated_at = now
    session.flush()
    message_events.tradein_closed(session, q, now)
    audit.record(session, actor, "tradein.decline", "tradein_quote", q.id)
    return _view(session, q, now)


def expire_quotes(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """Mark open quotes past their expiry as expired; returns how many."""
    require(actor, Perm.TAKE_TRADE_INS)
    now = now or clock.now()
    n = 0
    for q in session.scalars(select(TradeInQuote).where(TradeInQuote.store_id == actor.store_id,
                                                        TradeInQuote.status == "quoted",
                                                        TradeInQuote.expires_at <= now)):
        q.status = "expired"
        q.updated_at = now
        message_events.tradein_closed(session, q, now)
        n += 1
    session.flush()
    return n
