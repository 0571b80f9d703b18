"""The manager's due list (issue 21): every open obligation of the store against its clock,
with the time left: complaints to classify (24 real hours from opening), classified ones to
resolve (the severity's due time), and calls owed (after a low survey answer, after a
resolution). Overdue first, the most overdue at the top, then what is due next."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.care.sla import classify_due, is_overdue, time_left
from core.models import CareTask, Customer, Feedback
from core.models.customer import person_name
from core.permissions import Actor, Perm, require

UTC = timezone.utc


@dataclass(frozen=True)
class DueItem:
    kind: str                        # "classify", "resolve", "detractor_call", "follow_up_call"
    complaint_id: uuid.UUID | None
    task_id: uuid.UUID | None
    customer_name: str
    category: str
    severity: str
    due_at: datetime
    left: timedelta                  # negative: overdue by that much
    overdue: bool
    escalated: bool                  # with the region, or on its way there at the next sync


def due_list(session: Session, actor: Actor, now: datetime | None = None, limit: int = 200) -> list[DueItem]:
    """What the store owes, overdue first (most overdue first), then by due time."""
    require(actor, Perm.HANDLE_COMPLAINTS)
    at = clock.now() if now is None else now
    if at.tzinfo is None:
        raise ValueError("now must be an aware time")
    names: dict[uuid.UUID, str] = {}

    def name(customer_id: uuid.UUID | None) -> str:
        if customer_id is None:
            return ""
        if customer_id not in names:
            c = session.get(Customer, customer_id)
            names[customer_id] = person_name(c.given_name, c.family_name) if c is not None else ""
        return names[customer_id]

    def item(kind: str, f: Feedback | None, task: CareTask | None, due: datetime) -> DueItem:
        left = time_left(due, at)
        return DueItem(kind, f.id if f is not None else None, task.id if task is not None else None,
                       name(task.customer_id if task is not None else f.customer_id if f is not None else None),
                       f.category if f is not None else "", f.severity if f is not None else "", due, left,
                       is_overdue(due, at), bool(f is not None and (f.escalated or f.escalation_pending)))

    items: list[DueItem] = []
    complaints = {f.id: f for f in session.scalars(select(Feedback).where(
        Feedback.store_id == actor.store_id, Feedback.status == "open"))}
    for f in complaints.values():
        if not f.severity:
            items.append(item("classify", f, None, f.classify_due_at or classify_due(f.opened_at)))
        elif f.due_at is not None:
            items.append(item("resolve", f, None, f.due_at))
    for task in session.scalars(select(CareTask).where(CareTask.store_id == actor.store_id,
                                                       CareTask.done_at.is_(None))):
        linked = complaints.get(task.feedback_id) if task.feedback_id else None
        if linked is None and task.feedback_id:
            linked = session.get(Feedback, task.feedback_id)
        items.append(item(task.kind, linked, task, task.due_at))
    # ascending due time is the order asked for: the overdue ones (due before now) come first,
    # the most overdue at the top, then what is due next
    items.sort(key=lambda i: (i.due_at, i.kind, str(i.complaint_id or i.task_id)))
    return items[:max(0, limit)]


__all__ = ["DueItem", "due_list"]
