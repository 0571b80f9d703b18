"""The turnaround rule exists twice (core.report_data._common): ``turnaround_hours`` in Python
(HQ's figures, over the ISO stamps it receives) and ``turnaround_hours_sql`` in the store's
SQL (the period reports, over UTC columns). Both must give the same hours on awkward pairs:
across a DST change either way, under an hour, to the microsecond, over many days, over a
leap day and the year's end, none at all, and backwards."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select

from core.models.base import UTCDateTime
from core.report_data._common import turnaround_hours, turnaround_hours_sql

NEW_YORK, SHANGHAI, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/London")

PAIRS = [
    # clocks go forward overnight: 12 hours on the wall, 11 elapsed
    (datetime(2026, 3, 7, 22, 0, tzinfo=NEW_YORK), datetime(2026, 3, 8, 10, 0, tzinfo=NEW_YORK), 11.0),
    # clocks go back: 13 elapsed
    (datetime(2026, 10, 31, 22, 0, tzinfo=NEW_YORK), datetime(2026, 11, 1, 10, 0, tzinfo=NEW_YORK), 13.0),
    # inside the repeated hour: 01:30 EDT to 01:10 EST is 40 minutes later
    (datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK), datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK), 2 / 3),
    (datetime(2026, 3, 29, 0, 30, tzinfo=LONDON), datetime(2026, 3, 29, 2, 30, tzinfo=LONDON), 1.0),
    # under an hour, and to the microsecond (SQLite reads to the millisecond)
    (datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), datetime(2026, 5, 4, 9, 17, 30, 500000, tzinfo=SHANGHAI), None),
    (datetime(2026, 5, 4, 9, 0, 0, 123456, tzinfo=SHANGHAI), datetime(2026, 5, 4, 9, 0, 1, 654321, tzinfo=SHANGHAI),
     None),
    (datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc), datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc), 0.0),
    # many days, across a leap day, the year's end and both of New York's changes
    (datetime(2028, 2, 27, 18, 0, tzinfo=SHANGHAI), datetime(2028, 3, 1, 9, 45, tzinfo=SHANGHAI), None),
    (datetime(2026, 12, 30, 23, 59, 59, tzinfo=NEW_YORK), datetime(2027, 1, 2, 0, 0, 1, tzinfo=NEW_YORK), None),
    (datetime(2026, 2, 1, 9, 0, tzinfo=NEW_YORK), datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK), 24.0 * 303),
    (datetime(2026, 3, 1, 9, 0, tzinfo=NEW_YORK), datetime(2026, 4, 15, 12, 0, tzinfo=NEW_YORK), 45 * 24 + 2.0),
    # different zones on either side, and backwards (a clock set wrong): negative hours
    (datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI), datetime(2026, 6, 1, 8, 0, tzinfo=NEW_YORK), 12.0),
    (datetime(2026, 6, 2, 8, 0, tzinfo=timezone.utc), datetime(2026, 6, 1, 20, 0, tzinfo=timezone.utc), -12.0),
]

TOLERANCE_H = 1e-6      # 3.6 ms: SQLite's julianday works in milliseconds


@pytest.fixture(scope="module")
def sql_hours():
    """``turnaround_hours_sql`` over the pairs stored as the store file stores times (naive UTC)."""
    meta = MetaData()
    t = Table("ticket", meta, Column("i", Integer, primary_key=True), Column("created_at", UTCDateTime),
              Column("collected_at", UTCDateTime))
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(t), [{"i": i, "created_at": a, "collected_at": b} for i, (a, b, _) in enumerate(PAIRS)])
        got = dict(conn.execute(select(t.c.i, turnaround_hours_sql(t.c.created_at, t.c.collected_at))).all())
    engine.dispose()
    return got


@pytest.mark.parametrize("i", range(len(PAIRS)))
def test_python_and_sql_turnarounds_agree(sql_hours, i):
    created, collected, known = PAIRS[i]
    python = turnaround_hours(created, collected)
    assert sql_hours[i] == pytest.approx(python, abs=TOLERANCE_H)
    if known is not None:
        assert python == pytest.approx(known, abs=1e-12)
    # as HQ reads them: ISO stamps with their offsets, local or UTC
    for a, b in ((created, collected), (created.astimezone(timezone.utc), collected.astimezone(timezone.utc))):
        assert turnaround_hours(datetime.fromisoformat(a.isoformat()), datetime.fromisoformat(b.isoformat())) == python
    naive = [d.astimezone(timezone.utc).replace(tzinfo=None) for d in (created, collected)]     # read as UTC
    assert turnaround_hours(*naive) == python
