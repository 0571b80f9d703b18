"""The audit trail for managers: who did what to which record, when. Filters (staff, record,
action, days) narrow it; a page of entries at a time is read on the database thread (the
trail can be a hundred thousand entries; the GUI never waits for it), and "Export for
auditor" writes the entries that match as CSV, with the chain's check and head, recorded in
the trail as ``audit.export``."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo


from core import audit_log, clock
from core.permissions import Perm
from core.terms import TERMS
from desktop import fmt
from desktop.labels import label, language
from desktop.models.rows import Column, RowsModel
from desktop.qt import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, Qt, QVBoxLayout,
    QWidget,
)
from desktop.views.base import Screen
from desktop.widgets.dates import date_edit, pydate
from desktop.widgets.flow import flow_row
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.context import AppContext

PAGE = 100
# the kinds of record the trail names (AuditEvent.entity), most asked for first
ENTITIES = ("customer", "repair_ticket", "appointment", "tradein_quote", "loyalty_account", "walk_in", "staff",
            "store")




class AuditScreen(Screen):
    key, icon, perm = "audit", "search", Perm.VIEW_REPORTS
    watches = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        head = self.add_header(lay)
        self.export_button = QPushButton(self.tr("Export for auditor…"))
        self.export_button.setObjectName("auditExport")
        self.export_button.clicked.connect(self.export)
        head.addWidget(self.export_button)
        # filters
        self.staff = QComboBox()
        self.staff.setObjectName("auditStaff")
        self.staff.addItem(self.tr("Everyone"), None)
        self.entity = QComboBox()
        self.entity.setObjectName("auditEntity")
        self.entity.addItem(self.tr("Any record"), None)
        for code in ENTITIES:
            self.entity.addItem(label(code, "audit_record"), code)
        self.entity_id = QLineEdit()
        self.entity_id.setObjectName("auditEntityId")
        self.entity_id.setPlaceholderText(self.tr("Record id"))
        self.entity_id.setClearButtonEnabled(True)
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.action.addItem(self.tr("Any action"), None)
        lang = language()
        for code, words in sorted(TERMS["audit_action"].items(), key=lambda kv: kv[1].get(lang) or kv[1]["en"]):
            self.action.addItem(words.get(lang) or words["en"], code)
        today = self.today()
        self.since = date_edit("auditSince", today - timedelta(days=30))
        self.until = date_edit("auditUntil", today)
        self.apply_button = QPushButton(self.tr("Show"))
        self.apply_button.setObjectName("auditApply")
        self.apply_button.clicked.connect(self.first_page)
        self.entity_id.returnPressed.connect(self.first_page)
        lay.addWidget(flow_row(QLabel(self.tr("Staff")), self.staff, QLabel(self.tr("Record")), self.entity,
                               self.entity_id, QLabel(self.tr("Action")), self.action))
        lay.addWidget(flow_row(QLabel(self.tr("From")), self.since, QLabel(self.tr("To")), self.until,
                               self.apply_button))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        # the entries
        self.model = RowsModel([
            Column(self.tr("Time"), lambda r: fmt.date_time(r.at)),
            Column(self.tr("Staff"), lambda r: r.staff_name or (str(r.staff_id)[:8] if r.staff_id else "")),
            Column(self.tr("Action"), lambda r: audit_log.action_name(r.action, language())),
            Column(self.tr("Record"), lambda r: self._record(r)),
            Column(self.tr("Detail"), lambda r: r.detail),
        ], self)
        self.table = list_table(self.model, single=False)
        self.table.setObjectName("auditTable")
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        lay.addWidget(self.table, 1)
        pager = QHBoxLayout()
        self.previous_button = QPushButton(self.tr("Previous"))
        self.previous_button.setObjectName("auditPrevious")
        self.previous_button.clicked.connect(lambda: self.load(max(0, self.offset - PAGE)))
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setObjectName("auditNext")
        self.next_button.clicked.connect(lambda: self.load(self.offset + PAGE))
        self.position = QLabel()
        self.position.setObjectName("summary")
        pager.addStretch(1)
        pager.addWidget(self.position)
        pager.addWidget(self.previous_button)
        pager.addWidget(self.next_button)
        lay.addLayout(pager)
        self.offset = 0
        self.total = 0
        self._seq = 0
        self._staff_loaded = False
        self.export_path: str | None = None
        self._update_pager()

    def title(self) -> str:
        return self.tr("Audit trail")

    def today(self) -> date:
        return clock.today(self.ctx.store.timezone if self.ctx.store else "UTC")

    @staticmethod
    def _record(r: audit_log.AuditRow) -> str:
        if not r.entity:
            return ""
        what = label(r.entity, "audit_record")
        return f"{what} {r.entity_id[:8]}" if r.entity_id else what

    # --- filters --------------------------------------------------------------------------

    def filters(self) -> dict[str, object]:
        """The filters as core takes them: days in the store's time zone, the last one whole."""
        zone = ZoneInfo(self.ctx.store.timezone if self.ctx.store else "UTC")
        first, last = pydate(self.since.date()), pydate(self.until.date())
        staff_id = self.staff.currentData()
        return {"staff_id": staff_id if isinstance(staff_id, uuid.UUID) else None,
                "entity": self.entity.currentData(), "entity_id": self.entity_id.text().strip() or None,
                "action": self.action.currentData(),
                "since": datetime.combine(first, time(0), zone),
                "until": datetime.combine(last + timedelta(days=1), time(0), zone)}

    def activate(self) -> None:
        if self.ctx.actor is None or self.ctx.locked:
            return
        if not self._staff_loaded:
            actor = self.ctx.actor
            self.ctx.read(lambda s: audit_log.staff_names(s, actor), on_result=self._show_staff, on_error=self.fail,
                          owner=self)
        self.load(self.offset)

    def _show_staff(self, people: list[tuple[uuid.UUID, str]]) -> None:
        chosen = self.staff.currentData()
        self.staff.blockSignals(True)
        while self.staff.count() > 1:
            self.staff.removeItem(1)
        for staff_id, name in people:
            self.staff.addItem(name, staff_id)
        self.staff.setCurrentIndex(max(0, self.staff.findData(chosen)))
        self.staff.blockSignals(False)
        self._staff_loaded = True

    def first_page(self) -> None:
        self.load(0)

    def load(self, offset: int) -> None:
        if self.ctx.actor is None or self.ctx.locked:
            return
        actor, f = self.ctx.actor, self.filters()
        self._seq += 1
        seq = self._seq
        self.error.hide()

        def work(s: Session) -> audit_log.AuditPage:
            return audit_log.search(s, actor, limit=PAGE, offset=offset, **f)  # type: ignore[arg-type]
        self.ctx.read(work, on_result=lambda page: self._show(seq, page), on_error=self._failed, owner=self)

    def _show(self, seq: int, page: audit_log.AuditPage) -> None:
        if seq != self._seq or self.ctx.locked:
            return
        self.offset, self.total = page.offset, page.total
        self.model.set_rows(page.rows)
        self._update_pager()

    def _update_pager(self) -> None:
        shown = self.model.rowCount()
        self.position.setText(self.tr("{0}–{1} of {2}").format(self.offset + 1, self.offset + shown, self.total)
                              if shown else self.tr("No entries"))
        self.summary.setText(self.tr("{0} entries").format(self.total) if self.total else "")
        self.previous_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(self.offset + shown < self.total)

    def _failed(self, exc: BaseException) -> None:
        from core.errors import ValidationError
        if isinstance(exc, ValidationError):
            from desktop.errors import user_message
            self.error.setText(user_message(exc))
            self.error.show()
            return
        self.fail(exc)

    # --- export ---------------------------------------------------------------------------

    def export(self) -> None:
        if self.ctx.actor is None:
            return
        # opened, not exec'd (tests answer it; the lock closes it)
        name = f"audit-trail-{self.today().isoformat()}.csv"
        dialog = QFileDialog(self, self.tr("Export for auditor"), name, self.tr("CSV files (*.csv)"))
        dialog.setObjectName("auditExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        f = self.filters()
        dialog.fileSelected.connect(lambda path: self.write_export(path, f))
        dialog.open()

    def write_export(self, path: str, f: dict[str, object] | None = None) -> None:
        if not path or self.ctx.actor is None:
            return
        actor, f = self.ctx.actor, f if f is not None else self.filters()
        tz, lang = self.ctx.store.timezone if self.ctx.store else "UTC", language()

        def work(s: Session) -> tuple[str, audit_log.AuditExport]:
            exported = audit_log.export_rows(s, actor, **f)  # type: ignore[arg-type]
            audit_log.write_csv(exported, path, tz, lang)     # in the unit of work: a failed write records nothing
            return path, exported
        self.ctx.write(work, on_result=self._exported, on_error=self.fail, owner=self)

    def _exported(self, result: tuple[str, audit_log.AuditExport]) -> None:
        path, exported = result
        count, c = len(exported.rows), exported.check
        check = (self.tr("not checked (checking the chain needs an administrator)") if c is None
                 else self.tr("intact ({0} entries)").format(c.entries) if c.ok
                 else self.tr("broken at entry {0}").format(c.first_bad_seq))
        self.export_path = path
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export for auditor"),
                          self.tr("{0} entries were written to {1}.").format(count, path)
                          + "\n" + self.tr("Chain check: {0}").format(check), QMessageBox.StandardButton.Ok, self)
        box.setObjectName("auditExportDone")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.load(0 if self.offset == 0 else self.offset)

    # --- lock -----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._seq += 1
        self.model.clear()
        self.total = 0
        self._update_pager()
