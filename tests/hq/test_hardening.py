"""HQ as a server that leaks nothing and cannot be exhausted (issue 18), attacked the way
the review did: a real HQ process on PostgreSQL (one of its own, so its log and its peak
memory are this module's alone), the documented ``uvicorn --factory`` entry, and HQ's
SQLite files."""

from __future__ import annotations

import os
import ssl
import stat
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import httpx
import pytest
from sqlalchemy import Column, Numeric

from core import clock
from core.sync import merge
from core.sync.hlc import Timestamp
from hq.db import make_engine, migrate
from tests.hq.conftest import ROOT, HqServer, free_port

MARK = "QZXHARDEN"                       # in every refused value; must never reach HQ's log
BIG_INT = 9_223_372_036_854_775_808      # one above BIGINT
SECURITY = {"cache-control": "no-store", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
            "x-frame-options": "DENY"}
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(pg_database, tmp_path_factory) -> Iterator[HqServer]:
    """An HQ process of this module's own (a fresh log, a fresh peak RSS)."""
    s = HqServer(pg_database, tmp_path_factory.mktemp("hardening") / "hq.log")
    s.start()
    yield s
    s.close()


def enrol(server: HqServer, code: str = "HX") -> tuple[str, dict[str, str]]:
    server.reset()
    one_time = server.enrolment(code)
    store_id = str(uuid.uuid4())
    r = httpx.post(f"{server.url}/v1/enrol", json={"code": one_time, "store_code": code, "store_id": store_id})
    assert r.status_code == 200, r.text
    return store_id, {"Authorization": f"Bearer {r.json()['credential']}"}


def stamp() -> str:
    return Timestamp(clock.now_ms(), 0, "a" * 32).encode()


def customer_insert(store_id: str, **changes: Any) -> dict[str, Any]:
    now = clock.now().isoformat()
    fields = {"id": str(uuid.uuid4()), "given_name": "Ann", "family_name": "Lee", "name_pinyin": "ann lee",
              "name_initials": "AL", "address": "", "erased": False, "created_at": now, "updated_at": now,
              "home_store_id": store_id}
    entity_id = changes.pop("entity_id", fields["id"])
    fields.update(changes)
    return {"op_id": str(uuid.uuid4()), "entity": "customer", "entity_id": entity_id, "op": "insert",
            "fields": fields, "hlc": stamp()}


def ticket_insert(store_id: str, **changes: Any) -> dict[str, Any]:
    now = clock.now().isoformat()
    fields = {"id": str(uuid.uuid4()), "store_id": store_id, "number": "T-1", "status": "received",
              "reported_fault": "screen", "intake_condition": {"notes": "scratched"}, "accessories": "",
              "approval_limit_cents": 0, "contact_preference": "sms", "diagnosis": "", "labour_cents": 0,
              "quality_check": {}, "created_at": now, "updated_at": now}
    fields.update(changes)
    return {"op_id": str(uuid.uuid4()), "entity": "repair_ticket", "entity_id": fields["id"], "op": "insert",
            "fields": fields, "hlc": stamp()}


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"notes": MARK}
    for _ in range(depth):
        value = {"a": value}
    return value


def push(server: HqServer, auth: dict[str, str], ops: list[dict[str, Any]], **extra: Any) -> httpx.Response:
    body = {"batch_id": str(uuid.uuid4()), "ops": ops, **extra}
    return httpx.post(f"{server.url}/v1/push", json=body, headers=auth, timeout=30)


def hq_log(server: HqServer) -> str:
    return server.log.read_text(errors="replace")


def assert_log_clean(text: str) -> None:
    for leak in (MARK, str(BIG_INT), "Traceback", "CONTEXT", "SELECT", "INSERT", "COPY", "parameters",
                 "after=", "?after", "DETAIL"):
        assert leak not in text, f"HQ's log carries {leak!r}"


# --- 1. every value a database could refuse is refused first, per operation ------------------

