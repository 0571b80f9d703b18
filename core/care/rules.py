"""HQ's rules for the customer's voice, read at the store with the defaults that hold until
HQ publishes its own (reference data: ``complaint_rule``, ``response_script``,
``care_setting``; HQ's console edits them, every store pulls them).

One place for each fact: the resolve time and escalation of a severity, the guidance for a
category in a language, and the care settings by key (:data:`SETTINGS`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.care import CATEGORIES, SEVERITIES
from core.models import CareSetting, ComplaintRule, ResponseScript

# key -> (default, lowest, highest, what it is)
SETTINGS: dict[str, tuple[int, int, int, str]] = {
    "survey_invite_days": (30, 1, 365, "days between two survey invitations to one customer"),
    "survey_token_days": (14, 1, 90, "days a receipt's survey link stays valid"),
    "detractor_call_hours": (24, 1, 168, "hours to call back after a low survey answer"),
    "follow_up_days": (2, 0, 30, "days after a resolution to make the follow-up call"),
    "min_answers_ranking": (5, 1, 100, "answers a technician or associate needs before a CSAT figure is ranked"),
}


@dataclass(frozen=True)
class Rule:
    severity: str
    resolve_hours: int
    business_hours: bool            # count only the store's opening hours (closures skipped)
    escalate_at_once: bool          # escalate to the region when classified with this severity
    escalate_overdue_hours: int | None   # escalate once overdue by this many hours (None: never for being late)


DEFAULT_RULES: dict[str, Rule] = {
    "minor": Rule("minor", 72, True, False, None),
    "moderate": Rule("moderate", 48, True, False, 24),
    "major": Rule("major", 24, False, True, 0),
}
assert set(DEFAULT_RULES) == set(SEVERITIES)


@dataclass(frozen=True)
class Script:
    category: str
    language: str
    acknowledge: str
    ask: str
    offer: str
    escalate: str


def setting(session: Session, key: str) -> int:
    """HQ's value for ``key`` (clamped to its range), else the default."""
    default, lo, hi, _ = SETTINGS[key]
    value = session.scalar(select(CareSetting.value).where(CareSetting.key == key))
    return default if value is None else max(lo, min(hi, int(value)))


def rule(session: Session, severity: str) -> Rule:
    """The rule for ``severity``: HQ's when published, else :data:`DEFAULT_RULES`."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    r = session.scalar(select(ComplaintRule).where(ComplaintRule.severity == severity))
    if r is None:
        return DEFAULT_RULES[severity]
    return Rule(r.severity, max(1, r.resolve_hours), r.business_hours, r.escalate_at_once, r.escalate_overdue_hours)


def script(session: Session, category: str, language: str) -> Script | None:
    """The response script for ``category`` in ``language`` (English when that language has
    none), or None when HQ has published none for the category. A script whose four parts
    are all empty is none (HQ empties a script rather than deleting its row)."""
    if category not in CATEGORIES:
        return None
    rows = {r.language: r for r in session.scalars(select(ResponseScript).where(ResponseScript.category == category))
            if any((r.acknowledge, r.ask, r.offer, r.escalate))}
    r = rows.get(language) or rows.get("en")
    return None if r is None else Script(r.category, r.language, r.acknowledge, r.ask, r.offer, r.escalate)


__all__ = ["DEFAULT_RULES", "Rule", "SETTINGS", "Script", "rule", "script", "setting"]
