"""The rules of sync, shared by HQ (which enforces them) and the store (which applies
what HQ hands back): who may write each entity, who may read it, how concurrent
changes merge, and what a well-formed change looks like.

Every synced table is an *entity* (its table name).  Each has a :class:`Policy`:

writer
    ``hq``           reference data (price book, trade-in models, service types, parts,
                     IMEI blocklist, loyalty rules): only HQ and stores enrolled as
                     *publishers* write it; any other store's write is rejected.
    ``owner``        store-owned rows (tickets, appointments, quotes, shifts, stock,
                     surveys, feedback, and the store's own ``store`` and ``staff`` rows):
                     single writer, the store named in the row (or in its parent row).
    ``any``          customer data (customer, device, consent, purchase, note, loyalty
                     account): any store, merged per field, last writer wins by HLC.
    ``insert_only``  the loyalty ledger: entries are only ever added, so concurrent
                     earns and redemptions at offline stores all survive.
bucket
    ``g`` global (every store pulls it), ``s`` the owning store only, ``c`` the stores
    that serve the customer (its home store, stores that touched it, stores that
    fetched it on demand).

Tables added later get a policy derived from their columns (``store_id`` → owned by
that store; ``customer_id`` → customer data; a foreign key to such a table → inherit
it; otherwise reference data), so every new entity syncs through the same mechanism
without touching this module.  Explicit entries below only pin down the cases the
derivation would get wrong or that deserve to be spelled out.

Per-field stamps: each row carries a map of field → HLC stamp (the encoded
:class:`core.sync.hlc.Timestamp`), written compactly as ``{"*": stamp, field: stamp}``
where ``"*"`` is the stamp of every field not listed.  Encoded stamps sort as the
stamps do, and the node part of a stamp is the writing store's id (set at enrolment),
so comparing the strings orders by ``(HLC, store id)``: one deterministic winner on
every replica.
"""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Callable, Iterable

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, Date, DateTime, Integer, LargeBinary, Numeric, SmallInteger, String,
    Table, Text, Uuid,
)


from core.models import Base
from core.models.base import UTCDateTime

WRITER_HQ = "hq"
WRITER_OWNER = "owner"
WRITER_ANY = "any"
WRITER_INSERT_ONLY = "insert_only"

BUCKET_GLOBAL = "g"
BUCKET_STORE = "s"
BUCKET_CUSTOMER = "c"

# How far ahead of HQ's clock a store's stamp may be.  Generous on purpose: a counter PC
# whose clock is hours off (a wrong time zone set as local time is the usual cause)
# still syncs, and the hybrid clock keeps causality right (an edit made after seeing a
# fast store's edit still wins).  A clock set days or years ahead is refused, so one
# machine cannot drag every clock in the chain into the future.
MAX_CLOCK_AHEAD_MS = 12 * 3600 * 1000

# Rejection reasons: short codes the store parks an operation with (no personal data).
R_UNKNOWN_ENTITY = "unknown_entity"
R_UNKNOWN_FIELD = "unknown_field"
R_INVALID = "invalid_value"
R_MISSING = "missing_field"
R_BAD_OP = "bad_operation"
R_NOT_OWNER = "not_owner"
R_REFERENCE = "reference_data"
R_INSERT_ONLY = "insert_only"
R_ERASED = "customer_erased"
R_CLOCK = "clock_ahead"
# a change to a customer's rows from a store that does not serve the customer (it neither
# created nor fetched them), and an erasure whose author may not erase (hq.push_authority)
R_NOT_SERVED = "not_served"
R_NOT_ALLOWED = "not_allowed"

REASONS = (R_UNKNOWN_ENTITY, R_UNKNOWN_FIELD, R_INVALID, R_MISSING, R_BAD_OP, R_NOT_OWNER, R_REFERENCE,
           R_INSERT_ONLY, R_ERASED, R_CLOCK, R_NOT_SERVED, R_NOT_ALLOWED)


_UNSAFE_DETAIL = re.compile(r"[^A-Za-z0-9_.:-]", re.ASCII)


class Rejected(Exception):
    """One operation is refused; ``reason`` is one of :data:`REASONS`, ``detail`` names a
    field or a number, never a value."""

    def __init__(self, reason: str, detail: str = ""):
        # a detail may echo a name the store sent (an unknown entity or field): only the
        # characters a name has, so no value, NUL or control character is kept or stored
        detail = _UNSAFE_DETAIL.sub("?", detail[:40])
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    @property
    def text(self) -> str:
        return str(self)[:200]


