"""The page shown when the store database's key has gone from this computer's keyring (a
user profile rebuilt, a machine restored): it says in plain words what happened, takes the
recovery key printed at set-up (or the store passphrase), opens the store through
``StoreDatabase.recover`` on the io pool, which puts the key back, and hands the open
database on to sign-in. It never offers to make a new store: the old one is still there.

The same page opens from the passphrase page's "Use the recovery key" when the store
passphrase is forgotten: the recovery key opens the store and a new passphrase is chosen
(the file is re-keyed under it; the recovery key keeps working)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from core.errors import CorruptDatabase, DatabaseMissing, NotAnOrchardDatabase, ValidationError, VaultError
from desktop.errors import FieldErrors, user_message
from desktop.qt import (
    QCheckBox, QFontDatabase, QFormLayout, QLabel, QLineEdit, QProgressBar, QPushButton, Qt, QWidget, Signal,
)
from desktop.views.gate import card, centred
from desktop.widgets.field import FieldRow, general_error, set_field_error

if TYPE_CHECKING:
    from core.db import StoreDatabase
    from desktop.app import MainWindow
    from desktop.workers import Progress, Runner

CODE_PLACEHOLDER = "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
PASSPHRASE_MIN = 10     # as at set-up
CODE_MAX = 64           # six groups of five with dashes, and room for spaces typed between


def code_font_field(field: QLineEdit) -> QLineEdit:
    """A code typed as printed: one monospace font, so groups line up with the sheet."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 12.0))
    field.setFont(font)
    field.setPlaceholderText(CODE_PLACEHOLDER)
    field.setMaxLength(CODE_MAX)
    return field


