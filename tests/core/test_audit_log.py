"""Managers read the audit trail: filtered by staff, record, action and time, a page at a
time, and exported for an auditor with the chain's check and head; nobody else reads it."""

import csv
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import audit, audit_log, clock, customers, staff
from core.errors import PermissionDenied, ValidationError
from core.models import AuditEvent
from core.permissions import Actor, Role

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def trail(store_setup):
    """Three days of work by a manager and an associate: (db, admin, manager, associate, customer ids)."""
    db, store_id, admin = store_setup
    with clock.pinned(T0) as fixed, db.session(write=True) as s:
        mgr = staff.actor_for(staff.create_staff(s, admin, display_name="Mia Manager", role=Role.MANAGER,
                                                 password="manager-pass-1", pin="2222"))
        assoc = staff.actor_for(staff.create_staff(s, admin, display_name="Ali Associate", role=Role.ASSOCIATE,
                                                   password="assoc-pass-1", pin="4444"))
        fixed.advance(days=1)                                  # 3 March
        a = customers.create_customer(s, assoc, family_name="Smith", phone="+44 20 7946 0958")
        customers.update_customer(s, assoc, a.id, email="anna@example.com")
        fixed.advance(days=1)                                  # 4 March
        b = customers.create_customer(s, mgr, family_name="Jones")
        customers.get_customer(s, mgr, a.id)
    return db, admin, mgr, assoc, (a.id, b.id)


def test_filters_by_staff_record_action_and_time(trail):
    db, admin, mgr, assoc, (a, b) = trail
    with db.session() as s:
        everything = audit_log.search(s, mgr)
        assert everything.total == len(everything.rows) >= 6
        assert [r.seq for r in everything.rows] == sorted((r.seq for r in everything.rows), reverse=True)
        by_assoc = audit_log.search(s, mgr, staff_id=assoc.staff_id)
        assert [(r.action, r.entity_id, r.staff_name) for r in by_assoc.rows] == [
            ("customer.update", str(a), "Ali Associate"), ("customer.create", str(a), "Ali Associate")]
        assert by_assoc.rows[0].detail == "email"               # the field, never its value
        on_a = audit_log.search(s, mgr, entity="customer", entity_id=a)
        assert [r.action for r in on_a.rows] == ["customer.view", "customer.update", "customer.create"]
        assert audit_log.search(s, mgr, entity="staff", entity_id=a).total == 0
        created = audit_log.search(s, mgr, action="customer.create")
        assert {r.entity_id for r in created.rows} == {str(a), str(b)}
        # "customer." is every customer action
        assert audit_log.search(s, mgr, action="customer.").total == 4
        day = audit_log.search(s, mgr, since=T0 + timedelta(days=1), until=T0 + timedelta(days=2))
        assert [r.action for r in day.rows] == ["customer.update", "customer.create"]
        assert all(T0 + timedelta(days=1) <= r.at < T0 + timedelta(days=2) for r in day.rows)
        both = audit_log.search(s, mgr, staff_id=mgr.staff_id, action="customer.view",
                                since=T0 + timedelta(days=2))
        assert [(r.action, r.entity_id) for r in both.rows] == [("customer.view", str(a))]


def test_pages_through_a_long_trail(trail):
    db, admin, mgr, *_ = trail
    with db.session(write=True) as s:
        for _ in range(250):
            audit.record(s, mgr, "customer.view", "customer", uuid.uuid4())
    with db.session() as s:
        first = audit_log.search(s, mgr, action="customer.view", limit=100)
        third = audit_log.search(s, mgr, action="customer.view", limit=100, offset=200)
    assert first.total == third.total == 251
    assert len(first.rows) == 100 and len(third.rows) == 51
    assert first.rows[-1].seq > third.rows[0].seq


