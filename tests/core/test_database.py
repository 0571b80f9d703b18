"""The encrypted store database: unreadable without its key, clear errors, keys where
they belong, rotation and backups that keep the data."""

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import StoreDatabase
from core.errors import (
    CorruptDatabase, DatabaseExists, DatabaseMissing, MissingKey, NotAnOrchardDatabase,
    PassphraseRequired, WrongKey,
)
from core.models import Customer, Store
from core.vault import KEYRING_SERVICE, keyring_usable
from tests.conftest import FAST_KDF


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_customers(db, n, prefix="C"):
    with db.session(write=True) as s:
        store = s.scalars(select(Store)).first()
        if store is None:
            store = Store(code="T1", name="Test")
            s.add(store)
            s.flush()
        s.add_all([Customer(home_store_id=store.id, given_name=f"{prefix}{i}", family_name="Test")
                   for i in range(n)])


def count(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def test_file_is_unreadable_without_key(tmp_path):
    db = StoreDatabase.create(tmp_path / "store.db", passphrase="correct horse", kdf=FAST_KDF)
    add_customers(db, 3, prefix="Secretname")
    db.close()
    raw = (tmp_path / "store.db").read_bytes()
    assert b"SQLite format 3" not in raw[:16]
    assert b"Secretname" not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(tmp_path / "store.db").execute("SELECT * FROM sqlite_master").fetchall()
    assert oct(os.stat(tmp_path / "store.db").st_mode & 0o777) == "0o600"
    assert oct(os.stat(tmp_path / "store.db.meta.json").st_mode & 0o777) == "0o600"


def test_wrong_missing_and_foreign_each_have_their_own_error(tmp_path, memory_keyring):
    path = tmp_path / "pass.db"
    db = StoreDatabase.create(path, passphrase="right", kdf=FAST_KDF)
    add_customers(db, 2)
    db.close()
    before = digest(path)
    with pytest.raises(WrongKey):
        StoreDatabase.open(path, passphrase="wrong")
    with pytest.raises(PassphraseRequired):
        StoreDatabase.open(path)
    assert digest(path) == before, "a failed open must not change the file"

    kpath = tmp_path / "kr.db"
    StoreDatabase.create(kpath).close()
    kbefore = digest(kpath)
    memory_keyring.store.clear()
    with pytest.raises(MissingKey):
        StoreDatabase.open(kpath)
    assert digest(kpath) == kbefore

    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t(x)").connection.commit()
    pbefore = digest(plain)
    with pytest.raises(NotAnOrchardDatabase):
        StoreDatabase.open(plain, passphrase="right")
    assert digest(plain) == pbefore

    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    with pytest.raises(NotAnOrchardDatabase):
        StoreDatabase.open(junk, passphrase="right")

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(NotAnOrchardDatabase):
        StoreDatabase.open(empty, passphrase="right")
    assert empty.read_bytes() == b"", "never a new empty database over a file"

    with pytest.raises(DatabaseMissing):
        StoreDatabase.open(tmp_path / "nothing.db", passphrase="right")
    with pytest.raises(DatabaseExists):
        StoreDatabase.create(path, passphrase="other", kdf=FAST_KDF)
    assert digest(path) == before


def test_damaged_file_with_right_key_is_reported_as_damaged(tmp_path):
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path, passphrase="pw", kdf=FAST_KDF)
    add_customers(db, 50)
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    data[0:64] = os.urandom(64)  # page 1 header (salt + first bytes) destroyed
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabase):
        StoreDatabase.open(path, passphrase="pw")


def test_keyring_holds_the_key_and_nothing_on_disk(tmp_path, memory_keyring):
    assert keyring_usable()
    db = StoreDatabase.create(tmp_path / "store.db")
    add_customers(db, 5)
    db.close()
    (name, value), = [(k, v) for k, v in memory_keyring.store.items() if k[0] == KEYRING_SERVICE]
    key = bytes.fromhex(value)
    assert len(key) == 32
    for f in tmp_path.rglob("*"):
        data = f.read_bytes()
        assert key not in data and value.encode() not in data and value.upper().encode() not in data, f.name
    reopened = StoreDatabase.open(tmp_path / "store.db")
    assert count(reopened) == 5
    reopened.close()


