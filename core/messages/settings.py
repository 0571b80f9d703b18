"""The store's settings for messages to customers (issue 22): the quiet hours in which HQ sends
no text message (it holds them until the hours end), and the days after "ready for pickup"
before a customer who has not collected is reminded.

Both are kept in ``Store.settings`` (JSON, synced to HQ with the store row). The key names
and defaults are here once; :mod:`core.messages.events` and HQ's sender
(:mod:`hq.messages.worker`) read them through these constants and readers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.errors import ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.models import Store
from core.permissions import Actor, Perm, require

# ["HH:MM", "HH:MM"]: local start and end of the quiet hours; a window that starts where it
# ends is no window (HQ sends text messages at any hour)
QUIET_HOURS_KEY = "sms_quiet_hours"
QUIET_HOURS_DEFAULT = ("21:00", "09:00")
NO_QUIET_HOURS = ("00:00", "00:00")
# whole days after "ready for pickup" before the "still waiting" message
STILL_WAITING_KEY = "still_waiting_days"
STILL_WAITING_DEFAULT = 7
STILL_WAITING_MIN, STILL_WAITING_MAX = 1, 60

_HHMM = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class MessageSettings:
    quiet_from: str | None          # "HH:MM" local, or None: no quiet hours
    quiet_to: str | None
    still_waiting_days: int


def quiet_hours_in(settings: Mapping[str, Any] | None) -> tuple[str, str]:
    """The quiet hours a store's settings hold (start, end), or the default when they hold
    none or a malformed value. Equal start and end: no quiet hours."""
    value = (settings or {}).get(QUIET_HOURS_KEY)
    if isinstance(value, (list, tuple)) and len(value) == 2 \
            and all(isinstance(v, str) and _HHMM.fullmatch(v) for v in value):
        return str(value[0]), str(value[1])
    return QUIET_HOURS_DEFAULT


def still_waiting_in(settings: Mapping[str, Any] | None) -> int:
    """The days before "still waiting" a store's settings hold, or the default."""
    value = (settings or {}).get(STILL_WAITING_KEY)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else STILL_WAITING_DEFAULT


def _of(store: Store) -> MessageSettings:
    start, end = quiet_hours_in(store.settings)
    quiet = start != end
    return MessageSettings(start if quiet else None, end if quiet else None, still_waiting_in(store.settings))


def message_settings(session: Session, actor: Actor) -> MessageSettings:
    require(actor, Perm.MANAGE_SETTINGS)
    return _of(get_or_not_found(session, Store, actor.store_id, "store"))


def set_message_settings(session: Session, actor: Actor, *, quiet_from: str | None, quiet_to: str | None,
                         still_waiting_days: int) -> MessageSettings:
    """A manager sets the quiet hours for text messages (local ``HH:MM`` start and end; both
    None for no quiet hours) and the days before a customer who has not collected is reminded."""
    require(actor, Perm.MANAGE_SETTINGS)
    errors: list[ValidationError] = []
    quiet = quiet_from is not None or quiet_to is not None
    hours = list(NO_QUIET_HOURS)
    if quiet:
        for i, (field, value) in enumerate((("quiet_from", quiet_from), ("quiet_to", quiet_to))):
            if isinstance(value, str) and _HHMM.fullmatch(value.strip()):
                hours[i] = value.strip()
            else:
                errors.append(ValidationError(field, "must be a time of day as HH:MM"))
        if not errors and hours[0] == hours[1]:
            errors.append(ValidationError("quiet_to", "must differ from the start; for none, choose no quiet hours"))
    if isinstance(still_waiting_days, bool) or not isinstance(still_waiting_days, int) \
            or not STILL_WAITING_MIN <= still_waiting_days <= STILL_WAITING_MAX:
        errors.append(ValidationError("still_waiting_days", "must be between {low} and {high} days",
                                      low=STILL_WAITING_MIN, high=STILL_WAITING_MAX))
    if errors:
        raise ValidationErrors(errors)
    store = get_or_not_found(session, Store, actor.store_id, "store")
    store.settings = {**(store.settings or {}), QUIET_HOURS_KEY: hours, STILL_WAITING_KEY: still_waiting_days}
    audit.record(session, actor, "settings.messages", "store", store.id,
                 detail=f"quiet={'-'.join(hours) if quiet else 'none'} still_waiting_days={still_waiting_days}")
    return _of(store)


__all__ = ["NO_QUIET_HOURS", "QUIET_HOURS_DEFAULT", "QUIET_HOURS_KEY", "STILL_WAITING_DEFAULT", "STILL_WAITING_KEY",
           "STILL_WAITING_MAX", "STILL_WAITING_MIN", "MessageSettings", "message_settings", "quiet_hours_in",
           "set_message_settings", "still_waiting_in"]
