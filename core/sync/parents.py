"""A store never keeps a child row whose parent it lacks.

A page is applied with foreign keys off (rows arrive in HQ's lane and sequence order, a child may
come a page before its parent), so after a whole pull, and after a fetch's rows, the
customer-bucket rows applied in that call are checked: the customer their policy names
(:class:`core.sync.merge.Policy` ``customer_col``) and their policy parent must be here.
A missing parent is asked of HQ (``POST /v1/rows``) and applied, a few hops up (an
account's customer); a child whose parent still is not here is removed (with the rows
that hang from it through the models' foreign keys), unless this store has an operation
for it, or for a row below it, that HQ has not taken yet (never lose the store's own
write), and reported as ``(entity, id, "parent not here")``.

The work is proportional to the rows applied: a few key look-ups per entity, one request
to HQ per hop only when something is missing."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from core.models import Base, OutboxEntry
from core.sync import merge, params
from core.sync.apply import ApplyResult, apply_rows, remote_session

if TYPE_CHECKING:
    from core.db import StoreDatabase

Key = tuple[str, str]                       # (entity, id) as HQ names a row
Ask = Callable[[list[Key]], list[dict[str, Any]]]   # HQ's current version of these rows

REASON = "parent not here"
HOPS = 3                                    # a parent's parent's parent at most
_CHUNK = 500                                # ids per statement (SQLite's parameter limit)
_ASK = 1000                                 # keys per request (HQ answers at most this many)


def _refs(entity: str) -> list[tuple[str, str]]:
    """(column, parent entity) a row of ``entity`` must find here."""
    pol = merge.policy(entity)
    if pol is None or pol.bucket != merge.BUCKET_CUSTOMER or len(merge.pk_columns(entity)) != 1:
        return []
    out = []
    if pol.customer_col and pol.customer_col != "id":
        out.append((pol.customer_col, "customer"))
    if pol.parent:
        out.append(pol.parent)
    return out


def applied_keys(rows: Iterable[dict[str, Any]]) -> set[Key]:
    """The rows of an answer to check: live customer-bucket rows that name a parent."""
    return {(r["entity"], str(r["id"])) for r in rows
            if not r.get("deleted") and isinstance(r.get("entity"), str) and _refs(r["entity"])}


def _ids(entity: str, ids: Iterable[str]) -> dict[Any, str]:
    """Local key values of ``ids`` → the id as HQ writes it (ids that cannot be keys left out)."""
    col = merge.pk_columns(entity)[0]
    out = {}
    for i in ids:
        try:
            out[merge.key_values(entity, i)[col]] = i
        except (ValueError, TypeError, KeyError, merge.Rejected):
            continue
    return out


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def _missing(session: Session, children: set[Key]) -> dict[Key, set[Key]]:
    """Each of ``children`` that is here and names a parent that is not: child → missing
    parents. Reads the local rows (a field changed here and not yet sent counts).

    One statement per entity and chunk of keys, in the driver's own terms: the children
    whose parent is here (nearly all) never come back to Python."""
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in children:
        by_entity[entity].append(entity_id)
    conn = session.connection()
    dialect = conn.dialect
    out: dict[Key, set[Key]] = {}
    for entity, ids in by_entity.items():
        refs = _refs(entity)
        if not refs:
            continue
        pk = merge.pk_columns(entity)[0]
        bind = params.converters(entity, dialect)[pk]
        keyed: dict[Any, str] = {}
        for i in ids:
            try:
                keyed[bind(i)] = i
            except (ValueError, TypeError, KeyError, AttributeError, merge.Rejected):
                continue
        tbl = merge.table(entity)
        absent = [f'("{c}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "{merge.table(p).name}" '
                  f'WHERE "{merge.pk_columns(p)[0]}" = c."{c}"))' for c, p in refs]
        select_sql = (f'SELECT c."{pk}", {", ".join(f"c.{chr(34)}{c}{chr(34)}" for c, _ in refs)}, '
                      f'{", ".join(absent)} FROM "{tbl.name}" AS c WHERE ({" OR ".join(absent)}) AND c."{pk}" IN ')
        back = [tbl.c[c].type._cached_result_processor(dialect, None) for c, _ in refs]
        n = len(refs)
        for part in _chunks(list(keyed)):
            for row in conn.exec_driver_sql(select_sql + f'({", ".join("?" * len(part))})', tuple(part)):
                gone = out.setdefault((entity, keyed[row[0]]), set())
                for k, (_, parent) in enumerate(refs):
                    if row[1 + n + k]:
                        proc = back[k]
                        gone.add((parent, str(proc(row[1 + k]) if proc is not None else row[1 + k])))
    return out


def repair(db: StoreDatabase, children: set[Key], ask: Ask, *, hops: int = HOPS,
           done: Callable[[Session], None] | None = None) -> ApplyResult:
    """Complete ``children`` (rows just applied, :func:`applied_keys`) with the parents they
    lack, from HQ; remove those whose parent HQ does not give either. Returns what applying
    the parents did, with a ``(entity, id, "parent not here")`` error per row removed.
    ``done`` runs in the transaction of the last step (the removal, or one of its own when
    nothing is removed); not when HQ could not be asked (the error goes up)."""
    total = ApplyResult()
    children = set(children)
    asked: set[Key] = set()
    for _ in range(hops):
        with db.session(bulk=True) as s:
            orphans = _missing(s, children)
        wanted = sorted({p for ps in orphans.values() for p in ps} - asked)
        if not wanted:
            break
        asked.update(wanted)
        for i in range(0, len(wanted), _ASK):
            rows = ask(wanted[i:i + _ASK])
            if rows:
                add_result(total, apply_rows(db, rows))
                children |= applied_keys(rows)
    else:
        with db.session(bulk=True) as s:
            orphans = _missing(s, children)
    if orphans:
        _remove(db, set(orphans), total, done)
    elif done is not None:
        with db.session(write=True, bulk=True) as s:
            done(s)
    return total


def add_result(total: ApplyResult, part: ApplyResult) -> None:
    """Add ``part`` (one applied answer) to ``total``."""
    total.upserted += part.upserted
    total.deleted += part.deleted
    total.kept_local += part.kept_local
    total.skipped += part.skipped
    total.errors.extend(part.errors)
    total.entities |= part.entities
    total.erased |= part.erased
    total.negative_accounts |= part.negative_accounts


def _waiting(session: Session, entity: str, ids: list[str]) -> set[str]:
    """Those of ``ids`` with an operation here that HQ has not taken (waiting or parked)."""
    out: set[str] = set()
    for part in _chunks(ids):
        out.update(session.scalars(select(OutboxEntry.entity_id).where(
            OutboxEntry.entity == entity, OutboxEntry.entity_id.in_(part), OutboxEntry.sent_at.is_(None))))
    return out


@lru_cache(maxsize=1)
def _links() -> dict[str, tuple[tuple[str, str], ...]]:
    """Parent table → (child table, column) for every foreign key of the models
    (``Base.metadata``, as :mod:`core.erasure` derives its paths): the rows that hang from
    a row, whatever their sync policy (a ticket from its device, an event from its ticket)."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for tbl in Base.metadata.sorted_tables:
        for col in tbl.columns:
            for fk in col.foreign_keys:
                out[fk.column.table.name].append((tbl.name, col.name))
    return {parent: tuple(children) for parent, children in out.items()}


