"""What the appointment services share: their constants, the store and its appointment
settings, a service type by id, and appointments read back as ``DayAppointment`` rows."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from core.appointments.results import AppointmentSettings, DayAppointment, SlotTaken
from core.appointments.slots import STEP_DEFAULT, Slot
from core.errors import NotFound, ValidationError
from core.lookup import get_or_not_found
from core.models import Appointment, Customer, ServiceType, Staff, Store
from core.validation import normalize_name

# statuses that hold a technician's time; cancelled and no-show appointments free it
LIVE_STATUSES = ("booked", "checked_in", "in_service", "completed")
OPEN_STATUSES = ("booked", "checked_in", "in_service")
SOURCES = ("phone", "online", "counter", "walk_in")
MAX_APPOINTMENT_MIN = 12 * 60        # the overlap trigger looks one day back; keep well inside
SEARCH_DAYS_MAX = 31

# store settings (Store.settings JSON), with defaults and bounds
MIN_NOTICE_DEFAULT, MIN_NOTICE_MAX = 30, 7 * 24 * 60
GRACE_DEFAULT, GRACE_MAX = 15, 240
STEPS = (5, 10, 15, 20, 30, 60)


def _store(session: Session, store_id: uuid.UUID) -> Store:
    return get_or_not_found(session, Store, store_id, "store")


def _settings_of(store: Store) -> AppointmentSettings:
    return _settings_from(store.settings)


def _settings_from(raw: Mapping[str, Any] | None) -> AppointmentSettings:
    s = raw or {}
    return AppointmentSettings(int(s.get("min_notice_min", MIN_NOTICE_DEFAULT)),
                               int(s.get("no_show_grace_min", GRACE_DEFAULT)),
                               int(s.get("slot_step_min", STEP_DEFAULT)))


def _service(session: Session, service_type_id: uuid.UUID) -> ServiceType:
    return get_or_not_found(session, ServiceType, service_type_id, "service type")


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


def _insert(session: Session, appt: Appointment, retry_next: Callable[[], Sequence[Slot]]) -> None:
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


def _customer_or_name(session: Session, customer_id: uuid.UUID | None, name: str | None,
                      errors: list[ValidationError]) -> str | None:
    """A known, live customer (None returned), or a walk-in's name checked like any name
    (the problem goes to ``errors``)."""
    if customer_id is not None:
        c = get_or_not_found(session, Customer, customer_id, "customer", live=lambda c: not c.erased)
        return None
    try:
        return normalize_name(name or "", field="name", max_len=120)
    except ValidationError as e:
        errors.append(e)
        return None
