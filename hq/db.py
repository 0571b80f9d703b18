"""HQ's database: PostgreSQL (psycopg 3) in production, an SQLite file for the demo.

Writers lock the rows they change and then the lanes they write to (``hq_lane``, one
sequence per lane, locked FOR UPDATE in lane order on PostgreSQL; SQLite takes its
write lock at BEGIN IMMEDIATE), which makes each lane's sequence commit in order: a pull
that has seen sequence N in a lane has seen everything below N in it, so a cursor never
skips a change committed late (:mod:`hq.lanes`).  Any number of HQ processes may serve
one PostgreSQL database; on PostgreSQL the per-store tables are partitioned by lane
(migration hq0014).
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.engine import make_url

from hq.common import LANES
from hq.models import hq_lane

MIGRATIONS = Path(__file__).parent / "migrations"


def default_sqlite_path() -> Path:
    base = os.environ.get("ORCHARD_HQ_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "orchard-hq")
    return Path(base) / "hq.sqlite"


def normalise_url(url: str | None) -> str:
    """``postgresql://`` means psycopg 3; a bare path means an SQLite file; ``None``
    means the demo's SQLite file."""
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return f"sqlite:///{path}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def _private_file(url: str) -> Path | None:
    """An SQLite file's path, created (empty) readable by its owner only, and made so if it
    already existed; None for an in-memory database. SQLite gives the ``-wal`` and ``-shm``
    files the database file's mode; they are tightened too on each connection."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)
    return path


def _chmod_private(path: Path) -> None:
    for f in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if f.stat().st_mode & 0o077:
                os.chmod(f, 0o600)
        except FileNotFoundError:
            pass


def make_engine(url: str | None) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        private = _private_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=8, max_overflow=8)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None        # we say BEGIN ourselves
            dbapi_conn.execute("PRAGMA journal_mode = WAL")
            dbapi_conn.execute("PRAGMA synchronous = NORMAL")
            dbapi_conn.execute("PRAGMA busy_timeout = 30000")
            if private is not None:
                _chmod_private(private)

        @event.listens_for(engine, "begin")
        def _begin(conn):
            mode = "IMMEDIATE" if conn.get_execution_options().get("hq_write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")
        return engine
    # prepare_threshold None: no statement is ever prepared on the server, so each is planned
    # for its values. psycopg prepares one after its fifth run on a connection (an executemany
    # at its first), and PostgreSQL then moves a statement that looks up an array of keys to a
    # generic plan (it guesses ten keys for an array it cannot see), which on PostgreSQL 15
    # locks every partition of hq_row and each of its indexes at every run: with 200 stores
    # pushing at once that cost 45% more PostgreSQL CPU per change (hq/SCALING.md, fourth round)
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True,
                         connect_args={"prepare_threshold": None},
                         json_serializer=_json_text, json_deserializer=orjson.loads)


def _json_text(obj) -> str:
    return orjson.dumps(obj).decode()


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (safe with several HQ processes
    starting at once on PostgreSQL: they queue on an advisory lock)."""
    from alembic import command
    from alembic.config import Config
    with engine.connect() as conn:
        conn = conn.execution_options(hq_write=True)
        with conn.begin():
            if is_postgres(engine):
                conn.execute(text("SELECT pg_advisory_xact_lock(7012026)"))
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            have = set(conn.scalars(select(hq_lane.c.lane)))
            missing = [dict(lane=lane, seq=0, hlc="") for lane in range(LANES) if lane not in have]
            if missing:
                conn.execute(insert(hq_lane), missing)