class RecoveryPage(QWidget):
    """``show_for(path)``, then the user enters the recovery key; ``recovered`` carries the
    open StoreDatabase. On a computer with no secure keyring now, the user also chooses a
    store passphrase (the store opens with it from then on). A store that also has a
    passphrase route (a rotation to a passphrase left unfinished) may be opened with that."""

    recovered = Signal(object)
    back = Signal()                 # forgotten passphrase: back to the passphrase page

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryPage")
        self.runner = runner
        self.path: Path | None = None
        self.forgotten = False          # opened because the store passphrase is forgotten
        self.back_button = QPushButton(self.tr("Back to the passphrase"))
        self.back_button.setObjectName("link")
        self.back_button.clicked.connect(self.back)
        self.back_button.hide()
        frame, lay = card(self.tr("This computer no longer has the store's key"), corner=self.back_button)
        self.title = frame.findChild(QLabel, "cardTitle")
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setObjectName("cardSubtitle")
        lay.addWidget(self.explain)
        self.how = QLabel()
        self.how.setWordWrap(True)
        self.how.setObjectName("hint")
        lay.addWidget(self.how)
        self.fields = FieldErrors(general=general_error())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.code = code_font_field(QLineEdit())
        self.code.setObjectName("recoveryCode")
        self.code.setAccessibleName(self.tr("Recovery key"))
        self.code.returnPressed.connect(self._submit)
        self.code_row = FieldRow(self.fields, "recovery_code", self.code)
        form.addRow(self.tr("Recovery key"), self.code_row)
        # no secure keyring on this computer now: the store goes on under a passphrase
        self.new_passphrase, self.again = QLineEdit(), QLineEdit()
        self.new_passphrase.setObjectName("recoveryNewPassphrase")
        self.again.setObjectName("recoveryNewPassphraseAgain")
        for box in (self.new_passphrase, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
            box.returnPressed.connect(self._submit)
        self.new_row = FieldRow(self.fields, "new_passphrase", self.new_passphrase)
        self.again_row = FieldRow(self.fields, "new_passphrase_again", self.again)
        form.addRow(self.tr("New store passphrase"), self.new_row)
        form.addRow(self.tr("New passphrase again"), self.again_row)
        # the store's own passphrase, where it has one
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("recoveryPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self._submit)
        self.passphrase_row = FieldRow(self.fields, "passphrase", self.passphrase)
        form.addRow(self.tr("Store passphrase"), self.passphrase_row)
        self.form = form
        lay.addLayout(form)
        self.use_passphrase = QCheckBox(self.tr("Use the store passphrase instead"))
        self.use_passphrase.setObjectName("usePassphrase")
        self.use_passphrase.toggled.connect(self._mode)
        lay.addWidget(self.use_passphrase)
        self.never = QLabel(self.tr(
            "Orchard will not make a new, empty store over this one. Its backups open only with the recovery key "
            "too, so without the key a backup does not help. HQ still holds what this store synced: call your "
            "support, and a new store set up and enrolled with HQ gets the synced customers back."))
        self.never.setWordWrap(True)
        self.never.setObjectName("hint")
        lay.addWidget(self.never)
        lay.addWidget(self.fields.general)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        lay.addWidget(self.progress)
        self.open_button = QPushButton(self.tr("Open the store"))
        self.open_button.setObjectName("primary")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._submit)
        lay.addWidget(self.open_button, alignment=Qt.AlignmentFlag.AlignRight)
        centred(self, frame)
        self.keyring = True
        self._mode(False)

    def show_for(self, path: Path, *, forgotten: bool = False, then: Callable[[], None] | None = None) -> None:
        """What this computer and this store allow (the keyring back, or a passphrase), found
        on the io pool; then the page is set for it and ``then`` runs (the window shows it).
        ``forgotten``: the store passphrase is forgotten (a new one is chosen)."""
        self.path = Path(path)
        self.forgotten = forgotten
        target = self.path

        def probe(progress: Progress) -> tuple[bool, bool]:
            from core.vault import DbMeta, keyring_usable
            try:
                keyring = keyring_usable()
            except Exception:  # noqa: BLE001 - a keyring that cannot even say: treated as none
                keyring = False
            try:
                meta = DbMeta.load(target)
                has_passphrase = bool(meta.salt) or (meta.pending or {}).get("source") == "passphrase"
            except VaultError:
                has_passphrase = False
            return keyring, has_passphrase
        self.runner.submit(probe, on_result=lambda found: self._configure(*found, then=then), pool="io", owner=self)

    def _configure(self, keyring: bool, has_passphrase: bool, *, then: Callable[[], None] | None = None) -> None:
        self.keyring = keyring
        if self.title is not None:
            self.title.setText(self.tr("Open the store with its recovery key") if self.forgotten
                               else self.tr("This computer no longer has the store's key"))
        self.explain.setText(self.tr(
            "When nobody remembers the store passphrase, the recovery key from the sheet printed when the store "
            "was set up opens the store instead. The store's data is still here and nothing has been deleted.")
            if self.forgotten else self.tr(
            "The key that opens this store's database is not in this computer's keyring any more, or the keyring "
            "cannot be read (for example after the user profile was rebuilt or the computer was restored). The "
            "store's data is still here and nothing has been deleted."))
        self.how.setText(self.tr(
            "Enter the recovery key, then choose a new store passphrase: from now on the store opens with it, "
            "and the recovery key keeps working.") if self.forgotten else self.tr(
            "Enter the recovery key from the sheet printed when the store was set up. Orchard then opens the "
            "store and puts the key back in this computer's keyring.") if self.keyring else self.tr(
            "Enter the recovery key from the sheet printed when the store was set up. This computer has no "
            "secure keyring now, so also choose a store passphrase: from now on the store opens with it."))
        self.back_button.setVisible(self.forgotten)
        self.fields.clear()
        for box in (self.code, self.new_passphrase, self.again, self.passphrase):
            box.clear()
        self.use_passphrase.setVisible(has_passphrase and not self.forgotten)
        self.use_passphrase.setChecked(False)
        self._mode(False)
        self._busy(False)
        if then is not None:
            then()
        self.code.setFocus()

    @property
    def needs_new_passphrase(self) -> bool:
        """A new store passphrase is chosen: no keyring to put the key back in, or the old
        passphrase is forgotten."""
        return self.forgotten or not self.keyring

    def _show_row(self, row: QWidget, shown: bool) -> None:
        self.form.setRowVisible(row, shown)

    def _mode(self, passphrase: bool) -> None:
        self.fields.clear()
        self._show_row(self.code_row, not passphrase)
        self._show_row(self.new_row, not passphrase and self.needs_new_passphrase)
        self._show_row(self.again_row, not passphrase and self.needs_new_passphrase)
        self._show_row(self.passphrase_row, passphrase)
        (self.passphrase if passphrase else self.code).setFocus()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.open_button.setEnabled(not busy)
        for box in (self.code, self.new_passphrase, self.again, self.passphrase):
            box.setReadOnly(busy)
        self.use_passphrase.setEnabled(not busy)
        self.back_button.setEnabled(not busy)

    @property
    def field(self) -> str:
        return "passphrase" if self.use_passphrase.isChecked() else "recovery_code"

    def _checked_here(self) -> ValidationError | None:
        if self.use_passphrase.isChecked():
            return None if self.passphrase.text() else ValidationError("passphrase", "enter the store passphrase")
        if not self.code.text().strip():
            return ValidationError("recovery_code", "enter the recovery key")
        if self.needs_new_passphrase:
            if len(self.new_passphrase.text()) < PASSPHRASE_MIN:
                return ValidationError("new_passphrase", "must be at least {n} characters", n=PASSPHRASE_MIN)
            if self.new_passphrase.text() != self.again.text():
                return ValidationError("new_passphrase_again", "the two passphrases are not the same")
        return None

    def _submit(self) -> None:
        if self.path is None or not self.open_button.isEnabled():
            return
        self.fields.clear()
        problem = self._checked_here()
        if problem is not None:
            self.fields.show(problem)
            return
        if self.use_passphrase.isChecked():
            code, passphrase = None, self.passphrase.text()
        else:
            code = self.code.text().strip()
            passphrase = self.new_passphrase.text() if self.needs_new_passphrase else None
        keyring = self.keyring and not self.forgotten
        self._busy(True)
        path = self.path

        def work(progress: Progress) -> StoreDatabase:
            from core.db import StoreDatabase
            return StoreDatabase.recover(path, code=code, passphrase=passphrase, store_in_keyring=keyring)
        self.runner.submit(work, on_result=self._done, on_error=self.failed, pool="io", owner=self)

    def _done(self, db: StoreDatabase) -> None:
        self._busy(False)
        for box in (self.code, self.new_passphrase, self.again, self.passphrase):
            box.clear()
        self.recovered.emit(db)

    def failed(self, exc: BaseException) -> None:
        """A mistyped or wrong key beside the field it was typed in; anything else (a damaged
        file, a missing one) in the page's general line."""
        self._busy(False)
        if isinstance(exc, ValidationError):
            # a typo the core found in what was typed here: beside this page's field
            self.fields.show(exc if exc.field == self.field else ValidationError(self.field, exc.template,
                                                                                 **exc.params))
        elif isinstance(exc, VaultError) and not isinstance(exc, (CorruptDatabase, DatabaseMissing,
                                                                     NotAnOrchardDatabase)):
            set_field_error(self.fields, self.field, user_message(exc))     # a wrong key or passphrase
        else:
            self.fields.show(exc)       # the general line: not the field's fault
        entry = self.passphrase if self.use_passphrase.isChecked() else self.code
        entry.selectAll()
        entry.setFocus()


def show_recovery(window: MainWindow, *, forgotten: bool = False) -> RecoveryPage:
    """The main window's step when opening raised KeyringLost (or, ``forgotten``, the
    passphrase page's "Use the recovery key"): the recovery page in its page stack (made
    once), shown once it knows what this computer allows, then the usual way on to sign-in
    once the store is open."""
    page: RecoveryPage | None = getattr(window, "recovery_page", None)
    if page is None:
        page = RecoveryPage(window.ctx.runner)
        page.recovered.connect(window._db_opened)
        page.back.connect(lambda: _back_to_passphrase(window))
        window.pages.addWidget(page)
        window.recovery_page = page
    shown = page
    page.show_for(window.db_path, forgotten=forgotten, then=lambda: window.pages.setCurrentWidget(shown))
    return page


def _back_to_passphrase(window: MainWindow) -> None:
    window.pages.setCurrentWidget(window.passphrase_page)
    window.passphrase_page.open_button.setEnabled(True)
    window.passphrase_page.passphrase.setFocus()


def offer_recovery_route(window: MainWindow) -> None:
    """The passphrase page offers "Use the recovery key" when the store has one (its meta
    file read on the io pool)."""
    path, page = window.db_path, window.passphrase_page

    def work(progress: Progress) -> bool:
        from core.recovery import enabled
        try:
            return enabled(path)
        except Exception:  # noqa: BLE001 - a meta file it cannot read: no route offered; opening says why
            return False
    window.ctx.runner.submit(work, on_result=page.set_recovery_route, on_error=lambda e: None, pool="io",
                             owner=page)
