"""Loyalty rules drafted in the console: the parts of the rules JSON HQ edits (earn rates,
bonuses, expiry, tiers with their spend thresholds and benefits), the form's fields and
checks, and the comparison with the rules in force. The rest of the JSON (terms, redemption,
programme name) is carried over from the version the draft started from; the result is
checked with the stores' own :func:`core.loyalty.rules.parse_rules`, so HQ never publishes
rules a store would refuse. The draft flow itself is :mod:`hq.console.reference`'s."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from core.errors import ValidationError
from core.loyalty.rules import DEFAULT_RULES, parse_rules
from hq.common import _write
from hq.console.accounts import ConsoleError, User
from hq.console.i18n import N_
from hq.console.reference import (
    FieldErrors, RulesVersion, _int, _locked, _store_data, _today, money_text, parse_money, rules_versions,
)
from hq.models import hq_reference_draft as drafts

MAX_TIERS = 5
_TIER = re.compile(r"[a-z][a-z0-9_]{0,15}")
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")


def rules_facts(rules: dict[str, Any]) -> list[tuple[str, str, dict[str, object], Any]]:
    """The parts of a rules JSON the console edits, as (key, label, label params, value)."""
    earn, bonuses = rules.get("earn", {}), rules.get("bonuses", {})
    per = earn.get("points_per_unit", {})
    out: list[tuple[str, str, dict[str, object], Any]] = [
        ("earn_unit", N_("Spend that earns points (per unit)"), {}, money_text(earn.get("unit_cents"))),
        ("earn_purchase", N_("Points per unit: purchases"), {}, per.get("purchase", 0)),
        ("earn_ticket", N_("Points per unit: repairs"), {}, per.get("ticket", 0)),
        ("bonus_welcome", N_("Welcome bonus (points)"), {}, bonuses.get("welcome", 0)),
        ("bonus_birthday", N_("Birthday bonus (points)"), {}, bonuses.get("birthday", 0)),
        ("bonus_tradein", N_("Trade-in bonus (points)"), {}, bonuses.get("tradein", 0)),
        ("expiry_days", N_("Earned points expire after (days)"), {}, rules.get("expiry", {}).get("days")),
    ]
    for lv in rules.get("tiers", {}).get("levels", []):
        code, ben = lv.get("code"), lv.get("benefits", {})
        out.append((f"tier_{code}_min", N_("Tier %(tier)s: from a yearly spend of"), {"tier": code},
                    money_text(lv.get("min_spend_cents"))))
        out.append((f"tier_{code}_priority", N_("Tier %(tier)s: priority at the repair counter"), {"tier": code},
                    bool(ben.get("priority_queue", False))))
        out.append((f"tier_{code}_discount", N_("Tier %(tier)s: repair labour discount (%%)"), {"tier": code},
                    ben.get("repair_discount_pct", 0)))
    return out


def diff_rules(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, dict[str, object], Any, Any, bool]]:
    """(label, params, in force, draft, changed?) for every fact of either."""
    before = {k: (label, params, v) for k, label, params, v in rules_facts(old)}
    after = {k: (label, params, v) for k, label, params, v in rules_facts(new)}
    out = []
    for key in list(after) + [k for k in before if k not in after]:
        label, params, _ = after.get(key) or before[key]
        b = before[key][2] if key in before else None
        a = after[key][2] if key in after else None
        out.append((label, params, b, a, b != a))
    return out


def rules_form(rules: dict[str, Any]) -> dict[str, str]:
    """A rules JSON as the form's fields."""
    earn, bonuses = rules.get("earn", {}), rules.get("bonuses", {})
    form = {"earn_unit": money_text(earn.get("unit_cents")).replace(",", ""),
            "earn_purchase": str(earn.get("points_per_unit", {}).get("purchase", 0)),
            "earn_ticket": str(earn.get("points_per_unit", {}).get("ticket", 0)),
            "bonus_welcome": str(bonuses.get("welcome", 0)), "bonus_birthday": str(bonuses.get("birthday", 0)),
            "bonus_tradein": str(bonuses.get("tradein", 0)),
            "expiry_days": str(rules.get("expiry", {}).get("days", ""))}
    for i, lv in enumerate(rules.get("tiers", {}).get("levels", [])[:MAX_TIERS]):
        ben = lv.get("benefits", {})
        form.update({f"tier_code_{i}": str(lv.get("code", "")),
                     f"tier_min_{i}": money_text(lv.get("min_spend_cents")).replace(",", ""),
                     f"tier_priority_{i}": "1" if ben.get("priority_queue") else "",
                     f"tier_discount_{i}": str(ben.get("repair_discount_pct", 0))})
    return form


