"""The slot engine on a seeded busy week (30 technicians, ~3,000 appointments, as in
bench/slots.py) against the bench's naive reference: every grid time, every technician,
every stretch compared one by one. Also the schedules the loader builds from epoch seconds
against the same schedules built from datetimes, and the ``limit`` / ``not_before`` early
stop against the full answer cut."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core.appointments import (
    Booked, ServiceSpec, Technician, TemplateRow, free_slots, local_instant, opening_interval, plan_schedules,
)
from core.appointments.slots import _plan, _ts

TZ = "Asia/Shanghai"
MONDAY = date(2026, 11, 23)
WEEK = [MONDAY + timedelta(days=i) for i in range(7)]
HOURS = {d: ["08:00", "21:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
SKILLS = ("screen", "battery", "board", "laptop", "setup")
SERVICES = [ServiceSpec(10, 5), ServiceSpec(45, 15, "screen"), ServiceSpec(60, 15, "battery"), ServiceSpec(20, 10),
            ServiceSpec(90, 20, "board"), ServiceSpec(30, 10, "setup")]
NOW = local_instant(TZ, MONDAY, 9 * 60 + 7)        # part of Monday is already past


def seeded_week(seed: int = 6, technicians: int = 30, per_day: int = 20):
    rng = random.Random(seed)
    techs, templates, booked = [], [], []
    for i in range(technicians):
        t = Technician(uuid.UUID(int=rng.getrandbits(128)), f"Technician {rng.randint(1, 12):02d}",
                       frozenset(rng.sample(SKILLS, rng.randint(2, 4))))
        techs.append(t)
        lunch = 12 * 60 + 30 * (i % 4)
        for wd in range(6):
            templates += [TemplateRow(t.id, wd, "work", 8 * 60, 21 * 60), TemplateRow(t.id, wd, "break", lunch,
                                                                                         lunch + 60)]
        for d in WEEK[:6]:
            at = 8 * 60
            for _ in range(rng.randint(per_day - 6, per_day + 2)):
                at += rng.choice((0, 0, 0, 5, 10, 15, 45))
                length = rng.choice((10, 15, 15, 15, 20, 30, 45, 75))
                if at < lunch + 60 and at + length > lunch:
                    at = lunch + 60
                if at + length > 21 * 60:
                    break
                booked.append(Booked(t.id, local_instant(TZ, d, at), local_instant(TZ, d, at + length)))
                at += length
    return techs, templates, booked


def naive(schedules, spec, days, now, notice, step):
    """bench/slots.py's reference: every grid time of every day against every technician's
    every stretch, one by one."""
    out = []
    tz = ZoneInfo(TZ)
    dur, total = timedelta(minutes=spec.duration_min), timedelta(minutes=spec.total_min)
    earliest = now + timedelta(minutes=notice)
    for d in days:
        oc = opening_interval(TZ, d, HOURS)
        if oc is None:
            continue
        t = datetime.combine(d, datetime.min.time(), tz).astimezone(timezone.utc)
        end = datetime.combine(d + timedelta(days=1), datetime.min.time(), tz).astimezone(timezone.utc)
        while t < end:
            if t >= earliest and t >= oc[0] and t + dur <= oc[1]:
                for sch in schedules:
                    if spec.required_skill and spec.required_skill not in sch.skills:
                        continue
                    if not any(a <= t and t + total <= b for a, b in sch.work):
                        continue
                    if any(a < t + total and t < b for a, b in sch.breaks + sch.appointments):
                        continue
                    out.append((t, sch.id))
            t += timedelta(minutes=step)
    return out


def naive_least_loaded(schedules, spec, days, now, notice, step):
    """Each time once, to the free technician with the fewest booked minutes that local day,
    then by name, then by id."""
    zone = ZoneInfo(TZ)
    by_id = {s.id: s for s in schedules}

    def load(sch, day):
        return sum((b - a).total_seconds() for a, b in sch.appointments if a.astimezone(zone).date() == day)

    best = {}
    for t, sid in naive(schedules, spec, days, now, notice, step):
        sch = by_id[sid]
        key = (load(sch, t.astimezone(zone).date()), sch.name, str(sch.id))
        if t not in best or key < best[t][0]:
            best[t] = (key, sid)
    return [(t, best[t][1]) for t in sorted(best)]


@pytest.fixture(scope="module")
def week():
    techs, templates, booked = seeded_week()
    assert len(booked) > 2500
    from_datetimes = plan_schedules(techs, templates, [], booked, days=WEEK, tz=TZ)
    by_ts: dict[uuid.UUID, list[tuple[int, int]]] = {}
    by_dt: dict[uuid.UUID, list] = {}
    for b in booked:
        by_ts.setdefault(b.technician_id, []).append((_ts(b.starts_at), _ts(b.ends_at)))
        by_dt.setdefault(b.technician_id, []).append((b.starts_at, b.ends_at))
    from_seconds = _plan(techs, templates, [], by_dt, WEEK, TZ, by_ts)      # what the loader builds
    return from_datetimes, from_seconds


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: f"{s.duration_min}+{s.buffer_min}-{s.required_skill}")
@pytest.mark.parametrize("step,notice", [(15, 30), (10, 0)])
def test_the_engine_finds_exactly_what_the_naive_search_finds_on_a_busy_week(week, spec, step, notice):
    from_datetimes, from_seconds = week
    want = naive(from_datetimes, spec, WEEK, NOW, notice, step)
    assert want, "the seeded week leaves room for this service"
    for schedules in (from_datetimes, from_seconds):
        every = free_slots(schedules, spec, days=WEEK, tz=TZ, opening_hours=HOURS, now=NOW, min_notice_min=notice,
                           step_min=step, each_technician=True)
        assert sorted((s.starts_at, s.technician_id) for s in every) == sorted(want)
        assert [s.starts_at for s in every] == sorted(s.starts_at for s in every)
        auto = free_slots(schedules, spec, days=WEEK, tz=TZ, opening_hours=HOURS, now=NOW, min_notice_min=notice,
                          step_min=step)
        assert [(s.starts_at, s.technician_id) for s in auto] == \
            naive_least_loaded(from_datetimes, spec, WEEK, NOW, notice, step)
        for s in auto:
            assert s.ends_at - s.starts_at == timedelta(minutes=spec.duration_min)
            assert s.blocked_until - s.starts_at == timedelta(minutes=spec.total_min)


@pytest.mark.parametrize("each", [False, True])
def test_a_limited_search_returns_the_first_slots_of_the_full_one(week, each):
    _, schedules = week
    for spec in SERVICES:
        kw = dict(days=WEEK, tz=TZ, opening_hours=HOURS, now=NOW, min_notice_min=30, step_min=15,
                  each_technician=each)
        full = free_slots(schedules, spec, **kw)
        for n in (1, 5, 60, len(full) + 3):
            assert free_slots(schedules, spec, limit=n, **kw) == full[:n]
        after = local_instant(TZ, WEEK[2], 14 * 60 + 7)
        assert free_slots(schedules, spec, not_before=after, limit=5, **kw) == \
            [s for s in full if s.starts_at >= after][:5]


# --- the loader on a real store database ----------------------------------------------------
# ``_load`` reads SQLite with plain SQL and keeps what it parsed (keyed by the stored text);
# it must read exactly what the models hold, and a change must show in the next search.

from sqlalchemy import select  # noqa: E402

from core import appointments as ap, staff  # noqa: E402
from core.appointments import ShiftRow, TemplateView, free_intervals  # noqa: E402
from core.appointments.loading import _forget_parsed, _load  # noqa: E402
from core.models import Appointment, Shift, Staff, Store  # noqa: E402
from core.models.store import ShiftTemplate  # noqa: E402
from core.permissions import Role  # noqa: E402

DB_DAY = date(2030, 6, 3)           # a Monday


@pytest.fixture
def rota_store(store_setup):
    db, store_id, admin = store_setup
    with db.session() as s:
        tz = s.get(Store, store_id).timezone

    def at(day: date, h: int, m: int = 0) -> datetime:
        return local_instant(tz, day, h * 60 + m)

    ids = {}
    with db.session(write=True) as s:
        def person(name, role, skills=()):
            return staff.create_staff(s, admin, display_name=name, role=role, password="password-1", pin=None,
                                      skills=list(skills)).id
        li, zhao = person("Li Qiang", Role.TECHNICIAN, ("screen",)), person("Zhao Min", Role.TECHNICIAN)
        wang = person("Wang Lei", Role.ASSOCIATE, ("setup",))     # not a technician, but has a skill
        chen = person("Chen Jing", Role.MANAGER)                   # neither: never in the plan
        gone = person("Old Hand", Role.TECHNICIAN, ("screen",))    # made inactive below
        week = [TemplateView(wd, "work", 9 * 60, 18 * 60) for wd in range(6)] + \
               [TemplateView(wd, "break", 12 * 60, 13 * 60) for wd in range(6)]
        for sid in (li, zhao, wang, chen, gone):
            ap.set_week_template(s, admin, sid, week)
        ap.add_exception(s, admin, li, DB_DAY + timedelta(days=1), "work", 13 * 60, 21 * 60)   # late on Tuesday
        ap.add_exception(s, admin, zhao, DB_DAY + timedelta(days=2), "absence")                 # away on Wednesday
        ap.add_exception(s, admin, wang, DB_DAY, "break", 15 * 60, 15 * 60 + 30)
        ap.add_exception(s, admin, li, DB_DAY - timedelta(days=3), "absence")                   # before the range
        staff.set_active(s, admin, gone, False)
        service = ap.save_service_type(s, admin, code="screen_repair", name="Screen repair", duration_min=45,
                                       buffer_min=15, required_skill="screen", price_cents=9900, is_repair=True).id
        tue = DB_DAY + timedelta(days=1)
        rows = [(li, at(DB_DAY, 10), 60, "booked"), (li, at(DB_DAY, 11), 30, "cancelled"),
                (li, at(DB_DAY, 11), 20, "no_show"), (li, at(tue, 14), 60, "completed"),
                (li, at(tue, 15), 30, "in_service"), (li, at(tue, 16), 45, "checked_in"),
                (li, at(DB_DAY - timedelta(days=1), 23), 120, "booked"),    # reaches into the first day
                (li, at(DB_DAY - timedelta(days=1), 8), 60, "booked"),      # over before it: not read
                (li, at(DB_DAY + timedelta(days=7), 10), 60, "booked"),     # after the range
                (zhao, at(DB_DAY, 9), 45, "booked"), (wang, at(DB_DAY, 16), 30, "booked"),
                (None, at(DB_DAY, 10), 30, "booked")]                        # no technician yet
        for tech, start, minutes, status in rows:
            a = Appointment(store_id=store_id, service_type_id=service, technician_id=tech, starts_at=start,
                            ends_at=start + timedelta(minutes=minutes), walk_in_name="Walk-up", status=status,
                            source="phone")
            s.add(a)
            s.flush()
            ids.setdefault((tech, status), a.id)
    return db, store_id, admin, tz, service, dict(li=li, zhao=zhao, wang=wang, gone=gone, appts=ids)


def reference(s, store_id, days, exclude=None):
    """The plan from the ORM's objects through the public engine: what ``_load`` must match."""
    tz = s.get(Store, store_id).timezone
    start, end = local_instant(tz, days[0], 0), local_instant(tz, days[-1], 1440)
    techs = [Technician(p.id, p.display_name, frozenset(p.skills or ())) for p in s.scalars(
        select(Staff).where(Staff.store_id == store_id, Staff.active.is_(True)).order_by(Staff.display_name))
        if p.role == Role.TECHNICIAN.value or p.skills]
    ids = {t.id for t in techs}
    templates = [TemplateRow(t.staff_id, t.weekday, t.kind, t.start_minute, t.end_minute)
                 for t in s.scalars(select(ShiftTemplate)) if t.staff_id in ids]
    shifts = [ShiftRow(x.staff_id, x.kind, x.starts_at, x.ends_at) for x in s.scalars(select(Shift))
              if x.staff_id in ids and x.starts_at < end and x.ends_at > start - timedelta(days=1)]
    booked = [Booked(a.technician_id, a.starts_at, a.ends_at) for a in s.scalars(select(Appointment))
              if a.technician_id in ids and a.status in ap.LIVE_STATUSES and a.id != exclude
              and start - timedelta(minutes=ap.MAX_APPOINTMENT_MIN) <= a.starts_at < end]
    return plan_schedules(techs, templates, shifts, booked, days=days, tz=tz)