def bad_ops(store_id: str) -> dict[str, dict[str, Any]]:
    sid = store_id
    return {
        "NUL in a string": customer_insert(sid, given_name=f"{MARK}\x00"),
        "string longer than its column": customer_insert(sid, given_name=MARK * 20),
        "phone longer than its column": customer_insert(sid, phone_e164=MARK * 3),
        "date out of range": customer_insert(sid, birth_date="10000-01-01"),
        "date that is no date": customer_insert(sid, birth_date=f"2026-13-01{MARK}"),
        "datetime out of range": customer_insert(sid, created_at="0000-01-01T00:00:00+00:00"),
        "bad UUID in a field": customer_insert(sid, home_store_id=f"{MARK}-not-a-uuid"),
        "UUID in another spelling": customer_insert(sid, home_store_id="{" + str(uuid.uuid4()).upper() + "}"),
        "bad UUID as the id": customer_insert(sid, entity_id=f"{MARK}\x00"),
        "integer over INT": ticket_insert(sid, labour_cents=2**31),
        "integer over BIGINT": ticket_insert(sid, labour_cents=BIG_INT),
        "integer at 2**64 - 1": ticket_insert(sid, approval_limit_cents=2**64 - 1),
        "float for an integer": ticket_insert(sid, labour_cents=1e23),
        "NUL inside JSON": ticket_insert(sid, intake_condition={"notes": f"{MARK}\x00"}),
        "NUL in a JSON key": ticket_insert(sid, intake_condition={f"{MARK}\x00": 1}),
        "JSON nested 300 deep": ticket_insert(sid, intake_condition=nested(300)),
    }


def test_values_a_database_would_refuse_are_refused_per_operation(server):
    store_id, auth = enrol(server)
    good = customer_insert(store_id)
    r = push(server, auth, [good])
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text      # the harness is right
    for what, op in bad_ops(store_id).items():
        r = push(server, auth, [op, customer_insert(store_id)])
        assert r.status_code == 200, (what, r.status_code)
        answer = r.json()
        assert answer["accepted"] == 1, what          # the good operation beside it still goes in
        assert [x["op_id"] for x in answer["rejected"]] == [op["op_id"]], what
        assert answer["rejected"][0]["reason"].startswith(merge.R_INVALID), (what, answer["rejected"])
    # names a store sent come back without anything but a name's characters
    r = push(server, auth, [{**customer_insert(store_id), "entity": f"cust\x00{MARK}"},
                            customer_insert(store_id, **{f"x\x00{MARK}": 1})])
    assert r.status_code == 200
    reasons = sorted(x["reason"] for x in r.json()["rejected"])
    assert reasons == [f"unknown_entity: cust?{MARK}", f"unknown_field: x?{MARK}"]
    assert_log_clean(hq_log(server))


def test_malformed_requests_are_400_with_a_code(server):
    store_id, auth = enrol(server)
    url = server.url
    with httpx.Client(base_url=url, headers=auth, timeout=30) as c:
        for query in ("after=99999999999999999999999", f"after={2**63}", "after=-1", "after=1e5", "limit=0",
                      "limit=5001", f"pending={2**31}", "parked=-1", f"after={MARK}"):
            r = c.get(f"/v1/pull?{query}")
            assert r.status_code == 400, (query, r.status_code)
            assert r.json()["code"] == "invalid_value", query
            assert MARK not in r.text
        assert c.get(f"/v1/pull?after={2**63 - 1}&limit=5000&pending=0&parked={2**31 - 1}").status_code == 200
        deep = b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "ops": ' + b"[" * 2000 + b"]" * 2000 + b"}"
        for body in (deep, b'{"batch_id": "' + MARK.encode() + b'", "ops": []}',
                     b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "ops": [{"op_id": "\\u0000"}]}'):
            r = c.post("/v1/push", content=body, headers={"content-type": "application/json"})
            assert r.status_code == 400, body[:60]
            assert r.json()["code"] == "bad_request"
        # queue depths beyond any column are clamped, not written as they came
        assert push(server, auth, [], pending=2**64 - 1, parked=-(2**63)).status_code == 200
        r = c.post("/v1/rows", json={"keys": [["customer", f"{MARK}\x00"]]})
        assert (r.status_code, r.json()["code"]) == (400, "invalid_value")
        r = c.post("/v1/rows", json={"keys": [["customer", MARK * 20]]})
        assert (r.status_code, r.json()["code"]) == (400, "invalid_value")
    r = httpx.post(f"{url}/v1/enrol", json={"code": f"{MARK}\x00", "store_code": "HX", "store_id": f"{MARK}\x00"})
    assert r.status_code == 400
    assert_log_clean(hq_log(server))


