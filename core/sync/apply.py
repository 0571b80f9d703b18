"""Applying what HQ hands back to the store database, without capturing it again.

One call is one transaction: the rows of a pulled page, the cursor that covers them,
and the hybrid clock advanced past every stamp seen (``hlc.receive``), so an edit made
here after seeing another store's edit is stamped after it.  A crash anywhere in
between leaves the rows and the cursor as they were before the page.

Merge on the store's side: a field this store has changed and not yet sent (a pending
outbox operation) keeps the local value when its stamp is newer than HQ's stamp for the
field; it goes to HQ with the next push, where the same rule decides.  Both sides apply
one rule, so they agree.  An erased customer is the exception: erasure wins over any
pending local edit, and the person's data is also blanked in the local outbox.

Foreign keys are not enforced while a page is applied: rows arrive in HQ's sequence
order, which can put a child one page before its parent; HQ holds the whole picture,
and after a full pull every reference resolves.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

import orjson
from sqlalchemy import Connection, Table, and_, delete, func, insert, literal_column, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import clock, erasure
from core.models import Base, LoyaltyAccount, LoyaltyEntry, OutboxEntry, SyncState
from core.permissions import Actor, Perm, require
from core.sync import merge, params
from core.sync.hlc import ClockDriftError, Timestamp, receive
from core.sync.outbox import HLC_KEY, HQ_SEEN_KEY, NODE_KEY, below_cap, beyond_cap

if TYPE_CHECKING:
    from core.db import OrchardSession, StoreDatabase

CURSOR_KEY = "sync.cursor"
RECHECK_KEY = "sync.recheck_from"   # the cursor from which pulled rows wait for their parents' check

# Tests set this to crash the process at the worst moment (rows written, not committed).
before_commit: Callable[["ApplyResult"], None] | None = None


@dataclass
class ApplyResult:
    upserted: int = 0
    deleted: int = 0
    kept_local: int = 0              # fields left as they are: a newer local edit is on its way
    skipped: int = 0                 # entities this version of Orchard does not know
    errors: list[tuple[str, str, str]] = field(default_factory=list)   # (entity, id, reason)
    entities: set[str] = field(default_factory=set)
    erased: set[str] = field(default_factory=set)
    negative_accounts: set[str] = field(default_factory=set)


def get_state(session: Session, key: str) -> str | None:
    return session.scalar(select(SyncState.value).where(SyncState.key == key))


def set_state(session: Session, key: str, value: str | None) -> None:
    conn = session.connection()
    if value is None:
        conn.execute(delete(SyncState).where(SyncState.key == key))
    elif conn.execute(select(SyncState.key).where(SyncState.key == key)).first():
        conn.execute(update(SyncState).where(SyncState.key == key).values(value=value[:400]))
    else:
        conn.execute(insert(SyncState).values(key=key, value=value[:400]))


@contextmanager
def remote_session(db: StoreDatabase) -> Iterator[OrchardSession]:
    """A write session whose changes are HQ's, not ours: not captured in the outbox,
    foreign keys checked by HQ, not here (see the module docstring)."""
    from core.db import OrchardSession, refusing_when_busy
    with refusing_when_busy(), db.bulk_engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None     # None only after invalidation; this one was just checked out

        raw.execute("PRAGMA foreign_keys = OFF")        # outside a transaction, or it is ignored
        try:
            conn = conn.execution_options(orchard_write=True)
            with OrchardSession(bind=conn, info={"applying_remote": True, "hlc_node": db.db_id[:16]}) as s, \
                    s.begin():
                yield s
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _excluded_columns() -> dict[str, frozenset[str]]:
    """Columns never taken from HQ: local-only (``__sync_exclude__``) or derived here."""
    out = {name: set(cols) for name, cols in merge.LOCAL_COLUMNS.items()}
    for mapper in Base.registry.mappers:
        skip = getattr(mapper.class_, "__sync_exclude__", ())
        if skip and isinstance(mapper.local_table, Table):
            out.setdefault(mapper.local_table.name, set()).update(skip)
    return {name: frozenset(cols) for name, cols in out.items()}


def _pending(session: Session, keys: dict[str, set[str]]) -> dict[tuple[str, str], dict[str, str]]:
    """Per row, per field: the newest stamp of a local change not yet at HQ."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    waiting = (OutboxEntry.sent_at.is_(None), OutboxEntry.rejected.is_(None))
    # how many wait, through the sent_at index: none after a push (a pull's usual moment);
    # a few are read whole, rather than looked up by id page after page
    count = session.scalar(select(func.count()).select_from(
        select(OutboxEntry.seq).where(*waiting).limit(_FEW_PENDING + 1).subquery())) or 0
    cols = (OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.op, OutboxEntry.fields, OutboxEntry.hlc)
    if count == 0:
        return out
    if count <= _FEW_PENDING:
        found = [r for r in session.execute(select(*cols).where(*waiting)) if r[1] in keys.get(r[0], ())]
    else:
        # one scan of the waiting operations (the outbox has no index on the entity), the ids
        # searched for as one JSON array
        ids = select(literal_column("value")).select_from(
            func.json_each(orjson.dumps(sorted(set().union(*keys.values()))).decode())).scalar_subquery()
        found = [r for r in session.execute(select(*cols).where(
            OutboxEntry.entity.in_(sorted(keys)), OutboxEntry.entity_id.in_(ids), *waiting))
            if r[1] in keys.get(r[0], ())]
    for entity, entity_id, op, fields, hlc in found:
        stamps = out.setdefault((entity, entity_id), {})
        names = ["\0delete"] if op == "delete" else list(fields or {})
        for name in names:
            if hlc > stamps.get(name, ""):
                stamps[name] = hlc
    return out


