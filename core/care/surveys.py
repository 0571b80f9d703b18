"""Survey answers (issue 21): the customer's NPS and CSAT about one visit (a collected
repair ticket or a completed appointment), given on the customer display or, later, on
HQ's survey page from a receipt's QR code (those arrive by sync, channel ``receipt``).

A low answer (:func:`low_answer`, the issue's rule in one place) opens a ``detractor_call``
care task for the store manager in the same unit of work; for answers HQ wrote on the
store's behalf, :func:`open_missing_calls` does it when they arrive. One answer per visit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from core import audit, clock
from core.care import CSAT_RANGE, NPS_RANGE, TEXT_MAX
from core.care.rules import setting
from core.care.scores import CSAT_LOW_MAX, DETRACTOR_MAX, is_low
from core.care.tasks import open_task
from core.errors import Conflict, ValidationError
from core.lookup import get_or_not_found
from core.models import Appointment, CareTask, RepairTicket, Survey
from core.permissions import Actor, Perm, require
from core.terms import LANGUAGES
from core.validation import normalize_free_text

if TYPE_CHECKING:
    from core.db import StoreDatabase

def low_answer(nps: int | None, csat: int | None) -> bool:
    """NPS 0–6 or CSAT ≤ 2: the answer that earns the customer a call back (the rule lives
    in :func:`core.care.scores.is_low`, beside the NPS and CSAT definitions)."""
    return is_low(nps, csat)


@dataclass(frozen=True)
class Visit:
    """The visit an answer or an invitation is about: a ticket or an appointment of the store."""

    kind: str                       # "ticket" or "appointment" (core.care.tokens' visit kinds)
    id: uuid.UUID
    customer_id: uuid.UUID | None
    technician_id: uuid.UUID | None  # the ticket's or appointment's technician (the report credits them)
    finished: bool                  # the device was handed back / the appointment completed


def _visit(session: Session, actor: Actor, ticket_id: uuid.UUID | None,
           appointment_id: uuid.UUID | None) -> Visit:
    """Exactly one of ``ticket_id`` / ``appointment_id``, of the actor's store
    (``NotFound`` otherwise, as if it were not there). A step inside guarded functions."""
    if (ticket_id is None) == (appointment_id is None):
        raise ValidationError("visit", "name either a repair ticket or an appointment")
    if ticket_id is not None:
        t = get_or_not_found(session, RepairTicket, ticket_id, "repair ticket", store_id=actor.store_id)
        return Visit("ticket", t.id, t.customer_id, t.technician_id, t.collected_at is not None)
    a = get_or_not_found(session, Appointment, appointment_id, "appointment", store_id=actor.store_id)
    return Visit("appointment", a.id, a.customer_id, a.technician_id, a.status == "completed")


def _answer_of(session: Session, v: Visit) -> uuid.UUID | None:
    """The id of the answer already given about ``v`` (by either channel), if any."""
    column = Survey.ticket_id if v.kind == "ticket" else Survey.appointment_id
    return session.scalar(select(Survey.id).where(column == v.id).limit(1))


def _score(value: object, field: str, allowed: range) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "must be a whole number")
    if value not in allowed:
        raise ValidationError(field, "must be from {lo} to {hi}", lo=allowed.start, hi=allowed.stop - 1)
    return value


def _detractor_call(session: Session, survey: Survey, now: datetime) -> CareTask:
    return open_task(session, store_id=survey.store_id, kind="detractor_call",
                     due_in=timedelta(hours=setting(session, "detractor_call_hours")), now=now,
                     customer_id=survey.customer_id, survey_id=survey.id)


def record_answer(session: Session, actor: Actor, *, ticket_id: uuid.UUID | None = None,
                  appointment_id: uuid.UUID | None = None, nps: int | None = None, csat: int | None = None,
                  comment: str = "", language: str | None = None, now: datetime | None = None) -> uuid.UUID:
    """The customer's answer on the display about a finished visit; returns the answer's id.
    A low answer opens the call back (a ``detractor_call`` task) in the same unit of work."""
    require(actor, Perm.OPEN_COMPLAINTS)
    now = now or clock.now()
    v = _visit(session, actor, ticket_id, appointment_id)
    nps_value = _score(nps, "nps", NPS_RANGE)
    csat_value = _score(csat, "csat", CSAT_RANGE)
    if nps_value is None and csat_value is None:
        raise ValidationError("nps", "answer at least one of the two questions")
    text = normalize_free_text(comment, field="comment", max_len=TEXT_MAX, multiline=True)
    if language is not None and language not in LANGUAGES:
        raise ValidationError("language", "is not a language the display offers")
    if not v.finished:
        raise Conflict("the survey opens once the visit is over")
    if _answer_of(session, v) is not None:
        raise Conflict("this visit has already been answered")
    # staff_id: who served the customer at the counter, i.e. the signed-in associate running the
    # display; never the technician (the report credits them through the ticket or appointment)
    survey = Survey(store_id=actor.store_id, customer_id=v.customer_id, staff_id=actor.staff_id,
                    ticket_id=v.id if v.kind == "ticket" else None,
                    appointment_id=v.id if v.kind == "appointment" else None,
                    nps=nps_value, csat=csat_value, comment=text, at=now, channel="display", language=language)
    session.add(survey)
    session.flush()
    low = low_answer(nps_value, csat_value)
    if low:
        _detractor_call(session, survey, now)
    audit.record(session, actor, "survey.answer", "survey", survey.id,
                 detail=f"channel=display low={int(low)}")
    session.flush()
    return survey.id


def open_missing_calls(session: Session, *, store_id: uuid.UUID, now: datetime) -> int:
    """Open the call back for every low answer of ``store_id`` that arrived by sync
    (channel ``receipt``, written by HQ) and has no ``detractor_call`` yet; returns how
    many were opened. Idempotent: run after every pull."""
    has_call = select(CareTask.id).where(and_(CareTask.survey_id == Survey.id, CareTask.kind == "detractor_call"))
    rows = session.scalars(
        select(Survey).where(Survey.store_id == store_id, Survey.channel == "receipt",
                             or_(Survey.nps <= DETRACTOR_MAX, Survey.csat <= CSAT_LOW_MAX),
                             ~has_call.exists())
        .order_by(Survey.at, Survey.id)).all()
    opened = 0
    for survey in rows:
        if low_answer(survey.nps, survey.csat):
            _detractor_call(session, survey, now)
            opened += 1
    session.flush()
    return opened


def survey_due(session: Session, actor: Actor, *, ticket_id: uuid.UUID | None = None,
               appointment_id: uuid.UUID | None = None) -> bool:
    """Whether the customer display should offer the survey for this visit: the device was
    handed back (or the appointment completed) and nobody has answered about it yet."""
    require(actor, Perm.OPEN_COMPLAINTS)
    v = _visit(session, actor, ticket_id, appointment_id)
    return v.finished and _answer_of(session, v) is None


def calls_after_sync(db: StoreDatabase, now: datetime | None = None) -> int:
    """:func:`open_missing_calls` for the enrolled store, in its own unit of work (the sync
    service runs it after each sync, off the GUI thread); 0 when the store has not enrolled."""
    from core.sync.apply import get_state
    with db.session(write=True) as s:
        store_id = get_state(s, "hq.store_id")
        if not store_id:
            return 0
        return open_missing_calls(s, store_id=uuid.UUID(store_id), now=now or clock.now())


__all__ = ["Visit", "calls_after_sync", "low_answer", "open_missing_calls",
           "record_answer", "survey_due"]