def test_an_associate_and_a_technician_may_not_read_the_trail(trail):
    db, admin, mgr, assoc, _ = trail
    tech = Actor(uuid.uuid4(), assoc.store_id, Role.TECHNICIAN)
    with db.session(write=True) as s:
        for who in (assoc, tech):
            with pytest.raises(PermissionDenied):
                audit_log.search(s, who)
            with pytest.raises(PermissionDenied):
                audit_log.export_rows(s, who)
            with pytest.raises(PermissionDenied):
                audit_log.staff_names(s, who)
    with db.session() as s:
        assert not s.scalars(select(AuditEvent).where(AuditEvent.action == "audit.export")).first()


@pytest.mark.parametrize("kwargs, field", [
    ({"limit": 0}, "limit"), ({"limit": 5000}, "limit"), ({"offset": -1}, "offset"),
    ({"action": "x" * 41}, "action"), ({"since": datetime(2026, 3, 2)}, "since"),
    ({"since": T0, "until": T0 - timedelta(days=1)}, "until"), ({"entity": "cust\nomer"}, "entity"),
])
def test_bad_filters_are_named(trail, kwargs, field):
    db, admin, mgr, *_ = trail
    with db.session() as s, pytest.raises(ValidationError) as bad:
        audit_log.search(s, mgr, **kwargs)
    assert bad.value.field == field


def test_export_carries_the_check_and_the_head_and_is_audited(trail, tmp_path):
    db, admin, mgr, assoc, (a, b) = trail
    with clock.pinned(T0 + timedelta(days=5)), db.session(write=True) as s:
        by_admin = audit_log.export_rows(s, admin, staff_id=assoc.staff_id)
        audit_log.write_csv(by_admin, tmp_path / "trail.csv", "Asia/Shanghai")
    assert by_admin.check is not None and by_admin.check.ok
    assert by_admin.head_seq == by_admin.check.entries and len(by_admin.head_mac) == 64
    text = (tmp_path / "trail.csv").read_text("utf-8")
    assert f"# chain check: ok: {by_admin.check.entries} entries verified" in text
    assert f"seq={by_admin.head_seq} mac={by_admin.head_mac}" in text
    body = list(csv.DictReader(io.StringIO("".join(ln + "\n" for ln in text.splitlines() if not ln.startswith("#")))))
    assert [(r["action"], r["action_name"], r["staff"]) for r in body] == [
        ("customer.update", "Customer changed", "Ali Associate"), ("customer.create", "Customer created", "Ali Associate")]
    assert body[1]["time"] == "2026-03-03T17:00:00+08:00"     # the store's time zone
    assert "anna" not in text and "7946" not in text
    # a manager exports too, and checks the chain (it reads MACs, no personal data)
    with db.session(write=True) as s:
        by_manager = audit_log.export_rows(s, mgr)
    assert by_manager.check is not None and by_manager.check.ok
    assert audit_log.check_text(by_manager).startswith("ok: ")
    assert len(by_manager.rows) > len(by_admin.rows)
    with db.session() as s:
        exports = audit_log.search(s, mgr, action="audit.export").rows
        assert [(r.staff_id, r.detail) for r in exports] == [
            (mgr.staff_id, f"rows={len(by_manager.rows)}"), (admin.staff_id, "rows=2")]
        assert audit.verify(s, admin).ok


def test_a_failed_file_write_leaves_no_export_record(trail, tmp_path):
    db, admin, mgr, *_ = trail
    with pytest.raises(OSError), db.session(write=True) as s:
        audit_log.write_csv(audit_log.export_rows(s, mgr), tmp_path / "no-such-folder" / "trail.csv", "UTC")
    with db.session() as s:
        assert audit_log.search(s, mgr, action="audit.export").total == 0


def test_actions_read_in_words_in_both_languages():
    assert audit_log.action_name("customer.erase") == "Customer erased"
    assert audit_log.action_name("customer.erase", "zh_CN") == "删除客户数据"
    assert audit_log.action_name("something.new") == "something.new"
