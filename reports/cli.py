"""``orchard report KIND``: a manager report to a PDF file, for a store to schedule.

    orchard report day --date 2026-11-24 --out day.pdf
    orchard report period --from 2026-11-01 --to 2026-11-30 --out november.pdf
    orchard report technicians --days 7 --out week.pdf
    orchard report loyalty|tradein|satisfaction [--from D --to D | --days N] --out FILE

Whoever runs it signs in as at the counter: the staff number and the PIN (or, with
``--password``, the full password) are asked on the terminal, the secret without echo;
when stdin is not a terminal (a scheduled job) they are its first two lines. Wrong
answers count towards the same lockout as the sign-in screen, the role needs the right
to view reports, and the report is audited as that person.

The store passphrase is never an option (the process list would show it): the key
comes from the OS keyring, else the ``ORCHARD_PASSPHRASE`` environment variable, else a
prompt on the terminal.

Where no store is at this counter's default location but the demo's is (a developer's
machine after ``orchard demo``), the report is of the demo store, and a line on stderr says
so; the demo's passphrase (where it has no keyring) is known and not asked for. An error
about the database names the file it looked at.

Options: ``--db PATH`` (default: this counter's store), ``--lang en|zh_CN`` (default:
the staff member's language), ``--pagesize a4|letter``. A span defaults to the 30 days
up to today; ``--date`` defaults to today (the store's local days). Exit status 0 when
the file was written, 2 on a usage, database or data error, 3 when sign-in was refused
or the role may not view reports.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core import clock

KINDS = ("day", "period", "technicians", "loyalty", "tradein", "satisfaction")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("dates are written YYYY-MM-DD") from None


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    p = parser or argparse.ArgumentParser(
        prog="orchard report", description="write a manager report as PDF",
        epilog="You sign in with your staff number and PIN, asked on the terminal (or read as two lines "
               "from stdin when it is not a terminal). The store passphrase is taken from the OS keyring, "
               "else the ORCHARD_PASSPHRASE environment variable, else asked on the terminal; there is no "
               "--passphrase option, as the process list would show it. Exit status: 0 written, 2 usage or "
               "database error, 3 sign-in refused or no right to view reports.")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--out", type=Path, required=True, help="PDF file to write")
    p.add_argument("--date", type=_date, help="the day of a day report (default: today)")
    p.add_argument("--from", dest="first", type=_date, help="first day of the span")
    p.add_argument("--to", dest="last", type=_date, help="last day of the span (default: today)")
    p.add_argument("--days", type=int, default=30, help="span length when --from is not given (default: 30)")
    p.add_argument("--db", type=Path, dest="report_db", help="store database file")
    p.add_argument("--password", action="store_true",
                   help="sign in with your full password instead of your PIN (once the PIN is blocked)")
    p.add_argument("--lang", choices=("en", "zh_CN"), default=None)
    p.add_argument("--pagesize", choices=("a4", "letter"), default=None)
    return p


def span(args, today: date) -> tuple[date, date]:
    if args.kind == "day":
        d = args.date or today
        return d, d
    last = args.last or today
    first = args.first or last - timedelta(days=max(1, args.days) - 1)
    return first, last


def make_report(session, actor, kind: str, first: date, last: date):
    from core import report_data as rd
    return {"day": lambda: rd.day_report(session, actor, first),
            "period": lambda: rd.period_report(session, actor, first, last),
            "technicians": lambda: rd.technician_report(session, actor, first, last),
            "loyalty": lambda: rd.loyalty_report(session, actor, first, last),
            "tradein": lambda: rd.tradein_report(session, actor, first, last),
            "satisfaction": lambda: rd.satisfaction_report(session, actor, first, last)}[kind]()


EXIT_ERROR = 2
EXIT_REFUSED = 3


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _open(path: Path, known_passphrase: str | None = None):
    """The store database: the keyring's key, else ORCHARD_PASSPHRASE, else the
    ``known_passphrase`` (the demo's), else a prompt."""
    from core.db import StoreDatabase
    from core.errors import PassphraseRequired
    passphrase = os.environ.get("ORCHARD_PASSPHRASE") or None
    try:
        return StoreDatabase.open(path, passphrase=passphrase)
    except PassphraseRequired:
        if passphrase is not None or (known_passphrase is None and not _interactive()):
            raise
    if known_passphrase is not None:
        return StoreDatabase.open(path, passphrase=known_passphrase)
    return StoreDatabase.open(path, passphrase=getpass.getpass("Store passphrase: ") or None)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def choose_store(named: Path | None, default_db: Path | None, demo_db: Path | None) -> Path | None:
    """The store to report on: the one named with --db; else this counter's default; else,
    when there is none there but the demo store exists, the demo's (saying so on stderr)."""
    if named is not None:
        return named
    if default_db is not None and not default_db.exists() and demo_db is not None and demo_db.exists():
        print(f"orchard report: no store at {default_db}; using the demo store at {demo_db}", file=sys.stderr)
        return demo_db
    return default_db


def credentials() -> tuple[str, str]:
    """The staff number and the secret: asked on the terminal (the secret without echo),
    else the first two lines of stdin."""
    if _interactive():
        sys.stderr.write("Staff number: ")
        sys.stderr.flush()
        number = sys.stdin.readline()
        secret = getpass.getpass("PIN (or password with --password): ")
    else:
        number, secret = sys.stdin.readline(), sys.stdin.readline()
    return number.strip(), secret.rstrip("\r\n")


def _sign_in(db, number: str, secret: str, use_password: bool):
    """Sign in through core.staff (the screen's lockout and audit). The session commits
    whatever happens: a wrong try must count."""
    from core import staff
    from core.errors import NotFound, OrchardError
    refused: OrchardError | None = None
    with db.session(write=True) as s:
        store = staff.current_store(s)
        if store is None:
            raise NotFound("store")
        try:
            actor = staff.authenticate_number(s, store.id, number, **{"password" if use_password else "pin": secret})
        except OrchardError as exc:
            refused = exc
    if refused is not None:
        raise refused
    return store, actor


def main(argv: list[str] | None = None, default_db: Path | None = None, *,
         demo_db: Path | None = None, demo_passphrase: str | None = None) -> int:
    """``default_db``: this counter's store (used without --db); ``demo_db``: the demo
    store, used when there is none at ``default_db``, opened with ``demo_passphrase`` when
    it is on the passphrase route and ORCHARD_PASSPHRASE is not set."""
    args = build_parser().parse_args(argv)
    from core import audit, staff
    from core.errors import (
        AuthenticationError, OrchardError, PassphraseRequired, PermissionDenied, ValidationError,
    )
    from core.permissions import Perm, require
    from reports import manager_reports

    path = choose_store(args.report_db, default_db, demo_db)
    if path is None:
        print("orchard report: give the store database with --db", file=sys.stderr)
        return EXIT_ERROR
    if not path.exists():
        print(f"orchard report: no store database at {path} (start Orchard once to create it, "
              "or give --db PATH)", file=sys.stderr)
        return EXIT_ERROR
    is_demo = demo_db is not None and _same_file(path, demo_db)
    try:
        db = _open(path, demo_passphrase if is_demo else None)
    except PassphraseRequired as exc:
        print(f"orchard report: {path}: {exc} (set ORCHARD_PASSPHRASE, or run it on a terminal to be asked)",
              file=sys.stderr)
        return EXIT_ERROR
    except OrchardError as exc:
        print(f"orchard report: {path}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        try:
            number, secret = credentials()
        except (EOFError, KeyboardInterrupt):
            print("\norchard report: cancelled; nothing was written", file=sys.stderr)
            return EXIT_REFUSED
        try:
            store, actor = _sign_in(db, number, secret, args.password)
            require(actor, Perm.VIEW_REPORTS)
        except (AuthenticationError, ValidationError, PermissionDenied) as exc:
            print(f"orchard report: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        with db.session(write=True) as s:
            info = staff.get_staff(s, actor.staff_id)
            first, last = span(args, clock.today(ZoneInfo(store.timezone)))
            data = make_report(s, actor, args.kind, first, last)
            audit.record(s, actor, "report.cli", "store", store.id, detail=f"{args.kind} {first}..{last}")
        lang = args.lang or ("zh_CN" if (info.language or "").startswith("zh") else "en")
        pdf = manager_reports.render(data, lang=lang, pagesize=args.pagesize)
    except OrchardError as exc:
        print(f"orchard report: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        db.close()
    from core.vault import atomic_write
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out, pdf, mode=0o600)       # names customers: readable by this user only
    print(f"{args.kind} report {first}..{last} -> {args.out} ({len(pdf) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
