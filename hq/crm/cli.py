"""`orchard-hq` commands of hq.crm (issue 23); filled in by its module.

    orchard-hq crm rules [--db URL]                    the next best action rules HQ publishes
    orchard-hq crm publish-rules FILE.json [--db URL]  publish them (reference data, every store)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from datetime import datetime
from typing import Any


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this package's commands to `orchard-hq`."""
    crm = sub.add_parser("crm", help="the chain's customer scores (RFM, lifetime value, churn risk)")
    commands = crm.add_subparsers(dest="crm_command", required=True)
    _add_scores(commands)
    _add_calibrate(commands)
    _add_rules(commands)


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


# --- crm rules, crm publish-rules (core.crm.actions' rules as data) ---------------------------

RULE_NS = uuid.UUID("3b0c7d1e-5a2f-4e61-9c8d-7f4a2b6e1d90")
RULE_KEYS = ("code", "active", "priority", "marketing", "params", "channel")
MAX_PRIORITY = 10_000
MAX_PARAM_INT = 36_500            # days or cents: a hundred years, or 365 in whole units
MAX_LIST = 20


def rule_id(code: str) -> uuid.UUID:
    """A rule's row id: one per code, so publishing a code again updates its row."""
    return uuid.uuid5(RULE_NS, f"next_action_rule:{code}")


class RulesError(ValueError):
    """A rules file that cannot be published: ``rule N: field: reason`` (never a value)."""


def parse_rules(data: Any) -> list[dict[str, Any]]:
    """A rules file's JSON checked against :data:`core.crm.ACTION_CODES` and the shape of
    :data:`core.crm.actions.DEFAULT_RULES`: a list of ``{code, active?, priority?, marketing?,
    params?, channel?}``, each code once. What a rule leaves out is the default's (a store fills
    ``params`` in over the default's too); ``params`` may only hold the default's keys, of the
    default's type (whole numbers 0..36500, lists of short texts); a rule that is marketing by
    default stays marketing (it is shown only with the customer's consent); ``channel`` (the
    marketing channel whose consent the suggestion needs: sms, email, or any where
    :mod:`core.crm.actions` knows it; marketing rules only) is kept in ``params`` as
    ``channel``, where a store reads it."""
    from core.crm import ACTION_CODES, CHANNELS
    from core.crm import actions
    defaults = {r.code: r for r in actions.DEFAULT_RULES}
    any_channel = getattr(actions, "ANY_CHANNEL", None)
    channels = (*CHANNELS, *([any_channel] if any_channel else []))
    if not isinstance(data, list) or not data:
        raise RulesError("the file must hold a JSON list of at least one rule")
    out: list[dict[str, Any]] = []
    for n, item in enumerate(data, 1):
        def bad(name: str, reason: str) -> RulesError:
            return RulesError(f"rule {n}: {name}: {reason}")
        if not isinstance(item, dict):
            raise bad("rule", "must be an object")
        extra = sorted(k for k in item if k not in RULE_KEYS)
        if extra:
            raise bad(str(extra[0])[:30], "is not a field of a rule")
        code = item.get("code")
        if code not in ACTION_CODES:
            raise bad("code", "is not a known suggestion (" + ", ".join(ACTION_CODES) + ")")
        if any(r["code"] == code for r in out):
            raise bad("code", "is listed twice")
        base = defaults[code]
        active = item.get("active", True)
        marketing = item.get("marketing", base.marketing)
        priority = item.get("priority", base.priority)
        if not isinstance(active, bool):
            raise bad("active", "must be true or false")
        if not isinstance(marketing, bool):
            raise bad("marketing", "must be true or false")
        if base.marketing and not marketing:
            raise bad("marketing", "a promotional suggestion must stay marketing")
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= MAX_PRIORITY:
            raise bad("priority", f"must be a whole number from 0 to {MAX_PRIORITY}")
        params = _params(item.get("params", {}), {**dict(base.params), **({"channel": ""} if marketing else {})}, bad)
        channel = item.get("channel", params.get("channel"))
        if channel is not None:
            if not marketing:
                raise bad("channel", "only a marketing rule has a channel")
            if channel not in channels:
                raise bad("channel", "must be " + ", ".join(channels[:-1]) + " or " + channels[-1])
            if params.get("channel", channel) != channel:
                raise bad("channel", "differs from params.channel")
            params["channel"] = channel
        out.append({"code": code, "active": active, "priority": priority, "marketing": marketing,
                    "params": params})
    return out


