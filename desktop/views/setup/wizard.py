"""The first-run wizard: eight steps with Back and Next, then the store is made (on the I/O
pool, with its progress) and its recovery key shown; Finish goes on to sign-in.

The answers given so far are kept as a draft beside the database after every step and on
Cancel (never a password, PIN, passphrase or enrolment code), so set-up can be left and
resumed where it was; Cancel makes nothing. Choosing a language switches the whole window
to it at once (the pages are built again in it, the answers kept).

Once the store is made, its recovery key stays marked unconfirmed until Finish (the tick
"I have stored the recovery key"): closing the window on that page asks first, and a store
left that way tells its admin at sign-in (desktop/views/database_key.py)."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from core import clock, setup
from core.errors import ValidationError, ValidationErrors
from desktop.errors import user_message
from PySide6.QtWidgets import QStackedLayout

from desktop.qt import (
    QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QStandardPaths, Qt, QVBoxLayout, QWidget, Signal,
)
from desktop.views.gate import centred
from desktop.views.setup.finish import RecoveryKeyPage, SummaryPage
from desktop.views.setup.pages_machine import BackupPage, KeyPage, PrinterPage, test_page_work
from desktop.views.setup.pages_store import AdminPage, LanguagePage, ModePage, StorePage
from desktop.widgets.field import set_field_error

if TYPE_CHECKING:
    from core.setup import HqStore, SetupResult
    from desktop.context import AppContext
    from desktop.views.setup.base import WizardPage

STEPS = 8


class SetupWizard(QWidget):
    """``SetupWizard(ctx, db_path, language, keyring_ok)``. Signals: ``language_chosen(str)``
    (the window switches its language, then calls :meth:`retranslate`), ``finished(db)``
    with the new store's open database, ``cancelled()`` (the draft is saved)."""

    language_chosen = Signal(str)
    finished = Signal(object)
    cancelled = Signal()

    def __init__(self, ctx: AppContext, db_path: Path, *, language: str = "en", keyring_ok: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.ctx = ctx
        self.db_path = Path(db_path)
        self.keyring_ok = keyring_ok
        self.hq: HqStore | None = None
        self.result: SetupResult | None = None
        self.confirmed = False          # Finish: the recovery key is stored (core.setup.recovery_key_stored)
        self._leave_anyway = False      # closing on the key's page, confirmed
        self.busy = False
        self._drafts = 0
        self._draft_written: list[Any] = [threading.Lock(), 0]     # the lock, the newest draft written
        draft = setup.load_draft(self.db_path)
        if draft is not None:
            self.answers, self.index = draft
            # the secrets were not kept: resume no later than the first page that asks one again
            # (the enrolment code, then the admin's password)
            self.index = min(self.index, 2 if self.answers.mode == "enrol" else 3)
        else:
            self.answers, self.index = setup.SetupAnswers(language=language), 0
        if not keyring_ok:
            self.answers.key_mode = "passphrase"
        self.index = max(0, min(self.index, STEPS - 1))
        self.frame = QFrame()
        self.frame.setObjectName("card")
        self.frame.setMaximumWidth(680)
        self.frame.setMinimumWidth(560)
        self.frame_lay = QVBoxLayout(self.frame)
        self.frame_lay.setContentsMargins(32, 28, 32, 28)
        self.frame_lay.setSpacing(12)
        centred(self, self.frame)
        self._build()
        if draft is not None and self.answers.language != language:
            from desktop.qt import QTimer
            QTimer.singleShot(0, self, lambda: self.language_chosen.emit(self.answers.language))

    # --- building (again, in a new language) -------------------------------------------------------

    def _build(self) -> None:
        self.step_label = QLabel()
        self.step_label.setObjectName("cardSubtitle")
        self.heading = QLabel()
        self.heading.setObjectName("cardTitle")
        # a stacked layout on a plain widget: the card's white shows through (a QStackedWidget
        # paints the window colour)
        self.stack_box = QWidget()
        self.stack = QStackedLayout(self.stack_box)
        self.stack.setContentsMargins(0, 0, 0, 0)
        self.language_page = LanguagePage()
        self.language_page.chosen.connect(self._language)
        self.store_page = StorePage()
        self.printer_page = PrinterPage()
        self.printer_page.test_requested.connect(self._print_test)
        self.summary_page = SummaryPage()
        self.pages: list[WizardPage] = [
            self.language_page, ModePage(), self.store_page, AdminPage(), KeyPage(self.keyring_ok),
            BackupPage(self.db_path.parent / "backups"), self.printer_page, self.summary_page]
        self.recovery_page = RecoveryKeyPage()
        self.recovery_page.print_requested.connect(self.print_recovery_key)
        self.recovery_page.stored.toggled.connect(self._buttons)
        for page in [*self.pages, self.recovery_page]:
            page.load(self.answers)
            self.stack.addWidget(page)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("setupCancel")
        self.cancel_button.setToolTip(self.tr("Leave set-up; your answers so far are kept for next time"))
        self.cancel_button.clicked.connect(self.cancel)
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton()
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        self.buttons_box = QWidget()
        self.buttons_box.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        for w in (self.step_label, self.heading, self.stack_box, self.buttons_box):
            self.frame_lay.addWidget(w)
        self.go(self.index)

    def retranslate(self) -> None:
        """The language changed: build the pages again in it, keeping every answer."""
        self.current.store(self.answers)
        while self.frame_lay.count():
            item = self.frame_lay.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self._build()

    def _language(self, lang: str) -> None:
        self.answers.language = lang
        self.language_chosen.emit(lang)

    # --- moving between the steps -----------------------------------------------------------------

    @property
    def current(self) -> WizardPage:
        page = self.stack.currentWidget()
        assert page is not None
        return page  # type: ignore[return-value]

    def go(self, index: int) -> None:
        self.index = index
        page = self.recovery_page if index >= STEPS else self.pages[index]
        if page is self.store_page:
            self.store_page.set_mode(self.answers.mode)
        if page is self.summary_page:
            self.summary_page.show_answers(self.answers, self.hq)
        self.stack.setCurrentWidget(page)
        self.step_label.setText(self.tr("Set up Orchard: step {0} of {1}").format(index + 1, STEPS)
                                if index < STEPS else self.tr("Set up Orchard: done"))
        self.heading.setText(page.title)
        self._buttons()

    def _buttons(self, *_: Any) -> None:
        done = self.index >= STEPS
        self.cancel_button.setVisible(not done)
        self.back_button.setVisible(not done)
        self.back_button.setEnabled(self.index > 0 and not self.busy)
        self.cancel_button.setEnabled(not self.busy)
        self.next_button.setEnabled(not self.busy and (not done or self.recovery_page.stored.isChecked()))
        self.next_button.setText(self.tr("Finish") if done else self.tr("Create the store")
                                 if self.index == STEPS - 1 else self.tr("Next"))

    def _working(self, on: bool) -> None:
        self.busy = on
        self._buttons()

    def next(self) -> None:
        if self.busy:
            return
        if self.index >= STEPS:
            self.finish()
            return
        if self.index == STEPS - 1:
            self.create_store()
            return
        page = self.current
        page.errors.clear()
        page.store(self.answers)
        found = self.answers.validate(page.active_fields(self.answers), keyring_ok=self.keyring_ok)
        own = page.own_checks()
        if found.errors:
            page.show_errors(found)
        for field, text in own:
            set_field_error(page.errors, field, text)
        if found.errors or own:
            return
        slow = page.slow_check(self.answers)
        if slow is None:
            self._advance()
            return
        self._working(True)
        self.ctx.runner.submit(slow, on_result=lambda r, page=page: self._slow_done(page, r),
                               on_error=lambda e, page=page: self._slow_failed(page, e), pool="io", owner=self)

    def _slow_done(self, page: WizardPage, result: Any) -> None:
        self._working(False)
        try:
            page.slow_checked(self.answers, result)
        except (ValidationError, ValidationErrors) as exc:
            page.show_errors(exc)
            return
        if page is self.store_page:
            self.hq = self.store_page.hq
        self._advance()

    def _slow_failed(self, page: WizardPage, exc: BaseException) -> None:
        self._working(False)
        page.show_errors(exc)

    def _advance(self) -> None:
        self.go(self.index + 1)
        self.save_draft()

    def back(self) -> None:
        if self.index > 0 and not self.busy:
            self.current.store(self.answers)
            self.go(self.index - 1)

    def cancel(self) -> None:
        """Leave set-up: the answers so far (no secret) are kept; nothing is made."""
        if self.index < STEPS:
            self.current.store(self.answers)
            self.save_draft()
        self.cancelled.emit()

    def save_draft(self, *, clear: bool = False) -> None:
        """On the I/O pool; a later save (or ``clear``) is never undone by an earlier one still
        on its way (the pool runs several tasks at once)."""
        answers, index, path = setup.SetupAnswers(**vars(self.answers)), self.index, self.db_path
        self._drafts += 1
        generation, written = self._drafts, self._draft_written

        def work(progress: Any) -> None:
            with written[0]:
                if generation > written[1]:
                    if clear:
                        setup.clear_draft(path)
                    else:
                        setup.save_draft(path, answers, index)
                    written[1] = generation
        self.ctx.runner.submit(work, pool="io", on_error=lambda e: None)

    # --- making the store -----------------------------------------------------------------------

    def create_store(self) -> None:
        answers, path = setup.SetupAnswers(**vars(self.answers)), self.db_path
        self._working(True)
        steps = {"hq": self.tr("Asking HQ about the store…"), "database": self.tr("Making the encrypted database…"),
                 "store": self.tr("Adding the store and its administrator…"),
                 "enrol": self.tr("Enrolling with HQ and fetching its price book and service types…"),
                 "settings": self.tr("Keeping the printers and the backup folder…"),
                 "finish": self.tr("Putting the database in place…"), "done": self.tr("Done.")}
        self.summary_page.working(True, steps["database"])

        def work(progress: Any) -> SetupResult:
            return setup.create_store(path, answers, now=clock.now(),
                                      progress=lambda done, total, what: progress.report(done, total, what))
        self.ctx.runner.submit(work, on_result=self._created, on_error=self._create_failed, pool="io", owner=self,
                               on_progress=lambda d, t, what: self.summary_page.step(d, t, steps.get(what, "")))

    def _created(self, result: SetupResult) -> None:
        self.result = result
        self.summary_page.working(False)
        self.save_draft(clear=True)          # the store exists: nothing to resume
        self.recovery_page.show_code(result.recovery_code)
        self.busy = False
        self.go(STEPS)

    def _create_failed(self, exc: BaseException) -> None:
        self.summary_page.working(False)
        self._working(False)
        if isinstance(exc, setup.EnrolmentLost):
            self.answers.store_id = exc.store_id       # the next code from HQ enrols as this same store
            self.save_draft()
        if isinstance(exc, (ValidationError, ValidationErrors)):
            fields = [e.field for e in (exc.errors if isinstance(exc, ValidationErrors) else [exc])]
            for i, page in enumerate(self.pages):
                if set(fields) & set(page.active_fields(self.answers)) or \
                        (page is self.store_page and set(fields) & {"timezone", "currency", "country"}):
                    self.go(i)
                    page.show_errors(exc)
                    return
        self.summary_page.errors.clear()
        general = self.summary_page.errors.general
        if general is not None:
            general.setText(user_message(exc))
            general.show()

    def finish(self) -> None:
        """The key is stored: its "unconfirmed" mark goes (on the database thread), then on
        to sign-in."""
        result = self.result
        if result is None or self.busy or not self.recovery_page.stored.isChecked():
            return
        self._working(True)
        self.recovery_page.errors.clear()
        db = result.db
        self.ctx.runner.submit(lambda progress: setup.recovery_key_stored(db), on_result=lambda _: self._confirmed(),
                               on_error=self._confirm_failed, owner=self)

    def _confirmed(self) -> None:
        self.confirmed = True
        self._working(False)
        if self.result is not None:
            self.finished.emit(self.result.db)

    def _confirm_failed(self, exc: BaseException) -> None:
        self._working(False)
        general = self.recovery_page.errors.general
        if general is not None:
            general.setText(user_message(exc))
            general.show()

    # --- leaving with the key not confirmed as stored ---------------------------------------------

    def asks_before_closing(self) -> bool:
        """The store exists and its recovery key was shown, but nobody has ticked that it is stored."""
        return self.result is not None and not self.confirmed and not self._leave_anyway

    def confirm_close(self, close: Callable[[], object]) -> None:
        """Asked when the window is closed on the recovery key's page; ``close`` runs when
        the user closes anyway."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("The recovery key is not confirmed"), self.tr(
            "The store is made, but nobody has confirmed that its recovery key is stored. Without it, a lost "
            "keyring or a forgotten passphrase locks the store's data away, and its backups with it. Stay to "
            "print or write down the key, then tick \"I have stored the recovery key\". If you close now, the "
            "administrator is asked at sign-in to make a new recovery key."), QMessageBox.StandardButton.NoButton,
            self)
        box.setObjectName("unconfirmedRecoveryKeyQuestion")
        leave = box.addButton(self.tr("Close anyway"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("Stay"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(clicked: object) -> None:
            if clicked is leave:
                self._leave_anyway = True
                close()
        box.buttonClicked.connect(answered)
        self.close_question = box
        box.open()

    # --- printing -------------------------------------------------------------------------------

    def print_recovery_key(self) -> None:
        """The recovery key sheet (A4, the code large, its QR) in the print preview: print it,
        or save it as a PDF."""
        from desktop.views.preview import PreviewDialog
        result, lang = self.result, self.answers.language
        if result is None:
            return

        def render() -> bytes:
            from reports import recovery_sheet
            with tempfile.TemporaryDirectory(prefix="orchard-") as folder:
                path = Path(folder) / "recovery-key.pdf"
                recovery_sheet.render(path, store_name=result.store_name, store_code=result.store_code,
                                      code=result.recovery_code, created_at=result.created_at, lang=lang)
                return path.read_bytes()
        self.sheet_dialog = PreviewDialog(self.ctx, self.tr("Recovery key"), render, self,
                                          file_name=str(sheet_folder(self.db_path) /
                                                        f"recovery-key-{result.store_code}.pdf"))
        self.sheet_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sheet_dialog.open()

    def _print_test(self, kind: str, printer: str, pdf_path: str) -> None:
        self.current.store(self.answers)
        name = self.answers.store_name or (self.hq.name if self.hq else "")
        lines = ["Orchard", self.tr("Test page: receipt printer") if kind == "receipt"
                 else self.tr("Test page: label printer"), name, printer or pdf_path,
                 clock.now().strftime("%Y-%m-%d %H:%M UTC")]
        page = self.printer_page
        self.ctx.runner.submit(test_page_work(kind, printer, pdf_path, [x for x in lines if x]), pool="io",
                               on_result=lambda where: page.test_printed(kind, where),
                               on_error=lambda e: page.test_failed(kind, user_message(e)), owner=page)


def sheet_folder(db_path: Path) -> Path:
    """Where "Save as PDF" of the recovery key sheet starts: the user's documents (or home),
    never the data folder, which would then hold both the database and the code that opens it."""
    data = Path(db_path).resolve().parent
    for place in (QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
                  QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)):
        if place and Path(place).is_dir() and Path(place).resolve() != data:
            return Path(place)
    return Path.home()
