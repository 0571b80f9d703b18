"""Backup files: writing one, checking one, listing a folder of them.

A backup is two files in the backup folder:

``orchard-<store code>-<YYYYmmddTHHMMSSZ>.orchard``
    An SQLCipher copy of the store database taken from one consistent snapshot, under
    its own random key (:mod:`core.backup.keys`). Never written to once in place.
``<the same name>.json`` (the sidecar)
    What is in it, readable without opening it: when, which store and database, the
    schema, counts of customers, tickets, appointments and loyalty entries, the changes
    not yet synced then and the last successful sync, the file's size and SHA-256, and
    its key wrapped two ways. Holds no personal data and no usable key.

A backup is written under a hidden temporary name, checked (opened with its key, SQLite's
integrity check, the counts equal those of the snapshot it was copied from), described,
and only then renamed into place: a file with the ``.orchard`` name is a checked one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import sqlcipher3

from core import folding
from core.cipher import apply_key
from core.errors import OrchardError
from core.vault import atomic_write, key_check

if TYPE_CHECKING:
    from core.db import StoreDatabase

FORMAT = "orchard-backup/1"
SUFFIX = ".orchard"
SIDECAR_SUFFIX = ".orchard.json"
# what the sidecar counts, by the name it shows: the table it counts
COUNTED: dict[str, str] = {"customers": "customer", "tickets": "repair_ticket", "appointments": "appointment",
                           "loyalty_entries": "loyalty_entry"}
_NAME = re.compile(r"^orchard-[A-Za-z0-9_-]+-\d{8}T\d{6}Z(?:-\d+)?\.orchard$")
# why a backup cannot be used: each a whole message (the restore raises it as it is; the
# desktop translates it, scripts/extract_core_messages.py collects it)
_PROBLEM_REASONS = {
    "not_orchard": "this backup cannot be restored: its description is not an Orchard backup's",
    "missing": "this backup cannot be restored: the backup file is missing",
    "changed": "this backup cannot be restored: the backup file changed since it was written",
    "no_description": "this backup cannot be restored: its description file is missing or unreadable",
}


class BackupFailed(OrchardError):
    """A backup could not be written, checked or restored (the message says why)."""


class BackupDamaged(BackupFailed):
    """The backup file is not what its description says: changed, cut short or damaged."""


@dataclass(frozen=True)
class Snapshot:
    """What a copy must hold: read inside the snapshot the copy is taken from."""

    counts: dict[str, int]
    pending: int
    schema: tuple[str, ...]
    last_push: str | None


def read_snapshot(conn: sqlcipher3.Connection) -> Snapshot:
    counts = {name: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
              for name, table in COUNTED.items()}
    pending = int(conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND rejected IS NULL")
                  .fetchone()[0])
    schema = tuple(sorted(r[0] for r in conn.execute("SELECT version_num FROM alembic_version")))
    row = conn.execute("SELECT value FROM sync_state WHERE key = 'sync.last_success'").fetchone()
    return Snapshot(counts, pending, schema, row[0] if row else None)


@dataclass(frozen=True)
class BackupInfo:
    """One backup as its sidecar describes it. ``problem`` says why it cannot be used
    (no readable description, a changed size: one of the whole messages of
    ``_PROBLEM_REASONS``); ``verified`` is True only without one."""

    path: Path
    created_at: datetime
    store_code: str
    db_id: str
    schema: tuple[str, ...]
    counts: Mapping[str, int]
    pending: int
    last_push: datetime | None
    size: int
    verified: bool
    problem: str | None = None
    sidecar: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def recoverable_with_code(self) -> bool:
        return isinstance(self.sidecar.get("keys", {}).get("recovery"), dict)


def sidecar_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def backup_name(store_code: str, now: datetime, n: int = 0) -> str:
    code = re.sub(r"[^A-Za-z0-9_-]", "_", store_code or "store") or "store"
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"orchard-{code}-{stamp}{f'-{n}' if n else ''}{SUFFIX}"


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def open_copy(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A read-only connection to a backup file (nothing is ever written to it)."""
    conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                              check_same_thread=False)
    try:
        apply_key(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        folding.install(conn)     # the integrity check reads the name indexes built with orchard_fold
    except BaseException:
        conn.close()
        raise
    return conn


def check_copy(path: Path, key: bytes, expected: Snapshot) -> None:
    """Open the copy with its key, run SQLite's integrity check, compare its counts with
    the snapshot's; BackupDamaged when any of it fails."""
    try:
        conn = open_copy(path, key)
    except sqlcipher3.DatabaseError:
        raise BackupDamaged("the backup file does not open with its key: it is damaged") from None
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            raise BackupDamaged("the backup file failed SQLite's integrity check: it is damaged")
        seen = read_snapshot(conn)
    except sqlcipher3.DatabaseError:
        raise BackupDamaged("the backup file failed SQLite's integrity check: it is damaged") from None
    finally:
        conn.close()
    if seen.counts != expected.counts or seen.pending != expected.pending or seen.schema != expected.schema:
        raise BackupDamaged("the backup file does not hold what was copied into it")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _place(tmp: Path, final: Path) -> None:
    """Rename ``tmp`` to ``final``, never over an existing file."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        raise
    except OSError:             # a file system without hard links (a FAT stick)
        if final.exists():
            raise FileExistsError(str(final)) from None
        os.replace(tmp, final)
    else:
        os.unlink(tmp)
    _fsync(final.parent)


def write(db: StoreDatabase, folder: Path, *, store_code: str, now: datetime, key: bytes,
          keys_block: Mapping[str, Any]) -> BackupInfo:
    """Copy ``db`` into ``folder`` under ``key``, check the copy, describe it (``keys_block``:
    the key wrapped for the sidecar) and put both in place."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    n = 0
    while (folder / backup_name(store_code, now, n)).exists() or sidecar_path(folder / backup_name(
            store_code, now, n)).exists():
        n += 1
    final = folder / backup_name(store_code, now, n)
    tmp = folder / f".{final.name}.partial"
    for leftover in (tmp, Path(str(tmp) + "-journal")):
        leftover.unlink(missing_ok=True)      # a crashed earlier try under this very name
    try:
        snap: Snapshot = db.export_to(tmp, key, read_snapshot)
        _fsync(tmp)
        check_copy(tmp, key, snap)
        size = tmp.stat().st_size
        described = {
            "format": FORMAT,
            "created_at": now.astimezone(timezone.utc).isoformat(),
            "store_code": store_code,
            "db_id": db.db_id,
            "schema": list(snap.schema),
            "counts": snap.counts,
            "pending": snap.pending,
            "last_push": snap.last_push,
            "size": size,
            "sha256": file_digest(tmp),
            "key_check": key_check(key),
            "keys": dict(keys_block),
            "verified": True,
        }
        atomic_write(sidecar_path(final), json.dumps(described, indent=2).encode("utf-8"), exclusive=True)
        try:
            _place(tmp, final)
        except BaseException:
            sidecar_path(final).unlink(missing_ok=True)
            raise
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + "-journal").unlink(missing_ok=True)
    return describe(final, described)


