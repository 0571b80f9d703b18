"""Sync & settings → Backups (managers and admins): where backups go and how often, how the
last one went (in words), "Back up now", the backups in the folder with their dates and
counts, and for administrators "Restore…": choose a backup, see its date, its counts and
what was not yet synced, confirm, and the backup takes the database's place. The app then
opens the database again: :attr:`BackupPanel.database_restored` tells the main window.

:func:`backup_warning` is the managers' warning the shell shows while backups fail or are
overdue. All work runs on the runner's I/O pool (copies, folder listings, the restore).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import clock
from core.backup import (
    BackupInfo, BackupProblem, BackupStatus, RestorePreview, RestoreReport, configure, list_backups, preview,
    restore, run_backup, status,
)
from core.backup.schedule import EVERY_MAX, EVERY_MIN
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.errors import tr as core_tr
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QCheckBox, QCoreApplication, QDialog, QFileDialog, QFormLayout, QFontMetrics, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton, QSpinBox, QStyle, QTableView,
    QTimer, QVBoxLayout, QWidget, Qt, Signal,
)
from desktop.widgets.field import FieldRow, general_error
from desktop.widgets.message import MessageBanner

WAIT_MS = 250          # how often a restore looks whether the sync or backup in flight has finished

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.context import AppContext
    from desktop.workers import Progress


def problem_text(problem: BackupProblem) -> str:
    """Why a backup failed, in the user's language (the core's template, translated)."""
    try:
        return core_tr(problem.template).format(**problem.params) if problem.params else core_tr(problem.template)
    except (KeyError, IndexError, ValueError):
        return problem.message


def no_recovery_key_text() -> str:
    return QCoreApplication.translate(
        "BackupPanel", "This store has no recovery key: backups can only be restored on this computer until an "
                       "admin makes a recovery key in Sync & settings, Database key and recovery key.")


def backup_warning(st: BackupStatus | None) -> str | None:
    """The warning managers (and admins) see while the last backup failed or none succeeded
    in time, or while the store has no recovery key (its backups are lost with this
    computer); None while backups are fine."""
    if st is None:
        return None
    parts: list[str] = []
    if st.last_error is not None:
        parts.append(QCoreApplication.translate(
            "BackupPanel", "The last backup failed ({when}): {reason}. Until a backup succeeds the store's data "
                           "is not protected: see Sync & settings, Backups.").format(
            when=fmt.date_time(st.last_error.at), reason=problem_text(st.last_error)))
    elif st.overdue and st.last_ok is not None:
        parts.append(QCoreApplication.translate(
            "BackupPanel", "No backup since {when}: back up now in Sync & settings, Backups.").format(
            when=fmt.date_time(st.last_ok)))
    elif st.overdue:
        parts.append(QCoreApplication.translate(
            "BackupPanel", "This store has not been backed up yet: back up now in Sync & settings, Backups."))
    if st.no_recovery_key:
        parts.append(no_recovery_key_text())
    return "\n".join(parts) or None


def _counts_text(info: BackupInfo) -> str:
    c = info.counts
    return QCoreApplication.translate(
        "BackupPanel", "{customers} customers, {tickets} repair tickets, {appointments} appointments, "
                       "{loyalty} loyalty entries").format(
        customers=c.get("customers", 0), tickets=c.get("tickets", 0), appointments=c.get("appointments", 0),
        loyalty=c.get("loyalty_entries", 0))


def restore_lines(backup: BackupInfo, unsynced: int | None, enrolled: bool, *, done: bool) -> list[str]:
    """What a restore means for sync, in the user's language (the words of
    core.backup.restore's sentences, from the same numbers)."""
    when = fmt.date_time(backup.created_at)
    lines = [QCoreApplication.translate("BackupPanel", "The store database is as it was at {when}.").format(when=when)
             if done else
             QCoreApplication.translate("BackupPanel", "The store database will be as it was at {when}.").format(
                 when=when)]
    if not enrolled:
        lines.append(QCoreApplication.translate(
            "BackupPanel", "This store does not sync with HQ: everything done after the backup is lost.") if done
            else QCoreApplication.translate(
            "BackupPanel", "This store does not sync with HQ: everything done after the backup will be lost."))
        return lines
    lines.append(QCoreApplication.translate(
        "BackupPanel", "Changes that reached HQ after the backup come back with the next sync."))
    if backup.pending:
        lines.append(QCoreApplication.translate(
            "BackupPanel", "{n} changes made before the backup had not reached HQ then: they go with the next sync, "
                           "and HQ skips any it already has.").format(n=backup.pending))
    if unsynced:
        lines.append((QCoreApplication.translate(
            "BackupPanel", "{n} changes made here never reached HQ and were not in the backup: they are lost.")
            if done else QCoreApplication.translate(
            "BackupPanel", "{n} changes made here never reached HQ and are not in the backup: they will be lost."))
            .format(n=unsynced))
    return lines


