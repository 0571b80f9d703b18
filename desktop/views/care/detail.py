"""One complaint, for the manager who works it: the customer's words, its two clocks
(classify within 24 hours, resolve by the severity's due time) with the time left, the
region's escalation state, the notes from the store and from the region, the forms that
move it on (classify, escalate, resolve, the follow-up call) and, beside it, the response
script for its category in the signed-in language (core.care.complaints.get_complaint)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Callable

from core import clock
from core.care import CATEGORIES, SEVERITIES
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.labels import label, language
from desktop.models.rows import Column, RowsModel
from desktop.qt import (
    QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTextEdit,
    QPushButton, QScrollArea, Qt, QVBoxLayout, QWidget, Signal,
)
from desktop.views.care.call import CallForm, back_head, due_text
from desktop.widgets.field import FieldRow, general_error
from desktop.widgets.flow import flow_row
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.care.views import ComplaintDetail, NoteView
    from core.care.rules import Script
    from core.permissions import Actor
    from desktop.context import AppContext


def wrapped(object_name: str = "", selectable: bool = False) -> QLabel:
    lbl = QLabel()
    lbl.setWordWrap(True)
    if object_name:
        lbl.setObjectName(object_name)
    if selectable:
        lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lbl


class ScriptBox(QGroupBox):
    """The response script of a category: acknowledge, ask, offer, when to escalate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careScript")
        self.setTitle(self.tr("What to say"))
        lay = QVBoxLayout(self)
        self.note = wrapped("hint")
        lay.addWidget(self.note)
        self.parts: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key, text in (("acknowledge", self.tr("Acknowledge")), ("ask", self.tr("Ask")),
                          ("offer", self.tr("What may be offered")), ("escalate", self.tr("When to escalate"))):
            cap = QLabel(text)
            cap.setObjectName("caption")
            body = wrapped(f"script_{key}", selectable=True)
            lay.addWidget(cap)
            lay.addWidget(body)
            self.captions[key] = cap
            self.parts[key] = body
        lay.addStretch(1)

    def show_script(self, script: Script | None, category: str) -> None:
        if script is None:
            self.note.setText(self.tr("Classify the complaint to see the script for its category.") if not category
                              else self.tr("The region has published no script for this category yet."))
        else:
            self.note.setText(label(category, "feedback_category"))
        for key, body in self.parts.items():
            text = getattr(script, key, "") if script is not None else ""
            body.setText(text)
            body.setVisible(bool(text))
            self.captions[key].setVisible(bool(text))

    def clear(self) -> None:
        self.show_script(None, "")


