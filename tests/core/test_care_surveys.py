"""Survey answers on the customer display, the call back after a low answer, answers that
arrive from HQ by receipt, and receipt invitations once per customer per interval (issue 21).
Real SQLCipher store, tickets taken through the bench from intake to pickup."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from core import clock, repairs
from core import report_data
from core.care import tokens
from core.care.invitations import SurveyLink, invite, survey_link
from core.care.surveys import low_answer, open_missing_calls, record_answer, survey_due
from core.errors import Conflict, ValidationError
from core.models import AuditEvent, CareSetting, CareTask, RepairTicket, Survey, SurveyInvitation
from core.sync import credentials
from core.sync.apply import set_state
from tests.core.test_repairs import PNG_SIGNATURE, Bench, _repair_to_ready, intake, make_bench, read, write

SECRET = "s3cret-credential"
LINK = SurveyLink(tokens.key_from_credential(SECRET), "https://hq.example.com")
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def bench(store_setup):
    db, store_id, admin = store_setup
    with clock.pinned(T0):
        yield make_bench(db, admin, store_id)


def collected(b: Bench, *, technician=None):
    """A ticket taken from intake to pickup; returns its id."""
    t = intake(b)
    if technician is not None:
        write(b.db, lambda s: repairs.assign(s, b.manager, t.id, technician.staff_id))
    _repair_to_ready(b, t.id)
    due = read(b.db, lambda s: repairs.amount_due(s, s.get(RepairTicket, t.id)))
    write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, identity="8000", collected_by="张伟",
                                         signature_png=PNG_SIGNATURE, payment_status="paid" if due else "no_charge"))
    return t.id


def answer(b: Bench, ticket_id, **kw):
    return write(b.db, lambda s: record_answer(s, b.associate, ticket_id=ticket_id, **kw))


def calls(b: Bench, survey_id=None) -> list[CareTask]:
    q = select(CareTask).where(CareTask.kind == "detractor_call")
    if survey_id is not None:
        q = q.where(CareTask.survey_id == survey_id)
    return read(b.db, lambda s: list(s.scalars(q)))


# --- the rule ----------------------------------------------------------------------------------

@given(st.one_of(st.none(), st.integers(0, 10)), st.one_of(st.none(), st.integers(1, 5)))
def test_a_low_answer_is_a_detractor_or_a_csat_of_two_or_less(nps, csat):
    expected = (nps is not None and nps in range(0, 7)) or (csat is not None and csat in (1, 2))
    assert low_answer(nps, csat) is expected


# --- answering on the display ----------------------------------------------------------------------

@pytest.mark.parametrize("kw, field", [
    ({"nps": -1}, "nps"), ({"nps": 11}, "nps"), ({"nps": True}, "nps"), ({"nps": "9"}, "nps"),
    ({"csat": 0}, "csat"), ({"csat": 6}, "csat"), ({}, "nps"),
    ({"nps": 9, "comment": "x" * 4001}, "comment"), ({"nps": 9, "language": "fr"}, "language"),
])
def test_answers_out_of_range_are_refused_naming_the_field_and_nothing_is_kept(bench, kw, field):
    ticket = collected(bench)
    with pytest.raises(ValidationError) as err:
        answer(bench, ticket, **kw)
    assert err.value.field == field
    assert read(bench.db, lambda s: s.scalar(select(func.count()).select_from(Survey))) == 0
    assert read(bench.db, lambda s: survey_due(s, bench.associate, ticket_id=ticket))


def test_the_answer_takes_the_visit_s_customer_and_the_associate_who_served_and_is_kept_once(bench):
    b = bench
    ticket = collected(b, technician=b.tech2)
    assert read(b.db, lambda s: survey_due(s, b.associate, ticket_id=ticket))
    sid = answer(b, ticket, nps=9, csat=5, comment="  Quick and friendly  ", language="zh_CN", now=T0)
    row = read(b.db, lambda s: s.get(Survey, sid))
    assert (row.customer_id, row.staff_id, row.ticket_id, row.appointment_id) == (
        b.customer_id, b.associate.staff_id, ticket, None)          # who ran the display, not the technician
    assert (row.nps, row.csat, row.comment, row.channel, row.language, row.at) == \
        (9, 5, "Quick and friendly", "display", "zh_CN", T0)
    assert not read(b.db, lambda s: survey_due(s, b.associate, ticket_id=ticket))
    with pytest.raises(Conflict, match="already been answered"):
        answer(b, ticket, nps=3)
    assert read(b.db, lambda s: s.scalar(select(func.count()).select_from(Survey))) == 1
    assert calls(b) == [], "a promoter gets no call back"
    ev = read(b.db, lambda s: s.scalars(select(AuditEvent).where(AuditEvent.action == "survey.answer")).one())
    assert ev.entity_id == str(sid) and "friendly" not in ev.detail.lower()


def test_without_a_technician_the_answer_credits_whoever_served_at_the_counter(bench):
    b = bench
    ticket = collected(b)
    write(b.db, lambda s: s.get(RepairTicket, ticket).__setattr__("technician_id", None))
    sid = answer(b, ticket, csat=4)
    assert read(b.db, lambda s: s.get(Survey, sid).staff_id) == b.associate.staff_id


def test_the_report_credits_the_technician_as_technician_and_the_associate_as_associate(bench):
    b = bench
    ticket = collected(b, technician=b.tech2)
    answer(b, ticket, csat=5, nps=10, now=T0)                    # the display run by the associate
    with clock.pinned(T0 + timedelta(days=1)):
        data = read(b.db, lambda s: report_data.satisfaction_report(s, b.manager, date(2025, 3, 1), date(2025, 3, 4)))
    assert [(p.staff_id, p.name, p.csat.count) for p in data.technicians] == [(b.tech2.staff_id, "Zhao Min", 1)]
    assert [(p.staff_id, p.name, p.csat.count) for p in data.associates] == [(b.associate.staff_id, "Wang Lei", 1)]


def test_an_answer_naming_the_visit_s_own_technician_is_not_ranked_twice(bench):
    """An older answer (or one HQ wrote from a receipt) that names the technician as the one
    who served: the technician is credited once, in the technicians' table."""
    b = bench
    ticket = collected(b, technician=b.tech2)
    sid = answer(b, ticket, csat=4, now=T0)
    write(b.db, lambda s: s.get(Survey, sid).__setattr__("staff_id", b.tech2.staff_id))
    with clock.pinned(T0 + timedelta(days=1)):
        data = read(b.db, lambda s: report_data.satisfaction_report(s, b.manager, date(2025, 3, 1), date(2025, 3, 4)))
    assert [(p.staff_id, p.csat.count) for p in data.technicians] == [(b.tech2.staff_id, 1)]
    assert data.associates == ()


