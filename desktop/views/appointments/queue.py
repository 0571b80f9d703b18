"""The walk-in queue beside the day (people without a booking, their estimated waits,
calling the next one) and the dialog that adds someone to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import appointments, customers
from core.errors import ValidationError
from desktop.errors import FieldErrors, user_message
from desktop.labels import service as service_name
from desktop.models.rows import RowRole
from desktop.qt import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget, Signal,
)
from desktop.views.appointments.models import QueueModel
from desktop.views.booking import index_of
from desktop.widgets.field import error_label

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from sqlalchemy.orm import Session

    from desktop.context import AppContext
    from desktop.qt import QLayout


class WalkInDialog(QDialog):
    """Someone without a booking: a customer found by name or phone, or just a name."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkInDialog")
        self.ctx = ctx
        self.result_entry = None
        self.setWindowTitle(self.tr("Add a walk-in"))
        ctx.locked_changed.connect(self._locked)
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.fields = FieldErrors(general=error_label())

        def row(field: str, text: str, widget: QWidget | QLayout) -> None:
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget) if isinstance(widget, QWidget) else box.addLayout(widget)
            err = QLabel()
            box.addWidget(err)
            self.fields.bind(field, err, widget if isinstance(widget, QWidget) else None)
            form.addRow(text, box)

        find = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setObjectName("walkInName")
        self.name.setPlaceholderText(self.tr("Name, or a customer's name or phone to look up"))
        self.find_button = QPushButton(self.tr("Find customer"))
        self.find_button.setAutoDefault(False)
        self.find_button.clicked.connect(self._find)
        find.addWidget(self.name, 1)
        find.addWidget(self.find_button)
        row("name", self.tr("Who"), find)
        self.customer = QComboBox()
        self.customer.setObjectName("walkInCustomer")
        self.customer.addItem(self.tr("Just the name typed above"), None)
        self.customer.hide()
        form.addRow("", self.customer)
        self.service = QComboBox()
        self.service.setObjectName("walkInService")
        row("service_type_id", self.tr("Service"), self.service)
        self.technician = QComboBox()
        self.technician.addItem(self.tr("Whoever is free first"), None)
        row("technician_id", self.tr("Technician"), self.technician)
        self.note = QLineEdit()
        row("note", self.tr("Note"), self.note)
        lay.addLayout(form)
        lay.addWidget(self.fields.general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton(self.tr("Add to queue"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("primary")
        self.add_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        actor = ctx.actor
        ctx.read(lambda s: (appointments.list_service_types(s, actor), appointments.list_technicians(s, actor)),
                 on_result=self._loaded, on_error=self._failed, owner=self)

    def _locked(self, locked: bool) -> None:
        if locked:          # no customer's name stays on screen behind the lock
            self.reject()

    def _loaded(self, result: tuple[list[appointments.ServiceTypeView], list[appointments.TechnicianView]]) -> None:
        services, techs = result
        for sv in services:
            self.service.addItem(self.tr("{0} · {1} min").format(service_name(sv.name, sv.code), sv.duration_min),
                                 sv.id)
        for t in techs:
            self.technician.addItem(t.name, t.id)

    def _find(self) -> None:
        text, actor = self.name.text(), self.ctx.actor
        self.ctx.read(lambda s: customers.search(s, actor, text, limit=20), on_result=self._found,
                      on_error=self._failed, owner=self)

    def _found(self, rows: list[customers.CustomerRow]) -> None:
        while self.customer.count() > 1:
            self.customer.removeItem(1)
        for r in rows:
            self.customer.addItem(f"{r.display_name} · {r.phone}" if r.phone else r.display_name, r.id)
        self.customer.setVisible(bool(rows))
        if rows:
            self.customer.setCurrentIndex(1)
        else:
            self.fields.general.setText(self.tr("No customer matches; the name alone will do."))
            self.fields.general.show()

    def submit(self) -> None:
        self.fields.clear()
        actor = self.ctx.actor
        cid = self.customer.currentData() if self.customer.isVisible() else None
        name, sid, tech, note = self.name.text(), self.service.currentData(), self.technician.currentData(), \
            self.note.text()
        if sid is None:
            self.fields.show(ValidationError("service_type_id", "choose a service"))
            return
        self.add_button.setEnabled(False)
        self.ctx.write(lambda s: appointments.add_walk_in(s, actor, service_type_id=sid, customer_id=cid,
                                                          name=None if cid else name, technician_id=tech, note=note), on_result=self._done, on_error=self._refused, owner=self)

    def _done(self, entry: appointments.QueueEntry) -> None:
        self.result_entry = entry
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        if not self.fields.show(exc):
            self.fields.general.setText(user_message(exc))
            self.fields.general.show()

    def _failed(self, exc: BaseException) -> None:
        self.fields.general.setText(user_message(exc))
        self.fields.general.show()


class QueuePanel(QFrame):
    """Today's walk-ins in order of arrival with their estimated waits; call the next one,
    hand one to a technician, or note that someone left. The screen feeds it each plan."""

    intake_requested = Signal(object)      # a called walk-in's repair: open repair intake
    dialog_opened = Signal(object)         # the walk-in dialog, so the lock can close it

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("detailPanel")
        self.setFixedWidth(400)
        ql = QVBoxLayout(self)
        ql.setContentsMargins(12, 10, 12, 10)
        qh = QLabel(self.tr("Walk-in queue"))
        qh.setObjectName("queueTitle")
        qh.setStyleSheet("font-size: 16px; font-weight: 600;")
        ql.addWidget(qh)
        self.model = QueueModel(self)
        self.table = QTableView()
        self.table.setObjectName("walkInQueue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        hh.resizeSection(1, 100)
        ql.addWidget(self.table, 1)
        self.note = QLabel()
        self.note.setObjectName("summary")
        self.note.setWordWrap(True)
        ql.addWidget(self.note)
        self.add_walk_in_button = QPushButton(self.tr("Add walk-in…"))
        self.add_walk_in_button.setToolTip(self.tr("Someone without a booking (Ctrl+Shift+W)"))
        self.add_walk_in_button.setShortcut("Ctrl+Shift+W")
        self.add_walk_in_button.clicked.connect(self.add_walk_in)
        ql.addWidget(self.add_walk_in_button)
        tech_row = QHBoxLayout()
        tech_row.addWidget(QLabel(self.tr("Technician")))
        self.technician = QComboBox()
        self.technician.setObjectName("queueTechnician")
        self.technician.addItem(self.tr("Whoever is free"), None)
        tech_row.addWidget(self.technician, 1)
        ql.addLayout(tech_row)
        qb = QHBoxLayout()
        self.call_next_button = QPushButton(self.tr("Call next"))
        self.call_next_button.setObjectName("primary")
        self.call_next_button.setToolTip(self.tr("Serve the next walk-in now (Ctrl+Shift+C)"))
        self.call_next_button.setShortcut("Ctrl+Shift+C")
        self.call_next_button.clicked.connect(self.call_next)
        self.assign_button = QPushButton(self.tr("Assign"))
        self.assign_button.setToolTip(self.tr("Move the selected walk-in to this technician"))
        self.assign_button.clicked.connect(self.assign_walk_in)
        self.left_button = QPushButton(self.tr("Left"))
        self.left_button.setToolTip(self.tr("The selected walk-in left without being served"))
        self.left_button.clicked.connect(self.remove_walk_in)
        for b in (self.call_next_button, self.assign_button, self.left_button):
            qb.addWidget(b)
        ql.addLayout(qb)
        self.status = QLabel()
        self.status.setObjectName("summary")
        self.status.setWordWrap(True)
        ql.addWidget(self.status)
        self.error = error_label()
        ql.addWidget(self.error)

    def show_plan(self, plan: appointments.DayPlan, today: bool) -> None:
        self.model.set_rows(plan.queue)
        self.note.setText("" if today else self.tr("The queue is for today."))
        keep_tech = self.technician.currentData()
        self.technician.blockSignals(True)
        while self.technician.count() > 1:
            self.technician.removeItem(1)
        for t in plan.technicians:
            self.technician.addItem(t.name, t.id)
        if keep_tech is not None and index_of(self.technician, keep_tech) >= 0:
            self.technician.setCurrentIndex(index_of(self.technician, keep_tech))
        self.technician.blockSignals(False)
        for b in (self.call_next_button, self.add_walk_in_button, self.assign_button, self.left_button):
            b.setEnabled(today)

    def selected_entry(self) -> appointments.QueueEntry | None:
        idx = self.table.currentIndex()
        return self.model.data(self.model.index(idx.row(), 0), RowRole) if idx.isValid() else None

    def add_walk_in(self) -> None:
        dlg = WalkInDialog(self.ctx, self)
        dlg.open()
        self.dialog_opened.emit(dlg)

    def _write(self, fn: Callable[[Session], object], on_result: Callable[[Any], None] | None = None) -> None:
        self.error.hide()
        self.status.clear()
        self.ctx.write(fn, on_result=on_result or (lambda _: None),
                       on_error=self._refused, owner=self)

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(user_message(exc))
        self.error.show()

    def call_next(self) -> None:
        actor, tech = self.ctx.actor, self.technician.currentData()
        self._write(lambda s: appointments.call_next(s, actor, tech), self._called)

    def _called(self, called: appointments.Called) -> None:
        self.status.setText(self.tr("{0} goes to {1}.").format(called.appointment.customer,
                                                              called.appointment.technician))
        if called.needs_intake:
            self.intake_requested.emit(called.appointment)

    def assign_walk_in(self) -> None:
        entry, actor, tech = self.selected_entry(), self.ctx.actor, self.technician.currentData()
        if entry is None:
            return
        self._write(lambda s: appointments.assign_walk_in(s, actor, entry.id, tech))

    def remove_walk_in(self) -> None:
        entry, actor = self.selected_entry(), self.ctx.actor
        if entry is None:
            return
        self._write(lambda s: appointments.remove_walk_in(s, actor, entry.id))

    def clear_sensitive(self) -> None:
        self.model.clear()
        self.status.clear()
        self.error.clear()
