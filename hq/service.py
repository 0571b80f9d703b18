"""What HQ does, as plain functions over an Engine (the web app in :mod:`hq.app` is a
thin skin over these): enrol a store, authenticate it, take a batch of its changes,
hand out changes after its cursor, fetch a customer on demand, report status.

Push
    One batch is one transaction.  It starts by locking the sequence row, so batches
    (from any number of HQ processes) commit one after another in sequence order.  A
    batch id already recorded returns the answer recorded with it; an operation id
    already recorded is skipped; so a batch sent again after a lost answer, replayed,
    or overlapping an earlier one changes nothing.  Each operation is checked against
    the entity's policy (:mod:`core.sync.merge`) and merged per field by stamp; one
    refused operation is answered with its reason and does not stop the others.
Pull
    Rows whose sequence is above the store's cursor, in sequence order, that the
    store's buckets allow: global reference data, its own rows, the customers it
    serves.  The answer carries the whole current row (so a store that missed
    intermediate states still converges) and the per-field stamps.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import (
    ARRAY, Engine, and_, any_, bindparam, delete, func, insert, literal_column, or_, select, union_all, update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core import clock
from core.sync import merge
from core.sync.hlc import Timestamp, receive
from hq.models import (
    hq_access, hq_balance, hq_batch, hq_erased, hq_flag, hq_op, hq_row, hq_served, hq_state, hq_store,
)

MAX_BATCH = 5000
MAX_PAGE = 5000
ENROL_HOURS = 72
HQ_NODE = "hq"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"    # Crockford base32: no I, L, O, U


class HqError(Exception):
    """A refusal. ``code`` (and ``params``) is what a store shows, in its own language;
    ``message`` is English for HQ's log and for people reading the API by hand."""
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, **params: str):
        super().__init__(message.format(**params) if params else message)
        self.message = str(self)
        self.code = code or type(self).code
        self.params = params


class Unauthorized(HqError):
    status = 401
    code = "not_authenticated"


class BadRequest(HqError):
    status = 400


class EnrolRefused(HqError):
    status = 403


def _now() -> datetime:
    return clock.now()


def _now_ms() -> int:
    return clock.now_ms()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _norm_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _in(conn, column, values: list):
    """``column IN values``; on PostgreSQL ``= ANY`` of one array parameter, which costs
    the same for a thousand values as for one. (A text literal cast to an array would
    spare psycopg quoting each element, but the planner then filters row by row on a
    table without statistics yet: 22 s instead of 12 ms for 2,000 keys in 40,000 rows.)"""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def _step(conn) -> int:
    """How many values one ``_in`` takes: SQLite caps the number of parameters."""
    return 100_000 if conn.dialect.name == "postgresql" else 1000


def _upsert_ignore(conn, table):
    ins = pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)
    return ins.on_conflict_do_nothing()


def _write(engine: Engine):
    return engine.connect().execution_options(hq_write=True)


# --- enrolment and authentication ----------------------------------------------------------

def create_enrolment(engine: Engine, code: str, name: str, *, publisher: bool = False,
                     hours: int = ENROL_HOURS) -> str:
    """Register a store (or re-issue its code) and return a one-time enrolment code."""
    code = (code or "").strip().upper()
    if not (2 <= len(code) <= 8 and code.isalnum() and code.isascii()):
        raise BadRequest("the store code must be 2 to 8 letters or digits")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise BadRequest("the store name must be 1 to 120 characters")
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    one_time = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
    values = dict(name=name, publisher=publisher, enrol_code_hash=_sha(raw),
                  enrol_expires_at=_now() + timedelta(hours=hours))
    with _write(engine) as conn, conn.begin():
        if conn.execute(select(hq_store.c.code).where(hq_store.c.code == code)).first():
            conn.execute(update(hq_store).where(hq_store.c.code == code).values(**values))
        else:
            conn.execute(insert(hq_store).values(code=code, created_at=_now(), pull_cursor=0, pending_ops=0,
                                                 parked_ops=0, **values))
    return one_time


@dataclass(frozen=True)
class StoreAuth:
    store_id: uuid.UUID
    code: str
    publisher: bool


