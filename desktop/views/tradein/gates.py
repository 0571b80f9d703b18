"""What stops a trade-in (a blocklisted IMEI, an under-age seller, an answer the price book
refuses), worded for the associate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import tradein
from desktop.errors import tr as core_tr
from desktop.labels import label
from desktop.views.tradein._common import _text

if TYPE_CHECKING:
    from collections.abc import Sequence


class TradeInGates:
    """The refusal list above ``TradeInScreen``'s breakdown."""

    def gate_text(self, gate: tradein.Gate) -> str:
        if gate.code == "blocklisted":
            return self.tr("{0} (reported {1})").format(core_tr(gate.reason), label(gate.detail))
        if gate.code == "answer" and self.pricing is not None:
            q = next((q for q in self.pricing.rules["questions"] if q["key"] == gate.detail), None)
            return f"{_text(q.get('label') if q else None, gate.detail)}: {core_tr(gate.reason)}"
        return core_tr(gate.reason)

    def show_gates(self, gates: Sequence[tradein.Gate]) -> None:
        # a wrong check digit is shown beside the IMEI field, where it is put right
        gates = [g for g in gates if g.code != "imei_check_digit"]
        if gates:
            self.gates_label.setText(self.tr("This device cannot be traded in:") + "\n"
                                     + "\n".join("• " + self.gate_text(g) for g in gates))
            self.gates_label.show()
        else:
            self.gates_label.clear()
            self.gates_label.hide()
