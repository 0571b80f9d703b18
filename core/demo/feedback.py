"""Demo step: surveys after services, and feedback cases, some overdue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from core.demo.data import _FEEDBACK, _SURVEY_COMMENTS
from core.models import Feedback, Survey

if TYPE_CHECKING:
    from core.demo.build import Build


def surveys_and_feedback(b: "Build") -> None:
    rng = b.rng
    surveys, feedback = [], []
    for t in b.collected_tickets:
        at = cast(datetime, t.collected_at) + timedelta(hours=rng.uniform(2, 48))    # set: they are collected
        if rng.random() < 0.7 and at <= b.now:
            nps = rng.choices(range(11), weights=(1, 1, 1, 1, 1, 2, 3, 5, 10, 14, 16))[0]
            surveys.append(Survey(customer_id=t.customer_id, store_id=b.store_id, ticket_id=t.id, nps=nps,
                                  csat=min(5, max(1, round(nps / 2))), comment=rng.choice(_SURVEY_COMMENTS),
                                  at=at))
    for a in b.appointments:
        if a.status == "completed" and a.customer_id and rng.random() < 0.3:
            at = min(b.now, a.ends_at + timedelta(hours=rng.uniform(1, 24)))
            csat = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 8, 12))[0]
            surveys.append(Survey(customer_id=a.customer_id, store_id=b.store_id, appointment_id=a.id,
                                  csat=csat, nps=None, comment=rng.choice(_SURVEY_COMMENTS), at=at))
    for category, text in _FEEDBACK:
        created = b.open_at(b.days_ago(0.2, 20))
        due = created + timedelta(hours=48)
        status = "resolved" if rng.random() < 0.5 and due < b.now else "open"
        customer = rng.choice(b.customers)
        feedback.append(Feedback(customer_id=customer.id, store_id=b.store_id, category=category, text=text,
                                 due_at=due, status=status, escalated=status == "open" and due < b.now,
                                 created_at=created, updated_at=created))
    b.add("survey", surveys)
    b.add("feedback", feedback)
