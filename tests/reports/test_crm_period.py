"""The period report's customer section (reports.crm_section over core.crm.dashboard): the
PDF read back shows the segment sizes, their movement over the period's snapshots, the churn
list with its reasons, NPS by week with its answers, the open complaints against their clock
and the suggestions taken, in English and in Chinese. Clock pinned at 2026-11-20 10:00 UTC;
the period is November 1-20."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core import clock, formatting, report_data as rd
from core.crm.dashboard import SegmentMove, movement_between
from core.crm.segments import segment_name
from core.models import ActionOutcome, Customer, CustomerScore, Feedback, SegmentSnapshot, Store, Survey
from reports import i18n, manager_reports
from tests.reports.conftest import compact, follows, lines, squash

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 20)
MONDAY = date(2026, 11, 16)
NPS_ANSWERS = [10, 10, 9, 9, 8, 7, 6, 3, 0, 10]        # promoters 5, detractors 3 of 10: +20
# the daily snapshots: {day: {segment: (customers, came in that day)}}; October 30 is before the
# period (in the report's first week), November 2 its first snapshot day, November 20 its last
SNAPSHOTS = {date(2026, 10, 30): {"champions": (9, 9), "lost": (9, 0)},
             date(2026, 11, 2): {"champions": (1, 5), "at_risk": (3, 0), "lost": (0, 0)},
             date(2026, 11, 10): {"champions": (2, 1), "at_risk": (3, 1), "lost": (1, 1)},
             date(2026, 11, 20): {"champions": (3, 1), "at_risk": (2, 0), "lost": (1, 0)}}


@pytest.fixture
def report(store_setup):
    db, store_id, admin = store_setup
    with clock.pinned(NOW):
        with db.session(write=True) as s:
            tz = ZoneInfo(s.get(Store, store_id).timezone)
            segments = ["champions"] * 3 + ["at_risk"] * 2 + ["lost"]
            for i, seg in enumerate(segments):
                c = Customer(home_store_id=store_id, given_name=f"Person{i}", family_name="Kowalski")
                s.add(c)
                s.flush()
                churn = {3: 88, 5: 64}.get(i, 0)
                reasons = {3: [{"code": "no_visit", "months": 14, "usual": 4}],
                           5: [{"code": "complaints", "count": 2, "days": 90}]}.get(i, [])
                s.add(CustomerScore(id=c.id, customer_id=c.id, segment=seg, churn_score=churn, churn_reasons=reasons,
                                    computed_at=NOW - timedelta(hours=7)))
                if i == 0:
                    first = c.id
            s.add(Customer(home_store_id=store_id, given_name="Nobody", family_name="Yet"))    # no score: none
            s.add_all([SegmentSnapshot(store_id=store_id, day=day, segment=seg, customers=n, moved_in=came)
                       for day, counts in SNAPSHOTS.items() for seg, (n, came) in counts.items()])
            for i, v in enumerate(NPS_ANSWERS):
                s.add(Survey(store_id=store_id, nps=v, at=datetime(2026, 11, 16, 9, tzinfo=tz) + timedelta(hours=i)))
            s.add(Feedback(store_id=store_id, category="", text="…", opened_at=NOW - timedelta(hours=30)))
            s.add(Feedback(store_id=store_id, category="", text="…", opened_at=NOW - timedelta(hours=2)))
            s.add(Feedback(store_id=store_id, category="service", severity="minor", text="…",
                           opened_at=NOW - timedelta(days=2), due_at=NOW + timedelta(days=4)))
            for j, (code, outcome) in enumerate([("battery_service", "accepted"), ("battery_service", "accepted"),
                                                 ("battery_service", "dismissed"), ("accessory", "dismissed")]):
                s.add(ActionOutcome(store_id=store_id, customer_id=first, code=code, subject=f"device:{j}",
                                    outcome=outcome, at=NOW - timedelta(days=j + 1)))
        with db.session() as s:
            data = rd.period_report(s, admin, FIRST, LAST, now=NOW)
        yield data


def test_the_period_report_data_holds_the_dashboard_s_figures(report):
    crm = report.crm
    assert {c.code: c.customers for c in crm.segments if c.customers} == {
        "champions": 3, "at_risk": 2, "lost": 1, "none": 1}
    assert [(r.churn_score, r.reason_codes[0]["code"]) for r in crm.churn] == [(88, "no_visit"), (64, "complaints")]
    week = [p for p in crm.nps if p.week_start == MONDAY]
    assert [(p.nps, p.answers) for p in week] == [(20.0, 10)]
    assert crm.nps[0].week_start == date(2026, 10, 26)               # the period's first week, from its Monday
    assert (crm.complaints.open, crm.complaints.due_within_24h, crm.complaints.overdue) == (3, 1, 1)
    moves = movement_between(crm, FIRST, LAST)
    assert (moves.first, moves.last) == (date(2026, 11, 2), LAST)
    held = {m.code: m for m in moves.segments if m.at_first or m.at_last or m.moved_in}
    assert held == {"champions": SegmentMove("champions", 1, 3, 2), "at_risk": SegmentMove("at_risk", 3, 2, 1),
                    "lost": SegmentMove("lost", 0, 1, 1)}
    assert held["at_risk"].change == -1
    assert movement_between(crm, date(2026, 11, 21), date(2026, 11, 30)) is None     # no snapshot in that span


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_pdf_shows_the_customer_section(report, lang):
    pdf = manager_reports.render(report, lang=lang)
    text, all_lines = compact(pdf), lines(pdf)
    t = lambda key, **kw: squash(i18n.t(lang, key, **kw))      # noqa: E731
    for key in ("crm_section", "segment_sizes", "segment_movement", "churn_top", "nps_by_week", "suggestions_taken",
                "due_within_24h", "col_moved_in"):
        assert t(key) in text, key
    # segment movement: the first and last snapshot days of the period (not October's), the change, who came in
    assert squash(formatting.date(date(2026, 11, 2), lang, "medium")) in text
    assert follows(all_lines, segment_name("champions", lang), "1", "3", "+2", "2")
    assert follows(all_lines, segment_name("at_risk", lang), "3", "2", "-1", "1")
    assert follows(all_lines, segment_name("lost", lang), "0", "1", "+1", "1")
    assert t("movement_note", first=formatting.date(date(2026, 11, 2), lang, "medium"),
             last=formatting.date(LAST, lang, "medium")) in text
    # segments: each name with its count (table cells come back a line each)
    assert follows(all_lines, i18n.label(lang, "champions", "segment"), "3")
    assert follows(all_lines, i18n.label(lang, "at_risk", "segment"), "2")
    assert follows(all_lines, i18n.label(lang, "none", "segment"), "1")
    # the churn list: the person, the score, the segment and the reason in words, highest first
    reason = {"en": "No visit for 14 months, usually every 4", "zh_CN": "已 14 个月未到店，平时每 4 个月一次"}[lang]
    assert follows(all_lines, "Person3 Kowalski", "88", i18n.label(lang, "at_risk", "segment"), reason)
    assert follows(all_lines, "Person5 Kowalski", "64", i18n.label(lang, "lost", "segment"),
                   {"en": "2 complaints in 90 days", "zh_CN": "90 天内投诉 2 次"}[lang])
    assert all_lines.index("Person3 Kowalski") < all_lines.index("Person5 Kowalski")
    # NPS: this week's +20 of 10 answers, the weeks before without answers
    assert follows(all_lines, formatting.date(MONDAY, lang, "medium"), "+20", "10")
    assert follows(all_lines, formatting.date(MONDAY - timedelta(weeks=1), lang, "medium"), "–", "0")
    # suggestions: battery service 2 accepted, 1 dismissed: 67 %
    assert follows(all_lines, i18n.label(lang, "battery_service", "action"), "2", "1", "67%")
    assert follows(all_lines, i18n.label(lang, "accessory", "action"), "0", "1", "0%")
    # complaints against their clock: 3 open, 1 due within 24 hours, 1 overdue (tiles: the number, then its caption)
    assert follows(all_lines, "3", i18n.t(lang, "still_open"), "1", i18n.t(lang, "due_within_24h"), "1",
                   i18n.t(lang, "overdue"))


def test_a_period_without_snapshots_says_when_they_are_taken(report):
    bare = dataclasses.replace(report, crm=dataclasses.replace(report.crm, movement=(), moved_in=()))
    for lang in ("en", "zh_CN"):
        text = compact(manager_reports.render(bare, lang=lang))
        assert squash(i18n.t(lang, "segment_movement")) in text
        assert squash(i18n.t(lang, "no_snapshots")) in text
