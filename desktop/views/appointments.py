"""The technicians' day: a calendar with a column per technician (drag or Alt+arrows to
move an appointment), a list for the counter, the walk-in queue with estimated waits,
today's numbers, and, for managers, the rota (usual week, exceptions) and booking rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# QBrush and QPen are not (yet) exported by desktop.qt; the day view paints with them.
from PySide6.QtGui import QBrush, QPen

from core import appointments, clock, customers
from core.appointments import TemplateView, hhmm, parse_hhmm
from core.errors import ValidationError, ValidationErrors
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors, reason_text, show_error, user_message
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QButtonGroup, QCheckBox, QColor, QComboBox, QDialog, QDialogButtonBox, QFont,
    QFontMetrics, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPainter, QProgressBar, QPushButton, QRect, QScrollArea, QSize, QSpinBox, QStackedWidget, Qt, QTableView,
    QTimer, QVBoxLayout, QWidget, Signal,
)
from desktop.views.base import Screen
from desktop.views.booking import BookingDialog, day_label, error_label, index_of, store_today

UTC = timezone.utc
MOVABLE = ("booked", "checked_in")
REFRESH_MS = 60_000
# two or three buttons that choose one view; the checked one in the accent colour
SEGMENTED = ("QPushButton { border-radius: 0px; } "
             "QPushButton:checked { background-color: #2f855a; color: #ffffff; border-color: #2f855a; }")

# fill, edge (light theme); fill, edge (dark theme)
STATUS_COLOURS = {
    "booked": (("#e3eefb", "#3182ce"), ("#1e3a5f", "#63b3ed")),
    "checked_in": (("#fcf1d6", "#d69e2e"), ("#5a4316", "#f6c35b")),
    "in_service": (("#ede6fb", "#805ad5"), ("#3f2d66", "#b794f4")),
    "completed": (("#e0f2e8", "#38a169"), ("#1f4a33", "#68d391")),
    "no_show": (("#fde4e4", "#e53e3e"), ("#5c2323", "#fc8181")),
    "cancelled": (("#eef1f4", "#a0aec0"), ("#2d3748", "#718096")),
}


def status_colours(status: str, dark: bool) -> tuple[QColor, QColor]:
    fill, edge = STATUS_COLOURS.get(status, STATUS_COLOURS["booked"])[1 if dark else 0]
    return QColor(fill), QColor(edge)


def time_range(a) -> str:
    return f"{fmt.time_only(a.starts_at)}–{fmt.time_only(a.service_ends_at)}"


# =========================================================================================
# The calendar: one column per technician
# =========================================================================================

class DayView(QWidget):
    """Appointments as blocks in technicians' columns. Click selects; drag moves (snapped
    to the store's slot step); keyboard: arrows select, Alt+Up/Down moves the selected
    block by one step, Alt+Left/Right to the next technician, Enter confirms, Esc undoes.
    The move itself is the core's decision: ``move_requested`` asks for it."""

    selection_changed = Signal(object)                  # DayAppointment | None
    move_requested = Signal(object, object, object)     # DayAppointment, new start (UTC), technician id
    activated = Signal(object)                          # Enter or double-click on a block

    HEADER, GUTTER, COL_MIN, PX_PER_MIN, PAD = 48, 58, 130, 1.25, 10

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dayView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(self.tr("Day calendar"))
        self.plan = None
        self.columns: list = []            # DayTechnician, or None for "not assigned"
        self.top: datetime | None = None
        self.bottom: datetime | None = None
        self.step_min = 15
        self.selected_id = None
        self.pending = None                # (appointment, start, column index) while moving
        self._press = None                 # (appointment, press position)
        self._dragging = False

    # --- data ------------------------------------------------------------------------------

    def set_plan(self, plan) -> None:
        self.plan = plan
        self.pending = None
        self._press, self._dragging = None, False
        if plan is None:
            self.columns, self.top, self.bottom = [], None, None
            self.selected_id = None
        else:
            self.step_min = plan.settings.slot_step_min
            self.columns = list(plan.technicians)
            if any(a.technician_id is None for a in self.blocks()):
                self.columns.append(None)
            self._bounds(plan)
            if self.selected() is None:
                self.selected_id = None
        self.updateGeometry()
        self.update()

    def _bounds(self, plan) -> None:
        tz = ZoneInfo(plan.timezone)
        edges = [t for t in (plan.opens_at, plan.closes_at) if t is not None]
        for t in plan.technicians:
            for a, b in t.work:
                edges += [a, b]
        for a in self.blocks():
            edges += [a.starts_at, a.ends_at]
        day_start = datetime.combine(plan.day, datetime.min.time(), tz)
        day_end = datetime.combine(plan.day + timedelta(days=1), datetime.min.time(), tz)
        if not edges:
            edges = [day_start.replace(hour=9), day_start.replace(hour=19)]
        lo = max(min(edges), day_start.astimezone(UTC))
        hi = min(max(edges), day_end.astimezone(UTC))
        lo_local = lo.astimezone(tz).replace(minute=0, second=0, microsecond=0)
        hi_local = hi.astimezone(tz)
        if hi_local.minute or hi_local.second:
            hi_local = hi_local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        self.top, self.bottom = lo_local.astimezone(UTC), min(hi_local.astimezone(UTC), day_end.astimezone(UTC))
        if self.bottom <= self.top:
            self.bottom = self.top + timedelta(hours=1)

    def blocks(self) -> list:
        if self.plan is None:
            return []
        return [a for a in self.plan.appointments if a.status != "cancelled"]

    def selected(self):
        return next((a for a in self.blocks() if a.id == self.selected_id), None)

    def select(self, appointment) -> None:
        new = appointment.id if appointment is not None else None
        if new != self.selected_id or self.pending is not None:
            self.selected_id = new
            self.pending = None
            self.update()
            self.selection_changed.emit(appointment)

    def column_of(self, appointment) -> int:
        for i, t in enumerate(self.columns):
            if (t.id if t is not None else None) == appointment.technician_id:
                return i
        return 0

    # --- geometry --------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        minutes = (self.bottom - self.top).total_seconds() / 60 if self.top else 600
        return QSize(self.GUTTER + max(1, len(self.columns)) * self.COL_MIN,
                     int(self.HEADER + self.PAD + minutes * self.PX_PER_MIN) + 12)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def col_width(self) -> float:
        return max(self.COL_MIN, (self.width() - self.GUTTER) / max(1, len(self.columns)))

    def y_of(self, t: datetime) -> int:
        return int(self.HEADER + self.PAD + (t - self.top).total_seconds() / 60 * self.PX_PER_MIN)

    def column_at(self, x: float) -> int:
        return max(0, min(len(self.columns) - 1, int((x - self.GUTTER) // self.col_width())))

    def block_rect(self, a, start: datetime | None = None, col: int | None = None) -> QRect:
        start = start or a.starts_at
        col = self.column_of(a) if col is None else col
        x = int(self.GUTTER + col * self.col_width())
        y0 = self.y_of(start)
        y1 = self.y_of(start + (a.ends_at - a.starts_at))
        return QRect(x + 4, y0 + 1, int(self.col_width()) - 8, max(14, y1 - y0 - 2))

    def appointment_at(self, pos):
        hits = [a for a in self.blocks() if self.block_rect(a).contains(pos)]
        return hits[-1] if hits else None

    def snap(self, t: datetime) -> datetime:
        step = self.step_min * 60
        ts = round(t.timestamp() / step) * step
        return datetime.fromtimestamp(ts, UTC)

    # --- painting --------------------------------------------------------------------------

    def _dark(self) -> bool:
        return self.palette().color(self.foregroundRole()).lightness() > 128

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        dark = self._dark()
        bg = QColor("#1f2630" if dark else "#ffffff")
        off = QColor("#2a323d" if dark else "#f1f3f6")
        grid = QColor("#3a4451" if dark else "#e3e8ee")
        text = QColor("#e2e8f0" if dark else "#1f2933")
        muted = QColor("#a0aec0" if dark else "#5f6b7a")
        p.fillRect(self.rect(), bg)
        if self.plan is None or not self.columns:
            p.setPen(muted)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                       self.tr("Nobody is on the rota on this day.") if self.plan is not None else "")
            return
        tz = ZoneInfo(self.plan.timezone)
        cw = self.col_width()
        height = self.height()
        # columns: off shift shaded, work white, breaks hatched
        for i, t in enumerate(self.columns):
            x = int(self.GUTTER + i * cw)
            p.fillRect(QRect(x, self.HEADER, int(cw), height - self.HEADER), off)
            if t is None:
                continue
            for a, b in t.work:
                p.fillRect(QRect(x, self.y_of(max(a, self.top)), int(cw),
                                 self.y_of(min(b, self.bottom)) - self.y_of(max(a, self.top))), bg)
            for stretches, text_ in ((t.breaks, self.tr("Break")), (t.absences, self.tr("Away"))):
                for a, b in stretches:
                    r = QRect(x, self.y_of(max(a, self.top)), int(cw),
                              self.y_of(min(b, self.bottom)) - self.y_of(max(a, self.top)))
                    if stretches is t.absences:
                        p.fillRect(r, off)
                    p.fillRect(r, QBrush(grid, Qt.BrushStyle.BDiagPattern))
                    p.setPen(muted)
                    p.drawText(r.adjusted(8, 2, -4, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                               text_)
        # hours down the side (local clock; a DST day simply has one hour more or less)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        p.setFont(small)
        hour = self.top.astimezone(tz).replace(minute=0, second=0, microsecond=0)
        while hour.astimezone(UTC) <= self.bottom:
            y = self.y_of(hour.astimezone(UTC))
            p.setPen(grid)
            p.drawLine(self.GUTTER, y, self.width(), y)
            p.setPen(muted)
            p.drawText(QRect(0, y - 8, self.GUTTER - 8, 16),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, fmt.time_only(hour.astimezone(UTC)))
            hour = (hour.astimezone(UTC) + timedelta(hours=1)).astimezone(tz)
        # header: technicians
        p.fillRect(QRect(0, 0, self.width(), self.HEADER), bg)
        p.setPen(grid)
        p.drawLine(0, self.HEADER, self.width(), self.HEADER)
        bold = QFont(self.font())
        bold.setBold(True)
        for i, t in enumerate(self.columns):
            x = int(self.GUTTER + i * cw)
            p.setPen(grid)
            p.drawLine(x, 0, x, height)
            p.setPen(text)
            p.setFont(bold)
            name = t.name if t is not None else self.tr("Not assigned")
            fm = QFontMetrics(bold)
            p.drawText(QRect(x + 8, 4, int(cw) - 12, 22), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(name, Qt.TextElideMode.ElideRight, int(cw) - 12))
            if t is not None:
                p.setFont(small)
                p.setPen(muted)
                p.drawText(QRect(x + 8, 24, int(cw) - 12, 20),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           QFontMetrics(small).elidedText(", ".join(t.skills), Qt.TextElideMode.ElideRight,
                                                          int(cw) - 12))
        # now
        now = clock.now()
        if self.top <= now <= self.bottom:
            y = self.y_of(now)
            p.setPen(QPen(QColor("#e53e3e"), 2))
            p.drawLine(self.GUTTER - 4, y, self.width(), y)
        # appointments
        for a in self.blocks():
            self._paint_block(p, a, self.block_rect(a), dark, text, muted, small, bold,
                              selected=a.id == self.selected_id, ghost=False)
        if self.pending is not None:
            a, start, col = self.pending
            self._paint_block(p, a, self.block_rect(a, start, col), dark, text, muted, small, bold,
                              selected=True, ghost=True)
        p.end()

    def _paint_block(self, p, a, r: QRect, dark, text, muted, small, bold, *, selected: bool, ghost: bool) -> None:
        fill, edge = status_colours(a.status, dark)
        if ghost:
            fill.setAlpha(150)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(r, 5, 5)
        # the buffer after the service, lighter
        service_px = int((a.service_ends_at - a.starts_at).total_seconds() / 60 * self.PX_PER_MIN)
        if service_px < r.height():
            buf = QRect(r.left(), r.top() + service_px, r.width(), r.height() - service_px)
            shade = QColor(edge)
            shade.setAlpha(40)
            p.fillRect(buf.adjusted(4, 0, 0, -1), shade)
        p.fillRect(QRect(r.left(), r.top() + 2, 4, r.height() - 4), edge)
        if selected:
            pen = QPen(edge, 2)
            if ghost:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 5, 5)
        inner = r.adjusted(10, 3, -6, -2)
        start = self.pending[1] if ghost and self.pending else a.starts_at
        when = f"{fmt.time_only(start)}–{fmt.time_only(start + (a.service_ends_at - a.starts_at))}"
        lines = [(bold, text, a.customer or self.tr("(no name)")), (small, muted, f"{when} · {a.service}"),
                 (small, edge, label(a.status))]
        y = inner.top()
        for font, colour, line in lines:
            fm = QFontMetrics(font)
            if y + fm.height() > inner.bottom() + 2:
                break
            p.setFont(font)
            p.setPen(colour)
            p.drawText(QRect(inner.left(), y, inner.width(), fm.height()), Qt.AlignmentFlag.AlignLeft,
                       fm.elidedText(line, Qt.TextElideMode.ElideRight, inner.width()))
            y += fm.height()

    # --- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        self.setFocus()
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        a = self.appointment_at(pos)
        self.select(a)
        self._press = (a, pos) if a is not None and a.status in MOVABLE else None
        self._dragging = False

    def mouseMoveEvent(self, event) -> None:
        pos = event.position().toPoint()
        if self._press is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            hit = self.appointment_at(pos)
            self.setToolTip(self._describe(hit) if hit is not None else "")
            return
        a, origin = self._press
        if not self._dragging and (pos - origin).manhattanLength() < 6:
            return
        self._dragging = True
        start = self.snap(a.starts_at + timedelta(minutes=(pos.y() - origin.y()) / self.PX_PER_MIN))
        self.pending = (a, start, self.column_at(pos.x()))
        self.update()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        dragged = self._dragging
        self._press, self._dragging = None, False
        if dragged:
            self.confirm_move()

    def mouseDoubleClickEvent(self, event) -> None:
        a = self.appointment_at(event.position().toPoint())
        if a is not None:
            self.activated.emit(a)

    def _describe(self, a) -> str:
        who = self.columns[self.column_of(a)]
        return self.tr("{0} · {1} · {2} · {3} with {4}").format(
            time_range(a), a.customer, a.service, label(a.status), who.name if who else self.tr("nobody"))

    # --- keyboard ----------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.nudge(key)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.pending is not None:
                self.confirm_move()
            elif self.selected() is not None:
                self.activated.emit(self.selected())
            return
        if key == Qt.Key.Key_Escape and self.pending is not None:
            self.pending = None
            self.update()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home):
            self.step_selection(key)
            return
        super().keyPressEvent(event)

    def nudge(self, key) -> None:
        """Move the pending position of the selected block one step (Alt+arrows)."""
        a = self.selected()
        if a is None or a.status not in MOVABLE:
            return
        _, start, col = self.pending or (a, a.starts_at, self.column_of(a))
        if key == Qt.Key.Key_Up:
            start -= timedelta(minutes=self.step_min)
        elif key == Qt.Key.Key_Down:
            start += timedelta(minutes=self.step_min)
        elif key == Qt.Key.Key_Left:
            col = max(0, col - 1)
        else:
            col = min(len(self.columns) - 1, col + 1)
        self.pending = (a, start, col)
        self.update()

    def step_selection(self, key) -> None:
        blocks = sorted(self.blocks(), key=lambda b: (self.column_of(b), b.starts_at))
        if not blocks:
            return
        cur = self.selected()
        if cur is None or key == Qt.Key.Key_Home:
            self.select(blocks[0])
            return
        col = self.column_of(cur)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            same = [b for b in blocks if self.column_of(b) == col]
            i = same.index(cur) + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= i < len(same):
                self.select(same[i])
            return
        step = 1 if key == Qt.Key.Key_Right else -1
        c = col + step
        while 0 <= c < len(self.columns):
            there = [b for b in blocks if self.column_of(b) == c]
            if there:
                self.select(min(there, key=lambda b: abs((b.starts_at - cur.starts_at).total_seconds())))
                return
            c += step

    def confirm_move(self) -> None:
        if self.pending is None:
            return
        a, start, col = self.pending
        tech = self.columns[col]
        tech_id = tech.id if tech is not None else None
        if start == a.starts_at and tech_id == a.technician_id:
            self.pending = None
            self.update()
            return
        self.move_requested.emit(a, start, tech_id)


# =========================================================================================
# Adding a walk-in
# =========================================================================================

class WalkInDialog(QDialog):
    """Someone without a booking: a customer found by name or phone, or just a name."""

    def __init__(self, ctx, parent=None):
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

        def row(field, text, widget):
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

    def _loaded(self, result) -> None:
        services, techs = result
        for sv in services:
            self.service.addItem(self.tr("{0} · {1} min").format(sv.name, sv.duration_min), sv.id)
        for t in techs:
            self.technician.addItem(t.name, t.id)

    def _find(self) -> None:
        text, actor = self.name.text(), self.ctx.actor
        self.ctx.read(lambda s: customers.search(s, actor, text, limit=20), on_result=self._found,
                      on_error=self._failed, owner=self)

    def _found(self, rows) -> None:
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
                                                          name=None if cid else name, technician_id=tech, note=note),
                       changes={"walk_in"}, on_result=self._done, on_error=self._refused, owner=self)

    def _done(self, entry) -> None:
        self.result_entry = entry
        self.accept()

    def _refused(self, exc) -> None:
        self.add_button.setEnabled(True)
        if not self.fields.show(exc):
            self.fields.general.setText(user_message(exc))
            self.fields.general.show()

    def _failed(self, exc) -> None:
        self.fields.general.setText(user_message(exc))
        self.fields.general.show()


