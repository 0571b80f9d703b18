"""A locked-out admin (issue 24): the recovery key, or a one-time reset code from HQ, sets a
new password and unlocks the account; an expired, used or forged code is refused; all of it
is audited without the code. (The HQ side, with a real HQ on PostgreSQL issuing the code:
tests/hq/test_admin_reset_code.py; here codes are made with the shared derivation.)"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import recovery, staff
from core.errors import AccountLocked, AuthenticationError, ValidationError
from core.models import AuditEvent, SignInState, Staff
from core.recovery import hq_codes
from core.sync import credentials

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SECRET = "store-credential-secret-for-tests"
CREDENTIAL = f"0190c6a4-0000-7000-8000-000000000001.{SECRET}"


def _lock_out(db, store_id) -> datetime:
    """Ten wrong passwords: the admin's account locks, as at the sign-in screen (each
    failure committed, as the sign-in screen does)."""
    at, refusals = NOW, []
    for _ in range(staff.MAX_PASSWORD_FAILURES):
        at += timedelta(minutes=2)
        with db.session(write=True) as s:
            try:
                staff.authenticate_number(s, store_id, "1", password="not-the-password", now=at)
            except AuthenticationError as refused:
                refusals.append(refused)
    assert isinstance(refusals[-1], AccountLocked)
    return at


def _locked(db, store_id) -> datetime:
    """The state ten wrong passwords leave (set directly: each real try costs a full
    password hash; the test above locks the account the real way)."""
    with db.session(write=True) as s:
        admin = s.scalars(select(Staff).where(Staff.store_id == store_id, Staff.staff_number == "1")).one()
        s.add(SignInState(staff_id=admin.id, failed_pins=0, failed_passwords=staff.MAX_PASSWORD_FAILURES,
                          locked_until=NOW + timedelta(minutes=staff.LOCK_MINUTES), last_failure_at=NOW))
    assert not _signs_in(db, store_id, "admin-pass-1", NOW + timedelta(minutes=1))
    return NOW


def _signs_in(db, store_id, password: str, at: datetime) -> bool:
    with db.session(write=True) as s:
        try:
            staff.authenticate_number(s, store_id, "1", password=password, now=at)
        except AuthenticationError:
            return False
    return True


def _audit(db) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _hq_code(expires_at: datetime, secret: str = SECRET) -> str:
    """What ``orchard-hq admin-reset-code`` prints: signed with the key HQ derives from the
    hash of the store's credential."""
    key = hq_codes.key_from_credential_hash(hashlib.sha256(secret.encode()).hexdigest())
    return hq_codes.make(key, expires_at=expires_at)


def test_the_recovery_key_sets_a_new_password_on_a_locked_out_admin(store_setup):
    db, store_id, _ = store_setup
    code = recovery.new_code()
    db.enable_recovery(code)
    at = _lock_out(db, store_id)
    assert not _signs_in(db, store_id, "admin-pass-1", at + timedelta(minutes=1))     # locked
    recovery.reset_admin(db, code=code.lower(), hq_reset_code=None, staff_number="1",
                         new_password="a-fresh-password", now=at + timedelta(minutes=2))
    assert _signs_in(db, store_id, "a-fresh-password", at + timedelta(minutes=3))
    assert not _signs_in(db, store_id, "admin-pass-1", at + timedelta(minutes=60))
    events = _audit(db)
    reset = [e for e in events if e.action == "staff.admin_reset"]
    assert [e.detail for e in reset] == ["recovery_key"]
    compact = recovery.normalise(code).replace("-", "")
    assert not any(compact in (e.detail or "") or code in (e.detail or "") for e in events)


def test_a_wrong_recovery_key_or_staff_number_is_refused_and_nothing_changes(store_setup):
    db, store_id, _ = store_setup
    db.enable_recovery(recovery.new_code())
    with pytest.raises(ValidationError) as wrong:
        recovery.reset_admin(db, code=recovery.new_code(), hq_reset_code=None, staff_number="1",
                             new_password="a-fresh-password", now=NOW)
    assert (wrong.value.field, wrong.value.reason) == ("recovery_code",
                                                       "this recovery key does not open this store database")
    assert _signs_in(db, store_id, "admin-pass-1", NOW)
    assert [e.detail for e in _audit(db) if e.action == "staff.admin_reset_refused"] == ["wrong_recovery_key"]


