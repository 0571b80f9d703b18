"""The walk-in queue: customers without a booking wait in order of arrival, each with an
estimated wait, and are called to the first qualified technician free now."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core import audit
from core.appointments._common import _customer_name, _customer_or_name, _insert, _one, _service
from core.appointments.loading import _Loaded, _load, _local_today
from core.appointments.results import Called, QueueEntry
from core.appointments.slots import ServiceSpec, _dt, _local_ts, _ts, earliest_start, opening_interval
from core.errors import Conflict, ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.models import Appointment, Customer, ServiceType, Staff
from core.models.base import utcnow
from core.models.service import WalkIn
from core.permissions import Actor, Perm, require
from core.validation import normalize_free_text


def _walk_in(session: Session, actor: Actor, walk_in_id: uuid.UUID) -> WalkIn:
    return get_or_not_found(session, WalkIn, walk_in_id, "walk-in", store_id=actor.store_id)


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
    try:
        clean_note = normalize_free_text(note or "", field="note", max_len=200)
    except ValidationError as exc:
        errors.append(exc)
    if errors:
        raise ValidationErrors(errors)
    assert service is not None      # a missing service is one of ``errors``
    if technician_id is not None:
        _check_technician(session, actor, technician_id, service)
    w = WalkIn(store_id=actor.store_id, customer_id=customer_id, name=clean_name, service_type_id=service.id,
               technician_id=technician_id, status="waiting", arrived_at=now, note=clean_note)
    session.add(w)
    session.flush()
    audit.record(session, actor, "walk_in.add", "walk_in", w.id, detail=service.code)
    return next(e for e in _queue(session, actor.store_id, now) if e.id == w.id)


def _check_technician(session: Session, actor: Actor, technician_id: uuid.UUID, service: ServiceType) -> Staff:
    s = get_or_not_found(session, Staff, technician_id, "technician", store_id=actor.store_id,
                         live=lambda s: s.active)
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