# =========================================================================================
# The rota and the booking rules (managers)
# =========================================================================================

class RotaPanel(QWidget):
    """A technician's usual week (one stretch of work and one break a day), exceptions
    such as sick days, their skills; the store's booking rules."""

    DAYS = 56

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("rotaPanel")
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # let the window's colour (light or dark theme) show through
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget#rotaBody { background: transparent; }")
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("rotaBody")
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 8, 8, 8)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Technician")))
        self.tech = QComboBox()
        self.tech.setObjectName("rotaTechnician")
        self.tech.setMinimumWidth(220)
        self.tech.currentIndexChanged.connect(lambda _: self.load_person())
        top.addWidget(self.tech)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("Skills")))
        self.skills = QLineEdit()
        self.skills.setObjectName("rotaSkills")
        self.skills.setPlaceholderText(self.tr("e.g. screen, battery, setup"))
        top.addWidget(self.skills, 1)
        self.save_skills = QPushButton(self.tr("Save skills"))
        self.save_skills.clicked.connect(self._save_skills)
        self.save_skills.setVisible(ctx.can(Perm.MANAGE_STAFF))
        self.skills.setReadOnly(not ctx.can(Perm.MANAGE_STAFF))
        top.addWidget(self.save_skills)
        lay.addLayout(top)

        week = QGroupBox(self.tr("Usual week"))
        grid = QGridLayout(week)
        for c, head in enumerate((self.tr("Day"), self.tr("From"), self.tr("To"), self.tr("Break from"),
                                  self.tr("Break to"))):
            h = QLabel(head)
            h.setObjectName("tileCaption")
            grid.addWidget(h, 0, c)
        self.week_rows = []
        names = (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"), self.tr("Thursday"),
                 self.tr("Friday"), self.tr("Saturday"), self.tr("Sunday"))
        for wd, name in enumerate(names):
            works = QCheckBox(name)
            edits = [QLineEdit() for _ in range(4)]
            for e in edits:
                e.setPlaceholderText("hh:mm")
                e.setMaxLength(5)
                e.setMaximumWidth(90)
            grid.addWidget(works, wd + 1, 0)
            for c, e in enumerate(edits):
                grid.addWidget(e, wd + 1, c + 1)
            works.toggled.connect(lambda on, edits=edits: [e.setEnabled(on) for e in edits])
            self.week_rows.append((works, edits))
        grid.setColumnStretch(5, 1)
        self.week_error = error_label()
        grid.addWidget(self.week_error, 9, 0, 1, 5)
        self.save_week = QPushButton(self.tr("Save week"))
        self.save_week.setObjectName("primary")
        self.save_week.clicked.connect(self._save_week)
        grid.addWidget(self.save_week, 10, 4)
        lay.addWidget(week)

        exc = QGroupBox(self.tr("Exceptions: sick days, changed hours, extra breaks"))
        ex = QVBoxLayout(exc)
        self.exc_model = RowsModel([
            Column(self.tr("Day"), lambda r: day_label(fmt.local(r.starts_at).date()), sort_key=lambda r: r.starts_at),
            Column(self.tr("What"), lambda r: self._kind_text(r.kind)),
            Column(self.tr("From"), lambda r: fmt.time_only(r.starts_at)),
            Column(self.tr("To"), lambda r: fmt.time_only(r.ends_at)),
            Column(self.tr("Note"), lambda r: r.note)], self)
        self.exc_table = QTableView()
        self.exc_table.setObjectName("rotaExceptions")
        self.exc_table.setModel(self.exc_model)
        self.exc_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.exc_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.exc_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.exc_table.verticalHeader().hide()
        self.exc_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.exc_table.setMinimumHeight(140)
        ex.addWidget(self.exc_table)
        add = QHBoxLayout()
        self.exc_day = QComboBox()
        self.exc_kind = QComboBox()
        for code in ("absence", "work", "break"):
            self.exc_kind.addItem(self._kind_text(code), code)
        self.exc_from, self.exc_to = QLineEdit(), QLineEdit()
        for e in (self.exc_from, self.exc_to):
            e.setPlaceholderText("hh:mm")
            e.setMaxLength(5)
            e.setMaximumWidth(90)
        self.exc_note = QLineEdit()
        self.exc_note.setPlaceholderText(self.tr("Note (e.g. sick, training)"))
        self.add_exc = QPushButton(self.tr("Add"))
        self.add_exc.clicked.connect(self._add_exception)
        self.remove_exc = QPushButton(self.tr("Remove"))
        self.remove_exc.clicked.connect(self._remove_exception)
        for w in (self.exc_day, self.exc_kind, self.exc_from, self.exc_to):
            add.addWidget(w)
        add.addWidget(self.exc_note, 1)
        add.addWidget(self.add_exc)
        add.addWidget(self.remove_exc)
        ex.addLayout(add)
        self.exc_hint = QLabel(self.tr("A sick day without times covers the whole day. Changed hours replace the "
                                       "usual week on that day."))
        self.exc_hint.setObjectName("summary")
        self.exc_hint.setWordWrap(True)
        ex.addWidget(self.exc_hint)
        self.exc_error = error_label()
        ex.addWidget(self.exc_error)
        lay.addWidget(exc)

        self.rules = QGroupBox(self.tr("Booking rules"))
        rf = QFormLayout(self.rules)
        self.notice = QSpinBox()
        self.notice.setObjectName("minNotice")
        self.notice.setRange(0, appointments.MIN_NOTICE_MAX)
        self.notice.setSuffix(self.tr(" min"))
        self.grace = QSpinBox()
        self.grace.setObjectName("noShowGrace")
        self.grace.setRange(0, appointments.GRACE_MAX)
        self.grace.setSuffix(self.tr(" min"))
        self.rules_fields = FieldErrors(general=error_label())
        for field, text, w in (("min_notice_min", self.tr("Minimum notice for a booking"), self.notice),
                               ("no_show_grace_min", self.tr("No-show after (grace period)"), self.grace)):
            box = QVBoxLayout()
            box.addWidget(w)
            err = QLabel()
            box.addWidget(err)
            self.rules_fields.bind(field, err, w)
            rf.addRow(text, box)
        self.save_rules = QPushButton(self.tr("Save rules"))
        self.save_rules.clicked.connect(self._save_rules)
        rf.addRow(self.rules_fields.general)
        rf.addRow("", self.save_rules)
        self.rules.setVisible(ctx.can(Perm.MANAGE_SETTINGS))
        lay.addWidget(self.rules)
        lay.addStretch(1)
        self._techs = []

    def _kind_text(self, code: str) -> str:
        return {"absence": self.tr("Sick day / absence"), "work": self.tr("Changed hours"),
                "break": self.tr("Extra break")}.get(code, code)

    def activate(self) -> None:
        actor = self.ctx.actor
        if actor is None:
            return
        today = store_today(self.ctx)
        self.exc_day.clear()
        for i in range(self.DAYS):
            d = today + timedelta(days=i)
            self.exc_day.addItem(day_label(d), d)
        self.ctx.read(lambda s: (appointments.list_technicians(s, actor),
                                 appointments.appointment_settings(s, actor)),
                      on_result=self._loaded, on_error=self._failed, owner=self)

    def _loaded(self, result) -> None:
        techs, rules = result
        keep = self.tech.currentData()
        self._techs = techs
        self.tech.blockSignals(True)
        self.tech.clear()
        for t in techs:
            self.tech.addItem(t.name, t.id)
        if keep is not None and index_of(self.tech, keep) >= 0:
            self.tech.setCurrentIndex(index_of(self.tech, keep))
        self.tech.blockSignals(False)
        self.notice.setValue(rules.min_notice_min)
        self.grace.setValue(rules.no_show_grace_min)
        self.load_person()

    def load_person(self) -> None:
        sid, actor = self.tech.currentData(), self.ctx.actor
        if sid is None:
            return
        person = next((t for t in self._techs if t.id == sid), None)
        self.skills.setText(", ".join(person.skills) if person else "")
        today = store_today(self.ctx)
        last = today + timedelta(days=self.DAYS)
        self.ctx.read(lambda s: (appointments.week_template(s, actor, sid),
                                 appointments.list_exceptions(s, actor, sid, today, last)),
                      on_result=self._person_loaded, on_error=self._failed, owner=self)

    def _person_loaded(self, result) -> None:
        rows, exceptions = result
        for wd, (works, edits) in enumerate(self.week_rows):
            work = next((r for r in rows if r.weekday == wd and r.kind == "work"), None)
            brk = next((r for r in rows if r.weekday == wd and r.kind == "break"), None)
            works.setChecked(work is not None)
            for e in edits:
                e.setEnabled(work is not None)
            edits[0].setText(hhmm(work.start_minute) if work else "")
            edits[1].setText(hhmm(work.end_minute) if work else "")
            edits[2].setText(hhmm(brk.start_minute) if brk else "")
            edits[3].setText(hhmm(brk.end_minute) if brk else "")
        self.exc_model.set_rows(exceptions)

    def week_values(self) -> list[TemplateView]:
        """The grid as template rows; raises ValueError(weekday) for a time that is not hh:mm."""
        out = []
        for wd, (works, edits) in enumerate(self.week_rows):
            if not works.isChecked():
                continue
            try:
                out.append(TemplateView(wd, "work", parse_hhmm(edits[0].text()), parse_hhmm(edits[1].text())))
                if edits[2].text().strip() or edits[3].text().strip():
                    out.append(TemplateView(wd, "break", parse_hhmm(edits[2].text()),
                                            parse_hhmm(edits[3].text())))
            except (ValueError, TypeError):
                raise ValueError(wd) from None
        return out

    def _show(self, target: QLabel, exc: BaseException) -> None:
        """A refusal of the week names the day it is about."""
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, ValidationError) else []
        days = {code: self.week_rows[i][0].text() for i, code in enumerate(appointments.WEEKDAYS)}
        if errors and all(e.field in days for e in errors):
            target.setText("; ".join(f"{days[e.field]}: {reason_text(e)}" for e in errors))
        else:
            target.setText(user_message(exc))
        target.show()

    def _save_week(self) -> None:
        self.week_error.hide()
        sid, actor = self.tech.currentData(), self.ctx.actor
        if sid is None:
            return
        try:
            rows = self.week_values()
        except ValueError as e:
            self.week_error.setText(self.tr("{0}: enter times as hh:mm, e.g. 09:30").format(
                self.week_rows[e.args[0]][0].text()))
            self.week_error.show()
            return
        self.ctx.write(lambda s: appointments.set_week_template(s, actor, sid, rows), changes={"shift_template"},
                       on_result=lambda _: self.load_person(), on_error=lambda e: self._show(self.week_error, e),
                       owner=self)

    def _save_skills(self) -> None:
        sid, actor = self.tech.currentData(), self.ctx.actor
        skills = [k for k in self.skills.text().replace("，", ",").split(",")]
        self.ctx.write(lambda s: appointments.set_skills(s, actor, sid, skills), changes={"staff"},
                       on_result=lambda _: self.activate(), on_error=lambda e: self._show(self.week_error, e),
                       owner=self)

    def _add_exception(self) -> None:
        self.exc_error.hide()
        sid, actor = self.tech.currentData(), self.ctx.actor
        day, kind, note = self.exc_day.currentData(), self.exc_kind.currentData(), self.exc_note.text()
        try:
            a = parse_hhmm(self.exc_from.text()) if self.exc_from.text().strip() else None
            b = parse_hhmm(self.exc_to.text()) if self.exc_to.text().strip() else None
        except ValueError:
            self.exc_error.setText(self.tr("Enter times as hh:mm, e.g. 09:30"))
            self.exc_error.show()
            return
        self.ctx.write(lambda s: appointments.add_exception(s, actor, sid, day, kind, a, b, note), changes={"shift"},
                       on_result=lambda _: self._exception_added(), on_error=lambda e: self._show(self.exc_error, e),
                       owner=self)

    def _exception_added(self) -> None:
        self.exc_from.clear()
        self.exc_to.clear()
        self.exc_note.clear()
        self.load_person()

    def _remove_exception(self) -> None:
        idx = self.exc_table.currentIndex()
        row = self.exc_model.data(self.exc_model.index(idx.row(), 0), RowRole) if idx.isValid() else None
        if row is None:
            return
        actor = self.ctx.actor
        self.ctx.write(lambda s: appointments.remove_exception(s, actor, row.id), changes={"shift"},
                       on_result=lambda _: self.load_person(), on_error=lambda e: self._show(self.exc_error, e),
                       owner=self)

    def _save_rules(self) -> None:
        self.rules_fields.clear()
        actor, notice, grace = self.ctx.actor, self.notice.value(), self.grace.value()
        self.ctx.write(lambda s: appointments.set_appointment_settings(s, actor, min_notice_min=notice,
                                                                       no_show_grace_min=grace),
                       changes={"store"}, on_result=lambda _: None,
                       on_error=lambda e: self.rules_fields.show(e) or self._show(self.week_error, e), owner=self)

    def _failed(self, exc) -> None:
        show_error(self, exc)

    def clear_sensitive(self) -> None:
        self.exc_model.clear()


