"""``orchard-hq``: run HQ and look after its stores.

    orchard-hq serve [--db URL] [--host 127.0.0.1] [--port 8765] [--ssl-certfile F --ssl-keyfile F] [--no-messages]
                     [--no-crm]
    orchard-hq send-messages [--db URL] [--once]
    orchard-hq enroll-store CODE NAME [--db URL] [--publisher] [--hours 72]
    orchard-hq admin-reset-code STORE_CODE [--hours 24] [--db URL]   a locked-out store admin's one-time code
    orchard-hq status [--db URL]
    orchard-hq fetches [--db URL] [--since YYYY-MM-DD] [--store CODE]
    orchard-hq erasures [--db URL] [--limit N]
    orchard-hq create-user USERNAME --role admin [--name NAME] [--region NAME] [--db URL] [--password-stdin]
    orchard-hq import-sales FILE.csv [--dry-run] [--db URL]          sales from the till (hq/sales)
    orchard-hq till-key add|revoke|list [NAME] [--store CODE]          keys for POST /api/sales
    orchard-hq unmatched-sales [--forget-older-than DAYS] [--db URL]   sales no single customer matched
    orchard-hq crm recompute [--full] | show-segments | calibrate | rules | publish-rules FILE.json   (hq/crm)
    orchard-hq versions [--newest V] [--oldest V] [--db URL]   the Orchard versions HQ announces and accepts

``--db`` takes a PostgreSQL URL (``postgresql://user:pw@host/db``, driven by psycopg 3)
or an SQLite path; without it, ``$ORCHARD_HQ_DB``, else the demo's SQLite file in
``~/.local/share/orchard-hq/``.  HQ serves plain HTTP only on loopback: anywhere else it
needs a certificate (or ``--behind-proxy`` when a reverse proxy terminates TLS).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from datetime import datetime, timezone

from core import clock


def _db(args) -> str | None:
    return args.db or os.environ.get("ORCHARD_HQ_DB")


def is_loopback_host(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _ago(dt: datetime | None) -> str:
    if dt is None:
        return "never"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    seconds = int((clock.now() - dt).total_seconds())
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 5400:
        return f"{seconds // 60} min ago"
    if seconds < 172800:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def cmd_serve(args) -> int:
    import uvicorn

    from hq import logs
    from hq.app import create_app, tune_gc
    if not is_loopback_host(args.host) and not args.ssl_certfile and not args.behind_proxy:
        print("orchard-hq: refusing plain HTTP on a non-loopback address; give --ssl-certfile and "
              "--ssl-keyfile (or --behind-proxy when a proxy terminates TLS)", file=sys.stderr)
        return 2
    logs.setup(args.log_level)      # no traceback, SQL, parameter or query string in HQ's log
    app = create_app(_db(args), fetch_limit=args.fetch_limit)
    loop = None if args.no_messages else _message_loop(app.state.engine)
    crm_loop = None
    if not args.no_crm:             # the chain's customer scores (hq.crm.schedule): every minute, nightly
        from hq.crm import schedule
        crm_loop = schedule.Loop(app.state.engine).start()
    tune_gc()
    print(f"orchard-hq: serving on {'https' if args.ssl_certfile else 'http'}://{args.host}:{args.port}",
          flush=True)
    # log_config=None: uvicorn keeps the handlers logs.setup() installed (access lines are
    # "METHOD /path STATUS", written at --log-level info)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, log_config=None,
                access_log=True, server_header=False, ssl_certfile=args.ssl_certfile,
                ssl_keyfile=args.ssl_keyfile, timeout_keep_alive=30)
    if loop is not None:
        loop.stop()
    if crm_loop is not None:
        crm_loop.stop()
    return 0


def _message_loop(engine):
    """The customer messages' background sender (hq.messages.worker.Loop, every 15 s), when
    the environment configures SMTP or an SMS gateway; None (and a note) otherwise."""
    from hq.messages import settings, worker
    try:
        configured = settings.from_env()
    except settings.SettingsError as exc:
        print(f"orchard-hq: customer messages are off: {exc}", file=sys.stderr)
        return None
    if not configured.any_channel:
        print("orchard-hq: customer messages are off (set ORCHARD_SMTP_HOST or ORCHARD_SMS_URL)", file=sys.stderr)
        return None
    return worker.Loop(engine, configured).start()


def cmd_send_messages(args) -> int:
    """Send the due customer messages: once (``--once``, e.g. from cron), or every 15 s until stopped."""
    from hq import logs
    from hq.db import make_engine, migrate
    from hq.messages import settings, worker
    logs.setup(args.log_level)
    try:
        configured = settings.from_env()
    except settings.SettingsError as exc:
        print(f"orchard-hq: {exc}", file=sys.stderr)
        return 2
    if not configured.any_channel:
        print("orchard-hq: set ORCHARD_SMTP_HOST or ORCHARD_SMS_URL first (see the README)", file=sys.stderr)
        return 2
    engine = make_engine(_db(args))
    migrate(engine)
    try:
        if args.once:
            smtp, sms = worker.senders(configured)
            report = worker.run_once(engine, smtp=smtp, sms=sms, public_url=configured.public_url)
            print(f"orchard-hq: messages {report}")
            return 0
        loop = worker.Loop(engine, configured).start()
        try:
            while loop.thread.is_alive():
                loop.thread.join(1.0)
        except KeyboardInterrupt:
            loop.stop()
        return 0
    finally:
        engine.dispose()


def cmd_enroll(args) -> int:
    from hq import service
    from hq.db import make_engine, migrate
    engine = make_engine(_db(args))
    migrate(engine)
    try:
        code = service.create_enrolment(engine, args.code, args.name, publisher=args.publisher, hours=args.hours)
    except service.HqError as exc:
        print(f"orchard-hq: {exc.message}", file=sys.stderr)
        return 2
    print(f"Enrolment code for {args.code.upper()} (valid {args.hours} h, once): {code}")
    return 0


def cmd_admin_reset_code(args) -> int:
    """A one-time code that lets an enrolled store set a new password on a locked-out admin."""
    from hq import admin_reset
    from hq.db import make_engine, migrate
    from hq.service import HqError
    engine = make_engine(_db(args))
    migrate(engine)
    try:
        code, expires_at = admin_reset.issue(engine, args.code, hours=args.hours)
    except HqError as exc:
        print(f"orchard-hq: {exc.message}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"Admin reset code for {args.code.strip().upper()} (valid {args.hours} h, until "
          f"{expires_at:%Y-%m-%d %H:%M} UTC, once): {code}")
    return 0


def cmd_status(args) -> int:
    from hq import service
    from hq.db import make_engine, migrate
    engine = make_engine(_db(args))
    migrate(engine)
    head, stores, flags = service.status(engine)
    print(f"HQ change sequence: {head}")
    from hq.status import audit_column, audit_lines
    header = ("store", "name", "enrolled", "last contact", "queue", "parked", "cursor lag", "audit head")
    rows = [(s.code + (" *" if s.publisher else ""), s.name[:28], "yes" if s.enrolled_at else "code issued",
             _ago(s.last_contact_at), str(s.pending_ops), str(s.parked_ops), str(s.cursor_lag),
             audit_column(s, _ago)) for s in stores]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    if not rows:
        print("(no stores yet: orchard-hq enroll-store CODE NAME)")
    if any(s.publisher for s in stores):
        print("* publishes reference data (price book, service types, parts)")
    for line in audit_lines(stores, _ago):
        print(line)
    if flags:
        print("\nFlags:")
        for f in flags:
            print(f"  {f.kind}  {f.entity_id}  {f.detail}")
    return 0


def cmd_fetches(args) -> int:
    from hq import fetch_report
    from hq.db import make_engine, migrate
    engine = make_engine(_db(args))
    migrate(engine)
    try:
        since = fetch_report.parse_day(args.since) if args.since else None
        report = fetch_report.fetch_report(engine, since=since, store_code=args.store)
    except ValueError as exc:
        print(f"orchard-hq: {exc}", file=sys.stderr)
        return 2
    print(fetch_report.render(report))
    return 0


def cmd_erasures(args) -> int:
    from hq.db import make_engine, migrate
    from hq.status import erasures
    engine = make_engine(_db(args))
    migrate(engine)
    rows = erasures(engine, limit=args.limit)
    if not rows:
        print("(no erasures)")
        return 0
    print("erased at (UTC)          store     staff id                              customer id")
    for e in rows:
        at = e.at.astimezone(timezone.utc) if e.at.tzinfo else e.at
        print(f"{at:%Y-%m-%d %H:%M:%S}      {(e.store_code or '-'):<8}  {str(e.staff_id or '-'):<36}  "
              f"{e.customer_id}")
    return 0


def cmd_prune(args) -> int:
    from hq import service
    from hq.db import make_engine, migrate
    engine = make_engine(_db(args))
    migrate(engine)
    try:
        batches, ops = service.prune(engine, older_than_days=args.days)
    except service.HqError as exc:
        print(f"orchard-hq: {exc.message}", file=sys.stderr)
        return 2
    print(f"Removed the receipts of {batches} batches ({ops} operations) older than {args.days} days.")
    return 0


def cmd_create_user(args) -> int:
    """A console user (the first admin; admins add the rest in the console). The password is
    asked twice without echo, or read from standard input's first line (``--password-stdin``)."""
    import getpass

    from hq.console import accounts
    from hq.db import make_engine, migrate
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("The same password again: "):
            print("orchard-hq: the two passwords differ", file=sys.stderr)
            return 2
    engine = make_engine(_db(args))
    migrate(engine)
    region_id = None
    try:
        if args.region:
            from sqlalchemy import select

            from hq.models import hq_region
            with engine.connect() as conn:
                region_id = conn.scalar(select(hq_region.c.id).where(hq_region.c.name == args.region))
            if region_id is None:
                print("orchard-hq: no region of that name (create it in the console first)", file=sys.stderr)
                return 2
        accounts.create_user(engine, args.username, args.name or "", args.role, password, region_id=region_id)
    except accounts.ConsoleError as exc:
        print("orchard-hq: " + (exc.message % exc.params if exc.params else exc.message), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"Console user {args.username.strip().lower()} created ({args.role}); sign in at /console/ on HQ.")
    return 0


