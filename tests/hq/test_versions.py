"""The versions HQ announces and the oldest it accepts, end to end: a real HQ process on
PostgreSQL, set with the real ``orchard-hq versions`` command, and real store databases
whose sync status says what HQ announced, and says why sync stopped below the oldest."""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select

from core import customers
from core.sync import client as sync_client
from core.version import VERSION, older
from hq import versions
from hq.cli import main as hq_main
from hq.models import hq_op
from tests.hq.conftest import HqServer, hq_get, hq_post
from tests.hq.util import pending

NEWER = "%d.%d.%d" % (int(VERSION.split(".")[0]) + 1, 0, 0)     # a version after this one
NEWEST_AFTER = "%d.%d.%d" % (int(VERSION.split(".")[0]) + 1, 2, 0)


@pytest.fixture(scope="module")
def gate_server(pg_database, tmp_path_factory):
    """An HQ process of its own that reads the versions on every request (the default keeps
    them 5 s), so a test sees a change at once. It shares the run's PostgreSQL database."""
    old = os.environ.get("ORCHARD_HQ_VERSIONS_MAX_AGE")
    os.environ["ORCHARD_HQ_VERSIONS_MAX_AGE"] = "0"
    try:
        server = HqServer(pg_database, tmp_path_factory.mktemp("hq-versions") / "hq.log")
        server.start()
    finally:
        if old is None:
            os.environ.pop("ORCHARD_HQ_VERSIONS_MAX_AGE", None)
        else:
            os.environ["ORCHARD_HQ_VERSIONS_MAX_AGE"] = old
    yield server
    server.close()


@pytest.fixture
def vhq(gate_server):
    gate_server.reset()
    yield gate_server
    gate_server.reset()         # the versions go back to their defaults for the next test


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def hq_versions(capsys):
    """``orchard-hq versions --db URL ...``, the command an administrator types (its main, in
    this process: a new interpreter per call costs seconds)."""
    def run(server: HqServer, *args: str) -> Ran:
        capsys.readouterr()
        code = hq_main(["versions", "--db", server.db_url, *args])
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)
    return run


def add_customer(store, given: str, family: str) -> None:
    with store.db.session(write=True) as s:
        customers.create_customer(s, store.admin, given_name=given, family_name=family)


