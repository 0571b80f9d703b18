"""HQ writes reference data itself: the console publishes price books, service types,
parts and loyalty rules as rows of the global bucket, exactly as a publisher store's push
would (:mod:`core.sync.merge`: writer ``hq``), so every store pulls them as it always has.

Each published row is checked as a store's operation is (``merge.check_id`` /
``merge.check_fields``: known entity, known columns, values every replica can hold) and
stamped with HQ's own hybrid clock (node ``hq``), under the sequence lock a push takes, so
a publish and a push commit one after the other in sequence order. The merge is a push's
own (:class:`hq.push_merge._Batch`, as :data:`HQ_PUBLISHER`, a publisher store no store is):
per field, a strictly newer stamp wins, so a row that a publisher store changed later keeps
its newer fields; a row a publisher store deleted stays deleted, as a push leaves it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, update

from core.sync import merge
from core.sync.hlc import Timestamp, tick
from hq.common import BadRequest, StoreAuth, _now_ms, _write
from hq.models import hq_state
from hq.push import HQ_NODE, _lock
from hq.push_merge import _Batch
from hq.push_ops import _Op

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
    HQ's clock, so the store pulls them as its own rows. Returns the new sequence head.
    ``conn``: a write connection (``hq.common._write``) inside the caller's transaction, so
    the caller's own rows commit with these or not at all (``engine`` is then unused)."""
    return _write_changes(engine, changes, StoreAuth(store.store_id, store.code, False), now_ms=now_ms,
                          for_store=True, conn=conn)


def _write_changes(engine: Engine, changes: list[Change], auth: StoreAuth, *, now_ms: int | None,
                   for_store: bool = False, conn: Connection | None = None) -> int:
    for c in changes:
        check(c, for_store=for_store)
    if not changes:
        return 0
    now_ms = _now_ms() if now_ms is None else now_ms
    if conn is not None:
        return _merge(conn, changes, auth, now_ms)
    with _write(engine) as own, own.begin():
        return _merge(own, changes, auth, now_ms)


def _merge(conn: Connection, changes: list[Change], auth: StoreAuth, now_ms: int) -> int:
    seq, hlc_text = _lock(conn)
    last = Timestamp.decode(hlc_text) if hlc_text else None
    ops = []
    for c in changes:
        last = tick(last, now_ms, HQ_NODE)
        op = "delete" if c.deleted else "update" if c.update else "insert"
        ops.append(_Op(uuid.uuid4(), c.entity, c.entity_id, op, {} if c.deleted else dict(c.data), last.encode()))
    batch = _Batch(conn, auth, now_ms, merge.MAX_CLOCK_AHEAD_MS)
    batch.preload(ops)
    try:
        for op in ops:
            batch.apply(op)
    except merge.Rejected as r:      # check() passed, so nothing a store could take either
        raise BadRequest("{entity}: {reason}", "invalid_reference", entity=op.entity, reason=r.text) from None
    new_seq = batch.finish(seq)
    conn.execute(update(hq_state).where(hq_state.c.key == "seq").values(num=new_seq))
    assert last is not None
    conn.execute(update(hq_state).where(hq_state.c.key == "hlc").values(text=last.encode()))
    return new_seq
