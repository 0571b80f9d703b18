"""HQ's own writers run again after a conflict PostgreSQL broke (issue 25, hq.retry).

With per-lane sequences (hq.lanes) no single row orders every writer, so HQ's own writes meet
store pushes and each other crosswise: an HQ erasure takes the global lane and then the sales
lock, a sales import chunk the sales lock and then the global lane; a publish, a CRM score
write and a fetch lock rows and lanes a push may hold. Each test makes a real deadlock on the
test run's PostgreSQL: the HQ writer takes lock A and then wants B, another transaction (the
push or import it meets) holds B and wants A. A third transaction holds A until both wait
(pg_stat_activity polled, never slept on), so the HQ writer closes the circle; the other
transaction never looks for a deadlock during the test (``deadlock_timeout`` 1 h), so
PostgreSQL stops the HQ writer (40P01) and lets the other one through. The HQ writer then
completes, exactly once: no duplicate rows, one audit record, one sequence number per row.
A failure that is not a conflict is not run again."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta
from typing import Any, Callable
from unittest import mock

import orjson
import psycopg
import psycopg.errors
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from core import clock
from core.crm.sales import purchase_id
from hq import dsr, publish, retry, service
from hq.common import GLOBAL_LANE, lane_heads, lane_of, lock_lanes
from hq.console import audit, roles
from hq.crm import scores
from hq.db import _json_text, normalise_url
from hq.models import (
    hq_access, hq_console_audit, hq_customer_score, hq_erased, hq_row, hq_sale, hq_sale_line, hq_served,
)
from hq.sales import intake
from tests.hq.test_serving_guard import PHONE, make_customer
from tests.hq.util import auth_of, new_id

APP = "hq-writer-retry-test"
SALES_LOCK = "SELECT pg_advisory_xact_lock(7012026, 25025)"     # hq.common.sales_lock


def lane_lock(lane: int) -> str:
    return f"SELECT seq FROM hq_lane WHERE lane = {int(lane)} FOR UPDATE"


def row_lock(entity: str, entity_id: Any) -> str:
    return f"SELECT 1 FROM hq_row WHERE entity = '{entity}' AND entity_id = '{uuid.UUID(str(entity_id))}' FOR UPDATE"


@pytest.fixture
def writer(hq):
    """An engine for the HQ writer under test, named in pg_stat_activity; it looks for a
    deadlock 100 ms into a wait (the other side: after an hour) and waits at most 30 s."""
    engine = create_engine(normalise_url(hq.db_url), json_serializer=_json_text, json_deserializer=orjson.loads,
                           connect_args={"application_name": APP,
                                         "options": "-c deadlock_timeout=100ms -c lock_timeout=30s"})
    yield engine
    engine.dispose()


@pytest.fixture
def conflicts(caplog) -> Callable[[], list[str]]:
    caplog.set_level(logging.INFO, logger="orchard.hq")
    return lambda: [r.getMessage() for r in caplog.records if "stopped by a conflict" in r.getMessage()]


def _until_waiting(watch: psycopg.Connection, where: str, arg: Any) -> None:
    deadline = time.monotonic() + 30
    while not watch.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            f"AND datname = current_database() AND {where}", (arg,)).fetchone()[0]:
        assert time.monotonic() < deadline, "the transaction never waited for the lock"


def crosswise(hq, action: Callable[[], Any], first: str, second: str) -> Any:
    """Run ``action`` (on the ``writer`` engine; it takes ``first``, then ``second``) against
    another transaction that takes ``second``, then ``first``, so that they deadlock and
    PostgreSQL stops ``action`` (module docstring). Returns what ``action`` returned."""
    outcome: dict[str, Any] = {}
    other_got: list[bool] = []
    taken = threading.Event()
    # the writer's retry (after hq.retry's pause) starts once the other transaction holds
    # ``first``, not before: it waits for it then, as it would behind a real one
    with psycopg.connect(hq.db_url) as gate, psycopg.connect(hq.db_url) as other, \
            psycopg.connect(hq.db_url, autocommit=True) as watch, \
            mock.patch.object(retry, "_pause", lambda _attempt: taken.wait(30)):
        for c in (gate, other):
            c.execute("SET LOCAL lock_timeout = '30s'")
        gate.execute(first)

        def run() -> None:
            try:
                outcome["value"] = action()
            except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
                outcome["error"] = exc
        hq_writer = threading.Thread(target=run)
        hq_writer.start()
        _until_waiting(watch, "application_name = %s", APP)         # the writer waits for ``first``
        other.execute("SET LOCAL deadlock_timeout = '1h'")
        other.execute(second)

        def other_side() -> None:
            other.execute(first)
            other_got.append(True)
            taken.set()
            other.rollback()
        meets = threading.Thread(target=other_side)
        meets.start()
        _until_waiting(watch, "pid = %s", other.info.backend_pid)   # queued behind the writer
        gate.rollback()                     # the writer takes ``first`` and then waits for ``second``
        hq_writer.join(60)
        meets.join(60)
    assert not hq_writer.is_alive() and not meets.is_alive()
    assert other_got == [True], "the transaction the writer met went through"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _lanes(hq, *lanes: int) -> dict[int, int]:
    with hq.engine.connect().execution_options(hq_write=True) as c, c.begin():
        lock_lanes(c, lanes)            # the hq fixture emptied hq_lane: make them
        return {lane: lane_heads(c)[lane] for lane in lanes}


def _count(hq, table, *where) -> int:
    with hq.engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(table).where(*where)))


def _row(hq, entity: str, entity_id: Any):
    with hq.engine.connect() as c:
        return c.execute(select(hq_row).where(hq_row.c.entity == entity,
                                              hq_row.c.entity_id == str(entity_id))).mappings().all()


# --- an HQ erasure and a sales import chunk ---------------------------------------------------

def test_an_hq_erasure_stopped_by_a_sales_import_is_erased_once_and_audited_once(hq, make_store, writer, conflicts):
    a = make_store("SA", hq)
    cid = make_customer(a)
    a.sync()
    _lanes(hq, GLOBAL_LANE)
    calls: list[int] = []

    def audited(conn) -> None:
        calls.append(1)
        audit.record(conn, None, "customer.erase", str(cid))
    # the erasure: the global lane, then the sales lock; the import chunk: the other way round
    crosswise(hq, lambda: dsr.erase(writer, cid, dsr.hq_author(1, roles.ADMIN), on_commit=audited),
              lane_lock(GLOBAL_LANE), SALES_LOCK)
    assert conflicts() == ["HQ erasure stopped by a conflict (sqlstate 40P01); running it again (attempt 2 of 5)"]
    assert _count(hq, hq_erased, hq_erased.c.customer_id == cid) == 1
    assert _count(hq, hq_console_audit, hq_console_audit.c.action == "customer.erase") == 1 and calls == [1]
    [row] = _row(hq, "customer", cid)
    assert row["data"]["erased"] is True and row["data"]["given_name"] == ""


def test_a_sales_chunk_stopped_by_an_hq_erasure_is_imported_once(hq, make_store, writer, conflicts):
    a = make_store("SA", hq)
    cid = make_customer(a)
    a.sync()
    _lanes(hq, GLOBAL_LANE)
    now = clock.now()
    raw = {"receipt_id": "R-25-1", "store": "SA", "at": (now - timedelta(hours=1)).isoformat(), "currency": "CNY",
           "total_cents": 129_900, "phone": PHONE,
           "lines": [{"sku": "IP16-128", "description": "iPhone 16 128 GB", "qty": 1, "amount_cents": 129_900}]}
    with hq.engine.connect() as c:
        sale = intake.parse(raw, intake.stores(c), now=now)
    # the chunk: the sales lock, then the global lane (its purchase row); an erasure: the other way round
    [out] = crosswise(hq, lambda: intake.store_sales(writer, [sale], source="api", now=now),
                      SALES_LOCK, lane_lock(GLOBAL_LANE))
    assert conflicts() == ["sales import chunk stopped by a conflict (sqlstate 40P01); running it again "
                           "(attempt 2 of 5)"]
    assert (out.status, out.match, out.customer_id) == (intake.IMPORTED, "phone", cid), "not taken for a duplicate"
    assert _count(hq, hq_sale) == 1 and _count(hq, hq_sale_line) == 1
    [purchase] = _row(hq, "purchase", purchase_id("R-25-1"))
    assert purchase["data"]["customer_id"] == str(cid) and purchase["data"]["total_cents"] == 129_900


# --- publish, CRM scores and fetch against a push holding the same rows -------------------------

def test_a_publish_stopped_by_a_push_holding_its_row_is_written_once(hq, writer, conflicts):
    sid = new_id()
    data = {"id": str(sid), "code": "battery_swap", "name": "Battery swap", "duration_min": 40, "buffer_min": 5,
            "required_skill": "battery", "price_cents": 4900, "is_repair": True, "active": True}
    publish.publish(hq.engine, [publish.Change("service_type", str(sid), data)])
    before = _lanes(hq, GLOBAL_LANE)[GLOBAL_LANE]
    # the publish: the global lane, then the row; a publisher store's push holds the row, then the lane
    crosswise(hq, lambda: publish.publish(writer, [publish.Change("service_type", str(sid),
                                                                  {**data, "price_cents": 5900})]),
              lane_lock(GLOBAL_LANE), row_lock("service_type", sid))
    assert conflicts() == ["HQ publish stopped by a conflict (sqlstate 40P01); running it again (attempt 2 of 5)"]
    [row] = _row(hq, "service_type", sid)
    after = _lanes(hq, GLOBAL_LANE)[GLOBAL_LANE]
    assert row["data"]["price_cents"] == 5900
    assert after == before + 1 and row["seq"] == after, "one sequence number: written once"


def test_a_crm_score_write_stopped_by_a_push_holding_the_customer_is_written_once(hq, make_store, writer,
                                                                                conflicts):
    a = make_store("SA", hq)
    cid = make_customer(a)
    a.sync()
    lane = lane_of(a.store_id)
    before = _lanes(hq, GLOBAL_LANE, lane)[lane]
    with hq.engine.begin() as c:
        c.execute(hq_customer_score.delete())
    # the score's write: the global lane, then the customer's profile; a push about them: the
    # profile, then (a publisher store's) the global lane
    result = crosswise(hq, lambda: scores.recompute_customers(writer, [cid], now=clock.now()),
                       lane_lock(GLOBAL_LANE), row_lock("customer", cid))
    assert conflicts() == ["HQ customer data write stopped by a conflict (sqlstate 40P01); running it again "
                           "(attempt 2 of 5)"]
    assert result.published == 1
    [row] = _row(hq, scores.ENTITY, cid)
    after = _lanes(hq, GLOBAL_LANE, lane)[lane]
    assert row["data"]["customer_id"] == str(cid) and row["lane"] == lane
    assert after == before + 1 and row["seq"] == after, "one sequence number: written once"
    assert _count(hq, hq_customer_score, hq_customer_score.c.customer_id == cid) == 1


def test_a_fetch_stopped_by_a_push_holding_the_customers_lane_serves_them_once(hq, make_store, writer, conflicts):
    a, b = make_store("SA", hq), make_store("SB", hq)
    cid = make_customer(a)
    a.sync()
    lane = lane_of(a.store_id)
    before = _lanes(hq, lane)[lane]
    with hq.engine.connect() as c:
        held = int(c.scalar(select(func.count()).select_from(hq_row).where(hq_row.c.customer_id == cid,
                                                                          hq_row.c.lane == lane)))
    # serving: the customer's profile, then their lane (their rows move to its head); a push
    # about them from their home store: the lane, then the profile
    answer = crosswise(hq, lambda: service.lookup_customer(writer, auth_of(b), phone="+86" + PHONE,
                                                           staff_id=b.admin.staff_id),
                       row_lock("customer", cid), lane_lock(lane))
    assert conflicts() == ["fetch serve stopped by a conflict (sqlstate 40P01); running it again (attempt 2 of 5)"]
    assert answer["customers"] == [str(cid)] and str(cid) in {r["id"] for r in answer["rows"]}
    assert _count(hq, hq_access, hq_access.c.store_id == b.store_id) == 1, "the look-up is logged once"
    assert _count(hq, hq_served, hq_served.c.store_id == b.store_id, hq_served.c.customer_id == cid) == 1
    assert held > 0 and _lanes(hq, lane)[lane] == before + held, "each of their rows moved once"


# --- what is not a conflict --------------------------------------------------------------------

def test_a_failure_that_is_not_a_conflict_is_not_run_again(hq, make_store, writer, conflicts):
    a = make_store("SA", hq)
    cid = make_customer(a)
    a.sync()
    calls: list[int] = []

    def broken(conn) -> None:
        calls.append(1)
        conn.exec_driver_sql("SELECT 1 / 0")          # division_by_zero, 22012
    with pytest.raises(DBAPIError) as err:
        dsr.erase(writer, cid, dsr.hq_author(1, roles.ADMIN), on_commit=broken)
    assert retry.sqlstate(err.value) == "22012" and calls == [1] and conflicts() == []
    assert _count(hq, hq_erased) == 0, "nothing written"
    [row] = _row(hq, "customer", cid)
    assert row["data"]["erased"] is not True and row["data"]["given_name"] == "Ann"


def test_the_conflicts_are_recognised_whichever_layer_raises_them_and_tries_are_bounded():
    for conflict in (psycopg.errors.UniqueViolation(), psycopg.errors.DeadlockDetected(),
                     psycopg.errors.SerializationFailure()):
        assert retry.retryable(conflict) and retry.retryable(IntegrityError("INSERT", {}, conflict))
    for other in (psycopg.errors.NotNullViolation(), DBAPIError("INSERT", {}, psycopg.errors.DivisionByZero()),
                  ValueError("bad"), dsr.NotErasable("already erased")):
        assert not retry.retryable(other)

    calls: list[int] = []

    def always() -> None:
        calls.append(1)
        raise psycopg.errors.DeadlockDetected()
    with pytest.raises(psycopg.errors.DeadlockDetected):
        retry.run_retrying(always, tries=3)
    assert len(calls) == 3, "at most ``tries`` attempts"

    answers = iter([psycopg.errors.UniqueViolation(), "done"])

    def once_then_fine() -> str:
        a = next(answers)
        if isinstance(a, Exception):
            raise a
        return a
    assert retry.run_retrying(once_then_fine) == "done"