def enrol(engine: Engine, one_time: str, store_code: str, store_id: str) -> dict[str, Any]:
    """Exchange a one-time code for the store's credential (HQ keeps only its hash)."""
    try:
        sid = uuid.UUID(str(store_id))
    except ValueError:
        raise BadRequest("the store id is not valid") from None
    digest = _sha(_norm_code(one_time))
    credential = secrets.token_urlsafe(32)
    with _write(engine) as conn, conn.begin():
        row = conn.execute(select(hq_store).where(hq_store.c.enrol_code_hash == digest)).mappings().first()
        if row is None or row["enrol_expires_at"] is None or _aware(row["enrol_expires_at"]) < _now():
            raise Unauthorized("this enrolment code is not valid (wrong, used or expired)", "enrol_code_invalid")
        if row["code"] != (store_code or "").strip().upper():
            raise EnrolRefused("this enrolment code is for store {store}", "enrol_code_other_store", store=row["code"])
        if row["store_id"] is not None and row["store_id"] != sid:
            raise EnrolRefused("this store is enrolled with another database; HQ must reset it first", "enrolled_elsewhere")
        other = conn.execute(select(hq_store.c.code).where(hq_store.c.store_id == sid,
                                                           hq_store.c.code != row["code"])).first()
        if other:
            raise EnrolRefused("this database is already enrolled as another store", "database_is_another_store")
        conn.execute(update(hq_store).where(hq_store.c.code == row["code"]).values(
            store_id=sid, credential_hash=_sha(credential), enrol_code_hash=None, enrol_expires_at=None,
            enrolled_at=_now(), last_contact_at=_now()))
    return {"store_id": str(sid), "credential": f"{sid}.{credential}", "publisher": bool(row["publisher"]),
            "server_time_ms": _now_ms(), "max_clock_ahead_ms": merge.MAX_CLOCK_AHEAD_MS}


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def authenticate(engine: Engine, authorization: str | None) -> StoreAuth:
    """``Authorization: Bearer <store id>.<secret>``; anything else is refused alike."""
    refused = Unauthorized("not authenticated")
    if not authorization or not authorization.startswith("Bearer "):
        raise refused
    token = authorization[7:].strip()
    sid_text, _, secret = token.partition(".")
    try:
        sid = uuid.UUID(sid_text)
    except ValueError:
        raise refused from None
    with engine.connect() as conn:
        row = conn.execute(select(hq_store.c.code, hq_store.c.credential_hash, hq_store.c.publisher)
                           .where(hq_store.c.store_id == sid)).first()
    if row is None or not row.credential_hash or not secret or \
            not hmac.compare_digest(row.credential_hash, _sha(secret)):
        raise refused
    return StoreAuth(sid, row.code, bool(row.publisher))


# --- push --------------------------------------------------------------------------------------

@dataclass
class RowState:
    entity: str
    entity_id: str
    exists: bool
    seq: int = 0
    bucket: str = ""
    owner: uuid.UUID | None = None
    customer: uuid.UUID | None = None
    deleted: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    stamps: dict[str, str] = field(default_factory=dict)
    dirty: bool = False


_STAMP = re.compile(r"(\d{15})-\d{6}-[^\s]{1,64}", re.ASCII)


def _stamp_wall(text: str) -> int | None:
    """The wall-clock part of an encoded stamp, or ``None`` when it is malformed (the
    same format :meth:`Timestamp.decode` accepts, checked without building one)."""
    m = _STAMP.fullmatch(text)
    return int(m.group(1)) if m and text.isprintable() else None


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value
    return _parse_uuid(str(value))


@lru_cache(maxsize=1 << 14)
def _parse_uuid(text: str) -> uuid.UUID | None:
    # store and home-store ids repeat on every operation of a batch
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@dataclass
class _Op:
    op_id: uuid.UUID
    entity: str
    entity_id: str
    op: str
    fields: dict[str, Any]
    hlc: str


def _parse_ops(raw_ops: Any) -> list[_Op | tuple[uuid.UUID, str]]:
    if not isinstance(raw_ops, list):
        raise BadRequest("ops must be a list")
    if len(raw_ops) > MAX_BATCH:
        raise BadRequest(f"a batch holds at most {MAX_BATCH} operations")
    out: list[_Op | tuple[uuid.UUID, str]] = []
    for raw in raw_ops:
        if not isinstance(raw, dict):
            raise BadRequest("each operation must be an object")
        try:
            op_id = uuid.UUID(str(raw.get("op_id")))
        except ValueError:
            raise BadRequest("each operation needs a valid op_id") from None
        entity, entity_id, kind = raw.get("entity"), raw.get("entity_id"), raw.get("op")
        fields, stamp = raw.get("fields") or {}, raw.get("hlc")
        if not isinstance(entity, str) or not isinstance(entity_id, str) or kind not in (
                "insert", "update", "delete") or not isinstance(fields, dict) or not isinstance(stamp, str):
            out.append((op_id, merge.R_BAD_OP))
            continue
        out.append(_Op(op_id, entity, entity_id, kind, fields, stamp))
    return out


