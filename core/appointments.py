"""Appointments, the walk-in queue and the technicians' day.

Three layers, top to bottom:

* **The slot engine** (``plan_schedules``, ``free_slots``, ``earliest_start``): pure
  functions over plain data (shifts, breaks, booked stretches, a service's duration,
  buffer and skill, opening hours, minimum notice, the store's time zone). No session,
  no clock: the caller passes ``now``. Hypothesis tests them directly.
* **Loading**: reads the rota (week templates plus exceptions), the appointments and the
  store's settings for a range of local days and turns them into engine input.
* **Services** (``book``, ``reschedule``, ``check_in``, ``call_next`` ...): each takes
  ``(session, actor, ...)``, checks one permission and returns frozen dataclasses.

Times: the database holds aware UTC instants; a "day" is a local date in the store's time
zone, so a day with a daylight-saving change is 23 or 25 hours long and its opening hours
and shifts are converted on that day's own offset.

No double booking: booking and moving run inside a write session (``BEGIN IMMEDIATE``, so
two counters take turns), re-read the technician's day inside that transaction and raise
``SlotTaken`` carrying the next free slots when the time is gone. SQLite triggers
(migration 0006) refuse an overlapping live appointment from any other writer too.
"""

from __future__ import annotations

import bisect
import functools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from core import audit
from core.errors import Conflict, NotFound, ValidationError, ValidationErrors
from core.models import Appointment, Customer, ServiceType, Shift, Staff, Store
from core.models.base import utcnow
from core.models.service import WalkIn
from core.models.store import ShiftTemplate
from core.permissions import Actor, Perm, Role, require
from core.validation import normalize_name

UTC = timezone.utc
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# statuses that hold a technician's time; cancelled and no-show appointments free it
LIVE_STATUSES = ("booked", "checked_in", "in_service", "completed")
OPEN_STATUSES = ("booked", "checked_in", "in_service")
SOURCES = ("phone", "online", "counter", "walk_in")
MAX_APPOINTMENT_MIN = 12 * 60        # the overlap trigger looks one day back; keep well inside
SEARCH_DAYS_MAX = 31

# store settings (Store.settings JSON), with defaults and bounds
MIN_NOTICE_DEFAULT, MIN_NOTICE_MAX = 30, 7 * 24 * 60
GRACE_DEFAULT, GRACE_MAX = 15, 240
STEP_DEFAULT = 15
STEPS = (5, 10, 15, 20, 30, 60)


# =========================================================================================
# The slot engine: pure functions over plain data
# =========================================================================================

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
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if b < a:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


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
            cur = max(cur, cb)
            k += 1
        if cur < b:
            out.append((cur, b))
    return out


