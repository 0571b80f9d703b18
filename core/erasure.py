"""What an erasure forgets, derived from the models.

Every text, JSON and binary column of every model declares whether it describes the person
(``core.models.base.personal`` / ``not_personal``: ``info["personal"]`` is True, False, or for
a JSON column the tuple of its personal keys). From that and the foreign keys this module
derives:

* the *customer tables*: every table with a path to a customer, either a column that names
  the customer (``customer_id``) or a foreign key to a parent that has one (``repair_event``
  through ``repair_ticket``, ``loyalty_entry`` through ``loyalty_account``);
* their personal columns (whole values: blanked to None when nullable, "" otherwise) and
  personal JSON keys (removed from the value);
* the rows and captured outbox changes that hold an erased customer's data.

The store's own erasure (``core.privacy.erase_customer``), the store applying HQ's erasure
(``core.sync.apply``) and HQ blanking its rows (``hq.push_merge``) all use these lists, so a
column added to a model is covered the moment it says it is personal (and a test fails until
it says either way).

Who is erased: the person, not only the profile. A merge says two profiles are one person,
so an erasure of either erases every profile the merges join (the one it was merged into,
and every one merged into any of them), in whichever order the erasure and the merge reach
HQ (one made offline, before its store knew of the other). HQ decides it
(``hq.push_merge``): it marks each such profile erased like the first and blanks every row
about each of them at that time, and blanks any row that moves to an erased profile later.
A store applying HQ's erasure blanks the rows about the erased profiles as it holds them
now (the same rows; HQ's version of any other arrives in the same pull), and every captured
change that named them; the erasing store also blanks, and sends, rows its outbox remembers
as theirs. So nothing about the person survives at HQ or at any store, and every replica
holds the same values.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping

import orjson
from sqlalchemy import Connection, Engine, Table, delete, event, insert, select, update
from sqlalchemy.orm import Session

from core.models import Base, OutboxEntry, SyncState
from core.sync.merge import PERSONAL_ROWS, WRITER_HQ, WRITER_INSERT_ONLY, policy

CHUNK = 500

# Rows derived from the person's activity (issue 23): the scores HQ computed for them and what
# staff did with the suggestions made to them. They hold no personal column, but they are
# about the person and go with the erasure: a store deletes its own outcomes through sync,
# and its copy of HQ's scores without capturing it (only HQ writes customer_score; HQ drops
# its own when it learns of the erasure).
DERIVED_ROWS = ("customer_score", "action_outcome")


@dataclass(frozen=True)
class CustomerPath:
    """How rows of ``table`` lead to a customer: ``column`` names the customer itself
    (``parent`` None) or a row of ``parent``, which leads on to the customer."""

    table: str
    column: str
    parent: str | None = None


def declaration(table: str, column: str) -> bool | tuple[str, ...] | None:
    """What a column says about personal data; None when it says nothing."""
    value = Base.metadata.tables[table].c[column].info.get("personal")
    if value is None or isinstance(value, bool):
        return value
    return tuple(value)


@lru_cache(maxsize=1)
def _all_personal() -> dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]]:
    out: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {}
    for tbl in Base.metadata.sorted_tables:
        whole: list[str] = []
        keys: dict[str, tuple[str, ...]] = {}
        for col in tbl.columns:
            value = col.info.get("personal")
            if value is True:
                whole.append(col.name)
            elif value and not isinstance(value, bool):
                keys[col.name] = tuple(value)
        if whole or keys:
            out[tbl.name] = (tuple(whole), keys)
    return out


def personal_columns(table: str) -> tuple[str, ...]:
    """Columns of ``table`` whose whole value describes the person."""
    return _all_personal().get(table, ((), {}))[0]


def personal_json(table: str) -> dict[str, tuple[str, ...]]:
    """JSON columns of ``table`` that hold personal keys, with those keys."""
    return dict(_all_personal().get(table, ((), {}))[1])


def personal_json_fields(table: str, column: str) -> tuple[str, ...]:
    return personal_json(table).get(column, ())


def personal_tables() -> tuple[str, ...]:
    """Every table with a personal column or personal JSON key."""
    return tuple(_all_personal())


@lru_cache(maxsize=1)
def _customer_tables() -> dict[str, CustomerPath]:
    out: dict[str, CustomerPath] = {}
    # sorted_tables puts a parent before the tables that refer to it
    for tbl in Base.metadata.sorted_tables:
        if tbl.name == "customer":
            continue
        direct = [c.name for c in tbl.columns
                  if any(fk.column.table.name == "customer" for fk in c.foreign_keys)]
        if direct:
            out[tbl.name] = CustomerPath(tbl.name, "customer_id" if "customer_id" in direct else direct[0])
            continue
        for col in tbl.columns:
            parents = [fk.column.table.name for fk in col.foreign_keys
                       if fk.column.table.name in out and fk.column.table.name != tbl.name]
            if parents:
                out[tbl.name] = CustomerPath(tbl.name, col.name, parents[0])
                break
    return out


def customer_tables() -> dict[str, CustomerPath]:
    """Every table with a path to a customer (the customer table itself excepted), parents
    before the tables that reach the customer through them."""
    return dict(_customer_tables())


# --- values ----------------------------------------------------------------------------------

def blank_value(table: str, column: str) -> Any:
    """What a personal column holds once erased: None when nullable, "" otherwise."""
    return None if Base.metadata.tables[table].c[column].nullable else ""


def scrub(table: str, column: str, value: Any) -> Any:
    """``value`` of ``table.column`` without its personal content."""
    if column in personal_columns(table):
        return blank_value(table, column)
    keys = personal_json_fields(table, column)
    if keys and isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in keys}
    return value


def scrub_fields(table: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A row's (or a captured change's) fields without their personal content."""
    return {k: scrub(table, k, v) for k, v in fields.items()}


