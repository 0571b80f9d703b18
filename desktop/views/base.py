"""What every screen in the shell is: a page with a title and icon, a permission that
decides whether the role sees it, and the hooks the shell calls (shown, lock, unlock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.permissions import Perm
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.qt import QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from core.changes import Changes
    from desktop.qt import QBoxLayout


class Screen(QWidget):
    key = ""
    icon = ""
    perm: Perm | None = None
    watches: tuple[str, ...] = ()    # entities whose changes make this screen refresh

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
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

    def add_header(self, layout: QBoxLayout, *, refresh: bool = True) -> QHBoxLayout:
        """The row every screen starts with: its title, a summary on the right and, unless
        the screen has its own, Refresh (F5). Returns the row for extra buttons."""
        head = QHBoxLayout()
        self.heading = QLabel(self.title())
        self.heading.setObjectName("screenTitle")
        head.addWidget(self.heading)
        head.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        head.addWidget(self.summary)
        if refresh:
            self.refresh_button = QPushButton(self.tr("Refresh"))
            self.refresh_button.setShortcut("F5")
            self.refresh_button.clicked.connect(self.activate)
            head.addWidget(self.refresh_button)
        layout.addLayout(head)
        return head
