"""Reports for managers. The store at a glance now; printable reports come with their issue."""

from __future__ import annotations

from datetime import date

from core import analytics
from core.permissions import Perm
from desktop.qt import QGridLayout, QLabel, QPushButton, QVBoxLayout, QFrame, QHBoxLayout
from desktop.views.base import Screen


class ReportsScreen(Screen):
    key, icon, perm = "reports", "chart", Perm.VIEW_REPORTS
    watches = ("appointment", "repair_ticket", "tradein_quote", "loyalty_account", "customer")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        head = QHBoxLayout()
        title = QLabel(self.title())
        title.setObjectName("screenTitle")
        head.addWidget(title)
        head.addStretch(1)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.activate)
        head.addWidget(refresh)
        lay.addLayout(head)
        grid = QGridLayout()
        grid.setSpacing(16)
        self.tiles: dict[str, QLabel] = {}
        names = [("appointments_today", self.tr("Appointments today")),
                 ("checked_in_today", self.tr("Checked in today")),
                 ("open_tickets", self.tr("Open repair tickets")),
                 ("ready_for_pickup", self.tr("Ready for pickup")),
                 ("open_quotes", self.tr("Open trade-in quotes")),
                 ("members", self.tr("Loyalty members")),
                 ("customers", self.tr("Customers"))]
        for i, (key, text) in enumerate(names):
            tile = QFrame()
            tile.setObjectName("tile")
            tl = QVBoxLayout(tile)
            value = QLabel("–")
            value.setObjectName("tileValue")
            caption = QLabel(text)
            caption.setObjectName("tileCaption")
            tl.addWidget(value)
            tl.addWidget(caption)
            self.tiles[key] = value
            grid.addWidget(tile, i // 4, i % 4)
        lay.addLayout(grid)
        lay.addStretch(1)

    def title(self) -> str:
        return self.tr("Reports")

    def activate(self) -> None:
        if self.ctx.actor is None:
            return
        actor = self.ctx.actor
        self.ctx.read(lambda s: analytics.at_a_glance(s, actor, date.today()), on_result=self._show,
                      on_error=self.fail)

    def _show(self, glance) -> None:
        if self.ctx.locked:
            return
        for key, label in self.tiles.items():
            label.setText(str(getattr(glance, key)))

    def clear_sensitive(self) -> None:
        for label in self.tiles.values():
            label.setText("–")
