"""Staff accounts, the store they belong to, and signing in.

Sign-in rules (per account, kept in the database so they survive a restart):
after 5 wrong PINs the PIN stops working and the full password is needed; after
10 wrong passwords the account locks for 30 minutes or until a manager unlocks it;
each failure makes the next try wait a little longer.  Every failure and lockout is
audited, without the secret tried.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from core import audit, clock, money
from core.errors import (
    AccountLocked, AuthenticationError, NotFound, PinBlocked, ValidationError, ValidationErrors,
)
from core.lookup import get_or_not_found
from core.models import SignInState, Staff, Store
from core.permissions import Actor, Perm, Role, require
from core.secrets_hash import hash_secret, verify_secret
from core.validation import normalize_name

if TYPE_CHECKING:
    from core.db import StoreDatabase


MAX_PIN_FAILURES = 5
MAX_PASSWORD_FAILURES = 10
LOCK_MINUTES = 30
MIN_PASSWORD = 8


@dataclass(frozen=True)
class StaffInfo:
    id: uuid.UUID
    store_id: uuid.UUID
    staff_number: str
    display_name: str
    role: Role
    skills: tuple[str, ...]
    has_pin: bool
    active: bool
    language: str | None


@dataclass(frozen=True)
class StoreInfo:
    id: uuid.UUID
    code: str
    name: str
    timezone: str
    country: str
    currency: str


@dataclass(frozen=True)
class SignInStatus:
    """What the sign-in screen needs to know before the user types."""

    pin_allowed: bool
    locked_until: datetime | None
    delay_seconds: float


def _info(s: Staff) -> StaffInfo:
    return StaffInfo(s.id, s.store_id, s.staff_number, s.display_name, Role(s.role), tuple(s.skills or ()),
                     bool(s.pin_hash), s.active, s.language)


def _store_info(s: Store) -> StoreInfo:
    return StoreInfo(s.id, s.code, s.name, s.timezone, s.country, s.currency)


def _check_pin(pin: str | None, field: str = "pin") -> None:
    if pin is not None and (not pin.isdigit() or not 4 <= len(pin) <= 8):
        raise ValidationError(field, "must be 4 to 8 digits")


def _check_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(field, "must be at least {n} characters", n=MIN_PASSWORD)


def actor_for(info: StaffInfo) -> Actor:
    return Actor(staff_id=info.id, store_id=info.store_id, role=info.role, display_name=info.display_name)


# --- the store ---------------------------------------------------------------------

OWN_STORE_KEY = "store.id"


def current_store(session: Session) -> StoreInfo | None:
    """The store this database belongs to. After sync the database also holds other
    stores' rows, so the store is remembered by id from the first run (or enrolment)."""
    from core.models import SyncState
    own = session.get(SyncState, OWN_STORE_KEY)
    store = session.get(Store, uuid.UUID(own.value)) if own else None
    if store is None:   # before enrolment: the only store there is
        store = session.scalars(select(Store).order_by(Store.created_at).limit(1)).first()
    return _store_info(store) if store else None


