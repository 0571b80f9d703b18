"""The wizard's steps about this computer: where the database key lives, the backup folder,
and the receipt and label printers (each with a test page)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from core import setup
from desktop.qt import (
    QButtonGroup, QComboBox, QFileDialog, QFont, QHBoxLayout, QLabel, QLineEdit, QPainter, QPushButton, QRadioButton,
    QRect, Qt, QWidget, Signal,
)
from desktop.views.setup.base import WizardPage, note, secret_box
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from core.setup import SetupAnswers


class KeyPage(WizardPage):
    """Where the database key lives: this computer's keyring (when it has a real one) or a
    passphrase typed at every start."""

    def __init__(self, keyring_ok: bool, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Where the database key lives"),
                         self.tr("The store's data is encrypted on this computer. Its key is kept in one of two "
                                 "places; the recovery key shown at the end opens the store if it is ever lost."),
                         parent)
        self.keyring_ok = keyring_ok
        self.keyring = QRadioButton(self.tr("In this computer's keyring (recommended)"))
        self.keyring.setObjectName("keyModeKeyring")
        self.keyring_note = note(self.tr("Orchard opens without a question when this computer's user signs in. If "
                                         "the keyring is lost (the user profile rebuilt, the computer restored), "
                                         "the recovery key opens the store."))
        self.passphrase_mode = QRadioButton(self.tr("Protected by a passphrase"))
        self.passphrase_mode.setObjectName("keyModePassphrase")
        self.passphrase_note = note(self.tr("Whoever starts Orchard types the passphrase. Without it, or the "
                                            "recovery key, nobody can open the store's data."))
        group = QButtonGroup(self)
        for button, words in ((self.keyring, self.keyring_note), (self.passphrase_mode, self.passphrase_note)):
            group.addButton(button)
            self.lay.addWidget(button)
            self.lay.addWidget(words)
        if not keyring_ok:
            self.keyring.setEnabled(False)
            self.no_keyring = MessageBanner("info", self.tr(
                "This computer has no secure keyring, so the store is protected by a passphrase."))
            self.lay.addWidget(self.no_keyring)
        form = self.form()
        self.passphrase = secret_box()
        self.passphrase_again = secret_box()
        self.row(form, "passphrase", self.tr("Store passphrase"), self.passphrase)
        self.row(form, "passphrase_again", self.tr("The passphrase again"), self.passphrase_again)
        self.passphrase_mode.toggled.connect(self._mode)
        self.key_mode_error = QLabel()
        self.errors.bind("key_mode", self.key_mode_error, self.keyring)
        self.lay.addWidget(self.key_mode_error)
        self.finish_layout()

    def _mode(self, passphrase: bool) -> None:
        for box in (self.passphrase, self.passphrase_again):
            box.setEnabled(passphrase)

    def active_fields(self, answers: SetupAnswers) -> tuple[str, ...]:
        return ("key_mode", "passphrase") if answers.key_mode == "passphrase" else ("key_mode",)

    def load(self, answers: SetupAnswers) -> None:
        passphrase = answers.key_mode == "passphrase" or not self.keyring_ok
        (self.passphrase_mode if passphrase else self.keyring).setChecked(True)
        self._mode(passphrase)
        self.passphrase.setText(answers.passphrase)
        self.passphrase_again.setText(answers.passphrase)

    def store(self, answers: SetupAnswers) -> None:
        answers.key_mode = "passphrase" if self.passphrase_mode.isChecked() else "keyring"
        answers.passphrase = self.passphrase.text() if answers.key_mode == "passphrase" else ""

    def own_checks(self) -> list[tuple[str, str]]:
        if self.passphrase_mode.isChecked() and self.passphrase.text() != self.passphrase_again.text():
            return [("passphrase_again", self.tr("The two passphrases differ."))]
        return []


class BackupPage(WizardPage):
    fields = ("backup_folder",)

    def __init__(self, default_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Backups"),
                         self.tr("Orchard backs the store up every day, encrypted, into this folder. A USB disk or "
                                 "a network share keeps the backups safe when this computer fails."), parent)
        self.default_folder = default_folder
        form = self.form()
        self.folder = QLineEdit()
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.folder, 1)
        line.addWidget(choose)
        box = QWidget()
        box.setLayout(line)
        row = self.row(form, "backup_folder", self.tr("Backup folder"), box)
        self.errors.bind("backup_folder", row.error, self.folder)
        self.finish_layout()

    def _choose(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Backup folder"), self.folder.text())
        if path:
            self.folder.setText(path)

    def load(self, answers: SetupAnswers) -> None:
        self.folder.setText(answers.backup_folder or str(self.default_folder))

    def store(self, answers: SetupAnswers) -> None:
        answers.backup_folder = self.folder.text().strip()

    def slow_check(self, answers: SetupAnswers) -> Callable[[Any], Any] | None:
        folder = answers.backup_folder
        return lambda progress: setup.check_folder(folder)


# --- printers ------------------------------------------------------------------------------------

# what each printer's test page is sized like: an 80 mm receipt roll, a 62 x 29 mm label
PAPER_MM = {"receipt": (80.0, 120.0), "label": (62.0, 29.0)}


def print_test_page(printer: QPrinter, kind: str, lines: list[str]) -> None:
    """Paint a test page for a ``kind`` printer ("receipt", "label") on ``printer``. Runs on
    a worker thread too (QPainter on a QPrinter is allowed off the GUI thread)."""
    width, height = PAPER_MM[kind]
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(width, height), QPageSize.Unit.Millimeter),
                                      QPageLayout.Orientation.Portrait, QMarginsF(3, 3, 3, 3),
                                      QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    try:
        area = painter.viewport()
        font = QFont()
        font.setPointSizeF(8 if kind == "label" else 10)
        painter.setFont(font)
        painter.drawRect(QRect(area.x(), area.y(), area.width() - 1, area.height() - 1))
        painter.drawText(area.adjusted(20, 20, -20, -20), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                         | int(Qt.TextFlag.TextWordWrap), "\n".join(lines))
    finally:
        painter.end()


class PrinterPage(WizardPage):
    """The receipt and label printers, from the system's printers; a test page each (to
    the printer chosen, or to a PDF file when there is none)."""

    fields = ("receipt_printer", "label_printer")
    test_requested = Signal(str, str, str)      # kind, printer name ("" = a PDF), PDF path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Printers"),
                         self.tr("The receipt printer prints intake receipts; the label printer prints the labels "
                                 "stuck on devices. Both can be changed later."), parent)
        names = QPrinterInfo.availablePrinterNames()
        if not names:
            self.lay.addWidget(MessageBanner("info", self.tr(
                "No printers are installed on this computer yet. A test page is saved as a PDF file instead.")))
        form = self.form()
        self.combos: dict[str, QComboBox] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        for kind, field, text in (("receipt", "receipt_printer", self.tr("Receipt printer")),
                                  ("label", "label_printer", self.tr("Label printer"))):
            combo = QComboBox()
            combo.addItem(self.tr("None for now"), "")
            for name in names:
                combo.addItem(name, name)
            test = QPushButton(self.tr("Print a test page"))
            test.setObjectName(f"test_{kind}")
            test.clicked.connect(lambda _=False, kind=kind: self.test_page(kind))
            line = QHBoxLayout()
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(combo, 1)
            line.addWidget(test)
            box = QWidget()
            box.setLayout(line)
            row = self.row(form, field, text, box)
            self.errors.bind(field, row.error, combo)
            self.combos[kind] = combo
            self.test_buttons[kind] = test
        self.result = MessageBanner("success")
        self.lay.addWidget(self.result)
        self.finish_layout()

    def load(self, answers: SetupAnswers) -> None:
        for kind, value in (("receipt", answers.receipt_printer), ("label", answers.label_printer)):
            combo = self.combos[kind]
            i = combo.findData(value)
            combo.setCurrentIndex(i if i >= 0 else 0)

    def store(self, answers: SetupAnswers) -> None:
        answers.receipt_printer = str(self.combos["receipt"].currentData() or "")
        answers.label_printer = str(self.combos["label"].currentData() or "")

    def test_page(self, kind: str) -> None:
        name = str(self.combos[kind].currentData() or "")
        path = ""
        if not name:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the test page"), f"orchard-test-{kind}.pdf",
                                                  self.tr("PDF documents (*.pdf)"))
            if not path:
                return
        self.test_buttons[kind].setEnabled(False)
        self.test_requested.emit(kind, name, path)

    def test_printed(self, kind: str, where: str) -> None:
        self.test_buttons[kind].setEnabled(True)
        self.result.set_message("success", self.tr("Test page sent to {0}.").format(where))

    def test_failed(self, kind: str, text: str) -> None:
        self.test_buttons[kind].setEnabled(True)
        self.result.set_message("error", text)


def test_page_work(kind: str, printer_name: str, pdf_path: str, lines: list[str]) -> Callable[[Any], str]:
    """The I/O pool's part of a test page; returns where it went."""
    def work(progress: Any) -> str:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if printer_name:
            printer.setPrinterName(printer_name)
        else:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(pdf_path)
        printer.setDocName("Orchard test page")
        print_test_page(printer, kind, lines)
        return printer_name or pdf_path
    return work
