"""May this customer get this message on this channel? The ONE rule (issue 22), as pure
functions over plain data (no Session, no connection), used by the store when it queues a
message (:mod:`core.messages.queue`), by HQ's worker when it sends one
(:mod:`hq.messages.worker`) and by HQ's opt-out (:mod:`hq.optout`).

- A consent decision in force is the latest row for its purpose by ``at``, then by the
  row's id (ids are uuid7, so a later row wins a tie): :func:`latest`.
- A customer who opted out of a channel themselves (the latest decision for the channel's
  marketing consent is a withdrawal made by their own opt-out: a reply STOP for SMS, the
  unsubscribe link for e-mail) gets NO message on that channel, service ones included
  (carriers' STOP rules), until a later grant: :func:`blocked`.
- The preference: ticket messages follow the ticket's contact preference, everything else
  the customer's; the customer's own "none" stops ticket messages too. Unsaid: SMS when
  there is a phone, else e-mail when there is an address. "phone" and "none" send nothing.
- A promotional kind also needs the channel's marketing consent in force.

Reasons are :mod:`core.terms` ``message_reason`` codes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from core.messages import MARKETING_CONSENT, PROMOTIONAL

# the consent channel (core.terms consent_channel) of the customer's own opt-out, per message channel
OPT_OUT_VIA = {"sms": "sms_reply", "email": "link"}

OPTED_OUT, NO_CONSENT, NO_CONTACT, NO_ADDRESS = "opted_out", "no_consent", "no_contact", "no_address"

_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class ConsentRow:
    """One consent decision, as plain data (the store's :class:`core.models.Consent` or the
    data of HQ's ``consent`` row)."""
    purpose: str
    granted: bool
    at: datetime
    id: str
    channel: str = ""


def when(value: Any) -> datetime:
    """An aware time from a datetime or ISO text (naive: UTC); unreadable: the earliest."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return _EARLIEST
    if not isinstance(value, datetime):
        return _EARLIEST
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def id_key(value: Any) -> str:
    """A row id as the tie-break compares it: a UUID's 32 hex digits (so a UUID, its dashed
    text and its stored hex order alike), anything else its text."""
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        return str(value)


def row(*, purpose: Any, granted: Any, at: Any, id: Any, channel: Any = "") -> ConsentRow:
    """A :class:`ConsentRow` from loose values (``granted`` counts only when it is True)."""
    return ConsentRow(str(purpose or ""), granted is True, when(at), id_key(id), str(channel or ""))


def row_of(entity_id: Any, data: Mapping[str, Any]) -> ConsentRow:
    """A :class:`ConsentRow` from the data of HQ's ``consent`` row (``entity_id`` its id)."""
    return row(purpose=data.get("purpose"), granted=data.get("granted"), at=data.get("at"),
               id=data.get("id") or entity_id, channel=data.get("channel"))


def latest(rows: Iterable[ConsentRow], purpose: str) -> ConsentRow | None:
    """The decision in force for ``purpose``: the latest ``at``, then the greatest id."""
    found: ConsentRow | None = None
    for r in rows:
        if r.purpose == purpose and (found is None or (r.at, r.id) > (found.at, found.id)):
            found = r
    return found


def consent_in_force(rows: Iterable[ConsentRow], purpose: str) -> bool:
    """Is the latest decision for ``purpose`` a grant? (None at all: no.)"""
    found = latest(rows, purpose)
    return found is not None and found.granted


def blocked(channel: str, rows: Iterable[ConsentRow]) -> bool:
    """Did the customer opt out of ``channel`` themselves (STOP, the unsubscribe link) with no
    grant since? Then nothing at all goes by that channel, service messages included."""
    if channel not in MARKETING_CONSENT:
        return False
    found = latest(rows, MARKETING_CONSENT[channel])
    return found is not None and not found.granted and found.channel == OPT_OUT_VIA[channel]


def preference_of(preference: str | None, ticket_preference: str | None, *, has_phone: bool,
                  has_email: bool) -> str:
    """The preference a message follows: "none" when the customer said so; else the ticket's
    (a ticket message), else the customer's; unsaid: sms with a phone, else email with an
    address, else none."""
    own = preference or ""
    if own == "none":
        return "none"
    chosen = ticket_preference or own
    if not chosen:
        chosen = "sms" if has_phone else "email" if has_email else "none"
    return chosen


def _check(kind: str, channel: str, *, has_phone: bool, has_email: bool,
           consents: Iterable[ConsentRow]) -> str:
    rows = list(consents)
    if blocked(channel, rows):
        return OPTED_OUT
    if not (has_phone if channel == "sms" else has_email):
        return NO_ADDRESS
    if kind in PROMOTIONAL and not consent_in_force(rows, MARKETING_CONSENT[channel]):
        return NO_CONSENT
    return ""


def channel_for(kind: str, *, preference: str | None, ticket_preference: str | None = None, has_phone: bool,
                has_email: bool, consents: Iterable[ConsentRow]) -> tuple[str | None, str]:
    """(the channel a message of ``kind`` goes by, "") or (None, the reason there is none)."""
    chosen = preference_of(preference, ticket_preference, has_phone=has_phone, has_email=has_email)
    if chosen == "none":
        return None, OPTED_OUT if preference == "none" else NO_CONTACT
    if chosen not in OPT_OUT_VIA:                 # phone: a person calls
        return None, NO_CONTACT
    reason = _check(kind, chosen, has_phone=has_phone, has_email=has_email, consents=consents)
    return (None, reason) if reason else (chosen, "")


def may_send(kind: str, channel: str, *, preference: str | None, ticket_preference: str | None,
             has_phone: bool, has_email: bool, consents: Iterable[ConsentRow]) -> tuple[bool, str]:
    """May a message queued for ``channel`` go now? (True, "") or (False, the reason).

    Checked again at send time, as things stand then: the customer's "none", an opt-out of
    the channel, an explicit preference (the ticket's for a ticket message, else the
    customer's) for another channel or for a call, a missing address, a promotional kind
    without the marketing consent. An unsaid preference keeps the channel the store chose."""
    if channel not in OPT_OUT_VIA:
        return False, NO_CONTACT
    rows = list(consents)
    if (preference or "") == "none" or blocked(channel, rows):
        return False, OPTED_OUT
    chosen = ticket_preference or preference or ""
    if chosen and chosen != channel:              # the ticket's "none", a call, the other channel
        return False, NO_CONTACT
    reason = _check(kind, channel, has_phone=has_phone, has_email=has_email, consents=rows)
    return not reason, reason


__all__ = ["NO_ADDRESS", "NO_CONSENT", "NO_CONTACT", "OPTED_OUT", "OPT_OUT_VIA", "ConsentRow", "blocked",
           "channel_for", "consent_in_force", "id_key", "latest", "may_send", "preference_of", "row", "row_of",
           "when"]
