"""Loading engine input: the rota (week templates plus exceptions), the appointments and the
store's settings for a range of local days, read and turned into slot-engine input; and the
store's local day."""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Sequence, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.appointments._common import LIVE_STATUSES, MAX_APPOINTMENT_MIN, _settings_from, _store
from core.appointments.results import AppointmentSettings
from core.appointments.slots import (
    _TIMELINES, UTC, Interval, ServiceSpec, ShiftRow, TechSchedule, Technician, TemplateRow, _dt, _local_ts, _plan,
    _plan_grouped, _ts,
)
from core.models import Appointment, ServiceType, Shift, Staff, Store
from core.models.base import utcnow
from core.models.store import ShiftTemplate
from core.errors import NotFound
from core.permissions import Actor, Perm, Role, require
from core.validation import check_date


def store_day_bounds(session: Session, actor: Actor, day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which the store's local day starts and ends (DST-aware)."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    check_date(day, field="day")     # year 9999 has no next day: an answer, not OverflowError
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
    opening_hours: dict[str, list[str]]
    settings: AppointmentSettings
    technicians: list[Technician]
    schedules: list[TechSchedule] = field(default_factory=list)
    shifts: list[ShiftRow] = field(default_factory=list)


@functools.lru_cache(maxsize=16384)
def _parse_utc(text: str) -> datetime:
    # appointments start and end on a few hundred distinct grid times a week: parse each once
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Parsed forms of what the week's reads return, keyed by the stored text itself (so never
# stale: changed rows are different text). A busy week is thousands of appointments on a
# few hundred distinct times, and a technician's templates and booked week stay the same
# from one search to the next (the booking dialog searches again for each service,
# technician and week it is shown): each is parsed once, then read with a dict look-up.
_TEXT_TS: dict[str, int] = {}                       # stored UTC time -> epoch seconds
_TEXT_DT: dict[str, datetime] = {}                  # stored UTC time -> datetime
_Week = tuple[tuple[Interval, ...], tuple[tuple[int, int], ...]]
_BOOKED: dict[tuple[str, str], _Week] = {}          # a technician's booked week
_TEMPLATES: dict[str, dict[int, tuple[tuple[str, int, int], ...]]] = {}   # a technician's template
_STAFF: dict[tuple[str, str, str, str | None], Technician | None] = {}    # a staff row


def _room(cache: dict[Any, Any], limit: int) -> None:
    if len(cache) >= limit:
        cache.clear()


def _forget_parsed() -> None:
    """Drop every parsed form kept between searches (benchmarks and tests: a cold search)."""
    for cache in (_TEXT_TS, _TEXT_DT, _BOOKED, _TEMPLATES, _STAFF, _TIMELINES):
        cache.clear()
    _parse_utc.cache_clear()


def _read_times(texts: list[str]) -> tuple[list[int], list[datetime]]:
    """Stored UTC times as epoch seconds and as datetimes."""
    try:
        return list(map(_TEXT_TS.__getitem__, texts)), list(map(_TEXT_DT.__getitem__, texts))
    except KeyError:
        pass
    _room(_TEXT_TS, 50_000)
    _room(_TEXT_DT, 50_000)
    tss, dts = [], []                 # built here, not read back: another thread may clear
    for t in texts:
        ts, dt = _TEXT_TS.get(t), _TEXT_DT.get(t)
        if ts is None or dt is None:
            dt = datetime.fromisoformat(t).replace(tzinfo=UTC)
            ts = _TEXT_TS[t] = int(dt.timestamp())
            _TEXT_DT[t] = dt
        tss.append(ts)
        dts.append(dt)
    return tss, dts


def _booked(starts: str, ends: str) -> _Week:
    """A technician's booked stretches (their starts and their ends, each joined with ",")
    as datetimes and as epoch seconds, each sorted."""
    try:
        return _BOOKED[starts, ends]
    except KeyError:
        pass
    (a_ts, a_dt), (b_ts, b_dt) = _read_times(starts.split(",")), _read_times(ends.split(","))
    read = tuple(sorted(zip(a_dt, b_dt))), tuple(sorted(zip(a_ts, b_ts)))
    _room(_BOOKED, 256)       # a busy technician's week is some 12 kB, text and parsed
    _BOOKED[starts, ends] = read
    return read


def _template(joined: str) -> dict[int, tuple[tuple[str, int, int], ...]]:
    """A technician's template rows ("weekday,start,end,kind;...") by weekday, as (kind,
    start minute, end minute), only those that end after they start."""
    try:
        return _TEMPLATES[joined]
    except KeyError:
        pass
    by_day: dict[int, list[tuple[str, int, int]]] = {}
    for row in joined.split(";"):
        wd, a, b, kind = row.split(",", 3)
        if int(b) > int(a):
            by_day.setdefault(int(wd), []).append((kind, int(a), int(b)))
    _room(_TEMPLATES, 2_000)
    read = _TEMPLATES[joined] = {wd: tuple(rows) for wd, rows in by_day.items()}
    return read


def _technician(row: tuple[str, str, str, str | None]) -> Technician | None:
    """A staff row (hex id, name, role, skills as JSON) as a technician: one with the
    technician role or any skill; None for anyone else."""
    try:
        return _STAFF[row]
    except KeyError:
        pass
    key, name, role, skills = row
    skill_list = json.loads(skills) if skills else None
    tech = Technician(uuid.UUID(key), name, frozenset(skill_list or ())) if role == _TECHNICIAN or skill_list else None
    _room(_STAFF, 10_000)
    _STAFF[row] = tech
    return tech


def _utc(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else _parse_utc(value)


def _stored(value: datetime) -> str:
    """An instant as SQLAlchemy stores a UTC datetime in SQLite (naive, microseconds), so
    that text comparisons in SQL order it among the stored values."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


# The reads on SQLite, as plain SQL on the session's connection: a search runs six short
# statements, and building, caching and compiling them as SQLAlchemy expressions (and
# type-processing every value) cost several times what SQLite takes to answer them.
# Ids are stored as 32 hex digits, times as UTC text (``_stored``), JSON as text.
_SQL_STORE = "SELECT timezone, opening_hours, settings FROM store WHERE id = ?"
_SQL_SERVICE = "SELECT duration_min, buffer_min, required_skill FROM service_type WHERE id = ?"
_SQL_STAFF = ("SELECT id, display_name, role, skills FROM staff WHERE store_id = ? AND active IS 1"
              " ORDER BY display_name")
_SQL_TEMPLATES = ("SELECT staff_id, group_concat(weekday || ',' || start_minute || ',' || end_minute || ',' || kind,"
                  " ';') FROM shift_template WHERE store_id = ? AND weekday IN ({weekdays}) GROUP BY staff_id")
_SQL_SHIFTS = ("SELECT staff_id, kind, starts_at, ends_at FROM shift"
               " WHERE store_id = ? AND starts_at < ? AND ends_at > ?")
# One row per technician (templates likewise): a busy week is thousands of
# appointments, and a result row for each costs more than the search itself. Read through
# the (technician, start) index, one range per technician, the rows come grouped already
# (no sort for the GROUP BY); the store condition is kept off the index on purpose (unary
# ``+``) so that SQLite does not pick the store's time index, whose rows it would then
# have to sort into groups. Starts and ends are two lists (cheaper than joining each pair).
_SQL_BOOKED = ("SELECT technician_id, group_concat(starts_at, ','), group_concat(ends_at, ',') FROM appointment"
               " WHERE technician_id IN ({techs}) AND +store_id = ? AND starts_at >= ? AND starts_at < ?"
               " AND status IN (" + ", ".join(f"'{s}'" for s in LIVE_STATUSES) + "){exclude}"
               " GROUP BY technician_id")


def _service_spec(session: Session, service_type_id: uuid.UUID) -> ServiceSpec:
    """A service type's duration, buffer and skill (read like ``_load`` reads)."""
    if session.get_bind().dialect.name == "sqlite":
        if session.autoflush:
            session.flush()
        row = session.connection().exec_driver_sql(_SQL_SERVICE, (service_type_id.hex,)).first()
    else:
        row = session.execute(select(ServiceType.duration_min, ServiceType.buffer_min, ServiceType.required_skill)
                              .where(ServiceType.id == service_type_id)).first()
    if row is None:
        raise NotFound("service type")
    return ServiceSpec(row[0], row[1], row[2])


def _load(session: Session, store_id: uuid.UUID, days: Sequence[date], *,
          exclude_appointment: uuid.UUID | None = None,
          wanted: Callable[[Technician], bool] | None = None) -> _Loaded:
    """Everything the engine needs for ``days``: the store's settings, its technicians, their
    rota and what is booked (an appointment is at most MAX_APPOINTMENT_MIN long: one
    starting that much before the first day is the earliest that can reach into it).
    ``wanted``: only the technicians it accepts (a search for a service needing a skill
    reads nobody else's week)."""
    days = sorted(set(days))
    if session.get_bind().dialect.name != "sqlite":
        return _load_generic(session, store_id, days, exclude_appointment, wanted)
    if session.autoflush:
        session.flush()               # what a query through the session would do first
    conn = session.connection()
    store = conn.exec_driver_sql(_SQL_STORE, (store_id.hex,)).first()
    if store is None:
        raise NotFound("store")
    tz, hours, settings = store
    day_start, day_end = _dt(_local_ts(tz, days[0], 0)), _dt(_local_ts(tz, days[-1], 1440))
    techs = []
    by_key: dict[str, uuid.UUID] = {}
    for row in conn.exec_driver_sql(_SQL_STAFF, (store_id.hex,)).all():
        tech = _technician(tuple(row))
        if tech is not None and (wanted is None or wanted(tech)):
            techs.append(tech)
            by_key[row[0]] = tech.id
    weekdays = ", ".join(str(wd) for wd in sorted({d.weekday() for d in days}))
    by_tmpl = {by_key[key]: _template(joined) for key, joined in conn.exec_driver_sql(
        _SQL_TEMPLATES.format(weekdays=weekdays), (store_id.hex,)).all() if key in by_key and joined}
    shifts = [ShiftRow(by_key[key], kind, _parse_utc(a), _parse_utc(b)) for key, kind, a, b in conn.exec_driver_sql(
        _SQL_SHIFTS, (store_id.hex, _stored(day_end), _stored(day_start - timedelta(days=1)))).all() if key in by_key]
    by_booked: dict[uuid.UUID, Sequence[Interval]] = {}
    booked_ts: dict[uuid.UUID, Sequence[tuple[int, int]]] = {}
    if by_key:
        params: list[str] = [*by_key, store_id.hex, _stored(day_start - timedelta(minutes=MAX_APPOINTMENT_MIN)),
                             _stored(day_end)]
        if exclude_appointment is not None:
            params.append(exclude_appointment.hex)
        sql = _SQL_BOOKED.format(techs=", ".join("?" * len(by_key)),
                                 exclude="" if exclude_appointment is None else " AND id != ?")
        for key, starts, ends in conn.exec_driver_sql(sql, tuple(params)).all():
            if key in by_key and starts:
                by_booked[by_key[key]], booked_ts[by_key[key]] = _booked(starts, ends)
    schedules = _plan_grouped(techs, by_tmpl, shifts, by_booked, days, tz, booked_ts, booked_sorted=True)
    return _Loaded(tz, dict(_json(hours) or {}), _settings_from(_json(settings)), techs, schedules, shifts)


_TECHNICIAN = Role.TECHNICIAN.value


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None


def _load_generic(session: Session, store_id: uuid.UUID, days: list[date], exclude_appointment: uuid.UUID | None,
                  wanted: Callable[[Technician], bool] | None) -> _Loaded:
    """``_load`` on another database than SQLite, through SQLAlchemy's typed columns."""
    store = session.execute(select(Store.timezone, Store.opening_hours, Store.settings)
                            .where(Store.id == store_id)).first()
    if store is None:
        raise NotFound("store")
    tz = store.timezone
    day_start, day_end = _dt(_local_ts(tz, days[0], 0)), _dt(_local_ts(tz, days[-1], 1440))
    conn = session.connection()
    techs = [Technician(sid, name, frozenset(skills or ())) for sid, name, role, skills in conn.execute(
        select(Staff.id, Staff.display_name, Staff.role, Staff.skills)
        .where(Staff.store_id == store_id, Staff.active.is_(True)).order_by(Staff.display_name))
        if role == _TECHNICIAN or skills]
    techs = [t for t in techs if wanted is None or wanted(t)]
    ids = {t.id for t in techs}
    templates = [TemplateRow(sid, wd, kind, a, b) for sid, wd, kind, a, b in conn.execute(
        select(ShiftTemplate.staff_id, ShiftTemplate.weekday, ShiftTemplate.kind, ShiftTemplate.start_minute,
               ShiftTemplate.end_minute).where(ShiftTemplate.store_id == store_id)) if sid in ids]
    shifts = [ShiftRow(sid, kind, _utc(a), _utc(b)) for sid, kind, a, b in conn.execute(
        select(Shift.staff_id, Shift.kind, Shift.starts_at, Shift.ends_at)
        .where(Shift.store_id == store_id, Shift.starts_at < day_end, Shift.ends_at > day_start - timedelta(days=1)))
        if sid in ids]
    live = [Appointment.store_id == store_id,
            Appointment.starts_at >= day_start - timedelta(minutes=MAX_APPOINTMENT_MIN),
            Appointment.starts_at < day_end, Appointment.technician_id.is_not(None),
            Appointment.status.in_(LIVE_STATUSES)]
    if exclude_appointment is not None:
        live.append(Appointment.id != exclude_appointment)
    by_booked: dict[uuid.UUID, list[Interval]] = {}
    booked_ts: dict[uuid.UUID, list[tuple[int, int]]] = {}
    for tid, a, b in conn.execute(select(Appointment.technician_id, Appointment.starts_at,
                                         Appointment.ends_at).where(*live)):
        # ``live`` keeps only appointments with a technician
        by_booked.setdefault(cast(uuid.UUID, tid), []).append((a, b))
        booked_ts.setdefault(cast(uuid.UUID, tid), []).append((_ts(a), _ts(b)))
    schedules = _plan(techs, templates, shifts, by_booked, days, tz, booked_ts)
    return _Loaded(tz, dict(store.opening_hours or {}), _settings_from(store.settings), techs, schedules, shifts)
