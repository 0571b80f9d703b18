"""An admin's key work, checked and audited in the core (core.recovery.keys): changing the
database key, and a new recovery key that takes effect only once the admin confirms it is
stored, so a code shown and then abandoned (the dialog closed, the counter locked) leaves
the old code working."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from core import recovery
from core.db import StoreDatabase
from core.errors import PermissionDenied, ValidationError, WrongKey
from core.models import AuditEvent
from core.permissions import Actor, Role
from core.vault import DbMeta
from tests.conftest import FAST_KDF

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
NEW_PASSPHRASE = "blossom-orchard-2026"


def _audit(db: StoreDatabase, action: str) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def _files(path: Path) -> dict[str, str]:
    """The database file and its meta, by content."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (path, path.with_name(path.name + ".meta.json"))}


def _manager(store_id: uuid.UUID) -> Actor:
    return Actor(uuid.uuid4(), store_id, Role.MANAGER, "Mia Manager")


# --- changing the database key ----------------------------------------------------------------------

def test_a_manager_may_not_change_the_database_key_and_nothing_changes(db, store_setup):
    _, store_id, _ = store_setup
    before = DbMeta.load(db.path).key_check
    with pytest.raises(PermissionDenied):
        recovery.rotate_key(db, _manager(store_id), new_passphrase=NEW_PASSPHRASE, now=NOW, kdf=FAST_KDF)
    assert DbMeta.load(db.path).key_check == before
    assert _audit(db, "vault.rotated") == []
    db.close()
    StoreDatabase.open(db.path, passphrase="test-passphrase").close()       # the old passphrase still opens it


def test_an_admin_changes_the_key_and_the_change_is_audited_without_secrets(db, store_setup):
    _, _, admin = store_setup
    code = recovery.new_code()
    recovery.set_key(db, admin, code)
    old_check = DbMeta.load(db.path).key_check
    with pytest.raises(ValidationError) as short:
        recovery.rotate_key(db, admin, new_passphrase="too short", now=NOW, kdf=FAST_KDF)
    assert short.value.field == "passphrase" and DbMeta.load(db.path).key_check == old_check

    record = recovery.rotate_key(db, admin, new_passphrase=NEW_PASSPHRASE, now=NOW, kdf=FAST_KDF)
    meta = DbMeta.load(db.path)
    assert meta.key_check != old_check and meta.pending is None
    assert record == recovery.RotationRecord(when=NOW, who="Ada Admin", key_check=meta.key_check[:16])
    [entry] = _audit(db, "vault.rotated")
    assert entry.staff_id == admin.staff_id and entry.entity_id == db.db_id
    assert record.key_check in entry.detail
    assert NEW_PASSPHRASE not in entry.detail and "test-passphrase" not in entry.detail
    assert code not in entry.detail and db._key.hex() not in entry.detail
    path = db.path
    db.close()
    with pytest.raises(WrongKey):
        StoreDatabase.open(path, passphrase="test-passphrase")
    StoreDatabase.open(path, passphrase=NEW_PASSPHRASE).close()
    assert recovery.unseal(path, code), "the recovery key keeps working after the change"


# --- a new recovery key, in two steps ------------------------------------------------------------------

def test_a_recovery_key_shown_but_never_confirmed_changes_nothing_and_the_old_one_still_opens(db, store_setup):
    _, _, admin = store_setup
    old = recovery.new_code()
    recovery.set_key(db, admin, old)
    path = db.path
    before = _files(path)
    shown = recovery.new_code()                 # on the screen; the dialog is closed before "stored"
    assert shown != old
    assert _files(path) == before, "making a code writes nothing"
    db.close()
    with pytest.raises(WrongKey):
        recovery.unseal(path, shown)
    key = recovery.unseal(path, old)
    reopened = StoreDatabase.recover(path, code=old, store_in_keyring=False)
    try:
        assert reopened._key == key
        assert [e.detail for e in _audit(reopened, "vault.recovery_key_set")] == ["first"]
    finally:
        reopened.close()


def test_a_confirmed_recovery_key_replaces_the_old_one_audited_without_the_code(db, store_setup):
    _, store_id, admin = store_setup
    old, new = recovery.new_code(), recovery.new_code()
    recovery.set_key(db, admin, old)
    with pytest.raises(PermissionDenied):
        recovery.set_key(db, _manager(store_id), new)
    assert recovery.unseal(db.path, old) == db._key
    typo = new[:12] + ("7" if new[12] != "7" else "8") + new[13:]
    before = _files(db.path)
    with pytest.raises(ValidationError) as mistyped:
        recovery.set_key(db, admin, typo)
    assert mistyped.value.field == recovery.FIELD and _files(db.path) == before

    recovery.set_key(db, admin, new)                # the admin confirmed it is stored
    assert recovery.unseal(db.path, new) == db._key
    with pytest.raises(WrongKey):
        recovery.unseal(db.path, old)
    entries = _audit(db, "vault.recovery_key_set")
    assert [(e.staff_id, e.detail) for e in entries] == [(admin.staff_id, "first"), (admin.staff_id, "replaced")]
    assert not any(c in e.detail for e in entries for c in (old, new))