def _time(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def describe(path: Path, raw: Mapping[str, Any]) -> BackupInfo:
    """A BackupInfo from a sidecar's contents (``problem`` set when they do not fit)."""
    created = _time(raw.get("created_at"))
    counts_raw = raw.get("counts")
    counts = {k: int(v) for k, v in counts_raw.items()} if isinstance(counts_raw, dict) else {}
    problem = None
    if raw.get("format") != FORMAT or created is None:
        problem = _PROBLEM_REASONS["not_orchard"]
    try:
        size = path.stat().st_size
    except OSError:
        size = -1
        problem = problem or _PROBLEM_REASONS["missing"]
    if problem is None and size != raw.get("size"):
        problem = _PROBLEM_REASONS["changed"]
    return BackupInfo(
        path=path, created_at=created or datetime.fromtimestamp(0, timezone.utc),
        store_code=str(raw.get("store_code") or ""), db_id=str(raw.get("db_id") or ""),
        schema=tuple(str(s) for s in raw.get("schema") or ()), counts=counts,
        pending=int(raw.get("pending") or 0), last_push=_time(raw.get("last_push")), size=size,
        verified=problem is None and bool(raw.get("verified")), problem=problem, sidecar=dict(raw))


def read(path: Path) -> BackupInfo:
    """The backup at ``path`` as its sidecar describes it."""
    path = Path(path)
    try:
        raw = json.loads(sidecar_path(path).read_text("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError
    except (OSError, ValueError):
        return BackupInfo(path=path, created_at=datetime.fromtimestamp(0, timezone.utc), store_code="", db_id="",
                          schema=(), counts={}, pending=0, last_push=None,
                          size=path.stat().st_size if path.exists() else -1, verified=False,
                          problem=_PROBLEM_REASONS["no_description"])
    return describe(path, raw)


def list_backups(folder: Path | str) -> list[BackupInfo]:
    """The backups in ``folder``, newest first (those without a readable description
    too, marked with their problem, so nothing in the folder is hidden)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [read(p) for p in folder.iterdir() if _NAME.match(p.name) and p.is_file()]
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def remove(info: BackupInfo) -> None:
    """Delete a backup and its sidecar (pruning)."""
    info.path.unlink(missing_ok=True)
    sidecar_path(info.path).unlink(missing_ok=True)