@dataclass(frozen=True)
class Policy:
    entity: str
    writer: str
    bucket: str
    owner_col: str | None = None        # column naming the owning store ("id" for store itself)
    customer_col: str | None = None     # column naming the customer ("id" for customer itself)
    parent: tuple[str, str] | None = None   # (fk column, parent entity) to inherit owner/customer from
    secret_cols: tuple[str, ...] = ()   # sent only to the owning store (staff credentials)
    movable: tuple[str, ...] = ()       # insert-only rows: columns a merge of customers may re-point


_EXPLICIT: dict[str, dict[str, Any]] = {
    "store": dict(writer=WRITER_OWNER, bucket=BUCKET_GLOBAL, owner_col="id"),
    # staff accounts are global reference data (rows elsewhere name them), but their
    # password hash goes only to their own store (a re-enrolled store gets it back; it has
    # the vault's Argon2id cost). PIN hashes never leave the store at all (a 4-digit PIN hash
    # is brute-forced offline in seconds): Staff.__sync_exclude__, see stays_home().
    "staff": dict(writer=WRITER_OWNER, bucket=BUCKET_GLOBAL, owner_col="store_id",
                  secret_cols=("password_hash",)),
    "customer": dict(writer=WRITER_ANY, bucket=BUCKET_CUSTOMER, customer_col="id"),
    "loyalty_account": dict(writer=WRITER_ANY, bucket=BUCKET_CUSTOMER, customer_col="customer_id"),
    # insert-only, except that merging two customers moves the loser's entries to the
    # winner's account (points and amounts never change)
    "loyalty_entry": dict(writer=WRITER_INSERT_ONLY, bucket=BUCKET_CUSTOMER,
                          parent=("account_id", "loyalty_account"), movable=("account_id",)),
    "consent": dict(writer=WRITER_ANY, bucket=BUCKET_CUSTOMER, customer_col="customer_id"),
    "device": dict(writer=WRITER_ANY, bucket=BUCKET_CUSTOMER, customer_col="customer_id"),
    "purchase": dict(writer=WRITER_ANY, bucket=BUCKET_CUSTOMER, customer_col="customer_id"),
    "customer_note": dict(writer=WRITER_ANY, bucket=BUCKET_CUSTOMER, customer_col="customer_id"),
    "repair_ticket": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, owner_col="store_id",
                          customer_col="customer_id"),
    "repair_event": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, parent=("ticket_id", "repair_ticket")),
    "repair_part": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, parent=("ticket_id", "repair_ticket")),
    "appointment": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, owner_col="store_id",
                        customer_col="customer_id"),
    "tradein_quote": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, owner_col="store_id",
                          customer_col="customer_id"),
    "shift": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, owner_col="store_id"),
    "part_stock": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, owner_col="store_id"),
    "survey": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, owner_col="store_id", customer_col="customer_id"),
    "feedback": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, owner_col="store_id",
                     customer_col="customer_id"),
    "feedback_note": dict(writer=WRITER_OWNER, bucket=BUCKET_STORE, parent=("feedback_id", "feedback")),
    # issue 23: HQ computes every customer's scores for the chain; the stores that serve the
    # customer pull them (reference data in the customer's bucket: only HQ writes it)
    "customer_score": dict(writer=WRITER_HQ, bucket=BUCKET_CUSTOMER, customer_col="customer_id"),
    "next_action_rule": dict(writer=WRITER_HQ, bucket=BUCKET_GLOBAL),
    "service_type": dict(writer=WRITER_HQ, bucket=BUCKET_GLOBAL),
    "part": dict(writer=WRITER_HQ, bucket=BUCKET_GLOBAL),
    "price_book": dict(writer=WRITER_HQ, bucket=BUCKET_GLOBAL),
    "price_book_entry": dict(writer=WRITER_HQ, bucket=BUCKET_GLOBAL),
    "tradein_model": dict(writer=WRITER_HQ, bucket=BUCKET_GLOBAL),
    "imei_blocklist": dict(writer=WRITER_HQ, bucket=BUCKET_GLOBAL),
}


def synced_tables() -> dict[str, Table]:
    """Every table whose model is captured in the outbox, by entity name."""
    return dict(_synced_tables())


@lru_cache(maxsize=1)
def _synced_tables() -> dict[str, Table]:
    out: dict[str, Table] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__synced__", False) and isinstance(mapper.local_table, Table):
            out[mapper.local_table.name] = mapper.local_table
    return out


