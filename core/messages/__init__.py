"""Messages to customers (issue 22): the store queues a request with the event; HQ renders,
sends (email over SMTP, SMS through a gateway) and reports the delivery back. No Qt here.

The codes below are the one list each; their words are in :mod:`core.terms` (kinds
``message_kind``, ``message_status``), which screen and paper both read."""

from __future__ import annotations

# every message a store may ask for; PROMOTIONAL ones also need the channel's marketing consent
KINDS = (
    "appointment_confirmed", "appointment_changed", "appointment_cancelled", "appointment_reminder",
    "repair_received", "approval_needed", "ready_for_pickup", "still_waiting", "tradein_expiring",
    "points_expiring", "survey_invitation",
)
PROMOTIONAL = frozenset({"points_expiring"})
CHANNELS = ("email", "sms")
# the channel's marketing consent (core.models.Consent.purpose)
MARKETING_CONSENT = {"email": "marketing_email", "sms": "marketing_sms"}
STATUSES = ("queued", "sent", "delivered", "failed", "suppressed", "cancelled")

__all__ = ["CHANNELS", "KINDS", "MARKETING_CONSENT", "PROMOTIONAL", "STATUSES"]
