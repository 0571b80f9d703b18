"""Report rendering times, query and PDF together, as a manager waits for them:

* a service report for one ticket (target under 150 ms),
* a day report with 1,000 appointments that day (target under 0.4 s),
* a 30-day period report over 500,000 repair tickets (target under 3 s; its figures are
  counted in SQL, ``core.report_data._aggregate``, so it should not grow with the tickets).

Every figure is the median of ``--runs`` runs (at least 15) after one warm-up run, with
its CPU time beside it (the machine is shared: wall time waits for the other jobs).

The store is the demo store plus bulk-inserted rows (INSERT ... executemany, no ORM
unit of work: seeded rows count as synced, like ``core.demo.seed_large``).  The
baseline beside each figure is a one-page "hello" PDF made with the same fonts in the
same process, so a slower machine shows as a ratio that stays put.

The seeded store is built once (about ten minutes for 500,000 tickets) and cached under
/tmp/orchard-bench/reports/, one per (tickets, appointments); a rerun opens it in a second
and migrates it to the current schema.  ``--rebuild`` builds it again.

    .venv/bin/python bench/reports.py [--tickets 500000] [--appointments 1000] [--runs 15] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, runs: int) -> tuple[float, list[float], float]:
    """Median wall time, every wall time, median CPU time of ``runs`` calls."""
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), times, statistics.median(cpu)


def seed(db, store_id, *, tickets: int, appointments: int, day, tz: ZoneInfo, rng: random.Random) -> None:
    """``tickets`` repair tickets spread over the 30 days up to ``day`` (with their history:
    intake, and for most a closing step) and ``appointments`` appointments on ``day``."""
    from sqlalchemy import insert, select

    from core.ids import uuid7
    from core.models import Appointment, Customer, Device, RepairEvent, RepairTicket, ServiceType, Staff

    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz).astimezone(timezone.utc)
    start = end - timedelta(days=30)
    span = (end - start).total_seconds()
    with db.session() as s:
        customers = list(s.scalars(select(Customer.id)))
        devices = list(s.scalars(select(Device.id)))
        techs = list(s.scalars(select(Staff.id).where(Staff.role == "technician")))
        services = list(s.scalars(select(ServiceType.id)))
    t_rows, e_rows = [], []
    for i in range(tickets):
        tid = uuid7()
        created = start + timedelta(seconds=rng.random() * span)
        status = rng.choices(("collected", "cancelled", "in_repair", "ready", "new"), weights=(55, 5, 20, 10, 10))[0]
        closed_at = created + timedelta(hours=rng.uniform(2, 120)) if status in ("collected", "cancelled") else None
        if closed_at and closed_at >= end:
            status, closed_at = "ready", None
        t_rows.append({"id": tid, "store_id": store_id, "number": f"BN{i:07d}", "customer_id": rng.choice(customers),
                       "device_id": rng.choice(devices), "technician_id": rng.choice(techs), "status": status,
                       "reported_fault": "Bench ticket", "intake_condition": {}, "accessories": "",
                       "approval_limit_cents": 0, "contact_preference": "sms", "diagnosis": "", "labour_cents": 15000,
                       "quality_check": {}, "created_at": created, "updated_at": closed_at or created,
                       "collected_at": closed_at if status == "collected" else None})
        e_rows.append({"id": uuid7(), "ticket_id": tid, "at": created, "staff_id": None, "from_status": None,
                       "to_status": "new", "note": ""})
        if closed_at:
            e_rows.append({"id": uuid7(), "ticket_id": tid, "at": closed_at, "staff_id": None,
                           "from_status": "ready", "to_status": status, "note": ""})
    day_start = datetime.combine(day, datetime.min.time(), tz).replace(hour=9)
    a_rows = []
    for i in range(appointments):
        at = (day_start + timedelta(minutes=rng.randrange(0, 600))).astimezone(timezone.utc)
        walk = rng.random() < 0.15
        a_rows.append({"id": uuid7(), "store_id": store_id, "customer_id": None if walk else rng.choice(customers),
                       "walk_in_name": "Walk-in" if walk else None, "service_type_id": rng.choice(services),
                       "technician_id": None, "starts_at": at, "ends_at": at + timedelta(minutes=45),
                       "status": rng.choices(("completed", "no_show", "cancelled", "booked"),
                                             weights=(70, 10, 5, 15))[0],
                       "source": "walk_in" if walk else rng.choice(("phone", "online", "counter")),
                       "checked_in_at": None, "notes": "", "created_at": at - timedelta(minutes=rng.randint(2, 600)),
                       "updated_at": at})
    with db.session(write=True) as s:
        for model, rows in ((RepairTicket, t_rows), (RepairEvent, e_rows), (Appointment, a_rows)):
            for k in range(0, len(rows), 5000):
                s.execute(insert(model).execution_options(render_nulls=True), rows[k:k + 5000])


CACHE = Path("/tmp/orchard-bench/reports")
SEED_FORMAT = 1     # bump when seed() or the demo build changes what the store holds


def open_store(tickets: int, appointments: int, rebuild: bool):
    """The seeded store, built once per (tickets, appointments, seed format) and cached under
    ``CACHE`` (an encrypted store with its meta file, plus the chosen day); opening it
    migrates it to the current schema.  Returns (db, store id, a manager's staff id, day, how)."""
    from sqlalchemy import select

    from core import clock
    from core import staff as staff_service
    from core.db import StoreDatabase
    from core.demo import build_demo
    from core.models import Staff
    from core.vault import KdfParams

    folder = CACHE / f"t{tickets}-a{appointments}-v{SEED_FORMAT}"
    path, info_file = folder / "store.db", folder / "info.json"
    if rebuild or not info_file.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        t0 = time.perf_counter()
        db = StoreDatabase.create(path, passphrase="bench", kdf=KdfParams(memory_kib=1024, iterations=1, lanes=1))
        info = build_demo(db, customers=400)
        tz = ZoneInfo("Asia/Shanghai")
        day = clock.today(tz) + timedelta(days=60)   # a day with no demo appointments: only ours
        seed(db, info.store_id, tickets=tickets, appointments=appointments, day=day, tz=tz, rng=random.Random(3))
        info_file.write_text(json.dumps({"day": day.isoformat()}))   # written last: the cache is complete
        how = f"{time.perf_counter() - t0:.1f} s to build, cached in {folder}"
    else:
        t0 = time.perf_counter()
        db = StoreDatabase.open(path, passphrase="bench")
        day = date.fromisoformat(json.loads(info_file.read_text())["day"])
        how = f"cached in {folder}, {time.perf_counter() - t0:.1f} s to open"
    with db.session() as s:
        store_id = staff_service.current_store(s).id
        manager_id = s.scalars(select(Staff.id).where(Staff.store_id == store_id, Staff.role == "manager",
                                                      Staff.active.is_(True))).first()
    return db, store_id, manager_id, day, how


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="report rendering benchmark")
    ap.add_argument("--tickets", type=int, default=500_000)
    ap.add_argument("--appointments", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--rebuild", action="store_true", help="build the store again instead of the cached one")
    args = ap.parse_args(argv)
    args.runs = max(15, args.runs)

    from sqlalchemy import select

    from core import report_data as rd
    from core import staff
    from core.models import RepairTicket
    from reports import manager_reports, service_report
    from reports.base import Document

    class Hello(Document):
        def title(self):
            return "Hello"

        def story(self):
            return [self.p("Hello, 你好")]

    db, store_id, manager_id, day, built = open_store(args.tickets, args.appointments, args.rebuild)
    print(f"store: demo + {args.tickets:,} tickets + {args.appointments:,} appointments on {day} ({built})")
    try:
        with db.session() as s:
            manager = staff.actor_for(staff.get_staff(s, manager_id))
            ticket = s.scalars(select(RepairTicket.id).where(RepairTicket.status == "collected",
                                                             RepairTicket.number.like("SH01-%"))).first()
        Hello(None).render()          # fonts loaded once per process, not counted
        base, _, base_cpu = timed(lambda: Hello(None).render(), args.runs)

        def service():
            with db.session() as s:
                return service_report.render(rd.service_report(s, manager, ticket))

        def day_report():
            with db.session() as s:
                data = rd.day_report(s, manager, day)
            assert len(data.appointments) == args.appointments
            return manager_reports.render(data)

        def period():
            with db.session() as s:
                data = rd.period_report(s, manager, day - timedelta(days=29), day)
            assert data.total.tickets.opened >= args.tickets * 0.99
            return manager_reports.render(data)

        rows = []
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        for name, fn, target in (("service report", service, 0.150),
                                 (f"day report, {args.appointments:,} appointments", day_report, 0.4),
                                 (f"30-day period report, {args.tickets:,} tickets", period, 3.0)):
            fn()                       # warm: first-use imports and caches
            med, times, cpu = timed(fn, args.runs)
            rows.append((name, med, target))
            print(f"{name:<44} median {med * 1000:8.1f} ms  (min {min(times) * 1000:.1f}, max "
                  f"{max(times) * 1000:.1f}, n={args.runs}; CPU {cpu * 1000:.1f} ms)  ×{med / base:.1f} baseline",
                  flush=True)
        print(f"{'baseline: one-page hello PDF':<44} median {base * 1000:8.1f} ms  (CPU {base_cpu * 1000:.1f} ms)")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for name, med, target in rows:
            print(f"{'PASS' if med < target else 'FAIL'}  {name}: median {med * 1000:.1f} ms, target < "
                  f"{target * 1000:.0f} ms")
        return 0 if all(med < target for _, med, target in rows) else 1
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
