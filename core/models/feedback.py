"""The customer's voice (issue 21): survey answers, survey invitations printed on receipts,
complaints (``feedback``) with their clocks and notes, and the care tasks a manager works
(a call after a low answer, the follow-up call after a resolution). HQ's rules for them
(complaint rules by severity, response scripts, care settings) are reference data.

Rules and clocks live in :mod:`core.care`; this module only holds the rows."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal, personal, utcnow


class Survey(IdMixin, Base):
    """One answer: NPS 0..10 and/or CSAT 1..5 and an optional comment, about a visit."""

    __tablename__ = "survey"
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("repair_ticket.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment.id"))
    nps: Mapped[int | None]            # 0..10
    csat: Mapped[int | None]           # 1..5
    comment: Mapped[str] = personal(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = not_personal(String(12), default="display")    # display, receipt (core.care.CHANNELS_SURVEY)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))   # who served the customer
    language: Mapped[str | None] = not_personal(String(10))               # the language it was answered in
    invitation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survey_invitation.id"))


class SurveyInvitation(IdMixin, Base):
    """A survey invitation printed as a QR code on a receipt: the token names this row (the
    visit), never the person; HQ answers it once (hq_survey_answer) before ``expires_at``."""

    __tablename__ = "survey_invitation"
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("repair_ticket.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class Feedback(IdMixin, Timestamps, Base):
    """A complaint (or praise) in the customer's words, with its clocks: classified within
    24 real hours of ``opened_at`` (``classify_due_at``), resolved by ``due_at`` (from the
    severity's rule), escalated to the region when major or overdue past the rule's threshold."""

    __tablename__ = "feedback"
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    category: Mapped[str] = not_personal(String(30))                  # "" until classified; core.care.CATEGORIES
    text: Mapped[str] = personal(Text)                               # the customer's words
    due_at: Mapped[datetime | None]                                   # resolve by (set when classified)
    status: Mapped[str] = not_personal(String(12), default="open")   # core.care.STATUSES: open, resolved, closed
    escalated: Mapped[bool] = mapped_column(default=False)
    severity: Mapped[str] = not_personal(String(10), default="")     # "" until classified; core.care.SEVERITIES
    channel: Mapped[str] = not_personal(String(12), default="counter")   # core.care.CHANNELS
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("repair_ticket.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment.id"))
    survey_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survey.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    classify_due_at: Mapped[datetime | None]
    classified_at: Mapped[datetime | None]
    classified_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    resolution: Mapped[str] = personal(Text, default="")             # what was done, may quote the customer
    # escalation to the region at HQ (core.sync.escalations): the ref sent, when, HQ's last known state;
    # escalation_pending: decided at the store, not yet accepted by HQ (sent at the next sync)
    escalation_pending: Mapped[bool] = mapped_column(default=False)
    escalation_ref: Mapped[uuid.UUID | None]
    escalated_at: Mapped[datetime | None]
    escalation_state: Mapped[str] = not_personal(String(16), default="")


class FeedbackNote(IdMixin, Base):
    """A step or a note on a complaint: the store's (``author`` "store") or the region's
    (``author`` "hq", copied from HQ's escalation notes; ``hq_note_id`` keeps each once)."""

    __tablename__ = "feedback_note"
    __table_args__ = (UniqueConstraint("feedback_id", "hq_note_id"),)
    feedback_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("feedback.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = not_personal(String(8), default="store")   # store, hq
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    hq_role: Mapped[str] = not_personal(String(20), default="")      # the HQ author's role, never a name
    hq_note_id: Mapped[int | None]
    action: Mapped[str] = not_personal(String(20), default="note")   # note, classify, escalate, resolve, hq state ...
    text: Mapped[str] = personal(Text, default="")


class CareTask(IdMixin, Timestamps, Base):
    """A call the store owes a customer: after a low survey answer (``detractor_call``) or
    after a complaint is resolved (``follow_up_call``), with its outcome."""

    __tablename__ = "care_task"
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = not_personal(String(20))                       # core.care.TASK_KINDS
    feedback_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("feedback.id"))
    survey_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survey.id"))
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    outcome: Mapped[str] = not_personal(String(16), default="")      # core.care.OUTCOMES; "" while open
    note: Mapped[str] = personal(Text, default="")


# --- HQ's rules (reference data: only HQ writes them; every store pulls them) ---

class ComplaintRule(IdMixin, Timestamps, Base):
    """How long a complaint of a severity may take to resolve, counted in real hours or in
    the store's opening hours (``business_hours``), and when it goes to the region."""

    __tablename__ = "complaint_rule"
    severity: Mapped[str] = not_personal(String(10), unique=True)
    resolve_hours: Mapped[int]
    business_hours: Mapped[bool] = mapped_column(default=False)
    escalate_at_once: Mapped[bool] = mapped_column(default=False)       # escalate when classified so
    escalate_overdue_hours: Mapped[int | None]                          # escalate once overdue by this long


class ResponseScript(IdMixin, Timestamps, Base):
    """Guidance for the associate on a category of complaint, in one language."""

    __tablename__ = "response_script"
    __table_args__ = (UniqueConstraint("category", "language"),)
    category: Mapped[str] = not_personal(String(30))
    language: Mapped[str] = not_personal(String(10))
    acknowledge: Mapped[str] = not_personal(Text, default="")
    ask: Mapped[str] = not_personal(Text, default="")
    offer: Mapped[str] = not_personal(Text, default="")
    escalate: Mapped[str] = not_personal(Text, default="")


class CareSetting(IdMixin, Timestamps, Base):
    """One of HQ's care settings by key (core.care.SETTINGS names them and their defaults)."""

    __tablename__ = "care_setting"
    key: Mapped[str] = not_personal(String(40), unique=True)
    value: Mapped[int]
