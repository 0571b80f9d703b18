"""Appointments. The foundation gives the day list the counter reads; booking, the
slot engine and the walk-in queue come with the appointments issue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core.models import Appointment, Customer, ServiceType, Staff, Store
from core.permissions import Actor, Perm, require


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


def store_day_bounds(session: Session, store_id: uuid.UUID, day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which the store's local day starts and ends (DST-aware)."""
    store = session.get(Store, store_id)
    tz = ZoneInfo(store.timezone if store else "UTC")
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return start, end


def list_day(session: Session, actor: Actor, day: date) -> list[AppointmentRow]:
    require(actor, Perm.BOOK_APPOINTMENTS)
    start, end = store_day_bounds(session, actor.store_id, day)
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
