"""The value explained line by line as the answers come in: the core's pure valuation runs
on this thread (no database, microseconds), or a stored quote shows its own breakdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import tradein
from desktop import fmt
from desktop.labels import label
from desktop.qt import QLabel
from desktop.views.tradein._common import Line, _text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


class TradeInBreakdown:
    """The breakdown table, grade, total and notes of ``TradeInScreen``'s right panel."""

    def _fit_breakdown(self) -> None:
        """The table is as tall as its lines: the panel scrolls, never the breakdown."""
        self.breakdown.resizeRowsToContents()
        rows = sum(self.breakdown.rowHeight(r) for r in range(self.lines.rowCount()))
        self.breakdown.setFixedHeight(max(rows, 5 * 30) + 2 * self.breakdown.frameWidth() + 2)

    def line_text(self, line: dict) -> str:
        step = line["step"]
        if step == "base":
            return self.tr("Base value, grade {0}").format(label(line["grade"]))
        if step == "age":
            return self.tr("Age: {0} months since release ({1} %)").format(line["months"], line["pct"])
        if step == "battery":
            if line.get("health") is None:
                return self.tr("Battery health not measured ({0} %)").format(line["pct"])
            return self.tr("Battery health {0} % ({1} %)").format(line["health"], line["pct"])
        if step == "floor":
            return self.tr("Raised to the minimum value")
        if step == "rounding":
            return self.tr("Rounded down")
        if step == "promotion":
            rules = self.pricing.rules if self.pricing else {}
            promo = next((p for p in rules.get("promotions", ()) if p.get("code") == line.get("code")), None)
            return _text(promo.get("label") if promo else None, line.get("code", ""))
        if step == "cap":
            return self.tr("Capped at the value of grade {0}").format(label(line.get("grade")))
        return step

    def show_lines(self, grade: str | None, lines: Sequence[dict[str, Any]], value: int | None) -> None:
        self.grade_label.setText(self.tr("Grade: {0}").format(label(grade)) if grade else "")
        self.lines.set_rows([Line(self.line_text(ln), ln["cents"]) for ln in lines])
        self.breakdown.setVisible(bool(lines))
        self.total_label.setText(self.money(value) if value is not None else "–")

    @staticmethod
    def _note(lbl: QLabel, text: str) -> None:
        lbl.setText(text)
        lbl.setVisible(bool(text))

    def update_valuation(self) -> None:
        p = self.pricing
        q = self.quote
        if self.mode in ("quoted", "done") and q is not None:
            # a stored quote shows its own breakdown, under its own price book; a different
            # payout (a promotion may depend on it) is valued again under that book
            payout = self.payout_box.currentData()
            if self.mode == "quoted" and p is not None and payout != q.payout:
                v = tradein.valuate(p.rules, p.facts, q.answers, on=fmt.local(q.created_at).date(), payout=payout)
                self.show_lines(v.grade, v.breakdown, v.value_cents)
            else:
                self.show_lines(q.grade, q.breakdown, q.value_cents)
            return
        if p is None:
            self.valuation = None
            self.show_gates([])
            self.show_lines(None, [], None)
            self._note(self.provisional_label, "")
            self.repairs_label.hide()
            self.quote_button.setEnabled(False)
            return
        answers = self.answers()
        payout = self.payout_box.currentData()
        v = tradein.valuate(p.rules, p.facts, answers, on=p.today, payout=payout, checks=self.checks())
        self.valuation = v
        self.show_gates(v.gates)
        if v.refused:
            self.show_lines(None, [], None)
            self._note(self.provisional_label, "")
            self.repairs_label.hide()
        else:
            self.show_lines(v.grade, v.breakdown, v.value_cents)
            missing = self.tr("{0} questions still to answer: the value is provisional.").format(len(v.missing))
            self._note(self.provisional_label, missing if v.missing else "")
            advice = tradein.repair_advice(p.rules, p.facts, answers, p.repair_costs, on=p.today, payout=payout)
            names = {"screen": self.tr("Screen repair"), "battery": self.tr("Battery replacement")}
            if advice:
                self.repairs_label.setText("\n".join(
                    self.tr("{0}: {1} — worth {2} as a trade-in afterwards, or keep using it").format(
                        names.get(a.key, label(a.key)), self.money(a.cost_cents), self.money(a.value_after_cents))
                    for a in advice))
                self.repairs_label.show()
            else:
                self.repairs_label.hide()
        self.quote_button.setEnabled(v.complete and not v.refused and self.mode in ("new", "requote"))
