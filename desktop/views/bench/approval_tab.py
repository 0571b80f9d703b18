"""The Approval tab: the customer's answer to a quote above their limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import repairs
from desktop import fmt
from desktop.qt import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout
from desktop.views.bench._common import TicketTab
from desktop.views.intake import name_of

if TYPE_CHECKING:
    import uuid

    from desktop.views.bench.panel import TicketPanel


class ApprovalTab(TicketTab):
    """Records the customer's answer to the quote."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        lay = QVBoxLayout(self)
        self.approval_info = QLabel()
        self.approval_info.setObjectName("approvalInfo")
        self.approval_info.setWordWrap(True)
        lay.addWidget(self.approval_info)
        form = QFormLayout()
        self.channel = QComboBox()
        for code in repairs.STAFF_APPROVAL_CHANNELS:     # "link" is the customer's own answer
            self.channel.addItem(name_of("approval_channel", code), code)
        self.channel.setCurrentIndex(self.channel.findData("phone"))
        self.approval_note = QLineEdit()
        self.approval_note.setPlaceholderText(self.tr("What the customer said (optional)"))
        form.addRow(self.tr("Answer came"), self.channel)
        form.addRow(self.tr("Note"), self.approval_note)
        lay.addLayout(form)
        row = QHBoxLayout()
        # the customer reads the quote and answers on the customer display (channel: in store)
        self.display_button = QPushButton(self.tr("Show on the customer display"))
        self.display_button.setObjectName("quoteOnDisplay")
        self.display_button.clicked.connect(self.show_on_display)
        self.display_button.setVisible(self.ctx.display.available())
        self.ctx.display.availability_changed.connect(self.display_button.setVisible)   # the setting
        row.addWidget(self.display_button)
        row.addStretch(1)
        self.refuse_button = QPushButton(self.tr("Customer refused"))
        self.refuse_button.clicked.connect(lambda: self.answer(False))
        self.approve_button = QPushButton(self.tr("Customer approved"))
        self.approve_button.setObjectName("primary")
        self.approve_button.clicked.connect(lambda: self.answer(True))
        row.addWidget(self.refuse_button)
        row.addWidget(self.approve_button)
        lay.addLayout(row)
        lay.addStretch(1)

    def show_ticket(self, d: repairs.TicketDetail) -> None:
        waiting = d.status == "awaiting_approval"
        if d.approval:
            text = self.tr("{0} {1}, {2}.").format(
                self.tr("Approved") if d.approval == "approved" else self.tr("Refused"),
                name_of("approval_channel", d.approval_channel), fmt.date_time(d.approval_at))
        elif waiting:
            text = self.tr("Quote {0} is above the customer's approval limit of {1}. Record their answer.").format(
                self.money(d.total_cents), self.money(d.approval_limit_cents))
        else:
            text = self.tr("No approval needed yet.")
        if d.total_cents is not None and d.approval:
            text = self.tr("Quote {0}.").format(self.money(d.total_cents)) + " " + text
        self.approval_info.setText(text)
        for w in (self.channel, self.approval_note, self.approve_button, self.refuse_button, self.display_button):
            w.setEnabled(waiting)

    def answer(self, approved: bool) -> None:
        channel, note = self.channel.currentData(), self.approval_note.text()
        self.panel.act(lambda s, a, t: repairs.record_approval(s, a, t, approved=approved, channel=channel, note=note))

    def show_on_display(self) -> None:
        d = self.panel.detail
        if d is not None:
            tid = d.id
            self.ctx.display.show_quote(d, on_result=lambda ok: self._answered_on_display(tid, ok), owner=self)

    def _answered_on_display(self, ticket_id: uuid.UUID, approved: bool) -> None:
        if self.panel.detail is None or self.panel.detail.id != ticket_id:
            return                  # the associate opened another ticket meanwhile
        self.panel.act(lambda s, a, t: repairs.record_approval(s, a, t, approved=approved, channel="in_store",
                                                               note=""))

    def clear(self) -> None:
        self.approval_info.clear()
        self.approval_note.clear()
