"""The Diagnosis & quote tab: findings, the warranty decision, labour and parts, and the
totals the customer will see, worked out as the technician types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import formatting, money, repairs
from core.repairs import QuoteLine
from desktop import fmt
from desktop.errors import FieldErrors
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QCheckBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextEdit, QVBoxLayout,
    QWidget,
)
from desktop.views.bench._common import overdue_fg, TicketTab, fail, fit_columns
from desktop.views.intake import name_of
from desktop.widgets.field import FieldRow, error_label
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    from datetime import date
    from typing import Any

    from desktop.qt import QModelIndex
    from desktop.views.bench.panel import TicketPanel


class QuoteTab(TicketTab):
    """Writes the quote of the open ticket; ``quote_lines`` are the parts on it so far."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        self.quote_lines: list[dict] = []
        lay = QGridLayout(self)
        self.q_fields = FieldErrors(general=error_label())
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Findings")))
        self.findings = QTextEdit()
        self.findings.setAcceptRichText(False)
        self.findings.setTabChangesFocus(True)
        self.findings.setMinimumHeight(80)
        self.findings.setMaximumHeight(140)
        left.addWidget(FieldRow(self.q_fields, "diagnosis", self.findings))
        self.accidental = QCheckBox(self.tr("Accidental or liquid damage (the manufacturer's warranty does not "
                                            "cover it)"))
        self.accidental.toggled.connect(self._update_totals)
        left.addWidget(self.accidental)
        self.decision = QLabel()
        self.decision.setObjectName("hint")
        self.decision.setWordWrap(True)
        left.addWidget(self.decision)
        labour_row = QWidget()
        labour = QHBoxLayout(labour_row)
        labour.setContentsMargins(0, 0, 0, 0)
        labour.addWidget(QLabel(self.tr("Labour")))
        # in money, not whole units: a labour of 12.34 stays 1234 minor units (decimals follow the currency)
        self.labour = QDoubleSpinBox()
        self.labour.setRange(0, 100_000)
        self.labour.setSingleStep(10)
        self.labour.valueChanged.connect(self._update_totals)
        labour.addWidget(self.labour)
        labour.addStretch(1)
        left.addWidget(FieldRow(self.q_fields, "labour", labour_row, marks=self.labour))
        self.totals = QLabel()
        self.totals.setObjectName("quoteTotals")
        self.totals.setWordWrap(True)
        left.addWidget(self.totals)
        left.addStretch(1)
        buttons = QHBoxLayout()
        self.unrepairable_button = QPushButton(self.tr("Not repairable"))
        self.unrepairable_button.setToolTip(self.tr("Return the device as it is; the findings are kept."))
        self.unrepairable_button.clicked.connect(self.unrepairable)
        self.revise_button = QPushButton(self.tr("Revise quote"))
        self.revise_button.clicked.connect(self.revise)
        self.quote_button = QPushButton(self.tr("Save quote"))
        self.quote_button.setObjectName("primary")
        self.quote_button.clicked.connect(self.save_quote)
        buttons.addWidget(self.unrepairable_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revise_button)
        buttons.addWidget(self.quote_button)
        left.addLayout(buttons)
        left.addWidget(self.q_fields.general)

        right = QVBoxLayout()
        find = QHBoxLayout()
        self.part_search = QLineEdit()
        self.part_search.setPlaceholderText(self.tr("Find a part: SKU, name or model"))
        self.part_search.setClearButtonEnabled(True)
        self.part_search.returnPressed.connect(self.find_parts)
        find.addWidget(self.part_search, 1)
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.clicked.connect(self.find_parts)
        find.addWidget(self.find_button)
        right.addLayout(find)
        cur = lambda: self.detail.currency if self.detail else "USD"  # noqa: E731
        self.parts_model = RowsModel([
            Column(self.tr("SKU"), lambda r: r.sku),
            Column(self.tr("Part"), lambda r: r.name),
            Column(self.tr("Price"), lambda r: fmt.money(r.price_cents, cur()), align_right=True,
                   sort_key=lambda r: r.price_cents),
            Column(self.tr("In stock"), lambda r: r.available, align_right=True, sort_key=lambda r: r.available,
                   foreground=lambda r: overdue_fg() if r.available <= 0 else None)], self)
        self.parts_table = list_table(self.parts_model, stretch=False)
        fit_columns(self.parts_table, stretch=1)
        self.parts_table.doubleClicked.connect(lambda _: self.add_part())
        right.addWidget(self.parts_table, 2)
        add = QHBoxLayout()
        self.add_part_button = QPushButton(self.tr("Add to quote"))
        self.add_part_button.clicked.connect(self.add_part)
        self.remove_part_button = QPushButton(self.tr("Remove line"))
        self.remove_part_button.clicked.connect(self.remove_line)
        self.covered_box = QCheckBox(self.tr("Charge this line even if covered"))
        self.covered_box.toggled.connect(self._toggle_charge)
        add.addWidget(self.add_part_button)
        add.addStretch(1)
        add.addWidget(self.remove_part_button)
        right.addLayout(add)
        self.lines_model = RowsModel([
            Column(self.tr("Part"), lambda r: r["part"].name),
            Column(self.tr("Qty"), lambda r: r["qty"], align_right=True),
            Column(self.tr("Unit price"), lambda r: fmt.money(r["part"].price_cents, cur()), align_right=True),
            Column(self.tr("Charged"), lambda r: self._line_charge_text(r), align_right=True),
            Column(self.tr("In stock"), lambda r: r["part"].available, align_right=True,
                   foreground=lambda r: overdue_fg() if r["part"].available < r["qty"] else None)], self)
        self.lines_table = list_table(self.lines_model, stretch=False)
        fit_columns(self.lines_table, stretch=0)
        self.lines_table.selectionModel().currentRowChanged.connect(self._line_selected)
        right.addWidget(self.lines_table, 1)
        right.addWidget(self.covered_box)
        e = error_label()
        right.addWidget(e)
        self.q_fields.bind("parts", e, self.lines_table)
        lay.addLayout(left, 0, 0)
        lay.addLayout(right, 0, 1)
        lay.setColumnStretch(0, 2)
        lay.setColumnStretch(1, 3)

    def _intake_day(self) -> date:
        return fmt.local(self.detail.created_at).date()

    def show_ticket(self, d: repairs.TicketDetail, reset: bool) -> None:
        editable = d.status == "diagnosing"
        if reset:
            self.findings.setPlainText(d.diagnosis)
            self.accidental.setChecked(d.warranty_decision in (None, "chargeable") and (
                dict(d.condition).get("liquid_indicator") == "tripped"
                or (d.warranty_decision == "chargeable" and bool(d.warranty_end)
                    and d.warranty_end >= self._intake_day())))
            self.labour.setDecimals(formatting.currency_decimals(d.currency))
            self.labour.setValue(float(formatting.major_units(d.labour_cents, d.currency)))
            self.labour.setPrefix(fmt.currency_symbol(d.currency) + " ")
            self.quote_lines = []
            stock = {}
            for ln in d.parts:
                if ln.state == "released":
                    continue
                stock[ln.part_id] = repairs.PartRow(ln.part_id, ln.sku, ln.name, ln.unit_price_cents, "",
                                                    ln.in_stock, 0)
                default = money.covers(d.warranty_decision)
                self.quote_lines.append({"part": stock[ln.part_id], "qty": ln.quantity,
                                         "covered": None if ln.covered == default else ln.covered})
            self.lines_model.set_rows(list(self.quote_lines))
            self.q_fields.clear()
            if editable and not self.parts_model.rowCount():
                self.find_parts()
        for w in (self.findings, self.accidental, self.labour, self.part_search, self.find_button,
                  self.add_part_button, self.remove_part_button, self.covered_box, self.parts_table):
            w.setEnabled(editable)
        self.findings.setReadOnly(not editable)
        self.quote_button.setVisible(editable)
        self.unrepairable_button.setVisible("unrepairable" in d.allowed_moves)
        self.revise_button.setVisible(d.status == "awaiting_approval")
        self._update_totals()

    def _decision(self) -> str | None:
        d = self.detail
        if d.status != "diagnosing":
            return d.warranty_decision      # None (nobody judged it) is charged, as core.money says
        return repairs.decide_warranty(d.warranty_end, d.coverage_end, self._intake_day(), self.accidental.isChecked())

    def _line_charge_text(self, line: dict[str, Any]) -> str:
        if self.detail is None:
            return ""
        parts = money.charge(self._decision(), money.Line(line["part"].price_cents, line["qty"],
                                                          line["covered"])).charged_cents
        return self.money(parts) if parts else self.tr("covered")

    def _labour_minor(self) -> int:
        currency = self.detail.currency if self.detail else "USD"
        return formatting.to_minor(f"{self.labour.value():.{self.labour.decimals()}f}", currency, field="labour")

    def _amounts(self) -> money.Breakdown:
        """The quote being written (while diagnosing), else the ticket's own figures."""
        d = self.detail
        if d.status != "diagnosing":
            return d.amounts
        return money.breakdown(self._decision(), [money.Line(ln["part"].price_cents, ln["qty"], ln["covered"])
                                                  for ln in self.quote_lines], self._labour_minor(), d.amounts.tax)

    def _update_totals(self) -> None:
        d = self.detail
        if d is None:
            return
        decision = self._decision()
        self.decision.setText(self.tr("Warranty decision: {0}").format(name_of("warranty_decision", decision)))
        a = self._amounts()
        text = self.tr("Parts {0} · Labour {1} · Total {2}").format(self.money(a.parts_cents),
                                                                    self.money(a.labour_charged_cents),
                                                                    self.money(a.total_cents))
        if a.tax.applies:
            tax = self.tr("includes {0} {1}: {2}") if a.tax.inclusive else self.tr("with {0} {1} added: {2}")
            text += " (" + tax.format(a.tax.label, money.rate_text(a.tax.rate), self.money(a.tax_cents)) + ")"
        if d.status == "diagnosing":
            if money.needs_approval(a.total_cents, d.approval_limit_cents):
                text += "\n" + self.tr("Above the customer's limit of {0}: the customer will be asked to approve.") \
                    .format(self.money(d.approval_limit_cents))
            else:
                text += "\n" + self.tr("Within the customer's limit of {0}: the repair can go ahead.") \
                    .format(self.money(d.approval_limit_cents))
        self.totals.setText(text)
        self.lines_model.set_rows(list(self.quote_lines))

    def save_quote(self) -> None:
        lines = [QuoteLine(ln["part"].id, ln["qty"], ln["covered"]) for ln in self.quote_lines]
        findings, labour, accidental = self.findings.toPlainText(), self._labour_minor(), \
            self.accidental.isChecked()
        self.panel.act(lambda s, a, t: repairs.quote(s, a, t, diagnosis=findings, lines=lines, labour_cents=labour,
                                                      accidental_damage=accidental),
                        self.q_fields)

    def revise(self) -> None:
        self.panel.act(lambda s, a, t: repairs.reopen_diagnosis(s, a, t))

    def unrepairable(self) -> None:
        findings = self.findings.toPlainText()
        self.panel.act(lambda s, a, t: repairs.mark_unrepairable(s, a, t, findings), self.q_fields)

    def find_parts(self) -> None:
        if self.detail is None:
            return
        actor, text, fits = self.ctx.actor, self.part_search.text(), self.detail.device_model
        self.ctx.read(lambda s: repairs.list_parts(s, actor, text, fits=fits), on_result=self._parts_found,
                      on_error=lambda exc: fail(self, exc), owner=self)

    def _parts_found(self, rows: list[repairs.PartRow]) -> None:
        if self.detail is None:
            return
        self.parts_model.set_rows(rows)
        if rows:
            self.parts_table.selectRow(0)

    def add_part(self) -> None:
        idx = self.parts_table.currentIndex()
        part = self.parts_model.data(self.parts_model.index(idx.row(), 0), RowRole) if idx.isValid() else None
        if part is None:
            return
        for ln in self.quote_lines:
            if ln["part"].id == part.id:
                ln["qty"] = min(repairs.MAX_QUANTITY, ln["qty"] + 1)
                break
        else:
            self.quote_lines.append({"part": part, "qty": 1, "covered": None})
        self._update_totals()

    def remove_line(self) -> None:
        row = self.lines_table.currentIndex().row()
        if 0 <= row < len(self.quote_lines):
            del self.quote_lines[row]
            self._update_totals()

    def _line_selected(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = current.row()
        self.covered_box.blockSignals(True)
        self.covered_box.setChecked(0 <= row < len(self.quote_lines) and self.quote_lines[row]["covered"] is False)
        self.covered_box.blockSignals(False)

    def _toggle_charge(self, on: bool) -> None:
        row = self.lines_table.currentIndex().row()
        if 0 <= row < len(self.quote_lines):
            self.quote_lines[row]["covered"] = False if on else None
            self._update_totals()
            self.lines_table.selectRow(row)

    def clear(self) -> None:
        for lbl in (self.decision, self.totals):
            lbl.clear()
        self.findings.clear()
        self.part_search.clear()
        self.quote_lines = []
        for model in (self.parts_model, self.lines_model):
            model.clear()
