"""Sales import throughput (issue 23): ``orchard-hq import-sales`` of a large CSV file
against HQ on PostgreSQL, beside a raw ``COPY`` of the same file into a plain table.

1. A bench database of its own is made on the server (dropped at the end unless --keep),
   migrated, with 20 stores and ``--customers`` customers written straight into ``hq_row``
   by COPY (every customer a phone and an e-mail address, 40% of them a member number), as
   HQ would hold them after the stores' pushes.
2. A CSV file of ``--lines`` receipt lines (deterministic from ``--seed``): receipts of 1 to
   5 lines, about 60% carrying a key of a customer HQ has (member number, phone or e-mail,
   as a till types them), the rest an unknown phone or none; 4% refunds of an earlier receipt.
3. The import path (:func:`hq.sales.csv_import.import_csv`, what the command runs, without
   the scores' recompute, which hq.crm's bench times) is timed, then the same file again
   (every receipt a duplicate), then ``COPY ... FROM STDIN (FORMAT csv)`` of the file into an
   unlogged table of 13 text columns: lines/s each and the ratio.

    .venv/bin/python bench/sales_import.py [--lines 1000000] [--customers 200000] [--seed 23]
                                           [--pg postgresql://postgres:postgres@127.0.0.1:5432/postgres] [--keep]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STORES = [f"S{n:02d}" for n in range(1, 21)]
BASE = datetime(2025, 1, 1, tzinfo=timezone.utc)
HEADER = "receipt_id,store,at,currency,total_cents,member_no,phone,email,refund_of,sku,description,qty,amount_cents"
PRODUCTS = [("IP16-128", "iPhone 16 128 GB", 599_900), ("CASE-16", "Clear case", 9_900), ("CBL-1", "USB-C cable", 4_900),
            ("CHG-1", "20 W charger", 14_900), ("AIRP-4", "AirPods 4", 129_900), ("FILM-1", "Screen film", 2_900),
            ("WATCH-10", "Watch Series 10", 299_900), ("PAD-11", "iPad 11 inch", 359_900)]


def pg_url(admin: str, name: str) -> str:
    return admin.rsplit("/", 1)[0] + "/" + name


def phone(n: int) -> str:
    return f"+86139{n:08d}"


def member(n: int) -> str:
    from core.loyalty.rules import MEMBER_PREFIX
    from core.validation import luhn_check_digit
    body = f"{MEMBER_PREFIX}{n:08d}"
    return body + str(luhn_check_digit(body))


def seed_hq(engine, customers: int) -> dict[str, uuid.UUID]:
    """Stores, and the customers as HQ holds them, written by COPY."""
    import orjson
    from psycopg.types.json import Jsonb
    from sqlalchemy import update

    from core.sync.hlc import tick
    from hq import service
    from hq.common import GLOBAL_LANE, lane_of, lock_lanes, save_lanes
    from hq.models import hq_store
    stores = {}
    for code in STORES:
        service.create_enrolment(engine, code, f"Bench {code}")
        stores[code] = uuid.uuid4()
    stamp = tick(None, int(BASE.timestamp() * 1000), "bench").encode()
    with engine.begin() as conn:
        for code, sid in stores.items():
            conn.execute(update(hq_store).where(hq_store.c.code == code).values(store_id=sid))
        raw = conn.connection.dbapi_connection
        heads: dict[int, int] = {}

        def next_seq(lane: int) -> int:                # each lane numbers its own rows (hq.lanes)
            heads[lane] = heads.get(lane, 0) + 1
            return heads[lane]

        with raw.cursor() as cur, cur.copy("COPY hq_row (lane, entity, entity_id, seq, bucket, owner_store_id, "
                                           "customer_id, deleted, data, stamps) FROM STDIN") as copy:
            for code, sid in stores.items():           # the stores' own rows: their country for phone numbers
                copy.write_row([GLOBAL_LANE, "store", str(sid), next_seq(GLOBAL_LANE), "g", sid, None, False, Jsonb({
                    "id": str(sid), "code": code, "name": f"Bench {code}", "timezone": "Asia/Shanghai",
                    "country": "CN", "currency": "CNY"}, orjson.dumps), Jsonb({"*": stamp}, orjson.dumps)])
            for n in range(customers):
                cid = uuid.UUID(int=n + 1)
                home = stores[STORES[n % len(STORES)]]
                lane = lane_of(home)                   # a customer's rows are in their home store's lane
                copy.write_row([lane, "customer", str(cid), next_seq(lane), "c", None, cid, False, Jsonb({
                    "id": str(cid), "home_store_id": str(home), "given_name": f"G{n}", "family_name": f"F{n}",
                    "phone_e164": phone(n), "email": f"c{n}@example.com", "erased": False, "merged_into_id": None,
                    "contact_preference": ""}, orjson.dumps), Jsonb({"*": stamp}, orjson.dumps)])
                if n % 5 < 2:
                    acct = uuid.UUID(int=(1 << 100) + n)
                    copy.write_row([lane, "loyalty_account", str(acct), next_seq(lane), "c", None, cid, False, Jsonb({
                        "id": str(acct), "customer_id": str(cid), "member_number": member(n), "store_id": str(home),
                        "terms_version": "2026-01", "enrolled_at": BASE.isoformat(), "tier": "silver",
                        "active": True}, orjson.dumps), Jsonb({"*": stamp}, orjson.dumps)])
        save_lanes(conn, heads, None, lock_lanes(conn, heads))
        conn.exec_driver_sql("ANALYZE hq_row")
    return stores


def write_csv(path: Path, lines: int, customers: int, seed: int) -> tuple[int, int]:
    """The file; returns (lines, receipts)."""
    rnd = random.Random(seed)
    written = receipts = 0
    sales: list[tuple[str, str, int]] = []           # (receipt, store, total) to refund later
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        while written < lines:
            receipts += 1
            rid = f"R{receipts:09d}"
            store = rnd.choice(STORES)
            at = BASE + timedelta(seconds=rnd.randrange(600 * 86400))
            stamp = at.astimezone(timezone(timedelta(hours=8))).isoformat()
            mem = ph = mail = ""
            if rnd.random() < 0.6:
                n = rnd.randrange(customers)
                kind = rnd.random()
                if kind < 0.3 and n % 5 < 2:
                    mem = member(n)
                    mem = f"{mem[:4]} {mem[4:8]} {mem[8:]}"                   # as printed on the card
                elif kind < 0.8:
                    ph = phone(n)[3:]                                       # typed without +86
                else:
                    mail = f"C{n}@Example.com"
            elif rnd.random() < 0.5:
                ph = f"137{rnd.randrange(10 ** 8):08d}"                   # nobody HQ knows
            if sales and rnd.random() < 0.04:
                orig, store, total = sales[rnd.randrange(len(sales))]
                amount = -min(total, PRODUCTS[1][2])
                rows = [(f"{rid}", store, stamp, "CNY", str(amount), mem, ph, mail, orig, "CASE-16", "Clear case",
                         "-1", str(amount))]
            else:
                picks = [rnd.choice(PRODUCTS) for _ in range(min(rnd.randint(1, 5), lines - written))]
                total = sum(p[2] for p in picks)
                sales.append((rid, store, total))
                rows = [(rid, store, stamp, "CNY", str(total), mem, ph, mail, "", sku, desc, "1", str(price))
                        for sku, desc, price in picks]
            for row in rows:
                f.write(",".join(row) + "\n")
            written += len(rows)
    return written, receipts


def raw_copy(url: str, path: Path) -> float:
    import psycopg
    with psycopg.connect(url) as conn:
        conn.execute("CREATE UNLOGGED TABLE raw_sales (receipt_id text, store text, at text, currency text, "
                     "total_cents text, member_no text, phone text, email text, refund_of text, sku text, "
                     "description text, qty text, amount_cents text)")
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY raw_sales FROM STDIN (FORMAT csv, HEADER true)") as copy, \
                open(path, "rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        conn.commit()
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=None, help="default: a fifth of --lines")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--pg", default="postgresql://postgres:postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--keep", action="store_true", help="keep the bench database")
    args = ap.parse_args()
    customers = args.customers or max(1000, args.lines // 5)

    import psycopg

    from core import clock
    from hq.db import make_engine, migrate
    from hq.sales.csv_import import import_csv
    name = f"orchard_bench_sales_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.pg, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = pg_url(args.pg, name)
    engine = make_engine(url)
    try:
        migrate(engine)
        t0 = time.perf_counter()
        seed_hq(engine, customers)
        print(f"HQ seeded: 20 stores, {customers:,} customers ({time.perf_counter() - t0:.1f} s)")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sales.csv"
            lines, receipts = write_csv(path, args.lines, customers, args.seed)
            print(f"file: {lines:,} lines, {receipts:,} receipts, {path.stat().st_size / 1e6:.0f} MB")
            now = clock.now()
            t0 = time.perf_counter()
            report = import_csv(engine, path, now=now, recompute=False)
            took = time.perf_counter() - t0
            print(report.summary())
            t0 = time.perf_counter()
            again = import_csv(engine, path, now=now, recompute=False)
            took_again = time.perf_counter() - t0
            assert again.imported == 0 and again.duplicates == report.imported + report.duplicates, again.summary()
            copy_s = raw_copy(url, path)
        print(f"import-sales:        {took:7.1f} s  {lines / took:>10,.0f} lines/s")
        print(f"the same file again: {took_again:7.1f} s  {lines / took_again:>10,.0f} lines/s (all duplicates)")
        print(f"raw COPY:            {copy_s:7.1f} s  {lines / copy_s:>10,.0f} lines/s")
        print(f"ratio: import-sales takes {took / copy_s:.1f}x the time of a raw COPY of the file")
    finally:
        engine.dispose()
        if not args.keep:
            with psycopg.connect(args.pg, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept the bench database {name}")


if __name__ == "__main__":
    main()