def scrub_change(table: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A captured change (an outbox operation's fields) without its personal content; a
    change to a row that exists only to describe the person keeps only its keys."""
    if table in PERSONAL_ROWS:
        return {k: v for k, v in fields.items() if k in ("id", "customer_id")}
    return scrub_fields(table, fields)


def has_personal(table: str, fields: Mapping[str, Any]) -> bool:
    """Whether ``fields`` carry any personal content (a non-blank personal column, or a
    personal key inside a JSON value)."""
    for k, v in fields.items():
        if k in personal_columns(table) and v not in (None, ""):
            return True
        keys = personal_json_fields(table, k)
        if keys and isinstance(v, dict) and any(key in v for key in keys):
            return True
    return False


# --- the rows about a customer -----------------------------------------------------------------

def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def _pk(tbl: Table) -> str:
    cols = list(tbl.primary_key.columns)
    if len(cols) != 1:
        raise TypeError(f"{tbl.name}: a customer table needs a single-column key")
    return cols[0].name


def references(conn: Connection, customer_ids: Iterable[str], *, remembered: bool = True) -> dict[str, set[str]]:
    """Per table, the ids (as text, as the outbox names them) of every row about these
    customers: rows here, and (``remembered``) rows the outbox still names as theirs (inserted,
    then deleted here before the erasure, or moved since to another customer). The customer
    ids come as text too."""
    tables = Base.metadata.tables
    refs: dict[str, set[str]] = {"customer": {str(c) for c in customer_ids}}
    keys: dict[str, list[Any]] = {"customer": [uuid.UUID(c) for c in refs["customer"]]}
    for name, path in _customer_tables().items():
        tbl = tables[name]
        pk = _pk(tbl)
        parent_keys = keys["customer" if path.parent is None else path.parent]
        found: list[Any] = []
        for chunk in _chunks(parent_keys):
            found += conn.execute(select(tbl.c[pk]).where(tbl.c[path.column].in_(chunk))).scalars().all()
        refs[name] = {str(i) for i in found}
        keys[name] = found
    if remembered:
        _remembered(conn, refs)
    return refs


@lru_cache(maxsize=1)
def _levels() -> tuple[tuple[str, ...], ...]:
    """The customer tables by their distance from the customer (those naming the customer,
    then those naming a row of one of them, ...)."""
    depth: dict[str, int] = {}
    for name, path in _customer_tables().items():       # parents first
        depth[name] = 1 if path.parent is None else depth[path.parent] + 1
    return tuple(tuple(n for n in depth if depth[n] == d) for d in sorted(set(depth.values())))


def _remembered(conn: Connection, refs: dict[str, set[str]]) -> None:
    """Add to ``refs`` the rows the outbox names as the person's: what a captured change
    said a row's customer (or parent row) was. One scan of the outbox per level of
    :func:`_levels` (the outbox has no index on the entity, and a scan per table cost an
    erasure most of its time); the ids searched for go as one JSON array."""
    paths = _customer_tables()
    for names in _levels():
        parent_of = {n: "customer" if paths[n].parent is None else str(paths[n].parent) for n in names}
        wanted = set().union(*(refs.get(p, set()) for p in set(parent_of.values())))
        if not wanted:
            continue
        where = " ".join(f"WHEN '{n}' THEN '$.{paths[n].column}'" for n in names)
        ref = f"json_extract(fields, CASE entity {where} END)"
        sql = (f"SELECT entity, entity_id, {ref} FROM outbox WHERE entity IN ({', '.join('?' * len(names))}) "
               f"AND {ref} IN (SELECT value FROM json_each(?))")
        for entity, entity_id, value in conn.exec_driver_sql(
                sql, (*names, orjson.dumps(sorted(wanted)).decode())):
            # a parent id of another table that happens to be the same text is not this one's
            if value in refs.get(parent_of[entity], ()):
                refs[entity].add(entity_id)


def erase_related(session: Session, refs: Mapping[str, set[str]]) -> None:
    """ORM (so the changes are captured and sync): delete the rows that exist only to say
    something about the person, blank the personal content of every other row about them."""
    classes = {m.local_table.name: m.class_ for m in Base.registry.mappers if isinstance(m.local_table, Table)}
    for name in _customer_tables():
        ids = [uuid.UUID(i) for i in refs.get(name, ())]
        whole, keys = personal_columns(name), personal_json(name)
        pol = policy(name)
        if ids and name in DERIVED_ROWS:
            tbl = Base.metadata.tables[name]
            if pol is not None and pol.writer == WRITER_HQ:
                for chunk in _chunks(ids):      # HQ's row: not this store's to send
                    session.connection().execute(delete(tbl).where(tbl.c[_pk(tbl)].in_(chunk)))
                continue
            pk_col = getattr(classes[name], _pk(tbl))
            for chunk in _chunks(ids):
                for row in session.scalars(select(classes[name]).where(pk_col.in_(chunk))):
                    session.delete(row)
            continue
        if not ids or not (whole or keys or name in PERSONAL_ROWS):
            continue
        if pol is not None and pol.writer == WRITER_INSERT_ONLY:
            # a ledger entry is never updated through sync (HQ refuses it): blanked here in
            # place, not captured; HQ blanks its own copy when it learns of the erasure
            scrub_rows(session.connection(), {name: refs[name]})
            continue
        model = classes[name]
        pk = getattr(model, _pk(Base.metadata.tables[name]))
        for chunk in _chunks(ids):
            for row in session.scalars(select(model).where(pk.in_(chunk))):
                if name in PERSONAL_ROWS:
                    session.delete(row)
                    continue
                for col in whole:
                    setattr(row, col, blank_value(name, col))
                for col in keys:
                    value = getattr(row, col)
                    if isinstance(value, dict) and any(k in value for k in keys[col]):
                        setattr(row, col, scrub(name, col, value))


def unchanged_stamps(tbl: Table) -> dict[str, Any]:
    """For a Core UPDATE that must not look like a local edit: columns with an ``onupdate``
    (``updated_at``) keep their value instead of taking now."""
    return {c.name: c for c in tbl.columns if c.onupdate is not None}


def scrub_rows(conn: Connection, refs: Mapping[str, set[str]]) -> None:
    """Core (changes from HQ, not captured): as :func:`erase_related` on this connection."""
    tables = Base.metadata.tables
    for name in _customer_tables():
        ids = [uuid.UUID(i) for i in refs.get(name, ())]
        whole, keys = personal_columns(name), personal_json(name)
        if not ids or not (whole or keys or name in PERSONAL_ROWS or name in DERIVED_ROWS):
            continue
        tbl = tables[name]
        pk = tbl.c[_pk(tbl)]
        for chunk in _chunks(ids):
            if name in PERSONAL_ROWS or name in DERIVED_ROWS:
                conn.execute(delete(tbl).where(pk.in_(chunk)))
                continue
            if whole:
                conn.execute(update(tbl).where(pk.in_(chunk)).values(
                    {**unchanged_stamps(tbl), **{c: blank_value(name, c) for c in whole}}))
            for col in keys:
                for key, value in conn.execute(select(pk, tbl.c[col]).where(pk.in_(chunk))).all():
                    if isinstance(value, dict) and any(k in value for k in keys[col]):
                        conn.execute(update(tbl).where(pk == key).values(
                            {**unchanged_stamps(tbl), col: scrub(name, col, value)}))


def scrub_outbox(conn: Connection, refs: Mapping[str, set[str]]) -> int:
    """Captured changes still waiting in (or already sent from) the outbox hold the old
    values: blank their personal content too (a personal row keeps only its keys). One scan
    of the outbox, the ids searched for as one JSON array."""
    wanted = {entity: ids for entity, ids in refs.items()
              if ids and (personal_columns(entity) or personal_json(entity) or entity in PERSONAL_ROWS)}
    if not wanted:
        return 0
    names = sorted(wanted)
    found = conn.exec_driver_sql(
        f"SELECT seq, entity, entity_id, fields FROM outbox WHERE entity IN ({', '.join('?' * len(names))}) "
        f"AND entity_id IN (SELECT value FROM json_each(?))",
        (*names, orjson.dumps(sorted(set().union(*wanted.values()))).decode())).all()
    n = 0
    for seq, entity, entity_id, text in found:
        if entity_id not in wanted[entity] or not text:
            continue
        fields = orjson.loads(text)
        if not fields:
            continue
        clean = scrub_change(entity, fields)
        if clean != fields:
            conn.execute(update(OutboxEntry).where(OutboxEntry.seq == seq).values(fields=clean))
            n += 1
    return n


# --- the file ----------------------------------------------------------------------------------

REWRITE_CACHE_KIB = 8 * 1024     # the page cache of VACUUM and of its scratch file (each)
# sync_state: the file owes a rewrite (an erasure committed and no rewrite has finished since);
# the value is a token each erasure writes anew, so a rewrite clears only what it covered
REWRITE_OWED_KEY = "erasure.rewrite_owed"
LOG_ONLY = "log"     # its value once the file was rebuilt but a reader kept the log's old pages


def rewrite_file(engine: Engine) -> None:
    """Rebuild the store file and empty its write-ahead log, now.

    ``secure_delete`` (set on every store connection, core.db) zeroes deleted cells and
    freed pages, but a page that SQLite rebuilds (a b-tree balance) keeps old copies of
    moved cells in its unused gap, and the log keeps the pages as they were before. So:
    VACUUM (every page written anew), then a TRUNCATE checkpoint.

    Cost: VACUUM copies the whole database, so it takes time and disk roughly in proportion
    to the file's size (a few hundred ms for a store of some tens of MB, seconds for hundreds,
    about half a minute for a million customers), and holds the write lock all that while:
    other writers wait on their busy timeout. Its scratch copy costs at most the process's
    page-cache budget of memory (core.db.CACHE_BUDGET_KIB): a file up to that size is copied
    in memory (``temp_store = MEMORY``, as core.db sets it: the fastest, so the lock is
    held the shortest); a larger one through a temporary file (``temp_store = FILE`` for
    this VACUUM only), which SQLCipher keys with the store's own key, so it holds only
    encrypted pages (tests/core/test_erasure_rewrite.py reads it while VACUUM runs). In
    memory, a million customers' copy took the process to 1.5 GB (issue 25); through the
    file, 128 MB, in 32.5 s against 24-34 s in memory (bench/erasure_rewrite.py). The file
    costs a smaller store more (a 205 MB store: 3.9 s against 2.8 s; a 40 MB one 0.61 s
    against 0.37 s), hence memory up to the budget. A sync pull coalesces
    (:func:`one_rewrite`): one rewrite at its end, however many pulled pages carried an
    erasure.

    Best effort and bounded: a writer holding the file makes it give up after two seconds,
    and a reader holding the log as long leaves the log's old pages in it. Neither is lost,
    nor a rewrite never run (the process ended first): the erasure recorded in its own
    transaction that the file owes one (REWRITE_OWED_KEY), only a rewrite whose log was
    emptied clears that (:func:`_settle`), and :func:`rewrite_if_owed` (every sync pull,
    every backup) does what is owed."""
    from core.db import CACHE_BUDGET_KIB, release_memory
    try:
        with _file_cursor(engine) as cur:
            pages, page_size = (int(cur.execute(f"PRAGMA {p}").fetchone()[0]) for p in ("page_count", "page_size"))
            if pages * page_size > CACHE_BUDGET_KIB * 1024:
                # the scratch copy on disk, encrypted (see above), through a small cache of
                # its own: VACUUM gives its scratch database the main one's cache size
                cur.execute("PRAGMA temp_store = FILE")
                cur.execute(f"PRAGMA cache_size = -{REWRITE_CACHE_KIB}")
            owed = cur.execute("SELECT value FROM sync_state WHERE key = ?", (REWRITE_OWED_KEY,)).fetchone()
            cur.execute("VACUUM")
            _settle(cur, owed[0] if owed is not None else None)
            # the scratch copy, or the pages VACUUM read through the cache: give them back
            release_memory(cur)
    except Exception:   # noqa: BLE001 - the erasure itself is committed; the rewrite stays owed
        pass


@contextmanager
def _file_cursor(engine: Engine) -> Iterator[Any]:
    """A cursor on a raw connection of ``engine`` (no BEGIN, the engine's begin hook: VACUUM
    and checkpoints run outside a transaction) that waits two seconds for the file, not the
    store's thirty. Its settings go back as core.db made them (busy timeout, cache size,
    temp store); a connection where that fails is closed, not pooled again with a scratch
    file or a short wait."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        saved = [f"{p} = {int(cur.execute(f'PRAGMA {p}').fetchone()[0])}"
                 for p in ("busy_timeout", "cache_size", "temp_store")]
        try:
            cur.execute("PRAGMA busy_timeout = 2000")
            yield cur
        finally:
            try:
                for restore in saved:
                    cur.execute(f"PRAGMA {restore}")
                cur.close()
            except Exception:   # noqa: BLE001 - not kept: the connection is dropped instead
                raw.invalidate()
    finally:
        raw.close()


