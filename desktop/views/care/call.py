"""A call the store owes a customer (core.models.CareTask): the form that records how it
ended (satisfied, not satisfied, unreachable, with a note), on a complaint's page for its
follow-up call, and on a page of its own for a call after a low survey answer."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Callable

from core import clock
from core.care import OUTCOMES
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.qt import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal,
)
from desktop.widgets.field import FieldRow, general_error

if TYPE_CHECKING:
    from datetime import datetime

    from core.care.due import DueItem
    from desktop.context import AppContext


def due_text(due: datetime | None) -> str:
    """ "12/6/26 14:00 · 3 h 20 min left" (or "… · overdue by 2 h")."""
    if due is None:
        return ""
    return f"{fmt.date_time(due)} · {fmt.time_left(due - clock.now())}"


def back_head(back_text: str, on_back: Callable[[], object], title: QLabel) -> tuple[QHBoxLayout, QPushButton]:
    """The head of a care page (a call's, a complaint's): the button back to the due list
    (``back_text``, translated by the page) and the page's ``title`` beside it."""
    head = QHBoxLayout()
    button = QPushButton(back_text)
    button.clicked.connect(on_back)
    head.addWidget(button)
    title.setObjectName("cardTitle")
    head.addWidget(title, 1)
    return head, button


class CallForm(QGroupBox):
    """How a call ended. ``recorded`` is emitted once the core saved it."""

    recorded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careCallForm")
        self.ctx = ctx
        self.task_id: uuid.UUID | None = None
        self.fields = FieldErrors(general=general_error())
        lay = QVBoxLayout(self)
        self.due = QLabel()
        self.due.setObjectName("summary")
        self.due.setWordWrap(True)
        lay.addWidget(self.due)
        form = QFormLayout()
        self.outcome = QComboBox()
        self.outcome.setObjectName("callOutcome")
        self.outcome.addItem(self.tr("Choose…"), "")
        for code in OUTCOMES:
            self.outcome.addItem(label(code, "care_outcome"), code)
        form.addRow(self.tr("Outcome"), FieldRow(self.fields, "outcome", self.outcome))
        self.note = QLineEdit()
        self.note.setObjectName("callNote")
        self.note.setPlaceholderText(self.tr("What was said (optional)"))
        form.addRow(self.tr("Note"), FieldRow(self.fields, "note", self.note))
        lay.addLayout(form)
        lay.addWidget(self.fields.general)
        row = QHBoxLayout()
        row.addStretch(1)
        self.record_button = QPushButton(self.tr("Record the call"))
        self.record_button.setObjectName("recordCall")
        self.record_button.clicked.connect(self.submit)
        row.addWidget(self.record_button)
        lay.addLayout(row)

    def show_task(self, task_id: uuid.UUID, kind: str, due_at: datetime | None) -> None:
        if task_id != self.task_id:
            self.outcome.setCurrentIndex(0)
            self.note.clear()
            self.fields.clear()
        self.task_id = task_id
        self.setTitle(label(kind, "care_task"))
        self.due.setText(self.tr("Call by {0}").format(due_text(due_at)))
        self.record_button.setEnabled(True)

    def submit(self) -> None:
        if self.task_id is None or not self.record_button.isEnabled():
            return
        from core.care import complaints
        self.fields.clear()
        actor, tid = self.ctx.actor, self.task_id
        outcome, note = self.outcome.currentData() or "", self.note.text()
        self.record_button.setEnabled(False)
        self.ctx.write(lambda s: complaints.record_call(s, actor, tid, outcome=outcome, note=note),
                       on_result=lambda _: self._done(), on_error=self._failed, owner=self)

    def _done(self) -> None:
        self.note.clear()
        self.outcome.setCurrentIndex(0)
        self.recorded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.record_button.setEnabled(True)
        show_error(self, exc, self.fields)

    def clear(self) -> None:
        self.task_id = None
        self.note.clear()
        self.due.clear()
        self.fields.clear()


class TaskPage(QWidget):
    """A call after a low survey answer: who, by when, and the form for how it ended."""

    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careTaskPage")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        head, self.back_button = back_head(self.tr("← Due list"), self.back.emit, self.heading)
        lay.addLayout(head)
        self.form = CallForm(ctx)
        self.form.recorded.connect(self.back.emit)
        lay.addWidget(self.form)
        lay.addStretch(1)

    def show_item(self, item: DueItem) -> None:
        self.heading.setText(item.customer_name or self.tr("No customer named"))
        if item.task_id is not None:
            self.form.show_task(item.task_id, item.kind, item.due_at)

    def clear(self) -> None:
        self.heading.clear()
        self.form.clear()
