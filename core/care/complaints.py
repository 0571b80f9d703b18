"""Complaints (issue 21): opened at the counter, on the phone, from a low survey answer or
by HQ; classified within 24 real hours; resolved by the severity's due time; escalated to
the region; followed up by a call.

Who may do what (checked here): anyone at the counter opens a complaint and adds notes to
the ones they opened (:attr:`Perm.OPEN_COMPLAINTS`); managers and admins classify, resolve,
escalate, record calls and read every complaint (:attr:`Perm.HANDLE_COMPLAINTS`). Someone
without HANDLE sees the customer's words (text, resolution, notes) only of a complaint they
opened; of another, the row comes back ``masked`` with those texts empty.

The follow-up call after a resolution (:func:`record_call`):
``satisfied`` closes the complaint; ``not_satisfied`` reopens it (status "open", with the
call's note as a "reopen" step, and a fresh resolve clock from that moment under its
rule); ``unreachable`` leaves the complaint resolved and the task done (the store tried;
a new call is a new task only if a manager reopens the matter). A call after a low survey
answer (``detractor_call``) just records its outcome.

Every step is audited with codes only (core.audit; never the customer's words) and kept as
a :class:`FeedbackNote` step (``action`` classify, escalate, resolve, close, reopen; "note"
for a note)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, clock
from core.care import CATEGORIES, CHANNELS, OUTCOMES, SEVERITIES, STATUSES, TEXT_MAX
from core.care import rules as care_rules
from core.care.sla import StoreHours, classify_due, resolve_due
from core.care.tasks import open_task
from core.care.views import (ComplaintDetail, ComplaintRow, NoteView, TaskView, complaint_rows, may_read,
                             note_views, task_views)
from core.errors import Conflict, ValidationError
from core.lookup import get_or_not_found
from core.models import Appointment, CareTask, Customer, Feedback, FeedbackNote, RepairTicket, Store, Survey
from core.permissions import Actor, Perm, require
from core.validation import normalize_free_text

UTC = timezone.utc


def _now(now: datetime | None) -> datetime:
    value = clock.now() if now is None else now
    if value.tzinfo is None:
        raise ValueError("now must be an aware time")
    return value.astimezone(UTC)


def _text(value: object, field: str, *, required: bool = True) -> str:
    return normalize_free_text(value, field=field, max_len=TEXT_MAX, multiline=True, required=required)


def _complaint(session: Session, actor: Actor, complaint_id: uuid.UUID) -> Feedback:
    return get_or_not_found(session, Feedback, complaint_id, "complaint", store_id=actor.store_id)


def _step(session: Session, f: Feedback, actor: Actor, action: str, now: datetime, text: str = "") -> None:
    session.add(FeedbackNote(feedback_id=f.id, at=now, author="store", staff_id=actor.staff_id, action=action,
                             text=text))


def _due(session: Session, f: Feedback, start: datetime) -> datetime:
    """The resolve-by time from ``start`` under the rule of ``f``'s severity. A store that is
    never open (no opening hours set), or whose time zone is not one this machine knows (the
    zone is data, synced from HQ), counts a business-hours rule in real hours."""
    rule = care_rules.rule(session, f.severity)
    store = session.get(Store, f.store_id)
    try:
        return resolve_due(start, rule, StoreHours.of(store)) if store is not None else start
    except (ValueError, ZoneInfoNotFoundError):       # ZoneInfoNotFoundError is a KeyError
        return start + timedelta(hours=rule.resolve_hours)


def _clock_start(session: Session, f: Feedback) -> datetime:
    """Where ``f``'s resolve clock starts: the latest time it was reopened (the store's
    "reopen" step, :func:`record_call`), else when it was opened."""
    reopened = session.scalar(select(FeedbackNote.at).where(
        FeedbackNote.feedback_id == f.id, FeedbackNote.author == "store", FeedbackNote.action == "reopen")
        .order_by(FeedbackNote.at.desc()).limit(1))
    return reopened if reopened is not None else f.opened_at


def _link(session: Session, actor: Actor, model: type[RepairTicket] | type[Appointment] | type[Survey],
          ident: uuid.UUID | None, field: str) -> uuid.UUID | None:
    if ident is None:
        return None
    row = session.get(model, ident)
    if row is None or getattr(row, "store_id") != actor.store_id:
        raise ValidationError(field, "is not a record of this store")
    return ident


def open_complaint(session: Session, actor: Actor, *, customer_id: uuid.UUID | None, text: str,
                   channel: str = "counter", ticket_id: uuid.UUID | None = None,
                   appointment_id: uuid.UUID | None = None, survey_id: uuid.UUID | None = None,
                   now: datetime | None = None) -> uuid.UUID:
    """Record a complaint in the customer's words; its classify clock starts now."""
    require(actor, Perm.OPEN_COMPLAINTS)
    at = _now(now)
    if channel not in CHANNELS:
        raise ValidationError("channel", "choose where the complaint came from")
    words = _text(text, "text", required=channel != "survey")
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.erased:
            raise ValidationError("customer_id", "is not a customer of this database")
    f = Feedback(store_id=actor.store_id, customer_id=customer_id, category="", severity="", text=words,
                 channel=channel, status="open",
                 ticket_id=_link(session, actor, RepairTicket, ticket_id, "ticket_id"),
                 appointment_id=_link(session, actor, Appointment, appointment_id, "appointment_id"),
                 survey_id=_link(session, actor, Survey, survey_id, "survey_id"),
                 opened_at=at, opened_by_id=actor.staff_id, classify_due_at=classify_due(at),
                 created_at=at, updated_at=at)
    session.add(f)
    session.flush()
    audit.record(session, actor, "complaint.open", "feedback", f.id, detail=f"channel={channel}")
    return f.id