_FEW_PENDING = 2000      # operations waiting in the outbox that a page reads whole


def _advance_clock(session: Session, newest: str) -> None:
    """``hlc.receive`` with the newest stamp seen, persisted in the same transaction, and
    kept as the newest stamp HQ has handed this store (``HQ_SEEN_KEY``, the floor a clock
    that ran fast restarts from: :func:`core.sync.outbox.tick_base`).

    A stamp more than ``merge.MAX_CLOCK_AHEAD_MS`` ahead of this store's wall clock is not
    received (nor kept): it would drag this store's clock, and through its next edits every
    other, into the future. HQ never hands one out to a store whose clock is right: it
    refuses every pushed stamp beyond its own now + that cap (``hq.push_ops._validate``) and
    stamps its own changes with its own clock. A store whose own clock is slow still moves
    past every stamp within the cap."""
    try:
        remote = Timestamp.decode(newest)
    except ValueError:
        return
    now_ms = clock.now_ms()
    if beyond_cap(remote, now_ms):
        return
    state = dict(session.execute(select(SyncState.key, SyncState.value)
                                 .where(SyncState.key.in_([HLC_KEY, NODE_KEY, HQ_SEEN_KEY]))).all())
    if state.get(HQ_SEEN_KEY, "") < remote.encode():
        set_state(session, HQ_SEEN_KEY, remote.encode())
    node = state.get(NODE_KEY) or session.info.get("hlc_node") or "local"
    last = Timestamp.decode(state[HLC_KEY]) if HLC_KEY in state else None
    if last is not None and (last.wall_ms, last.counter) > (remote.wall_ms, remote.counter):
        return
    try:
        now = receive(last, remote, now_ms, node, max_drift_ms=merge.MAX_CLOCK_AHEAD_MS)
    except (ClockDriftError, ValueError):
        return
    set_state(session, HLC_KEY, now.encode())


