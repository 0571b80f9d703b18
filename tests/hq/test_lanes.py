"""Lanes (issue 25, hq.lanes): no sequence row every batch waits on, a pull cursor per lane,
and the partitioned schema (migration hq0014)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import psycopg
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from core import clock
from core.sync.hlc import Timestamp
from hq import lanes, service
from hq.common import BadRequest, LANES, StoreAuth, lane_heads, lane_of, lock_lanes
from hq.db import make_engine, normalise_url
from hq.models import hq_row

from .conftest import PG_ADMIN, pg_url


def _store_in_lane(hq, code: str, avoid: set[int]) -> StoreAuth:
    """An enrolled store whose lane is none of ``avoid``."""
    while True:
        sid = uuid.uuid4()
        if lane_of(sid) not in avoid:
            break
    one_time = service.create_enrolment(hq.engine, code, f"Store {code}")
    service.enrol(hq.engine, one_time, code, str(sid))
    return StoreAuth(sid, code, False)


def _customer_op(store: StoreAuth, cid: str, given: str, at_ms: int, n: int = 0) -> dict:
    at = datetime.fromtimestamp(at_ms / 1000, timezone.utc).isoformat()
    return {"op_id": str(uuid.uuid4()), "entity": "customer", "entity_id": cid, "op": "insert",
            "fields": {"id": cid, "home_store_id": str(store.store_id), "given_name": given, "family_name": "Lee",
                       "created_at": at, "updated_at": at},
            "hlc": Timestamp(at_ms, n, "s" + store.code.lower()).encode()}


def _push(hq, store: StoreAuth, ops: list[dict], engine=None) -> dict:
    return service.push(engine or hq.engine, store, {"batch_id": str(uuid.uuid4()), "ops": ops})


def test_the_cursor_token_reads_back_and_refuses_what_hq_did_not_give():
    cursor = {0: 7, 5: 2**40, 63: 1}
    token = lanes.encode(cursor)
    assert token.startswith("v2.") and lanes.decode(token) == cursor
    assert lanes.decode("0") == lanes.decode(None) == lanes.decode("v2.") == {}
    # a cursor from before the lanes: that number in every lane (migration hq0014 kept seqs)
    assert lanes.decode("12") == {lane: 12 for lane in range(LANES)}
    for bad in ("v2.40-1", "v2.1-1.1-2", "v1.1-1", "x", "v2.1-" + "f" * 17, "-1", "v2." + "1-1." * 1000):
        with pytest.raises(BadRequest):
            lanes.decode(bad)


def test_a_lane_is_a_stable_hash_of_the_store_and_the_same_in_sql(hq):
    from importlib import import_module
    mig = import_module("hq.migrations.versions.hq0014_lanes_and_partitions")
    ids = [uuid.uuid4() for _ in range(200)] + [uuid.UUID(int=0), uuid.UUID("ffffffff-ffff-4fff-bfff-ffffffffffff")]
    assert lane_of(None) == 0 and {lane_of(i) for i in ids} <= set(range(1, LANES))
    with hq.engine.connect() as conn:
        for i in ids:
            assert conn.scalar(text(f"SELECT {mig._lane_sql(':t')}"), {"t": str(i)}) == lane_of(i) == mig._lane_py(i)
        assert conn.scalar(text(f"SELECT {mig._lane_sql(':t')}"), {"t": "not a uuid"}) is None
        parts = conn.scalar(text("SELECT count(*) FROM pg_inherits WHERE inhparent = 'hq_row'::regclass"))
    assert parts == mig.PARTITIONS, "hq_row is partitioned by HASH(lane)"


def test_a_batch_does_not_wait_for_another_stores_lane(hq):
    a = _store_in_lane(hq, "LA", set())
    b = _store_in_lane(hq, "LB", {lane_of(a.store_id)})
    now = clock.now_ms()
    impatient = create_engine(normalise_url(hq.db_url), connect_args={"options": "-c lock_timeout=2s"})
    try:
        with hq.engine.connect() as other, other.begin():
            lock_lanes(other, [lane_of(a.store_id)])     # a batch of A's lane is committing
            answer = _push(hq, b, [_customer_op(b, str(uuid.uuid4()), "Bo", now)], impatient)
            assert answer["accepted"] == 1, "B's batch went through beside it"
            with pytest.raises(OperationalError, match="lock timeout"):
                _push(hq, a, [_customer_op(a, str(uuid.uuid4()), "Al", now)], impatient)
    finally:
        impatient.dispose()
    answer = _push(hq, a, [_customer_op(a, str(uuid.uuid4()), "Al", now)])
    assert answer["accepted"] == 1


def test_sequences_count_per_lane_and_a_pull_pages_through_them(hq):
    a = _store_in_lane(hq, "PA", set())
    b = _store_in_lane(hq, "PB", {lane_of(a.store_id)})
    now = clock.now_ms()
    mine = [str(uuid.uuid4()) for _ in range(7)]
    _push(hq, a, [_customer_op(a, c, f"A{i}", now, i) for i, c in enumerate(mine)])
    _push(hq, b, [_customer_op(b, str(uuid.uuid4()), "B", now)])
    with hq.engine.connect() as conn:
        rows = conn.execute(select(hq_row.c.lane, hq_row.c.seq, hq_row.c.entity_id)
                            .where(hq_row.c.entity == "customer")).all()
        heads = lane_heads(conn)
    in_a = sorted(r.seq for r in rows if r.entity_id in mine)
    assert {r.lane for r in rows if r.entity_id in mine} == {lane_of(a.store_id)}, "a customer: home store's lane"
    assert in_a == list(range(in_a[0], in_a[0] + 7)) and heads[lane_of(a.store_id)] == in_a[-1]
    seen: list[str] = []
    after: str | int = 0
    pages = 0
    while True:
        page = service.pull(hq.engine, a, after, 3)
        seen += [r["id"] for r in page["rows"] if r["entity"] == "customer"]
        after = page["next"]
        pages += 1
        if not page["more"]:
            break
    assert sorted(seen) == sorted(mine) and len(seen) == 7 and pages == 3, "B's customer is not A's"
    assert lanes.decode(after)[lane_of(a.store_id)] == heads[lane_of(a.store_id)]
    assert service.pull(hq.engine, a, after)["rows"] == [], "nothing again"
    late = str(uuid.uuid4())
    _push(hq, a, [_customer_op(a, late, "Late", now + 1)])
    assert [r["id"] for r in service.pull(hq.engine, a, after)["rows"]] == [late]
    # a cursor from before the lanes still works (every lane at that number)
    assert {r["id"] for r in service.pull(hq.engine, a, 0)["rows"] if r["entity"] == "customer"} == {*mine, late}
    assert service.status(hq.engine)[0] == sum(lane_heads(hq.engine.connect()).values())


def test_the_migration_keeps_every_row_and_its_sequence_in_its_lane():
    """hq0013 -> hq0014 on PostgreSQL with rows in place: lanes from the store (a customer's
    row from its home store), every lane above the old head, old cursors exact."""
    from alembic import command
    from alembic.config import Config

    from hq.db import MIGRATIONS
    name = f"orchard_hq_lanes_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_url(name))
    try:
        home, other = uuid.uuid4(), uuid.uuid4()
        cid, tid = uuid.uuid4(), str(uuid.uuid4())
        with engine.connect() as conn, conn.begin():
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "hq0013")
            conn.execute(text("INSERT INTO hq_state (key, num, text) VALUES ('seq', 41, ''), ('hlc', 0, 'h')"))
            conn.execute(text(
                "INSERT INTO hq_row (entity, entity_id, seq, bucket, owner_store_id, customer_id, deleted, data, "
                "stamps) VALUES ('customer', :c, 3, 'c', NULL, :cu, false, :d, '{}'), "
                "('loyalty_account', 'acc', 9, 'c', NULL, :cu, false, '{}', '{}'), "
                "('repair_ticket', :t, 40, 's', :o, :cu, false, '{}', '{}'), "
                "('service_type', 'x', 41, 'g', NULL, NULL, false, '{}', '{}')"),
                {"c": str(cid), "cu": cid, "d": f'{{"home_store_id": "{home}"}}', "t": tid, "o": other})
            conn.execute(text("INSERT INTO hq_served (store_id, customer_id) VALUES (:s, :c)"),
                         {"s": other, "c": cid})
            command.upgrade(cfg, "head")
        with engine.connect() as conn:
            got = {r.entity: (r.lane, r.seq) for r in conn.execute(select(hq_row))}
            heads = lane_heads(conn)
            served = conn.execute(text("SELECT lane FROM hq_served")).scalar()
        assert got == {"customer": (lane_of(home), 3), "loyalty_account": (lane_of(home), 9),
                       "repair_ticket": (lane_of(other), 40), "service_type": (0, 41)}
        assert set(heads.values()) == {41} and len(heads) == LANES and served == lane_of(other)
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
