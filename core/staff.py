"""Staff accounts, the store they belong to, and signing in.

Sign-in rules (per account, kept in the database so they survive a restart):
after 5 wrong PINs the PIN stops working and the full password is needed; after
10 wrong passwords the account locks for 30 minutes or until a manager unlocks it;
each failure makes the next try wait a little longer.  Every failure and lockout is
audited, without the secret tried.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import Integer, func, select, text
from sqlalchemy.orm import Session

from core import audit, clock, money
from core.errors import (
    AccountLocked, AuthenticationError, NotFound, PinBlocked, ValidationError, ValidationErrors,
)
from core.lookup import get_or_not_found
from core.models import SignInState, Staff, Store
from core.permissions import Actor, Perm, Role, require
from core.secrets_hash import hash_password, hash_secret, password_cost_ok, verify_secret
from core.staff_info import OWN_STORE_KEY as OWN_STORE_KEY   # re-exported
from core.staff_info import StaffInfo as StaffInfo, StoreInfo as StoreInfo
from core.staff_info import read_own_store, read_staff
from core.validation import normalize_name

if TYPE_CHECKING:
    from core.db import StoreDatabase


MAX_PIN_FAILURES = 5
MAX_PASSWORD_FAILURES = 10
LOCK_MINUTES = 30
MIN_PASSWORD = 8


@dataclass(frozen=True)
class SignInStatus:
    """What the sign-in screen needs to know before the user types."""

    pin_allowed: bool
    locked_until: datetime | None
    delay_seconds: float


def _info(s: Staff) -> StaffInfo:
    return StaffInfo(s.id, s.store_id, s.staff_number, s.display_name, Role(s.role), tuple(s.skills or ()),
                     bool(s.pin_hash), s.active, s.language)


def _check_pin(pin: str | None, field: str = "pin") -> None:
    if pin is not None and (not pin.isdigit() or not 4 <= len(pin) <= 8):
        raise ValidationError(field, "must be 4 to 8 digits")


def _check_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(field, "must be at least {n} characters", n=MIN_PASSWORD)


def actor_for(info: StaffInfo) -> Actor:
    return Actor(staff_id=info.id, store_id=info.store_id, role=info.role, display_name=info.display_name)


# --- who may manage whom -------------------------------------------------------------
# No one manages an account of a role above their own (a manager who could set an
# admin's PIN could sign in as that admin). Associates and technicians are peers.

RANK: dict[Role, int] = {Role.ASSOCIATE: 0, Role.TECHNICIAN: 0, Role.MANAGER: 1, Role.ADMIN: 2}


def may_manage(actor: Actor, role: Role | str) -> bool:
    """Whether ``actor`` may manage an account of ``role`` (create, change, secrets, unlock)."""
    return RANK[Role(role)] <= RANK[actor.role]


def assignable_roles(actor: Actor) -> tuple[Role, ...]:
    """The roles ``actor`` may give: the staff screen offers only these."""
    return tuple(r for r in Role if may_manage(actor, r))


def _above_own_role() -> ValidationError:
    return ValidationError("role", "your role may not manage staff of a higher role")


# --- the store ---------------------------------------------------------------------

# OWN_STORE_KEY ("store.id" in sync_state) lives in core.staff_info, imported above


def _pending(session: Session) -> None:
    """What the session holds unwritten is written first, as an ORM query would (a plain
    statement does not flush)."""
    if session.new or session.dirty or session.deleted:
        session.flush()


def current_store(session: Session) -> StoreInfo | None:
    """The store this database belongs to: the rule core.staff_info states (remembered by id
    from the first run or enrolment; before that, the only store), read as core.quick_open
    reads it before the ORM loads."""
    _pending(session)
    return read_own_store(lambda sql, params: session.execute(text(sql), params).first())


def bootstrap_store(db: StoreDatabase, *, code: str, name: str, timezone: str, country: str,
                    admin_name: str, admin_password: str, admin_pin: str | None, currency: str = "USD",
                    opening_hours: dict[str, Any] | None = None, store_id: uuid.UUID | None = None,
                    admin_number: str = "1") -> tuple[StoreDatabase, uuid.UUID, Actor]:
    """First run: create the store and its first admin. Refused once a store exists.
    ``store_id``: the id HQ already knows the store by (set-up by enrolment, core.setup)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from core.ids import uuid7
    errors: list[ValidationError] = []
    code = (code or "").strip().upper()
    if not (2 <= len(code) <= 8 and code.isalnum() and code.isascii()):
        errors.append(ValidationError("code", "must be 2 to 8 letters or digits"))
    try:
        name = normalize_name(name, field="name", max_len=120)
    except ValidationError as e:
        errors.append(e)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(ValidationError("timezone", "is not a known time zone"))
    for check in (lambda: normalize_name(admin_name, field="admin_name"),
                  lambda: _check_password(admin_password, "admin_password"),
                  lambda: _check_pin(admin_pin, "admin_pin")):
        try:
            check()
        except ValidationError as e:
            errors.append(e)
    if errors:
        raise ValidationErrors(errors)
    with db.session(write=True) as s:
        if current_store(s) is not None:
            raise ValidationError("code", "this database already belongs to a store")
        tax = money.default_tax(currency)
        store = Store(id=store_id or uuid7(), code=code, name=name, timezone=timezone, country=country.upper(),
                      currency=currency,
                      opening_hours=opening_hours or {d: ["09:00", "19:00"] for d in
                                                      ("mon", "tue", "wed", "thu", "fri", "sat")},
                      tax_rate=str(tax.rate), tax_inclusive=tax.inclusive, tax_label=tax.label)
        s.add(store)
        s.flush()
        admin = Staff(store_id=store.id, staff_number=admin_number, display_name=normalize_name(admin_name, field="admin_name"),
                      role=Role.ADMIN.value, skills=[], password_hash=hash_password(admin_password),
                      pin_hash=hash_secret(admin_pin) if admin_pin else None)
        s.add(admin)
        s.flush()
        from core.models import SyncState
        if s.get(SyncState, OWN_STORE_KEY) is None:
            s.add(SyncState(key=OWN_STORE_KEY, value=str(store.id)))
        audit.record(s, None, "store.created", "store", store.id, staff_id=admin.id)
        return db, store.id, actor_for(_info(admin))


