"""Care tasks: the calls a store owes a customer (core.models.CareTask): after a low survey
answer (``detractor_call``) and after a complaint is resolved (``follow_up_call``).

:func:`open_task` is the one way a task is made; it is a step inside guarded functions
(a survey answer, a resolution), which checked their permission before it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.care import TASK_KINDS
from core.models import CareTask


def open_task(session: Session, *, store_id: uuid.UUID, kind: str, due_in: timedelta, now: datetime,
              customer_id: uuid.UUID | None = None, feedback_id: uuid.UUID | None = None,
              survey_id: uuid.UUID | None = None) -> CareTask:
    """Add a care task due ``due_in`` from ``now`` (an aware time) to the session."""
    if kind not in TASK_KINDS:
        raise ValueError(f"unknown care task {kind!r}")
    if now.tzinfo is None:
        raise ValueError("now must be an aware time")
    task = CareTask(store_id=store_id, kind=kind, customer_id=customer_id, feedback_id=feedback_id,
                    survey_id=survey_id, due_at=now + due_in, created_at=now, updated_at=now)
    session.add(task)
    return task


__all__ = ["open_task"]
