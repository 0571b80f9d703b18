"""Issue 19 review fixes at HQ: a look-up locks the customer's profile (as a push about them
does) only when a store starts to serve someone; an erasure finds the profiles merged into a customer through an index;
an erasure at HQ after HQ's clock went back still erases; HQ names a customer as the
stores do. Against HQ's real PostgreSQL database (tests/hq/conftest.py)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, event, select, update
from sqlalchemy.exc import OperationalError

from core import clock, privacy
from core.models import Customer
from core.sync.hlc import Timestamp
from core.sync.merge import MAX_CLOCK_AHEAD_MS, max_stamp
from hq import dsr, fetch
from hq.console import roles
from hq.db import normalise_url
from hq.common import lane_heads, lane_of
from hq.models import hq_lane, hq_row, hq_served
from hq.push import HQ_NODE
from hq.push_merge import _Batch
from tests.hq.test_faults import make_customer
from tests.hq.util import auth_of, hq_rows

PHONE = "+8613800138000"
TWO_DAYS_MS = 2 * 86_400_000


def _impatient_engine(hq):
    """HQ's database, giving up on any lock after two seconds (a look-up that waits for the
    profile lock held below fails instead of hanging)."""
    return create_engine(normalise_url(hq.db_url), connect_args={"options": "-c lock_timeout=2s"})


def _seq(hq, store_id) -> int:
    """The head of the lane of a store's customers (hq.lanes)."""
    with hq.engine.connect() as conn:
        return lane_heads(conn).get(lane_of(store_id), 0)


def test_a_look_up_that_serves_nobody_new_does_not_wait_for_a_push(hq, make_store):
    a, b = make_store("SA", hq), make_store("SB", hq)
    cid = make_customer(a)
    a.sync()
    engine = _impatient_engine(hq)
    try:
        with hq.engine.connect() as pushing, pushing.begin():
            # a push is merging a long batch about the customer (it holds their profile)
            pushing.execute(select(hq_row.c.seq).where(hq_row.c.entity == "customer",
                                                       hq_row.c.entity_id == str(cid)).with_for_update()).all()
            nobody = fetch.lookup_customer(engine, auth_of(b), phone="+8613900000000",
                                           staff_id=b.admin.staff_id)
            assert nobody["customers"] == [] and nobody["rows"] == []
            own = fetch.lookup_customer(engine, auth_of(a), phone=PHONE, staff_id=a.admin.staff_id, limit=2)
            assert own["customers"] == [str(cid)]
            assert any(r["entity"] == "customer" and r["id"] == str(cid) for r in own["rows"])
            with pytest.raises(fetch.FetchRateLimited):
                fetch.lookup_customer(engine, auth_of(a), phone=PHONE, staff_id=a.admin.staff_id, limit=1)
            # a store starting to serve the customer does take the lock (and so waits for the push)
            with pytest.raises(OperationalError, match="lock timeout"):
                fetch.lookup_customer(engine, auth_of(b), phone=PHONE, staff_id=b.admin.staff_id)
        head = _seq(hq, a.store_id)
        found = fetch.lookup_customer(engine, auth_of(b), phone=PHONE, staff_id=b.admin.staff_id)
    finally:
        engine.dispose()
    assert found["customers"] == [str(cid)]
    assert {r["id"] for r in found["rows"] if r["entity"] == "customer"} == {str(cid)}
    assert min(r["seq"] for r in found["rows"]) > head, "the customer moved to the head of its lane"
    with hq.engine.connect() as conn:
        assert conn.scalar(select(hq_served.c.store_id).where(
            hq_served.c.store_id == b.store_id, hq_served.c.customer_id == cid)) == b.store_id
    b.sync()
    with b.db.session() as s:
        assert s.get(Customer, cid).given_name == "Ann"


def test_an_erasure_finds_profiles_merged_in_through_the_index(hq, make_store):
    a = make_store("SA", hq)
    ann = make_customer(a)
    bo = make_customer(a, given_name="Bo", phone="13800138002")
    with a.db.session(write=True) as s:
        privacy.merge_customers(s, a.admin, ann, bo)
    a.sync()
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        if "merged_into_id" in statement:
            statements.append((statement, parameters))

    with hq.engine.connect() as conn:
        event.listen(conn, "before_cursor_execute", seen)
        person = _Batch(conn, auth_of(a), clock.now_ms(), MAX_CLOCK_AHEAD_MS)._person(ann)
        event.remove(conn, "before_cursor_execute", seen)
        assert person == {ann, bo}
        assert statements
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
            # hq_row is partitioned (migration hq0014): each partition's copy of the index
            assert "Seq Scan" not in plan and "Index Scan" in plan and "merged_into_id" in plan, plan


def test_an_erasure_at_hq_after_hqs_clock_went_back(hq, make_store):
    a = make_store("SA", hq)
    with clock.pinned(clock.system_clock()):
        cid = make_customer(a)
        a.sync()
        newest = max_stamp(hq_rows(hq, "customer")[str(cid)]["stamps"])
        behind = clock.now_ms() - TWO_DAYS_MS           # HQ's clock was put back two days, and the
        with hq.engine.begin() as conn:                 # clock it recorded is behind the row's stamps
            conn.execute(update(hq_lane).values(hlc=Timestamp(behind, 0, HQ_NODE).encode()))

        dsr.erase(hq.engine, cid, dsr.hq_author(1, roles.ADMIN), now_ms=behind)

        row = hq_rows(hq, "customer")[str(cid)]
        assert row["data"]["erased"] is True and row["data"]["given_name"] == ""
        assert Timestamp.decode(row["stamps"]["erased"]).encode() > newest
        a.sync()
        with a.db.session() as s:
            c = s.get(Customer, cid)
            assert c.erased and c.given_name == "" and c.phone_e164 is None


@pytest.mark.parametrize("given, family", [("\u3400", "Li"), ("伟", "张"), ("Ann", "Lee"), ("", "Lee")])
def test_hq_names_a_customer_as_the_stores_do(given, family):
    store = Customer(id=uuid.uuid4(), given_name=given, family_name=family).display_name
    assert dsr.display_name({"given_name": given, "family_name": family}) == store
