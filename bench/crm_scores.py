"""Customer scores at HQ (issue 23): the full recompute of a chain and the incremental one of a
customer after a new sale, on PostgreSQL.

A bench database of its own (dropped and made afresh) gets N customers and M purchases
written straight into ``hq_row`` with COPY, each in its lane as HQ places it (the lane of the
customer's home store, :func:`hq.common.lane_of`, numbered by that lane's sequence, whose
head goes into ``hq_lane``), deterministically (a seeded generator: the same
rows every run): purchases over the last three years, each customer's count drawn from a
long-tailed distribution (many one-time buyers, a few regulars), 3 % refunds, a tenth of the
customers with no purchase at all. Then:

1. the full recompute (:func:`hq.crm.scores.recompute`): the seconds computing (the ranking
   query, scores, churn, the lifetime value fit and predictions) and publishing (every
   customer's row is new, so every one is written and published) printed apart;
2. the same again with nothing changed (compute only: nothing is published);
3. one new sale for one customer, then :func:`hq.crm.scores.recompute_customers` of that
   customer: the incremental time a till's sale costs (the median of five such sales);
   then the minute's pass (:func:`hq.crm.scores.recompute_changed`) that finds new sales by
   its cursor.

    .venv/bin/python bench/crm_scores.py [--customers 1000000] [--purchases 5000000]
                                         [--pg postgresql://postgres:postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)     # the moment the chain is scored at
SEED = 23
STORES = 50
BLOCK = 200_000


def _uuid(kind: int, i: int) -> str:
    return str(uuid.UUID(int=(kind << 96) | i))


def _rows(n_customers: int, n_purchases: int, heads: dict[int, int]):
    """Yield COPY text blocks of hq_row: customers, then purchases (seq in that order within
    each lane). A row's lane is its customer's home store's, as HQ places it; ``heads`` is
    filled with every lane's last seq."""
    import numpy as np

    from hq.common import lane_of
    rng = np.random.default_rng(SEED)
    stamp = '{"*": "0000000000000:00000:hq"}'
    stores = [_uuid(3, s) for s in range(STORES)]
    store_lane = [lane_of(uuid.UUID(s)) for s in stores]

    def next_seq(lane: int) -> int:
        heads[lane] = heads.get(lane, 0) + 1
        return heads[lane]

    lines = []
    for i in range(n_customers):
        cid = _uuid(1, i)
        lane = store_lane[i % STORES]
        data = (f'{{"id": "{cid}", "given_name": "", "family_name": "", "erased": false, '
                f'"merged_into_id": null, "home_store_id": "{stores[i % STORES]}"}}')
        lines.append(f"{lane}\tcustomer\t{cid}\t{next_seq(lane)}\tc\t\\N\t{cid}\tf\t{data}\t{stamp}\n")
        if len(lines) == BLOCK:
            yield "".join(lines)
            lines = []
    # a tenth of the customers buy nothing; the rest by a long tail (a Zipf-like weight)
    buyers = np.arange(n_customers)[rng.random(n_customers) >= 0.1]
    weight = 1.0 / np.power(np.arange(1, len(buyers) + 1), 0.6)
    rng.shuffle(weight)
    weight /= weight.sum()
    who = buyers[rng.choice(len(buyers), size=n_purchases, p=weight)]
    seconds = rng.integers(0, 3 * 365 * 86400, size=n_purchases)
    ats = np.datetime_as_string(np.datetime64(NOW.replace(tzinfo=None), "s") - seconds.astype("timedelta64[s]"),
                                unit="s")
    cents = np.rint(rng.lognormal(mean=9.5, sigma=1.0, size=n_purchases)).astype(np.int64)
    refund = rng.random(n_purchases) < 0.03
    for j in range(n_purchases):
        cid = _uuid(1, int(who[j]))
        lane = store_lane[int(who[j]) % STORES]        # the customer's home store's lane
        pid = _uuid(2, j)
        kind, total = ("refund", -int(cents[j])) if refund[j] else ("sale", int(cents[j]))
        data = (f'{{"id": "{pid}", "customer_id": "{cid}", "store_id": "{stores[j % STORES]}", '
                f'"at": "{ats[j]}+00:00", "description": "Bench sale", "sku": null, "total_cents": {total}, '
                f'"receipt_id": "B{j}", "currency": "CNY", "kind": "{kind}", "lines": []}}')
        lines.append(f"{lane}\tpurchase\t{pid}\t{next_seq(lane)}\tc\t\\N\t{cid}\tf\t{data}\t{stamp}\n")
        if len(lines) == BLOCK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def build(url: str, n_customers: int, n_purchases: int) -> float:
    import psycopg

    from hq.common import lock_lanes, save_lanes
    from hq.db import make_engine, migrate
    engine = make_engine(url)
    migrate(engine)
    t0 = time.perf_counter()
    heads: dict[int, int] = {}
    with psycopg.connect(url) as c:
        with c.cursor() as cur:
            with cur.copy("COPY hq_row (lane, entity, entity_id, seq, bucket, owner_store_id, customer_id, "
                          "deleted, data, stamps) FROM STDIN") as copy:
                for block in _rows(n_customers, n_purchases, heads):
                    copy.write(block)
        c.commit()
    with engine.begin() as conn:        # each lane's head, as a push leaves it
        save_lanes(conn, heads, None, lock_lanes(conn, heads))
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("VACUUM ANALYZE hq_row")
    engine.dispose()
    return time.perf_counter() - t0


