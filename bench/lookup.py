"""Customer lookup speed on a large encrypted store, beside the same data unencrypted.

    .venv/bin/python bench/lookup.py [--db PATH] [--customers 1000000] [--queries 500]

Builds (or reuses) an encrypted store with ``--customers`` customers (the same code as
``orchard seed``), exports an unencrypted copy with the same schema and indexes
(sqlcipher_export), then runs ``--queries`` as-you-type queries of each kind through
``core.search.lookup`` (first 50 results, as the search box asks) on both, interleaved.
Prints p50 and p95 per kind and the encrypted/unencrypted ratio.
Targets (issue 5): p95 < 5 ms for every kind encrypted; ratio < 1.5.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSPHRASE = "orchard-bench-lookup"


def build(path: Path, customers: int):
    from core.db import StoreDatabase
    from core.demo import build_demo, seed_large
    if path.exists():
        return StoreDatabase.open(path, passphrase=PASSPHRASE)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = StoreDatabase.create(path, passphrase=PASSPHRASE)
    build_demo(db, customers=200)
    t0 = time.perf_counter()

    def progress(done, total):
        print(f"\r  seeding {done:,}/{total:,}", end="", flush=True)
    seed_large(db, customers=customers - 200, progress=progress)
    print(f"\r  seeded {customers:,} customers in {time.perf_counter() - t0:.0f} s")
    return db


def export_plain(db, plain: Path) -> None:
    if plain.exists():
        return
    import sqlcipher3
    from core.db import _connect
    conn = _connect(db.path, db._key)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    del sqlcipher3


def plain_session(plain: Path):
    import sqlcipher3
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import StaticPool

    def connect():
        c = sqlcipher3.connect(str(plain), check_same_thread=False)
        from core import folding
        from core.db import CACHE_KIB
        folding.install(c)     # the name indexes are on orchard_fold (migration 0014)
        c.execute(f"PRAGMA cache_size = -{CACHE_KIB}")    # the same cache as the encrypted store
        c.execute("PRAGMA temp_store = MEMORY")
        return c
    return Session(create_engine("sqlite://", module=sqlcipher3, creator=connect, poolclass=StaticPool))


def queries(session, n: int, rng: random.Random) -> dict[str, list[str]]:
    """Realistic as-you-type inputs taken from the data itself."""
    from sqlalchemy import text
    total = session.execute(text("SELECT max(rowid) FROM customer")).scalar()

    def sample(sql: str, k: int) -> list[tuple]:
        out = []
        while len(out) < k:
            start = rng.randint(1, total)
            out += list(session.execute(text(sql + " AND c.rowid >= :r LIMIT 20"), {"r": start}))
        rng.shuffle(out)
        return out[:k]
    han = sample("SELECT family_name, given_name FROM customer c WHERE name_pinyin != ''", n)
    latin = sample("SELECT given_name, family_name FROM customer c WHERE name_pinyin = '' AND given_name != ''", n)
    pinyin = sample("SELECT name_pinyin, name_initials FROM customer c WHERE name_pinyin != ''", n)
    phones = sample("SELECT phone_e164 FROM customer c WHERE phone_e164 IS NOT NULL", n)
    emails = sample("SELECT email FROM customer c WHERE email IS NOT NULL", n)
    devices = [tuple(r) for r in session.execute(text(
        "SELECT imei, serial FROM device WHERE imei IS NOT NULL AND rowid >= :r LIMIT :n"),
        {"r": rng.randint(1, 1000), "n": n})]
    members = [r[0] for r in session.execute(text(
        "SELECT member_number FROM loyalty_account WHERE rowid >= :r LIMIT :n"), {"r": rng.randint(1, 1000), "n": n})]
    return {
        "chinese name": [(f + g)[:rng.choice([1, 2, 3])] for f, g in han],
        "latin name": [(g + " " + f)[:rng.randint(2, 8)] for g, f in latin],
        "pinyin": [p.replace(" ", "")[:rng.randint(3, 8)] for p, _ in pinyin],
        "initials": [i for _, i in pinyin],
        "phone digits": [p[-rng.randint(4, 8):] for (p,) in phones],
        "email": [e[:rng.randint(3, 10)] for (e,) in emails],
        "imei": [i for i, _ in devices][:n],
        "serial": [s[:rng.randint(6, 10)] for _, s in devices if s][:n],
        "member card": [f"ORCHARD:M:{m}" for m in members][:n],
    }


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path("/tmp/orchard-bench/lookup/store.db"))
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=500)
    args = ap.parse_args()
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    from core import search
    from core.permissions import Actor, Role

    print(f"encrypted store: {args.db}")
    db = build(args.db, args.customers)
    plain = args.db.with_name("plain.db")
    t0 = time.perf_counter()
    export_plain(db, plain)
    print(f"unencrypted copy: {plain} ({time.perf_counter() - t0:.0f} s)")
    actor = Actor(uuid.uuid4(), uuid.uuid4(), Role.MANAGER)
    rng = random.Random(5)
    with db.session() as enc:
        from sqlalchemy import text
        count = enc.execute(text("SELECT count(*) FROM customer")).scalar()
        work = queries(enc, args.queries, rng)
    pl = plain_session(plain)
    print(f"{count:,} customers; {args.queries} queries per kind, first 50 results, interleaved\n")
    print(f"{'kind':14} {'enc p50':>8} {'enc p95':>8} {'plain p50':>9} {'plain p95':>9} {'ratio p95':>9}  hits")
    worst = 0.0
    ratios = []
    with db.session() as enc:
        for kind, qs in work.items():
            for q in qs[:20]:           # warm both caches alike
                search.lookup(enc, actor, q)
                search.lookup(pl, actor, q)
            te, tp, hits = [], [], 0
            for q in qs:
                t = time.perf_counter()
                rows = search.lookup(enc, actor, q)
                te.append((time.perf_counter() - t) * 1000)
                hits += bool(rows)
                t = time.perf_counter()
                search.lookup(pl, actor, q)
                tp.append((time.perf_counter() - t) * 1000)
            e50, e95, p50, p95 = (statistics.median(te), percentile(te, 95), statistics.median(tp),
                                  percentile(tp, 95))
            worst = max(worst, e95)
            ratios.append(e95 / p95)
            print(f"{kind:14} {e50:7.2f}ms {e95:7.2f}ms {p50:8.2f}ms {p95:8.2f}ms {e95 / p95:8.2f}x  "
                  f"{hits}/{len(qs)}")
    print(f"\nworst encrypted p95: {worst:.2f} ms (target < 5 ms) -> {'met' if worst < 5 else 'NOT met'}")
    print(f"worst encrypted/unencrypted p95 ratio: {max(ratios):.2f} (target < 1.5) -> "
          f"{'met' if max(ratios) < 1.5 else 'NOT met'}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
