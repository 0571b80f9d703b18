"""An admin's work on the store's keys: changing the database key, and setting a new recovery key.

Both are admin-only (``Perm.MANAGE_STORE``) and audited here, so every caller (Settings,
the command line, a test) gets the same check and the same trail. Neither audit entry
holds a secret: no passphrase, no key, no recovery code (the key check is the public
fingerprint the meta file beside the database already shows).

A new recovery key is two steps, so it never takes effect before the admin has it:
:func:`core.recovery.new_code` makes a code and changes nothing; only :func:`set_key`,
called once the admin confirms the code is stored, puts it in force (the old code stops
working then, and not before). A code shown and then abandoned (the dialog closed, the
counter locked) changes nothing: the old code keeps working.

A store's first recovery key is made by the set-up (core.setup), which marks it
unconfirmed (:data:`UNCONFIRMED`, in sync_state) until the person setting up ticks "I have
stored the recovery key" (:func:`confirm_stored`). While the mark is there (set-up closed
on the key's page, or ``orchard setup`` with its sheet only written to a file), the admin
is told and offered a new key; :func:`set_key` (a key confirmed as stored) clears it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core import audit
from core.errors import ValidationError
from core.permissions import Actor, Perm, require
from core.recovery.codes import normalise
from core.recovery.store import enabled
from core.sync.apply import get_state, set_state
from core.vault import Vault

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.db import StoreDatabase
    from core.vault import KdfParams

MIN_PASSPHRASE = 10
UNCONFIRMED = "recovery.unconfirmed"    # sync_state: nobody has confirmed the recovery key is stored
CHECK_CHARS = 16            # how much of the key check the record and the audit entry show


@dataclass(frozen=True)
class RotationRecord:
    """What the printed record of a key change says: when, by whom, and the new key's check."""

    when: datetime
    who: str
    key_check: str


def rotate_key(db: StoreDatabase, actor: Actor, *, new_passphrase: str | None = None, now: datetime,
               kdf: KdfParams | None = None) -> RotationRecord:
    """Re-encrypt the store database under a new key (admins only): a new random key kept
    in the keyring, or, with ``new_passphrase``, a key derived from it. Crash-safe (the
    vault's rotation steps); the recovery key keeps working. Run it where nothing else
    uses the file meanwhile (the database thread). Audited ("vault.rotated")."""
    require(actor, Perm.MANAGE_STORE)
    if new_passphrase is not None and len(new_passphrase) < MIN_PASSPHRASE:
        raise ValidationError("passphrase", "must be at least {n} characters", n=MIN_PASSPHRASE)
    db.rekey(new_passphrase, kdf)
    meta = Vault(db.path).meta
    check = meta.key_check[:CHECK_CHARS]
    with db.session(write=True) as s:
        audit.record(s, actor, "vault.rotated", "store_db", db.db_id,
                     detail=f"source={meta.key_source} key_check={check}")
    return RotationRecord(when=now, who=actor.display_name, key_check=check)


def set_key(db: StoreDatabase, actor: Actor, code: str) -> None:
    """Put the recovery key ``code`` (from :func:`core.recovery.new_code`, shown to the
    admin, who confirmed it is stored) in force (admins only): the database key is sealed
    to it and the previous code stops working. A mistyped code is refused
    (ValidationError naming "recovery_code"). Audited ("vault.recovery_key_set", detail
    "first" or "replaced"; never the code)."""
    require(actor, Perm.MANAGE_STORE)
    normalise(code)                     # a damaged code is refused before anything changes
    had = enabled(db.path)
    db.enable_recovery(code)
    with db.session(write=True) as s:
        set_state(s, UNCONFIRMED, None)        # the admin confirmed this one is stored
        audit.record(s, actor, "vault.recovery_key_set", "store_db", db.db_id,
                     detail="replaced" if had else "first")


def mark_unconfirmed(session: Session) -> None:
    """The store's recovery key was made but nobody has yet confirmed it is stored."""
    set_state(session, UNCONFIRMED, "1")


def unconfirmed(session: Session) -> bool:
    """Whether nobody has confirmed that the store's recovery key is stored."""
    return get_state(session, UNCONFIRMED) is not None


def confirm_stored(session: Session, actor: Actor | None) -> None:
    """The recovery key is stored: the set-up's tick (``actor`` None: nobody is signed in
    yet), or an admin saying so when reminded (admins only, audited
    "vault.recovery_key_confirmed")."""
    if actor is not None:
        require(actor, Perm.MANAGE_STORE)
    was = unconfirmed(session)
    set_state(session, UNCONFIRMED, None)
    if actor is not None and was:
        audit.record(session, actor, "vault.recovery_key_confirmed", "store_db", None)


__all__ = ["MIN_PASSPHRASE", "UNCONFIRMED", "RotationRecord", "confirm_stored", "mark_unconfirmed", "rotate_key",
           "set_key", "unconfirmed"]
