"""The demo shows the customer's voice: HQ's starter scripts, rules and settings in the store
before its first sync (and published by HQ's demo, the same rows), survey answers on the
display and by receipt, the calls owed after low answers, and complaints at every state of
their clocks at the demo's now."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core import demo
from core.care import CATEGORIES, SEVERITIES, rules as care_rules, starter
from core.care.sla import StoreHours, classify_due, resolve_due
from core.db import StoreDatabase
from core.demo import data as demo_data, feedback as demo_feedback
from core.demo.hours import opening_window
from core.models import (
    CareTask, Customer, Feedback, FeedbackNote, RepairEvent, Staff, Store, Survey, SurveyInvitation,
)
from core.sync.outbox import jsonable
from tests.conftest import FAST_KDF

TZ = ZoneInfo(demo.STORE_TZ)
WEDNESDAY = datetime(2026, 3, 11, 6, 30, tzinfo=timezone.utc)       # 14:30 in Shanghai
SATURDAY_EVENING = datetime(2026, 3, 14, 10, 58, tzinfo=timezone.utc)   # 18:58; the store is shut on Sunday


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(scope="module", params=[WEDNESDAY, SATURDAY_EVENING], ids=["wednesday", "saturday-evening"])
def built(request, tmp_path_factory):
    db = StoreDatabase.create(tmp_path_factory.mktemp("care-demo") / "store.db", passphrase="demo-passphrase",
                              kdf=FAST_KDF)
    demo.build_demo(db, customers=200, now=request.param)
    yield db, request.param
    db.close()


def _local_day(at: datetime):
    return at.astimezone(TZ).date()


def _next_open_day(now: datetime):
    day = _local_day(now) + timedelta(days=1)
    while opening_window(TZ, day) is None:
        day += timedelta(days=1)
    return day


def test_complaints_stand_in_every_state_of_their_clocks_at_the_demos_now(built):
    db, now = built
    with db.session() as s:
        complaints = s.scalars(select(Feedback)).all()
        hours = StoreHours.of(s.scalars(select(Store)).one())
        notes = {f.id: s.scalars(select(FeedbackNote).where(FeedbackNote.feedback_id == f.id)).all()
                 for f in complaints}
        calls = {t.feedback_id: t for t in s.scalars(select(CareTask).where(CareTask.kind == "follow_up_call"))}
    unclassified = [f for f in complaints if f.status == "open" and not f.severity]
    classified_open = [f for f in complaints if f.status == "open" and f.severity and not f.escalated]
    state = Counter()
    for f in unclassified:
        state["to classify, due within 6 h" if now < f.classify_due_at <= now + timedelta(hours=6)
              else "to classify, overdue" if f.classify_due_at < now else "to classify, due later"] += 1
    for f in classified_open:
        state["due on the next open day" if _local_day(f.due_at) == _next_open_day(now) and f.due_at > now
              else "overdue" if f.due_at < now else "due later"] += 1
    # due within hours when the store was open for an hour or more 18 to 24 hours ago (not
    # on Saturday evening: it closed at 19:00 on Friday)
    open_then = any(w is not None and min(w[1], now - timedelta(hours=18)) - max(w[0], now - timedelta(hours=24))
                    >= timedelta(hours=1)
                    for w in (opening_window(TZ, _local_day(now) - timedelta(days=n)) for n in (0, 1)))
    soon = "to classify, due within 6 h" if open_then else "to classify, due later"
    assert state[soon] == 1 and state["to classify, overdue"] == 1
    assert open_then == (now == WEDNESDAY)
    assert state["due on the next open day"] == 1 and state["overdue"] == 1
    late = next(f for f in classified_open if f.due_at < now)
    assert late.severity == "moderate" and care_rules.DEFAULT_RULES["moderate"].business_hours

    # the clocks are the SLA's own: 24 real hours to classify, the severity's rule to resolve
    for f in complaints:
        assert f.classify_due_at == classify_due(f.opened_at) and f.created_at == f.opened_at <= now
        if f.severity:
            assert f.opened_at <= f.classified_at <= min(now, f.classify_due_at)
            assert f.due_at == resolve_due(f.opened_at, care_rules.DEFAULT_RULES[f.severity], hours)

    (major,) = [f for f in complaints if f.escalated]
    assert (major.severity, major.status, major.escalation_state) == ("major", "open", "acknowledged")
    worded = [n for n in notes[major.id] if n.text]
    assert sorted((n.author, n.hq_role) for n in worded) == [("hq", "regional"), ("store", "")]
    assert all(major.escalated_at <= n.at <= now for n in worded)

    (resolved,) = [f for f in complaints if f.status == "resolved" and calls[f.id].done_at is None]
    call = calls[resolved.id]
    assert resolved.resolved_at < now < call.due_at <= now + timedelta(days=1) and resolved.resolution

    closed = [f for f in complaints if f.status == "closed"]
    assert closed and all(calls[f.id].outcome == "satisfied" and f.resolved_at <= calls[f.id].done_at <= now
                          for f in closed)


def test_low_answers_are_called_back_and_one_call_is_due_today(built):
    db, now = built
    with db.session() as s:
        surveys = {sv.id: sv for sv in s.scalars(select(Survey))}
        calls = s.scalars(select(CareTask).where(CareTask.kind == "detractor_call")).all()
    low = {i for i, sv in surveys.items() if (sv.nps is not None and sv.nps <= 6) or (sv.csat is not None
                                                                                    and sv.csat <= 2)}
    assert {c.survey_id for c in calls} == low
    done = [c for c in calls if c.done_at is not None]
    assert done and all(surveys[c.survey_id].at < c.done_at <= now and c.outcome for c in done)
    due_today = [c for c in calls if c.done_at is None and now < c.due_at and _local_day(c.due_at) == _local_day(now)]
    assert due_today, "a call falls due later today"


def test_surveys_come_from_the_display_and_by_receipt_in_the_customers_language(built):
    db, now = built
    with db.session() as s:
        surveys = s.scalars(select(Survey)).all()
        invitations = {i.id: i for i in s.scalars(select(SurveyInvitation))}
        languages = dict(s.execute(select(Customer.id, Customer.language)).all())
        counter = set(s.scalars(select(Staff.id).where(Staff.role.in_(("associate", "manager")))))
        handed_over = dict(s.execute(select(RepairEvent.ticket_id, RepairEvent.staff_id)
                                     .where(RepairEvent.to_status == "collected")).all())
    by_channel = Counter(sv.channel for sv in surveys)
    assert by_channel["display"] > by_channel["receipt"] > 0
    for sv in surveys:
        assert sv.at <= now
        # who ran the display at the counter (never the technician); by receipt: no one
        if sv.channel == "display":
            assert sv.staff_id in counter
            if sv.ticket_id is not None:
                assert sv.staff_id == handed_over[sv.ticket_id]
        else:
            assert sv.staff_id is None
        assert sv.language == ("zh_CN" if languages[sv.customer_id] == "zh_CN" else "en")
        assert _is_chinese(sv.comment) == (sv.language == "zh_CN") or sv.comment == ""
        if sv.channel == "receipt":
            inv = invitations[sv.invitation_id]
            assert inv.created_at <= sv.at < inv.expires_at and inv.customer_id == sv.customer_id
        else:
            assert sv.invitation_id is None
    assert {sv.language for sv in surveys} == {"en", "zh_CN"}


def test_the_demo_store_has_hqs_starter_rules_before_its_first_sync(built):
    db, _ = built
    with db.session() as s:
        for category in CATEGORIES:
            zh, en = care_rules.script(s, category, "zh_CN"), care_rules.script(s, category, "en")
            assert (zh.language, en.language) == ("zh_CN", "en")
            assert _is_chinese(zh.ask) and not _is_chinese(en.ask)
        assert {sev: care_rules.rule(s, sev) for sev in SEVERITIES} == care_rules.DEFAULT_RULES
        assert {key: care_rules.setting(s, key) for key in care_rules.SETTINGS} == starter.STARTER_SETTINGS


_SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$)")


def test_every_category_has_a_script_in_english_and_chinese_in_four_short_parts():
    scripts = {(sc.category, sc.language): sc for sc in starter.STARTER_SCRIPTS}
    assert set(scripts) == {(c, lang) for c in CATEGORIES for lang in ("en", "zh_CN")}
    for (category, language), sc in scripts.items():
        for part in (sc.acknowledge, sc.ask, sc.offer, sc.escalate):
            assert 1 <= len(_SENTENCE_END.findall(part)) <= 3, f"{category}/{language}: {part}"
            assert _is_chinese(part) == (language == "zh_CN"), f"{category}/{language}: {part}"
    assert "password" in scripts["privacy", "en"].ask and "密码" in scripts["privacy", "zh_CN"].ask
    assert "same day" in scripts["privacy", "en"].escalate and "当天" in scripts["privacy", "zh_CN"].escalate


def test_no_demo_words_look_like_a_phone_number_or_an_email():
    texts = [text for *_, text in demo_data._FEEDBACK]
    texts += [c for tone in demo_data._SURVEY_COMMENTS.values() for cs in tone.values() for c in cs]
    texts += [t for pair in (demo_feedback._STORE_NOTE, demo_feedback._HQ_NOTE, *demo_feedback._RESOLUTIONS.values(),
                             *demo_feedback._CALL_NOTES.values()) for t in pair]
    texts += [p for sc in starter.STARTER_SCRIPTS for p in (sc.acknowledge, sc.ask, sc.offer, sc.escalate)]
    for text in texts:
        assert "@" not in text and not re.search(r"\d[\d\s-]{5,}\d", text), text


def test_hqs_demo_publishes_the_same_starter_rows_and_keeps_the_consoles_edits(tmp_path):
    from hq import publish
    from hq.db import make_engine, migrate
    from hq.demo import publish_care_starter
    from hq.models import hq_row
    engine = make_engine(f"sqlite:///{tmp_path / 'hq.db'}")
    try:
        migrate(engine)
        assert publish_care_starter(engine) == len(starter.starter_rows(WEDNESDAY))
        with engine.connect() as conn:
            published = {(r.entity, r.entity_id): r.data for r in conn.execute(select(hq_row))}
        stamps = ("created_at", "updated_at")
        want = {(entity, str(data["id"])): {k: jsonable(v) for k, v in data.items() if k not in stamps}
                for entity, data in starter.starter_rows(WEDNESDAY)}
        assert {key: {k: v for k, v in data.items() if k not in stamps} for key, data in published.items()} == want

        # the console edits a script; HQ's demo starting again leaves it as edited
        key = ("response_script", str(starter.row_id("response_script", "billing", "en")))
        publish.publish(engine, [publish.Change(*key, {**published[key], "offer": "Ask the manager."})])
        assert publish_care_starter(engine) == 0
        with engine.connect() as conn:
            row = conn.execute(select(hq_row.c.data).where(hq_row.c.entity == key[0],
                                                           hq_row.c.entity_id == key[1])).scalar_one()
        assert row["offer"] == "Ask the manager."
    finally:
        engine.dispose()


def test_the_store_and_hq_hold_each_starter_row_under_one_id(built):
    """The demo store's own copy and HQ's published one are the same rows, so the first
    sync updates them in place, never adds a second script for a category and language."""
    db, _ = built
    from core.models import CareSetting, ComplaintRule, ResponseScript
    with db.session() as s:
        local = {("complaint_rule", str(i)) for i in s.scalars(select(ComplaintRule.id))}
        local |= {("response_script", str(i)) for i in s.scalars(select(ResponseScript.id))}
        local |= {("care_setting", str(i)) for i in s.scalars(select(CareSetting.id))}
    assert local == {(entity, str(data["id"])) for entity, data in starter.starter_rows(WEDNESDAY)}
