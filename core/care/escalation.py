"""Complaints to the region and the region's word back (issue 21), run by the desktop's
sync service after each sync (network: never on the GUI thread), as the system: no one is
signed in, so nothing here takes an actor; the escalation names the staff member who
classified (else opened) the complaint.

1. Open classified complaints overdue past their rule's ``escalate_overdue_hours`` are
   marked ``escalation_pending`` (:func:`flag_overdue`).
2. Each pending one is raised at HQ (core.sync.escalations.send_escalation): kind
   "overdue_complaint" when it is overdue past that threshold, else "complaint"; priority
   "high" for a major one; the summary holds codes only, never the customer's words; the
   ``ref`` is kept in ``escalation_ref`` and committed BEFORE the request, so an answer lost
   on the way back sends the same ref again next time and HQ answers with the escalation it
   already has.
3. This store's escalations changed since the last run are fetched; each note from HQ is
   copied once into a :class:`FeedbackNote` (author "hq", its role, never a name), and HQ's
   state into ``escalation_state``.

Every step is in the audit trail with codes only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, clock
from core.care import rules as care_rules
from core.care.sla import is_overdue
from core.models import Feedback, FeedbackNote, Staff
from core.sync.apply import get_state, set_state
from core.sync.client import SyncClient, SyncError
from core.sync.escalations import StoreEscalation, fetch_escalations, send_escalation

if TYPE_CHECKING:
    from core.db import StoreDatabase

UTC = timezone.utc
SINCE_KEY = "care.escalations.since"        # HQ's updated_at of the newest escalation read back


@dataclass(frozen=True)
class EscalationReport:
    sent: int            # complaints HQ accepted in this run
    notes: int           # HQ notes copied into the store's complaints
    failed: int          # requests that did not get through (tried again next run)


@dataclass(frozen=True)
class Outgoing:
    feedback_id: uuid.UUID
    ref: uuid.UUID
    kind: str
    priority: str
    summary: str
    customer_id: uuid.UUID | None
    staff_id: uuid.UUID


def _overdue_past_threshold(session: Session, f: Feedback, now: datetime) -> bool:
    if f.status != "open" or not f.severity or f.due_at is None:
        return False
    hours = care_rules.rule(session, f.severity).escalate_overdue_hours
    return hours is not None and is_overdue(f.due_at + timedelta(hours=hours), now)


def flag_overdue(session: Session, now: datetime) -> int:
    """Mark the open complaints overdue past their rule's threshold as pending; how many."""
    flagged = 0
    for f in session.scalars(select(Feedback).where(
            Feedback.status == "open", Feedback.severity != "", Feedback.due_at.is_not(None),
            Feedback.escalated.is_(False), Feedback.escalation_pending.is_(False))):
        if _overdue_past_threshold(session, f, now):
            f.escalation_pending, f.updated_at = True, now
            audit.record(session, None, "complaint.escalate", "feedback", f.id, detail="overdue pending")
            flagged += 1
    return flagged


def _staff_for(session: Session, f: Feedback) -> uuid.UUID | None:
    chosen = f.classified_by_id or f.opened_by_id
    if chosen is not None:
        return chosen
    # opened by HQ or a survey, escalated before anyone classified it: the store's first manager or admin
    return session.scalar(select(Staff.id).where(Staff.store_id == f.store_id, Staff.role.in_(("manager", "admin")))
                          .order_by(Staff.created_at, Staff.id).limit(1))


def pending_escalations(session: Session, now: datetime) -> list[Outgoing]:
    """The pending complaints to raise, each with its ref (made and kept here when new)."""
    out = []
    for f in session.scalars(select(Feedback).where(Feedback.escalation_pending.is_(True))
                             .order_by(Feedback.opened_at)):
        staff_id = _staff_for(session, f)
        if staff_id is None:
            continue
        if f.escalation_ref is None:
            f.escalation_ref = uuid.uuid4()
        kind = "overdue_complaint" if _overdue_past_threshold(session, f, now) else "complaint"
        opened = f.opened_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
        summary = f"{kind.replace('_', ' ')} {f.category or 'unclassified'}/{f.severity or '-'} opened {opened}"
        out.append(Outgoing(f.id, f.escalation_ref, kind, "high" if f.severity == "major" else "normal", summary,
                            f.customer_id, staff_id))
    return out


