"""Console users: passwords (Argon2id at the vault's cost), the lockout, two-step sign-in
(TOTP, RFC 6238) and what an admin changes about other users. Every change is written
to the console's audit log (:mod:`hq.console.audit`) in the same transaction.

Refusals are :class:`ConsoleError` with an English message that the pages translate
(``hq.console.i18n``); a message never names a password, a code or a person.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from sqlalchemy import Engine, func, insert, select, update

from core.secrets_hash import hash_password, password_cost_ok, verify_secret
from hq.common import _now, _write
from hq.console import audit, roles
from hq.console.i18n import N_
from hq.models import hq_region, hq_user

MIN_PASSWORD = 12
MAX_PASSWORD = 256
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
TOTP_ISSUER = "Orchard HQ"
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}", re.ASCII)


class ConsoleError(Exception):
    """A refusal shown to the person at the console (translated there)."""

    def __init__(self, message: str, status: int = 400, **params: object):
        super().__init__(message)
        self.message = message
        self.status = status
        self.params = params


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    region_id: int | None
    active: bool
    totp: bool
    locked_until: datetime | None = None

    def can(self, permission: str) -> bool:
        return self.active and roles.allowed(self.role, permission)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > _now()


def aware(dt: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every stamp HQ writes is UTC."""
    return dt if dt is None or dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _user(row) -> User:
    return User(row.id, row.username, row.display_name, row.role, row.region_id, bool(row.active),
                bool(row.totp_secret), aware(row.locked_until))


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(hq_user).where(hq_user.c.id == user_id)).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(hq_user).order_by(hq_user.c.username))]


def normal_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.fullmatch(name):
        raise ConsoleError(N_("A username is 3 to 64 letters, digits, dots, dashes or underscores."))
    return name


