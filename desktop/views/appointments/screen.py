"""The appointments screen: the technicians' day as a calendar (or the counter's list),
the actions on the selected appointment, today's numbers and the walk-in queue beside it,
and, for managers, a second page with the rota and booking rules. It loads the day plan
and hands it to the parts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import shiboken6

from core import appointments, clock
from core.permissions import Perm
from desktop import fmt, shortcuts
from desktop.labels import label, service as service_name
from desktop.models.rows import RowRole
from desktop.qt import (
    QAbstractItemView, QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QProgressBar,
    QPushButton, QScrollArea, QStackedWidget, QTableView, QTimer, QVBoxLayout, QWidget, Signal,
)
from desktop.views.appointments.models import DayListModel
from desktop.views.appointments.queue import QueuePanel
from desktop.views.appointments.rota import RotaPanel
from desktop.views.base import Screen
from desktop.views.booking import BookingDialog, day_label, store_today
from desktop.views.message_timeline import MessagesLine
from desktop.widgets.calendar import MOVABLE, STATUS_COLOURS, DayView, time_range
from desktop.widgets.flow import flow_row

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from core.permissions import Actor
    from desktop.context import AppContext
    from desktop.qt import QAbstractButton

REFRESH_MS = 60_000
# two or three buttons that choose one view; the checked one in the accent colour
SEGMENTED = ("QPushButton { border-radius: 0px; } "
             "QPushButton:checked { background-color: #2f855a; color: #ffffff; border-color: #2f855a; }")


class AppointmentsScreen(Screen):
    key, icon, perm = "appointments", "calendar", Perm.BOOK_APPOINTMENTS
    watches = ("appointment", "walk_in", "shift", "shift_template", "service_type", "staff", "store", "customer")
    intake_requested = Signal(object)      # a repair appointment whose customer is here: open repair intake

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.day = store_today(ctx)
        self.plan = None
        self._seq = 0
        self.last_dialog = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        outer.setSpacing(8)

        head = QHBoxLayout()
        self.heading = QLabel(self.title())
        self.heading.setObjectName("screenTitle")
        head.addWidget(self.heading)
        head.addStretch(1)
        self.new_button = QPushButton(self.tr("New booking"))
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip(self.tr("Book an appointment (Ctrl+N)"))
        self.new_button.setShortcut("Ctrl+N")
        self.new_button.clicked.connect(self.new_booking)
        head.addWidget(self.new_button)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.setToolTip(self.tr("Load the day again (F5)"))
        self.refresh_button.clicked.connect(self.activate)
        head.addWidget(self.refresh_button)
        outer.addLayout(head)

        # --- the day page: navigation, calendar or list, actions; numbers and queue beside
        day_page = QWidget()
        body = QHBoxLayout(day_page)
        body.setContentsMargins(0, 8, 0, 0)
        body.setSpacing(12)
        left = QVBoxLayout()
        left.setSpacing(6)
        nav: list[QWidget] = []
        self.prev_day, self.today_button, self.next_day = (QPushButton("◀"), QPushButton(self.tr("Today")),
                                                           QPushButton("▶"))
        self.prev_day.setToolTip(self.tr("Previous day (Ctrl+PgUp)"))
        self.prev_day.setShortcut("Ctrl+PgUp")
        self.next_day.setToolTip(self.tr("Next day (Ctrl+PgDown)"))
        self.next_day.setShortcut("Ctrl+PgDown")
        self.today_button.setToolTip(self.tr("Today (Ctrl+Home)"))
        self.today_button.setShortcut("Ctrl+Home")
        for b in (self.prev_day, self.next_day):
            # the theme gives every button a minimum width; arrows need less
            b.setStyleSheet("QPushButton { min-width: 0px; padding-left: 12px; padding-right: 12px; }")
        self.prev_day.clicked.connect(lambda: self.set_day(self.day - timedelta(days=1)))
        self.next_day.clicked.connect(lambda: self.set_day(self.day + timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.set_day(store_today(self.ctx)))
        nav += [self.prev_day, self.today_button, self.next_day]
        self.day_title = QLabel()
        self.day_title.setObjectName("dayTitle")
        self.day_title.setStyleSheet("font-size: 16px; font-weight: 600; padding-left: 8px;")
        nav.append(self.day_title)
        self.day_button = QPushButton(self.tr("Calendar"))
        self.day_button.setToolTip(self.tr("Technicians side by side ({0})").format(
            shortcuts.hint("appointments.calendar")))
        shortcuts.bind(self.day_button, "appointments.calendar")
        self.list_button = QPushButton(self.tr("List"))
        # not Ctrl+L: that locks the counter on every screen (desktop/shortcuts.py has every key)
        self.list_button.setToolTip(self.tr("The day as a list for the counter ({0})").format(
            shortcuts.hint("appointments.list")))
        shortcuts.bind(self.list_button, "appointments.list")
        self.view_group = QButtonGroup(self)
        views = QWidget()
        views.setStyleSheet(SEGMENTED)
        vl = QHBoxLayout(views)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(0)
        for i, b in enumerate((self.day_button, self.list_button)):
            b.setCheckable(True)
            self.view_group.addButton(b, i)
            vl.addWidget(b)
        nav.append(views)
        self.day_button.setChecked(True)
        self.view_group.idClicked.connect(lambda i: self.views.setCurrentIndex(i))
        left.addWidget(flow_row(*nav))         # wraps at 1024 px instead of squeezing the arrows
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(3)
        self.busy.setTextVisible(False)
        self.busy.hide()
        left.addWidget(self.busy)

        self.views = QStackedWidget()
        self.calendar = DayView()
        self.calendar.selection_changed.connect(self._selected)
        self.calendar.move_requested.connect(self.move)
        self.calendar.activated.connect(self._focus_actions)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.calendar)
        self.views.addWidget(self.scroll)
        self.model = DayListModel(self)
        self.table = QTableView()
        self.table.setObjectName("appointmentList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        th = self.table.horizontalHeader()
        th.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        th.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _: self._list_selected(cur.row()))
        self.views.addWidget(self.table)
        left.addWidget(self.views, 1)
        legend: list[QWidget] = []
        for status in ("booked", "checked_in", "in_service", "completed", "no_show"):
            _, edge = STATUS_COLOURS[status][0]
            chip = QLabel(label(status))
            chip.setObjectName("legend")
            chip.setStyleSheet(f"QLabel#legend {{ border-left: 4px solid {edge}; padding: 0px 6px; }}")
            legend.append(chip)
        left.addWidget(flow_row(*legend, spacing=14))

        actions = QFrame()
        actions.setObjectName("detailPanel")
        al = QVBoxLayout(actions)
        al.setContentsMargins(12, 8, 12, 8)
        al.setSpacing(6)
        self.selection = QLabel()
        self.selection.setObjectName("selectionText")
        self.selection.setWordWrap(True)
        al.addWidget(self.selection)
        self.messages = MessagesLine(ctx)          # what the customer was sent about it, and how it went
        al.addWidget(self.messages)
        self.check_in_button = QPushButton(self.tr("Check in"))
        self.check_in_button.setObjectName("primary")
        self.check_in_button.setToolTip(self.tr("The customer is here (Ctrl+I)"))
        self.check_in_button.setShortcut("Ctrl+I")
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setToolTip(self.tr("The technician starts the service (Ctrl+Shift+S)"))
        self.start_button.setShortcut("Ctrl+Shift+S")
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setToolTip(self.tr("Finished (Ctrl+Shift+D)"))
        self.done_button.setShortcut("Ctrl+Shift+D")
        self.no_show_button = QPushButton(self.tr("No-show"))
        self.no_show_button.setShortcut("Ctrl+Shift+N")
        self.move_button = QPushButton(self.tr("Move…"))
        self.move_button.setToolTip(self.tr("Another time or technician (Ctrl+M)"))
        self.move_button.setShortcut("Ctrl+M")
        self.cancel_button = QPushButton(self.tr("Cancel…"))
        self.cancel_button.setToolTip(self.tr("Cancel the appointment (Ctrl+Delete)"))
        self.cancel_button.setShortcut("Ctrl+Del")
        self.check_in_button.clicked.connect(self.check_in)
        self.start_button.clicked.connect(lambda: self._act(appointments.start_service))
        self.done_button.clicked.connect(self.complete_selected)
        self.no_show_button.clicked.connect(lambda: self._act(appointments.mark_no_show))
        self.move_button.clicked.connect(self.move_dialog)
        self.cancel_button.clicked.connect(self.cancel_selected)
        al.addWidget(flow_row(self.check_in_button, self.start_button, self.done_button, self.no_show_button,
                              self.move_button, self.cancel_button))
        left.addWidget(actions)
        body.addLayout(left, 1)

        right = QVBoxLayout()
        right.setSpacing(10)
        # today's numbers at a glance
        glance = QFrame()
        glance.setObjectName("detailPanel")
        glance.setMinimumWidth(280)       # narrower at 1024 px, so the day keeps room for its text
        glance.setMaximumWidth(400)
        gl = QGridLayout(glance)
        gl.setContentsMargins(14, 8, 14, 8)
        gl.setHorizontalSpacing(10)
        gl.setVerticalSpacing(0)
        self.numbers: dict[str, QLabel] = {}
        for i, (key, text) in enumerate((("booked", label("booked")), ("checked_in", label("checked_in")),
                                         ("waiting", self.tr("waiting")),
                                         ("average_wait_min", self.tr("average wait")))):
            value = QLabel("–")
            value.setObjectName("tileValue")
            value.setStyleSheet("font-size: 22px;")
            value.setAccessibleName(text)
            caption = QLabel(text)
            caption.setObjectName("tileCaption")
            cell = QHBoxLayout()
            cell.setSpacing(8)
            cell.addWidget(value)
            cell.addWidget(caption, 1)
            gl.addLayout(cell, i // 2, i % 2)
            self.numbers[key] = value
        right.addWidget(glance)

        self.queue = QueuePanel(ctx)
        self.queue.intake_requested.connect(self.intake_requested)
        self.queue.dialog_opened.connect(lambda dlg: setattr(self, "last_dialog", dlg))
        right.addWidget(self.queue, 1)
        body.addLayout(right)

        # managers also see the rota: a second page, chosen like the calendar/list switch
        self.pages = QStackedWidget()
        self.pages.addWidget(day_page)
        self.rota = None
        if ctx.can(Perm.MANAGE_ROTA):
            self.rota = RotaPanel(ctx)
            self.pages.addWidget(self.rota)
            switch = QWidget()
            switch.setStyleSheet(SEGMENTED)
            sl = QHBoxLayout(switch)
            sl.setContentsMargins(0, 0, 0, 0)
            sl.setSpacing(0)
            self.page_group = QButtonGroup(self)
            for i, text in enumerate((self.tr("Day"), self.tr("Rota and rules"))):
                b = QPushButton(text)
                b.setCheckable(True)
                b.setChecked(i == 0)
                self.page_group.addButton(b, i)
                sl.addWidget(b)
            self.page_group.idClicked.connect(self.show_page)
            head.insertWidget(1, switch)
            head.insertSpacing(1, 16)
        outer.addWidget(self.pages, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._update_actions(None)

    def hint_text(self) -> str:
        return self.tr("Select an appointment. To move it, drag the block, or press Alt+arrows and then Enter.")

    def title(self) -> str:
        return self.tr("Appointments")

    def show_page(self, index: int) -> None:
        """0: the day; 1: the rota and booking rules (managers)."""
        if index == 1 and self.rota is None:
            return
        self.pages.setCurrentIndex(index)
        self.page_group.button(index).setChecked(True)
        if index == 1:
            self.rota.activate()

    # --- loading -----------------------------------------------------------------------------

    def set_day(self, day: date) -> None:
        self.day = day
        self.calendar.select(None)
        self.activate()

    def activate(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        self._seq += 1
        seq = self._seq
        actor, day = self.ctx.actor, self.day
        self.busy.show()
        self.ctx.read(lambda s: appointments.day_plan(s, actor, day), on_result=lambda p: self._loaded(seq, p),
                      on_error=self._failed, owner=self)
        if self.rota is not None and self.pages.currentIndex() == 1:
            self.rota.activate()

    def _tick(self) -> None:
        # waits and the now line move on; not while a block is being moved
        moving = self.calendar.pending is not None or self.calendar._press is not None
        if self.isVisible() and not self.ctx.locked and not self.ctx.runner.busy and not moving:
            self.activate()

    def _loaded(self, seq: int, plan: appointments.DayPlan) -> None:
        if seq != self._seq:
            return
        self.busy.hide()
        if self.ctx.locked:
            return
        self.plan = plan
        keep = self.calendar.selected_id
        self.calendar.set_plan(plan)
        self.model.set_rows(plan.appointments)
        today = plan.day == fmt.local(plan.now).date()
        self.day_title.setText(day_label(plan.day) + (" · " + self.tr("today") if today else ""))
        n = plan.numbers
        self.numbers["booked"].setText(str(n.booked))
        self.numbers["checked_in"].setText(str(n.checked_in))
        self.numbers["waiting"].setText(str(n.waiting))
        self.numbers["average_wait_min"].setText(self.tr("{0} min").format(n.average_wait_min)
                                                 if n.average_wait_min is not None else "–")
        self.queue.show_plan(plan, today)
        chosen = next((a for a in plan.appointments if a.id == keep), None)
        self.calendar.selected_id = chosen.id if chosen else None
        self._selected(chosen)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.fail(exc)

    # --- selection and actions ------------------------------------------------------------------

    def selected(self) -> appointments.DayAppointment | None:
        return self.calendar.selected() if self.calendar.selected_id else None

    def _list_selected(self, row: int) -> None:
        a = self.model.data(self.model.index(row, 0), RowRole) if row >= 0 else None
        if a is not None and a.id != self.calendar.selected_id:
            self.calendar.selected_id = a.id
            self.calendar.update()
            self._selected(a)

    def _selected(self, a: appointments.DayAppointment | None) -> None:
        if a is None and self.plan is not None and self.calendar.selected_id:
            a = next((x for x in self.plan.appointments if x.id == self.calendar.selected_id), None)
        self._update_actions(a)

    def _update_actions(self, a: appointments.DayAppointment | None) -> None:
        now = clock.now()
        if a is None:
            self.selection.setText(self.hint_text())
        else:
            self.selection.setText(self.tr("{0} · {1} · {2} · {3} · {4}").format(
                time_range(a), a.customer, service_name(a.service, a.service_code),
                a.technician or self.tr("not assigned"), label(a.status)))
        self.messages.load(a.id if a is not None else None)
        status = a.status if a is not None else None
        self.check_in_button.setEnabled(status == "booked")
        self.start_button.setEnabled(status == "checked_in")
        self.done_button.setEnabled(status in ("checked_in", "in_service"))
        late = a is not None and now >= a.no_show_from
        self.no_show_button.setEnabled(status == "booked" and late)
        self.no_show_button.setToolTip(
            self.tr("The customer did not come (Ctrl+Shift+N)") if a is None or late or status != "booked"
            else self.tr("Possible from {0}, after the grace period").format(fmt.time_only(a.no_show_from)))
        self.move_button.setEnabled(status in MOVABLE)
        self.cancel_button.setEnabled(status in MOVABLE)

    def _focus_actions(self, _appointment: appointments.DayAppointment) -> None:
        """Enter (or a double-click) on a block: on to its first possible action, which
        Space then confirms; never an action by accident."""
        for b in (self.check_in_button, self.start_button, self.done_button, self.no_show_button,
                  self.move_button):
            if b.isEnabled():
                b.setFocus()
                return

    def _act(self, fn: Callable[[Session, Actor, uuid.UUID], object]) -> None:
        a, actor = self.selected(), self.ctx.actor
        if a is None:
            return
        self.ctx.write(lambda s: fn(s, actor, a.id), on_result=lambda _: None,
                       on_error=self.fail, owner=self)

    def complete_selected(self) -> None:
        """Done; then the customer's opinion, asked on the customer display."""
        a, actor = self.selected(), self.ctx.actor
        if a is None:
            return
        self.ctx.write(lambda s: appointments.complete(s, actor, a.id), on_result=self._completed,
                       on_error=self.fail, owner=self)

    def _completed(self, a: appointments.DayAppointment) -> None:
        if a.customer_id is not None and self.ctx.display.available() and not self.ctx.locked:
            self.ctx.display.ask_survey(appointment_id=a.id, customer_id=a.customer_id, owner=self)

    def check_in(self) -> None:
        a, actor = self.selected(), self.ctx.actor
        if a is None or a.status != "booked":
            return
        self.ctx.write(lambda s: appointments.check_in(s, actor, a.id),
                       on_result=self._checked_in, on_error=self.fail, owner=self)

    def _checked_in(self, result: appointments.CheckIn) -> None:
        if result.needs_intake:
            self.intake_requested.emit(result.appointment)

    def cancel_selected(self) -> None:
        from desktop.qt import QMessageBox
        a, actor = self.selected(), self.ctx.actor
        if a is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Cancel appointment"),
                          self.tr("Cancel {0} at {1}?").format(service_name(a.service, a.service_code), time_range(a)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("cancelAppointmentBox")
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button: QAbstractButton) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.ctx.write(lambda s: appointments.cancel(s, actor, a.id),
                               on_result=lambda _: None, on_error=self.fail, owner=self)
        box.buttonClicked.connect(answered)
        box.open()

    def move(self, a: appointments.DayAppointment, start: datetime, technician_id: uuid.UUID | None) -> None:
        """A block was dragged (or moved with Alt+arrows and Enter)."""
        actor = self.ctx.actor
        self.ctx.write(lambda s: appointments.reschedule(s, actor, a.id, start, technician_id,
                                                         keep_technician=False), on_result=lambda _: None, on_error=self._move_refused, owner=self)

    def _move_refused(self, exc: BaseException) -> None:
        self.calendar.pending = None
        self.calendar.update()
        self.fail(exc)

    def move_dialog(self) -> None:
        a = self.selected()
        if a is None or a.status not in MOVABLE:
            return
        dlg = BookingDialog(self.ctx, a.customer_id, self, appointment=a)
        dlg.open()
        self.last_dialog = dlg

    def new_booking(self) -> None:
        dlg = BookingDialog(self.ctx, None, self, day=self.day)
        dlg.open()
        self.last_dialog = dlg

    # --- lock ------------------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._seq += 1
        self.plan = None
        self.calendar.set_plan(None)
        self.model.clear()
        self.queue.clear_sensitive()
        self.selection.setText(self.hint_text())
        self.messages.clear()
        # the lock has closed and deleted every dialog already (desktop.lockdown)
        if self.last_dialog is not None and shiboken6.isValid(self.last_dialog) and self.last_dialog.isVisible():
            self.last_dialog.reject()
        for lbl in self.numbers.values():
            lbl.setText("–")
        if self.rota is not None:
            self.rota.clear_sensitive()
