"""``hq_transfer`` consent, enforced where changes are captured (:mod:`core.sync.outbox`).

While a customer's current ``hq_transfer`` decision is a withdrawal, the store keeps the
person's data but sends HQ none of it: captured changes to the customer and to the rows
about them carry no personal column (an insert carries blanks where the row needs a
value; an update leaves the column out, so no other store's copy is blanked either), and
the withdrawal scrubs the same columns from changes still waiting in the outbox.  When
consent is granted again, the current personal values of the customer and their rows are
captured again, so HQ (and the stores that serve the customer) get them back.

What is personal is what the models declare (:mod:`core.erasure`): whole columns, and
personal keys inside JSON columns (a ticket's ``intake_condition.notes``).  An insert
carries the JSON value without those keys; an update leaves such a JSON column out, as a
whole column (HQ leaves both out in any case, so no store's copy is overwritten).  A row belongs to
a customer through its ``customer_id`` or through its parent's (a ledger entry through
its account, a ticket's history through its ticket).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import Connection, Table, select, update

from core import erasure
from core.models import Consent, OutboxEntry
from core.sync import merge

HQ_TRANSFER = "hq_transfer"

Change = tuple[str, str, str, dict[str, Any]]     # (entity, entity id, op, fields), as the outbox captures


def _latest(conn: Connection, customers: Iterable[str],
            skip: frozenset[str] = frozenset()) -> dict[str, bool]:
    """Each customer's current ``hq_transfer`` decision (True: granted), leaving out the
    consent rows ``skip``; customers who never decided are absent."""
    ids = sorted(set(customers))
    out: dict[str, tuple[tuple[datetime, str], bool]] = {}
    tbl = Consent.__table__
    for i in range(0, len(ids), 500):
        keys = [merge.key_values("customer", c)["id"] for c in ids[i:i + 500]]
        for cid, row_id, at, granted in conn.execute(
                select(tbl.c.customer_id, tbl.c.id, tbl.c.at, tbl.c.granted)
                .where(tbl.c.purpose == HQ_TRANSFER, tbl.c.customer_id.in_(keys))):
            if str(row_id) in skip:
                continue
            when = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
            key = (when, str(row_id))
            prev = out.get(str(cid))
            if prev is None or key > prev[0]:
                out[str(cid)] = (key, bool(granted))
    return {c: granted for c, (_, granted) in out.items()}


def _any_withdrawal(conn: Connection) -> bool:
    tbl = Consent.__table__
    return conn.execute(select(tbl.c.id).where(tbl.c.purpose == HQ_TRANSFER, tbl.c.granted.is_(False))
                        .limit(1)).first() is not None


def _customer_col(entity: str) -> str | None:
    pol = merge.policy(entity)
    if pol is None:
        return None
    if entity == "customer":
        return "id"
    return pol.customer_col


def _owners(conn: Connection, changes: list[Change], wanted: list[int]) -> dict[int, str]:
    """The customer each of the changes ``wanted`` (indexes) is about, where it has one."""
    out: dict[int, str] = {}
    lookups: dict[tuple[str, str], list[tuple[int, str]]] = {}    # (table, column) -> [(index, key)]
    for i in wanted:
        entity, entity_id, _, fields = changes[i]
        pol = merge.policy(entity)
        if pol is None or "id" not in merge.table(entity).c:
            continue
        col = _customer_col(entity)
        if col == "id":
            out[i] = entity_id
        elif col is not None:
            if fields.get(col):
                out[i] = str(fields[col])
            else:
                lookups.setdefault((entity, col), []).append((i, entity_id))
        elif pol.parent is not None:
            pcol, parent = pol.parent
            pcust = _customer_col(parent)
            if pcust is None or pcust == "id" or "id" not in merge.table(parent).c:
                continue
            pid = fields.get(pcol)
            if pid is None:
                row = conn.execute(select(merge.table(entity).c[pcol]).where(
                    merge.table(entity).c.id == merge.key_values(entity, entity_id)["id"])).first()
                pid = row[0] if row else None
            if pid is not None:
                lookups.setdefault((parent, pcust), []).append((i, str(pid)))
    for (entity, col), items in lookups.items():
        tbl = merge.table(entity)
        keys = {k: merge.key_values(entity, k)["id"] for _, k in items}
        found = {str(rid): cid for rid, cid in conn.execute(
            select(tbl.c.id, tbl.c[col]).where(tbl.c.id.in_(list(keys.values()))))}
        for i, k in items:
            if found.get(k) is not None:
                out[i] = str(found[k])
    return out


def _declares(entity: str) -> bool:
    """Whether ``entity`` has a personal column or a JSON column with personal keys."""
    return bool(_withheld(entity))


def _withheld(entity: str) -> tuple[str, ...]:
    """The personal columns and the JSON columns with personal keys of ``entity``."""
    return (*erasure.personal_columns(entity), *erasure.personal_json(entity))


def _touches(entity: str, fields: dict[str, Any]) -> bool:
    held = _withheld(entity)
    return any(k in held for k in fields)


def _strip(entity: str, op: str, fields: dict[str, Any]) -> dict[str, Any]:
    if op == "insert":
        return erasure.scrub_fields(entity, fields)
    held = _withheld(entity)
    return {k: v for k, v in fields.items() if k not in held}


def _rows_of(conn: Connection, customer: str) -> dict[str, list[dict[str, Any]]]:
    """Every row about ``customer``, by entity, with its personal columns (and id)."""
    cid = merge.key_values("customer", customer)["id"]
    out: dict[str, list[dict[str, Any]]] = {}
    direct: dict[str, list[Any]] = {}
    for entity, tbl in merge.synced_tables().items():
        col = _customer_col(entity)
        if col is None or "id" not in tbl.c:
            continue
        rows = list(conn.execute(select(tbl).where(tbl.c[col] == cid)).mappings())
        direct[entity] = [r["id"] for r in rows]
        if _declares(entity):
            out[entity] = [dict(r) for r in rows]
    for entity, tbl in merge.synced_tables().items():
        pol = merge.policy(entity)
        if pol is None or pol.parent is None or not _declares(entity) or "id" not in tbl.c:
            continue
        pcol, parent = pol.parent
        ids = direct.get(parent) or []
        if ids and _customer_col(entity) is None:
            out[entity] = [dict(r) for r in conn.execute(select(tbl).where(tbl.c[pcol].in_(ids))).mappings()]
    return out


def _scrub_outbox(conn: Connection, customer: str) -> None:
    """The withdrawal: changes about the customer still waiting to go leave their personal
    columns and keys here (the rows themselves keep them)."""
    for entity, rows in _rows_of(conn, customer).items():
        ids = [str(r["id"]) for r in rows]
        for i in range(0, len(ids), 500):
            for seq, op, fields in conn.execute(
                    select(OutboxEntry.seq, OutboxEntry.op, OutboxEntry.fields)
                    .where(OutboxEntry.entity == entity, OutboxEntry.entity_id.in_(ids[i:i + 500]),
                           OutboxEntry.sent_at.is_(None), OutboxEntry.rejected.is_(None))).all():
                if fields and _touches(entity, fields):
                    conn.execute(update(OutboxEntry).where(OutboxEntry.seq == seq)
                                 .values(fields=_strip(entity, op, fields)))


def _resend(conn: Connection, customer: str) -> list[Change]:
    """Consent granted again: the customer's current personal values, as updates."""
    from core.sync.outbox import jsonable
    out: list[Change] = []
    for entity, rows in _rows_of(conn, customer).items():
        tbl: Table = merge.table(entity)
        cols = [c for c in _withheld(entity) if c in tbl.c]
        for r in rows:
            out.append((entity, str(r["id"]), "update", {c: jsonable(r[c]) for c in cols}))
    return out


