"""When the demo store is open: people act at the counter and the bench only then.

The builders draw moments at random (so many days ago, so many hours after the last step);
``during_opening_hours`` moves each such moment into the store's opening hours.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from zoneinfo import ZoneInfo

from core.demo.data import OPENING_HOURS

_NEVER = datetime.max.replace(tzinfo=timezone.utc)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _local(tz: ZoneInfo, d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, dtime(hh, mm), tz).astimezone(timezone.utc)


def opening_window(tz: ZoneInfo, day: date) -> tuple[datetime, datetime] | None:
    """The store's opening and closing moments (UTC) on a local day; None on a closed day."""
    hours = OPENING_HOURS.get(_WEEKDAYS[day.weekday()])
    if not hours:
        return None
    (oh, om), (ch, cm) = (map(int, hhmm.split(":")) for hhmm in hours)
    return _local(tz, day, oh, om), _local(tz, day, ch, cm)


def during_opening_hours(at: datetime, tz: ZoneInfo, *, not_after: datetime) -> datetime:
    """``at`` when the store is open then; else the nearest end of that local day's opening hours
    (a night-time moment goes to the opening, an evening one to the closing), or, on a closed
    day or when that would be later than ``not_after``, the closing of the previous open day.

    For moments up to ``not_after`` the move never reverses two of them (an earlier one never
    lands after a later one), so the steps of one ticket keep their order; a moment in opening
    hours stays where it is.
    """
    day = at.astimezone(tz).date()
    window = opening_window(tz, day)
    if window is not None:
        moved = min(max(at, window[0]), window[1])
        if moved <= not_after:
            return moved
    for back in range(1, 8):
        window = opening_window(tz, day - timedelta(days=back))
        if window is not None:
            return window[1]
    raise ValueError("the demo store has no opening hours")
