"""Queueing a message to a customer (issue 22): a :class:`MessageRequest` row written in the
same unit of work as the event it tells about, so it leaves the store through the outbox
with that event (offline safe). HQ sends it; the store may cancel it until then.

:func:`channel_for` applies the ONE rule (:mod:`core.messages.rules`); :func:`queue_message` and
:func:`cancel_messages` are steps inside guarded functions (booking, intake, the ticket's
moves, pickup, trade-in quotes, the loyalty run), which checked their permission first."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.messages import KINDS, rules
from core.models import Consent, Customer, MessageRequest, Store
from core.terms import LANGUAGES

# a param is a code, a number, a time (as ISO text) or a list of codes: never free text about the person
ParamValue = str | int | bool | None | list[str]


def _consent_rows(session: Session, customer_id: uuid.UUID) -> list[rules.ConsentRow]:
    """The customer's consent decisions as :mod:`core.messages.rules` reads them."""
    return [rules.row(purpose=c.purpose, granted=c.granted, at=c.at, id=c.id, channel=c.channel)
            for c in session.scalars(select(Consent).where(Consent.customer_id == customer_id))]


def channel_for(session: Session, customer: Customer | None, kind: str, *,
                ticket_preference: str | None = None) -> str | None:
    """The channel a message of ``kind`` goes by to ``customer``, or None for no message:
    :func:`core.messages.rules.channel_for` (the ONE rule) over the customer's data. An
    erased or merged-away customer gets nothing."""
    if customer is None or customer.erased or customer.merged_into_id is not None:
        return None
    channel, _ = rules.channel_for(kind, preference=customer.contact_preference, ticket_preference=ticket_preference,
                                   has_phone=bool(customer.phone_e164), has_email=bool(customer.email),
                                   consents=_consent_rows(session, customer.id))
    return channel


def _language(session: Session, customer: Customer, store_id: uuid.UUID) -> str:
    """The customer's language, else the store's default (its setting, else by its country)."""
    if customer.language in LANGUAGES:
        return str(customer.language)
    store = session.get(Store, store_id)
    chosen = (store.settings or {}).get("language") if store is not None else None
    if chosen in LANGUAGES:
        return str(chosen)
    return "zh_CN" if store is not None and store.country == "CN" else "en"


def _check_params(params: Mapping[str, Any]) -> dict[str, ParamValue]:
    clean: dict[str, ParamValue] = {}
    for key, value in params.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            clean[key] = [str(v)[:60] for v in value]
        elif value is None or isinstance(value, (str, int, bool)):
            clean[key] = value[:80] if isinstance(value, str) else value
        else:
            raise ValueError(f"message param {key!r} must be a code, a number or a time")
    return clean


def queue_message(session: Session, *, store_id: uuid.UUID, kind: str, event_key: str,
                  customer_id: uuid.UUID | None, now: datetime, params: Mapping[str, Any] | None = None,
                  send_after: datetime | None = None, ticket_id: uuid.UUID | None = None,
                  appointment_id: uuid.UUID | None = None, tradein_quote_id: uuid.UUID | None = None,
                  ticket_preference: str | None = None) -> MessageRequest | None:
    """Queue one message for the event ``event_key`` (to send at ``send_after``, else now);
    None when the channel rule says no message. One event, one message: a second call for
    the same event queues nothing (a request the store cancelled before it was sent is
    taken up again, with the new moment and params)."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if now.tzinfo is None or (send_after is not None and send_after.tzinfo is None):
        raise ValueError("now and send_after must be aware times")
    clean = _check_params(params or {})
    customer = session.get(Customer, customer_id) if customer_id is not None else None
    channel = channel_for(session, customer, kind, ticket_preference=ticket_preference)
    if channel is None or customer is None:
        return None
    existing = session.scalars(select(MessageRequest).where(MessageRequest.store_id == store_id,
                                                            MessageRequest.event_key == event_key)).first()
    if existing is not None:
        if existing.cancelled and existing.status == "queued":
            existing.cancelled, existing.cancelled_at = False, None
            existing.send_after, existing.params, existing.channel = send_after or now, clean, channel
            session.flush()
            return existing
        return None
    request = MessageRequest(store_id=store_id, customer_id=customer.id, kind=kind, event_key=event_key[:120],
                             ticket_id=ticket_id, appointment_id=appointment_id,
                             tradein_quote_id=tradein_quote_id, channel=channel,
                             language=_language(session, customer, store_id), params=clean, created_at=now,
                             send_after=send_after or now)
    session.add(request)
    session.flush()
    return request


def cancel_messages(session: Session, *, store_id: uuid.UUID, now: datetime, kinds: Iterable[str],
                    ticket_id: uuid.UUID | None = None, appointment_id: uuid.UUID | None = None,
                    tradein_quote_id: uuid.UUID | None = None) -> int:
    """Cancel the requests of ``kinds`` for one ticket, appointment or trade-in quote that
    HQ has not sent yet (the event no longer holds); returns how many."""
    q = select(MessageRequest).where(MessageRequest.store_id == store_id, MessageRequest.kind.in_(list(kinds)),
                                     MessageRequest.cancelled.is_(False), MessageRequest.status == "queued")
    if ticket_id is not None:
        q = q.where(MessageRequest.ticket_id == ticket_id)
    elif appointment_id is not None:
        q = q.where(MessageRequest.appointment_id == appointment_id)
    elif tradein_quote_id is not None:
        q = q.where(MessageRequest.tradein_quote_id == tradein_quote_id)
    else:
        raise ValueError("name the ticket, appointment or trade-in quote")
    n = 0
    for request in session.scalars(q):
        request.cancelled, request.cancelled_at = True, now
        n += 1
    if n:
        session.flush()
    return n


__all__ = ["channel_for", "cancel_messages", "queue_message"]
