"""The slot engine: pure functions over plain data.

Shifts, breaks, booked stretches, a service's duration, buffer and skill, the opening
hours, the minimum notice and the store's time zone go in; slots come out. No session and
no clock: the caller passes ``now``. Hypothesis tests it directly (tests/core/test_slots.py),
and bench/slots.py times it.

Times: instants are aware UTC datetimes (epoch seconds inside); a "day" is a local date in
the store's time zone, so a day with a daylight-saving change is 23 or 25 hours long and its
opening hours and shifts are converted on that day's own offset.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

UTC = timezone.utc
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STEP_DEFAULT = 15          # the grid slots start on, unless the store sets another


Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class ServiceSpec:
    duration_min: int
    buffer_min: int = 0
    required_skill: str | None = None

    @property
    def total_min(self) -> int:
        return self.duration_min + self.buffer_min


@dataclass(frozen=True)
class Technician:
    id: uuid.UUID
    name: str
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TemplateRow:
    """One stretch of a technician's usual week, in local wall-clock minutes."""

    staff_id: uuid.UUID
    weekday: int          # 0 = Monday
    kind: str             # work, break
    start_minute: int
    end_minute: int       # up to 1440 (midnight at the end of the day)


@dataclass(frozen=True)
class ShiftRow:
    """An exception to the template on a given day: extra or changed work, a break, an absence."""

    staff_id: uuid.UUID
    kind: str             # work, break, absence
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Booked:
    technician_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime     # including the service's buffer


@dataclass(frozen=True)
class TechSchedule:
    """One technician over a range of days: when they work, when they cannot take a
    customer (breaks, absences) and what is already booked."""

    id: uuid.UUID
    name: str
    skills: frozenset[str]
    work: tuple[Interval, ...]
    breaks: tuple[Interval, ...] = ()
    appointments: tuple[Interval, ...] = ()
    # the same stretches in epoch seconds, merged and sorted once (the loader passes them in,
    # already read as numbers; otherwise they are worked out from the fields above when first used)
    timeline: _Timeline | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def _line(self) -> _Timeline:
        if self.timeline is not None:
            return self.timeline.ready()
        return _Timeline([(_ts(a), _ts(b)) for a, b in self.work], [(_ts(a), _ts(b)) for a, b in self.breaks],
                         [(_ts(a), _ts(b)) for a, b in self.appointments]).ready()


class _Timeline:
    """One technician's stretches as epoch seconds, worked out once on first use: work
    merged, breaks merged, breaks and appointments merged together, what is free (work
    minus both), and the appointments' starts with a running total of their length (so a
    day's load is two look-ups)."""

    __slots__ = ("_raw", "work", "breaks", "busy", "free", "ends", "starts", "cum", "_free_skip")

    def __init__(self, work: Iterable[tuple[int, int]], breaks: Iterable[tuple[int, int]],
                 appointments: Iterable[tuple[int, int]]) -> None:
        self._raw: tuple[list[tuple[int, int]], ...] | None = (list(work), list(breaks), list(appointments))
        self._free_skip: list[tuple[int, int]] | None = None

    def ready(self) -> _Timeline:
        raw = self._raw
        if raw is None:
            return self
        work, brk, appts = raw[0], raw[1], sorted(raw[2])
        self.starts = [a for a, _ in appts]
        self.cum = list(itertools.accumulate((b - a for a, b in appts), initial=0))
        self.work, self.breaks = _merge(work), _merge(brk)
        self.busy = _merge(self.breaks + appts) if self.breaks else _merge(appts)
        self.free = _subtract(self.work, self.busy)
        self.ends = [b for _, b in self.free]
        self._raw = None      # last: a shared timeline is complete once another thread sees this
        return self

    def free_skipping_appointments(self) -> list[tuple[int, int]]:
        if self._free_skip is None:
            self._free_skip = _subtract(self.work, self.breaks)
        return self._free_skip

    def load(self, lo: int, hi: int | None) -> int:
        """Booked seconds of the appointments starting in [lo, hi) (hi None: no end)."""
        i = bisect.bisect_left(self.starts, lo)
        j = len(self.starts) if hi is None else bisect.bisect_left(self.starts, hi)
        return self.cum[j] - self.cum[i] if j > i else 0


