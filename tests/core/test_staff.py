"""Staff accounts and sign-in: PIN, password, lockout, unlock, roles."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import clock, staff
from core.errors import AccountLocked, AuthenticationError, PermissionDenied, ValidationErrors
from core.models import AuditEvent
from core.permissions import Perm, Role


def make(db, admin, role, pin="2468", password="password-22"):
    with db.session(write=True) as s:
        return staff.create_staff(s, admin, display_name=f"Test {role}", role=role, password=password, pin=pin)


def attempt(db, staff_id, now, **kw):
    # the sign-in screen commits after every try, right or wrong
    with db.session(write=True) as s:
        try:
            return staff.authenticate(s, staff_id, now=now, **kw)
        except AuthenticationError as exc:
            return exc


def test_right_pin_signs_in_with_the_role(store_setup):
    db, store_id, admin = store_setup
    tech = make(db, admin, Role.TECHNICIAN)
    actor = attempt(db, tech.id, clock.now(), pin="2468")
    assert actor.role == Role.TECHNICIAN and actor.store_id == store_id
    assert not actor.can(Perm.VIEW_REPORTS) and actor.can(Perm.WORK_TICKETS)


def test_five_wrong_pins_then_password_then_lockout_and_manager_unlock(store_setup):
    db, store_id, admin = store_setup
    assoc = make(db, admin, Role.ASSOCIATE)
    manager = make(db, admin, Role.MANAGER)
    mgr_actor = staff.actor_for(manager)
    t = clock.now()
    for i in range(5):
        t += timedelta(minutes=1)   # wait out the slow-down between tries
        assert isinstance(attempt(db, assoc.id, t, pin="0000"), AuthenticationError)
    t += timedelta(minutes=1)
    refused = attempt(db, assoc.id, t, pin="2468")
    assert isinstance(refused, AuthenticationError) and "password" in str(refused)
    for i in range(10):
        t += timedelta(minutes=1)
        result = attempt(db, assoc.id, t, password="not-the-password")
    assert isinstance(result, AccountLocked)
    t += timedelta(minutes=1)
    assert isinstance(attempt(db, assoc.id, t, password="password-22"), AccountLocked)
    # the count survives a restart: it lives in the database
    with db.session() as s:
        assert staff.sign_in_status(s, assoc.id, now=t).locked_until is not None
    with db.session(write=True) as s:
        with pytest.raises(PermissionDenied):
            staff.unlock(s, staff.actor_for(assoc), assoc.id)
    with db.session(write=True) as s:
        staff.unlock(s, mgr_actor, assoc.id)
    assert attempt(db, assoc.id, t, pin="2468").staff_id == assoc.id
    with db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(assoc.id)))]
    assert actions.count("sign_in.failed") == 15
    assert "sign_in.locked" in actions and "sign_in.unlocked" in actions


def test_lock_expires_after_thirty_minutes(store_setup):
    db, _, admin = store_setup
    assoc = make(db, admin, Role.ASSOCIATE)
    t = clock.now()
    for _ in range(10):
        t += timedelta(minutes=1)
        attempt(db, assoc.id, t, password="wrong-password")
    assert isinstance(attempt(db, assoc.id, t + timedelta(minutes=29), password="password-22"), AccountLocked)
    assert attempt(db, assoc.id, t + timedelta(minutes=31), password="password-22").staff_id == assoc.id


def test_each_failure_slows_the_next_try(store_setup):
    db, _, admin = store_setup
    assoc = make(db, admin, Role.ASSOCIATE)
    t = clock.now()
    attempt(db, assoc.id, t, pin="1111")
    attempt(db, assoc.id, t, pin="1112")
    too_soon = attempt(db, assoc.id, t, pin="2468")
    assert isinstance(too_soon, AuthenticationError) and "wait" in str(too_soon)
    assert attempt(db, assoc.id, t + timedelta(seconds=5), pin="2468").staff_id == assoc.id


def test_staff_input_is_validated_per_field(store_setup):
    db, _, admin = store_setup
    with db.session(write=True) as s, pytest.raises(ValidationErrors) as err:
        staff.create_staff(s, admin, display_name="", role="wizard", password="short", pin="12")
    assert set(err.value.by_field) == {"display_name", "role", "password", "pin"}


def test_hashes_are_argon2id_with_salt(store_setup):
    from core.models import Staff
    db, _, admin = store_setup
    a = make(db, admin, Role.ASSOCIATE, pin="2468")
    b = make(db, admin, Role.ASSOCIATE, pin="2468")
    with db.session() as s:
        ha, hb = s.get(Staff, a.id).pin_hash, s.get(Staff, b.id).pin_hash
    assert ha.startswith("$argon2id$") and ha != hb
