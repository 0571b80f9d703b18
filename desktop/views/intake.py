"""Repair intake: a device comes in from a checked-in appointment, a walk-in, or the
customer's profile. One form: whose device, which device, the fault as the customer
tells it, its condition now, what was left with it, how far the customer pre-approves
and how they want to hear from us. Saving gives the ticket its number; the bench then
opens it (with the intake receipt and device label to print).

``IntakeDialog(ctx, customer_id=None, appointment_id=None, parent=None)``."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from core import customers, formatting, repairs
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.labels import label, service as service_name
from desktop.qt import (
    QCheckBox, QComboBox, QCoreApplication, QDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QScrollArea, QSpinBox, QTextEdit, QTimer, QVBoxLayout, QWidget, Signal,
)
from desktop.widgets.field import FieldRow, error_label

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from core.permissions import Actor
    from desktop.context import AppContext


def bench_tr(text: str) -> str:
    return QCoreApplication.translate("Bench", text)


def name_of(kind: str, code: object) -> str:
    """The catalogue's word for ``code`` of ``kind``; a checkbox answer reads yes or no."""
    if isinstance(code, bool):
        return label("yes" if code else "no", "answer")
    return label(code, kind)


def index_of(combo: QComboBox, value: object) -> int:
    """The row whose data equals ``value`` (findData does not match Python objects such as UUIDs)."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def condition_text(items: Iterable[tuple[str, object]]) -> str:
    """``Screen: cracked · Body: OK …`` for a ticket's intake checklist."""
    return " · ".join(f"{name_of('intake_check', k)}: {name_of('answer', v)}" for k, v in items)


