"""The care page's forms (:mod:`hq.console.care`): complaint rules per severity, a category's
response scripts in each language, the care settings. Each check returns the values in the
draft's shape or raises :class:`hq.console.reference.FieldErrors` with a message beside each
field (hours 1..720; settings in :data:`core.care.rules.SETTINGS`' ranges; texts at most
1,000 characters, no control character but line breaks and tabs, no bidi override: the
store's rule, :func:`core.validation.normalize_free_text`). :func:`diff` lists what a
draft changes against what is in force."""

from __future__ import annotations

import re
from typing import Any

from core import terms
from core.care import CATEGORIES, SEVERITIES
from core.care.rules import SETTINGS
from core.errors import ValidationError
from core.validation import normalize_free_text
from hq.console.accounts import ConsoleError
from hq.console.i18n import N_
from hq.console.reference import FieldErrors

LANGS = terms.LANGUAGES
PARTS = ("acknowledge", "ask", "offer", "escalate")
HOURS = (1, 720)
OVERDUE = (0, 720)
SCRIPT_MAX = 1000

Errors = dict[str, tuple[str, dict[str, object]]]

RULE_LABELS = {
    "resolve_hours": N_("Resolve within (hours)"),
    "business_hours": N_("Counted in business hours"),
    "escalate_at_once": N_("Escalate to the region at once"),
    "escalate_overdue_hours": N_("Escalate when overdue by (hours)"),
}
PART_LABELS = {
    "acknowledge": N_("Acknowledge the complaint"),
    "ask": N_("Ask for the details that matter"),
    "offer": N_("What may be offered"),
    "escalate": N_("When to escalate"),
}
SETTING_LABELS = {
    "survey_invite_days": N_("Days between two survey invitations to one customer"),
    "survey_token_days": N_("Days a receipt's survey link stays valid"),
    "detractor_call_hours": N_("Hours to call back after a low survey answer"),
    "follow_up_days": N_("Days after a resolution to make the follow-up call"),
    "min_answers_ranking": N_("Answers needed before a technician's or associate's CSAT is ranked"),
}
assert set(SETTING_LABELS) == set(SETTINGS)


def rule_values(rule: Any) -> dict[str, Any]:
    """A rule (:class:`core.care.rules.Rule` or a row's data) as the draft holds it."""
    get = rule.get if isinstance(rule, dict) else (lambda name: getattr(rule, name))
    overdue = get("escalate_overdue_hours")
    return {"resolve_hours": int(get("resolve_hours") or 0), "business_hours": bool(get("business_hours")),
            "escalate_at_once": bool(get("escalate_at_once")),
            "escalate_overdue_hours": None if overdue is None else int(overdue)}


def empty_script() -> dict[str, str]:
    return {p: "" for p in PARTS}


def _whole(value: str | None, low: int, high: int) -> int | None:
    value = (value or "").strip()
    if not re.fullmatch(r"\d{1,6}", value):
        return None
    n = int(value)
    return n if low <= n <= high else None


def clean_text(value: str | None, limit: int, *, required: bool = False
               ) -> tuple[str, tuple[str, dict[str, object]] | None]:
    """(the text as kept, why it cannot be kept or None): the store's rule for free text
    (:func:`core.validation.normalize_free_text`: stripped, NFC, line breaks and tabs but no
    control character, bidi override or lone CR), with the console's messages."""
    raw = value or ""
    try:
        text = normalize_free_text(raw, field="text", max_len=limit, multiline=True)
    except ValidationError as exc:
        if "n" in exc.params:
            return raw.strip(), (N_("At most %(n)s characters."), {"n": limit})
        return raw.strip(), (N_("A text cannot hold control characters."), {})
    if required and not text:
        return text, (N_("Write the customer's words."), {})
    return text, None


# --- the forms ------------------------------------------------------------------------------------

def rules_form(rules: dict[str, dict[str, Any]]) -> dict[str, str]:
    form: dict[str, str] = {}
    for severity in SEVERITIES:
        r = rules[severity]
        form[f"{severity}_resolve_hours"] = str(r["resolve_hours"])
        form[f"{severity}_business_hours"] = "1" if r["business_hours"] else ""
        form[f"{severity}_escalate_at_once"] = "1" if r["escalate_at_once"] else ""
        overdue = r["escalate_overdue_hours"]
        form[f"{severity}_escalate_overdue_hours"] = "" if overdue is None else str(overdue)
    return form


