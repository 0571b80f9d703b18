"""The bench: the technicians' queue and the ticket workspace.

The board lists tickets (my queue, assigned to me, unassigned, by status, and the
whole store for managers) with their age and due time; overdue ones stand out. Opening
one shows its workspace: intake, diagnosis and quote, parts, the customer's approval,
repair and quality check, pickup with a signature drawn on the screen, and the history.
Every button is one core action run by the database worker; the workflow itself (what
may follow what) lives in ``core.repairs``.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from datetime import timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core import clock, formatting, loyalty, money, repairs
from core.permissions import Perm
from core.repairs import QuoteLine
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QButtonGroup, QCheckBox, QColor, QComboBox, QCoreApplication, QDoubleSpinBox, QFont, QFormLayout,
    QFrame,
    QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QImage, QLabel, QLineEdit, QMessageBox, QPainter, QPixmap,
    QPoint, QProgressBar, QPushButton, QScrollArea, QSpinBox, QStackedWidget, Qt, QTableView, QTabWidget,
    QTextEdit, QTimer, QVBoxLayout, QWidget, Signal,
)
from desktop.views.base import Screen
from desktop.views.intake import (
    IntakeDialog, bench_tr, condition_text, index_of, name_of,
)

OVERDUE_FG = QColor("#c0392b")
OVERDUE_BG = QColor(192, 57, 43, 40)          # translucent: readable on the light and the dark theme
PASSCODE_SHOWN_MS = 30_000

# which tab a ticket opens on, by status
TAB_FOR_STATUS = {"new": 0, "diagnosing": 1, "awaiting_approval": 3, "awaiting_parts": 2, "in_repair": 4,
                  "quality_check": 4, "ready": 5, "collected": 5, "cancelled": 5, "unrepairable": 5}


def age_text(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return QCoreApplication.translate("Bench", "{0} min").format(minutes)
    hours = minutes // 60
    if hours < 24:
        return QCoreApplication.translate("Bench", "{0} h").format(hours)
    return QCoreApplication.translate("Bench", "{0} d {1} h").format(hours // 24, hours % 24)


def move_refused_text(exc: repairs.IllegalMove) -> str:
    text = QCoreApplication.translate("Bench", "A ticket that is {0} cannot become {1}.")
    return text.format(label(exc.current), label(exc.target))


def fail(parent: QWidget, exc: BaseException, fields: FieldErrors | None = None) -> None:
    """Errors of bench actions: a refused move names both statuses in the user's language."""
    if isinstance(exc, repairs.IllegalMove):
        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Bench", "Not possible now"),
                          move_refused_text(exc),
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("errorBox")
        box.open()
        return
    show_error(parent, exc, fields)