def apply(conn: Connection, changes: list[Change]) -> list[Change]:
    """The changes to capture, with ``hq_transfer`` enforced (see the module docstring)."""
    decided = [(i, str(c[3].get("customer_id"))) for i, c in enumerate(changes)
               if c[0] == "consent" and c[2] != "delete" and c[3].get("purpose") == HQ_TRANSFER
               and c[3].get("customer_id")]
    touching = [i for i, (entity, _, op, fields) in enumerate(changes)
                if op != "delete" and _touches(entity, fields)]
    if not decided and (not touching or not _any_withdrawal(conn)):
        return changes                     # nothing personal, or nobody has withdrawn
    out = list(changes)
    extra: list[Change] = []
    if decided:
        customers = {c for _, c in decided}
        now = _latest(conn, customers)
        before = _latest(conn, customers, frozenset(changes[i][1] for i, _ in decided))
        for customer in sorted(customers):
            if now.get(customer) is False:
                _scrub_outbox(conn, customer)
            elif now.get(customer) is True and before.get(customer) is False:
                extra.extend(_resend(conn, customer))
    if touching:
        owners = _owners(conn, out, touching)
        state = _latest(conn, set(owners.values()))
        for i, customer in owners.items():
            if state.get(customer) is False:
                entity, entity_id, op, fields = out[i]
                out[i] = (entity, entity_id, op, _strip(entity, op, fields))
        out = [c for c in out if c[2] != "update" or c[3]]
    return out + extra
