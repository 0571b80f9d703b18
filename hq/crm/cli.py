"""`orchard-hq` commands of hq.crm (issue 23); filled in by its module."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this package's commands to `orchard-hq`."""
    crm = sub.add_parser("crm", help="the chain's customer scores (RFM, lifetime value, churn risk)")
    commands = crm.add_subparsers(dest="crm_command", required=True)
    _add_scores(commands)
    _add_calibrate(commands)


# --- crm recompute, crm show-segments (hq.crm.scores) -----------------------------------------

def _add_scores(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("recompute", help="score the chain's customers now: those with new activity, "
                                              "or every one with --full (as the nightly run does)")
    p.add_argument("--full", action="store_true", help="the whole chain: new quintiles, the model fitted again")
    p.add_argument("--db", help="PostgreSQL URL or SQLite path (default: $ORCHARD_HQ_DB, else the demo's)")
    p.set_defaults(fn=cmd_recompute)
    p = commands.add_parser("show-segments", help="how many customers each segment holds")
    p.add_argument("--db", help="PostgreSQL URL or SQLite path (default: $ORCHARD_HQ_DB, else the demo's)")
    p.set_defaults(fn=cmd_show_segments)


def cmd_recompute(args: argparse.Namespace) -> int:
    """Print what the recompute did: customers, published rows, seconds computing and publishing."""
    import time

    from core import clock
    from hq.crm import scores
    from hq.db import make_engine, migrate
    engine = make_engine(args.db or os.environ.get("ORCHARD_HQ_DB"))
    try:
        migrate(engine)
        t0 = time.perf_counter()
        result = scores.recompute(engine, now=clock.now(), full=args.full)
        print(f"orchard-hq: {result} ({time.perf_counter() - t0:.1f} s in all)")
    finally:
        engine.dispose()
    return 0


def cmd_show_segments(args: argparse.Namespace) -> int:
    from core import terms
    from hq.crm import scores
    from hq.db import make_engine, migrate
    engine = make_engine(args.db or os.environ.get("ORCHARD_HQ_DB"))
    try:
        migrate(engine)
        counts = scores.segment_counts(engine)
        state = scores.get_state(engine, scores.STATE_NIGHTLY) or {}
    finally:
        engine.dispose()
    if not counts:
        print("(no scores yet: orchard-hq crm recompute --full)")
        return 0
    total = sum(counts.values())
    width = max(len(terms.term(code, "en", "segment")) for code in counts)
    for code, n in counts.items():
        print(f"{terms.term(code, 'en', 'segment'):<{width}}  {n:>9,}  {100 * n / total:5.1f} %")
    last = f"  (last full recompute {state['at']})" if state.get("at") else ""
    print(f"{'customers':<{width}}  {total:>9,}{last}")
    return 0


# --- crm calibrate (hq.crm.ltv) ---------------------------------------------------------------

def _add_calibrate(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("calibrate", help="check the lifetime value model on the chain's own history: "
                                              "fit before a holdout, predict it, compare (see docs/crm.md)")
    p.add_argument("--holdout-days", type=int, default=365, help="the holdout period, in days (default 365)")
    p.add_argument("--db", help="PostgreSQL URL or SQLite path (default: $ORCHARD_HQ_DB, else the demo's)")
    p.set_defaults(fn=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from core import clock
    from hq.crm import ltv
    from hq.db import make_engine, migrate
    if args.holdout_days < 1:
        print("orchard-hq: --holdout-days must be at least 1", file=sys.stderr)
        return 2
    engine = make_engine(args.db or os.environ.get("ORCHARD_HQ_DB"))
    try:
        migrate(engine)
        print(ltv.calibrate(engine, now=clock.now(), holdout_days=args.holdout_days).table())
    finally:
        engine.dispose()
    return 0