def check_rules(form: dict[str, str]) -> dict[str, dict[str, Any]]:
    errors: Errors = {}
    out: dict[str, dict[str, Any]] = {}
    for severity in SEVERITIES:
        hours = _whole(form.get(f"{severity}_resolve_hours"), *HOURS)
        if hours is None:
            errors[f"{severity}_resolve_hours"] = (N_("Give whole hours from %(low)s to %(high)s."),
                                                   {"low": HOURS[0], "high": HOURS[1]})
        raw = (form.get(f"{severity}_escalate_overdue_hours") or "").strip()
        overdue = _whole(raw, *OVERDUE) if raw else None
        if raw and overdue is None:
            errors[f"{severity}_escalate_overdue_hours"] = (
                N_("Give whole hours from %(low)s to %(high)s, or leave it empty for never."),
                {"low": OVERDUE[0], "high": OVERDUE[1]})
        out[severity] = {"resolve_hours": hours or 0, "business_hours": form.get(f"{severity}_business_hours") == "1",
                         "escalate_at_once": form.get(f"{severity}_escalate_at_once") == "1",
                         "escalate_overdue_hours": overdue}
    if errors:
        raise FieldErrors(errors)
    return out


def settings_form(settings: dict[str, int]) -> dict[str, str]:
    return {f"setting_{k}": str(v) for k, v in settings.items()}


def check_settings(form: dict[str, str]) -> dict[str, int]:
    errors: Errors = {}
    out: dict[str, int] = {}
    for key, (_, low, high, _what) in SETTINGS.items():
        value = _whole(form.get(f"setting_{key}"), low, high)
        if value is None:
            errors[f"setting_{key}"] = (N_("Give a whole number from %(low)s to %(high)s."), {"low": low, "high": high})
        out[key] = value or 0
    if errors:
        raise FieldErrors(errors)
    return out


def script_form(category: str, scripts: dict[str, dict[str, str]]) -> dict[str, str]:
    form = {"category": category}
    for lang in LANGS:
        for part in PARTS:
            form[f"{lang}_{part}"] = dict(scripts.get(lang) or {}).get(part, "")
    return form


def check_script(form: dict[str, str]) -> tuple[str, dict[str, dict[str, str]]]:
    """(category, {language: {part: text}}) from one category's form."""
    category = (form.get("category") or "").strip()
    if category not in CATEGORIES:
        raise ConsoleError(N_("No such category."), 404)
    errors: Errors = {}
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        out[lang] = {}
        for part in PARTS:
            name = f"{lang}_{part}"
            value, problem = clean_text(form.get(name), SCRIPT_MAX)
            if problem:
                errors[name] = problem
            out[lang][part] = value
    if errors:
        raise FieldErrors(errors)
    return category, out


# --- what a draft changes ---------------------------------------------------------------------

def diff(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str, Any, Any]]:
    """(section, key, field, in force, draft) for every value the draft changes; section is
    ``rule`` (key: severity), ``script`` (key: ``category:language``) or ``setting``."""
    out: list[tuple[str, str, str, Any, Any]] = []
    for severity in SEVERITIES:
        a, b = old["rules"][severity], dict(new.get("rules") or {}).get(severity) or old["rules"][severity]
        out += [("rule", severity, f, a[f], b.get(f)) for f in RULE_LABELS if a[f] != b.get(f)]
    for category in CATEGORIES:
        for lang in LANGS:
            a = old["scripts"][category][lang]
            b = dict(dict(new.get("scripts") or {}).get(category) or {}).get(lang) or a
            out += [("script", f"{category}:{lang}", p, a[p], b.get(p, "")) for p in PARTS if a[p] != b.get(p, "")]
    for key in SETTINGS:
        a_v, b_v = old["settings"][key], dict(new.get("settings") or {}).get(key, old["settings"][key])
        if a_v != b_v:
            out.append(("setting", key, key, a_v, b_v))
    return out