def test_only_an_active_admin_and_a_long_enough_password(store_setup):
    db, store_id, admin = store_setup
    code = recovery.new_code()
    db.enable_recovery(code)
    with db.session(write=True) as s:
        staff.create_staff(s, admin, display_name="Tom Tech", role="technician", password="tech-pass-1",
                           pin=None)
        number = [m for m in staff.list_staff(s, store_id) if m.display_name == "Tom Tech"][0].staff_number
    with pytest.raises(ValidationError) as not_admin:
        recovery.reset_admin(db, code=code, hq_reset_code=None, staff_number=number,
                             new_password="a-fresh-password", now=NOW)
    assert not_admin.value.field == "staff_number"
    with pytest.raises(ValidationError) as short:
        recovery.reset_admin(db, code=code, hq_reset_code=None, staff_number="1", new_password="short", now=NOW)
    assert (short.value.field, short.value.params) == ("new_password", {"n": staff.MIN_PASSWORD})
    with pytest.raises(ValidationError) as neither:
        recovery.reset_admin(db, code=None, hq_reset_code="  ", staff_number="1", new_password="a-fresh-password",
                             now=NOW)
    assert neither.value.field == "recovery_code"


def test_a_store_without_a_recovery_key_says_so(store_setup):
    db, _, _ = store_setup
    with pytest.raises(ValidationError) as none:
        recovery.reset_admin(db, code=recovery.new_code(), hq_reset_code=None, staff_number="1",
                             new_password="a-fresh-password", now=NOW)
    assert none.value.reason == "this store database has no recovery key"


@pytest.fixture
def enrolled(store_setup, fail_keyring):
    """The store holds its HQ credential (in the database: no keyring here)."""
    db, store_id, admin = store_setup
    assert credentials.save(db, "0190c6a4-0000-7000-8000-000000000001", CREDENTIAL) == "database"
    return db, store_id


def test_an_hq_reset_code_works_once(enrolled):
    db, store_id = enrolled
    at = _locked(db, store_id)
    code = _hq_code(at + timedelta(hours=24))
    recovery.reset_admin(db, code=None, hq_reset_code=code, staff_number="1", new_password="from-hq-code-1",
                         now=at + timedelta(minutes=1))
    assert _signs_in(db, store_id, "from-hq-code-1", at + timedelta(minutes=2))
    with pytest.raises(ValidationError) as used:
        recovery.reset_admin(db, code=None, hq_reset_code=code.replace("-", " ").lower(), staff_number="1",
                             new_password="a-second-go-1", now=at + timedelta(minutes=3))
    assert (used.value.field, used.value.reason) == ("hq_reset_code",
                                                     "this reset code was already used; ask HQ for a new one")
    assert _signs_in(db, store_id, "from-hq-code-1", at + timedelta(minutes=4))
    events = _audit(db)
    assert [e.detail for e in events if e.action == "staff.admin_reset"] == ["hq_code"]
    assert [e.detail for e in events if e.action == "staff.admin_reset_refused"] == ["used_hq_code"]
    compact = code.replace("-", "")
    assert not any(compact in (e.detail or "") or code in (e.detail or "") for e in events)


def test_an_expired_or_forged_hq_reset_code_is_refused(enrolled):
    db, store_id = enrolled
    expired = _hq_code(NOW + timedelta(hours=1))
    forged = _hq_code(NOW + timedelta(hours=24), secret="another store's credential")
    flipped = list(_hq_code(NOW + timedelta(hours=24)).replace("-", ""))
    flipped[20] = "0" if flipped[20] != "0" else "1"
    reasons = {}
    for name, text in (("expired", expired), ("forged", forged), ("altered", "".join(flipped))):
        with pytest.raises(ValidationError) as refused:
            recovery.reset_admin(db, code=None, hq_reset_code=text, staff_number="1",
                                 new_password="a-fresh-password", now=NOW + timedelta(hours=2))
        assert refused.value.field == "hq_reset_code"
        reasons[name] = refused.value.reason
    assert reasons == {
        "expired": "this reset code has expired; ask HQ for a new one",
        "forged": "this reset code is not valid for this store; check it, or ask HQ for a new one",
        "altered": "this reset code is not valid for this store; check it, or ask HQ for a new one"}
    assert _signs_in(db, store_id, "admin-pass-1", NOW + timedelta(hours=3))
    assert [e.detail for e in _audit(db) if e.action == "staff.admin_reset_refused"] == [
        "expired_hq_code", "invalid_hq_code", "invalid_hq_code"]


def test_a_store_not_enrolled_is_told_to_use_the_recovery_key(store_setup, fail_keyring):
    db, _, _ = store_setup
    with pytest.raises(ValidationError) as refused:
        recovery.reset_admin(db, code=None, hq_reset_code=_hq_code(NOW + timedelta(hours=1)), staff_number="1",
                             new_password="a-fresh-password", now=NOW)
    assert refused.value.reason == "this store is not enrolled with HQ; use the recovery key"


def test_a_reset_code_and_a_recovery_key_are_told_apart_by_length():
    assert hq_codes.looks_like(_hq_code(NOW))
    assert not hq_codes.looks_like(recovery.new_code())