# Timelines by their stretches: a technician's days stay the same from one search to the
# next (another service, another technician, the same week again), so each is merged once
# and then shared, read only, by the schedules that have the same stretches.
_TIMELINES: dict[tuple[tuple[tuple[int, int], ...], ...], _Timeline] = {}
_TIMELINES_MAX = 256        # a busy technician's week is some 20 kB merged (weeks of 30: a few MB)


def _timeline(work: Iterable[tuple[int, int]], breaks: Iterable[tuple[int, int]],
              appointments: Iterable[tuple[int, int]]) -> _Timeline:
    key = (tuple(work), tuple(breaks), tuple(appointments))
    line = _TIMELINES.get(key)
    if line is None:
        if len(_TIMELINES) >= _TIMELINES_MAX:
            _TIMELINES.clear()
        line = _TIMELINES[key] = _Timeline(*key)
    return line


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime           # end of the service the customer waits for
    blocked_until: datetime     # end including the buffer after it
    technician_id: uuid.UUID
    technician: str


def _ts(dt: datetime) -> int:
    if dt.tzinfo is None:
        raise ValueError("naive datetime given to the slot engine")
    return int(dt.timestamp())


def _dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def parse_hhmm(text: str) -> int:
    """'09:30' -> 570; '24:00' is the end of the day."""
    hh, _, mm = str(text).strip().partition(":")
    value = int(hh) * 60 + int(mm or 0)
    if not 0 <= value <= 1440 or not 0 <= int(mm or 0) < 60:
        raise ValueError(text)
    return value


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@functools.lru_cache(maxsize=8192)
def local_instant(tz: str, day: date, minute: int) -> datetime:
    """The instant of local wall-clock ``minute`` on ``day``. In a spring-forward gap the
    clock time does not exist: it resolves past the jump (02:30 -> 03:30); in a fall-back
    overlap the first of the two instants is taken."""
    return _dt(_local_ts(tz, day, minute))