def png_from_gray(image: QImage) -> bytes:
    """A grayscale PNG of ``image`` (Format_Grayscale8), written here so the signature
    never touches a file on disk on its way into the database."""
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    bits = bytes(image.constBits())
    raw = b"".join(b"\x00" + bits[y * bpl:y * bpl + w] for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


class SignaturePad(QWidget):
    """The customer signs with the mouse, a pen or a finger; strokes become a PNG."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setMinimumSize(380, 130)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.strokes: list[list[tuple[float, float]]] = []
        self._drawing = False

    def is_empty(self) -> bool:
        return not self.strokes

    def clear(self) -> None:
        self.strokes = []
        self._drawing = False
        self.update()
        self.changed.emit()

    @staticmethod
    def _pos(event) -> tuple[float, float]:
        p = event.position()
        return (p.x(), p.y())

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drawing = True
            self.strokes.append([self._pos(event)])
            self.update()

    def mouseMoveEvent(self, event) -> None:
        if self._drawing:
            self.strokes[-1].append(self._pos(event))
            self.update()

    def mouseReleaseEvent(self, event) -> None:
        if self._drawing:
            self.strokes[-1].append(self._pos(event))
            self._drawing = False
            self.update()
            self.changed.emit()

    def _paint_strokes(self, painter: QPainter, color: QColor, width: float) -> None:
        pen = painter.pen()
        pen.setColor(color)
        pen.setWidthF(width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y = stroke[0]
                painter.drawPoint(QPoint(round(x), round(y)))
            for (x1, y1), (x2, y2) in zip(stroke, stroke[1:]):
                painter.drawLine(QPoint(round(x1), round(y1)), QPoint(round(x2), round(y2)))

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setPen(QColor("#c8d1db"))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        base = self.height() - 28
        p.drawLine(16, base, self.width() - 16, base)
        if not self.strokes:
            p.setPen(QColor("#a0a9b5"))
            p.drawText(self.rect().adjusted(0, 0, 0, -34), int(Qt.AlignmentFlag.AlignCenter),
                       self.tr("Customer signs here"))
        self._paint_strokes(p, QColor("#1a202c"), 2.4)
        p.end()

    def png(self) -> bytes:
        image = QImage(self.width(), self.height(), QImage.Format.Format_Grayscale8)
        image.fill(QColor("#ffffff"))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_strokes(p, QColor("#000000"), 2.4)
        p.end()
        return png_from_gray(image)


class BoardModel(RowsModel):
    """Board rows; overdue tickets in bold on a red tint, whichever column."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and 0 <= index.row() < len(self.rows) and self.rows[index.row()].overdue:
            if role == Qt.ItemDataRole.BackgroundRole:
                return OVERDUE_BG
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


def _table(model, stretch: bool = True) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.verticalHeader().hide()
    if stretch:
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return t


def _value_label() -> QLabel:
    lbl = QLabel()
    lbl.setWordWrap(True)
    lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lbl


def _err() -> QLabel:
    lbl = QLabel()
    lbl.setObjectName("fieldError")
    lbl.setWordWrap(True)
    lbl.hide()
    return lbl


# --- the ticket workspace ----------------------------------------------------------------------------------

class TicketPanel(QWidget):
    back = Signal()
    reloaded = Signal()          # an action of this panel committed: show the ticket afresh

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("ticketPanel")
        self.ctx = ctx
        self.detail: repairs.TicketDetail | None = None
        self.quote_lines: list[dict] = []
        self._shown_status: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

        head = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← Board"))
        self.back_button.setShortcut("Alt+Left")
        self.back_button.setToolTip(self.tr("Back to the board (Alt+Left)"))
        self.back_button.clicked.connect(self.back.emit)
        head.addWidget(self.back_button)
        self.number = QLabel()
        self.number.setObjectName("screenTitle")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self.number)
        self.status = QLabel()
        self.status.setObjectName("statusBadge")
        self.status.setStyleSheet("QLabel#statusBadge { background-color: rgba(47, 133, 90, 0.15); color: #2f855a; "
                                  "border-radius: 10px; padding: 3px 12px; font-weight: 600; }")
        head.addWidget(self.status)
        head.addStretch(1)
        self.due = QLabel()
        self.due.setObjectName("summary")
        head.addWidget(self.due)
        lay.addLayout(head)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("summary")
        lay.addWidget(self.subtitle)

        actions = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start diagnosis"))
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start_diagnosis)
        self.assign_button = QPushButton(self.tr("Take this ticket"))
        self.assign_button.clicked.connect(self.take)
        self.technician = QComboBox()
        self.technician.setToolTip(self.tr("Assign to a technician"))
        self.technician.activated.connect(self._assign_chosen)
        self.cancel_button = QPushButton(self.tr("Cancel ticket…"))
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.receipt_button = QPushButton(self.tr("Intake receipt"))
        self.receipt_button.clicked.connect(lambda: self.print_document("intake_receipt"))
        self.label_button = QPushButton(self.tr("Device label"))
        self.label_button.clicked.connect(lambda: self.print_document("device_label"))
        self.report_button = QPushButton(self.tr("Service report"))
        self.report_button.clicked.connect(lambda: self.print_document("service_report"))
        for w in (self.start_button, self.assign_button, self.technician, self.cancel_button):
            actions.addWidget(w)
        actions.addStretch(1)
        for w in (self.receipt_button, self.label_button, self.report_button):
            actions.addWidget(w)
        lay.addLayout(actions)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("ticketTabs")
        self.tabs.addTab(self._intake_tab(), self.tr("Intake"))
        self.tabs.addTab(self._quote_tab(), self.tr("Diagnosis && quote"))
        self.tabs.addTab(self._parts_tab(), self.tr("Parts"))
        self.tabs.addTab(self._approval_tab(), self.tr("Approval"))
        self.tabs.addTab(self._qc_tab(), self.tr("Repair && QC"))
        self.tabs.addTab(self._pickup_tab(), self.tr("Pickup"))
        self.tabs.addTab(self._history_tab(), self.tr("History"))
        lay.addWidget(self.tabs, 1)
        self._passcode_timer = QTimer(self)
        self._passcode_timer.setSingleShot(True)
        self._passcode_timer.setInterval(PASSCODE_SHOWN_MS)
        self._passcode_timer.timeout.connect(self._hide_passcode)

    # --- tabs ---------------------------------------------------------------------------------------------------

    @staticmethod
    def _scroll(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        area.viewport().setAutoFillBackground(False)
        widget.setAutoFillBackground(False)
        return area

    def _intake_tab(self) -> QWidget:
        w = QWidget()
        grid = QGridLayout(w)
        left, right = QFormLayout(), QFormLayout()
        self.i = {k: _value_label() for k in ("customer", "phone", "contact", "device", "imei", "serial", "warranty",
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
        return self._scroll(w)

    def _quote_tab(self) -> QWidget:
        w = QWidget()
        lay = QGridLayout(w)
        self.q_fields = FieldErrors(general=_err())
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Findings")))
        self.findings = QTextEdit()
        self.findings.setAcceptRichText(False)
        self.findings.setTabChangesFocus(True)
        self.findings.setMinimumHeight(80)
        self.findings.setMaximumHeight(140)
        left.addWidget(self.findings)
        e = _err()
        left.addWidget(e)
        self.q_fields.bind("diagnosis", e, self.findings)
        self.accidental = QCheckBox(self.tr("Accidental or liquid damage (the manufacturer's warranty does not "
                                            "cover it)"))
        self.accidental.toggled.connect(self._update_totals)
        left.addWidget(self.accidental)
        self.decision = QLabel()
        self.decision.setObjectName("hint")
        self.decision.setWordWrap(True)
        left.addWidget(self.decision)
        labour = QHBoxLayout()
        labour.addWidget(QLabel(self.tr("Labour")))
        # in money, not whole units: a labour of 12.34 stays 1234 minor units (decimals follow the currency)
        self.labour = QDoubleSpinBox()
        self.labour.setRange(0, 100_000)
        self.labour.setSingleStep(10)
        self.labour.valueChanged.connect(self._update_totals)
        labour.addWidget(self.labour)
        labour.addStretch(1)
        left.addLayout(labour)
        e = _err()
        left.addWidget(e)
        self.q_fields.bind("labour", e, self.labour)
        self.totals = QLabel()
        self.totals.setObjectName("quoteTotals")
        self.totals.setWordWrap(True)
        left.addWidget(self.totals)
        left.addStretch(1)
        buttons = QHBoxLayout()
        self.unrepairable_button = QPushButton(self.tr("Not repairable"))
        self.unrepairable_button.setToolTip(self.tr("Return the device as it is; the findings are kept."))
        self.unrepairable_button.clicked.connect(self.unrepairable)
        self.revise_button = QPushButton(self.tr("Revise quote"))
        self.revise_button.clicked.connect(self.revise)
        self.quote_button = QPushButton(self.tr("Save quote"))
        self.quote_button.setObjectName("primary")
        self.quote_button.clicked.connect(self.save_quote)
        buttons.addWidget(self.unrepairable_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revise_button)
        buttons.addWidget(self.quote_button)
        left.addLayout(buttons)
        left.addWidget(self.q_fields.general)

        right = QVBoxLayout()
        find = QHBoxLayout()
        self.part_search = QLineEdit()
        self.part_search.setPlaceholderText(self.tr("Find a part: SKU, name or model"))
        self.part_search.setClearButtonEnabled(True)
        self.part_search.returnPressed.connect(self.find_parts)
        find.addWidget(self.part_search, 1)
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.clicked.connect(self.find_parts)
        find.addWidget(self.find_button)
        right.addLayout(find)
        cur = lambda: self.detail.currency if self.detail else "USD"  # noqa: E731
        self.parts_model = RowsModel([
            Column(self.tr("SKU"), lambda r: r.sku),
            Column(self.tr("Part"), lambda r: r.name),
            Column(self.tr("Price"), lambda r: fmt.money(r.price_cents, cur()), align_right=True,
                   sort_key=lambda r: r.price_cents),
            Column(self.tr("In stock"), lambda r: r.available, align_right=True, sort_key=lambda r: r.available,
                   foreground=lambda r: OVERDUE_FG if r.available <= 0 else None)], self)
        self.parts_table = _table(self.parts_model, stretch=False)
        self._fit_columns(self.parts_table, stretch=1)
        self.parts_table.doubleClicked.connect(lambda _: self.add_part())
        right.addWidget(self.parts_table, 2)
        add = QHBoxLayout()
        self.add_part_button = QPushButton(self.tr("Add to quote"))
        self.add_part_button.clicked.connect(self.add_part)
        self.remove_part_button = QPushButton(self.tr("Remove line"))
        self.remove_part_button.clicked.connect(self.remove_line)
        self.covered_box = QCheckBox(self.tr("Charge this line even if covered"))
        self.covered_box.toggled.connect(self._toggle_charge)
        add.addWidget(self.add_part_button)
        add.addStretch(1)
        add.addWidget(self.remove_part_button)
        right.addLayout(add)
        self.lines_model = RowsModel([
            Column(self.tr("Part"), lambda r: r["part"].name),
            Column(self.tr("Qty"), lambda r: r["qty"], align_right=True),
            Column(self.tr("Unit price"), lambda r: fmt.money(r["part"].price_cents, cur()), align_right=True),
            Column(self.tr("Charged"), lambda r: self._line_charge_text(r), align_right=True),
            Column(self.tr("In stock"), lambda r: r["part"].available, align_right=True,
                   foreground=lambda r: OVERDUE_FG if r["part"].available < r["qty"] else None)], self)
        self.lines_table = _table(self.lines_model, stretch=False)
        self._fit_columns(self.lines_table, stretch=0)
        self.lines_table.selectionModel().currentRowChanged.connect(self._line_selected)
        right.addWidget(self.lines_table, 1)
        right.addWidget(self.covered_box)
        e = _err()
        right.addWidget(e)
        self.q_fields.bind("parts", e, self.lines_table)
        lay.addLayout(left, 0, 0)
        lay.addLayout(right, 0, 1)
        lay.setColumnStretch(0, 2)
        lay.setColumnStretch(1, 3)
        return w

    @staticmethod
    def _fit_columns(table: QTableView, stretch: int) -> None:
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def _parts_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.parts_note = QLabel()
        self.parts_note.setObjectName("hint")
        self.parts_note.setWordWrap(True)
        lay.addWidget(self.parts_note)
        cur = lambda: self.detail.currency if self.detail else "USD"  # noqa: E731
        self.ticket_parts_model = RowsModel([
            Column(self.tr("SKU"), lambda r: r.sku),
            Column(self.tr("Part"), lambda r: r.name),
            Column(self.tr("Qty"), lambda r: r.quantity, align_right=True),
            Column(self.tr("Charged"), lambda r: fmt.money(r.charged_cents, cur()), align_right=True),
            Column(self.tr("State"), lambda r: name_of("part_state", r.state)),
            Column(self.tr("In stock"), lambda r: r.in_stock, align_right=True,
                   foreground=lambda r: OVERDUE_FG if r.state == "quoted" and r.in_stock < r.quantity else None)],
            self)
        self.ticket_parts_table = _table(self.ticket_parts_model)
        lay.addWidget(self.ticket_parts_table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Delivered:")))
        self.receive_qty = QSpinBox()
        self.receive_qty.setRange(1, 999)
        row.addWidget(self.receive_qty)
        self.receive_button = QPushButton(self.tr("Book in the selected part"))
        self.receive_button.clicked.connect(self.receive)
        row.addWidget(self.receive_button)
        row.addStretch(1)
        self.resume_button = QPushButton(self.tr("Parts are here: start repair"))
        self.resume_button.setObjectName("primary")
        self.resume_button.clicked.connect(self.resume)
        row.addWidget(self.resume_button)
        lay.addLayout(row)
        return w

    def _approval_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.approval_info = QLabel()
        self.approval_info.setObjectName("approvalInfo")
        self.approval_info.setWordWrap(True)
        lay.addWidget(self.approval_info)
        form = QFormLayout()
        self.channel = QComboBox()
        for code in repairs.APPROVAL_CHANNELS:
            self.channel.addItem(name_of("approval_channel", code), code)
        self.channel.setCurrentIndex(self.channel.findData("phone"))
        self.approval_note = QLineEdit()
        self.approval_note.setPlaceholderText(self.tr("What the customer said (optional)"))
        form.addRow(self.tr("Answer came"), self.channel)
        form.addRow(self.tr("Note"), self.approval_note)
        lay.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.refuse_button = QPushButton(self.tr("Customer refused"))
        self.refuse_button.clicked.connect(lambda: self.answer(False))
        self.approve_button = QPushButton(self.tr("Customer approved"))
        self.approve_button.setObjectName("primary")
        self.approve_button.clicked.connect(lambda: self.answer(True))
        row.addWidget(self.refuse_button)
        row.addWidget(self.approve_button)
        lay.addLayout(row)
        lay.addStretch(1)
        return w

    def _qc_tab(self) -> QWidget:
        w = QWidget()
        lay = QHBoxLayout(w)
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
        row = QHBoxLayout()
        row.addStretch(1)
        self.qc_fail_button = QPushButton(self.tr("Failed: back to repair"))
        self.qc_fail_button.clicked.connect(lambda: self.record_qc())
        self.qc_pass_button = QPushButton(self.tr("Passed: ready for pickup"))
        self.qc_pass_button.setObjectName("primary")
        self.qc_pass_button.clicked.connect(lambda: self.record_qc())
        row.addWidget(self.qc_fail_button)
        row.addWidget(self.qc_pass_button)
        ql.addLayout(row)
        ql.addStretch(1)
        lay.addWidget(repair, 2)
        lay.addWidget(qc, 3)
        return w

    def _pickup_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.p_fields = FieldErrors(general=_err())
        self.pickup_info = QLabel()
        self.pickup_info.setObjectName("hint")
        self.pickup_info.setWordWrap(True)
        lay.addWidget(self.pickup_info)
        self.pickup_form = QWidget()
        form = QFormLayout(self.pickup_form)
        form.setContentsMargins(0, 0, 0, 0)

        def with_error(field, widget):
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(2)
            bl.addWidget(widget)
            e = QLabel()
            bl.addWidget(e)
            self.p_fields.bind(field, e, widget)
            return box
        self.collected_by = QLineEdit()
        form.addRow(self.tr("Collected by"), with_error("collected_by", self.collected_by))
        pad_row = QWidget()
        pr = QHBoxLayout(pad_row)
        pr.setContentsMargins(0, 0, 0, 0)
        self.pad = SignaturePad()
        pr.addWidget(self.pad, 1)
        self.clear_pad_button = QPushButton(self.tr("Clear"))
        self.clear_pad_button.clicked.connect(self.pad.clear)
        pr.addWidget(self.clear_pad_button, alignment=Qt.AlignmentFlag.AlignTop)
        form.addRow(self.tr("Signature"), with_error("signature", pad_row))
        self.typed_name = QLineEdit()
        self.typed_name.setPlaceholderText(self.tr("…or the customer types their name"))
        form.addRow("", with_error("signature_name", self.typed_name))
        self.payment = QComboBox()
        for code in repairs.PAYMENT_STATUSES:
            self.payment.addItem(name_of("payment_status", code), code)
        form.addRow(self.tr("Payment"), with_error("payment_status", self.payment))
        self.pickup_form.setMaximumWidth(760)
        lay.addWidget(self.pickup_form)
        lay.addWidget(self.p_fields.general)
        row = QHBoxLayout()
        self.pickup_button = QPushButton(self.tr("Hand over the device"))
        self.pickup_button.setObjectName("primary")
        self.pickup_button.clicked.connect(self.pickup)
        row.addWidget(self.pickup_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.signature_view = QLabel()
        self.signature_view.setObjectName("signatureView")
        self.signature_view.hide()
        lay.addWidget(self.signature_view)
        lay.addStretch(1)
        return self._scroll(w)

    def _history_tab(self) -> QWidget:
        self.history_model = RowsModel([
            Column(self.tr("When"), lambda h: fmt.date_time(h.at), sort_key=lambda h: h.at),
            Column(self.tr("Who"), lambda h: h.staff),
            Column(self.tr("From"), lambda h: label(h.from_status)),
            Column(self.tr("To"), lambda h: label(h.to_status)),
            Column(self.tr("Note"), lambda h: h.note)], self)
        table = _table(self.history_model, stretch=False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setColumnWidth(0, 160)
        table.setColumnWidth(1, 150)
        table.setColumnWidth(2, 140)
        table.setColumnWidth(3, 140)
        return table

    # --- showing a ticket -----------------------------------------------------------------------------------

    def money(self, cents) -> str:
        return fmt.money(cents, self.detail.currency if self.detail else "USD")

    def show_detail(self, d: repairs.TicketDetail, technicians=()) -> None:
        first = self.detail is None or self.detail.id != d.id
        moved = first or self._shown_status != d.status
        self.detail = d
        self._shown_status = d.status
        me = self.ctx.actor.staff_id if self.ctx.actor else None
        open_ = d.status in repairs.OPEN_STATUSES
        self.number.setText(d.number)
        self.status.setText(label(d.status))
        self.subtitle.setText(" · ".join(x for x in (d.customer_name, d.device_model, d.technician) if x))
        if d.due_at and open_ and d.status != "ready":
            text = self.tr("Due {0}").format(fmt.date_time(d.due_at))
            self.due.setText(self.tr("Overdue since {0}").format(fmt.date_time(d.due_at)) if d.overdue else text)
            self.due.setStyleSheet(f"color: {OVERDUE_FG.name()}; font-weight: 600;" if d.overdue else "")
        else:
            self.due.setText("")
            self.due.setStyleSheet("")
        self.start_button.setVisible(d.status == "new")
        works_on_devices = self.ctx.actor is not None and (self.ctx.actor.role.value == "technician"
                                                           or self.ctx.can(Perm.MANAGE_ROTA))
        self.assign_button.setVisible(open_ and d.technician_id != me and works_on_devices)
        self.technician.setVisible(open_ and self.ctx.can(Perm.MANAGE_ROTA))
        self.technician.blockSignals(True)
        self.technician.clear()
        self.technician.addItem(self.tr("Unassigned"), None)
        for tid, name in technicians:
            self.technician.addItem(name, tid)
        self.technician.setCurrentIndex(max(0, index_of(self.technician, d.technician_id)))
        self.technician.blockSignals(False)
        self.cancel_button.setEnabled("cancelled" in d.allowed_moves)
        self.report_button.setEnabled(d.status != "new")
        self._show_intake(d)
        self._show_quote(d, reset=first or moved)
        self._show_parts(d)
        self._show_approval(d)
        self._show_qc(d, reset=moved)
        self._show_pickup(d, reset=first or moved)
        self.history_model.set_rows(list(d.history))
        if moved:
            self.tabs.setCurrentIndex(TAB_FOR_STATUS.get(d.status, 0))

    def _show_intake(self, d) -> None:
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

    def _intake_day(self):
        return fmt.local(self.detail.created_at).date()

    def _show_quote(self, d, reset: bool) -> None:
        editable = d.status == "diagnosing"
        if reset:
            self.findings.setPlainText(d.diagnosis)
            self.accidental.setChecked(d.warranty_decision in (None, "chargeable") and (
                dict(d.condition).get("liquid_indicator") == "tripped"
                or (d.warranty_decision == "chargeable" and bool(d.warranty_end)
                    and d.warranty_end >= self._intake_day())))
            self.labour.setDecimals(formatting.currency_decimals(d.currency))
            self.labour.setValue(float(formatting.major_units(d.labour_cents, d.currency)))
            self.labour.setPrefix(fmt.currency_symbol(d.currency) + " ")
            self.quote_lines = []
            stock = {}
            for ln in d.parts:
                if ln.state == "released":
                    continue
                stock[ln.part_id] = repairs.PartRow(ln.part_id, ln.sku, ln.name, ln.unit_price_cents, "",
                                                    ln.in_stock, 0)
                default = money.covers(d.warranty_decision)
                self.quote_lines.append({"part": stock[ln.part_id], "qty": ln.quantity,
                                         "covered": None if ln.covered == default else ln.covered})
            self.lines_model.set_rows(list(self.quote_lines))
            self.q_fields.clear()
            if editable and not self.parts_model.rowCount():
                self.find_parts()
        for w in (self.findings, self.accidental, self.labour, self.part_search, self.find_button,
                  self.add_part_button, self.remove_part_button, self.covered_box, self.parts_table):
            w.setEnabled(editable)
        self.findings.setReadOnly(not editable)
        self.quote_button.setVisible(editable)
        self.unrepairable_button.setVisible("unrepairable" in d.allowed_moves)
        self.revise_button.setVisible(d.status == "awaiting_approval")
        self._update_totals()

    def _decision(self) -> str | None:
        d = self.detail
        if d.status != "diagnosing":
            return d.warranty_decision      # None (nobody judged it) is charged, as core.money says
        return repairs.decide_warranty(d.warranty_end, d.coverage_end, self._intake_day(), self.accidental.isChecked())

    def _line_charge_text(self, line) -> str:
        if self.detail is None:
            return ""
        parts = money.charge(self._decision(), money.Line(line["part"].price_cents, line["qty"],
                                                          line["covered"])).charged_cents
        return self.money(parts) if parts else self.tr("covered")

    def _labour_minor(self) -> int:
        currency = self.detail.currency if self.detail else "USD"
        return formatting.to_minor(f"{self.labour.value():.{self.labour.decimals()}f}", currency, field="labour")

    def _amounts(self) -> money.Breakdown:
        """The quote being written (while diagnosing), else the ticket's own figures."""
        d = self.detail
        if d.status != "diagnosing":
            return d.amounts
        return money.breakdown(self._decision(), [money.Line(ln["part"].price_cents, ln["qty"], ln["covered"])
                                                  for ln in self.quote_lines], self._labour_minor(), d.amounts.tax)

    def _update_totals(self) -> None:
        d = self.detail
        if d is None:
            return
        decision = self._decision()
        self.decision.setText(self.tr("Warranty decision: {0}").format(name_of("warranty_decision", decision)))
        a = self._amounts()
        text = self.tr("Parts {0} · Labour {1} · Total {2}").format(self.money(a.parts_cents),
                                                                    self.money(a.labour_charged_cents),
                                                                    self.money(a.total_cents))
        if a.tax.applies:
            tax = self.tr("includes {0} {1}: {2}") if a.tax.inclusive else self.tr("with {0} {1} added: {2}")
            text += " (" + tax.format(a.tax.label, money.rate_text(a.tax.rate), self.money(a.tax_cents)) + ")"
        if d.status == "diagnosing":
            if money.needs_approval(a.total_cents, d.approval_limit_cents):
                text += "\n" + self.tr("Above the customer's limit of {0}: the customer will be asked to approve.") \
                    .format(self.money(d.approval_limit_cents))
            else:
                text += "\n" + self.tr("Within the customer's limit of {0}: the repair can go ahead.") \
                    .format(self.money(d.approval_limit_cents))
        self.totals.setText(text)
        self.lines_model.set_rows(list(self.quote_lines))

    def _show_parts(self, d) -> None:
        self.ticket_parts_model.set_rows(list(d.parts))
        waiting = [ln.sku for ln in d.parts if ln.state == "quoted"]
        if d.status == "awaiting_parts":
            self.parts_note.setText(self.tr("Waiting for: {0}. Book parts in when they arrive, then start the "
                                            "repair.").format(", ".join(waiting)))
        elif not d.parts:
            self.parts_note.setText(self.tr("No parts on this ticket."))
        else:
            self.parts_note.setText(self.tr("Parts are reserved when the customer accepts the quote, used when the "
                                            "repair is done and released if the ticket is cancelled."))
        self.resume_button.setEnabled(d.status == "awaiting_parts")
        self.receive_button.setEnabled(bool(d.parts))

    def _show_approval(self, d) -> None:
        waiting = d.status == "awaiting_approval"
        if d.approval:
            text = self.tr("{0} {1}, {2}.").format(
                self.tr("Approved") if d.approval == "approved" else self.tr("Refused"),
                name_of("approval_channel", d.approval_channel), fmt.date_time(d.approval_at))
        elif waiting:
            text = self.tr("Quote {0} is above the customer's approval limit of {1}. Record their answer.").format(
                self.money(d.total_cents), self.money(d.approval_limit_cents))
        else:
            text = self.tr("No approval needed yet.")
        if d.total_cents is not None and d.approval:
            text = self.tr("Quote {0}.").format(self.money(d.total_cents)) + " " + text
        self.approval_info.setText(text)
        for w in (self.channel, self.approval_note, self.approve_button, self.refuse_button):
            w.setEnabled(waiting)

    def _show_qc(self, d, reset: bool) -> None:
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

    def _show_pickup(self, d, reset: bool) -> None:
        handing = d.status in ("ready", "cancelled", "unrepairable") and d.collected_at is None
        if reset:
            self.p_fields.clear()
            self.pad.clear()
            self.typed_name.clear()
            self.collected_by.setText(d.customer_name)
            self.payment.setCurrentIndex(self.payment.findData("paid" if d.amount_due_cents else "no_charge"))
        if d.collected_at is not None:
            text = self.tr("Handed over {0} to {1} · {2}").format(fmt.date_time(d.collected_at), d.collected_by,
                                                                  name_of("payment_status", d.payment_status))
            if d.signature_name:
                text += " · " + self.tr("signed: {0}").format(d.signature_name)
        elif handing:
            due = self.tr("Amount due: {0}").format(self.money(d.amount_due_cents)) if d.amount_due_cents \
                else self.tr("Nothing to pay.")
            what = self.tr("The repaired device goes back to the customer.") if d.status == "ready" else \
                self.tr("The device goes back unrepaired.")
            text = f"{what} {due}"
        else:
            text = self.tr("The device can be handed over once it is ready for pickup.")
        self.pickup_info.setText(text)
        self.pickup_form.setVisible(d.collected_at is None)
        self.pickup_button.setVisible(d.collected_at is None)
        self.pickup_button.setEnabled(handing)
        self.pickup_form.setEnabled(handing)
        if d.signature_png:
            pix = QPixmap()
            pix.loadFromData(d.signature_png)
            self.signature_view.setPixmap(pix)
            self.signature_view.show()
        else:
            self.signature_view.clear()
            self.signature_view.hide()

    def clear(self) -> None:
        """Lock: nothing of the customer stays on screen."""
        self.detail = None
        self._shown_status = None
        self._passcode_timer.stop()
        for lbl in (self.number, self.status, self.subtitle, self.due, self.decision, self.totals, self.parts_note,
                    self.approval_info, self.qc_info, self.pickup_info, *self.i.values()):
            lbl.clear()
        for edit in (self.findings,):
            edit.clear()
        for line in (self.approval_note, self.repair_note, self.qc_note, self.collected_by, self.typed_name,
                     self.part_search):
            line.clear()
        self.pad.clear()
        self.signature_view.clear()
        self.quote_lines = []
        for model in (self.parts_model, self.lines_model, self.ticket_parts_model, self.history_model):
            model.clear()
        self.technician.clear()

    # --- actions ---------------------------------------------------------------------------------------------

    def _act(self, fn, fields: FieldErrors | None = None, changes=("repair_ticket",)) -> None:
        if self.detail is None:
            return
        actor, tid = self.ctx.actor, self.detail.id
        if fields is not None:
            fields.clear()
        self.ctx.write(lambda s: fn(s, actor, tid), changes=set(changes), on_result=lambda _: self.reloaded.emit(),
                       on_error=lambda exc: fail(self, exc, fields), owner=self)

    def start_diagnosis(self) -> None:
        self._act(repairs.start_diagnosis)

    def take(self) -> None:
        me = self.ctx.actor.staff_id
        self._act(lambda s, a, t: repairs.assign(s, a, t, me))

    def _assign_chosen(self) -> None:
        who = self.technician.currentData()
        self._act(lambda s, a, t: repairs.assign(s, a, t, who))

    def ask_cancel(self) -> None:
        if self.detail is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Cancel ticket"),
                          self.tr("Cancel ticket {0}? Reserved parts go back to stock; the device is then handed "
                                  "back unrepaired.").format(self.detail.number),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("cancelBox")
        box.accepted.connect(lambda: self._act(lambda s, a, t: repairs.cancel(s, a, t),
                                               changes=("repair_ticket", "part_stock")))
        box.open()

    def save_quote(self) -> None:
        lines = [QuoteLine(ln["part"].id, ln["qty"], ln["covered"]) for ln in self.quote_lines]
        findings, labour, accidental = self.findings.toPlainText(), self._labour_minor(), \
            self.accidental.isChecked()
        self._act(lambda s, a, t: repairs.quote(s, a, t, diagnosis=findings, lines=lines, labour_cents=labour,
                                                accidental_damage=accidental),
                  self.q_fields, changes=("repair_ticket", "part_stock"))

    def revise(self) -> None:
        self._act(lambda s, a, t: repairs.reopen_diagnosis(s, a, t))

    def unrepairable(self) -> None:
        findings = self.findings.toPlainText()
        self._act(lambda s, a, t: repairs.mark_unrepairable(s, a, t, findings), self.q_fields,
                  changes=("repair_ticket", "part_stock"))

    def find_parts(self) -> None:
        if self.detail is None:
            return
        actor, text, fits = self.ctx.actor, self.part_search.text(), self.detail.device_model
        self.ctx.read(lambda s: repairs.list_parts(s, actor, text, fits=fits), on_result=self._parts_found,
                      on_error=lambda exc: fail(self, exc), owner=self)

    def _parts_found(self, rows) -> None:
        if self.detail is None:
            return
        self.parts_model.set_rows(rows)
        if rows:
            self.parts_table.selectRow(0)

    def add_part(self) -> None:
        idx = self.parts_table.currentIndex()
        part = self.parts_model.data(self.parts_model.index(idx.row(), 0), RowRole) if idx.isValid() else None
        if part is None:
            return
        for ln in self.quote_lines:
            if ln["part"].id == part.id:
                ln["qty"] = min(repairs.MAX_QUANTITY, ln["qty"] + 1)
                break
        else:
            self.quote_lines.append({"part": part, "qty": 1, "covered": None})
        self._update_totals()

    def remove_line(self) -> None:
        row = self.lines_table.currentIndex().row()
        if 0 <= row < len(self.quote_lines):
            del self.quote_lines[row]
            self._update_totals()

    def _line_selected(self, current, _previous=None) -> None:
        row = current.row()
        self.covered_box.blockSignals(True)
        self.covered_box.setChecked(0 <= row < len(self.quote_lines) and self.quote_lines[row]["covered"] is False)
        self.covered_box.blockSignals(False)

    def _toggle_charge(self, on: bool) -> None:
        row = self.lines_table.currentIndex().row()
        if 0 <= row < len(self.quote_lines):
            self.quote_lines[row]["covered"] = False if on else None
            self._update_totals()
            self.lines_table.selectRow(row)

    def receive(self) -> None:
        idx = self.ticket_parts_table.currentIndex()
        if self.detail is None or not self.detail.parts:
            return
        line = self.detail.parts[idx.row() if idx.isValid() else 0]
        qty = self.receive_qty.value()
        actor = self.ctx.actor
        self.ctx.write(lambda s: repairs.receive_stock(s, actor, line.part_id, qty), changes={"part_stock"},
                       on_result=lambda _: self.reloaded.emit(), on_error=lambda exc: fail(self, exc), owner=self)

    def resume(self) -> None:
        self._act(repairs.resume_repair, changes=("repair_ticket", "part_stock"))

    def answer(self, approved: bool) -> None:
        channel, note = self.channel.currentData(), self.approval_note.text()
        self._act(lambda s, a, t: repairs.record_approval(s, a, t, approved=approved, channel=channel, note=note),
                  changes=("repair_ticket", "part_stock"))

    def finish(self) -> None:
        note = self.repair_note.text()
        self._act(lambda s, a, t: repairs.finish_repair(s, a, t, note), changes=("repair_ticket", "part_stock"))

    def record_qc(self) -> None:
        checks = {k: b.isChecked() for k, b in self.qc_boxes.items()}
        note = self.qc_note.text()
        self._act(lambda s, a, t: repairs.quality_check(s, a, t, checks, note))

    def pickup(self) -> None:
        signature = None if self.pad.is_empty() else self.pad.png()
        who, typed, payment = self.collected_by.text(), self.typed_name.text(), self.payment.currentData()

        def hand_back(s, a, t):
            view = repairs.pickup(s, a, t, collected_by=who, signature_png=signature, signature_name=typed or None,
                                  payment_status=payment)
            loyalty.earn_for_ticket(s, a, t)      # a member earns on what was paid, in the same transaction
            return view
        self._act(hand_back, self.p_fields, changes=("repair_ticket", "loyalty_entry", "loyalty_account"))

    def show_passcode(self) -> None:
        if self.detail is None:
            return
        actor, tid = self.ctx.actor, self.detail.id
        self.ctx.write(lambda s: repairs.reveal_passcode(s, actor, tid), changes=set(), on_result=self._passcode,
                       on_error=lambda exc: fail(self, exc), owner=self)

    def _passcode(self, code) -> None:
        if self.detail is None or self.ctx.locked:
            return
        self.i["passcode"].setText(code or self.tr("none"))
        self._passcode_timer.start()

    def _hide_passcode(self) -> None:
        if self.detail is not None:
            self.i["passcode"].setText(self.tr("on file (encrypted)") if self.detail.has_passcode else self.tr("none"))

    def print_document(self, kind: str) -> None:
        """Intake receipt, device label or service report: previewed, then printed or saved."""
        if self.detail is None:
            return
        open_document(self.ctx, kind, self.detail.id, self)


def open_document(ctx, kind: str, ticket_id: uuid.UUID, parent) -> object:
    from desktop.views import preview
    opener = {"intake_receipt": preview.open_intake_receipt, "device_label": preview.open_device_label,
              "service_report": preview.open_service_report}[kind]
    return opener(ctx, ticket_id, parent)


# --- the screen ----------------------------------------------------------------------------------------------

SCOPES = (("queue", QT_TRANSLATE_NOOP("Bench", "My queue")),
          ("mine", QT_TRANSLATE_NOOP("Bench", "Assigned to me")),
          ("unassigned", QT_TRANSLATE_NOOP("Bench", "Unassigned")),
          ("status", QT_TRANSLATE_NOOP("Bench", "By status")),
          ("store", QT_TRANSLATE_NOOP("Bench", "Store-wide")))


class BenchScreen(Screen):
    key, icon, perm = "bench", "wrench", Perm.WORK_TICKETS
    watches = ("repair_ticket", "part_stock")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self._seq = 0
        self._open_id: uuid.UUID | None = None
        self._technicians: tuple = ()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack)

        # the board
        board = QWidget()
        bl = QVBoxLayout(board)
        bl.setContentsMargins(0, 0, 0, 0)
        self.add_header(bl)
        bar_widget = QWidget()
        bar_widget.setObjectName("benchBar")
        # the chosen view is shown like the chosen navigation entry (the accent colour)
        bar_widget.setStyleSheet("QPushButton#scopeButton:checked { background-color: #2f855a; color: #ffffff; "
                                 "border-color: #2f855a; }")
        bar = QHBoxLayout(bar_widget)
        bar.setContentsMargins(0, 0, 0, 0)
        self.scope_group = QButtonGroup(self)
        self.scope_group.setExclusive(True)
        self.scope_buttons: dict[str, QPushButton] = {}
        for key, text in SCOPES:
            b = QPushButton(bench_tr(text))
            b.setCheckable(True)
            b.setObjectName("scopeButton")
            b.clicked.connect(lambda _=False, k=key: self.set_scope(k))
            self.scope_group.addButton(b)
            self.scope_buttons[key] = b
            bar.addWidget(b)
        self.scope_buttons["store"].setVisible(ctx.can(Perm.MANAGE_ROTA))
        self.status_filter = QComboBox()
        for st in repairs.STATUSES:
            self.status_filter.addItem(label(st), st)
        self.status_filter.currentIndexChanged.connect(lambda _: self.activate())
        bar.addWidget(self.status_filter)
        bar.addStretch(1)
        self.find = QLineEdit()
        self.find.setObjectName("ticketFind")
        self.find.setPlaceholderText(self.tr("Ticket no. or scan"))
        self.find.setClearButtonEnabled(True)
        self.find.setMinimumWidth(200)
        self.find.setMaximumWidth(240)
        self.find.returnPressed.connect(self.find_ticket)
        bar.addWidget(self.find)
        self.intake_button = QPushButton(self.tr("New intake"))
        self.intake_button.setObjectName("primary")
        self.intake_button.setShortcut("Ctrl+N")
        self.intake_button.setToolTip(self.tr("Take in a device (Ctrl+N)"))
        self.intake_button.clicked.connect(self.new_intake)
        bar.addWidget(self.intake_button)
        bl.addWidget(bar_widget)
        self.workload = QLabel()
        self.workload.setObjectName("hint")
        self.workload.setWordWrap(True)
        self.workload.hide()
        bl.addWidget(self.workload)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(3)
        self.busy.setTextVisible(False)
        self.busy.hide()
        bl.addWidget(self.busy)
        self.model = BoardModel(self._columns(), self)
        self.table = _table(self.model, stretch=False)
        # the core's order (overdue first, then by due time) until someone clicks a heading
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 5, 6):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        bl.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("emptyNote")
        bl.addWidget(self.empty)
        self.stack.addWidget(board)

        # the ticket
        self.panel = TicketPanel(ctx)
        self.panel.back.connect(self.show_board)
        self.panel.reloaded.connect(self._reload_ticket)
        self.stack.addWidget(self.panel)

        actor = ctx.actor
        # managers see the whole store, technicians their queue, the counter what is ready to hand over
        default = "store" if ctx.can(Perm.MANAGE_ROTA) else \
            "queue" if actor is not None and actor.role.value == "technician" else "status"
        self.scope = default
        self.status_filter.blockSignals(True)
        self.status_filter.setCurrentIndex(self.status_filter.findData("ready"))
        self.status_filter.blockSignals(False)
        self.set_scope(default, load=False)

    def title(self) -> str:
        return self.tr("Bench")

    def _columns(self) -> list[Column]:
        def now():
            return clock.now()
        return [Column(self.tr("Ticket"), lambda r: r.number),
                Column(self.tr("Status"), lambda r: label(r.status)),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Device"), lambda r: r.device),
                Column(self.tr("Technician"), lambda r: r.technician or self.tr("unassigned")),
                Column(self.tr("Age"), lambda r: age_text(now() - r.created_at), sort_key=lambda r: r.created_at),
                Column(self.tr("Due"), lambda r: (self.tr("overdue · {0}").format(fmt.date_time(r.due_at))
                                                  if r.overdue else fmt.date_time(r.due_at)),
                       foreground=lambda r: OVERDUE_FG if r.overdue else None,
                       sort_key=lambda r: (r.due_at is None, r.due_at or now()))]

    # --- the board --------------------------------------------------------------------------------------------

    def set_scope(self, scope: str, load: bool = True) -> None:
        self.scope = scope
        self.scope_buttons[scope].setChecked(True)
        self.status_filter.setVisible(scope == "status")
        self.workload.setVisible(scope == "store")
        if load:
            self.activate()

    def activate(self, with_ticket: bool = True) -> None:
        if self.ctx.db is None or self.ctx.actor is None or self.ctx.locked:
            return
        self._seq += 1
        seq = self._seq
        actor, scope = self.ctx.actor, self.scope
        status = self.status_filter.currentData() if scope == "status" else None

        def load(s):
            rows = repairs.board(s, actor, scope, status=status)
            summary = repairs.board_summary(s, actor) if scope == "store" else None
            return rows, summary
        self.busy.show()
        self.ctx.read(load, on_result=lambda res: self._loaded(seq, res), on_error=self._failed, owner=self)
        if with_ticket and self.stack.currentWidget() is self.panel and self.panel.detail is not None:
            self._reload_ticket()

    def _loaded(self, seq: int, result) -> None:
        if seq != self._seq:
            return
        self.busy.hide()
        if self.ctx.locked:
            return
        rows, summary = result
        self.model.set_rows(rows)
        late = sum(r.overdue for r in rows)
        self.summary.setText((self.tr("{0} tickets, {1} overdue").format(len(rows), late) if late
                              else self.tr("{0} tickets").format(len(rows))) if rows else "")
        self.empty.setText("" if rows else self.tr("No tickets here."))
        self.empty.setVisible(not rows)
        if summary is not None:
            people = " · ".join(
                (self.tr("{0}: {1} ({2} overdue)").format(name or self.tr("unassigned"), n, late_n) if late_n
                 else self.tr("{0}: {1}").format(name or self.tr("unassigned"), n))
                for name, n, late_n in summary.by_technician)
            self.workload.setText(self.tr("Open {0} · overdue {1}").format(summary.open, summary.overdue)
                                  + (" — " + people if people else ""))

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        fail(self, exc)

    def _changed(self, changes) -> None:
        # the open ticket reloads itself after its own actions (TicketPanel.reloaded)
        if self.isVisible() and changes.touches(*self.watches):
            self.activate(with_ticket=False)

    def open_row(self, row: int) -> None:
        r = self.model.data(self.model.index(row, 0), RowRole)
        if r is not None:
            self.open_ticket(r.id, fresh=True)

    def find_ticket(self) -> None:
        text = self.find.text().strip()
        if not text:
            return
        actor = self.ctx.actor
        self.ctx.read(lambda s: repairs.find_ticket(s, actor, text), on_result=lambda t: self._found(t),
                      on_error=self._failed, owner=self)

    def _found(self, ticket) -> None:
        self.find.clear()
        self.open_ticket(ticket.id, fresh=True)

    def new_intake(self) -> IntakeDialog:
        dialog = IntakeDialog(self.ctx, parent=self)
        dialog.open()
        return dialog

    def show_board(self) -> None:
        self._open_id = None
        self.stack.setCurrentIndex(0)
        self.panel.clear()
        self.activate()

    # --- a ticket ------------------------------------------------------------------------------------------------

    def open_ticket(self, ticket_id: uuid.UUID, fresh: bool = False) -> None:
        self._open_id = ticket_id
        if fresh:
            self.panel.clear()
        self._reload_ticket()

    def _reload_ticket(self) -> None:
        tid = self._open_id or (self.panel.detail.id if self.panel.detail else None)
        if tid is None or self.ctx.actor is None or self.ctx.locked:
            return
        actor = self.ctx.actor
        need_techs = not self._technicians

        def load(s):
            techs = repairs.intake_context(s, actor).technicians if need_techs else None
            return repairs.ticket_detail(s, actor, tid), techs
        self.ctx.read(load, on_result=self._ticket_loaded, on_error=self._failed, owner=self)

    def _ticket_loaded(self, result) -> None:
        detail, techs = result
        if self.ctx.locked or detail.id != self._open_id:
            return
        if techs is not None:
            self._technicians = techs
        self.panel.show_detail(detail, self._technicians)
        self.stack.setCurrentWidget(self.panel)

    # --- lock ---------------------------------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._seq += 1
        self._restore_id = self._open_id
        self.model.clear()
        self.summary.clear()
        self.workload.clear()
        self.find.clear()
        self.panel.clear()
        self.stack.setCurrentIndex(0)
        for dialog in self.findChildren(IntakeDialog):
            dialog.reject()

    def restore(self) -> None:
        self.activate()
        rid = getattr(self, "_restore_id", None)
        if rid is not None:
            self.open_ticket(rid)
