"""On-demand fetch: a store looks up a customer it does not serve (by phone, email or
member number) and from then on serves them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, func, insert, literal_column, select

from core.sync import merge
from hq.common import (
    BadRequest, StoreAuth, _now, _now_ms, _out, _touch_store, _upsert_ignore, _uuid_or_none, _write,
)
from hq.models import hq_access, hq_erased, hq_row, hq_served


def _field(conn, name: str):
    """``hq_row.data``'s field ``name`` as text, written exactly as the expression indexes
    of migration hq0002 are (so the planner uses them)."""
    if conn.dialect.name == "postgresql":
        return literal_column(f"hq_row.data ->> '{name}'")
    return literal_column(f"json_extract(hq_row.data, '$.{name}')")


def _with_survivors(conn, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """``ids`` and, for a profile merged away, the profile it was merged into (a few hops
    at most): a store that fetches the old profile gets the one in use as well."""
    out = list(ids)
    todo = list(ids)
    for _ in range(5):
        if not todo:
            break
        nxt = []
        for data in conn.scalars(select(hq_row.c.data).where(hq_row.c.entity == "customer",
                                                             hq_row.c.entity_id.in_([str(c) for c in todo]))):
            winner = _uuid_or_none((data or {}).get("merged_into_id"))
            if winner is not None and winner not in out:
                out.append(winner)
                nxt.append(winner)
        todo = nxt
    return out


def lookup_customer(engine: Engine, auth: StoreAuth, *, phone: str | None = None, email: str | None = None,
                    member: str | None = None) -> dict[str, Any]:
    """Find a customer this store does not have; from now on the store serves them (their
    changes come with its pulls). Returns their rows. Logged in ``hq_access`` by kind of
    key and the customers shown, never by the key."""
    keys = [(k, v.strip()) for k, v in (("phone", phone), ("email", email), ("member", member))
            if isinstance(v, str) and v.strip()]
    if not keys:
        raise BadRequest("give a phone number, an email address or a member number")
    with _write(engine) as conn, conn.begin():
        found: list[uuid.UUID] = []
        for kind, value in keys:
            if kind == "phone":
                entity, match = "customer", _field(conn, "phone_e164") == value
            elif kind == "email":
                entity, match = "customer", func.lower(_field(conn, "email")) == value.lower()
            else:
                entity, match = "loyalty_account", _field(conn, "member_number") == value.upper()
            found.extend(conn.scalars(select(hq_row.c.customer_id).where(
                hq_row.c.entity == entity, match, hq_row.c.deleted.is_(False),
                hq_row.c.customer_id.is_not(None)).limit(20)))
        ids = _with_survivors(conn, list(dict.fromkeys(found))[:20])
        if ids:
            ids = [c for c in ids if c not in set(conn.scalars(
                select(hq_erased.c.customer_id).where(hq_erased.c.customer_id.in_(ids))))]
        if ids:
            conn.execute(_upsert_ignore(conn, hq_served), [dict(store_id=auth.store_id, customer_id=c) for c in ids])
        rows = []
        if ids:
            q = (select(hq_row).where(hq_row.c.customer_id.in_(ids), hq_row.c.bucket == merge.BUCKET_CUSTOMER,
                                      hq_row.c.deleted.is_(False)).order_by(hq_row.c.seq))
            rows = [_out(r, auth) for r in conn.execute(q).mappings()]
        conn.execute(insert(hq_access).values(at=_now(), store_id=auth.store_id, action="fetch_customer",
                                              key_kind="+".join(k for k, _ in keys),
                                              customers=[str(c) for c in ids]))
        _touch_store(conn, auth, None, None)
    return {"customers": [str(c) for c in ids], "rows": rows, "server_time_ms": _now_ms()}