# --- accounts ------------------------------------------------------------------------

def list_staff(session: Session, store_id: uuid.UUID, *, include_inactive: bool = False) -> list[StaffInfo]:
    """The store's staff by name, the active ones only unless ``include_inactive``: the
    statements of core.staff_info, the ones the sign-in page's early read runs too."""
    _pending(session)
    return read_staff(lambda sql, params: session.execute(text(sql), params).all(), store_id,
                      include_inactive=include_inactive)


def get_staff(session: Session, staff_id: uuid.UUID) -> StaffInfo:
    s = get_or_not_found(session, Staff, staff_id, "staff member")
    return _info(s)


def find_by_number(session: Session, store_id: uuid.UUID, staff_number: str) -> StaffInfo:
    s = session.scalars(select(Staff).where(Staff.store_id == store_id,
                                            Staff.staff_number == staff_number.strip())).first()
    if s is None:
        raise NotFound("staff member")
    return _info(s)


def create_staff(session: Session, actor: Actor, *, display_name: str, role: Role | str, password: str,
                 pin: str | None = None, skills: list[str] | tuple[str, ...] = (),
                 staff_number: str | None = None, language: str | None = None) -> StaffInfo:
    require(actor, Perm.MANAGE_STAFF)
    errors: list[ValidationError] = []

    try:
        display_name = normalize_name(display_name, field="display_name")
    except ValidationError as e:
        errors.append(e)
    try:
        role = Role(role)
    except ValueError:
        errors.append(ValidationError("role", "is not a known role"))
    if isinstance(role, Role) and not may_manage(actor, role):
        errors.append(_above_own_role())
    checks: tuple[Callable[[], None], ...] = (lambda: _check_password(password), lambda: _check_pin(pin))
    for check in checks:
        try:
            check()
        except ValidationError as e:
            errors.append(e)
    if errors:
        raise ValidationErrors(errors)
    assert isinstance(role, Role)   # a role that does not parse is among the errors above
    if staff_number is None:
        highest = session.scalar(select(func.max(func.cast(Staff.staff_number, Integer)))
                                 .where(Staff.store_id == actor.store_id)) or 0
        staff_number = str(highest + 1)
    elif session.scalar(select(Staff.id).where(Staff.store_id == actor.store_id,
                                               Staff.staff_number == staff_number)):
        raise ValidationError("staff_number", "is already in use")
    s = Staff(store_id=actor.store_id, staff_number=staff_number, display_name=display_name, role=role.value,
              skills=sorted(set(skills)), password_hash=hash_password(password),
              pin_hash=hash_secret(pin) if pin else None, language=language)
    session.add(s)
    session.flush()
    audit.record(session, actor, "staff.created", "staff", s.id, detail=f"role={role.value}")
    return _info(s)