def seen(schedules):
    return [(x.id, x.name, x.skills, x.work, x.breaks, x.appointments, free_intervals(x),
             free_intervals(x, skip_appointments=True)) for x in schedules]


@pytest.mark.parametrize("days,exclude", [(7, False), (1, False), (7, True)])
def test_the_loader_reads_the_rota_and_the_live_appointments_the_models_hold(rota_store, days, exclude):
    db, store_id, _, tz, _, who = rota_store
    span = [DB_DAY + timedelta(days=i) for i in range(days)]
    skip = who["appts"][who["zhao"], "booked"] if exclude else None
    for cold in (True, False):       # parsed afresh, then again from what the first read kept
        if cold:
            _forget_parsed()
        with db.session() as s:
            got = _load(s, store_id, span, exclude_appointment=skip)
            want = reference(s, store_id, span, skip)
        assert seen(got.schedules) == seen(want)
        assert [x.name for x in got.schedules] == ["Li Qiang", "Wang Lei", "Zhao Min"]
        li, wang, zhao = got.schedules
        # the day before's 23:00 one, Monday 10:00, and on a week Tuesday's three (cancelled and no-show not)
        assert len(li.appointments) == (5 if days == 7 else 2)
        assert len(zhao.appointments) == (0 if exclude else 1) and len(wang.appointments) == 1
        assert wang.skills == {"setup"} and li.skills == {"screen"}
        if days == 7:
            tue = DB_DAY + timedelta(days=1)
            assert (local_instant(tz, tue, 13 * 60), local_instant(tz, tue, 21 * 60)) in li.work
            assert (local_instant(tz, DB_DAY + timedelta(days=2), 0),
                    local_instant(tz, DB_DAY + timedelta(days=3), 0)) in zhao.breaks


