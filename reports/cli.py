"""``orchard report KIND``: a manager report to a PDF file, for a store to schedule.

    orchard report day --date 2026-11-24 --out day.pdf
    orchard report period --from 2026-11-01 --to 2026-11-30 --out november.pdf
    orchard report technicians --days 7 --out week.pdf
    orchard report loyalty|tradein|satisfaction [--from D --to D | --days N] --out FILE

Options: ``--db PATH`` (default: this counter's store), ``--passphrase`` (or the
``ORCHARD_PASSPHRASE`` environment variable; default: the OS keyring), ``--staff NUMBER``
(whose rights and name the report carries; default: the store's first admin),
``--lang en|zh_CN`` (default: that staff member's language), ``--pagesize a4|letter``.
A span defaults to the 30 days up to today; ``--date`` defaults to today (the store's
local days).  Exit status 0 when the file was written, 2 on a usage or data error.
"""

from __future__ import annotations

import argparse
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
    p = parser or argparse.ArgumentParser(prog="orchard report", description="write a manager report as PDF")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--out", type=Path, required=True, help="PDF file to write")
    p.add_argument("--date", type=_date, help="the day of a day report (default: today)")
    p.add_argument("--from", dest="first", type=_date, help="first day of the span")
    p.add_argument("--to", dest="last", type=_date, help="last day of the span (default: today)")
    p.add_argument("--days", type=int, default=30, help="span length when --from is not given (default: 30)")
    p.add_argument("--db", type=Path, dest="report_db", help="store database file")
    p.add_argument("--passphrase", default=None, help="store passphrase (or ORCHARD_PASSPHRASE)")
    p.add_argument("--staff", default=None, help="staff number to report as (needs the reports right)")
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


def _actor(session, staff_number: str | None):
    from sqlalchemy import select

    from core import staff
    from core.errors import NotFound
    from core.models import Staff
    store = staff.current_store(session)
    if store is None:
        raise NotFound("store")
    if staff_number:
        info = staff.find_by_number(session, store.id, staff_number)
    else:
        row = session.scalars(select(Staff).where(Staff.store_id == store.id, Staff.active.is_(True),
                                                  Staff.role.in_(("admin", "manager")))
                              .order_by(Staff.role, Staff.created_at)).first()
        if row is None:
            raise NotFound("staff")
        info = staff.get_staff(session, row.id)
    return store, info, staff.actor_for(info)


def main(argv: list[str] | None = None, default_db: Path | None = None) -> int:
    args = build_parser().parse_args(argv)
    from core.db import StoreDatabase
    from core.errors import OrchardError
    from reports import manager_reports

    path = args.report_db or default_db
    if path is None:
        print("orchard report: give the store database with --db", file=sys.stderr)
        return 2
    passphrase = args.passphrase or os.environ.get("ORCHARD_PASSPHRASE") or None
    try:
        db = StoreDatabase.open(path, passphrase=passphrase)
    except OrchardError as exc:
        print(f"orchard report: {exc}", file=sys.stderr)
        return 2
    try:
        with db.session() as s:
            store, info, actor = _actor(s, args.staff)
            first, last = span(args, clock.today(ZoneInfo(store.timezone)))
            data = make_report(s, actor, args.kind, first, last)
        lang = args.lang or ("zh_CN" if (info.language or "").startswith("zh") else "en")
        pdf = manager_reports.render(data, lang=lang, pagesize=args.pagesize)
    except OrchardError as exc:
        print(f"orchard report: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    from core.vault import atomic_write
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out, pdf, mode=0o600)       # names customers: readable by this user only
    print(f"{args.kind} report {first}..{last} -> {args.out} ({len(pdf) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
