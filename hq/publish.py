"""HQ writes reference data itself: the console publishes price books, service types,
parts and loyalty rules as rows of the global bucket, exactly as a publisher store's push
would (:mod:`core.sync.merge`: writer ``hq``), so every store pulls them as it always has.

Each published row is checked as a store's operation is (``merge.check_id`` /
``merge.check_fields``: known entity, known columns, values every replica can hold) and
stamped with HQ's own hybrid clock (node ``hq``), under the global lane's lock (HQ's own
writes one after another; :mod:`hq.lanes`), past the newest clock of any lane and the stamps
of the rows it changes, which it locks as a push does. The merge is a push's
own (:class:`hq.push_merge._Batch`, as :data:`HQ_PUBLISHER`, a publisher store no store is):
per field, a strictly newer stamp wins, so a row that a publisher store changed later keeps
its newer fields; a row a publisher store deleted stays deleted, as a push leaves it.

A write in a transaction of its own that meets a push crosswise on the same rows, and that
PostgreSQL stops, is merged again from the start (:mod:`hq.retry`); one written in the
caller's transaction (``conn``) is retried by the caller, whole.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from core.sync import merge
from core.sync.hlc import Timestamp, tick
from hq.common import GLOBAL_LANE, BadRequest, StoreAuth, _in, _now, _now_ms, hq_clock, lane_heads, lock_lanes
from hq.models import hq_flag
from hq.push import HQ_NODE
from hq.push_lookups import add_points
from hq.push_merge import UNDELETABLE, _Batch, _withheld
from hq.push_ops import _Op
from hq.retry import write_retrying

# the publisher store HQ's own publishes are merged as (no store has this id)
HQ_PUBLISHER = StoreAuth(uuid.UUID(int=0), "HQ", True)


@dataclass
class Change:
    """One reference row to publish: its entity, id and whole data (JSON values, as the
    outbox writes them: :func:`core.sync.outbox.jsonable`), or ``deleted``. ``update``: only
    the fields in ``data`` change on a row HQ holds (issue 22: an opt-out sets the customer's
    contact preference and touches nothing else)."""

    entity: str
    entity_id: str
    data: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    update: bool = False


def check(change: Change, *, for_store: bool = False) -> None:
    """Refuse what no store could take (:class:`hq.common.BadRequest` naming the entity and
    the reason code, never a value). ``for_store``: a store-owned row HQ writes for its store
    (:func:`write_for_store`) rather than reference data: the store's own rows, or customer
    data (writer ``any``: a consent, the customer's row) merged as that store's push."""
    pol = merge.policy(change.entity)
    if for_store:
        allowed = pol is not None and (pol.writer, pol.bucket) in (
            (merge.WRITER_OWNER, merge.BUCKET_STORE), (merge.WRITER_ANY, merge.BUCKET_CUSTOMER))
    else:
        allowed = pol is not None and pol.writer == merge.WRITER_HQ
    if not allowed:
        raise BadRequest("{entity} is not reference data HQ publishes", "not_reference", entity=change.entity[:40])
    try:
        merge.check_id(change.entity, change.entity_id)
        if not change.deleted:
            merge.check_fields(change.entity, "update" if change.update else "insert", change.data)
    except merge.Rejected as r:
        raise BadRequest("{entity}: {reason}", "invalid_reference", entity=change.entity, reason=r.text) from None


def publish(engine: Engine, changes: list[Change], *, now_ms: int | None = None) -> int:
    """Write ``changes`` as HQ's own, in one transaction; returns the new head of the
    sequence. Every change is checked first: one bad row publishes nothing. Each is merged
    as a publisher store's pushed operation (:class:`hq.push_merge._Batch`, the same code):
    a field changes only for a strictly newer stamp, and a deleted row stays deleted."""
    return _write_changes(engine, changes, HQ_PUBLISHER, now_ms=now_ms)


def write_for_store(engine: Engine, store: StoreAuth, changes: list[Change], *, now_ms: int | None = None,
                    conn: Connection | None = None) -> int:
    """Write store-owned rows on behalf of ``store`` (issue 21: a survey answered on HQ's
    page, a complaint opened at HQ), or customer data of a customer the store serves (issue
    22: an opt-out, which then reaches every store that serves the customer): merged exactly
    as if the store had pushed them (its ownership and serving rules hold: a row naming
    another store, or a customer it does not serve, is refused), stamped with
    HQ's clock, so the store pulls them as its own rows. Returns the head of the lanes
    written (:func:`written_head`).
    ``conn``: a write connection (``hq.common._write``) inside the caller's transaction, so
    the caller's own rows commit with these or not at all (``engine`` is then unused)."""
    return _write_changes(engine, changes, StoreAuth(store.store_id, store.code, False), now_ms=now_ms,
                          for_store=True, conn=conn)


def write_customer_data(engine: Engine, changes: list[Change], *, now_ms: int | None = None,
                        conn: Connection | None = None) -> int:
    """Write rows about customers as HQ itself (issue 23: a sale from the till becomes the
    customer's ``purchase`` and its ``loyalty_entry``): customer-bucket rows (writer ``any``
    or ``insert_only``, or HQ's own ``customer_score``), merged as :data:`HQ_PUBLISHER` by a
    push's own code, so every store that serves the customer pulls them. HQ serves no one
    itself: no store's serving is asked or recorded (:class:`_HqCustomerBatch`), and a row
    that cannot be placed with its customer (a ledger entry whose account HQ does not hold)
    is refused, so nothing is written that no store would pull. An erased customer's rows
    arrive blank as a store's would; while their ``hq_transfer`` is withdrawn, without
    personal columns. ``conn``: the caller's write transaction (as for
    :func:`write_for_store`). Returns the head of the lanes written (:func:`written_head`)."""
    for c in changes:
        pol = merge.policy(c.entity)
        if pol is None or pol.bucket != merge.BUCKET_CUSTOMER or c.entity in UNDELETABLE or pol.writer not in (
                merge.WRITER_ANY, merge.WRITER_INSERT_ONLY, merge.WRITER_HQ):
            raise BadRequest("{entity} is not customer data HQ writes", "not_customer_data",
                             entity=c.entity[:40])
        try:
            merge.check_id(c.entity, c.entity_id)
            if not c.deleted:
                merge.check_fields(c.entity, "update" if c.update else "insert", c.data)
        except merge.Rejected as r:
            raise BadRequest("{entity}: {reason}", "invalid_customer_data", entity=c.entity, reason=r.text) from None
    if not changes:
        return 0
    now_ms = _now_ms() if now_ms is None else now_ms
    if conn is not None:
        return _merge(conn, changes, HQ_PUBLISHER, now_ms, _HqCustomerBatch)
    return write_retrying(engine, lambda own: _merge(own, changes, HQ_PUBLISHER, now_ms, _HqCustomerBatch),
                          what="HQ customer data write")


class _HqCustomerBatch(_Batch):
    """A push's merge for HQ's own writes about customers: HQ may write any customer's rows
    (no serving to check), serves no one (no ``hq_served`` link for it), and every row must
    land in its customer's bucket."""

    def _authorise(self, o: _Op, row: Any, live: bool, customer: uuid.UUID | None) -> dict[str, Any]:
        if o.op == "delete" and o.entity in UNDELETABLE:
            raise merge.Rejected(merge.R_NOT_ALLOWED, o.entity)
        if customer is not None and o.op != "delete" and self.guard.withdrawn(customer):
            held = _withheld(o.entity)
            return {k: v for k, v in o.fields.items() if k not in held}
        return o.fields

    def apply(self, o: _Op) -> None:
        super().apply(o)
        row = self.rows[(o.entity, o.entity_id)]
        if row.dirty and not row.deleted and (row.customer is None or row.bucket != merge.BUCKET_CUSTOMER):
            raise merge.Rejected(merge.R_MISSING, "customer")

    def _insert_links(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        self.links = {(s, c) for s, c in self.links if s != self.auth.store_id}
        return super()._insert_links()

    def _balances(self) -> None:
        """:meth:`_Batch._balances` for the thousands of accounts an import earns on: the
        balances added as a push adds them (hq.push_lookups.add_points), the flags read in
        one query and touched only where a balance crosses zero."""
        if not self.balance:
            return
        conn = self.conn
        points = dict(add_points(conn, self.balance))
        accounts = list(points)
        flags = dict(conn.execute(select(hq_flag.c.entity_id, hq_flag.c.cleared).where(
            hq_flag.c.kind == "negative_balance", _in(conn, hq_flag.c.entity_id, [str(a) for a in accounts]))).all())
        now = _now()
        for account_id, balance in points.items():
            key = str(account_id)
            if balance < 0:
                detail = f"loyalty balance {balance} points"
                if key not in flags:
                    conn.execute(insert(hq_flag).values(kind="negative_balance", entity_id=key, detail=detail,
                                                        raised_at=now, cleared=False))
                else:
                    conn.execute(update(hq_flag).where(hq_flag.c.kind == "negative_balance",
                                                       hq_flag.c.entity_id == key).values(detail=detail, cleared=False))
            elif key in flags and not flags[key]:
                conn.execute(update(hq_flag).where(hq_flag.c.kind == "negative_balance",
                                                   hq_flag.c.entity_id == key).values(cleared=True))


def _write_changes(engine: Engine, changes: list[Change], auth: StoreAuth, *, now_ms: int | None,
                   for_store: bool = False, conn: Connection | None = None) -> int:
    for c in changes:
        check(c, for_store=for_store)
    if not changes:
        return 0
    now_ms = _now_ms() if now_ms is None else now_ms
    if conn is not None:
        return _merge(conn, changes, auth, now_ms)
    return write_retrying(engine, lambda own: _merge(own, changes, auth, now_ms), what="HQ publish")


def _merge(conn: Connection, changes: list[Change], auth: StoreAuth, now_ms: int,
           batch_class: type[_Batch] = _Batch) -> int:
    # HQ's own writes one after another (the global lane's lock, the lowest, so lanes are
    # still taken in order), each stamped past every stamp HQ has seen
    lock_lanes(conn, [GLOBAL_LANE])
    hlc_text = hq_clock(conn)
    last = Timestamp.decode(hlc_text) if hlc_text else None
    ops = []
    for c in changes:
        last = tick(last, now_ms, HQ_NODE)
        op = "delete" if c.deleted else "update" if c.update else "insert"
        ops.append(_Op(uuid.uuid4(), c.entity, c.entity_id, op, {} if c.deleted else dict(c.data), last.encode()))
    batch = batch_class(conn, auth, now_ms, merge.MAX_CLOCK_AHEAD_MS)
    batch.preload(ops)
    try:
        for op in ops:
            batch.apply(op)
    except merge.Rejected as r:      # check() passed, so nothing a store could take either
        raise BadRequest("{entity}: {reason}", "invalid_reference", entity=op.entity, reason=r.text) from None
    assert last is not None
    batch.finish(stamp=last.encode())
    return written_head(conn, batch)


def written_head(conn: Connection, batch: _Batch) -> int:
    """The head of the lanes a write was about (the newest sequence number among them)."""
    touched = {r.lane for r in batch.rows.values() if r.lane is not None}
    heads = lane_heads(conn)
    return max((heads.get(lane, 0) for lane in touched), default=0)
