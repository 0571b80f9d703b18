"""Backups that restore (issue 24).

- :func:`run_backup` writes a checked, encrypted copy of the store database with a
  sidecar describing it (:mod:`core.backup.files`), prunes old ones by
  :func:`core.backup.retention.keep`, and records how it went (:mod:`core.backup.schedule`).
- :func:`list_backups` lists a folder of them; :func:`preview` and :func:`restore` put one
  back in place of the store database (:mod:`core.backup.restore`).
- A backup's key is its own (:mod:`core.backup.keys`): the backup master key inside the
  database opens it, and so does the store's recovery key.

No Qt here: the desktop runs these on its io pool, the CLI runs them as they are.
"""

from __future__ import annotations

from core.backup.files import BackupDamaged, BackupFailed, BackupInfo, list_backups
from core.backup.restore import RestorePreview, RestoreReport, preview, restore
from core.backup.retention import keep
from core.backup.run import prune, run_backup
from core.backup.schedule import BackupProblem, BackupStatus, configure, due, status

__all__ = ["BackupDamaged", "BackupFailed", "BackupInfo", "BackupProblem", "BackupStatus", "RestorePreview",
           "RestoreReport", "configure", "due", "keep", "list_backups", "preview", "prune", "restore",
           "run_backup", "status"]
