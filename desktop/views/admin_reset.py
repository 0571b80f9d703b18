"""A locked-out administrator (a forgotten password, too many wrong tries) sets a new
password from the sign-in page, proving it with the store's recovery key or a one-time
reset code from HQ. ``core.recovery.reset_admin`` checks everything and audits it; this
dialog only collects the answers, runs it on the io pool and puts each refusal beside the
field it is about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import ValidationError, ValidationErrors
from desktop.errors import FieldErrors
from desktop.qt import (
    QButtonGroup, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QRadioButton, Qt,
    QVBoxLayout, QWidget, Signal,
)
from desktop.views.recovery import code_font_field
from desktop.widgets.field import FieldRow, general_error
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from core.db import StoreDatabase
    from desktop.app import MainWindow
    from desktop.workers import Progress, Runner

PASSWORD_MAX = 200
# what the core may call the code it was given; all of them are the one code field here
_CODE_FIELDS = ("code", "recovery_code", "hq_reset_code", "reset_code", "hq_code")


class AdminResetDialog(QDialog):
    """``AdminResetDialog(runner, db, parent)``; ``reset_done`` carries the staff number
    whose password was set."""

    reset_done = Signal(str)

    def __init__(self, runner: Runner, db: StoreDatabase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminResetDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.runner = runner
        self.db = db
        self.setWindowTitle(self.tr("Forgot the admin password?"))
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        intro = QLabel(self.tr(
            "An administrator who is locked out or has forgotten the password can set a new one with the "
            "store's recovery key, or with a one-time reset code from headquarters. The change is recorded "
            "in the audit trail."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.fields = FieldErrors(general=general_error())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.staff_number = QLineEdit()
        self.staff_number.setObjectName("resetStaffNumber")
        self.staff_number.setMaxLength(16)
        form.addRow(self.tr("Administrator's staff number"), FieldRow(self.fields, "staff_number", self.staff_number))
        self.use_recovery = QRadioButton(self.tr("The store's recovery key"))
        self.use_recovery.setObjectName("useRecoveryKey")
        self.use_hq = QRadioButton(self.tr("A reset code from headquarters"))
        self.use_hq.setObjectName("useHqCode")
        self.method = QButtonGroup(self)
        for button in (self.use_recovery, self.use_hq):
            self.method.addButton(button)
        self.use_recovery.setChecked(True)
        self.method.buttonToggled.connect(lambda *_: self._method())
        choice = QVBoxLayout()
        choice.setSpacing(2)
        choice.addWidget(self.use_recovery)
        choice.addWidget(self.use_hq)
        form.addRow(self.tr("Proof"), choice)
        self.code = code_font_field(QLineEdit())
        self.code.setObjectName("resetCode")
        self.code_label = QLabel()
        self.code_row = FieldRow(self.fields, "code", self.code)
        form.addRow(self.code_label, self.code_row)
        self.password = QLineEdit()
        self.password.setObjectName("resetPassword")
        self.again = QLineEdit()
        self.again.setObjectName("resetPasswordAgain")
        for box in (self.password, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
            box.setMaxLength(PASSWORD_MAX)
        form.addRow(self.tr("New password"), FieldRow(self.fields, "new_password", self.password))
        form.addRow(self.tr("New password again"), FieldRow(self.fields, "new_password_again", self.again))
        lay.addLayout(form)
        lay.addWidget(self.fields.general)
        self.result = MessageBanner("success")
        lay.addWidget(self.result)
        self.result.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        lay.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.set_button = QPushButton(self.tr("Set the new password"))
        self.set_button.setObjectName("primary")
        self.set_button.setDefault(True)
        self.set_button.clicked.connect(self.submit)
        buttons.addWidget(self.set_button)
        self.done_button = QPushButton(self.tr("Sign in"))
        self.done_button.setObjectName("primary")
        self.done_button.clicked.connect(self.accept)
        self.done_button.hide()
        buttons.addWidget(self.done_button)
        lay.addLayout(buttons)
        self._method()
        self.staff_number.setFocus()

    def _method(self) -> None:
        hq = self.use_hq.isChecked()
        self.code_label.setText(self.tr("Reset code") if hq else self.tr("Recovery key"))
        self.code.setAccessibleName(self.code_label.text())
        self.code.clear()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.set_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        for box in (self.staff_number, self.code, self.password, self.again):
            box.setReadOnly(busy)

    def _checked_here(self) -> list[ValidationError]:
        """What needs no database: an empty field, two passwords that differ. The rules for
        the password itself and the code are the core's."""
        errors = []
        if not self.staff_number.text().strip():
            errors.append(ValidationError("staff_number", "enter the administrator's staff number"))
        if not self.code.text().strip():
            errors.append(ValidationError("code", "enter the reset code from headquarters" if self.use_hq.isChecked()
                                          else "enter the recovery key"))
        if not self.password.text():
            errors.append(ValidationError("new_password", "enter the new password"))
        elif self.password.text() != self.again.text():
            errors.append(ValidationError("new_password_again", "the two passwords are not the same"))
        return errors

    def submit(self) -> None:
        if not self.set_button.isEnabled():
            return
        self.fields.clear()
        errors = self._checked_here()
        if errors:
            self.fields.show(ValidationErrors(errors) if len(errors) > 1 else errors[0])
            return
        number, code, password = self.staff_number.text().strip(), self.code.text().strip(), self.password.text()
        hq = self.use_hq.isChecked()
        db = self.db
        self._busy(True)

        def work(progress: Progress) -> str:
            from core import clock, recovery
            recovery.reset_admin(db, code=None if hq else code, hq_reset_code=code if hq else None,
                                 staff_number=number, new_password=password, now=clock.now())
            return number
        self.runner.submit(work, on_result=self._done, on_error=self.failed, pool="io", owner=self)

    def _done(self, number: str) -> None:
        self._busy(False)
        for box in (self.code, self.password, self.again):
            box.clear()
        self.result.setText(self.tr("A new password is set for staff number {0}, and the account is unlocked. "
                                    "Sign in with the new password.").format(number))
        self.result.show()
        for w in (self.set_button, self.cancel_button):
            w.hide()
        self.done_button.show()
        self.done_button.setFocus()
        self.reset_done.emit(number)

    def failed(self, exc: BaseException) -> None:
        self._busy(False)
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, ValidationError) \
            else None
        if errors is not None:
            # the core's name for the code, whichever it is, is this dialog's one code field
            moved = [ValidationError("code", e.template, **e.params) if e.field in _CODE_FIELDS else e for e in errors]
            exc = ValidationErrors(moved) if len(moved) > 1 else moved[0]
        self.fields.show(exc)
        self.password.clear()
        self.again.clear()


def open_admin_reset(window: MainWindow) -> AdminResetDialog | None:
    """From the sign-in page's link: the dialog over the window; once a password is set the
    sign-in page has that administrator chosen, ready for the new password."""
    if window.ctx.db is None:
        return None
    dialog = AdminResetDialog(window.ctx.runner, window.ctx.db, window)
    page = window.sign_in_page

    def choose(number: str) -> None:
        page.number.setText(number)
        page._select_number(number)
        page.credentials.use_password.setChecked(True)
        page.credentials.secret.setFocus()
    dialog.reset_done.connect(choose)
    dialog.open()
    return dialog