def _tree(conn: Connection, top: dict[str, list[Any]]) -> tuple[dict[Key, set[Key]], set[Key]]:
    """Every row hanging from the rows ``top`` (entity → local key values), all the way
    down: each row of the tree → the rows it hangs from (a top row → none). And the rows
    below which hangs a row that cannot be removed here (of a table that does not sync, or
    without a one-column key)."""
    synced = merge.synced_tables()
    above: dict[Key, set[Key]] = {(e, str(v)): set() for e, vs in top.items() for v in vs}
    stuck: set[Key] = set()
    todo = top
    while todo:
        nxt: dict[str, list[Any]] = defaultdict(list)
        for entity, values in todo.items():
            for child, col in _links().get(entity, ()):
                ctbl = Base.metadata.tables[child]
                fk = ctbl.c[col]
                if child not in synced or len(merge.pk_columns(child)) != 1:
                    for part in _chunks(values):
                        stuck.update((entity, str(v)) for v in conn.execute(
                            select(fk).where(fk.in_(part)).distinct()).scalars())
                    continue
                cpk = ctbl.c[merge.pk_columns(child)[0]]
                for part in _chunks(values):
                    for v, parent in conn.execute(select(cpk, fk).where(fk.in_(part))):
                        key = (child, str(v))
                        if key not in above:
                            above[key] = set()
                            nxt[child].append(v)
                        above[key].add((entity, str(parent)))
        todo = nxt
    return above, stuck


def _remove(db: StoreDatabase, orphans: set[Key], result: ApplyResult,
            done: Callable[[Session], None] | None = None) -> None:
    """Remove the orphans and every row hanging from one (through the models' foreign keys:
    an account's entries, a device's tickets and their events), except that a row with an
    operation of this store's still to go to HQ is kept, and so is every row it hangs from:
    no row is removed while a row below it stays."""
    with remote_session(db) as s:
        conn = s.connection()
        top: dict[str, list[Any]] = defaultdict(list)
        for entity in {e for e, _ in orphans}:
            keyed = _ids(entity, [i for e, i in orphans if e == entity])
            pk = merge.table(entity).c[merge.pk_columns(entity)[0]]
            for part in _chunks(list(keyed)):
                top[entity].extend(conn.execute(select(pk).where(pk.in_(part))).scalars())
        above, kept = _tree(conn, top)
        by_entity: dict[str, list[str]] = defaultdict(list)
        for entity, entity_id in above:
            by_entity[entity].append(entity_id)
        for entity, ids in by_entity.items():
            kept.update((entity, i) for i in _waiting(s, entity, ids))
        todo = list(kept)
        while todo:                                   # what a kept row hangs from stays too
            for parent in above.get(todo.pop(), ()):
                if parent not in kept:
                    kept.add(parent)
                    todo.append(parent)
        gone: dict[str, list[str]] = defaultdict(list)
        for key in sorted(set(above) - kept):
            gone[key[0]].append(key[1])
        for entity, ids in gone.items():
            keyed = _ids(entity, ids)
            pk = merge.table(entity).c[merge.pk_columns(entity)[0]]
            for part in _chunks(list(keyed)):
                conn.execute(delete(merge.table(entity)).where(pk.in_(part)))
            result.errors.extend((entity, keyed[v], REASON) for v in keyed)
            result.deleted += len(keyed)
        if done is not None:
            done(s)