def free_intervals(schedule: TechSchedule, *, skip_appointments: bool = False,
                   extra_busy: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Stretches (epoch seconds) when the technician is on shift and takes nobody."""
    work = _merge((_ts(a), _ts(b)) for a, b in schedule.work)
    busy = [(_ts(a), _ts(b)) for a, b in schedule.breaks]
    if not skip_appointments:
        busy += [(_ts(a), _ts(b)) for a, b in schedule.appointments]
    busy += list(extra_busy)
    return _subtract(work, _merge(busy))


def qualified(schedule: TechSchedule | Technician, service: ServiceSpec) -> bool:
    return not service.required_skill or service.required_skill in schedule.skills


def _day_starts(tz: str, days: Sequence[date]) -> list[int]:
    return [_local_ts(tz, d, 0) for d in days]


def free_slots(schedules: Sequence[TechSchedule], service: ServiceSpec, *, days: Sequence[date], tz: str,
               opening_hours: Mapping[str, Sequence[str]], now: datetime, min_notice_min: int = 0,
               step_min: int = STEP_DEFAULT, technician_id: uuid.UUID | None = None,
               each_technician: bool = False, skip_appointments: bool = False) -> list[Slot]:
    """The start times at which ``service`` can be booked on ``days``.

    A slot starts on the local ``step_min`` grid, no earlier than ``now`` plus the minimum
    notice; the service itself (not its buffer) lies within the store's opening hours of
    that day; the service and its buffer lie within one stretch of the technician's work,
    clear of breaks, absences and other appointments; the technician has the skill.

    With ``each_technician`` every qualified free technician is a slot of its own;
    otherwise each start time appears once, given to the least-loaded free technician
    (fewest booked minutes that local day, then by name).
    """
    if service.duration_min <= 0:
        return []
    days = sorted(set(days))
    dur = service.duration_min * 60
    total = service.total_min * 60
    earliest = _ts(now) + max(0, min_notice_min) * 60
    plan = []                                   # (open, close, grid) per open day
    for d in days:
        oc = opening_interval(tz, d, opening_hours)
        if oc is not None:
            plan.append((_ts(oc[0]), _ts(oc[1]), _day_grid(tz, d, step_min)))
    if not plan:
        return []
    midnights = _day_starts(tz, days) + [_local_ts(tz, days[-1], 1440)]
    every: list[tuple[int, str, str, TechSchedule]] = []
    best: dict[int, tuple[int, str, str, TechSchedule]] = {}
    for sch in schedules:
        if technician_id is not None and sch.id != technician_id:
            continue
        if not qualified(sch, service):
            continue
        free = free_intervals(sch, skip_appointments=skip_appointments)
        if not free:
            continue
        load = None if each_technician else _daily_load(sch, midnights)
        name, key = sch.name, str(sch.id)
        for o, c, grid in plan:
            lo = max(o, earliest)
            hi = c - dur
            if hi < lo:
                continue
            for a, b in free:
                if b <= lo or a > hi:
                    continue
                first, last = max(a, lo), min(b - total, hi)
                if first > last:
                    continue
                starts = grid[bisect.bisect_left(grid, first):bisect.bisect_right(grid, last)]
                if each_technician:
                    every.extend((g, name, key, sch) for g in starts)
                    continue
                for g in starts:
                    option = (load[bisect.bisect_right(midnights, g) - 1], name, key, sch)
                    held = best.get(g)
                    if held is None or option[:3] < held[:3]:
                        best[g] = option
    if each_technician:
        every.sort(key=lambda o: o[:3])
        return [Slot(_dt(g), _dt(g + dur), _dt(g + total), sch.id, sch.name) for g, _, _, sch in every]
    return [Slot(_dt(g), _dt(g + dur), _dt(g + total), best[g][3].id, best[g][3].name) for g in sorted(best)]


def _daily_load(sch: TechSchedule, midnights: list[int]) -> list[int]:
    load = [0] * len(midnights)
    for a, b in sch.appointments:
        ta = _ts(a)
        i = bisect.bisect_right(midnights, ta) - 1
        if 0 <= i < len(load):
            load[i] += _ts(b) - ta
    return load


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
          by_booked: Mapping[uuid.UUID, list[Interval]], days: Sequence[date], tz: str) -> list[TechSchedule]:
    zone = ZoneInfo(tz)
    days = sorted(set(days))
    by_tmpl: dict[tuple[uuid.UUID, int], list[TemplateRow]] = {}
    for t in templates:
        if t.end_minute > t.start_minute:
            by_tmpl.setdefault((t.staff_id, t.weekday), []).append(t)
    by_shift: dict[uuid.UUID, list[ShiftRow]] = {}
    for s in shifts:
        by_shift.setdefault(s.staff_id, []).append(s)
    out = []
    for tech in technicians:
        explicit_work: dict[date, list[Interval]] = {}
        breaks: list[Interval] = []
        for s in by_shift.get(tech.id, ()):
            if s.kind == "work":
                explicit_work.setdefault(s.starts_at.astimezone(zone).date(), []).append((s.starts_at, s.ends_at))
            else:
                breaks.append((s.starts_at, s.ends_at))
        work: list[Interval] = []
        for d in days:
            if d in explicit_work:
                work += explicit_work[d]
                continue
            for t in by_tmpl.get((tech.id, d.weekday()), ()):
                stretch = (local_instant(tz, d, t.start_minute), local_instant(tz, d, t.end_minute))
                (work if t.kind == "work" else breaks).append(stretch)
        out.append(TechSchedule(tech.id, tech.name, frozenset(tech.skills), tuple(sorted(work)),
                                tuple(sorted(breaks)), tuple(sorted(by_booked.get(tech.id, ())))))
    return out


# =========================================================================================
# Results the services return
# =========================================================================================

@dataclass(frozen=True)
class AppointmentRow:
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    customer: str
    service: str
    technician: str
    status: str
    source: str


@dataclass(frozen=True)
class AppointmentSettings:
    min_notice_min: int
    no_show_grace_min: int
    slot_step_min: int


@dataclass(frozen=True)
class ServiceTypeView:
    id: uuid.UUID
    code: str
    name: str
    duration_min: int
    buffer_min: int
    required_skill: str | None
    price_cents: int
    is_repair: bool
    active: bool

    @property
    def spec(self) -> ServiceSpec:
        return ServiceSpec(self.duration_min, self.buffer_min, self.required_skill)


@dataclass(frozen=True)
class TechnicianView:
    id: uuid.UUID
    name: str
    role: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class DayAppointment:
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime               # including the buffer
    service_ends_at: datetime
    customer_id: uuid.UUID | None
    customer: str
    service_type_id: uuid.UUID
    service: str
    service_code: str
    is_repair: bool
    technician_id: uuid.UUID | None
    technician: str
    status: str
    source: str
    checked_in_at: datetime | None
    started_at: datetime | None
    notes: str
    no_show_from: datetime          # when it may be marked a no-show


@dataclass(frozen=True)
class CheckIn:
    appointment: DayAppointment
    needs_intake: bool              # a repair: the GUI opens repair intake next


@dataclass(frozen=True)
class DayTechnician:
    id: uuid.UUID
    name: str
    skills: tuple[str, ...]
    work: tuple[Interval, ...]
    breaks: tuple[Interval, ...]
    absences: tuple[Interval, ...] = ()     # sick, training: away although the week says work


@dataclass(frozen=True)
class QueueEntry:
    id: uuid.UUID
    position: int
    name: str
    customer_id: uuid.UUID | None
    service_type_id: uuid.UUID
    service: str
    technician_id: uuid.UUID | None
    technician: str
    arrived_at: datetime
    waited_min: int
    estimated_wait_min: int | None      # None: nobody qualified is free before closing
    estimated_technician: str
    note: str


@dataclass(frozen=True)
class Called:
    walk_in_id: uuid.UUID
    appointment: DayAppointment
    needs_intake: bool


@dataclass(frozen=True)
class DayNumbers:
    booked: int
    checked_in: int
    waiting: int
    average_wait_min: int | None


@dataclass(frozen=True)
class DayPlan:
    day: date
    timezone: str
    now: datetime
    opens_at: datetime | None
    closes_at: datetime | None
    technicians: tuple[DayTechnician, ...]
    appointments: tuple[DayAppointment, ...]
    queue: tuple[QueueEntry, ...]
    numbers: DayNumbers
    settings: AppointmentSettings


@dataclass(frozen=True)
class TemplateView:
    weekday: int
    kind: str
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class ShiftView:
    id: uuid.UUID
    staff_id: uuid.UUID
    kind: str
    starts_at: datetime
    ends_at: datetime
    note: str


# a table the message extractor (scripts/extract_core_messages.py) collects for translation
_CONFLICT_REASONS = {"slot_taken": "slot just taken"}


class SlotTaken(Conflict):
    """The time was free when the form showed it and is gone now; ``next_slots`` are the
    nearest free ones after it."""

    def __init__(self, next_slots: Sequence[Slot] = ()):
        super().__init__(_CONFLICT_REASONS["slot_taken"])
        self.next_slots = tuple(next_slots)


# =========================================================================================
# Store settings and reference data
# =========================================================================================

def _store(session: Session, store_id: uuid.UUID) -> Store:
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound("store")
    return store


def _settings_of(store: Store) -> AppointmentSettings:
    s = store.settings or {}
    return AppointmentSettings(int(s.get("min_notice_min", MIN_NOTICE_DEFAULT)),
                               int(s.get("no_show_grace_min", GRACE_DEFAULT)),
                               int(s.get("slot_step_min", STEP_DEFAULT)))


def appointment_settings(session: Session, actor: Actor) -> AppointmentSettings:
    require(actor, Perm.BOOK_APPOINTMENTS)
    return _settings_of(_store(session, actor.store_id))


def set_appointment_settings(session: Session, actor: Actor, *, min_notice_min: int | None = None,
                             no_show_grace_min: int | None = None,
                             slot_step_min: int | None = None) -> AppointmentSettings:
    """A manager sets the minimum notice for bookings, the grace period before a late
    customer may be marked a no-show, and the grid slots start on."""
    require(actor, Perm.MANAGE_SETTINGS)
    errors = []
    changes = {}
    if min_notice_min is not None:
        if not isinstance(min_notice_min, int) or not 0 <= min_notice_min <= MIN_NOTICE_MAX:
            errors.append(ValidationError("min_notice_min", "must be between {low} and {high} minutes",
                                          low=0, high=MIN_NOTICE_MAX))
        changes["min_notice_min"] = min_notice_min
    if no_show_grace_min is not None:
        if not isinstance(no_show_grace_min, int) or not 0 <= no_show_grace_min <= GRACE_MAX:
            errors.append(ValidationError("no_show_grace_min", "must be between {low} and {high} minutes",
                                          low=0, high=GRACE_MAX))
        changes["no_show_grace_min"] = no_show_grace_min
    if slot_step_min is not None:
        if slot_step_min not in STEPS:
            errors.append(ValidationError("slot_step_min", "is not a supported step"))
        changes["slot_step_min"] = slot_step_min
    if errors:
        raise ValidationErrors(errors)
    store = _store(session, actor.store_id)
    store.settings = {**(store.settings or {}), **changes}
    audit.record(session, actor, "settings.appointments", "store", store.id,
                 detail=",".join(f"{k}={v}" for k, v in sorted(changes.items())))
    return _settings_of(store)


def _service_view(t: ServiceType) -> ServiceTypeView:
    return ServiceTypeView(t.id, t.code, t.name, t.duration_min, t.buffer_min, t.required_skill, t.price_cents,
                           t.is_repair, t.active)


def list_service_types(session: Session, actor: Actor, *, include_inactive: bool = False) -> list[ServiceTypeView]:
    require(actor, Perm.BOOK_APPOINTMENTS)
    q = select(ServiceType).order_by(ServiceType.name)
    if not include_inactive:
        q = q.where(ServiceType.active.is_(True))
    return [_service_view(t) for t in session.scalars(q)]


def save_service_type(session: Session, actor: Actor, *, service_type_id: uuid.UUID | None = None,
                      code: str, name: str, duration_min: int, buffer_min: int = 0,
                      required_skill: str | None = None, price_cents: int = 0, is_repair: bool = False,
                      active: bool = True) -> ServiceTypeView:
    require(actor, Perm.MANAGE_SETTINGS)
    errors = []
    code = (code or "").strip().lower()
    if not (1 <= len(code) <= 24 and code.replace("_", "").isalnum() and code.isascii()):
        errors.append(ValidationError("code", "must be 1 to 24 letters, digits or underscores"))
    try:
        name = normalize_name(name, field="name", max_len=120)
    except ValidationError as e:
        errors.append(e)
    if not isinstance(duration_min, int) or not 5 <= duration_min <= 8 * 60:
        errors.append(ValidationError("duration_min", "must be between {low} and {high} minutes", low=5, high=480))
    if not isinstance(buffer_min, int) or not 0 <= buffer_min <= 120:
        errors.append(ValidationError("buffer_min", "must be between {low} and {high} minutes", low=0, high=120))
    if not isinstance(price_cents, int) or price_cents < 0:
        errors.append(ValidationError("price_cents", "must not be negative"))
    skill = (required_skill or "").strip().lower() or None
    if skill is not None and len(skill) > 40:
        errors.append(ValidationError("required_skill", "must be at most {n} characters", n=40))
    if errors:
        raise ValidationErrors(errors)
    clash = session.scalar(select(ServiceType.id).where(ServiceType.code == code))
    if clash is not None and clash != service_type_id:
        raise ValidationError("code", "is already in use")
    if service_type_id is None:
        t = ServiceType(code=code)
        session.add(t)
    else:
        t = session.get(ServiceType, service_type_id)
        if t is None:
            raise NotFound("service type")
        t.code = code
    t.name, t.duration_min, t.buffer_min, t.required_skill = name, duration_min, buffer_min, skill
    t.price_cents, t.is_repair, t.active = price_cents, bool(is_repair), bool(active)
    session.flush()
    audit.record(session, actor, "service_type.save", "service_type", t.id)
    return _service_view(t)


def _service(session: Session, service_type_id: uuid.UUID) -> ServiceType:
    t = session.get(ServiceType, service_type_id)
    if t is None:
        raise NotFound("service type")
    return t


def _is_technician(s: Staff) -> bool:
    return s.role == Role.TECHNICIAN.value or bool(s.skills)


def _technician_rows(session: Session, store_id: uuid.UUID) -> list[Staff]:
    q = select(Staff).where(Staff.store_id == store_id, Staff.active.is_(True)).order_by(Staff.display_name)
    return [s for s in session.scalars(q) if _is_technician(s)]


def list_technicians(session: Session, actor: Actor) -> list[TechnicianView]:
    """Staff who take appointments: technicians, and anyone else given a skill."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    return [TechnicianView(s.id, s.display_name, s.role, tuple(s.skills or ()))
            for s in _technician_rows(session, actor.store_id)]


