"""A local HQ for the demo: ``orchard-hq serve`` on loopback over the demo's SQLite file,
started in the background when none answers, and the demo store enrolled with it as the
publisher of reference data (the demo store carries the price book, parts and service
types).

    from hq.demo import ensure_local_hq, enrol_demo_store
    url = ensure_local_hq()                 # http://127.0.0.1:8765, started if needed
    enrol_demo_store(db, admin_actor, url)  # once, after build_demo

With an SQLite file (the demo's own HQ), ``ensure_local_hq`` also makes sure of the web
console's demo user, ``demo-admin`` (role admin). Its password is not written in the code:
it is generated once and kept beside that HQ's SQLite file in ``demo-console.json``
(mode 0600, like the demo's PINs), and the desktop's sign-in screen shows it in demo mode
(:func:`console_sign_in`). A demo user is never made on any other HQ (PostgreSQL).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from core.demo.info import DemoConsole

DEMO_PORT = 8765
CONSOLE_USER = "demo-admin"
CONSOLE_FILE = "demo-console.json"
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"     # nothing to misread (no 0/o, 1/l/i)


def _demo_folder(hq_db: str) -> Path:
    """The folder of the demo HQ's SQLite file; anything else is not a demo's HQ."""
    prefix = "sqlite:///"
    if not hq_db.startswith(prefix) or hq_db == prefix + ":memory:":
        raise ValueError("the demo console user lives only in a demo's SQLite HQ")
    return Path(hq_db[len(prefix):]).parent


def _new_password() -> str:
    groups = ("".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(5)) for _ in range(3))
    return "-".join(groups)         # e.g. k7m2p-q9x4t-r3hw8: 74 bits, easy to type from the screen


def console_sign_in(hq_db: str, port: int) -> DemoConsole:
    """The demo console's address and sign-in, the password made on the first call and kept
    in the demo folder, readable by this user only. Whoever comes first (the sign-in screen
    or the HQ's start) makes it; the other reads the same one."""
    path = _demo_folder(hq_db) / CONSOLE_FILE
    url = f"http://127.0.0.1:{port}/console/"
    try:
        return DemoConsole(url, CONSOLE_USER, str(json.loads(path.read_text("utf-8"))["password"]))
    except FileNotFoundError:
        damaged = False
    except (OSError, ValueError, KeyError, TypeError):
        damaged = True          # never half-written (see below): damaged, so made anew
    # written whole under a private name, then linked in place: a reader never sees half a
    # file, and of two first callers only one link wins (the other reads the winner's)
    tmp = path.with_name(f".{CONSOLE_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"username": CONSOLE_USER, "password": _new_password()}, fh)
        if damaged:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
    finally:
        tmp.unlink(missing_ok=True)
    return DemoConsole(url, CONSOLE_USER, str(json.loads(path.read_text("utf-8"))["password"]))


def ensure_console_user(hq_db: str, port: int) -> DemoConsole:
    """The demo HQ has the console's demo admin, with the password kept in the demo folder
    (created, or given that password again when the file was made anew)."""
    from sqlalchemy import select

    from core.secrets_hash import verify_secret
    from hq.console import accounts
    from hq.db import make_engine, migrate
    from hq.models import hq_user
    login = console_sign_in(hq_db, port)
    engine = make_engine(hq_db)
    try:
        migrate(engine)
        with engine.connect() as conn:
            row = conn.execute(select(hq_user.c.id, hq_user.c.password_hash)
                               .where(hq_user.c.username == CONSOLE_USER)).first()
        if row is None:
            try:
                accounts.create_user(engine, CONSOLE_USER, "Demo admin", "admin", login.password)
            except accounts.ConsoleError:       # made by a start running at the same moment
                pass
        elif not verify_secret(login.password, row.password_hash):
            accounts.set_password(engine, row.id, login.password, by=None)
    finally:
        engine.dispose()
    return login


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
        return True
    except OSError:
        return False


def ensure_local_hq(port: int = DEMO_PORT, db: str | None = None, log: Path | None = None) -> str:
    """The URL of a local HQ, starting ``orchard-hq serve`` detached when none answers.
    It keeps running after the app exits (it is the chain's HQ, not the counter's). On the
    demo's SQLite HQ, the console's demo user is made sure of first."""
    url = f"http://127.0.0.1:{port}"
    if db and db.startswith("sqlite:///"):
        ensure_console_user(db, port)       # before serving, so the screen's sign-in works at once
    if _answers(port):
        return url
    cmd = [sys.executable, "-m", "hq.cli", "serve", "--port", str(port)]
    if db:
        cmd += ["--db", db]
    out = open(log, "ab") if log else subprocess.DEVNULL
    subprocess.Popen(cmd, stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True,
                     cwd=Path(__file__).resolve().parent.parent)
    if log:
        out.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _answers(port):
            return url
        time.sleep(0.1)
    raise RuntimeError("the local HQ did not start")


def publish_care_starter(engine, *, now_ms: int | None = None) -> int:
    """HQ's starter rules for the customer's voice (``core.care.starter``: complaint rules,
    response scripts in EN and ZH, care settings), published as HQ's own reference data so
    every store pulls them. Only the rows HQ lacks (by id, or by their natural key among
    live rows): what the console has edited or deleted since stays as it is. Returns how
    many rows were published."""
    from datetime import datetime, timezone

    from sqlalchemy import select

    from core import clock
    from core.care import starter
    from core.sync.outbox import jsonable
    from hq.models import hq_row
    from hq.publish import Change, publish
    at = clock.now() if now_ms is None else datetime.fromtimestamp(now_ms / 1000, timezone.utc)
    rows = starter.starter_rows(at.replace(microsecond=0))
    entities = {entity for entity, _ in rows}
    with engine.connect() as conn:
        have = conn.execute(select(hq_row.c.entity, hq_row.c.entity_id, hq_row.c.deleted, hq_row.c.data)
                            .where(hq_row.c.entity.in_(entities))).all()
    ids = {(r.entity, r.entity_id) for r in have}
    keys = {(r.entity, *starter.natural_key(r.entity, r.data)) for r in have if not r.deleted and r.data}
    changes = [Change(entity, str(data["id"]), {k: jsonable(v) for k, v in data.items()})
               for entity, data in rows
               if (entity, str(data["id"])) not in ids and (entity, *starter.natural_key(entity, data)) not in keys]
    if changes:
        publish(engine, changes, now_ms=now_ms)
    return len(changes)


def enrol_demo_store(db, actor, url: str, hq_db: str | None = None) -> None:
    """Register the demo store with the local HQ (same machine, same SQLite file) and
    enrol it; it publishes the demo's reference data. HQ publishes its starter rules for
    complaints and surveys (:func:`publish_care_starter`) before the store's first sync."""
    from core.staff import current_store
    from core.sync import client as sync_client
    from hq import service
    from hq.db import make_engine, migrate
    with db.session() as s:
        store = current_store(s)
    engine = make_engine(hq_db)
    try:
        migrate(engine)
        publish_care_starter(engine)
        code = service.create_enrolment(engine, store.code, store.name, publisher=True)
    finally:
        engine.dispose()
    sync_client.enrol(db, actor, url, code)