def classify(session: Session, actor: Actor, complaint_id: uuid.UUID, *, category: str, severity: str,
             now: datetime | None = None) -> None:
    """Sort an open complaint (again, while it is open): its due time follows the severity's
    rule, counted from its opening or, once reopened, from the latest reopening. The first
    classification's time (and who made it) is kept: re-sorting never makes an on-time
    classification late."""
    require(actor, Perm.HANDLE_COMPLAINTS)
    at = _now(now)
    errors = []
    if category not in CATEGORIES:
        errors.append(ValidationError("category", "choose a category"))
    if severity not in SEVERITIES:
        errors.append(ValidationError("severity", "choose a severity"))
    if errors:
        raise errors[0]
    f = _complaint(session, actor, complaint_id)
    if f.status != "open":
        raise Conflict("only an open complaint can be classified")
    f.category, f.severity = category, severity
    if f.classified_at is None:
        f.classified_at, f.classified_by_id = at, actor.staff_id
    f.due_at = _due(session, f, _clock_start(session, f))
    if care_rules.rule(session, severity).escalate_at_once and not f.escalated:
        f.escalation_pending = True
    f.updated_at = at
    _step(session, f, actor, "classify", at)
    audit.record(session, actor, "complaint.classify", "feedback", f.id,
                 detail=f"{category}/{severity}" + (" escalate" if f.escalation_pending else ""))


def add_note(session: Session, actor: Actor, complaint_id: uuid.UUID, text: str, now: datetime | None = None) -> None:
    """A note on a complaint: its opener may add one; anyone else needs HANDLE_COMPLAINTS."""
    require(actor, Perm.OPEN_COMPLAINTS)
    at = _now(now)
    f = _complaint(session, actor, complaint_id)
    if f.opened_by_id != actor.staff_id:
        require(actor, Perm.HANDLE_COMPLAINTS)
    words = _text(text, "text")
    _step(session, f, actor, "note", at, words)
    f.updated_at = at
    audit.record(session, actor, "complaint.note", "feedback", f.id)


def escalate(session: Session, actor: Actor, complaint_id: uuid.UUID, now: datetime | None = None) -> None:
    """Send an open complaint to the region: marked pending here, raised at HQ by the next
    sync (core.care.escalation)."""
    require(actor, Perm.HANDLE_COMPLAINTS)
    at = _now(now)
    f = _complaint(session, actor, complaint_id)
    if f.status != "open":
        raise Conflict("only an open complaint can be escalated")
    if f.escalated or f.escalation_pending:
        raise Conflict("this complaint is already with the region")
    f.escalation_pending = True
    f.updated_at = at
    _step(session, f, actor, "escalate", at)
    audit.record(session, actor, "complaint.escalate", "feedback", f.id, detail="pending")