def _derive(name: str, tables: dict[str, Table], seen: frozenset[str] = frozenset()) -> Policy:
    if name in _EXPLICIT:
        return Policy(entity=name, **_EXPLICIT[name])
    table = tables[name]
    cols = table.c
    if "store_id" in cols and not cols["store_id"].nullable:
        return Policy(name, WRITER_OWNER, BUCKET_STORE, owner_col="store_id",
                      customer_col="customer_id" if "customer_id" in cols else None)
    if "customer_id" in cols:
        return Policy(name, WRITER_ANY, BUCKET_CUSTOMER, customer_col="customer_id")
    for col in table.columns:
        for fk in col.foreign_keys:
            parent = fk.column.table.name
            if parent in tables and parent != name and parent not in seen:
                pp = _derive(parent, tables, seen | {name})
                if pp.bucket != BUCKET_GLOBAL:
                    return Policy(name, pp.writer if pp.writer != WRITER_INSERT_ONLY else WRITER_ANY,
                                  pp.bucket, parent=(col.name, parent))
    return Policy(name, WRITER_HQ, BUCKET_GLOBAL)


@lru_cache(maxsize=1)
def _policies() -> dict[str, Policy]:
    tables = synced_tables()
    return {name: _derive(name, tables) for name in tables}


def policy(entity: str) -> Policy | None:
    """The policy of ``entity``; ``None`` for a name that is not a synced table."""
    return _policies().get(entity)


def policies() -> dict[str, Policy]:
    return dict(_policies())


def stays_home(entity: str) -> frozenset[str]:
    """Columns of ``entity`` that never leave the store (its model's ``__sync_exclude__``):
    never captured in the outbox, and dropped by HQ if a push carries them anyway (an
    operation captured by an older version of the store)."""
    return _stays_home().get(entity, frozenset())


@lru_cache(maxsize=1)
def _stays_home() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for mapper in Base.registry.mappers:
        skip = getattr(mapper.class_, "__sync_exclude__", None)
        if skip and isinstance(mapper.local_table, Table):
            out[mapper.local_table.name] = frozenset(skip)
    return out


def table(entity: str) -> Table:
    return _synced_tables()[entity]


# --- personal data --------------------------------------------------------------------------

# rows that exist only to say something about the person: deleted outright on erasure
PERSONAL_ROWS = ("customer_note",)

# Columns each replica derives for itself (kept by triggers, migration 0005), so a value
# from another replica must never overwrite them. Like a model's ``__sync_exclude__``;
# listed here as well so that a model that forgets to say so is still safe.
LOCAL_COLUMNS: dict[str, frozenset[str]] = {"customer": frozenset({"last_visit_at"})}


def is_blank(value: Any) -> bool:
    return value is None or value == ""


# --- stamps -----------------------------------------------------------------------------------

def field_stamp(stamps: dict[str, str] | None, field: str) -> str:
    """The stamp of ``field`` in a compact stamp map ("" when none)."""
    if not stamps:
        return ""
    return stamps.get(field) or stamps.get("*", "")


def max_stamp(stamps: dict[str, str] | None) -> str:
    return max(stamps.values()) if stamps else ""


# --- values -----------------------------------------------------------------------------------

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)

# What every replica's database can hold. A value outside these is refused here, as
# ``invalid_value`` for its operation, so nothing reaches a database that would make it
# raise (and a database's error message, which quotes the row, never reaches a log).
INT_RANGES: tuple[tuple[type[Integer], int], ...] = ((SmallInteger, 15), (BigInteger, 63), (Integer, 31))
MAX_JSON_DEPTH = 32          # orjson writes at most 254 levels; no row needs more than a few
MAX_DECIMAL_DIGITS = 1000    # a Numeric without a precision


def _check_text(v: str) -> None:
    # PostgreSQL's text and jsonb cannot hold NUL
    if "\x00" in v:
        raise ValueError


def _check_uuid(v: Any) -> None:
    # the one spelling stores write (str(uuid)): two spellings of one id would be two rows at HQ
    if not isinstance(v, str) or _CANONICAL_UUID.fullmatch(v) is None:
        raise ValueError


def _check_datetime(v: Any) -> None:
    if not isinstance(v, str):
        raise ValueError
    datetime.fromisoformat(v)       # years 1..9999 only, which every database holds


