"""HQ's JSON field values straight to the values the store's driver binds.

:func:`core.sync.merge.decode_row` turns JSON into Python values (a ``uuid.UUID``, an aware
``datetime``), and SQLAlchemy's bind processors then turn those into what SQLite stores (32
hex digits, naive UTC text). A pull applies every field of every row that way; doing both
steps in one function per column, with the common case of a UUID in its canonical spelling
turned into hex without building a ``uuid.UUID``, is what :mod:`core.sync.apply` hands to the
driver's executemany. The values are exactly those SQLAlchemy would bind (tests check this).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Any, Callable

import orjson
from sqlalchemy import JSON, Column, Date, DateTime, Dialect, Integer, LargeBinary, Numeric, Uuid

from core.models.base import UTCDateTime
from core.sync import merge

Convert = Callable[[Any], Any]
ConvertMany = Callable[[list[Any]], list[Any]]     # a column's values at once, as Convert each

_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)
_UTC_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00", re.ASCII)
_UUIDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                    r"(?:\n[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})*", re.ASCII)
_UTC_ISOS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?\+00:00"
                       r"(?:\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?\+00:00)*", re.ASCII)
_cache: dict[tuple[str, str], dict[str, Convert]] = {}
_many_cache: dict[tuple[str, str], dict[str, ConvertMany]] = {}


def _converter(col: Column[Any], dialect: Dialect) -> Convert:
    decode = merge._decoder(col)
    proc = col.type._cached_bind_processor(dialect)
    if proc is None:
        return lambda v: None if v is None else decode(v)
    if isinstance(col.type, Uuid) and proc(uuid.UUID(int=0)) == "0" * 32:
        def uuid_hex(v: Any) -> Any:
            if v.__class__ is str and len(v) == 36 and _CANONICAL.fullmatch(v):
                return v.replace("-", "")
            return proc(None if v is None else decode(v))
        return uuid_hex
    if isinstance(col.type, UTCDateTime) and proc(datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=timezone.utc)) \
            == "2001-02-03 04:05:06.000007":
        def utc_text(v: Any) -> Any:
            # what outbox.jsonable writes for a UTC time, "2001-02-03T04:05:06[.000007]+00:00",
            # to what SQLAlchemy stores for it, "2001-02-03 04:05:06.000007"
            if v.__class__ is str and v.endswith("+00:00") and _UTC_ISO.fullmatch(v):
                datetime.fromisoformat(v)            # a real date and time (ValueError if not)
                return f"{v[:10]} {v[11:19]}.{v[20:26] if len(v) == 32 else '000000'}"
            return proc(None if v is None else decode(v))
        return utc_text
    if isinstance(col.type, JSON):
        def json_text(v: Any) -> Any:
            # orjson's text (compact, UTF-8) for what json.dumps would write: the same value
            # when read back, at a tenth of the cost; what orjson cannot write goes as before
            if v is not None:
                try:
                    return orjson.dumps(v).decode()
                except TypeError:
                    pass
            return proc(None if v is None else decode(v))
        return json_text
    return lambda v: proc(None if v is None else decode(v))


def converters(entity: str, dialect: Dialect) -> dict[str, Convert]:
    """Column name → JSON value to bound value, for every column of ``entity``. Raises what
    the decoders raise (ValueError, TypeError, AttributeError) for a value that does not fit."""
    key = (entity, dialect.name)
    got = _cache.get(key)
    if got is None:
        got = _cache[key] = {c.name: _converter(c, dialect) for c in merge.table(entity).columns}
    return got


def _many(col: Column[Any], dialect: Dialect, one: Convert) -> ConvertMany:
    """``one`` over a list of values, with the common cases checked for the whole column in
    one regular-expression match instead of one per value (what :mod:`core.sync.apply`
    does with a page's column); anything else, value by value."""
    def each(vs: list[Any]) -> list[Any]:
        return [one(v) for v in vs]
    proc = col.type._cached_bind_processor(dialect)
    if proc is None and not isinstance(col.type, (Uuid, DateTime, Date, LargeBinary, Numeric, Integer, JSON)):
        return lambda vs: vs            # text as it came (no decoder, no bind processor)
    if isinstance(col.type, Uuid) and one("00000000-0000-0000-0000-000000000000") == "0" * 32:
        def uuids(vs: list[Any]) -> list[Any]:
            try:
                joined = "\n".join(vs)          # TypeError: a None (or not text) among them
            except TypeError:
                return each(vs)
            if _UUIDS.fullmatch(joined):
                out = joined.replace("-", "").split("\n")
                if len(out) == len(vs):     # a value holding a line break would split in two
                    return out
            return each(vs)
        return uuids
    if isinstance(col.type, UTCDateTime) and one("2001-02-03T04:05:06.000007+00:00") == "2001-02-03 04:05:06.000007":
        def utc(vs: list[Any]) -> list[Any]:
            try:
                joined = "\n".join(vs)
            except TypeError:
                return each(vs)
            if not _UTC_ISOS.fullmatch(joined) or joined.count("\n") != len(vs) - 1:
                return each(vs)
            for v in vs:
                datetime.fromisoformat(v)            # a real date and time (ValueError if not)
            return [f"{v[:10]} {v[11:19]}.{v[20:26] if len(v) == 32 else '000000'}" for v in vs]
        return utc
    return each


def converters_many(entity: str, dialect: Dialect) -> dict[str, ConvertMany]:
    """As :func:`converters`, a column's values at once (the same values, the same errors)."""
    key = (entity, dialect.name)
    got = _many_cache.get(key)
    if got is None:
        one = converters(entity, dialect)
        got = _many_cache[key] = {c.name: _many(c, dialect, one[c.name]) for c in merge.table(entity).columns}
    return got
