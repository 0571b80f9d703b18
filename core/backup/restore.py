"""Restoring a backup in place of the store database.

:func:`preview` says what a restore would mean (the backup's date and counts, what had
not reached HQ then, what here never reached HQ and would be lost) so the caller can ask
for confirmation; :func:`restore` then does it:

1. the backup's key, from the backup master key inside the current database or from the
   recovery code (when the current database is gone or will not open);
2. the file's SHA-256 against its description, then SQLite's integrity check and the
   counts, on the backup itself (opened read-only);
3. a copy under the *current* database's key (so its key information stays valid; with no
   usable current key, a new key in the keyring or from a passphrase, under the backup's
   database id, and the recovery code sealed to it again), migrated to this version;
4. inside it: a new audit epoch declared (the trail goes back to the backup: HQ records
   the new epoch instead of flagging a rewritten trail), the restore audited, the backup
   settings and status of the current database kept;
5. the current file (with its -wal, -shm and key information) kept aside as
   ``<db>.before-restore-<stamp>`` (hard links: the database's name never goes missing),
   and the copy renamed over it in one step. A crash before that step leaves the current
   database in place; a failure puts everything back as it was.

Permission: an administrator (``actor``), or with no one signed in the holder of the
store's recovery key, which must open the backup (or, for a backup made before the store
had one, the store database's key information).

Sync then resumes from the backup's state: operations that were waiting then go again
and HQ skips those it already has (by operation id); the pull cursor of the backup brings
back everything HQ got after it, this store's own later changes included.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from sqlalchemy.orm import Session

from core import audit
from core.backup import files, keys, schedule
from core.backup.files import BackupDamaged, BackupFailed, BackupInfo
from core.errors import NotAnOrchardDatabase, OrchardError, PermissionDenied, VaultError, WrongKey
from core.models import SyncState
from core.permissions import Actor, Perm, require
from core.vault import DbMeta, Vault, atomic_write, key_check, meta_path

if TYPE_CHECKING:
    from core.db import StoreDatabase

RESTORED_KEY = "backup.restored_from"    # the backup time of the last restore, for the record


@dataclass(frozen=True)
class RestorePreview:
    backup: BackupInfo
    unsynced_here: int | None     # changes in the current database that never reached HQ (lost)
    enrolled: bool                # the current database syncs with HQ
    needs_code: bool              # the current database cannot open this backup: the recovery key can

    def sentences(self) -> list[tuple[str, dict[str, Any]]]:
        return _sentences(self.backup, self.unsynced_here, self.enrolled, None, future=True)


@dataclass(frozen=True)
class RestoreReport:
    backup_created_at: datetime
    counts: Mapping[str, int]
    pending_at_backup: int
    lost_unsynced: int | None
    enrolled: bool
    aside: Path | None
    epoch: int
    backup: BackupInfo

    def sentences(self) -> list[tuple[str, dict[str, Any]]]:
        """What this means for sync, as (template, values): the desktop translates the
        template (CoreMessages) and fills in the values; the CLI prints them as they are."""
        return _sentences(self.backup, self.lost_unsynced, self.enrolled, self.aside, future=False)

    def words(self) -> list[str]:
        return [fill(t, p) for t, p in self.sentences()]


def fill(template: str, params: Mapping[str, Any]) -> str:
    def text(v: Any) -> Any:
        return v.strftime("%Y-%m-%d %H:%M UTC") if isinstance(v, datetime) else v
    return template.format(**{k: text(v) for k, v in params.items()})


def _sentences(backup: BackupInfo, unsynced: int | None, enrolled: bool, aside: Path | None, *,
               future: bool) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    when = backup.created_at
    out.append(("The store database will be as it was at {when}." if future else
                "The store database is as it was at {when}.", {"when": when}))
    if enrolled:
        out.append(("Changes that reached HQ after the backup come back with the next sync.", {}))
        if backup.pending:
            out.append(("{n} changes made before the backup had not reached HQ then: they go with the next "
                        "sync, and HQ skips any it already has.", {"n": backup.pending}))
        if unsynced:
            out.append(("{n} changes made here never reached HQ and are not in the backup: they will be lost."
                        if future else "{n} changes made here never reached HQ and were not in the backup: "
                        "they are lost.", {"n": unsynced}))
    else:
        out.append(("This store does not sync with HQ: everything done after the backup will be lost."
                    if future else "This store does not sync with HQ: everything done after the backup is lost.",
                    {}))
    if aside is not None:
        out.append(("The database as it was before is kept as {name}.", {"name": aside.name}))
    return out


def _enrolled_and_unsynced(db: StoreDatabase) -> tuple[bool, int]:
    from core.sync.enrolment import status as sync_status
    with db.session() as s:
        st = sync_status(s)
    return st.enrolled, st.pending + st.parked


def _key_from_current(current: StoreDatabase, info: BackupInfo) -> bytes | None:
    wrapped = info.sidecar.get("keys", {}).get("master")
    master = keys.master_key(current, create=False)
    if master is None or wrapped is None:
        return None
    try:
        return keys.unwrap(master, wrapped, info.db_id)
    except keys.KeyNotOpened:
        return None


def preview(backup_path: Path | str, *, current: StoreDatabase | None) -> RestorePreview:
    """What restoring this backup would mean (nothing is changed)."""
    info = files.read(Path(backup_path))
    if info.problem is not None:
        raise BackupDamaged(info.problem)
    if current is None:
        return RestorePreview(info, None, bool(info.last_push), True)
    enrolled, unsynced = _enrolled_and_unsynced(current)
    return RestorePreview(info, unsynced, enrolled, _key_from_current(current, info) is None)


def _open_with_code(code: str, info: BackupInfo) -> bytes:
    """The backup's key from its recovery box (ValidationError for a mistyped code)."""
    try:
        return keys.open_with_code(code, info.sidecar.get("keys", {}).get("recovery"))
    except keys.KeyNotOpened:
        raise BackupFailed("this recovery key does not open this backup") from None