def set_skills(session: Session, actor: Actor, staff_id: uuid.UUID, skills: Iterable[str]) -> TechnicianView:
    require(actor, Perm.MANAGE_STAFF)
    s = session.get(Staff, staff_id)
    if s is None or s.store_id != actor.store_id:
        raise NotFound("staff member")
    clean = sorted({k.strip().lower() for k in skills if k and k.strip()})
    if any(len(k) > 40 or not k.replace("_", "").replace("-", "").isalnum() for k in clean):
        raise ValidationError("skills", "a skill is a word of at most {n} letters or digits", n=40)
    s.skills = clean
    audit.record(session, actor, "staff.skills", "staff", s.id, detail=",".join(clean))
    return TechnicianView(s.id, s.display_name, s.role, tuple(clean))


# =========================================================================================
# Loading engine input
# =========================================================================================

def store_day_bounds(session: Session, actor: Actor, day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which the store's local day starts and ends (DST-aware)."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    store = session.get(Store, actor.store_id)
    tz = ZoneInfo(store.timezone if store else "UTC")
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return start, end


def _local_today(session: Session, store_id: uuid.UUID, now: datetime | None = None) -> date:
    store = _store(session, store_id)
    return (now or utcnow()).astimezone(ZoneInfo(store.timezone)).date()


def local_today(session: Session, actor: Actor, now: datetime | None = None) -> date:
    """The store's date now (or at ``now``), in its own time zone."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    return _local_today(session, actor.store_id, now)


@dataclass
class _Loaded:
    tz: str
    opening_hours: dict
    settings: AppointmentSettings
    technicians: list[Technician]
    schedules: list[TechSchedule] = field(default_factory=list)
    shifts: list[ShiftRow] = field(default_factory=list)


@functools.lru_cache(maxsize=16384)
def _parse_utc(text: str) -> datetime:
    # appointments start and end on a few hundred distinct grid times a week: parse each once
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _utc(value) -> datetime:
    return value if isinstance(value, datetime) else _parse_utc(value)


def _load(session: Session, store_id: uuid.UUID, days: Sequence[date], *,
          exclude_appointment: uuid.UUID | None = None) -> _Loaded:
    """Everything the engine needs for ``days``, read with plain column queries.

    The slot search must stay fast on a busy week (a thousand appointments), so on SQLite
    the id and time columns are read as the stored text (hex ids, ISO times in UTC) and
    parsed here, skipping the per-value type processing that would otherwise cost most of
    the search."""
    store = _store(session, store_id)
    tz = store.timezone
    days = sorted(set(days))
    day_start, day_end = _dt(_local_ts(tz, days[0], 0)), _dt(_local_ts(tz, days[-1], 1440))
    raw = session.get_bind().dialect.name == "sqlite"

    conn = session.connection()       # Core rows: no ORM loading machinery per row

    def text(col):
        return type_coerce(col, String) if raw else col

    techs = []
    for sid, name, role, skills in conn.execute(
            select(Staff.id, Staff.display_name, Staff.role, Staff.skills)
            .where(Staff.store_id == store_id, Staff.active.is_(True)).order_by(Staff.display_name)):
        if role == Role.TECHNICIAN.value or skills:
            techs.append(Technician(sid, name, frozenset(skills or ())))
    by_key = {(t.id.hex if raw else t.id): t.id for t in techs}
    templates = [TemplateRow(by_key[sid], wd, kind, a, b) for sid, wd, kind, a, b in conn.execute(
        select(text(ShiftTemplate.staff_id), ShiftTemplate.weekday, ShiftTemplate.kind, ShiftTemplate.start_minute,
               ShiftTemplate.end_minute).where(ShiftTemplate.store_id == store_id)) if sid in by_key]
    lo = day_start - timedelta(days=1)
    shifts = [ShiftRow(by_key[sid], kind, _utc(a), _utc(b)) for sid, kind, a, b in conn.execute(
        select(text(Shift.staff_id), Shift.kind, text(Shift.starts_at), text(Shift.ends_at))
        .where(Shift.store_id == store_id, Shift.starts_at < day_end, Shift.ends_at > lo)) if sid in by_key]
    # an appointment is at most MAX_APPOINTMENT_MIN long: one starting that much before
    # the first day is the earliest that can reach into it
    live = [Appointment.store_id == store_id,
            Appointment.starts_at >= day_start - timedelta(minutes=MAX_APPOINTMENT_MIN),
            Appointment.starts_at < day_end, Appointment.technician_id.is_not(None),
            Appointment.status.in_(LIVE_STATUSES)]
    if exclude_appointment is not None:
        live.append(Appointment.id != exclude_appointment)
    by_booked: dict[uuid.UUID, list[Interval]] = {}
    if raw:
        # one row per technician ("start,end;start,end;..."): a busy week is a thousand
        # appointments, and building a result row for each costs more than the search
        q = (select(text(Appointment.technician_id),
                    func.group_concat(text(Appointment.starts_at) + "," + text(Appointment.ends_at), ";"))
             .where(*live).group_by(Appointment.technician_id))
        for tid, joined in conn.execute(q):
            if tid in by_key and joined:
                by_booked[by_key[tid]] = [(_parse_utc(a), _parse_utc(b)) for a, _, b in
                                          (pair.partition(",") for pair in joined.split(";"))]
    else:
        for tid, a, b in conn.execute(select(Appointment.technician_id, Appointment.starts_at,
                                             Appointment.ends_at).where(*live)):
            by_booked.setdefault(tid, []).append((a, b))
    schedules = _plan(techs, templates, shifts, by_booked, days, tz)
    return _Loaded(tz, dict(store.opening_hours or {}), _settings_of(store), techs, schedules, shifts)


def _check_days(first_day: date, days: int) -> list[date]:
    if not isinstance(days, int) or not 1 <= days <= SEARCH_DAYS_MAX:
        raise ValidationError("days", "must be between {low} and {high}", low=1, high=SEARCH_DAYS_MAX)
    return [first_day + timedelta(days=i) for i in range(days)]


def find_slots(session: Session, actor: Actor, service_type_id: uuid.UUID, first_day: date, *, days: int = 1,
               technician_id: uuid.UUID | None = None, each_technician: bool = False,
               now: datetime | None = None) -> list[Slot]:
    """Free slots for a service over ``days`` local days from ``first_day``."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    service = _service(session, service_type_id)
    span = _check_days(first_day, days)
    data = _load(session, actor.store_id, span)
    return free_slots(data.schedules, ServiceSpec(service.duration_min, service.buffer_min, service.required_skill),
                      days=span, tz=data.tz, opening_hours=data.opening_hours, now=now or utcnow(),
                      min_notice_min=data.settings.min_notice_min, step_min=data.settings.slot_step_min,
                      technician_id=technician_id, each_technician=each_technician)


def find_slots_for_move(session: Session, actor: Actor, appointment_id: uuid.UUID, first_day: date, *,
                        days: int = 1, technician_id: uuid.UUID | None = None,
                        now: datetime | None = None) -> list[Slot]:
    """Where an appointment could move to: its own time counts as free, and a customer who
    has checked in is already here (no minimum notice)."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    a = _appointment(session, actor, appointment_id)
    service = _service(session, a.service_type_id)
    span = _check_days(first_day, days)
    data = _load(session, actor.store_id, span, exclude_appointment=a.id)
    notice = data.settings.min_notice_min if a.status == "booked" else 0
    return free_slots(data.schedules, ServiceSpec(service.duration_min, service.buffer_min, service.required_skill),
                      days=span, tz=data.tz, opening_hours=data.opening_hours, now=now or utcnow(),
                      min_notice_min=notice, step_min=data.settings.slot_step_min, technician_id=technician_id)


# =========================================================================================
# Booking, moving, cancelling
# =========================================================================================

def _aware(value: datetime, field_name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError(field_name, "must be a time with its time zone")
    return value.astimezone(UTC)


def _next_slots(session: Session, store_id: uuid.UUID, spec: ServiceSpec, after: datetime, now: datetime,
                technician_id: uuid.UUID | None, count: int = 5,
                exclude_appointment: uuid.UUID | None = None) -> list[Slot]:
    """The first free slots at or after ``after`` within a week (for the same technician
    if one was asked for, else anyone qualified)."""
    tz = _store(session, store_id).timezone
    first = after.astimezone(ZoneInfo(tz)).date()
    span = [first + timedelta(days=i) for i in range(7)]
    data = _load(session, store_id, span, exclude_appointment=exclude_appointment)
    for tech in ((technician_id, None) if technician_id else (None,)):
        slots = [s for s in free_slots(data.schedules, spec, days=span, tz=data.tz,
                                       opening_hours=data.opening_hours, now=now,
                                       min_notice_min=data.settings.min_notice_min,
                                       step_min=data.settings.slot_step_min, technician_id=tech)
                 if s.starts_at >= after]
        if slots:
            return slots[:count]
    return []


def _pick(session: Session, store_id: uuid.UUID, spec: ServiceSpec, starts_at: datetime,
          technician_id: uuid.UUID | None, now: datetime, *, notice: bool,
          exclude_appointment: uuid.UUID | None = None) -> Slot:
    """The slot at exactly ``starts_at`` (for the given technician, or the least-loaded
    qualified one). Refuses a time that could never be booked with a validation error,
    and a time that is merely taken with ``SlotTaken``."""
    tz = _store(session, store_id).timezone
    day = starts_at.astimezone(ZoneInfo(tz)).date()
    data = _load(session, store_id, [day], exclude_appointment=exclude_appointment)
    if technician_id is not None:
        tech = next((t for t in data.technicians if t.id == technician_id), None)
        if tech is None:
            raise NotFound("technician")
        if not qualified(tech, spec):
            raise ValidationError("technician_id", "does not have the skill this service needs")
    notice_min = data.settings.min_notice_min if notice else 0
    kw = dict(days=[day], tz=data.tz, opening_hours=data.opening_hours, now=now, min_notice_min=notice_min,
              step_min=data.settings.slot_step_min, technician_id=technician_id, each_technician=True)
    slots = [s for s in free_slots(data.schedules, spec, **kw) if s.starts_at == starts_at]
    if slots:
        if technician_id is None:
            # least loaded that day among those free at this time
            best = free_slots(data.schedules, spec, **{**kw, "each_technician": False})
            chosen = next((s for s in best if s.starts_at == starts_at), slots[0])
            return chosen
        return slots[0]
    if starts_at < now + timedelta(minutes=notice_min):
        if notice_min:
            raise ValidationError("starts_at", "must be at least {n} minutes from now", n=notice_min)
        raise ValidationError("starts_at", "must not be in the past")
    possible = [s for s in free_slots(data.schedules, spec, **{**kw, "skip_appointments": True})
                if s.starts_at == starts_at]
    if not possible:
        raise ValidationError("starts_at", "is outside the technician's working hours or the opening hours")
    raise SlotTaken(_next_slots(session, store_id, spec, starts_at, now, technician_id,
                                exclude_appointment=exclude_appointment))


def _customer_name(c: Customer | None, fallback: str | None) -> str:
    if c is not None and not c.erased:
        return c.display_name
    return fallback or ""


def _day_appointments(session: Session, store_id: uuid.UUID, *, start: datetime | None = None,
                      end: datetime | None = None, ids: Sequence[uuid.UUID] | None = None,
                      customer_id: uuid.UUID | None = None, grace_min: int | None = None) -> list[DayAppointment]:
    tech = aliased(Staff)
    q = (select(Appointment, ServiceType, Customer, tech.display_name)
         .join(ServiceType, ServiceType.id == Appointment.service_type_id)
         .outerjoin(Customer, Customer.id == Appointment.customer_id)
         .outerjoin(tech, tech.id == Appointment.technician_id)
         .where(Appointment.store_id == store_id)
         .order_by(Appointment.starts_at, tech.display_name))
    if start is not None:
        q = q.where(Appointment.starts_at >= start)
    if end is not None:
        q = q.where(Appointment.starts_at < end)
    if ids is not None:
        q = q.where(Appointment.id.in_(list(ids)))
    if customer_id is not None:
        q = q.where(Appointment.customer_id == customer_id)
    if grace_min is None:
        grace_min = _settings_of(_store(session, store_id)).no_show_grace_min
    out = []
    for a, st, c, tname in session.execute(q):
        out.append(DayAppointment(
            a.id, a.starts_at, a.ends_at, min(a.ends_at, a.starts_at + timedelta(minutes=st.duration_min)),
            a.customer_id, _customer_name(c, a.walk_in_name), st.id, st.name, st.code, st.is_repair,
            a.technician_id, tname or "", a.status, a.source, a.checked_in_at, a.started_at, a.notes,
            a.starts_at + timedelta(minutes=grace_min)))
    return out


def _one(session: Session, store_id: uuid.UUID, appointment_id: uuid.UUID) -> DayAppointment:
    rows = _day_appointments(session, store_id, ids=[appointment_id])
    if not rows:
        raise NotFound("appointment")
    return rows[0]


def _insert(session: Session, appt: Appointment, retry_next) -> None:
    """Flush inside a savepoint so that, should the database's own overlap check refuse
    the row, the session stays usable to look up the next free slots."""
    try:
        with session.begin_nested():
            session.add(appt)
            session.flush()
    except IntegrityError as exc:
        if "overlaps" not in str(exc.orig):
            raise
        raise SlotTaken(retry_next()) from None


def _customer_or_name(session: Session, customer_id, name: str | None, errors: list) -> str | None:
    """A known, live customer (None returned), or a walk-in's name checked like any name
    (the problem goes to ``errors``)."""
    if customer_id is not None:
        c = session.get(Customer, customer_id)
        if c is None or c.erased:
            raise NotFound("customer")
        return None
    try:
        return normalize_name(name or "", field="name", max_len=120)
    except ValidationError as e:
        errors.append(e)
        return None


def book(session: Session, actor: Actor, *, service_type_id: uuid.UUID, starts_at: datetime,
         customer_id: uuid.UUID | None = None, name: str | None = None, technician_id: uuid.UUID | None = None,
         source: str = "counter", notes: str = "", now: datetime | None = None) -> DayAppointment:
    """Book a customer (or a name, for someone without a profile) at ``starts_at``.

    Run it in a write session: the check that the slot is still free and the insert are
    one transaction, so of two counters booking the last slot one gets ``SlotTaken``."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    starts_at = _aware(starts_at, "starts_at")
    errors = []
    service = session.get(ServiceType, service_type_id)
    if service is None or not service.active:
        errors.append(ValidationError("service_type_id", "choose a service"))
    if source not in SOURCES:
        errors.append(ValidationError("source", "is not a known source"))
    if len(notes or "") > 500:
        errors.append(ValidationError("notes", "must be at most {n} characters", n=500))
    clean_name = _customer_or_name(session, customer_id, name, errors)
    if errors:
        raise ValidationErrors(errors)
    if service.duration_min + service.buffer_min > MAX_APPOINTMENT_MIN:
        raise ValidationError("service_type_id", "is longer than a bookable appointment")
    spec = ServiceSpec(service.duration_min, service.buffer_min, service.required_skill)
    slot = _pick(session, actor.store_id, spec, starts_at, technician_id, now, notice=True)
    appt = Appointment(store_id=actor.store_id, customer_id=customer_id, walk_in_name=clean_name,
                       service_type_id=service.id, technician_id=slot.technician_id, starts_at=slot.starts_at,
                       ends_at=slot.blocked_until, status="booked", source=source, notes=(notes or "").strip())
    _insert(session, appt, lambda: _next_slots(session, actor.store_id, spec, starts_at, now, technician_id))
    audit.record(session, actor, "appointment.book", "appointment", appt.id, detail=service.code)
    return _one(session, actor.store_id, appt.id)


def _appointment(session: Session, actor: Actor, appointment_id: uuid.UUID) -> Appointment:
    a = session.get(Appointment, appointment_id)
    if a is None or a.store_id != actor.store_id:
        raise NotFound("appointment")
    return a


def _refuse_status(a: Appointment, allowed: Sequence[str]) -> None:
    if a.status not in allowed:
        raise ValidationError("status", "not possible for an appointment that is {status}", status=a.status)


def reschedule(session: Session, actor: Actor, appointment_id: uuid.UUID, starts_at: datetime,
               technician_id: uuid.UUID | None = None, *, keep_technician: bool = True,
               now: datetime | None = None) -> DayAppointment:
    """Move an appointment to ``starts_at``, with ``technician_id`` or, if None, its own
    technician (``keep_technician``) or the least-loaded free one. Same rules as booking;
    a checked-in customer is already here, so no minimum notice applies to them."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    starts_at = _aware(starts_at, "starts_at")
    a = _appointment(session, actor, appointment_id)
    _refuse_status(a, ("booked", "checked_in"))
    service = _service(session, a.service_type_id)
    spec = ServiceSpec(service.duration_min, service.buffer_min, service.required_skill)
    if technician_id is None and keep_technician:
        technician_id = a.technician_id
    slot = _pick(session, actor.store_id, spec, starts_at, technician_id, now, notice=a.status == "booked",
                 exclude_appointment=a.id)
    moved_tech = slot.technician_id != a.technician_id
    a.starts_at, a.ends_at, a.technician_id = slot.starts_at, slot.blocked_until, slot.technician_id
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        if "overlaps" not in str(exc.orig):
            raise
        raise SlotTaken(_next_slots(session, actor.store_id, spec, starts_at, now, technician_id,
                                    exclude_appointment=appointment_id)) from None
    audit.record(session, actor, "appointment.reschedule", "appointment", a.id,
                 detail="technician" if moved_tech else "time")
    return _one(session, actor.store_id, a.id)


def cancel(session: Session, actor: Actor, appointment_id: uuid.UUID, reason: str = "") -> DayAppointment:
    require(actor, Perm.BOOK_APPOINTMENTS)
    a = _appointment(session, actor, appointment_id)
    _refuse_status(a, ("booked", "checked_in"))
    a.status = "cancelled"
    if reason:
        a.notes = (f"{a.notes}\n{reason.strip()}" if a.notes else reason.strip())[:500]
    audit.record(session, actor, "appointment.cancel", "appointment", a.id)
    return _one(session, actor.store_id, a.id)


def check_in(session: Session, actor: Actor, appointment_id: uuid.UUID, now: datetime | None = None) -> CheckIn:
    """The booked customer has arrived. A repair appointment returns ``needs_intake`` so
    the counter goes straight on to repair intake."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    a = _appointment(session, actor, appointment_id)
    _refuse_status(a, ("booked",))
    a.status = "checked_in"
    a.checked_in_at = now or utcnow()
    service = _service(session, a.service_type_id)
    audit.record(session, actor, "appointment.check_in", "appointment", a.id)
    return CheckIn(_one(session, actor.store_id, a.id), needs_intake=bool(service.is_repair))


def start_service(session: Session, actor: Actor, appointment_id: uuid.UUID,
                  now: datetime | None = None) -> DayAppointment:
    require(actor, Perm.BOOK_APPOINTMENTS)
    a = _appointment(session, actor, appointment_id)
    _refuse_status(a, ("checked_in",))
    a.status = "in_service"
    a.started_at = now or utcnow()
    audit.record(session, actor, "appointment.start", "appointment", a.id)
    return _one(session, actor.store_id, a.id)


def complete(session: Session, actor: Actor, appointment_id: uuid.UUID, now: datetime | None = None) -> DayAppointment:
    """Done. Finished early, the rest of the booked time is free again."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    a = _appointment(session, actor, appointment_id)
    _refuse_status(a, ("checked_in", "in_service"))
    if a.started_at is None:
        a.started_at = min(now, max(a.checked_in_at or now, a.starts_at))
    a.status = "completed"
    # finished early: free the rest, from the whole minute (the next customer starts on it)
    end = max(now.replace(second=0, microsecond=0), a.starts_at + timedelta(minutes=1))
    if end < a.ends_at:
        a.ends_at = end
    audit.record(session, actor, "appointment.complete", "appointment", a.id)
    return _one(session, actor.store_id, a.id)


def mark_no_show(session: Session, actor: Actor, appointment_id: uuid.UUID,
                 now: datetime | None = None) -> DayAppointment:
    """The customer did not come. Only once the manager-set grace period after the start
    has passed; the technician's time is free again."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    a = _appointment(session, actor, appointment_id)
    _refuse_status(a, ("booked",))
    grace = appointment_settings(session, actor).no_show_grace_min
    if now < a.starts_at + timedelta(minutes=grace):
        raise ValidationError("status", "a no-show can be marked {n} minutes after the start", n=grace)
    a.status = "no_show"
    audit.record(session, actor, "appointment.no_show", "appointment", a.id)
    return _one(session, actor.store_id, a.id)


def list_day(session: Session, actor: Actor, day: date) -> list[AppointmentRow]:
    require(actor, Perm.BOOK_APPOINTMENTS)
    start, end = store_day_bounds(session, actor, day)
    tech = aliased(Staff)
    q = (select(Appointment, Customer, ServiceType.name, tech.display_name)
         .join(ServiceType, ServiceType.id == Appointment.service_type_id)
         .outerjoin(Customer, Customer.id == Appointment.customer_id)
         .outerjoin(tech, tech.id == Appointment.technician_id)
         .where(Appointment.store_id == actor.store_id, Appointment.starts_at >= start,
                Appointment.starts_at < end)
         .order_by(Appointment.starts_at))
    return [AppointmentRow(a.id, a.starts_at, a.ends_at,
                           c.display_name if c is not None else (a.walk_in_name or ""), service, tname or "",
                           a.status, a.source)
            for a, c, service, tname in session.execute(q)]


# =========================================================================================
# The walk-in queue
# =========================================================================================

def _walk_in(session: Session, actor: Actor, walk_in_id: uuid.UUID) -> WalkIn:
    w = session.get(WalkIn, walk_in_id)
    if w is None or w.store_id != actor.store_id:
        raise NotFound("walk-in")
    return w


def _today_schedules(session: Session, store_id: uuid.UUID, now: datetime) -> tuple[_Loaded, date]:
    today = _local_today(session, store_id, now)
    return _load(session, store_id, [today]), today


def _queue(session: Session, store_id: uuid.UUID, now: datetime, data: _Loaded | None = None,
           today: date | None = None) -> list[QueueEntry]:
    """The waiting walk-ins in order of arrival, each with an estimate: a walk-through of
    the queue handing each person the first qualified technician free long enough
    (honouring bookings, breaks and those ahead of them)."""
    if data is None or today is None:
        data, today = _today_schedules(session, store_id, now)
    tech = aliased(Staff)
    q = (select(WalkIn, ServiceType, Customer, tech.display_name)
         .join(ServiceType, ServiceType.id == WalkIn.service_type_id)
         .outerjoin(Customer, Customer.id == WalkIn.customer_id)
         .outerjoin(tech, tech.id == WalkIn.technician_id)
         .where(WalkIn.store_id == store_id, WalkIn.status == "waiting")
         .order_by(WalkIn.arrived_at, WalkIn.id))
    opening = opening_interval(data.tz, today, data.opening_hours)
    close = opening[1] if opening else _dt(_local_ts(data.tz, today, 1440))
    taken: dict[uuid.UUID, list[tuple[int, int]]] = {}
    out = []
    for pos, (w, st, c, tname) in enumerate(session.execute(q), start=1):
        spec = ServiceSpec(st.duration_min, st.buffer_min, st.required_skill)
        slot = earliest_start(data.schedules, spec, now=now, technician_id=w.technician_id, extra_busy=taken,
                              until=close)
        if slot is not None:
            taken.setdefault(slot.technician_id, []).append((_ts(slot.starts_at), _ts(slot.blocked_until)))
        wait = None if slot is None else max(0, int((slot.starts_at - now).total_seconds() // 60))
        out.append(QueueEntry(w.id, pos, _customer_name(c, w.name), w.customer_id, st.id, st.name,
                              w.technician_id, tname or "", w.arrived_at,
                              max(0, int((now - w.arrived_at).total_seconds() // 60)), wait,
                              slot.technician if slot else "", w.note))
    return out


def walk_in_queue(session: Session, actor: Actor, now: datetime | None = None) -> list[QueueEntry]:
    require(actor, Perm.BOOK_APPOINTMENTS)
    return _queue(session, actor.store_id, now or utcnow())


def add_walk_in(session: Session, actor: Actor, *, service_type_id: uuid.UUID, customer_id: uuid.UUID | None = None,
                name: str | None = None, technician_id: uuid.UUID | None = None, note: str = "",
                now: datetime | None = None) -> QueueEntry:
    """Someone at the counter without a booking joins the queue: a known customer, or
    just a name. Returns their place with the estimated wait."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    errors = []
    service = session.get(ServiceType, service_type_id)
    if service is None or not service.active:
        errors.append(ValidationError("service_type_id", "choose a service"))
    clean_name = _customer_or_name(session, customer_id, name, errors)
    if len(note or "") > 200:
        errors.append(ValidationError("note", "must be at most {n} characters", n=200))
    if errors:
        raise ValidationErrors(errors)
    if technician_id is not None:
        _check_technician(session, actor, technician_id, service)
    w = WalkIn(store_id=actor.store_id, customer_id=customer_id, name=clean_name, service_type_id=service.id,
               technician_id=technician_id, status="waiting", arrived_at=now, note=(note or "").strip())
    session.add(w)
    session.flush()
    audit.record(session, actor, "walk_in.add", "walk_in", w.id, detail=service.code)
    return next(e for e in _queue(session, actor.store_id, now) if e.id == w.id)


def _check_technician(session: Session, actor: Actor, technician_id: uuid.UUID, service: ServiceType) -> Staff:
    s = session.get(Staff, technician_id)
    if s is None or s.store_id != actor.store_id or not s.active:
        raise NotFound("technician")
    if service.required_skill and service.required_skill not in (s.skills or ()):
        raise ValidationError("technician_id", "does not have the skill this service needs")
    return s


def assign_walk_in(session: Session, actor: Actor, walk_in_id: uuid.UUID,
                   technician_id: uuid.UUID | None, now: datetime | None = None) -> QueueEntry:
    """Move a waiting walk-in to a technician (None: back to whoever is free first)."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    w = _walk_in(session, actor, walk_in_id)
    if w.status != "waiting":
        raise ValidationError("status", "this walk-in is no longer waiting")
    if technician_id is not None:
        _check_technician(session, actor, technician_id, _service(session, w.service_type_id))
    w.technician_id = technician_id
    session.flush()
    audit.record(session, actor, "walk_in.assign", "walk_in", w.id)
    return next(e for e in _queue(session, actor.store_id, now) if e.id == w.id)


def remove_walk_in(session: Session, actor: Actor, walk_in_id: uuid.UUID) -> None:
    """They left without being served."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    w = _walk_in(session, actor, walk_in_id)
    if w.status != "waiting":
        raise ValidationError("status", "this walk-in is no longer waiting")
    w.status = "left"
    audit.record(session, actor, "walk_in.left", "walk_in", w.id)


def _serve(session: Session, actor: Actor, w: WalkIn, technician_id: uuid.UUID | None, now: datetime,
           data: _Loaded) -> Called | None:
    service = _service(session, w.service_type_id)
    spec = ServiceSpec(service.duration_min, service.buffer_min, service.required_skill)
    start = now.replace(second=0, microsecond=0)
    wanted = technician_id or w.technician_id
    # free right now, long enough for the whole service and its buffer
    slot = earliest_start(data.schedules, spec, now=start, technician_id=wanted, until=start)
    if slot is None:
        return None
    appt = Appointment(store_id=actor.store_id, customer_id=w.customer_id, walk_in_name=w.name,
                       service_type_id=service.id, technician_id=slot.technician_id, starts_at=slot.starts_at,
                       ends_at=slot.blocked_until, status="in_service", source="walk_in",
                       checked_in_at=w.arrived_at, started_at=now, notes=w.note)
    _insert(session, appt, lambda: [])
    w.status, w.called_at, w.appointment_id, w.technician_id = "called", now, appt.id, slot.technician_id
    session.flush()
    audit.record(session, actor, "walk_in.call", "walk_in", w.id, detail=service.code)
    return Called(w.id, _one(session, actor.store_id, appt.id), needs_intake=bool(service.is_repair))


def call_next(session: Session, actor: Actor, technician_id: uuid.UUID | None = None,
              now: datetime | None = None) -> Called:
    """Serve the first walk-in in line whom a free technician (``technician_id`` if
    given) can take now; someone further back is called only when those ahead need a
    skill or a technician that is not free."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    waiting = list(session.scalars(select(WalkIn).where(WalkIn.store_id == actor.store_id,
                                                        WalkIn.status == "waiting")
                                   .order_by(WalkIn.arrived_at, WalkIn.id)))
    if not waiting:
        raise Conflict("nobody is waiting")
    data, _ = _today_schedules(session, actor.store_id, now)
    for w in waiting:
        if technician_id is not None and w.technician_id not in (None, technician_id):
            continue
        if technician_id is not None:
            service = _service(session, w.service_type_id)
            tech = session.get(Staff, technician_id)
            if tech is None or (service.required_skill and service.required_skill not in (tech.skills or ())):
                continue
        called = _serve(session, actor, w, technician_id, now, data)
        if called is not None:
            return called
    raise Conflict("no qualified technician is free for this service now")


# =========================================================================================
# The day: calendar, counter list, queue and numbers in one read
# =========================================================================================

def _numbers(session: Session, store_id: uuid.UUID, appts: Sequence[DayAppointment], start: datetime,
             end: datetime, queue_len: int) -> DayNumbers:
    booked = [a for a in appts if a.source != "walk_in" and a.status != "cancelled"]
    checked_in = [a for a in booked if a.checked_in_at is not None]
    waiting = queue_len + sum(1 for a in appts if a.status == "checked_in")
    waits = []
    for a in booked:
        if a.started_at is not None and a.checked_in_at is not None:
            waits.append((a.started_at - max(a.checked_in_at, a.starts_at)).total_seconds())
    for arrived, called in session.execute(
            select(WalkIn.arrived_at, WalkIn.called_at).where(
                WalkIn.store_id == store_id, WalkIn.status == "called", WalkIn.called_at >= start,
                WalkIn.called_at < end)):
        waits.append((called - arrived).total_seconds())
    avg = round(sum(max(0.0, w) for w in waits) / len(waits) / 60) if waits else None
    return DayNumbers(len(booked), len(checked_in), waiting, avg)


def day_plan(session: Session, actor: Actor, day: date, now: datetime | None = None) -> DayPlan:
    """What the appointments screen shows for a local day: each technician on the rota
    with their work and breaks, the day's appointments, the walk-in queue (today only)
    and today's numbers."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    now = now or utcnow()
    data = _load(session, actor.store_id, [day])
    start, end = store_day_bounds(session, actor, day)
    appts = _day_appointments(session, actor.store_id, start=start, end=end,
                              grace_min=data.settings.no_show_grace_min)
    with_appts = {a.technician_id for a in appts if a.status != "cancelled"}
    techs = []
    away = {(s.staff_id, s.starts_at, s.ends_at) for s in data.shifts if s.kind == "absence"}
    for sch in data.schedules:
        work = tuple((a, b) for a, b in sch.work if a < end and b > start)
        breaks = tuple((a, b) for a, b in sch.breaks if a < end and b > start and (sch.id, a, b) not in away)
        absences = tuple((a, b) for a, b in sch.breaks if a < end and b > start and (sch.id, a, b) in away)
        if work or sch.id in with_appts:
            techs.append(DayTechnician(sch.id, sch.name, tuple(sorted(sch.skills)), work, breaks, absences))
    is_today = now.astimezone(ZoneInfo(data.tz)).date() == day
    queue = _queue(session, actor.store_id, now, data, day) if is_today else []
    opening = opening_interval(data.tz, day, data.opening_hours)
    return DayPlan(day, data.tz, now, opening[0] if opening else None, opening[1] if opening else None,
                   tuple(techs), tuple(appts), tuple(queue),
                   _numbers(session, actor.store_id, appts, start, end, len(queue)), data.settings)


# =========================================================================================
# The rota: week templates and exceptions
# =========================================================================================

def _rota_staff(session: Session, actor: Actor, staff_id: uuid.UUID) -> Staff:
    s = session.get(Staff, staff_id)
    if s is None or s.store_id != actor.store_id:
        raise NotFound("staff member")
    return s


def week_template(session: Session, actor: Actor, staff_id: uuid.UUID) -> list[TemplateView]:
    require(actor, Perm.BOOK_APPOINTMENTS)
    _rota_staff(session, actor, staff_id)
    q = (select(ShiftTemplate).where(ShiftTemplate.staff_id == staff_id)
         .order_by(ShiftTemplate.weekday, ShiftTemplate.start_minute))
    return [TemplateView(t.weekday, t.kind, t.start_minute, t.end_minute) for t in session.scalars(q)]


def _check_template(rows: Sequence[TemplateView]) -> list[ValidationError]:
    errors = []
    by_day: dict[int, list[TemplateView]] = {}
    for r in rows:
        if not 0 <= r.weekday <= 6 or r.kind not in ("work", "break"):
            errors.append(ValidationError(f"{r.weekday}", "is not a day of the week or a kind of shift"))
            continue
        if not (0 <= r.start_minute < r.end_minute <= 1440):
            errors.append(ValidationError(f"{WEEKDAYS[r.weekday]}", "the end must come after the start"))
            continue
        by_day.setdefault(r.weekday, []).append(r)
    for wd, day_rows in by_day.items():
        work = sorted((r.start_minute, r.end_minute) for r in day_rows if r.kind == "work")
        if any(b[0] < a[1] for a, b in zip(work, work[1:])):
            errors.append(ValidationError(WEEKDAYS[wd], "work stretches overlap"))
        for r in day_rows:
            if r.kind == "break" and not any(a <= r.start_minute and r.end_minute <= b for a, b in work):
                errors.append(ValidationError(WEEKDAYS[wd], "a break must lie within the working hours"))
    return errors


def set_week_template(session: Session, actor: Actor, staff_id: uuid.UUID,
                      rows: Sequence[TemplateView]) -> list[TemplateView]:
    """Replace a technician's usual week."""
    require(actor, Perm.MANAGE_ROTA)
    _rota_staff(session, actor, staff_id)
    rows = [TemplateView(int(r.weekday), r.kind, int(r.start_minute), int(r.end_minute)) for r in rows]
    errors = _check_template(rows)
    if errors:
        raise ValidationErrors(errors)
    for old in session.scalars(select(ShiftTemplate).where(ShiftTemplate.staff_id == staff_id)):
        session.delete(old)
    session.flush()
    for r in rows:
        session.add(ShiftTemplate(store_id=actor.store_id, staff_id=staff_id, weekday=r.weekday, kind=r.kind,
                                  start_minute=r.start_minute, end_minute=r.end_minute))
    session.flush()
    audit.record(session, actor, "rota.template", "staff", staff_id, detail=f"rows={len(rows)}")
    return week_template(session, actor, staff_id)


def list_exceptions(session: Session, actor: Actor, staff_id: uuid.UUID | None, first_day: date,
                    last_day: date) -> list[ShiftView]:
    """Explicit shifts (changed or extra work, breaks, absences) between two local days."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    start, _ = store_day_bounds(session, actor, first_day)
    _, end = store_day_bounds(session, actor, last_day)
    q = (select(Shift).where(Shift.store_id == actor.store_id, Shift.starts_at < end, Shift.ends_at > start)
         .order_by(Shift.starts_at))
    if staff_id is not None:
        q = q.where(Shift.staff_id == staff_id)
    return [ShiftView(s.id, s.staff_id, s.kind, s.starts_at, s.ends_at, s.note) for s in session.scalars(q)]


def add_exception(session: Session, actor: Actor, staff_id: uuid.UUID, day: date, kind: str,
                  start_minute: int | None = None, end_minute: int | None = None, note: str = "") -> ShiftView:
    """An exception to the week on one local day: ``absence`` (a sick day or training;
    no times means the whole day), ``work`` (this day's hours instead of the template's),
    or an extra ``break``. Booked appointments are not moved: the day view shows them
    over the absence for the counter to rebook."""
    require(actor, Perm.MANAGE_ROTA)
    _rota_staff(session, actor, staff_id)
    if kind not in ("work", "break", "absence"):
        raise ValidationError("kind", "is not a kind of shift")
    if start_minute is None and end_minute is None:
        if kind != "absence":
            raise ValidationError("start_minute", "required")
        start_minute, end_minute = 0, 1440
    if start_minute is None or end_minute is None or not 0 <= start_minute < end_minute <= 1440:
        raise ValidationError("end_minute", "the end must come after the start")
    if len(note or "") > 200:
        raise ValidationError("note", "must be at most {n} characters", n=200)
    tz = _store(session, actor.store_id).timezone
    s = Shift(store_id=actor.store_id, staff_id=staff_id, kind=kind, starts_at=local_instant(tz, day, start_minute),
              ends_at=local_instant(tz, day, end_minute), note=(note or "").strip())
    session.add(s)
    session.flush()
    audit.record(session, actor, "rota.exception", "staff", staff_id, detail=kind)
    return ShiftView(s.id, s.staff_id, s.kind, s.starts_at, s.ends_at, s.note)


def remove_exception(session: Session, actor: Actor, shift_id: uuid.UUID) -> None:
    require(actor, Perm.MANAGE_ROTA)
    s = session.get(Shift, shift_id)
    if s is None or s.store_id != actor.store_id:
        raise NotFound("shift")
    session.delete(s)
    audit.record(session, actor, "rota.exception_removed", "staff", s.staff_id, detail=s.kind)
