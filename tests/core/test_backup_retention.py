"""Which backups are kept: the newest of each of the last 7 days, 4 weeks and 12 months that
have one. Pure, so Hypothesis throws arbitrary histories at it."""

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from core.backup.retention import keep

NOW = datetime(2026, 11, 24, 15, 30, tzinfo=timezone.utc)
UTC = timezone.utc

moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 11, 24, 15, 30),
                       timezones=st.just(UTC))
histories = st.lists(moments, min_size=0, max_size=120)
limits = st.tuples(st.integers(0, 10), st.integers(0, 6), st.integers(0, 14))


def _day(m):
    return m.date()


def _week(m):
    iso = m.isocalendar()
    return iso.year, iso.week


def _month(m):
    return m.year, m.month


@settings(max_examples=150, deadline=None)
@given(histories, limits)
def test_never_more_than_the_sum_of_the_limits_and_only_what_was_given(history, limit):
    daily, weekly, monthly = limit
    kept = keep(history, NOW, daily=daily, weekly=weekly, monthly=monthly)
    assert kept <= set(history)
    assert len(kept) <= daily + weekly + monthly


@settings(max_examples=150, deadline=None)
@given(histories)
def test_defaults_keep_at_most_23_and_always_the_newest(history):
    kept = keep(history, NOW)
    assert len(kept) <= 7 + 4 + 12
    if history:
        assert max(history) in kept


@settings(max_examples=150, deadline=None)
@given(histories)
def test_one_per_day_week_or_month_and_it_is_the_newest_of_its_bucket(history):
    """Every kept backup is the newest of its day, or of its week, or of its month; and
    the newest of each of the 7 newest days with a backup is kept (so are the weeks' and
    months')."""
    kept = keep(history, NOW)
    for bucket, count in ((_day, 7), (_week, 4), (_month, 12)):
        newest: dict = {}
        for m in history:
            b = bucket(m)
            newest[b] = max(newest.get(b, m), m)
        for b in sorted(newest, reverse=True)[:count]:
            assert newest[b] in kept, (bucket.__name__, b)
    for m in kept:
        assert any(m == max(x for x in history if bucket(x) == bucket(m)) for bucket in (_day, _week, _month))


@settings(max_examples=100, deadline=None)
@given(histories)
def test_pruning_again_removes_nothing_more(history):
    once = keep(history, NOW)
    assert keep(sorted(once), NOW) == once


def test_a_year_of_daily_backups_keeps_7_days_4_weeks_12_months():
    history = [NOW - timedelta(days=d) for d in range(400)]
    kept = keep(history, NOW)
    days = sorted({m.date() for m in kept}, reverse=True)
    assert [NOW.date() - timedelta(days=d) for d in range(7)] == days[:7]
    assert len({_month(m) for m in kept}) == 12
    assert len(kept) <= 23
    assert min(kept) >= NOW - timedelta(days=366)


def test_several_a_day_keep_the_newest_of_each_day():
    history = [datetime(2026, 11, d, h, tzinfo=UTC) for d in range(20, 25) for h in (1, 9, 14)]
    kept = keep(history, NOW)
    for d in range(20, 25):
        assert datetime(2026, 11, d, 14, tzinfo=UTC) in kept
        assert datetime(2026, 11, d, 1, tzinfo=UTC) not in kept


def test_a_counter_switched_off_for_months_keeps_its_last_days():
    """The days kept are those with a backup, not the last 7 calendar days: coming back
    after a long break never prunes down to one backup."""
    old = [datetime(2026, 3, d, 12, tzinfo=UTC) for d in range(1, 15)]
    kept = keep(old + [NOW], NOW)
    assert NOW in kept
    assert {datetime(2026, 3, d, 12, tzinfo=UTC) for d in range(9, 15)} <= kept


def test_a_backup_stamped_after_now_is_kept():
    later = NOW + timedelta(days=3)        # the clock was set back since it was written
    history = [NOW - timedelta(days=d) for d in range(30)] + [later]
    kept = keep(history, NOW)
    assert later in kept
    assert len(kept) <= 23


def test_nothing_given_nothing_kept():
    assert keep([], NOW) == set()
