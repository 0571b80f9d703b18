"""Complaints in a real encrypted store database (core.care.complaints, core.care.due):
opened by anyone at the counter, classified and resolved by a manager against the
severity's clock, masked for other associates, followed up by a call whose outcome closes,
reopens or leaves the complaint; the manager's due list; every step audited with codes only."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core import customers, staff
from core import report_data as rd
from core.care import complaints, due, escalation
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import AuditEvent, CareTask, Feedback, Store
from core.permissions import Role

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
# Friday 17 April 2026, 16:00 in London (BST): the store opens 09:00-17:00 Monday to Friday
T0 = datetime(2026, 4, 17, 15, 0, tzinfo=UTC)
WORDS = "The screen you replaced flickers again, Wei Zhang 13800138000"


@pytest.fixture
def shop(store_setup):
    db, store_id, admin = store_setup
    actors = {Role.ADMIN: admin}
    with db.session(write=True) as s:
        store = s.get(Store, store_id)
        store.timezone = "Europe/London"
        store.opening_hours = {d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
        store.settings = {**(store.settings or {}), "closures": ["2026-04-20"]}
        for role, name in ((Role.MANAGER, "Mia Manager"), (Role.ASSOCIATE, "Ali Associate"),
                           (Role.TECHNICIAN, "Tom Technician")):
            actors[role] = staff.actor_for(staff.create_staff(s, admin, display_name=name, role=role,
                                                              password=f"{role.value}-pass-1", pin=None))
        actors["other"] = staff.actor_for(staff.create_staff(s, admin, display_name="Olga Other",
                                                             role=Role.ASSOCIATE, password="other-pass-1", pin=None))
        c = customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13800138000")
    return db, actors, c.id


def _open(db, actor, customer_id, at=T0, **kw):
    with db.session(write=True) as s:
        return complaints.open_complaint(s, actor, customer_id=customer_id, text=kw.pop("text", WORDS), now=at, **kw)


def _feedback(db, fid) -> Feedback:
    with db.session() as s:
        return s.get(Feedback, fid)


def _audit(db) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(
            AuditEvent.action.like("complaint.%") | (AuditEvent.action == "care.call")).order_by(AuditEvent.seq)))


def test_an_associate_opens_a_complaint_with_its_24_hour_classify_clock(shop):
    db, actors, cid = shop
    fid = _open(db, actors[Role.ASSOCIATE], cid, channel="phone")
    f = _feedback(db, fid)
    assert (f.status, f.category, f.severity, f.channel, f.text) == ("open", "", "", "phone", WORDS)
    assert (f.opened_at, f.classify_due_at - f.opened_at) == (T0, timedelta(hours=24))
    assert f.opened_by_id == actors[Role.ASSOCIATE].staff_id and f.due_at is None
    [event] = _audit(db)
    assert (event.action, event.entity, event.entity_id, event.detail) == ("complaint.open", "feedback", str(fid),
                                                                           "channel=phone")


def test_bad_input_is_refused_naming_the_field(shop):
    db, actors, cid = shop
    for kw, field in (({"text": "   "}, "text"), ({"channel": "fax"}, "channel"), ({"text": "x" * 4001}, "text")):
        with pytest.raises(ValidationError) as refused:
            _open(db, actors[Role.ASSOCIATE], cid, **kw)
        assert refused.value.field == field and WORDS not in str(refused.value)
    # a low survey answer may open one without words: the answer itself is the complaint
    fid = _open(db, actors[Role.MANAGER], cid, channel="survey", text="")
    assert _feedback(db, fid).text == ""
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        complaints.classify(s, actors[Role.MANAGER], fid, category="weather", severity="major", now=T0)
    assert refused.value.field == "category"


def test_only_managers_classify_resolve_and_escalate(shop):
    db, actors, cid = shop
    fid = _open(db, actors[Role.ASSOCIATE], cid)
    for role in (Role.ASSOCIATE, Role.TECHNICIAN):
        with db.session(write=True) as s:
            with pytest.raises(PermissionDenied):
                complaints.classify(s, actors[role], fid, category="technical", severity="minor", now=T0)
            with pytest.raises(PermissionDenied):
                complaints.resolve(s, actors[role], fid, resolution="Replaced the screen", now=T0)
            with pytest.raises(PermissionDenied):
                complaints.escalate(s, actors[role], fid, now=T0)
            with pytest.raises(PermissionDenied):
                complaints.list_complaints(s, actors[role])
            with pytest.raises(PermissionDenied):
                due.due_list(s, actors[role], now=T0)
    assert _feedback(db, fid).severity == ""


def test_an_associate_reads_the_words_of_their_own_complaint_only(shop):
    db, actors, cid = shop
    mine = _open(db, actors[Role.ASSOCIATE], cid)
    theirs = _open(db, actors["other"], cid, at=T0 + timedelta(minutes=5))
    with db.session(write=True) as s:
        complaints.add_note(s, actors[Role.ASSOCIATE], mine, "Customer will bring the phone on Monday", now=T0)
        with pytest.raises(PermissionDenied):
            complaints.add_note(s, actors[Role.ASSOCIATE], theirs, "a note", now=T0)
    with db.session() as s:
        rows = complaints.for_customer(s, actors[Role.ASSOCIATE], cid)
        assert [(r.id, r.masked, r.text) for r in rows] == [(theirs, True, ""), (mine, False, WORDS)]
        assert rows[0].customer_name == "张伟"
        hidden = complaints.get_complaint(s, actors[Role.ASSOCIATE], theirs)
        assert hidden.row.masked and hidden.row.text == ""
        own = complaints.get_complaint(s, actors[Role.ASSOCIATE], mine)
        assert [(n.action, n.text, n.staff_name) for n in own.notes] == [
            ("note", "Customer will bring the phone on Monday", "Ali Associate")]
        seen = complaints.get_complaint(s, actors[Role.MANAGER], theirs)
        assert (seen.row.masked, seen.row.text) == (False, WORDS)
    other_seen = None
    with db.session() as s:
        other_seen = complaints.get_complaint(s, actors["other"], mine)
    assert other_seen.row.text == "" and [n.text for n in other_seen.notes] == [""]


def test_classification_sets_the_due_time_by_the_severity_rule_and_store_hours(shop):
    db, actors, cid = shop
    fid = _open(db, actors[Role.ASSOCIATE], cid)
    with db.session(write=True) as s:
        # moderate: 48 opening hours. Friday 16:00-17:00 is 1; Monday 20 April is a closure;
        # Tue-Fri give 32 more (33), the next Monday 8 (41), Tuesday 7 more: Tuesday 28 April 16:00
        complaints.classify(s, actors[Role.MANAGER], fid, category="technical", severity="moderate",
                            now=T0 + timedelta(hours=1))
    f = _feedback(db, fid)
    assert f.due_at.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 4, 28, 16, 0)
    assert (f.category, f.severity, f.classified_by_id, f.escalation_pending) == (
        "technical", "moderate", actors[Role.MANAGER].staff_id, False)
    with db.session(write=True) as s:      # re-classified while open: major is 24 real hours and goes to the region
        complaints.classify(s, actors[Role.MANAGER], fid, category="technical", severity="major",
                            now=T0 + timedelta(hours=2))
    f = _feedback(db, fid)
    assert (f.due_at - f.opened_at, f.escalation_pending) == (timedelta(hours=24), True)
    assert [e.detail for e in _audit(db)][1:] == ["technical/moderate", "technical/major escalate"]


def test_resolution_opens_a_follow_up_call_and_its_outcome_closes_or_reopens(shop):
    db, actors, cid = shop
    manager = actors[Role.MANAGER]
    fids = [_open(db, actors[Role.ASSOCIATE], cid, at=T0 + timedelta(minutes=i)) for i in range(3)]
    with db.session(write=True) as s:
        with pytest.raises(Conflict):          # not classified yet
            complaints.resolve(s, manager, fids[0], resolution="Replaced the screen", now=T0)
        for fid in fids:
            complaints.classify(s, manager, fid, category="technical", severity="minor", now=T0)
            complaints.resolve(s, manager, fid, resolution="Replaced the screen", now=T0 + timedelta(hours=3))
    with db.session() as s:
        tasks = {t.feedback_id: t for t in s.scalars(select(CareTask))}
    assert {t.kind for t in tasks.values()} == {"follow_up_call"} and set(tasks) == set(fids)
    assert all(t.due_at - (T0 + timedelta(hours=3)) == timedelta(days=2) and t.customer_id == cid
               for t in tasks.values())
    later = T0 + timedelta(days=2, hours=4)
    with db.session(write=True) as s:
        complaints.record_call(s, manager, tasks[fids[0]].id, outcome="satisfied", now=later)
        complaints.record_call(s, manager, tasks[fids[1]].id, outcome="not_satisfied",
                               note="Still flickers in the cold", now=later)
        complaints.record_call(s, manager, tasks[fids[2]].id, outcome="unreachable", now=later)
        with pytest.raises(Conflict):
            complaints.record_call(s, manager, tasks[fids[2]].id, outcome="satisfied", now=later)
        with pytest.raises(ValidationError):
            complaints.record_call(s, manager, tasks[fids[0]].id, outcome="happy", now=later)
    assert [_feedback(db, f).status for f in fids] == ["closed", "open", "resolved"]
    reopened = _feedback(db, fids[1])
    assert reopened.resolved_at is None and reopened.due_at > later       # a fresh clock from the call
    with db.session() as s:
        detail = complaints.get_complaint(s, manager, fids[1])
        assert [n.action for n in detail.notes] == ["classify", "resolve", "reopen"]
        assert detail.notes[-1].text == "Still flickers in the cold"
        assert [(t.outcome, t.done_at) for t in detail.tasks] == [("not_satisfied", later)]
        assert detail.resolution == "Replaced the screen"
        assert [r.status for r in complaints.list_complaints(s, manager, status="open")] == ["open"]
    calls = [e.detail for e in _audit(db) if e.action == "care.call"]
    assert calls == ["follow_up_call satisfied complaint=closed", "follow_up_call not_satisfied complaint=reopened",
                     "follow_up_call unreachable"]


def test_the_due_list_puts_overdue_first_with_time_left(shop):
    db, actors, cid = shop
    manager = actors[Role.MANAGER]
    stale = _open(db, actors[Role.ASSOCIATE], cid, at=T0 - timedelta(hours=30))          # classify 6 h overdue
    fresh = _open(db, actors[Role.ASSOCIATE], cid, at=T0 - timedelta(hours=1))           # classify in 23 h
    major = _open(db, actors[Role.ASSOCIATE], cid, at=T0 - timedelta(hours=25))          # resolve 1 h overdue
    with db.session(write=True) as s:
        complaints.classify(s, manager, major, category="service", severity="major", now=T0 - timedelta(hours=24))
        items = due.due_list(s, manager, now=T0)
    assert [(i.kind, i.complaint_id, i.left, i.overdue) for i in items] == [
        ("classify", stale, timedelta(hours=-6), True),
        ("resolve", major, timedelta(hours=-1), True),
        ("classify", fresh, timedelta(hours=23), False),
    ]
    assert items[1].escalated and items[1].severity == "major" and items[0].customer_name == "张伟"
    with db.session(write=True) as s:
        complaints.resolve(s, manager, major, resolution="Refunded", now=T0)
        items = due.due_list(s, manager, now=T0)
    assert [i.kind for i in items] == ["classify", "classify", "follow_up_call"]
    assert items[-1].left == timedelta(days=2) and items[-1].task_id is not None


def test_audit_details_hold_codes_never_the_customers_words(shop):
    db, actors, cid = shop
    manager = actors[Role.MANAGER]
    fid = _open(db, actors[Role.ASSOCIATE], cid)
    with db.session(write=True) as s:
        complaints.add_note(s, manager, fid, "Wei Zhang called back at 13800138000", now=T0)
        complaints.classify(s, manager, fid, category="privacy", severity="moderate", now=T0)
        complaints.escalate(s, manager, fid, now=T0)
        with pytest.raises(Conflict):
            complaints.escalate(s, manager, fid, now=T0)
        complaints.resolve(s, manager, fid, resolution="Apologised to Wei Zhang", now=T0)
    events = _audit(db)
    assert [e.action for e in events] == ["complaint.open", "complaint.note", "complaint.classify",
                                          "complaint.escalate", "complaint.resolve"]
    for e in events:
        assert "Zhang" not in e.detail and "138" not in e.detail and "flicker" not in e.detail


def test_another_stores_or_unknown_complaint_is_not_found(shop):
    db, actors, cid = shop
    import uuid
    with db.session(write=True) as s, pytest.raises(NotFound):
        complaints.classify(s, actors[Role.MANAGER], uuid.uuid4(), category="product", severity="minor", now=T0)


def _reopened(db, actors, cid, later):
    """A complaint classified minor an hour after opening (in time), resolved, and reopened by
    an unhappy follow-up call at ``later``."""
    manager = actors[Role.MANAGER]
    fid = _open(db, actors[Role.ASSOCIATE], cid)
    with db.session(write=True) as s:
        complaints.classify(s, manager, fid, category="technical", severity="minor", now=T0 + timedelta(hours=1))
        complaints.resolve(s, manager, fid, resolution="Replaced the screen", now=T0 + timedelta(hours=2))
        task = s.scalars(select(CareTask).where(CareTask.feedback_id == fid)).one()
        complaints.record_call(s, manager, task.id, outcome="not_satisfied", note="Flickers again", now=later)
    return fid


def test_reclassifying_a_reopened_complaint_counts_from_the_reopening_and_keeps_the_first_classification(shop):
    db, actors, cid = shop
    later = datetime(2026, 4, 29, 10, 0, tzinfo=LONDON)          # Wednesday, twelve days after opening
    fid = _reopened(db, actors, cid, later)
    with db.session(write=True) as s:
        complaints.classify(s, actors[Role.ADMIN], fid, category="technical", severity="moderate",
                            now=later + timedelta(hours=1))
        flagged = escalation.flag_overdue(s, later + timedelta(days=2))
    f = _feedback(db, fid)
    # 48 opening hours from Wednesday 10:00: Wed 7, Thu 8, Fri 8, Mon 8, Tue 8, Wed 8, Thursday 1
    assert f.due_at.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 5, 7, 10, 0)
    assert (flagged, f.escalation_pending) == (0, False)          # not overdue, so not sent to the region
    # the first classification stands: made an hour after opening, in time, by the manager
    assert (f.classified_at, f.classified_by_id) == (T0 + timedelta(hours=1), actors[Role.MANAGER].staff_id)
    with db.session() as s:
        report = rd.satisfaction_report(s, actors[Role.MANAGER], date(2026, 4, 17), date(2026, 4, 30),
                                        now=later + timedelta(days=2))
        steps = [n.action for n in complaints.get_complaint(s, actors[Role.MANAGER], fid).notes]
    assert (report.complaints.classified, report.complaints.classified_in_time, report.complaints.overdue) == (1, 1, 0)
    assert steps == ["classify", "resolve", "reopen", "classify"]


def test_a_second_reopening_restarts_the_clock_from_the_latest_one(shop):
    db, actors, cid = shop
    manager = actors[Role.MANAGER]
    first = datetime(2026, 4, 29, 10, 0, tzinfo=LONDON)
    fid = _reopened(db, actors, cid, first)
    second = datetime(2026, 5, 12, 9, 0, tzinfo=LONDON)           # Tuesday
    with db.session(write=True) as s:
        complaints.resolve(s, manager, fid, resolution="Replaced it again", now=first + timedelta(days=1))
        task = s.scalars(select(CareTask).where(CareTask.feedback_id == fid, CareTask.done_at.is_(None))).one()
        complaints.record_call(s, manager, task.id, outcome="not_satisfied", now=second)
        complaints.classify(s, manager, fid, category="technical", severity="major", now=second + timedelta(hours=2))
    f = _feedback(db, fid)
    assert f.due_at == second + timedelta(hours=24)                # major: 24 real hours from the latest reopening
    assert f.classified_at == T0 + timedelta(hours=1)


def test_an_unknown_store_time_zone_counts_real_hours(shop):
    db, actors, cid = shop
    with db.session(write=True) as s:
        s.get(Store, s.scalars(select(Store.id)).first()).timezone = "Mars/Olympus_Mons"
    fid = _open(db, actors[Role.ASSOCIATE], cid)
    with db.session(write=True) as s:
        complaints.classify(s, actors[Role.MANAGER], fid, category="technical", severity="moderate", now=T0)
    assert _feedback(db, fid).due_at == T0 + timedelta(hours=48)   # as for a store that is never open
    with db.session() as s:
        assert [i.kind for i in due.due_list(s, actors[Role.MANAGER], now=T0)] == ["resolve"]


def test_the_due_moment_itself_is_in_time_for_the_due_list_and_the_escalation(shop):
    db, actors, cid = shop
    manager = actors[Role.MANAGER]
    waiting = _open(db, actors[Role.ASSOCIATE], cid)
    moderate = _open(db, actors[Role.ASSOCIATE], cid)
    with db.session(write=True) as s:
        complaints.classify(s, manager, moderate, category="product", severity="moderate", now=T0)
    due_at = _feedback(db, moderate).due_at
    tick = timedelta(microseconds=1)
    with db.session() as s:
        at_due = {i.complaint_id: i.overdue for i in due.due_list(s, manager, now=T0 + timedelta(hours=24))}
        after = {i.complaint_id: i.overdue for i in due.due_list(s, manager, now=T0 + timedelta(hours=24) + tick)}
    assert (at_due[waiting], after[waiting]) == (False, True)       # classify by 24 h: due, then overdue
    with db.session() as s:
        assert not {i.complaint_id: i.overdue for i in due.due_list(s, manager, now=due_at)}[moderate]
    threshold = due_at + timedelta(hours=24)                         # moderate: escalate 24 h past due
    with db.session(write=True) as s:
        assert escalation.flag_overdue(s, threshold) == 0
    assert not _feedback(db, moderate).escalation_pending
    with db.session(write=True) as s:
        assert escalation.flag_overdue(s, threshold + tick) == 1
    assert _feedback(db, moderate).escalation_pending