def _validate(o: _Op, now_ms: int, max_ahead_ms: int) -> str | None:
    """Why this operation cannot be taken, judged on its own (no database), or None.
    Runs before the batch takes the write lock."""
    try:
        if merge.policy(o.entity) is None:
            raise merge.Rejected(merge.R_UNKNOWN_ENTITY, o.entity[:40])
        merge.check_id(o.entity, o.entity_id)
        if o.op != "delete":
            merge.check_fields(o.entity, o.op, o.fields)
        wall_ms = _stamp_wall(o.hlc)
        if wall_ms is None:
            raise merge.Rejected(merge.R_INVALID, "hlc")
        if wall_ms > now_ms + max_ahead_ms:
            # the detail is the number of hours ahead; the store words it in its own language
            raise merge.Rejected(merge.R_CLOCK, str((wall_ms - now_ms) // 3_600_000))
    except merge.Rejected as r:
        return r.text
    return None


class _Batch:
    """Merges one batch of operations into rows loaded from HQ, then writes them."""

    def __init__(self, conn, auth: StoreAuth, now_ms: int, max_ahead_ms: int):
        self.conn = conn
        self.auth = auth
        self.now_ms = now_ms
        self.max_ahead_ms = max_ahead_ms
        self.rows: dict[tuple[str, str], RowState] = {}
        self.order: list[RowState] = []         # dirty rows in the order they changed
        self.erased: set[uuid.UUID] = set()
        self.newly_erased: list[tuple[uuid.UUID, str]] = []
        self.merged: list[tuple[uuid.UUID, uuid.UUID]] = []     # (merged away, survivor)
        self.moved: list[tuple[str, str, uuid.UUID]] = []         # rows now about another customer
        self.links: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self.balance: dict[uuid.UUID, int] = {}
        self.max_stamp = ""
        self.personal = merge.personal_columns()

    # loading ---------------------------------------------------------------------------------

    def load(self, keys: Iterable[tuple[str, str]]) -> None:
        by_entity: dict[str, list[str]] = {}
        for entity, entity_id in keys:
            if (entity, entity_id) not in self.rows:
                by_entity.setdefault(entity, []).append(entity_id)
        for entity, ids in by_entity.items():
            step = _step(self.conn)
            for i in range(0, len(ids), step):
                chunk = ids[i:i + step]
                for r in self.conn.execute(select(hq_row).where(hq_row.c.entity == entity,
                                                                _in(self.conn, hq_row.c.entity_id, chunk))).mappings():
                    self.rows[(entity, r["entity_id"])] = RowState(
                        entity, r["entity_id"], True, r["seq"], r["bucket"], r["owner_store_id"],
                        r["customer_id"], r["deleted"], dict(r["data"]), dict(r["stamps"]))
        for entity, ids in by_entity.items():
            for entity_id in ids:
                self.rows.setdefault((entity, entity_id), RowState(entity, entity_id, False))

    def preload(self, ops: list[_Op]) -> None:
        keys = {(o.entity, o.entity_id) for o in ops if merge.policy(o.entity) is not None}
        self.load(keys)
        parents = set()
        customers = set()
        for o in ops:
            pol = merge.policy(o.entity)
            if pol is None:
                continue
            row = self.rows[(o.entity, o.entity_id)]
            if pol.parent:
                col, parent_entity = pol.parent
                pid = o.fields.get(col) or row.data.get(col)
                if isinstance(pid, str):
                    parents.add((parent_entity, pid))
            if pol.customer_col:
                cid = o.entity_id if pol.customer_col == "id" else (o.fields.get(pol.customer_col)
                                                                     or row.data.get(pol.customer_col))
                cu = _uuid_or_none(cid)
                if cu:
                    customers.add(cu)
            if row.customer:
                customers.add(row.customer)
        self.load(parents)
        for key in parents:
            r = self.rows[key]
            if r.customer:
                customers.add(r.customer)
        if customers:
            ids = list(customers)
            step = _step(self.conn)
            for i in range(0, len(ids), step):
                self.erased.update(self.conn.scalars(select(hq_erased.c.customer_id)
                                                     .where(_in(self.conn, hq_erased.c.customer_id, ids[i:i + step]))))

    # merging ---------------------------------------------------------------------------------

    def _mark(self, row: RowState) -> None:
        if not row.dirty:
            row.dirty = True
            self.order.append(row)

    def _owner_and_customer(self, pol: merge.Policy, row: RowState, entity_id: str,
                            fields: dict[str, Any]) -> tuple[uuid.UUID | None, uuid.UUID | None, bool]:
        """(owner store, customer, parent known) for the row after this operation."""
        def value(col):
            if col == "id" and len(merge.pk_columns(pol.entity)) == 1:
                return entity_id
            if col in fields:
                return fields[col]
            return row.data.get(col)
        owner = customer = None
        parent_known = True
        if pol.parent:
            col, parent_entity = pol.parent
            pid = value(col)
            parent = self.rows.get((parent_entity, pid)) if isinstance(pid, str) else None
            if parent is not None and (parent.exists or parent.dirty):
                owner, customer = parent.owner, parent.customer
            else:
                parent_known = False
        if pol.owner_col:
            owner = _uuid_or_none(value(pol.owner_col))
        if pol.customer_col:
            customer = _uuid_or_none(value(pol.customer_col))
        return owner, customer, parent_known

    def apply(self, o: _Op) -> None:
        """Merge one operation that passed :func:`_validate`."""
        pol = merge.policy(o.entity)
        hlc = o.hlc
        row = self.rows[(o.entity, o.entity_id)]
        live = (row.exists or row.dirty) and not row.deleted
        me = self.auth.store_id

        if pol.writer == merge.WRITER_HQ and not self.auth.publisher:
            raise merge.Rejected(merge.R_REFERENCE, o.entity)
        moving = False
        if pol.writer == merge.WRITER_INSERT_ONLY:
            if o.op == "insert":
                if live or row.deleted:
                    return                  # the same entry again: already kept
            elif o.op == "update" and live and pol.movable and o.fields.keys() <= set(pol.movable):
                moving = True               # a merge re-pointing the entry: merged like any field
            else:
                raise merge.Rejected(merge.R_INSERT_ONLY, o.entity)
        moved_from = row.data.get("account_id") if moving else None
        owner, customer, parent_known = self._owner_and_customer(pol, row, o.entity_id, o.fields)
        if pol.writer == merge.WRITER_OWNER:
            if live and row.owner is not None and row.owner != me:
                raise merge.Rejected(merge.R_NOT_OWNER, o.entity)
            if o.op != "delete" and owner is not None and owner != me:
                raise merge.Rejected(merge.R_NOT_OWNER, o.entity)
            if owner is None:
                owner = me                  # a child whose parent HQ has not seen yet
        elif pol.bucket == merge.BUCKET_STORE and owner is None:
            owner = me
        if pol.bucket == merge.BUCKET_CUSTOMER and customer is None and not parent_known:
            owner = me                      # not placeable yet: keep it with its writer

        erased = customer is not None and customer in self.erased
        fields = o.fields
        if erased and o.op != "delete":
            fields = self._guard_erased(o, fields)
        if row.deleted:
            return                          # deleted stays deleted; a late edit is moot
        if o.op == "delete":
            row.deleted = True
            row.data = {}
            row.stamps = {"*": max(hlc, merge.max_stamp(row.stamps))}
            self._place(row, pol, owner, customer)
            self._mark(row)
            self._seen(hlc)
            return

        becomes_erased = (o.entity == "customer" and fields.get("erased") is True
                          and customer is not None and customer not in self.erased)
        changed = False
        if not live and not row.stamps:
            row.data = dict(fields)
            row.stamps = {"*": hlc}
            changed = True
        else:
            for name, value in fields.items():
                if hlc > merge.field_stamp(row.stamps, name):
                    row.data[name] = value
                    row.stamps[name] = hlc
                    changed = True
        if becomes_erased:
            self._erase(row, customer, hlc)
            changed = True
        if changed:
            before = row.customer
            self._place(row, pol, owner, customer)
            self._mark(row)
            if live and before is not None and before != row.customer:
                self.moved.append((o.entity, o.entity_id, before))
        if o.entity == "loyalty_entry" and not live:
            acct = _uuid_or_none(fields.get("account_id"))
            pts = fields.get("points")
            if acct and isinstance(pts, int):
                self.balance[acct] = self.balance.get(acct, 0) + pts
        elif moving and row.data.get("account_id") != moved_from:
            pts = row.data.get("points")
            old, new = _uuid_or_none(moved_from), _uuid_or_none(row.data.get("account_id"))
            if isinstance(pts, int) and old and new:
                self.balance[old] = self.balance.get(old, 0) - pts
                self.balance[new] = self.balance.get(new, 0) + pts
        if o.entity == "customer" and changed and fields.get("merged_into_id") and customer is not None:
            winner = _uuid_or_none(row.data.get("merged_into_id"))
            if winner is not None:
                self.merged.append((customer, winner))
        if customer is not None:
            self.links.add((me, customer))
            if o.entity == "customer":
                home = _uuid_or_none(row.data.get("home_store_id"))
                if home is not None:
                    self.links.add((home, customer))
        self._seen(hlc)

    def _seen(self, hlc: str) -> None:
        if hlc > self.max_stamp:
            self.max_stamp = hlc

    def _place(self, row: RowState, pol: merge.Policy, owner, customer) -> None:
        row.bucket = pol.bucket
        row.owner = owner if pol.bucket != merge.BUCKET_CUSTOMER or customer is None else None
        if pol.bucket == merge.BUCKET_GLOBAL and pol.writer == merge.WRITER_HQ:
            row.owner = None
        if pol.bucket == merge.BUCKET_CUSTOMER and customer is None:
            row.bucket = merge.BUCKET_STORE          # held with its writer until placeable
            row.owner = owner or self.auth.store_id
        row.customer = customer

    def _guard_erased(self, o: _Op, fields: dict[str, Any]) -> dict[str, Any]:
        """After erasure: the customer row refuses personal data and un-erasing; notes are
        refused; other rows about the person arrive with their personal columns blank."""
        cols = self.personal.get(o.entity, ())
        if o.entity == "customer":
            if fields.get("erased") is False or any(not merge.is_blank(fields.get(c)) for c in cols if c in fields):
                raise merge.Rejected(merge.R_ERASED)
            return fields
        if o.entity in merge.PERSONAL_ROWS:
            raise merge.Rejected(merge.R_ERASED)
        if cols and any(c in fields for c in cols):
            tbl = merge.table(o.entity)
            return {k: (merge.blank_value(tbl, k) if k in cols else v) for k, v in fields.items()}
        return fields

    def _erase(self, row: RowState, customer: uuid.UUID, hlc: str) -> None:
        """The tombstone: blank the person everywhere HQ holds them, now and later."""
        tbl = merge.table("customer")
        for col in self.personal.get("customer", ()):
            row.data[col] = merge.blank_value(tbl, col)
            row.stamps[col] = max(hlc, merge.field_stamp(row.stamps, col))
        self.erased.add(customer)
        self.newly_erased.append((customer, hlc))
        related = self.conn.execute(select(hq_row.c.entity, hq_row.c.entity_id)
                                    .where(hq_row.c.customer_id == customer)).all()
        self.load((e, i) for e, i in related)
        for (entity, entity_id) in list(self.rows):
            r = self.rows[(entity, entity_id)]
            if r.customer != customer or r is row or r.deleted or not (r.exists or r.dirty):
                continue
            if entity in merge.PERSONAL_ROWS:
                r.deleted = True
                r.data = {}
                r.stamps = {"*": max(hlc, merge.max_stamp(r.stamps))}
                self._mark(r)
                continue
            cols = self.personal.get(entity, ())
            if cols:
                t = merge.table(entity)
                for col in cols:
                    if col in r.data and not merge.is_blank(r.data[col]):
                        r.data[col] = merge.blank_value(t, col)
                        r.stamps[col] = max(hlc, merge.field_stamp(r.stamps, col))
                        self._mark(r)

    # writing ---------------------------------------------------------------------------------

    def finish(self, seq: int) -> int:
        conn = self.conn
        for loser, winner in self.merged:
            # every store that served the merged-away profile now serves the survivor, and
            # gets it (with what moved to it) on its next pull
            for store in conn.scalars(select(hq_served.c.store_id).where(hq_served.c.customer_id == loser)):
                self.links.add((store, winner))
        self._follow_moves()
        new_links = self._insert_links()
        for store, customer in new_links:
            if store != self.auth.store_id:
                self._touch_customer(customer)
        inserts, updates = [], []
        for row in self.order:
            seq += 1
            row.seq = seq
            values = dict(seq=seq, bucket=row.bucket, owner_store_id=row.owner, customer_id=row.customer,
                          deleted=row.deleted, data=row.data, stamps=_compact(row.stamps))
            (updates if row.exists else inserts).append(dict(entity=row.entity, entity_id=row.entity_id, **values))
            row.exists = True
        _write_rows(conn, inserts, updates)
        if self.newly_erased:
            conn.execute(_upsert_ignore(conn, hq_erased),
                         [dict(customer_id=c, erased_at=_now()) for c, _ in self.newly_erased])
        self._balances()
        return seq

    def _follow_moves(self) -> None:
        """A row that now belongs to another customer (a merge handing the loser's loyalty
        account to the winner) takes the rows that inherit their customer from it (its
        ledger entries) along: they are placed by their parent, and would otherwise stay
        with the old customer, out of sight of the stores that serve the new one."""
        while self.moved:
            entity, entity_id, old_customer = self.moved.pop()
            parent = self.rows[(entity, entity_id)]
            children = {p.entity: p for p in merge.policies().values() if p.parent and p.parent[1] == entity}
            if not children:
                continue
            keys = self.conn.execute(select(hq_row.c.entity, hq_row.c.entity_id).where(
                hq_row.c.customer_id == old_customer, hq_row.c.entity.in_(list(children)))).all()
            self.load((e, i) for e, i in keys)
            for key in [(e, i) for e, i in keys] + [k for k in self.rows if k[0] in children]:
                child = self.rows[key]
                pol = children[key[0]]
                if child.deleted or child.customer != old_customer or child.data.get(pol.parent[0]) != entity_id:
                    continue
                self._place(child, pol, parent.owner, parent.customer)
                self._mark(child)
                self.moved.append((key[0], key[1], old_customer))

    def _insert_links(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """Record which stores serve which customers; returns the links that are new."""
        if not self.links:
            return []
        if self.conn.dialect.name == "postgresql":
            return _bulk_insert_ignore(self.conn, hq_served, [dict(store_id=s, customer_id=c) for s, c in self.links],
                                       returning=True)
        new = self._new_links()
        _bulk_insert_ignore(self.conn, hq_served, [dict(store_id=s, customer_id=c) for s, c in new])
        return new

    def _new_links(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        if not self.links:
            return []
        links = list(self.links)
        have: set[tuple[uuid.UUID, uuid.UUID]] = set()
        customers = list({c for _, c in links})
        step = _step(self.conn)
        for i in range(0, len(customers), step):
            have.update(tuple(r) for r in self.conn.execute(
                select(hq_served.c.store_id, hq_served.c.customer_id)
                .where(_in(self.conn, hq_served.c.customer_id, customers[i:i + step]))))
        return [link for link in links if link not in have]

    def _touch_customer(self, customer: uuid.UUID) -> None:
        """A store newly serves a customer it may not have: move the customer's rows to
        the head of the sequence so its next pull carries them."""
        keys = self.conn.execute(select(hq_row.c.entity, hq_row.c.entity_id)
                                 .where(hq_row.c.customer_id == customer,
                                        hq_row.c.bucket == merge.BUCKET_CUSTOMER)).all()
        self.load((e, i) for e, i in keys)
        for e, i in keys:
            self._mark(self.rows[(e, i)])

    def _balances(self) -> None:
        if not self.balance:
            return
        conn = self.conn
        ins = pg_insert(hq_balance) if conn.dialect.name == "postgresql" else sqlite_insert(hq_balance)
        conn.execute(ins.on_conflict_do_update(index_elements=["account_id"],
                                               set_={"points": hq_balance.c.points + ins.excluded.points}),
                     [dict(account_id=a, points=p) for a, p in self.balance.items()])
        accounts = list(self.balance)
        now = _now()
        for account_id, points in conn.execute(select(hq_balance.c.account_id, hq_balance.c.points)
                                               .where(_in(conn, hq_balance.c.account_id, accounts))):
            key = str(account_id)
            flagged = conn.execute(select(hq_flag.c.cleared).where(hq_flag.c.kind == "negative_balance",
                                                                   hq_flag.c.entity_id == key)).first()
            if points < 0:
                detail = f"loyalty balance {points} points"
                if flagged is None:
                    conn.execute(insert(hq_flag).values(kind="negative_balance", entity_id=key, detail=detail,
                                                        raised_at=now, cleared=False))
                else:
                    conn.execute(update(hq_flag).where(hq_flag.c.kind == "negative_balance",
                                                       hq_flag.c.entity_id == key)
                                 .values(detail=detail, cleared=False))
            elif flagged is not None and not flagged.cleared:
                conn.execute(update(hq_flag).where(hq_flag.c.kind == "negative_balance",
                                                   hq_flag.c.entity_id == key).values(cleared=True))


_ROW_COLS = ("entity", "entity_id", "seq", "bucket", "owner_store_id", "customer_id", "deleted", "data", "stamps")


def _bulk_insert(conn, table, rows: list[dict[str, Any]]) -> None:
    """Insert rows known to be new (HQ holds the write lock): COPY on PostgreSQL, one
    executemany on SQLite."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    import orjson
    from psycopg.types.json import Jsonb
    from sqlalchemy import JSON
    cols = list(rows[0])
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw = conn.connection.dbapi_connection
    dumps = orjson.dumps
    with raw.cursor() as cur:
        with cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
            write = copy.write_row
            if json_cols:
                for r in rows:
                    write([Jsonb(r[c], dumps) if c in json_cols else r[c] for c in cols])
            else:
                for r in rows:
                    write([r[c] for c in cols])


def _bulk_insert_ignore(conn, table, rows: list[dict[str, Any]], *, returning: bool = False) -> list[tuple]:
    """Insert rows, skipping those already there. With ``returning`` (PostgreSQL only),
    the rows that were new, as tuples of the given columns."""
    if not rows:
        return []
    if conn.dialect.name != "postgresql" or (len(rows) <= 20 and not returning):
        conn.execute(_upsert_ignore(conn, table), rows)
        return []
    scratch = f"{table.name}_incoming"
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {scratch} (LIKE {table.name} INCLUDING DEFAULTS) "
                         "ON COMMIT DELETE ROWS")
    _bulk_insert(conn, _scratch(table.name, scratch), rows)
    cols = ", ".join(rows[0])
    result = conn.exec_driver_sql(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM {scratch} "
                                  f"ON CONFLICT DO NOTHING" + (f" RETURNING {cols}" if returning else ""))
    return [tuple(r) for r in result] if returning else []


@lru_cache(maxsize=None)
def _scratch(source: str, name: str):
    from sqlalchemy import MetaData, Table
    from hq.models import metadata
    return Table(name, MetaData(), *[c.copy() for c in metadata.tables[source].columns])


def _write_rows(conn, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
    _bulk_insert(conn, hq_row, inserts)
    if not updates:
        return
    if conn.dialect.name == "postgresql" and len(updates) > 20:
        # a batch of changed rows: COPY them beside the table, then one UPDATE ... FROM
        # (new seqs are above every old one, so the unique seq index never sees a clash)
        conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS hq_row_changed "
                             "(LIKE hq_row INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        _bulk_insert(conn, _scratch("hq_row", "hq_row_changed"), updates)
        conn.exec_driver_sql(
            "UPDATE hq_row r SET seq = c.seq, bucket = c.bucket, owner_store_id = c.owner_store_id, "
            "customer_id = c.customer_id, deleted = c.deleted, data = c.data, stamps = c.stamps "
            "FROM hq_row_changed c WHERE r.entity = c.entity AND r.entity_id = c.entity_id")
        return
    conn.execute(update(hq_row).where(hq_row.c.entity == bindparam("k_entity"),
                                      hq_row.c.entity_id == bindparam("k_id"))
                 .values(seq=bindparam("v_seq"), bucket=bindparam("v_bucket"),
                         owner_store_id=bindparam("v_owner_store_id"), customer_id=bindparam("v_customer_id"),
                         deleted=bindparam("v_deleted"), data=bindparam("v_data", type_=hq_row.c.data.type),
                         stamps=bindparam("v_stamps", type_=hq_row.c.stamps.type)),
                 [{"k_entity": u["entity"], "k_id": u["entity_id"],
                   **{f"v_{k}": v for k, v in u.items() if k not in ("entity", "entity_id")}} for u in updates])


def _compact(stamps: dict[str, str]) -> dict[str, str]:
    """Drop per-field stamps equal to the row stamp; keep the map small."""
    if len(stamps) == 1:
        return stamps
    base = stamps.get("*")
    if base is None:
        return stamps
    return {k: v for k, v in stamps.items() if k == "*" or v != base}


def _lock(conn) -> tuple[int, str]:
    q = select(hq_state.c.key, hq_state.c.num, hq_state.c.text).where(hq_state.c.key.in_(["seq", "hlc"]))
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    state = {r.key: r for r in conn.execute(q)}
    return int(state["seq"].num), state["hlc"].text


def push(engine: Engine, auth: StoreAuth, body: Any, *, max_ahead_ms: int = merge.MAX_CLOCK_AHEAD_MS,
         now_ms: int | None = None) -> dict[str, Any]:
    """Apply one batch; see the module docstring."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be an object")
    try:
        batch_id = uuid.UUID(str(body.get("batch_id")))
    except ValueError:
        raise BadRequest("batch_id must be a UUID") from None
    parsed = _parse_ops(body.get("ops"))
    pending = body.get("pending") if isinstance(body.get("pending"), int) else None
    parked = body.get("parked") if isinstance(body.get("parked"), int) else None
    now_ms = _now_ms() if now_ms is None else now_ms
    # what can be judged without the database is judged before taking the write lock
    checked: list[_Op | tuple[uuid.UUID, str]] = []
    for p in parsed:
        reason = _validate(p, now_ms, max_ahead_ms) if isinstance(p, _Op) else None
        checked.append((p.op_id, reason) if reason is not None else p)
    parsed = checked
    with _write(engine) as conn, conn.begin():
        seq, hlc_text = _lock(conn)
        done = conn.execute(select(hq_batch.c.rejected, hq_batch.c.store_id)
                            .where(hq_batch.c.batch_id == batch_id)).first()
        if done is not None:
            if done.store_id != auth.store_id:
                raise BadRequest("this batch id belongs to another store")
            rejected = [list(r) for r in done.rejected]
            _touch_store(conn, auth, pending, parked, push=True)
            return _push_answer(rejected, batch_id, duplicate=True, accepted=0)
        ids = [p.op_id if isinstance(p, _Op) else p[0] for p in parsed]
        seen: dict[uuid.UUID, str | None] = {}
        step = _step(conn)
        for i in range(0, len(ids), step):
            for op_id, rej in conn.execute(select(hq_op.c.op_id, hq_op.c.rejected)
                                           .where(_in(conn, hq_op.c.op_id, ids[i:i + step]))):
                seen[op_id] = rej
        fresh = [p for p in parsed if (p.op_id if isinstance(p, _Op) else p[0]) not in seen]
        batch = _Batch(conn, auth, now_ms, max_ahead_ms)
        batch.preload([p for p in fresh if isinstance(p, _Op)])
        rejected: list[list[str]] = []
        op_rows = []
        in_batch: set[uuid.UUID] = set()
        for p in fresh:
            if isinstance(p, tuple):
                op_id, reason = p
                reason_text: str | None = reason
            else:
                op_id = p.op_id
                try:
                    batch.apply(p)
                    reason_text = None
                except merge.Rejected as r:
                    reason_text = r.text
            if op_id in in_batch:
                continue
            in_batch.add(op_id)
            if reason_text is not None:
                rejected.append([str(op_id), reason_text])
            op_rows.append(dict(op_id=op_id, store_id=auth.store_id, batch_id=batch_id, rejected=reason_text))
        # an operation HQ refused before keeps its answer when it comes again
        for op_id in ids:
            if op_id in seen and seen[op_id] is not None:
                rejected.append([str(op_id), seen[op_id]])
        new_seq = batch.finish(seq)
        _bulk_insert(conn, hq_op, op_rows)
        conn.execute(insert(hq_batch).values(batch_id=batch_id, store_id=auth.store_id, received_at=_now(),
                                             ops=len(parsed), rejected=rejected))
        state: dict[str, Any] = {}
        if new_seq != seq:
            state["seq"] = new_seq
        if batch.max_stamp:
            last = Timestamp.decode(hlc_text) if hlc_text else None
            remote = Timestamp.decode(batch.max_stamp)
            clock = receive(last, remote, now_ms, HQ_NODE, max_drift_ms=max_ahead_ms + 60_000)
            conn.execute(update(hq_state).where(hq_state.c.key == "hlc").values(text=clock.encode()))
        if "seq" in state:
            conn.execute(update(hq_state).where(hq_state.c.key == "seq").values(num=state["seq"]))
        _touch_store(conn, auth, pending, parked, push=True)
        accepted = sum(1 for r in op_rows if r["rejected"] is None)
        answer = _push_answer(rejected, batch_id, duplicate=False, accepted=accepted)
    _maybe_analyze(engine, seq, new_seq)
    return answer


# the columns the push and pull queries filter and join on (statistics on the JSON
# columns cost most of an ANALYZE and no plan uses them)
_ANALYZE = ("ANALYZE hq_row (entity, entity_id, seq, bucket, owner_store_id, customer_id), hq_op (op_id), "
            "hq_served, hq_erased, hq_balance")


def _maybe_analyze(engine: Engine, before: int, after: int) -> None:
    """Refresh PostgreSQL's statistics each time the change log doubles. A table that
    grew from nothing in a minute still has no statistics (autovacuum has not come
    round), and the planner then scans it whole for every batch's key lookups."""
    if engine.dialect.name != "postgresql" or after < 2048 or before.bit_length() == after.bit_length():
        return
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(_ANALYZE)
    except Exception as exc:  # noqa: BLE001 - the batch is committed; statistics can wait
        import logging
        logging.getLogger("orchard.hq").warning("statistics not refreshed (%s)", type(exc).__name__)


def _push_answer(rejected: list[list[str]], batch_id: uuid.UUID, *, duplicate: bool,
                 accepted: int) -> dict[str, Any]:
    """Each refused operation with its reason; the store asks for HQ's current version of
    those rows (``current_rows``) to put its copy back."""
    return {"batch_id": str(batch_id), "duplicate": duplicate, "accepted": accepted,
            "rejected": [{"op_id": op_id, "reason": reason} for op_id, reason in rejected],
            "server_time_ms": _now_ms()}


def _touch_store(conn, auth: StoreAuth, pending: int | None, parked: int | None, *, push: bool = False,
                 cursor: int | None = None) -> None:
    values: dict[str, Any] = {"last_contact_at": _now()}
    if push:
        values["last_push_at"] = values["last_contact_at"]
    if pending is not None:
        values["pending_ops"] = max(0, min(pending, 2**31 - 1))
    if parked is not None:
        values["parked_ops"] = max(0, min(parked, 2**31 - 1))
    if cursor is not None:
        values["pull_cursor"] = cursor
        values["last_pull_at"] = values["last_contact_at"]
    conn.execute(update(hq_store).where(hq_store.c.store_id == auth.store_id).values(**values))


# --- pull ---------------------------------------------------------------------------------------

def _visible(auth: StoreAuth):
    served = select(hq_served.c.customer_id).where(hq_served.c.store_id == auth.store_id)
    return or_(hq_row.c.bucket == merge.BUCKET_GLOBAL,
               and_(hq_row.c.bucket == merge.BUCKET_STORE, hq_row.c.owner_store_id == auth.store_id),
               and_(hq_row.c.bucket == merge.BUCKET_CUSTOMER, hq_row.c.customer_id.in_(served)))


def _out(r, auth: StoreAuth) -> dict[str, Any]:
    data = r["data"]
    pol = merge.policy(r["entity"])
    if pol is not None and pol.secret_cols and r["owner_store_id"] != auth.store_id and not r["deleted"]:
        tbl = merge.table(r["entity"])
        data = {k: (merge.blank_value(tbl, k) if k in pol.secret_cols else v) for k, v in data.items()}
    return {"seq": r["seq"], "entity": r["entity"], "id": r["entity_id"], "deleted": r["deleted"],
            "data": data, "stamps": r["stamps"]}


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


# --- on-demand fetch -------------------------------------------------------------------------

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


# --- status ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoreStatus:
    code: str
    name: str
    store_id: uuid.UUID | None
    publisher: bool
    enrolled_at: datetime | None
    last_contact_at: datetime | None
    pending_ops: int
    parked_ops: int
    cursor: int
    cursor_lag: int


@dataclass(frozen=True)
class Flag:
    kind: str
    entity_id: str
    detail: str
    raised_at: datetime


def status(engine: Engine) -> tuple[int, list[StoreStatus], list[Flag]]:
    """(head sequence, each store, open flags)."""
    with engine.connect() as conn:
        head = int(conn.scalar(select(hq_state.c.num).where(hq_state.c.key == "seq")) or 0)
        stores = []
        for r in conn.execute(select(hq_store).order_by(hq_store.c.code)).mappings():
            lag = 0
            if r["store_id"] is not None:
                lag = int(conn.scalar(select(func.count()).select_from(hq_row)
                                      .where(hq_row.c.seq > r["pull_cursor"], _visible(
                                          StoreAuth(r["store_id"], r["code"], bool(r["publisher"]))))) or 0)
            stores.append(StoreStatus(r["code"], r["name"], r["store_id"], bool(r["publisher"]),
                                      r["enrolled_at"], r["last_contact_at"], r["pending_ops"], r["parked_ops"],
                                      r["pull_cursor"], lag))
        flags = [Flag(r.kind, r.entity_id, r.detail, r.raised_at) for r in conn.execute(
            select(hq_flag).where(hq_flag.c.cleared.is_(False)).order_by(hq_flag.c.raised_at))]
    return head, stores, flags


KEEP_BATCH_DAYS = 90


def prune(engine: Engine, *, older_than_days: int = KEEP_BATCH_DAYS, now: datetime | None = None,
          chunk: int = 500) -> tuple[int, int]:
    """Forget the receipts of batches older than ``older_than_days`` (and their operation
    ids): the records that make a replay a no-op grow with every push, and after weeks
    they guard nothing that the rows do not guard themselves. A very late replay is still
    harmless: fields merge by stamp (an old stamp loses, an equal one changes nothing),
    ledger entries are kept once by id, deleted rows stay deleted. Works in chunks so
    pushes never wait long. Returns (batches, operations) removed."""
    if older_than_days < 1:
        raise BadRequest("keep at least one day of batch receipts")
    cutoff = (now or _now()) - timedelta(days=older_than_days)
    batches = ops = 0
    while True:
        with _write(engine) as conn, conn.begin():
            ids = list(conn.scalars(select(hq_batch.c.batch_id).where(hq_batch.c.received_at < cutoff)
                                    .limit(chunk)))
            if not ids:
                break
            ops += conn.execute(delete(hq_op).where(hq_op.c.batch_id.in_(ids))).rowcount or 0
            batches += conn.execute(delete(hq_batch).where(hq_batch.c.batch_id.in_(ids))).rowcount or 0
    return batches, ops


__all__ = ["BadRequest", "EnrolRefused", "HqError", "StoreAuth", "StoreStatus", "Unauthorized", "authenticate",
           "create_enrolment", "current_rows", "enrol", "lookup_customer", "prune", "pull", "push", "status"]
