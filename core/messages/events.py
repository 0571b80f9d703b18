"""The events that tell the customer something (issue 22), each queueing its message in the
caller's unit of work (:func:`core.messages.queue.queue_message`): an appointment booked,
moved or cancelled (and its reminder 24 h before), a repair received, a ticket's moves
(:func:`ticket_moved`, called by ``core.repairs.workflow._move``), the survey invitation
after pickup, a trade-in quote about to expire, points about to expire.

Every function here is a step inside a guarded service function, which checked its
permission before it; the params are codes, numbers and times only."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.messages.queue import cancel_messages, channel_for, queue_message
from core.messages.settings import STILL_WAITING_DEFAULT, still_waiting_in
from core.models import (
    Appointment, Customer, Device, LoyaltyAccount, LoyaltyEntry, Part, RepairEvent, RepairPart, RepairTicket,
    ServiceType, Store, TradeInQuote,
)

REMINDER_BEFORE = timedelta(hours=24)          # the appointment reminder
TRADEIN_BEFORE = timedelta(days=2)             # the trade-in quote's reminder
POINTS_NOTICE = timedelta(days=30)             # points expiring within this are announced
STILL_WAITING_DAYS = STILL_WAITING_DEFAULT    # default of the store setting (core.messages.settings)
APPOINTMENT_KINDS = ("appointment_confirmed", "appointment_changed", "appointment_reminder")


def _store(session: Session, store_id: uuid.UUID) -> Store | None:
    return session.get(Store, store_id)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="minutes")


# --- appointments -----------------------------------------------------------------------------

def _appointment_params(session: Session, a: Appointment) -> dict[str, str]:
    service = session.get(ServiceType, a.service_type_id)
    store = _store(session, a.store_id)
    return {"starts_at": _iso(a.starts_at), "service": service.code if service else "",
            "store_tz": store.timezone if store else "UTC"}


def _reminder(session: Session, a: Appointment, now: datetime) -> None:
    """The reminder 24 h before; none when that moment has already passed."""
    at = a.starts_at - REMINDER_BEFORE
    if at < now:
        return
    queue_message(session, store_id=a.store_id, kind="appointment_reminder",
                  event_key=f"appointment:{a.id}:reminder:{_iso(a.starts_at)}", customer_id=a.customer_id, now=now,
                  params=_appointment_params(session, a), send_after=at, appointment_id=a.id)


def appointment_booked(session: Session, a: Appointment, now: datetime) -> None:
    if a.customer_id is None:
        return
    queue_message(session, store_id=a.store_id, kind="appointment_confirmed", event_key=f"appointment:{a.id}:confirmed",
                  customer_id=a.customer_id, now=now, params=_appointment_params(session, a), appointment_id=a.id)
    _reminder(session, a, now)


def appointment_moved(session: Session, a: Appointment, now: datetime) -> None:
    """The old reminder (and a confirmation not yet sent) no longer hold; the customer hears
    of the new time and is reminded of it."""
    cancel_messages(session, store_id=a.store_id, now=now, kinds=APPOINTMENT_KINDS, appointment_id=a.id)
    if a.customer_id is None:
        return
    queue_message(session, store_id=a.store_id, kind="appointment_changed",
                  event_key=f"appointment:{a.id}:changed:{_iso(a.starts_at)}", customer_id=a.customer_id, now=now,
                  params=_appointment_params(session, a), appointment_id=a.id)
    _reminder(session, a, now)


def appointment_cancelled(session: Session, a: Appointment, now: datetime) -> None:
    cancel_messages(session, store_id=a.store_id, now=now, kinds=APPOINTMENT_KINDS, appointment_id=a.id)
    if a.customer_id is None:
        return
    queue_message(session, store_id=a.store_id, kind="appointment_cancelled", event_key=f"appointment:{a.id}:cancelled",
                  customer_id=a.customer_id, now=now, params=_appointment_params(session, a), appointment_id=a.id)


# --- repair tickets ---------------------------------------------------------------------------

def _ticket_message(session: Session, t: RepairTicket, kind: str, key: str, now: datetime,
                    params: dict[str, object], send_after: datetime | None = None) -> None:
    queue_message(session, store_id=t.store_id, kind=kind, event_key=f"ticket:{t.id}:{key}", customer_id=t.customer_id,
                  now=now, params={"ticket_number": t.number, **params}, send_after=send_after, ticket_id=t.id,
                  ticket_preference=t.contact_preference)


def repair_received(session: Session, t: RepairTicket, now: datetime) -> None:
    device = session.get(Device, t.device_id) if t.device_id else None
    _ticket_message(session, t, "repair_received", "received", now, {"device": device.model if device else ""})


def _currency(session: Session, t: RepairTicket) -> str:
    store = _store(session, t.store_id)
    return store.currency if store else "USD"


def quote_covers(session: Session, t: RepairTicket) -> list[str]:
    """What the quote covers: the parts' names (reference data) and labour."""
    names = list(session.scalars(select(Part.name).join(RepairPart, RepairPart.part_id == Part.id)
                                 .where(RepairPart.ticket_id == t.id, RepairPart.state != "released")
                                 .order_by(RepairPart.id)))
    return names + (["labour"] if t.labour_cents else [])