class RestoreDialog(QDialog):
    """What restoring this backup means, and the confirmation (a recovery key too when the
    backup was not made from this database)."""

    def __init__(self, seen: RestorePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Restore a backup"))
        self.setMinimumWidth(560)
        self.seen = seen
        info = seen.backup
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("Backup of {when}").format(when=fmt.date_time(info.created_at)))
        head.setObjectName("sectionTitle")
        lay.addWidget(head)
        form = QFormLayout()
        self.count_labels: dict[str, QLabel] = {}
        for key, title in (("customers", self.tr("Customers")), ("tickets", self.tr("Repair tickets")),
                           ("appointments", self.tr("Appointments")),
                           ("loyalty_entries", self.tr("Loyalty entries"))):
            label = QLabel(str(info.counts.get(key, 0)))
            self.count_labels[key] = label
            form.addRow(title, label)
        self.pending_label = QLabel(str(info.pending))
        form.addRow(self.tr("Not yet synced with HQ when it was made"), self.pending_label)
        self.unsynced_label = QLabel(str(seen.unsynced_here) if seen.unsynced_here is not None else "–")
        form.addRow(self.tr("Changes here that never reached HQ"), self.unsynced_label)
        lay.addLayout(form)
        self.meaning = QLabel("\n".join(restore_lines(info, seen.unsynced_here, seen.enrolled, done=False)))
        self.meaning.setObjectName("restoreMeaning")
        self.meaning.setWordWrap(True)
        lay.addWidget(self.meaning)
        self.code = QLineEdit()
        self.code.setObjectName("restoreRecoveryKey")
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields = FieldErrors(general=general_error())
        if seen.needs_code:
            note = QLabel(self.tr("This backup was not made from this store database: the store's recovery key "
                                  "(on the sheet printed at set-up) opens it."))
            note.setWordWrap(True)
            lay.addWidget(note)
            code_form = QFormLayout()
            code_form.addRow(self.tr("Recovery key"), FieldRow(self.fields, "recovery_code", self.code))
            lay.addLayout(code_form)
        lay.addWidget(self.fields.general)
        # what the tick means, wrapped above it (a check box's own text never wraps)
        consequence = QLabel(self.tr("This backup replaces the store database, and what is said above to be lost "
                                     "is lost. The current database is kept aside."))
        consequence.setWordWrap(True)
        lay.addWidget(consequence)
        self.confirm = QCheckBox(self.tr("I understand: restore this backup"))
        self.confirm.setObjectName("restoreConfirm")
        lay.addWidget(self.confirm)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setObjectName("restoreConfirmButton")
        self.restore_button.clicked.connect(self.accept)
        buttons.addWidget(self.restore_button)
        lay.addLayout(buttons)
        self.confirm.toggled.connect(self._follow)
        self.code.textChanged.connect(self._follow)
        self._follow()

    def _follow(self, *_: object) -> None:
        ready = self.confirm.isChecked() and (not self.seen.needs_code or bool(self.code.text().strip()))
        self.restore_button.setEnabled(ready)

    def accept(self) -> None:
        if not self.restore_button.isEnabled():      # Enter with the box unticked restores nothing
            return
        super().accept()

    def recovery_code(self) -> str | None:
        return self.code.text().strip() or None if self.seen.needs_code else None