def check_password(password: str, username: str = "") -> None:
    """Refuse a weak password with a message saying why."""
    if len(password) < MIN_PASSWORD:
        raise ConsoleError(N_("The password must be at least %(n)s characters long."), n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise ConsoleError(N_("The password must be at most %(n)s characters long."), n=MAX_PASSWORD)
    if username and username.lower() in password.lower():
        raise ConsoleError(N_("The password must not contain the username."))
    if len(set(password)) < 5:
        raise ConsoleError(N_("The password repeats too few different characters."))


def _check_role(conn, role: str, region_id: int | None) -> int | None:
    if role not in roles.ROLES:
        raise ConsoleError(N_("Choose a role."))
    if role in roles.REGION_SCOPED:
        if region_id is None or conn.execute(select(hq_region.c.id).where(hq_region.c.id == region_id)).first() \
                is None:
            raise ConsoleError(N_("A regional manager needs a region."))
        return region_id
    return None


def create_user(engine: Engine, username: str, display_name: str, role: str, password: str, *,
                region_id: int | None = None, by: int | None = None) -> int:
    name = normal_username(username)
    display = (display_name or "").strip() or name
    if len(display) > 120:
        raise ConsoleError(N_("A name is at most 120 characters."))
    check_password(password, name)
    hashed = hash_password(password)
    now = _now()
    with _write(engine) as conn, conn.begin():
        region_id = _check_role(conn, role, region_id)
        if conn.execute(select(hq_user.c.id).where(hq_user.c.username == name)).first():
            raise ConsoleError(N_("That username is taken."))
        user_id = int(conn.execute(insert(hq_user).values(
            username=name, display_name=display, role=role, region_id=region_id, password_hash=hashed,
            failed_count=0, active=True, created_at=now, password_changed_at=now)).inserted_primary_key[0])
        audit.record(conn, by, "user.create", name, f"role={role}" + (f" region={region_id}" if region_id else ""))
    return user_id


def _active_admins(conn, excluding: int) -> int:
    return int(conn.scalar(select(func.count()).select_from(hq_user).where(
        hq_user.c.role == roles.ADMIN, hq_user.c.active.is_(True), hq_user.c.id != excluding)) or 0)


def change_role(engine: Engine, user_id: int, role: str, region_id: int | None, *, by: int) -> None:
    with _write(engine) as conn, conn.begin():
        row = conn.execute(select(hq_user).where(hq_user.c.id == user_id)).first()
        if row is None:
            raise ConsoleError(N_("No such user."), 404)
        region_id = _check_role(conn, role, region_id)
        if row.role == roles.ADMIN and role != roles.ADMIN and row.active and _active_admins(conn, user_id) == 0:
            raise ConsoleError(N_("The chain needs at least one active admin."))
        conn.execute(update(hq_user).where(hq_user.c.id == user_id).values(role=role, region_id=region_id))
        audit.record(conn, by, "user.role", row.username,
                     f"role={row.role}->{role}" + (f" region={region_id}" if region_id else ""))


def set_active(engine: Engine, user_id: int, active: bool, *, by: int) -> None:
    """Deactivating a user signs them out everywhere at once."""
    from hq.console import sessions
    with _write(engine) as conn, conn.begin():
        row = conn.execute(select(hq_user).where(hq_user.c.id == user_id)).first()
        if row is None:
            raise ConsoleError(N_("No such user."), 404)
        if not active and user_id == by:
            raise ConsoleError(N_("You cannot deactivate yourself."))
        if not active and row.role == roles.ADMIN and _active_admins(conn, user_id) == 0:
            raise ConsoleError(N_("The chain needs at least one active admin."))
        conn.execute(update(hq_user).where(hq_user.c.id == user_id).values(active=active))
        if not active:
            sessions.end_user_sessions(conn, user_id)
        audit.record(conn, by, "user.activate" if active else "user.deactivate", row.username)


def set_password(engine: Engine, user_id: int, password: str, *, by: int, current: str | None = None,
                 keep_session: str | None = None) -> None:
    """A new password (checked); the user's other sessions end. ``current``: the person is
    changing their own password and must give the one they have."""
    from hq.console import sessions
    with engine.connect() as conn:
        row = conn.execute(select(hq_user).where(hq_user.c.id == user_id)).first()
    if row is None:
        raise ConsoleError(N_("No such user."), 404)
    if current is not None and not verify_secret(current, row.password_hash):
        raise ConsoleError(N_("The current password is not right."))
    check_password(password, row.username)
    hashed = hash_password(password)
    with _write(engine) as conn, conn.begin():
        conn.execute(update(hq_user).where(hq_user.c.id == user_id).values(
            password_hash=hashed, password_changed_at=_now(), failed_count=0, locked_until=None))
        sessions.end_user_sessions(conn, user_id, keep=keep_session)
        audit.record(conn, by, "user.password" if current is None else "account.password", row.username)


# --- signing in -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignIn:
    outcome: str            # "ok", "totp" (the code is still to come), "wrong", "locked"
    user_id: int | None = None


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # an unknown username costs what a known one does
    return hash_password(secrets.token_urlsafe(16))


def sign_in(engine: Engine, username: str, password: str) -> SignIn:
    """Check a username and password. Five failures in a row lock the account for 15
    minutes; while locked even the right password is refused (with "locked", never which
    part was wrong)."""
    name = (username or "").strip().lower()[:64]
    with engine.connect() as conn:
        row = conn.execute(select(hq_user).where(hq_user.c.username == name)).first()
    if row is None or not row.active:
        verify_secret(password[:MAX_PASSWORD], _decoy_hash())
        return SignIn("wrong")
    now = _now()
    locked = aware(row.locked_until)
    if locked is not None and locked > now:
        return SignIn("locked")
    if not verify_secret(password[:MAX_PASSWORD], row.password_hash):
        return _failed(engine, row.id, "sign_in.failed")
    values: dict[str, object] = {"failed_count": 0, "locked_until": None}
    if not password_cost_ok(row.password_hash):
        values["password_hash"] = hash_password(password)
    with _write(engine) as conn, conn.begin():
        conn.execute(update(hq_user).where(hq_user.c.id == row.id).values(**values))
        if not row.totp_secret:
            audit.record(conn, row.id, "sign_in", row.username)
    return SignIn("totp" if row.totp_secret else "ok", row.id)


def _failed(engine: Engine, user_id: int, action: str) -> SignIn:
    with _write(engine) as conn, conn.begin():
        row = conn.execute(select(hq_user.c.username, hq_user.c.failed_count)
                           .where(hq_user.c.id == user_id)).one()
        count = int(row.failed_count or 0) + 1
        if count >= MAX_FAILURES:
            conn.execute(update(hq_user).where(hq_user.c.id == user_id).values(
                failed_count=0, locked_until=_now() + LOCKOUT))
            audit.record(conn, None, "user.locked", row.username, f"after {count} failures")
            return SignIn("locked")
        conn.execute(update(hq_user).where(hq_user.c.id == user_id).values(failed_count=count))
        audit.record(conn, None, action, row.username)
    return SignIn("wrong")


def sign_in_code(engine: Engine, user_id: int, code: str) -> SignIn:
    """The second step: a 6-digit code from the user's authenticator (failures count
    towards the same lockout)."""
    with engine.connect() as conn:
        row = conn.execute(select(hq_user).where(hq_user.c.id == user_id)).first()
    if row is None or not row.active or not row.totp_secret:
        return SignIn("wrong")
    locked = aware(row.locked_until)
    if locked is not None and locked > _now():
        return SignIn("locked")
    if not totp_ok(row.totp_secret, code):
        return _failed(engine, row.id, "sign_in.code_failed")
    with _write(engine) as conn, conn.begin():
        conn.execute(update(hq_user).where(hq_user.c.id == row.id).values(failed_count=0, locked_until=None))
        audit.record(conn, row.id, "sign_in", row.username, "with code")
    return SignIn("ok", row.id)


# --- two-step sign-in (TOTP) ------------------------------------------------------------------

def new_totp_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _totp(secret: str) -> TOTP:
    return TOTP(base64.b32decode(secret), 6, SHA1(), 30, enforce_key_length=False)


def totp_uri(secret: str, username: str) -> str:
    return _totp(secret).get_provisioning_uri(username, TOTP_ISSUER)


def totp_now(secret: str, at: datetime | None = None) -> str:
    """The code an authenticator shows (tests use it)."""
    return _totp(secret).generate(int((at or _now()).timestamp())).decode("ascii")


def totp_ok(secret: str, code: str) -> bool:
    """A code of this 30-second step or the one either side (clocks drift)."""
    code = (code or "").strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{6}", code, re.ASCII):
        return False
    now = int(_now().timestamp())
    totp = _totp(secret)
    for step in (0, -30, 30):
        try:
            totp.verify(code.encode("ascii"), now + step)
            return True
        except InvalidToken:
            continue
    return False


def enable_totp(engine: Engine, user_id: int, secret: str, code: str) -> None:
    try:
        valid = len(base64.b32decode(secret)) >= 20
    except ValueError:
        valid = False
    if not valid:
        raise ConsoleError(N_("Start setting up two-step sign-in again."))
    if not totp_ok(secret, code):
        raise ConsoleError(N_("That code is not right; check the authenticator's clock and try again."))
    with _write(engine) as conn, conn.begin():
        name = conn.scalar(select(hq_user.c.username).where(hq_user.c.id == user_id))
        conn.execute(update(hq_user).where(hq_user.c.id == user_id).values(totp_secret=secret))
        audit.record(conn, user_id, "account.totp_on", str(name))


def disable_totp(engine: Engine, user_id: int, password: str) -> None:
    with engine.connect() as conn:
        row = conn.execute(select(hq_user).where(hq_user.c.id == user_id)).one()
    if not verify_secret(password[:MAX_PASSWORD], row.password_hash):
        raise ConsoleError(N_("The current password is not right."))
    with _write(engine) as conn, conn.begin():
        conn.execute(update(hq_user).where(hq_user.c.id == user_id).values(totp_secret=None))
        audit.record(conn, user_id, "account.totp_off", row.username)