def _scrub_erased(session: Session, customer_ids: set[str], result: ApplyResult) -> None:
    """An erased customer: delete the notes, blank the personal content of every row about
    them here (found through the models' foreign keys, as core.erasure derives them: repair
    events through their ticket, ledger entries through the account, walk-ins...), and
    those values in the outbox (sent or not); the log is truncated once this commits.

    The rows blanked are the rows about them now, the ones HQ blanks (core.erasure, "Who
    is erased"): a row the outbox remembers as theirs that has moved to another profile
    since is HQ's to decide (a merge's survivor is erased too, and arrives so marked);
    its captured values are blanked all the same."""
    if not customer_ids:
        return
    conn = session.connection()
    ids = [merge.key_values("customer", c)["id"] for c in customer_ids]
    customer = Base.metadata.tables["customer"]
    conn.execute(update(customer).where(customer.c.id.in_(ids)).values(
        {**erasure.unchanged_stamps(customer),
         **{c: erasure.blank_value("customer", c) for c in erasure.personal_columns("customer")}}))
    erasure.scrub_rows(conn, erasure.references(conn, [str(i) for i in ids], remembered=False))
    erasure.scrub_outbox(conn, erasure.references(conn, [str(i) for i in ids]))
    erasure.forget_after_commit(session)
    result.erased.update(customer_ids)


_UPSERTS: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}


def _upsert_sql(entity: str, cols: tuple[str, ...], sent: tuple[str, ...]) -> str:
    """The upsert of these columns as plain SQL: rows go to the driver's executemany as
    tuples of bound values, without SQLAlchemy's per-row parameter handling (a quarter of
    a pull's time at 100k rows). A row already here takes only the columns HQ ``sent``."""
    sql = _UPSERTS.get((entity, cols, sent))
    if sql is None:
        pk = merge.pk_columns(entity)
        rest = [c for c in sent if c not in pk]
        action = ("DO UPDATE SET " + ", ".join(f'"{c}" = excluded."{c}"' for c in rest)) if rest else "DO NOTHING"
        sql = _UPSERTS[(entity, cols, sent)] = (
            f'INSERT INTO "{merge.table(entity).name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
            f'VALUES ({", ".join("?" * len(cols))}) ON CONFLICT ({", ".join(chr(34) + c + chr(34) for c in pk)}) '
            f'{action}')
    return sql


Bound = dict[tuple[str, ...], list[tuple[Any, ...]]]     # columns → rows of bound values


def _upsert(session: Session, entity: str, groups: Bound, result: ApplyResult) -> None:
    """Rows as bound values (:mod:`core.sync.params`), inserted or updated by their key."""
    tbl = merge.table(entity)
    # a required column HQ withholds (a personal one while hq_transfer is withdrawn, a
    # weak password hash) arrives blank in a row new here; a row already here keeps its
    # own value (only the columns HQ sent are updated)
    pol = merge.policy(entity)
    held = (*erasure.personal_columns(entity), *(pol.secret_cols if pol is not None else ()))
    conn = session.connection()
    conv = params.converters(entity, conn.dialect)
    pk = merge.pk_columns(entity)
    for cols, bound in groups.items():
        fill = {c: conv[c](erasure.blank_value(entity, c)) for c in held
                if c not in cols and c in tbl.c and not tbl.c[c].nullable
                and tbl.c[c].default is None and tbl.c[c].server_default is None}
        sent = cols
        if fill:
            extra = tuple(fill.values())
            bound = [b + extra for b in bound]
            cols = (*cols, *fill)
        sql = _upsert_sql(entity, cols, sent)
        try:
            with session.begin_nested():
                if len(pk) == 1 and len(cols) > 1:
                    _write_changed(conn, entity, cols, sent, bound, sql)
                else:
                    conn.exec_driver_sql(sql, bound)
            result.upserted += len(bound)
        except IntegrityError:
            # one row breaks a uniqueness rule here (two stores gave out the same number):
            # apply the rest one by one and report the ones that do not fit
            at = [cols.index(c) for c in pk]
            for one in bound:
                try:
                    with session.begin_nested():
                        conn.exec_driver_sql(sql, one)
                    result.upserted += 1
                except IntegrityError:
                    key = ":".join(str(one[i]) for i in at)
                    result.errors.append((entity, key, "conflicts with a row here"))


