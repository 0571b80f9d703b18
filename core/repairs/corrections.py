"""Corrections after a pickup: a manager voids a hand-over or a payment, and a device that
comes back within the repair's warranty reopens as a rework ticket linked to the first.

Voids never delete: the ticket keeps its history (a note with the manager's reason), the
audit names the action, and points a member earned on the repair are taken back by a
reversing entry in the loyalty ledger (insert-only, like every ledger write).

The repair's own warranty runs ``REPAIR_WARRANTY_DAYS`` from the day the repaired device
was collected (the store's day); it is derived from ``collected_at``, so voiding a pickup
and handing over again moves it with the hand-over."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, ValidationError
from core.models import LoyaltyAccount, LoyaltyEntry, RepairEvent, RepairTicket, Store
from core.permissions import Actor, Perm, require
from core.repairs.handback import amount_due
from core.repairs.intake import open_ticket
from core.repairs.workflow import OPEN_STATUSES, TicketView, _note, _now, _ticket, _view
from core.validation import normalize_free_text

if TYPE_CHECKING:
    from core.loyalty import LedgerResult

REPAIR_WARRANTY_DAYS = 90
MAX_REASON = 300


def _reason(reason: str | None) -> str:
    """The manager's reason, refused beside the field when missing (each caller words the
    missing reason itself, so the message is found by the translation extractor), too long
    or holding control characters."""
    return normalize_free_text(reason, field="reason", max_len=MAX_REASON)


def _store_day(session: Session, store_id: uuid.UUID, at: datetime) -> date:
    store = session.get(Store, store_id)
    try:
        zone = ZoneInfo(store.timezone if store else "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return at.astimezone(zone).date()


def _warranty_end(session: Session, t: RepairTicket) -> date | None:
    """The last day of the repair's warranty: ``REPAIR_WARRANTY_DAYS`` after the store's day the
    repaired device was collected; None for a device not collected as repaired."""
    if t.status != "collected" or t.collected_at is None:
        return None
    return _store_day(session, t.store_id, t.collected_at) + timedelta(days=REPAIR_WARRANTY_DAYS)


# --- loyalty -----------------------------------------------------------------------------------

def _account_of(session: Session, t: RepairTicket) -> LoyaltyAccount | None:
    if t.customer_id is None:
        return None
    return session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == t.customer_id)).first()


def _ticket_points(session: Session, account_id: uuid.UUID, ticket_id: uuid.UUID) -> tuple[int, int, bool]:
    """Points and spend the ticket holds on the ledger now (earns minus reversals), and
    whether it ever earned."""
    where = (LoyaltyEntry.account_id == account_id, LoyaltyEntry.ref_type == "ticket",
             LoyaltyEntry.ref_id == ticket_id, LoyaltyEntry.kind.in_(("earn", "adjust")))
    points, spend = session.execute(select(func.coalesce(func.sum(LoyaltyEntry.points), 0),
                                           func.coalesce(func.sum(LoyaltyEntry.spend_cents), 0))
                                    .where(*where)).one()
    earned = session.scalar(select(LoyaltyEntry.id).where(*where, LoyaltyEntry.kind == "earn").limit(1))
    return int(points), int(spend), earned is not None


def _reverse_points(session: Session, actor: Actor, t: RepairTicket, why: str) -> int:
    """Take back what the ticket earned, with a reversing entry (points and spend); returns the
    points taken back. The balance may go below zero when they were spent already: the ledger
    shows it and a manager settles it, as after two stores spent the same points offline."""
    acct = _account_of(session, t)
    if acct is None or not acct.active:
        return 0
    points, spend, _ = _ticket_points(session, acct.id, t.id)
    if points <= 0:
        return 0
    from core.loyalty.entries import _begin, _post     # core.loyalty imports core.repairs: import when used
    acct, _, rules, now, previous = _begin(session, actor, acct.id, None)
    _post(session, actor, acct, rules, now, kind="adjust", points=-points, reason=f"{why}: repair {t.number}",
          ref_type="ticket", ref_id=t.id, spend_cents=-spend, previous_tier=previous)
    return points


def earn_at_pickup(session: Session, actor: Actor, ticket_id: uuid.UUID,
                   now: datetime | None = None) -> LedgerResult | None:
    """The points for a hand-over, in the same transaction (the bench calls it after
    :func:`core.repairs.pickup`): the first time through ``core.loyalty.earn_for_ticket``;
    after a voided pickup or payment took them back, earned afresh on what is paid now."""
    require(actor, Perm.WORK_TICKETS)
    from core import loyalty
    from core.loyalty.entries import _begin, _post
    from core.loyalty.rules import _points_for
    t = _ticket(session, actor, ticket_id)
    acct = _account_of(session, t)
    if acct is None or not acct.active or t.status != "collected" or t.payment_status == "unpaid":
        return None
    held, _, earned = _ticket_points(session, acct.id, t.id)
    if not earned:
        return loyalty.earn_for_ticket(session, actor, t.id, now=now)
    if held > 0:
        return None          # still held: nothing was taken back
    acct, _, rules, when, previous = _begin(session, actor, acct.id, now)
    spend = amount_due(session, t)
    points = _points_for(rules, "ticket", spend)
    if points <= 0:
        return None
    # an id derived from the ticket and how many times its points were taken back, as the
    # first earn's is: the same re-earn written twice (two PCs, a retried sync) is one entry
    from core.loyalty.rules import fact_id
    reversals = session.scalar(select(func.count()).select_from(LoyaltyEntry).where(
        LoyaltyEntry.account_id == acct.id, LoyaltyEntry.ref_type == "ticket", LoyaltyEntry.ref_id == t.id,
        LoyaltyEntry.kind == "adjust", LoyaltyEntry.points < 0)) or 0
    return _post(session, actor, acct, rules, when, kind="earn", points=points, reason=f"Repair {t.number}",
                 ref_type="ticket", ref_id=t.id, spend_cents=spend, previous_tier=previous,
                 entry_id=fact_id("earn", t.id, "again", reversals))


# --- voids -------------------------------------------------------------------------------------

def void_pickup(session: Session, actor: Actor, ticket_id: uuid.UUID, *, reason: str) -> TicketView:
    """A manager undoes a hand-over recorded by mistake: the ticket is ready for pickup again
    (a device handed back unrepaired keeps its status), who took it, the signature and the
    payment are cleared, and the points earned on it are taken back."""
    require(actor, Perm.CORRECT_PICKUPS)
    why = _reason(reason)
    if not why:
        raise ValidationError("reason", "give the reason for voiding the pickup")
    t = _ticket(session, actor, ticket_id)
    if t.collected_at is None:
        raise Conflict("the device has not been handed over")
    if session.scalar(select(RepairTicket.id).where(RepairTicket.rework_of_id == t.id).limit(1)) is not None:
        raise Conflict("a rework ticket was opened for this repair: its pickup stays")
    payment = t.payment_status
    taken = _reverse_points(session, actor, t, "Pickup voided")
    if t.status == "collected":
        # the history shows the step back (collected -> ready), which no move of the
        # workflow makes: a re-pickup is then a second collected move after it, not a repeat
        session.add(RepairEvent(ticket_id=t.id, at=_now(), staff_id=actor.staff_id, from_status="collected",
                                to_status="ready", note=why[:500], note_code="pickup_voided", note_params={}))
        t.status = "ready"
    else:
        _note(session, actor, t, why, code="pickup_voided")
    t.collected_by = t.pickup_signature = t.pickup_signature_name = None
    t.collected_at = t.pickup_proof = None
    t.payment_status = "unpaid" if amount_due(session, t) > 0 else "no_charge"     # as when it became ready
    session.flush()
    audit.record(session, actor, "ticket.pickup_voided", "repair_ticket", t.id,
                 detail=f"payment={payment} points={taken}")
    return _view(t)


def void_payment(session: Session, actor: Actor, ticket_id: uuid.UUID, *, reason: str) -> TicketView:
    """A manager reverses the payment recorded at pickup (the device stays with the customer):
    the ticket shows it not paid yet until a payment is recorded again, and the points earned on it are
    taken back."""
    require(actor, Perm.CORRECT_PICKUPS)
    why = _reason(reason)
    if not why:
        raise ValidationError("reason", "give the reason for voiding the payment")
    t = _ticket(session, actor, ticket_id)
    if t.collected_at is None:
        raise Conflict("the device has not been handed over")
    if t.payment_status not in ("paid", "invoiced"):
        raise Conflict("no payment is recorded on this ticket")
    payment = t.payment_status
    taken = _reverse_points(session, actor, t, "Payment voided")
    t.payment_status = "unpaid"
    _note(session, actor, t, why, code="payment_voided")
    session.flush()
    audit.record(session, actor, "ticket.payment_voided", "repair_ticket", t.id,
                 detail=f"payment={payment} points={taken}")
    return _view(t)


def record_payment(session: Session, actor: Actor, ticket_id: uuid.UUID, *, payment_status: str) -> TicketView:
    """After a voided payment: how the customer paid after all (paid or invoiced)."""
    require(actor, Perm.WORK_TICKETS)
    if not payment_status:
        raise ValidationError("payment_status", "choose how the customer paid")
    if payment_status not in ("paid", "invoiced"):
        raise ValidationError("payment_status", "the repair is charged: take payment or invoice it")
    t = _ticket(session, actor, ticket_id)
    if t.collected_at is None or t.payment_status != "unpaid":
        raise Conflict("no payment is waiting to be recorded on this ticket")
    t.payment_status = payment_status
    _note(session, actor, t, code="payment_recorded")
    session.flush()
    audit.record(session, actor, "ticket.payment_recorded", "repair_ticket", t.id, detail=f"payment={payment_status}")
    return _view(t)


# --- rework ------------------------------------------------------------------------------------

def open_rework(session: Session, actor: Actor, ticket_id: uuid.UUID, *, reported_fault: str,
                now: datetime | None = None) -> TicketView:
    """The repaired device comes back within the repair's warranty: a new ticket for the same
    customer and device, linked to the first (``rework_of_id``) and not charged unless the
    technician says so. Outside the warranty it is refused, naming the day it ended."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    end = _warranty_end(session, t)
    if end is None:
        raise Conflict("only a repaired device that was collected comes back under the repair's warranty")
    today = _store_day(session, t.store_id, now or _now())
    if today > end:
        raise Conflict("the repair's warranty ended on {date}", date=end.isoformat())
    if session.scalar(select(RepairTicket.id).where(RepairTicket.rework_of_id == t.id,
                                                    RepairTicket.status.in_(OPEN_STATUSES)).limit(1)):
        raise Conflict("a rework ticket is already open for this repair")
    view = open_ticket(session, actor, customer_id=t.customer_id, device_id=t.device_id,
                       reported_fault=reported_fault, contact_preference=t.contact_preference,
                       approval_limit_cents=t.approval_limit_cents)
    rework = _ticket(session, actor, view.id)
    rework.rework_of_id = t.id
    _note(session, actor, rework, code="rework_of", params={"number": t.number})
    _note(session, actor, t, code="returned_for_rework", params={"number": rework.number})
    session.flush()
    audit.record(session, actor, "ticket.rework", "repair_ticket", t.id, detail=rework.number)
    return _view(rework)