def _no_recovery_box() -> BackupFailed:
    return BackupFailed("this backup was made before the store had a recovery key: only the store database it "
                        "was made from opens it")


def _backup_key(info: BackupInfo, db_path: Path, current: StoreDatabase | None, actor: Actor | None,
                code: str | None) -> bytes:
    """The backup's key. An admin (``actor``): from the current database's backup master
    key, else from ``code``. No one signed in: ``code`` is the authority, so it must be the
    store's: it opens the backup's recovery box, or (a backup made before the store had a
    recovery key) the store database's key information, and the current database then
    gives the key."""
    recoverable = info.recoverable_with_code
    if actor is None:
        if code is None:
            raise PermissionDenied(Perm.MANAGE_STORE.value, "nobody")
        if recoverable:
            key = _open_with_code(code, info)
        else:
            from core.recovery import candidates
            try:
                candidates(db_path, code)
            except NotAnOrchardDatabase:            # no key information left to check it against
                raise _no_recovery_box() from None
            except WrongKey:
                raise BackupFailed("this recovery key does not open this backup") from None
            found = _key_from_current(current, info) if current is not None else None
            if found is None:
                raise _no_recovery_box()
            key = found
    else:
        found = _key_from_current(current, info) if current is not None else None
        if found is None and code is not None:
            if not recoverable:
                raise _no_recovery_box()
            found = _open_with_code(code, info)
        if found is None:
            raise BackupFailed("this backup was not made from this store database; restore it with the recovery key")
        key = found
    if info.sidecar.get("key_check") != key_check(key):
        raise BackupFailed("this recovery key does not open this backup")
    return key


def _check(info: BackupInfo, key: bytes) -> None:
    if info.sidecar.get("sha256") != files.file_digest(info.path):
        raise BackupDamaged("the backup file changed since it was written: it is damaged")
    last_push = info.sidecar.get("last_push")
    expected = files.Snapshot(dict(info.counts), info.pending, info.schema,
                              last_push if isinstance(last_push, str) else None)
    files.check_copy(info.path, key, expected)


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _declare_epoch(s: Session, actor: Actor | None) -> int:
    """A new audit epoch after the restore: the trail lost what came after the backup.
    An admin declares it (core.audit.start_epoch). With no one signed in (the recovery key
    restored a store whose database was gone), the holder of the recovery key is the
    authority: the same entry and epoch, recorded without a staff member."""
    if actor is not None:
        return audit.start_epoch(s, actor, "restored_from_backup")
    ack = audit.hq_ack(s)
    new = max(audit.epoch(s), ack[0] if ack is not None else 0) + 1
    audit.record(s, None, "audit.epoch_start", "audit", None, detail=f"epoch={new};reason=restored_from_backup")
    row = s.get(SyncState, audit.EPOCH_KEY)
    if row is None:
        s.add(SyncState(key=audit.EPOCH_KEY, value=str(new)))
    else:
        row.value = str(new)
    s.flush()
    return new