def bootstrap_store(db: StoreDatabase, *, code: str, name: str, timezone: str, country: str,
                    admin_name: str, admin_password: str, admin_pin: str | None, currency: str = "USD",
                    opening_hours: dict[str, Any] | None = None) -> tuple[StoreDatabase, uuid.UUID, Actor]:
    """First run: create the store and its first admin. Refused once a store exists."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
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
        store = Store(code=code, name=name, timezone=timezone, country=country.upper(), currency=currency,
                      opening_hours=opening_hours or {d: ["09:00", "19:00"] for d in
                                                      ("mon", "tue", "wed", "thu", "fri", "sat")},
                      tax_rate=str(tax.rate), tax_inclusive=tax.inclusive, tax_label=tax.label)
        s.add(store)
        s.flush()
        admin = Staff(store_id=store.id, staff_number="1", display_name=normalize_name(admin_name, field="admin_name"),
                      role=Role.ADMIN.value, skills=[], password_hash=hash_secret(admin_password),
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
    q = select(Staff).where(Staff.store_id == store_id).order_by(Staff.display_name)
    if not include_inactive:
        q = q.where(Staff.active.is_(True))
    return [_info(s) for s in session.scalars(q)]


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
    if role == Role.ADMIN and actor.role != Role.ADMIN:
        errors.append(ValidationError("role", "only an admin may create another admin"))
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
              skills=sorted(set(skills)), password_hash=hash_secret(password),
              pin_hash=hash_secret(pin) if pin else None, language=language)
    session.add(s)
    session.flush()
    audit.record(session, actor, "staff.created", "staff", s.id, detail=f"role={role.value}")
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


def authenticate(session: Session, staff_id: uuid.UUID, *, pin: str | None = None,
                 password: str | None = None, now: datetime | None = None) -> Actor:
    """Check a PIN or a password. Returns the Actor, or raises AuthenticationError /
    AccountLocked. The caller commits the session either way: failures must be kept."""
    now = now or clock.now()
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise AuthenticationError("this account cannot sign in")
    st = _state(session, staff_id)
    if st.locked_until and st.locked_until > now:
        raise AccountLocked("this account is locked; a manager can unlock it", until=st.locked_until)
    if st.last_failure_at:
        wait = _delay(st.failed_pins + st.failed_passwords) - (now - st.last_failure_at).total_seconds()
        if wait > 0:
            raise AuthenticationError("too many tries; wait {seconds} s and try again", seconds=int(wait) + 1)
    if pin is not None:
        if st.failed_pins >= MAX_PIN_FAILURES or not staff.pin_hash:
            raise PinBlocked("the PIN is blocked after too many wrong tries: enter your full password")
        ok = verify_secret(pin, staff.pin_hash)
        kind = "pin"
    elif password is not None:
        ok = verify_secret(password, staff.password_hash)
        kind = "password"
    else:
        raise ValidationError("pin", "enter your PIN or password")
    if ok:
        st.failed_pins = st.failed_passwords = 0
        st.locked_until = st.last_failure_at = None
        info = _info(staff)
        audit.record(session, actor_for(info), "sign_in.ok", "staff", staff_id, detail=kind)
        return actor_for(info)
    st.last_failure_at = now
    if kind == "pin":
        st.failed_pins += 1
        audit.record(session, None, "sign_in.failed", "staff", staff_id, detail="pin",
                     staff_id=staff_id)
        if st.failed_pins >= MAX_PIN_FAILURES:
            raise PinBlocked("wrong PIN; the PIN is now blocked: enter your full password")
        left = tries_left(st.failed_pins, "pin")
        if left == 1:
            raise AuthenticationError("wrong PIN; 1 try left before the PIN is blocked", left=left)
        raise AuthenticationError("wrong PIN; {left} tries left before the PIN is blocked", left=left)
    st.failed_passwords += 1
    audit.record(session, None, "sign_in.failed", "staff", staff_id, detail="password", staff_id=staff_id)
    if st.failed_passwords >= MAX_PASSWORD_FAILURES:
        st.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        audit.record(session, None, "sign_in.locked", "staff", staff_id, staff_id=staff_id)
        raise AccountLocked("too many wrong passwords; the account is locked for {minutes} minutes "
                            "or until a manager unlocks it", until=st.locked_until, minutes=LOCK_MINUTES)
    left = tries_left(st.failed_passwords, "password")
    if left == 1:
        raise AuthenticationError("wrong password; 1 try left before the account locks for {minutes} minutes",
                                  left=left, minutes=LOCK_MINUTES)
    raise AuthenticationError("wrong password; {left} tries left before the account locks for {minutes} minutes",
                              left=left, minutes=LOCK_MINUTES)


def tries_left(failures: int, kind: str) -> int:
    """Wrong tries still allowed after ``failures`` of them: PINs before the PIN is blocked,
    passwords before the account locks. A wrong answer's message says it (``params["left"]``)."""
    limit = MAX_PIN_FAILURES if kind == "pin" else MAX_PASSWORD_FAILURES
    return max(0, limit - failures)


def unlock(session: Session, actor: Actor, staff_id: uuid.UUID) -> None:
    require(actor, Perm.UNLOCK_ACCOUNTS)
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
        if locked or st.failed_pins >= MAX_PIN_FAILURES:
            out.append(LockedAccount(s.id, s.display_name, locked, st.failed_pins >= MAX_PIN_FAILURES))
    return out
