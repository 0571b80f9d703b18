"""Sync throughput: an encrypted store database and HQ on PostgreSQL, on loopback.

1. One store pushes a backlog of N changes (default 100,000 new customers, captured in
   its outbox like any write), and a fresh replica of the store pulls them all back.
   Changes per second each way, beside a raw psycopg COPY of the same rows into and out
   of PostgreSQL in the same run (the limit), and the peak memory (VmHWM) of the store
   process, for the full backlog and for one tenth of it (flat = memory does not grow
   with the backlog).
2. Twenty stores (default) sync at once against one HQ: aggregate changes per second
   and the 95th percentile of a push batch's round trip.

    .venv/bin/python bench/sync.py [--changes 100000] [--stores 20] [--per-store 2500]
                                   [--pg postgresql://postgres:postgres@127.0.0.1:5432/postgres]

Targets (issue 11): 10,000 changes/s or better each way; memory flat in the backlog size.
The store sides run in child processes so their memory is their own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSPHRASE = "bench-passphrase"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_kib() -> int:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# --- child processes (the store side) -------------------------------------------------------

def child(args) -> None:
    from core import clock
    from core.db import StoreDatabase
    from core.sync import client as sync_client
    import httpx

    db = StoreDatabase.open(args.db, passphrase=PASSPHRASE)
    latencies: list[float] = []
    # opening derived the key with Argon2id (64 MiB); reset the high-water mark so the
    # peak is the sync's own
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass

    class Timed(httpx.BaseTransport):
        def __init__(self):
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request):
            t = time.perf_counter()
            r = self.inner.handle_request(request)
            r.read()
            if request.url.path == "/v1/push":
                latencies.append(time.perf_counter() - t)
            return r

    if args.start_at:
        time.sleep(max(0.0, args.start_at - clock.now().timestamp()))
    out: dict = {}
    batch = int(os.environ.get("ORCHARD_BENCH_BATCH") or sync_client.BATCH_SIZE)
    with sync_client.SyncClient(db, transport=Timed(), batch_size=batch) as c:
        if args.child in ("push", "both"):
            t0 = time.perf_counter()
            accepted, refused = c.push()
            out.update(push_s=time.perf_counter() - t0, pushed=accepted, refused=refused,
                       push_start=clock.now().timestamp() - (time.perf_counter() - t0), push_end=clock.now().timestamp())
        if args.child in ("pull", "both"):
            t0 = time.perf_counter()
            rows, pages, _ = c.pull()
            out.update(pull_s=time.perf_counter() - t0, pulled=rows, pages=pages,
                       pull_start=clock.now().timestamp() - (time.perf_counter() - t0), pull_end=clock.now().timestamp())
    out["latencies"] = latencies
    out["peak_rss_kib"] = peak_rss_kib()
    db.close()
    print("RESULT " + json.dumps(out), flush=True)


def run_child(kind: str, db: Path, start_at: float | None = None, batch: int | None = None) -> subprocess.Popen:
    cmd = [sys.executable, __file__, "--child", kind, "--db", str(db)]
    if start_at:
        cmd += ["--start-at", str(start_at)]
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    if batch:
        env["ORCHARD_BENCH_BATCH"] = str(batch)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def result_of(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=3600)
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"child failed ({proc.returncode}): {err[-3000:]}")


# --- set-up ---------------------------------------------------------------------------------

class Hq:
    def __init__(self, url: str, log: Path):
        from hq.db import make_engine, migrate
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine)
        self.procs: list[tuple[subprocess.Popen, int]] = []
        self.log = log

    def start(self, n: int = 1) -> list[str]:
        urls = []
        for _ in range(n):
            port = free_port()
            out = open(self.log, "ab")
            proc = subprocess.Popen([sys.executable, "-m", "hq.cli", "serve", "--db", self.url, "--port", str(port)],
                                    cwd=ROOT, stdout=out, stderr=out)
            out.close()
            self.procs.append((proc, port))
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("HQ did not start")
                    time.sleep(0.1)
            urls.append(f"http://127.0.0.1:{port}")
        return urls

    def stop(self) -> None:
        for proc, _ in self.procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
        self.procs = []
        self.engine.dispose()


def make_store(folder: Path, code: str):
    from core import staff
    from core.db import StoreDatabase
    folder.mkdir(parents=True)
    db = StoreDatabase.create(folder / "store.db", passphrase=PASSPHRASE)
    _, store_id, admin = staff.bootstrap_store(db, code=code, name=f"Bench {code}", timezone="Asia/Shanghai",
                                               country="CN", admin_name="Bench Admin",
                                               admin_password="bench-password", admin_pin=None)
    return db, store_id, admin


def add_customers(db, store_id, n: int, start: int = 0) -> float:
    from core.models import Customer
    t0 = time.perf_counter()
    for k in range(start, start + n, 5000):
        with db.session(write=True) as s:
            s.add_all(Customer(home_store_id=store_id, given_name=f"Given{i}", family_name="Bench",
                               phone_e164=f"+86139{i:08d}", email=f"given{i}@example.com",
                               address=f"{i} Nanjing Road") for i in range(k, min(start + n, k + 5000)))
    return time.perf_counter() - t0


def enrol(db, admin, hq: Hq, url: str, code: str) -> None:
    from core.sync import client as sync_client
    from hq import service
    sync_client.enrol(db, admin, url, service.create_enrolment(hq.engine, code, f"Bench {code}"))


def copy_files(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for f in src.iterdir():
        if f.name.endswith((".db", ".json")):
            shutil.copy2(f, dest / f.name)


def copy_baseline(hq: Hq) -> tuple[float, float, int]:
    """COPY the customer rows HQ holds into a scratch table, and out again: the limit."""
    import psycopg
    from sqlalchemy.engine import make_url
    u = make_url(hq.url)
    dsn = f"host={u.host} port={u.port or 5432} user={u.username} password={u.password or ''} dbname={u.database}"
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT entity, entity_id, seq, bucket, owner_store_id, customer_id, deleted, "
                            "data::text, stamps::text FROM hq_row WHERE entity = 'customer'").fetchall()
        conn.execute("CREATE TEMP TABLE bench_copy (LIKE hq_row)")
        t0 = time.perf_counter()
        with conn.cursor().copy("COPY bench_copy (entity, entity_id, seq, bucket, owner_store_id, customer_id, "
                                "deleted, data, stamps) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
        conn.commit()
        copy_in = time.perf_counter() - t0
        t0 = time.perf_counter()
        n = 0
        with conn.cursor().copy("COPY (SELECT * FROM bench_copy) TO STDOUT") as cp:
            for _ in cp.rows():
                n += 1
        copy_out = time.perf_counter() - t0
    return copy_in, copy_out, len(rows)


# --- the runs -------------------------------------------------------------------------------

def one_store(hq: Hq, url: str, tmp: Path, n: int, code: str) -> dict:
    db, store_id, admin = make_store(tmp / code, code)
    db.close()
    copy_files(tmp / code, tmp / f"{code}-replica")        # the same store, before the backlog
    from core.db import StoreDatabase
    db = StoreDatabase.open(tmp / code / "store.db", passphrase=PASSPHRASE)
    gen = add_customers(db, store_id, n)
    enrol(db, admin, hq, url, code)
    db.close()
    push = result_of(run_child("push", tmp / code / "store.db"))
    replica = StoreDatabase.open(tmp / f"{code}-replica" / "store.db", passphrase=PASSPHRASE)
    enrol(replica, admin, hq, url, code)                    # a fresh counter of the same store
    replica.close()
    pull = result_of(run_child("pull", tmp / f"{code}-replica" / "store.db"))
    return {"generate_s": gen, **{f"push_{k}" if not k.startswith("push") else k: v for k, v in push.items()},
            **{f"pull_{k}" if not k.startswith("pull") else k: v for k, v in pull.items()}}


def many_stores(hq: Hq, urls: list[str], tmp: Path, stores: int, per_store: int, batch: int) -> dict:
    from core import clock
    paths = []
    for i in range(stores):
        code = f"M{i:02d}"
        db, store_id, admin = make_store(tmp / code, code)
        add_customers(db, store_id, per_store, start=1_000_000 * (i + 1))
        enrol(db, admin, hq, urls[i % len(urls)], code)
        db.close()
        paths.append(tmp / code / "store.db")
    start_at = clock.now().timestamp() + 3 + stores * 0.1     # every child open and waiting before the start
    procs = [run_child("both", p, start_at, batch) for p in paths]
    results = [result_of(p) for p in procs]
    push_wall = max(r["push_end"] for r in results) - min(r["push_start"] for r in results)
    pull_wall = max(r["pull_end"] for r in results) - min(r["pull_start"] for r in results)
    lat = sorted(x for r in results for x in r["latencies"])
    return {"stores": stores, "pushed": sum(r["pushed"] for r in results), "pulled": sum(r["pulled"] for r in results),
            "push_wall_s": push_wall, "pull_wall_s": pull_wall,
            "p95_batch_s": lat[int(0.95 * (len(lat) - 1))] if lat else 0.0,
            "p50_batch_s": statistics.median(lat) if lat else 0.0, "batches": len(lat)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=100_000)
    ap.add_argument("--stores", type=int, default=20, help="0 skips the many-stores run")
    ap.add_argument("--per-store", type=int, default=2500)
    ap.add_argument("--hq-procs", type=int, default=2, help="HQ processes for the many-stores run")
    ap.add_argument("--multi-batch", type=int, default=500, help="push batch size of each of the many stores")
    ap.add_argument("--pg", default=os.environ.get("ORCHARD_TEST_PG",
                                                   "postgresql://postgres:postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--child")
    ap.add_argument("--db")
    ap.add_argument("--start-at", type=float)
    args = ap.parse_args()
    if args.child:
        child(args)
        return 0

    import psycopg
    name = f"orchard_hq_bench_{uuid.uuid4().hex[:10]}"
    base = args.pg.rsplit("/", 1)[0]
    with psycopg.connect(args.pg, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    tmp = Path(tempfile.mkdtemp(prefix="orchard-sync-bench-"))
    hq = Hq(f"{base}/{name}", tmp / "hq.log")
    try:
        [url] = hq.start(1)
        print(f"HQ on {url}, PostgreSQL database {name}; stores in {tmp}", flush=True)
        sizes = {"S10": args.changes // 10, "S50": args.changes // 2}
        runs = {code: one_store(hq, url, tmp, n, code) for code, n in sizes.items()}
        big = one_store(hq, url, tmp, args.changes, "BIG")
        copy_in, copy_out, copy_rows = copy_baseline(hq)
        print()
        print(f"One store, {args.changes:,} changes (new customers), encrypted store <-> HQ on PostgreSQL:")
        print(f"  generating the backlog (ORM writes + outbox capture): {big['generate_s']:.1f} s")
        push_rate = big["pushed"] / big["push_s"]
        pull_rate = big["pulled"] / big["pull_s"]
        cin, cout = copy_rows / copy_in, copy_rows / copy_out
        print(f"  push: {big['pushed']:,} in {big['push_s']:.1f} s = {push_rate:,.0f} changes/s "
              f"| raw COPY into PostgreSQL {cin:,.0f} rows/s (ratio {push_rate / cin:.3f})")
        print(f"  pull: {big['pulled']:,} in {big['pull_s']:.1f} s = {pull_rate:,.0f} changes/s "
              f"| raw COPY out of PostgreSQL {cout:,.0f} rows/s (ratio {pull_rate / cout:.3f})")
        print("  peak memory of the store process (VmHWM after opening), by backlog size:")
        for label, r in [(f"{n:,}", runs[c]) for c, n in sizes.items()] + [(f"{args.changes:,}", big)]:
            print(f"    {label:>9}: push {r['push_peak_rss_kib'] / 1024:4.0f} MiB "
                  f"({r['pushed'] / r['push_s']:,.0f}/s), pull {r['pull_peak_rss_kib'] / 1024:4.0f} MiB "
                  f"({r['pulled'] / r['pull_s']:,.0f}/s)")
        print("    (sync works in batches and pages, on connections with an 8 MiB page cache of their own)")
        if args.stores <= 0:
            return 0
        hq.stop()
        hq = Hq(f"{base}/{name}", tmp / "hq.log")
        urls = hq.start(args.hq_procs)
        m = many_stores(hq, urls, tmp, args.stores, args.per_store, args.multi_batch)
        print()
        print(f"{m['stores']} stores at once, {args.per_store:,} changes each in batches of {args.multi_batch}, "
              f"{len(urls)} HQ processes on one PostgreSQL:")
        print(f"  push: {m['pushed']:,} in {m['push_wall_s']:.1f} s = {m['pushed'] / m['push_wall_s']:,.0f} "
              f"changes/s aggregate; batch round trip p50 {m['p50_batch_s'] * 1000:.0f} ms, "
              f"p95 {m['p95_batch_s'] * 1000:.0f} ms ({m['batches']} batches)")
        print(f"  pull: {m['pulled']:,} in {m['pull_wall_s']:.1f} s = {m['pulled'] / m['pull_wall_s']:,.0f} "
              f"changes/s aggregate")
        print(f"\nmachine: {os.cpu_count()} CPUs (shared with the HQ and PostgreSQL in this run)")
    except BaseException:
        log = tmp / "hq.log"
        if log.exists():
            print("--- HQ log (tail) ---\n" + log.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        hq.stop()
        with psycopg.connect(args.pg, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