class ComplaintPanel(QWidget):
    """A complaint and what the manager does with it. ``back`` returns to the due list."""

    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintPanel")
        self.ctx = ctx
        self.detail: ComplaintDetail | None = None
        self.complaint_id: uuid.UUID | None = None
        self._seq = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.customer = QLabel()
        head, self.back_button = back_head(self.tr("← Due list"), self.back.emit, self.customer)
        self.status = QLabel()
        self.status.setObjectName("statusBadge")
        head.addWidget(self.status)
        lay.addLayout(head)
        self.meta = wrapped("summary")
        lay.addWidget(self.meta)
        body = QHBoxLayout()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        scroll.setWidget(inner)
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(0, 0, 8, 0)
        body.addWidget(scroll, 3)
        self.script = ScriptBox()
        side = QScrollArea()                # a long script scrolls rather than squeezing its lines
        side.setObjectName("careScriptScroll")
        side.setWidgetResizable(True)
        side.setFrameShape(QScrollArea.Shape.NoFrame)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setWidget(self.script)
        side.setMinimumWidth(220)
        side.setMaximumWidth(300)
        body.addWidget(side, 2)
        lay.addLayout(body, 1)
        self._words()
        self._clocks()
        self._classify_form()
        self._resolve_form()
        self.call = CallForm(ctx)
        self.call.recorded.connect(self.reload)
        self.body.addWidget(self.call)
        self._notes()
        self.body.addStretch(1)

    # --- building ---------------------------------------------------------------------------

    def _words(self) -> None:
        box = QGroupBox(self.tr("The customer's words"))
        bl = QVBoxLayout(box)
        self.words = wrapped("complaintWords", selectable=True)
        bl.addWidget(self.words)
        self.resolution_text = wrapped("complaintResolution", selectable=True)
        bl.addWidget(self.resolution_text)
        self.body.addWidget(box)

    def _clocks(self) -> None:
        box = QGroupBox(self.tr("Clocks"))
        grid = QGridLayout(box)
        self.clock_labels: dict[str, QLabel] = {}
        for row, (key, text) in enumerate((("classify", self.tr("Classify by")), ("resolve", self.tr("Resolve by")),
                                           ("escalation", self.tr("Region")))):
            cap = QLabel(text)
            cap.setObjectName("caption")
            grid.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignTop)
            value = wrapped(f"clock_{key}")
            grid.addWidget(value, row, 1)
            self.clock_labels[key] = value
        grid.setColumnStretch(1, 1)
        self.body.addWidget(box)

    def _classify_form(self) -> None:
        self.classify_box = QGroupBox(self.tr("Classify"))
        lay = QVBoxLayout(self.classify_box)
        self.classify_fields = FieldErrors(general=general_error())
        form = QFormLayout()
        self.category = QComboBox()
        self.category.setObjectName("complaintCategory")
        self.severity = QComboBox()
        self.severity.setObjectName("complaintSeverity")
        for combo, codes, kind in ((self.category, CATEGORIES, "feedback_category"),
                                   (self.severity, SEVERITIES, "complaint_severity")):
            combo.addItem(self.tr("Choose…"), "")
            for code in codes:
                combo.addItem(label(code, kind), code)
        form.addRow(self.tr("Category"), FieldRow(self.classify_fields, "category", self.category))
        form.addRow(self.tr("Severity"), FieldRow(self.classify_fields, "severity", self.severity))
        lay.addLayout(form)
        lay.addWidget(self.classify_fields.general)
        self.classify_button = QPushButton(self.tr("Classify"))
        self.classify_button.setObjectName("classifyComplaint")
        self.classify_button.clicked.connect(self.classify)
        self.escalate_button = QPushButton(self.tr("Escalate to the region"))
        self.escalate_button.setObjectName("escalateComplaint")
        self.escalate_button.clicked.connect(self.escalate)
        lay.addWidget(flow_row(self.classify_button, self.escalate_button))
        self.body.addWidget(self.classify_box)

    def _resolve_form(self) -> None:
        self.resolve_box = QGroupBox(self.tr("Resolve"))
        lay = QVBoxLayout(self.resolve_box)
        self.resolve_fields = FieldErrors(general=general_error())
        self.resolution = QTextEdit()
        self.resolution.setAcceptRichText(False)
        self.resolution.setObjectName("complaintResolutionInput")
        self.resolution.setTabChangesFocus(True)
        self.resolution.setMaximumHeight(90)
        self.resolution.setPlaceholderText(self.tr("What was done for the customer"))
        lay.addWidget(FieldRow(self.resolve_fields, "resolution", self.resolution))
        lay.addWidget(self.resolve_fields.general)
        row = QHBoxLayout()
        row.addStretch(1)
        self.resolve_button = QPushButton(self.tr("Resolve"))
        self.resolve_button.setObjectName("resolveComplaint")
        self.resolve_button.clicked.connect(self.resolve)
        row.addWidget(self.resolve_button)
        lay.addLayout(row)
        self.body.addWidget(self.resolve_box)

    def _notes(self) -> None:
        box = QGroupBox(self.tr("Notes"))
        lay = QVBoxLayout(box)
        self.notes = RowsModel([
            Column(self.tr("When"), lambda n: fmt.date_time(n.at)),
            Column(self.tr("Who"), self._who),
            Column(self.tr("Note"), self._note_text),
        ], self)
        self.notes_view = list_table(self.notes, single=False)
        self.notes_view.setObjectName("complaintNotes")
        self.notes_view.setMinimumHeight(140)
        self.notes_view.setWordWrap(True)
        header = self.notes_view.horizontalHeader()
        for col in (0, 1):                  # the note takes the width left
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.notes_view)
        self.note_fields = FieldErrors()
        self.note_input = QLineEdit()
        self.note_input.setObjectName("complaintNoteInput")
        self.note_input.setPlaceholderText(self.tr("Add a note…"))
        self.note_input.returnPressed.connect(self.add_note)
        lay.addWidget(FieldRow(self.note_fields, "text", self.note_input))
        self.body.addWidget(box)

    def _who(self, n: NoteView) -> str:
        if n.author == "hq":
            return self.tr("Region ({0})").format(label(n.hq_role, "hq_role")) if n.hq_role else self.tr("Region")
        return n.staff_name

    def _note_text(self, n: NoteView) -> str:
        if n.action in ("", "note"):
            return n.text
        steps = {"classify": self.tr("Classified"), "escalate": self.tr("Escalated"), "resolve": self.tr("Resolved"),
                 "close": self.tr("Closed after the call"), "reopen": self.tr("Reopened after the call")}
        what = label(n.action, "escalation_state") if n.author == "hq" else steps.get(n.action, n.action)
        return f"{what}: {n.text}" if n.text else what

    # --- showing ------------------------------------------------------------------------------

    def load(self, complaint_id: uuid.UUID) -> None:
        if complaint_id != self.complaint_id:
            self.clear()
        self.complaint_id = complaint_id
        self._seq += 1
        seq, actor, lang = self._seq, self.ctx.actor, language()
        from core.care import complaints
        self.ctx.read(lambda s: complaints.get_complaint(s, actor, complaint_id, lang=lang),
                      on_result=lambda d: self._loaded(seq, d), on_error=self._failed, owner=self)

    def reload(self) -> None:
        if self.complaint_id is not None:
            self.load(self.complaint_id)

    def _loaded(self, seq: int, d: ComplaintDetail) -> None:
        if seq != self._seq or self.ctx.locked:
            return
        self.detail = d
        r = d.row
        self.customer.setText(r.customer_name or self.tr("No customer named"))
        self.status.setText(label(r.status, "feedback_status"))
        bits = [label(r.channel, "feedback_channel"), self.tr("opened {0}").format(fmt.date_time(r.opened_at))]
        if r.category:
            bits.append(f"{label(r.category, 'feedback_category')} · {label(r.severity, 'complaint_severity')}")
        if r.ticket_number:
            bits.append(self.tr("ticket {0}").format(r.ticket_number))
        self.meta.setText(" · ".join(bits))
        self.words.setText(self.tr("Hidden for your role") if r.masked else (r.text or self.tr("(no words: a low "
                                                                                              "survey answer)")))
        self.resolution_text.setText(self.tr("Resolution: {0}").format(d.resolution) if d.resolution else "")
        self.resolution_text.setVisible(bool(d.resolution))
        self._show_clocks(d)
        open_ = r.status == "open"
        self.classify_box.setVisible(open_)
        self._select(self.category, r.category)
        self._select(self.severity, r.severity)
        self.classify_button.setText(self.tr("Classify again") if r.category else self.tr("Classify"))
        self.classify_button.setEnabled(True)
        self.escalate_button.setVisible(not (r.escalated or r.escalation_pending))
        self.resolve_box.setVisible(open_ and bool(r.category))
        self.resolve_button.setEnabled(True)
        task = next((t for t in d.tasks if t.kind == "follow_up_call" and t.done_at is None), None)
        self.call.setVisible(task is not None)
        if task is not None:
            self.call.show_task(task.id, task.kind, task.due_at)
        self.notes.set_rows(d.notes)
        self.notes_view.resizeRowsToContents()
        # tall enough for every note (the page scrolls, not the table), up to a point
        view = self.notes_view
        rows = sum(view.rowHeight(r) for r in range(self.notes.rowCount()))
        view.setMinimumHeight(min(420, max(140, rows + view.horizontalHeader().height() + 2 * view.frameWidth())))
        self.script.show_script(d.script, r.category)

    def _show_clocks(self, d: ComplaintDetail) -> None:
        r = d.row
        if r.classified_at is not None:
            classify = self.tr("classified {0}").format(fmt.date_time(r.classified_at))
        else:
            classify = due_text(r.classify_due_at)
        if r.resolved_at is not None:
            resolve = self.tr("resolved {0}").format(fmt.date_time(r.resolved_at))
        elif r.due_at is not None:
            resolve = due_text(r.due_at)
        else:
            resolve = self.tr("set when it is classified")
        if r.escalation_state:
            region = label(r.escalation_state, "escalation_state")
        elif r.escalation_pending:
            region = self.tr("to be sent to the region at the next sync")
        else:
            region = self.tr("not escalated")
        for key, text in (("classify", classify), ("resolve", resolve), ("escalation", region)):
            lbl = self.clock_labels[key]
            lbl.setText(text)
            due = r.classify_due_at if key == "classify" and r.classified_at is None else \
                r.due_at if key == "resolve" and r.resolved_at is None else None
            overdue = due is not None and due < clock.now()
            lbl.setProperty("overdue", overdue)       # coloured by the theme's style sheet
            lbl.style().unpolish(lbl)
            lbl.style().polish(lbl)

    @staticmethod
    def _select(combo: QComboBox, code: str) -> None:
        combo.setCurrentIndex(max(0, combo.findData(code or "")))

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def clear(self) -> None:
        """Lock or another complaint: nothing of this one stays on screen."""
        self._seq += 1
        self.detail = None
        for lbl in (self.customer, self.status, self.meta, self.words, self.resolution_text,
                    *self.clock_labels.values()):
            lbl.clear()
        self.resolution.clear()
        self.note_input.clear()
        self.notes.clear()
        self.call.clear()
        self.script.clear()
        for f in (self.classify_fields, self.resolve_fields, self.note_fields):
            f.clear()

    # --- acting -------------------------------------------------------------------------------

    def _act(self, fn: Callable[[Session, Actor, uuid.UUID], Any], fields: FieldErrors | None,
             button: QPushButton | None = None, done: Callable[[], None] | None = None) -> None:
        if self.complaint_id is None:
            return
        actor, cid = self.ctx.actor, self.complaint_id
        if fields is not None:
            fields.clear()
        if button is not None:
            button.setEnabled(False)

        def ok(_: object) -> None:
            if done is not None:
                done()
            self.reload()

        def failed(exc: BaseException) -> None:
            if button is not None:
                button.setEnabled(True)
            show_error(self, exc, fields)
        self.ctx.write(lambda s: fn(s, actor, cid), on_result=ok, on_error=failed, owner=self)

    def classify(self) -> None:
        from core.care import complaints
        category, severity = self.category.currentData() or "", self.severity.currentData() or ""
        self._act(lambda s, a, c: complaints.classify(s, a, c, category=category, severity=severity),
                  self.classify_fields, self.classify_button)

    def escalate(self) -> None:
        from core.care import complaints
        self._act(lambda s, a, c: complaints.escalate(s, a, c), self.classify_fields, self.escalate_button)

    def resolve(self) -> None:
        from core.care import complaints
        text = self.resolution.toPlainText()
        self._act(lambda s, a, c: complaints.resolve(s, a, c, resolution=text), self.resolve_fields,
                  self.resolve_button, done=self.resolution.clear)

    def add_note(self) -> None:
        from core.care import complaints
        text = self.note_input.text()
        if not text.strip():
            return
        self._act(lambda s, a, c: complaints.add_note(s, a, c, text), self.note_fields,
                  done=self.note_input.clear)
