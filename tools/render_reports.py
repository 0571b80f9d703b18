"""Render every printable document of a demo store to PDF and PNG, in English and Chinese.

    .venv/bin/python tools/render_reports.py docs/reports [--customers 400] [--dpi 70] [--at ISO]

Builds a fresh demo store (core.demo.build_demo) in a temporary folder, renders each
document with the data functions of core.report_data, writes ``<out>/<lang>/<name>.pdf``
and one PNG per page via pdftoppm (``<name>-1.png``, ...), and prints what it wrote.
The README links the first page of each.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import clock  # noqa: E402  (after the path: the script runs from a checkout)

LANGS = ("en", "zh_CN")


def _demo_survey_url(store_id, ticket) -> str:
    """The survey QR code a store enrolled with HQ prints (core.care.invitations), here with a
    demo key and address: the demo store has no HQ. The same link on every run."""
    import uuid

    from core.care import tokens
    token = tokens.make(b"orchard-demo-survey-key-32-bytes", store_id=store_id,
                        invitation_id=uuid.uuid5(uuid.NAMESPACE_URL, f"orchard-demo-survey/{ticket.id}"),
                        visit_kind="ticket", visit_id=ticket.id,
                        expires_at=ticket.collected_at + timedelta(days=14))
    return f"https://hq.orchard.example/survey?t={token}"


def documents(db, store_id, actor):
    """(name, render thunk) for every document, from the demo store's data."""
    from sqlalchemy import func, select

    from core import report_data as rd
    from core.models import LoyaltyAccount, LoyaltyEntry, RepairTicket, Store, TradeInQuote
    from reports import (
        customer_export, device_label, intake_receipt, manager_reports, member_card, service_report,
        tradein_receipt,
    )

    with db.session() as s:
        tz = ZoneInfo(s.get(Store, store_id).timezone)
        today = clock.today(tz)
        # the collected ticket with the most history and parts; a fresh one for intake
        collected = s.scalars(select(RepairTicket).where(RepairTicket.status == "collected")
                              .order_by(RepairTicket.collected_at.desc())).first()
        fresh = s.scalars(select(RepairTicket).where(RepairTicket.status == "diagnosing")
                          .order_by(RepairTicket.created_at.desc())).first() or collected
        quote = s.scalars(select(TradeInQuote).where(TradeInQuote.status.in_(("accepted", "received")))
                          .order_by(TradeInQuote.created_at.desc())).first()
        # a member with a long ledger (the export runs over pages)
        busiest = s.execute(select(LoyaltyAccount.id, LoyaltyAccount.customer_id)
                            .join(LoyaltyEntry, LoyaltyEntry.account_id == LoyaltyAccount.id)
                            .group_by(LoyaltyAccount.id).order_by(func.count().desc()).limit(1)).first()
        with_survey = replace(rd.service_report(s, actor, collected.id),
                              survey_url=_demo_survey_url(store_id, collected))
        data = {
            "service-report": (service_report.render, with_survey, None),
            "service-report-letter": (service_report.render, with_survey, "letter"),
            "intake-receipt-80mm": (intake_receipt.render, rd.intake_receipt(s, actor, fresh.id), None),
            "intake-receipt-a4": (intake_receipt.render, rd.intake_receipt(s, actor, fresh.id), "a4"),
            "device-label": (device_label.render, rd.device_label(s, actor, fresh.id), None),
            "tradein-receipt": (tradein_receipt.render, rd.tradein_receipt(s, actor, quote.id), None),
            "member-card": (member_card.render, rd.member_card(s, actor, busiest[0]), None),
            "welcome-letter": (member_card.render_welcome_letter, rd.member_card(s, actor, busiest[0]), None),
            "customer-export": (customer_export.render, rd.customer_export(s, actor, busiest[1]), None),
            "day-report": (manager_reports.render, rd.day_report(s, actor, today - timedelta(days=1)), None),
            "period-report": (manager_reports.render, rd.period_report(s, actor, today - timedelta(days=29), today),
                              None),
            # a quarter: its by-day table runs over pages, the header repeated on each
            "period-report-quarter": (manager_reports.render,
                                      rd.period_report(s, actor, today - timedelta(days=90), today), None),
            "technician-report": (manager_reports.render,
                                  rd.technician_report(s, actor, today - timedelta(days=29), today), None),
            "loyalty-report": (manager_reports.render, rd.loyalty_report(s, actor, today - timedelta(days=364), today),
                               None),
            "tradein-report": (manager_reports.render, rd.tradein_report(s, actor, today - timedelta(days=29), today),
                               None),
            "satisfaction-report": (manager_reports.render,
                                    rd.satisfaction_report(s, actor, today - timedelta(days=89), today), None),
        }
    return data


def _unpad(folder: Path, name: str) -> list[Path]:
    """pdftoppm pads page numbers to the page count's width (name-01.png); make them
    name-1.png, name-2.png, ... so links stay the same whatever the length."""
    out = []
    for p in folder.glob(f"{name}-*.png"):
        m = re.fullmatch(re.escape(name) + r"-(\d+)\.png", p.name)
        if m:
            target = folder / f"{name}-{int(m.group(1))}.png"
            if target != p:
                p.replace(target)
            out.append(target)
    return sorted(out, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--customers", type=int, default=400)
    ap.add_argument("--dpi", type=int, default=70)
    ap.add_argument("--no-png", action="store_true")
    ap.add_argument("--at", type=datetime.fromisoformat, default=None,
                    help="render as of this moment (ISO, with its offset), e.g. 2026-12-07T06:00+00:00")
    args = ap.parse_args(argv)
    if args.at is not None:
        with clock.pinned(args.at):
            return _render(args)
    return _render(args)


def _render(args) -> int:
    from core import staff
    from core.db import StoreDatabase
    from core.demo import build_demo
    from core.permissions import Role
    from core.vault import KdfParams

    tmp = Path(tempfile.mkdtemp(prefix="orchard-reports-"))
    written: list[Path] = []
    try:
        db = StoreDatabase.create(tmp / "store.db", passphrase="render-reports",
                                  kdf=KdfParams(memory_kib=1024, iterations=1, lanes=1))
        info = build_demo(db, customers=args.customers)
        manager = info.staff_with_role(Role.MANAGER)[0]
        with db.session() as s:
            actor = staff.actor_for(staff.get_staff(s, manager.staff_id))
        docs = documents(db, info.store_id, actor)
        db.close()
        pdftoppm = shutil.which("pdftoppm")
        for lang in LANGS:
            folder = args.out / lang
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.png"):
                old.unlink()
            for name, (render, data, pagesize) in docs.items():
                t0 = time.perf_counter()
                pdf = render(data, lang=lang, pagesize=pagesize)
                ms = (time.perf_counter() - t0) * 1000
                path = folder / f"{name}.pdf"
                path.write_bytes(pdf)
                written.append(path)
                print(f"{path}  {len(pdf) // 1024} KiB  {ms:.0f} ms")
                if pdftoppm and not args.no_png:
                    dpi = str(args.dpi * (4 if name in ("device-label", "member-card") else 1))
                    subprocess.run([pdftoppm, "-png", "-r", dpi, str(path), str(folder / name)], check=True)
                    written += _unpad(folder, name)
        if not pdftoppm and not args.no_png:
            print("pdftoppm not found (install poppler-utils): wrote PDFs only", file=sys.stderr)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
