"""Which backups to keep: the newest of each of the last few days, weeks and months.

The days, weeks and months are those that *have* a backup (as restic's ``keep-daily``
counts them), not calendar slots before ``now``: a counter that was switched off for a
month still keeps seven days' worth of backups when it comes back, instead of pruning
down to the one it just wrote. The newest backup is always kept (it is the newest of
the newest day). Pure: the caller deletes what is not returned.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Callable, Hashable

DAILY, WEEKLY, MONTHLY = 7, 4, 12


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc) if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _day(moment: datetime) -> Hashable:
    return _utc(moment).date()


def _week(moment: datetime) -> Hashable:
    iso = _utc(moment).isocalendar()
    return iso.year, iso.week


def _month(moment: datetime) -> Hashable:
    d: date = _utc(moment).date()
    return d.year, d.month


def _newest_per_bucket(ordered: list[datetime], bucket: Callable[[datetime], Hashable], count: int) -> set[datetime]:
    """``ordered`` newest first: the first (newest) backup of each of the ``count`` newest buckets."""
    kept: set[datetime] = set()
    seen: set[Hashable] = set()
    for moment in ordered:
        if len(seen) >= count:
            break
        b = bucket(moment)
        if b not in seen:
            seen.add(b)
            kept.add(moment)
    return kept


def keep(backups: list[datetime], now: datetime, *, daily: int = DAILY, weekly: int = WEEKLY,
         monthly: int = MONTHLY) -> set[datetime]:
    """The backups (by their time) to keep: the newest of each of the ``daily`` newest days
    that have one, of the ``weekly`` newest ISO weeks, of the ``monthly`` newest months
    (UTC). Never more than ``daily + weekly + monthly``; the newest is always kept when
    any count is above zero. A backup stamped after ``now`` (the clock was set back since)
    counts as taken ``now``: it is not lost, and it does not push the others out of today."""
    if not backups:
        return set()
    ceiling = _utc(now)
    # newest first; among those after ``now`` (all "now"), the truly newest first
    ordered = sorted(set(backups), key=lambda m: (min(_utc(m), ceiling), _utc(m)), reverse=True)

    def clamped(bucket: Callable[[datetime], Hashable]) -> Callable[[datetime], Hashable]:
        return lambda m: bucket(min(_utc(m), ceiling))

    return (_newest_per_bucket(ordered, clamped(_day), max(0, daily))
            | _newest_per_bucket(ordered, clamped(_week), max(0, weekly))
            | _newest_per_bucket(ordered, clamped(_month), max(0, monthly)))
