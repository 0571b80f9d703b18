"""When a repair is promised: the "ready by" time printed on the intake receipt.

A ticket is due so many hours after intake (the store's ``repair_due_hours``); a time
that falls outside the store's opening hours (after closing, on a closed day, before
opening) moves to the next opening, so the receipt never promises "ready 22:38" when
the doors shut at 19:00. Pure: ``now``, the hours, the store's time zone and opening
hours go in (``Store.opening_hours``: ``{"mon": ["09:00", "19:00"], ...}``, a missing
day closed); no session, no clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Mapping, Sequence
from zoneinfo import ZoneInfo

from core.appointments.slots import opening_interval

# the next opening is looked for this many local days ahead (a week and a spare day)
_SEARCH_DAYS = 8


def within_opening_hours(at: datetime, tz: str, opening_hours: Mapping[str, Sequence[str]]) -> bool:
    """Whether the store is open at ``at`` (opening and closing moments included)."""
    window = opening_interval(tz, at.astimezone(ZoneInfo(tz)).date(), opening_hours)
    return window is not None and window[0] <= at <= window[1]


def next_open_moment(at: datetime, tz: str, opening_hours: Mapping[str, Sequence[str]]) -> datetime:
    """``at`` itself when the store is open then, else the next opening after it. A store
    with no opening hours at all (none set) leaves ``at`` as it is."""
    if at.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    day = at.astimezone(ZoneInfo(tz)).date()
    for ahead in range(_SEARCH_DAYS):
        window = opening_interval(tz, day + timedelta(days=ahead), opening_hours)
        if window is None:
            continue
        opens, closes = window
        if at <= closes:
            return max(at, opens)
    return at


def ready_by(now: datetime, hours: float, tz: str, opening_hours: Mapping[str, Sequence[str]]) -> datetime:
    """The promised time for a repair taken in at ``now`` and due ``hours`` later: that
    moment when the store is open then, else the store's next opening."""
    return next_open_moment(now + timedelta(hours=hours), tz, opening_hours)
