"""Record a complaint in the customer's words: from the profile (about the customer), from
a ticket (about that repair) or from the care screen. Any role may record one; a manager
classifies it later, within 24 hours (core.care.complaints)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.qt import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QTextEdit, QPushButton, Qt, QVBoxLayout, Signal,
)
from desktop.widgets.field import FieldRow, general_error

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.qt import QWidget

# the channels staff record a complaint through; "survey" and "hq" are opened by the system
STAFF_CHANNELS = ("counter", "phone", "email")


class ComplaintDialog(QDialog):
    """``ComplaintDialog(ctx, customer_id=..., ticket_id=..., about=..., parent=...)``;
    ``opened`` carries the new complaint's id once it is saved."""

    opened = Signal(object)

    def __init__(self, ctx: AppContext, *, customer_id: uuid.UUID | None = None,
                 ticket_id: uuid.UUID | None = None, about: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("complaintDialog")
        self.ctx = ctx
        self.customer_id = customer_id
        self.ticket_id = ticket_id
        self.setWindowTitle(self.tr("Record a complaint"))
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        self.about = QLabel(about)
        self.about.setObjectName("cardTitle")
        self.about.setWordWrap(True)
        self.about.setVisible(bool(about))
        lay.addWidget(self.about)
        self.fields = FieldErrors(general=general_error())
        form = QFormLayout()
        self.channel = QComboBox()
        self.channel.setObjectName("complaintChannel")
        for code in STAFF_CHANNELS:
            self.channel.addItem(label(code, "feedback_channel"), code)
        form.addRow(self.tr("How it came"), FieldRow(self.fields, "channel", self.channel))
        self.text = QTextEdit()
        self.text.setAcceptRichText(False)
        self.text.setObjectName("complaintText")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("The customer's words, as they said them"))
        self.text.setAccessibleName(self.tr("The customer's words"))
        form.addRow(self.tr("Complaint"), FieldRow(self.fields, "text", self.text))
        lay.addLayout(form, 1)
        hint = QLabel(self.tr("A manager classifies it within 24 hours and follows it up."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        lay.addWidget(self.fields.general)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        self.save_button = QPushButton(self.tr("Record"))
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)
        self.text.setFocus()

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        from core.care import complaints
        self.fields.clear()
        actor, cid, tid = self.ctx.actor, self.customer_id, self.ticket_id
        text, channel = self.text.toPlainText(), self.channel.currentData()
        self.save_button.setEnabled(False)
        self.ctx.write(lambda s: complaints.open_complaint(s, actor, customer_id=cid, text=text, channel=channel,
                                                           ticket_id=tid),
                       on_result=self._saved, on_error=self._failed, owner=self)

    def _saved(self, complaint_id: uuid.UUID) -> None:
        self.opened.emit(complaint_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_error(self, exc, self.fields)
