"""Push: take one batch of a store's changes.

One batch is one transaction.  It locks the rows it reads to change (and the profiles
of the customers they are about), merges, and last locks the lanes it writes to
(:mod:`hq.lanes`): batches of different stores run side by side, from any number of HQ
processes, and within a lane sequence numbers commit in order.  Two batches that meet
crosswise (a deadlock PostgreSQL breaks) or insert one new key at once are merged again
from the start: a stopped transaction left nothing behind.  A batch id already recorded returns the answer recorded with it; an operation id
already recorded is skipped; so a batch sent again after a lost answer, replayed,
or overlapping an earlier one changes nothing.  Each operation is checked against
the entity's policy (:mod:`core.sync.merge`) and merged per field by stamp; one
refused operation is answered with its reason and does not stop the others.

Parsing and checking each operation is :mod:`hq.push_ops`; merging them into rows is
:mod:`hq.push_merge`; writing rows in bulk is :mod:`hq.bulk`."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, insert, select

from core.sync import merge
from hq import audit_heads
from hq.bulk import _bulk_insert, seen_ops
from hq.common import (  # noqa: F401 - HQ_NODE: where hq.dsr and hq.publish find it
    HQ_NODE, BadRequest, StoreAuth, _in, _now, _now_ms, _step, _touch_store, _write, lane_heads, lane_of,
    sales_lock,
)
from hq.models import hq_batch, hq_op
from hq.push_merge import _Batch
from hq.push_ops import _Op, _parse_ops, _validate
from hq.retry import retryable as _retryable, run_retrying

MAX_TRIES = 5           # attempts in all (hq.retry.run_retrying's ``tries``)


def _lock(conn) -> None:
    """What a sales import takes first (hq.sales.intake): :func:`hq.common.sales_lock`. There
    is no sequence row any more (hq.lanes)."""
    sales_lock(conn)


def push(engine: Engine, auth: StoreAuth, body: Any, *, max_ahead_ms: int = merge.MAX_CLOCK_AHEAD_MS,
         now_ms: int | None = None) -> dict[str, Any]:
    """Apply one batch; see the module docstring."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be an object")
    try:
        batch_id = uuid.UUID(str(body.get("batch_id")))
    except ValueError:
        raise BadRequest("batch_id must be a UUID") from None
    parsed = _parse_ops(body.get("ops"))
    audit_head = audit_heads.parse(body.get("audit_head"))     # the store's audit-chain head
    pending = body.get("pending") if isinstance(body.get("pending"), int) else None
    parked = body.get("parked") if isinstance(body.get("parked"), int) else None
    now_ms = _now_ms() if now_ms is None else now_ms
    # what can be judged without the database is judged before any lock
    checked: list[_Op | tuple[uuid.UUID, str]] = []
    for p in parsed:
        reason = _validate(p, now_ms, max_ahead_ms) if isinstance(p, _Op) else None
        checked.append((p.op_id, reason) if reason is not None else p)
    # two batches met on rows or lanes crosswise (PostgreSQL chose this one to stop), or both
    # inserted one new key: the transaction is gone, so is every effect; the batch is merged
    # again from the start (hq.retry says which errors are such conflicts)
    answer, count = run_retrying(
        lambda: _apply(engine, auth, batch_id, checked, audit_head, pending, parked, now_ms, max_ahead_ms),
        tries=MAX_TRIES, what="push")
    _maybe_analyze(engine, count)
    return answer


