"""The rota: each technician's usual week (templates) and the exceptions to it on given
days (changed or extra work, breaks, absences)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.appointments._common import _store
from core.appointments.loading import store_day_bounds
from core.appointments.results import ShiftView, TemplateView
from core.appointments.slots import WEEKDAYS, local_instant
from core.errors import ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.models import Shift, Staff
from core.models.store import ShiftTemplate
from core.permissions import Actor, Perm, require
from core.validation import check_date, normalize_free_text


def _rota_staff(session: Session, actor: Actor, staff_id: uuid.UUID) -> Staff:
    return get_or_not_found(session, Staff, staff_id, "staff member", store_id=actor.store_id)


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
    check_date(day, field="day")
    _rota_staff(session, actor, staff_id)
    if kind not in ("work", "break", "absence"):
        raise ValidationError("kind", "is not a kind of shift")
    if start_minute is None and end_minute is None:
        if kind != "absence":
            raise ValidationError("start_minute", "required")
        start_minute, end_minute = 0, 1440
    if start_minute is None or end_minute is None or not 0 <= start_minute < end_minute <= 1440:
        raise ValidationError("end_minute", "the end must come after the start")
    clean_note = normalize_free_text(note or "", field="note", max_len=200)
    tz = _store(session, actor.store_id).timezone
    s = Shift(store_id=actor.store_id, staff_id=staff_id, kind=kind, starts_at=local_instant(tz, day, start_minute),
              ends_at=local_instant(tz, day, end_minute), note=clean_note)
    session.add(s)
    session.flush()
    audit.record(session, actor, "rota.exception", "staff", staff_id, detail=kind)
    return ShiftView(s.id, s.staff_id, s.kind, s.starts_at, s.ends_at, s.note)


def remove_exception(session: Session, actor: Actor, shift_id: uuid.UUID) -> None:
    require(actor, Perm.MANAGE_ROTA)
    s = get_or_not_found(session, Shift, shift_id, "shift", store_id=actor.store_id)
    session.delete(s)
    audit.record(session, actor, "rota.exception_removed", "staff", s.staff_id, detail=s.kind)
