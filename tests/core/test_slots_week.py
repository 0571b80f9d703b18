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
