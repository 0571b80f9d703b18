"""Complaints reach the region at a real HQ (``orchard-hq serve`` on PostgreSQL) from a real
enrolled encrypted store (core.care.escalation.sync_escalations, the run the desktop's sync
service makes after each sync): a major complaint is raised when classified, an overdue one
past its rule's threshold as "overdue_complaint"; the region's note and state come back into
the store's complaint once; an answer lost on the way back re-sends the same ref, and HQ
still has one escalation."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update

from core import clock, customers, staff
from core.care import complaints, escalation
from core.models import AuditEvent, Feedback, FeedbackNote
from core.permissions import Role
from hq import escalations as hq_escalations
from hq.console import accounts, stores
from hq.models import hq_escalation, hq_store

WORDS = "My phone came back with a cracked frame; Wei Zhang 13800138000"


def _setup(hq, make_store):
    a = make_store("SA", hq, tz="Europe/London")
    region = stores.create_region(hq.engine, "North", by=None)
    with hq.engine.begin() as conn:
        conn.execute(update(hq_store).where(hq_store.c.code == "SA").values(region_id=region))
    nora = accounts.get_user(hq.engine, accounts.create_user(hq.engine, "nora", "Nora", "regional",
                                                             "Regional-desk-4711-x", region_id=region))
    with a.db.session(write=True) as s:
        manager = staff.actor_for(staff.create_staff(s, a.admin, display_name="Mia Manager", role=Role.MANAGER,
                                                     password="manager-pass-1", pin=None))
        associate = staff.actor_for(staff.create_staff(s, a.admin, display_name="Ali Associate",
                                                       role=Role.ASSOCIATE, password="assoc-pass-1", pin=None))
        cid = customers.create_customer(s, a.admin, given_name="伟", family_name="张", phone="13800138000").id
    return a, nora, manager, associate, cid


def _complaint(a, associate, manager, cid, severity, at):
    with a.db.session(write=True) as s:
        fid = complaints.open_complaint(s, associate, customer_id=cid, text=WORDS, now=at)
        complaints.classify(s, manager, fid, category="product", severity=severity, now=at)
    return fid


def _hq_escalations(hq):
    with hq.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(hq_escalation).order_by(hq_escalation.c.id))]


def _feedback(db, fid) -> Feedback:
    with db.session() as s:
        return s.get(Feedback, fid)


def test_a_major_complaint_reaches_the_region_and_its_note_comes_back_once(hq, make_store):
    a, nora, manager, associate, cid = _setup(hq, make_store)
    now = clock.now()
    fid = _complaint(a, associate, manager, cid, "major", now)
    assert _feedback(a.db, fid).escalation_pending

    report = escalation.sync_escalations(a.db, now=now)
    assert (report.sent, report.failed) == (1, 0)
    [esc] = _hq_escalations(hq)
    f = _feedback(a.db, fid)
    assert (esc["kind"], esc["priority"], esc["customer_id"], esc["staff_id"], esc["ref"]) == (
        "complaint", "high", cid, manager.staff_id, f.escalation_ref)
    assert esc["summary"].startswith("complaint product/major opened ")
    assert "Zhang" not in esc["summary"] and "cracked" not in esc["summary"]
    assert (f.escalated, f.escalation_pending, f.escalation_state) == (True, False, "new")

    # the regional manager acknowledges it with a note in the console's functions
    hq_escalations.act(hq.engine, nora, esc["id"], "acknowledge", "Offer a new frame at no cost", clock.now())
    hq_escalations.add_note(hq.engine, nora, esc["id"], "Call me if the customer refuses", clock.now())
    report = escalation.sync_escalations(a.db, now=now + timedelta(minutes=5))
    assert (report.sent, report.notes, report.failed) == (0, 2, 0)
    assert escalation.sync_escalations(a.db, now=now + timedelta(minutes=10)).notes == 0      # copied once

    with a.db.session() as s:
        notes = list(s.scalars(select(FeedbackNote).where(FeedbackNote.feedback_id == fid,
                                                          FeedbackNote.author == "hq").order_by(FeedbackNote.at)))
        detail = complaints.get_complaint(s, manager, fid)
        events = [(e.action, e.detail) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == str(fid)).order_by(AuditEvent.seq))]
    assert [(n.hq_role, n.action, n.text) for n in notes] == [
        ("regional", "acknowledge", "Offer a new frame at no cost"), ("regional", "note", "Call me if the customer refuses")]
    assert detail.row.escalation_state == "acknowledged"
    assert [(n.author, n.hq_role, n.staff_name) for n in detail.notes if n.author == "hq"] == [
        ("hq", "regional", ""), ("hq", "regional", "")]
    assert ("complaint.escalate", f"hq_id={esc['id']} complaint high") in events
    assert sum(1 for action, d in events if action == "complaint.note" and d.startswith("from_hq")) == 2
    assert all("Zhang" not in d and "frame" not in d for _, d in events)


class LosePostAnswer(httpx.BaseTransport):
    """Delivers the escalation to HQ but loses HQ's answer, once."""

    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.refs: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path == "/v1/escalations" and not self.refs:
            self.refs.append(__import__("json").loads(request.read())["ref"])
            response.read()
            response.close()
            raise httpx.ReadError("connection reset by peer", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_a_lost_answer_sends_the_same_ref_again_and_hq_keeps_one(hq, make_store):
    a, nora, manager, associate, cid = _setup(hq, make_store)
    now = clock.now()
    fid = _complaint(a, associate, manager, cid, "major", now)
    lost = LosePostAnswer()
    report = escalation.sync_escalations(a.db, now=now, transport=lost)
    assert (report.sent, report.failed) == (0, 1)
    f = _feedback(a.db, fid)
    assert f.escalation_pending and not f.escalated and lost.refs == [str(f.escalation_ref)]
    assert len(_hq_escalations(hq)) == 1                  # it did arrive

    report = escalation.sync_escalations(a.db, now=now + timedelta(minutes=2))
    assert (report.sent, report.failed) == (1, 0)
    [esc] = _hq_escalations(hq)
    assert esc["ref"] == f.escalation_ref
    assert _feedback(a.db, fid).escalated


def test_a_complaint_overdue_past_its_threshold_escalates_as_overdue(hq, make_store):
    a, nora, manager, associate, cid = _setup(hq, make_store)
    opened = clock.now() - timedelta(days=30)
    fid = _complaint(a, associate, manager, cid, "moderate", opened)       # moderate: escalate 24 h past due
    due_at = _feedback(a.db, fid).due_at
    assert escalation.sync_escalations(a.db, now=due_at + timedelta(hours=23)).sent == 0
    assert not _feedback(a.db, fid).escalation_pending
    report = escalation.sync_escalations(a.db, now=due_at + timedelta(hours=25))
    assert report.sent == 1
    [esc] = _hq_escalations(hq)
    assert (esc["kind"], esc["priority"]) == ("overdue_complaint", "normal")
    assert esc["summary"].startswith("overdue complaint product/moderate opened ")


def test_the_sync_service_escalates_even_when_the_receipt_calls_fail(hq, make_store, qapp, tmp_path, monkeypatch):
    from desktop.context import AppContext
    from desktop.qt import QSettings
    from desktop.sync_service import SyncService
    from desktop.workers import Runner
    from core.care import surveys

    a, nora, manager, associate, cid = _setup(hq, make_store)
    fid = _complaint(a, associate, manager, cid, "major", clock.now())
    ctx = AppContext(Runner(), QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    ctx.db = a.db
    service = SyncService(ctx, interval_s=3600, after_write_s=3600)

    def broken(db, now=None):         # the first step fails (a fault put in its place)
        raise RuntimeError("calls after sync failed")
    monkeypatch.setattr(surveys, "calls_after_sync", broken)
    service._escalate(a.db)
    assert service.escalation_failures == 1                  # counted...
    assert service.last_escalations is not None and service.last_escalations.sent == 1   # ...and the second ran
    assert _feedback(a.db, fid).escalated and len(_hq_escalations(hq)) == 1
