"""Which ``limit`` customers a scan returns, and in what order, does not depend on the
query plan (core.search): a phone tail lists by the whole number, a name by its folded
key, each then by name and the latest visit first (namesakes, a shared number); a serial
prefix by the serial, then by rowid; customers with the same initials as namesakes (by
name, the latest visit first). The ORDER BY follows the index each scan walks, so it adds
no sort, and a name, initials, pinyin, email or phone scan answers from its index alone
(migrations 0021, 0022: no customer or loyalty row is read, issue 25)."""

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


def test_the_same_initials_list_as_namesakes(crowded):
    """Nine 张伟, none visited yet: by name, then by phone (stored in another order)."""
    db, admin, made = crowded
    ids, kinds = _ids(db, admin, "zw")
    assert kinds == {"pinyin"}
    assert ids == [cid for cid, _, _ in sorted(made, key=lambda m: m[1])][:LIMIT]
    assert ids != [cid for cid, _, _ in made][:LIMIT], "the stored order is not the phone order"
    assert _ids(db, admin, "zw")[0] == ids


# every scan core.search runs, with parameters of its kind
COVERED = [
    (search._PHONE_SQL, ("1234", "%1234")),
    *[(search._prefix_sql(expr), (key, key + search.TOP)) for expr, key in [
        ("orchard_fold(c.family_name || c.given_name)", "张"),
        ("orchard_fold(c.given_name)", "伟"),
        ("orchard_fold(c.given_name || ' ' || c.family_name)", "wei"),
        ("orchard_fold(c.family_name)", "zhang"),
        ("replace(c.name_pinyin, ' ', '')", "zhangw"),
        ("lower(c.email)", "wei@"),
    ]],
    (search._equal_sql("c.name_initials"), ("zw",)),
]
SCANS = [
    *COVERED,
    (search._device_sql("d.imei", False), ("356938035643809",)),
    (search._device_sql("upper(d.serial)", True), ("SERX", "SERX" + search.TOP)),
    (search._MEMBER_SQL, ("10000001",)),
]


@pytest.mark.parametrize("sql, params", SCANS)
def test_the_order_follows_the_index(crowded, sql, params):
    db, _, _ = crowded
    with db.session() as s:
        raw = s.connection().connection.driver_connection
        plan = [r[-1] for r in raw.execute(f"EXPLAIN QUERY PLAN {sql}", (*params, json.dumps([1]), LIMIT))]
    # SQLite words a sort as FOR ORDER BY, FOR RIGHT PART OF ORDER BY, FOR LAST n TERMS OF ORDER BY
    assert not any("TEMP B-TREE" in step and "ORDER BY" in step for step in plan), plan


def _row_reads(db, sql, params):
    """What the statement's program reads from a customer or loyalty row: (opcode, table)."""
    with db.session() as s:
        raw = s.connection().connection.driver_connection
        roots = {page: name for name, page in raw.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE type = 'table' "
            "AND name IN ('customer', 'loyalty_account')")}
        program = list(raw.execute(f"EXPLAIN {sql}", (*params, json.dumps([1]), LIMIT)))
    tables = {p1: roots[p2] for _, op, p1, p2, *_ in program if op == "OpenRead" and p2 in roots}
    return [(op, tables[p1]) for _, op, p1, *_ in program
            if p1 in tables and op in ("Column", "Rowid", "SeekRowid", "NotExists", "SeekGE", "SeekGT",
                                       "Rewind", "Next", "Found", "NotFound")]


@pytest.mark.parametrize("sql, params", COVERED)
def test_a_name_pinyin_email_or_phone_scan_reads_no_row(crowded, sql, params):
    """The statement's program never reads a column of a customer or loyalty row: they come
    from the covering index (where the customer cursor is opened at all, it is positioned
    lazily and never read, which costs nothing)."""
    db, _, _ = crowded
    assert _row_reads(db, sql, params) == []
    # the same check sees the row reads of a scan whose index does not carry the line
    assert ("Column", "customer") in _row_reads(db, search._device_sql("upper(d.serial)", True),
                                                ("SERX", "SERX" + search.TOP))


def test_namesakes_and_a_shared_number_list_by_name_then_the_latest_visit(store_setup):
    """Customers whose keys are equal: by the name as written, then the latest visit first
    (never visited last), whichever was stored first."""
    from datetime import datetime, timezone
    from sqlalchemy import update
    from core.models import Customer
    db, _, admin = store_setup
    people = [("伟", "张", "13800001111", datetime(2026, 3, 1, tzinfo=timezone.utc)),
              ("偉", "張", "13800001111", datetime(2026, 9, 1, tzinfo=timezone.utc)),
              ("伟", "张", "13800001111", None),
              ("伟", "张", "13800001111", datetime(2026, 9, 1, tzinfo=timezone.utc)),
              ("伟", "张", "13800002222", datetime(2025, 1, 1, tzinfo=timezone.utc))]
    made = {}
    with db.session(write=True) as s:
        for n, (given, family, phone, visit) in enumerate(people):
            c = customers.create_customer(s, admin, given_name=given, family_name=family, phone=phone)
            s.execute(update(Customer).where(Customer.id == c.id).values(last_visit_at=visit))
            made[n] = c.id
    expected_name = [made[n] for n in (3, 0, 4, 2, 1)]       # 张伟 by visit, then 張偉
    with db.session() as s:
        assert [r.id for r in search.lookup(s, admin, "张伟")] == expected_name
        assert [r.id for r in search.lookup(s, admin, "張偉", 2)] == expected_name[:2]
        assert [r.id for r in search.lookup(s, admin, "1111")] == [made[n] for n in (3, 0, 2, 1)]
