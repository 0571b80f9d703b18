"""Marketing lists (issue 23): a manager picks segments, value bands and a minimum churn
risk, the channel (SMS or email) and says what the list is for; the count of customers who
match, and of those who consented to that channel, follows every change; "Export CSV…"
writes the consented ones for the messaging tool. ``core.crm.lists`` decides who is on it
(only a standing grant for the channel's marketing purpose, never an erased or merged
customer), records the export with its purpose and audits it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import clock
from core.crm import CHANNELS, NO_SEGMENT, SEGMENTS, VALUE_BANDS
from core.permissions import Perm
from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.qt import (
    QButtonGroup, QCheckBox, QFileDialog, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QRadioButton, QScrollArea, QSpinBox, Qt, QTimer, QVBoxLayout, QWidget,
)
from desktop.views.base import Screen
from desktop.widgets.field import FieldRow, general_error, set_field_error
from desktop.widgets.flow import flow_row
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.context import AppContext

DEBOUNCE_MS = 200


class ListsScreen(Screen):
    key, icon, perm = "lists", "list", Perm.EXPORT_MARKETING_LISTS
    watches = ("customer_score", "consent", "customer")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.counted: Any = None            # the last ListCount shown
        self.export_path = ""                # the last file written
        self._seq = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        self.add_header(outer, refresh=False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        scroll.viewport().setAutoFillBackground(False)      # the screen's own background behind the boxes
        body.setAutoFillBackground(False)
        outer.addSpacing(4)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 8, 0)
        lay.setSpacing(12)
        outer.addWidget(scroll, 1)
        self.fields = FieldErrors(general_error())
        lay.addWidget(self._who())
        lay.addWidget(self._how())
        # the count and the export
        self.count_label = QLabel()
        self.count_label.setObjectName("listCount")
        self.count_label.setWordWrap(True)
        font = self.count_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.count_label.setFont(font)
        lay.addWidget(self.count_label)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.export)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.fields.general)
        self.confirmation = MessageBanner("success", selectable=True)
        lay.addWidget(self.confirmation)
        lay.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.recount)

    def title(self) -> str:
        return self.tr("Marketing lists")

    def _who(self) -> QGroupBox:
        box = QGroupBox(self.tr("Who"))
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        self.segment_checks: dict[str, QCheckBox] = {}
        self.band_checks: dict[str, QCheckBox] = {}
        for checks, codes, kind in ((self.segment_checks, (*SEGMENTS, NO_SEGMENT), "segment"),
                                    (self.band_checks, VALUE_BANDS, "value_band")):
            for code in codes:
                cb = QCheckBox(label(code, kind))
                cb.setObjectName(f"{kind}_{code}")
                cb.toggled.connect(self._changed_filter)
                checks[code] = cb
        cap = QLabel(self.tr("Segments"))
        cap.setObjectName("caption")
        grid.addWidget(cap, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(FieldRow(self.fields, "segments", flow_row(*self.segment_checks.values())), 0, 1)
        cap = QLabel(self.tr("Value bands"))
        cap.setObjectName("caption")
        grid.addWidget(cap, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(FieldRow(self.fields, "value_bands", flow_row(*self.band_checks.values())), 1, 1)
        cap = QLabel(self.tr("Minimum churn risk"))
        cap.setObjectName("caption")
        grid.addWidget(cap, 2, 0)
        self.min_churn = QSpinBox()
        self.min_churn.setObjectName("minChurn")
        self.min_churn.setRange(0, 100)
        self.min_churn.setSpecialValueText(self.tr("any"))
        self.min_churn.valueChanged.connect(self._changed_filter)
        grid.addWidget(FieldRow(self.fields, "min_churn", self.min_churn), 2, 1, Qt.AlignmentFlag.AlignLeft)
        self.home_only = QCheckBox(self.tr("Only customers whose home store is this one"))
        self.home_only.toggled.connect(self._changed_filter)
        grid.addWidget(self.home_only, 3, 1)
        hint = QLabel(self.tr("Nothing ticked in a group means any."))
        hint.setObjectName("caption")
        hint.setWordWrap(True)
        grid.addWidget(hint, 4, 1)
        return box

    def _how(self) -> QGroupBox:
        box = QGroupBox(self.tr("Channel and purpose"))
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        cap = QLabel(self.tr("Channel"))
        cap.setObjectName("caption")
        grid.addWidget(cap, 0, 0)
        self.channel_group = QButtonGroup(self)
        self.channel_buttons: dict[str, QRadioButton] = {}
        names = {"sms": self.tr("SMS"), "email": self.tr("Email")}
        for code in CHANNELS:
            rb = QRadioButton(names.get(code, code))
            rb.setObjectName(f"channel_{code}")
            self.channel_group.addButton(rb)
            self.channel_buttons[code] = rb
        self.channel_buttons[CHANNELS[0]].setChecked(True)
        self.channel_group.buttonToggled.connect(lambda _b, on: on and self._changed_filter())
        grid.addWidget(FieldRow(self.fields, "channel", flow_row(*self.channel_buttons.values())), 0, 1)
        cap = QLabel(self.tr("Purpose"))
        cap.setObjectName("caption")
        self.purpose = QLineEdit()
        # level with the field's text (at the top of the row: an error may show under the field)
        self.purpose.ensurePolished()
        cap.setMinimumHeight(self.purpose.sizeHint().height())
        grid.addWidget(cap, 1, 0, Qt.AlignmentFlag.AlignTop)
        self.purpose.setObjectName("listPurpose")
        self.purpose.setMaxLength(200)
        self.purpose.setPlaceholderText(self.tr("What the list is for, e.g. battery service offer in March"))
        self.purpose.textEdited.connect(lambda t: t.strip() and set_field_error(self.fields, "purpose", ""))
        self.purpose.returnPressed.connect(self.export)
        grid.addWidget(FieldRow(self.fields, "purpose", self.purpose), 1, 1)
        return box

    # --- the filter and the count -------------------------------------------------------

    def channel(self) -> str:
        return next((c for c, rb in self.channel_buttons.items() if rb.isChecked()), CHANNELS[0])

    def list_filter(self) -> Any:
        from core.crm.lists import ListFilter
        return ListFilter(segments=tuple(c for c, cb in self.segment_checks.items() if cb.isChecked()),
                          value_bands=tuple(c for c, cb in self.band_checks.items() if cb.isChecked()),
                          min_churn=self.min_churn.value() or None, home_store_only=self.home_only.isChecked())

    def _changed_filter(self, *_: object) -> None:
        self.confirmation.clear()
        self._timer.start()

    def activate(self) -> None:
        self.recount()

    def recount(self) -> None:
        """Count who matches and who consented to the channel (in the worker)."""
        self._timer.stop()
        actor = self.ctx.actor
        if actor is None or self.ctx.db is None or self.ctx.locked:
            return
        self._seq += 1
        seq, filt, channel = self._seq, self.list_filter(), self.channel()

        def work(s: Session) -> Any:
            from core.crm import lists
            return lists.count(s, actor, filt, channel)

        def show(counted: Any) -> None:
            if seq == self._seq and not self.ctx.locked:
                self.show_count(counted, channel)
        self.ctx.read(work, on_result=show, on_error=lambda exc: show_error(self, exc, self.fields), owner=self)

    def show_count(self, counted: Any, channel: str) -> None:
        self.counted = counted
        text = (self.tr("{0} customers match, {1} consented to SMS") if channel == "sms" else
                self.tr("{0} customers match, {1} consented to email"))
        self.count_label.setText(text.format(counted.matching, counted.consented))
        self.summary.setText(self.tr("{0} on the list").format(counted.consented))

    # --- the export ---------------------------------------------------------------------

    def export(self) -> None:
        """Ask where to write the list: the purpose first (it is recorded with the export)."""
        self.fields.clear()
        self.confirmation.clear()
        if not self.purpose.text().strip():
            set_field_error(self.fields, "purpose", self.tr("Say what the list is for: it is recorded with the export."))
            self.purpose.setFocus()
            return
        filt, channel, purpose = self.list_filter(), self.channel(), self.purpose.text().strip()
        today = clock.today(self.ctx.store.timezone if self.ctx.store else "UTC")
        name = f"marketing-{channel}-{today.isoformat()}.csv"
        dialog = QFileDialog(self, self.tr("Export marketing list"), name, self.tr("CSV files (*.csv)"))
        dialog.setObjectName("listExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.write_export(path, filt, channel, purpose))
        dialog.open()

    def write_export(self, path: str, filt: Any, channel: str, purpose: str) -> None:
        """Export through core and write the file in the same unit of work: a file that
        could not be written leaves no export recorded."""
        actor = self.ctx.actor
        if not path or actor is None:
            return
        now = clock.now()

        def work(s: Session) -> int:
            from pathlib import Path

            from core.crm import lists
            from core.vault import atomic_write
            listed = lists.export(s, actor, filt, channel, purpose, now=now)
            atomic_write(Path(path), listed.csv_text.encode("utf-8"))
            return int(listed.count)

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            self.export_path = path
            self.confirmation.setText(self.tr("{0} customers written to {1}. The export is recorded with its "
                                              "purpose.").format(count, path))

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            show_error(self, exc, self.fields)
        self.export_button.setEnabled(False)
        self.ctx.write(work, on_result=done, on_error=failed, owner=self)

    def clear_sensitive(self) -> None:
        self._seq += 1
        self.confirmation.clear()