def _check_date(v: Any) -> None:
    if not isinstance(v, str):
        raise ValueError
    date.fromisoformat(v)


def _int_checker(bits: int) -> Callable[[Any], None]:
    low, high = -(1 << bits), (1 << bits) - 1

    def check_int(v: Any) -> None:
        if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= high:
            raise ValueError
    return check_int


def _check_bool(v: Any) -> None:
    if not isinstance(v, bool):
        raise ValueError


def _check_bytes(v: Any) -> None:
    if not (isinstance(v, dict) and isinstance(v.get("$b64"), str)):
        raise ValueError
    base64.b64decode(v["$b64"], validate=True)


def _decimal_checker(precision: int | None, scale: int | None) -> Callable[[Any], None]:
    whole = (precision - (scale or 0)) if precision is not None else MAX_DECIMAL_DIGITS

    def check_decimal(v: Any) -> None:
        if not isinstance(v, (str, int)) or isinstance(v, bool) or (isinstance(v, str) and len(v) > 2 * whole + 64):
            raise ValueError
        try:
            d = Decimal(v)
        except InvalidOperation:
            raise ValueError from None
        # no NaN or infinity; no more digits before the point than the column has
        if not d.is_finite() or (d != 0 and d.adjusted() >= whole):
            raise ValueError
    return check_decimal