def _write_changed(conn: Connection, entity: str, cols: tuple[str, ...], sent: tuple[str, ...],
                   bound: list[tuple[Any, ...]], upsert: str) -> None:
    """Insert the rows new here; of the rows already here, update only the columns whose
    value differs (an index, a trigger ``UPDATE OF`` a column, is then only touched when its
    columns change: a customer's eight lookup indexes cost a pull most of its time when
    every column of every row was set again), and leave a row that is the same alone (a
    store pulling back its own pushed changes). The result is the upsert's."""
    key = merge.pk_columns(entity)[0]
    at = cols.index(key)
    compared = [i for i, c in enumerate(cols) if c in sent and i != at]     # not a blank filled in
    latest = {b[at]: b for b in bound}          # one row twice: the later one, as the upsert
    name = merge.table(entity).name
    here: dict[Any, tuple[Any, ...]] = {}
    keys = list(latest)
    select_sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}" WHERE "{key}" IN '
    # the driver's own cursor, in this transaction: rows as plain tuples, fetched at once
    # (through SQLAlchemy's result each row was a fetch and a Row of its own)
    raw = conn.connection.dbapi_connection
    assert raw is not None      # None only after invalidation; this one is in a transaction
    cur = raw.cursor()
    try:
        for i in range(0, len(keys), _CHUNK):
            part = keys[i:i + _CHUNK]
            here.update((row[at], row) for row in
                        cur.execute(select_sql + f'({", ".join("?" * len(part))})', part).fetchall())
    finally:
        cur.close()
    new: list[tuple[Any, ...]] = []
    changed: dict[tuple[int, ...], list[tuple[Any, ...]]] = defaultdict(list)
    every = len(compared) == len(cols) - 1      # no blank filled in: a row the same is equal whole
    for k, b in latest.items():
        old = here.get(k)
        if old is None:
            new.append(b)
            continue
        if every and old == b:
            continue
        diff = tuple(i for i in compared if b[i] != old[i])
        if diff:
            changed[diff].append(tuple(b[i] for i in diff) + (k,))
    if new:
        conn.exec_driver_sql(upsert, new)
    for diff, rows in changed.items():
        conn.exec_driver_sql(f'UPDATE "{name}" SET {", ".join(chr(34) + cols[i] + chr(34) + " = ?" for i in diff)} '
                             f'WHERE "{key}" = ?', rows)


_CHUNK = 500      # keys per IN (well under SQLite's bound-parameter limit)


def apply_rows(db: StoreDatabase, rows: list[dict[str, Any]], *, cursor: int | str | None = None,
               recheck_from: int | str | None = None) -> ApplyResult:
    """Apply HQ rows (``{"entity", "id", "deleted", "data", "stamps"}``) in one
    transaction, and commit ``cursor`` with them when given; and ``recheck_from``, the
    cursor from which rows wait for their parents' check (``RECHECK_KEY``), unless an
    earlier one is recorded already (the earliest is kept)."""
    with remote_session(db) as s:
        result = apply_in(s, rows)
        if cursor is not None:
            set_state(s, CURSOR_KEY, str(cursor))
        if recheck_from is not None:
            mark = get_state(s, RECHECK_KEY)      # HQ's cursor tokens: the first one kept stays
            if mark is None or (mark.isdigit() and str(recheck_from).isdigit() and int(mark) > int(recheck_from)):
                set_state(s, RECHECK_KEY, str(recheck_from))
        if before_commit is not None:
            before_commit(result)
    return result