def still_waiting_days(session: Session, store_id: uuid.UUID) -> int:
    store = _store(session, store_id)
    return still_waiting_in(store.settings if store else None)


def ticket_moved(session: Session, t: RepairTicket, before: str, now: datetime) -> None:
    """After a ticket moved from ``before`` to ``t.status``: approval needed, ready for
    pickup (and "still waiting" N days later); what no longer holds is cancelled."""
    from core.repairs.quoting import ticket_amounts     # quoting imports the workflow that calls this
    if before == "awaiting_approval":
        cancel_messages(session, store_id=t.store_id, now=now, kinds=("approval_needed",), ticket_id=t.id)
    if t.status in ("collected", "cancelled", "unrepairable"):
        cancel_messages(session, store_id=t.store_id, now=now, kinds=("ready_for_pickup", "still_waiting"),
                        ticket_id=t.id)
    if t.customer_id is None:
        return
    if t.status == "awaiting_approval":
        # a revised quote asks again: one request per time the ticket waits for approval
        round_ = session.scalar(select(func.count()).select_from(RepairEvent).where(
            RepairEvent.ticket_id == t.id, RepairEvent.to_status == "awaiting_approval")) or 1
        amounts = ticket_amounts(session, t)
        _ticket_message(session, t, "approval_needed", f"approval:{round_}", now,
                        {"amount_cents": amounts.total_cents, "currency": _currency(session, t),
                         "covers": quote_covers(session, t)})
    elif t.status == "ready":
        _ticket_message(session, t, "ready_for_pickup", "ready", now,
                        {"amount_cents": ticket_amounts(session, t).amount_due_cents,
                         "currency": _currency(session, t)})
        days = still_waiting_days(session, t.store_id)
        _ticket_message(session, t, "still_waiting", "still_waiting", now, {"days": days},
                        send_after=now + timedelta(days=days))


def survey_wanted(session: Session, t: RepairTicket) -> bool:
    """Whether a survey invitation for this ticket would reach its customer at all."""
    customer = session.get(Customer, t.customer_id) if t.customer_id else None
    return channel_for(session, customer, "survey_invitation", ticket_preference=t.contact_preference) is not None


def survey_invitation(session: Session, t: RepairTicket, invitation_id: uuid.UUID, now: datetime) -> None:
    _ticket_message(session, t, "survey_invitation", "survey", now,
                    {"invitation_id": str(invitation_id), "visit_kind": "ticket", "visit_id": str(t.id)})


# --- trade-ins and points ---------------------------------------------------------------------

def tradein_quoted(session: Session, q: TradeInQuote, currency: str, now: datetime) -> None:
    """The reminder two days before the quote expires (none when that moment has passed)."""
    at = q.expires_at - TRADEIN_BEFORE
    if q.customer_id is None or at < now:
        return
    queue_message(session, store_id=q.store_id, kind="tradein_expiring", event_key=f"tradein:{q.id}:expiring",
                  customer_id=q.customer_id, now=now, send_after=at, tradein_quote_id=q.id,
                  params={"expires_at": _iso(q.expires_at), "value_cents": q.value_cents, "currency": currency})


def tradein_closed(session: Session, q: TradeInQuote, now: datetime) -> None:
    """Accepted, declined, requoted or expired: the reminder no longer holds."""
    cancel_messages(session, store_id=q.store_id, now=now, kinds=("tradein_expiring",), tradein_quote_id=q.id)


def points_expiring(session: Session, store_id: uuid.UUID, now: datetime, tz_name: str) -> int:
    """Tell the members enrolled at this store whose points expire within
    ``POINTS_NOTICE`` (promotional: the channel's marketing consent is needed); once per
    expiry date. Returns how many were queued."""
    from zoneinfo import ZoneInfo

    from core.loyalty.entries import _lines
    from core.loyalty.rules import expiring, ledger_state
    soon = select(LoyaltyEntry.account_id).where(LoyaltyEntry.points > 0, LoyaltyEntry.expires_at > now,
                                                  LoyaltyEntry.expires_at <= now + POINTS_NOTICE)
    queued = 0
    for acct in session.scalars(select(LoyaltyAccount).where(
            LoyaltyAccount.store_id == store_id, LoyaltyAccount.active.is_(True), LoyaltyAccount.id.in_(soon))):
        points, when = expiring(ledger_state(_lines(session, acct.id)), now)
        if not points or when is None or when > now + POINTS_NOTICE:
            continue
        on = when.astimezone(ZoneInfo(tz_name)).date().isoformat()
        if queue_message(session, store_id=store_id, kind="points_expiring",
                         event_key=f"loyalty:{acct.id}:expiring:{on}", customer_id=acct.customer_id, now=now,
                         params={"points": points, "expires_on": on}) is not None:
            queued += 1
    return queued


__all__ = ["appointment_booked", "appointment_cancelled", "appointment_moved", "points_expiring", "quote_covers",
           "repair_received", "still_waiting_days", "survey_invitation", "survey_wanted", "ticket_moved",
           "tradein_closed", "tradein_quoted"]
