"""`orchard-hq` commands of hq.sales (issue 23):

    orchard-hq import-sales FILE.csv [--dry-run] [--db URL]
    orchard-hq till-key add NAME [--store CODE] [--db URL]
    orchard-hq till-key revoke NAME [--db URL]
    orchard-hq till-key list [--db URL]
    orchard-hq unmatched-sales [--limit N] [--forget-older-than DAYS] [--db URL]

``import-sales`` exits 0 when every row was taken, 1 when some were refused (each listed as
``line N: field: reason``, never with a value), 2 when the file or the database cannot be
used.

``unmatched-sales --forget-older-than DAYS`` first blanks the keys given with the unmatched
and ambiguous sales imported more than DAYS days ago (the retention is 90: run it daily with
90, as ``orchard-hq prune`` runs; :mod:`hq.sales.retention`), then lists what is left.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timezone
from typing import Any

MAX_LISTED = 1000        # bad rows printed one by one; the rest are counted


def _engine(args: Any) -> Any:
    from hq.db import make_engine, migrate
    engine = make_engine(args.db or os.environ.get("ORCHARD_HQ_DB"))
    migrate(engine)
    return engine


def cmd_import_sales(args: Any) -> int:
    from core import clock
    from hq.sales.csv_import import FileError, import_csv
    engine = _engine(args)
    try:
        report = import_csv(engine, args.file, now=clock.now(), dry_run=args.dry_run)
    except FileError as exc:
        print(f"orchard-hq: {exc}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError):
        print("orchard-hq: the file cannot be read (is it a UTF-8 CSV file?)", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(report.summary(dry_run=args.dry_run))
    for problem in report.problems[:MAX_LISTED]:
        print(problem)
    if report.bad_rows > MAX_LISTED:
        print(f"... and {report.bad_rows - MAX_LISTED} more bad rows")
    return 1 if report.bad_rows else 0


def cmd_till_key(args: Any) -> int:
    from core import clock
    from hq.common import HqError
    from hq.sales import tills
    engine = _engine(args)
    try:
        if args.action == "add":
            key = tills.add_key(engine, args.name, store_code=args.store, now=clock.now())
            scope = f"store {args.store.strip().upper()}" if args.store else "any store"
            print(f"Till key {args.name.strip()} ({scope}); shown this once, keep it in the till's settings:")
            print(key)
            return 0
        if args.action == "revoke":
            if not tills.revoke_key(engine, args.name, now=clock.now()):
                print("orchard-hq: no live till key of that name", file=sys.stderr)
                return 2
            print(f"Till key {args.name.strip()} revoked.")
            return 0
        for k in tills.keys(engine):
            state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "live"
            print(f"{k.name:<30} {k.store_code or '(any store)':<12} issued {k.created_at:%Y-%m-%d}  {state}")
        return 0
    except HqError as exc:
        print(f"orchard-hq: {exc.message}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def cmd_unmatched(args: Any) -> int:
    from core import clock, formatting
    from hq.sales import intake, retention
    if args.forget_older_than is not None and args.forget_older_than < 0:
        print("orchard-hq: --forget-older-than must be 0 or more days", file=sys.stderr)
        return 2
    engine = _engine(args)
    try:
        if args.forget_older_than is not None:
            n = retention.forget_unmatched(engine, now=clock.now(), older_than_days=args.forget_older_than)
            print(f"Forgot the keys of {n} unmatched sales imported over {args.forget_older_than} days ago.")
        rows, total = intake.unmatched(engine, limit=args.limit)
    finally:
        engine.dispose()
    if not rows:
        print("(no unmatched sales)")
        return 0
    print(f"{'receipt':<24} {'store':<8} {'at (UTC)':<16} {'total':>14} {'match':<10} keys given")
    for r in rows:
        at = r.at.astimezone(timezone.utc)
        amount = f"{formatting.major_units(r.total_cents, r.currency)} {r.currency}"
        print(f"{r.receipt_id:<24} {r.store_code:<8} {at:%Y-%m-%d %H:%M} {amount:>14} {r.match:<10} "
              f"{', '.join(r.given) or '-'}")
    if total > len(rows):
        print(f"... {total - len(rows)} more (--limit)")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this package's commands to `orchard-hq`."""
    p = sub.add_parser("import-sales", help="import sales from a CSV file (one receipt line per row)")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check and count only; write nothing")
    p.add_argument("--db")
    p.set_defaults(fn=cmd_import_sales)
    p = sub.add_parser("till-key", help="issue, revoke or list the keys tills send their sales with")
    p.add_argument("action", choices=("add", "revoke", "list"))
    p.add_argument("name", nargs="?", default="")
    p.add_argument("--store", help="the one store this till may send sales for (add)")
    p.add_argument("--db")
    p.set_defaults(fn=_till_key_checked)
    p = sub.add_parser("unmatched-sales", help="sales no customer was found for, or more than one (masked keys)")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--forget-older-than", type=int, metavar="DAYS",
                   help="first forget the keys of unmatched sales imported over DAYS days ago (retention: 90)")
    p.add_argument("--db")
    p.set_defaults(fn=cmd_unmatched)


def _till_key_checked(args: Any) -> int:
    if args.action in ("add", "revoke") and not args.name.strip():
        print(f"orchard-hq: till-key {args.action} needs the key's NAME", file=sys.stderr)
        return 2
    return cmd_till_key(args)