def test_every_v1_answer_announces_the_versions(vhq):
    for answer in (hq_get(vhq, "/v1/health"),                                  # open
                   hq_get(vhq, "/v1/pull", headers={"X-Orchard-Version": VERSION}),   # refused: no credential
                   hq_post(vhq, "/v1/enrol", json={"code": "nope"})):
        assert answer.headers["X-Orchard-Newest"] == VERSION, "unset, HQ announces its own version"
        assert answer.headers["X-Orchard-Oldest"] == "0.0.0", "unset, every version is accepted"
    assert hq_get(vhq, "/v1/pull").status_code == 401, "a request without a version is not turned away for it"
    bad = hq_get(vhq, "/v1/health", headers={"X-Orchard-Version": "latest"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_value"


def test_cli_sets_and_shows_and_refuses_nonsense(vhq, hq_versions):
    shown = hq_versions(vhq)
    assert shown.returncode == 0 and f"newest announced: {VERSION} (this HQ's own version)" in shown.stdout
    done = hq_versions(vhq, "--newest", NEWEST_AFTER, "--oldest", VERSION)
    assert done.returncode == 0, done.stderr
    assert f"newest announced: {NEWEST_AFTER}" in done.stdout and f"oldest accepted:  {VERSION}" in done.stdout
    assert versions.read(vhq.engine) == versions.Versions(NEWEST_AFTER, VERSION, True, True)
    above = hq_versions(vhq, "--oldest", "99.0.0")
    assert above.returncode == 2 and "cannot be newer than the newest" in above.stderr
    assert hq_versions(vhq, "--newest", "one.two").returncode == 2
    assert versions.read(vhq.engine).oldest == VERSION, "a refused change changes nothing"
    answer = hq_get(vhq, "/v1/health", headers={"X-Orchard-Version": VERSION})
    assert answer.status_code == 200, "a store exactly at the oldest is accepted"
    assert (answer.headers["X-Orchard-Newest"], answer.headers["X-Orchard-Oldest"]) == (NEWEST_AFTER, VERSION)


def test_newest_announced_reaches_the_store_status(vhq, make_store, hq_versions):
    store = make_store("VA01", vhq)
    store.sync()
    with store.db.session() as s:
        st = sync_client.status(s)
    assert (st.newest_version, st.oldest_version, st.update_available) == (VERSION, "0.0.0", None)
    assert hq_versions(vhq, "--newest", NEWEST_AFTER).returncode == 0
    store.sync()
    with store.db.session() as s:
        st = sync_client.status(s)
    assert st.newest_version == NEWEST_AFTER and st.update_available == NEWEST_AFTER
    assert st.last_error is None and st.last_error_kind is None, "an update available does not stop sync"


def test_store_below_oldest_is_refused_and_says_why_then_resumes(vhq, make_store, hq_versions):
    store = make_store("VA02", vhq)
    store.sync()
    assert older(VERSION, NEWER)
    assert hq_versions(vhq, "--newest", NEWEST_AFTER, "--oldest", NEWER).returncode == 0
    add_customer(store, "Mia", "Wong")
    waiting = pending(store.db)
    assert waiting > 0
    with vhq.engine.connect() as conn:
        ops_at_hq = conn.scalar(select(func.count()).select_from(hq_op))

    raw = hq_post(vhq, "/v1/push", headers={"X-Orchard-Version": VERSION}, json={})
    assert raw.status_code == 426
    assert raw.json() == {"error": "version_too_old", "oldest": NEWER}, "the code and the oldest, nothing else"

    with pytest.raises(sync_client.VersionTooOld) as refused:
        store.sync()
    assert refused.value.oldest == NEWER
    assert refused.value.message == (f"this version ({VERSION}) is older than the oldest HQ accepts ({NEWER}); "
                                     "update Orchard")
    with store.db.session() as s:
        st = sync_client.status(s)
    assert st.version_too_old and st.last_error_kind == "version_too_old"
    assert (st.oldest_version, st.newest_version, st.update_available) == (NEWER, NEWEST_AFTER, NEWEST_AFTER)
    assert st.pending == waiting, "nothing was lost: the changes wait for the update"
    with vhq.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(hq_op)) == ops_at_hq, "HQ took nothing from it"

    # HQ lets this version back in: the next sync goes through and the stop is forgotten
    assert hq_versions(vhq, "--oldest", "default").returncode == 0
    report = store.sync()
    assert report.pushed == waiting
    with store.db.session() as s:
        st = sync_client.status(s)
    assert not st.version_too_old and st.last_error is None and st.pending == 0
    assert st.oldest_version == "0.0.0"


def test_enrolment_below_oldest_is_refused_with_the_reason(vhq, make_store, hq_versions):
    assert hq_versions(vhq, "--newest", NEWER, "--oldest", NEWER).returncode == 0
    store = make_store("VA03")
    with pytest.raises(sync_client.VersionTooOld):
        sync_client.enrol(store.db, store.admin, vhq.url, vhq.enrolment("VA03"))
    with store.db.session() as s:
        assert not sync_client.status(s).enrolled, "nothing was kept from a refused enrolment"


def test_the_sync_client_sends_its_version_on_every_request(vhq, make_store):
    """Any request the store makes carries the header, also through an injected client."""
    seen: list[str | None] = []

    def hook(request: httpx.Request) -> None:
        seen.append(request.headers.get("X-Orchard-Version"))
    store = make_store("VA04", vhq)
    add_customer(store, "Na", "Li")
    with httpx.Client(base_url=vhq.url, event_hooks={"request": [hook]}) as http:
        store.sync(http=http)
    assert len(seen) >= 2 and set(seen) == {VERSION}


def test_each_process_rereads_the_versions_after_max_age_and_before_any_refusal(tmp_path):
    """The gate keeps what it read for ``max_age`` (one read per request would cost every
    request a query); a raised oldest bites after that, a lowered one at once."""
    import asyncio

    from starlette.responses import PlainTextResponse

    from hq.db import make_engine, migrate
    engine = make_engine(str(tmp_path / "hq.sqlite"))
    migrate(engine)
    now = [1000.0]
    gate = versions.VersionGate(PlainTextResponse("ok"), engine, max_age=5.0, clock=lambda: now[0])
    mine = {"X-Orchard-Version": VERSION}

    async def walk() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gate), base_url="http://hq") as web:
            assert (await web.get("/v1/health", headers=mine)).headers["X-Orchard-Oldest"] == "0.0.0"
            versions.configure(engine, newest=NEWEST_AFTER, oldest=NEWER)
            kept = await web.get("/v1/health", headers=mine)
            assert kept.status_code == 200 and kept.headers["X-Orchard-Newest"] == VERSION, "read 0 s ago: kept"
            now[0] += 5.0
            refused = await web.get("/v1/health", headers=mine)
            assert refused.status_code == 426 and refused.json() == {"error": "version_too_old", "oldest": NEWER}
            assert refused.headers["X-Orchard-Newest"] == NEWEST_AFTER
            other = await web.get("/other", headers=mine)
            assert other.status_code == 200 and "X-Orchard-Newest" not in other.headers, "only /v1 is the store API"
            versions.configure(engine, oldest="default")
            assert (await web.get("/v1/health", headers=mine)).status_code == 200, "a refusal is checked afresh"
    try:
        asyncio.run(walk())
    finally:
        engine.dispose()
