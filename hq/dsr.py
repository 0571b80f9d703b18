"""Data-subject requests handled at HQ (the console's customer pages; no Qt): everything HQ
holds about one person, for an export, and their erasure from HQ.

Export
    :func:`collect` gathers every ``hq_row`` about the customer (their profile, devices,
    consents, notes, loyalty account and its entries, and the rows stores own that name
    them), the stores that serve them, the on-demand fetches that showed them
    (``hq_access``, which never holds a key) and their erasure, as plain JSON values.
Erasure
    :func:`erase` marks the customer erased exactly as a store's erasure does: one
    operation (``erased``, ``erased_at``, ``erased_by_id``) merged through the push's own
    code (:class:`hq.push_merge._Batch`: every row about them blanked, notes deleted, the
    tombstone in ``hq_erased``, the profiles merges join to theirs erased with them),
    stamped with HQ's hybrid clock (node ``hq``) under the locks a push takes (hq.lanes). Every
    store that serves them pulls the erased row and blanks the person
    (:func:`core.sync.apply._scrub_erased`). The author is an HQ user
    (:data:`hq.push_authority.AUTHOR_HQ_USER`), not a store's staff member: the erasure
    names no store and no staff id (``erased_by_id`` is empty; the console's audit log says
    who)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, String, cast, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB

from core import clock
from core.models.customer import person_name
from core.sync import merge
from core.sync.hlc import ClockDriftError, Timestamp, receive, tick
from core.sync.outbox import jsonable
from hq.common import GLOBAL_LANE, StoreAuth, hq_clock, lock_lanes, lock_rows
from hq.models import hq_access, hq_balance, hq_erased, hq_row, hq_served, hq_store
from hq.publish import written_head
from hq.push import HQ_NODE
from hq.push_authority import AUTHOR_HQ_USER, Author, may_erase
from hq.push_merge import _Batch
from hq.push_ops import _Op
from hq.retry import write_retrying

# the "store" an HQ-originated batch is written as: no store has it, so it serves nobody
HQ_ORIGIN = StoreAuth(uuid.UUID(int=0), "HQ", False)
ACCESS_LOG_LIMIT = 500


class NotErasable(Exception):
    """The customer is unknown at HQ, or already erased."""


def hq_author(user_id: int, role: str, active: bool = True) -> Author:
    """An HQ console user as the author of a change (a stable UUID from their numeric id)."""
    return Author(AUTHOR_HQ_USER, uuid.uuid5(uuid.NAMESPACE_URL, f"orchard-hq-user:{user_id}"), role, None, active)


def _aware(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def display_name(data: dict[str, Any]) -> str:
    """A customer row's name as the stores show it (``Customer.display_name``'s rule, core's
    one helper for it: a Chinese name family name first, no space; empty once erased)."""
    given, family = str(data.get("given_name") or "").strip(), str(data.get("family_name") or "").strip()
    return "" if data.get("erased") is True else person_name(given, family)


def customer_rows(conn, customer_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every row HQ holds about the customer, by entity then id (deleted ones included, as
    HQ keeps them: a deletion is a row without data)."""
    q = (select(hq_row.c.entity, hq_row.c.entity_id, hq_row.c.deleted, hq_row.c.data, hq_row.c.seq)
         .where(hq_row.c.customer_id == customer_id).order_by(hq_row.c.entity, hq_row.c.entity_id))
    return [{"entity": r.entity, "id": r.entity_id, "deleted": bool(r.deleted), "data": dict(r.data or {})}
            for r in conn.execute(q)]


@dataclass(frozen=True)
class Served:
    code: str
    name: str
    store_id: uuid.UUID


def served_by(conn, customer_id: uuid.UUID) -> list[Served]:
    q = (select(hq_store.c.code, hq_store.c.name, hq_served.c.store_id)
         .select_from(hq_served.join(hq_store, hq_store.c.store_id == hq_served.c.store_id))
         .where(hq_served.c.customer_id == customer_id).order_by(hq_store.c.code))
    return [Served(r.code, r.name, r.store_id) for r in conn.execute(q)]