def _check_rules(form: dict[str, str], base: dict[str, Any], published: list[RulesVersion]
                 ) -> tuple[str, date, dict[str, Any]]:
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    version = (form.get("version") or "").strip()
    if not _VERSION.fullmatch(version):
        errors["version"] = (N_("A version is 1 to 20 letters, digits, dots, dashes or underscores."), {})
    elif any(v.version == version for v in published):
        errors["version"] = (N_("Version %(version)s is published already."), {"version": version})
    valid_from = None
    try:
        valid_from = date.fromisoformat((form.get("valid_from") or "").strip())
    except ValueError:
        errors["valid_from"] = (N_("Give the first day as YYYY-MM-DD."), {})
    if valid_from is not None:
        latest = published[0].valid_from if published else None
        if valid_from < _today():
            errors["valid_from"] = (N_("The first day cannot be in the past."), {})
        elif latest is not None and valid_from < latest:
            errors["valid_from"] = (N_("Version %(version)s applies from %(day)s: the new one cannot start before "
                                       "it."), {"version": published[0].version, "day": latest.isoformat()})
    unit = parse_money(form.get("earn_unit", ""))
    if unit is None or not 0 < unit <= 10**7:
        errors["earn_unit"] = (N_("Give an amount above zero, such as 1 or 1.00."), {})
    numbers: dict[str, int | None] = {}
    for name, high in (("earn_purchase", 1000), ("earn_ticket", 1000), ("bonus_welcome", 100000),
                       ("bonus_birthday", 100000), ("bonus_tradein", 100000), ("expiry_days", 3650)):
        low = 1 if name == "expiry_days" else 0
        numbers[name] = _int(form.get(name, ""), low, high)
        if numbers[name] is None:
            errors[name] = (N_("Give a whole number from %(low)s to %(high)s."), {"low": low, "high": high})
    levels: list[dict[str, Any]] = []
    for i in range(MAX_TIERS):
        code = (form.get(f"tier_code_{i}") or "").strip().lower()
        if not code:
            continue
        if not _TIER.fullmatch(code) or code in {lv["code"] for lv in levels}:
            errors[f"tier_code_{i}"] = (N_("A tier is a distinct word of at most 16 lower-case letters, digits or "
                                           "underscores."), {})
        spend = parse_money(form.get(f"tier_min_{i}", ""))
        if spend is None:
            errors[f"tier_min_{i}"] = (N_("Give an amount such as 10000 (0 for the entry tier)."), {})
        elif spend in {lv["min_spend_cents"] for lv in levels}:
            errors[f"tier_min_{i}"] = (N_("Two tiers cannot start at the same spend."), {})
        discount = _int(form.get(f"tier_discount_{i}", ""), 0, 100)
        if discount is None:
            errors[f"tier_discount_{i}"] = (N_("Give a whole number from %(low)s to %(high)s."), {"low": 0, "high": 100})
        levels.append({"code": code, "min_spend_cents": spend if spend is not None else -1, "_row": i,
                       "benefits": {"priority_queue": form.get(f"tier_priority_{i}") == "1",
                                    "repair_discount_pct": discount or 0}})
    if not levels:
        errors["tier_code_0"] = (N_("The programme needs at least one tier."), {})
    elif not errors and min(lv["min_spend_cents"] for lv in levels) != 0:
        lowest = min(levels, key=lambda lv: lv["min_spend_cents"])
        errors[f"tier_min_{lowest['_row']}"] = (N_("The entry tier starts at 0."), {})
    if errors:
        raise FieldErrors(errors)
    assert valid_from is not None and unit is not None
    levels.sort(key=lambda lv: lv["min_spend_cents"], reverse=True)
    rules = dict(base)
    rules.update(
        version=version,
        earn={**base.get("earn", {}), "unit_cents": unit,
              "points_per_unit": {**base.get("earn", {}).get("points_per_unit", {}),
                                  "purchase": numbers["earn_purchase"], "ticket": numbers["earn_ticket"]}},
        bonuses={**base.get("bonuses", {}), "welcome": numbers["bonus_welcome"],
                 "birthday": numbers["bonus_birthday"], "tradein": numbers["bonus_tradein"]},
        expiry={**base.get("expiry", {"kinds": ["earn"]}), "days": numbers["expiry_days"]},
        tiers={**base.get("tiers", {}), "levels": [{k: v for k, v in lv.items() if k != "_row"} for lv in levels]})
    try:
        parse_rules(rules)          # the stores' own check: what they could not use is never published
    except ValidationError:
        raise FieldErrors({"rules": (N_("Stores could not use these rules; check the tiers and the "
                                        "numbers."), {})}) from None
    return version, valid_from, rules


def save_rules(engine: Engine, draft_id: int, user: User, form: dict[str, str]) -> None:
    published = rules_versions(engine)
    with engine.connect() as conn:
        row = conn.execute(select(drafts.c.data).where(drafts.c.id == draft_id, drafts.c.kind == "loyalty")).first()
    if row is None:
        raise ConsoleError(N_("No such draft."), 404)
    version, valid_from, rules = _check_rules(form, dict((row.data or {}).get("rules") or DEFAULT_RULES), published)
    with _write(engine) as conn, conn.begin():
        locked = _locked(conn, "loyalty", draft_id, ("draft",))
        data = {**dict(locked.data or {}), "version": version, "valid_from": valid_from.isoformat(), "rules": rules}
        _store_data(conn, locked, user, data, "reference.rules", f"version={version}", version=version)