def resolve(session: Session, actor: Actor, complaint_id: uuid.UUID, *, resolution: str,
            now: datetime | None = None) -> None:
    """Resolve a classified open complaint, saying what was done; a follow-up call is due
    HQ's ``follow_up_days`` later."""
    require(actor, Perm.HANDLE_COMPLAINTS)
    at = _now(now)
    words = _text(resolution, "resolution")
    f = _complaint(session, actor, complaint_id)
    if f.status != "open":
        raise Conflict("only an open complaint can be resolved")
    if not f.severity:
        raise Conflict("classify the complaint before resolving it")
    f.status, f.resolution, f.resolved_at, f.resolved_by_id, f.updated_at = "resolved", words, at, actor.staff_id, at
    task = open_task(session, store_id=f.store_id, kind="follow_up_call", now=at,
                     due_in=timedelta(days=care_rules.setting(session, "follow_up_days")),
                     customer_id=f.customer_id, feedback_id=f.id)
    session.flush()
    _step(session, f, actor, "resolve", at)
    audit.record(session, actor, "complaint.resolve", "feedback", f.id, detail=f"follow_up_call={task.id}")


def record_call(session: Session, actor: Actor, task_id: uuid.UUID, *, outcome: str, note: str = "",
                now: datetime | None = None) -> None:
    """The outcome of a care call (see the module's words on what each does to the complaint)."""
    require(actor, Perm.HANDLE_COMPLAINTS)
    at = _now(now)
    if outcome not in OUTCOMES:
        raise ValidationError("outcome", "choose how the call went")
    words = _text(note, "note", required=False)
    task = get_or_not_found(session, CareTask, task_id, "care task", store_id=actor.store_id)
    if task.done_at is not None:
        raise Conflict("this call is already recorded")
    task.done_at, task.done_by_id, task.outcome, task.note, task.updated_at = at, actor.staff_id, outcome, words, at
    effect = ""
    f = session.get(Feedback, task.feedback_id) if task.kind == "follow_up_call" and task.feedback_id else None
    if f is not None and f.status == "resolved" and outcome != "unreachable":
        if outcome == "satisfied":
            f.status, effect = "closed", "closed"
            _step(session, f, actor, "close", at)
        else:
            f.status, f.resolved_at, f.resolved_by_id, effect = "open", None, None, "reopened"
            f.due_at = _due(session, f, at)
            _step(session, f, actor, "reopen", at, words)
        f.updated_at = at
    audit.record(session, actor, "care.call", "care_task", task.id,
                 detail=f"{task.kind} {outcome}" + (f" complaint={effect}" if effect else ""))


def get_complaint(session: Session, actor: Actor, complaint_id: uuid.UUID, *, lang: str = "en") -> ComplaintDetail:
    """One complaint with its steps, notes, calls and the category's response script."""
    require(actor, Perm.OPEN_COMPLAINTS)
    f = _complaint(session, actor, complaint_id)
    row = complaint_rows(session, actor, select(Feedback).where(Feedback.id == f.id))[0]
    readable = may_read(actor, f)
    tasks = session.scalars(select(CareTask).where(CareTask.feedback_id == f.id).order_by(CareTask.created_at))
    return ComplaintDetail(row, f.resolution if readable else "", note_views(session, f.id, readable),
                           task_views(session, list(tasks), readable),
                           care_rules.script(session, f.category, lang) if f.category else None)


def for_customer(session: Session, actor: Actor, customer_id: uuid.UUID) -> list[ComplaintRow]:
    """A customer's complaints at this store, newest first, masked by role."""
    require(actor, Perm.OPEN_COMPLAINTS)
    return complaint_rows(session, actor, select(Feedback).where(
        Feedback.customer_id == customer_id, Feedback.store_id == actor.store_id))


def list_complaints(session: Session, actor: Actor, *, status: str | None = None) -> list[ComplaintRow]:
    """The store's complaints (in ``status`` when given), newest first."""
    require(actor, Perm.HANDLE_COMPLAINTS)
    q = select(Feedback).where(Feedback.store_id == actor.store_id)
    if status is not None:
        if status not in STATUSES:
            raise ValidationError("status", "choose a status")
        q = q.where(Feedback.status == status)
    return complaint_rows(session, actor, q)


__all__ = ["ComplaintDetail", "ComplaintRow", "NoteView", "TaskView", "add_note", "classify", "escalate",
           "for_customer", "get_complaint", "list_complaints", "open_complaint", "record_call", "resolve"]
