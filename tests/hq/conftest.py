"""Real parts for the sync tests: a real HQ server process (uvicorn) on loopback over a
real PostgreSQL database made for this test run (and an SQLite-backed one beside it),
and real encrypted store databases that enrol with it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy import delete, update

from core import staff
from core.db import StoreDatabase
from core.sync import client as sync_client
from hq import service
from hq.db import make_engine, migrate
from hq.models import ALL_TABLES, hq_state

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("ORCHARD_TEST_PG", "postgresql://postgres:postgres@127.0.0.1:5432/postgres")


def pg_url(dbname: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + dbname


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HqServer:
    """``orchard-hq serve`` in a child process; kill it, restart it, reset its data."""

    def __init__(self, db_url: str, log: Path, *, tls: tuple[Path, Path] | None = None):
        self.db_url = db_url
        self.port = free_port()
        self.log = log
        self.tls = tls
        self.proc: subprocess.Popen | None = None
        self.engine = make_engine(db_url)
        migrate(self.engine)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> None:
        # --no-crm: the score loop would publish customer_score rows in the middle of other tests'
        # syncs; the CRM tests call hq.crm's functions themselves
        cmd = [sys.executable, "-m", "hq.cli", "serve", "--db", self.db_url, "--host", "127.0.0.1",
               "--port", str(self.port), "--no-crm"]
        if self.tls:
            cmd += ["--ssl-certfile", str(self.tls[0]), "--ssl-keyfile", str(self.tls[1])]
        out = open(self.log, "ab")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=out)
        out.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"HQ exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("HQ did not start in time")

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)

    def restart(self) -> None:
        self.kill()
        self.start()

    def reset(self) -> None:
        with self.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
            for table in ALL_TABLES:
                if table is not hq_state:
                    conn.execute(delete(table))
            conn.execute(update(hq_state).values(num=0, text=""))

    def enrolment(self, code: str, name: str | None = None, publisher: bool = False) -> str:
        return service.create_enrolment(self.engine, code, name or f"Store {code}", publisher=publisher)

    def close(self) -> None:
        self.kill()
        self.engine.dispose()


@pytest.fixture(scope="session")
def pg_database():
    """A PostgreSQL database of its own for this test run, dropped at the end."""
    name = f"orchard_hq_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield pg_url(name)
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _servers(pg_database, tmp_path_factory):
    made: dict[str, HqServer] = {}
    folder = tmp_path_factory.mktemp("hq")

    def get(kind: str) -> HqServer:
        if kind not in made:
            url = pg_database if kind == "postgresql" else str(folder / "hq.sqlite")
            server = HqServer(url, folder / f"{kind}.log")
            server.start()
            made[kind] = server
        return made[kind]
    yield get
    for server in made.values():
        server.close()


@pytest.fixture(params=["postgresql"])
def hq(request, _servers) -> HqServer:
    """A running HQ with empty data; PostgreSQL unless a test asks for
    ``indirect`` parameters ("postgresql", "sqlite")."""
    server = _servers(request.param)
    if server.proc is None or server.proc.poll() is not None:
        server.start()
    server.reset()
    yield server
    if server.proc is None or server.proc.poll() is not None:
        server.start()


@dataclass
class Store:
    db: StoreDatabase
    store_id: uuid.UUID
    admin: object
    code: str

    def client(self, **kw) -> sync_client.SyncClient:
        return sync_client.SyncClient(self.db, **kw)

    def sync(self, **kw) -> sync_client.SyncReport:
        with self.client(**kw) as c:
            return c.sync()

    def push(self, **kw):
        with self.client(**kw) as c:
            return c.push()

    def pull(self, **kw):
        with self.client(**kw) as c:
            return c.pull()


@pytest.fixture
def make_store(_template_db, tmp_path):
    """``make_store(code, hq=None, publisher=False)``: a fresh encrypted store database with
    its store and admin; enrolled with ``hq`` when given."""
    opened: list[StoreDatabase] = []

    def factory(code: str, hq: HqServer | None = None, *, publisher: bool = False, name: str | None = None,
                tz: str = "Asia/Shanghai") -> Store:
        folder = tmp_path / f"store-{code}-{uuid.uuid4().hex[:6]}"
        folder.mkdir()
        for f in _template_db.iterdir():
            if f.name.endswith((".db", ".json")):
                shutil.copy2(f, folder / f.name)
        db = StoreDatabase.open(folder / "store.db", passphrase="test-passphrase")
        opened.append(db)
        _, store_id, admin = staff.bootstrap_store(
            db, code=code, name=name or f"Orchard {code}", timezone=tz, country="CN", admin_name="Ada Admin",
            admin_password="admin-pass-1", admin_pin="1111")
        store = Store(db, store_id, admin, code)
        if hq is not None:
            one_time = hq.enrolment(code, publisher=publisher)
            sync_client.enrol(db, admin, hq.url, one_time)
        return store
    yield factory
    for db in opened:
        db.close()


def hq_get(hq: HqServer, path: str, **kw) -> httpx.Response:
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        return c.get(path, **kw)


def hq_post(hq: HqServer, path: str, **kw) -> httpx.Response:
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        return c.post(path, **kw)