class IntakeDialog(QDialog):
    created = Signal(object)        # repairs.TicketView

    def __init__(self, ctx: AppContext, customer_id: uuid.UUID | None = None, appointment_id: uuid.UUID | None = None,
                 parent: QWidget | None = None, open_after: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.ctx = ctx
        self.customer_id = customer_id
        self.appointment_id = appointment_id
        self.open_after = open_after
        self.context: repairs.IntakeContext | None = None
        self.ticket = None
        self._search_seq = 0
        self._showing_known = False
        self.setWindowTitle(self.tr("Repair intake"))
        self.setModal(True)
        self.resize(1000, 700)
        ctx.locked_changed.connect(self._locked)
        ctx.actor_changed.connect(self._actor_changed)

        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("intakeBody")
        scroll.setWidget(body)
        scroll.viewport().setAutoFillBackground(False)   # the dialog's own colour behind the groups
        body.setAutoFillBackground(False)
        outer.addWidget(scroll, 1)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(16)
        self.fields = FieldErrors(general=error_label())

        # --- customer ----------------------------------------------------------------------------------
        cust = QGroupBox(self.tr("Customer"))
        cl = QVBoxLayout(cust)
        self.customer_label = QLabel()
        self.customer_label.setObjectName("intakeCustomer")
        self.customer_label.setWordWrap(True)
        cl.addWidget(self.customer_label)
        self.appointment_label = QLabel()
        self.appointment_label.setObjectName("hint")
        self.appointment_label.setWordWrap(True)
        self.appointment_label.hide()
        cl.addWidget(self.appointment_label)
        self.finder = QWidget()
        fl = QFormLayout(self.finder)
        fl.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name or phone of a customer we know"))
        self.search.setClearButtonEnabled(True)
        self.results = QComboBox()
        self.results.addItem(self.tr("New customer (below)"), None)
        self.given_name, self.family_name, self.phone = QLineEdit(), QLineEdit(), QLineEdit()
        fl.addRow(self.tr("Find"), self.search)
        fl.addRow(self.tr("Customer"), self.results)
        for key, text, widget in (("family_name", self.tr("Family name"), self.family_name),
                                  ("given_name", self.tr("Given name"), self.given_name),
                                  ("phone", self.tr("Phone"), self.phone)):
            fl.addRow(text, FieldRow(self.fields, key, widget))
        cl.addWidget(self.finder)
        self._bind_general("customer", cl)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._find)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.results.currentIndexChanged.connect(self._picked)

        # --- device ------------------------------------------------------------------------------------
        dev = QGroupBox(self.tr("Device"))
        dl = QFormLayout(dev)
        self.device = QComboBox()
        self.device.currentIndexChanged.connect(self._device_changed)
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText(self.tr("e.g. iPhone 15 Pro"))
        self.kind = QComboBox()
        for code in repairs.DEVICE_KINDS:
            self.kind.addItem(name_of("device_kind", code), code)
        self.imei = QLineEdit()
        self.imei.setPlaceholderText(self.tr("15 digits (*#06#)"))
        self.serial = QLineEdit()
        self.passcode = QLineEdit()
        self.passcode.setEchoMode(QLineEdit.EchoMode.Password)
        self.passcode.setPlaceholderText(self.tr("Only if the customer gives it"))
        self.show_passcode = QCheckBox(self.tr("Show"))
        self.show_passcode.toggled.connect(lambda on: self.passcode.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        pc = QHBoxLayout()
        pc.addWidget(self.passcode, 1)
        pc.addWidget(self.show_passcode)
        pcw = QWidget()
        pcw.setLayout(pc)
        pc.setContentsMargins(0, 0, 0, 0)
        dl.addRow(self.tr("Device"), FieldRow(self.fields, "device", self.device))
        dl.addRow(self.tr("Model"), FieldRow(self.fields, "device_model", self.model_edit))
        dl.addRow(self.tr("Kind"), FieldRow(self.fields, "device_kind", self.kind))
        dl.addRow(self.tr("IMEI"), FieldRow(self.fields, "imei", self.imei))
        dl.addRow(self.tr("Serial number"), FieldRow(self.fields, "serial", self.serial))
        dl.addRow(self.tr("Passcode"), FieldRow(self.fields, "passcode", pcw))
        note = QLabel(self.tr("Stored encrypted and deleted when the device is collected."))
        note.setObjectName("caption")
        note.setWordWrap(True)
        dl.addRow("", note)

        # --- fault -------------------------------------------------------------------------------------
        fault = QGroupBox(self.tr("Fault as the customer describes it"))
        fal = QVBoxLayout(fault)
        self.fault = QTextEdit()
        self.fault.setAcceptRichText(False)
        self.fault.setTabChangesFocus(True)
        self.fault.setMinimumHeight(60)
        self.fault.setMaximumHeight(90)
        fal.addWidget(FieldRow(self.fields, "reported_fault", self.fault))

        # --- condition ---------------------------------------------------------------------------------
        cond = QGroupBox(self.tr("Condition at intake"))
        col = QVBoxLayout(cond)
        checks = QGridLayout()
        checks.setHorizontalSpacing(10)
        self.checks: dict[str, QComboBox | QCheckBox] = {}
        for n, (key, answers) in enumerate(repairs.CONDITION_CHECKS.items()):
            if key == "powers_on":
                box = QCheckBox(self.tr("switches on"))
                box.setChecked(True)
            else:
                box = QComboBox()
                for a in answers:
                    box.addItem(name_of("answer", a), a)
            self.checks[key] = box
            checks.addWidget(QLabel(name_of("intake_check", key)), n // 2, (n % 2) * 2)
            checks.addWidget(FieldRow(self.fields, f"condition_{key}", box), n // 2, (n % 2) * 2 + 1)
        checks.setColumnStretch(1, 1)
        checks.setColumnStretch(3, 1)
        col.addLayout(checks)
        self.condition_notes = QLineEdit()
        self.condition_notes.setPlaceholderText(self.tr("Notes: marks, dents, missing screws …"))
        col.addWidget(FieldRow(self.fields, "condition_notes", self.condition_notes))
        self._bind_general("condition", col)

        # --- terms -------------------------------------------------------------------------------------
        terms = QGroupBox(self.tr("Agreed with the customer"))
        tl = QFormLayout(terms)
        self.accessories = QLineEdit()
        self.accessories.setPlaceholderText(self.tr("Case, charger, SIM tray …"))
        self.limit = QSpinBox()
        self.limit.setRange(0, 1_000_000)
        self.limit.setSingleStep(50)
        self.limit.setToolTip(self.tr("Quotes up to this amount go ahead without asking the customer again."))
        self.contact = QComboBox()
        for code in repairs.CONTACT_PREFERENCES:
            self.contact.addItem(name_of("contact", code), code)
        self.technician = QComboBox()
        self.technician.addItem(self.tr("Unassigned"), None)
        tl.addRow(self.tr("Accessories left"), FieldRow(self.fields, "accessories", self.accessories))
        tl.addRow(self.tr("Approval limit"), FieldRow(self.fields, "approval_limit", self.limit))
        tl.addRow(self.tr("Contact by"), FieldRow(self.fields, "contact_preference", self.contact))
        tl.addRow(self.tr("Technician"), FieldRow(self.fields, "technician", self.technician))

        left, right = QVBoxLayout(), QVBoxLayout()
        for box in (cust, dev):
            left.addWidget(box)
        left.addStretch(1)
        for box in (fault, cond, terms):
            right.addWidget(box)
        right.addStretch(1)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        outer.addWidget(self.fields.general)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(self.tr("Check in device"))
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        self.save_button.setShortcut("Ctrl+Return")
        self.save_button.clicked.connect(self.submit)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.save_button.setEnabled(False)
        self._load()

    # --- building blocks -----------------------------------------------------------------------------------

    def _bind_general(self, field: str, layout: QVBoxLayout | QFormLayout) -> None:
        err = QLabel()
        layout.addWidget(err) if isinstance(layout, QVBoxLayout) else layout.addRow(err)
        self.fields.bind(field, err)

    def done(self, result: int) -> None:
        # the passcode and the customer's details must not linger in a hidden dialog
        self.passcode.clear()
        self._timer.stop()
        super().done(result)
        self.deleteLater()

    def _actor_changed(self, actor: Actor | None) -> None:
        if actor is None:
            self.reject()

    def _locked(self, locked: bool) -> None:
        if locked:          # customer data must not stay on screen behind the lock
            self.reject()

    # --- loading ------------------------------------------------------------------------------------------

    def _load(self, customer_id: uuid.UUID | None = None) -> None:
        actor = self.ctx.actor
        cid = customer_id or self.customer_id
        appt = self.appointment_id
        self.ctx.read(lambda s: repairs.intake_context(s, actor, customer_id=cid, appointment_id=appt),
                      on_result=self._loaded, on_error=self._load_failed, owner=self)

    def _load_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _loaded(self, ctx_: repairs.IntakeContext) -> None:
        self.context = ctx_
        self.customer_id = ctx_.customer_id
        self.limit.setPrefix(fmt.currency_symbol(ctx_.currency) + " ")
        if ctx_.customer_id is not None:
            self.customer_label.setText(ctx_.customer_name)
            self.customer_label.show()
            self.finder.setVisible(self.results.count() > 1 and self.results.currentData() is not None)
        else:
            self.customer_label.setText(ctx_.customer_name or self.tr("Walk-in: find the customer or add them."))
            self.finder.show()
            if ctx_.appointment is not None and ctx_.appointment.walk_in_name and not self.family_name.text():
                self.family_name.setText(ctx_.appointment.walk_in_name)
        if ctx_.appointment is not None:
            a = ctx_.appointment
            self.appointment_label.setText(self.tr("From the appointment at {0}: {1}").format(
                fmt.time_only(a.starts_at), service_name(a.service)))
            self.appointment_label.show()
        self.device.blockSignals(True)
        self.device.clear()
        for d in ctx_.devices:
            ident = customers.short_id(d.imei or d.serial)
            self.device.addItem(f"{d.model}" + (f" · {ident}" if ident else ""), d.id)
        self.device.addItem(self.tr("Another device…"), None)
        self.device.blockSignals(False)
        self._device_changed()
        current_tech = self.technician.currentData()
        self.technician.clear()
        self.technician.addItem(self.tr("Unassigned"), None)
        for tid, name in ctx_.technicians:
            self.technician.addItem(name, tid)
        want = ctx_.appointment.technician_id if ctx_.appointment else current_tech
        if want is not None and index_of(self.technician, want) >= 0:
            self.technician.setCurrentIndex(index_of(self.technician, want))
        if ctx_.customer_id is not None:
            preferred = "sms" if ctx_.has_phone else "email" if ctx_.has_email else "sms"
            self.contact.setCurrentIndex(self.contact.findData(preferred))
        self.save_button.setEnabled(True)

    def select_device(self, device_id: uuid.UUID) -> None:
        self.device.setCurrentIndex(index_of(self.device, device_id))

    def _device_changed(self) -> None:
        chosen = self.device.currentData()
        known = next((d for d in (self.context.devices if self.context else ()) if d.id == chosen), None)
        for w in (self.model_edit, self.kind, self.imei, self.serial):
            w.setEnabled(known is None)
        if known is not None:          # show what we know of it; a new device starts empty
            self.model_edit.setText(known.model)
            self.kind.setCurrentIndex(max(0, self.kind.findData(known.kind)))
            self.imei.setText(known.imei or "")
            self.serial.setText(known.serial or "")
        elif self._showing_known:
            for w in (self.model_edit, self.imei, self.serial):
                w.clear()
        self._showing_known = known is not None

    def _find(self) -> None:
        text = self.search.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if len(text) < 2:
            return
        actor = self.ctx.actor
        self.ctx.read(lambda s: customers.search(s, actor, text, limit=20),
                      on_result=lambda rows: self._found(seq, rows), on_error=self._load_failed, owner=self)

    def _found(self, seq: int, rows: list[customers.CustomerRow]) -> None:
        if seq != self._search_seq:
            return
        self.results.blockSignals(True)
        self.results.clear()
        self.results.addItem(self.tr("New customer (below)"), None)
        for r in rows:
            self.results.addItem(f"{r.display_name} · {r.phone}" if r.phone else r.display_name, r.id)
        self.results.blockSignals(False)
        if rows:
            self.results.setCurrentIndex(1)
            self.results.showPopup() if self.isVisible() and len(rows) > 1 else None

    def _picked(self) -> None:
        cid = self.results.currentData()
        for w in (self.given_name, self.family_name, self.phone):
            w.setEnabled(cid is None)
        if cid is not None:
            self._load(cid)
        else:
            self.customer_id = None
            self.customer_label.setText(self.tr("New customer"))

    # --- saving -----------------------------------------------------------------------------------------------

    def values(self) -> dict:
        condition = {}
        for key, box in self.checks.items():
            condition[key] = box.isChecked() if isinstance(box, QCheckBox) else box.currentData()
        device_id = self.device.currentData()
        return dict(
            appointment_id=self.appointment_id, device_id=device_id,
            device_model="" if device_id else self.model_edit.text(),
            device_kind=self.kind.currentData(), imei=None if device_id else self.imei.text(),
            serial=None if device_id else self.serial.text(), passcode=self.passcode.text() or None,
            reported_fault=self.fault.toPlainText(), condition=condition,
            condition_notes=self.condition_notes.text(), accessories=self.accessories.text(),
            approval_limit_cents=formatting.to_minor(self.limit.value(), self.context.currency if self.context else "USD"),
            contact_preference=self.contact.currentData(),
            technician_id=self.technician.currentData())

    def submit(self) -> None:
        if self.context is None:
            return
        self.fields.clear()
        actor = self.ctx.actor
        values = self.values()
        customer_id = self.customer_id
        new_customer = None
        if customer_id is None and (self.family_name.text().strip() or self.given_name.text().strip()
                                    or self.phone.text().strip()):
            new_customer = dict(given_name=self.given_name.text(), family_name=self.family_name.text(),
                                phone=self.phone.text())

        def work(s: Session) -> repairs.TicketView:
            cid = customer_id
            if new_customer is not None:
                cid = customers.create_customer(s, actor, **new_customer).id
            return repairs.open_ticket(s, actor, customer_id=cid, **values)
        self.save_button.setEnabled(False)
        self.ctx.write(work, on_result=self._saved,
                       on_error=self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_error(self, exc, self.fields)

    def _saved(self, ticket: repairs.TicketView) -> None:
        self.ticket = ticket
        self.created.emit(ticket)
        if self.open_after:
            self._open_on_bench(ticket)
        self.accept()

    def _open_on_bench(self, ticket: repairs.TicketView) -> None:
        window = self.parent().window() if self.parent() is not None else None
        shell = getattr(window, "shell", None)
        if shell is None or not self.ctx.can(Perm.WORK_TICKETS) or not shell.go("bench"):
            return
        bench = shell.screens.get("bench")
        if bench is not None and hasattr(bench, "open_ticket"):
            bench.open_ticket(ticket.id, fresh=True)
