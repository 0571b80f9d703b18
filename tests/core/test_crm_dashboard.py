"""The manager's figures (core.crm.dashboard): NPS per week from a known answer set, the
store's own customers per segment, the churn list, open complaints against their clock,
suggestions taken, and the daily segment snapshot (one set per day) behind the movement
chart. Clock pinned at 2026-11-20 10:00 UTC, a Friday (the store's date in Shanghai and,
in the date matrix, New York)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core import clock
from core.crm import dashboard
from core.crm.dashboard import ComplaintClock
from core.errors import PermissionDenied, ValidationError
from core.models import (
    ActionOutcome, CareTask, Customer, CustomerScore, Feedback, SegmentSnapshot, Store, Survey,
)
from core.permissions import Actor, Role

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 16)


@pytest.fixture
def shop(store_setup):
    db, store_id, admin = store_setup
    with clock.pinned(NOW):
        with db.session() as s:
            tz = ZoneInfo(s.get(Store, store_id).timezone)
        yield db, store_id, admin, tz


def other_store(s) -> uuid.UUID:
    found = s.scalars(select(Store.id).where(Store.code == "BJ02")).first()
    if found is not None:
        return found
    st = Store(code="BJ02", name="Other", timezone="Asia/Shanghai", country="CN", currency="CNY")
    s.add(st)
    s.flush()
    return st.id


def local(tz, d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)


def figures(db, actor, **kw):
    kw.setdefault("today", TODAY)
    kw.setdefault("now", NOW)
    with db.session() as s:
        return dashboard.figures(s, actor, **kw)


def test_nps_by_week_from_a_known_answer_set(shop):
    db, store_id, admin, tz = shop
    answers = [10, 10, 9, 9, 8, 7, 6, 3, 0, 10]       # promoters 5, detractors 3: (5 - 3) / 10 = +20
    with db.session(write=True) as s:
        elsewhere = other_store(s)
        for i, v in enumerate(answers):                # through this week, Monday 00:30 to Friday morning
            s.add(Survey(store_id=store_id, nps=v, at=local(tz, MONDAY, 0, 30) + timedelta(hours=9 * i)))
        s.add(Survey(store_id=store_id, nps=0, at=local(tz, MONDAY - timedelta(days=1), 23, 30)))  # last Sunday
        s.add(Survey(store_id=store_id, nps=None, csat=5, at=local(tz, MONDAY, 12)))    # no NPS answer
        s.add(Survey(store_id=elsewhere, nps=0, at=local(tz, MONDAY, 12)))              # another store's
    got = figures(db, admin, weeks=3).nps
    assert [(p.week_start, p.nps, p.answers) for p in got] == [
        (MONDAY - timedelta(weeks=2), None, 0), (MONDAY - timedelta(weeks=1), -100.0, 1), (MONDAY, 20.0, 10)]


def score(s, cid, segment, *, churn=0, reasons=(), since=None, previous=""):
    s.add(CustomerScore(id=cid, customer_id=cid, segment=segment, churn_score=churn, churn_reasons=list(reasons),
                        segment_since=since, previous_segment=previous, computed_at=NOW - timedelta(hours=3)))


def people(db, store_id, spec):
    """``spec``: (name, segment or None, churn, home: "here"/"other", flags) -> ids by name."""
    ids = {}
    with db.session(write=True) as s:
        elsewhere = other_store(s)
        for name, segment, churn, home, flags in spec:
            c = Customer(home_store_id=store_id if home == "here" else elsewhere, given_name=name,
                         family_name="Test", **flags)
            s.add(c)
            s.flush()
            if segment is not None:
                score(s, c.id, segment, churn=churn, reasons=[{"code": "no_visit", "months": 14, "usual": 4}]
                      if churn else [])
            ids[name] = c.id
    return ids


SPEC = [("Ann", "champions", 5, "here", {}), ("Ben", "champions", 0, "here", {}), ("Cat", "at_risk", 90, "here", {}),
        ("Dan", "lost", 70, "here", {}), ("Eve", None, 0, "here", {}), ("Fay", "", 0, "here", {}),
        ("Gus", "at_risk", 99, "other", {}), ("Hal", "lost", 95, "here", {"erased": True}),
        ("Ivy", "lost", 80, "here", {})]


def test_segment_counts_are_the_store_s_own_live_customers_every_segment_listed(shop):
    db, store_id, admin, _ = shop
    ids = people(db, store_id, SPEC)
    with db.session(write=True) as s:
        s.get(Customer, ids["Ivy"]).merged_into_id = ids["Ann"]
    got = figures(db, admin).segments
    assert [c.code for c in got] == ["champions", "loyal", "potential", "new", "promising", "needs_attention",
                                     "at_risk", "cant_lose", "hibernating", "lost", "none"]
    assert {c.code: c.customers for c in got if c.customers} == {"champions": 2, "at_risk": 1, "lost": 1, "none": 2}
    assert got[0].name == "Champions"
    assert figures(db, admin, lang="zh_CN").segments[-1].name == "暂无消费"


def test_the_churn_list_is_highest_first_with_reasons_in_words(shop):
    db, store_id, admin, _ = shop
    people(db, store_id, SPEC)
    got = figures(db, admin).churn
    # not Gus (another store's), Hal (erased), nor those at 0
    assert [(r.display_name, r.churn_score, r.segment) for r in got] == [
        ("Cat Test", 90, "at_risk"), ("Ivy Test", 80, "lost"), ("Dan Test", 70, "lost"), ("Ann Test", 5, "champions")]
    assert got[0].reasons == ("No visit for 14 months, usually every 4",)
    assert figures(db, admin, lang="zh_CN").churn[0].reasons == ("已 14 个月未到店，平时每 4 个月一次",)
    assert [r.display_name for r in figures(db, admin, churn_limit=2).churn] == ["Cat Test", "Ivy Test"]


def test_open_complaints_against_their_clock(shop):
    db, store_id, admin, _ = shop
    with db.session(write=True) as s:
        elsewhere = other_store(s)

        def complaint(store=store_id, **kw):
            kw.setdefault("opened_at", NOW - timedelta(hours=1))
            s.add(Feedback(store_id=store, category=kw.pop("category", ""), text="…", **kw))
        complaint(opened_at=NOW - timedelta(hours=10))                      # classify within 14 h: soon
        complaint(opened_at=NOW - timedelta(hours=30))                      # classify: 6 h overdue
        complaint(opened_at=NOW - timedelta(hours=24))                      # classify due now: in time, soon
        complaint(category="service", severity="minor", due_at=NOW + timedelta(days=3))     # later
        complaint(category="service", severity="major", due_at=NOW - timedelta(minutes=1))  # overdue
        complaint(category="service", severity="minor", due_at=NOW + timedelta(hours=24))   # soon, at the edge
        complaint(category="service", severity="minor", due_at=NOW - timedelta(days=2), status="resolved",
                  resolved_at=NOW - timedelta(days=3))                                     # not open
        complaint(store=elsewhere, opened_at=NOW - timedelta(hours=30))                     # not ours
        s.add(CareTask(store_id=store_id, kind="follow_up_call", due_at=NOW - timedelta(hours=5)))  # a call, not a
        s.add(CareTask(store_id=store_id, kind="detractor_call", due_at=NOW + timedelta(hours=2)))  # complaint's clock
    assert figures(db, admin).complaints == ComplaintClock(open=6, due_within_24h=3, overdue=2)


def test_suggestions_taken_are_counted_per_action_in_the_window(shop):
    db, store_id, admin, tz = shop
    ids = people(db, store_id, [("Ann", None, 0, "here", {})])
    with db.session(write=True) as s:
        elsewhere = other_store(s)
        rows = [(store_id, "battery_service", "accepted", NOW - timedelta(days=1)),
                (store_id, "battery_service", "accepted", NOW - timedelta(days=10)),
                (store_id, "battery_service", "dismissed", NOW - timedelta(hours=1)),
                (store_id, "accessory", "dismissed", local(tz, MONDAY - timedelta(weeks=1), 0, 5)),  # first day
                (store_id, "accessory", "accepted", local(tz, MONDAY - timedelta(weeks=1), 0) - timedelta(minutes=5)),
                (elsewhere, "warranty_ending", "accepted", NOW - timedelta(days=1))]
        for i, (store, code, outcome, at) in enumerate(rows):
            s.add(ActionOutcome(store_id=store, customer_id=ids["Ann"], code=code, subject=f"device:{i}",
                                outcome=outcome, at=at))
    got = {a.code: (a.accepted, a.dismissed, a.rate) for a in figures(db, admin, weeks=2).actions}
    assert got == {"battery_service": (2, 1, 66.7), "warranty_ending": (0, 0, None), "tradein_upgrade": (0, 0, None),
                   "accessory": (0, 1, 0.0), "complaint_followup": (0, 0, None)}
    assert figures(db, admin, lang="zh_CN").actions[0].name == "电池保养服务"


def test_a_snapshot_is_one_set_per_day_and_the_movement_shows_the_days(shop):
    db, store_id, admin, tz = shop
    ids = people(db, store_id, SPEC)
    yesterday = TODAY - timedelta(days=1)
    with db.session(write=True) as s:
        assert dashboard.take_snapshot(s, admin, today=yesterday) == 11
        cat = s.get(CustomerScore, ids["Cat"])          # Cat moves from at risk to lost today
        cat.previous_segment, cat.segment, cat.segment_since = "at_risk", "lost", local(tz, TODAY, 2)
        dan = s.get(CustomerScore, ids["Dan"])          # lost since yesterday: not a move of today
        dan.previous_segment, dan.segment_since = "cant_lose", local(tz, yesterday, 23)
        dashboard.take_snapshot(s, admin, today=TODAY)
        dashboard.take_snapshot(s, admin, today=TODAY)   # again the same day: replaces, never adds
        s.add(SegmentSnapshot(store_id=store_id, day=TODAY - timedelta(weeks=4), segment="lost", customers=9))
    with db.session() as s:
        rows = s.execute(select(SegmentSnapshot.day, func.count()).where(SegmentSnapshot.store_id == store_id)
                         .group_by(SegmentSnapshot.day).order_by(SegmentSnapshot.day)).all()
        assert rows == [(TODAY - timedelta(weeks=4), 1), (yesterday, 11), (TODAY, 11)]
        moved = dict(s.execute(select(SegmentSnapshot.segment, SegmentSnapshot.moved_in)
                               .where(SegmentSnapshot.day == TODAY, SegmentSnapshot.moved_in > 0)).all())
        assert moved == {"lost": 1}
    movement = figures(db, admin, weeks=2).movement
    assert [d for d, _ in movement] == [yesterday, TODAY]          # four weeks ago is outside two weeks
    assert {k: v for k, v in movement[0][1].items() if v} == {"champions": 2, "at_risk": 1, "lost": 2, "none": 2}
    assert {k: v for k, v in movement[1][1].items() if v} == {"champions": 2, "lost": 3, "none": 2}


def test_the_sync_hook_snapshots_the_store_s_day_as_the_system(shop):
    db, store_id, _, tz = shop
    people(db, store_id, SPEC)
    assert dashboard.snapshot_after_sync(db, now=NOW) == 11
    with db.session() as s:
        days = set(s.scalars(select(SegmentSnapshot.day)))
        assert days == {NOW.astimezone(tz).date()}


def test_only_those_who_see_reports_get_the_figures(shop):
    db, store_id, _, _ = shop
    for role in (Role.ASSOCIATE, Role.TECHNICIAN):
        actor = Actor(uuid.uuid4(), store_id, role)
        with db.session(write=True) as s:
            with pytest.raises(PermissionDenied):
                dashboard.figures(s, actor, today=TODAY, now=NOW)
            with pytest.raises(PermissionDenied):
                dashboard.take_snapshot(s, actor, today=TODAY)


@pytest.mark.parametrize("weeks", [0, 61])
def test_the_window_is_checked(shop, weeks):
    db, _, admin, _ = shop
    with pytest.raises(ValidationError) as bad:
        figures(db, admin, weeks=weeks)
    assert bad.value.field == "weeks"
