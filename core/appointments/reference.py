"""Store settings and reference data: the store's appointment settings (minimum notice,
no-show grace, slot grid), the service types, and who takes appointments (technicians,
and anyone given a skill)."""

from __future__ import annotations

import uuid
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.appointments._common import GRACE_MAX, MIN_NOTICE_MAX, STEPS, _service, _settings_of, _store
from core.appointments.results import AppointmentSettings, ServiceTypeView, TechnicianView
from core.errors import ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.models import ServiceType, Staff
from core.permissions import Actor, Perm, Role, require
from core.validation import normalize_name


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
        t = _service(session, service_type_id)
        t.code = code
    t.name, t.duration_min, t.buffer_min, t.required_skill = name, duration_min, buffer_min, skill
    t.price_cents, t.is_repair, t.active = price_cents, bool(is_repair), bool(active)
    session.flush()
    audit.record(session, actor, "service_type.save", "service_type", t.id)
    return _service_view(t)


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
    s = get_or_not_found(session, Staff, staff_id, "staff member", store_id=actor.store_id)
    clean = sorted({k.strip().lower() for k in skills if k and k.strip()})
    if any(len(k) > 40 or not k.replace("_", "").replace("-", "").isalnum() for k in clean):
        raise ValidationError("skills", "a skill is a word of at most {n} letters or digits", n=40)
    s.skills = clean
    audit.record(session, actor, "staff.skills", "staff", s.id, detail=",".join(clean))
    return TechnicianView(s.id, s.display_name, s.role, tuple(clean))
