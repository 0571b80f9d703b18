"""The store's recovery key (issue 24): a second way to the database key, and to a locked-out admin.

At set-up the app shows and prints a code (:func:`new_code`: 6 groups of 5 Crockford
base32 characters, 130 random bits and 4 check characters). The code derives an X25519
key pair; the database's meta keeps only the public half, with the database key sealed
to it (:func:`enable`), and the vault seals every later key of a rotation to the same
public key, so the printed code keeps working. When the OS keyring loses the key
(``KeyringLost`` on open), ``StoreDatabase.recover(path, code=...)`` opens the store with
it (:func:`unseal`) and puts the key back. The same code, or a one-time reset code from HQ,
sets a new password on a locked-out admin (:func:`reset_admin`). An admin changes the
database key (:func:`rotate_key`) or sets a new recovery key in two steps: :func:`new_code`
changes nothing, :func:`set_key` (once the admin has stored the code) puts it in force.
A set-up's key stays :func:`unconfirmed` until someone confirms it is stored.

Modules: ``codes`` (the code's format and typo check), ``sealing`` (X25519 + HKDF +
AES-GCM boxes), ``store`` (a database file's recovery block), ``hq_codes`` (HQ's signed
reset codes, shared with ``hq.admin_reset``), ``admin`` (the admin reset), ``keys`` (key
rotation and a new recovery key, admins only, audited). No Qt here.
"""

from __future__ import annotations

from core.recovery.admin import HQ_FIELD, reset_admin
from core.recovery.codes import FIELD, new_code, normalise
from core.recovery.keys import (
    RotationRecord, confirm_stored, mark_unconfirmed, rotate_key, set_key, unconfirmed,
)
from core.recovery.sealing import SealError, open_sealed, seal
from core.recovery.store import candidates, enable, enabled, recovery_public_key, unseal

__all__ = ["FIELD", "HQ_FIELD", "RotationRecord", "SealError", "candidates", "confirm_stored", "enable", "enabled",
           "mark_unconfirmed", "new_code", "normalise", "open_sealed", "recovery_public_key", "reset_admin",
           "rotate_key", "seal", "set_key", "unconfirmed", "unseal"]
