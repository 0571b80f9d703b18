"""The customer's answers by link (issue 22): HQ's approval page writes a ``link_answer``
row for the store; after each sync the store applies it to the ticket (the desktop's sync
service runs :func:`apply_link_answers`, off the GUI thread), as the system: no one is
signed in, so the ticket's history names no staff member and the channel is "link".

Each answer is applied once (``applied_at``); ``outcome`` says what happened:
``applied``; ``not_waiting`` when the ticket no longer waits for the customer's approval
(answered at the counter meanwhile, or cancelled); ``superseded`` when the quote the link
showed was revised since (its request is not the ticket's latest approval request, or
asked for another total than the ticket's now); ``unknown_ticket`` when the ticket is
not this store's."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, clock
from core.models import LinkAnswer, MessageRequest, RepairTicket
from core.repairs.quoting import _answer_quote, ticket_amounts

if TYPE_CHECKING:
    from core.db import StoreDatabase

ANSWERS = ("approved", "refused")


def _answers_current_quote(session: Session, a: LinkAnswer, t: RepairTicket) -> bool:
    """Did the link show the quote the ticket waits for now? Its request is the ticket's
    latest approval request (a revised quote asks again with a new one, whether or not HQ
    had sent the old one) and asked for the ticket's current total (core.money's)."""
    if a.request_id is None:
        return False
    latest = session.scalars(select(MessageRequest).where(
        MessageRequest.ticket_id == t.id, MessageRequest.kind == "approval_needed")
        .order_by(MessageRequest.created_at.desc(), MessageRequest.id.desc()).limit(1)).first()
    if latest is None or latest.id != a.request_id or latest.cancelled:
        return False
    amount = (latest.params or {}).get("amount_cents")
    return isinstance(amount, int) and amount == ticket_amounts(session, t).total_cents


def _outcome(session: Session, a: LinkAnswer, store_id: uuid.UUID) -> str:
    t = session.get(RepairTicket, a.ticket_id)
    if t is None or t.store_id != store_id or a.answer not in ANSWERS:
        return "unknown_ticket"
    if t.status != "awaiting_approval":
        return "not_waiting"
    if not _answers_current_quote(session, a, t):
        return "superseded"
    _answer_quote(session, None, t, approved=a.answer == "approved", channel="link")
    return "applied"


def apply_pending(session: Session, *, store_id: uuid.UUID, now: datetime) -> int:
    """Apply this store's link answers not applied yet, oldest first; returns how many moved
    a ticket. Idempotent: an applied answer is never applied again."""
    applied = 0
    for a in session.scalars(select(LinkAnswer).where(LinkAnswer.store_id == store_id,
                                                      LinkAnswer.applied_at.is_(None))
                             .order_by(LinkAnswer.at, LinkAnswer.id)).all():
        outcome = _outcome(session, a, store_id)
        a.applied_at, a.outcome = now, outcome
        audit.record(session, None, "ticket.link_answer", "repair_ticket", a.ticket_id,
                     detail=f"answer={a.answer} outcome={outcome}")
        applied += outcome == "applied"
    session.flush()
    return applied


def apply_link_answers(db: StoreDatabase, now: datetime | None = None) -> int:
    """:func:`apply_pending` for the enrolled store, in its own unit of work; 0 when the store
    has not enrolled with HQ."""
    from core.sync.apply import get_state
    with db.session(write=True) as s:
        store_id = get_state(s, "hq.store_id")
        if not store_id:
            return 0
        return apply_pending(s, store_id=uuid.UUID(store_id), now=now or clock.now())


__all__ = ["ANSWERS", "apply_link_answers", "apply_pending"]
