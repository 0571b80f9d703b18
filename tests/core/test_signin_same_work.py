"""Sign-in answers an unknown staff member and a wrong PIN (or password) with the same
words and the same work: one hash check, against a dummy hash of the same algorithm and
cost when there is no account. Tested by what runs (a spy on the hash check), not by
how long it takes."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core import staff
from core.errors import AccountLocked, AuthenticationError, OrchardError, PinBlocked
from core.models import SignInState, Staff
from core.permissions import Role


@pytest.fixture
def checks(monkeypatch):
    """Every hash check sign-in makes: (secret, encoded hash)."""
    seen: list[tuple[str, str | None]] = []
    real = staff.verify_secret

    def spy(secret, encoded):
        seen.append((secret, encoded))
        return real(secret, encoded)
    monkeypatch.setattr(staff, "verify_secret", spy)
    return seen


@pytest.fixture
def people(store_setup):
    db, store_id, admin = store_setup
    with db.session(write=True) as s:
        made = {n: staff.create_staff(s, admin, display_name=f"Tess {n}", role=Role.TECHNICIAN,
                                      password="password-22", pin="2468") for n in ("one", "two", "gone")}
        s.get(Staff, made["gone"].id).active = False
    return db, store_id, made


def refusal(db, call):
    with db.session(write=True) as s:
        with pytest.raises(AuthenticationError) as err:
            call(s)
    return err.value


def cost(encoded):
    """Algorithm, version and cost of a PHC string: '$argon2id$v=19$m=19456,t=2,p=1'."""
    return encoded.split("$")[1:4]


def same_answer(a, b):
    assert type(a) is type(b)
    assert (str(a), a.template, a.params) == (str(b), b.template, b.params)


@pytest.mark.parametrize("kind, secret", [("pin", "0000"), ("password", "not-the-password")])
def test_an_unknown_staff_id_is_answered_like_a_wrong_secret_after_one_hash_check(people, checks, kind, secret):
    db, _, made = people
    wrong = refusal(db, lambda s: staff.authenticate(s, made["one"].id, **{kind: secret}))
    assert len(checks) == 1
    with db.session() as s:
        real_hash = getattr(s.get(Staff, made["one"].id), f"{kind}_hash")
    assert checks[0][1] == real_hash
    checks.clear()
    unknown = refusal(db, lambda s: staff.authenticate(s, uuid.uuid4(), **{kind: secret}))
    assert len(checks) == 1, "an unknown account must cost one hash check too"
    assert checks[0][0] == secret and checks[0][1] and cost(checks[0][1]) == cost(real_hash)
    same_answer(unknown, wrong)


def test_an_unknown_staff_number_is_answered_like_a_wrong_pin(people, checks):
    db, store_id, made = people
    wrong = refusal(db, lambda s: staff.authenticate_number(s, store_id, made["two"].staff_number, pin="0000"))
    unknown = refusal(db, lambda s: staff.authenticate_number(s, store_id, "999", pin="0000"))
    empty = refusal(db, lambda s: staff.authenticate_number(s, store_id, "", pin="0000"))
    assert len(checks) == 3
    same_answer(unknown, wrong)
    same_answer(empty, wrong)


def test_an_inactive_account_is_answered_like_an_unknown_one(people, checks):
    db, store_id, made = people
    unknown = refusal(db, lambda s: staff.authenticate(s, uuid.uuid4(), pin="0000"))
    inactive = refusal(db, lambda s: staff.authenticate(s, made["gone"].id, pin="0000"))
    assert len(checks) == 2
    same_answer(inactive, unknown)
    # its owner, with the right PIN, is told the account cannot sign in
    right = refusal(db, lambda s: staff.authenticate(s, made["gone"].id, pin="2468"))
    assert str(right) == "this account cannot sign in"


def test_the_right_pin_still_signs_in_after_the_dummy_check(people, checks):
    db, store_id, made = people
    with db.session(write=True) as s:
        actor = staff.authenticate_number(s, store_id, made["one"].staff_number, pin="2468")
    assert actor.staff_id == made["one"].id and len(checks) == 1



T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
MINUTES = [T0 + timedelta(minutes=i) for i in range(12)]


def answers(db, call, times):
    """The refusal each try gets (class, message, template, params, until), a try at each time."""
    out = []
    for at in times:
        with db.session(write=True) as s:
            with pytest.raises(OrchardError) as err:
                call(s, at)
        e = err.value
        out.append((type(e), str(e), e.template, e.params, getattr(e, "until", None)))
    return out


@pytest.mark.parametrize("kind, secret, times, last", [
    ("pin", "0000", MINUTES[:3], (AuthenticationError, {"left": 2}, None)),              # the countdown
    ("pin", "0000", [T0, T0, T0], (AuthenticationError, {"seconds": 1}, None)),           # the slow-down
    ("password", "not-it-at-all", MINUTES[:3], (AuthenticationError, {"left": 7, "minutes": 30}, None)),
    ("pin", "0000", MINUTES[:7], (PinBlocked, {}, None)),                                 # the PIN blocked
    ("password", "not-it-at-all", MINUTES[:12],                                           # locked out
     (AccountLocked, {}, MINUTES[9] + timedelta(minutes=30))),
])
def test_wrong_tries_at_a_real_and_an_unknown_number_get_the_same_answers(people, checks, kind, secret, times,
                                                                           last):
    db, store_id, made = people
    with db.session() as s:
        staff_rows = s.scalar(select(func.count()).select_from(Staff))

    def at(number):
        return lambda s, when: staff.authenticate_number(s, store_id, number, now=when, **{kind: secret})
    real = answers(db, at(made["one"].staff_number), times)
    real_checks = len(checks)
    checks.clear()
    unknown = answers(db, at("4711"), times)
    assert (real[-1][0], real[-1][3], real[-1][4]) == last, "the real account counted down to this"
    assert unknown == real
    assert len(checks) == real_checks, "the same number of hash checks"
    # the same unknown number typed with spaces is the same phantom, counted as far
    assert answers(db, at(" 4711 "), times[-1:]) == answers(db, at(made["one"].staff_number), times[-1:])
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Staff)) == staff_rows, "no account made for a guess"
        assert s.scalar(select(func.count()).select_from(SignInState)
                        .where(SignInState.staff_id.not_in([m.id for m in made.values()]))) == 0


def test_an_unknown_number_counts_per_store_and_number(people):
    db, store_id, made = people
    tries = [(store_id, "4711"), (store_id, "4711"), (store_id, "4712"), (uuid.uuid4(), "4711")]
    got = []
    for i, (store, number) in enumerate(tries):
        with db.session(write=True) as s:
            with pytest.raises(AuthenticationError) as err:
                staff.authenticate_number(s, store, number, pin="0000", now=MINUTES[i])
        got.append(err.value.params["left"])
    assert got == [4, 3, 4, 4]
