"""Book (or move) an appointment: a service, a technician or whoever is least busy, a day,
then one of the free times the slot engine offers. Used from the customer profile
(``BookingDialog(ctx, customer_id, parent)``) and from the appointments screen."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core import appointments, clock, customers
from core.appointments import SlotTaken
from desktop import fmt
from desktop.labels import service as service_name
from desktop.errors import FieldErrors, user_message
from desktop.qt import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListView, QListWidget, QListWidgetItem, QLocale, QProgressBar, QPushButton, QSize, Qt, QVBoxLayout, Signal,
)
from desktop.widgets.field import FieldRow, error_label

if TYPE_CHECKING:
    import uuid
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.context import AppContext
    from desktop.qt import QLayout, QWidget

DAYS_AHEAD = 28
SlotRole = Qt.ItemDataRole.UserRole


def store_today(ctx: AppContext) -> date:
    tz = ctx.store.timezone if ctx.store else "UTC"
    return clock.today(ZoneInfo(tz))


def day_label(d: date) -> str:
    loc = QLocale()
    from desktop.qt import QDate
    qd = QDate(d.year, d.month, d.day)
    return f"{loc.dayName(qd.dayOfWeek(), QLocale.FormatType.ShortFormat)} {fmt.day(d)}"


def index_of(combo: QComboBox, value: object) -> int:
    """``findData`` compares Python objects by identity; ids are equal, not identical."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            return i
    return -1


