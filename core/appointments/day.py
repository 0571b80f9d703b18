"""The day: calendar, counter list, walk-in queue and the day's numbers in one read, for
the appointments screen."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Sequence, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.appointments._common import _day_appointments
from core.appointments.loading import _load, store_day_bounds
from core.appointments.results import DayAppointment, DayNumbers, DayPlan, DayTechnician
from core.appointments.slots import opening_interval
from core.appointments.walk_ins import _queue
from core.models.base import utcnow
from core.models.service import WalkIn
from core.permissions import Actor, Perm, require
from core.validation import check_date


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
        # ``called_at >= start`` leaves out rows never called
        waits.append((cast(datetime, called) - arrived).total_seconds())
    avg = round(sum(max(0.0, w) for w in waits) / len(waits) / 60) if waits else None
    return DayNumbers(len(booked), len(checked_in), waiting, avg)


def day_plan(session: Session, actor: Actor, day: date, now: datetime | None = None) -> DayPlan:
    """What the appointments screen shows for a local day: each technician on the rota
    with their work and breaks, the day's appointments, the walk-in queue (today only)
    and today's numbers."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    check_date(day, field="day")
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
