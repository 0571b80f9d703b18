"""The period figures are counted in SQL (``core.report_data._aggregate``: GROUP BY local
day, sums added up into weeks and months, medians by window functions). Here they are
counted again row by row in Python, over a store seeded with awkward rows (a ticket closed
before the span and again inside it, one closed twice inside it, walk-ins with and
without an arrival time, a collection at exactly local midnight, a closing step whose
ticket the file does not hold) and read in a zone whose clocks change inside the span
(twice: the clock is pinned, so the span is the same whatever day the tests run): every
day, week, month and the total must agree."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from core import clock
from core.care.scores import csat, nps
from core.ids import uuid7
from core.models import (
    Appointment, Customer, Device, LoyaltyAccount, RepairEvent, RepairTicket, ServiceType, Survey, TradeInQuote,
)
from core.report_data import manager
from core.report_data._common import _months, _weeks
from core.sync.apply import RECHECK_KEY, remote_session, set_state

CLOSED = ("collected", "cancelled", "unrepairable")
KEPT = ("checked_in", "in_service", "completed")
NEW_YORK = ZoneInfo("America/New_York")
# the demo is built at this moment (the module's clock is pinned): its span runs from
# before New York's clocks go forward (8 March 2026) to after they go back (1 November)
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)
FIRST, LAST = date(2026, 3, 1), date(2026, 11, 20)


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock():
    """Before the module's ``demo`` (autouse fixtures come first in their scope)."""
    with clock.pinned(NOW):
        yield


def _span(demo) -> tuple[date, date]:
    assert demo.today == LAST
    return FIRST, LAST


@pytest.fixture(scope="module")
def seeded(demo):
    rng = random.Random(25)
    first, last = _span(demo)
    lo = datetime.combine(first, time(0), NEW_YORK).astimezone(timezone.utc)
    span = (datetime.combine(last + timedelta(days=1), time(0), NEW_YORK).astimezone(timezone.utc) - lo)
    sid = demo.info.store_id
    with demo.db.session() as s:
        customers = list(s.scalars(select(Customer.id)))
        devices = list(s.scalars(select(Device.id)))
        services = list(s.scalars(select(ServiceType.id)))
    tickets, events, appts = [], [], []
    midnight = datetime.combine(last - timedelta(days=3), time(0), NEW_YORK).astimezone(timezone.utc)
    for i in range(400):
        tid = uuid7()
        created = lo + span * rng.random() - timedelta(days=5)          # some opened before the span
        closes = sorted(created + timedelta(hours=rng.uniform(1, 200)) for _ in range(rng.choice((0, 1, 1, 2))))
        if i == 0:
            closes = [midnight]                                           # at exactly local midnight
        if i == 1:
            closes = [lo - timedelta(hours=2), lo + timedelta(days=3)]     # closed before the span, again inside
        collected = closes[-1] if closes and i % 3 else None
        tickets.append({"id": tid, "store_id": sid, "number": f"AG{i:05d}", "customer_id": rng.choice(customers),
                        "device_id": rng.choice(devices), "technician_id": None,
                        "status": "collected" if collected else "in_repair", "reported_fault": "Aggregate test",
                        "intake_condition": {}, "accessories": "", "approval_limit_cents": 0,
                        "contact_preference": "sms", "diagnosis": "", "labour_cents": 0, "quality_check": {},
                        "created_at": created, "updated_at": created, "collected_at": collected})
        for k, at in enumerate(closes):
            events.append({"id": uuid7(), "ticket_id": tid, "at": at, "staff_id": None, "from_status": "ready",
                           "to_status": "collected" if at == collected else rng.choice(CLOSED[1:]),
                           "note": ""})
    for i in range(300):
        at = lo + span * rng.random()
        walk = rng.random() < 0.3
        appts.append({"id": uuid7(), "store_id": sid, "customer_id": None, "walk_in_name": "Aggregate",
                      "service_type_id": rng.choice(services), "technician_id": None, "starts_at": at,
                      "ends_at": at + timedelta(minutes=30),
                      "status": rng.choice(("booked", "completed", "no_show", "cancelled", "checked_in")),
                      "source": "walk_in" if walk else "phone", "checked_in_at": None, "notes": "",
                      "created_at": at - timedelta(minutes=rng.randint(-5, 90)), "updated_at": at})
    with demo.db.session(write=True) as s:
        for model, rows in ((RepairTicket, tickets), (RepairEvent, events), (Appointment, appts)):
            s.execute(insert(model).execution_options(render_nulls=True), rows)
    # a closing step whose ticket is not in the file, in the middle of a pull (sync applies rows
    # with foreign keys off, marks them for the parents' check and removes orphans only after a
    # whole pull): it closes nothing
    with remote_session(demo.db) as s:
        s.execute(insert(RepairEvent), [{"id": uuid7(), "ticket_id": uuid7(), "at": midnight + timedelta(hours=5),
                                         "staff_id": None, "from_status": "ready", "to_status": "collected",
                                         "note": ""}])
        set_state(s, RECHECK_KEY, "0")
    return demo