def test_the_survey_waits_until_the_device_is_handed_back(bench):
    b = bench
    t = intake(b)
    assert not read(b.db, lambda s: survey_due(s, b.associate, ticket_id=t.id))
    with pytest.raises(Conflict, match="visit is over"):
        answer(b, t.id, nps=10)
    with pytest.raises(ValidationError) as err:
        write(b.db, lambda s: record_answer(s, b.associate, nps=10))
    assert err.value.field == "visit"
    assert read(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=t.id)) is None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nps=st.one_of(st.none(), st.integers(0, 10)), csat=st.one_of(st.none(), st.integers(1, 5)))
def test_a_low_answer_opens_exactly_one_call_due_after_hq_s_hours(bench, nps, csat):
    if nps is None and csat is None:
        return
    b = bench
    ticket = collected(b)
    at = T0 + timedelta(days=1)
    sid = answer(b, ticket, nps=nps, csat=csat, now=at)
    opened = calls(b, sid)
    if low_answer(nps, csat):
        assert len(opened) == 1
        task = opened[0]
        assert (task.customer_id, task.due_at, task.done_at) == (b.customer_id, at + timedelta(hours=24), None)
    else:
        assert opened == []
    assert write(b.db, lambda s: open_missing_calls(s, store_id=b.store_id, now=at)) == 0, \
        "a display answer's call is opened with it"


def test_hq_s_setting_moves_the_call_s_due_time(bench):
    b = bench
    write(b.db, lambda s: s.add(CareSetting(key="detractor_call_hours", value=4)))
    sid = answer(b, collected(b), nps=2, now=T0)
    assert [t.due_at for t in calls(b, sid)] == [T0 + timedelta(hours=4)]


# --- answers HQ wrote for the store (by receipt) -----------------------------------------------------