@functools.lru_cache(maxsize=8192)
def _local_ts(tz: str, day: date, minute: int) -> int:
    d = day + timedelta(days=minute // 1440)
    m = minute % 1440
    return int(datetime.combine(d, time(m // 60, m % 60), ZoneInfo(tz)).timestamp())


@functools.lru_cache(maxsize=1024)
def _day_grid(tz: str, day: date, step_min: int) -> tuple[int, ...]:
    """Every instant on ``day`` whose local wall-clock time is a multiple of ``step_min``
    after midnight. A spring-forward day has fewer, a fall-back day has the repeated
    hour twice (two distinct instants showing the same local time)."""
    zone = ZoneInfo(tz)
    out: set[int] = set()
    for m in range(0, 1440, step_min):
        wall = datetime.combine(day, time(m // 60, m % 60))
        for fold in (0, 1):
            ts = int(wall.replace(tzinfo=zone, fold=fold).timestamp())
            if datetime.fromtimestamp(ts, zone).replace(tzinfo=None) == wall:   # not in a gap
                out.add(ts)
    return tuple(sorted(out))


def opening_interval(tz: str, day: date, opening_hours: Mapping[str, Sequence[str]]) -> Interval | None:
    """The store's opening hours on ``day`` as UTC instants; None when it is closed."""
    hours = opening_hours.get(WEEKDAYS[day.weekday()]) if opening_hours else None
    if not hours:
        return None
    try:
        o, c = parse_hhmm(hours[0]), parse_hhmm(hours[1])
    except (ValueError, IndexError, TypeError):
        return None
    if c <= o:
        return None
    return local_instant(tz, day, o), local_instant(tz, day, c)


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, merged intervals. An empty one (``a == b``) is kept: an appointment whose
    local times fell into a daylight-saving gap (02:00-03:00 on a spring-forward night)
    collapses to an instant, and it still blocks that instant, so nothing is booked across
    it. Booking itself never makes one: its end is its start plus the service's duration."""
    out: list[tuple[int, int]] = []
    ca = cb = 0
    have = False
    for a, b in sorted(intervals):
        if b < a:
            continue
        if have and a <= cb:
            if b > cb:
                cb = b
        else:
            if have:
                out.append((ca, cb))
            ca, cb, have = a, b, True
    if have:
        out.append((ca, cb))
    return out


def _subtract(base: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``base`` minus ``cuts``; both merged and sorted."""
    out = []
    j = 0
    for a, b in base:
        while j < len(cuts) and cuts[j][1] <= a:
            j += 1
        k = j
        cur = a
        while k < len(cuts) and cuts[k][0] < b:
            ca, cb = cuts[k]
            if ca > cur:
                out.append((cur, ca))
            if cb > cur:
                cur = cb
            k += 1
        if cur < b:
            out.append((cur, b))
    return out


def free_intervals(schedule: TechSchedule, *, skip_appointments: bool = False,
                   extra_busy: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Stretches (epoch seconds) when the technician is on shift and takes nobody."""
    line = schedule._line
    extra = list(extra_busy)
    if not extra:       # a copy: the timeline's own list is shared
        return list(line.free_skipping_appointments() if skip_appointments else line.free)
    return _subtract(line.work, _merge((line.breaks if skip_appointments else line.busy) + extra))


def qualified(schedule: TechSchedule | Technician, service: ServiceSpec) -> bool:
    return not service.required_skill or service.required_skill in schedule.skills


def _day_starts(tz: str, days: Sequence[date]) -> list[int]:
    return [_local_ts(tz, d, 0) for d in days]


_Option = tuple[int, str, str, TechSchedule]


def free_slots(schedules: Sequence[TechSchedule], service: ServiceSpec, *, days: Sequence[date], tz: str,
               opening_hours: Mapping[str, Sequence[str]], now: datetime, min_notice_min: int = 0,
               step_min: int = STEP_DEFAULT, technician_id: uuid.UUID | None = None,
               each_technician: bool = False, skip_appointments: bool = False,
               not_before: datetime | None = None, limit: int | None = None) -> list[Slot]:
    """The start times at which ``service`` can be booked on ``days``.

    A slot starts on the local ``step_min`` grid, no earlier than ``now`` plus the minimum
    notice (nor ``not_before``); the service itself (not its buffer) lies within the store's
    opening hours of that day; the service and its buffer lie within one stretch of the
    technician's work, clear of breaks, absences and other appointments; the technician has
    the skill. ``limit``: only the first that many slots (the search stops once it has them).

    With ``each_technician`` every qualified free technician is a slot of its own;
    otherwise each start time appears once, given to the least-loaded free technician
    (fewest booked minutes that local day, then by name).
    """
    if service.duration_min <= 0 or (limit is not None and limit <= 0):
        return []
    days = sorted(set(days))
    dur = service.duration_min * 60
    total = service.total_min * 60
    earliest = _ts(now) + max(0, min_notice_min) * 60
    if not_before is not None:
        nb = not_before.timestamp()
        earliest = max(earliest, int(nb) + (1 if nb > int(nb) else 0))
    midnights = _day_starts(tz, days) + [_local_ts(tz, days[-1], 1440)]
    plan = []                                   # (open, close, grid, load bucket or -1) per open day
    for d in days:
        oc = opening_interval(tz, d, opening_hours)
        if oc is None:
            continue
        o, c = _ts(oc[0]), _ts(oc[1])
        lo, hi = max(o, earliest), c - dur
        grid = _day_grid(tz, d, step_min)
        grid = grid[bisect.bisect_left(grid, lo):bisect.bisect_right(grid, hi)]
        if grid:
            # the day's load bucket (the day the start falls in); -1: the grid spans two
            # (a clock change at midnight), then each start finds its own
            first, last = bisect.bisect_right(midnights, grid[0]) - 1, bisect.bisect_right(midnights, grid[-1]) - 1
            plan.append((grid, first if first == last else -1))
    if not plan:
        return []
    # the earliest start any later day could offer: the search may stop before it
    later = [min(g[0] for g, _ in plan[k + 1:]) if k + 1 < len(plan) else None for k in range(len(plan))]
    cands: list[tuple[TechSchedule, list[tuple[int, int]], list[int], _Timeline, str]] = []
    for sch in schedules:
        if technician_id is not None and sch.id != technician_id:
            continue
        if not qualified(sch, service):
            continue
        line = sch._line
        free = line.free_skipping_appointments() if skip_appointments else line.free
        if free:
            cands.append((sch, free, [b for _, b in free] if skip_appointments else line.ends, line, str(sch.id)))
    if not cands:
        return []

    def load_of(line: _Timeline, i: int) -> int:
        return line.load(midnights[i], midnights[i + 1] if i + 1 < len(midnights) else None)

    every: list[_Option] = []
    best: dict[int, _Option] = {}
    for k, (grid, bucket) in enumerate(plan):
        lo, hi = grid[0], grid[-1]
        order = cands
        if not each_technician and bucket >= 0:
            order = sorted(cands, key=lambda c: (load_of(c[3], bucket), c[0].name, c[4]))
        day: dict[int, _Option] = {}
        for sch, free, ends, line, key in order:
            name = sch.name
            j = bisect.bisect_right(ends, lo)
            while j < len(free):
                a, b = free[j]
                j += 1
                if a > hi:
                    break
                first, last = a if a > lo else lo, b - total if b - total < hi else hi
                if first > last:
                    continue
                starts = grid[bisect.bisect_left(grid, first):bisect.bisect_right(grid, last)]
                if each_technician:
                    every.extend((g, name, key, sch) for g in starts)
                elif bucket >= 0:
                    # techs come least loaded first: the first to offer a time keeps it
                    for g in starts:
                        if g not in day:
                            day[g] = (0, name, key, sch)
                else:
                    for g in starts:
                        option = (load_of(line, bisect.bisect_right(midnights, g) - 1), name, key, sch)
                        held = day.get(g)
                        if held is None or option[:3] < held[:3]:
                            day[g] = option
            if not each_technician and len(day) == len(grid):
                break                           # every start of the day is given
        best.update(day)
        edge = later[k]
        if limit is not None and edge is not None and (len(every) if each_technician else len(best)) >= limit:
            if sum(1 for g in ((o[0] for o in every) if each_technician else best) if g < edge) >= limit:
                break
    if each_technician:
        every.sort(key=lambda o: o[:3])
        out = [Slot(_dt(g), _dt(g + dur), _dt(g + total), sch.id, sch.name) for g, _, _, sch in every[:limit]]
    else:
        out = [Slot(_dt(g), _dt(g + dur), _dt(g + total), best[g][3].id, best[g][3].name)
               for g in sorted(best)[:limit]]
    return out


def earliest_start(schedules: Sequence[TechSchedule], service: ServiceSpec, *, now: datetime,
                   technician_id: uuid.UUID | None = None,
                   extra_busy: Mapping[uuid.UUID, Iterable[tuple[int, int]]] | None = None,
                   until: datetime | None = None) -> Slot | None:
    """The first moment from ``now`` (no grid, no notice, no opening hours: the customer
    is already in the store) at which a qualified technician can take ``service``; for the
    walk-in queue. Ties go to the technician listed first."""
    t0 = _ts(now)
    limit = _ts(until) if until is not None else None
    total = service.total_min * 60
    best: tuple[int, TechSchedule] | None = None
    for sch in schedules:
        if technician_id is not None and sch.id != technician_id:
            continue
        if not qualified(sch, service):
            continue
        extra = list((extra_busy or {}).get(sch.id, ()))
        for a, b in free_intervals(sch, extra_busy=extra):
            start = max(a, t0)
            if start + total <= b and (limit is None or start <= limit):
                if best is None or start < best[0]:
                    best = (start, sch)
                break
    if best is None:
        return None
    start, sch = best
    return Slot(_dt(start), _dt(start + service.duration_min * 60), _dt(start + total), sch.id, sch.name)


def plan_schedules(technicians: Sequence[Technician], templates: Sequence[TemplateRow],
                   shifts: Sequence[ShiftRow], booked: Sequence[Booked], *, days: Sequence[date],
                   tz: str) -> list[TechSchedule]:
    """Each technician's work, breaks and appointments over ``days``.

    The week template gives a day's work and breaks, unless the day has explicit work
    shifts (an exception: a changed or extra shift), which then replace the template's
    for that day. Explicit breaks and absences (a sick day, training) always apply.
    """
    by_booked: dict[uuid.UUID, list[Interval]] = {}
    for b in booked:
        by_booked.setdefault(b.technician_id, []).append((b.starts_at, b.ends_at))
    return _plan(technicians, templates, shifts, by_booked, days, tz)


def _plan(technicians: Sequence[Technician], templates: Sequence[TemplateRow], shifts: Sequence[ShiftRow],
          by_booked: Mapping[uuid.UUID, Sequence[Interval]], days: Sequence[date], tz: str,
          booked_ts: Mapping[uuid.UUID, Sequence[tuple[int, int]]] | None = None) -> list[TechSchedule]:
    """``booked_ts``: the same appointments in epoch seconds, when the caller read them so
    (then each schedule's timeline is built from them, not from the datetimes again)."""
    by_tmpl: dict[uuid.UUID, dict[int, list[tuple[str, int, int]]]] = {}
    for t in templates:
        if t.end_minute > t.start_minute:
            by_tmpl.setdefault(t.staff_id, {}).setdefault(t.weekday, []).append(
                (t.kind, t.start_minute, t.end_minute))
    return _plan_grouped(technicians, by_tmpl, shifts, by_booked, days, tz, booked_ts)


_Stretch = tuple[Interval, tuple[int, int]]


def _plan_grouped(technicians: Sequence[Technician],
                  by_tmpl: Mapping[uuid.UUID, Mapping[int, Sequence[tuple[str, int, int]]]],
                  shifts: Sequence[ShiftRow], by_booked: Mapping[uuid.UUID, Sequence[Interval]],
                  days: Sequence[date], tz: str, booked_ts: Mapping[uuid.UUID, Sequence[tuple[int, int]]] | None = None,
                  *, booked_sorted: bool = False) -> list[TechSchedule]:
    """``_plan`` with the templates already grouped by technician and weekday as (kind,
    start minute, end minute), each ending after it starts (the loader reads them so).
    ``booked_sorted``: each technician's ``by_booked`` is a tuple in order already."""
    zone = ZoneInfo(tz)
    days = sorted(set(days))
    by_shift: dict[uuid.UUID, list[ShiftRow]] = {}
    for s in shifts:
        by_shift.setdefault(s.staff_id, []).append(s)
    # technicians mostly share their hours: each (day, start, end) is converted once
    stretches: dict[tuple[date, int, int], _Stretch] = {}
    out = []
    for tech in technicians:
        explicit_work: dict[date, list[Interval]] = {}
        breaks: list[Interval] = []
        work_ts: list[tuple[int, int]] = []          # the same stretches in epoch seconds
        breaks_ts: list[tuple[int, int]] = []
        for s in by_shift.get(tech.id, ()):
            if s.kind == "work":
                explicit_work.setdefault(s.starts_at.astimezone(zone).date(), []).append((s.starts_at, s.ends_at))
            else:
                breaks.append((s.starts_at, s.ends_at))
                breaks_ts.append((_ts(s.starts_at), _ts(s.ends_at)))
        work: list[Interval] = []
        template = by_tmpl.get(tech.id, {})
        for d in days:
            if d in explicit_work:
                work += explicit_work[d]
                work_ts += [(_ts(a), _ts(b)) for a, b in explicit_work[d]]
                continue
            for kind, a, b in template.get(d.weekday(), ()):
                key = (d, a, b)
                st = stretches.get(key)
                if st is None:
                    ta, tb = _local_ts(tz, d, a), _local_ts(tz, d, b)
                    st = stretches[key] = ((_dt(ta), _dt(tb)), (ta, tb))
                if kind == "work":
                    work.append(st[0])
                    work_ts.append(st[1])
                else:
                    breaks.append(st[0])
                    breaks_ts.append(st[1])
        line = None if booked_ts is None else _timeline(work_ts, breaks_ts, booked_ts.get(tech.id, ()))
        booked = by_booked.get(tech.id, ())
        out.append(TechSchedule(tech.id, tech.name, frozenset(tech.skills), tuple(sorted(work)), tuple(sorted(breaks)),
                                booked if booked_sorted and isinstance(booked, tuple) else tuple(sorted(booked)), line))
    return out