def _expected(demo, tz: ZoneInfo, first: date, last: date, period: tuple[date, date]) -> dict:
    """The figures of the days ``first`` to ``last`` of a report over ``period``: a ticket is
    closed on the day of its first closing step within the period."""
    def inside(dt, span=(first, last)):
        return dt is not None and span[0] <= dt.astimezone(tz).date() <= span[1]
    sid = demo.info.store_id
    with demo.db.session() as s:
        appts = [a for a in s.scalars(select(Appointment).where(Appointment.store_id == sid)) if inside(a.starts_at)]
        tickets = list(s.scalars(select(RepairTicket).where(RepairTicket.store_id == sid)))
        by_ticket = defaultdict(list)
        for e in s.scalars(select(RepairEvent)):
            by_ticket[e.ticket_id].append(e)
        quotes = list(s.scalars(select(TradeInQuote).where(TradeInQuote.store_id == sid)))
        enrolled = sum(inside(a.enrolled_at) for a in s.scalars(select(LoyaltyAccount))
                       if a.store_id in (sid, None))
        surveys = [v for v in s.scalars(select(Survey).where(Survey.store_id == sid)) if inside(v.at)]
    booked = [a for a in appts if a.source != "walk_in" and a.status != "cancelled"]
    walk = [a for a in appts if a.source == "walk_in" and a.status != "cancelled"]
    waits = [max(0.0, (a.starts_at - a.created_at).total_seconds() / 60) for a in walk if a.created_at]
    firsts = [min(times) for t in tickets                  # tickets of the store: an orphan step is no one's
              if (times := [e.at for e in by_ticket[t.id] if e.to_status in CLOSED and inside(e.at, period)])]
    closed = sum(inside(at) for at in firsts)
    turn = [(t.collected_at - t.created_at).total_seconds() / 3600 for t in tickets if inside(t.collected_at)]
    c, n = csat(v.csat for v in surveys), nps(v.nps for v in surveys)
    return {
        "appointments": (len(booked), sum(a.status in KEPT for a in booked), sum(a.status == "no_show" for a in booked),
                         sum(a.status == "cancelled" for a in appts), len(walk)),
        "waits": (statistics.mean(waits) if waits else None, max(waits) if waits else None),
        "tickets": (sum(inside(t.created_at) for t in tickets), closed, len(turn)),
        "turnaround": (statistics.mean(turn) if turn else None, statistics.median(turn) if turn else None),
        "tradeins": (sum(inside(q.created_at) for q in quotes), sum(inside(q.accepted_at) for q in quotes),
                     sum(q.value_cents for q in quotes if inside(q.accepted_at))),
        "enrolled": enrolled,
        "satisfaction": (len(surveys), c.value, n.value, n.count, c.count, c.share),
    }


def _check(f, e: dict) -> None:
    a, t, tr, s = f.appointments, f.tickets, f.tradeins, f.satisfaction
    assert (a.booked, a.kept, a.no_show, a.cancelled, a.walk_ins) == e["appointments"]
    assert (a.walk_in_wait_avg_min, a.walk_in_wait_max_min) == pytest.approx(e["waits"], abs=1e-4)
    assert (t.opened, t.closed, t.collected) == e["tickets"]
    assert (t.turnaround_avg_h, t.turnaround_median_h) == pytest.approx(e["turnaround"], abs=1e-5)
    assert (tr.quoted, tr.accepted, tr.accepted_value_cents) == e["tradeins"]
    assert f.enrollments == e["enrolled"]
    assert (s.surveys, s.csat_avg, s.nps, s.nps_answers, s.csat_answers, s.satisfied_pct) == e["satisfaction"]


@pytest.mark.parametrize("tz", [NEW_YORK, ZoneInfo("Asia/Shanghai")], ids=str)
def test_sql_figures_match_counting_the_rows(seeded, tz):
    first, last = _span(seeded)
    noons = [datetime.combine(first + timedelta(days=i), time(12)) for i in range((last - first).days + 1)]
    offsets = [tz.utcoffset(noon) for noon in noons]
    if tz == NEW_YORK:                                      # the span has both clock changes
        assert sum(a != b for a, b in zip(offsets, offsets[1:])) == 2
    weeks, months = _weeks(first, last), _months(first, last)
    with seeded.db.session() as s:
        days, by_week, by_month, [total] = manager._span_figures(s, seeded.info.store_id, tz, first, last, weeks,
                                                                 months, [(first, last)])
    assert [d.first for d in days] == [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert total.tickets.opened > 100 and total.tickets.closed > 100 and total.appointments.walk_ins > 10
    _check(total, _expected(seeded, tz, first, last, (first, last)))
    for f in [*by_week, *by_month]:
        _check(f, _expected(seeded, tz, f.first, f.last, (first, last)))
    for f in days[::7] + days[-8:]:
        _check(f, _expected(seeded, tz, f.first, f.first, (first, last)))
    assert sum(d.tickets.closed for d in days) == total.tickets.closed
    assert sum(d.tickets.opened for d in days) == total.tickets.opened