# =========================================================================================
# The screen
# =========================================================================================

class AppointmentsScreen(Screen):
    key, icon, perm = "appointments", "calendar", Perm.BOOK_APPOINTMENTS
    watches = ("appointment", "walk_in", "shift", "shift_template", "service_type", "staff", "store", "customer")
    intake_requested = Signal(object)      # a repair appointment whose customer is here: open repair intake

    def __init__(self, ctx, parent=None):
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
        nav = QHBoxLayout()
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
        for b in (self.prev_day, self.today_button, self.next_day):
            nav.addWidget(b)
        self.day_title = QLabel()
        self.day_title.setObjectName("dayTitle")
        self.day_title.setStyleSheet("font-size: 16px; font-weight: 600; padding-left: 8px;")
        nav.addWidget(self.day_title)
        nav.addStretch(1)
        self.day_button = QPushButton(self.tr("Calendar"))
        self.day_button.setToolTip(self.tr("Technicians side by side (Ctrl+D)"))
        self.day_button.setShortcut("Ctrl+D")
        self.list_button = QPushButton(self.tr("List"))
        self.list_button.setToolTip(self.tr("The day as a list for the counter (Ctrl+L)"))
        self.list_button.setShortcut("Ctrl+L")
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
        nav.addWidget(views)
        self.day_button.setChecked(True)
        self.view_group.idClicked.connect(lambda i: self.views.setCurrentIndex(i))
        left.addLayout(nav)
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
        self.model = RowsModel(self._columns(), self)
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
        legend = QHBoxLayout()
        legend.setSpacing(14)
        for status in ("booked", "checked_in", "in_service", "completed", "no_show"):
            _, edge = STATUS_COLOURS[status][0]
            chip = QLabel(label(status))
            chip.setObjectName("legend")
            chip.setStyleSheet(f"QLabel#legend {{ border-left: 4px solid {edge}; padding: 0px 6px; }}")
            legend.addWidget(chip)
        legend.addStretch(1)
        left.addLayout(legend)

        actions = QFrame()
        actions.setObjectName("detailPanel")
        al = QVBoxLayout(actions)
        al.setContentsMargins(12, 8, 12, 8)
        al.setSpacing(6)
        self.selection = QLabel()
        self.selection.setObjectName("selectionText")
        self.selection.setWordWrap(True)
        al.addWidget(self.selection)
        buttons = QHBoxLayout()
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
        self.done_button.clicked.connect(lambda: self._act(appointments.complete))
        self.no_show_button.clicked.connect(lambda: self._act(appointments.mark_no_show))
        self.move_button.clicked.connect(self.move_dialog)
        self.cancel_button.clicked.connect(self.cancel_selected)
        for b in (self.check_in_button, self.start_button, self.done_button, self.no_show_button,
                  self.move_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        al.addLayout(buttons)
        left.addWidget(actions)
        body.addLayout(left, 1)

        right = QVBoxLayout()
        right.setSpacing(10)
        # today's numbers at a glance
        glance = QFrame()
        glance.setObjectName("detailPanel")
        glance.setFixedWidth(400)
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

        # the walk-in queue
        queue = QFrame()
        queue.setObjectName("detailPanel")
        queue.setFixedWidth(400)
        ql = QVBoxLayout(queue)
        ql.setContentsMargins(12, 10, 12, 10)
        qh = QLabel(self.tr("Walk-in queue"))
        qh.setObjectName("queueTitle")
        qh.setStyleSheet("font-size: 16px; font-weight: 600;")
        ql.addWidget(qh)
        self.queue_model = RowsModel([
            Column(self.tr("Name"), lambda r: r.name),
            Column(self.tr("Service"), lambda r: r.service),
            Column(self.tr("Here"), lambda r: self.tr("{0} min").format(r.waited_min),
                   sort_key=lambda r: r.waited_min, align_right=True),
            Column(self.tr("Wait"), lambda r: self._estimate(r), sort_key=lambda r: (r.estimated_wait_min is None,
                                                                                      r.estimated_wait_min or 0),
                   align_right=True)], self)
        self.queue_table = QTableView()
        self.queue_table.setObjectName("walkInQueue")
        self.queue_table.setModel(self.queue_model)
        self.queue_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue_table.verticalHeader().hide()
        self.queue_table.setWordWrap(False)
        hh = self.queue_table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        hh.resizeSection(1, 100)
        ql.addWidget(self.queue_table, 1)
        self.queue_note = QLabel()
        self.queue_note.setObjectName("summary")
        self.queue_note.setWordWrap(True)
        ql.addWidget(self.queue_note)
        self.add_walk_in_button = QPushButton(self.tr("Add walk-in…"))
        self.add_walk_in_button.setToolTip(self.tr("Someone without a booking (Ctrl+Shift+W)"))
        self.add_walk_in_button.setShortcut("Ctrl+Shift+W")
        self.add_walk_in_button.clicked.connect(self.add_walk_in)
        ql.addWidget(self.add_walk_in_button)
        tech_row = QHBoxLayout()
        tech_row.addWidget(QLabel(self.tr("Technician")))
        self.queue_tech = QComboBox()
        self.queue_tech.setObjectName("queueTechnician")
        self.queue_tech.addItem(self.tr("Whoever is free"), None)
        tech_row.addWidget(self.queue_tech, 1)
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
        self.queue_status = QLabel()
        self.queue_status.setObjectName("summary")
        self.queue_status.setWordWrap(True)
        ql.addWidget(self.queue_status)
        self.queue_error = error_label()
        ql.addWidget(self.queue_error)
        right.addWidget(queue, 1)
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

    def _columns(self):
        return [Column(self.tr("Time"), lambda r: fmt.time_only(r.starts_at), sort_key=lambda r: r.starts_at),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Service"), lambda r: r.service),
                Column(self.tr("Technician"), lambda r: r.technician),
                Column(self.tr("Status"), self._status_text, sort_key=lambda r: (r.status, r.starts_at),
                       foreground=lambda r: status_colours(r.status, False)[1])]

    def _status_text(self, r) -> str:
        if r.checked_in_at is not None and r.status in ("checked_in", "in_service"):
            return self.tr("{0} {1}").format(label(r.status), fmt.time_only(r.checked_in_at))
        return label(r.status)

    def _estimate(self, entry) -> str:
        if entry.estimated_wait_min is None:
            return self.tr("not today")
        if entry.estimated_wait_min == 0:
            return self.tr("now")
        return self.tr("~{0} min").format(entry.estimated_wait_min)

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

    def _loaded(self, seq: int, plan) -> None:
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
        self.queue_model.set_rows(plan.queue)
        self.queue_note.setText("" if today else self.tr("The queue is for today."))
        keep_tech = self.queue_tech.currentData()
        self.queue_tech.blockSignals(True)
        while self.queue_tech.count() > 1:
            self.queue_tech.removeItem(1)
        for t in plan.technicians:
            self.queue_tech.addItem(t.name, t.id)
        if keep_tech is not None and index_of(self.queue_tech, keep_tech) >= 0:
            self.queue_tech.setCurrentIndex(index_of(self.queue_tech, keep_tech))
        self.queue_tech.blockSignals(False)
        for b in (self.call_next_button, self.add_walk_in_button, self.assign_button, self.left_button):
            b.setEnabled(today)
        chosen = next((a for a in plan.appointments if a.id == keep), None)
        self.calendar.selected_id = chosen.id if chosen else None
        self._selected(chosen)

    def _failed(self, exc) -> None:
        self.busy.hide()
        self.fail(exc)

    # --- selection and actions ------------------------------------------------------------------

    def selected(self):
        return self.calendar.selected() if self.calendar.selected_id else None

    def _list_selected(self, row: int) -> None:
        a = self.model.data(self.model.index(row, 0), RowRole) if row >= 0 else None
        if a is not None and a.id != self.calendar.selected_id:
            self.calendar.selected_id = a.id
            self.calendar.update()
            self._selected(a)

    def _selected(self, a) -> None:
        if a is None and self.plan is not None and self.calendar.selected_id:
            a = next((x for x in self.plan.appointments if x.id == self.calendar.selected_id), None)
        self._update_actions(a)

    def _update_actions(self, a) -> None:
        now = clock.now()
        if a is None:
            self.selection.setText(self.hint_text())
        else:
            self.selection.setText(self.tr("{0} · {1} · {2} · {3} · {4}").format(
                time_range(a), a.customer, a.service, a.technician or self.tr("not assigned"), label(a.status)))
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

    def _focus_actions(self, _appointment) -> None:
        """Enter (or a double-click) on a block: on to its first possible action, which
        Space then confirms; never an action by accident."""
        for b in (self.check_in_button, self.start_button, self.done_button, self.no_show_button,
                  self.move_button):
            if b.isEnabled():
                b.setFocus()
                return

    def _act(self, fn) -> None:
        a, actor = self.selected(), self.ctx.actor
        if a is None:
            return
        self.ctx.write(lambda s: fn(s, actor, a.id), changes={"appointment"}, on_result=lambda _: None,
                       on_error=self.fail, owner=self)

    def check_in(self) -> None:
        a, actor = self.selected(), self.ctx.actor
        if a is None or a.status != "booked":
            return
        self.ctx.write(lambda s: appointments.check_in(s, actor, a.id), changes={"appointment"},
                       on_result=self._checked_in, on_error=self.fail, owner=self)

    def _checked_in(self, result) -> None:
        if result.needs_intake:
            self.intake_requested.emit(result.appointment)

    def cancel_selected(self) -> None:
        from desktop.qt import QMessageBox
        a, actor = self.selected(), self.ctx.actor
        if a is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Cancel appointment"),
                          self.tr("Cancel {0} at {1}?").format(a.service, time_range(a)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("cancelAppointmentBox")
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button):
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.ctx.write(lambda s: appointments.cancel(s, actor, a.id), changes={"appointment"},
                               on_result=lambda _: None, on_error=self.fail, owner=self)
        box.buttonClicked.connect(answered)
        box.open()

    def move(self, a, start, technician_id) -> None:
        """A block was dragged (or moved with Alt+arrows and Enter)."""
        actor = self.ctx.actor
        self.ctx.write(lambda s: appointments.reschedule(s, actor, a.id, start, technician_id,
                                                         keep_technician=False),
                       changes={"appointment"}, on_result=lambda _: None, on_error=self._move_refused, owner=self)

    def _move_refused(self, exc) -> None:
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

    # --- the queue -------------------------------------------------------------------------------

    def _queue_selected(self):
        idx = self.queue_table.currentIndex()
        return self.queue_model.data(self.queue_model.index(idx.row(), 0), RowRole) if idx.isValid() else None

    def add_walk_in(self) -> None:
        dlg = WalkInDialog(self.ctx, self)
        dlg.open()
        self.last_dialog = dlg

    def _queue_write(self, fn, on_result=None) -> None:
        self.queue_error.hide()
        self.queue_status.clear()
        self.ctx.write(fn, changes={"walk_in", "appointment"}, on_result=on_result or (lambda _: None),
                       on_error=self._queue_refused, owner=self)

    def _queue_refused(self, exc) -> None:
        self.queue_error.setText(user_message(exc))
        self.queue_error.show()

    def call_next(self) -> None:
        actor, tech = self.ctx.actor, self.queue_tech.currentData()
        self._queue_write(lambda s: appointments.call_next(s, actor, tech), self._called)

    def _called(self, called) -> None:
        self.queue_status.setText(self.tr("{0} goes to {1}.").format(called.appointment.customer,
                                                                    called.appointment.technician))
        if called.needs_intake:
            self.intake_requested.emit(called.appointment)

    def assign_walk_in(self) -> None:
        entry, actor, tech = self._queue_selected(), self.ctx.actor, self.queue_tech.currentData()
        if entry is None:
            return
        self._queue_write(lambda s: appointments.assign_walk_in(s, actor, entry.id, tech))

    def remove_walk_in(self) -> None:
        entry, actor = self._queue_selected(), self.ctx.actor
        if entry is None:
            return
        self._queue_write(lambda s: appointments.remove_walk_in(s, actor, entry.id))

    # --- lock ------------------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._seq += 1
        self.plan = None
        self.calendar.set_plan(None)
        self.model.clear()
        self.queue_model.clear()
        self.selection.setText(self.hint_text())
        if self.last_dialog is not None and self.last_dialog.isVisible():
            self.last_dialog.reject()
        self.queue_status.clear()
        self.queue_error.clear()
        for lbl in self.numbers.values():
            lbl.setText("–")
        if self.rota is not None:
            self.rota.clear_sensitive()
