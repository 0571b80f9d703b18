"""The slot engine, as pure functions: properties over random rotas, bookings and
services (Hypothesis), a brute-force reference, and daylight-saving days."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.appointments import (
    Booked, ServiceSpec, ShiftRow, TechSchedule, Technician, TemplateRow, earliest_start, free_slots,
    local_instant, opening_interval, plan_schedules,
)

UTC = timezone.utc
SKILLS = ("screen", "battery", "setup")
# (time zone, a day on which its clocks change, or an ordinary day)
DAYS = [
    ("Europe/London", date(2026, 3, 29)),      # 01:00 -> 02:00
    ("Europe/London", date(2026, 10, 25)),     # 02:00 -> 01:00
    ("America/New_York", date(2026, 3, 8)),    # 02:00 -> 03:00
    ("America/New_York", date(2026, 11, 1)),   # 02:00 -> 01:00
    ("Australia/Sydney", date(2026, 4, 5)),    # 03:00 -> 02:00
    ("Australia/Sydney", date(2026, 10, 4)),   # 02:00 -> 03:00
    ("Asia/Shanghai", date(2026, 11, 28)),
    ("UTC", date(2026, 6, 1)),
]
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def overlaps(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


@st.composite
def scenarios(draw):
    tz, day = draw(st.sampled_from(DAYS))
    n = draw(st.integers(1, 4))
    schedules = []
    for k in range(n):
        skills = frozenset(draw(st.sets(st.sampled_from(SKILLS))))
        work, breaks, appts = [], [], []
        start = draw(st.integers(0, 20 * 12)) * 5
        length = draw(st.integers(6, 12 * 12)) * 5
        end = min(1440, start + length)
        work.append((local_instant(tz, day, start), local_instant(tz, day, end)))
        if draw(st.booleans()):      # a second stretch later in the day
            s2 = min(1435, end + draw(st.integers(1, 24)) * 5)
            work.append((local_instant(tz, day, s2), local_instant(tz, day, min(1440, s2 + 120))))
        for _ in range(draw(st.integers(0, 2))):
            b = draw(st.integers(0, 287)) * 5
            end_b = min(1440, b + draw(st.integers(1, 12)) * 5)
            breaks.append((local_instant(tz, day, b), local_instant(tz, day, end_b)))
        for _ in range(draw(st.integers(0, 6))):
            a = draw(st.integers(0, 287)) * 5
            end_a = min(1440, a + draw(st.integers(2, 24)) * 5)
            appts.append((local_instant(tz, day, a), local_instant(tz, day, end_a)))
        schedules.append(TechSchedule(uuid.UUID(int=k + 1), f"Tech {k}", skills, tuple(work), tuple(breaks),
                                      tuple(appts)))
    service = ServiceSpec(draw(st.integers(1, 24)) * 5, draw(st.sampled_from((0, 5, 10, 15, 30))),
                          draw(st.sampled_from((None,) + SKILLS)))
    weekday = "mon tue wed thu fri sat sun".split()[day.weekday()]
    if draw(st.booleans()):
        hours = {weekday: ["00:00", "24:00"]}          # open through the night the clocks change
    else:
        o = draw(st.integers(0, 20))
        hours = {weekday: [f"{o:02d}:00", f"{min(24, o + draw(st.integers(1, 12))):02d}:00"]}
    now = local_instant(tz, day, draw(st.integers(-60, 1440)))
    notice = draw(st.sampled_from((0, 0, 15, 60, 120)))
    step = draw(st.sampled_from((5, 10, 15, 30, 60)))
    return tz, day, schedules, service, hours, now, notice, step


def reference(schedules, service, tz, day, hours, now, notice, step):
    """Brute force: every local grid minute of the day, every technician, every rule
    checked by hand. Slow and obviously right."""
    zone = ZoneInfo(tz)
    oc = opening_interval(tz, day, hours)
    if oc is None:
        return set()
    out = set()
    instants = set()
    t = datetime.combine(day, datetime.min.time(), zone).astimezone(UTC) - timedelta(hours=3)
    while t < datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC) + timedelta(hours=3):
        loc = t.astimezone(zone)
        if loc.date() == day and (loc.hour * 60 + loc.minute) % step == 0:
            instants.add(t)
        t += timedelta(minutes=5)
    dur, total = timedelta(minutes=service.duration_min), timedelta(minutes=service.total_min)
    for s in sorted(instants):
        if s < now + timedelta(minutes=notice) or s < oc[0] or s + dur > oc[1]:
            continue
        for sch in schedules:
            if service.required_skill and service.required_skill not in sch.skills:
                continue
            # within one stretch of work (stretches that touch count as one)
            covered = s
            for a, b in sorted(sch.work):
                if a <= covered < b:
                    covered = b
            if covered < s + total:
                continue
            if any(overlaps(s, s + total, a, b) for a, b in sch.breaks + sch.appointments):
                continue
            out.add((s, sch.id))
    return out


@PROFILE
@given(scenarios())
def test_every_slot_keeps_every_rule_and_none_is_missing(case):
    tz, day, schedules, service, hours, now, notice, step = case
    slots = free_slots(schedules, service, days=[day], tz=tz, opening_hours=hours, now=now,
                       min_notice_min=notice, step_min=step, each_technician=True)
    by_id = {s.id: s for s in schedules}
    oc = opening_interval(tz, day, hours)
    zone = ZoneInfo(tz)
    for slot in slots:
        sch = by_id[slot.technician_id]
        # the technician has the skill
        assert service.required_skill is None or service.required_skill in sch.skills
        # no overlap with a booked appointment or a break (buffer included)
        for a, b in sch.appointments + sch.breaks:
            assert not overlaps(slot.starts_at, slot.blocked_until, a, b)
        # inside one stretch of the shift: never past its end
        assert any(a <= slot.starts_at and slot.blocked_until <= b for a, b in sch.work) or \
            _within_touching(sch.work, slot.starts_at, slot.blocked_until)
        # real durations, whatever the clocks do
        assert slot.ends_at - slot.starts_at == timedelta(minutes=service.duration_min)
        assert slot.blocked_until - slot.starts_at == timedelta(minutes=service.total_min)
        # opening hours, notice, and the local grid on that day
        assert oc[0] <= slot.starts_at and slot.ends_at <= oc[1]
        assert slot.starts_at >= now + timedelta(minutes=notice)
        local = slot.starts_at.astimezone(zone)
        assert local.date() == day and local.second == 0 and (local.hour * 60 + local.minute) % step == 0
    assert {(s.starts_at, s.technician_id) for s in slots} == reference(schedules, service, tz, day, hours, now,
                                                                         notice, step)


def _within_touching(work, start, end):
    covered = start
    for a, b in sorted(work):
        if a <= covered < b:
            covered = b
    return covered >= end


@PROFILE
@given(scenarios())
def test_auto_assignment_offers_each_time_once_to_the_least_loaded_free_technician(case):
    tz, day, schedules, service, hours, now, notice, step = case
    kw = dict(days=[day], tz=tz, opening_hours=hours, now=now, min_notice_min=notice, step_min=step)
    every = free_slots(schedules, service, each_technician=True, **kw)
    one = free_slots(schedules, service, **kw)
    assert [s.starts_at for s in one] == sorted({s.starts_at for s in every})
    load = {s.id: sum((b - a).total_seconds() for a, b in s.appointments) for s in schedules}
    for slot in one:
        free_here = [s.technician_id for s in every if s.starts_at == slot.starts_at]
        assert slot.technician_id in free_here
        assert load[slot.technician_id] == min(load[t] for t in free_here)


def _gap_case():
    """Found by Hypothesis on a fresh machine: in New York on 2026-03-08 an appointment
    booked for local 02:00-03:00 (the hour that does not exist) collapses to the instant
    07:00 UTC; a walk-in at 06:26 UTC needing 35 minutes must not run over it."""
    tz, day = "America/New_York", date(2026, 3, 8)
    sch = TechSchedule(uuid.UUID(int=1), "Tech 0", frozenset(),
                       ((local_instant(tz, day, 60), local_instant(tz, day, 240)),), (),
                       ((local_instant(tz, day, 120), local_instant(tz, day, 180)),))
    now = datetime(2026, 3, 8, 6, 26, tzinfo=UTC)
    return tz, day, [sch], ServiceSpec(30, 5), {"sun": ["00:00", "24:00"]}, now, 0, 5


@PROFILE
@given(scenarios())
@example(_gap_case())
def test_a_walk_in_start_is_free_for_the_whole_service(case):
    tz, day, schedules, service, hours, now, notice, step = case
    slot = earliest_start(schedules, service, now=now)
    if slot is None:
        return
    sch = next(s for s in schedules if s.id == slot.technician_id)
    assert slot.starts_at >= now
    assert service.required_skill is None or service.required_skill in sch.skills
    for a, b in sch.appointments + sch.breaks:
        assert not overlaps(slot.starts_at, slot.blocked_until, a, b)
    assert _within_touching(sch.work, slot.starts_at, slot.blocked_until)


# --- daylight saving, by hand ---------------------------------------------------------

def _one_tech(tz, day, start_min, end_min, skills=frozenset()):
    return TechSchedule(uuid.UUID(int=1), "Tech", skills,
                        ((local_instant(tz, day, start_min), local_instant(tz, day, end_min)),))


def _local_times(slots, tz):
    return [s.starts_at.astimezone(ZoneInfo(tz)).strftime("%H:%M%z") for s in slots]


def test_spring_forward_night_has_no_slot_at_a_time_that_does_not_exist():
    tz, day = "Europe/London", date(2026, 3, 29)        # 01:00 GMT becomes 02:00 BST
    sch = _one_tech(tz, day, 0, 6 * 60)
    slots = free_slots([sch], ServiceSpec(60), days=[day], tz=tz, opening_hours={"sun": ["00:00", "24:00"]},
                       now=datetime(2026, 3, 1, tzinfo=UTC), step_min=60)
    assert _local_times(slots, tz) == ["00:00+0000", "02:00+0100", "03:00+0100", "04:00+0100", "05:00+0100"]
    # 00:00 to 06:00 local is five real hours
    assert sch.work[0][1] - sch.work[0][0] == timedelta(hours=5)


def test_fall_back_night_offers_the_repeated_hour_twice():
    tz, day = "Europe/London", date(2026, 10, 25)       # 02:00 BST becomes 01:00 GMT
    sch = _one_tech(tz, day, 0, 3 * 60)
    slots = free_slots([sch], ServiceSpec(60), days=[day], tz=tz, opening_hours={"sun": ["00:00", "24:00"]},
                       now=datetime(2026, 10, 1, tzinfo=UTC), step_min=60)
    assert _local_times(slots, tz) == ["00:00+0100", "01:00+0100", "01:00+0000", "02:00+0000"]
    assert len({s.starts_at for s in slots}) == 4


def test_opening_hours_and_template_shifts_follow_the_local_clock_across_the_change():
    tz = "America/New_York"
    before, change, after = date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)
    tech = Technician(uuid.UUID(int=7), "Tom", frozenset({"screen"}))
    templates = [TemplateRow(tech.id, wd, "work", 9 * 60, 17 * 60) for wd in range(7)] + \
                [TemplateRow(tech.id, wd, "break", 12 * 60, 13 * 60) for wd in range(7)]
    [sch] = plan_schedules([tech], templates, [], [], days=[before, change, after], tz=tz)
    hours = {d: ["09:00", "18:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    slots = free_slots([sch], ServiceSpec(45, 15, "screen"), days=[before, change, after], tz=tz,
                       opening_hours=hours, now=datetime(2026, 3, 1, tzinfo=UTC), step_min=30)
    firsts = {}
    for s in slots:
        firsts.setdefault(s.starts_at.astimezone(ZoneInfo(tz)).date(), s)
    # 09:00 local every day: 14:00 UTC in winter time, 13:00 UTC once the clocks went forward
    assert [firsts[d].starts_at.astimezone(UTC).hour for d in (before, change, after)] == [14, 13, 13]
    assert all(s.starts_at.astimezone(ZoneInfo(tz)).strftime("%H:%M") not in ("12:00", "12:30") for s in slots)
    last = [s for s in slots if s.starts_at.astimezone(ZoneInfo(tz)).date() == change][-1]
    assert last.starts_at.astimezone(ZoneInfo(tz)).strftime("%H:%M") == "16:00"   # 16:00 + 45 + 15 = 17:00


def test_an_explicit_work_shift_replaces_the_template_and_an_absence_blocks_it():
    tz, day = "Asia/Shanghai", date(2026, 12, 1)
    tech = Technician(uuid.UUID(int=3), "Li", frozenset())
    templates = [TemplateRow(tech.id, day.weekday(), "work", 9 * 60, 18 * 60)]
    late = ShiftRow(tech.id, "work", local_instant(tz, day, 14 * 60), local_instant(tz, day, 20 * 60))
    [sch] = plan_schedules([tech], templates, [late], [], days=[day], tz=tz)
    assert sch.work == ((late.starts_at, late.ends_at),)
    sick = ShiftRow(tech.id, "absence", local_instant(tz, day, 0), local_instant(tz, day, 1440))
    [sch] = plan_schedules([tech], templates, [sick], [], days=[day], tz=tz)
    assert free_slots([sch], ServiceSpec(30), days=[day], tz=tz, opening_hours={"tue": ["09:00", "19:00"]},
                      now=datetime(2026, 11, 1, tzinfo=UTC)) == []
    booked = Booked(tech.id, local_instant(tz, day, 10 * 60), local_instant(tz, day, 11 * 60))
    [sch] = plan_schedules([tech], templates, [], [booked], days=[day], tz=tz)
    assert sch.appointments == ((booked.starts_at, booked.ends_at),)


def test_an_appointment_collapsed_by_the_spring_forward_gap_still_blocks_its_instant():
    tz, day, schedules, service, hours, now, notice, step = _gap_case()
    assert schedules[0].appointments[0][0] == schedules[0].appointments[0][1] == datetime(2026, 3, 8, 7, tzinfo=UTC)
    slot = earliest_start(schedules, service, now=now)
    assert slot.starts_at == datetime(2026, 3, 8, 7, tzinfo=UTC)
