"""A wrong PIN or password says how many tries remain before the PIN blocks or the
account locks, counted from the rule in core/staff.py."""

from datetime import datetime, timedelta, timezone

from core import staff
from core.errors import AccountLocked, AuthenticationError, PinBlocked
from core.permissions import Role

T0 = datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc)


def attempt(db, staff_id, now, **kw):
    with db.session(write=True) as s:
        try:
            return staff.authenticate(s, staff_id, now=now, **kw)
        except AuthenticationError as exc:
            return exc


def test_each_wrong_pin_counts_down_to_the_block_then_passwords_to_the_lock(store_setup):
    db, _, admin = store_setup
    with db.session(write=True) as s:
        assoc = staff.create_staff(s, admin, display_name="Test associate", role=Role.ASSOCIATE,
                                   password="password-22", pin="2468")
    t = T0
    left = []
    for _ in range(staff.MAX_PIN_FAILURES):
        t += timedelta(minutes=1)       # past the slow-down between tries
        err = attempt(db, assoc.id, t, pin="0000")
        left.append(err.params.get("left") if not isinstance(err, PinBlocked) else "blocked")
        last = str(err)
    assert left == [4, 3, 2, 1, "blocked"]
    assert "password" in last
    t += timedelta(minutes=1)
    err = attempt(db, assoc.id, t, password="not-the-password")
    assert str(err) == "wrong password; 9 tries left before the account locks for 30 minutes"
    for _ in range(staff.MAX_PASSWORD_FAILURES - 2):
        t += timedelta(minutes=1)
        err = attempt(db, assoc.id, t, password="not-the-password")
    assert str(err) == "wrong password; 1 try left before the account locks for 30 minutes"
    t += timedelta(minutes=1)
    assert isinstance(attempt(db, assoc.id, t, password="not-the-password"), AccountLocked)
    assert staff.tries_left(2, "pin") == 3 and staff.tries_left(12, "password") == 0
