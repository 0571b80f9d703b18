"""Backups on schedule: every :data:`CHECK_S` seconds ask :func:`core.backup.due`, and when a
backup is due run :func:`core.backup.run_backup` on the runner's I/O pool (the GUI never
waits for the copy). Each check ends with the backup status, announced in
``status_changed`` (the managers' warning on the shell follows it).

The main window makes one per open database and starts it::

    self.backup_scheduler = BackupScheduler(ctx, self)
    self.backup_scheduler.status_changed.connect(...)
    self.backup_scheduler.start()

The first check waits :data:`FIRST_S` seconds, so start-up and sign-in are not slowed by a
copy of the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable

from core import clock
from core.backup import BackupStatus, due, run_backup, status
from desktop.qt import QObject, QTimer, Signal

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.workers import Progress

CHECK_S = 600          # every ten minutes
FIRST_S = 120          # the first check after start-up


class BackupScheduler(QObject):
    status_changed = Signal(object)      # core.backup.BackupStatus
    backup_finished = Signal(object)     # BackupInfo of a scheduled backup, or the exception of a failed one

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *,
                 now: Callable[[], datetime] = clock.now, check_s: int = CHECK_S, first_s: int = FIRST_S) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.now = now
        self.first_s = first_s
        self.status: BackupStatus | None = None
        self.running = False
        self.stopped = False        # stop() until start(): no backup starts (a restore is under way)
        self.timer = QTimer(self)
        self.timer.setInterval(check_s * 1000)
        self.timer.timeout.connect(self.check)
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.timeout.connect(self.check)
        ctx.actor_changed.connect(lambda _: self.refresh())     # whoever signs in sees how backups stand
        ctx.backup_scheduler = self          # the Backups panel finds it here

    def start(self) -> None:
        self.stopped = False
        self.timer.start()
        self.first.start(self.first_s * 1000)
        self.refresh()

    def stop(self) -> None:
        """No new backup starts until start() (one in flight finishes: see ``running``)."""
        self.stopped = True
        self.timer.stop()
        self.first.stop()

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def check(self) -> bool:
        """Back up if one is due (on the I/O pool); False when nothing was started."""
        db = self.ctx.db
        if db is None or self.running or self.stopped:
            return False
        self.running = True
        now = self.now

        def work(progress: Progress) -> tuple[BackupStatus, object]:
            outcome: object = None
            if due(db, now()):
                try:
                    outcome = run_backup(db, None, now())
                except Exception as exc:  # noqa: BLE001 - recorded by run_backup; shown through the status
                    outcome = exc
            return status(db, now()), outcome
        self.ctx.runner.submit(work, on_result=self._checked, on_error=self._failed, pool="io", owner=self)
        return True

    def _checked(self, result: tuple[BackupStatus, object]) -> None:
        self.running = False
        st, outcome = result
        self._show(st)
        if outcome is not None:
            self.backup_finished.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        # the status itself could not be read (the database closed under it): the next check tries again
        self.running = False
        from desktop.errors import log_failure
        log_failure(exc, "backup check")

    def refresh(self) -> None:
        """Read the backup status again and announce it (after "Back up now", at sign-in)."""
        db = self.ctx.db
        if db is None:
            return
        now = self.now
        self.ctx.runner.submit(lambda p: status(db, now()), on_result=self._show, on_error=self._not_read,
                               pool="io", owner=self)

    def _not_read(self, exc: BaseException) -> None:
        from desktop.errors import log_failure
        log_failure(exc, "backup status")

    def _show(self, st: BackupStatus) -> None:
        self.status = st
        self.status_changed.emit(st)
