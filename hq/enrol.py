"""Enrolment and authentication: HQ issues a store a one-time code, the store trades
it for its own credential (HQ keeps only a hash), and every later request carries it."""

from __future__ import annotations

import hmac
import secrets
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, insert, select, update

from core.sync import merge
from hq.common import BadRequest, EnrolRefused, StoreAuth, Unauthorized, _now, _now_ms, _sha, _write
from hq.models import hq_store

ENROL_HOURS = 72
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"    # Crockford base32: no I, L, O, U


def _norm_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def create_enrolment(engine: Engine, code: str, name: str, *, publisher: bool = False,
                     hours: int = ENROL_HOURS) -> str:
    """Register a store (or re-issue its code) and return a one-time enrolment code."""
    code = (code or "").strip().upper()
    if not (2 <= len(code) <= 8 and code.isalnum() and code.isascii()):
        raise BadRequest("the store code must be 2 to 8 letters or digits")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise BadRequest("the store name must be 1 to 120 characters")
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    one_time = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
    values = dict(name=name, publisher=publisher, enrol_code_hash=_sha(raw),
                  enrol_expires_at=_now() + timedelta(hours=hours))
    with _write(engine) as conn, conn.begin():
        if conn.execute(select(hq_store.c.code).where(hq_store.c.code == code)).first():
            conn.execute(update(hq_store).where(hq_store.c.code == code).values(**values))
        else:
            conn.execute(insert(hq_store).values(code=code, created_at=_now(), pull_cursor=0, pending_ops=0,
                                                 parked_ops=0, **values))
    return one_time


def enrol(engine: Engine, one_time: str, store_code: str, store_id: str) -> dict[str, Any]:
    """Exchange a one-time code for the store's credential (HQ keeps only its hash)."""
    try:
        sid = uuid.UUID(str(store_id))
    except ValueError:
        raise BadRequest("the store id is not valid") from None
    digest = _sha(_norm_code(one_time))
    credential = secrets.token_urlsafe(32)
    with _write(engine) as conn, conn.begin():
        row = conn.execute(select(hq_store).where(hq_store.c.enrol_code_hash == digest)).mappings().first()
        if row is None or row["enrol_expires_at"] is None or _aware(row["enrol_expires_at"]) < _now():
            raise Unauthorized("this enrolment code is not valid (wrong, used or expired)", "enrol_code_invalid")
        if row["code"] != (store_code or "").strip().upper():
            raise EnrolRefused("this enrolment code is for store {store}", "enrol_code_other_store", store=row["code"])
        if row["store_id"] is not None and row["store_id"] != sid:
            raise EnrolRefused("this store is enrolled with another database; HQ must reset it first", "enrolled_elsewhere")
        other = conn.execute(select(hq_store.c.code).where(hq_store.c.store_id == sid,
                                                           hq_store.c.code != row["code"])).first()
        if other:
            raise EnrolRefused("this database is already enrolled as another store", "database_is_another_store")
        conn.execute(update(hq_store).where(hq_store.c.code == row["code"]).values(
            store_id=sid, credential_hash=_sha(credential), enrol_code_hash=None, enrol_expires_at=None,
            enrolled_at=_now(), last_contact_at=_now()))
    return {"store_id": str(sid), "credential": f"{sid}.{credential}", "publisher": bool(row["publisher"]),
            "server_time_ms": _now_ms(), "max_clock_ahead_ms": merge.MAX_CLOCK_AHEAD_MS}


def enrolment_preview(engine: Engine, one_time: str) -> dict[str, Any]:
    """What a one-time code is for, without using it: the store's code, name, time zone and
    currency as HQ keeps them. A new counter's set-up (core.setup) builds the store from
    these, then enrols with the same code."""
    digest = _sha(_norm_code(one_time))
    with engine.connect() as conn:
        row = conn.execute(select(hq_store).where(hq_store.c.enrol_code_hash == digest)).mappings().first()
    if row is None or row["enrol_expires_at"] is None or _aware(row["enrol_expires_at"]) < _now():
        raise Unauthorized("this enrolment code is not valid (wrong, used or expired)", "enrol_code_invalid")
    return {"store_code": row["code"], "name": row["name"], "timezone": row["timezone"],
            "currency": row["currency"], "publisher": bool(row["publisher"])}


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def authenticate(engine: Engine, authorization: str | None) -> StoreAuth:
    """``Authorization: Bearer <store id>.<secret>``; anything else is refused alike."""
    refused = Unauthorized("not authenticated")
    if not authorization or not authorization.startswith("Bearer "):
        raise refused
    token = authorization[7:].strip()
    sid_text, _, secret = token.partition(".")
    try:
        sid = uuid.UUID(sid_text)
    except ValueError:
        raise refused from None
    with engine.connect() as conn:
        row = conn.execute(select(hq_store.c.code, hq_store.c.credential_hash, hq_store.c.publisher)
                           .where(hq_store.c.store_id == sid)).first()
    if row is None or not row.credential_hash or not secret or \
            not hmac.compare_digest(row.credential_hash, _sha(secret)):
        raise refused
    return StoreAuth(sid, row.code, bool(row.publisher))

