"""A locked-out admin: a new password set with the recovery key or a one-time HQ reset code.

When the store's only admin is locked out or has forgotten the password, nobody can
sign in to set a new one. Whoever holds the store's recovery key (printed at set-up), or
a one-time reset code HQ issued for this store (:mod:`core.recovery.hq_codes`), may set a
new password on an active admin; the account is unlocked and its PIN unblocked. Both
the reset and every refused try are audited, never with the code.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from core import audit, staff as staff_mod
from core.errors import ValidationError, WrongKey
from core.models import SignInState, Staff, SyncState
from core.permissions import Role
from core.recovery import hq_codes
from core.recovery.codes import FIELD as RECOVERY_FIELD
from core.recovery.store import candidates, enabled
from core.secrets_hash import hash_password

if TYPE_CHECKING:
    from core.db import StoreDatabase

HQ_FIELD = "hq_reset_code"
USED_PREFIX = "admin_reset.used."          # + the code's id: a used HQ reset code


class _Refused(ValidationError):
    """A refusal worth a line in the audit trail (``kind``: why, in a word)."""

    def __init__(self, field: str, reason: str, *, kind: str, **params: object):
        super().__init__(field, reason, **params)
        self.kind = kind


def _check_recovery_code(db: StoreDatabase, code: str) -> None:
    if not enabled(db.path):
        raise ValidationError(RECOVERY_FIELD, "this store database has no recovery key")
    try:
        candidates(db.path, code)
    except WrongKey:
        raise _Refused(RECOVERY_FIELD, "this recovery key does not open this store database",
                       kind="wrong_recovery_key") from None


def _check_hq_code(db: StoreDatabase, text: str, now: datetime) -> str:
    """The id of a valid, unused HQ reset code of this store."""
    from core.sync import credentials
    credential = credentials.load(db)
    if not credential:
        raise ValidationError(HQ_FIELD, "this store is not enrolled with HQ; use the recovery key")
    try:
        code = hq_codes.verify(hq_codes.key_from_credential(credential), text)
    except hq_codes.BadResetCode:
        raise _Refused(HQ_FIELD, "this reset code is not valid for this store; check it, or ask HQ for a new one",
                       kind="invalid_hq_code") from None
    if code.expired(now):
        raise _Refused(HQ_FIELD, "this reset code has expired; ask HQ for a new one",
                       kind="expired_hq_code")
    with db.session() as s:
        if s.get(SyncState, USED_PREFIX + code.id) is not None:
            raise _Refused(HQ_FIELD, "this reset code was already used; ask HQ for a new one",
                       kind="used_hq_code")
    return code.id


def reset_admin(db: StoreDatabase, *, code: str | None, hq_reset_code: str | None, staff_number: str,
                new_password: str, now: datetime) -> None:
    """Set ``new_password`` on the active admin with ``staff_number`` and unlock the
    account, proven by the store's recovery key ``code`` or a one-time ``hq_reset_code``
    (exactly one). ValidationError naming the field otherwise ("recovery_code",
    "hq_reset_code", "staff_number", "new_password"). Audited ("staff.admin_reset",
    detail "recovery_key" or "hq_code"); refused tries too ("staff.admin_reset_refused")."""
    code, hq_reset_code = (code or "").strip() or None, (hq_reset_code or "").strip() or None
    if code and hq_reset_code:
        raise ValidationError(HQ_FIELD, "enter the recovery key or a reset code from HQ, not both")
    if not code and not hq_reset_code:
        raise ValidationError(RECOVERY_FIELD, "enter the recovery key or a reset code from HQ")
    if len(new_password or "") < staff_mod.MIN_PASSWORD:
        raise ValidationError("new_password", "must be at least {n} characters", n=staff_mod.MIN_PASSWORD)
    number = (staff_number or "").strip()
    if not number:
        raise ValidationError("staff_number", "enter the administrator's staff number")
    try:
        if code:
            _check_recovery_code(db, code)
            method, used = "recovery_key", None
        else:
            assert hq_reset_code is not None
            used = _check_hq_code(db, hq_reset_code, now)
            method = "hq_code"
    except _Refused as refused:
        with db.session(write=True) as s:
            audit.record(s, None, "staff.admin_reset_refused", "store_db", db.db_id, detail=refused.kind)
        raise
    with db.session(write=True) as s:
        store = staff_mod.current_store(s)
        admin = s.scalars(select(Staff).where(Staff.store_id == store.id, Staff.staff_number == number)).first() \
            if store is not None else None
        if admin is None or admin.role != Role.ADMIN.value or not admin.active:
            raise ValidationError("staff_number", "this is not the staff number of an active admin")
        if used is not None:
            if s.get(SyncState, USED_PREFIX + used) is not None:     # used meanwhile, by another window
                raise ValidationError(HQ_FIELD, "this reset code was already used; ask HQ for a new one")
            s.add(SyncState(key=USED_PREFIX + used, value=now.isoformat(timespec="seconds")))
        admin.password_hash = hash_password(new_password)
        state = s.get(SignInState, admin.id)
        if state is not None:
            state.failed_pins = state.failed_passwords = 0
            state.locked_until = state.last_failure_at = None
        s.flush()
        audit.record(s, None, "staff.admin_reset", "staff", admin.id, detail=method, staff_id=admin.id)


__all__ = ["HQ_FIELD", "reset_admin"]