def _open_copy(path: Path, key: bytes, db_id: str) -> StoreDatabase:
    from core.db import StoreDatabase, make_engine, migrate
    engine = make_engine(path, key)
    try:
        migrate(engine)
        return StoreDatabase(path, key, engine, db_id)
    except BaseException:
        engine.dispose()
        raise


def _finish_copy(db: StoreDatabase, actor: Actor | None, info: BackupInfo, carried: dict[str, str],
                 now: datetime) -> tuple[int, bool]:
    """Record the restore inside the copy (closed here); returns (the new audit epoch,
    whether the copy syncs with HQ)."""
    from core.sync.enrolment import load_settings
    try:
        with db.session(write=True) as s:
            epoch = _declare_epoch(s, actor)
            detail = ";".join(f"{k}={v}" for k, v in info.counts.items())
            audit.record(s, actor, "backup.restored", "backup", None,
                         detail=f"backup_at={info.created_at.isoformat()};{detail};method="
                                f"{'admin' if actor is not None else 'recovery_key'}")
            if carried:
                schedule._put_all(s, carried)
            row = s.get(SyncState, RESTORED_KEY)
            value = f"{info.created_at.isoformat()}|{now.isoformat()}"
            if row is None:
                s.add(SyncState(key=RESTORED_KEY, value=value))
            else:
                row.value = value
            enrolled = load_settings(s) is not None
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return epoch, enrolled


def _aside_name(db_path: Path, now: datetime) -> Path:
    aside = db_path.with_name(f"{db_path.name}.before-restore-{_stamp(now)}")
    n = 1
    while any(Path(str(aside) + s).exists() for s in ("", "-wal", "-shm", ".meta.json")):
        n += 1
        aside = db_path.with_name(f"{db_path.name}.before-restore-{_stamp(now)}-{n}")
    return aside


def _link(src: Path, dst: Path) -> None:
    """A second name for ``src`` (a copy on a file system without hard links)."""
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        shutil.copy2(src, dst)


def _keep_aside(db_path: Path, now: datetime) -> tuple[Path | None, list[Path]]:
    """The current files (database, -wal, -shm, key information) under the name
    ``<db>.before-restore-<stamp>`` too, as hard links: the current names stay until the
    copy replaces them. Returns the aside name (None: nothing to keep) and the names made."""
    aside = _aside_name(db_path, now)
    made: list[Path] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(db_path) + suffix)
            if src.exists():
                _link(src, Path(str(aside) + suffix))
                made.append(Path(str(aside) + suffix))
        if meta_path(db_path).exists():
            _link(meta_path(db_path), meta_path(aside))
            made.append(meta_path(aside))
    except BaseException:
        for name in made:
            name.unlink(missing_ok=True)
        raise
    return (aside if made else None), made


def _put_back(db_path: Path, aside: Path | None, made: list[Path], meta_replaced: bool) -> None:
    """After a failed swap (the copy never took the name): the current files as they were,
    the aside names gone."""
    if aside is not None:
        for suffix in ("-wal", "-shm"):
            kept, name = Path(str(aside) + suffix), Path(str(db_path) + suffix)
            if kept in made and not name.exists():
                _link(kept, name)
    if meta_replaced:
        if aside is not None and meta_path(aside) in made:
            atomic_write(meta_path(db_path), meta_path(aside).read_bytes())
        else:
            meta_path(db_path).unlink(missing_ok=True)
    for name in made:
        name.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _usable_current_key(db_path: Path, passphrase: str | None) -> bytes | None:
    """The key the current key information gives (keyring or passphrase) when the
    database itself is not open (damaged, or gone with its key information left)."""
    if not meta_path(db_path).exists():
        return None
    try:
        found = [c for c in Vault(db_path).checked_candidates(passphrase) if not c.pending]
    except (VaultError, ValueError):
        return None
    return found[0].key if found else None


def _new_meta(db_path: Path, db_id: str, passphrase: str | None) -> tuple[bytes, DbMeta]:
    """A new key for the restored file (keyring, else from ``passphrase``) under the
    backup's database id, so its HQ credential and keyring names are found as before."""
    key, meta = Vault(db_path).new_key(passphrase)
    Vault(db_path).forget_new_key(meta)           # made under a random id: kept below under the backup's
    meta.db_id = db_id
    return key, meta