# engines whose rewrite waits for the end of the current one_rewrite() block (None: not in one)
_DEFERRED: ContextVar[list[Engine] | None] = ContextVar("orchard_erasure_deferred", default=None)


@contextmanager
def one_rewrite() -> Iterator[None]:
    """Erasures committed inside the block (in this thread or task) rewrite the file once,
    when the block ends (also when it ends by an exception: what committed is forgotten),
    rather than once each: a sync pull applies page after page, any of which may carry one.
    Nested blocks leave it to the outermost."""
    if _DEFERRED.get() is not None:
        yield
        return
    token = _DEFERRED.set([])
    try:
        yield
    finally:
        engines = _DEFERRED.get() or []
        _DEFERRED.reset(token)
        for engine in engines:
            rewrite_file(engine)


def _settle(cur: Any, token: str | None) -> None:
    """Empty the log (a TRUNCATE checkpoint), then clear what is owed under ``token`` (an
    erasure since wrote a new one) and empty the log again of that one page (sync_state:
    nothing personal). While a reader keeps the log past the wait, only emptying the log
    stays owed (LOG_ONLY: no second VACUUM for it)."""
    busy = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]     # (busy, pages, moved)
    if token is None:
        return
    if busy:
        cur.execute("UPDATE sync_state SET value = ? WHERE key = ? AND value = ?", (LOG_ONLY, REWRITE_OWED_KEY, token))
        return
    cur.execute("DELETE FROM sync_state WHERE key = ? AND value = ?", (REWRITE_OWED_KEY, token))
    cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def rewrite_if_owed(engine: Engine) -> bool:
    """Do what an erasure still owes the file: the rewrite (:func:`rewrite_file`), or only
    emptying the log when the rewrite was done but a reader kept the log. Either may give up
    again: then it stays owed. Whether anything was owed."""
    with engine.connect() as conn:
        owed = conn.scalar(select(SyncState.value).where(SyncState.key == REWRITE_OWED_KEY))
    if owed is None:
        return False
    if owed != LOG_ONLY:
        rewrite_file(engine)
        return True
    try:
        with _file_cursor(engine) as cur:
            _settle(cur, LOG_ONLY)
    except Exception:   # noqa: BLE001 - it stays owed
        pass
    return True


