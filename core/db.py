"""The store database: an SQLCipher file opened through SQLAlchemy.

``StoreDatabase.create`` makes a new encrypted file (never over an existing one);
``StoreDatabase.open`` opens one and tells apart the ways that can fail: no file,
no key, a wrong key, a file that is not Orchard's, a damaged file.  Nothing in
here writes to a file it could not open.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator


import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from core.errors import (
    CorruptDatabase, DatabaseBusy, DatabaseExists, DatabaseMissing, NotAnOrchardDatabase, OrchardError, VaultError,
)
from core import changes, folding
from core.cipher import apply_key
from core.sync import outbox
from core.quick_open import schema_heads  # the newest migrations, read without Alembic
from core.vault import KdfParams, KeyCandidate, Vault, is_plain_sqlite, meta_exists, meta_path

if TYPE_CHECKING:
    from alembic.config import Config


MIGRATIONS = Path(__file__).parent / "migrations"
# Decrypted pages a process keeps, all its connections together (the read pool, the writer,
# sync's bulk connections, every store database open): SQLite's soft heap limit, which is
# process-wide. Once SQLite's memory reaches it, a connection reuses its own least recently
# used pages instead of taking more, so the process stays put however many look-ups run
# (issue 25: with 256 MiB per connection it grew to 306 MB after 18,000). The lookup reads a
# few index pages and the rows it returns (core.search), so it keeps its targets inside this.
CACHE_BUDGET_KIB = 64 * 1024
# What one connection of the pool may keep within it: most work runs on one database thread
# and the pool is LIFO, so one connection keeps the warm pages; the rest of the budget is
# left to the bulk connections below.
CACHE_KIB = 48 * 1024
# Background bulk work (sync's push and pull) streams through the whole outbox or a
# whole download once: caching those pages only grows the process with the backlog and
# helps nothing. Its connections (their own small pool) keep 8 MiB each.
BULK_CACHE_KIB = 8 * 1024


def release_memory(raw: Any) -> None:
    """Hand back what a big one-off job took: ``raw``'s (a DB-API connection or cursor)
    caches (``PRAGMA shrink_memory``), and the heap SQLite freed, which glibc otherwise keeps
    in the process (``malloc_trim``; elsewhere there is nothing to do). After an index build
    or a VACUUM of a large store (the pages it read through the cache) the process would
    otherwise stay at the job's peak."""
    raw.execute("PRAGMA shrink_memory")
    try:
        import ctypes
        import ctypes.util
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):     # not glibc
        pass


class DatabaseClosed(OrchardError):
    """This handle was closed (its file replaced by a restore, or the app closing): nothing
    goes through it any more, so no late write lands in whatever file now has its name."""


def _closed_error() -> DatabaseClosed:
    return DatabaseClosed("the store database was closed before this could finish; nothing was changed")


def _refuse_connection() -> sqlcipher3.Connection:
    raise _closed_error()


class OrchardSession(Session):
    """A Session whose writes are captured for sync and reported as changes (core.changes)."""


outbox.install(OrchardSession)
changes.install(OrchardSession)


# SQLite's primary result codes for a file that does not hold what its header promises:
# SQLITE_IOERR (a short read past a cut-off end), SQLITE_CORRUPT, SQLITE_NOTADB.
_DAMAGE_CODES = frozenset({10, 11, 26})


def _not_a_database(exc: BaseException) -> bool:
    return "file is not a database" in str(exc) or "not a database" in str(exc)


def _damaged(exc: BaseException) -> bool:
    """True for SQLite's answer to a damaged file, raw or wrapped by SQLAlchemy."""
    orig = getattr(exc, "orig", None) or exc
    if not isinstance(orig, sqlcipher3.DatabaseError):
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _DAMAGE_CODES
    return _not_a_database(orig) or "malformed" in str(orig)


