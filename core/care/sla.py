"""A complaint's clocks (issue 21). Pure: times, a rule and the store's hours go in; no
Session, no clock.

- Classify within :data:`core.care.CLASSIFY_HOURS` (24) REAL hours of opening: the
  arithmetic is in UTC, so a DST change never shifts it and store closures count.
- Resolve by the severity's rule (:class:`core.care.rules.Rule`): ``resolve_hours`` real
  hours, or, for a business-hours rule, that many hours of the store's opening time counted
  forward in its local time zone: closed days and closure dates (``store.settings
  ["closures"]``, ISO dates) are skipped, and a day with a DST change counts the real hours
  it was open (a 00:00-24:00 day is 23 or 25 hours long then)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from core.appointments.slots import opening_interval
from core.care import CLASSIFY_HOURS
from core.care.rules import Rule

UTC = timezone.utc
NEVER_OPEN_DAYS = 366        # a business-hours clock that finds no open minute in this many days gives up
_MAX_DAYS = 366 * 20         # and one that would run past twenty years (a rule of absurd length)


@dataclass(frozen=True)
class StoreHours:
    timezone: str
    opening_hours: dict[str, list[str]]           # {"mon": ["09:00", "19:00"]}; a missing day is closed
    closures: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, store: Any) -> StoreHours:
        """The hours of a :class:`core.models.Store` row (closures: ISO dates in its settings;
        one that is not a date is ignored)."""
        closures: set[date] = set()
        for text in (store.settings or {}).get("closures", []) or []:
            try:
                closures.add(date.fromisoformat(str(text)))
            except ValueError:
                continue
        hours = {str(k): list(v) for k, v in dict(store.opening_hours or {}).items() if v}
        return cls(store.timezone or "UTC", hours, frozenset(closures))


def _aware(at: datetime, name: str) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be an aware time")
    return at.astimezone(UTC)


def classify_due(opened_at: datetime) -> datetime:
    """When a complaint opened at ``opened_at`` must be classified: 24 real hours later (UTC)."""
    return _aware(opened_at, "opened_at") + timedelta(hours=CLASSIFY_HOURS)


def open_windows(start: datetime, hours: StoreHours) -> Iterator[tuple[datetime, datetime]]:
    """The store's open intervals (UTC) from ``start`` on, day by day in its local time,
    closed days and closures skipped; the first one cut to begin at ``start``. Stops with
    ValueError after :data:`NEVER_OPEN_DAYS` days without an open minute."""
    start = _aware(start, "start")
    zone = ZoneInfo(hours.timezone)
    day = start.astimezone(zone).date()
    closed_run = 0
    for ahead in range(_MAX_DAYS):
        d = day + timedelta(days=ahead)
        window = None if d in hours.closures else opening_interval(hours.timezone, d, hours.opening_hours)
        if window is not None and window[1] > start:
            closed_run = 0
            yield max(window[0], start), window[1]
            continue
        closed_run += 1
        if closed_run >= NEVER_OPEN_DAYS:
            raise ValueError(f"the store is not open on any day in {NEVER_OPEN_DAYS} days")
    raise ValueError("the due time is too far ahead")


def resolve_due(start: datetime, rule: Rule, hours: StoreHours) -> datetime:
    """When a complaint classified under ``rule`` and opened at ``start`` must be resolved."""
    start = _aware(start, "start")
    need = timedelta(hours=rule.resolve_hours)
    if not rule.business_hours:
        return start + need
    if need <= timedelta(0):
        return start
    for opens, closes in open_windows(start, hours):
        span = closes - opens                      # real time: a DST day's window is its real length
        if span >= need:
            return opens + need
        need -= span
    raise ValueError("the due time is too far ahead")      # pragma: no cover (open_windows raises first)


def time_left(due: datetime, now: datetime) -> timedelta:
    """How long until ``due`` (negative once overdue)."""
    return _aware(due, "due") - _aware(now, "now")


def is_overdue(due: datetime, now: datetime) -> bool:
    """Whether ``now`` is past ``due``: overdue strictly AFTER the due time, so a step done at
    the due moment itself is in time (the one comparison for every clock of issue 21: the due
    list, the escalation threshold, the report's "in time" and "overdue" counts)."""
    return _aware(now, "now") > _aware(due, "due")


__all__ = ["NEVER_OPEN_DAYS", "StoreHours", "classify_due", "is_overdue", "open_windows", "resolve_due",
           "time_left"]
