"""Trade-in: an honest, explainable price at the counter, and never a locked, blocklisted
or stolen device.

Two halves.  The *valuation* is pure: ``valuate(rules, facts, answers, on=...)`` turns the
price book's rules (the JSON described in ``core.demo.price_book_rules``), what the price
book says about the model (``DeviceFacts``: kind, family, release date, base value per
grade) and the questionnaire's answers into a grade, a value and the breakdown lines that
explain it; ``find_gates`` says what stops the trade-in.  No database, no clock: the GUI
runs it on every answer for the live breakdown, the services below run it again before
they store anything, and property tests check it (a worse answer never raises the value,
the value is never below zero, every gate blocks).

The *services* (``create_quote``, ``requote``, ``accept_quote``, ``decline_quote``,
``expire_quotes``...) keep quotes: the price book a quote was made under, the answers,
the breakdown and the expiry, so a quote keeps its value when a new price book arrives.

Breakdown lines are dicts; every line has ``step`` and ``cents`` and the lines of a quote
add up to its value::

    {"step": "base", "grade": "good", "cents": 255000}
    {"step": "age", "months": 26, "pct": -5, "cents": -12750}
    {"step": "battery", "health": 87, "pct": -5, "cents": -12750}      # health None: not measured
    {"step": "floor", "cents": ...}          # only when the subtotal fell below floor_cents
    {"step": "rounding", "cents": -500}
    {"step": "promotion", "code": "UPGRADE-2026-11", "cents": 30000}
    {"step": "cap", "grade": "fair", "cents": ...}   # only if a better grade would be worth less
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, clock, money
from core.errors import Conflict, NotFound, ValidationError, ValidationErrors
from core.models import (
    AuditEvent, Customer, ImeiBlock, LoyaltyAccount, LoyaltyEntry, Part, PriceBook, PriceBookEntry, ServiceType, Store,
    TradeInModel, TradeInQuote,
)
from core.permissions import Actor, Perm, require
from core.validation import is_luhn_valid, normalize_imei, normalize_name, normalize_serial

REFUSE = "refuse"
MIN_AGE = 18
# Repairs worth showing beside a trade-in value: which answer they fix, the service and
# the part (by SKU prefix and the model it fits) that price them.  A price book may carry
# its own "repairs" list in the same shape.
DEFAULT_REPAIRS: tuple[dict[str, Any], ...] = (
    {"key": "screen", "question": "screen", "when": ["deep_scratches", "dead_pixels_or_burn_in", "cracked"],
     "fixed": "flawless", "service": "screen_repair", "part_prefix": "SCR-"},
    {"key": "battery", "question": "battery_health", "below": 80, "fixed": 100,
     "service": "battery", "part_prefix": "BAT-"},
)

# What stops a trade-in, in words fit to show (translated through the CoreMessages context).
GATE_REASONS = {
    "activation_lock": "Find My / activation lock is on: the owner must remove the device from their account",
    "answer": "this answer means the store cannot take the device",
    "blocklisted": "the IMEI is on the blocklist",
    "imei_check_digit": "the IMEI fails the check digit (Luhn) test",
    "under_18": "the customer is under 18",
}

# The questions real trade-in programmes ask, as price-book data (HQ publishes them; a
# price book can use these or its own).  Each option maps to the best grade the device
# can still get (None: no limit); "refuse" stops the trade-in.
STANDARD_QUESTIONS: tuple[dict[str, Any], ...] = (
    {"key": "powers_on", "label": {"en": "Does it power on and hold a charge?", "zh_CN": "能否正常开机并保持电量？"},
     "options": {"yes": None, "does_not_hold_charge": "fair", "no": "unusable"}},
    {"key": "activation_lock", "label": {"en": "Find My / activation lock turned off?",
                                         "zh_CN": "是否已关闭查找功能 / 激活锁？"},
     "options": {"off": None, "on": REFUSE}},
    {"key": "paid_off", "label": {"en": "Paid off and not under contract?", "zh_CN": "是否已付清且无合约？"},
     "options": {"yes": None, "no": REFUSE}},
    {"key": "liquid_damage", "label": {"en": "Any sign of liquid damage?", "zh_CN": "是否有进水痕迹？"},
     "options": {"no": None, "yes": "unusable"}},
    {"key": "screen", "label": {"en": "Screen: cracks, dead pixels, burn-in", "zh_CN": "屏幕：裂痕、坏点、烧屏"},
     "options": {"flawless": None, "light_scratches": "good", "deep_scratches": "fair",
                 "dead_pixels_or_burn_in": "fair", "cracked": "damaged"}},
    {"key": "housing", "label": {"en": "Back and body", "zh_CN": "背板与机身"},
     "options": {"flawless": None, "light_wear": "good", "dents": "fair", "cracked_or_bent": "damaged"}},
    {"key": "buttons", "label": {"en": "Buttons", "zh_CN": "按键"},
     "options": {"all_work": None, "one_fault": "fair", "several_faults": "damaged"}},
    {"key": "cameras", "label": {"en": "Cameras and lenses", "zh_CN": "摄像头与镜头"},
     "options": {"all_work": None, "lens_scratched": "good", "one_fault": "fair", "several_faults": "damaged"}},
    {"key": "ports", "label": {"en": "Ports (charging, audio)", "zh_CN": "接口（充电、音频）"},
     "options": {"all_work": None, "loose": "fair", "not_working": "damaged"}},
    {"key": "biometrics", "label": {"en": "Face ID / Touch ID", "zh_CN": "面容 ID / 触控 ID"},
     "options": {"works": None, "none_fitted": None, "not_working": "damaged"}},
)


# --- the pure valuation -----------------------------------------------------------------

@dataclass(frozen=True)
class DeviceFacts:
    """What the price book knows about one model (a model is one configuration)."""

    kind: str                      # phone, tablet, laptop, watch
    family: str
    release_date: date
    bases: Mapping[str, int]       # grade -> base value in cents


@dataclass(frozen=True)
class Checks:
    """Facts about this device and customer that can stop the trade-in."""

    imei: str | None = None                  # 15 digits as typed (separators removed)
    blocklist_reason: str | None = None      # stolen, lost, unpaid: the IMEI is on the blocklist
    birth_date: date | None = None           # the customer's, when known


@dataclass(frozen=True)
class Gate:
    code: str              # activation_lock, answer, blocklisted, imei_check_digit, under_18
    detail: str = ""       # the question key (answer) or the blocklist reason

    @property
    def reason(self) -> str:
        return GATE_REASONS[self.code]


@dataclass(frozen=True)
class Valuation:
    grade: str | None                       # None when refused
    value_cents: int
    breakdown: tuple[dict[str, Any], ...]
    gates: tuple[Gate, ...] = ()
    missing: tuple[str, ...] = ()           # questions not answered yet: the value is provisional

    @property
    def refused(self) -> bool:
        return bool(self.gates)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class RepairAdvice:
    """A repair beside the trade-in value: what it costs and what the device is worth after."""

    key: str                    # screen, battery
    service: str                # service type code
    cost_cents: int
    value_after_cents: int


def grades(rules: Mapping[str, Any]) -> list[str]:
    return list(rules["grades"])


def questions(rules: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(rules["questions"])


def battery_question(rules: Mapping[str, Any]) -> str | None:
    rule = rules.get("battery_adjustment")
    return rule.get("question") if rule else None


def asks_battery(rules: Mapping[str, Any], kind: str) -> bool:
    rule = rules.get("battery_adjustment")
    return bool(rule) and kind in rule.get("kinds", ())


def option_rank(rules: Mapping[str, Any], key: str, option: str) -> int:
    """How bad an answer is: 0 for no limit, then the grade order; refusing is worst."""
    q = next(q for q in rules["questions"] if q["key"] == key)
    cap = q["options"][option]
    order = grades(rules)
    if cap is None:
        return 0
    if cap == REFUSE:
        return len(order) + 1
    return order.index(cap) + 1


def grade_for(rules: Mapping[str, Any], answers: Mapping[str, Any]) -> str | None:
    """The grade the answers give (unanswered questions set no limit), None when refused."""
    order = grades(rules)
    worst = 0
    for q in rules["questions"]:
        answer = answers.get(q["key"])
        if answer is None or answer not in q["options"]:
            continue
        cap = q["options"][answer]
        if cap == REFUSE:
            return None
        if cap is not None:
            worst = max(worst, order.index(cap))
    return order[worst]


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def find_gates(rules: Mapping[str, Any], answers: Mapping[str, Any], checks: Checks | None, on: date
               ) -> tuple[Gate, ...]:
    """Everything that stops this trade-in; empty when nothing does."""
    out: list[Gate] = []
    for q in rules["questions"]:
        answer = answers.get(q["key"])
        if answer is not None and q["options"].get(answer) == REFUSE:
            out.append(Gate("activation_lock") if q["key"] == "activation_lock" else Gate("answer", q["key"]))
    if checks is not None:
        if checks.imei and not is_luhn_valid(checks.imei):
            out.append(Gate("imei_check_digit"))
        if checks.blocklist_reason:
            out.append(Gate("blocklisted", checks.blocklist_reason))
        if checks.birth_date is not None and age_on(checks.birth_date, on) < int(rules.get("min_age", MIN_AGE)):
            out.append(Gate("under_18"))
    return tuple(out)


def _age_pct(rules: Mapping[str, Any], months: int) -> int:
    bands = [b for b in rules["age_adjustment"]["bands"] if months >= b["from_months"]]
    return max(bands, key=lambda b: b["from_months"])["pct"] if bands else 0


def _battery_pct(rule: Mapping[str, Any], health: int | None) -> int:
    """The pct of the first band (highest ``min_health`` first) the health reaches, never
    more than a band above it gives: a worse battery never earns more."""
    if health is None:
        return rule["unknown_pct"]
    bands = sorted(rule["bands"], key=lambda b: b["min_health"], reverse=True)
    if not bands:
        return 0
    reached = next((i for i, b in enumerate(bands) if health >= b["min_health"]), len(bands) - 1)
    return min(b["pct"] for b in bands[:reached + 1])


def _priced(rules: Mapping[str, Any], facts: DeviceFacts, grade: str, health: int | None, on: date,
            payout: str | None) -> list[dict[str, Any]]:
    """The breakdown lines for one grade; their cents add up to the value."""
    base = max(0, int(facts.bases[grade]))
    lines: list[dict[str, Any]] = [{"step": "base", "grade": grade, "cents": base}]
    months = months_between(facts.release_date, on)
    age_pct = _age_pct(rules, months)
    age = base * age_pct // 100
    lines.append({"step": "age", "months": months, "pct": age_pct, "cents": age})
    subtotal = base + age
    rule = rules.get("battery_adjustment")
    if rule and facts.kind in rule["kinds"] and grade not in rule.get("not_for_grades", ()):
        pct = _battery_pct(rule, health)
        battery = base * pct // 100
        lines.append({"step": "battery", "health": health, "pct": pct, "cents": battery})
        subtotal += battery
    floor = max(0, int(rules.get("floor_cents", 0)))
    if subtotal < floor:
        lines.append({"step": "floor", "cents": floor - subtotal})
        subtotal = floor
    step = max(1, int(rules.get("rounding_cents", 1)))
    rounded = max(floor, subtotal - subtotal % step)
    lines.append({"step": "rounding", "cents": rounded - subtotal})
    value = rounded
    order = grades(rules)
    for promo in rules.get("promotions", ()):
        if (payout is not None and payout in promo["payouts"] and facts.kind in promo["kinds"]
                and facts.family in promo["families"]
                and order.index(grade) <= order.index(promo["min_grade"])
                and promo["valid_from"] <= on.isoformat() <= promo["valid_to"]):
            bonus = max(0, int(promo["bonus_cents"]))
            lines.append({"step": "promotion", "code": promo["code"], "cents": bonus})
            value += bonus
    return lines


def _total(lines: list[dict[str, Any]]) -> int:
    return sum(line["cents"] for line in lines)


def _health(rules: Mapping[str, Any], answers: Mapping[str, Any]) -> int | None:
    key = battery_question(rules)
    value = answers.get(key) if key else None
    return None if value is None else int(value)


def valuate(rules: Mapping[str, Any], facts: DeviceFacts, answers: Mapping[str, Any], *, on: date,
            payout: str | None = None, checks: Checks | None = None) -> Valuation:
    """Grade, value and breakdown for these answers on the date ``on``; refused (grade None,
    value 0, no lines) when any gate applies.  Unanswered questions set no limit and are
    listed in ``missing``."""
    missing = tuple(q["key"] for q in rules["questions"] if answers.get(q["key"]) not in q["options"])
    gates = find_gates(rules, answers, checks, on)
    grade = grade_for(rules, answers)
    if gates or grade is None:
        return Valuation(None, 0, (), gates, missing)
    health = _health(rules, answers)
    lines = _priced(rules, facts, grade, health, on, payout)
    value = _total(lines)
    # A worse grade is never worth more than a better one with the same answers (a price
    # book whose adjustments skip some grades could otherwise make it so).
    order = grades(rules)
    for better in order[:order.index(grade)]:
        other = _total(_priced(rules, facts, better, health, on, payout))
        if other < value:
            lines.append({"step": "cap", "grade": better, "cents": other - value})
            value = other
    if value < 0:   # only a malformed price book gets here; the value is still never negative
        lines.append({"step": "floor", "cents": -value})
        value = 0
    return Valuation(grade, value, tuple(lines), (), missing)


def repair_advice(rules: Mapping[str, Any], facts: DeviceFacts, answers: Mapping[str, Any],
                  costs: Mapping[str, tuple[str, int]], *, on: date, payout: str | None = None
                  ) -> tuple[RepairAdvice, ...]:
    """For each repair that applies to these answers and has a price (``costs``: repair key
    -> (service code, cents)), its cost and the trade-in value after it."""
    out = []
    for spec in rules.get("repairs", DEFAULT_REPAIRS):
        if spec["key"] not in costs:
            continue
        answer = answers.get(spec["question"])
        if answer is None:
            continue
        if "when" in spec and answer not in spec["when"]:
            continue
        if "below" in spec and not (isinstance(answer, int) and answer < spec["below"]):
            continue
        fixed = dict(answers)
        fixed[spec["question"]] = spec["fixed"]
        after = valuate(rules, facts, fixed, on=on, payout=payout)
        if after.refused:
            continue
        service, cents = costs[spec["key"]]
        out.append(RepairAdvice(spec["key"], service, cents, after.value_cents))
    return tuple(out)


def check_rules(rules: Mapping[str, Any]) -> list[str]:
    """Problems in a price book's rules (empty when it can be used)."""
    problems = []
    try:
        order = grades(rules)
        if len(set(order)) != len(order) or not order:
            problems.append("grades must be distinct and not empty")
        keys = [q["key"] for q in rules["questions"]]
        if len(set(keys)) != len(keys):
            problems.append("question keys must be distinct")
        for q in rules["questions"]:
            if not q["options"]:
                problems.append(f"question {q['key']} has no options")
            for cap in q["options"].values():
                if cap is not None and cap != REFUSE and cap not in order:
                    problems.append(f"question {q['key']} caps at an unknown grade")
        for promo in rules.get("promotions", ()):
            if promo["min_grade"] not in order:
                problems.append(f"promotion {promo['code']} names an unknown grade")
            if promo["bonus_cents"] < 0:
                problems.append(f"promotion {promo['code']} has a negative bonus")
        if not isinstance(rules["age_adjustment"]["bands"], list):
            problems.append("age bands must be a list")
        if int(rules.get("quote_valid_days", 0)) < 1:
            problems.append("quote_valid_days must be at least 1")
        if int(rules.get("rounding_cents", 1)) < 1:
            problems.append("rounding_cents must be at least 1")
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"malformed rules: {type(exc).__name__} {exc}")
    return problems


