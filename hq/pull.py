"""Pull: hand a store the changes after its cursor.

Rows whose sequence is above the store's cursor, in sequence order, that the
store's buckets allow: global reference data, its own rows, the customers it
serves.  The answer carries the whole current row (so a store that missed
intermediate states still converges) and the per-field stamps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, and_, select, union_all

from core.sync import merge
from hq.common import StoreAuth, _now_ms, _out, _touch_store, _visible, _write
from hq.models import hq_row, hq_served, hq_state

MAX_PAGE = 5000


def pull(engine: Engine, auth: StoreAuth, after: int, limit: int = 1000, *, pending: int | None = None,
         parked: int | None = None) -> dict[str, Any]:
    """The next page of changes this store may see, after its cursor."""
    limit = max(1, min(int(limit), MAX_PAGE))
    after = max(0, int(after))
    cols = [hq_row.c.seq, hq_row.c.entity, hq_row.c.entity_id, hq_row.c.deleted, hq_row.c.data,
            hq_row.c.stamps, hq_row.c.owner_store_id]
    base = hq_row.c.seq > after
    parts = [
        select(*cols).where(base, hq_row.c.bucket == merge.BUCKET_GLOBAL).order_by(hq_row.c.seq).limit(limit),
        select(*cols).where(base, hq_row.c.bucket == merge.BUCKET_STORE,
                            hq_row.c.owner_store_id == auth.store_id).order_by(hq_row.c.seq).limit(limit),
        select(*cols).join(hq_served, and_(hq_served.c.customer_id == hq_row.c.customer_id,
                                           hq_served.c.store_id == auth.store_id))
        .where(base, hq_row.c.bucket == merge.BUCKET_CUSTOMER).order_by(hq_row.c.seq).limit(limit),
    ]
    u = union_all(*[select(p.subquery()) for p in parts]).subquery()
    q = select(u).order_by(u.c.seq).limit(limit)
    with engine.connect() as conn:
        rows = [_out(r, auth) for r in conn.execute(q).mappings()]
        head = conn.scalar(select(hq_state.c.num).where(hq_state.c.key == "seq")) or 0
    nxt = rows[-1]["seq"] if rows else after
    more = len(rows) == limit
    with _write(engine) as conn, conn.begin():
        # the cursor the store holds once this page is in (for "cursor lag" in status)
        _touch_store(conn, auth, pending, parked, cursor=after if more else nxt)
    return {"rows": rows, "next": nxt, "more": more, "head": int(head),
            "server_time_ms": _now_ms()}


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