def _check_json(v: Any, depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise ValueError
    if isinstance(v, str):
        _check_text(v)
    elif isinstance(v, dict):
        for k, item in v.items():
            _check_text(k)
            _check_json(item, depth + 1)
    elif isinstance(v, list):
        for item in v:
            _check_json(item, depth + 1)
    elif isinstance(v, int) and not isinstance(v, bool) and not -(1 << 63) <= v < (1 << 64):
        raise ValueError            # orjson writes 64-bit integers only


def _checker(col: Column[Any]) -> Callable[[Any], None]:
    t = col.type
    if isinstance(t, Uuid):
        return _check_uuid
    if isinstance(t, (UTCDateTime, DateTime)):
        return _check_datetime
    if isinstance(t, Date):
        return _check_date
    if isinstance(t, Boolean):
        return _check_bool
    if isinstance(t, Integer):
        return _int_checker(next(bits for kind, bits in INT_RANGES if isinstance(t, kind)))
    if isinstance(t, LargeBinary):
        return _check_bytes
    if isinstance(t, Numeric):
        return _decimal_checker(t.precision, t.scale)
    if isinstance(t, (String, Text)):
        length = getattr(t, "length", None)

        def check_str(v: Any, length: int | None = length) -> None:
            # PostgreSQL's text cannot hold NUL (_check_text, inlined: once per pushed field)
            if not isinstance(v, str) or (length is not None and len(v) > length) or "\x00" in v:
                raise ValueError
        return check_str
    if isinstance(t, JSON):
        return _check_json
    return lambda v: None


@lru_cache(maxsize=None)
def _checkers(entity: str) -> dict[str, tuple[Callable[[Any], None], bool]]:
    return {c.name: (_checker(c), bool(c.nullable)) for c in table(entity).columns}


@lru_cache(maxsize=None)
def required_columns(entity: str) -> frozenset[str]:
    """Columns an insert must carry: not nullable and without a constant default. A column
    added by a later version with a constant default (``customer.contact_preference``,
    ``feedback.severity``...) may be left out by a store still on the version before it:
    every replica that inserts the row fills the same default (a callable default, such as
    a time, would differ between replicas, so those columns stay required)."""
    return frozenset(c.name for c in table(entity).columns
                     if not c.nullable and not (c.default is not None and c.default.is_scalar))


@lru_cache(maxsize=None)
def pk_columns(entity: str) -> tuple[str, ...]:
    return tuple(c.name for c in table(entity).primary_key.columns)


def check_fields(entity: str, op: str, fields: Any) -> None:
    """Raise :class:`Rejected` unless ``fields`` fits the entity's columns."""
    if not isinstance(fields, dict):
        raise Rejected(R_INVALID, "fields")
    checks = _checkers(entity)
    for name, value in fields.items():
        entry = checks.get(name)
        if entry is None:
            raise Rejected(R_UNKNOWN_FIELD, str(name)[:40])
        if value is None:
            if not entry[1]:
                raise Rejected(R_INVALID, name)
            continue
        try:
            entry[0](value)
        except (ValueError, TypeError):
            raise Rejected(R_INVALID, name) from None
    if op == "insert":
        required = required_columns(entity)
        if not fields.keys() >= required:
            raise Rejected(R_MISSING, sorted(required - fields.keys())[0])


def split_id(entity: str, entity_id: str) -> dict[str, str]:
    """The primary-key columns of ``entity_id`` (``a:b`` for composite keys)."""
    cols = pk_columns(entity)
    parts = entity_id.split(":") if len(cols) > 1 else [entity_id]
    if len(parts) != len(cols):
        raise Rejected(R_INVALID, "entity_id")
    return dict(zip(cols, parts))


def check_id(entity: str, entity_id: Any) -> None:
    if not isinstance(entity_id, str) or not entity_id or len(entity_id) > 80 \
            or not _id_checker(entity)(entity_id):
        raise Rejected(R_INVALID, "entity_id")


@lru_cache(maxsize=None)
def _id_checker(entity: str) -> Callable[[str], bool]:
    """Whether a (non-empty, short) string is a well-formed id of ``entity``: its key's parts
    (:func:`split_id`) each as its column's check takes them (:func:`_typed_key`). Made once
    per entity: the usual key, one UUID column, is one regular expression."""
    cols = pk_columns(entity)
    checks = _checkers(entity)
    if len(cols) == 1 and checks[cols[0]][0] is _check_uuid:
        match = _CANONICAL_UUID.fullmatch
        return lambda entity_id: match(entity_id) is not None
    parts_of = [(checks[c][0], isinstance(table(entity).c[c].type, Integer)) for c in cols]

    def ok(entity_id: str) -> bool:
        parts = entity_id.split(":") if len(parts_of) > 1 else [entity_id]
        if len(parts) != len(parts_of):
            return False
        try:
            for (check, integer), part in zip(parts_of, parts):
                if integer:
                    if _INT_KEY.fullmatch(part) is None:     # one spelling per key ("7", not "07")
                        return False
                    check(int(part))
                else:
                    check(part)
        except (ValueError, TypeError):
            return False
        return True
    return ok


def _typed_key(entity: str, col: str, part: str) -> Any:
    t = table(entity).c[col].type
    if isinstance(t, Integer):
        if _INT_KEY.fullmatch(part) is None:     # one spelling per key ("7", not "07" or "7_0")
            raise ValueError
        return int(part)
    return part


_INT_KEY = re.compile(r"-?(0|[1-9][0-9]{0,19})", re.ASCII)


# --- from JSON to Python values (the store's side) ------------------------------------------

_UNKNOWN_SAFETY = uuid.SafeUUID.unknown     # an enum member looked up once (each lookup costs)


def parse_uuid(v: str) -> uuid.UUID:
    """``uuid.UUID(v)``; a UUID in the canonical spelling (how every side writes them) is
    made without UUID's own parsing, which costs a pull of 100k rows seconds."""
    if len(v) == 36 and _CANONICAL_UUID.fullmatch(v):
        u = object.__new__(uuid.UUID)
        object.__setattr__(u, "int", int(v.replace("-", ""), 16))
        object.__setattr__(u, "is_safe", _UNKNOWN_SAFETY)
        return u
    return uuid.UUID(v)


def _decoder(col: Column[Any]) -> Callable[[Any], Any]:

    t = col.type
    if isinstance(t, Uuid):
        return lambda v: parse_uuid(v) if isinstance(v, str) else v
    if isinstance(t, (UTCDateTime, DateTime)):
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(t, Date):
        return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(t, LargeBinary):
        return lambda v: base64.b64decode(v["$b64"]) if isinstance(v, dict) else v
    if isinstance(t, Numeric):
        return lambda v: Decimal(v) if isinstance(v, (str, int)) else v
    if isinstance(t, (Integer, BigInteger, SmallInteger)):
        return lambda v: int(v) if isinstance(v, str) else v
    return lambda v: v


@lru_cache(maxsize=None)
def _decoders(entity: str) -> dict[str, Callable[[Any], Any]]:
    return {c.name: _decoder(c) for c in table(entity).columns}


def decode_row(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """JSON field values (as the outbox wrote them) → values for the table's columns."""
    dec = _decoders(entity)
    return {k: (None if v is None else dec[k](v)) for k, v in data.items() if k in dec}


def key_values(entity: str, entity_id: str) -> dict[str, Any]:
    return decode_row(entity, split_id(entity, entity_id))


def columns(entity: str) -> Iterable[str]:
    return [c.name for c in table(entity).columns]
