"""The Intake tab: what the counter recorded when the device came in, and the passcode,
shown for a while on request (each look is recorded)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import repairs
from core.permissions import Perm
from desktop import fmt
from desktop.labels import label
from desktop.qt import QFormLayout, QGridLayout, QHBoxLayout, QPushButton, QTimer
from desktop.views.bench._common import TicketTab, fail, value_label
from desktop.views.intake import condition_text, name_of

if TYPE_CHECKING:
    from desktop.views.bench.panel import TicketPanel


PASSCODE_SHOWN_MS = 30_000


class IntakeTab(TicketTab):
    """The intake record of the open ticket, read-only."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        grid = QGridLayout(self)
        left, right = QFormLayout(), QFormLayout()
        self.i = {k: value_label() for k in ("customer", "phone", "contact", "device", "imei", "serial", "warranty",
                                               "fault", "condition", "notes", "accessories", "limit", "passcode",
                                               "intake", "appointment", "technician")}
        for key, text in (("customer", self.tr("Customer")), ("phone", self.tr("Phone")),
                          ("contact", self.tr("Contact by")), ("device", self.tr("Device")), ("imei", self.tr("IMEI")),
                          ("serial", self.tr("Serial number")), ("warranty", self.tr("Warranty")),
                          ("intake", self.tr("Checked in")), ("appointment", self.tr("Appointment"))):
            left.addRow(text, self.i[key])
        for key, text in (("fault", self.tr("Fault")), ("condition", self.tr("Condition")),
                          ("notes", self.tr("Condition notes")), ("accessories", self.tr("Accessories")),
                          ("limit", self.tr("Approval limit")), ("technician", self.tr("Technician"))):
            right.addRow(text, self.i[key])
        pc = QHBoxLayout()
        pc.addWidget(self.i["passcode"], 1)
        self.passcode_button = QPushButton(self.tr("Show passcode"))
        self.passcode_button.setToolTip(self.tr("Shown for 30 seconds; each look is recorded."))
        self.passcode_button.clicked.connect(self.show_passcode)
        pc.addWidget(self.passcode_button)
        right.addRow(self.tr("Passcode"), pc)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)
        self._passcode_timer = QTimer(self)
        self._passcode_timer.setSingleShot(True)
        self._passcode_timer.setInterval(PASSCODE_SHOWN_MS)
        self._passcode_timer.timeout.connect(self._hide_passcode)

    def show_ticket(self, d: repairs.TicketDetail) -> None:
        see = self.ctx.can(Perm.SEE_CONTACT_DETAILS)
        from core.customers import mask_phone
        i = self.i
        i["customer"].setText(d.customer_name or self.tr("(no customer)"))
        i["phone"].setText((d.customer_phone or "") if see else mask_phone(d.customer_phone))
        i["contact"].setText(name_of("contact", d.contact_preference))
        i["device"].setText(f"{d.device_model} ({name_of('device_kind', d.device_kind)})" if d.device_kind
                            else d.device_model)
        i["imei"].setText(d.imei or "–")
        i["serial"].setText(d.serial or "–")
        parts = []
        if d.warranty_end:
            parts.append(self.tr("warranty until {0}").format(fmt.day(d.warranty_end)))
        if d.coverage_end:
            parts.append(self.tr("accident coverage until {0}").format(fmt.day(d.coverage_end)))
        i["warranty"].setText(", ".join(parts) or self.tr("none on file"))
        i["fault"].setText(d.reported_fault)
        i["condition"].setText(condition_text(d.condition) or "–")
        i["notes"].setText(d.condition_notes or "–")
        i["accessories"].setText(d.accessories or self.tr("none"))
        i["limit"].setText(self.money(d.approval_limit_cents))
        i["intake"].setText(self.tr("{0} by {1}").format(fmt.date_time(d.created_at), d.intake_by))
        i["appointment"].setText(self.tr("yes") if d.appointment_id else label("walk_in", "appointment_source"))
        i["technician"].setText(d.technician or self.tr("unassigned"))
        if not self._passcode_timer.isActive():
            i["passcode"].setText(self.tr("on file (encrypted)") if d.has_passcode else self.tr("none"))
        self.passcode_button.setEnabled(d.has_passcode)

    def show_passcode(self) -> None:
        if self.detail is None:
            return
        actor, tid = self.ctx.actor, self.detail.id
        self.ctx.write(lambda s: repairs.reveal_passcode(s, actor, tid), on_result=self._passcode,
                       on_error=lambda exc: fail(self, exc), owner=self)

    def _passcode(self, code: str | None) -> None:
        if self.detail is None or self.ctx.locked:
            return
        self.i["passcode"].setText(code or self.tr("none"))
        self._passcode_timer.start()

    def _hide_passcode(self) -> None:
        if self.detail is not None:
            self.i["passcode"].setText(self.tr("on file (encrypted)") if self.detail.has_passcode else self.tr("none"))

    def clear(self) -> None:
        self._passcode_timer.stop()
        for lbl in self.i.values():
            lbl.clear()
