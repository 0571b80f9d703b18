"""The day calendar: appointments as blocks in one column per technician, moved by drag or
by Alt+arrows (the move itself is the core's decision, asked for by a signal). Also the
status colours and the time span text the appointments screen shares with it. The hours
shown and the snapping of a drag are plain functions (``day_bounds``, ``snap``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

# QBrush and QPen are not (yet) exported by desktop.qt; the day view paints with them.
from PySide6.QtGui import QBrush, QPen

from core import clock, terms
from desktop import fmt
from desktop.labels import label, language
from desktop.qt import QColor, QFont, QFontMetrics, QPainter, QRect, QSize, Qt, QWidget, Signal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core import appointments
    from desktop.qt import QKeyEvent, QMouseEvent, QPaintEvent, QPoint

UTC = timezone.utc
MOVABLE = ("booked", "checked_in")

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


def time_range(a: appointments.DayAppointment) -> str:
    return f"{fmt.time_only(a.starts_at)}–{fmt.time_only(a.service_ends_at)}"


def day_bounds(plan: appointments.DayPlan, blocks: Sequence[appointments.DayAppointment]) -> tuple[datetime, datetime]:
    """The hours the calendar shows (UTC): whole local hours around the opening hours, the
    shifts and the blocks, within the plan's day."""
    tz = ZoneInfo(plan.timezone)
    edges = [t for t in (plan.opens_at, plan.closes_at) if t is not None]
    for t in plan.technicians:
        for a, b in t.work:
            edges += [a, b]
    for a in blocks:
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
    top, bottom = lo_local.astimezone(UTC), min(hi_local.astimezone(UTC), day_end.astimezone(UTC))
    if bottom <= top:
        bottom = top + timedelta(hours=1)
    return top, bottom


def snap(t: datetime, step_min: int) -> datetime:
    """``t`` on the store's slot grid, as a dragged block lands."""
    step = step_min * 60
    ts = round(t.timestamp() / step) * step
    return datetime.fromtimestamp(ts, UTC)


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(widget.foregroundRole()).lightness() > 128


class DayView(QWidget):
    """Appointments as blocks in technicians' columns. Click selects; drag moves (snapped
    to the store's slot step); keyboard: arrows select, Alt+Up/Down moves the selected
    block by one step, Alt+Left/Right to the next technician, Enter confirms, Esc undoes.
    The move itself is the core's decision: ``move_requested`` asks for it."""

    selection_changed = Signal(object)                  # DayAppointment | None
    move_requested = Signal(object, object, object)     # DayAppointment, new start (UTC), technician id
    activated = Signal(object)                          # Enter or double-click on a block

    HEADER, GUTTER, COL_MIN, PX_PER_MIN, PAD = 48, 58, 72, 1.25, 10

    def __init__(self, parent: QWidget | None = None) -> None:
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

    def set_plan(self, plan: appointments.DayPlan | None) -> None:
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
            self.top, self.bottom = day_bounds(plan, self.blocks())
            if self.selected() is None:
                self.selected_id = None
        self.updateGeometry()
        self.update()

    def blocks(self) -> list:
        if self.plan is None:
            return []
        return [a for a in self.plan.appointments if a.status != "cancelled"]

    def selected(self) -> appointments.DayAppointment | None:
        return next((a for a in self.blocks() if a.id == self.selected_id), None)

    def select(self, appointment: appointments.DayAppointment | None) -> None:
        new = appointment.id if appointment is not None else None
        if new != self.selected_id or self.pending is not None:
            self.selected_id = new
            self.pending = None
            self.update()
            self.selection_changed.emit(appointment)

    def column_of(self, appointment: appointments.DayAppointment) -> int:
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

    def block_rect(self, a: appointments.DayAppointment, start: datetime | None = None, col: int | None = None) -> QRect:
        start = start or a.starts_at
        col = self.column_of(a) if col is None else col
        x = int(self.GUTTER + col * self.col_width())
        y0 = self.y_of(start)
        y1 = self.y_of(start + (a.ends_at - a.starts_at))
        return QRect(x + 4, y0 + 1, int(self.col_width()) - 8, max(14, y1 - y0 - 2))

    def appointment_at(self, pos: QPoint) -> appointments.DayAppointment | None:
        hits = [a for a in self.blocks() if self.block_rect(a).contains(pos)]
        return hits[-1] if hits else None

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        dark = is_dark(self)
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
                           QFontMetrics(small).elidedText(terms.skills_text(t.skills, language()),
                                                          Qt.TextElideMode.ElideRight,
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

    def _paint_block(self, p: QPainter, a: appointments.DayAppointment, r: QRect, dark: bool, text: QColor, muted: QColor, small: QFont, bold: QFont, *, selected: bool, ghost: bool) -> None:
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

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus()
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        a = self.appointment_at(pos)
        self.select(a)
        self._press = (a, pos) if a is not None and a.status in MOVABLE else None
        self._dragging = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._press is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            hit = self.appointment_at(pos)
            self.setToolTip(self._describe(hit) if hit is not None else "")
            return
        a, origin = self._press
        if not self._dragging and (pos - origin).manhattanLength() < 6:
            return
        self._dragging = True
        start = snap(a.starts_at + timedelta(minutes=(pos.y() - origin.y()) / self.PX_PER_MIN), self.step_min)
        self.pending = (a, start, self.column_at(pos.x()))
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        dragged = self._dragging
        self._press, self._dragging = None, False
        if dragged:
            self.confirm_move()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        a = self.appointment_at(event.position().toPoint())
        if a is not None:
            self.activated.emit(a)

    def _describe(self, a: appointments.DayAppointment) -> str:
        who = self.columns[self.column_of(a)]
        return self.tr("{0} · {1} · {2} · {3} with {4}").format(
            time_range(a), a.customer, a.service, label(a.status), who.name if who else self.tr("nobody"))

    # --- keyboard ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
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

    def nudge(self, key: int) -> None:
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

    def step_selection(self, key: int) -> None:
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
