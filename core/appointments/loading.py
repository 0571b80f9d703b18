"""Loading engine input: the rota (week templates plus exceptions), the appointments and the
store's settings for a range of local days, read and turned into slot-engine input; and the
store's local day."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Sequence, cast
from zoneinfo import ZoneInfo

from sqlalchemy import SQLColumnExpression, String, func, select, type_coerce
from sqlalchemy.orm import QueryableAttribute, Session

from core.appointments._common import LIVE_STATUSES, MAX_APPOINTMENT_MIN, _settings_from, _store
from core.appointments.results import AppointmentSettings
from core.appointments.slots import (
    UTC, Interval, ShiftRow, TechSchedule, Technician, TemplateRow, _dt, _local_ts, _plan, _ts,
)
from core.models import Appointment, Shift, Staff, Store
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


# stored UTC text -> epoch seconds and datetime; a week's appointments use a few hundred
# distinct times, and a plain dict look-up is the cheapest way to read thousands of them
_TEXT_TS: dict[str, int] = {}
_TEXT_DT: dict[str, datetime] = {}


def _read_times(texts: list[str]) -> list[int]:
    try:
        return list(map(_TEXT_TS.__getitem__, texts))
    except KeyError:
        if len(_TEXT_TS) > 50_000:
            _TEXT_TS.clear()
            _TEXT_DT.clear()
        for t in texts:
            if t not in _TEXT_TS:
                dt = datetime.fromisoformat(t).replace(tzinfo=UTC)
                _TEXT_TS[t], _TEXT_DT[t] = int(dt.timestamp()), dt
        return list(map(_TEXT_TS.__getitem__, texts))


def _utc(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else _parse_utc(value)


def _load(session: Session, store_id: uuid.UUID, days: Sequence[date], *,
          exclude_appointment: uuid.UUID | None = None) -> _Loaded:
    """Everything the engine needs for ``days``, read with plain column queries.

    The slot search must stay fast on a busy week (a thousand appointments), so on SQLite
    the id and time columns are read as the stored text (hex ids, ISO times in UTC) and
    parsed here, skipping the per-value type processing that would otherwise cost most of
    the search."""
    store = session.execute(select(Store.timezone, Store.opening_hours, Store.settings)
                            .where(Store.id == store_id)).first()
    if store is None:
        raise NotFound("store")
    tz = store.timezone
    days = sorted(set(days))
    day_start, day_end = _dt(_local_ts(tz, days[0], 0)), _dt(_local_ts(tz, days[-1], 1440))
    raw = session.get_bind().dialect.name == "sqlite"

    conn = session.connection()       # Core rows: no ORM loading machinery per row

    def text(col: QueryableAttribute[Any]) -> SQLColumnExpression[Any]:
        return type_coerce(col, String) if raw else col

    techs = []
    for sid, name, role, skills in conn.execute(
            select(Staff.id, Staff.display_name, Staff.role, Staff.skills)
            .where(Staff.store_id == store_id, Staff.active.is_(True)).order_by(Staff.display_name)).all():
        if role == Role.TECHNICIAN.value or skills:
            techs.append(Technician(sid, name, frozenset(skills or ())))
    by_key = {(t.id.hex if raw else t.id): t.id for t in techs}
    templates = [TemplateRow(by_key[sid], wd, kind, a, b) for sid, wd, kind, a, b in conn.execute(
        select(text(ShiftTemplate.staff_id), ShiftTemplate.weekday, ShiftTemplate.kind, ShiftTemplate.start_minute,
               ShiftTemplate.end_minute).where(ShiftTemplate.store_id == store_id)).all() if sid in by_key]
    lo = day_start - timedelta(days=1)
    shifts = [ShiftRow(by_key[sid], kind, _utc(a), _utc(b)) for sid, kind, a, b in conn.execute(
        select(text(Shift.staff_id), Shift.kind, text(Shift.starts_at), text(Shift.ends_at))
        .where(Shift.store_id == store_id, Shift.starts_at < day_end, Shift.ends_at > lo)).all() if sid in by_key]
    # an appointment is at most MAX_APPOINTMENT_MIN long: one starting that much before
    # the first day is the earliest that can reach into it
    live = [Appointment.store_id == store_id,
            Appointment.starts_at >= day_start - timedelta(minutes=MAX_APPOINTMENT_MIN),
            Appointment.starts_at < day_end, Appointment.technician_id.is_not(None),
            Appointment.status.in_(LIVE_STATUSES)]
    if exclude_appointment is not None:
        live.append(Appointment.id != exclude_appointment)
    by_booked: dict[uuid.UUID, list[Interval]] = {}
    booked_ts: dict[uuid.UUID, list[tuple[int, int]]] = {}
    if raw:
        # one row per technician ("start,end,start,end,..."): a busy week is thousands of
        # appointments, and a result row for each costs more than the search itself. Read
        # through the (technician, start) index, one range per technician, the rows come
        # grouped already (no sort for the GROUP BY); the store condition is kept off the
        # index on purpose (``|| ''``) so that SQLite does not pick the store's time index,
        # whose rows it would then have to sort into groups
        q = (select(text(Appointment.technician_id),
                    func.group_concat(text(Appointment.starts_at) + "," + text(Appointment.ends_at), ","))
             .where(text(Appointment.technician_id).in_(list(by_key)), text(Appointment.store_id) + "" == store_id.hex,
                    *live[1:])
             .group_by(Appointment.technician_id))
        for tid, joined in (conn.execute(q).all() if by_key else ()):
            if tid in by_key and joined:
                texts = joined.split(",")
                ts = _read_times(texts)
                dts = list(map(_TEXT_DT.__getitem__, texts))
                by_booked[by_key[tid]] = list(zip(dts[0::2], dts[1::2]))
                booked_ts[by_key[tid]] = list(zip(ts[0::2], ts[1::2]))
    else:
        for tid, a, b in conn.execute(select(Appointment.technician_id, Appointment.starts_at,
                                             Appointment.ends_at).where(*live)):
            # ``live`` keeps only appointments with a technician
            by_booked.setdefault(cast(uuid.UUID, tid), []).append((a, b))
            booked_ts.setdefault(cast(uuid.UUID, tid), []).append((_ts(a), _ts(b)))
    schedules = _plan(techs, templates, shifts, by_booked, days, tz, booked_ts)
    return _Loaded(tz, dict(store.opening_hours or {}), _settings_from(store.settings), techs, schedules, shifts)