def test_numeric_values_fit_their_column():
    check = merge._checker(Column("amount", Numeric(10, 2)))
    for good in ("12345678.12", "-12345678.5", "0.001", 5, "1e7"):
        check(good)
    for bad in ("123456789.1", "1e8", "NaN", "-Infinity", "sNaN", 1.5, True, "9" * 5000):
        with pytest.raises(ValueError):
            check(bad)


# --- 2. the log: no traceback, SQL, parameter or query string -------------------------------

def test_an_unexpected_failure_is_answered_500_and_logged_by_type_only(server):
    """A failure HQ did not foresee (a table gone from under it) answers 500 and is logged
    by the exception's type: no traceback, no SQL, no parameters, no query string."""
    store_id, auth = enrol(server)
    before = len(hq_log(server))
    with server.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE hq_lane RENAME TO hq_lane_gone")
    try:
        r = httpx.get(f"{server.url}/v1/pull?after=0&pending=424242", headers=auth, timeout=30)
    finally:
        with server.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE hq_lane_gone RENAME TO hq_lane")
    assert (r.status_code, r.json()["code"]) == (500, "hq_failed")
    assert_hardened_headers(r, tls=False)
    text = hq_log(server)[before:]
    assert "unexpected ProgrammingError on /v1/pull" in text
    assert "hq_served" not in text and "424242" not in text
    assert_log_clean(text)


# --- 3. body limits while streaming; HQ's memory under oversized bodies ----------------------

