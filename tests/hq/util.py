"""Helpers for the sync tests: what HQ holds, what a store holds, and whether they agree."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from core.models import OutboxEntry
from core.sync import merge
from core.sync.apply import _excluded_columns, remote_session
from core.sync.outbox import jsonable
from hq import service
from hq.models import hq_batch, hq_op, hq_row


def auth_of(store) -> service.StoreAuth:
    return service.StoreAuth(store.store_id, store.code, False)


def hq_view(hq, store) -> dict[tuple[str, str], dict[str, Any]]:
    """Every live row HQ would hand this store, as (entity, id) → data."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    after = 0
    while True:
        page = service.pull(hq.engine, auth_of(store), after, 5000)
        for r in page["rows"]:
            key = (r["entity"], r["id"])
            if r["deleted"]:
                out.pop(key, None)
            else:
                out[key] = r["data"]
        after = page["next"]
        if not page["more"]:
            return out


def local_view(db) -> dict[tuple[str, str], dict[str, Any]]:
    """Every row of every synced table in a store database, as the outbox would write it."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    excluded = _excluded_columns()
    with db.session() as s:
        conn = s.connection()
        for entity, tbl in merge.synced_tables().items():
            pk = merge.pk_columns(entity)
            skip = excluded.get(entity, frozenset())
            for row in conn.execute(select(tbl)).mappings():
                key = ":".join(str(row[c]) for c in pk)
                out[(entity, key)] = {k: jsonable(v) for k, v in row.items() if k not in skip}
    return out


# columns each replica derives for itself (kept by local triggers), not data that syncs
DERIVED = merge.LOCAL_COLUMNS


def differences(hq, store) -> list[str]:
    """How a store's replica differs from HQ's view for it (empty when equal)."""
    want = hq_view(hq, store)
    have = local_view(store.db)
    problems = []
    for key, data in want.items():
        row = have.get(key)
        if row is None:
            problems.append(f"missing {key}")
            continue
        derived = set(DERIVED.get(key[0], ()))
        for k in sorted((data.keys() | row.keys()) - derived):
            # every replicated column: one present on one side only is a difference too
            if k not in row or k not in data or row[k] != data[k]:
                problems.append(f"{key}.{k}: store has {row.get(k, '(no column)')!r}, "
                                f"HQ has {data.get(k, '(no column)')!r}")
    for key in have.keys() - want.keys():
        problems.append(f"extra {key}")
    return problems


def hq_rows(hq, entity: str) -> dict[str, dict[str, Any]]:
    with hq.engine.connect() as conn:
        return {r.entity_id: dict(r._mapping) for r in conn.execute(select(hq_row).where(hq_row.c.entity == entity))}


def hq_snapshot(hq) -> tuple:
    """Everything a replay must leave as it was."""
    with hq.engine.connect() as conn:
        rows = sorted((r.entity, r.entity_id, r.seq, json.dumps(r.data, sort_keys=True),
                       json.dumps(r.stamps, sort_keys=True)) for r in conn.execute(select(hq_row)))
        ops = conn.scalar(select(func.count()).select_from(hq_op))
    return rows, ops


def hq_batches(hq) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(hq_batch))


def hq_text(hq) -> str:
    """All of HQ's row data as one string (to prove a value is nowhere)."""
    with hq.engine.connect() as conn:
        return "\n".join(json.dumps(r.data, ensure_ascii=False) for r in conn.execute(select(hq_row)))


def outbox(db, **where) -> list[OutboxEntry]:
    with db.session() as s:
        q = select(OutboxEntry).order_by(OutboxEntry.seq)
        for k, v in where.items():
            q = q.where(getattr(OutboxEntry, k) == v)
        return list(s.scalars(q))


def pending(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry)
                        .where(OutboxEntry.sent_at.is_(None), OutboxEntry.rejected.is_(None)))


def parked(db) -> list[OutboxEntry]:
    with db.session() as s:
        return list(s.scalars(select(OutboxEntry).where(OutboxEntry.rejected.is_not(None))
                              .order_by(OutboxEntry.seq)))


def credential(db) -> str:
    from core.sync import credentials
    return credentials.load(db)


def insert_quietly(db, obj) -> None:
    """Put a row into a store database without capturing it (as if it came from HQ)."""
    with remote_session(db) as s:
        s.add(obj)


class LoseAnswers(httpx.BaseTransport):
    """A network that delivers requests to ``path`` but loses HQ's answer, ``times`` times."""

    def __init__(self, path: str = "/v1/push", times: int = 1):
        self.inner = httpx.HTTPTransport()
        self.path = path
        self.times = times
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == self.path and self.lost < self.times:
            response.read()
            response.close()
            self.lost += 1
            raise httpx.ReadError("connection reset by peer", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


class Recorder(httpx.BaseTransport):
    """Passes everything through and keeps the push bodies."""

    def __init__(self, on_request=None):
        self.inner = httpx.HTTPTransport()
        self.pushes: list[bytes] = []
        self.on_request = on_request

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/push":
            self.pushes.append(request.read())
        if self.on_request is not None:
            self.on_request(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def new_id() -> uuid.UUID:
    from core.ids import uuid7
    return uuid7()
