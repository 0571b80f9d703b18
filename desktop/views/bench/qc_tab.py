"""The Repair & QC tab: the repair marked done, then the quality check, every item ticked to pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import repairs
from desktop.qt import QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout
from desktop.views.bench._common import TicketTab
from desktop.views.intake import name_of
from desktop.widgets.flow import flow_row

if TYPE_CHECKING:
    from desktop.views.bench.panel import TicketPanel


class QcTab(TicketTab):
    """Finishes the repair and records the quality check."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        lay = QHBoxLayout(self)
        repair = QGroupBox(self.tr("Repair"))
        rl = QVBoxLayout(repair)
        self.repair_note = QLineEdit()
        self.repair_note.setPlaceholderText(self.tr("What was done (optional)"))
        rl.addWidget(self.repair_note)
        self.finish_button = QPushButton(self.tr("Repair done: to quality check"))
        self.finish_button.setObjectName("primary")
        self.finish_button.clicked.connect(self.finish)
        rl.addWidget(self.finish_button)
        rl.addStretch(1)
        qc = QGroupBox(self.tr("Quality check"))
        ql = QVBoxLayout(qc)
        self.qc_boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for n, key in enumerate(repairs.QC_CHECKS):
            box = QCheckBox(name_of("qc_check", key))
            box.toggled.connect(self._qc_toggled)
            self.qc_boxes[key] = box
            grid.addWidget(box, n // 2, n % 2)
        ql.addLayout(grid)
        self.qc_note = QLineEdit()
        self.qc_note.setPlaceholderText(self.tr("Note (optional)"))
        ql.addWidget(self.qc_note)
        self.qc_info = QLabel()
        self.qc_info.setWordWrap(True)
        ql.addWidget(self.qc_info)
        self.qc_fail_button = QPushButton(self.tr("Failed: back to repair"))
        self.qc_fail_button.clicked.connect(lambda: self.record_qc())
        self.qc_pass_button = QPushButton(self.tr("Passed: ready for pickup"))
        self.qc_pass_button.setObjectName("primary")
        self.qc_pass_button.clicked.connect(lambda: self.record_qc())
        ql.addWidget(flow_row(self.qc_fail_button, self.qc_pass_button))     # wraps rather than squeezes
        ql.addStretch(1)
        lay.addWidget(repair, 2)
        lay.addWidget(qc, 3)

    def show_ticket(self, d: repairs.TicketDetail, reset: bool) -> None:
        if reset:
            for box in self.qc_boxes.values():
                box.blockSignals(True)
                box.setChecked(False)
                box.blockSignals(False)
            self.qc_note.clear()
            self.repair_note.clear()
        self.finish_button.setEnabled(d.status == "in_repair")
        checking = d.status == "quality_check"
        for box in self.qc_boxes.values():
            box.setEnabled(checking)
        self.qc_note.setEnabled(checking)
        qc = d.quality_check or {}
        if qc:
            failed = [name_of("qc_check", k) for k, v in (qc.get("checks") or {}).items() if not v]
            result = self.tr("passed") if qc.get("passed") else self.tr("failed: {0}").format(", ".join(failed))
            self.qc_info.setText(self.tr("Last check {0}.").format(result))
        else:
            self.qc_info.setText("")
        self._qc_toggled()

    def _qc_toggled(self) -> None:
        checking = self.detail is not None and self.detail.status == "quality_check"
        all_ok = all(b.isChecked() for b in self.qc_boxes.values())
        self.qc_pass_button.setEnabled(checking and all_ok)
        self.qc_fail_button.setEnabled(checking and not all_ok)

    def finish(self) -> None:
        note = self.repair_note.text()
        self.panel.act(lambda s, a, t: repairs.finish_repair(s, a, t, note))

    def record_qc(self) -> None:
        checks = {k: b.isChecked() for k, b in self.qc_boxes.items()}
        note = self.qc_note.text()
        self.panel.act(lambda s, a, t: repairs.quality_check(s, a, t, checks, note))

    def clear(self) -> None:
        self.qc_info.clear()
        self.repair_note.clear()
        self.qc_note.clear()