def clean_answers(rules: Mapping[str, Any], kind: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every question answered with one of its options; the battery health (where the kind
    is asked for it) a whole percentage or None for not measured."""
    errors: list[ValidationError] = []
    out: dict[str, Any] = {}
    known = {q["key"] for q in rules["questions"]}
    bq = battery_question(rules)
    for key in answers:
        if key not in known and key != bq:
            errors.append(ValidationError(key, "is not a question of this price book"))
    for q in rules["questions"]:
        answer = answers.get(q["key"])
        if answer is None or answer == "":
            errors.append(ValidationError(q["key"], "is required"))
        elif answer not in q["options"]:
            errors.append(ValidationError(q["key"], "is not one of the answers"))
        else:
            out[q["key"]] = answer
    if bq and asks_battery(rules, kind):
        health = answers.get(bq)
        if health is not None and (isinstance(health, bool) or not isinstance(health, int)
                                   or not 0 <= health <= 100):
            errors.append(ValidationError(bq, "must be a whole number from {lo} to {hi}", lo=0, hi=100))
        else:
            out[bq] = health
    if errors:
        raise ValidationErrors(errors)
    return out


# --- price books ----------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteRow:
    id: uuid.UUID
    created_at: datetime
    customer: str
    device: str
    grade: str
    value_cents: int
    status: str
    expires_at: datetime


@dataclass(frozen=True)
class PriceBookView:
    id: uuid.UUID
    version: str
    valid_from: date
    valid_to: date | None
    currency: str


@dataclass(frozen=True)
class ModelRow:
    id: uuid.UUID
    family: str
    kind: str
    name: str
    configuration: str
    release_date: date


@dataclass(frozen=True)
class Pricing:
    """What the questionnaire needs to value one model live, without the database."""

    book: PriceBookView
    rules: dict[str, Any]
    model: ModelRow
    facts: DeviceFacts
    repair_costs: dict[str, tuple[str, int]]      # repair key -> (service code, cents)
    today: date                                   # the store's date


def _store(session: Session, actor: Actor) -> Store:
    store = session.get(Store, actor.store_id)
    if store is None:
        raise NotFound("store")
    return store


def _tz(session: Session, actor: Actor) -> ZoneInfo:
    return ZoneInfo(_store(session, actor).timezone or "UTC")


def _book_view(pb: PriceBook) -> PriceBookView:
    return PriceBookView(pb.id, pb.version, pb.valid_from, pb.valid_to, pb.currency)


def _book_in_force(session: Session, on: date) -> PriceBook | None:
    """The price book a quote made on ``on`` uses: in force then, the latest published."""
    q = (select(PriceBook).where(PriceBook.valid_from <= on)
         .where((PriceBook.valid_to.is_(None)) | (PriceBook.valid_to >= on))
         .order_by(PriceBook.valid_from.desc(), PriceBook.id.desc()).limit(1))
    return session.scalars(q).first()


def price_book_in_force(session: Session, actor: Actor, on: date | None = None) -> PriceBookView | None:
    """Version and dates of the price book in force at the store today (or on ``on``)."""
    require(actor, Perm.TAKE_TRADE_INS)
    on = on or clock.today(_tz(session, actor))
    pb = _book_in_force(session, on)
    return _book_view(pb) if pb else None


def _model_row(m: TradeInModel) -> ModelRow:
    return ModelRow(m.id, m.family, m.kind, m.name, m.configuration, m.release_date)


def list_models(session: Session, actor: Actor, on: date | None = None) -> list[ModelRow]:
    """The models the price book in force prices, by family and release."""
    require(actor, Perm.TAKE_TRADE_INS)
    on = on or clock.today(_tz(session, actor))
    pb = _book_in_force(session, on)
    if pb is None:
        return []
    ids = select(PriceBookEntry.model_id).where(PriceBookEntry.price_book_id == pb.id).distinct()
    q = (select(TradeInModel).where(TradeInModel.id.in_(ids))
         .order_by(TradeInModel.kind, TradeInModel.family, TradeInModel.release_date, TradeInModel.name))
    return [_model_row(m) for m in session.scalars(q)]


def _facts(session: Session, pb: PriceBook, m: TradeInModel) -> DeviceFacts:
    bases = {e.grade: e.base_cents for e in session.scalars(
        select(PriceBookEntry).where(PriceBookEntry.price_book_id == pb.id, PriceBookEntry.model_id == m.id))}
    missing = [g for g in grades(pb.rules) if g not in bases]
    if missing:
        raise Conflict("the price book has no value for this model")
    return DeviceFacts(m.kind, m.family, m.release_date, bases)


def _repair_costs(session: Session, rules: Mapping[str, Any], m: TradeInModel) -> dict[str, tuple[str, int]]:
    out = {}
    for spec in rules.get("repairs", DEFAULT_REPAIRS):
        service = session.scalars(select(ServiceType).where(ServiceType.code == spec["service"],
                                                            ServiceType.active.is_(True))).first()
        part = session.scalars(select(Part).where(Part.fits == m.name, Part.sku.startswith(spec["part_prefix"]))
                               .order_by(Part.price_cents)).first()
        if service is not None and part is not None:
            out[spec["key"]] = (service.code, service.price_cents + part.price_cents)
    return out


def pricing(session: Session, actor: Actor, model_id: uuid.UUID, on: date | None = None,
            price_book_id: uuid.UUID | None = None) -> Pricing:
    """The rules and values to price ``model_id`` live: under the book in force on ``on``
    (today), or under ``price_book_id`` (re-quoting a quote made under it)."""
    require(actor, Perm.TAKE_TRADE_INS)
    today = clock.today(_tz(session, actor))
    on = on or today
    pb = session.get(PriceBook, price_book_id) if price_book_id else _book_in_force(session, on)
    if pb is None:
        raise Conflict("no price book is in force")
    m = session.get(TradeInModel, model_id)
    if m is None:
        raise NotFound("model")
    return Pricing(_book_view(pb), dict(pb.rules), _model_row(m), _facts(session, pb, m),
                   _repair_costs(session, pb.rules, m), on)


# --- customers and devices ------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerFacts:
    id: uuid.UUID
    display_name: str
    birth_date: date | None
    member_number: str | None


def _live_customer(session: Session, customer_id: uuid.UUID) -> Customer:
    c = session.get(Customer, customer_id)
    if c is None or c.erased or c.merged_into_id is not None:
        raise NotFound("customer")
    return c


def _member(session: Session, customer_id: uuid.UUID) -> LoyaltyAccount | None:
    return session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id,
                                                        LoyaltyAccount.active.is_(True))).first()


def customer_facts(session: Session, actor: Actor, customer_id: uuid.UUID) -> CustomerFacts:
    """The trading customer: name, birth date (the age gate) and loyalty membership (the payout)."""
    require(actor, Perm.TAKE_TRADE_INS)
    c = _live_customer(session, customer_id)
    account = _member(session, c.id)
    audit.record(session, actor, "customer.view", "customer", c.id, detail="tradein")
    return CustomerFacts(c.id, c.display_name, c.birth_date, account.member_number if account else None)


_SEPARATORS = re.compile(r"[\s\-/]+")


def _imei(value: str | None) -> str | None:
    """15 digits, or None when not given; a wrong check digit is kept for the gate to refuse."""
    if value is None or not str(value).strip():
        return None
    try:
        return normalize_imei(value)
    except ValidationError as exc:
        if exc.template == "check digit does not match":
            return _SEPARATORS.sub("", value.strip())
        raise


def _checks(session: Session, actor: Actor, imei: str | None, customer: Customer | None,
            customer_id_for_audit: uuid.UUID | None = None) -> Checks:
    """Look the IMEI up on the blocklist; a hit is audited (the reason, never the IMEI)."""
    reason = None
    if imei and is_luhn_valid(imei):
        block = session.get(ImeiBlock, imei)
        if block is not None:
            reason = block.reason
            audit.record(session, actor, "tradein.blocklist_hit", "customer" if customer else None,
                         customer.id if customer else None, detail=f"reason={block.reason}")
    return Checks(imei=imei, blocklist_reason=reason, birth_date=customer.birth_date if customer else None)


def check_device(session: Session, actor: Actor, *, imei: str | None, customer_id: uuid.UUID | None = None
                 ) -> tuple[Gate, ...]:
    """The gates that do not depend on the answers: IMEI check digit, blocklist, age."""
    require(actor, Perm.TAKE_TRADE_INS)
    customer = _live_customer(session, customer_id) if customer_id else None
    checks = _checks(session, actor, _imei(imei), customer)
    return find_gates({"questions": []}, {}, checks, clock.today(_tz(session, actor)))


# --- quotes ----------------------------------------------------------------------------------

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


def _status(q: TradeInQuote, now: datetime) -> str:
    return "expired" if q.status == "quoted" and q.expires_at <= now else q.status


def _view(session: Session, q: TradeInQuote, now: datetime | None = None) -> QuoteView:
    now = now or clock.now()
    m = session.get(TradeInModel, q.model_id)
    pb = session.get(PriceBook, q.price_book_id)
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
    q = session.get(TradeInQuote, q_id)
    if q is None or q.store_id != actor.store_id:
        raise NotFound("quote")
    return q


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
    for name, fn in (("imei", lambda: _imei(imei)),
                     ("serial", lambda: normalize_serial(serial) if serial and serial.strip() else None),
                     ("payout", lambda: _payout(rules, payout))):
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
    m = session.get(TradeInModel, model_id)
    if m is None:
        raise NotFound("model")
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
    pb = session.get(PriceBook, old.price_book_id)
    m = session.get(TradeInModel, old.model_id)
    customer = _live_customer(session, old.customer_id) if old.customer_id else None
    outcome = _make_quote(session, actor, pb=pb, m=m, answers=answers, customer=customer, imei=old.imei,
                          serial=old.serial, payout=payout if payout is not None else old.payout, now=now,
                          supersedes=old)
    if outcome.quote is not None:
        old.status = "requoted"
        old.updated_at = now
    else:
        # e.g. the activation lock turned out to be on: this device cannot be taken at all
        old.status = "declined"
        old.updated_at = now
    session.flush()
    return outcome


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


def _voucher_code(session: Session) -> str:
    while True:
        code = "TI-" + "".join(secrets.choice(_VOUCHER_CHARS) for _ in range(4)) + "-" + \
               "".join(secrets.choice(_VOUCHER_CHARS) for _ in range(4))
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
    pb = session.get(PriceBook, q.price_book_id)
    m = session.get(TradeInModel, q.model_id)
    rules = pb.rules
    errors: list[ValidationError] = []
    values: dict[str, Any] = {}

    def attempt(name, fn):
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
        q.value_cents, q.breakdown, q.grade = valuation.value_cents, list(valuation.breakdown), valuation.grade
    q.payout = values["payout"]
    q.imei, q.serial = values["imei"], values["serial"]
    q.signature_name = values["signature_name"]
    q.declared_owner, q.declared_wiped = True, True
    q.accepted_at = now
    q.status = "received"
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
        n += 1
    session.flush()
    return n


def _rows(session: Session, q, now: datetime) -> list[QuoteRow]:
    return [QuoteRow(t.id, t.created_at, c.display_name if c is not None and not c.erased else "",
                     f"{m.name} {m.configuration}", t.grade, t.value_cents, _status(t, now), t.expires_at)
            for t, c, m in session.execute(q)]


def list_quotes(session: Session, actor: Actor, limit: int = 300) -> list[QuoteRow]:
    require(actor, Perm.TAKE_TRADE_INS)
    q = (select(TradeInQuote, Customer, TradeInModel)
         .join(TradeInModel, TradeInModel.id == TradeInQuote.model_id)
         .outerjoin(Customer, Customer.id == TradeInQuote.customer_id)
         .where(TradeInQuote.store_id == actor.store_id)
         .order_by(TradeInQuote.created_at.desc()).limit(limit))
    return _rows(session, q, clock.now())


def customer_trade_ins(session: Session, actor: Actor, customer_id: uuid.UUID) -> list[QuoteRow]:
    """One customer's quotes, newest first (their timeline)."""
    require(actor, Perm.VIEW_CUSTOMERS)
    q = (select(TradeInQuote, Customer, TradeInModel)
         .join(TradeInModel, TradeInModel.id == TradeInQuote.model_id)
         .outerjoin(Customer, Customer.id == TradeInQuote.customer_id)
         .where(TradeInQuote.customer_id == customer_id)
         .order_by(TradeInQuote.created_at.desc()))
    return _rows(session, q, clock.now())


@dataclass(frozen=True)
class TradeInSummary:
    """Trade-ins made between two store dates, for the manager's report."""

    quotes: int
    by_status: dict[str, int]
    by_grade: dict[str, int]
    received: int
    received_value_cents: int
    refused_blocklist: int


def trade_in_summary(session: Session, actor: Actor, start: date, end: date) -> TradeInSummary:
    """Quotes created from ``start`` to ``end`` (store dates, inclusive)."""
    require(actor, Perm.VIEW_REPORTS)
    tz = _tz(session, actor)
    lo = datetime.combine(start, datetime.min.time(), tz)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tz)
    now = clock.now()
    by_status: dict[str, int] = {}
    by_grade: dict[str, int] = {}
    received = value = 0
    quotes = list(session.scalars(select(TradeInQuote).where(TradeInQuote.store_id == actor.store_id,
                                                             TradeInQuote.created_at >= lo,
                                                             TradeInQuote.created_at < hi)))
    for q in quotes:
        st = _status(q, now)
        by_status[st] = by_status.get(st, 0) + 1
        by_grade[q.grade] = by_grade.get(q.grade, 0) + 1
        if st in ("received", "accepted"):
            received += 1
            value += q.value_cents
    hits = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "tradein.blocklist_hit", AuditEvent.at >= lo, AuditEvent.at < hi))
    return TradeInSummary(len(quotes), by_status, by_grade, received, value, int(hits or 0))
