"""What the admin CLI reads and tends: each store's contact, queue and cursor lag, the
open flags, and pruning old batch receipts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select

from hq.common import BadRequest, StoreAuth, _now, _visible, _write
from hq.models import hq_batch, hq_flag, hq_op, hq_row, hq_state, hq_store


@dataclass(frozen=True)
class StoreStatus:
    code: str
    name: str
    store_id: uuid.UUID | None
    publisher: bool
    enrolled_at: datetime | None
    last_contact_at: datetime | None
    pending_ops: int
    parked_ops: int
    cursor: int
    cursor_lag: int


@dataclass(frozen=True)
class Flag:
    kind: str
    entity_id: str
    detail: str
    raised_at: datetime


def status(engine: Engine) -> tuple[int, list[StoreStatus], list[Flag]]:
    """(head sequence, each store, open flags)."""
    with engine.connect() as conn:
        head = int(conn.scalar(select(hq_state.c.num).where(hq_state.c.key == "seq")) or 0)
        stores = []
        for r in conn.execute(select(hq_store).order_by(hq_store.c.code)).mappings():
            lag = 0
            if r["store_id"] is not None:
                lag = int(conn.scalar(select(func.count()).select_from(hq_row)
                                      .where(hq_row.c.seq > r["pull_cursor"], _visible(
                                          StoreAuth(r["store_id"], r["code"], bool(r["publisher"]))))) or 0)
            stores.append(StoreStatus(r["code"], r["name"], r["store_id"], bool(r["publisher"]),
                                      r["enrolled_at"], r["last_contact_at"], r["pending_ops"], r["parked_ops"],
                                      r["pull_cursor"], lag))
        flags = [Flag(r.kind, r.entity_id, r.detail, r.raised_at) for r in conn.execute(
            select(hq_flag).where(hq_flag.c.cleared.is_(False)).order_by(hq_flag.c.raised_at))]
    return head, stores, flags


KEEP_BATCH_DAYS = 90


def prune(engine: Engine, *, older_than_days: int = KEEP_BATCH_DAYS, now: datetime | None = None,
          chunk: int = 500) -> tuple[int, int]:
    """Forget the receipts of batches older than ``older_than_days`` (and their operation
    ids): the records that make a replay a no-op grow with every push, and after weeks
    they guard nothing that the rows do not guard themselves. A very late replay is still
    harmless: fields merge by stamp (an old stamp loses, an equal one changes nothing),
    ledger entries are kept once by id, deleted rows stay deleted. Works in chunks so
    pushes never wait long. Returns (batches, operations) removed."""
    if older_than_days < 1:
        raise BadRequest("keep at least one day of batch receipts")
    cutoff = (now or _now()) - timedelta(days=older_than_days)
    batches = ops = 0
    while True:
        with _write(engine) as conn, conn.begin():
            ids = list(conn.scalars(select(hq_batch.c.batch_id).where(hq_batch.c.received_at < cutoff)
                                    .limit(chunk)))
            if not ids:
                break
            ops += conn.execute(delete(hq_op).where(hq_op.c.batch_id.in_(ids))).rowcount or 0
            batches += conn.execute(delete(hq_batch).where(hq_batch.c.batch_id.in_(ids))).rowcount or 0
    return batches, ops