def _params(value: Any, base: dict[str, Any], bad: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad("params", "must be an object")
    out: dict[str, Any] = {}
    for key, v in value.items():
        if key not in base:
            raise bad(f"params.{str(key)[:30]}", "is not a setting of this rule (" + ", ".join(base) + ")")
        if isinstance(base[key], int):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_PARAM_INT:
                raise bad(f"params.{key}", f"must be a whole number from 0 to {MAX_PARAM_INT}")
        elif isinstance(base[key], list):
            if not isinstance(v, list) or not v or len(v) > MAX_LIST or not all(
                    isinstance(x, str) and 0 < len(x) <= 40 and x.isprintable() for x in v):
                raise bad(f"params.{key}", f"must be a list of 1 to {MAX_LIST} short texts")
        elif not isinstance(v, type(base[key])):
            raise bad(f"params.{key}", "is not of the default's type")
        out[key] = v
    return out


def published_rules(engine: Any) -> list[dict[str, Any]]:
    """The ``next_action_rule`` rows HQ holds (live), by priority then code."""
    from sqlalchemy import select

    from hq.models import hq_row
    with engine.connect() as conn:
        rows = [dict(d or {}) for (d,) in conn.execute(select(hq_row.c.data).where(
            hq_row.c.entity == "next_action_rule", hq_row.c.deleted.is_(False)))]
    return sorted(rows, key=lambda d: (int(d.get("priority") or 0), str(d.get("code"))))


def publish_rules(engine: Any, rules: list[dict[str, Any]], *, now: datetime) -> tuple[int, int]:
    """Publish checked rules (:func:`parse_rules`) as the chain's rule set, through
    :func:`hq.publish.publish`: each code's row (id :func:`rule_id`) written whole; a code
    published before and left out of ``rules`` is turned off (not deleted: a deleted row stays
    deleted, and the code could never come back). Returns (rules written, rules turned off)."""
    from core.sync.outbox import jsonable
    from hq.publish import Change, publish
    stamp = jsonable(now)
    changes = [Change("next_action_rule", str(rule_id(r["code"])), {"id": str(rule_id(r["code"])), **r,
                                                                      "updated_at": stamp}) for r in rules]
    listed = {r["code"] for r in rules}
    off = [d for d in published_rules(engine) if d.get("code") not in listed and d.get("active") is not False]
    changes += [Change("next_action_rule", str(d["id"]), {"active": False, "updated_at": stamp}, update=True)
                for d in off if d.get("id")]
    publish(engine, changes)
    return len(rules), len(off)


def _add_rules(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("rules", help="the next best action rules the stores follow (published, or the defaults)")
    p.add_argument("--db", help="PostgreSQL URL or SQLite path (default: $ORCHARD_HQ_DB, else the demo's)")
    p.set_defaults(fn=cmd_rules)
    p = commands.add_parser("publish-rules", help="publish the next best action rules from a JSON file: "
                                                  "[{code, active, priority, marketing, params, channel?}]")
    p.add_argument("file")
    p.add_argument("--db", help="PostgreSQL URL or SQLite path (default: $ORCHARD_HQ_DB, else the demo's)")
    p.set_defaults(fn=cmd_publish_rules)


def _rule_line(code: str, active: bool, priority: int, marketing: bool, params: Any) -> str:
    state = "on " if active else "off"
    kind = "marketing" if marketing else "service  "
    return f"{code:<20} {state} {priority:>5}  {kind}  {json.dumps(params, sort_keys=True, ensure_ascii=False)}"


def cmd_rules(args: argparse.Namespace) -> int:
    from core.crm.actions import DEFAULT_RULES
    from hq.db import make_engine, migrate
    engine = make_engine(args.db or os.environ.get("ORCHARD_HQ_DB"))
    try:
        migrate(engine)
        rows = published_rules(engine)
    finally:
        engine.dispose()
    if not rows:
        print("defaults (no rules published; orchard-hq crm publish-rules FILE.json):")
        for r in DEFAULT_RULES:
            print(_rule_line(r.code, True, r.priority, r.marketing, dict(r.params)))
        return 0
    print("published:")
    for d in rows:
        print(_rule_line(str(d.get("code")), d.get("active") is not False, int(d.get("priority") or 0),
                         bool(d.get("marketing")), d.get("params") or {}))
    return 0


def cmd_publish_rules(args: argparse.Namespace) -> int:
    from core import clock
    from hq.common import BadRequest
    from hq.db import make_engine, migrate
    try:
        with open(args.file, encoding="utf-8-sig") as f:
            rules = parse_rules(json.load(f))
    except (OSError, UnicodeDecodeError):
        print("orchard-hq: the file cannot be read (is it a UTF-8 JSON file?)", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"orchard-hq: line {exc.lineno}: the file is not JSON", file=sys.stderr)
        return 2
    except RulesError as exc:
        print(f"orchard-hq: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(args.db or os.environ.get("ORCHARD_HQ_DB"))
    try:
        migrate(engine)
        written, off = publish_rules(engine, rules, now=clock.now())
    except BadRequest as exc:
        print(f"orchard-hq: {exc.message}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"Published {written} rules" + (f"; turned off {off} left out of the file" if off else "")
          + ". The stores follow them from their next sync.")
    return 0