def test_without_a_real_keyring_a_passphrase_is_required_and_the_key_stays_off_disk(tmp_path, fail_keyring):
    assert not keyring_usable()
    with pytest.raises(PassphraseRequired):
        StoreDatabase.create(tmp_path / "store.db")
    assert not (tmp_path / "store.db").exists()
    db = StoreDatabase.create(tmp_path / "store.db", passphrase="a long store passphrase", kdf=FAST_KDF)
    key = db._key
    add_customers(db, 5)
    db.close()
    for f in tmp_path.rglob("*"):
        data = f.read_bytes()
        assert key not in data and key.hex().encode() not in data, f.name
    with pytest.raises(PassphraseRequired):
        StoreDatabase.open(tmp_path / "store.db")
    assert count(StoreDatabase.open(tmp_path / "store.db", passphrase="a long store passphrase")) == 5


def test_plaintext_keyring_backends_count_as_no_keyring(monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class PlaintextKeyring(KeyringBackend):  # stands where keyrings.alt's file backend stands
        priority = 1
        get_password = set_password = delete_password = lambda *a: None

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        assert not keyring_usable()
    finally:
        keyring.set_keyring(previous)


def test_rekey_keeps_data_and_old_key_stops_working(tmp_path, memory_keyring):
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path, passphrase="old pass", kdf=FAST_KDF)
    add_customers(db, 20)
    db.rekey(new_passphrase="new pass", kdf=FAST_KDF)
    add_customers(db, 1)
    assert count(db) == 21
    db.close()
    with pytest.raises(WrongKey):
        StoreDatabase.open(path, passphrase="old pass")
    db = StoreDatabase.open(path, passphrase="new pass")
    assert count(db) == 21 and db.integrity_check() == "ok"
    # move from passphrase to a random keyring key and back: still the same data
    db.rekey()
    db.close()
    db = StoreDatabase.open(path)
    assert count(db) == 21
    db.close()


def test_interrupted_rotation_recovers_with_either_key(tmp_path, memory_keyring):
    from core.vault import Vault
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    add_customers(db, 4)
    db.close()
    # crash after recording the pending key but before the rekey
    Vault(path).begin_rotation()
    db = StoreDatabase.open(path)
    assert count(db) == 4
    db.close()
    assert Vault(path).meta.pending is None


def test_backup_and_restore_round_trip(tmp_path):
    db = StoreDatabase.create(tmp_path / "store.db", passphrase="pw", kdf=FAST_KDF)
    add_customers(db, 30)
    backup = db.backup(tmp_path / "backup.orchard", passphrase="backup pw", kdf=FAST_KDF)
    db.close()
    raw = backup.read_bytes()
    assert b"SQLite format 3" not in raw[:16]
    with pytest.raises(WrongKey):
        StoreDatabase.open(backup, passphrase="pw")
    restored = StoreDatabase.restore(backup, tmp_path / "restored" / "store.db", passphrase="backup pw")
    assert count(restored) == 30
    assert restored.integrity_check() == "ok"
    with restored.session() as s:
        assert sorted(c.given_name for c in s.scalars(select(Customer)))[:2] == ["C0", "C1"]
    restored.close()
    with pytest.raises(DatabaseExists):
        StoreDatabase.restore(backup, tmp_path / "store.db", passphrase="backup pw")


def test_backup_taken_during_writes_is_consistent(tmp_path):
    db = StoreDatabase.create(tmp_path / "store.db", passphrase="pw", kdf=FAST_KDF)
    add_customers(db, 10)
    stop = threading.Event()
    errors = []

    def writer():
        try:
            while not stop.is_set():
                add_customers(db, 25, prefix="W")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    try:
        backups = [db.backup(tmp_path / f"b{i}.orchard") for i in range(3)]
    finally:
        stop.set()
        t.join()
    assert not errors
    total = count(db)
    db.close()
    for b in backups:
        opened = StoreDatabase.open(b, passphrase="pw")
        assert opened.integrity_check() == "ok"
        n = count(opened)
        assert 10 <= n <= total and (n - 10) % 25 == 0, "a backup holds whole transactions only"
        opened.close()


def test_schema_matches_models(db):
    """The migrations build exactly the tables the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from core.db import head_revisions, schema_heads
    from core.models import Base
    with db.engine.connect() as conn:
        from core.migrations.env_filter import include_object
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    assert db.schema_revisions() == head_revisions() == schema_heads()
