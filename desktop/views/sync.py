"""The Sync panel of the Sync & settings screen: the connection with HQ (enrol once with
the code HQ printed), what sync is doing, the operations HQ refused (parked, with the
reason) and the loyalty members whose balance went below zero after offline redemptions.

All work goes through the runner: database reads on the database thread, enrolment and
sync on the I/O pool (they wait for the network)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core import terms
from core.errors import ValidationError
from core.permissions import Perm
from core.sync import client as sync_client
from core.sync.apply import negative_balances
from core.version import VERSION
from desktop import fmt, labels
from desktop.errors import FieldErrors, show_error, translate_error
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QCoreApplication, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QProgressBar, QPushButton, Qt, QTableView, QVBoxLayout, QWidget,
)
from desktop.widgets.field import general_error
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.permissions import Actor
    from desktop.context import AppContext
    from desktop.sync_service import SyncService
    from desktop.workers import Progress

RECORDS = {
    "customer": QT_TRANSLATE_NOOP("SyncPanel", "customer"),
    "repair_ticket": QT_TRANSLATE_NOOP("SyncPanel", "repair ticket"),
    "appointment": QT_TRANSLATE_NOOP("SyncPanel", "appointment"),
    "tradein_quote": QT_TRANSLATE_NOOP("SyncPanel", "trade-in quote"),
    "loyalty_entry": QT_TRANSLATE_NOOP("SyncPanel", "loyalty entry"),
    "loyalty_account": QT_TRANSLATE_NOOP("SyncPanel", "loyalty member"),
    "device": QT_TRANSLATE_NOOP("SyncPanel", "device"),
    "part": QT_TRANSLATE_NOOP("SyncPanel", "part"),
    "price_book": QT_TRANSLATE_NOOP("SyncPanel", "price book"),
    "service_type": QT_TRANSLATE_NOOP("SyncPanel", "service type"),
    "staff": QT_TRANSLATE_NOOP("SyncPanel", "staff account"),
}
OPS = {
    "insert": QT_TRANSLATE_NOOP("SyncPanel", "added"),
    "update": QT_TRANSLATE_NOOP("SyncPanel", "changed"),
    "delete": QT_TRANSLATE_NOOP("SyncPanel", "removed"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("SyncPanel", text)


@dataclass(frozen=True)
class PanelData:
    status: sync_client.SyncStatus
    parked: list[sync_client.ParkedOp]
    negative: list[tuple[str, int]]


def load(session: Session, actor: Actor) -> PanelData:
    # the negative balances name members, so only those who look after loyalty read them
    negative = negative_balances(session, actor) if actor.can(Perm.MANAGE_LOYALTY) else []
    return PanelData(sync_client.status(session), sync_client.parked_ops(session), negative)


def service_for(ctx: AppContext) -> SyncService:
    """The app's SyncService (made on first use when the window has none yet)."""
    svc = getattr(ctx, "sync_service", None)
    if svc is None:
        from desktop.sync_service import SyncService
        svc = SyncService(ctx, ctx)
    return svc


class SyncPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.ctx = ctx
        self.service = service_for(ctx)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

        # where sync stands
        self.state_box = QGroupBox(self.tr("Headquarters"))
        form = QFormLayout(self.state_box)
        # how sync stands, as a message of its kind: a failed sync is an error, never a tip
        self.headline = MessageBanner("info")
        self.address = QLabel()
        self.address.setTextInteractionFlags(self.address.textInteractionFlags()
                                             | self.address.textInteractionFlags().TextSelectableByMouse)
        self.last_success = QLabel()
        self.waiting = QLabel()
        self.behind = QLabel()
        self.clock = MessageBanner("warning")
        form.addRow(self.tr("Status"), self.headline)
        form.addRow(self.tr("HQ address"), self.address)
        form.addRow(self.tr("Last successful sync"), self.last_success)
        form.addRow(self.tr("Waiting to send"), self.waiting)
        form.addRow(self.tr("Waiting to receive"), self.behind)
        form.addRow("", self.clock)
        # this counter's version, and a newer one when HQ announced it (core.version)
        self.version = QLabel(VERSION)
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.update_note = MessageBanner("info")
        form.addRow(self.tr("This version"), self.version)
        form.addRow("", self.update_note)
        row = QHBoxLayout()
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(self._sync_now)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(6)
        self.progress.setTextVisible(False)
        self.progress.hide()
        row.addWidget(self.sync_button)
        row.addWidget(self.progress, 1)
        form.addRow("", row)
        lay.addWidget(self.state_box)

        # enrolment (administrators, once)
        self.enrol_box = QGroupBox(self.tr("Connect this store to HQ"))
        eform = QFormLayout(self.enrol_box)
        hint = MessageBanner("info", self.tr("HQ gives you an address and a one-time code (orchard-hq enroll-store). "
                                             "Outside this computer HQ must use https; give the CA certificate HQ's "
                                             "certificate was issued by."))
        eform.addRow(hint)
        self.fields = FieldErrors(general=general_error())
        self.url = QLineEdit()
        self.url.setObjectName("hqUrl")
        self.url.setPlaceholderText("https://hq.example.com")
        self.code = QLineEdit()
        self.code.setObjectName("enrolCode")
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.ca = QLineEdit()
        self.ca.setObjectName("caFile")
        self.ca.setPlaceholderText(self.tr("system certificates"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca, 1)
        ca_row.addWidget(browse)
        for field, text, widget in (("url", self.tr("HQ address"), self.url),
                                    ("code", self.tr("Enrolment code"), self.code),
                                    ("ca", self.tr("CA certificate"), ca_row)):
            box = QVBoxLayout()
            box.setSpacing(2)
            if isinstance(widget, QWidget):
                box.addWidget(widget)
            else:
                box.addLayout(widget)
            err = QLabel()
            box.addWidget(err)
            self.fields.bind(field, err, widget if isinstance(widget, QWidget) else self.ca)
            eform.addRow(text, box)
        eform.addRow(self.fields.general)
        self.enrol_button = QPushButton(self.tr("Enrol with HQ"))
        self.enrol_button.setObjectName("enrolButton")
        self.enrol_button.clicked.connect(self._enrol)
        eform.addRow("", self.enrol_button)
        lay.addWidget(self.enrol_box)

        # what HQ refused
        self.parked_box = QGroupBox(self.tr("Changes HQ refused"))
        play = QVBoxLayout(self.parked_box)
        self.parked_note = MessageBanner("error", self.tr("HQ refused these changes; they stay here and do not "
                                                          "sync. This store's copy was set back to HQ's where HQ "
                                                          "has one."))
        play.addWidget(self.parked_note)
        self.parked_model = RowsModel([
            Column(self.tr("When"), lambda r: fmt.date_time(r.created_at), sort_key=lambda r: r.created_at),
            Column(self.tr("Record"), lambda r: _t(RECORDS.get(r.entity, r.entity.replace("_", " ")))),
            Column(self.tr("Change"), lambda r: _t(OPS.get(r.op, r.op))),
            Column(self.tr("Reason"), lambda r: self.reason(r.reason)),
        ], self)
        self.parked_table = QTableView()
        self.parked_table.setObjectName("parkedOps")
        self.parked_table.setModel(self.parked_model)
        self.parked_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.parked_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.parked_table.verticalHeader().hide()
        self.parked_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.parked_table.setMinimumHeight(120)
        play.addWidget(self.parked_table)
        prow = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Send again"))
        self.retry_button.setObjectName("retryParked")
        self.retry_button.setToolTip(self.tr("After HQ's data or rules were corrected"))
        self.retry_button.clicked.connect(self._retry)
        prow.addStretch(1)
        prow.addWidget(self.retry_button)
        play.addLayout(prow)
        lay.addWidget(self.parked_box)

        # loyalty balances below zero
        self.negative_box = QGroupBox(self.tr("Loyalty balances below zero"))
        nlay = QVBoxLayout(self.negative_box)
        note = MessageBanner("warning", self.tr("The same points were redeemed at two stores while offline. Both "
                                                "redemptions are kept; a manager decides what to do."))
        nlay.addWidget(note)
        self.negative_model = RowsModel([
            Column(self.tr("Member"), lambda r: r[0]),
            Column(self.tr("Balance"), lambda r: self.tr("{0} points").format(r[1]),
                   sort_key=lambda r: r[1], align_right=True),
        ], self)
        self.negative_table = QTableView()
        self.negative_table.setObjectName("negativeBalances")
        self.negative_table.setModel(self.negative_model)
        self.negative_table.verticalHeader().hide()
        self.negative_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.negative_table.setMaximumHeight(140)
        nlay.addWidget(self.negative_table)
        lay.addWidget(self.negative_box)
        lay.addStretch(1)

        for hidden_until_loaded in (self.sync_button, self.enrol_box, self.parked_box, self.negative_box):
            hidden_until_loaded.hide()
        self.service.running_changed.connect(self._running)
        self.service.finished.connect(lambda _: self.activate())
        self.data: PanelData | None = None

    # --- showing -----------------------------------------------------------------------------

    @staticmethod
    def reason(text: str) -> str:
        """HQ parks an operation with a code and a detail that names no value ("clock_ahead: 14",
        the hours ahead); only the code and the number reach the screen, in the catalogue's words
        (core.terms, which the HQ console reads too)."""
        return terms.sync_refusal(text, labels.language())

    def activate(self) -> None:
        actor = self.ctx.actor
        if self.ctx.db is None or actor is None:
            return
        self.ctx.read(lambda s: load(s, actor), on_result=self._loaded, on_error=lambda e: show_error(self, e),
                      owner=self)

    def _loaded(self, data: PanelData) -> None:
        if self.ctx.locked:
            return
        self.data = data
        st = data.status
        admin = self.ctx.can(Perm.MANAGE_STORE)
        self.enrol_box.setVisible(not st.enrolled and admin)
        self.sync_button.setVisible(st.enrolled)
        self.sync_button.setEnabled(st.enrolled and not self.service.running)
        self.headline.setText(self.service.describe(st) if st.enrolled else
                              self.tr("Not connected: this store works offline and keeps every change "
                                      "until it is enrolled with HQ."))
        self.address.setText(st.url or "–")
        self.last_success.setText(self.service.when(st.last_success) if st.enrolled else "–")
        self.waiting.setText(self.tr("nothing") if st.pending == 0 else self.tr("1 change") if st.pending == 1
                             else self.tr("{0} changes").format(st.pending))
        behind = max(0, st.head - st.cursor)
        self.behind.setText("–" if not st.enrolled else self.tr("up to date") if behind == 0 else
                            self.tr("HQ had newer changes at the last contact"))
        offset = st.clock_offset_ms
        if abs(offset) > 5 * 60 * 1000:
            minutes = abs(offset) // 60000
            self.clock.setText((self.tr("This computer's clock is {0} min ahead of HQ's.") if offset > 0 else
                                self.tr("This computer's clock is {0} min behind HQ's.")).format(minutes))
        else:
            self.clock.setText("")
        self.clock.setVisible(bool(self.clock.text()))
        update = self.service.update_text(st) if st.enrolled else ""
        self.update_note.setText(update)
        self.update_note.setVisible(bool(update))
        self.parked_box.setVisible(bool(data.parked))
        self.parked_model.set_rows(data.parked)
        self.retry_button.setVisible(self.ctx.can(Perm.MANAGE_SETTINGS))
        self.negative_box.setVisible(bool(data.negative) and self.ctx.can(Perm.MANAGE_LOYALTY))
        self.negative_model.set_rows(data.negative)
        self.headline.set_kind("error" if st.last_error and st.enrolled else "success" if st.enrolled
                               and st.last_success else "info")

    def _running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.sync_button.setEnabled(not running)
        if running:
            self.headline.set_message("info", self.tr("Syncing with HQ…"))

    def clear_sensitive(self) -> None:
        # member numbers identify people: gone while the counter is locked
        self.negative_model.clear()
        self.code.clear()

    # --- actions -------------------------------------------------------------------------------

    def _sync_now(self) -> None:
        self.service.sync_now()

    def _choose_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("CA certificate of HQ"), "",
                                              self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca.setText(path)

    def _enrol(self) -> None:
        self.fields.clear()
        url, code, ca = self.url.text().strip(), self.code.text().strip(), self.ca.text().strip() or None
        if ca is not None:
            import os
            if not os.path.isfile(ca):
                self.fields.show(ValidationError("ca", "the file does not exist"))
                return
        db, actor = self.ctx.db, self.ctx.actor
        self.enrol_button.setEnabled(False)

        def work(progress: Progress) -> sync_client.Enrolment:
            return sync_client.enrol(db, actor, url, code, ca)

        def done(_: object) -> None:
            self.enrol_button.setEnabled(True)
            self.code.clear()
            self.service.refresh()
            self.activate()
            self.service.sync_now(just_enrolled=True)

        def failed(exc: BaseException) -> None:
            self.enrol_button.setEnabled(True)
            if isinstance(exc, sync_client.SyncError) and not isinstance(exc, ValidationError):
                self.fields.general.setText(translate_error(exc))
                self.fields.general.show()
                return
            show_error(self, exc, self.fields)
        self.ctx.runner.submit(work, on_result=done, on_error=failed, pool="io", owner=self)

    def _retry(self) -> None:
        rows = {self.parked_model.data(i, RowRole).seq
                for i in self.parked_table.selectionModel().selectedRows()} if self.parked_table.selectionModel() \
            else set()
        actor = self.ctx.actor
        seqs = sorted(rows) or None
        self.ctx.write(lambda s: sync_client.retry_parked(s, actor, seqs),
                       on_result=lambda _: (self.activate(), self.service.sync_now()),
                       on_error=lambda e: show_error(self, e), owner=self)
