"""Till keys (issue 23): what a till or the web shop sends its sales with
(``Authorization: Bearer <key>`` on ``POST /api/sales``).

A key is shown once, when it is issued (``orchard-hq till-key add NAME [--store CODE]``);
HQ keeps its SHA-256 only. A key bound to a store sends that store's sales only; one without
(the web shop) any store's. A revoked key is refused like a wrong one (401); issuing a key
again under a revoked key's name replaces it (a new key, the old one stays dead).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from hq.common import BadRequest, Unauthorized, _sha, _write
from hq.models import hq_store, hq_till_key

KEY_PREFIX = "otk_"
MAX_NAME = 80


@dataclass(frozen=True)
class TillAuth:
    """The till a request came from: its key's name and the one store it may send for
    (None: any store of the chain)."""

    name: str
    store_code: str | None


@dataclass(frozen=True)
class TillKey:
    name: str
    store_code: str | None
    created_at: datetime
    revoked_at: datetime | None


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise BadRequest("a till key's name must be 1 to {n} printable characters", n=str(MAX_NAME))
    return name


def add_key(engine: Engine, name: str, *, store_code: str | None = None, now: datetime) -> str:
    """Issue a key; returns it (the only time it is seen). A name in use by a live key is
    refused; a revoked key's name gets the new key."""
    name = _name(name)
    code = (store_code or "").strip().upper() or None
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with _write(engine) as conn, conn.begin():
        if code is not None and conn.scalar(select(hq_store.c.code).where(hq_store.c.code == code)) is None:
            raise BadRequest("no store has the code {code}", "unknown_store", code=code[:8])
        row = conn.execute(select(hq_till_key.c.id, hq_till_key.c.revoked_at)
                           .where(hq_till_key.c.name == name)).first()
        values = dict(key_hash=_sha(key), store_code=code, created_at=now, revoked_at=None)
        if row is None:
            conn.execute(insert(hq_till_key).values(name=name, **values))
        elif row.revoked_at is None:
            raise BadRequest("a till key of that name is in use; revoke it first", "till_key_exists")
        else:
            conn.execute(update(hq_till_key).where(hq_till_key.c.id == row.id).values(**values))
    return key


def revoke_key(engine: Engine, name: str, *, now: datetime) -> bool:
    """Revoke the named key; False when there is no live key of that name."""
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(hq_till_key).where(hq_till_key.c.name == _name(name),
                                                      hq_till_key.c.revoked_at.is_(None)).values(revoked_at=now))
        return bool(done.rowcount)


def keys(engine: Engine) -> list[TillKey]:
    with engine.connect() as conn:
        return [TillKey(r.name, r.store_code, r.created_at, r.revoked_at) for r in conn.execute(
            select(hq_till_key).order_by(hq_till_key.c.name))]


def authenticate(engine: Engine, authorization: str | None) -> TillAuth:
    """``Authorization: Bearer <till key>``; a missing, wrong or revoked key is refused alike
    (:class:`hq.common.Unauthorized`, 401). Only the key's SHA-256 is looked up."""
    refused = Unauthorized("not authenticated")
    if not authorization or not authorization.startswith("Bearer "):
        raise refused
    key = authorization[7:].strip()
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        raise refused
    with engine.connect() as conn:
        row = conn.execute(select(hq_till_key.c.name, hq_till_key.c.store_code, hq_till_key.c.revoked_at)
                           .where(hq_till_key.c.key_hash == _sha(key))).first()
    if row is None or row.revoked_at is not None:
        raise refused
    return TillAuth(row.name, row.store_code)


__all__ = ["KEY_PREFIX", "TillAuth", "TillKey", "add_key", "authenticate", "keys", "revoke_key"]
