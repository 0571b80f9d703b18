"""Free-slot search: a week of slots for one service on a busy store, 30 technicians and
3,000 appointments in the searched week itself (checked and printed), read from an encrypted store database the way the
booking dialog does it (``core.appointments.find_slots`` in a fresh session). Prints the
median and 95th percentile, and the ratio against a naive search run beside it on the
same data (every grid time, every technician, every booked stretch compared one by one).

The loader keeps what it parsed between searches, keyed by the stored text (a technician's
booked week, template, staff row): the main figure is a search of a week already searched
(the booking dialog searching again for another service), and "cold" is the first search
of a week, nothing parsed yet (every cache dropped before each).

    .venv/bin/python bench/slots.py [--runs 300] [--baseline-runs 30]

Target (issue 6): p95 under 20 ms; aim (issue 25): about 10 ms on a loaded machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from core import appointments as ap  # noqa: E402
from core.appointments.loading import _forget_parsed, _load  # noqa: E402
from core import clock, staff  # noqa: E402
from core.db import StoreDatabase  # noqa: E402
from core.models import Appointment  # noqa: E402
from core.permissions import Role  # noqa: E402
from core.vault import KdfParams  # noqa: E402

TZ = "Asia/Shanghai"
TECHNICIANS = 30
APPOINTMENTS = 3000
SKILLS = ("screen", "battery", "board", "laptop", "setup")
# (code, name, minutes, buffer, skill, repair, weight in the busy week's mix): 3,000 appointments
# in one week are 100 per technician, so most are short jobs
SERVICES = (("quick_check", "Quick check", 10, 5, None, False),
            ("screen_repair", "Screen repair", 45, 15, "screen", True),
            ("battery", "Battery replacement", 60, 15, "battery", True),
            ("diagnosis", "Diagnosis", 20, 10, None, True),
            ("setup_help", "Setup help", 30, 10, "setup", False),
            ("data_transfer", "Data transfer", 40, 10, "setup", False),
            ("board_repair", "Logic board repair", 90, 20, "board", True),
            ("laptop_repair", "Laptop repair", 60, 15, "laptop", True))
WEIGHTS = {"quick_check": 45, "diagnosis": 25, "setup_help": 10, "data_transfer": 5, "screen_repair": 8,
           "battery": 4, "laptop_repair": 2, "board_repair": 1}
OPEN, CLOSE = 8 * 60, 21 * 60       # the store's hours, Monday to Saturday; every technician works them all


def build(path: Path, seed: int = 6):
    rng = random.Random(seed)
    db = StoreDatabase.create(path, passphrase="bench-passphrase", kdf=KdfParams(memory_kib=1024, iterations=1,
                                                                                 lanes=1))
    hours = {d: [f"{OPEN // 60:02d}:00", f"{CLOSE // 60:02d}:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
    db, store_id, admin = staff.bootstrap_store(db, code="BN01", name="Bench store", timezone=TZ, country="CN",
                                                admin_name="Bench Admin", admin_password="bench-pass-1",
                                                admin_pin=None, opening_hours=hours)
    today = clock.today(TZ)
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)     # next week: all in the future
    with db.session(write=True) as s:
        services = [ap.save_service_type(s, admin, code=c, name=n, duration_min=d, buffer_min=b,
                                         required_skill=k, price_cents=9900, is_repair=r)
                    for c, n, d, b, k, r in SERVICES]
        techs = []
        for i in range(TECHNICIANS):
            skills = sorted(rng.sample(SKILLS, rng.randint(2, 4)))
            t = staff.create_staff(s, admin, display_name=f"Technician {i + 1:02d}", role=Role.TECHNICIAN,
                                   password="bench-pass-1", skills=skills)
            lunch = 12 * 60 + 30 * (i % 4)
            rows = []
            for wd in range(6):
                rows += [ap.TemplateView(wd, "work", OPEN, CLOSE), ap.TemplateView(wd, "break", lunch, lunch + 60)]
            ap.set_week_template(s, admin, t.id, rows)
            techs.append((t, rows))
    # 3,000 appointments in the searched week: each technician's day filled from the morning
    # with a mix of services they can do, short gaps between, until the day's share is placed
    days = [monday + timedelta(days=i) for i in range(6)]
    shares = [APPOINTMENTS // (len(techs) * len(days))] * (len(techs) * len(days))
    for k in range(APPOINTMENTS - sum(shares)):
        shares[k] += 1
    placed, carry = 0, 0
    with db.session(write=True) as s:
        for k, ((t, rows), d) in enumerate((x, d) for x in techs for d in days):
            work = next(r for r in rows if r.weekday == d.weekday() and r.kind == "work")
            br = next(r for r in rows if r.weekday == d.weekday() and r.kind == "break")
            can = [sv for sv in services if sv.required_skill is None or sv.required_skill in t.skills]
            want, n, at = shares[k] + carry, 0, work.start_minute
            while n < want:
                sv = rng.choices(can, weights=[WEIGHTS[sv.code] for sv in can])[0]
                at += rng.choice((0, 0, 0, 5, 10, 15))
                total = sv.duration_min + sv.buffer_min
                if at < br.end_minute and at + total > br.start_minute:
                    at = br.end_minute
                if at + total > work.end_minute:
                    break
                a0 = ap.local_instant(TZ, d, at)
                s.add(Appointment(store_id=store_id, service_type_id=sv.id, technician_id=t.id, starts_at=a0,
                                  ends_at=a0 + timedelta(minutes=total), walk_in_name="Bench", status="booked",
                                  source="phone"))
                at += total
                n += 1
            carry = want - n
            placed += n
    assert placed == APPOINTMENTS, f"placed {placed} of {APPOINTMENTS} appointments"
    return db, admin, services, monday


def naive(data, spec: ap.ServiceSpec, days, now, notice, step):
    """Every grid time of every day against every technician's every stretch, one by one."""
    out = []
    tz = ZoneInfo(data.tz)
    dur, total = timedelta(minutes=spec.duration_min), timedelta(minutes=spec.total_min)
    earliest = now + timedelta(minutes=notice)
    for d in days:
        oc = ap.opening_interval(data.tz, d, data.opening_hours)
        if oc is None:
            continue
        t = datetime.combine(d, datetime.min.time(), tz).astimezone(timezone.utc)
        end = datetime.combine(d + timedelta(days=1), datetime.min.time(), tz).astimezone(timezone.utc)
        while t < end:
            if t >= earliest and t >= oc[0] and t + dur <= oc[1]:
                for sch in data.schedules:
                    if spec.required_skill and spec.required_skill not in sch.skills:
                        continue
                    if not any(a <= t and t + total <= b for a, b in sch.work):
                        continue
                    if any(a < t + total and t < b for a, b in sch.breaks + sch.appointments):
                        continue
                    out.append((t, sch.id))
            t += timedelta(minutes=step)
    return out


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main() -> int:
    ap_ = argparse.ArgumentParser()
    ap_.add_argument("--runs", type=int, default=300)
    ap_.add_argument("--baseline-runs", type=int, default=30)
    args = ap_.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="orchard-bench-slots-"))
    try:
        t0 = time.perf_counter()
        db, actor, services, monday = build(tmp / "store.db")
        print(f"built a store with {TECHNICIANS} technicians and {APPOINTMENTS} appointments "
              f"in {time.perf_counter() - t0:.1f} s; searching the week of {monday}", flush=True)
        rng = random.Random(1)
        now = clock.now()
        week = [monday + timedelta(days=i) for i in range(7)]
        with db.session() as s:
            counts = s.execute(select(func.count()).select_from(Appointment).where(
                Appointment.starts_at >= ap.local_instant(TZ, monday, 0),
                Appointment.starts_at < ap.local_instant(TZ, monday + timedelta(days=7), 0))).scalar()
        print(f"appointments in the searched week: {counts}")
        assert counts == APPOINTMENTS, f"{counts} appointments in the searched week, not {APPOINTMENTS}"
        # warm-up: the first query compiles statements and fills caches
        for sv in services:
            with db.session() as s:
                ap.find_slots(s, actor, sv.id, monday, days=7, now=now)

        full, full_cpu, engine_only, found = [], [], [], []
        for _ in range(args.runs):
            sv = rng.choice(services)
            t, c = time.perf_counter(), time.process_time()
            with db.session() as s:
                slots = ap.find_slots(s, actor, sv.id, monday, days=7, now=now)
            full.append((time.perf_counter() - t) * 1000)
            full_cpu.append((time.process_time() - c) * 1000)
            found.append(len(slots))
        cold, cold_cpu = [], []
        for _ in range(max(1, args.runs // 3)):
            sv = rng.choice(services)
            _forget_parsed()
            t, c = time.perf_counter(), time.process_time()
            with db.session() as s:
                ap.find_slots(s, actor, sv.id, monday, days=7, now=now)
            cold.append((time.perf_counter() - t) * 1000)
            cold_cpu.append((time.process_time() - c) * 1000)
        with db.session() as s:
            data = _load(s, actor.store_id, week)
        for _ in range(args.runs):
            sv = rng.choice(services)
            t = time.perf_counter()
            ap.free_slots(data.schedules, sv.spec, days=week, tz=data.tz, opening_hours=data.opening_hours, now=now,
                          min_notice_min=data.settings.min_notice_min, step_min=data.settings.slot_step_min,
                          each_technician=True)
            engine_only.append((time.perf_counter() - t) * 1000)
        base_full, base_engine = [], []
        for _ in range(args.baseline_runs):
            sv = rng.choice(services)
            t = time.perf_counter()
            with db.session() as s:
                data = _load(s, actor.store_id, week)
            t1 = time.perf_counter()
            naive(data, sv.spec, week, now, data.settings.min_notice_min, data.settings.slot_step_min)
            t2 = time.perf_counter()
            base_full.append((t2 - t) * 1000)
            base_engine.append((t2 - t1) * 1000)
        # both find the same slots
        sv = services[0]
        mine = {(x.starts_at, x.technician_id) for x in ap.free_slots(
            data.schedules, sv.spec, days=week, tz=data.tz, opening_hours=data.opening_hours, now=now,
            min_notice_min=data.settings.min_notice_min, step_min=data.settings.slot_step_min, each_technician=True)}
        assert mine == set(naive(data, sv.spec, week, now, data.settings.min_notice_min,
                                 data.settings.slot_step_min)), "engine and baseline disagree"

        def line(name, xs):
            return f"{name:<44} median {statistics.median(xs):7.2f} ms   p95 {pct(xs, 0.95):7.2f} ms   (n={len(xs)})"
        print(f"slots per search (one per start time, least-loaded technician): "
              f"median {statistics.median(found):.0f}")
        print(line("find_slots, week, from the database", full))
        print(line("  the same, CPU time of this process", full_cpu))
        print(line("  cold: first search of the week", cold))
        print(line("  cold, CPU time of this process", cold_cpu))
        print(line("  slot engine alone (every technician)", engine_only))
        print(line("naive baseline, from the database", base_full))
        print(line("  naive scan alone", base_engine))
        print(f"ratio naive / engine (median, from the database): "
              f"{statistics.median(base_full) / statistics.median(full):.1f}x")
        print(f"ratio naive / engine (median, scan alone):        "
              f"{statistics.median(base_engine) / statistics.median(engine_only):.1f}x")
        print("load average (1, 5, 15 min): %.2f %.2f %.2f (2 cores shared with other work: the wall-clock "
              "figures include waiting for a core)" % os.getloadavg())
        # judged on the worse of the two: a week searched again, and the first search of a week
        p95 = max(pct(full, 0.95), pct(cold, 0.95))
        print(f"target p95 < 20 ms, repeat and first search alike: {'PASS' if p95 < 20 else 'FAIL'} "
              f"(worse p95 {p95:.2f} ms)")
        db.close()
        return 0 if p95 < 20 else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
