"""A customer's opt-out (issue 22): the unsubscribe link in an e-mail (:mod:`hq.links`) or a
reply STOP / TD / 退订 / 取消 to a text (``POST /v1/sms/inbound``, from the SMS gateway).

An opt-out withdraws the channel's marketing consent (a new ``consent`` row: purpose
``marketing_email`` / ``marketing_sms``, ``granted`` False, channel ``link`` / ``sms_reply``)
and, when the customer hears from the stores by that channel (their contact preference is
that channel, or unsaid and that channel is the one the stores would use), sets the
preference to ``none``, so service messages stop too. Both are written as customer data on
behalf of the customer's home store (or, when HQ does not know it, a store that serves the
customer: :func:`hq.publish.write_for_store`), so every store that serves the customer pulls
the withdrawal at its next sync. An opt-out that is already in force writes nothing again.

``POST /v1/sms/inbound`` carries ``from`` (E.164) and ``text`` (JSON or a form) and the
shared secret (``ORCHARD_SMS_SECRET``, or a file named by ``ORCHARD_SMS_SECRET_FILE``) in
the :data:`SECRET_HEADER` header. Any text other than a stop word, and a number HQ holds for
no customer, is answered 200 and changes nothing (a gateway must not retry it). Nothing here
logs the number, the text or whom it found."""

from __future__ import annotations

import hmac
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection, Engine, select
from starlette.concurrency import run_in_threadpool

from core import clock
from core.ids import uuid7
from core.messages import MARKETING_CONSENT, rules
from core.privacy import NOTICE_VERSION
from core.sync.outbox import jsonable
from hq import fetch, publish
from hq.common import StoreAuth, _uuid_or_none, _write
from hq.messages.worker import consent_rows
from hq.models import hq_erased, hq_row, hq_served, hq_store

log = logging.getLogger("orchard.hq")

PATH = "/v1/sms/inbound"
SECRET_HEADER = "x-orchard-secret"
ENV_SECRET = "ORCHARD_SMS_SECRET"
# the words a reply opts out with, compared trimmed and case-folded (trailing punctuation too)
STOP_WORDS = frozenset({"stop", "td", "退订", "取消", "unsubscribe"})
_PUNCTUATION = " \t\r\n.!。！,，"
VIA = {"link": "link", "sms_reply": "sms_reply"}        # core.terms consent_channel codes
_MAX_BODY = 8192


@dataclass(frozen=True)
class OptedOut:
    customer_id: uuid.UUID
    store_id: uuid.UUID              # the store the withdrawal was written for
    consent_written: bool
    preference_changed: bool


def is_stop(text: Any) -> bool:
    """Is a reply one of the stop words (STOP, TD, 退订, 取消), whatever its case and spacing?"""
    if not isinstance(text, str) or len(text) > 40:
        return False
    return text.strip(_PUNCTUATION).casefold() in STOP_WORDS


def survivor(conn: Connection, customer_id: uuid.UUID) -> tuple[uuid.UUID, dict[str, Any]] | None:
    """The profile in use for ``customer_id`` (a merged-away one's survivor, a few hops at most)
    and its row's data; None for a customer HQ does not hold or that was erased."""
    at = customer_id
    for _ in range(6):
        data = conn.scalar(select(hq_row.c.data).where(hq_row.c.entity == "customer",
                                                       hq_row.c.entity_id == str(at), hq_row.c.deleted.is_(False)))
        if data is None:
            return None
        winner = _uuid_or_none((data or {}).get("merged_into_id"))
        if winner is None:
            break
        at = winner
    else:
        return None
    if data.get("erased") is True or conn.scalar(select(hq_erased.c.customer_id)
                                                 .where(hq_erased.c.customer_id == at)) is not None:
        return None
    return at, dict(data)


def writer_store(conn: Connection, customer_id: uuid.UUID, data: dict[str, Any]) -> StoreAuth | None:
    """The store the opt-out is written for: the customer's home store when it is enrolled and
    serves them, else the first enrolled store that serves them; None when none does."""
    served = set(conn.scalars(select(hq_served.c.store_id).where(hq_served.c.customer_id == customer_id)))
    home = _uuid_or_none(data.get("home_store_id"))
    order = ([home] if home in served else []) + sorted(served - {home}, key=str)
    for store_id in order:
        code = conn.scalar(select(hq_store.c.code).where(hq_store.c.store_id == store_id,
                                                         hq_store.c.credential_hash.is_not(None)))
        if code is not None:
            return StoreAuth(store_id, code, False)
    return None


def _hears_by(data: dict[str, Any], channel: str) -> bool:
    """Does the customer hear from the stores by ``channel``? The ONE rule's preference
    (:func:`core.messages.rules.preference_of`): theirs, or unsaid, a phone: SMS, else e-mail."""
    return rules.preference_of(str(data.get("contact_preference") or ""), None, has_phone=bool(data.get("phone_e164")),
                               has_email=bool(data.get("email"))) == channel


