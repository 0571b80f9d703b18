"""The signed links in messages (:mod:`core.care.tokens`), made at HQ with the key it derives
from the store's credential hash. A link names a ticket, a request or an invitation, never
the person; the pages that open them (:mod:`hq.links`, :mod:`hq.survey`) verify the token,
its kind and its expiry on HQ's clock.

* approval: ``/approve?t=…`` (kind ``quote``: visit id = the ticket's id, invitation id =
  the message request's id), valid :data:`APPROVAL_DAYS`;
* unsubscribe: ``/unsubscribe?t=…`` (kind ``unsubscribe``: both ids = the request's; HQ finds
  the customer and channel from the request), valid :data:`UNSUBSCRIBE_DAYS`;
* survey: ``/survey?t=…`` (kind ``ticket`` / ``appointment`` with the invitation the store
  wrote), valid the store's ``survey_token_days`` (default 14)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from core.care import tokens
from core.care.rules import SETTINGS

APPROVAL_DAYS = 7
UNSUBSCRIBE_DAYS = 90
SURVEY_DAYS = SETTINGS["survey_token_days"][0]
PATHS = {"quote": "/approve", "unsubscribe": "/unsubscribe", "ticket": "/survey", "appointment": "/survey"}


def url(public_url: str, credential_hash: str, *, kind: str, store_id: uuid.UUID, invitation_id: uuid.UUID,
        visit_id: uuid.UUID, expires_at: datetime, lang: str | None = None) -> str:
    """``<public_url><path>?t=<token>`` (and ``&lang=`` when given: a page opens in the
    message's language)."""
    token = tokens.make(tokens.key_from_credential_hash(credential_hash), store_id=store_id,
                        invitation_id=invitation_id, visit_kind=kind, visit_id=visit_id, expires_at=expires_at)
    tail = f"&lang={lang}" if lang else ""
    return f"{public_url.rstrip('/')}{PATHS[kind]}?t={token}{tail}"


def approval_url(public_url: str, credential_hash: str, *, store_id: uuid.UUID, request_id: uuid.UUID,
                 ticket_id: uuid.UUID, now: datetime, lang: str | None = None) -> str:
    return url(public_url, credential_hash, kind="quote", store_id=store_id, invitation_id=request_id,
               visit_id=ticket_id, expires_at=now + timedelta(days=APPROVAL_DAYS), lang=lang)


def unsubscribe_url(public_url: str, credential_hash: str, *, store_id: uuid.UUID, request_id: uuid.UUID,
                    now: datetime, lang: str | None = None) -> str:
    return url(public_url, credential_hash, kind="unsubscribe", store_id=store_id, invitation_id=request_id,
               visit_id=request_id, expires_at=now + timedelta(days=UNSUBSCRIBE_DAYS), lang=lang)


def survey_url(public_url: str, credential_hash: str, *, store_id: uuid.UUID, invitation_id: uuid.UUID,
               visit_kind: str, visit_id: uuid.UUID, now: datetime, days: int = SURVEY_DAYS,
               lang: str | None = None) -> str:
    if visit_kind not in tokens.SURVEY_KINDS:
        raise ValueError("visit_kind must be ticket or appointment")
    return url(public_url, credential_hash, kind=visit_kind, store_id=store_id, invitation_id=invitation_id,
               visit_id=visit_id, expires_at=now + timedelta(days=days), lang=lang)


__all__ = ["APPROVAL_DAYS", "PATHS", "SURVEY_DAYS", "UNSUBSCRIBE_DAYS", "approval_url", "survey_url",
           "unsubscribe_url", "url"]
