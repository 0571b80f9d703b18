"""A local HQ for the demo: ``orchard-hq serve`` on loopback over the demo's SQLite file,
started in the background when none answers, and the demo store enrolled with it as the
publisher of reference data (the demo store carries the price book, parts and service
types).

    from hq.demo import ensure_local_hq, enrol_demo_store
    url = ensure_local_hq()                 # http://127.0.0.1:8765, started if needed
    enrol_demo_store(db, admin_actor, url)  # once, after build_demo
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

DEMO_PORT = 8765


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
        return True
    except OSError:
        return False


def ensure_local_hq(port: int = DEMO_PORT, db: str | None = None, log: Path | None = None) -> str:
    """The URL of a local HQ, starting ``orchard-hq serve`` detached when none answers.
    It keeps running after the app exits (it is the chain's HQ, not the counter's)."""
    url = f"http://127.0.0.1:{port}"
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


def enrol_demo_store(db, actor, url: str, hq_db: str | None = None) -> None:
    """Register the demo store with the local HQ (same machine, same SQLite file) and
    enrol it; it publishes the demo's reference data."""
    from core.staff import current_store
    from core.sync import client as sync_client
    from hq import service
    from hq.db import make_engine, migrate
    with db.session() as s:
        store = current_store(s)
    engine = make_engine(hq_db)
    try:
        migrate(engine)
        code = service.create_enrolment(engine, store.code, store.name, publisher=True)
    finally:
        engine.dispose()
    sync_client.enrol(db, actor, url, code)