def forget_after_commit(session: Session) -> None:
    """Once the erasure commits, rewrite the file (:func:`rewrite_file`; inside
    :func:`one_rewrite`, once when that block ends); and, in the erasure's own transaction,
    record that the file owes that rewrite until one finishes (REWRITE_OWED_KEY)."""
    engine = session.get_bind().engine     # a session bound to one connection (a sync) too

    def forget(_: Session) -> None:
        waiting = _DEFERRED.get()
        if waiting is None:
            rewrite_file(engine)
        elif not any(e is engine for e in waiting):
            waiting.append(engine)

    if not session.info.get("_erasure_forget"):
        session.info["_erasure_forget"] = True
        conn = session.connection()
        conn.execute(delete(SyncState).where(SyncState.key == REWRITE_OWED_KEY))
        conn.execute(insert(SyncState).values(key=REWRITE_OWED_KEY, value=uuid.uuid4().hex))
        event.listen(session, "after_commit", forget, once=True)
        event.listen(session, "after_commit", lambda s: s.info.pop("_erasure_forget", None), once=True)
        event.listen(session, "after_rollback", lambda s: s.info.pop("_erasure_forget", None), once=True)


# names other modules import (core.privacy re-exports them)
PERSONAL_CUSTOMER_FIELDS: tuple[str, ...] = personal_columns("customer")
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {t: personal_columns(t) for t in personal_tables()
                                                if personal_columns(t)}
PERSONAL_JSON: dict[str, dict[str, tuple[str, ...]]] = {t: personal_json(t) for t in personal_tables()
                                                        if personal_json(t)}

__all__ = [
    "CustomerPath", "DERIVED_ROWS", "PERSONAL_COLUMNS", "PERSONAL_CUSTOMER_FIELDS", "PERSONAL_JSON", "PERSONAL_ROWS",
    "blank_value",
    "customer_tables", "declaration", "erase_related", "forget_after_commit", "has_personal", "one_rewrite",
    "personal_columns", "personal_json", "personal_json_fields", "personal_tables", "references", "rewrite_file",
    "rewrite_if_owed",
    "scrub", "scrub_change", "scrub_fields", "scrub_outbox", "scrub_rows", "unchanged_stamps",
]
