"""What the admin CLI reads and tends: each store's contact, queue and cursor lag, the
open flags, and pruning old batch receipts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Engine, delete, func, select

from hq.audit_heads import EpochHead, heads
from hq import lanes
from hq.common import BadRequest, StoreAuth, _now, _visible, _write, lane_heads
from hq.models import hq_batch, hq_flag, hq_op, hq_row, hq_store


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
    audit: tuple[EpochHead, ...] = ()      # the audit chain's epochs, oldest first (hq.audit_heads)

    @property
    def audit_head(self) -> EpochHead | None:
        """The head HQ acknowledged in the store's latest epoch."""
        return self.audit[-1] if self.audit else None

    @property
    def chain_went_backwards(self) -> EpochHead | None:
        """The latest epoch in which the chain went backwards, if any."""
        return next((e for e in reversed(self.audit) if e.went_backwards_at is not None), None)


@dataclass(frozen=True)
class Flag:
    kind: str
    entity_id: str
    detail: str
    raised_at: datetime


def status(engine: Engine) -> tuple[int, list[StoreStatus], list[Flag]]:
    """(head: the sum of the lanes' heads, each store, open flags). A store's cursor is the
    sum of its lanes' (hq.lanes.position); its lag counts the rows it may see past them."""
    with engine.connect() as conn:
        lane_head = lane_heads(conn)
        head = lanes.position(lane_head)
        chains = heads(conn)
        stores = []
        for r in conn.execute(select(hq_store).order_by(hq_store.c.code)).mappings():
            lag = 0
            if r["store_id"] is not None:
                cursor = lanes.decode(r["pull_lanes"] or r["pull_cursor"])
                behind = [lane for lane, h in lane_head.items() if h > cursor.get(lane, 0)]
                lag = int(conn.scalar(select(func.count()).select_from(hq_row)
                                      .where(lanes.after(cursor, behind), _visible(
                                          StoreAuth(r["store_id"], r["code"], bool(r["publisher"]))))) or 0)
            stores.append(StoreStatus(r["code"], r["name"], r["store_id"], bool(r["publisher"]),
                                      r["enrolled_at"], r["last_contact_at"], r["pending_ops"], r["parked_ops"],
                                      r["pull_cursor"], lag, tuple(chains.get(r["store_id"], ()))))
        flags = [Flag(r.kind, r.entity_id, r.detail, r.raised_at) for r in conn.execute(
            select(hq_flag).where(hq_flag.c.cleared.is_(False)).order_by(hq_flag.c.raised_at))]
    return head, stores, flags


def audit_column(s: StoreStatus, ago: Callable[[datetime | None], str]) -> str:
    """The status table's cell for a store's audit chain: epoch, acknowledged entry, when."""
    h = s.audit_head
    if h is None:
        return "-"
    return f"e{h.epoch} #{h.seq} {ago(h.acked_at)}" + ("  BACKWARDS!" if s.chain_went_backwards else "")


def audit_lines(stores: list[StoreStatus], ago: Callable[[datetime | None], str]) -> list[str]:
    """Below the table: stores whose audit chain went backwards (an alarm), and the
    epochs admins declared (shown, not alarmed)."""
    lines: list[str] = []
    gone = [(s, e) for s in stores for e in s.audit if e.went_backwards_at is not None]
    if gone:
        lines += ["", "!! Audit chain went backwards (entries removed or rewritten at the store):"]
        lines += [f"  {s.code}  epoch {e.epoch}  since {_stamp(e.went_backwards_at)} ({ago(e.went_backwards_at)}): "
                  f"{e.reason}; HQ keeps entry {e.seq}" for s, e in gone]
    declared = [(s, e) for s in stores for e in s.audit if e.declared]
    if declared:
        lines += ["", "Declared audit epochs (a restore from a backup; not an alarm):"]
        lines += [f"  {s.code}  epoch {e.epoch}  declared {_stamp(e.started_at)} ({ago(e.started_at)}), "
                  f"acknowledged entry {e.seq}" for s, e in declared]
    return lines


def _stamp(dt: datetime | None) -> str:
    if dt is None:
        return "-"
    return (dt.astimezone(timezone.utc) if dt.tzinfo else dt).strftime("%Y-%m-%d %H:%M UTC")


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


@dataclass(frozen=True)
class Erasure:
    at: datetime
    store_code: str | None          # None: recorded before HQ kept who erased (migration hq0004)
    staff_id: uuid.UUID | None
    customer_id: uuid.UUID          # pseudonymous: the person's data is gone


def erasures(engine: Engine, *, limit: int | None = None) -> list[Erasure]:
    """Every erasure HQ accepted, newest first: when, through which store, by which staff
    member (hq.push_authority checked their role), of which customer id."""
    from hq.models import hq_erased
    q = (select(hq_erased.c.erased_at, hq_store.c.code, hq_erased.c.staff_id, hq_erased.c.customer_id)
         .select_from(hq_erased.outerjoin(hq_store, hq_store.c.store_id == hq_erased.c.store_id))
         .order_by(hq_erased.c.erased_at.desc(), hq_erased.c.customer_id))
    if limit is not None:
        q = q.limit(limit)
    with engine.connect() as conn:
        return [Erasure(r.erased_at, r.code, r.staff_id, r.customer_id) for r in conn.execute(q)]
