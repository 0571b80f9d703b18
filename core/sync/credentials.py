"""Where this store keeps its HQ credential.

In the OS keyring when there is a real one (under the database's id, so two store
databases on one machine keep their own).  Where the keyring is unusable (no D-Bus
session, only a plaintext backend; see :func:`core.vault.keyring_usable`), inside the
encrypted store database instead, in its local ``sync_state`` table: never in a
plaintext file.  HQ keeps only a hash of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import keyring
import keyring.errors
from sqlalchemy import Connection, delete, insert, select, update

from core.errors import VaultError
from core.models import SyncState
from core.vault import keyring_usable

if TYPE_CHECKING:
    from core.db import StoreDatabase

KEYRING_SERVICE = "orchard-hq"
STATE_KEY = "hq.credential"


def _user(db: StoreDatabase, store_id: str) -> str:
    # the database id alone is shared by copies of one file (a restored backup, a
    # template); with the store id each enrolled store has its own entry
    return f"store-db-{db.db_id}/{store_id}"


def _store_id(db: StoreDatabase) -> str | None:
    with db.session() as s:
        return s.scalar(select(SyncState.value).where(SyncState.key == "hq.store_id"))


def _set_state(conn: Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute(delete(SyncState).where(SyncState.key == key))
        return
    if conn.execute(select(SyncState.key).where(SyncState.key == key)).first():
        conn.execute(update(SyncState).where(SyncState.key == key).values(value=value))
    else:
        conn.execute(insert(SyncState).values(key=key, value=value))


def save(db: StoreDatabase, store_id: str, credential: str) -> str:
    """Keep ``credential`` of ``store_id``; returns where ("keyring" or "database")."""
    if keyring_usable():
        try:
            keyring.set_password(KEYRING_SERVICE, _user(db, store_id), credential)
        except keyring.errors.KeyringError as exc:
            raise VaultError("the OS keyring refused the HQ credential ({error})", error=type(exc).__name__) from None
        with db.session(write=True) as s:
            _set_state(s.connection(), STATE_KEY, None)
        return "keyring"
    with db.session(write=True) as s:
        _set_state(s.connection(), STATE_KEY, credential)
    return "database"


def load(db: StoreDatabase) -> str | None:
    """The credential, or ``None`` when this store has not enrolled."""
    with db.session() as s:
        stored = s.scalar(select(SyncState.value).where(SyncState.key == STATE_KEY))
    if stored:
        return stored
    store_id = _store_id(db)
    if store_id and keyring_usable():
        try:
            return keyring.get_password(KEYRING_SERVICE, _user(db, store_id))
        except keyring.errors.KeyringError:
            return None
    return None


def keyring_forgetter(db: StoreDatabase) -> Callable[[], None]:
    """What forgets this store's credential in the keyring once its database is closed
    (set-up's undo after the file was closed for its move into place)."""
    store_id = _store_id(db)
    user = _user(db, store_id) if store_id else None

    def forget_entry() -> None:
        if user is None:
            return
        try:
            keyring.delete_password(KEYRING_SERVICE, user)
        except keyring.errors.KeyringError:
            pass
    return forget_entry


def forget(db: StoreDatabase) -> None:

    store_id = _store_id(db)
    with db.session(write=True) as s:
        _set_state(s.connection(), STATE_KEY, None)
    if store_id:
        try:
            keyring.delete_password(KEYRING_SERVICE, _user(db, store_id))
        except keyring.errors.KeyringError:
            pass
