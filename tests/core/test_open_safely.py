"""Opening the store file safely (issue 18, "The store").

A wrong key is refused from the meta file's key check before SQLCipher opens the file
or its WAL: after a crash the .db, -wal and -shm stay byte for byte as they were (the old
code read the WAL under the wrong key and, closing, checkpointed it into the file and
deleted it). A file cut short is CorruptDatabase, not SQLite's own error; creating a store
never replaces the key information file of another."""

from __future__ import annotations

import hashlib
import os
import shutil
import traceback
from contextlib import contextmanager

import pytest

from core import repairs, staff
from core.db import StoreDatabase
from core.errors import CorruptDatabase, DatabaseExists, WrongKey
from core.vault import Vault, meta_path
from tests.conftest import FAST_KDF
from tests.core.forkkill import run_and_kill
from tests.store_util import passphrase_store

PASS = "open-safely"


def _writer(path, actor, write_fd):
    try:
        db = StoreDatabase.open(path, passphrase=PASS)
        os.write(write_fd, b"READY\n")
        while True:
            with db.session(write=True) as s:
                t = repairs.open_ticket(s, actor, customer_id=None, device_model="iPhone 13",
                                        reported_fault="screen cracked", imei="260531793113837")
            os.write(write_fd, f"{t.id}\n".encode())
    finally:
        os._exit(0)


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """A store whose writer was killed mid-work: its -wal and -shm are left behind."""
    folder = tmp_path_factory.mktemp("crashed")
    path = folder / "store.db"
    db, admin = passphrase_store(path, PASS, code="OS01", name="Open Safely")
    db.close()
    written = run_and_kill(lambda w: _writer(path, admin, w), 0.3)
    assert written, "the writer was killed before it committed anything"
    return folder


@pytest.fixture
def store(crashed, tmp_path):
    folder = tmp_path / "store"
    shutil.copytree(crashed, folder)
    return folder / "store.db"


def snapshot(path):
    """Size and SHA-256 of the database, its WAL and shared memory, and its meta file."""
    out = {}
    for suffix in ("", "-wal", "-shm", ".meta.json"):
        f = f"{path}{suffix}"
        if os.path.exists(f):
            with open(f, "rb") as fh:
                data = fh.read()
            out[suffix or ".db"] = (len(data), hashlib.sha256(data).hexdigest())
    return out


@contextmanager
def no_sqlcipher():
    """SQLCipher may not open any file inside this block."""
    import core.db
    real = core.db.sqlcipher3.connect

    def refuse(*a, **k):
        raise AssertionError("SQLCipher opened the file under a key that fails the key check")
    core.db.sqlcipher3.connect = refuse
    try:
        yield
    finally:
        core.db.sqlcipher3.connect = real


def test_a_wrong_passphrase_after_a_crash_leaves_every_file_byte_for_byte(store):
    before = snapshot(store)
    assert {".db", "-wal", "-shm", ".meta.json"} <= set(before) and before["-wal"][0] > 0
    with no_sqlcipher(), pytest.raises(WrongKey):
        StoreDatabase.open(store, passphrase="not-the-passphrase")
    with pytest.raises(WrongKey):        # and with SQLCipher at hand, still nothing written
        StoreDatabase.open(store, passphrase="not-the-passphrase")
    assert snapshot(store) == before
    with StoreDatabase.open(store, passphrase=PASS) as db:   # the right one still opens it, whole
        assert db.integrity_check() == "ok"


def test_a_wrong_keyring_key_is_refused_without_touching_the_file(tmp_path, memory_keyring):
    path = tmp_path / "store.db"
    db, _, _ = staff.bootstrap_store(StoreDatabase.create(path), code="KR01", name="Keyring",
                                     timezone="Europe/London", country="GB", admin_name="Admin",
                                     admin_password="admin-pass-1", admin_pin="1234")
    db.close()
    vault = Vault(path)
    memory_keyring.set_password("Orchard", vault.keyring_name, os.urandom(32).hex())  # a stale entry
    before = snapshot(path)
    with no_sqlcipher(), pytest.raises(WrongKey):
        StoreDatabase.open(path)
    with pytest.raises(WrongKey):
        StoreDatabase.open(path)
    assert snapshot(path) == before


@pytest.mark.parametrize("cut", ["3000 bytes", "half", "half, after a crash"])
def test_a_file_cut_short_is_corrupt_database_without_its_path(cut, store, tmp_path):
    if cut != "half, after a crash":
        with StoreDatabase.open(store, passphrase=PASS) as db, db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            if os.path.exists(f"{store}{suffix}"):
                os.unlink(f"{store}{suffix}")
    size = store.stat().st_size
    os.truncate(store, 3000 if cut == "3000 bytes" else size // 2)
    with pytest.raises(CorruptDatabase) as err:
        StoreDatabase.open(store, passphrase=PASS)
    text = str(err.value)
    assert "damaged" in text and str(tmp_path) not in text and "store.db" not in text
    shown = "".join(traceback.format_exception(err.value))
    assert "DatabaseError" not in shown and "malformed" not in shown, "SQLite's own error leaks through"
    with pytest.raises(WrongKey):       # the key check still comes first
        StoreDatabase.open(store, passphrase="not-the-passphrase")


def test_create_never_replaces_an_existing_meta_file(store, tmp_path):
    meta = meta_path(store)
    kept = meta.read_bytes()
    shutil.move(store, tmp_path / "moved-away.db")       # the database gone, its key check still here
    for suffix in ("-wal", "-shm"):
        if os.path.exists(f"{store}{suffix}"):
            shutil.move(f"{store}{suffix}", tmp_path / f"moved-away.db{suffix}")
    with pytest.raises(DatabaseExists) as err:
        StoreDatabase.create(store, passphrase="another", kdf=FAST_KDF)
    assert "key information file" in str(err.value) and str(tmp_path) not in str(err.value)
    assert meta.read_bytes() == kept and not store.exists()
    store.write_bytes(b"someone's file")                 # nor a database file, with or without a meta
    meta.unlink()
    with pytest.raises(DatabaseExists):
        StoreDatabase.create(store, passphrase="another", kdf=FAST_KDF)
    assert store.read_bytes() == b"someone's file" and not meta.exists()


def test_create_refuses_a_meta_file_that_appears_while_it_works(tmp_path, monkeypatch):
    """The check before creating is not the only guard: the meta is written with an
    exclusive link, so one that appeared meanwhile (another process) is not replaced."""
    import core.db
    path = tmp_path / "store.db"
    real_migrate = core.db.migrate

    def migrate_then_race(engine):
        real_migrate(engine)
        meta_path(path).write_bytes(b'{"theirs": true}')
    monkeypatch.setattr(core.db, "migrate", migrate_then_race)
    with pytest.raises(DatabaseExists):
        StoreDatabase.create(path, passphrase="pw", kdf=FAST_KDF)
    assert meta_path(path).read_bytes() == b'{"theirs": true}'
    assert not path.exists(), "the half-made database is removed"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
