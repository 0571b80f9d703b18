"""The SMS gateway's delivery reports: ``POST /v1/messages/delivery``.

The gateway sends the shared secret (``ORCHARD_SMS_SECRET``) in the ``X-Orchard-Secret``
header and a JSON body ``{"ref": <its id for the message, or HQ's ref>, "status":
"delivered" | "failed" | <the provider's word>, ...}``. HQ marks the message it sent with
that ref delivered or failed (reason ``undelivered``) and writes the status back onto the
store's request row. Without a configured secret the route answers 404; a wrong secret 401.
An unknown ref or status is answered 200 (a gateway retries what is not 2xx) and changes
nothing. Nothing in the body is logged."""

from __future__ import annotations

import hmac
import logging
import uuid
from datetime import datetime
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Engine, or_, select, update
from starlette.concurrency import run_in_threadpool

from core import clock
from hq.common import _write
from hq.messages import status
from hq.models import hq_message

log = logging.getLogger("orchard.hq")

PATH = "/v1/messages/delivery"
SECRET_HEADER = "x-orchard-secret"
DELIVERED = frozenset({"delivered", "delivrd", "success", "succeeded", "ok"})
FAILED = frozenset({"failed", "undelivered", "undeliv", "undeliverable", "rejected", "expired", "error"})


def secret_ok(given: str | None, secret: str) -> bool:
    """The request carries the shared secret (compared in constant time); never when none is configured."""
    return bool(secret) and given is not None and hmac.compare_digest(given.encode(), secret.encode())


def _json(obj: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(obj), status_code=status_code, media_type="application/json")


def record_delivery(engine: Engine, ref: str, word: str, now: datetime) -> bool:
    """Mark the sent message with provider ref (or HQ ref) ``ref`` delivered or failed by the
    gateway's ``word``; True when a message changed."""
    word = word.strip().lower()
    if word in DELIVERED:
        new, reason = "delivered", ""
    elif word in FAILED:
        new, reason = "failed", "undelivered"
    else:
        return False
    m = hq_message.c
    try:
        own = uuid.UUID(ref)
    except ValueError:
        own = None
    match = m.provider_ref == ref[:100] if own is None else or_(m.provider_ref == ref[:100], m.id == own)
    with _write(engine) as conn, conn.begin():
        row = conn.execute(select(m.id, m.store_id, m.attempts).where(match, m.status == "sent")
                           .limit(1).with_for_update()).first()
        if row is None:
            return False
        values: dict[str, Any] = {"status": new, "reason": reason}
        if new == "delivered":
            values["delivered_at"] = now
        conn.execute(update(hq_message).where(m.id == row.id).values(**values))
        status.report(conn, row.store_id, row.id, status=new, reason=reason, attempts=row.attempts, now=now)
    log.info("message %s: %s (gateway report)", row.id, new)
    return True


def mount(app: FastAPI, secret: str | None = None) -> None:
    """Add the route; ``secret``: the shared secret (default: from the environment)."""
    engine: Engine = app.state.engine
    if secret is None:
        from hq.messages.settings import SettingsError, from_env
        try:
            secret = from_env().webhook_secret
        except SettingsError as exc:
            log.error("messages: %s; the delivery webhook is off", exc)
            secret = ""
    shared = secret

    @app.post(PATH, include_in_schema=False)
    async def delivery(request: Request) -> Response:
        if not shared:
            return _json({"error": "not configured", "code": "not_found"}, 404)
        if not secret_ok(request.headers.get(SECRET_HEADER), shared):
            return _json({"error": "the shared secret is missing or wrong", "code": "not_authenticated"}, 401)
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _json({"error": "the body is not JSON", "code": "bad_request"}, 400)
        if not isinstance(body, dict):
            return _json({"error": "the body must be an object", "code": "bad_request"}, 400)
        ref = body.get("ref") or body.get("provider_ref") or body.get("id")
        word = body.get("status")
        if not isinstance(ref, (str, int)) or isinstance(ref, bool) or not isinstance(word, str):
            return _json({"error": "ref and status are needed", "code": "bad_request"}, 400)
        changed = await run_in_threadpool(record_delivery, engine, str(ref)[:100], word[:40], clock.now())
        return _json({"ok": True, "matched": changed})


__all__ = ["PATH", "SECRET_HEADER", "mount", "record_delivery", "secret_ok"]