def apply_in(session: Session, rows: list[dict[str, Any]]) -> ApplyResult:
    result = ApplyResult()
    tables = merge.synced_tables()
    excluded = _excluded_columns()
    personal = erasure.PERSONAL_COLUMNS
    keys: dict[str, set[str]] = defaultdict(set)
    newest = ""
    limit = below_cap(clock.now_ms())
    erased: set[str] = set()
    for r in rows:
        entity = r.get("entity")
        if entity not in tables:
            result.skipped += 1
            continue
        keys[entity].add(r["id"])
        if entity == "customer" and not r.get("deleted") and (r.get("data") or {}).get("erased") is True:
            erased.add(r["id"])
        # the newest stamp this store may take into its clock (one beyond the cap, which HQ
        # never hands out, must not hide the others on the page: _advance_clock)
        stamps = r.get("stamps")
        if stamps:
            top = max(stamps.values())
            if top < limit:
                if newest < top:
                    newest = top
            else:
                for stamp in stamps.values():
                    if newest < stamp < limit:
                        newest = stamp
    pending = _pending(session, keys)
    # rows about customers already erased here also take HQ's blanks
    cust_ids = {str((r.get("data") or {}).get("customer_id")) for r in rows
                if (r.get("data") or {}).get("customer_id") and r.get("entity") in personal}
    erased_here: set[str] = set()
    if cust_ids - erased:
        ids = [merge.key_values("customer", c)["id"] for c in cust_ids - erased]
        ctbl = tables["customer"]
        erased_here = {str(c) for c in session.scalars(select(ctbl.c.id).where(
            ctbl.c.id.in_(ids), ctbl.c.erased.is_(True)))}
    gone = erased | erased_here

    # live rows by entity and by the fields they carry, converted to bound values a column
    # at a time (core.sync.params.converters_many) below
    raw: dict[str, dict[tuple[str, ...], list[tuple[str, dict[str, Any]]]]] = defaultdict(lambda: defaultdict(list))
    deletes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        entity = r.get("entity")
        if entity not in tables:
            continue
        entity_id = r["id"]
        result.entities.add(entity)
        if r.get("deleted"):
            try:
                deletes[entity].append(merge.key_values(entity, entity_id))
            except (merge.Rejected, ValueError):
                result.errors.append((entity, str(entity_id)[:80], "bad id"))
            continue
        data = r.get("data") or {}
        local = pending.get((entity, entity_id)) if pending else None
        if local and not (entity == "customer" and entity_id in gone):
            if "\0delete" in local:
                result.kept_local += 1
                continue
            data = dict(data)           # a copy: fields kept local are taken out
            forced_cols = set(personal.get(entity, ())) if str(data.get("customer_id")) in gone else set()
            stamps = r.get("stamps") or {}
            for name in list(data):
                if name in local and name not in forced_cols and local[name] > merge.field_stamp(stamps, name):
                    del data[name]
                    result.kept_local += 1
        raw[entity][tuple(data)].append((entity_id, data))

    upserts: dict[str, Bound] = {}
    dialect = session.get_bind().dialect
    for entity, groups in raw.items():
        upserts[entity] = _bind(entity, groups, dialect, excluded.get(entity, frozenset()), result)

    order = [t.name for t in Base.metadata.sorted_tables if t.name in tables]
    for entity in order:
        if entity in upserts:
            _upsert(session, entity, upserts[entity], result)
    conn = session.connection()
    for entity in reversed(order):
        if entity not in deletes:
            continue
        tbl = tables[entity]
        pkc = list(merge.pk_columns(entity))
        if len(pkc) == 1:
            ids = [d[pkc[0]] for d in deletes[entity]]
            for i in range(0, len(ids), 500):
                conn.execute(delete(tbl).where(tbl.c[pkc[0]].in_(ids[i:i + 500])))
        else:
            for d in deletes[entity]:
                conn.execute(delete(tbl).where(and_(*[tbl.c[c] == d[c] for c in pkc])))
        result.deleted += len(deletes[entity])

    if erased:
        _scrub_erased(session, erased, result)
    if newest:
        _advance_clock(session, newest)
    if "loyalty_entry" in upserts:
        accounts = {a if isinstance(a, uuid.UUID) else uuid.UUID(a)      # bound: 32 hex digits
                    for cols, bound in upserts["loyalty_entry"].items() if "account_id" in cols
                    for a in (b[cols.index("account_id")] for b in bound) if a}
        result.negative_accounts = {str(a) for a in _negative(session, accounts)}
    return result


