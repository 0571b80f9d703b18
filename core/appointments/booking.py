"""Finding slots, booking, moving and cancelling, and a booked appointment's way through
the day (check-in, service, completion or no-show).

No double booking: booking and moving run inside a write session (``BEGIN IMMEDIATE``, so
two counters take turns), re-read the technician's day inside that transaction and raise
``SlotTaken`` carrying the next free slots when the time is gone. SQLite triggers
(migration 0006) refuse an overlapping live appointment from any other writer too.
"""

from __future__ import annotations

import functools
import uuid
from datetime import date, datetime, timedelta
from typing import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from core import audit, clock
from core.appointments._common import (
    MAX_APPOINTMENT_MIN, SEARCH_DAYS_MAX, SOURCES, _customer_or_name, _insert, _one, _service, _store,
)
from core.appointments.loading import _load, _service_spec, store_day_bounds
from core.appointments.reference import appointment_settings
from core.appointments.results import AppointmentRow, CheckIn, DayAppointment, SlotTaken
from core.appointments.slots import UTC, ServiceSpec, Slot, free_slots, qualified
from core.errors import NotFound, ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.messages import events as message_events
from core.models import Appointment, Customer, ServiceType, Staff
from core.models.base import utcnow
from core.permissions import Actor, Perm, require
from core.validation import check_date, normalize_free_text


def _check_days(first_day: date, days: int) -> list[date]:
    check_date(first_day, field="first_day")
    if not isinstance(days, int) or not 1 <= days <= SEARCH_DAYS_MAX:
        raise ValidationError("days", "must be between {low} and {high}", low=1, high=SEARCH_DAYS_MAX)
    return [first_day + timedelta(days=i) for i in range(days)]


def find_slots(session: Session, actor: Actor, service_type_id: uuid.UUID, first_day: date, *, days: int = 1,
               technician_id: uuid.UUID | None = None, each_technician: bool = False,
               now: datetime | None = None) -> list[Slot]:
    """Free slots for a service over ``days`` local days from ``first_day``."""
    require(actor, Perm.BOOK_APPOINTMENTS)
    spec = _service_spec(session, service_type_id)
    span = _check_days(first_day, days)
    data = _load(session, actor.store_id, span,      # only those who could take it: fewer weeks to read
                 wanted=lambda t: qualified(t, spec) and (technician_id is None or t.id == technician_id))
    return free_slots(data.schedules, spec, days=span, tz=data.tz, opening_hours=data.opening_hours,
                      now=now or utcnow(), min_notice_min=data.settings.min_notice_min,
                      step_min=data.settings.slot_step_min, technician_id=technician_id,
                      each_technician=each_technician)


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


def _aware(value: datetime, field_name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError(field_name, "must be a time with its time zone")
    check_date(value, field=field_name)
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
        slots = free_slots(data.schedules, spec, days=span, tz=data.tz, opening_hours=data.opening_hours, now=now,
                           min_notice_min=data.settings.min_notice_min, step_min=data.settings.slot_step_min,
                           technician_id=tech, not_before=after, limit=count)
        if slots:
            return slots
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
    search = functools.partial(
        free_slots, data.schedules, spec, days=[day], tz=data.tz, opening_hours=data.opening_hours, now=now,
        min_notice_min=notice_min, step_min=data.settings.slot_step_min, technician_id=technician_id,
        each_technician=True)
    slots = [s for s in search() if s.starts_at == starts_at]
    if slots:
        if technician_id is None:
            # least loaded that day among those free at this time
            best = search(each_technician=False)
            chosen = next((s for s in best if s.starts_at == starts_at), slots[0])
            return chosen
        return slots[0]
    if starts_at < now + timedelta(minutes=notice_min):
        if notice_min:
            raise ValidationError("starts_at", "must be at least {n} minutes from now", n=notice_min)
        raise ValidationError("starts_at", "must not be in the past")
    possible = [s for s in search(skip_appointments=True) if s.starts_at == starts_at]
    if not possible:
        raise ValidationError("starts_at", "is outside the technician's working hours or the opening hours")
    raise SlotTaken(_next_slots(session, store_id, spec, starts_at, now, technician_id,
                                exclude_appointment=exclude_appointment))


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
    try:
        clean_notes = normalize_free_text(notes or "", field="notes", max_len=500, multiline=True)
    except ValidationError as exc:
        errors.append(exc)
    clean_name = _customer_or_name(session, customer_id, name, errors)
    if errors:
        raise ValidationErrors(errors)
    assert service is not None      # a missing service is one of ``errors``
    if service.duration_min + service.buffer_min > MAX_APPOINTMENT_MIN:
        raise ValidationError("service_type_id", "is longer than a bookable appointment")
    spec = ServiceSpec(service.duration_min, service.buffer_min, service.required_skill)
    slot = _pick(session, actor.store_id, spec, starts_at, technician_id, now, notice=True)
    appt = Appointment(store_id=actor.store_id, customer_id=customer_id, walk_in_name=clean_name,
                       service_type_id=service.id, technician_id=slot.technician_id, starts_at=slot.starts_at,
                       ends_at=slot.blocked_until, status="booked", source=source, notes=clean_notes)
    _insert(session, appt, lambda: _next_slots(session, actor.store_id, spec, starts_at, now, technician_id))
    audit.record(session, actor, "appointment.book", "appointment", appt.id, detail=service.code)
    message_events.appointment_booked(session, appt, now)
    return _one(session, actor.store_id, appt.id)


def _appointment(session: Session, actor: Actor, appointment_id: uuid.UUID) -> Appointment:
    return get_or_not_found(session, Appointment, appointment_id, "appointment", store_id=actor.store_id)


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
    moved_time = slot.starts_at != a.starts_at
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
    if moved_time:
        message_events.appointment_moved(session, a, now)
    return _one(session, actor.store_id, a.id)


def cancel(session: Session, actor: Actor, appointment_id: uuid.UUID, reason: str = "") -> DayAppointment:
    require(actor, Perm.BOOK_APPOINTMENTS)
    a = _appointment(session, actor, appointment_id)
    _refuse_status(a, ("booked", "checked_in"))
    a.status = "cancelled"
    why = normalize_free_text(reason or "", field="reason", max_len=500)
    if why:
        a.notes = (f"{a.notes}\n{why}" if a.notes else why)[:500]
    audit.record(session, actor, "appointment.cancel", "appointment", a.id)
    message_events.appointment_cancelled(session, a, clock.now())
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
