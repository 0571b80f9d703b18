"""A local HQ for the demo: ``orchard-hq serve`` on loopback over the demo's SQLite file,
started in the background when none answers, and the demo store enrolled with it as the
publisher of reference data (the demo store carries the price book, parts and service
types).

    from hq.demo import ensure_local_hq, enrol_demo_store
    url = ensure_local_hq()                 # http://127.0.0.1:8765, started if needed
    enrol_demo_store(db, admin_actor, url)  # once, after build_demo

The HQ it starts belongs to the process that started it: :func:`stop_local_hqs` ends it
(the app calls it on closing, and it runs at exit), and when that process is killed the HQ
ends by itself: it holds the read end of a pipe (a "lifeline") whose only writer is the
app, and stops when the pipe reads end-of-file, which the kernel makes happen whichever way
the app died. (Not ``PR_SET_PDEATHSIG``: that fires when the starting *thread* ends, and the
app starts its HQ from a pool thread that expires after 30 s idle.) It runs in a process
group of its own, which is what a stop signals. An HQ a previous run left behind (a start
from before this, serving the same file on the same port, its starter gone) is replaced;
one another running app started is reused.

With an SQLite file (the demo's own HQ), ``ensure_local_hq`` also makes sure of the web
console's demo user, ``demo-admin`` (role admin). Its password is not written in the code:
it is generated once and kept beside that HQ's SQLite file in ``demo-console.json``
(mode 0600, like the demo's PINs), and the desktop's sign-in screen shows it in demo mode
(:func:`console_sign_in`). A demo user is never made on any other HQ (PostgreSQL).
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import TimeoutExpired

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


@dataclass
class _Started:
    proc: subprocess.Popen[bytes]
    lifeline: int                   # the write end: closed when this process ends, however it ends
    pidfile: Path | None


_started: list[_Started] = []
_lock = threading.Lock()
_at_exit = False
PIDFILE = "hq.pid"


def ensure_local_hq(port: int = DEMO_PORT, db: str | None = None, log: Path | None = None) -> str:
    """The URL of a local HQ, starting ``orchard-hq serve`` when none answers. The one it
    starts belongs to this process (see the module's notes): it ends when this process ends
    or calls :func:`stop_local_hqs`. On the demo's SQLite HQ, the console's demo user is
    made sure of first; an HQ a previous run left behind on that file and port is replaced."""
    url = f"http://127.0.0.1:{port}"
    if db and db.startswith("sqlite:///"):
        ensure_console_user(db, port)       # before serving, so the screen's sign-in works at once
    if _answers(port):
        previous = _left_behind(port, db)
        if previous is None:
            return url                      # ours, another running app's, or not one we can tell
        _end(previous, port)
    proc = _start(port, db, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if _answers(port):
            return url
        time.sleep(0.1)
    raise RuntimeError("the local HQ did not start")


def _pidfile(db: str | None) -> Path | None:
    try:
        return _demo_folder(db or "") / PIDFILE
    except ValueError:
        return None


def _start(port: int, db: str | None, log: Path | None) -> subprocess.Popen[bytes]:
    read_end, write_end = os.pipe()         # both close-on-exec; only the HQ is handed the read end
    cmd = [sys.executable, "-m", "hq.demo", "--lifeline", str(read_end), "serve", "--port", str(port)]
    if db:
        cmd += ["--db", db]
    out = open(log, "ab") if log else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(cmd, stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True,
                                pass_fds=(read_end,), cwd=Path(__file__).resolve().parent.parent)
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)
        if log:
            out.close()
    pidfile = _pidfile(db)
    global _at_exit
    with _lock:
        if not _at_exit:
            atexit.register(stop_local_hqs, wait=5.0)
            _at_exit = True
        _started.append(_Started(proc, write_end, pidfile))
    if pidfile is not None:
        from core.vault import atomic_write
        atomic_write(pidfile, json.dumps({"pid": proc.pid, "owner": os.getpid(), "port": port}).encode("ascii"))
    return proc


def local_hq_pids() -> list[int]:
    """The HQ processes this process started and has not stopped."""
    with _lock:
        return [s.proc.pid for s in _started if s.proc.poll() is None]


def stop_local_hqs(wait: float = 0.0) -> None:
    """End every HQ this process started (its process group, SIGTERM). With ``wait``, wait
    that many seconds for each to end, then kill what is left. The app calls it with no wait
    on closing (the HQ also stops by itself once the app's lifeline closes); at exit it
    waits."""
    with _lock:
        started = list(_started)
        _started.clear()
    for s in started:
        _signal_group(s.proc.pid, signal.SIGTERM)
        try:
            os.close(s.lifeline)
        except OSError:
            pass
    for s in started:
        if wait > 0:
            try:
                s.proc.wait(timeout=wait)
            except TimeoutExpired:
                _signal_group(s.proc.pid, signal.SIGKILL)
                try:
                    s.proc.wait(timeout=wait)
                except TimeoutExpired:
                    pass
        if s.pidfile is not None:
            _forget_pidfile(s.pidfile, s.proc.pid)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)                 # its own session: the group's id is its pid
    except (ProcessLookupError, PermissionError):
        pass


def _forget_pidfile(path: Path, pid: int) -> None:
    try:
        if json.loads(path.read_text("ascii")).get("pid") == pid:
            path.unlink()
    except (OSError, ValueError, AttributeError):
        pass


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (an orphan's zombie may wait long for its reaper)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii")
    except OSError:
        return True                         # no /proc: it exists, that is all one can tell
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def _serving(pid: int, port: int, db: str) -> bool:
    """Process ``pid`` is an ``orchard-hq serve`` of this file on this port (Linux's /proc)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return False
    pairs = set(zip(args, args[1:]))
    return "serve" in args and ("--port", str(port)) in pairs and ("--db", db) in pairs


def _left_behind(port: int, db: str | None) -> int | None:
    """The process id of the HQ answering on ``port`` for the demo file ``db`` when a
    previous run left it behind (its starter gone, or a start from before HQs were owned),
    else None: this process's own, another running app's, or none this can tell (no /proc)."""
    if not db or not db.startswith("sqlite:///") or not Path("/proc/self").exists():
        return None
    mine = os.getuid()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if entry.stat().st_uid != mine:
                    continue
            except OSError:
                continue
            if _serving(int(entry.name), port, db) and _alive(int(entry.name)):
                found.append(int(entry.name))
    if not found:
        return None
    pidfile = _pidfile(db)
    try:
        noted = json.loads(pidfile.read_text("ascii")) if pidfile else {}
    except (OSError, ValueError):
        noted = {}
    for pid in found:
        owner = noted.get("owner") if isinstance(noted, dict) and noted.get("pid") == pid else None
        if isinstance(owner, int) and (owner == os.getpid() or _alive(owner)):
            return None                     # a running app's HQ: shared, not taken over
    return found[0]


def _end(pid: int, port: int) -> None:
    """End a left-behind HQ and wait until it is gone and its port free (killed after 10 s)."""
    for sig, seconds in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not _alive(pid) and not _answers(port):
                return
            time.sleep(0.1)
    raise RuntimeError("a local HQ left by a previous run did not stop")


def stop_left_behind(port: int, db: str) -> None:
    """Before a demo folder is thrown away (``orchard demo --fresh``): end the HQ serving
    its file, if a previous run left one."""
    pid = _left_behind(port, db)
    if pid is not None:
        _end(pid, port)


def _serve_with_lifeline(argv: list[str]) -> int:
    """``python -m hq.demo --lifeline FD serve ...``: ``orchard-hq serve ...`` that stops
    when FD reads end-of-file, i.e. when the process that started it is gone (nothing is
    ever written to it). A stop is SIGTERM to itself (uvicorn's graceful shutdown, or the
    default action before uvicorn has started); if that has not ended it in 10 s, it exits."""
    if len(argv) < 2 or argv[0] != "--lifeline":
        print("usage: python -m hq.demo --lifeline FD serve [orchard-hq serve options]", file=sys.stderr)
        return 2
    fd = int(argv[1])

    def watch() -> None:
        try:
            while os.read(fd, 1):
                pass
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGTERM)
        threading.Event().wait(10)
        os._exit(0)
    threading.Thread(target=watch, name="hq-lifeline", daemon=True).start()
    from hq.cli import main
    return main(argv[2:])


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


if __name__ == "__main__":
    sys.exit(_serve_with_lifeline(sys.argv[1:]))
