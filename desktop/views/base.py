"""What every screen in the shell is: a page with a title and icon, a permission that
decides whether the role sees it, and the hooks the shell calls (shown, lock, unlock)."""

from __future__ import annotations

from core.permissions import Perm
from desktop.context import AppContext, Changes
from desktop.errors import show_error
from desktop.models.rows import Column, RowsModel
from desktop.qt import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)


class Screen(QWidget):
    key = ""
    icon = ""
    perm: Perm | None = None
    watches: tuple[str, ...] = ()    # entities whose changes make this screen refresh

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"screen_{self.key}")
        ctx.operation_did_execute.connect(self._changed)

    def title(self) -> str:
        raise NotImplementedError

    def activate(self) -> None:
        """The screen became visible: load what it shows (in a worker)."""

    def clear_sensitive(self) -> None:
        """Lock: remove every piece of customer data from widgets and models."""

    def restore(self) -> None:
        """Unlock: show again what was there."""
        self.activate()

    def _changed(self, changes: Changes) -> None:
        if self.isVisible() and changes.touches(*self.watches):
            self.activate()

    def fail(self, exc: BaseException) -> None:
        show_error(self, exc)


class ListScreen(Screen):
    """A heading, a busy bar, and one table of rows from a core query."""

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        head = QHBoxLayout()
        self.heading = QLabel(self.title())
        self.heading.setObjectName("screenTitle")
        head.addWidget(self.heading)
        head.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        head.addWidget(self.summary)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.activate)
        head.addWidget(self.refresh_button)
        lay.addLayout(head)
        self.toolbar = QHBoxLayout()
        lay.addLayout(self.toolbar)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(3)
        self.busy.setTextVisible(False)
        self.busy.hide()
        lay.addWidget(self.busy)
        self.model = RowsModel(self.columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("emptyNote")
        lay.addWidget(self.empty)

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def query(self):
        """A function of a session returning the rows (runs on the database thread)."""
        raise NotImplementedError

    def empty_text(self) -> str:
        return self.tr("Nothing to show.")

    def activate(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        self.busy.show()
        self.ctx.read(self.query(), on_result=self._loaded, on_error=self._failed)

    def _loaded(self, rows) -> None:
        self.busy.hide()
        if self.ctx.locked:
            return   # a late answer must not refill a locked screen
        self.model.set_rows(rows)
        self.empty.setText("" if rows else self.empty_text())
        self.summary.setText(self.tr("{0} shown").format(len(rows)) if rows else "")

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.fail(exc)

    def clear_sensitive(self) -> None:
        self.model.clear()
        self.summary.clear()

