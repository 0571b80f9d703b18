"""The pure valuation: ``valuate(rules, facts, answers, on=...)`` turns the price book's rules
(the JSON described in ``core.demo.price_book_rules``), what the price book says about the
model (``DeviceFacts``: kind, family, release date, base value per grade) and the
questionnaire's answers into a grade, a value and the breakdown lines that explain it;
``find_gates`` says what stops the trade-in.  No database, no clock: the GUI runs it on
every answer for the live breakdown, the services run it again before they store
anything, and property tests check it (a worse answer never raises the value, the value
is never below zero, every gate blocks).

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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.errors import ValidationError, ValidationErrors
from core.validation import is_luhn_valid

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
    {"key": "activation_lock", "label": {"en": "Is Find My / activation lock turned off?",
                                         "zh_CN": "查找功能 / 激活锁是否已关闭？"},
     "options": {"off": None, "on": REFUSE}, "yes_no": ["off", "on"]},
    {"key": "paid_off", "label": {"en": "Is it paid off and not under contract?",
                                  "zh_CN": "是否已付清且不在合约期内？"},
     "options": {"yes": None, "no": REFUSE}},
    {"key": "liquid_damage", "label": {"en": "Is there any sign of liquid damage?",
                                       "zh_CN": "是否有进水痕迹？"},
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


def yes_no(question: Mapping[str, Any]) -> tuple[str, str] | None:
    """The options that answer a yes/no question with "yes" and with "no", or None when the
    question is not one.  A question says so with ``"yes_no": [yes_option, no_option]``;
    options named yes and no are one anyway, and so is the activation-lock question with
    off and on (it asks whether the lock is turned off: price books before ``yes_no``)."""
    options = set(question.get("options") or ())
    pair = question.get("yes_no")
    if isinstance(pair, (list, tuple)) and len(pair) == 2 and set(pair) == options:
        return str(pair[0]), str(pair[1])
    if options == {"yes", "no"}:
        return "yes", "no"
    if question.get("key") == "activation_lock" and options == {"off", "on"}:
        return "off", "on"
    return None


def asks_battery(rules: Mapping[str, Any], kind: str) -> bool:
    rule = rules.get("battery_adjustment")
    return kind in rule.get("kinds", ()) if rule else False


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
    pct: int = max(bands, key=lambda b: b["from_months"])["pct"] if bands else 0
    return pct


def _battery_pct(rule: Mapping[str, Any], health: int | None) -> int:
    """The pct of the first band (highest ``min_health`` first) the health reaches, never
    more than a band above it gives: a worse battery never earns more."""
    if health is None:
        unknown: int = rule["unknown_pct"]
        return unknown
    bands = sorted(rule["bands"], key=lambda b: b["min_health"], reverse=True)
    if not bands:
        return 0
    reached = next((i for i, b in enumerate(bands) if health >= b["min_health"]), len(bands) - 1)
    pct: int = min(b["pct"] for b in bands[:reached + 1])
    return pct


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
    bq = battery_question(rules)
    if bq and asks_battery(rules, facts.kind) and bq not in answers:
        missing += (bq,)        # not entered yet; None is "not measured", an answer
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
    is asked for it) given: a whole percentage, or None for not measured."""
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
        if bq not in answers:
            # no silent default: a health, or None when it could not be measured
            errors.append(ValidationError(bq, "is required"))
        elif health is not None and (isinstance(health, bool) or not isinstance(health, int)
                                   or not 0 <= health <= 100):
            errors.append(ValidationError(bq, "must be a whole number from {lo} to {hi}", lo=0, hi=100))
        else:
            out[bq] = health
    if errors:
        raise ValidationErrors(errors)
    return out
