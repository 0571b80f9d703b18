"""Which customer a sale is (issue 23): by its normalised member number, then phone, then
e-mail (:data:`core.crm.sales.MATCH_ORDER`), against HQ's customer rows.

Set-based: one query per kind of key for a whole chunk of sales, through the partial
expression indexes of migration hq0002 (``ix_hq_row_member``, ``ix_hq_row_phone``,
``ix_hq_row_email``: the expressions :func:`hq.fetch._field` writes). A profile merged into
another counts as the one it went into; erased, deleted and merged-away profiles are not
customers. The first kind of key that finds anyone decides: one live customer is a match,
more than one is ``ambiguous`` (left unmatched, listed by ``orchard-hq unmatched-sales``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from sqlalchemy import ARRAY, String, any_, bindparam, func, select

from core.crm.sales import MATCH_ORDER, SaleIn
from hq.common import _in, _step, _uuid_or_none
from hq.fetch import _field
from hq.models import hq_erased, hq_row

AMBIGUOUS = "ambiguous"
NONE = "none"
MATCHES = (*MATCH_ORDER, AMBIGUOUS, NONE)
_MERGE_HOPS = 6


@dataclass(frozen=True)
class Match:
    """``how``: member, phone, email (``customer_id`` set), ambiguous or none."""

    how: str
    customer_id: uuid.UUID | None = None


def match_sales(conn: Any, sales: Sequence[SaleIn]) -> dict[str, Match]:
    """Every sale's match, by receipt id."""
    out: dict[str, Match] = {}
    pending = [s for s in sales if s.keys()]
    for kind in MATCH_ORDER:
        wanted: dict[str, list[str]] = {}
        for s in pending:
            value = dict(s.keys()).get(kind)
            if value is not None:
                wanted.setdefault(value, []).append(s.receipt_id)
        if not wanted:
            continue
        found = _customers_by_key(conn, kind, list(wanted))
        live = _live(conn, {c for ids in found.values() for c in ids})
        for value, receipts in wanted.items():
            people = {live[c] for c in found.get(value, ()) if c in live}
            if not people:
                continue
            m = Match(kind, next(iter(people))) if len(people) == 1 else Match(AMBIGUOUS)
            for r in receipts:
                out[r] = m
        pending = [s for s in pending if s.receipt_id not in out]
    for s in sales:
        out.setdefault(s.receipt_id, Match(NONE))
    return out


def _customers_by_key(conn: Any, kind: str, values: list[str]) -> dict[str, set[uuid.UUID]]:
    """key value -> the customer ids of the rows holding it (before merges are followed)."""
    if kind == "member":
        entity, expr = "loyalty_account", _field(conn, "member_number")
    elif kind == "phone":
        entity, expr = "customer", _field(conn, "phone_e164")
    else:
        entity, expr = "customer", func.lower(_field(conn, "email"))
    out: dict[str, set[uuid.UUID]] = {}
    step = _step(conn)
    for i in range(0, len(values), step):
        chunk = values[i:i + step]
        if conn.dialect.name == "postgresql":
            cond = expr == any_(bindparam(None, chunk, type_=ARRAY(String)))
        else:
            cond = expr.in_(chunk)
        q = select(expr.label("k"), hq_row.c.customer_id).where(
            hq_row.c.entity == entity, cond, hq_row.c.deleted.is_(False), hq_row.c.customer_id.is_not(None))
        for key, customer in conn.execute(q):
            out.setdefault(str(key), set()).add(customer)
    return out


def _live(conn: Any, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """customer id -> the live profile it is (itself, or the one a merge took it into),
    for those that lead to a live profile."""
    rows: dict[uuid.UUID, dict[str, Any] | None] = {}
    todo = set(ids)
    for _ in range(_MERGE_HOPS):
        todo -= rows.keys()
        if not todo:
            break
        rows.update(_customer_rows(conn, todo))
        todo = {w for w in (_uuid_or_none((d or {}).get("merged_into_id")) for d in rows.values()) if w}
    erased = _erased(conn, list(rows))
    out: dict[uuid.UUID, uuid.UUID] = {}
    for start in ids:
        at, hops = start, 0
        while hops < _MERGE_HOPS:
            data = rows.get(at)
            if data is None or data.get("erased") is True or at in erased:
                break
            winner = _uuid_or_none(data.get("merged_into_id"))
            if winner is None:
                out[start] = at
                break
            at, hops = winner, hops + 1
    return out


def _customer_rows(conn: Any, ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any] | None]:
    keys = [str(c) for c in ids]
    out: dict[uuid.UUID, dict[str, Any] | None] = {c: None for c in ids}
    step = _step(conn)
    for i in range(0, len(keys), step):
        q = select(hq_row.c.entity_id, hq_row.c.data).where(
            hq_row.c.entity == "customer", _in(conn, hq_row.c.entity_id, keys[i:i + step]),
            hq_row.c.deleted.is_(False))
        for entity_id, data in conn.execute(q):
            out[uuid.UUID(entity_id)] = dict(data or {})
    return out


def _erased(conn: Any, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    out: set[uuid.UUID] = set()
    step = _step(conn)
    for i in range(0, len(ids), step):
        out.update(conn.scalars(select(hq_erased.c.customer_id).where(
            _in(conn, hq_erased.c.customer_id, ids[i:i + step]))))
    return out


__all__ = ["AMBIGUOUS", "MATCHES", "NONE", "Match", "match_sales"]
