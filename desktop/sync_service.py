"""Sync in the background: on a timer, soon after a local change, and on demand. Each run
is one :meth:`core.sync.client.SyncClient.sync` on the runner's I/O pool, so the GUI
never waits for HQ; its outcome becomes the status bar's text (``ctx.sync_state_changed``)
and, when rows arrived, one ``operation_did_execute`` so the screens showing them refresh.

The lead creates one per open database::

    self.sync_service = SyncService(ctx, self)      # after ctx.db is set
    self.sync_service.start()
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core import clock
from core.care import escalation, surveys
from core.crm import dashboard as crm_dashboard
from core.messages import links
from core.sync import client as sync_client
from core.version import VERSION
from desktop import fmt
from desktop.context import AppContext, Changes
from desktop.errors import tr as core_tr
from desktop.qt import QObject, QTimer, Signal

if TYPE_CHECKING:
    from core.db import StoreDatabase
    from core.sync.client import SyncReport, SyncStatus
    from desktop.workers import Progress

INTERVAL_S = 120           # between runs while nothing happens
AFTER_WRITE_S = 10         # a local change goes to HQ this soon after it (debounced)
FIRST_MS = 1500            # the first run after start


class SyncService(QObject):
    status_changed = Signal(object)      # core.sync.client.SyncStatus
    running_changed = Signal(bool)
    finished = Signal(object)            # SyncReport, or the exception of a failed run

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, interval_s: int = INTERVAL_S,
                 after_write_s: int = AFTER_WRITE_S) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status: sync_client.SyncStatus | None = None
        self.running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_s * 1000)
        self.timer.timeout.connect(self.sync_now)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(after_write_s * 1000)
        self.soon.timeout.connect(self.sync_now)
        self.first = QTimer(self)            # the first run, soon after start (stop() cancels it)
        self.first.setSingleShot(True)
        self.first.setInterval(FIRST_MS)
        self.first.timeout.connect(self.sync_now)
        self.stopped = False                 # stop() until start(): no run starts (a restore, a key change)
        self._own_changes: Changes | None = None
        self.last_escalations: escalation.EscalationReport | None = None
        self.escalation_failures = 0     # escalation runs or requests that failed (core.care.escalation)
        ctx.operation_did_execute.connect(self._local_change)
        ctx.sync_service = self          # the Sync panel finds it here

    # --- control ---------------------------------------------------------------------------

    def start(self) -> None:
        self.stopped = False
        self.timer.start()
        self.refresh()
        self.first.start()

    def stop(self) -> None:
        """No new run starts until start() (a run in flight finishes: see ``running``)."""
        self.stopped = True
        self._again = False
        self.timer.stop()
        self.soon.stop()
        self.first.stop()

    def _local_change(self, changes: Changes) -> None:
        if changes is self._own_changes or not self.timer.isActive():
            return
        if self.status is not None and self.status.enrolled:
            self.soon.start()

    def sync_now(self, *, just_enrolled: bool = False) -> bool:
        """Start a run unless one is going (then one more follows it). False when this
        store is not enrolled or no database is open. ``just_enrolled``: the enrolment that
        just succeeded stands for the status this service has not read again yet (its
        first sync starts at once, not at the next tick of the timer)."""
        db = self.ctx.db
        if db is None or self.stopped or (not just_enrolled and self.status is not None
                                          and not self.status.enrolled):
            return False
        if self.running:
            self._again = True
            return True
        self.running = True
        self.running_changed.emit(True)
        self.ctx.sync_state_changed.emit(self.tr("Syncing with HQ…"))

        def work(progress: Progress) -> SyncReport:
            with sync_client.SyncClient(db) as client:
                report = client.sync()
            self._escalate(db)          # complaints to the region and its notes back, same worker
            return report
        self.ctx.runner.submit(work, on_result=self._done, on_error=self._failed, pool="io", owner=self)
        return True

    def _escalate(self, db: StoreDatabase) -> None:
        """After a good sync: the manager's calls for low answers that came by receipt, the
        customer's answers by link (core.messages.links), then core.care.escalation's run. Each is tried on its own (one failing never skips the
        other) and neither fails the sync; a failure is counted (``escalation_failures``)
        and the next run tries again."""
        try:
            surveys.calls_after_sync(db)        # a low answer that came by receipt: the manager's call
        except Exception:           # noqa: BLE001 - counted, never shown as a failed sync
            self.escalation_failures += 1
        try:
            links.apply_link_answers(db)        # the customer's answers on HQ's approval page move the tickets
        except Exception:           # noqa: BLE001 - counted, never shown as a failed sync
            self.escalation_failures += 1
        try:
            crm_dashboard.snapshot_after_sync(db)   # today's customers per segment, for the dashboard's movement
        except Exception:           # noqa: BLE001 - counted, never shown as a failed sync
            self.escalation_failures += 1
        try:
            found = escalation.sync_escalations(db)
        except Exception:           # noqa: BLE001 - counted, never shown as a failed sync
            self.escalation_failures += 1
            return
        self.last_escalations = found
        self.escalation_failures += found.failed

    def refresh(self) -> None:
        """Read the local sync status and show it (nothing while no database is open: a
        restore or the app closing closed it)."""
        db = self.ctx.db
        if db is None or db.closed:
            return

        def work(progress: Progress) -> SyncStatus:
            with db.session() as s:
                return sync_client.status(s)
        # the I/O pool: the database thread may be busy with a long operation
        self.ctx.runner.submit(work, on_result=self._show, pool="io", owner=self)

    # --- outcomes --------------------------------------------------------------------------

    def _finish(self) -> None:
        self.running = False
        self.running_changed.emit(False)
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.sync_now)

    def _done(self, report: sync_client.SyncReport) -> None:
        self._finish()
        if report.entities:
            self._own_changes = Changes(frozenset(report.entities))
            self.ctx.operation_did_execute.emit(self._own_changes)
        self.finished.emit(report)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.finished.emit(exc)
        self.refresh()

    def _show(self, status: sync_client.SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)
        if not self.running:
            self.ctx.sync_state_changed.emit(self.describe(status))

    # --- words -----------------------------------------------------------------------------

    def when(self, dt: datetime | None) -> str:
        if dt is None:
            return self.tr("never")
        if fmt.local(dt).date() == fmt.local(clock.now()).date():
            return fmt.time_only(dt)
        return fmt.date_time(dt)

    def too_old_text(self, st: sync_client.SyncStatus) -> str:
        """Why sync stopped when HQ no longer accepts this version (core.version)."""
        return self.tr("Sync stopped: this version ({0}) is older than the oldest HQ accepts ({1}); "
                       "update Orchard").format(VERSION, st.oldest_version or "?")

    def update_text(self, st: sync_client.SyncStatus) -> str:
        """The words 'Update available: x.y.z' when HQ announced a newer version; empty otherwise."""
        newer = st.update_available
        return self.tr("Update available: {0}").format(newer) if newer else ""

    def describe(self, st: sync_client.SyncStatus) -> str:
        """The status bar's words, kept short: last success, what waits, the error if any."""
        if not st.enrolled:
            return self.tr("Offline: not connected to HQ")
        waiting = self.tr("all sent") if st.pending == 0 else self.tr("{0} waiting").format(st.pending)
        if st.version_too_old:
            # not a hiccup a retry gets over: said whole, with what to do
            parts = [self.too_old_text(st), self.tr("last synced {0}").format(self.when(st.last_success))]
        elif st.last_error:
            # the first clause of the core's message is the reason; the rest is advice
            reason = core_tr(st.last_error).split(";")[0].strip()
            parts = [self.tr("Sync failed: {0}").format(reason),
                     self.tr("last synced {0}").format(self.when(st.last_success))]
        else:
            parts = [self.tr("Synced {0}").format(self.when(st.last_success))]
        if st.update_available:
            parts.insert(1, self.update_text(st))
        parts.append(waiting)
        if st.parked:
            parts.append(self.tr("{0} refused").format(st.parked))
        return " · ".join(parts)