_BAD = (ValueError, TypeError, KeyError, AttributeError, merge.Rejected)


def _bind(entity: str, groups: dict[tuple[str, ...], list[tuple[str, dict[str, Any]]]], dialect: Any,
          skip: frozenset[str], result: ApplyResult) -> Bound:
    """Rows of ``entity`` (HQ's id and JSON data, grouped by the fields they carry) as the
    values the driver binds, a column at a time; the key is the row's id, whatever the data
    says. A group with a value that does not fit goes again row by row, and only the rows
    that do not fit are left out (``bad value``)."""
    many = params.converters_many(entity, dialect)
    one = params.converters(entity, dialect)
    pk = merge.pk_columns(entity)
    out: Bound = {}
    for fields, items in groups.items():
        cols = tuple(sorted(k for k in fields if k in many and k not in skip and k not in pk))
        # the columns bound, in one order whatever order the fields came in: groups that
        # differ only in that order, in a field this store does not keep, or in one it never
        # takes from a pull end up with the same columns, and their rows go together
        names = (*cols, *pk)
        order = sorted(range(len(names)), key=names.__getitem__)
        key = tuple(names[i] for i in order)
        try:
            columns = [many[k]([d[k] for _, d in items]) for k in cols]
            if len(pk) == 1:
                columns.append(many[pk[0]]([i for i, _ in items]))
            else:
                split = [merge.split_id(entity, i) for i, _ in items]
                columns.extend(many[c]([p[c] for p in split]) for c in pk)
            # strict: a column of another length would pair values with the wrong rows
            out.setdefault(key, []).extend(zip(*(columns[i] for i in order), strict=True))
        except _BAD:
            good: list[tuple[Any, ...]] = []
            for entity_id, data in items:
                try:
                    keys = [entity_id] if len(pk) == 1 else list(merge.split_id(entity, entity_id).values())
                    row = (*(one[k](data[k]) for k in cols), *(one[c](v) for c, v in zip(pk, keys)))
                    good.append(tuple(row[i] for i in order))
                except _BAD:
                    result.errors.append((entity, str(entity_id)[:80], "bad value"))
            if good:
                out.setdefault(key, []).extend(good)
    return out


def _negative(session: Session, accounts: set[uuid.UUID]) -> list[uuid.UUID]:
    if not accounts:
        return []
    q = (select(LoyaltyEntry.account_id).where(LoyaltyEntry.account_id.in_(list(accounts)))
         .group_by(LoyaltyEntry.account_id).having(func.sum(LoyaltyEntry.points) < 0))
    return list(session.scalars(q))


def negative_balances(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """Members whose points went below zero (offline redemptions at two stores): (member
    number, balance). Flagged for a manager, never silently corrected."""
    require(actor, Perm.MANAGE_LOYALTY)
    sums = (select(LoyaltyEntry.account_id, func.sum(LoyaltyEntry.points).label("pts"))
            .group_by(LoyaltyEntry.account_id).subquery())
    q = (select(LoyaltyAccount.member_number, sums.c.pts).join(sums, sums.c.account_id == LoyaltyAccount.id)
         .where(sums.c.pts < 0).order_by(LoyaltyAccount.member_number))
    return [(m, int(p)) for m, p in session.execute(q)]


__all__ = ["ApplyResult", "CURSOR_KEY", "RECHECK_KEY", "apply_in", "apply_rows", "get_state", "negative_balances",
           "remote_session", "set_state"]
