"""``run_backup``: one backup, start to finish (the scheduler, "Back up now", ``orchard backup``)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core import audit, erasure, staff
from core.backup import files, keys, retention, schedule
from core.backup.files import BackupFailed, BackupInfo
from core.errors import OrchardError
from core.permissions import Actor, Perm, require

if TYPE_CHECKING:
    from core.db import StoreDatabase

log = logging.getLogger("orchard")


def run_backup(db: StoreDatabase, actor: Actor | None, now: datetime, folder: Path | str | None = None) -> BackupInfo:
    """Back up ``db`` into ``folder`` (default: the configured one), check the copy, prune
    older backups of this database by :func:`core.backup.retention.keep`, and record the
    outcome for the status and the managers' warning. ``actor`` None: the scheduler, or
    ``orchard backup`` run by whoever holds the database key on this computer.

    Raises BackupFailed (or a ValidationError for the folder); the failure is recorded
    and shown until a backup succeeds."""
    if actor is not None:
        require(actor, Perm.MANAGE_BACKUPS)
    schedule.record_try(db, now)
    try:
        # the nightly backup also does a file rewrite an erasure still owes (core.erasure): a
        # store that does not sync (not enrolled) has no other moment for it
        erasure.rewrite_if_owed(db.engine)
        info = _write(db, now, folder)
    except Exception as exc:
        problem = schedule.record_failure(db, exc, now)
        log.warning("backup failed: %s", type(exc).__name__)
        if isinstance(exc, OrchardError):
            raise
        raise BackupFailed(problem.template, **problem.params) from exc
    try:
        prune(Path(info.path).parent, db.db_id, now)
    except OSError as exc:           # the backup is good; an old one stays a while longer
        log.warning("pruning old backups failed: %s", type(exc).__name__)
    schedule.record_success(db, now)
    with db.session(write=True) as s:
        detail = ";".join(f"{k}={v}" for k, v in info.counts.items())
        audit.record(s, actor, "backup.written", "backup", None, detail=f"{detail};pending={info.pending}")
    return info


def _write(db: StoreDatabase, now: datetime, folder: Path | str | None) -> BackupInfo:
    master = keys.master_key(db)            # committed first: the copy holds it too
    assert master is not None
    with db.session() as s:
        store = staff.current_store(s)
    target = Path(folder).expanduser() if folder else schedule.status(db, now).folder
    schedule.check_folder(target)
    key = keys.new_backup_key()
    block = {"master": keys.wrap(master, key, db.db_id), "recovery": keys.seal_for_recovery(db.path, key)}
    return files.write(db, target, store_code=store.code if store else "store", now=now, key=key,
                       keys_block=block)


def prune(folder: Path, db_id: str, now: datetime) -> list[BackupInfo]:
    """Delete the backups of database ``db_id`` in ``folder`` that retention does not keep
    (only well-described ones of this database; anything else is left alone). Returns them."""
    ours = [b for b in files.list_backups(folder) if b.db_id == db_id and b.problem is None]
    kept = retention.keep([b.created_at for b in ours], now)
    gone = [b for b in ours if b.created_at not in kept]
    # two backups in one second share a time: keep only the newest-named of those
    seen: set[datetime] = set()
    for b in ours:                  # newest first
        if b.created_at in kept and b.created_at in seen:
            gone.append(b)
        seen.add(b.created_at)
    for b in gone:
        files.remove(b)
    return gone
