"""Lanes: HQ's change sequences, one per distribution key hash, and the pull cursor over them.

A row's lane (``hq_row.lane``, :func:`hq.common.lane_of`) is a stable hash of the store it
belongs to; HQ's global rows have lane 0. A batch writes its rows under the locks of the
lanes they are in (:func:`hq.common.lock_lanes`, taken in lane order after the batch's
rows are merged), so batches of different stores commit side by side, and within a lane
sequence numbers commit in order. The rows a batch changes are locked (``FOR UPDATE``)
when it reads them, and with them the profiles of the customers it touches: two batches
about one customer still run one after the other.

A pull cursor is one number per lane, handed to the store as an opaque token
(:func:`encode`): ``v2.`` then ``<lane>-<seq>`` in hex for each lane above zero, joined by
dots. A bare whole number (a cursor from before the lanes) means that number in every lane:
migration hq0014 kept every row's old sequence number in its lane and started every lane
above the old head, so it covers exactly what it covered before.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Callable, Iterable

from sqlalchemy import and_, bindparam, false, or_, select, update

from core.sync import merge
from core.sync.hlc import Timestamp, receive
from hq.bulk import _write_rows
from hq.common import HQ_NODE, LANES, BadRequest, _in, _step, lock_lanes, save_lanes
from hq.models import hq_row

PREFIX = "v2."
MAX_TOKEN = 64 * 40
_PART = re.compile(r"([0-9a-f]{1,2})-([0-9a-f]{1,16})", re.ASCII)
SEQ_MAX = 2**63 - 1


def decode(token: Any) -> dict[int, int]:
    """{lane: seq} from a pull's ``after``: a token HQ handed out, a whole number (a cursor
    from before the lanes), or nothing (from the start). :class:`BadRequest` otherwise."""
    if token is None or token == "" or token == 0:
        return {}
    if isinstance(token, int) or (isinstance(token, str) and token.isdigit() and len(token) <= 19):
        n = int(token)
        if not 0 <= n <= SEQ_MAX:
            raise BadRequest("after is out of range", "invalid_value", name="after")
        return {lane: n for lane in range(LANES)} if n else {}
    if not isinstance(token, str) or len(token) > MAX_TOKEN or not token.startswith(PREFIX):
        raise BadRequest("after is not a cursor HQ gave", "invalid_value", name="after")
    out: dict[int, int] = {}
    body = token[len(PREFIX):]
    for part in body.split(".") if body else ():
        m = _PART.fullmatch(part)
        lane = int(m.group(1), 16) if m else LANES
        if m is None or lane >= LANES or lane in out or int(m.group(2), 16) > SEQ_MAX:
            raise BadRequest("after is not a cursor HQ gave", "invalid_value", name="after")
        out[lane] = int(m.group(2), 16)
    return {lane: seq for lane, seq in out.items() if seq}


def encode(cursor: dict[int, int]) -> str:
    return PREFIX + ".".join(f"{lane:x}-{seq:x}" for lane, seq in sorted(cursor.items()) if seq)


def position(cursor: dict[int, int]) -> int:
    """One number for progress and the status table: the sum over the lanes (at most a BIGINT)."""
    return min(sum(cursor.values()), SEQ_MAX)


def after(cursor: dict[int, int], lanes: Iterable[int] | None = None):
    """``hq_row`` rows past ``cursor`` in ``lanes`` (every lane when None)."""
    terms = [and_(hq_row.c.lane == lane, hq_row.c.seq > cursor.get(lane, 0))
             for lane in (range(LANES) if lanes is None else sorted(set(lanes)))]
    return or_(*terms) if terms else false()


def write(conn, rows: list[Any], lane_for: Callable[[Any], int], move_customers: set[uuid.UUID],
          clock: Callable[[str], str | None]) -> int:
    """Number and write a batch's changed rows (``RowState``s, in the order they changed)
    under their lanes' locks. Every customer-bucket row of ``move_customers`` (customers a
    store newly serves, :mod:`hq.serving`'s rule) moves to the head of its lane too, keeping
    their order, so that store's next pull carries the whole customer. ``clock(last)``: HQ's
    clock after this batch, given the newest the locked lanes saw (None: unchanged).
    Returns how many sequence numbers were handed out."""
    for r in rows:
        if getattr(r, "lane", None) is None:
            r.lane = lane_for(r)
    moves: list[tuple[int, int, str, str]] = []
    if move_customers:
        dirty = {(r.entity, r.entity_id) for r in rows}
        ids = sorted(move_customers, key=lambda c: c.int)     # UUID order, without its Python __lt__
        step = _step(conn)
        for i in range(0, len(ids), step):
            moves.extend((int(ln), int(s), e, k) for ln, s, e, k in conn.execute(
                select(hq_row.c.lane, hq_row.c.seq, hq_row.c.entity, hq_row.c.entity_id).where(
                    _in(conn, hq_row.c.customer_id, ids[i:i + step]), hq_row.c.bucket == merge.BUCKET_CUSTOMER))
                if (e, k) not in dirty)
        moves.sort()
    if not rows and not moves:
        return 0
    before = lock_lanes(conn, {r.lane for r in rows} | {m[0] for m in moves})
    heads = {lane: seq for lane, (seq, _) in before.items()}
    moved = []
    for lane, _, entity, entity_id in moves:
        heads[lane] += 1
        moved.append({"k_lane": lane, "k_entity": entity, "k_id": entity_id, "v_seq": heads[lane]})
    inserts, updates = [], []
    for r in rows:
        heads[r.lane] += 1
        r.seq = heads[r.lane]
        values = dict(lane=r.lane, entity=r.entity, entity_id=r.entity_id, seq=r.seq, bucket=r.bucket,
                      owner_store_id=r.owner, customer_id=r.customer, deleted=r.deleted, data=r.data,
                      stamps=_compact(r.stamps))
        (updates if r.exists else inserts).append(values)
        r.exists = True
    if moved:
        conn.execute(update(hq_row).where(hq_row.c.lane == bindparam("k_lane"),
                                          hq_row.c.entity == bindparam("k_entity"),
                                          hq_row.c.entity_id == bindparam("k_id"))
                     .values(seq=bindparam("v_seq")), moved)
    _write_rows(conn, inserts, updates)
    newest = max((h for _, h in before.values()), default="")
    save_lanes(conn, heads, clock(newest), before)
    return len(moved) + len(rows)


def clock_past(last: str, newest: str, now_ms: int, max_ahead_ms: int) -> str | None:
    """HQ's clock past ``newest``, the newest stamp a batch carried (None: it carried none)."""
    if not newest:
        return None
    return receive(Timestamp.decode(last) if last else None, Timestamp.decode(newest), now_ms, HQ_NODE,
                   max_drift_ms=max_ahead_ms + 60_000).encode()


def _compact(stamps: dict[str, str]) -> dict[str, str]:
    """Drop per-field stamps equal to the row stamp; keep the map small."""
    if len(stamps) == 1:
        return stamps
    base = stamps.get("*")
    if base is None:
        return stamps
    return {k: v for k, v in stamps.items() if k == "*" or v != base}