def opt_out(conn: Connection, customer_id: uuid.UUID, channel: str, via: str, now: datetime) -> OptedOut | None:
    """Withdraw the customer's marketing consent for ``channel`` (email, sms) and stop the
    channel's service messages, in the caller's write transaction; None for a customer HQ
    does not hold, that was erased, or that no enrolled store serves."""
    if channel not in MARKETING_CONSENT or via not in VIA:
        raise ValueError("unknown channel")
    found = survivor(conn, customer_id)
    if found is None:
        return None
    cid, data = found
    store = writer_store(conn, cid, data)
    if store is None:
        return None
    purpose = MARKETING_CONSENT[channel]
    changes: list[publish.Change] = []
    # already opted out by the customer themselves: nothing new (a staff-made withdrawal is
    # not the customer's STOP: the opt-out is recorded so the channel is blocked)
    withdraw = not rules.blocked(channel, consent_rows(conn, cid))
    if withdraw:
        consent_id = uuid7()
        changes.append(publish.Change("consent", str(consent_id), {
            "id": str(consent_id), "customer_id": str(cid), "purpose": purpose, "granted": False,
            "notice_version": NOTICE_VERSION, "channel": VIA[via], "staff_id": None, "store_id": str(store.store_id),
            "at": jsonable(now)}))
    change_preference = _hears_by(data, channel)
    if change_preference:
        changes.append(publish.Change("customer", str(cid), {"contact_preference": "none",
                                                             "updated_at": jsonable(now)}, update=True))
    if changes:
        publish.write_for_store(conn.engine, store, changes, now_ms=int(now.timestamp() * 1000), conn=conn)
    return OptedOut(cid, store.store_id, withdraw, change_preference)


def opt_out_phone(engine: Engine, phone: str, now: datetime) -> list[OptedOut]:
    """A STOP from ``phone`` (E.164): every customer HQ holds with that number opts out of SMS."""
    done: list[OptedOut] = []
    with _write(engine) as conn, conn.begin():
        ids, into = fetch.matching(conn, [("phone", phone)])
        seen: set[uuid.UUID] = set()
        for cid in ids:
            if cid in into:                    # merged away: its survivor is among ids
                continue
            result = opt_out(conn, cid, "sms", "sms_reply", now)
            if result is not None and result.customer_id not in seen:
                seen.add(result.customer_id)
                done.append(result)
    return done


# --- the gateway's webhook ---------------------------------------------------------------------

def configured_secret(environ: dict[str, str] | None = None) -> str:
    """The shared secret of the gateway's webhooks (:mod:`hq.messages.settings`: the same
    ``ORCHARD_SMS_SECRET`` or ``ORCHARD_SMS_SECRET_FILE`` the delivery reports use); empty
    when neither is set (the webhook then refuses every request)."""
    from hq.messages.settings import _secret
    return _secret(os.environ if environ is None else environ, ENV_SECRET)


def _fields(raw: bytes, content_type: str) -> dict[str, str]:
    """``from`` and ``text`` of the gateway's body: JSON, or a form; anything else: nothing."""
    if len(raw) > _MAX_BODY:
        return {}
    try:
        if "json" in content_type:
            body = json.loads(raw.decode("utf-8"))
        else:
            from urllib.parse import parse_qs
            body = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), max_num_fields=20).items()}
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(body, dict):
        return {}
    return {k: v for k, v in body.items() if k in ("from", "text") and isinstance(v, str)}


def inbound(engine: Engine, fields: dict[str, str], now: datetime) -> dict[str, Any]:
    phone = fields.get("from", "").strip()
    if not is_stop(fields.get("text")) or not phone.startswith("+") or not phone[1:].isdigit() or len(phone) > 16:
        return {"ok": True, "opted_out": 0}
    done = opt_out_phone(engine, phone, now)
    log.info("sms opt-out by reply: %d customer(s)", len(done))
    return {"ok": True, "opted_out": len(done)}


def mount(app: FastAPI) -> None:
    engine: Engine = app.state.engine
    secret = configured_secret()

    @app.post(PATH, include_in_schema=False)
    async def sms_inbound(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secret:
            return JSONResponse({"code": "not_configured"}, 503)
        if not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
            return JSONResponse({"code": "forbidden"}, 403)
        fields = _fields(await request.body(), request.headers.get("content-type", ""))
        return JSONResponse(await run_in_threadpool(inbound, engine, fields, clock.now()))


__all__ = ["PATH", "SECRET_HEADER", "STOP_WORDS", "OptedOut", "configured_secret", "inbound", "is_stop", "mount",
           "opt_out", "opt_out_phone", "survivor", "writer_store"]