def mark_sent(session: Session, sent: Outgoing, found: StoreEscalation, now: datetime) -> None:
    """HQ accepted ``sent``: the complaint is with the region."""
    f = session.get(Feedback, sent.feedback_id)
    if f is None:
        return
    f.escalated, f.escalation_pending = True, False
    f.escalated_at = f.escalated_at or found.created_at
    f.escalation_state = found.state
    f.updated_at = now
    session.add(FeedbackNote(feedback_id=f.id, at=found.created_at, author="store", staff_id=sent.staff_id,
                             action="to_region"))
    audit.record(session, None, "complaint.escalate", "feedback", f.id,
                 detail=f"hq_id={found.id} {sent.kind} {sent.priority}", staff_id=sent.staff_id)


def take_back(session: Session, found: list[StoreEscalation], now: datetime) -> int:
    """Copy HQ's notes (each once) and states into the complaints they belong to (by ref);
    how many notes were new."""
    by_ref = {e.ref: e for e in found}
    copied = 0
    if not by_ref:
        return 0
    for f in session.scalars(select(Feedback).where(Feedback.escalation_ref.in_(list(by_ref)))):
        esc = by_ref[f.escalation_ref] if f.escalation_ref is not None else None
        if esc is None:
            continue
        known = set(session.scalars(select(FeedbackNote.hq_note_id).where(
            FeedbackNote.feedback_id == f.id, FeedbackNote.hq_note_id.is_not(None))))
        for n in esc.notes:
            if not n.from_hq or n.id in known:
                continue
            session.add(FeedbackNote(feedback_id=f.id, at=n.at, author="hq", hq_role=(n.role or "")[:20],
                                     hq_note_id=n.id, action=(n.action or "note")[:20], text=n.text))
            audit.record(session, None, "complaint.note", "feedback", f.id,
                         detail=f"from_hq hq_note={n.id} role={n.role or ''}")
            copied += 1
        if f.escalation_state != esc.state:
            f.escalation_state = esc.state
            f.updated_at = now
    return copied


def _since(session: Session) -> datetime | None:
    text = get_state(session, SINCE_KEY)
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def sync_escalations(db: StoreDatabase, *, now: datetime | None = None,
                     transport: httpx.BaseTransport | None = None) -> EscalationReport:
    """One run (see the module's words). A request that fails is counted and tried again
    next run; nothing here raises for HQ being away."""
    at = (clock.now() if now is None else now)
    if at.tzinfo is None:
        raise ValueError("now must be an aware time")
    with db.session(write=True) as s:
        flag_overdue(s, at)
        outgoing = pending_escalations(s, at)           # the refs are kept before anything is sent
    sent = failed = 0
    with SyncClient(db, transport=transport) as client:
        for o in outgoing:
            try:
                found = send_escalation(client, staff_id=o.staff_id, kind=o.kind, summary=o.summary,
                                        priority=o.priority, customer_id=o.customer_id, ref=o.ref)
            except SyncError:
                failed += 1
                continue
            with db.session(write=True) as s:
                mark_sent(s, o, found, at)
            sent += 1
        with db.session() as s:
            since = _since(s)
        try:
            back = fetch_escalations(client, since)
        except SyncError:
            return EscalationReport(sent, 0, failed + 1)
    with db.session(write=True) as s:
        notes = take_back(s, back, at)
        if back:
            newest = max(e.updated_at for e in back)
            set_state(s, SINCE_KEY, (max(newest, since) if since else newest).isoformat())
    return EscalationReport(sent, notes, failed)


__all__ = ["EscalationReport", "Outgoing", "SINCE_KEY", "flag_overdue", "mark_sent", "pending_escalations",
           "sync_escalations", "take_back"]
