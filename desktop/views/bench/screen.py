"""The bench screen: the board of tickets (my queue, assigned to me, unassigned, by status,
the whole store) with their age and due time, and the workspace of the ticket opened from it."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core import clock, repairs
from core.permissions import Perm
from desktop import fmt
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QButtonGroup, QComboBox, QFont, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton,
    QStackedWidget, Qt, QVBoxLayout, QWidget,
)
from desktop.views.base import Screen
from desktop.views.bench._common import OVERDUE_BG, overdue_fg, age_text, fail
from desktop.views.bench.panel import TicketPanel
from desktop.views.intake import IntakeDialog, bench_tr
from desktop.widgets.flow import FlowLayout
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from typing import Any

    from sqlalchemy.orm import Session

    from core.changes import Changes
    from desktop.context import AppContext
    from desktop.qt import QModelIndex, QPersistentModelIndex

SCOPES = (("queue", QT_TRANSLATE_NOOP("Bench", "My queue")),
          ("mine", QT_TRANSLATE_NOOP("Bench", "Assigned to me")),
          ("unassigned", QT_TRANSLATE_NOOP("Bench", "Unassigned")),
          ("status", QT_TRANSLATE_NOOP("Bench", "By status")),
          ("store", QT_TRANSLATE_NOOP("Bench", "Store-wide")))


class BoardModel(RowsModel):
    """Board rows; overdue tickets in bold on a red tint, whichever column."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < len(self.rows) and self.rows[index.row()].overdue:
            if role == Qt.ItemDataRole.BackgroundRole:
                return OVERDUE_BG
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class BenchScreen(Screen):
    key, icon, perm = "bench", "wrench", Perm.WORK_TICKETS
    watches = ("repair_ticket", "part_stock")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._seq = 0
        self._open_id: uuid.UUID | None = None
        self._technicians: tuple = ()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack)

        # the board
        board = QWidget()
        bl = QVBoxLayout(board)
        bl.setContentsMargins(0, 0, 0, 0)
        self.add_header(bl)
        bar_widget = QWidget()
        bar_widget.setObjectName("benchBar")
        # the chosen view is shown like the chosen navigation entry (the accent colour)
        bar_widget.setStyleSheet("QPushButton#scopeButton:checked { background-color: #2f855a; color: #ffffff; "
                                 "border-color: #2f855a; }")
        bar = FlowLayout(bar_widget)         # wraps at 1024 px instead of squeezing the buttons
        policy = bar_widget.sizePolicy()
        policy.setHeightForWidth(True)
        bar_widget.setSizePolicy(policy)
        self.scope_group = QButtonGroup(self)
        self.scope_group.setExclusive(True)
        self.scope_buttons: dict[str, QPushButton] = {}
        for key, text in SCOPES:
            b = QPushButton(bench_tr(text))
            b.setCheckable(True)
            b.setObjectName("scopeButton")
            b.clicked.connect(lambda _=False, k=key: self.set_scope(k))
            self.scope_group.addButton(b)
            self.scope_buttons[key] = b
            bar.addWidget(b)
        self.scope_buttons["store"].setVisible(ctx.can(Perm.MANAGE_ROTA))
        self.status_filter = QComboBox()
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for st in repairs.STATUSES:
            self.status_filter.addItem(label(st), st)
        self.status_filter.currentIndexChanged.connect(lambda _: self.activate())
        bar.addWidget(self.status_filter)
        self.find = QLineEdit()
        self.find.setObjectName("ticketFind")
        self.find.setPlaceholderText(self.tr("Ticket no. or scan"))
        self.find.setClearButtonEnabled(True)
        self.find.setMinimumWidth(200)
        self.find.setMaximumWidth(240)
        self.find.returnPressed.connect(self.find_ticket)
        bar.addWidget(self.find)
        self.intake_button = QPushButton(self.tr("New intake"))
        self.intake_button.setObjectName("primary")
        self.intake_button.setShortcut("Ctrl+N")
        self.intake_button.setToolTip(self.tr("Take in a device (Ctrl+N)"))
        self.intake_button.clicked.connect(self.new_intake)
        bar.addWidget(self.intake_button)
        bl.addWidget(bar_widget)
        self.workload = QLabel()
        self.workload.setObjectName("hint")
        self.workload.setWordWrap(True)
        self.workload.hide()
        bl.addWidget(self.workload)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(3)
        self.busy.setTextVisible(False)
        self.busy.hide()
        bl.addWidget(self.busy)
        self.model = BoardModel(self._columns(), self)
        self.table = list_table(self.model, stretch=False)
        # the core's order (overdue first, then by due time) until someone clicks a heading
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 5, 6):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        bl.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("emptyNote")
        bl.addWidget(self.empty)
        self.stack.addWidget(board)

        # the ticket
        self.panel = TicketPanel(ctx)
        self.panel.back.connect(self.show_board)
        self.panel.reloaded.connect(self._reload_ticket)
        self.stack.addWidget(self.panel)

        actor = ctx.actor
        # managers see the whole store, technicians their queue, the counter what is ready to hand over
        default = "store" if ctx.can(Perm.MANAGE_ROTA) else \
            "queue" if actor is not None and actor.role.value == "technician" else "status"
        self.scope = default
        self.status_filter.blockSignals(True)
        self.status_filter.setCurrentIndex(self.status_filter.findData("ready"))
        self.status_filter.blockSignals(False)
        self.set_scope(default, load=False)

    def title(self) -> str:
        return self.tr("Bench")

    def _columns(self) -> list[Column]:
        def now() -> datetime:
            return clock.now()
        return [Column(self.tr("Ticket"), lambda r: r.number),
                Column(self.tr("Status"), lambda r: label(r.status)),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Device"), lambda r: r.device),
                Column(self.tr("Technician"), lambda r: r.technician or self.tr("unassigned")),
                Column(self.tr("Age"), lambda r: age_text(now() - r.created_at), sort_key=lambda r: r.created_at),
                Column(self.tr("Due"), lambda r: (self.tr("overdue · {0}").format(fmt.date_time(r.due_at))
                                                  if r.overdue else fmt.date_time(r.due_at)),
                       foreground=lambda r: overdue_fg() if r.overdue else None,
                       sort_key=lambda r: (r.due_at is None, r.due_at or now()))]

    # --- the board --------------------------------------------------------------------------------------------

    def set_scope(self, scope: str, load: bool = True) -> None:
        self.scope = scope
        self.scope_buttons[scope].setChecked(True)
        self.status_filter.setVisible(scope == "status")
        self.workload.setVisible(scope == "store")
        if load:
            self.activate()

    def activate(self, with_ticket: bool = True) -> None:
        if self.ctx.db is None or self.ctx.actor is None or self.ctx.locked:
            return
        self._seq += 1
        seq = self._seq
        actor, scope = self.ctx.actor, self.scope
        status = self.status_filter.currentData() if scope == "status" else None

        def load(s: Session) -> tuple[list[repairs.BoardRow], repairs.BoardSummary | None]:
            rows = repairs.board(s, actor, scope, status=status)
            summary = repairs.board_summary(s, actor) if scope == "store" else None
            return rows, summary
        self.busy.show()
        self.ctx.read(load, on_result=lambda res: self._loaded(seq, res), on_error=self._failed, owner=self)
        if with_ticket and self.stack.currentWidget() is self.panel and self.panel.detail is not None:
            self._reload_ticket()

    def _loaded(self, seq: int, result: tuple[list[repairs.BoardRow], repairs.BoardSummary | None]) -> None:
        if seq != self._seq:
            return
        self.busy.hide()
        if self.ctx.locked:
            return
        rows, summary = result
        self.model.set_rows(rows)
        late = sum(r.overdue for r in rows)
        self.summary.setText((self.tr("{0} tickets, {1} overdue").format(len(rows), late) if late
                              else self.tr("{0} tickets").format(len(rows))) if rows else "")
        self.empty.setText("" if rows else self.tr("No tickets here."))
        self.empty.setVisible(not rows)
        if summary is not None:
            people = " · ".join(
                (self.tr("{0}: {1} ({2} overdue)").format(name or self.tr("unassigned"), n, late_n) if late_n
                 else self.tr("{0}: {1}").format(name or self.tr("unassigned"), n))
                for name, n, late_n in summary.by_technician)
            self.workload.setText(self.tr("Open {0} · overdue {1}").format(summary.open, summary.overdue)
                                  + (" — " + people if people else ""))

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        fail(self, exc)

    def _changed(self, changes: Changes) -> None:
        # the open ticket reloads itself after its own actions (TicketPanel.reloaded)
        if self.isVisible() and changes.touches(*self.watches):
            self.activate(with_ticket=False)

    def open_row(self, row: int) -> None:
        r = self.model.data(self.model.index(row, 0), RowRole)
        if r is not None:
            self.open_ticket(r.id, fresh=True)

    def find_ticket(self) -> None:
        text = self.find.text().strip()
        if not text:
            return
        actor = self.ctx.actor
        self.ctx.read(lambda s: repairs.find_ticket(s, actor, text), on_result=lambda t: self._found(t),
                      on_error=self._failed, owner=self)

    def _found(self, ticket: repairs.TicketView) -> None:
        self.find.clear()
        self.open_ticket(ticket.id, fresh=True)

    def new_intake(self) -> IntakeDialog:
        dialog = IntakeDialog(self.ctx, parent=self)
        dialog.open()
        return dialog

    def show_board(self) -> None:
        self._open_id = None
        self.stack.setCurrentIndex(0)
        self.panel.clear()
        self.activate()

    # --- a ticket ------------------------------------------------------------------------------------------------

    def open_ticket(self, ticket_id: uuid.UUID, fresh: bool = False) -> None:
        self._open_id = ticket_id
        if fresh:
            self.panel.clear()
        self._reload_ticket()

    def _reload_ticket(self) -> None:
        tid = self._open_id or (self.panel.detail.id if self.panel.detail else None)
        if tid is None or self.ctx.actor is None or self.ctx.locked:
            return
        actor = self.ctx.actor
        need_techs = not self._technicians

        def load(s: Session) -> tuple[repairs.TicketDetail, Sequence[tuple[uuid.UUID, str]] | None]:
            techs = repairs.intake_context(s, actor).technicians if need_techs else None
            return repairs.ticket_detail(s, actor, tid), techs
        self.ctx.read(load, on_result=self._ticket_loaded, on_error=self._failed, owner=self)

    def _ticket_loaded(self, result: tuple[repairs.TicketDetail, Sequence[tuple[uuid.UUID, str]] | None]) -> None:
        detail, techs = result
        if self.ctx.locked or detail.id != self._open_id:
            return
        if techs is not None:
            self._technicians = techs
        self.panel.show_detail(detail, self._technicians)
        self.stack.setCurrentWidget(self.panel)

    # --- lock ---------------------------------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._seq += 1
        self._restore_id = self._open_id
        self.model.clear()
        self.summary.clear()
        self.workload.clear()
        self.find.clear()
        self.panel.clear()
        self.stack.setCurrentIndex(0)
        for dialog in self.findChildren(IntakeDialog):
            dialog.reject()

    def restore(self) -> None:
        self.activate()
        rid = getattr(self, "_restore_id", None)
        if rid is not None:
            self.open_ticket(rid)
