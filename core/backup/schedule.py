"""When backups run, and how they went: kept in ``sync_state`` (local, never synced).

Keys: "backup.folder" (default: ``backups`` beside the database), "backup.every_hours"
(default 24), "backup.last_ok" (ISO time of the last verified backup), "backup.last_error"
(the last failure since then: its time and the core's message template with its values,
so the screen shows it in the user's language), "backup.last_try".

A backup is *due* when the last success is ``every_hours`` old (or there is none) and the
last try is not within :data:`RETRY_MINUTES` (a failing disk is not hammered every check).
It is *overdue* when no backup succeeded within ``every_hours`` plus :data:`GRACE_HOURS`;
managers see a warning then, and after a failure, until a backup succeeds. No Qt here.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import OrchardError, ValidationError
from core.models import Store
from core.sync.apply import get_state, set_state
from core.permissions import Actor, Perm, require

if TYPE_CHECKING:
    from core.db import StoreDatabase

FOLDER_KEY = "backup.folder"
EVERY_KEY = "backup.every_hours"
LAST_OK_KEY = "backup.last_ok"
LAST_ERROR_KEY = "backup.last_error"
LAST_TRY_KEY = "backup.last_try"
KEYS = (FOLDER_KEY, EVERY_KEY, LAST_OK_KEY, LAST_ERROR_KEY, LAST_TRY_KEY)

EVERY_DEFAULT = 24
EVERY_MIN, EVERY_MAX = 1, 168          # at least hourly at most, at least weekly
GRACE_HOURS = 2
RETRY_MINUTES = 30
DEFAULT_FOLDER = "backups"             # beside the database file
# why a backup failed, when the failure is not one of the core's own errors (the words are
# shown to managers; scripts/extract_core_messages.py collects them for translation)
_FAILURE_REASONS = {
    "full": "the backup could not be written: the backup folder's disk is full",
    "denied": "the backup could not be written: the backup folder cannot be written",
    "gone": "the backup could not be written: the backup folder is missing or was unplugged",
    "os": "the backup could not be written to the backup folder",
    "other": "the backup failed because of an unexpected error",
}
# what an operating system error means for a backup, without its (English) text
_OS_ERRORS = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EFBIG: "full", errno.EACCES: "denied",
              errno.EPERM: "denied", errno.EROFS: "denied", errno.ENOENT: "gone", errno.ENOTDIR: "gone",
              errno.ENODEV: "gone", errno.ENXIO: "gone", errno.EIO: "os"}


@dataclass(frozen=True)
class BackupProblem:
    """Why the last backup failed: the core's message template and its values."""

    at: datetime
    template: str
    params: dict[str, Any]

    @property
    def message(self) -> str:
        try:
            return self.template.format(**self.params) if self.params else self.template
        except (KeyError, IndexError, ValueError):
            return self.template


@dataclass(frozen=True)
class BackupStatus:
    folder: Path
    folder_chosen: bool              # False: the default folder beside the database
    every_hours: int
    last_ok: datetime | None
    last_error: BackupProblem | None  # only a failure after the last success
    overdue: bool
    next_due: datetime | None        # None: due now
    # the store has no recovery key (made before there were any, the demo): its backups open
    # only with this database, so they are lost with this computer
    no_recovery_key: bool = False


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _every(text: str | None) -> int:
    try:
        value = int(text or EVERY_DEFAULT)
    except ValueError:
        return EVERY_DEFAULT
    return min(EVERY_MAX, max(EVERY_MIN, value))


def _problem(text: str | None) -> BackupProblem | None:
    if not text:
        return None
    try:
        raw = json.loads(text)
        at = datetime.fromisoformat(raw["at"])
        params = raw.get("params") or {}
        return BackupProblem(at, str(raw["template"]), dict(params) if isinstance(params, dict) else {})
    except (ValueError, KeyError, TypeError):
        return BackupProblem(datetime.min.replace(tzinfo=timezone.utc), _FAILURE_REASONS["other"], {})


def default_folder(db: StoreDatabase) -> Path:
    return db.path.parent / DEFAULT_FOLDER


def _read(db: StoreDatabase, s: Session, now: datetime) -> BackupStatus:
    chosen = get_state(s, FOLDER_KEY)
    folder = Path(chosen) if chosen else default_folder(db)
    every = _every(get_state(s, EVERY_KEY))
    last_ok = _when(get_state(s, LAST_OK_KEY))
    problem = _problem(get_state(s, LAST_ERROR_KEY))
    if problem is not None and last_ok is not None and problem.at <= last_ok:
        problem = None
    limit = timedelta(hours=every + GRACE_HOURS)
    if last_ok is not None:
        overdue = now - last_ok > limit
        next_due: datetime | None = last_ok + timedelta(hours=every)
        if next_due is not None and next_due <= now:
            next_due = None
    else:
        # never backed up: overdue once the store has been open that long without one
        since = s.scalar(select(Store.created_at).order_by(Store.created_at).limit(1))
        overdue = since is not None and now - since > limit
        next_due = None
    return BackupStatus(folder, bool(chosen), every, last_ok, problem, overdue, next_due,
                        no_recovery_key=not _has_recovery_key(db))


