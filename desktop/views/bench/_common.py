"""What the bench's modules share: the overdue colours, the age of a ticket in words, how a
refused action is shown, table and scroll-area set-up, and the base of the ticket's tabs."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from core import repairs
from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.qt import (
    QColor, QCoreApplication, QFrame, QHeaderView, QLabel, QMessageBox, QScrollArea, Qt, QTableView, QWidget,
)
from desktop.widgets.tones import tone

if TYPE_CHECKING:
    from desktop.views.bench.panel import TicketPanel


def overdue_fg() -> QColor:
    """Red text that reads on the theme in use (also on the red tint of an overdue row)."""
    return tone("bad")


OVERDUE_BG = QColor(192, 57, 43, 40)          # translucent: readable on the light and the dark theme


def age_text(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return QCoreApplication.translate("Bench", "{0} min").format(minutes)
    hours = minutes // 60
    if hours < 24:
        return QCoreApplication.translate("Bench", "{0} h").format(hours)
    return QCoreApplication.translate("Bench", "{0} d {1} h").format(hours // 24, hours % 24)


def move_refused_text(exc: repairs.IllegalMove) -> str:
    text = QCoreApplication.translate("Bench", "A ticket that is {0} cannot become {1}.")
    return text.format(label(exc.current), label(exc.target))


def fail(parent: QWidget, exc: BaseException, fields: FieldErrors | None = None) -> None:
    """Errors of bench actions: a refused move names both statuses in the user's language."""
    if isinstance(exc, repairs.IllegalMove):
        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Bench", "Not possible now"),
                          move_refused_text(exc),
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("errorBox")
        box.open()
        return
    show_error(parent, exc, fields)


def value_label() -> QLabel:
    lbl = QLabel()
    lbl.setWordWrap(True)
    lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lbl


def scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.viewport().setAutoFillBackground(False)
    widget.setAutoFillBackground(False)
    return area


def fit_columns(table: QTableView, stretch: int) -> None:
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class TicketTab(QWidget):
    """One tab of the ticket workspace: it shows the panel's open ticket and acts on it
    through the panel, which reloads every tab after a change."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__()
        self.panel = panel
        self.ctx = panel.ctx

    @property
    def detail(self) -> repairs.TicketDetail | None:
        return self.panel.detail

    def money(self, cents: int) -> str:
        return self.panel.money(cents)
