"""What the HQ modules share: the refusals a store is shown, the store a request is
from, the clock, and the few query helpers that differ between PostgreSQL and SQLite."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ARRAY, Engine, and_, any_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core import clock, erasure
from core.sync import merge
from hq.models import hq_lane, hq_row, hq_served, hq_store


class HqError(Exception):
    """A refusal. ``code`` (and ``params``) is what a store shows, in its own language;
    ``message`` is English for HQ's log and for people reading the API by hand."""
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, **params: str):
        super().__init__(message.format(**params) if params else message)
        self.message = str(self)
        self.code = code or type(self).code
        self.params = params


class Unauthorized(HqError):
    status = 401
    code = "not_authenticated"


class BadRequest(HqError):
    status = 400


class EnrolRefused(HqError):
    status = 403


def _now() -> datetime:
    return clock.now()


def _now_ms() -> int:
    return clock.now_ms()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _in(conn, column, values: list):
    """``column IN values``; on PostgreSQL ``= ANY`` of one array parameter, which costs
    the same for a thousand values as for one. (A text literal cast to an array would
    spare psycopg quoting each element, but the planner then filters row by row on a
    table without statistics yet: 22 s instead of 12 ms for 2,000 keys in 40,000 rows.)"""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def _step(conn) -> int:
    """How many values one ``_in`` takes: SQLite caps the number of parameters."""
    return 100_000 if conn.dialect.name == "postgresql" else 1000


def _upsert_ignore(conn, table):
    ins = pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)
    return ins.on_conflict_do_nothing()


def _write(engine: Engine):
    return engine.connect().execution_options(hq_write=True)


@dataclass(frozen=True)
class StoreAuth:
    store_id: uuid.UUID
    code: str
    publisher: bool


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value
    return _parse_uuid(str(value))


@lru_cache(maxsize=1 << 14)
def _parse_uuid(text: str) -> uuid.UUID | None:
    # store and home-store ids repeat on every operation of a batch
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


# lanes ----------------------------------------------------------------------------------------
# A row's lane is a stable hash of its distribution key, the store it belongs to (the owner of a
# store row, the customer's home store for a customer row); HQ's global rows have lane 0. Each
# lane numbers its own changes (hq_lane.seq), so batches of different stores do not wait on
# one sequence row, and a pull's cursor is one number per lane (hq.pull).
LANES = 64
GLOBAL_LANE = 0
HQ_NODE = "hq"          # HQ's node name in the stamps it makes


def lane_of(store: uuid.UUID | None) -> int:
    """The lane of a store's rows (1..LANES-1); ``None`` (HQ's own rows): the global lane.
    The first 32 bits of a random UUID are uniform; the same number in SQL is
    ``1 + ('x' || left(id::text, 8))::bit(32)::bigint % 63`` (migration hq0014)."""
    if store is None:
        return GLOBAL_LANE
    return 1 + int.from_bytes(store.bytes[:4], "big") % (LANES - 1)


def lock_lanes(conn, lanes) -> dict[int, tuple[int, str]]:
    """Lock these lanes' rows for this transaction, in lane order (two batches never wait on
    each other crosswise), and return {lane: (head seq, hlc)}. A lane's sequence numbers are
    handed out and committed under its lock, so within a lane they commit in order: a pull
    that has seen N in a lane has seen everything below N in it."""
    want = sorted(set(lanes))
    if not want:
        return {}
    q = select(hq_lane.c.lane, hq_lane.c.seq, hq_lane.c.hlc).where(hq_lane.c.lane.in_(want)).order_by(hq_lane.c.lane)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    got = {r.lane: (int(r.seq), r.hlc) for r in conn.execute(q)}
    if len(got) < len(want):            # a new database (or a test's reset): make the lanes
        conn.execute(_upsert_ignore(conn, hq_lane), [dict(lane=n, seq=0, hlc="") for n in want if n not in got])
        got = {r.lane: (int(r.seq), r.hlc) for r in conn.execute(q)}
    return got


def save_lanes(conn, heads: dict[int, int], hlc: str | None, before: dict[int, tuple[int, str]]) -> None:
    """Write back the lanes' new heads (and HQ's clock, when it moved) after :func:`lock_lanes`."""
    rows = []
    for lane, (seq0, hlc0) in before.items():
        seq = heads.get(lane, seq0)
        clock_text = hlc if hlc is not None and hlc > hlc0 else hlc0
        if seq != seq0 or clock_text != hlc0:
            rows.append({"k_lane": lane, "v_seq": seq, "v_hlc": clock_text})
    if rows:
        conn.execute(update(hq_lane).where(hq_lane.c.lane == bindparam("k_lane"))
                     .values(seq=bindparam("v_seq"), hlc=bindparam("v_hlc")), rows)


def hq_clock(conn) -> str:
    """The newest stamp HQ has seen or handed out, over every lane (no lock: a stamp HQ makes
    also goes past the stamps on the rows it changes, which it holds locked)."""
    return conn.scalar(select(func.max(hq_lane.c.hlc))) or ""


def lane_heads(conn) -> dict[int, int]:
    return {int(r.lane): int(r.seq) for r in conn.execute(select(hq_lane.c.lane, hq_lane.c.seq))}


def sales_lock(conn, *, shared: bool = False) -> None:
    """Taken by a sales import (hq.sales.intake, exclusive) and, shared, by a batch that erases
    someone, before it forgets the person's sales keys: imports run one after another, never
    beside an erasure; erasures run beside each other."""
    if conn.dialect.name == "postgresql":
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        conn.exec_driver_sql(f"SELECT {fn}(7012026, 25025)")


def lock_rows(conn, query):
    """``query`` locked FOR UPDATE on PostgreSQL: the rows a batch reads to change them
    (SQLite writers are serial already)."""
    return query.with_for_update() if conn.dialect.name == "postgresql" else query


def _touch_store(conn, auth: StoreAuth, pending: int | None, parked: int | None, *, push: bool = False,
                 cursor: int | None = None, token: str | None = None) -> None:
    values: dict[str, Any] = {"last_contact_at": _now()}
    if push:
        values["last_push_at"] = values["last_contact_at"]
    if pending is not None:
        values["pending_ops"] = max(0, min(pending, 2**31 - 1))
    if parked is not None:
        values["parked_ops"] = max(0, min(parked, 2**31 - 1))
    if cursor is not None:
        values["pull_cursor"] = cursor
        values["pull_lanes"] = token or ""
        values["last_pull_at"] = values["last_contact_at"]
    conn.execute(update(hq_store).where(hq_store.c.store_id == auth.store_id).values(**values))


def _visible(auth: StoreAuth):
    served = select(hq_served.c.customer_id).where(hq_served.c.lane == lane_of(auth.store_id),
                                                   hq_served.c.store_id == auth.store_id)
    return or_(hq_row.c.bucket == merge.BUCKET_GLOBAL,
               and_(hq_row.c.bucket == merge.BUCKET_STORE, hq_row.c.owner_store_id == auth.store_id),
               and_(hq_row.c.bucket == merge.BUCKET_CUSTOMER, hq_row.c.customer_id.in_(served)))


def _out(r, auth: StoreAuth) -> dict[str, Any]:
    data = r["data"]
    pol = merge.policy(r["entity"])
    if pol is not None and pol.secret_cols and r["owner_store_id"] != auth.store_id and not r["deleted"]:
        data = {k: (erasure.blank_value(r["entity"], k) if k in pol.secret_cols else v) for k, v in data.items()}
    return {"seq": r["seq"], "entity": r["entity"], "id": r["entity_id"], "deleted": r["deleted"],
            "data": data, "stamps": r["stamps"]}

