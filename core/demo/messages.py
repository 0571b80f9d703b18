"""Demo step: messages to customers (issue 22) about the last weeks' repairs and the
appointments around the demo's now, with the delivery status HQ would have written back:
delivered or sent a minute after the event, an SMS the gateway kept refusing (failed after
its retries), reminders and "still waiting" messages scheduled for
later, and the ones the store cancelled when the event no longer held (a cancelled
appointment's reminder, a collected device's "still waiting").

The channel is :func:`core.messages.queue.channel_for`'s (the ONE rule), so a customer who
would get no message gets none here either; params are codes, numbers and times only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from core.demo.data import STORE_CURRENCY
from core.messages.queue import channel_for
from core.messages.events import quote_covers
from core.messages.settings import STILL_WAITING_DEFAULT
from core.models import Appointment, Customer, MessageRequest, RepairEvent, RepairTicket, ServiceType
from core.terms import LANGUAGES

if TYPE_CHECKING:
    from core.demo.build import Build

RECENT = timedelta(days=30)          # messages about what happened in the last month

REMINDER_BEFORE = timedelta(hours=24)


class _Writer:
    def __init__(self, b: "Build") -> None:
        self.b = b
        self.rows: list[MessageRequest] = []

    def add(self, customer: Customer | None, kind: str, key: str, at: datetime, *, outcome: str,
            reason: str = "", send_after: datetime | None = None, preference: str | None = None,
            params: dict[str, Any] | None = None, **refs: Any) -> None:
        """One request queued at ``at``; ``outcome``: delivered, sent, failed, scheduled
        (send_after still ahead), cancelled."""
        b = self.b
        channel = channel_for(b.s, customer, kind, ticket_preference=preference)
        if customer is None or channel is None:
            return
        send_after = send_after or at
        row = MessageRequest(store_id=b.store_id, customer_id=customer.id, kind=kind, event_key=key[:120],
                             channel=channel, params=params or {}, created_at=at, send_after=send_after,
                             language=customer.language if customer.language in LANGUAGES else "zh_CN", **refs)
        done = min(b.now, send_after + timedelta(seconds=40))
        if outcome in ("delivered", "sent"):
            row.status, row.status_at, row.attempts = outcome, done, 1
        elif outcome == "failed":        # five tries over about 2 h 36 min, then given up
            row.status, row.status_reason = "failed", reason or ("gateway_error" if channel == "sms" else "smtp_error")
            row.status_at, row.attempts = min(b.now, send_after + timedelta(minutes=156)), 5
        elif outcome == "cancelled":
            row.cancelled, row.cancelled_at = True, min(b.now, max(at, send_after - timedelta(days=1)))
        self.rows.append(row)


def customer_messages(b: "Build") -> None:
    w = _Writer(b)
    _ticket_messages(b, w)
    _appointment_messages(b, w)
    b.add("message_request", w.rows)


def _ticket_messages(b: "Build", w: _Writer) -> None:
    since = b.now - RECENT
    tickets = list(b.s.scalars(select(RepairTicket).where(RepairTicket.created_at >= since,
                                                          RepairTicket.customer_id.is_not(None))
                               .order_by(RepairTicket.created_at)))
    moved: dict[tuple[Any, str], datetime] = {}
    for e in b.s.scalars(select(RepairEvent).where(RepairEvent.ticket_id.in_([t.id for t in tickets]))):
        moved[(e.ticket_id, e.to_status)] = e.at
    ready_seen = 0
    for t in tickets:
        customer = b.s.get(Customer, t.customer_id)
        pref = t.contact_preference
        common = {"ticket_number": t.number}
        w.add(customer, "repair_received", f"ticket:{t.id}:received", t.created_at, outcome="delivered",
              preference=pref, params={**common, "device": _model_name(b, t)}, ticket_id=t.id)
        asked = moved.get((t.id, "awaiting_approval"))
        if asked is not None:
            w.add(customer, "approval_needed", f"ticket:{t.id}:approval", asked,
                  outcome="sent" if t.status == "awaiting_approval" else "delivered", preference=pref,
                  params={**common, "amount_cents": t.quote_cents or 0, "currency": STORE_CURRENCY,
                          "covers": quote_covers(b.s, t)},
                  ticket_id=t.id)
        ready = moved.get((t.id, "ready"))
        if ready is None:
            continue
        # the first of every four devices waiting for pickup: the gateway (or mail server) kept
        # refusing the message, so the counter should call
        refused = t.status == "ready" and ready_seen % 4 == 0
        ready_seen += t.status == "ready"
        w.add(customer, "ready_for_pickup", f"ticket:{t.id}:ready", ready,
              outcome="failed" if refused else "delivered", preference=pref,
              params={**common, "amount_cents": t.quote_cents or 0, "currency": STORE_CURRENCY}, ticket_id=t.id)
        nudge = ready + timedelta(days=STILL_WAITING_DEFAULT)
        collected = moved.get((t.id, "collected"))
        if t.status == "ready" or (collected is not None and collected > nudge):
            outcome = "scheduled" if nudge > b.now else "delivered"
        else:
            outcome = "cancelled"
        w.add(customer, "still_waiting", f"ticket:{t.id}:still_waiting", ready, outcome=outcome, preference=pref,
              send_after=nudge, params={**common, "days": STILL_WAITING_DEFAULT}, ticket_id=t.id)


def _appointment_messages(b: "Build", w: _Writer) -> None:
    since = b.now - RECENT
    codes = {st.id: st.code for st in b.s.scalars(select(ServiceType))}
    for a in b.appointments:
        if a.customer_id is None or a.source == "walk_in" or a.starts_at < since:
            continue
        customer = b.customer_by_id.get(a.customer_id) or b.s.get(Customer, a.customer_id)
        params = {"starts_at": a.starts_at.isoformat(), "service": codes.get(a.service_type_id, ""),
                  "store_tz": b.tz.key}
        booked = min(a.created_at, b.now)
        w.add(customer, "appointment_confirmed", f"appointment:{a.id}:confirmed", booked, outcome="delivered",
              params=params, appointment_id=a.id)
        remind = a.starts_at - REMINDER_BEFORE
        key = f"appointment:{a.id}:reminder:{a.starts_at.isoformat()}"
        if remind <= booked:
            pass                                    # booked less than a day ahead: no reminder
        elif a.status == "cancelled":
            w.add(customer, "appointment_reminder", key, booked, outcome="cancelled", send_after=remind,
                  params=params, appointment_id=a.id)
            cancelled_at = _cancelled_at(a, b.now)
            w.add(customer, "appointment_cancelled", f"appointment:{a.id}:cancelled", cancelled_at,
                  outcome="delivered", params=params, appointment_id=a.id)
        elif remind > b.now:
            w.add(customer, "appointment_reminder", key, booked, outcome="scheduled", send_after=remind,
                  params=params, appointment_id=a.id)
        else:
            w.add(customer, "appointment_reminder", key, booked, outcome="delivered", send_after=remind,
                  params=params, appointment_id=a.id)


def _model_name(b: "Build", t: RepairTicket) -> str:
    model = b.device_model.get(t.device_id) if t.device_id is not None else None
    return model.name if model is not None else ""


def _cancelled_at(a: Appointment, now: datetime) -> datetime:
    return min(now, max(a.created_at, a.updated_at or a.created_at))