def cmd_versions(args) -> int:
    """Show (and with --newest/--oldest, set) the newest Orchard HQ announces to stores and
    the oldest it still accepts (hq.versions)."""
    from hq import versions
    from hq.db import make_engine, migrate
    engine = make_engine(_db(args))
    migrate(engine)
    try:
        if args.newest is not None or args.oldest is not None:
            now = versions.configure(engine, newest=args.newest, oldest=args.oldest)
        else:
            now = versions.read(engine)
    except versions.VersionsError as exc:
        print(f"orchard-hq: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"newest announced: {now.newest}" + ("" if now.newest_set else " (this HQ's own version)"))
    print(f"oldest accepted:  {now.oldest}" + ("" if now.oldest_set else " (every version)"))
    print("Stores below the oldest are refused (HTTP 426) and say so; HQ's processes see a change "
          f"within {versions.max_age_from_env():g} s.")
    return 0


def main(argv: list[str] | None = None) -> int:
    from core.version import VERSION
    parser = argparse.ArgumentParser(prog="orchard-hq", description="Orchard headquarters service")
    parser.add_argument("--version", action="version", version=f"orchard-hq {VERSION}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the HQ web service")
    p.add_argument("--db", help="PostgreSQL URL or SQLite path (default: the demo's SQLite file)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--ssl-certfile")
    p.add_argument("--ssl-keyfile")
    p.add_argument("--behind-proxy", action="store_true", help="TLS is terminated by a reverse proxy")
    p.add_argument("--log-level", default="warning")
    p.add_argument("--fetch-limit", type=int, default=None,
                   help="on-demand customer look-ups per store per rolling hour "
                        "(default: $ORCHARD_HQ_FETCH_LIMIT, else 30)")
    p.add_argument("--no-messages", action="store_true",
                   help="do not send customer messages from this process (another runs send-messages)")
    p.add_argument("--no-crm", action="store_true",
                   help="do not recompute customer scores from this process (another runs orchard-hq crm recompute)")
    p.set_defaults(fn=cmd_serve)
    p = sub.add_parser("send-messages", help="send the due customer messages (SMTP and SMS settings from the environment)")
    p.add_argument("--db")
    p.add_argument("--once", action="store_true", help="one pass, then exit (else every 15 s until stopped)")
    p.add_argument("--log-level", default="info")
    p.set_defaults(fn=cmd_send_messages)
    p = sub.add_parser("enroll-store", help="register a store and print its one-time enrolment code")
    p.add_argument("code")
    p.add_argument("name")
    p.add_argument("--db")
    p.add_argument("--publisher", action="store_true",
                   help="this store publishes reference data (price book, service types, parts)")
    p.add_argument("--hours", type=int, default=72, help="how long the code stays valid")
    p.set_defaults(fn=cmd_enroll)
    p = sub.add_parser("admin-reset-code",
                       help="a one-time code that lets an enrolled store set a new password on a locked-out admin")
    p.add_argument("code", help="the store's code")
    p.add_argument("--db")
    p.add_argument("--hours", type=int, default=24, help="how long the code stays valid (1 to 168)")
    p.set_defaults(fn=cmd_admin_reset_code)
    p = sub.add_parser("status", help="each store: last contact, queue depth, cursor lag")
    p.add_argument("--db")
    p.set_defaults(fn=cmd_status)
    p = sub.add_parser("fetches", help="on-demand customer look-ups per store: counts, refusals, the last 20")
    p.add_argument("--db")
    p.add_argument("--since", help="only look-ups on or after this day (YYYY-MM-DD, UTC)")
    p.add_argument("--store", help="only this store (its code)")
    p.set_defaults(fn=cmd_fetches)
    p = sub.add_parser("erasures", help="customers erased: when, through which store, by which staff member")
    p.add_argument("--db")
    p.add_argument("--limit", type=int, default=None, help="only the newest N")
    p.set_defaults(fn=cmd_erasures)
    p = sub.add_parser("prune", help="forget batch receipts older than --days (run daily, e.g. from cron)")
    p.add_argument("--db")
    p.add_argument("--days", type=int, default=90)
    p.set_defaults(fn=cmd_prune)
    p = sub.add_parser("create-user", help="add a console user (the first admin; admins add the rest in the console)")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=("admin", "pricing", "loyalty", "regional", "auditor"))
    p.add_argument("--name", help="the name the console shows (default: the username)")
    p.add_argument("--region", help="a regional manager's region (its name)")
    p.add_argument("--db")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input's first line (scripts) instead of asking twice")
    p.set_defaults(fn=cmd_create_user)
    p = sub.add_parser("versions", help="the newest Orchard HQ announces and the oldest it still accepts")
    p.add_argument("--newest", help="announce this version as the newest (x.y.z; 'default': this HQ's own)")
    p.add_argument("--oldest", help="refuse stores below this version (x.y.z; 'default': accept every version)")
    p.add_argument("--db")
    p.set_defaults(fn=cmd_versions)
    from hq.crm import cli as crm_cli
    from hq.sales import cli as sales_cli
    sales_cli.register(sub)      # import-sales, till-key (issue 23)
    crm_cli.register(sub)        # crm recompute, crm calibrate (issue 23)
    args = parser.parse_args(argv)
    try:
        return int(args.fn(args) or 0)
    except ModuleNotFoundError as exc:
        if exc.name not in SERVER_PACKAGES:
            raise
        # a counter's install has no server packages: say how to get them, not a traceback
        print(f"orchard-hq needs the HQ packages ({exc.name} is missing): pip install 'orchard[hq]'",
              file=sys.stderr)
        return 2


SERVER_PACKAGES = {"fastapi", "uvicorn", "psycopg", "orjson", "starlette", "jinja2", "multipart", "python_multipart",
                   "numpy", "scipy"}


if __name__ == "__main__":
    sys.exit(main())
