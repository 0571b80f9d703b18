"""A complaint's clocks (core.care.sla): classified within 24 REAL hours whatever the clocks
on the wall do (a DST change, a closure), resolved by a due time that counts real hours or
the store's opening hours (closures skipped, a DST day counting the hours it was really open)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.appointments.slots import WEEKDAYS
from core.care.rules import Rule
from core.care.sla import StoreHours, classify_due, is_overdue, resolve_due, time_left

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAY_HOURS = {d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}


def rule(hours: int, business: bool) -> Rule:
    return Rule("moderate", hours, business, False, None)


def test_classify_due_is_24_real_hours_over_the_spring_change():
    # London, Saturday 28 March 2026, 20:00 GMT: the clocks go forward at 01:00 that night
    opened = datetime(2026, 3, 28, 20, 0, tzinfo=LONDON)
    due = classify_due(opened)
    assert due - opened == timedelta(hours=24)
    # on the wall that is 21:00 on Sunday, not 20:00: the lost hour is not given back
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 3, 29, 21, 0)


def test_classify_due_is_24_real_hours_over_the_autumn_change_in_new_york():
    opened = datetime(2026, 10, 31, 19, 30, tzinfo=NEW_YORK)      # clocks go back at 02:00 on 1 November
    due = classify_due(opened)
    assert due - opened == timedelta(hours=24)
    assert due.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 1, 18, 30)


def test_a_closure_does_not_stop_the_classify_clock():
    # the store is closed on Christmas Day; a complaint opened on Christmas Eve is still due on the day
    opened = datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)
    assert classify_due(opened).astimezone(LONDON).date() == date(2026, 12, 25)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                    timezones=st.sampled_from([UTC, LONDON, NEW_YORK, ZoneInfo("Asia/Shanghai"),
                                               ZoneInfo("Australia/Lord_Howe")])))
def test_classify_due_is_always_exactly_24_hours_later(opened):
    assert classify_due(opened) - opened == timedelta(hours=24)


def test_classify_due_refuses_a_naive_time():
    with pytest.raises(ValueError):
        classify_due(datetime(2026, 3, 28, 20, 0))


def test_a_real_hours_rule_ignores_opening_hours_and_dst():
    hours = StoreHours("Europe/London", WEEKDAY_HOURS, frozenset())
    start = datetime(2026, 3, 28, 20, 0, tzinfo=LONDON)
    assert resolve_due(start, rule(24, False), hours) - start == timedelta(hours=24)


def test_business_hours_skip_nights_weekends_and_a_closure_date():
    # Friday 17 April 2026 16:00 London, 8 opening hours: 1 on Friday, the weekend is closed,
    # Monday the 20th is a closure, so 7 more on Tuesday: due Tuesday 16:00
    hours = StoreHours("Europe/London", WEEKDAY_HOURS, frozenset({date(2026, 4, 20)}))
    due = resolve_due(datetime(2026, 4, 17, 16, 0, tzinfo=LONDON), rule(8, True), hours)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 4, 21, 16, 0)
    # without the closure it is Monday
    open_monday = StoreHours("Europe/London", WEEKDAY_HOURS, frozenset())
    due = resolve_due(datetime(2026, 4, 17, 16, 0, tzinfo=LONDON), rule(8, True), open_monday)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 4, 20, 16, 0)


def test_a_start_before_opening_counts_from_the_opening():
    hours = StoreHours("Europe/London", WEEKDAY_HOURS, frozenset())
    due = resolve_due(datetime(2026, 4, 21, 6, 0, tzinfo=LONDON), rule(2, True), hours)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 4, 21, 11, 0)


def test_a_dst_day_counts_its_real_open_hours():
    # open round the clock; Sunday 29 March 2026 in London is 23 hours long, 25 October is 25
    always = StoreHours("Europe/London", {d: ["00:00", "24:00"] for d in WEEKDAYS}, frozenset())
    spring = datetime(2026, 3, 29, 0, 0, tzinfo=LONDON)
    due = resolve_due(spring, rule(24, True), always)
    assert due - spring == timedelta(hours=24)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 3, 30, 1, 0)   # 23 h Sunday + 1 h Monday
    autumn = datetime(2026, 10, 25, 0, 0, tzinfo=LONDON)
    due = resolve_due(autumn, rule(24, True), always)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 10, 25, 23, 0)  # 24 of its 25 hours


def test_an_early_morning_shop_loses_the_hour_the_clocks_skip():
    # open 00:30-03:30 local: three hours, but on the spring Sunday the wall skips 01:00-02:00
    night = StoreHours("Europe/London", {d: ["00:30", "03:30"] for d in WEEKDAYS}, frozenset())
    start = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    due = resolve_due(start, rule(3, True), night)
    # two real hours on Sunday, then one more on Monday from 00:30
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 3, 30, 1, 30)


def test_a_store_that_never_opens_is_refused():
    with pytest.raises(ValueError):
        resolve_due(datetime(2026, 4, 21, 6, 0, tzinfo=UTC), rule(2, True), StoreHours("UTC", {}, frozenset()))


def test_store_hours_read_from_the_store_row():
    store = SimpleNamespace(timezone="Europe/London", opening_hours={"mon": ["09:00", "17:00"], "tue": []},
                            settings={"closures": ["2026-12-25", "not a date"]})
    hours = StoreHours.of(store)
    assert hours == StoreHours("Europe/London", {"mon": ["09:00", "17:00"]}, frozenset({date(2026, 12, 25)}))


def test_time_left_is_negative_when_overdue():
    due = datetime(2026, 4, 21, 12, 0, tzinfo=UTC)
    assert time_left(due, due - timedelta(minutes=90)) == timedelta(minutes=90)
    assert time_left(due, due + timedelta(hours=2)) == timedelta(hours=-2)


# --- properties, against an independent minute-by-minute counter -------------------------------

ZONES = ["Europe/London", "America/New_York"]
# days around both 2026 changes in both zones
DAYS = [date(2026, 3, 7), date(2026, 3, 27), date(2026, 10, 23), date(2026, 10, 30)]


def _open_at(moment: datetime, hours: StoreHours) -> bool:
    """Independent of the code under test: is the store open at this minute (local wall clock)?"""
    local = moment.astimezone(ZoneInfo(hours.timezone))
    if local.date() in hours.closures:
        return False
    span = hours.opening_hours.get(WEEKDAYS[local.weekday()])
    if not span:
        return False
    o = [int(x) for x in span[0].split(":")]
    c = [int(x) for x in span[1].split(":")]
    minute = local.hour * 60 + local.minute
    return o[0] * 60 + o[1] <= minute < c[0] * 60 + c[1]


def _open_minutes(start: datetime, end: datetime, hours: StoreHours) -> int:
    count, t = 0, start
    while t < end:
        count += _open_at(t, hours)
        t += timedelta(minutes=1)
    return count


hours_strategy = st.builds(
    lambda tz, open_h, length, closed_days, closure_offsets, first: StoreHours(
        tz, {d: [f"{open_h:02d}:00", f"{min(24, open_h + length):02d}:00"]
             for i, d in enumerate(WEEKDAYS) if i not in closed_days},
        frozenset(first + timedelta(days=k) for k in closure_offsets)),
    st.sampled_from(ZONES), st.integers(0, 10), st.integers(1, 14), st.sets(st.integers(0, 6), max_size=3),
    st.sets(st.integers(0, 4), max_size=2), st.sampled_from(DAYS))


@settings(max_examples=40, deadline=None)
@given(hours=hours_strategy, day=st.sampled_from(DAYS), minute=st.integers(0, 48 * 60 - 1),
       need=st.integers(1, 10))
def test_business_hours_count_exactly_the_rules_hours_and_never_come_before_real_hours(hours, day, minute, need):
    start = datetime.combine(day, datetime.min.time(), ZoneInfo(hours.timezone)).astimezone(UTC) \
        + timedelta(minutes=minute)
    due = resolve_due(start, rule(need, True), hours)
    assert due >= resolve_due(start, rule(need, False), hours)
    assert _open_minutes(start, due, hours) == need * 60
    # and not a minute later than needed: the store is open in the last minute counted
    assert _open_at(due - timedelta(minutes=1), hours)


@given(due=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
       delta=st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=30)))
def test_overdue_is_strictly_after_the_due_time(due, delta):
    # the due moment itself is in time; a microsecond later is overdue; time left agrees
    assert is_overdue(due, due + delta) is (delta > timedelta(0))
    assert is_overdue(due, due + delta) is (time_left(due, due + delta) < timedelta(0))


def test_the_due_moment_is_in_time_whatever_zone_it_is_written_in():
    due = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert not is_overdue(due, due.astimezone(LONDON))
    assert is_overdue(due.astimezone(NEW_YORK), due + timedelta(microseconds=1))
    with pytest.raises(ValueError, match="now must be an aware time"):
        is_overdue(due, due.replace(tzinfo=None))
