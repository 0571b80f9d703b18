"""The on-demand customer fetch attacked the way issue 18 found it open: a store reading
another store's customers by phone or email. Against a real HQ process on PostgreSQL
with real encrypted store databases: HQ shows nobody whose ``hq_transfer`` consent is
not in force, refuses a store over its hourly allowance (also when it asks in parallel),
never takes keys in a URL (nor writes them to its log), and records who asked, which
HQ staff read back with ``orchard-hq fetches``."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import httpx
import psycopg
import pytest
from sqlalchemy import func, insert, inspect, select

from core import clock, customers, privacy
from core.models import Customer
from core.sync import client as sync_client
from core.sync.connection import SyncError
from hq import fetch
from hq.app import create_app
from hq.cli import main as hq_main
from hq.db import make_engine
from hq.fetch_report import fetch_report
from hq.models import hq_access, hq_served
from tests.hq.conftest import PG_ADMIN, ROOT, free_port, pg_url
from tests.hq.util import auth_of, credential

PHONE, EMAIL = "+8613312345678", "wei.secret@example.net"
RATE_TEXT = "HQ refused: too many look-ups from this store this hour; try again in {minutes} minutes"


def make_customer(store, *, phone: str = "13312345678", email: str | None = EMAIL, consents=(True,)):
    """A customer at ``store`` with ``hq_transfer`` decisions in ``consents``, oldest first
    (each a minute after the last, all in the recent past)."""
    start = clock.now() - timedelta(minutes=30)
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name="Wei", family_name="Zhang", phone=phone,
                                        email=email).id
    for i, granted in enumerate(consents):
        decide(store, cid, granted, at=start + timedelta(minutes=i))
    return cid


def decide(store, cid, granted: bool, *, at=None) -> None:
    with clock.pinned(at or clock.now()), store.db.session(write=True) as s:
        privacy.set_consent(s, store.admin, cid, "hq_transfer", granted)


def post_lookup(hq, store, body: dict, **kw) -> httpx.Response:
    with httpx.Client(base_url=hq.url, timeout=30) as http:
        return http.post("/v1/customers/lookup", json=body,
                         headers={"Authorization": f"Bearer {credential(store.db)}"}, **kw)


def served(hq, store) -> set[uuid.UUID]:
    with hq.engine.connect() as conn:
        return set(conn.scalars(select(hq_served.c.customer_id).where(hq_served.c.store_id == store.store_id)))


def access(hq, store, action: str = fetch.ACTION_FETCH) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(hq_access).where(
            hq_access.c.store_id == store.store_id, hq_access.c.action == action))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def logged(hq, store, action: str = fetch.ACTION_FETCH) -> list[datetime]:
    """When HQ logged ``store``'s look-ups (or refusals), oldest first: HQ's own clock."""
    with hq.engine.connect() as conn:
        return [_aware(at) for at in conn.scalars(select(hq_access.c.at).where(
            hq_access.c.store_id == store.store_id, hq_access.c.action == action).order_by(hq_access.c.at))]


def hq_time(hq) -> datetime:
    """HQ's clock as its log last read it (a separate process: not this test's clock)."""
    with hq.engine.connect() as conn:
        return _aware(conn.scalar(select(func.max(hq_access.c.at))))


def wait_after(fetched: list[datetime], refused_at: datetime, limit: int = fetch.DEFAULT_LIMIT) -> int:
    """The seconds HQ must answer a refusal at ``refused_at`` with: until the oldest of the
    last ``limit`` look-ups in the hour before it leaves that hour."""
    recent = sorted((at for at in fetched if at > refused_at - fetch.WINDOW), reverse=True)
    assert len(recent) >= limit
    return max(1, math.ceil((recent[limit - 1] + fetch.WINDOW - refused_at).total_seconds()))


def seed_fetches(hq, store, n: int, minutes_ago: float, *, base: datetime | None = None) -> None:
    """``n`` look-ups by ``store`` logged ``minutes_ago`` before ``base`` (by default HQ's
    clock as its log last read it; HQ counts its hour from this log)."""
    at = (base or hq_time(hq)) - timedelta(minutes=minutes_ago)
    with hq.engine.connect() as conn, conn.begin():
        conn.execute(insert(hq_access), [dict(at=at, store_id=store.store_id, action=fetch.ACTION_FETCH,
                                              key_kind="phone", customers=[], staff_id=store.admin.staff_id)
                                         for _ in range(n)])


# --- consent -----------------------------------------------------------------------------------

def test_a_customer_without_hq_transfer_consent_is_not_shown_nor_served(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    withdrawn = make_customer(a, consents=(True, False))            # granted, then withdrawn
    never = make_customer(a, phone="13312340000", email="never.asked@example.net", consents=())
    a.sync()

    for key in ({"phone": PHONE}, {"email": EMAIL.upper()}, {"phone": "+8613312340000"}):
        with b.client() as c:
            assert c.fetch_customer(staff_id=b.admin.staff_id, **key) == []
    nobody = post_lookup(hq, b, {"phone": "+8613399999999", "staff_id": str(b.admin.staff_id)}).json()
    hidden = post_lookup(hq, b, {"phone": PHONE, "staff_id": str(b.admin.staff_id)}).json()
    assert (hidden["customers"], hidden["rows"]) == (nobody["customers"], nobody["rows"]) == ([], []), \
        "a customer who withdrew looks exactly like nobody"
    assert served(hq, b) == set(), "B was not made to serve them"
    b.sync()
    with b.db.session() as s:
        assert s.get(Customer, withdrawn) is None and s.get(Customer, never) is None

    # the person agrees again at A: now B may fetch them, and serves them from then on
    decide(a, withdrawn, True)
    a.sync()
    with b.client() as c:
        assert c.fetch_customer(staff_id=b.admin.staff_id, phone=PHONE) == [withdrawn]
    assert served(hq, b) == {withdrawn}
    with b.db.session() as s:
        assert s.get(Customer, withdrawn).given_name == "Wei"


# --- the hourly allowance ----------------------------------------------------------------------

def test_the_31st_fetch_in_an_hour_is_refused_and_the_store_shows_why(hq, make_store):
    from desktop.errors import user_message
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a)
    a.sync()
    with b.client() as c:
        for i in range(fetch.DEFAULT_LIMIT):
            assert c.fetch_customer(staff_id=b.admin.staff_id, phone=PHONE if i == 0 else f"+86133000{i:05d}") \
                == ([cid] if i == 0 else [])
    assert access(hq, b) == fetch.DEFAULT_LIMIT

    with pytest.raises(SyncError) as refused:
        sync_client.fetch_customer(b.db, b.admin, email=EMAIL)
    # the wait is counted from the times HQ logged (its clock), however long the 30 took
    fetched, [first_refusal] = logged(hq, b), logged(hq, b, fetch.ACTION_REFUSED)
    minutes = max(1, math.ceil(wait_after(fetched, first_refusal) / 60))
    assert (refused.value.template, refused.value.params) == (RATE_TEXT, {"minutes": str(minutes)})
    assert user_message(refused.value) == RATE_TEXT.format(minutes=minutes), "the screen shows it in words"

    r = post_lookup(hq, b, {"email": EMAIL, "staff_id": str(b.admin.staff_id)})
    assert r.status_code == 429 and r.json()["code"] == "fetch_rate_limited"
    second_refusal = logged(hq, b, fetch.ACTION_REFUSED)[-1]
    assert int(r.headers["Retry-After"]) == wait_after(fetched, second_refusal)
    assert r.json()["params"] == {"minutes": str(max(1, math.ceil(wait_after(fetched, second_refusal) / 60)))}
    assert "customers" not in r.json() and "rows" not in r.json()
    assert access(hq, b) == fetch.DEFAULT_LIMIT, "refusals do not count as look-ups ..."
    assert access(hq, b, fetch.ACTION_REFUSED) == 2, "... but are logged"
    # the store is the unit: another store still has its own allowance
    with a.client() as c:
        assert c.fetch_customer(staff_id=a.admin.staff_id, phone=PHONE) == [cid]
    assert PHONE not in hq.log.read_text() and EMAIL not in hq.log.read_text()


# HQ's look-up asked at moments this test names (``now=``), on the real HQ database: the
# hour's edges are exact, on any machine however slow, at a year's turn
NEW_YEAR = datetime(2028, 1, 1, 0, 30, tzinfo=timezone.utc)


def test_the_hour_rolls(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a)
    a.sync()

    def ask(now: datetime) -> dict:
        return fetch.lookup_customer(hq.engine, auth_of(b), phone=PHONE, staff_id=b.admin.staff_id, now=now)

    seed_fetches(hq, b, fetch.DEFAULT_LIMIT, minutes_ago=60, base=NEW_YEAR)     # exactly an hour ago: spent
    assert ask(NEW_YEAR)["customers"] == [str(cid)]
    seed_fetches(hq, b, fetch.DEFAULT_LIMIT - 1, minutes_ago=59, base=NEW_YEAR)  # with the one just made: 30
    with pytest.raises(fetch.FetchRateLimited) as refused:
        ask(NEW_YEAR)
    assert refused.value.retry_after == 60, "free again when the oldest of the hour leaves it"
    assert refused.value.params == {"minutes": "1"}
    with pytest.raises(fetch.FetchRateLimited) as refused:
        ask(NEW_YEAR + timedelta(seconds=59, microseconds=999_999))
    assert refused.value.retry_after == 1
    assert ask(NEW_YEAR + timedelta(minutes=1))["customers"] == [str(cid)], "the oldest has left the hour"
    assert logged(hq, b, fetch.ACTION_REFUSED) == [NEW_YEAR, NEW_YEAR + timedelta(seconds=59, microseconds=999_999)]
    assert len(logged(hq, b)) == 2 * fetch.DEFAULT_LIMIT + 1


def test_a_look_up_carries_exactly_one_key(hq, make_store, monkeypatch):
    """The allowance counts requests: a phone, an email and a member number in one request
    would be three look-ups for one. HQ refuses more than one key; the store never sends it."""
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    make_customer(a)
    a.sync()
    staff = str(b.admin.staff_id)
    for keys in ({"phone": PHONE, "email": EMAIL}, {"phone": PHONE, "member": "M000001"},
                 {"email": EMAIL, "member": "M000001"}, {"phone": PHONE, "email": EMAIL, "member": "M000001"},
                 {"phone": PHONE, "email": ""}):
        r = post_lookup(hq, b, {**keys, "staff_id": staff})
        assert (r.status_code, r.json()["code"]) == (400, "one_lookup_key"), keys
        assert "customers" not in r.json() and "rows" not in r.json()
    assert served(hq, b) == set() and access(hq, b) == 0 and access(hq, b, fetch.ACTION_REFUSED) == 0

    sent = []
    real_call = sync_client.SyncClient._call
    monkeypatch.setattr(sync_client.SyncClient, "_call", lambda self, *a, **kw: sent.append(kw.get("json"))
                        or real_call(self, *a, **kw))
    with b.client() as c:
        with pytest.raises(SyncError, match="one key at a time"):
            c.fetch_customer(staff_id=b.admin.staff_id, phone=PHONE, email=EMAIL)
    with pytest.raises(SyncError, match="one key at a time"):
        sync_client.fetch_customer(b.db, b.admin, phone="133 1234 5678", member="m000001", region="CN")
    assert sent == [] and access(hq, b) == 0, "nothing was sent"
    with b.client() as c:
        c.fetch_customer(staff_id=b.admin.staff_id, phone=PHONE)
    assert [set(body) for body in sent] == [{"phone", "staff_id"}]
    assert access(hq, b) == 1


def test_parallel_fetches_cannot_share_out_more_than_the_allowance(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    make_customer(a)
    a.sync()
    body = {"phone": PHONE, "staff_id": str(b.admin.staff_id)}
    headers = {"Authorization": f"Bearer {credential(b.db)}"}
    with httpx.Client(base_url=hq.url, timeout=30, limits=httpx.Limits(max_connections=40)) as http:
        with ThreadPoolExecutor(40) as pool:
            codes = list(pool.map(lambda _: http.post("/v1/customers/lookup", json=body, headers=headers)
                                  .status_code, range(40)))
    assert sorted(codes) == [200] * fetch.DEFAULT_LIMIT + [429] * (40 - fetch.DEFAULT_LIMIT)
    assert access(hq, b) == fetch.DEFAULT_LIMIT


def _serve(cmd: list[str], env: dict[str, str], log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    out = open(log, "ab")
    proc = subprocess.Popen([sys.executable, "-m", *cmd, "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, stdout=out, stderr=out, env={**os.environ, **env})
    out.close()
    return proc, f"http://127.0.0.1:{port}"


def _ready(proc: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "HQ exited"
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("HQ did not start in time")


def test_the_allowance_is_configurable(hq, make_store, monkeypatch, tmp_path):
    """``orchard-hq serve --fetch-limit`` and ``uvicorn --factory hq.app:app_from_env`` with
    ``$ORCHARD_HQ_FETCH_LIMIT``, each a real HQ process on the same database."""
    env = {"ORCHARD_HQ_DB": hq.db_url}
    flag = _serve(["hq.cli", "serve", "--db", hq.db_url, "--fetch-limit", "2", "--no-crm"], env, tmp_path / "flag.log")
    factory = _serve(["uvicorn", "--factory", "hq.app:app_from_env"], {**env, fetch.ENV_LIMIT: "1"},
                     tmp_path / "factory.log")
    try:
        a = make_store("SA", hq)              # while they start
        make_customer(a)
        a.sync()
        for proc, url in (flag, factory):
            _ready(proc, url)

        def codes(url: str, store, n: int) -> list[int]:
            with httpx.Client(base_url=url, timeout=30) as http:
                return [http.post("/v1/customers/lookup", json={"phone": PHONE, "staff_id": str(store.admin.staff_id)},
                                  headers={"Authorization": f"Bearer {credential(store.db)}"}).status_code
                        for _ in range(n)]
        assert codes(factory[1], a, 2) == [200, 429], "1 an hour"
        assert codes(flag[1], a, 2) == [200, 429], "2 an hour: one more than the one made"
        assert codes(hq.url, a, 1) == [200], "the default, 30"
    finally:
        for proc, _ in (flag, factory):
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
    for bad in ("0", "lots"):
        monkeypatch.setenv(fetch.ENV_LIMIT, bad)
        with pytest.raises(ValueError):
            create_app(engine=hq.engine, run_migrations=False)
    with pytest.raises(ValueError):
        create_app(engine=hq.engine, run_migrations=False, fetch_limit=0)


# --- keys never in a URL -------------------------------------------------------------------------

def test_keys_in_a_url_are_not_served_and_not_logged(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    make_customer(a)
    a.sync()
    auth = {"Authorization": f"Bearer {credential(b.db)}"}
    with httpx.Client(base_url=hq.url, timeout=30, headers=auth) as http:
        assert http.get("/v1/customers", params={"phone": PHONE}).status_code == 404
        assert http.get("/v1/customers", params={"email": EMAIL}).status_code == 404
        assert http.get("/v1/customers/lookup", params={"phone": PHONE}).status_code == 405
        r = http.post("/v1/customers/lookup", params={"phone": PHONE, "email": EMAIL},
                      json={"staff_id": str(b.admin.staff_id)})
        assert r.status_code == 400
        r = http.post("/v1/customers/lookup", params={"phone": PHONE}, json={"phone": PHONE,
                                                                             "staff_id": str(b.admin.staff_id)})
        assert r.status_code == 400, "a body does not excuse a key in the URL"
        # who asked is required, and must be an id
        for body in ({"phone": PHONE}, {"phone": PHONE, "staff_id": "Ada Admin"},
                     {"phone": ["x"], "staff_id": str(b.admin.staff_id)}):
            assert http.post("/v1/customers/lookup", json=body).status_code == 400
    assert served(hq, b) == set() and access(hq, b) == 0, "nothing was looked up"
    log = hq.log.read_text(errors="replace")
    assert PHONE not in log and PHONE[3:] not in log and EMAIL not in log


# --- the report for HQ staff ---------------------------------------------------------------------

def test_fetches_report_lists_stores_and_staff_and_never_a_key(hq, make_store, capsys):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a)
    a.sync()
    with b.client() as c:
        assert c.fetch_customer(staff_id=b.admin.staff_id, phone=PHONE) == [cid]
        assert c.fetch_customer(staff_id=b.admin.staff_id, email=EMAIL) == [cid]
        assert c.fetch_customer(staff_id=b.admin.staff_id, member="M999999") == []
    seed_fetches(hq, a, fetch.DEFAULT_LIMIT, minutes_ago=5)            # A used its allowance ...
    assert post_lookup(hq, a, {"email": EMAIL, "staff_id": str(a.admin.staff_id)}).status_code == 429

    report = fetch_report(hq.engine)
    assert [(s.code, s.fetches, s.refused, s.customers_shown) for s in report.stores] == [
        ("SA", fetch.DEFAULT_LIMIT, 1, 0), ("SB", 3, 0, 1)]
    assert [(e.store_code, e.staff_id, e.key_kind, e.refused, e.shown) for e in report.last[:4]] == [
        ("SA", a.admin.staff_id, "email", True, 0), ("SB", b.admin.staff_id, "member", False, 0),
        ("SB", b.admin.staff_id, "email", False, 1), ("SB", b.admin.staff_id, "phone", False, 1)]
    assert len(report.last) == 20

    assert hq_main(["fetches", "--db", hq.db_url]) == 0
    out = capsys.readouterr().out
    assert "SA" in out and "SB" in out and str(a.admin.staff_id) in out and str(b.admin.staff_id) in out
    assert "refused" in out
    for secret in (PHONE, PHONE[3:], EMAIL, "example.net", "M999999", "Wei", "Zhang"):
        assert secret not in out
    assert hq_main(["fetches", "--db", hq.db_url, "--store", "sb"]) == 0
    out = capsys.readouterr().out
    assert str(b.admin.staff_id) in out and str(a.admin.staff_id) not in out
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    assert hq_main(["fetches", "--db", hq.db_url, "--since", tomorrow]) == 0
    assert "(none)" in capsys.readouterr().out
    assert hq_main(["fetches", "--db", hq.db_url, "--since", "yesterday"]) == 2
    assert hq_main(["fetches", "--db", hq.db_url, "--store", "NOPE"]) == 2


# --- the migration -------------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migration_hq0003_adds_and_removes_staff_id(dialect, tmp_path):
    from alembic import command
    from alembic.config import Config
    from hq.db import MIGRATIONS
    name = f"orchard_hq_mig_{uuid.uuid4().hex[:10]}"
    if dialect == "postgresql":
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as c:
            c.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_url(name) if dialect == "postgresql" else str(tmp_path / "hq.sqlite"))
    try:
        def to(rev: str, down: bool = False) -> set[str]:
            with engine.connect() as conn, conn.begin():
                cfg = Config()
                cfg.set_main_option("script_location", str(MIGRATIONS))
                cfg.attributes["connection"] = conn
                (command.downgrade if down else command.upgrade)(cfg, rev)
            return {c["name"] for c in inspect(engine).get_columns("hq_access")}
        assert "staff_id" not in to("hq0002")
        assert "staff_id" in to("hq0003")
        assert "staff_id" not in to("hq0002", down=True)
    finally:
        engine.dispose()
        if dialect == "postgresql":
            with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