def oversized(total: int = 100 * MB, chunk: int = 256 * 1024) -> Iterator[bytes]:
    piece = b"x" * chunk
    for _ in range(total // chunk):
        yield piece


def vm_hwm_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def send_oversized(url: str, path: str, headers: dict[str, str]) -> int | str:
    try:
        r = httpx.post(url + path, content=oversized(), headers=headers, timeout=60)
        return r.status_code
    except httpx.TransportError as exc:          # HQ answered and closed while we were still sending
        return type(exc).__name__


def test_oversized_bodies_are_refused_while_streaming_and_memory_stays_bounded(server):
    store_id, auth = enrol(server)
    bad = {"Authorization": f"Bearer {store_id}.not-the-credential"}
    before = vm_hwm_kb(server.proc.pid)
    jobs = [("/v1/enrol", {})] * 10 + [("/v1/push", bad)] * 10
    started = time.monotonic()
    with ThreadPoolExecutor(len(jobs)) as pool:
        outcomes = list(pool.map(lambda j: send_oversized(server.url, *j), jobs))
    took = time.monotonic() - started
    peak = vm_hwm_kb(server.proc.pid)
    print(f"\nHQ peak RSS (VmHWM): {before / 1024:.0f} MB before, {peak / 1024:.0f} MB after 20 parallel "
          f"100 MB bodies (10 to /v1/enrol, 10 to /v1/push with a bad credential) in {took:.1f} s; "
          f"outcomes {sorted(map(str, outcomes))}")
    assert peak < 250 * 1024, f"HQ peaked at {peak / 1024:.0f} MB"
    # each refused with its answer: enrolment bodies past 16 KB, pushes before a byte is read
    assert outcomes == [413] * 10 + [401] * 10, outcomes
    # a store's own push is counted as it streams too: refused past 64 MB, not read whole
    r = httpx.post(f"{server.url}/v1/push", content=oversized(65 * MB), headers=auth, timeout=60)
    assert (r.status_code, r.json()["code"]) == (413, "too_large")
    # HQ still serves
    assert httpx.get(f"{server.url}/v1/health").status_code == 200
    assert push(server, auth, [customer_insert(store_id)]).json()["accepted"] == 1


def test_enrol_body_limit_is_16_kb_streamed_or_declared(server):
    one_time = server.enrolment("HY")
    body = b'{"code": "' + one_time.encode() + b'", "pad": "' + b"x" * (16 * 1024) + b'"}'
    r = httpx.post(f"{server.url}/v1/enrol", content=body, headers={"content-type": "application/json"})
    assert (r.status_code, r.json()["code"]) == (413, "too_large")
    # chunked (no Content-Length): counted as it arrives
    r = httpx.post(f"{server.url}/v1/enrol", content=iter([body[:8000], body[8000:]]))
    assert (r.status_code, r.json()["code"]) == (413, "too_large")
    assert r.headers.get("connection") == "close"


# --- 4. headers ------------------------------------------------------------------------------

def assert_hardened_headers(r: httpx.Response, *, tls: bool) -> None:
    for name, value in SECURITY.items():
        assert r.headers.get(name) == value, (r.url, name, r.headers.get(name))
    assert "server" not in r.headers, r.headers.get("server")
    assert ("strict-transport-security" in r.headers) is tls
    if tls:
        assert r.headers["strict-transport-security"] == "max-age=31536000"


def test_every_response_carries_security_headers_and_no_server(server):
    store_id, auth = enrol(server)
    responses = [httpx.get(f"{server.url}/v1/health"), httpx.get(f"{server.url}/nowhere"),
                 httpx.get(f"{server.url}/v1/pull", headers=auth), httpx.get(f"{server.url}/v1/pull"),
                 httpx.get(f"{server.url}/v1/pull?after=x", headers=auth),
                 httpx.post(f"{server.url}/v1/enrol", content=b"x" * 20000)]
    assert [r.status_code for r in responses] == [200, 404, 200, 401, 400, 413]
    for r in responses:
        assert_hardened_headers(r, tls=False)


def test_hsts_over_tls(pg_database, tmp_path):
    from tests.hq.test_tls import make_ca, make_server_cert
    ca_key, ca_cert, ca_path = make_ca(tmp_path, "Orchard Test CA")
    tls = HqServer(pg_database, tmp_path / "tls.log", tls=make_server_cert(tmp_path, ca_key, ca_cert))
    tls.start()
    try:
        r = httpx.get(f"{tls.url}/v1/health", verify=ssl.create_default_context(cafile=str(ca_path)))
        assert r.status_code == 200
        assert_hardened_headers(r, tls=True)
    finally:
        tls.close()


# --- the documented factory entry (with uvicorn's --no-server-header): the same checks -------

def test_uvicorn_factory_entry_applies_the_same_checks(pg_database, tmp_path):
    port = free_port()
    log = tmp_path / "factory.log"
    env = {**os.environ, "ORCHARD_HQ_DB": pg_database}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "hq.app:app_from_env",
                                 "--no-server-header", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                health = httpx.get(f"{url}/v1/health")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.1)
        assert health.status_code == 200
        assert_hardened_headers(health, tls=False)
        r = httpx.post(f"{url}/v1/enrol", content=b"{" + b" " * (16 * 1024) + b"}")
        assert (r.status_code, r.json()["code"]) == (413, "too_large")
        assert_hardened_headers(r, tls=False)
        r = httpx.get(f"{url}/v1/pull?after=99999999999999999999999&{MARK}=1",
                      headers={"Authorization": "Bearer x.y"})
        assert r.status_code == 401
        assert_hardened_headers(r, tls=False)
    finally:
        proc.terminate()
        proc.wait(10)
    text = log.read_text()
    # uvicorn's access log is on at its default level: method, path, status; no query, no client
    assert "GET /v1/health 200" in text
    assert "GET /v1/pull 401" in text
    assert "127.0.0.1:" not in text.split("(Press CTRL+C to quit)")[-1]
    assert_log_clean(text)


# --- 5. HQ's SQLite files are its owner's alone ----------------------------------------------

def test_sqlite_files_are_created_0600(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "hq.sqlite"
        engine = make_engine(str(path))
        migrate(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
            files = sorted(p.name for p in tmp_path.iterdir())
            assert files == ["hq.sqlite", "hq.sqlite-shm", "hq.sqlite-wal"]
            for name in files:
                assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
        engine.dispose()
        # a file made world-readable before (by an older HQ) is tightened when HQ opens it
        os.chmod(path, 0o644)
        engine = make_engine(str(path))
        with engine.connect():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        engine.dispose()
    finally:
        os.umask(old)