def test_a_search_after_a_change_sees_it_though_the_parsed_week_is_kept(rota_store):
    db, store_id, admin, tz, service, who = rota_store
    now = local_instant(tz, DB_DAY - timedelta(days=7), 8 * 60)

    def search():
        with db.session() as s:
            return [(x.starts_at, x.technician_id) for x in ap.find_slots(s, admin, service, DB_DAY, days=7, now=now)]

    def fresh():
        _forget_parsed()
        return search()

    ten = local_instant(tz, DB_DAY, 10 * 60)
    before = search()
    assert before == fresh() and before and (ten, who["li"]) not in before
    with db.session(write=True) as s:
        ap.cancel(s, admin, who["appts"][who["li"], "booked"])        # Monday 10:00 is free again
    after = search()
    assert (ten, who["li"]) in after and after == fresh()
    with db.session(write=True) as s:
        ap.set_week_template(s, admin, who["li"], [TemplateView(wd, "work", 14 * 60, 18 * 60) for wd in range(6)])
    after = search()
    zone, tue = ZoneInfo(tz), DB_DAY + timedelta(days=1)     # Tuesday keeps its own 13:00-21:00 shift
    assert {t.astimezone(zone).hour for t, _ in after if t.astimezone(zone).date() != tue} >= {14, 17}
    assert min(t.astimezone(zone).hour for t, _ in after if t.astimezone(zone).date() != tue) == 14
    assert after == fresh()
    with db.session(write=True) as s:
        staff.set_active(s, admin, who["gone"], True)                    # another screen technician
    after = search()
    assert {t for _, t in after} == {who["li"], who["gone"]} and after == fresh()
    with db.session(write=True) as s:
        ap.set_skills(s, admin, who["li"], [])
        ap.set_skills(s, admin, who["gone"], ["battery"])
    assert search() == [] == fresh()
