"""A store never keeps a child row whose parent it lacks.

A page is applied with foreign keys off (rows arrive in HQ's sequence order, a child may
come a page before its parent), so after a whole pull, and after a fetch's rows, the
customer-bucket rows applied in that call are checked: the customer their policy names
(:class:`core.sync.merge.Policy` ``customer_col``) and their policy parent must be here.
A missing parent is asked of HQ (``POST /v1/rows``) and applied, a few hops up (an
account's customer); a child whose parent still is not here is removed (with the rows
that hang from it), unless this store has an operation for it that HQ has not taken yet
(never lose the store's own write), and reported as ``(entity, id, "parent not here")``.

The work is proportional to the rows applied: a few key look-ups per entity, one request
to HQ per hop only when something is missing."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.models import OutboxEntry
from core.sync import merge
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
    parents. Reads the local rows (a field changed here and not yet sent counts)."""
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in children:
        by_entity[entity].append(entity_id)
    wants: dict[Key, set[Key]] = defaultdict(set)
    for entity, ids in by_entity.items():
        refs = _refs(entity)
        tbl = merge.table(entity)
        pk = tbl.c[merge.pk_columns(entity)[0]]
        keyed = _ids(entity, ids)
        for part in _chunks(list(keyed)):
            for row in session.execute(select(pk, *[tbl.c[c] for c, _ in refs]).where(pk.in_(part))):
                for (_, parent), value in zip(refs, row[1:]):
                    if value is not None:
                        wants[(entity, keyed[row[0]])].add((parent, str(value)))
    wanted: dict[str, set[str]] = defaultdict(set)
    for parents in wants.values():
        for parent, parent_id in parents:
            wanted[parent].add(parent_id)
    here: set[Key] = set()
    for parent, ids_ in wanted.items():
        tbl = merge.table(parent)
        pk = tbl.c[merge.pk_columns(parent)[0]]
        keyed = _ids(parent, ids_)
        for part in _chunks(list(keyed)):
            here.update((parent, keyed[v]) for v in session.scalars(select(pk).where(pk.in_(part))))
    out = {}
    for child, parents in wants.items():
        gone = parents - here
        if gone:
            out[child] = gone
    return out


def repair(db: StoreDatabase, children: set[Key], ask: Ask, *, hops: int = HOPS) -> ApplyResult:
    """Complete ``children`` (rows just applied, :func:`applied_keys`) with the parents they
    lack, from HQ; remove those whose parent HQ does not give either. Returns what applying
    the parents did, with a ``(entity, id, "parent not here")`` error per row removed."""
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
        _remove(db, set(orphans), total)
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


def _remove(db: StoreDatabase, orphans: set[Key], result: ApplyResult) -> None:
    """Remove the orphans, and the rows hanging from a removed one (an account's entries),
    except rows with an operation of this store's still to go to HQ."""
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)     # parent entity → (child, column)
    for name, pol in merge.policies().items():
        if pol.parent and len(merge.pk_columns(name)) == 1:
            children[pol.parent[1]].append((name, pol.parent[0]))
        if pol.customer_col and pol.customer_col != "id" and len(merge.pk_columns(name)) == 1:
            children["customer"].append((name, pol.customer_col))
    with remote_session(db) as s:
        conn = s.connection()
        todo = orphans
        seen: set[Key] = set()
        while todo:
            seen |= todo
            by_entity: dict[str, list[str]] = defaultdict(list)
            for entity, entity_id in todo:
                by_entity[entity].append(entity_id)
            todo = set()
            for entity, ids in by_entity.items():
                keep = _waiting(s, entity, ids)
                keyed = _ids(entity, [i for i in ids if i not in keep])
                tbl = merge.table(entity)
                pk = tbl.c[merge.pk_columns(entity)[0]]
                gone: list[Any] = []
                for part in _chunks(list(keyed)):
                    gone.extend(conn.execute(select(pk).where(pk.in_(part))).scalars())
                    conn.execute(delete(tbl).where(pk.in_(part)))
                for value in gone:
                    result.errors.append((entity, keyed[value], REASON))
                    result.deleted += 1
                for child, col in children.get(entity, ()):
                    ctbl = merge.table(child)
                    cpk = ctbl.c[merge.pk_columns(child)[0]]
                    for part in _chunks(gone):
                        todo.update((child, str(v)) for v in conn.execute(
                            select(cpk).where(ctbl.c[col].in_(part))).scalars())
            todo -= seen

