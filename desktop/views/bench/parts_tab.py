"""The Parts tab: the ticket's parts and their state; parts booked in as they arrive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import repairs
from desktop import fmt
from desktop.models.rows import Column, RowsModel
from desktop.qt import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout
from desktop.views.bench._common import overdue_fg, TicketTab, fail
from desktop.views.intake import name_of
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    from desktop.views.bench.panel import TicketPanel


class PartsTab(TicketTab):
    """The parts of the open ticket."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        lay = QVBoxLayout(self)
        self.parts_note = QLabel()
        self.parts_note.setObjectName("hint")
        self.parts_note.setWordWrap(True)
        lay.addWidget(self.parts_note)
        cur = lambda: self.detail.currency if self.detail else "USD"  # noqa: E731
        self.ticket_parts_model = RowsModel([
            Column(self.tr("SKU"), lambda r: r.sku),
            Column(self.tr("Part"), lambda r: r.name),
            Column(self.tr("Qty"), lambda r: r.quantity, align_right=True),
            Column(self.tr("Charged"), lambda r: fmt.money(r.charged_cents, cur()), align_right=True),
            Column(self.tr("State"), lambda r: name_of("part_state", r.state)),
            Column(self.tr("In stock"), lambda r: r.in_stock, align_right=True,
                   foreground=lambda r: overdue_fg() if r.state == "quoted" and r.in_stock < r.quantity else None)],
            self)
        self.ticket_parts_table = list_table(self.ticket_parts_model)
        lay.addWidget(self.ticket_parts_table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Delivered:")))
        self.receive_qty = QSpinBox()
        self.receive_qty.setRange(1, 999)
        row.addWidget(self.receive_qty)
        self.receive_button = QPushButton(self.tr("Book in the selected part"))
        self.receive_button.clicked.connect(self.receive)
        row.addWidget(self.receive_button)
        row.addStretch(1)
        self.resume_button = QPushButton(self.tr("Parts are here: start repair"))
        self.resume_button.setObjectName("primary")
        self.resume_button.clicked.connect(self.resume)
        row.addWidget(self.resume_button)
        lay.addLayout(row)

    def show_ticket(self, d: repairs.TicketDetail) -> None:
        self.ticket_parts_model.set_rows(list(d.parts))
        waiting = [ln.sku for ln in d.parts if ln.state == "quoted"]
        if d.status == "awaiting_parts":
            self.parts_note.setText(self.tr("Waiting for: {0}. Book parts in when they arrive, then start the "
                                            "repair.").format(", ".join(waiting)))
        elif not d.parts:
            self.parts_note.setText(self.tr("No parts on this ticket."))
        else:
            self.parts_note.setText(self.tr("Parts are reserved when the customer accepts the quote, used when the "
                                            "repair is done and released if the ticket is cancelled."))
        self.resume_button.setEnabled(d.status == "awaiting_parts")
        self.receive_button.setEnabled(bool(d.parts))

    def receive(self) -> None:
        idx = self.ticket_parts_table.currentIndex()
        if self.detail is None or not self.detail.parts:
            return
        line = self.detail.parts[idx.row() if idx.isValid() else 0]
        qty = self.receive_qty.value()
        actor = self.ctx.actor
        self.ctx.write(lambda s: repairs.receive_stock(s, actor, line.part_id, qty),
                       on_result=lambda _: self.panel.reloaded.emit(), on_error=lambda exc: fail(self, exc), owner=self)

    def resume(self) -> None:
        self.panel.act(repairs.resume_repair)

    def clear(self) -> None:
        self.parts_note.clear()
        self.ticket_parts_model.clear()
