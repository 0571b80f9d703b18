"""What an erasure's file rewrite costs a large store (core.erasure.rewrite_file: VACUUM,
then a TRUNCATE checkpoint), on a copy of the lookup bench's encrypted store.

    .venv/bin/python bench/erasure_rewrite.py [--customers 1000000] [--db PATH]

Prints the rewrite's wall and CPU time (the write lock is held all that while), the
process's RSS before, its peak and its RSS after. A store above the page-cache budget has
VACUUM's scratch copy in a temporary file that SQLCipher encrypts with the store's key
(core.erasure.REWRITE_CACHE_KIB of cache), not in memory the size of the file (issue 25: a
1,557 MB peak at a million customers).
Targets: the peak within 100 MB of where it started, and back within 50 MB after. Builds
the store with bench/lookup.py's builder when it is missing (10+ minutes for a million
customers)."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    import lookup     # bench/lookup.py: the store and its passphrase
    from core import erasure
    from core.db import StoreDatabase
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "orchard-bench" / "lookup" / "store.db")
    args = ap.parse_args()
    if not args.db.exists():
        lookup.build(args.db, args.customers).close()
    work = Path(tempfile.mkdtemp(prefix="orchard-rewrite-"))
    try:
        for f in args.db.parent.glob(args.db.name + "*"):
            shutil.copy(f, work / f.name)
        db = StoreDatabase.open(work / args.db.name, passphrase=lookup.PASSPHRASE)
        size = (work / args.db.name).stat().st_size / 2**20
        before = rss_mb()
        t, c = time.perf_counter(), time.process_time()
        erasure.rewrite_file(db.engine)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        after, peak = rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        db.close()
        print(f"store file {size:,.0f} MiB; load average {os.getloadavg()[0]:.2f}")
        print(f"rewrite: {wall:.1f} s wall, {cpu:.1f} s CPU (the write lock held throughout)")
        print(f"RSS: before {before:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB")
        flat, back = peak - before < 100, after - before < 50
        print(f"memory stays put (peak within 100 MB of before): {'PASS' if flat else 'FAIL'}")
        print(f"memory handed back (after within 50 MB of before): {'PASS' if back else 'FAIL'}")
        return 0 if flat and back else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