def _managed(session: Session, actor: Actor, staff_id: uuid.UUID) -> Staff:
    """The account ``actor`` is about to manage: of their own store, of a role not above theirs."""
    s = session.get(Staff, staff_id)
    if s is None or s.store_id != actor.store_id:
        raise NotFound("staff member")
    if not may_manage(actor, s.role):
        raise _above_own_role()
    return s


def set_pin(session: Session, actor: Actor, staff_id: uuid.UUID, pin: str | None) -> StaffInfo:
    """Set (or, with None, remove) a PIN: one's own, or that of staff one may manage.
    PIN hashes never leave the store, so a store that got its staff back from HQ sets new ones."""
    if staff_id != actor.staff_id:
        require(actor, Perm.MANAGE_STAFF)
    s = _managed(session, actor, staff_id)
    _check_pin(pin)
    s.pin_hash = hash_secret(pin) if pin else None
    session.flush()
    audit.record(session, actor, "staff.pin_set" if pin else "staff.pin_removed", "staff", s.id)
    return _info(s)


def set_password(session: Session, actor: Actor, staff_id: uuid.UUID, password: str) -> StaffInfo:
    """Set a password: one's own, or that of staff one may manage."""
    if staff_id != actor.staff_id:
        require(actor, Perm.MANAGE_STAFF)
    s = _managed(session, actor, staff_id)
    _check_password(password)
    s.password_hash = hash_password(password)
    session.flush()
    audit.record(session, actor, "staff.password_set", "staff", s.id)
    return _info(s)


def _other_active_admins(session: Session, store_id: uuid.UUID, staff_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(Staff).where(
        Staff.store_id == store_id, Staff.role == Role.ADMIN.value, Staff.active.is_(True),
        Staff.id != staff_id)) or 0


def change_role(session: Session, actor: Actor, staff_id: uuid.UUID, role: Role | str) -> StaffInfo:
    """Give an account another role; neither its current role nor the new one may rank
    above the actor's, and the store keeps at least one active admin."""
    require(actor, Perm.MANAGE_STAFF)
    try:
        new = Role(role)
    except ValueError:
        raise ValidationError("role", "is not a known role") from None
    s = _managed(session, actor, staff_id)
    if not may_manage(actor, new):
        raise _above_own_role()
    old = Role(s.role)
    if old == new:
        return _info(s)
    if old == Role.ADMIN and not _other_active_admins(session, s.store_id, s.id):
        raise ValidationError("role", "the store needs at least one active admin")
    s.role = new.value
    session.flush()
    audit.record(session, actor, "staff.role_changed", "staff", s.id, detail=f"{old.value}->{new.value}")
    return _info(s)


def set_active(session: Session, actor: Actor, staff_id: uuid.UUID, active: bool) -> StaffInfo:
    """Deactivate (the account can no longer sign in) or reactivate an account."""
    require(actor, Perm.MANAGE_STAFF)
    s = _managed(session, actor, staff_id)
    if not active and s.id == actor.staff_id:
        raise ValidationError("active", "you cannot deactivate your own account")
    if not active and s.role == Role.ADMIN.value and not _other_active_admins(session, s.store_id, s.id):
        raise ValidationError("active", "the store needs at least one active admin")
    if s.active != bool(active):
        s.active = bool(active)
        session.flush()
        audit.record(session, actor, "staff.reactivated" if active else "staff.deactivated", "staff", s.id)
    return _info(s)


# --- signing in ----------------------------------------------------------------------

def _state(session: Session, staff_id: uuid.UUID) -> SignInState:
    st = session.get(SignInState, staff_id)
    if st is None:
        st = SignInState(staff_id=staff_id, failed_pins=0, failed_passwords=0)
        session.add(st)
    return st


def _delay(failures: int) -> float:
    """Seconds to wait before the next try: nothing for the first slip, then doubling, capped."""
    return 0.0 if failures <= 1 else min(30.0, 0.5 * 2 ** (failures - 2))