@dataclass(frozen=True)
class Access:
    at: datetime
    store_code: str
    staff_id: uuid.UUID | None
    key_kind: str
    action: str
    shown: int


def access_log(conn, customer_id: uuid.UUID, limit: int = ACCESS_LOG_LIMIT) -> list[Access]:
    """The on-demand fetches that showed this customer (newest first)."""
    if conn.dialect.name == "postgresql":
        names = type_coerce(hq_access.c.customers, JSONB).contains([str(customer_id)])
    else:
        names = cast(hq_access.c.customers, String).contains(f'"{customer_id}"')
    q = (select(hq_access, hq_store.c.code)
         .select_from(hq_access.outerjoin(hq_store, hq_store.c.store_id == hq_access.c.store_id))
         .where(names).order_by(hq_access.c.at.desc(), hq_access.c.id.desc()).limit(limit))
    return [Access(_aware(r.at) or r.at, r.code or str(r.store_id), r.staff_id, r.key_kind, r.action,
                   len(r.customers or [])) for r in conn.execute(q)]


@dataclass(frozen=True)
class Erasure:
    at: datetime
    store_code: str | None      # None: erased at HQ (the console)
    staff_id: uuid.UUID | None


def erasure(conn, customer_id: uuid.UUID) -> Erasure | None:
    r = conn.execute(select(hq_erased.c.erased_at, hq_erased.c.staff_id, hq_store.c.code)
                     .select_from(hq_erased.outerjoin(hq_store, hq_store.c.store_id == hq_erased.c.store_id))
                     .where(hq_erased.c.customer_id == customer_id)).first()
    return Erasure(_aware(r.erased_at) or r.erased_at, r.code, r.staff_id) if r else None