@contextmanager
def refusing_when_busy() -> Iterator[None]:
    """SQLite's busy timeout run out (SQLITE_BUSY: another writer held the file) said as
    DatabaseBusy, which staff can act on, not as a crash report."""
    try:
        yield
    except sqlalchemy_exc.OperationalError as exc:
        code = getattr(exc.orig, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF == 5:
            raise DatabaseBusy("the store database is busy with other work (such as removing an erased "
                               "customer's data from the file); nothing was saved: try again in a minute") from None
        raise


def _damage_error() -> CorruptDatabase:
    return CorruptDatabase("the key is right but the database file is damaged; restore a backup")


def _connect(path: Path, key: bytes, cache_kib: int = CACHE_KIB) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    try:
        apply_key(conn, key)
        # Reading the schema is what checks the key; nothing is written before it passes.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL")   # outside any transaction, or it is ignored
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        conn.execute(f"PRAGMA soft_heap_limit = {CACHE_BUDGET_KIB * 1024}")   # process-wide
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA temp_store = MEMORY")
        # deleted and erased data is overwritten, not left in free pages
        conn.execute("PRAGMA secure_delete = ON")
        folding.install(conn)   # the name indexes are built from orchard_fold (migration 0014)
    except BaseException:
        conn.close()
        raise
    return conn


def make_engine(path: Path, key: bytes, *, cache_kib: int = CACHE_KIB, pool_size: int = 4,
                max_overflow: int = 8) -> Engine:
    # LIFO: the connection used last (its page cache warm) is the one handed out next, so
    # one thread doing most of the work keeps to one cache instead of filling each in turn
    engine = create_engine("sqlite://", module=sqlcipher3, creator=lambda: _connect(path, key, cache_kib),
                           poolclass=QueuePool, pool_size=pool_size, max_overflow=max_overflow,
                           pool_use_lifo=True)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred transaction that later writes
        # can fail at once with SQLITE_BUSY in WAL mode instead of waiting its turn.
        mode = "IMMEDIATE" if conn.get_execution_options().get("orchard_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revisions() -> frozenset[str]:
    """Alembic's own answer (imports Alembic; for tests and tools)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        if not conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone():
            return frozenset()
        return frozenset(r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))


def migrate(engine: Engine) -> None:
    if current_revisions(engine) == schema_heads():
        return
    from alembic import command
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "heads")


def _create_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise DatabaseExists("a database already exists at this location; it was left untouched") from None
    os.close(fd)


def _check_is_orchard(engine: Engine) -> None:
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables or "outbox" not in tables:
        engine.dispose()
        raise NotAnOrchardDatabase("this encrypted file is not an Orchard store database")


class StoreDatabase:
    """One open store database: its engine, its sessions, its key-derived secrets."""

    def __init__(self, path: Path, key: bytes, engine: Engine, db_id: str):
        self.path = Path(path)
        self._key = key
        self.engine = engine
        self.db_id = db_id
        self._lock = threading.Lock()
        self._bulk_lock = threading.Lock()
        self._bulk: Engine | None = None     # made on first use: most sessions never ask for it
        self.closed = False
        self._audit_key = self._load_audit_key(engine)
        self._bind(engine)

    @staticmethod
    def _load_audit_key(engine: Engine) -> bytes:
        """The audit chain's HMAC key: random, made once, kept inside the encrypted file,
        so it is protected by the database key yet survives a rekey unchanged."""
        with engine.connect() as conn:
            conn = conn.execution_options(orchard_write=True)
            with conn.begin():
                row = conn.exec_driver_sql("SELECT value FROM sync_state WHERE key = 'audit.key'").fetchone()
                if row:
                    return bytes.fromhex(row[0])
                key = os.urandom(32)
                conn.exec_driver_sql("INSERT INTO sync_state (key, value) VALUES ('audit.key', ?)",
                                     (key.hex(),))
                return key

    def _bind(self, engine: Engine) -> None:
        self._drop_bulk()
        self.engine = engine
        info = {"audit_key": self._audit_key, "hlc_node": self.db_id[:16]}
        self._sessions = sessionmaker(bind=engine, class_=OrchardSession, expire_on_commit=False,
                                      info=info)
        self._write_sessions = sessionmaker(bind=engine.execution_options(orchard_write=True),
                                            class_=OrchardSession, expire_on_commit=False, info=info)

    # --- opening and creating ----------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, *, passphrase: str | None = None,
               kdf: KdfParams | None = None) -> "StoreDatabase":
        path = Path(path)
        vault = Vault(path)
        if path.exists():
            raise DatabaseExists("a database already exists at this location; it was left untouched")
        if meta_path(path).exists():
            # its database may be moved away or lost; its key check is all that is left
            raise meta_exists()
        key, meta = vault.new_key(passphrase, kdf)
        _create_file(path)
        try:
            engine = make_engine(path, key)
            migrate(engine)
            meta.save(path, new=True)
        except BaseException:
            vault.forget_new_key(meta)
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(str(path) + suffix)
                except FileNotFoundError:
                    pass
            raise
        db = cls(path, key, engine, meta.db_id)
        db._seed_node()
        return db

    @classmethod
    def open(cls, path: Path | str, *, passphrase: str | None = None,
             migrate_schema: bool = True) -> "StoreDatabase":
        path = Path(path)
        if not path.exists():
            raise DatabaseMissing("no store database at this location")
        if path.stat().st_size == 0 or is_plain_sqlite(path):
            # an empty file would silently become a new database under any key
            raise NotAnOrchardDatabase(
                "this file is not an Orchard store database (it is empty or an unencrypted SQLite file)")
        vault = Vault(path)
        meta = vault.meta                          # NotAnOrchardDatabase without it
        # MissingKey / KeyringLost / PassphraseRequired / WrongKey, decided from the meta file
        # alone: a wrong key never reaches SQLCipher, which would read (and on closing
        # checkpoint and delete) a WAL left by a crash.
        candidates = vault.checked_candidates(passphrase)
        return cls._open_with(path, vault, candidates, migrate_schema)

    @classmethod
    def _open_with(cls, path: Path, vault: Vault, candidates: list[KeyCandidate],
                   migrate_schema: bool) -> "StoreDatabase":
        """Open with the first of ``candidates`` (keys that passed the meta's key check)
        that reads the file."""
        for cand in candidates:
            engine = make_engine(path, cand.key)
            try:
                with engine.connect() as conn:
                    conn.exec_driver_sql("SELECT 1").fetchone()
            except Exception as exc:  # noqa: BLE001 - classified below
                engine.dispose()
                if not _damaged(exc):
                    raise
                continue                          # the other key of an interrupted rotation
            try:
                return cls._finish_open(path, vault, cand.key, cand.pending, engine, migrate_schema)
            except Exception as exc:
                engine.dispose()
                if _damaged(exc):
                    raise _damage_error() from None
                raise
        # every key passed the key check, so the file, not the key, is at fault
        raise _damage_error()

    @classmethod
    def recover(cls, path: Path | str, *, code: str | None = None, passphrase: str | None = None,
                store_in_keyring: bool = True, kdf: KdfParams | None = None) -> "StoreDatabase":
        """Open a store whose key is not where its meta says (KeyringLost): with the
        recovery key ``code``, or with the store's ``passphrase``. Never creates anything.

        With the code, the key then goes back in this computer's keyring when
        ``store_in_keyring`` and the keyring is usable; with the code AND a passphrase, the
        file is re-keyed under that (new) passphrase instead (the recovery key still opens
        it). Otherwise the store keeps the route its meta names. Audited ("vault.recovered",
        how it was opened and where the key now lives; never the code)."""
        from core import audit
        from core.errors import ValidationError
        from core.recovery import store as recovery_store
        from core.vault import keyring_usable
        path = Path(path)
        if not code and not passphrase:
            raise ValidationError("recovery_code", "enter the recovery key")
        if not path.exists():
            raise DatabaseMissing("no store database at this location")
        if path.stat().st_size == 0 or is_plain_sqlite(path):
            raise NotAnOrchardDatabase(
                "this file is not an Orchard store database (it is empty or an unencrypted SQLite file)")
        vault = Vault(path)
        if code:
            candidates, method = recovery_store.candidates(path, code), "recovery_key"
        else:
            candidates, method = vault.checked_candidates(passphrase), "passphrase"
        db = cls._open_with(path, vault, candidates, True)
        try:
            if code and passphrase:
                db.rekey(passphrase, kdf)
                kept = "passphrase"
            elif code and store_in_keyring and keyring_usable():
                vault.keep_in_keyring(db._key)
                kept = "keyring"
            else:
                kept = vault.meta.key_source
            with db.session(write=True) as s:
                audit.record(s, None, "vault.recovered", "store_db", db.db_id, detail=f"{method}; key in {kept}")
        except BaseException:
            db.close()
            raise
        return db

    def enable_recovery(self, code: str) -> None:
        """Seal this database's key to the recovery key ``code`` (core.recovery.enable);
        a new code replaces the old one, which stops working."""
        from core.recovery import store as recovery_store
        recovery_store.enable(self.path, self._key, code)

    @classmethod
    def _finish_open(cls, path: Path, vault: Vault, key: bytes, pending: bool, engine: Engine,
                     migrate_schema: bool) -> "StoreDatabase":
        meta = vault.meta
        if pending:
            vault.finish_rotation(key)            # a rotation crashed after the rekey
        elif meta.pending:
            vault.abandon_rotation()              # ... or before it
        _check_is_orchard(engine)
        if migrate_schema:
            migrate(engine)
        db = cls(path, key, engine, meta.db_id)
        db._seed_node()
        return db

    def _seed_node(self) -> None:
        from core.models import SyncState
        from core.sync.outbox import NODE_KEY
        with self.session(write=True) as s:
            if s.get(SyncState, NODE_KEY) is None:
                s.add(SyncState(key=NODE_KEY, value=self.db_id[:16]))

    # --- sessions ------------------------------------------------------------------------

    @property
    def bulk_engine(self) -> Engine:
        """Connections for background bulk work, with a small page cache (BULK_CACHE_KIB)."""
        bulk = self._bulk
        if bulk is None:
            if self.closed:
                raise _closed_error()
            with self._bulk_lock:            # sync's worker threads may ask at once
                bulk = self._bulk
                if bulk is None:
                    bulk = self._bulk = make_engine(self.path, self._key, cache_kib=BULK_CACHE_KIB,
                                                    pool_size=2, max_overflow=4)
        return bulk

    def _drop_bulk(self) -> None:
        bulk = self._bulk
        self._bulk = None
        if bulk is not None:
            bulk.dispose()

    @contextmanager
    def session(self, write: bool = False, *, bulk: bool = False) -> Iterator[OrchardSession]:
        """A unit of work: commits when the block ends normally, rolls back otherwise.
        ``bulk`` for background work that streams through many rows once (see
        BULK_CACHE_KIB); it is the same database, transactions and capture alike."""
        if self.closed:
            raise _closed_error()
        if bulk:
            engine = self.bulk_engine
            s = OrchardSession(bind=engine.execution_options(orchard_write=True) if write else engine,
                               expire_on_commit=False, info=self._sessions.kw["info"])
        else:
            s = (self._write_sessions if write else self._sessions)()
        with refusing_when_busy(), s, s.begin():
            yield s

    def close(self) -> None:
        """Close every pooled connection and the handle itself: from now on ``session()`` and
        the engine raise DatabaseClosed instead of connecting again (a restore may have put
        another file under this name, opened by the same key). Closing twice is harmless."""
        self.closed = True
        self._drop_bulk()
        self.engine.dispose()
        # the sessions' engines (this one and its write-mode proxy) share this pool
        self.engine.pool = QueuePool(_refuse_connection, pool_size=1, max_overflow=0)

    def __enter__(self) -> StoreDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- maintenance ---------------------------------------------------------------------

    def integrity_check(self) -> str:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
        return "; ".join(r[0] for r in rows)

    def schema_revisions(self) -> frozenset[str]:
        return current_revisions(self.engine)

    def rekey(self, new_passphrase: str | None = None, kdf: KdfParams | None = None) -> None:
        """Re-encrypt the file under a new key (a new random keyring key, or one from a
        new passphrase). Crash-safe: see Vault's rotation steps."""
        vault = Vault(self.path)
        with self._lock:
            new_key = vault.begin_rotation(new_passphrase, kdf)
            self._drop_bulk()
            self.engine.dispose()            # rekey needs the only connection
            conn = _connect(self.path, self._key)
            try:
                conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            vault.finish_rotation(new_key)
            self._key = new_key
            self._bind(make_engine(self.path, new_key))

    def backup(self, dest: Path | str, *, passphrase: str | None = None,
               kdf: KdfParams | None = None) -> Path:
        """An encrypted copy of the database taken from one consistent snapshot, even
        while other connections write. Encrypted with a key from ``passphrase`` if given
        (to restore on another machine), else with this database's key."""
        dest = Path(dest)
        if dest.exists():
            raise DatabaseExists("the backup file already exists; choose another name")
        if meta_path(dest).exists():
            raise meta_exists()
        if passphrase is not None:
            key, meta = Vault(dest).new_key(passphrase, kdf)
        else:
            key, meta = self._key, Vault(self.path).meta
        export_file(_connect(self.path, self._key), dest, key)
        meta.save(dest, new=True)
        return dest

    def export_to(self, dest: Path | str, key: bytes,
                  snapshot: Callable[[sqlcipher3.Connection], Any] | None = None) -> Any:
        """A copy of the database in a new file ``dest`` under the raw ``key``, from one
        consistent snapshot, with no key information file beside it (core.backup keeps the
        key its own way). ``snapshot(conn)`` runs inside that snapshot first (the counts a
        backup's copy must match); its value is returned."""
        return export_file(_connect(self.path, self._key), Path(dest), key, snapshot)

    def import_copy(self, source: Path | str, source_key: bytes, dest: Path | str) -> "StoreDatabase":
        """Copy ``source`` (an SQLCipher file under ``source_key``; a backup, read only)
        into a new file ``dest`` under this database's key, so it can take this database's
        place with the same key information. Returns ``dest`` open, its schema migrated."""
        copy_encrypted(Path(source), source_key, Path(dest), self._key)
        engine = make_engine(Path(dest), self._key)
        try:
            migrate(engine)
            return StoreDatabase(Path(dest), self._key, engine, self.db_id)
        except BaseException:
            engine.dispose()
            raise

    @staticmethod
    def restore(backup: Path | str, dest: Path | str, *, passphrase: str | None = None) -> "StoreDatabase":
        """Open a backup, check it, and copy it to ``dest`` (which must not exist) under
        the backup's key. Returns the restored database, open."""
        backup, dest = Path(backup), Path(dest)
        if dest.exists():
            raise DatabaseExists("the restore target already exists; move it away first")
        src = StoreDatabase.open(backup, passphrase=passphrase, migrate_schema=False)
        try:
            if src.integrity_check() != "ok":
                raise CorruptDatabase("the backup is damaged and was not restored")
            src.backup(dest)
        finally:
            src.close()
        return StoreDatabase.open(dest, passphrase=passphrase)


def export_file(raw: sqlcipher3.Connection, dest: Path, key: bytes,
                snapshot: Callable[[sqlcipher3.Connection], Any] | None = None) -> Any:
    """Export the database open on ``raw`` (closed here) into a new file ``dest`` under
    ``key``, from one read snapshot; ``snapshot(raw)`` runs inside it first. A failed
    export leaves no file behind."""
    dest = Path(dest)
    try:
        _create_file(dest)
        os.unlink(dest)  # ATTACH creates it; the folder is ours and the name is reserved by the check above
    except BaseException:
        raw.close()
        raise
    seen: Any = None
    try:
        raw.execute("BEGIN")             # a read snapshot for the whole export
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if snapshot is not None:
            seen = snapshot(raw)
        raw.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{key.hex()}'\"", (str(dest),))
        raw.execute("SELECT sqlcipher_export('backup')")
        raw.execute("COMMIT")
        raw.execute("DETACH DATABASE backup")
    except BaseException:
        raw.close()
        for suffix in ("", "-journal"):
            if os.path.exists(str(dest) + suffix):
                os.unlink(str(dest) + suffix)
        raise
    raw.close()
    os.chmod(dest, 0o600)
    return seen


def copy_encrypted(source: Path, source_key: bytes, dest: Path, dest_key: bytes) -> None:
    """Copy the SQLCipher file ``source`` (opened read-only: a backup is never written to)
    into a new file ``dest`` under ``dest_key``."""
    conn = sqlcipher3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True,
                              isolation_level=None, check_same_thread=False)
    try:
        apply_key(conn, source_key)
        folding.install(conn)     # the name indexes are rebuilt in the copy with orchard_fold
    except BaseException:
        conn.close()
        raise
    export_file(conn, Path(dest), dest_key)


def open_or_create(path: Path | str, *, passphrase: str | None = None) -> StoreDatabase:
    path = Path(path)
    if path.exists():
        return StoreDatabase.open(path, passphrase=passphrase)
    return StoreDatabase.create(path, passphrase=passphrase)


__all__ = ["DatabaseClosed", "StoreDatabase", "OrchardSession", "make_engine", "migrate", "open_or_create",
           "VaultError"]