def sign_in_status(session: Session, staff_id: uuid.UUID, now: datetime | None = None) -> SignInStatus:
    now = now or clock.now()
    st = session.get(SignInState, staff_id)
    if st is None:
        return SignInStatus(True, None, 0.0)
    locked = st.locked_until if st.locked_until and st.locked_until > now else None
    failures = st.failed_pins + st.failed_passwords
    wait = 0.0
    if st.last_failure_at and failures:
        wait = max(0.0, _delay(failures) - (now - st.last_failure_at).total_seconds())
    return SignInStatus(st.failed_pins < MAX_PIN_FAILURES, locked, wait)


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash(kind: str) -> str:
    """The hash of a random secret, made as a real one of this kind is (same algorithm and
    cost): checking a try at an account that does not exist against it does the same work
    as checking a wrong PIN or password."""
    found = _DUMMY_HASHES.get(kind)
    if found is None:
        secret = uuid.uuid4().hex
        found = _DUMMY_HASHES[kind] = hash_password(secret) if kind == "password" else hash_secret(secret)
    return found


def _wrong_pin(left: int) -> AuthenticationError:
    if left == 1:
        return AuthenticationError("wrong PIN; 1 try left before the PIN is blocked", left=left)
    return AuthenticationError("wrong PIN; {left} tries left before the PIN is blocked", left=left)


def _wrong_password(left: int) -> AuthenticationError:
    if left == 1:
        return AuthenticationError("wrong password; 1 try left before the account locks for {minutes} minutes",
                                   left=left, minutes=LOCK_MINUTES)
    return AuthenticationError("wrong password; {left} tries left before the account locks for {minutes} minutes",
                               left=left, minutes=LOCK_MINUTES)


# Failure counts for staff numbers (or ids) with no account behind them: the countdown, the
# slow-down and the lockout run on them exactly as on a real account's, so trying a number
# three times tells nothing about whether it exists. sign_in_state has a foreign key to
# staff (and no Staff row is ever made for a guess), so they live in memory, per database,
# the oldest forgotten past _MAX_PHANTOMS.
_PHANTOMS: OrderedDict[tuple[str, uuid.UUID], SignInState] = OrderedDict()
_PHANTOMS_LOCK = threading.Lock()
_MAX_PHANTOMS = 4096


def _phantom_state(session: Session, key: uuid.UUID) -> SignInState:
    where = (str(session.get_bind().engine.url), key)
    with _PHANTOMS_LOCK:
        st = _PHANTOMS.get(where)
        if st is None:
            st = _PHANTOMS[where] = SignInState(staff_id=key, failed_pins=0, failed_passwords=0)
            while len(_PHANTOMS) > _MAX_PHANTOMS:
                _PHANTOMS.popitem(last=False)
        _PHANTOMS.move_to_end(where)
        return st


def _phantom_key(store_id: uuid.UUID, staff_number: str) -> uuid.UUID:
    """The same key for the same unknown number at the same store, every time."""
    return uuid.uuid5(store_id, staff_number)


def authenticate(session: Session, staff_id: uuid.UUID | None, *, pin: str | None = None,
                 password: str | None = None, now: datetime | None = None) -> Actor:
    """Check a PIN or a password. Returns the Actor, or raises AuthenticationError /
    AccountLocked. The caller commits the session either way: failures must be kept.
    An unknown ``staff_id`` (or None) is refused as a wrong PIN or password is, counting
    down to the same blocks and lockout."""
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    return _authenticate(session, staff, staff_id or uuid.UUID(int=0), pin=pin, password=password, now=now)