def _remove_staging(staging: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(staging) + suffix).unlink(missing_ok=True)


def restore(db_path: Path | str, backup_path: Path | str, *, actor: Actor | None, now: datetime,
            current: StoreDatabase | None = None, recovery_code: str | None = None,
            passphrase: str | None = None) -> RestoreReport:
    """Restore ``backup_path`` in place of the database at ``db_path``, after the caller's
    confirmation (see :func:`preview`). The backup's key comes from ``current`` (the open
    current database: its backup master key; an admin ``actor`` is required) or from
    ``recovery_code`` (the current database is gone or will not open: the code's holder
    may restore with no one signed in, and the code must open the backup, or for a backup
    made before the store had a recovery key, the store database's key information).
    ``current`` is closed here (any later use of it raises core.db.DatabaseClosed) before
    the copy takes its name; the caller lets its other users finish first (BackupFailed
    when the file is still open elsewhere) and opens the database again after.
    ``passphrase``: for a store whose database and key are both gone, on a computer
    without a keyring (the new key is made from it)."""
    if actor is not None:
        require(actor, Perm.MANAGE_STORE)
    elif recovery_code is None:
        raise PermissionDenied(Perm.MANAGE_STORE.value, "nobody")
    db_path = Path(db_path)
    info = files.read(Path(backup_path))
    if info.problem is not None:
        raise BackupDamaged(info.problem)
    key = _backup_key(info, db_path, current, actor, recovery_code)
    _check(info, key)
    unsynced = _enrolled_and_unsynced(current)[1] if current is not None else None
    carried = schedule.settings_of(current) if current is not None else {}

    staging = db_path.with_name(f".{db_path.name}.restoring")
    _remove_staging(staging)
    new_meta: DbMeta | None = None
    target_key: bytes | None = None
    try:
        if current is not None:
            copy = current.import_copy(info.path, key, staging)
        else:
            from core.db import copy_encrypted
            target_key = _usable_current_key(db_path, passphrase)
            if target_key is not None:
                db_id = Vault(db_path).meta.db_id
            else:
                target_key, new_meta = _new_meta(db_path, info.db_id, passphrase)
                db_id = info.db_id
            copy_encrypted(info.path, key, staging, target_key)
            copy = _open_copy(staging, target_key, db_id)
        epoch, enrolled = _finish_copy(copy, actor, info, carried, now)
        for suffix in ("-wal", "-shm"):            # closed and checkpointed: nothing of it lives there
            leftover = Path(str(staging) + suffix)
            if leftover.exists() and leftover.stat().st_size and suffix == "-wal":
                raise BackupFailed("the copy of the backup could not be finished; nothing was changed")
            leftover.unlink(missing_ok=True)
        if current is not None:
            current.close()
            if Path(str(db_path) + "-wal").exists():
                # every connection of this handle is closed, so SQLite would have removed it:
                # another window or command still has the database open
                raise BackupFailed("the store database is still open elsewhere (another Orchard window or "
                                   "command); close it and restore again; nothing was changed")
        aside, made = _keep_aside(db_path, now)
    except BaseException:
        _remove_staging(staging)
        raise

    # from here the current database is complete under the aside name too; the copy takes
    # the database's name in one rename, the last step
    meta_replaced = False
    try:
        if new_meta is not None and target_key is not None:
            meta_replaced = True
            new_meta.save(db_path)
            if new_meta.key_source == "keyring":
                Vault(db_path).keep_in_keyring(target_key)
        for suffix in ("-wal", "-shm"):          # the current database's: never paired with the copy
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(staging, db_path)
    except BaseException:
        _put_back(db_path, aside, made, meta_replaced)
        _remove_staging(staging)
        raise
    _fsync_dir(db_path.parent)
    if new_meta is not None and target_key is not None and recovery_code is not None:
        try:
            from core.recovery import enable
            enable(db_path, target_key, recovery_code)    # the same printed code keeps working
        except (OrchardError, ValueError):
            pass
    return RestoreReport(info.created_at, dict(info.counts), info.pending, unsynced, enrolled, aside, epoch, info)


__all__ = ["RestorePreview", "RestoreReport", "fill", "preview", "restore"]
