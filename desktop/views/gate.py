"""The pages in front of the work: the store passphrase, sign-in and the lock screen (the
first-run set-up is the wizard in desktop/views/setup). Each is a plain widget; MainWindow
decides which one shows."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from core.errors import AccountLocked, PinBlocked, ValidationError
from core.staff_info import StaffInfo
from core.version import VERSION
from desktop.errors import user_message
from desktop.qt import (
    QAbstractListModel, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListView, QModelIndex,
    QProgressBar, QPushButton, Qt, QTimer, QVBoxLayout, QWidget, Signal,
)
from desktop.widgets.field import error_label

if TYPE_CHECKING:
    from typing import Any

    from desktop.qt import QObject, QPersistentModelIndex
    from core.demo.info import DemoConsole

TIMEZONES = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Europe/London",
             "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago", "America/Denver",
             "America/Los_Angeles", "Australia/Sydney", "UTC"]
COUNTRIES = ["CN", "HK", "SG", "JP", "GB", "DE", "FR", "US", "AU"]


def card(title: str, subtitle: str = "", corner: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    """A centred card on an empty page: how every gate page looks. ``corner`` sits at the
    right end of the title's line (it takes no line of its own)."""
    frame = QFrame()
    frame.setObjectName("card")
    frame.setMaximumWidth(520)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(32, 28, 32, 28)
    lay.setSpacing(12)
    head = QLabel(title)
    head.setObjectName("cardTitle")
    head.setWordWrap(True)              # a long title (or a long translation) wraps in the card
    if corner is None:
        lay.addWidget(head)
    else:
        top = QHBoxLayout()
        top.addWidget(head, 1)          # the title takes the line's room, the corner keeps its own
        top.addWidget(corner, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addLayout(top)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("cardSubtitle")
        sub.setWordWrap(True)
        lay.addWidget(sub)
    return frame, lay


def centred(widget: QWidget, frame: QFrame) -> None:
    outer = QVBoxLayout(widget)
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(frame, 3)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)