def _has_recovery_key(db: StoreDatabase) -> bool:
    """Whether the store's backups are sealed to a recovery key too (core.recovery); a meta
    file that cannot be read counts as one (the database itself says nothing then)."""
    from core.recovery import enabled
    try:
        return enabled(db.path)
    except (OrchardError, OSError, ValueError):
        return True


def status(db: StoreDatabase, now: datetime) -> BackupStatus:
    """How backups stand (times and counts only; the managers' warning and the Settings
    panel read it)."""
    with db.session() as s:
        return _read(db, s, now)


def due(db: StoreDatabase, now: datetime) -> bool:
    """Whether the scheduler should back up now."""
    with db.session() as s:
        st = _read(db, s, now)
        last_try = _when(get_state(s, LAST_TRY_KEY))
    if st.next_due is not None:
        return False
    return last_try is None or now - last_try >= timedelta(minutes=RETRY_MINUTES) or (
        st.last_ok is not None and last_try <= st.last_ok)


def check_folder(folder: Path) -> None:
    """The folder exists (made if it can be) and takes a file; ValidationError if not."""
    if not folder.is_absolute():
        raise ValidationError("folder", "give the whole path of the backup folder")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".orchard-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError:
        raise ValidationError("folder", "Orchard cannot write to this folder; choose another one") from None


def configure(db: StoreDatabase, actor: Actor, *, folder: Path | str | None, every_hours: int,
              now: datetime) -> BackupStatus:
    """Set the backup folder (None: the default beside the database) and how often the
    scheduler backs up. Managers and admins."""
    require(actor, Perm.MANAGE_BACKUPS)
    if not isinstance(every_hours, int) or not EVERY_MIN <= every_hours <= EVERY_MAX:
        raise ValidationError("every_hours", "must be from {low} to {high} hours", low=EVERY_MIN, high=EVERY_MAX)
    path = Path(folder).expanduser() if folder else None
    if path is not None:
        check_folder(path)
    text = str(path) if path is not None else None
    if text is not None and len(text) > 400:
        raise ValidationError("folder", "the folder's path is too long (at most {n} characters)", n=400)
    with db.session(write=True) as s:
        set_state(s, FOLDER_KEY, text)
        set_state(s, EVERY_KEY, str(every_hours))
        # the folder's path may name a person's home folder: the trail keeps the hours only
        audit.record(s, actor, "backup.configured", "backup", None,
                     detail=f"every_hours={every_hours};folder={'chosen' if text else 'default'}")
    return status(db, now)


def record_try(db: StoreDatabase, now: datetime) -> None:
    with db.session(write=True) as s:
        set_state(s, LAST_TRY_KEY, now.isoformat())


def record_success(db: StoreDatabase, now: datetime) -> None:
    with db.session(write=True) as s:
        set_state(s, LAST_OK_KEY, now.isoformat())
        set_state(s, LAST_ERROR_KEY, None)


def record_failure(db: StoreDatabase, exc: BaseException, now: datetime) -> BackupProblem:
    """Keep why the backup failed, in words safe to show (never a path or a value)."""
    params: dict[str, Any]
    if isinstance(exc, OrchardError):
        template, params = exc.template, {k: v for k, v in exc.params.items()
                                          if isinstance(v, (str, int, float))}
    elif isinstance(exc, OSError):
        template, params = _FAILURE_REASONS[_OS_ERRORS.get(exc.errno or 0, "os")], {}
    else:
        template, params = _FAILURE_REASONS["other"], {}
    problem = BackupProblem(now, template, params)
    value = json.dumps({"at": now.isoformat(), "template": template, "params": params})
    if len(value) > 400:
        value = json.dumps({"at": now.isoformat(), "template": _FAILURE_REASONS["other"], "params": {}})
    with db.session(write=True) as s:
        set_state(s, LAST_ERROR_KEY, value)
    return problem


def settings_of(db: StoreDatabase) -> dict[str, str]:
    """The backup settings and status of a database, as kept (carried across a restore)."""
    with db.session() as s:
        return {k: v for k in KEYS if (v := get_state(s, k)) is not None}


def _put_all(s: Session, values: dict[str, str]) -> None:
    for key in KEYS:
        set_state(s, key, values.get(key))
