"""The satisfaction report's complaints, CSAT by person and comments, and complaints in the
customer's export and erasure (issue 21): a real store file, PDFs read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import clock, customers, privacy
from core import report_data as rd
from core.models import CareTask, Feedback, FeedbackNote, Staff, Survey
from reports import customer_export, manager_reports

from tests.reports.conftest import compact, lines

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=timezone.utc)
FIRST, LAST = date(2026, 11, 1), date(2026, 12, 6)
AT = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)


def _staff(s, store_id, name, role):
    p = Staff(store_id=store_id, staff_number=name[:4], display_name=name, role=role, password_hash="x")
    s.add(p)
    s.flush()
    return p.id


@pytest.fixture
def store(store_setup):
    db, store_id, admin = store_setup
    with clock.pinned(NOW), db.session() as s:
        cid = customers.create_customer(s, admin, given_name="Wren", family_name="Marlow", phone="+8613800000001").id
        many, few = _staff(s, store_id, "Avery Many", "associate"), _staff(s, store_id, "Blake Few", "associate")
        h = timedelta(hours=1)
        for i in range(5):      # five answers: ranked
            s.add(Survey(store_id=store_id, customer_id=cid, csat=5, nps=10, staff_id=many, channel="display",
                         at=AT + i * h, comment="Promoter praise, newest of all" if i == 4 else ""))
        s.add(Survey(store_id=store_id, customer_id=cid, csat=2, nps=3, staff_id=few, channel="receipt",
                     at=AT - 24 * h, comment="Detractor grumble, oldest"))
        ok = Feedback(store_id=store_id, customer_id=cid, category="service", severity="major",
                      text="Rude at the counter", opened_at=AT, classify_due_at=AT + 24 * h,
                      classified_at=AT + 2 * h, due_at=AT + 24 * h, resolved_at=AT + 20 * h, status="resolved",
                      escalated=True, resolution="Apologised and refunded")
        late = Feedback(store_id=store_id, customer_id=cid, category="billing", severity="minor",
                        text="Charged twice", opened_at=AT, classify_due_at=AT + 24 * h,
                        classified_at=AT + 30 * h, due_at=AT + 48 * h, status="open")
        s.add_all([ok, late])
        s.flush()
        s.add(FeedbackNote(feedback_id=ok.id, at=AT + 3 * h, text="Called the customer back about the counter"))
        s.add(CareTask(store_id=store_id, customer_id=cid, kind="follow_up_call", feedback_id=ok.id,
                       due_at=AT + 48 * h, done_at=AT + 47 * h, outcome="satisfied",
                       note="Happy with the refund call", created_at=AT, updated_at=AT))
        s.commit()
    return db, admin, cid


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_report_shows_complaint_clocks_detractors_first_and_no_ranking_below_the_minimum(store, lang):
    db, admin, _ = store
    with clock.pinned(NOW), db.session() as s:
        data = rd.satisfaction_report(s, admin, FIRST, LAST, now=NOW)
    c = data.complaints
    assert (c.opened, c.classified, c.classified_in_time, c.resolved, c.resolved_in_time, c.escalated,
            c.open, c.overdue) == (2, 2, 1, 1, 1, 1, 1, 1)
    assert data.min_answers == 5
    by_name = {p.name: p for p in data.associates}
    assert by_name["Avery Many"].rank == 1 and by_name["Avery Many"].csat.count == 5
    assert by_name["Blake Few"].rank is None and by_name["Blake Few"].csat.count == 1
    assert [ch.surveys for ch in data.channels] == [5, 1]
    pdf = manager_reports.render(data, lang=lang)
    text, ls = compact(pdf), lines(pdf)
    if lang == "en":
        assert "Classified in time" in " ".join(ls)
        assert "1 of 2" in " ".join(ls)               # classified in time, of those classified
        assert any("Too few answers to rank (fewer than 5)" in x for x in ls)
        assert "UnrankedBlakeFew2.01" in text         # unranked: its figure and its one answer
        assert "1AveryMany5.05" in text               # rank 1, CSAT 5.0 over 5 answers
    else:
        assert "按时分类" in text and "不排名" in text
    assert text.index("Detractorgrumble") < text.index("Promoterpraise")


def test_the_export_holds_complaints_notes_and_care_calls_and_erasure_blanks_them(store):
    db, admin, cid = store
    with clock.pinned(NOW), db.session() as s:
        data = rd.customer_export(s, admin, cid, now=NOW)
        raw = privacy.export_customer(s, admin, cid)
    assert {r["text"] for r in data["feedback"]} == {"Rude at the counter", "Charged twice"}
    assert [r["text"] for r in data["complaint_notes"]] == ["Called the customer back about the counter"]
    assert [(r["call"], r["outcome"], r["note"]) for r in data["care_calls"]] == [
        ("follow_up_call", "satisfied", "Happy with the refund call")]
    assert {r["survey_channel"] for r in data["surveys"]} == {"display", "receipt"}
    assert [n["text"] for n in raw["feedback_note"]] == ["Called the customer back about the counter"]
    for lang, heads in (("en", ("Notes on complaints", "Care calls")), ("zh_CN", ("投诉备注", "回访电话"))):
        text = compact(customer_export.render(data, lang=lang))
        assert all(h.replace(" ", "") in text for h in heads)
        assert "Calledthecustomerbackaboutthecounter" in text and "Happywiththerefundcall" in text
    with clock.pinned(NOW), db.session() as s:
        privacy.erase_customer(s, admin, cid)
        s.commit()
    with db.session() as s:
        assert set(s.scalars(select(Feedback.text))) == {""}
        assert set(s.scalars(select(Feedback.resolution))) == {""}
        assert set(s.scalars(select(FeedbackNote.text))) == {""}
        assert set(s.scalars(select(CareTask.note))) == {""}
        assert set(s.scalars(select(Survey.comment))) == {""}


def test_the_report_counts_a_step_at_its_due_moment_in_time_and_an_open_one_due_now_not_overdue(store_setup):
    db, store_id, admin = store_setup
    h, tick = timedelta(hours=1), timedelta(microseconds=1)
    with db.session(write=True) as s:
        for severity, classified, resolved, due, status in (
                ("minor", AT + 24 * h, AT + 48 * h, AT + 48 * h, "resolved"),       # both on the dot: in time
                ("minor", AT + 24 * h + tick, AT + 48 * h + tick, AT + 48 * h, "resolved"),   # a tick late
                ("major", AT + h, None, NOW, "open"),                               # due this very moment
                ("major", AT + h, None, NOW - tick, "open")):                       # due a tick ago
            s.add(Feedback(store_id=store_id, category="service", severity=severity, text="x", opened_at=AT,
                           classify_due_at=AT + 24 * h, classified_at=classified, due_at=due,
                           resolved_at=resolved, status=status))
    with db.session() as s:
        c = rd.satisfaction_report(s, admin, FIRST, LAST, now=NOW).complaints
    assert (c.classified, c.classified_in_time, c.resolved, c.resolved_in_time, c.open, c.overdue) == (4, 3, 2, 1, 2, 1)
