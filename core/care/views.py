"""What the screens read of a complaint (core.care.complaints): rows with the customer's
name and the ticket number, its steps and notes, its calls; the customer's words only for
those who may read them (HANDLE_COMPLAINTS, or the one who opened it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.care.rules import Script
from core.models import CareTask, Customer, Feedback, FeedbackNote, RepairTicket, Staff
from core.models.customer import person_name
from core.permissions import Actor, Perm


@dataclass(frozen=True)
class ComplaintRow:
    id: uuid.UUID
    customer_id: uuid.UUID | None
    customer_name: str
    category: str
    severity: str
    channel: str
    status: str
    opened_at: datetime
    classify_due_at: datetime | None
    due_at: datetime | None
    classified_at: datetime | None
    resolved_at: datetime | None
    escalated: bool
    escalation_pending: bool
    escalation_state: str
    text: str
    masked: bool
    ticket_id: uuid.UUID | None
    ticket_number: str | None


@dataclass(frozen=True)
class NoteView:
    at: datetime
    author: str              # "store" or "hq"
    staff_name: str          # the store author's name ("" for HQ's)
    hq_role: str             # the HQ author's role, never a name
    action: str
    text: str


@dataclass(frozen=True)
class TaskView:
    id: uuid.UUID
    kind: str
    customer_id: uuid.UUID | None
    customer_name: str
    feedback_id: uuid.UUID | None
    survey_id: uuid.UUID | None
    due_at: datetime
    done_at: datetime | None
    outcome: str
    note: str


@dataclass(frozen=True)
class ComplaintDetail:
    row: ComplaintRow
    resolution: str
    notes: tuple[NoteView, ...]
    tasks: tuple[TaskView, ...]
    script: Script | None


def may_read(actor: Actor, f: Feedback) -> bool:
    """Whether ``actor`` may read the customer's words of ``f``."""
    return actor.can(Perm.HANDLE_COMPLAINTS) or (f.opened_by_id is not None and f.opened_by_id == actor.staff_id)


def complaint_rows(session: Session, actor: Actor, query: Select[Any]) -> list[ComplaintRow]:
    """The rows of ``query`` (a ``select(Feedback)``), newest first, masked for ``actor``."""
    q: Select[Any] = (query.add_columns(Customer.given_name, Customer.family_name, RepairTicket.number)
                      .outerjoin(Customer, Customer.id == Feedback.customer_id)
                      .outerjoin(RepairTicket, RepairTicket.id == Feedback.ticket_id)
                      .order_by(Feedback.opened_at.desc(), Feedback.id.desc()))
    out = []
    for f, given, family, number in session.execute(q).all():
        readable = may_read(actor, f)
        out.append(ComplaintRow(
            f.id, f.customer_id, person_name(given, family), f.category, f.severity, f.channel, f.status,
            f.opened_at, f.classify_due_at, f.due_at, f.classified_at, f.resolved_at, f.escalated,
            f.escalation_pending, f.escalation_state, f.text if readable else "", not readable, f.ticket_id,
            number))
    return out


def note_views(session: Session, feedback_id: uuid.UUID, readable: bool) -> tuple[NoteView, ...]:
    q = (select(FeedbackNote, Staff.display_name).outerjoin(Staff, Staff.id == FeedbackNote.staff_id)
         .where(FeedbackNote.feedback_id == feedback_id).order_by(FeedbackNote.at, FeedbackNote.id))
    return tuple(NoteView(n.at, n.author, name or "", n.hq_role, n.action, n.text if readable else "")
                 for n, name in session.execute(q).all())


def task_views(session: Session, tasks: list[CareTask], readable: bool) -> tuple[TaskView, ...]:
    ids = {t.customer_id for t in tasks if t.customer_id is not None}
    names = {c.id: person_name(c.given_name, c.family_name)
             for c in (session.scalars(select(Customer).where(Customer.id.in_(ids))) if ids else [])}
    return tuple(TaskView(t.id, t.kind, t.customer_id, names.get(t.customer_id, "") if t.customer_id else "",
                          t.feedback_id, t.survey_id, t.due_at, t.done_at, t.outcome, t.note if readable else "")
                 for t in tasks)


__all__ = ["ComplaintDetail", "ComplaintRow", "NoteView", "TaskView", "complaint_rows", "may_read", "note_views",
           "task_views"]