def new_sale(engine, customer: str) -> None:
    """One more sale for ``customer``, as HQ would hold it after a push or an import: in the
    customer's lane, numbered under that lane's lock (:func:`hq.common.lock_lanes`)."""
    from sqlalchemy import insert, select

    from hq.common import lock_lanes, save_lanes
    from hq.models import hq_row
    with engine.begin() as conn:
        lane = conn.scalar(select(hq_row.c.lane).where(hq_row.c.entity == "customer",
                                                       hq_row.c.entity_id == customer))
        before = lock_lanes(conn, [lane])
        seq = before[lane][0] + 1
        pid = str(uuid.uuid4())
        conn.execute(insert(hq_row).values(
            lane=lane, entity="purchase", entity_id=pid, seq=seq, bucket="c", owner_store_id=None,
            customer_id=uuid.UUID(customer), deleted=False, stamps={"*": "0000000000000:00000:hq"},
            data={"id": pid, "customer_id": customer, "at": (NOW - timedelta(minutes=5)).isoformat(),
                  "description": "Bench sale", "sku": None, "total_cents": 129900, "receipt_id": "new",
                  "currency": "CNY", "kind": "sale", "lines": []}))
        save_lanes(conn, {lane: seq}, None, before)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--purchases", type=int, default=5_000_000)
    parser.add_argument("--pg", default="postgresql://postgres:postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()
    import psycopg

    from hq.crm import scores
    from hq.db import make_engine
    name = "orchard_bench_crm"
    with psycopg.connect(args.pg, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    url = args.pg.rsplit("/", 1)[0] + "/" + name
    print(f"chain: {args.customers:,} customers, {args.purchases:,} purchases (COPY into hq_row)")
    print(f"  built in {build(url, args.customers, args.purchases):.1f} s")
    engine = make_engine(url)
    try:
        t0 = time.perf_counter()
        first = scores.recompute(engine, now=NOW, full=True)
        wall = time.perf_counter() - t0
        print(f"full recompute: {wall:.1f} s  (compute {first.compute_s:.1f} s, publish {first.publish_s:.1f} s; "
              f"{first.customers:,} customers, {first.scored:,} with a visit, {first.published:,} published)")
        t0 = time.perf_counter()
        again = scores.recompute(engine, now=NOW, full=True)
        print(f"full recompute, nothing changed: {time.perf_counter() - t0:.1f} s  "
              f"(compute {again.compute_s:.1f} s, {again.published:,} published)")
        times, spent = [], []
        for k in range(5):      # five sales, five customers: the median (the first also pays for warm-up)
            customer = _uuid(1, (12345 + 7919 * k) % args.customers)
            new_sale(engine, customer)
            t0 = time.perf_counter()
            one = scores.recompute_customers(engine, [uuid.UUID(customer)], now=NOW)
            times.append(time.perf_counter() - t0)
            spent.append((one.compute_s, one.publish_s))
        k = sorted(range(5), key=times.__getitem__)[2]
        print(f"incremental, one new sale (median of 5): {times[k] * 1000:.0f} ms  (compute "
              f"{spent[k][0] * 1000:.0f} ms, publish {spent[k][1] * 1000:.0f} ms; first {times[0] * 1000:.0f} ms)")
        new_sale(engine, _uuid(1, 4242 % args.customers))
        t0 = time.perf_counter()
        found = scores.recompute_changed(engine, now=NOW)
        print(f"incremental pass (the cursor finds the new sales): {(time.perf_counter() - t0) * 1000:.0f} ms  "
              f"({found.customers} customers, {found.published} published)")
        counts = scores.segment_counts(engine)
        print("segments: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    finally:
        engine.dispose()
        with psycopg.connect(args.pg, autocommit=True) as c:
            if not args.keep:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
