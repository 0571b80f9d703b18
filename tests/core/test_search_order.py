"""Which ``limit`` customers a scan returns, and in what order, does not depend on the
query plan (core.search): a phone tail lists by the whole number, a serial prefix by the
serial, same initials in the order the customers were stored, each then by rowid; and the
ORDER BY follows the index each scan walks, so it adds no sort."""

from __future__ import annotations

import json
import random

import pytest

from core import customers, search
from core.models import Device

LIMIT = 5


@pytest.fixture
def crowded(store_setup):
    """Nine customers each sharing a phone tail, a serial prefix and name initials with the
    others, stored in a shuffled order (rowid order is neither phone nor serial order)."""
    db, _, admin = store_setup
    rng = random.Random(25)
    middles = list(range(1, 10))
    rng.shuffle(middles)
    made = []
    with db.session(write=True) as s:
        for i, m in enumerate(middles):
            c = customers.create_customer(s, admin, given_name="伟", family_name="张", phone=f"1380{m}001234")
            s.add(Device(customer_id=c.id, kind="phone", model="Phone", serial=f"SERX0{(m * 7) % 10}{i}AB"))
            made.append((c.id, f"+861380{m}001234", f"SERX0{(m * 7) % 10}{i}AB"))
    return db, admin, made


def _ids(db, admin, query):
    with db.session() as s:
        rows = search.lookup(s, admin, query, LIMIT)
    return [r.id for r in rows], {r.matched for r in rows}


def test_a_shared_phone_tail_lists_by_the_whole_number(crowded):
    db, admin, made = crowded
    ids, kinds = _ids(db, admin, "1234")
    assert kinds == {"phone"}
    assert ids == [cid for cid, _, _ in sorted(made, key=lambda m: m[1])][:LIMIT]
    assert _ids(db, admin, "1234")[0] == ids


def test_a_shared_serial_prefix_lists_by_the_serial(crowded):
    db, admin, made = crowded
    ids, kinds = _ids(db, admin, "serx0")
    assert kinds == {"serial"}
    assert ids == [cid for cid, _, _ in sorted(made, key=lambda m: m[2])][:LIMIT]
    assert _ids(db, admin, "SERX0")[0] == ids


def test_the_same_initials_list_in_the_order_stored(crowded):
    db, admin, made = crowded
    ids, kinds = _ids(db, admin, "zw")
    assert kinds == {"pinyin"}
    assert ids == [cid for cid, _, _ in made][:LIMIT]
    assert _ids(db, admin, "zw")[0] == ids


@pytest.mark.parametrize("sql, params", [
    (search._equal_sql("c.name_initials"), ("zw",)),
    (search._PHONE_SQL, ("1234", "%1234")),
    (search._device_sql("d.imei", False), ("356938035643809",)),
    (search._device_sql("upper(d.serial)", True), ("SERX", "SERX" + search.TOP)),
])
def test_the_order_follows_the_index(crowded, sql, params):
    db, _, _ = crowded
    with db.session() as s:
        raw = s.connection().connection.driver_connection
        plan = [r[-1] for r in raw.execute(f"EXPLAIN QUERY PLAN {sql}", (*params, json.dumps([1]), LIMIT))]
    assert not any("TEMP B-TREE FOR ORDER BY" in step or "TEMP B-TREE FOR RIGHT PART" in step
                   for step in plan), plan
