"""What a push batch asks PostgreSQL about many rows at once, rather than a round trip per row:
the rows about the customers a batch erases, the stores that served the profiles it merges
away, and the loyalty balances (and their negative-balance flags) it moves.

A round trip costs a millisecond or more on a busy HQ; a batch of 500 operations that asked
once per account, merge or erasure spent most of its time waiting for them."""

from __future__ import annotations

import uuid
from typing import Any, Iterable

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hq.bulk import _raw
from hq.common import _in, _now, _step, _uuid_or_none
from hq.models import hq_balance, hq_flag, hq_row, hq_served


def related_rows(conn: Connection, ops: Iterable[Any]) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """Per customer an operation of the batch erases: the (entity, id) of every row HQ holds
    about them, as the batch found them (nothing in a batch writes rows before it finishes)."""
    ids = sorted({c for c in (_uuid_or_none(o.entity_id) for o in ops
                              if o.entity == "customer" and o.fields.get("erased") is True) if c}, key=str)
    found: dict[uuid.UUID, list[tuple[str, str]]] = {c: [] for c in ids}
    step = _step(conn)
    for i in range(0, len(ids), step):
        for entity, entity_id, customer in conn.execute(
                select(hq_row.c.entity, hq_row.c.entity_id, hq_row.c.customer_id)
                .where(_in(conn, hq_row.c.customer_id, ids[i:i + step]))):
            found[customer].append((entity, entity_id))
    return found


def merged_links(conn: Connection, merged: list[tuple[uuid.UUID, uuid.UUID]],
                 links: set[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Every store that served a merged-away profile now serves the survivor (and gets it,
    with what moved to it, on its next pull): added to ``links`` as (store, survivor)."""
    winners: dict[uuid.UUID, list[uuid.UUID]] = {}
    for loser, winner in merged:
        winners.setdefault(loser, []).append(winner)
    losers = list(winners)
    step = _step(conn)
    for i in range(0, len(losers), step):
        for store, loser in conn.execute(select(hq_served.c.store_id, hq_served.c.customer_id)
                                         .where(_in(conn, hq_served.c.customer_id, losers[i:i + step]))):
            for winner in winners[loser]:
                links.add((store, winner))


def add_points(conn: Connection, balance: dict[uuid.UUID, int]) -> list[tuple[uuid.UUID, int]]:
    """Add points to accounts' balances (a balance new at HQ starts at the points); the new
    balances. Accounts go in UUID order, as PostgreSQL orders them, so two writers (a push, a
    sales import) lock the accounts they share in the same order. On PostgreSQL one statement
    answering with the balances: a statement per account and a read-back cost a batch of the
    issue's mix more than its loyalty rows did."""
    accounts = sorted(balance, key=lambda a: a.int)
    if conn.dialect.name == "postgresql":
        return [(a, int(p)) for a, p in _raw(
            conn, "INSERT INTO hq_balance (account_id, points) SELECT * FROM unnest(%b::uuid[], %b::bigint[]) "
                  "ON CONFLICT (account_id) DO UPDATE SET points = hq_balance.points + excluded.points "
                  "RETURNING account_id, points", [accounts, [balance[a] for a in accounts]], fetch=True)]
    ins = sqlite_insert(hq_balance)
    conn.execute(ins.on_conflict_do_update(index_elements=["account_id"],
                                           set_={"points": hq_balance.c.points + ins.excluded.points}),
                 [dict(account_id=a, points=balance[a]) for a in accounts])
    return [(a, int(p)) for a, p in conn.execute(select(hq_balance.c.account_id, hq_balance.c.points)
                                                 .where(_in(conn, hq_balance.c.account_id, accounts)))]


def write_balances(conn: Connection, balance: dict[uuid.UUID, int]) -> None:
    """Add the batch's points to each account's balance; flag a balance below zero for a
    manager (offline redemptions at two stores), clear the flag once it is not."""
    if not balance:
        return
    balances = add_points(conn, balance)
    now = _now()
    keys = [str(a) for a, _ in balances]
    flags = dict(conn.execute(select(hq_flag.c.entity_id, hq_flag.c.cleared).where(
        hq_flag.c.kind == "negative_balance", _in(conn, hq_flag.c.entity_id, keys))).all()) if keys else {}
    for account_id, points in balances:
        key = str(account_id)
        cleared = flags.get(key)            # None: never flagged
        if points < 0:
            detail = f"loyalty balance {points} points"
            if cleared is None:
                conn.execute(insert(hq_flag).values(kind="negative_balance", entity_id=key, detail=detail,
                                                    raised_at=now, cleared=False))
            else:
                conn.execute(update(hq_flag).where(hq_flag.c.kind == "negative_balance", hq_flag.c.entity_id == key)
                             .values(detail=detail, cleared=False))
        elif cleared is False:
            conn.execute(update(hq_flag).where(hq_flag.c.kind == "negative_balance", hq_flag.c.entity_id == key)
                         .values(cleared=True))


def merged_into(conn: Connection, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Per profile: the ids of the customer rows HQ holds that were merged into it, through
    migration hq0010's index (one query for a batch's erasures, which each ask)."""
    from hq.fetch import _field         # hq.fetch imports hq.push, which imports the batch's modules
    expr = _field(conn, "merged_into_id")
    text = sorted(str(c) for c in ids)
    out: dict[uuid.UUID, list[str]] = {uuid.UUID(t): [] for t in text}
    for i in range(0, len(text), 1000):
        for entity_id, target in conn.execute(select(hq_row.c.entity_id, expr).where(
                hq_row.c.entity == "customer", expr.in_(text[i:i + 1000]))):
            out[uuid.UUID(target)].append(entity_id)
    return out
