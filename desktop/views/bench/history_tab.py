"""The History tab: every status the ticket went through, who moved it and when, and the
messages sent to the customer about the ticket with how their delivery went."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop import fmt
from desktop.labels import label, language
from desktop.models.rows import Column, RowsModel
from desktop.qt import QVBoxLayout
from desktop.views.bench._common import TicketTab
from desktop.views.message_timeline import MessagesBox
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    from core import repairs
    from desktop.views.bench.panel import TicketPanel


class HistoryTab(TicketTab):
    """The status history of the open ticket, and its messages to the customer below."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        self.history_model = RowsModel([
            Column(self.tr("When"), lambda h: fmt.date_time(h.at), sort_key=lambda h: h.at),
            Column(self.tr("Who"), lambda h: h.staff),
            Column(self.tr("From"), lambda h: label(h.from_status)),
            Column(self.tr("To"), lambda h: label(h.to_status)),
            Column(self.tr("Note"), lambda h: h.text(language()))], self)
        view = list_table(self.history_model, stretch=False)
        view.horizontalHeader().setStretchLastSection(True)
        view.setColumnWidth(0, 160)
        view.setColumnWidth(1, 150)
        view.setColumnWidth(2, 140)
        view.setColumnWidth(3, 140)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(view, 1)
        self.messages = MessagesBox(self.ctx)
        lay.addWidget(self.messages, 1)

    def show_ticket(self, d: repairs.TicketDetail) -> None:
        self.history_model.set_rows(list(d.history))
        self.messages.load(ticket_id=d.id)

    def clear(self) -> None:
        self.history_model.clear()
        self.messages.clear()