def _authenticate(session: Session, staff: Staff | None, key: uuid.UUID, *, pin: str | None,
                  password: str | None, now: datetime | None) -> Actor:
    """One try at ``staff`` (None: no account; ``key`` then names its phantom counts). An
    unknown or inactive account answers like a real one with a wrong secret, after the same
    single hash check (a dummy hash of the same cost when there is none): the same words,
    the same countdown, slow-down and lockout."""
    now = now or clock.now()
    real = staff is not None and staff.active
    st = _state(session, staff.id) if staff is not None else _phantom_state(session, key)
    if st.locked_until and st.locked_until > now:
        raise AccountLocked("this account is locked; a manager can unlock it", until=st.locked_until)
    if st.last_failure_at:
        wait = _delay(st.failed_pins + st.failed_passwords) - (now - st.last_failure_at).total_seconds()
        if wait > 0:
            raise AuthenticationError("too many tries; wait {seconds} s and try again", seconds=int(wait) + 1)
    if pin is not None:
        if st.failed_pins >= MAX_PIN_FAILURES or (real and staff is not None and not staff.pin_hash):
            raise PinBlocked("the PIN is blocked after too many wrong tries: enter your full password")
        ok = verify_secret(pin, staff.pin_hash if staff is not None and staff.pin_hash else _dummy_hash("pin"))
        kind = "pin"
    elif password is not None:
        ok = verify_secret(password, staff.password_hash if staff is not None else _dummy_hash("password"))
        kind = "password"
    else:
        raise ValidationError("pin", "enter your PIN or password")
    if ok and staff is not None and not staff.active:
        # an inactive account's own secret: telling its owner so gives nothing away
        raise AuthenticationError("this account cannot sign in")
    if ok and staff is not None:
        st.failed_pins = st.failed_passwords = 0
        st.locked_until = st.last_failure_at = None
        if kind == "password" and password is not None and not password_cost_ok(staff.password_hash):
            staff.password_hash = hash_password(password)   # an older, cheaper hash: it roams to HQ
        info = _info(staff)
        audit.record(session, actor_for(info), "sign_in.ok", "staff", staff.id, detail=kind)
        return actor_for(info)
    st.last_failure_at = now
    # the trail names the account tried; a guess at no account has none to name
    trail = staff.id if staff is not None else None
    if kind == "pin":
        st.failed_pins += 1
        if trail is not None:
            audit.record(session, None, "sign_in.failed", "staff", trail, detail="pin", staff_id=trail)
        if st.failed_pins >= MAX_PIN_FAILURES:
            raise PinBlocked("wrong PIN; the PIN is now blocked: enter your full password")
        raise _wrong_pin(tries_left(st.failed_pins, "pin"))
    st.failed_passwords += 1
    if trail is not None:
        audit.record(session, None, "sign_in.failed", "staff", trail, detail="password", staff_id=trail)
    if st.failed_passwords >= MAX_PASSWORD_FAILURES:
        st.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        if trail is not None:
            audit.record(session, None, "sign_in.locked", "staff", trail, staff_id=trail)
        raise AccountLocked("too many wrong passwords; the account is locked for {minutes} minutes "
                            "or until a manager unlocks it", until=st.locked_until, minutes=LOCK_MINUTES)
    raise _wrong_password(tries_left(st.failed_passwords, "password"))


def authenticate_number(session: Session, store_id: uuid.UUID, staff_number: str, *, pin: str | None = None,
                        password: str | None = None, now: datetime | None = None) -> Actor:
    """Sign in by staff number (the report CLI): an unknown number is refused exactly as a
    wrong PIN or password is, and counts down as a real account does (its counts kept
    under uuid5(store, number); no account is made for it)."""
    number = (staff_number or "").strip()
    found = session.scalars(select(Staff).where(Staff.store_id == store_id, Staff.staff_number == number)).first()
    return _authenticate(session, found, _phantom_key(store_id, number), pin=pin, password=password, now=now)


def tries_left(failures: int, kind: str) -> int:
    """Wrong tries still allowed after ``failures`` of them: PINs before the PIN is blocked,
    passwords before the account locks. A wrong answer's message says it (``params["left"]``)."""
    limit = MAX_PIN_FAILURES if kind == "pin" else MAX_PASSWORD_FAILURES
    return max(0, limit - failures)


def unlock(session: Session, actor: Actor, staff_id: uuid.UUID) -> None:
    require(actor, Perm.UNLOCK_ACCOUNTS)
    _managed(session, actor, staff_id)     # unlocking a higher role would let its PIN be guessed again
    st = _state(session, staff_id)
    st.failed_pins = st.failed_passwords = 0
    st.locked_until = st.last_failure_at = None
    audit.record(session, actor, "sign_in.unlocked", "staff", staff_id)


@dataclass(frozen=True)
class LockedAccount:
    staff_id: uuid.UUID
    display_name: str
    locked_until: datetime | None
    pin_blocked: bool


def locked_accounts(session: Session, actor: Actor, now: datetime | None = None) -> list[LockedAccount]:
    """Accounts a manager may want to unlock: locked, or with the PIN blocked."""
    require(actor, Perm.UNLOCK_ACCOUNTS)
    now = now or clock.now()
    q = (select(Staff, SignInState).join(SignInState, SignInState.staff_id == Staff.id)
         .where(Staff.store_id == actor.store_id).order_by(Staff.display_name))
    out = []
    for s, st in session.execute(q):
        locked = st.locked_until if st.locked_until and st.locked_until > now else None
        if (locked or st.failed_pins >= MAX_PIN_FAILURES) and may_manage(actor, s.role):
            out.append(LockedAccount(s.id, s.display_name, locked, st.failed_pins >= MAX_PIN_FAILURES))
    return out
