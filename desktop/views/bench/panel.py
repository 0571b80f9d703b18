"""The ticket workspace: the ticket's header (number, status, due time), the actions on
the whole ticket (take, assign, cancel, print) and its tabs, one module each."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from core import repairs
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors
from desktop.labels import label
from desktop.qt import (
    QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, Qt, QTabWidget, QVBoxLayout, QWidget, Signal,
)
from desktop.views.bench._common import fail, scroll
from desktop.views.bench.approval_tab import ApprovalTab
from desktop.views.bench.history_tab import HistoryTab
from desktop.views.bench.intake_tab import IntakeTab
from desktop.views.bench.parts_tab import PartsTab
from desktop.views.bench.pickup_tab import PickupTab
from desktop.views.bench.qc_tab import QcTab
from desktop.views.bench.quote_tab import QuoteTab
from desktop.views.intake import index_of
from desktop.widgets.flow import flow_row

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sqlalchemy.orm import Session

    from core.permissions import Actor
    from desktop.context import AppContext

# which tab a ticket opens on, by status
TAB_FOR_STATUS = {"new": 0, "diagnosing": 1, "awaiting_approval": 3, "awaiting_parts": 2, "in_repair": 4,
                  "quality_check": 4, "ready": 5, "collected": 5, "cancelled": 5, "unrepairable": 5}


class TicketPanel(QWidget):
    """The workspace of one ticket: its header and actions, and a tab per stage of the
    repair; after an action commits, ``reloaded`` asks the screen to show the ticket afresh."""

    back = Signal()
    reloaded = Signal()          # an action of this panel committed: show the ticket afresh

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketPanel")
        self.ctx = ctx
        self.detail: repairs.TicketDetail | None = None
        self._shown_status: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

        head = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← Board"))
        self.back_button.setShortcut("Alt+Left")
        self.back_button.setToolTip(self.tr("Back to the board (Alt+Left)"))
        self.back_button.clicked.connect(self.back.emit)
        head.addWidget(self.back_button)
        self.number = QLabel()
        self.number.setObjectName("screenTitle")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self.number)
        self.status = QLabel()
        self.status.setObjectName("statusBadge")
        # its text colour comes from the theme's style sheet (light and dark need different greens)
        self.status.setStyleSheet("QLabel#statusBadge { background-color: rgba(47, 133, 90, 0.15); "
                                  "border-radius: 10px; padding: 3px 12px; font-weight: 600; }")
        head.addWidget(self.status)
        head.addStretch(1)
        self.due = QLabel()
        self.due.setObjectName("summary")
        head.addWidget(self.due)
        lay.addLayout(head)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("summary")
        lay.addWidget(self.subtitle)
        self.rework_link = QLabel()          # a rework names the ticket it reworks, and the other way round
        self.rework_link.setObjectName("reworkLink")
        self.rework_link.hide()
        lay.addWidget(self.rework_link)

        self.start_button = QPushButton(self.tr("Start diagnosis"))
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start_diagnosis)
        self.assign_button = QPushButton(self.tr("Take this ticket"))
        self.assign_button.clicked.connect(self.take)
        self.technician = QComboBox()
        self.technician.setToolTip(self.tr("Assign to a technician"))
        self.technician.activated.connect(self._assign_chosen)
        self.cancel_button = QPushButton(self.tr("Cancel ticket…"))
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.receipt_button = QPushButton(self.tr("Intake receipt"))
        self.receipt_button.clicked.connect(lambda: self.print_document("intake_receipt"))
        self.label_button = QPushButton(self.tr("Device label"))
        self.label_button.clicked.connect(lambda: self.print_document("device_label"))
        self.report_button = QPushButton(self.tr("Service report"))
        self.report_button.clicked.connect(lambda: self.print_document("service_report"))
        self.complaint_button = QPushButton(self.tr("Record a complaint"))
        self.complaint_button.setObjectName("ticketComplaint")
        self.complaint_button.clicked.connect(self.record_complaint)
        self.technician.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # one row that wraps at 1024 px rather than squeezing the buttons below their text
        lay.addWidget(flow_row(self.start_button, self.assign_button, self.technician, self.cancel_button,
                               self.receipt_button, self.label_button, self.report_button,
                               self.complaint_button))

        self.tabs = QTabWidget()
        self.tabs.setObjectName("ticketTabs")
        self.intake = IntakeTab(self)
        self.quote = QuoteTab(self)
        self.parts = PartsTab(self)
        self.approval = ApprovalTab(self)
        self.qc = QcTab(self)
        self.pickup = PickupTab(self)
        self.history = HistoryTab(self)
        self.tabs.addTab(scroll(self.intake), self.tr("Intake"))
        self.tabs.addTab(self.quote, self.tr("Diagnosis && quote"))
        self.tabs.addTab(self.parts, self.tr("Parts"))
        self.tabs.addTab(self.approval, self.tr("Approval"))
        self.tabs.addTab(self.qc, self.tr("Repair && QC"))
        self.tabs.addTab(scroll(self.pickup), self.tr("Pickup"))
        self.tabs.addTab(self.history, self.tr("History"))
        lay.addWidget(self.tabs, 1)

    # --- showing a ticket -------------------------------------------------------------------------------------

    def money(self, cents: int) -> str:
        return fmt.money(cents, self.detail.currency if self.detail else "USD")

    def show_detail(self, d: repairs.TicketDetail, technicians: Sequence[tuple[uuid.UUID, str]] = ()) -> None:
        first = self.detail is None or self.detail.id != d.id
        moved = first or self._shown_status != d.status
        self.detail = d
        self._shown_status = d.status
        me = self.ctx.actor.staff_id if self.ctx.actor else None
        open_ = d.status in repairs.OPEN_STATUSES
        self.number.setText(d.number)
        self.status.setText(label(d.status))
        self.subtitle.setText(" · ".join(x for x in (d.customer_name, d.device_model, d.technician) if x))
        links = [self.tr("Rework of {0}").format(d.rework_of[1])] if d.rework_of else []
        links += [self.tr("Reworked as {0}").format(number) for _, number in d.reworks]
        self.rework_link.setText(" · ".join(links))
        self.rework_link.setVisible(bool(links))
        if d.due_at and open_ and d.status != "ready":
            text = self.tr("Due {0}").format(fmt.date_time(d.due_at))
            self.due.setText(self.tr("Overdue since {0}").format(fmt.date_time(d.due_at)) if d.overdue else text)
            self.due.setProperty("overdue", bool(d.overdue))      # coloured by the theme's style sheet
            self.due.style().unpolish(self.due)
            self.due.style().polish(self.due)
        else:
            self.due.setText("")
            self.due.setStyleSheet("")
        self.start_button.setVisible(d.status == "new")
        works_on_devices = self.ctx.actor is not None and (self.ctx.actor.role.value == "technician"
                                                           or self.ctx.can(Perm.MANAGE_ROTA))
        self.assign_button.setVisible(open_ and d.technician_id != me and works_on_devices)
        self.technician.setVisible(open_ and self.ctx.can(Perm.MANAGE_ROTA))
        self.technician.blockSignals(True)
        self.technician.clear()
        self.technician.addItem(self.tr("Unassigned"), None)
        for tid, name in technicians:
            self.technician.addItem(name, tid)
        self.technician.setCurrentIndex(max(0, index_of(self.technician, d.technician_id)))
        self.technician.blockSignals(False)
        self.cancel_button.setEnabled("cancelled" in d.allowed_moves)
        self.report_button.setEnabled(d.status != "new")
        self.complaint_button.setVisible(self.ctx.can(Perm.OPEN_COMPLAINTS))
        self.intake.show_ticket(d)
        self.quote.show_ticket(d, reset=first or moved)
        self.parts.show_ticket(d)
        self.approval.show_ticket(d)
        self.qc.show_ticket(d, reset=moved)
        self.pickup.show_ticket(d, reset=first or moved)
        self.history.show_ticket(d)
        if moved:
            self.tabs.setCurrentIndex(TAB_FOR_STATUS.get(d.status, 0))

    def clear(self) -> None:
        """Lock: nothing of the customer stays on screen."""
        self.detail = None
        self._shown_status = None
        for lbl in (self.number, self.status, self.subtitle, self.due, self.rework_link):
            lbl.clear()
        for tab in (self.intake, self.quote, self.parts, self.approval, self.qc, self.pickup, self.history):
            tab.clear()
        self.technician.clear()

    # --- actions on the whole ticket ----------------------------------------------------------------------

    def act(self, fn: Callable[[Session, Actor, uuid.UUID], object], fields: FieldErrors | None = None) -> None:
        if self.detail is None:
            return
        actor, tid = self.ctx.actor, self.detail.id
        if fields is not None:
            fields.clear()
        self.ctx.write(lambda s: fn(s, actor, tid), on_result=lambda _: self.reloaded.emit(),
                       on_error=lambda exc: fail(self, exc, fields), owner=self)

    def start_diagnosis(self) -> None:
        self.act(repairs.start_diagnosis)

    def take(self) -> None:
        me = self.ctx.actor.staff_id
        self.act(lambda s, a, t: repairs.assign(s, a, t, me))

    def _assign_chosen(self) -> None:
        who = self.technician.currentData()
        self.act(lambda s, a, t: repairs.assign(s, a, t, who))

    def ask_cancel(self) -> None:
        if self.detail is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Cancel ticket"),
                          self.tr("Cancel ticket {0}? Reserved parts go back to stock; the device is then handed "
                                  "back unrepaired.").format(self.detail.number),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("cancelBox")
        box.accepted.connect(lambda: self.act(lambda s, a, t: repairs.cancel(s, a, t)))
        box.open()

    def record_complaint(self) -> None:
        """A complaint about this repair, in the customer's words (desktop/views/care)."""
        if self.detail is None:
            return
        from desktop.views.care.complaint_dialog import ComplaintDialog
        d = self.detail
        about = " · ".join(x for x in (d.number, d.customer_name) if x)
        ComplaintDialog(self.ctx, customer_id=d.customer_id, ticket_id=d.id, about=about, parent=self).open()

    def print_document(self, kind: str) -> None:
        """Intake receipt, device label or service report: previewed, then printed or saved."""
        if self.detail is None:
            return
        open_document(self.ctx, kind, self.detail.id, self)


def open_document(ctx: AppContext, kind: str, ticket_id: uuid.UUID, parent: QWidget | None) -> object:
    from desktop.views import preview
    opener = {"intake_receipt": preview.open_intake_receipt, "device_label": preview.open_device_label,
              "service_report": preview.open_service_report}[kind]
    return opener(ctx, ticket_id, parent)
