"""Reports for managers: the store at a glance, and the printable reports (the day, a
period with its trends, technicians, loyalty, trade-in, satisfaction), each opened in
the print preview."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING


from core import analytics, clock
from core.permissions import Perm
from desktop.qt import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)
from desktop.views import preview
from desktop.views.base import Screen
from desktop.widgets.dates import date_edit, pydate
from desktop.widgets.flow import flow_row

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.views.preview import PreviewDialog




class ReportsScreen(Screen):
    key, icon, perm = "reports", "chart", Perm.VIEW_REPORTS
    watches = ("appointment", "repair_ticket", "tradein_quote", "loyalty_account", "customer")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        self.add_header(lay)
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
        lay.addSpacing(12)
        lay.addWidget(self._printables())
        lay.addStretch(1)

    def _printables(self) -> QGroupBox:
        box = QGroupBox(self.tr("Printable reports"))
        box.setObjectName("printableReports")
        lay = QVBoxLayout(box)
        lay.setSpacing(10)
        today = self.today()
        self.day_edit = date_edit("reportDay", today)
        self.first_edit = date_edit("reportFirst", today - timedelta(days=29))
        self.last_edit = date_edit("reportLast", today)
        for e in (self.first_edit, self.last_edit):
            e.dateChanged.connect(self._check_span)
        self.buttons: dict[str, QPushButton] = {}
        day_row = QHBoxLayout()
        day_row.addWidget(QLabel(self.tr("Day")))
        day_row.addWidget(self.day_edit)
        self.buttons["day"] = QPushButton(self.tr("Day report"))
        day_row.addWidget(self.buttons["day"])
        day_row.addStretch(1)
        lay.addLayout(day_row)
        span_row: list[QWidget] = [QLabel(self.tr("From")), self.first_edit, QLabel(self.tr("To")), self.last_edit]
        for kind, text in (("period", self.tr("Period report")), ("technicians", self.tr("Technicians")),
                           ("loyalty", self.tr("Loyalty")), ("tradein", self.tr("Trade-in")),
                           ("satisfaction", self.tr("Satisfaction"))):
            self.buttons[kind] = QPushButton(text)
            span_row.append(self.buttons[kind])
        lay.addWidget(flow_row(*span_row))        # wraps at 1024 px instead of squeezing the buttons
        self.span_error = QLabel()
        self.span_error.setObjectName("fieldError")
        self.span_error.hide()
        lay.addWidget(self.span_error)
        for kind, button in self.buttons.items():
            button.setObjectName(f"report_{kind}")
            button.clicked.connect(lambda _=False, k=kind: self.open_report(k))
        return box

    def title(self) -> str:
        return self.tr("Reports")

    def today(self) -> date:
        return clock.today(self.ctx.store.timezone if self.ctx.store else "UTC")

    def _check_span(self) -> None:
        bad = self.first_edit.date() > self.last_edit.date()
        self.span_error.setText(self.tr("The first day must not be after the last day.") if bad else "")
        self.span_error.setVisible(bad)
        for kind, button in self.buttons.items():
            if kind != "day":
                button.setEnabled(not bad)

    def report_titles(self) -> dict[str, str]:
        return {"day": self.tr("Day report"), "period": self.tr("Period report"),
                "technicians": self.tr("Technician productivity"), "loyalty": self.tr("Loyalty summary"),
                "tradein": self.tr("Trade-in summary"), "satisfaction": self.tr("Customer satisfaction")}

    def open_report(self, kind: str) -> PreviewDialog | None:
        if self.ctx.actor is None:
            return None
        if kind == "day":
            first = last = pydate(self.day_edit.date())
        else:
            first, last = pydate(self.first_edit.date()), pydate(self.last_edit.date())
        return preview.open_manager_report(self.ctx, kind, first, last, parent=self, title=self.report_titles()[kind])

    def activate(self) -> None:
        if self.ctx.actor is None:
            return
        actor = self.ctx.actor
        today = self.today()
        self.ctx.read(lambda s: analytics.at_a_glance(s, actor, today), on_result=self._show, on_error=self.fail)

    def _show(self, glance: analytics.Glance) -> None:
        if self.ctx.locked:
            return
        for key, label in self.tiles.items():
            label.setText(str(getattr(glance, key)))

    def clear_sensitive(self) -> None:
        for label in self.tiles.values():
            label.setText("–")
