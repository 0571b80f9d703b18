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
from core.vault import Vault

if TYPE_CHECKING:
    from core.db import StoreDatabase
    from core.vault import KdfParams

MIN_PASSPHRASE = 10
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
        audit.record(s, actor, "vault.recovery_key_set", "store_db", db.db_id,
                     detail="replaced" if had else "first")


__all__ = ["MIN_PASSPHRASE", "RotationRecord", "rotate_key", "set_key"]