class BookingDialog(QDialog):
    """``customer_id`` None books a name (a phone call from someone without a profile).
    With ``appointment`` (a DayAppointment) the dialog moves that appointment instead.
    ``booked`` carries the resulting DayAppointment."""

    booked = Signal(object)

    def __init__(self, ctx: AppContext, customer_id: uuid.UUID | None = None, parent: QWidget | None = None, *, appointment: appointments.DayAppointment | None = None, day: date | None = None,
                 service_type_id: uuid.UUID | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookingDialog")
        self.ctx = ctx
        self.customer_id = customer_id if appointment is None else appointment.customer_id
        self.appointment = appointment
        self.result_appointment = None
        self._seq = 0
        self._slots: list = []
        self._services: list = []
        self._technicians: list = []
        moving = appointment is not None
        self.setWindowTitle(self.tr("Move appointment") if moving else self.tr("Book an appointment"))
        ctx.locked_changed.connect(self._locked)
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = FieldErrors(general=error_label())

        def row(field: str, text: str, widget: QWidget | QLayout) -> None:
            form.addRow(text, FieldRow(self.fields, field, widget))

        self.customer_label = QLabel()
        self.customer_label.setObjectName("bookingCustomer")
        self.name = QLineEdit()
        self.name.setObjectName("bookingName")
        self.name.setPlaceholderText(self.tr("Name of the person booking"))
        if self.customer_id is not None or moving:
            form.addRow(self.tr("Customer"), self.customer_label)
            if moving:
                self.customer_label.setText(appointment.customer)
        else:
            row("name", self.tr("Name"), self.name)
        self.service = QComboBox()
        self.service.setObjectName("bookingService")
        self.service.setEnabled(not moving)
        row("service_type_id", self.tr("Service"), self.service)
        self.technician = QComboBox()
        self.technician.setObjectName("bookingTechnician")
        row("technician_id", self.tr("Technician"), self.technician)
        days = QHBoxLayout()
        self.day = QComboBox()
        self.day.setObjectName("bookingDay")
        first = store_today(ctx)
        for i in range(DAYS_AHEAD):
            d = first + timedelta(days=i)
            self.day.addItem(day_label(d), d)
        prev_day, next_day = QPushButton("◀"), QPushButton("▶")
        prev_day.setToolTip(self.tr("Previous day"))
        next_day.setToolTip(self.tr("Next day"))
        for b in (prev_day, next_day):
            b.setStyleSheet("QPushButton { min-width: 0px; padding-left: 12px; padding-right: 12px; }")
            b.setAutoDefault(False)
        prev_day.clicked.connect(lambda: self.day.setCurrentIndex(max(0, self.day.currentIndex() - 1)))
        next_day.clicked.connect(lambda: self.day.setCurrentIndex(min(self.day.count() - 1,
                                                                        self.day.currentIndex() + 1)))
        days.addWidget(prev_day)
        days.addWidget(self.day, 1)
        days.addWidget(next_day)
        form.addRow(self.tr("Day"), days)
        self.slots = QListWidget()
        self.slots.setObjectName("bookingSlots")
        self.slots.setViewMode(QListView.ViewMode.IconMode)
        self.slots.setFlow(QListView.Flow.LeftToRight)
        self.slots.setWrapping(True)
        self.slots.setResizeMode(QListView.ResizeMode.Adjust)
        self.slots.setMovement(QListView.Movement.Static)
        self.slots.setUniformItemSizes(True)
        self.slots.setGridSize(QSize(76, 34))
        self.slots.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.slots.setMinimumHeight(150)
        # times as chips; transparent so both themes' window colour shows through
        self.slots.setStyleSheet(
            "QListWidget#bookingSlots { background: transparent; border: 1px solid palette(mid); border-radius: 6px; }"
            "QListWidget#bookingSlots::item { border: 1px solid palette(mid); border-radius: 4px; margin: 3px; }"
            "QListWidget#bookingSlots::item:selected { background: #2f855a; color: #ffffff; border-color: #2f855a; }")
        self.slots.setAccessibleName(self.tr("Free times"))
        self.slots.currentItemChanged.connect(lambda *_: self._slot_chosen())
        self.slots.itemDoubleClicked.connect(lambda _: self.submit())
        row("starts_at", self.tr("Free times"), self.slots)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(3)
        self.busy.setTextVisible(False)
        self.busy.hide()
        form.addRow("", self.busy)
        self.chosen = QLabel()
        self.chosen.setObjectName("summary")
        form.addRow("", self.chosen)
        self.notes = QLineEdit()
        self.notes.setObjectName("bookingNotes")
        self.notes.setPlaceholderText(self.tr("Device, fault, anything the technician should know"))
        if not moving:
            row("notes", self.tr("Notes"), self.notes)
        lay.addLayout(form)
        lay.addWidget(self.fields.general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.book_button = self.buttons.addButton(self.tr("Move") if moving else self.tr("Book"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.book_button.setObjectName("primary")
        self.book_button.setDefault(True)
        self.book_button.setEnabled(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        if day is not None and first <= day < first + timedelta(days=DAYS_AHEAD):
            self.day.setCurrentIndex((day - first).days)
        elif moving:
            local = fmt.local(appointment.starts_at).date()
            if first <= local < first + timedelta(days=DAYS_AHEAD):
                self.day.setCurrentIndex((local - first).days)
        self._wanted_service = appointment.service_type_id if moving else service_type_id
        self.service.currentIndexChanged.connect(lambda _: self._service_changed())
        self.technician.currentIndexChanged.connect(lambda _: self.load_slots())
        self.day.currentIndexChanged.connect(lambda _: self.load_slots())
        self._load_reference()

    def _locked(self, locked: bool) -> None:
        if locked:          # no customer's name stays on screen behind the lock
            self.reject()

    # --- loading -----------------------------------------------------------------------------

    def _load_reference(self) -> None:
        actor, cid = self.ctx.actor, self.customer_id
        show_customer = cid is not None and self.appointment is None

        def read(s: Session) -> tuple[list[appointments.ServiceTypeView], list[appointments.TechnicianView], customers.CustomerView | None]:
            services = appointments.list_service_types(s, actor)
            techs = appointments.list_technicians(s, actor)
            who = customers.get_customer(s, actor, cid) if show_customer else None
            return services, techs, who
        self.ctx.read(read, on_result=self._reference_loaded, on_error=self._failed, owner=self)

    def _reference_loaded(self, result: tuple[list[appointments.ServiceTypeView], list[appointments.TechnicianView], customers.CustomerView | None]) -> None:
        services, techs, who = result
        self._services, self._technicians = services, techs
        if who is not None:
            self.customer_label.setText(who.display_name)
        cur = self.ctx.store.currency if self.ctx.store else "USD"
        self.service.blockSignals(True)
        self.service.clear()
        for sv in services:
            self.service.addItem(self.tr("{0} · {1} min · {2}").format(
                service_name(sv.name, sv.code), sv.duration_min, fmt.money(sv.price_cents, cur)), sv.id)
        if self._wanted_service is not None:
            self.service.setCurrentIndex(max(0, index_of(self.service, self._wanted_service)))
        self.service.blockSignals(False)
        self._service_changed()

    def _current_service(self) -> appointments.ServiceTypeView | None:
        sid = self.service.currentData()
        return next((s for s in self._services if s.id == sid), None)

    def _service_changed(self) -> None:
        sv = self._current_service()
        keep = self.technician.currentData()
        if keep is None and self.appointment is not None:
            keep = self.appointment.technician_id
        self.technician.blockSignals(True)
        self.technician.clear()
        self.technician.addItem(self.tr("Least busy technician"), None)
        for t in self._technicians:
            if sv is None or not sv.required_skill or sv.required_skill in t.skills:
                self.technician.addItem(t.name, t.id)
        if keep is not None and index_of(self.technician, keep) >= 0:
            self.technician.setCurrentIndex(index_of(self.technician, keep))
        self.technician.blockSignals(False)
        self.load_slots()

    def load_slots(self, prefer: datetime | None = None) -> None:
        sv = self._current_service()
        self._seq += 1
        seq = self._seq
        self.slots.clear()
        self._slots = []
        self.book_button.setEnabled(False)
        self.chosen.clear()
        if sv is None:
            return
        actor, day, tech = self.ctx.actor, self.day.currentData(), self.technician.currentData()
        moving = self.appointment
        self.busy.show()

        def read(s: Session) -> list[appointments.Slot]:
            if moving is not None:
                # the appointment's own time counts as free for itself
                return appointments.find_slots_for_move(s, actor, moving.id, day, technician_id=tech)
            return appointments.find_slots(s, actor, sv.id, day, technician_id=tech)
        self.ctx.read(read, on_result=lambda slots: self._slots_loaded(seq, slots, prefer),
                      on_error=self._failed, owner=self)

    def _slots_loaded(self, seq: int, slots: list[appointments.Slot], prefer: datetime | None = None) -> None:
        if seq != self._seq:
            return
        self.busy.hide()
        self._slots = list(slots)
        self.slots.clear()
        for slot in self._slots:
            item = QListWidgetItem(fmt.time_only(slot.starts_at))
            item.setData(SlotRole, slot)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setToolTip(self.tr("{0}–{1} with {2}").format(fmt.time_only(slot.starts_at),
                                                                fmt.time_only(slot.ends_at), slot.technician))
            self.slots.addItem(item)
        if not self._slots:
            self.chosen.setText(self.tr("No free time on this day. Try another day or technician."))
            return
        pick = 0
        if prefer is not None:
            pick = next((i for i, s in enumerate(self._slots) if s.starts_at == prefer), 0)
        self.slots.setCurrentRow(pick)

    def _slot_chosen(self) -> None:
        item = self.slots.currentItem()
        slot = item.data(SlotRole) if item is not None else None
        self.book_button.setEnabled(slot is not None)
        if slot is None:
            self.chosen.clear()
            return
        self.chosen.setText(self.tr("{0}, {1}–{2} with {3}").format(
            day_label(fmt.local(slot.starts_at).date()), fmt.time_only(slot.starts_at),
            fmt.time_only(slot.ends_at), slot.technician))

    def selected_slot(self) -> appointments.Slot | None:
        item = self.slots.currentItem()
        return item.data(SlotRole) if item is not None else None

    # --- booking -----------------------------------------------------------------------------

    def submit(self) -> None:
        slot = self.selected_slot()
        sv = self._current_service()
        if slot is None or sv is None:
            return
        self.fields.clear()
        self.book_button.setEnabled(False)
        actor = self.ctx.actor
        tech = self.technician.currentData()
        if self.appointment is not None:
            aid = self.appointment.id
            chosen_tech = slot.technician_id

            def work(s: Session) -> appointments.DayAppointment:
                return appointments.reschedule(s, actor, aid, slot.starts_at, chosen_tech)
        else:
            cid, name, notes = self.customer_id, self.name.text(), self.notes.text()

            def work(s: Session) -> appointments.DayAppointment:
                return appointments.book(s, actor, service_type_id=sv.id, starts_at=slot.starts_at,
                                         customer_id=cid, name=None if cid else name,
                                         technician_id=tech, notes=notes)
        self.ctx.write(work, on_result=self._done, on_error=self._refused, owner=self)

    def _done(self, appointment: appointments.DayAppointment) -> None:
        self.result_appointment = appointment
        self.booked.emit(appointment)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.book_button.setEnabled(True)
        if isinstance(exc, SlotTaken):
            nxt = ", ".join(fmt.time_only(s.starts_at) for s in exc.next_slots[:4])
            text = self.tr("That time was just taken.")
            if nxt:
                text += " " + self.tr("Next free: {0}").format(nxt)
            self.fields.general.setText(text)
            self.fields.general.show()
            prefer = exc.next_slots[0].starts_at if exc.next_slots else None
            if prefer is not None:
                d = fmt.local(prefer).date()
                idx = index_of(self.day, d)
                if idx >= 0 and idx != self.day.currentIndex():
                    self.day.blockSignals(True)
                    self.day.setCurrentIndex(idx)
                    self.day.blockSignals(False)
            self.load_slots(prefer=prefer)
            return
        if not self.fields.show(exc):
            self.fields.general.setText(user_message(exc))
            self.fields.general.show()

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.fields.general.setText(user_message(exc))
        self.fields.general.show()