def balance(conn, account_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not account_ids:
        return {}
    return {a: int(p) for a, p in conn.execute(select(hq_balance.c.account_id, hq_balance.c.points)
                                                .where(hq_balance.c.account_id.in_(account_ids)))}


def collect(engine: Engine, customer_id: uuid.UUID, *, by: str, now: datetime | None = None) -> dict[str, Any]:
    """The export: every row HQ holds about the customer, who serves them, the fetches that
    showed them and their erasure, as JSON values. ``by``: the console user exporting."""
    at = now or clock.now()
    with engine.connect() as conn:
        rows = customer_rows(conn, customer_id)
        accounts = [uuid.UUID(r["id"]) for r in rows if r["entity"] == "loyalty_account" and not r["deleted"]]
        erased = erasure(conn, customer_id)
        me = next((r for r in rows if r["entity"] == "customer" and r["id"] == str(customer_id)), None)
        return {
            "customer_id": str(customer_id),
            "name": display_name(me["data"]) if me else "",
            "generated": {"at": jsonable(at), "by": by},
            "rows": rows,
            "loyalty_balances": {str(a): p for a, p in balance(conn, accounts).items()},
            "served_by": [{"store_code": s.code, "store_name": s.name, "store_id": str(s.store_id)}
                          for s in served_by(conn, customer_id)],
            "access_log": [{"at": jsonable(a.at), "store_code": a.store_code, "staff_id": jsonable(a.staff_id),
                            "key_kind": a.key_kind, "action": a.action, "customers_shown": a.shown}
                           for a in access_log(conn, customer_id)],
            "erasure": None if erased is None else {"at": jsonable(erased.at), "store_code": erased.store_code,
                                                    "staff_id": jsonable(erased.staff_id)},
        }


class _HqErasure(_Batch):
    """A batch HQ writes itself: the one check a store's push makes that does not apply is
    serving (HQ serves everyone); the author's right to erase is the push's own check
    (:func:`hq.push_authority.may_erase`, an HQ user's console role)."""

    def __init__(self, conn, now_ms: int, author: Author):
        super().__init__(conn, HQ_ORIGIN, now_ms, merge.MAX_CLOCK_AHEAD_MS)
        self.author = author

    def _authorise(self, o: _Op, row, live: bool, customer: uuid.UUID | None) -> dict[str, Any]:
        if (o.entity != "customer" or o.op != "update" or customer is None or not live
                or set(o.fields) != {"erased", "erased_at", "erased_by_id"} or o.fields["erased"] is not True):
            raise merge.Rejected(merge.R_NOT_ALLOWED, o.entity)
        if self.author.kind != AUTHOR_HQ_USER or not may_erase(self.author, via_store=None):
            raise merge.Rejected(merge.R_NOT_ALLOWED, o.entity)
        self.erased_by[customer] = {"store_id": None, "staff_id": None}
        return o.fields


def erase(engine: Engine, customer_id: uuid.UUID, author: Author, *, now_ms: int | None = None,
          on_commit: Any = None) -> int:
    """Erase the customer at HQ as a store's erasure would (module docstring); returns the
    head of the lanes it wrote. ``on_commit(conn)`` runs in the same transaction (the
    console's audit record). :class:`NotErasable` when HQ has no such live customer or they
    are erased already; :class:`PermissionError` when the author may not erase. A conflict
    PostgreSQL stopped it for runs it again from the start (:mod:`hq.retry`)."""
    now_ms = clock.now_ms() if now_ms is None else now_ms
    # the global lane, then (hq.push_merge) the sales lock: a sales import chunk takes them the
    # other way round, and PostgreSQL may stop this one; it is run again whole (hq.retry),
    # the console's audit record with it
    return write_retrying(engine, lambda conn: _erase(conn, customer_id, author, now_ms, on_commit),
                          what="HQ erasure")


def _erase(conn: Any, customer_id: uuid.UUID, author: Author, now_ms: int, on_commit: Any) -> int:
    """One attempt of :func:`erase`, in ``conn``'s transaction."""
    lock_lanes(conn, [GLOBAL_LANE])      # HQ's own writes one after another (hq.publish._merge)
    hlc_text = hq_clock(conn)
    current = conn.execute(lock_rows(conn, select(hq_row.c.deleted, hq_row.c.stamps).where(
        hq_row.c.entity == "customer", hq_row.c.entity_id == str(customer_id)))).first()
    if current is None or current.deleted:
        raise NotErasable("no such customer at HQ")
    if conn.execute(select(hq_erased.c.customer_id).where(hq_erased.c.customer_id == customer_id)).first():
        raise NotErasable("already erased")
    # after every stamp HQ has handed out and every stamp on the row: the erasure wins
    stamp = tick(Timestamp.decode(hlc_text) if hlc_text else None, now_ms, HQ_NODE)
    newest = merge.max_stamp(dict(current.stamps or {}))
    if newest and newest >= stamp.encode():
        try:
            stamp = receive(stamp, Timestamp.decode(newest), now_ms, HQ_NODE,
                            max_drift_ms=merge.MAX_CLOCK_AHEAD_MS + 60_000)
        except ClockDriftError:
            # HQ's clock went back below what it stamped (or accepted) before: the
            # erasure still comes after every stamp on the row
            stamp = tick(Timestamp.decode(newest), now_ms, HQ_NODE)
    at = datetime.fromtimestamp(now_ms / 1000, timezone.utc)
    op = _Op(uuid.uuid4(), "customer", str(customer_id), "update",
             {"erased": True, "erased_at": jsonable(at), "erased_by_id": None}, stamp.encode())
    batch = _HqErasure(conn, now_ms, author)
    batch.preload([op])
    try:
        batch.apply(op)
    except merge.Rejected as r:
        raise PermissionError(r.text) from None
    batch.links.clear()              # HQ serves no one: no store starts serving them by this
    batch.finish(stamp=stamp.encode())
    new_seq = written_head(conn, batch)
    if on_commit is not None:
        on_commit(conn)
    return new_seq
