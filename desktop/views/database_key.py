"""Settings, for administrators: the store database's key. Change it (a new key, the file
re-encrypted; the recovery key keeps working) and save a printed record of the change; make
a new recovery key when the sheet is lost. A new recovery key is shown first and put in force
only when the admin confirms it is stored (the old one stops working then, not before). The
recovery key is never kept anywhere, so it cannot be printed again: the help text says so.
A set-up's recovery key nobody confirmed as stored is said here and at the admin's sign-in
(:func:`remind_unconfirmed_key`), with a new key offered. The permission checks and the
audit entries are the core's (core.recovery.keys)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from core.errors import ValidationError
from core.recovery.keys import MIN_PASSPHRASE, RotationRecord
from desktop import fmt
from desktop.errors import FieldErrors, show_error, user_message
from desktop.qt import (
    QCheckBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QKeyEvent, QLabel, QLineEdit,
    QMessageBox, QProgressBar, QPushButton, Qt, QTimer, QVBoxLayout, QWidget,
)
from desktop.views.recovery import code_font_field
from desktop.widgets.field import FieldRow, general_error
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from desktop.app import MainWindow
    from desktop.context import AppContext
    from desktop.workers import Progress

PASSPHRASE_MIN = MIN_PASSPHRASE


def document_language() -> str:
    from desktop.views.preview import document_language as lang
    return lang()


class RotateDialog(QDialog):
    """The confirmation; a store kept by a passphrase chooses the new passphrase here."""

    def __init__(self, needs_passphrase: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rotateKeyDialog")
        self.setWindowTitle(self.tr("Change the database key"))
        self.setMinimumWidth(520)
        self.needs_passphrase = needs_passphrase
        lay = QVBoxLayout(self)
        text = QLabel(self.tr(
            "Orchard will encrypt the store database again under a new key. This takes a moment; the counter "
            "waits until it is done. The store's recovery key keeps working, and nobody needs to sign in again."))
        text.setWordWrap(True)
        lay.addWidget(text)
        self.fields = FieldErrors(general=general_error())
        self.passphrase, self.again = QLineEdit(), QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.again.setObjectName("newPassphraseAgain")
        if needs_passphrase:
            note = QLabel(self.tr("This store is opened with a passphrase: choose the new one. Everyone who "
                                  "opens this counter's store needs it from now on."))
            note.setWordWrap(True)
            lay.addWidget(note)
            form = QFormLayout()
            for box in (self.passphrase, self.again):
                box.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(self.tr("New store passphrase"), FieldRow(self.fields, "passphrase", self.passphrase))
            form.addRow(self.tr("New passphrase again"), FieldRow(self.fields, "passphrase_again", self.again))
            lay.addLayout(form)
        lay.addWidget(self.fields.general)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        self.ok_button = QPushButton(self.tr("Change the key"))
        self.ok_button.setObjectName("primary")
        self.ok_button.clicked.connect(self._confirm)
        buttons.addWidget(self.ok_button)
        lay.addLayout(buttons)

    def new_passphrase(self) -> str | None:
        return self.passphrase.text() if self.needs_passphrase else None

    def _confirm(self) -> None:
        self.fields.clear()
        if self.needs_passphrase:
            if len(self.passphrase.text()) < PASSPHRASE_MIN:
                self.fields.show(ValidationError("passphrase", "must be at least {n} characters", n=PASSPHRASE_MIN))
                return
            if self.passphrase.text() != self.again.text():
                self.fields.show(ValidationError("passphrase_again", "the two passphrases are not the same"))
                return
        self.accept()


class NewRecoveryKeyDialog(QDialog):
    """The new recovery key, not yet in force, shown once: large, selectable, with its sheet
    to save. "Use this recovery key" (once the admin says it is stored) puts it in force;
    closing the dialog any other way (Keep the old key, the counter's lock) changes nothing.
    A stray Esc does not close it (the code would be gone)."""

    def __init__(self, code: str, save_sheet: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newRecoveryKeyDialog")
        self.setWindowTitle(self.tr("The new recovery key"))
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("This is the store's new recovery key. Write it down, or save its sheet and print "
                              "it, now: it is shown only this once. It takes effect when you confirm that you "
                              "have stored it; until then the old recovery key keeps working."))
        head.setWordWrap(True)
        lay.addWidget(head)
        self.code = code_font_field(QLineEdit(code))
        self.code.setObjectName("newRecoveryCode")
        self.code.setReadOnly(True)
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.code.setFont(font)
        lay.addWidget(self.code)
        self.saved = MessageBanner("success")
        lay.addWidget(self.saved)
        self.saved.hide()
        self.stored = QCheckBox(self.tr("I have stored the recovery key"))
        self.stored.setObjectName("recoveryKeyStored")
        lay.addWidget(self.stored)
        self.error = general_error()
        lay.addWidget(self.error)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        lay.addWidget(self.progress)
        buttons = QHBoxLayout()
        self.sheet_button = QPushButton(self.tr("Save the recovery key sheet…"))
        self.sheet_button.setObjectName("saveRecoverySheet")
        self.sheet_button.clicked.connect(save_sheet)
        buttons.addWidget(self.sheet_button)
        buttons.addStretch(1)
        self.keep_button = QPushButton(self.tr("Keep the old key"))
        self.keep_button.setObjectName("keepOldRecoveryKey")
        self.keep_button.clicked.connect(self.reject)
        buttons.addWidget(self.keep_button)
        self.done_button = QPushButton(self.tr("Use this recovery key"))
        self.done_button.setObjectName("primary")
        self.done_button.setEnabled(False)
        self.stored.toggled.connect(self.done_button.setEnabled)
        buttons.addWidget(self.done_button)
        lay.addLayout(buttons)

    def setting(self, busy: bool) -> None:
        """While the key is being put in force: nothing to press, the progress shown."""
        self.progress.setVisible(busy)
        for widget in (self.stored, self.sheet_button, self.keep_button, self.done_button):
            widget.setEnabled(not busy)
        if not busy:
            self.done_button.setEnabled(self.stored.isChecked())

    def failed(self, text: str) -> None:
        self.setting(False)
        self.error.setText(text)
        self.error.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()              # a stray Esc would lose the code: Keep the old key says it
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        self.code.clear()               # the code leaves the screen with the dialog
        super().done(result)


class DatabaseKeyBox(QGroupBox):
    """Inside Settings' database section (administrators only)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("databaseKeyBox")
        self.ctx = ctx
        self.setTitle(self.tr("Database key and recovery key"))
        lay = QVBoxLayout(self)
        self.help = QLabel(self.tr(
            "Change the database key from time to time, or when someone who knew the passphrase leaves: the "
            "store's recovery key keeps working after a change. The recovery key cannot be printed again: "
            "Orchard never keeps it, only a lock it opens. If its sheet is lost, make a new recovery key; "
            "the old one then stops working."))
        self.help.setObjectName("hint")
        self.help.setWordWrap(True)
        lay.addWidget(self.help)
        self.state = QLabel()
        self.state.setObjectName("recoveryState")
        self.state.setWordWrap(True)
        lay.addWidget(self.state)
        row = QHBoxLayout()
        self.rotate_button = QPushButton(self.tr("Change the database key…"))
        self.rotate_button.setObjectName("changeKey")
        self.rotate_button.clicked.connect(self.ask_rotate)
        row.addWidget(self.rotate_button)
        self.record_button = QPushButton(self.tr("Save the record of the change…"))
        self.record_button.setObjectName("saveRotationRecord")
        self.record_button.clicked.connect(self.choose_record_file)
        self.record_button.hide()
        row.addWidget(self.record_button)
        self.new_key_button = QPushButton(self.tr("Make a new recovery key…"))
        self.new_key_button.setObjectName("newRecoveryKey")
        self.new_key_button.clicked.connect(self.ask_new_recovery_key)
        row.addWidget(self.new_key_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        lay.addWidget(self.progress)
        self.message = MessageBanner("success", selectable=True)
        lay.addWidget(self.message)
        self.message.hide()
        self.rotation: RotationRecord | None = None
        self.rotation_store = ""
        self.record_path: Path | None = None
        self.sheet_path: Path | None = None
        self._new_code: str | None = None
        self._setting = False           # a new recovery key is being put in force
        self.key_dialog: NewRecoveryKeyDialog | None = None

    # --- what the database has now --------------------------------------------------------

    def showEvent(self, event: object) -> None:       # type: ignore[override]
        super().showEvent(event)                       # type: ignore[arg-type]
        self.load()

    def load(self) -> None:
        """What the database has (its meta file and one flag): read on the database thread."""
        db = self.ctx.db
        if db is None:
            return

        def work(progress: Progress) -> tuple[bool | None, bool]:
            from core.recovery import enabled, unconfirmed
            try:
                on: bool | None = enabled(db.path)
            except Exception:  # noqa: BLE001 - a meta file it cannot read: said as unknown
                on = None
            with db.session() as s:
                return on, unconfirmed(s)
        self.ctx.runner.submit(work, on_result=self._loaded, on_error=lambda e: self._loaded((None, False)),
                               owner=self)

    def _loaded(self, state: tuple[bool | None, bool]) -> None:
        on, not_confirmed = state
        if on and not_confirmed:
            self.state.setText(self.tr(
                "Nobody has confirmed that this store's recovery key was stored when the store was set up. "
                "Make a new recovery key and keep its sheet safe."))
        else:
            self.state.setText(self.tr("This store has a recovery key.") if on else
                               self.tr("This store has no recovery key yet: make one and keep its sheet safe.")
                               if on is False else "")

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for b in (self.rotate_button, self.record_button, self.new_key_button):
            b.setEnabled(not busy)

    def _say(self, kind: str, text: str) -> None:
        self.message.set_kind(kind)
        self.message.setText(text)
        self.message.show()

    # --- changing the key -------------------------------------------------------------------

    def ask_rotate(self) -> None:
        db = self.ctx.db
        if db is None:
            return
        path = db.path

        def work(progress: Progress) -> bool:
            from core.vault import DbMeta
            return DbMeta.load(path).key_source == "passphrase"
        self.ctx.runner.submit(work, on_result=self._open_rotate, on_error=lambda e: show_error(self, e), pool="io",
                               owner=self)

    def _open_rotate(self, needs_passphrase: bool) -> None:
        dialog = RotateDialog(needs_passphrase, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.rotate(dialog.new_passphrase()))
        self.rotate_dialog = dialog
        dialog.open()

    def rotate(self, new_passphrase: str | None = None) -> None:
        """Sync pauses (it must not hold the file while it is re-encrypted); the rotation
        runs on the database thread, after whatever is queued there."""
        db, actor, store = self.ctx.db, self.ctx.actor, self.ctx.store
        if db is None or actor is None:
            return
        self._busy(True)
        self.message.hide()
        self.rotation_store = store.name if store else ""
        service = getattr(self.ctx, "sync_service", None)
        if service is not None:
            service.stop()

        def work(progress: Progress) -> RotationRecord:
            # on the database thread, nothing else touching the file meanwhile: the core's
            # crash-safe rotation, with its permission check and audit entry
            from core import clock
            from core.recovery import rotate_key
            return rotate_key(db, actor, new_passphrase=new_passphrase, now=clock.now())

        def start() -> None:
            if service is not None and service.running:
                QTimer.singleShot(300, self, start)     # a run in flight finishes first
                return
            task = self.ctx.runner.submit(work, on_result=self._rotated, on_error=self._rotate_failed, owner=self)
            if service is not None:     # sync resumes even if this screen was rebuilt meanwhile
                task.signals.finished.connect(service.start)
        start()

    def _rotated(self, rotation: RotationRecord) -> None:
        self._busy(False)
        self.rotation = rotation
        self.record_path = None
        self.record_button.show()
        self._say("success", self.tr("The database key was changed ({0}). Save the record of the change for "
                                     "the store's files.").format(fmt.date_time(rotation.when)))
        self.record_button.setFocus()

    def _rotate_failed(self, exc: BaseException) -> None:
        self._busy(False)
        show_error(self, exc)

    def choose_record_file(self) -> None:
        if self.rotation is None:
            return
        stamp = self.rotation.when.strftime("%Y%m%d-%H%M")
        dialog = QFileDialog(self, self.tr("Save the record of the key change"), f"key-change-{stamp}.pdf",
                             self.tr("PDF documents (*.pdf)"))
        dialog.setObjectName("rotationRecordDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.write_record)
        dialog.open()

    def write_record(self, path: str) -> None:
        rotation = self.rotation
        if not path or rotation is None:
            return
        target = Path(path) if Path(path).suffix.lower() == ".pdf" else Path(path).with_suffix(".pdf")
        lang, store_name = document_language(), self.rotation_store

        def work(progress: Progress) -> Path:
            from reports import recovery_sheet
            recovery_sheet.render_rotation_record(target, store_name=store_name, when=rotation.when,
                                                  who=rotation.who, key_check=rotation.key_check, lang=lang)
            return target
        self._busy(True)
        self.ctx.runner.submit(work, on_result=self._record_written, on_error=self._rotate_failed, pool="io",
                               owner=self)

    def _record_written(self, path: Path) -> None:
        self._busy(False)
        self.record_path = path
        self._say("success", self.tr("The record of the key change was saved: {0}").format(path))

    # --- a new recovery key -----------------------------------------------------------------

    def ask_new_recovery_key(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Make a new recovery key"), self.tr(
            "A new recovery key replaces the store's present one. The new key is shown only once; when you "
            "confirm that you have stored it, the old key, and any sheet it is printed on, stops working. "
            "Make a new one?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("newRecoveryKeyQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda clicked: self.new_recovery_key() if clicked is yes else None)
        self.question = box
        box.open()

    def new_recovery_key(self) -> None:
        """A new code, shown; nothing changes until the admin confirms it is stored
        (core.recovery.new_code has no side effect)."""
        if self.ctx.db is None or self.ctx.actor is None:
            return
        from core.recovery import new_code
        self.message.hide()
        code = new_code()
        self._new_code = code
        self._setting = False
        self.sheet_path = None
        dialog = NewRecoveryKeyDialog(code, self.choose_sheet_file, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.done_button.clicked.connect(self.use_new_key)
        dialog.finished.connect(self._key_dialog_closed)
        self.key_dialog = dialog
        dialog.open()

    def use_new_key(self) -> None:
        """The admin has stored it: core.recovery.set_key on the database thread (the old
        code stops working there); the dialog closes once it is done."""
        db, actor, code, dialog = self.ctx.db, self.ctx.actor, self._new_code, self.key_dialog
        if db is None or actor is None or code is None or dialog is None:
            return
        dialog.setting(True)
        self._setting = True

        def work(progress: Progress) -> None:
            from core.recovery import set_key
            set_key(db, actor, code)
        self.ctx.runner.submit(work, on_result=lambda _: self._key_set(), on_error=self._key_set_failed, owner=self)

    def _key_set(self) -> None:
        self._setting = False
        self._say("success", self.tr("The new recovery key is in force; the old one no longer works."))
        self.load()
        if self.key_dialog is not None:
            self.key_dialog.accept()

    def _key_set_failed(self, exc: BaseException) -> None:
        self._setting = False
        if self.key_dialog is not None:         # still shown: the admin may try again, or keep the old key
            self.key_dialog.failed(user_message(exc))
        else:
            self._say("error", self.tr("The new recovery key was not set; the old one still works."))

    def _key_dialog_closed(self, result: int) -> None:
        self._new_code = None           # kept nowhere once its dialog is gone
        self.key_dialog = None
        if result == QDialog.DialogCode.Accepted or self._setting:
            return                      # in force, or being put in force: _key_set says so
        if self.sheet_path is not None:
            self._say("warning", self.tr("No new recovery key was set: the old one still works. The sheet saved "
                                         "for the key just shown ({0}) does not open the store; destroy it.")
                      .format(self.sheet_path))
        else:
            self._say("warning", self.tr("No new recovery key was set: the old one still works."))

    def choose_sheet_file(self) -> None:
        store = self.ctx.store
        code = store.code if store else "store"
        dialog = QFileDialog(self.key_dialog or self, self.tr("Save the recovery key sheet"),
                             f"orchard-recovery-key-{code}.pdf", self.tr("PDF documents (*.pdf)"))
        dialog.setObjectName("recoverySheetDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.write_sheet)
        dialog.open()

    def write_sheet(self, path: str) -> None:
        code, store = self._new_code, self.ctx.store
        if not path or code is None or store is None:
            return
        target = Path(path) if Path(path).suffix.lower() == ".pdf" else Path(path).with_suffix(".pdf")
        lang, name, store_code = document_language(), store.name, store.code

        def work(progress: Progress) -> Path:
            from core import clock
            from reports import recovery_sheet
            recovery_sheet.render(target, store_name=name, store_code=store_code, code=code,
                                  created_at=clock.now(), lang=lang)
            return target
        self.ctx.runner.submit(work, on_result=self._sheet_written, on_error=lambda e: show_error(self, e),
                               pool="io", owner=self)

    def _sheet_written(self, path: Path) -> None:
        self.sheet_path = path
        if self.key_dialog is not None:
            self.key_dialog.saved.setText(self.tr("The sheet was saved: {0}. Print it and keep it apart from "
                                                  "this computer.").format(path))
            self.key_dialog.saved.show()


# --- a set-up's recovery key nobody confirmed as stored ----------------------------------------

def remind_unconfirmed_key(window: MainWindow) -> None:
    """After an admin signs in: if nobody confirmed at set-up that the recovery key was
    stored (the wizard closed on its page, ``orchard setup`` with only a sheet file), say so
    and offer a new recovery key (Settings' database key box), or let the admin say it is stored."""
    from core.permissions import Perm
    from core.recovery import unconfirmed
    ctx = window.ctx
    if ctx.db is None or not ctx.can(Perm.MANAGE_STORE):
        return
    ctx.read(unconfirmed, on_result=lambda on: _ask_unconfirmed(window) if on else None, owner=window)


class UnconfirmedKeyQuestion(QMessageBox):
    """What the admin is asked at sign-in while the set-up's recovery key is unconfirmed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Warning, "", "", QMessageBox.StandardButton.NoButton, parent)
        self.setObjectName("unconfirmedRecoveryKey")
        self.setWindowTitle(self.tr("The recovery key was never confirmed"))
        self.setText(self.tr(
            "When this store was set up, nobody confirmed that its recovery key was stored. Without the recovery "
            "key, a lost keyring or a forgotten passphrase locks the store's data away, and its backups with it. "
            "Make a new recovery key now and keep its sheet away from this computer?"))
        self.make_button = self.addButton(self.tr("Make a new recovery key"), QMessageBox.ButtonRole.AcceptRole)
        self.stored_button = self.addButton(self.tr("It is stored"), QMessageBox.ButtonRole.ActionRole)
        self.stored_button.setToolTip(self.tr("The recovery key shown at set-up is written down or printed, and "
                                              "kept safe away from this computer"))
        self.later_button = self.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.make_button)
        self.setEscapeButton(self.later_button)


def _ask_unconfirmed(window: MainWindow) -> None:
    ctx = window.ctx
    actor = ctx.actor
    if actor is None or ctx.locked:
        return
    box = UnconfirmedKeyQuestion(window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(clicked: object) -> None:
        if clicked is box.make_button and window.shell.go("settings"):
            key_box = getattr(window.shell.screens.get("settings"), "key_box", None)
            if key_box is not None:
                key_box.new_recovery_key()
        elif clicked is box.stored_button:
            from core.recovery import confirm_stored
            ctx.write(lambda s: confirm_stored(s, actor), owner=window)
    box.buttonClicked.connect(answered)
    window.unconfirmed_key_question = box
    box.open()