def _apply(engine: Engine, auth: StoreAuth, batch_id: uuid.UUID, parsed: list[_Op | tuple[uuid.UUID, str]],
           audit_head: Any, pending: int | None, parked: int | None, now_ms: int,
           max_ahead_ms: int) -> tuple[dict[str, Any], int]:
    lane = lane_of(auth.store_id)
    with _write(engine) as conn, conn.begin():
        done = conn.execute(select(hq_batch.c.rejected, hq_batch.c.store_id)
                            .where(hq_batch.c.batch_id == batch_id)).first()
        if done is not None:
            if done.store_id != auth.store_id:
                raise BadRequest("this batch id belongs to another store")
            rejected = [list(r) for r in done.rejected]
            _touch_store(conn, auth, pending, parked, push=True)
            return _push_answer(rejected, batch_id, duplicate=True, accepted=0) | {
                "audit_ack": audit_heads.receive(conn, auth, audit_head)}, 0
        ids = [p.op_id if isinstance(p, _Op) else p[0] for p in parsed]
        seen: dict[uuid.UUID, str | None] = {}
        step = _step(conn)
        for i in range(0, len(ids), step):
            # on PostgreSQL one probe of hq_op's key per id (hq.bulk.seen_ops), not a scan
            for op_id, rej in (seen_ops(conn, lane, ids[i:i + step]) if conn.dialect.name == "postgresql" else
                               conn.execute(select(hq_op.c.op_id, hq_op.c.rejected).where(
                                   hq_op.c.lane == lane, _in(conn, hq_op.c.op_id, ids[i:i + step])))):
                seen[op_id] = rej
        fresh = [p for p in parsed if (p.op_id if isinstance(p, _Op) else p[0]) not in seen]
        batch = _Batch(conn, auth, now_ms, max_ahead_ms)
        batch.preload([p for p in fresh if isinstance(p, _Op)])
        rejected: list[list[str]] = []
        op_rows = []
        in_batch: set[uuid.UUID] = set()
        for p in fresh:
            if isinstance(p, tuple):
                op_id, reason = p
                reason_text: str | None = reason
            else:
                op_id = p.op_id
                try:
                    batch.apply(p)
                    reason_text = None
                except merge.Rejected as r:
                    reason_text = r.text
            if op_id in in_batch:
                continue
            in_batch.add(op_id)
            if reason_text is not None:
                rejected.append([str(op_id), reason_text])
            op_rows.append(dict(lane=lane, op_id=op_id, store_id=auth.store_id, batch_id=batch_id,
                                rejected=reason_text))
        # an operation HQ refused before keeps its answer when it comes again
        for op_id in ids:
            if op_id in seen and seen[op_id] is not None:
                rejected.append([str(op_id), seen[op_id]])
        _bulk_insert(conn, hq_op, op_rows)
        conn.execute(insert(hq_batch).values(lane=lane, batch_id=batch_id, store_id=auth.store_id,
                                             received_at=_now(), ops=len(parsed), rejected=rejected))
        _touch_store(conn, auth, pending, parked, push=True)
        accepted = sum(1 for r in op_rows if r["rejected"] is None)
        answer = _push_answer(rejected, batch_id, duplicate=False, accepted=accepted)
        answer["audit_ack"] = audit_heads.receive(conn, auth, audit_head)
        # last: the lanes stay locked only from here to the commit
        count = batch.finish()
    return answer, count


# the columns the push and pull queries filter and join on (statistics on the JSON
# columns cost most of an ANALYZE and no plan uses them)
_ANALYZE = ("ANALYZE hq_row (lane, entity, entity_id, seq, bucket, owner_store_id, customer_id), hq_op (lane, op_id), "
            "hq_served, hq_erased, hq_balance")


def _maybe_analyze(engine: Engine, count: int) -> None:
    """Refresh PostgreSQL's statistics each time the change log doubles. A table that
    grew from nothing in a minute still has no statistics (autovacuum has not come
    round), and the planner then scans it whole for every batch's key lookups."""
    if engine.dialect.name != "postgresql" or not count:
        return
    try:
        with engine.connect() as conn:
            after = sum(lane_heads(conn).values())
        before = after - count
        if after < 2048 or before.bit_length() == after.bit_length():
            return
        with engine.begin() as conn:
            conn.exec_driver_sql(_ANALYZE)
    except Exception as exc:  # noqa: BLE001 - the batch is committed; statistics can wait
        import logging
        logging.getLogger("orchard.hq").warning("statistics not refreshed (%s)", type(exc).__name__)


def _push_answer(rejected: list[list[str]], batch_id: uuid.UUID, *, duplicate: bool,
                 accepted: int) -> dict[str, Any]:
    """Each refused operation with its reason; the store asks for HQ's current version of
    those rows (``current_rows``) to put its copy back."""
    return {"batch_id": str(batch_id), "duplicate": duplicate, "accepted": accepted,
            "rejected": [{"op_id": op_id, "reason": reason} for op_id, reason in rejected],
            "server_time_ms": _now_ms()}