class PassphrasePage(QWidget):
    submitted = Signal(str)
    use_recovery = Signal()         # the passphrase is forgotten: the recovery key's page (desktop/views/recovery.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphrasePage")
        frame, lay = card(self.tr("Open the store database"),
                          self.tr("This computer has no secure keyring. Enter the store passphrase."))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Store passphrase"))
        self.passphrase.returnPressed.connect(self._submit)
        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("hint")
        self.demo_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_hint.hide()
        self.error = error_label()
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self._submit)
        # shown only for a store with a recovery key (set_recovery_route)
        self.recovery_button = QPushButton(self.tr("Use the recovery key"))
        self.recovery_button.setObjectName("link")
        self.recovery_button.setToolTip(self.tr("Forgot the passphrase? The recovery key printed at set-up opens "
                                                "the store"))
        self.recovery_button.clicked.connect(self.use_recovery)
        self.recovery_button.hide()
        lay.addWidget(self.passphrase)
        lay.addWidget(self.error)
        lay.addWidget(self.demo_hint)
        row = QHBoxLayout()
        row.addWidget(self.recovery_button)
        row.addStretch(1)
        row.addWidget(self.open_button)
        lay.addLayout(row)
        centred(self, frame)

    def set_recovery_route(self, on: bool) -> None:
        """Whether the store has a recovery key to offer when the passphrase is forgotten."""
        self.recovery_button.setVisible(on)

    def show_demo_passphrase(self, passphrase: str) -> None:
        self.demo_hint.setText(self.tr("Demo store: the passphrase is {0}").format(passphrase))
        self.demo_hint.show()

    def _submit(self) -> None:
        if not self.passphrase.text():
            return
        self.error.hide()
        self.open_button.setEnabled(False)
        self.submitted.emit(self.passphrase.text())

    def failed(self, exc: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        self.error.setText(user_message(exc))
        self.error.show()


class StaffListModel(QAbstractListModel):
    """Active staff for the picker: name and role; the id rides along in UserRole."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.staff: list[StaffInfo] = []

    def set_staff(self, staff: list[StaffInfo]) -> None:
        self.beginResetModel()
        self.staff = list(staff)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.staff)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.staff)):
            return None
        s = self.staff[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{s.display_name}  ·  #{s.staff_number}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return s.role.value
        if role == Qt.ItemDataRole.UserRole:
            return s
        return None

    def row_of(self, staff_id: object) -> int:
        for i, s in enumerate(self.staff):
            if str(s.id) == str(staff_id):
                return i
        return -1


class CredentialBox(QWidget):
    """PIN (or password) entry with the error beside it; shared by sign-in and unlock."""

    submitted = Signal(str, str)   # kind ("pin" / "password"), secret

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.secret = QLineEdit()
        self.secret.setObjectName("secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.returnPressed.connect(self._submit)
        self.use_password = QCheckBox(self.tr("Use my password instead of the PIN"))
        self.use_password.toggled.connect(self._mode)
        self.error = error_label()
        self.button = QPushButton(self.tr("Sign in"))
        self.button.setObjectName("primary")
        self.button.clicked.connect(self._submit)
        lay.addWidget(self.secret)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.use_password)
        row.addStretch(1)
        row.addWidget(self.button)
        lay.addLayout(row)
        self._mode(False)

    def _mode(self, password: bool) -> None:
        self.secret.clear()
        self.secret.setPlaceholderText(self.tr("Password") if password else self.tr("PIN"))
        self.secret.setMaxLength(200 if password else 8)
        self.secret.setFocus()

    @property
    def kind(self) -> str:
        return "password" if self.use_password.isChecked() else "pin"

    def _submit(self) -> None:
        if not self.secret.text() or not self.button.isEnabled():
            return
        self.error.hide()
        self.button.setEnabled(False)
        self.submitted.emit(self.kind, self.secret.text())

    def reset(self) -> None:
        self.secret.clear()
        self.error.hide()
        self.button.setEnabled(True)
        self.use_password.setChecked(False)

    def failed(self, exc: BaseException) -> None:
        self.secret.clear()
        self.secret.setFocus()
        self.error.setText(user_message(exc))
        self.error.show()
        if isinstance(exc, PinBlocked):
            self.use_password.setChecked(True)   # the PIN is blocked: switch to password
        if isinstance(exc, AccountLocked):
            self.button.setEnabled(False)
            QTimer.singleShot(5000, self.button, lambda: self.button.setEnabled(True))
        else:
            self.button.setEnabled(True)


class SignInPage(QWidget):
    sign_in = Signal(object, str, str)      # StaffInfo, kind, secret
    forgot_admin = Signal()                 # the locked-out admin's way back (desktop/views/admin_reset.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        # the locked-out admin's way in: on the title's line, so it takes no height from the staff list
        self.forgot_button = QPushButton(self.tr("Forgot the admin password?"))
        self.forgot_button.setObjectName("link")
        self.forgot_button.clicked.connect(self.forgot_admin)
        frame, lay = card(self.tr("Sign in"), corner=self.forgot_button)
        self.store_label = QLabel()
        self.store_label.setObjectName("cardSubtitle")
        lay.addWidget(self.store_label)
        self.staff_model = StaffListModel(self)
        self.staff_list = QListView()
        self.staff_list.setObjectName("staffList")
        self.staff_list.setModel(self.staff_model)
        self.staff_list.setMinimumHeight(180)
        self.staff_list.setAccessibleName(self.tr("Who are you?"))
        # choosing someone (click, arrows, Enter, or the staff number) opens the PIN field for them
        self.staff_list.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self.staff_list.clicked.connect(lambda *_: self.credentials.secret.setFocus())
        self.staff_list.activated.connect(lambda *_: self.credentials.secret.setFocus())
        self.choose_hint = QLabel(self.tr("Choose who you are, then enter your PIN."))
        self.choose_hint.setObjectName("hint")
        self.choose_hint.setWordWrap(True)
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("or type your staff number"))
        self.number.setMaxLength(16)
        self.number.textEdited.connect(self._select_number)
        self.credentials = CredentialBox()
        self.credentials.submitted.connect(self._submit)
        lay.addWidget(self.choose_hint)
        lay.addWidget(self.staff_list)
        lay.addWidget(self.number)
        lay.addWidget(self.credentials)
        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("hint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.hide()
        lay.addWidget(self.demo_hint)
        # demo only: the local HQ's web console and its demo user; selectable, the link opens the browser
        self.console_hint = QLabel()
        self.console_hint.setObjectName("hint")
        self.console_hint.setWordWrap(True)
        self.console_hint.setTextFormat(Qt.TextFormat.RichText)
        self.console_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.console_hint.setOpenExternalLinks(True)
        self.console_hint.hide()
        lay.addWidget(self.console_hint)
        # the card centred on the page, and over the same cell the version in the page's bottom
        # right corner (the first thing a support call asks): outside the card, taking none of its height
        body = QWidget()
        centred(body, frame)
        self.version_label = QLabel(self.tr("Orchard {0}").format(VERSION))
        self.version_label.setObjectName("caption")
        self.version_label.setContentsMargins(0, 0, 12, 8)
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        page = QGridLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(body, 0, 0)
        page.addWidget(self.version_label, 0, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        self.setTabOrder(self.staff_list, self.number)
        self.setTabOrder(self.number, self.credentials.secret)
        self.setTabOrder(self.credentials.button, self.forgot_button)

    def set_staff(self, staff: list[StaffInfo], store_name: str) -> None:
        """Nobody is chosen: the last person's name must not catch the next person's PIN
        (a wrong PIN counts against the account it was typed for)."""
        self.store_label.setText(store_name)
        self.staff_model.set_staff(staff)
        # no current row either, so focusing the list does not pick the first person
        self.staff_list.setCurrentIndex(QModelIndex())
        self.staff_list.clearSelection()
        self.number.clear()
        self._chosen()
        self.staff_list.setFocus()

    def _chosen(self) -> None:
        """The PIN field is open only while someone is chosen; choosing again starts afresh."""
        who = self.selected()
        self.credentials.reset()
        self.credentials.setEnabled(who is not None)
        self.choose_hint.setVisible(who is None)

    def show_demo_hint(self, text: str, console: DemoConsole | None = None) -> None:
        """Demo mode only: the PINs, and the demo HQ's console with its demo user."""
        self.demo_hint.setText(text)
        self.demo_hint.show()
        self.console_hint.setVisible(console is not None)
        if console is None:
            self.console_hint.clear()
            return
        link = f'<a href="{escape(console.url)}">{escape(console.url)}</a>'
        self.console_hint.setText(escape(self.tr("HQ console: {0}")).format(link) + "<br>" + escape(
            self.tr("User {0}, password {1}").format(console.username, console.password)))

    def _select_number(self, text: str) -> None:
        """The person with exactly this number, or nobody (a half-typed "12" is not #1)."""
        for i, s in enumerate(self.staff_model.staff):
            if s.staff_number == text.strip():
                self.staff_list.setCurrentIndex(self.staff_model.index(i))
                return
        self.staff_list.setCurrentIndex(QModelIndex())
        self.staff_list.clearSelection()

    def selected(self) -> StaffInfo | None:
        chosen = self.staff_list.selectionModel().selectedIndexes()
        return self.staff_model.data(chosen[0], Qt.ItemDataRole.UserRole) if chosen else None

    def _submit(self, kind: str, secret: str) -> None:
        who = self.selected()
        if who is None:
            self.credentials.failed(ValidationError("staff", "choose who you are first"))
            return
        self.sign_in.emit(who, kind, secret)


class LockPage(QWidget):
    """Shown over the work when the counter is idle or locked with Ctrl+L."""

    unlock = Signal(str, str)
    switch_user = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockPage")
        frame, lay = card(self.tr("Locked"))
        self.who = QLabel()
        self.who.setObjectName("cardSubtitle")
        lay.addWidget(self.who)
        self.credentials = CredentialBox()
        self.credentials.button.setText(self.tr("Unlock"))
        self.credentials.submitted.connect(self.unlock)
        lay.addWidget(self.credentials)
        self.other_button = QPushButton(self.tr("Sign in as someone else"))
        self.other_button.setObjectName("link")
        self.other_button.clicked.connect(self.switch_user)
        lay.addWidget(self.other_button, alignment=Qt.AlignmentFlag.AlignLeft)
        centred(self, frame)

    def show_for(self, name: str) -> None:
        """Says who may unlock (the person signed in) and that anyone else signs in instead."""
        self.who.setText(self.tr("Locked by {0}. {0} can unlock with their PIN, or a colleague can sign in "
                                 "instead.").format(name))
        self.who.setWordWrap(True)
        self.credentials.reset()
        self.credentials.secret.setFocus()


class BusyPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame, lay = card(self.tr("One moment"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        lay.addWidget(self.text)
        lay.addWidget(self.bar)
        centred(self, frame)

    def show_text(self, text: str, done: int = 0, total: int = 0) -> None:
        self.text.setText(text)
        self.bar.setRange(0, total)
        self.bar.setValue(done)
