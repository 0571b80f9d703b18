"""Pull: hand a store the changes after its cursor.

Rows past the store's cursor in their lane (:mod:`hq.lanes`: one sequence per lane, the
cursor one number per lane, handed out as an opaque token), in lane then sequence order,
that the store's buckets allow: global reference data, its own rows, the customers it
serves. The answer carries the whole current row (so a store that missed intermediate
states still converges) and the per-field stamps. The lanes' heads are read first: a lane
whose rows this page covers moves the cursor to the head read (rows the store may not see
are not scanned again), and nothing committed later is below it (within a lane, sequence
numbers commit in order)."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine, Text, and_, cast, select, union_all

from core.sync import merge
from hq import lanes
from hq.common import StoreAuth, _now_ms, _out, _touch_store, _visible, _write, lane_heads, lane_of
from hq.models import hq_row, hq_served

MAX_PAGE = 5000


def pull(engine: Engine, auth: StoreAuth, after: int | str | None, limit: int = 1000, *,
         pending: int | None = None, parked: int | None = None, raw: bool = False) -> dict[str, Any]:
    """The next page of changes this store may see, after its cursor (``after``: the token
    the last page's ``next`` gave, a whole number from before the lanes, or 0).

    ``raw`` (the HTTP endpoint): each row's ``data`` and ``stamps`` are the JSON text the
    database holds, as ``orjson.Fragment`` (``orjson.dumps`` writes them as they are), not
    parsed and serialised again; a row whose secret columns are blanked for this store is
    parsed. Without it (callers in this process) they are dicts."""
    limit = max(1, min(int(limit), MAX_PAGE))
    cursor = lanes.decode(after)
    data_col = cast(hq_row.c.data, Text).label("data") if raw else hq_row.c.data
    stamps_col = cast(hq_row.c.stamps, Text).label("stamps") if raw else hq_row.c.stamps
    cols = [hq_row.c.lane, hq_row.c.seq, hq_row.c.entity, hq_row.c.entity_id, hq_row.c.deleted, data_col,
            stamps_col, hq_row.c.owner_store_id]
    with engine.connect() as conn:
        heads = lane_heads(conn)
        behind = [lane for lane, head in heads.items() if head > cursor.get(lane, 0)]
        rows: list[dict[str, Any]] = []
        got: list[Any] = []
        if behind:
            base = lanes.after(cursor, behind)
            order = (hq_row.c.lane, hq_row.c.seq)
            parts = [
                select(*cols).where(base, hq_row.c.bucket == merge.BUCKET_GLOBAL).order_by(*order).limit(limit),
                select(*cols).where(base, hq_row.c.bucket == merge.BUCKET_STORE,
                                    hq_row.c.owner_store_id == auth.store_id).order_by(*order).limit(limit),
                select(*cols).join(hq_served, and_(hq_served.c.customer_id == hq_row.c.customer_id,
                                                   hq_served.c.lane == lane_of(auth.store_id),
                                                   hq_served.c.store_id == auth.store_id))
                .where(base, hq_row.c.bucket == merge.BUCKET_CUSTOMER).order_by(*order).limit(limit),
            ]
            u = union_all(*[select(p.subquery()) for p in parts]).subquery()
            q = select(u).order_by(u.c.lane, u.c.seq).limit(limit)
            got = list(conn.execute(q).mappings())
            rows = [_out_raw(r, auth) for r in got] if raw else [_out(r, auth) for r in got]
    more = len(rows) == limit
    nxt = dict(cursor)
    last = (got[-1]["lane"], got[-1]["seq"]) if more else None
    for lane in behind:
        if last is None or lane < last[0]:
            nxt[lane] = heads[lane]         # every row of the lane up to its head is in this page
        elif lane == last[0]:
            nxt[lane] = last[1]
    token = lanes.encode(nxt)
    with _write(engine) as conn, conn.begin():
        # the cursor the store holds once this page is in (for "cursor lag" in status)
        held = cursor if more else nxt
        _touch_store(conn, auth, pending, parked, cursor=lanes.position(held), token=lanes.encode(held))
    return {"rows": rows, "next": token, "more": more, "head": lanes.position(heads),
            "position": lanes.position(nxt), "server_time_ms": _now_ms()}


def _fragment(text: str | None) -> orjson.Fragment | None:
    return None if text is None else orjson.Fragment(text)


def _out_raw(r: Any, auth: StoreAuth) -> dict[str, Any]:
    """As ``hq.common._out``, from the JSON text: passed through, unless a column is to be
    blanked for this store (then parsed, blanked and handed to ``_out``)."""
    pol = merge.policy(r["entity"])
    if pol is not None and pol.secret_cols and r["owner_store_id"] != auth.store_id and not r["deleted"]:
        parsed = dict(r)
        parsed["data"] = orjson.loads(r["data"]) if r["data"] is not None else None
        parsed["stamps"] = orjson.loads(r["stamps"]) if r["stamps"] is not None else None
        return _out(parsed, auth)
    return {"seq": r["seq"], "entity": r["entity"], "id": r["entity_id"], "deleted": r["deleted"],
            "data": _fragment(r["data"]), "stamps": _fragment(r["stamps"])}


def current_rows(engine: Engine, auth: StoreAuth, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """HQ's current version of these rows, those the store may see (after a refusal)."""
    out: list[dict[str, Any]] = []
    if not keys:
        return out
    with engine.connect() as conn:
        by_entity: dict[str, list[str]] = {}
        for e, i in keys:
            by_entity.setdefault(e, []).append(i)
        for entity, ids in by_entity.items():
            q = select(hq_row).where(hq_row.c.entity == entity, hq_row.c.entity_id.in_(ids[:1000]),
                                     _visible(auth))
            out.extend(_out(r, auth) for r in conn.execute(q).mappings())
    return out
