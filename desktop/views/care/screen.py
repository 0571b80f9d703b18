"""Customer care, the manager's home when anything is due: the due list (complaints to
classify or resolve, calls to make; overdue first, in time left), a complaint's page with
its script beside it, and a call after a low survey answer."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from core.permissions import Perm
from desktop import shortcuts
from desktop.qt import QPushButton, QStackedWidget, QVBoxLayout, QWidget
from desktop.views.base import Screen
from desktop.views.care.call import TaskPage
from desktop.views.care.detail import ComplaintPanel
from desktop.views.care.due_list import DueList

if TYPE_CHECKING:
    from core.care.due import DueItem
    from desktop.context import AppContext


class CareScreen(Screen):
    key, icon, perm = "care", "people", Perm.HANDLE_COMPLAINTS
    watches = ("feedback", "feedback_note", "care_task")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        head = self.add_header(lay)
        shortcuts.bind(self.refresh_button, "care.refresh")
        self.new_button = QPushButton(self.tr("Record a complaint…"))
        self.new_button.setObjectName("careNewComplaint")
        self.new_button.clicked.connect(self.new_complaint)
        head.insertWidget(head.count() - 1, self.new_button)
        self.stack = QStackedWidget()
        self.due = DueList()
        self.due.chosen.connect(self.open_item)
        self.stack.addWidget(self.due)
        self.panel = ComplaintPanel(ctx)
        self.panel.back.connect(self.show_list)
        self.stack.addWidget(self.panel)
        self.task = TaskPage(ctx)
        self.task.back.connect(self.show_list)
        self.stack.addWidget(self.task)
        lay.addWidget(self.stack, 1)
        self._seq = 0

    def title(self) -> str:
        return self.tr("Customer care")

    def activate(self) -> None:
        if self.ctx.actor is None or self.ctx.locked:
            return
        from core.care import due
        self._seq += 1
        seq, actor = self._seq, self.ctx.actor
        self.ctx.read(lambda s: due.due_list(s, actor), on_result=lambda items: self._loaded(seq, items),
                      on_error=self.fail, owner=self)
        if self.stack.currentWidget() is self.panel:
            self.panel.reload()

    def _loaded(self, seq: int, items: list[DueItem]) -> None:
        if seq != self._seq or self.ctx.locked:
            return
        self.due.set_items(items)
        overdue = sum(1 for i in items if i.overdue)
        self.summary.setText(self.tr("{0} due · {1} overdue").format(len(items), overdue) if items else "")

    def open_item(self, item: DueItem) -> None:
        if item.complaint_id is not None:
            self.open_complaint(item.complaint_id)
        elif item.task_id is not None:
            self.task.show_item(item)
            self.stack.setCurrentWidget(self.task)

    def open_complaint(self, complaint_id: uuid.UUID) -> None:
        self.panel.load(complaint_id)
        self.stack.setCurrentWidget(self.panel)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.due)
        self.activate()

    def new_complaint(self) -> None:
        from desktop.views.care.complaint_dialog import ComplaintDialog
        dialog = ComplaintDialog(self.ctx, parent=self)
        dialog.opened.connect(self.open_complaint)
        dialog.open()

    def clear_sensitive(self) -> None:
        self._seq += 1
        self.due.clear()
        self.panel.clear()
        self.task.clear()
        self.summary.clear()

    def restore(self) -> None:
        self.activate()
