"""A pull binds HQ's JSON values through core.sync.params: exactly the values SQLAlchemy
would bind after core.sync.merge.decode_row, and the same refusals for values that do not fit."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import create_engine

from core.sync import merge, params
from tests.store_util import pulled_customer_row, two_customers

SAMPLES = {
    "Uuid": [str(uuid.uuid4()), str(uuid.uuid4()).upper(), uuid.uuid4().hex, "{%s}" % uuid.uuid4(), None],
    "UTCDateTime": ["2026-01-02T03:04:05.123456+00:00", "2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05+08:00",
                    "2026-01-02T03:04:05.000001-05:30", None],
    "Date": ["2026-01-02", None],
    "Boolean": [True, False, None],
    "Integer": [3, "4", -7, None],
    "JSON": [{"a": 1, "b": [1, "x"]}, [1, 2], None],
    "String": ["x", "", "名字", None],
}
BAD = {"Uuid": ["not-a-uuid", "6c3e68c8-3b95-4db1-94f1-b41da8e2507"],
       "UTCDateTime": ["2026-13-02T03:04:05+00:00", "yesterday"]}


def test_bound_values_are_sqlalchemys():
    dialect = create_engine("sqlite://").dialect
    checked = 0
    for entity, table in merge.synced_tables().items():
        conv = params.converters(entity, dialect)
        for col in table.columns:
            proc = col.type._cached_bind_processor(dialect)
            for value in SAMPLES.get(type(col.type).__name__, []):
                decoded = merge.decode_row(entity, {col.name: value})[col.name]
                want, got = (proc(decoded) if proc else decoded), conv[col.name](value)
                if type(col.type).__name__ == "JSON":      # the same value, orjson's spelling
                    want, got = json.loads(want), json.loads(got)
                assert got == want, (entity, col.name, value)
                checked += 1
            for value in BAD.get(type(col.type).__name__, []):
                with pytest.raises(ValueError):
                    merge.decode_row(entity, {col.name: value})
                with pytest.raises(ValueError):
                    conv[col.name](value)
    assert checked > 500


def test_parse_uuid_is_uuids():
    for text in (str(uuid.uuid4()), str(uuid.UUID(int=0)), str(uuid.UUID(int=2**128 - 1))):
        u = merge.parse_uuid(text)
        assert u == uuid.UUID(text) and hash(u) == hash(uuid.UUID(text)) and str(u) == text
        assert u.is_safe == uuid.UUID(text).is_safe
    assert merge.parse_uuid(str(uuid.UUID(int=5)).upper()) == uuid.UUID(int=5)
    with pytest.raises(ValueError):
        merge.parse_uuid("zz")


HQ_STAMP = "999999999999999-000000-hq"       # newer than any edit made here


def _row(customer, **data):
    return pulled_customer_row(customer, HQ_STAMP, **data)


def test_pulled_rows_change_only_what_differs(store_setup, still_clock):
    """A pulled row already here is updated column by column (only what differs), one the same
    is left alone, a new one is inserted; the outcome is the upsert's."""
    from sqlalchemy import select
    from core.models import Customer
    from core.sync.apply import apply_rows
    db, store_id, _ = store_setup
    a, b = two_customers(db, store_id)
    new_id = str(uuid.uuid4())
    new = _row(b, id=new_id, given_name="Cai", family_name="Ma", address="", email=None)
    traced: list[str] = []

    def trace(conn, cursor, statement, *args):
        traced.append(statement)
    from sqlalchemy import event
    event.listen(db.bulk_engine, "before_cursor_execute", trace)
    try:
        result = apply_rows(db, [_row(a, address="9 New Road"), _row(b), new])
    finally:
        event.remove(db.bulk_engine, "before_cursor_execute", trace)
    assert result.upserted == 3 and not result.errors
    updates = [t for t in traced if t.startswith('UPDATE "customer"')]
    assert updates == ['UPDATE "customer" SET "address" = ? WHERE "id" = ?']     # only a's address
    with db.session() as s:
        got = {c.given_name: (c.address, c.email) for c in s.scalars(select(Customer))}
    assert got["Ann"] == ("9 New Road", "a@x.cn") and got["Bob"] == ("2 Road", "b@x.cn") and got["Cai"] == ("", None)


def test_a_whole_column_binds_as_each_value_would():
    """core.sync.apply converts a page's column at once (params.converters_many): the same
    values as one by one, and the same refusal where one value of the column does not fit."""
    dialect = create_engine("sqlite://").dialect
    checked = 0
    for entity, table in merge.synced_tables().items():
        one, many = params.converters(entity, dialect), params.converters_many(entity, dialect)
        for col in table.columns:
            kind = type(col.type).__name__
            good = [v for v in SAMPLES.get(kind, []) if v is not None]
            columns = [good, good + [None], [good[0]] * 3] if good else []
            for values in columns:
                want = [one[col.name](v) for v in values]
                assert many[col.name](list(values)) == want, (entity, col.name, values)
                checked += 1
            for bad in BAD.get(kind, []):
                with pytest.raises(ValueError):
                    many[col.name](good + [bad])
    assert checked > 300


def test_a_value_holding_a_line_break_is_refused_not_split_in_two():
    """A column of ids is checked with one match over the values joined by line breaks: a
    value that itself holds one must not pass as two ids (it would pair every later id with
    the row before it)."""
    dialect = create_engine("sqlite://").dialect
    many = params.converters_many("customer", dialect)["home_store_id"]
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    with pytest.raises(ValueError):
        many([a, f"{b}\n{c}"])
    assert many([a, b]) == [a.replace("-", ""), b.replace("-", "")]
