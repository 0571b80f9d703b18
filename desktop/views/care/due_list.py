"""The manager's due list: every open obligation of the store (a complaint to classify, one
to resolve, a call to make), overdue first, each with the time left ("3 h 20 min left",
"overdue by 2 h"). The order is the core's (core.care.due.due_list)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop import fmt
from desktop.labels import label
from desktop.models.rows import Column, RowsModel
from desktop.qt import QHeaderView, QLabel, Qt, QVBoxLayout, QWidget, Signal
from desktop.widgets.table import list_table
from desktop.widgets.tones import tone

if TYPE_CHECKING:
    from core.care.due import DueItem


class DueList(QWidget):
    """The list itself; ``chosen`` carries the DueItem the user opens (Enter or double-click)."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careDueList")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.model = RowsModel([
            Column(self.tr("To do"), self._what),
            Column(self.tr("Customer"), lambda i: i.customer_name or "—"),
            Column(self.tr("Category"), lambda i: label(i.category, "feedback_category") or "—"),
            Column(self.tr("Severity"), lambda i: label(i.severity, "complaint_severity") or "—"),
            Column(self.tr("Due"), lambda i: fmt.date_time(i.due_at)),
            Column(self.tr("Time left"), self._left, foreground=self._fg),
        ], self)
        self.table = list_table(self.model, stretch=False)
        self.table.setObjectName("careDueTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 4, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        lay.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("Nothing is due: every complaint is classified and every call made."))
        self.empty.setObjectName("emptyNote")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        lay.addWidget(self.empty)

    def _what(self, item: DueItem) -> str:
        words = {"classify": self.tr("Classify the complaint"), "resolve": self.tr("Resolve the complaint")}
        text = words.get(item.kind) or label(item.kind, "care_task")
        return self.tr("{0} (escalated)").format(text) if item.escalated else text

    @staticmethod
    def _left(item: DueItem) -> str:
        return fmt.time_left(item.left)

    @staticmethod
    def _fg(item: DueItem) -> Any:
        return tone("bad") if item.overdue else None

    def set_items(self, items: list[DueItem]) -> None:
        self.model.set_rows(items)
        self.table.setVisible(bool(items))
        self.empty.setVisible(not items)

    def items(self) -> list[DueItem]:
        return list(self.model.rows)

    def open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.chosen.emit(self.model.row_at(row))

    def clear(self) -> None:
        self.model.clear()