class BackupPanel(QGroupBox):
    # core.backup.RestoreReport: open the database again; None: a restore failed after it
    # closed the database (the file is as it was): open it again all the same
    database_restored = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("backupPanel")
        self.setTitle(self.tr("Backups"))
        self.status: BackupStatus | None = None
        lay = QVBoxLayout(self)
        self.state = MessageBanner("info")
        lay.addWidget(self.state)
        self.fields = FieldErrors(general=general_error())
        form = QFormLayout()
        self.folder = QLineEdit()
        self.folder.setObjectName("backupFolder")
        self.folder.setReadOnly(True)
        choose = QPushButton(self.tr("Choose…"))
        choose.setObjectName("chooseBackupFolder")
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        form.addRow(self.tr("Backup folder"), FieldRow(self.fields, "folder", folder_row))
        self.every = QSpinBox()
        self.every.setObjectName("backupEveryHours")
        self.every.setRange(EVERY_MIN, EVERY_MAX)
        self.every.setSuffix(self.tr(" h"))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveBackupSchedule")
        self.save_button.clicked.connect(self._save)
        every_row = QHBoxLayout()
        every_row.addWidget(self.every)
        every_row.addWidget(self.save_button)
        every_row.addStretch(1)
        form.addRow(self.tr("Back up every"), FieldRow(self.fields, "every_hours", every_row))
        lay.addLayout(form)
        lay.addWidget(self.fields.general)
        actions = QHBoxLayout()
        self.now_button = QPushButton(self.tr("Back up now"))
        self.now_button.setObjectName("backUpNow")
        self.now_button.clicked.connect(lambda: self.back_up_now())
        self.elsewhere_button = QPushButton(self.tr("Back up to another folder…"))
        self.elsewhere_button.setObjectName("backUpElsewhere")
        self.elsewhere_button.clicked.connect(self._back_up_elsewhere)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.hide()
        for w in (self.now_button, self.elsewhere_button, self.progress):
            actions.addWidget(w)
        actions.addStretch(1)
        lay.addLayout(actions)
        self.model = RowsModel([
            Column(self.tr("Date"), lambda b: fmt.date_time(b.created_at) if b.problem is None else b.path.name),
            Column(self.tr("Customers"), lambda b: b.counts.get("customers", ""), align_right=True),
            Column(self.tr("Repair tickets"), lambda b: b.counts.get("tickets", ""), align_right=True),
            Column(self.tr("Appointments"), lambda b: b.counts.get("appointments", ""), align_right=True),
            Column(self.tr("Loyalty entries"), lambda b: b.counts.get("loyalty_entries", ""), align_right=True),
            Column(self.tr("Not yet synced"), lambda b: b.pending, align_right=True),
            Column(self.tr("State"), self._state_of),
        ], self)
        self.table = QTableView()
        self.table.setObjectName("backupsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self._fit_columns()
        self.table.setMaximumHeight(220)
        lay.addWidget(self.table)
        restore_row = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.clicked.connect(self._restore_selected)
        self.restore_file_button = QPushButton(self.tr("Restore from a file…"))
        self.restore_file_button.setObjectName("restoreBackupFile")
        self.restore_file_button.clicked.connect(self._restore_file)
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.restore_file_button)
        restore_row.addStretch(1)
        lay.addLayout(restore_row)
        self.dialog: RestoreDialog | None = None
        self.restored_text = ""
        self.backing_up = False         # "Back up now" is copying the database
        self.waiting = False            # a restore waits for the sync or backup in flight to finish

    def _fit_columns(self) -> None:
        """Every column on screen at 1024x768, no scrolling sideways: the date whole, each count
        as wide as its heading's longest word (the heading wraps onto two lines) or a
        six-digit count, and the state taking the rest, wrapped in its cell when long."""
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        font = header.font()
        font.setBold(True)                  # the style sheet sets headings in bold
        metrics = QFontMetrics(font)
        pad = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12
        last = len(self.model.columns) - 1
        for i, col in enumerate(self.model.columns):
            if i == 0:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
            elif i == last:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                widest = max(metrics.horizontalAdvance(w) for w in [*col.title.split(), "999,999"])
                header.resizeSection(i, widest + pad)
        lines = max(2 if metrics.horizontalAdvance(c.title) + pad > header.sectionSize(i) else 1
                    for i, c in enumerate(self.model.columns) if 0 < i < last)
        header.setMinimumHeight(lines * metrics.lineSpacing() + pad)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def _state_of(self, b: BackupInfo) -> str:
        if not b.verified:
            return self.tr("cannot be used")
        if not b.recoverable_with_code:         # no recovery key then: lost with this computer
            return self.tr("checked; restores only on this computer")
        return self.tr("checked")

    # --- reading ---------------------------------------------------------------------------

    def load(self) -> None:
        """The status and the backups in the folder (read on the I/O pool)."""
        admin = self.ctx.can(Perm.MANAGE_STORE)
        self.restore_button.setVisible(admin)
        self.restore_file_button.setVisible(admin)
        db = self.ctx.db
        if db is None:
            return

        def work(progress: Progress) -> tuple[BackupStatus, list[BackupInfo]]:
            st = status(db, clock.now())
            return st, list_backups(st.folder)
        self.ctx.runner.submit(work, on_result=self._loaded, on_error=lambda e: show_error(self, e), pool="io",
                               owner=self)

    def _loaded(self, result: tuple[BackupStatus, list[BackupInfo]]) -> None:
        st, backups = result
        self.status = st
        self.folder.setText(str(st.folder))
        self.folder.setToolTip(str(st.folder))
        self.every.setValue(st.every_hours)
        kind, text = self.state_text(st)
        self.state.set_message(kind, text)
        self.model.set_rows(backups)

    def state_text(self, st: BackupStatus) -> tuple[str, str]:
        """How backups stand, in words: the banner's kind and text (a store without a
        recovery key is told so as well)."""
        kind, text = self._state_text(st)
        if st.no_recovery_key:
            return ("error" if kind == "error" else "warning"), text + "\n" + no_recovery_key_text()
        return kind, text

    def _state_text(self, st: BackupStatus) -> tuple[str, str]:
        if st.last_error is not None:
            text = self.tr("The last backup failed ({when}): {reason}").format(
                when=fmt.date_time(st.last_error.at), reason=problem_text(st.last_error))
            if st.last_ok is not None:
                text += "\n" + self.tr("Last successful backup: {when}.").format(when=fmt.date_time(st.last_ok))
            return "error", text
        if st.last_ok is None:
            return ("warning" if st.overdue else "info"), self.tr("No backup has been made yet.")
        ago = fmt.duration(clock.now() - st.last_ok)
        if st.overdue:
            return "warning", self.tr("Last successful backup: {when} ({ago} ago). A backup is overdue.").format(
                when=fmt.date_time(st.last_ok), ago=ago)
        return "success", self.tr("Last successful backup: {when} ({ago} ago).").format(
            when=fmt.date_time(st.last_ok), ago=ago)

    def _scheduler_refresh(self) -> None:
        scheduler = getattr(self.ctx, "backup_scheduler", None)
        if scheduler is not None:
            scheduler.refresh()         # the managers' warning follows

    # --- settings --------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the backup folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _save(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        if db is None or actor is None:
            return
        text = self.folder.text().strip()
        default = self.status is not None and not self.status.folder_chosen and text == str(self.status.folder)
        folder = None if not text or default else text
        every = self.every.value()
        self.fields.clear()
        self.ctx.runner.submit(lambda p: configure(db, actor, folder=folder, every_hours=every, now=clock.now()),
                               on_result=lambda _: (self.load(), self._scheduler_refresh()),
                               on_error=lambda e: show_error(self, e, self.fields), pool="io", owner=self)

    # --- backing up ------------------------------------------------------------------------

    def _busy(self, on: bool) -> None:
        self.progress.setVisible(on)
        for b in (self.now_button, self.elsewhere_button, self.restore_button, self.restore_file_button):
            b.setEnabled(not on)

    def back_up_now(self, folder: str | None = None) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        if db is None or actor is None:
            return
        self._busy(True)
        self.backing_up = True

        def done(info: BackupInfo) -> None:
            self.backing_up = False
            self._busy(False)
            self.load()
            self._scheduler_refresh()
            self.state.set_message("success", self.tr("Backup written and checked: {name} ({counts}).").format(
                name=info.path.name, counts=_counts_text(info)))

        def failed(exc: BaseException) -> None:
            self.backing_up = False
            self._busy(False)
            self.load()                 # the failure shows in words until a backup succeeds
            self._scheduler_refresh()
            show_error(self, exc)
        self.ctx.runner.submit(lambda p: run_backup(db, actor, clock.now(), folder), on_result=done,
                               on_error=failed, pool="io", owner=self)

    def _back_up_elsewhere(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Back up to this folder"), self.folder.text())
        if folder:
            self.back_up_now(folder)

    # --- restoring (administrators) --------------------------------------------------------

    def _restore_selected(self) -> None:
        idx = self.table.currentIndex()
        info = self.model.data(self.model.index(idx.row(), 0), RowRole) if idx.isValid() else None
        if info is None:
            self._tell(self.tr("Restore"), self.tr("Choose a backup in the list first."))
            return
        self.ask_restore(info.path)

    def _restore_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore a backup"), self.folder.text(),
                                              self.tr("Orchard backups (*.orchard)"))
        if path:
            from pathlib import Path
            self.ask_restore(Path(path))

    def ask_restore(self, path: Path) -> None:
        """Read what restoring ``path`` means, then ask (RestoreDialog)."""
        db = self.ctx.db
        if db is None:
            return
        self.ctx.runner.submit(lambda p: preview(path, current=db), on_result=self._ask,
                               on_error=lambda e: show_error(self, e), pool="io", owner=self)

    def _ask(self, seen: RestorePreview) -> None:
        self.dialog = RestoreDialog(seen, self)
        self.dialog.accepted.connect(lambda: self._restore(seen, self.dialog.recovery_code() if self.dialog else None))
        self.dialog.open()

    def _tell(self, title: str, text: str, parent: QWidget | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent or self)
        box.setObjectName("backupMessage")
        box.open()                      # never a nested event loop

    def _pause_background(self, pause: bool) -> None:
        for name in ("sync_service", "backup_scheduler"):
            svc: Any = getattr(self.ctx, name, None)
            if svc is not None:
                (svc.stop if pause else svc.start)()

    def background_running(self) -> bool:
        """A sync or a backup is still using the database (they were told to start no more)."""
        for name in ("sync_service", "backup_scheduler"):
            svc: Any = getattr(self.ctx, name, None)
            if svc is not None and svc.running:
                return True
        return self.backing_up

    def _restore(self, seen: RestorePreview, code: str | None) -> None:
        """Sync and scheduled backups stop starting; the restore waits until the ones in
        flight have finished (they hold the database handle the restore closes), then runs on
        the database thread after the work queued there. The handle is closed by the
        restore: whatever comes later through it fails instead of writing into the restored
        file."""
        db, actor = self.ctx.db, self.ctx.actor
        if db is None or actor is None:
            return
        self._pause_background(True)       # nothing may write to the file being replaced
        self._busy(True)

        def done(report: RestoreReport) -> None:
            self._busy(False)
            lines = restore_lines(report.backup, report.lost_unsynced, report.enrolled, done=True)
            if report.aside is not None:
                lines.append(self.tr("The database as it was before is kept as {name}.").format(name=report.aside.name))
            self.restored_text = "\n".join(lines)
            window = self.window()
            self.database_restored.emit(report)     # the app closes its dialogs and opens the file again
            self._tell(self.tr("Restored"), self.restored_text, window)

        def failed(exc: BaseException) -> None:
            self._busy(False)
            window = self.window()
            if db.closed:
                # it failed after the old handle was closed: the database is as it was, opened again
                self.database_restored.emit(None)
            else:
                self._pause_background(False)
            show_error(window, exc)

        def start() -> None:
            if self.background_running():
                self.waiting = True
                QTimer.singleShot(WAIT_MS, self, start)
                return
            self.waiting = False
            self.ctx.runner.submit(
                lambda p: restore(db.path, seen.backup.path, actor=actor, now=clock.now(), current=db,
                                  recovery_code=code),
                on_result=done, on_error=failed, owner=self)      # the database thread
        if self.background_running():
            self.state.set_message("info", self.tr("Waiting for the sync or backup in progress to finish; the "
                                                   "restore starts then."))
        start()
