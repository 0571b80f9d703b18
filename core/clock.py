"""The one seam to the wall clock.

Nothing in Orchard reads the machine's clock except :func:`now` here (a test walks the
sources for ``datetime.now``/``date.today``/``time.time`` and fails on any other caller).
Services take ``now=`` where the caller knows the moment (a test, a report for a past
day); where they do not, they ask :func:`now`, which a test, a seed or a tool may pin with
:func:`pinned` or :func:`set_clock`.  Always an aware UTC datetime.

Monotonic timers (``time.monotonic``/``perf_counter``) measure durations, not dates, and
stay where they are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


_lock = threading.Lock()
_clock: Clock = system_clock


def now() -> datetime:
    """This moment, aware, in UTC (from the clock in force)."""
    value = _clock()
    if value.tzinfo is None:
        raise ValueError("a clock must give aware datetimes")
    return value.astimezone(UTC)


def now_ms() -> int:
    """This moment in milliseconds since 1970 (for stamps and tokens)."""
    return int(now().timestamp() * 1000)


def today(tz: str | ZoneInfo = "UTC") -> date:
    """Today's date where ``tz`` is (a store's day is its own time zone's day)."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return now().astimezone(zone).date()


def set_clock(clock: Clock | None) -> None:
    """Use ``clock`` from now on (``None``: the machine's clock again)."""
    global _clock
    with _lock:
        _clock = clock or system_clock


class FixedClock:
    """A clock that stands still until moved: tests pin the day they need."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("pin an aware datetime")
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at = self.at + timedelta(**delta)
        return self.at


@contextmanager
def pinned(at: datetime) -> Iterator[FixedClock]:
    """Within the block, :func:`now` answers ``at`` (and whatever the block moves it to)."""
    previous = _clock
    fixed = FixedClock(at)
    set_clock(fixed)
    try:
        yield fixed
    finally:
        set_clock(previous)
