"""A backup's own key, and the two ways back to it.

Every backup is encrypted under a fresh random key. Its sidecar keeps that key twice:

- wrapped (AES-256-GCM) under the *backup master key*, a random key made once and kept
  inside the encrypted store database (``sync_state`` "backup.master"). Every backup holds
  the master too, so any database of the line (this one, one restored from a backup, one
  whose key was rotated since) opens every backup of it without the recovery key;
- sealed to the store's recovery public key (:mod:`core.recovery`), when the store has
  one: with the printed code a backup opens even when the database and this computer's
  keyring are gone.

Neither is the database key, so rotating the database key never strands a backup.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from core.models import SyncState

if TYPE_CHECKING:
    from core.db import StoreDatabase

MASTER_KEY = "backup.master"
KEY_BYTES = 32
RECOVERY_PURPOSE = "backup-key"


class KeyNotOpened(ValueError):
    """The wrapped key does not open with this master key or code (says no more)."""


def master_key(db: StoreDatabase, *, create: bool = True) -> bytes | None:
    """The backup master key of this database, made on first use (committed before any
    backup is copied from the file, so every backup holds it too)."""
    with db.session(write=create) as s:
        return _master_key(s, create)


def _master_key(session: Session, create: bool) -> bytes | None:
    row = session.get(SyncState, MASTER_KEY)
    if row is not None:
        try:
            key = bytes.fromhex(row.value)
            if len(key) == KEY_BYTES:
                return key
        except ValueError:
            pass
    if not create:
        return None
    key = secrets.token_bytes(KEY_BYTES)
    if row is None:
        session.add(SyncState(key=MASTER_KEY, value=key.hex()))
    else:
        row.value = key.hex()
    session.flush()
    return key


def new_backup_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _aad(db_id: str) -> bytes:
    return f"orchard-backup-key/1|{db_id}".encode()


def wrap(master: bytes, key: bytes, db_id: str) -> dict[str, str]:
    nonce = secrets.token_bytes(12)
    box = AESGCM(master).encrypt(nonce, key, _aad(db_id))
    return {"nonce": base64.b64encode(nonce).decode(), "box": base64.b64encode(box).decode()}


def unwrap(master: bytes, wrapped: Any, db_id: str) -> bytes:
    try:
        nonce = base64.b64decode(wrapped["nonce"], validate=True)
        box = base64.b64decode(wrapped["box"], validate=True)
        return AESGCM(master).decrypt(nonce, box, _aad(db_id))
    except (InvalidTag, KeyError, TypeError, ValueError):
        raise KeyNotOpened("not opened") from None


def seal_for_recovery(db_path: Path, key: bytes) -> dict[str, Any] | None:
    """``key`` sealed to the store's recovery public key; None when the store has none."""
    from core.recovery import recovery_public_key, seal
    try:
        public = recovery_public_key(db_path)
    except Exception:  # noqa: BLE001 - no readable meta: the master key is the way back
        return None
    return seal(public, key, RECOVERY_PURPOSE) if public else None


def open_with_code(code: str, sealed: Any) -> bytes:
    """The backup key sealed in ``sealed``, opened with the recovery code. ValidationError
    for a mistyped code; KeyNotOpened for a code that is not this store's."""
    from core.recovery import SealError, open_sealed
    if not isinstance(sealed, dict):
        raise KeyNotOpened("not sealed")
    try:
        return open_sealed(code, sealed, RECOVERY_PURPOSE)
    except SealError:
        raise KeyNotOpened("not opened") from None
