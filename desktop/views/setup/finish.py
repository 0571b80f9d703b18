"""The wizard's end: what is about to be made (then making it, with its progress), and the
recovery key, shown once, large, with "Print the recovery key" and the tick that says it
is kept somewhere safe."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from desktop.qt import QCheckBox, QLabel, QProgressBar, QPushButton, Qt, QWidget, Signal
from desktop.views.setup.base import WizardPage, hint
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from core.setup import HqStore, SetupAnswers


class SummaryPage(WizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Ready to set up"), self.tr("Check what will be made. Back changes an answer."),
                         parent)
        self.summary = QLabel()
        self.summary.setObjectName("setupSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.lay.addWidget(self.summary)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.hide()
        self.lay.addWidget(self.progress)
        self.lay.addWidget(self.status)
        self.finish_layout()

    def show_answers(self, a: SetupAnswers, hq: HqStore | None) -> None:
        rows: list[tuple[str, str]] = []
        if a.mode == "enrol":
            rows.append((self.tr("HQ"), a.hq_url))
            if hq is not None:
                rows.append((self.tr("Store"), f"{hq.code} · {hq.name}"))
                rows.append((self.tr("Time zone"), hq.timezone or a.timezone))
                rows.append((self.tr("Currency"), hq.currency or a.currency))
            rows.append((self.tr("Brought from HQ"), self.tr("the store's name, time zone, currency, price book and "
                                                     "service types")))
        else:
            rows += [(self.tr("Store"), f"{a.store_code} · {a.store_name}"), (self.tr("Country"), a.country),
                     (self.tr("Time zone"), a.timezone), (self.tr("Currency"), a.currency)]
        rows.append((self.tr("Administrator"), self.tr("{0}, staff number {1}").format(a.admin_name, a.admin_number)))
        rows.append((self.tr("Database key"), self.tr("this computer's keyring") if a.key_mode == "keyring"
                     else self.tr("a passphrase")))
        rows.append((self.tr("Backups"), a.backup_folder))
        none = self.tr("none for now")
        rows.append((self.tr("Receipt printer"), a.receipt_printer or none))
        rows.append((self.tr("Label printer"), a.label_printer or none))
        self.summary.setText("<table cellspacing='6'>" + "".join(
            f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows) + "</table>")

    def working(self, on: bool, text: str = "") -> None:
        self.progress.setVisible(on)
        self.status.setVisible(bool(text))
        self.status.setText(text)
        if on:
            self.errors.clear()

    def step(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(text)
        self.status.show()


class RecoveryKeyPage(WizardPage):
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("The store's recovery key"), parent=parent)
        self.lay.addWidget(hint(self.tr(
            "The recovery key is a second way into the store's data: when this computer loses its keyring or the "
            "passphrase is forgotten, it opens the store, and it lets a new administrator password be set. It is "
            "shown only now and kept nowhere on this computer.")))
        self.code = QLabel()
        self.code.setObjectName("recoveryKey")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # large and monospaced, so 0 and O, 1 and I are told apart (the style sheet sets label fonts)
        self.code.setStyleSheet("font-family: 'DejaVu Sans Mono', 'Noto Sans Mono', monospace; font-size: 24px; "
                                "font-weight: 700; padding: 10px 0;")
        self.code.setAccessibleName(self.tr("Recovery key"))
        self.lay.addWidget(self.code)
        self.lay.addWidget(MessageBanner("warning", self.tr(
            "Print it (or write it down) now and keep it away from this computer: in the store's safe, or with "
            "HQ's papers. Anyone who has it and this computer's files can open the store's data.")))
        self.print_button = QPushButton(self.tr("Print the recovery key"))
        self.print_button.setObjectName("printRecoveryKey")
        self.print_button.clicked.connect(self.print_requested)
        self.lay.addWidget(self.print_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.stored = QCheckBox(self.tr("I have stored the recovery key"))
        self.stored.setObjectName("recoveryKeyStored")
        self.lay.addWidget(self.stored)
        self.finish_layout()

    def show_code(self, code: str) -> None:
        self.code.setText(code)
        self.stored.setChecked(False)
