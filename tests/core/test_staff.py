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


# --- no one manages staff of a role above their own (issue 18) ---------------------------------

def _refused_for_rank(exc_info):
    err = exc_info.value
    errors = getattr(err, "errors", [err])
    assert [e.field for e in errors] == ["role"]
    assert "higher role" in str(errors[0])


def test_a_manager_cannot_set_an_admins_pin_and_so_cannot_sign_in_as_admin(store_setup):
    from core.errors import ValidationError
    db, _, admin = store_setup
    manager = staff.actor_for(make(db, admin, Role.MANAGER))
    t = clock.now()
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        staff.set_pin(s, manager, admin.staff_id, "9999")
    _refused_for_rank(refused)
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        staff.set_password(s, manager, admin.staff_id, "manager-now-admin")
    _refused_for_rank(refused)
    # the attack of the review: the new PIN does not open the admin's account
    assert isinstance(attempt(db, admin.staff_id, t, pin="9999"), AuthenticationError)
    assert attempt(db, admin.staff_id, t + timedelta(minutes=1), pin="1111").role == Role.ADMIN


def test_a_manager_cannot_create_an_admin(store_setup):
    db, _, admin = store_setup
    manager = staff.actor_for(make(db, admin, Role.MANAGER))
    with db.session(write=True) as s, pytest.raises(ValidationErrors) as refused:
        staff.create_staff(s, manager, display_name="Eve Admin", role=Role.ADMIN, password="password-22", pin="2222")
    _refused_for_rank(refused)
    with db.session() as s:
        assert [i.role for i in staff.list_staff(s, admin.store_id)].count(Role.ADMIN) == 1
    assert staff.assignable_roles(manager) == (Role.ASSOCIATE, Role.TECHNICIAN, Role.MANAGER)


def test_a_manager_cannot_promote_an_associate_to_admin_nor_demote_an_admin(store_setup):
    from core.errors import ValidationError
    db, _, admin = store_setup
    manager = staff.actor_for(make(db, admin, Role.MANAGER))
    assoc = make(db, admin, Role.ASSOCIATE)
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        staff.change_role(s, manager, assoc.id, Role.ADMIN)
    _refused_for_rank(refused)
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        staff.change_role(s, manager, admin.staff_id, Role.ASSOCIATE)
    _refused_for_rank(refused)
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        staff.set_active(s, manager, admin.staff_id, False)
    _refused_for_rank(refused)
    with db.session() as s:
        assert staff.get_staff(s, assoc.id).role == Role.ASSOCIATE
        assert staff.get_staff(s, admin.staff_id).role == Role.ADMIN and staff.get_staff(s, admin.staff_id).active


def test_a_manager_cannot_unlock_an_admin_to_guess_the_pin_again(store_setup):
    from core.errors import ValidationError
    db, _, admin = store_setup
    manager = staff.actor_for(make(db, admin, Role.MANAGER))
    t = clock.now()
    for _ in range(5):
        t += timedelta(minutes=1)
        attempt(db, admin.staff_id, t, pin="0000")
    with db.session(write=True) as s:
        assert staff.locked_accounts(s, manager, now=t) == []
        assert [a.staff_id for a in staff.locked_accounts(s, admin, now=t)] == [admin.staff_id]
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        staff.unlock(s, manager, admin.staff_id)
    _refused_for_rank(refused)
    with db.session() as s:
        assert not staff.sign_in_status(s, admin.staff_id, now=t + timedelta(minutes=5)).pin_allowed


def test_a_manager_manages_a_technician_and_an_admin_manages_a_manager(store_setup):
    db, _, admin = store_setup
    manager_info = make(db, admin, Role.MANAGER)
    manager = staff.actor_for(manager_info)
    tech = make(db, admin, Role.TECHNICIAN)
    t = clock.now()
    with db.session(write=True) as s:
        staff.set_pin(s, manager, tech.id, "5555")
        staff.change_role(s, manager, tech.id, Role.ASSOCIATE)
        staff.create_staff(s, manager, display_name="Mo Manager", role=Role.MANAGER, password="password-33")
    assert attempt(db, tech.id, t, pin="5555").role == Role.ASSOCIATE
    with db.session(write=True) as s:
        staff.set_active(s, manager, tech.id, False)
        staff.set_pin(s, admin, manager_info.id, "7777")
        staff.change_role(s, admin, manager_info.id, Role.ADMIN)
        staff.create_staff(s, admin, display_name="Second Admin", role=Role.ADMIN, password="password-44")
    assert isinstance(attempt(db, tech.id, t + timedelta(minutes=1), pin="5555"), AuthenticationError)
    assert attempt(db, manager_info.id, t + timedelta(minutes=2), pin="7777").role == Role.ADMIN
    with db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.entity == "staff"))]
    assert {"staff.pin_set", "staff.role_changed", "staff.deactivated"} <= set(actions)


def test_anyone_sets_their_own_pin_but_not_a_peers(store_setup):
    db, _, admin = store_setup
    tech = make(db, admin, Role.TECHNICIAN)
    assoc = make(db, admin, Role.ASSOCIATE)
    me = staff.actor_for(tech)
    with db.session(write=True) as s:
        staff.set_pin(s, me, tech.id, "8642")
    with db.session(write=True) as s, pytest.raises(PermissionDenied):
        staff.set_pin(s, me, assoc.id, "8642")
    assert attempt(db, tech.id, clock.now(), pin="8642").staff_id == tech.id


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(store_setup):
    from core.errors import ValidationError
    db, _, admin = store_setup
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        staff.change_role(s, admin, admin.staff_id, Role.MANAGER)
    assert refused.value.field == "role"


def test_password_hashes_have_the_vaults_cost_and_old_ones_are_rehashed_at_sign_in(store_setup):
    from core import secrets_hash
    from core.models import Staff
    from core.vault import KdfParams
    db, _, admin = store_setup
    assoc = make(db, admin, Role.ASSOCIATE)
    cost = KdfParams()
    with db.session(write=True) as s:
        row = s.get(Staff, assoc.id)
        assert f"m={cost.memory_kib},t={cost.iterations},p={cost.lanes}" in row.password_hash
        row.password_hash = secrets_hash.hash_secret("password-22")      # the older, cheaper cost
    assert not secrets_hash.password_cost_ok(secrets_hash.hash_secret("x"))
    attempt(db, assoc.id, clock.now(), password="password-22")
    with db.session() as s:
        assert secrets_hash.password_cost_ok(s.get(Staff, assoc.id).password_hash)


def test_the_idle_lock_is_at_most_fifteen_minutes_even_when_an_older_row_says_more(store_setup):
    from core import settings as store_settings
    from core.errors import ValidationError
    from core.models import Store
    db, store_id, admin = store_setup
    with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
        store_settings.set_idle_minutes(s, admin, 16)
    assert refused.value.field == "idle_minutes" and refused.value.params["high"] == 15
    with db.session(write=True) as s:
        assert store_settings.set_idle_minutes(s, admin, 15) == 15
        store = s.get(Store, store_id)
        store.settings = {**store.settings, "idle_minutes": 60}     # kept from before the cap
    with db.session() as s:
        assert store_settings.idle_minutes(s, store_id) == 15
