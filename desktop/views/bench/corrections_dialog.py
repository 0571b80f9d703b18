"""Corrections after a pickup, each asking for one line of text: a manager voiding the
pickup or the payment (the reason), or a device back under the repair's warranty (what is
wrong now), or a manager handing a device over without proof of identity (the reason). The
dialog stays open with the error beside the field until core accepts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from core import repairs
from core.errors import ValidationError, ValidationErrors
from desktop.errors import FieldErrors
from desktop.qt import QCoreApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget
from desktop.views.bench._common import fail
from desktop.widgets.field import FieldRow, error_label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.permissions import Actor
    from desktop.views.bench.panel import TicketPanel


class CorrectionDialog(QDialog):
    """One correction: ``action(session, actor, ticket_id, text)`` runs when OK is pressed;
    its refusal shows beside the text field (bound to core's ``field``). Refusals of other
    fields go to ``elsewhere`` (the form behind the dialog), which closes the dialog when
    only those are wrong."""

    def __init__(self, panel: TicketPanel, title: str, intro: str, prompt: str, field: str,
                 action: Callable[[Session, Actor, uuid.UUID, str], object], parent: QWidget | None = None,
                 elsewhere: FieldErrors | None = None) -> None:
        super().__init__(parent or panel)
        self.setObjectName("correctionDialog")
        self.setWindowTitle(title)
        self.panel = panel
        self.action = action
        self.field = field
        self.elsewhere = elsewhere
        lay = QVBoxLayout(self)
        info = QLabel(intro)
        info.setWordWrap(True)
        lay.addWidget(info)
        self.fields = FieldErrors(general=error_label())
        form = QFormLayout()
        self.text = QLineEdit()
        self.text.setMinimumWidth(360)
        form.addRow(prompt, FieldRow(self.fields, field, self.text))
        lay.addLayout(form)
        lay.addWidget(self.fields.general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def submit(self) -> None:
        d = self.panel.detail
        if d is None:
            self.reject()
            return
        actor, tid, text, action = self.panel.ctx.actor, d.id, self.text.text(), self.action
        self.fields.clear()
        if self.elsewhere is not None:
            self.elsewhere.clear()
        self.panel.ctx.write(lambda s: action(s, actor, tid, text), on_result=self._done,
                             on_error=self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, ValidationError) else []
        rest = [e for e in errors if e.field != self.field]
        if self.elsewhere is None or not rest:
            fail(self, exc, self.fields)
            return
        self.elsewhere.show(ValidationErrors(rest))
        mine = [e for e in errors if e.field == self.field]
        if mine:
            self.fields.show(ValidationErrors(mine))
        else:
            self.reject()               # only the form behind is wrong: its errors are beside its fields

    def _done(self, _: object) -> None:
        self.accept()
        self.panel.reloaded.emit()


def void_pickup_dialog(panel: TicketPanel) -> CorrectionDialog:
    return CorrectionDialog(
        panel, QCoreApplication.translate("Bench", "Void pickup"),
        QCoreApplication.translate("Bench", "The ticket goes back to ready for pickup; the payment and any "
                                            "points earned on it are reversed."),
        QCoreApplication.translate("Bench", "Reason"), "reason",
        lambda s, a, t, text: repairs.void_pickup(s, a, t, reason=text))


def void_payment_dialog(panel: TicketPanel) -> CorrectionDialog:
    return CorrectionDialog(
        panel, QCoreApplication.translate("Bench", "Void payment"),
        QCoreApplication.translate("Bench", "The payment is reversed and any points earned on it are taken "
                                            "back; the device stays with the customer."),
        QCoreApplication.translate("Bench", "Reason"), "reason",
        lambda s, a, t, text: repairs.void_payment(s, a, t, reason=text))


def rework_dialog(panel: TicketPanel) -> CorrectionDialog:
    return CorrectionDialog(
        panel, QCoreApplication.translate("Bench", "Returned under warranty"),
        QCoreApplication.translate("Bench", "A new rework ticket for the same device, linked to this one and "
                                            "not charged by default."),
        QCoreApplication.translate("Bench", "What is wrong now"), "reported_fault",
        lambda s, a, t, text: repairs.open_rework(s, a, t, reported_fault=text))


def pickup_override_dialog(panel: TicketPanel, hand_over: Callable[[Session, Actor, uuid.UUID, str], object],
                           elsewhere: FieldErrors) -> CorrectionDialog:
    """A manager hands the device over without the receipt or the phone's digits:
    ``hand_over(session, actor, ticket_id, reason)`` with the pickup form's answers."""
    return CorrectionDialog(
        panel, QCoreApplication.translate("Bench", "Manager override"),
        QCoreApplication.translate("Bench", "The device is handed over without the intake receipt or the phone's "
                                            "last four digits. The reason is kept in the ticket's history."),
        QCoreApplication.translate("Bench", "Reason"), "override_reason", hand_over, elsewhere=elsewhere)