def test_answers_by_receipt_get_their_call_once(bench):
    b = bench
    low, high, mid = collected(b), collected(b), collected(b)

    def arrive(s):
        for ticket, nps, csat in ((low, 4, None), (high, 10, 5), (mid, 8, 2)):
            s.add(Survey(store_id=b.store_id, customer_id=b.customer_id, ticket_id=ticket, nps=nps, csat=csat,
                         channel="receipt", at=T0))
    write(b.db, arrive)
    later = T0 + timedelta(hours=3)
    assert write(b.db, lambda s: open_missing_calls(s, store_id=b.store_id, now=later)) == 2
    assert write(b.db, lambda s: open_missing_calls(s, store_id=b.store_id, now=later)) == 0
    tasks = calls(b)
    answered = read(b.db, lambda s: {t.survey_id: s.get(Survey, t.survey_id).ticket_id for t in tasks})
    assert sorted(map(str, answered.values())) == sorted(map(str, (low, mid)))
    assert {t.due_at for t in tasks} == {later + timedelta(hours=24)}
    assert not read(b.db, lambda s: survey_due(s, b.associate, ticket_id=high)), "answered by receipt"


# --- invitations -------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, again", [(29, False), (30, True), (31, True)])
def test_one_invitation_per_customer_per_thirty_days(bench, days, again):
    b = bench
    first, second = collected(b), collected(b)
    inv = write(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=first, now=T0))
    assert inv is not None and inv.expires_at == T0 + timedelta(days=14)
    later = write(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=second, now=T0 + timedelta(days=days)))
    assert (later is not None) is again
    count = read(b.db, lambda s: s.scalar(select(func.count()).select_from(SurveyInvitation)))
    assert count == (2 if again else 1)


def test_the_link_names_the_visit_and_verifies_with_the_key_hq_derives(bench):
    b = bench
    ticket = collected(b)
    inv = write(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=ticket, now=T0))
    assert inv.url.startswith("https://hq.example.com/survey?t=")
    hq_key = tokens.key_from_credential_hash(hashlib.sha256(SECRET.encode()).hexdigest())
    token = tokens.verify(hq_key, inv.url.split("?t=", 1)[1])
    assert (token.store_id, token.invitation_id, token.visit_kind, token.visit_id, token.expires_at) == \
        (b.store_id, inv.invitation_id, "ticket", ticket, inv.expires_at)
    row = read(b.db, lambda s: s.get(SurveyInvitation, inv.invitation_id))
    assert (row.customer_id, row.ticket_id, row.expires_at) == (b.customer_id, ticket, inv.expires_at)
    # a reprint of the same visit carries the same link; no second invitation
    again = write(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=ticket, now=T0 + timedelta(hours=1)))
    assert again == inv
    assert read(b.db, lambda s: s.scalar(select(func.count()).select_from(SurveyInvitation))) == 1
    # answered on the display: nothing more to invite to
    answer(b, ticket, nps=9)
    assert write(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=ticket, now=T0 + timedelta(hours=2))) is None


def test_hq_s_interval_setting_changes_who_is_invited_again(bench):
    b = bench
    write(b.db, lambda s: s.add(CareSetting(key="survey_invite_days", value=7)))
    first, second = collected(b), collected(b)
    assert write(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=first, now=T0)) is not None
    assert write(b.db, lambda s: invite(s, b.associate, LINK, ticket_id=second, now=T0 + timedelta(days=7))) is not None


def test_survey_link_needs_the_store_enrolled(bench, memory_keyring):
    b = bench
    assert survey_link(b.db) is None
    store_id = str(b.store_id)
    credentials.save(b.db, store_id, f"{store_id}.{SECRET}")
    assert survey_link(b.db) is None, "no HQ address yet"
    write(b.db, lambda s: (set_state(s, "hq.url", "https://hq.example.com/"), set_state(s, "hq.store_id", store_id)))
    link = survey_link(b.db)
    assert link == SurveyLink(tokens.key_from_credential_hash(hashlib.sha256(SECRET.encode()).hexdigest()),
                              "https://hq.example.com")


def test_calls_after_sync_needs_an_enrolled_store(tmp_path):
    """Before enrolment there is no store to open calls for: nothing happens, nothing fails."""
    from core.care.surveys import calls_after_sync
    from core.db import StoreDatabase
    db = StoreDatabase.create(tmp_path / "s.db", passphrase="pw")
    try:
        assert calls_after_sync(db, now=datetime(2026, 12, 7, tzinfo=timezone.utc)) == 0
    finally:
        db.close()
