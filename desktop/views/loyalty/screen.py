"""The loyalty workspace: the members list, the lookup (typed or scanned), enrolment, and
the member panel beside the list."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from core import clock, loyalty
from core.errors import ValidationError
from core.permissions import Perm
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QDialog, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter, Qt, QTimer, QVBoxLayout, QWidget,
)
from desktop.views.base import Screen
from desktop.views.enroll import EnrollDialog
from desktop.views.loyalty._common import DEBOUNCE_MS, points
from desktop.views.loyalty.dialogs import FindCustomerDialog
from desktop.views.loyalty.panel import MemberPanel
from desktop.widgets.message import MessageBanner
from desktop.widgets.table import list_table
from desktop.widgets.tones import tone

if TYPE_CHECKING:
    import uuid

    from desktop.context import AppContext


class LoyaltyScreen(Screen):
    key, icon, perm = "loyalty", "star", Perm.MANAGE_LOYALTY
    watches = ("loyalty_account", "loyalty_entry", "customer")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._upkeep_day: date | None = None
        self._seq = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        head = self.add_header(outer, refresh=False)
        self.enrol_button = QPushButton(self.tr("Enrol a customer…"))
        self.enrol_button.setObjectName("primary")
        self.enrol_button.setShortcut("Ctrl+E")
        self.enrol_button.setToolTip(self.tr("Enrol a customer (Ctrl+E)"))
        self.enrol_button.clicked.connect(self.enrol_customer)
        head.addWidget(self.enrol_button)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.activate)
        head.addWidget(self.refresh_button)
        self.lookup = QLineEdit()
        self.lookup.setObjectName("memberLookup")
        self.lookup.setClearButtonEnabled(True)
        self.lookup.setPlaceholderText(self.tr("Member number, name, or scan the card"))
        outer.addWidget(self.lookup)
        self.alert = MessageBanner("warning")
        outer.addWidget(self.alert)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.model = RowsModel(self._columns(), self)
        self.table = list_table(self.model, sortable=True)
        self.table.setObjectName("memberTable")
        hdr = self.table.horizontalHeader()
        for col in (1, 2, 3):
            hdr.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        ll.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("emptyNote")
        self.empty.setWordWrap(True)
        self.empty.hide()
        ll.addWidget(self.empty)
        split.addWidget(left)
        self.panel = MemberPanel(ctx)
        self.panel.hide()
        self.panel.enrol_requested.connect(self.enrol)
        split.addWidget(self.panel)
        left.setMinimumWidth(400)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([440, 600])
        outer.addWidget(split, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.load_list)
        self.lookup.textChanged.connect(lambda _: self._timer.start())
        self.lookup.returnPressed.connect(self._lookup_enter)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _: self.open_row(cur.row()))
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))

    def title(self) -> str:
        return self.tr("Loyalty")

    def _columns(self) -> list[Column]:
        return [Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Member"), lambda r: r.member_number),
                Column(self.tr("Tier"), lambda r: label(r.tier)),
                Column(self.tr("Points"), lambda r: points(r.balance), sort_key=lambda r: r.balance,
                       align_right=True, foreground=lambda r: tone("bad") if r.balance < 0 else None)]

    # loading

    def activate(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None or self.ctx.locked:
            return
        today = clock.today(self.ctx.store.timezone if self.ctx.store else "UTC")
        if self._upkeep_day != today:
            # once a day: points past their date written off, ended tier periods applied
            self._upkeep_day = today
            actor = self.ctx.actor
            # (its announcement reloads this screen when it wrote something)
            self.ctx.write(lambda s: loyalty.daily_upkeep(s, actor), on_error=self.fail, owner=self)
        self.load_list()
        if self.panel.member is not None:
            self.panel.reload()

    def load_list(self) -> None:
        actor, text = self.ctx.actor, self.lookup.text()
        if actor is None:
            return
        self._seq += 1
        seq = self._seq
        self.ctx.read(lambda s: (loyalty.list_members(s, actor, text=text), loyalty.flag_negative_balances(s, actor)),
                      on_result=lambda r: self._listed(seq, r), on_error=self.fail, owner=self)

    def _listed(self, seq: int, result: tuple[list[loyalty.MemberRow], list[loyalty.MemberRow]]) -> None:
        if seq != self._seq or self.ctx.locked:
            return
        rows, negative = result
        self.model.set_rows(rows)
        self.summary.setText(self.tr("{0} shown").format(len(rows)) if rows else "")
        self.empty.setText("" if rows else (self.tr("No member matches.") if self.lookup.text().strip()
                                            else self.tr("No loyalty members yet.")))
        self.empty.setVisible(not rows)
        if negative:
            self.alert.setText(self.tr("{0} member(s) have a negative balance after sync: points were spent at two "
                                       "counters while offline. Open each and settle it with an adjustment.")
                               .format(len(negative)))
        self.alert.setVisible(bool(negative))
        if self.panel.member is not None:
            for i, r in enumerate(rows):
                if r.id == self.panel.member.id:
                    self.table.selectionModel().blockSignals(True)
                    self.table.selectRow(i)
                    self.table.selectionModel().blockSignals(False)
                    break

    def open_row(self, row: int) -> None:
        r = self.model.data(self.model.index(row, 0), RowRole) if row >= 0 else None
        if r is not None:
            self.open_account(r.id)

    def open_account(self, account_id: uuid.UUID) -> None:
        self.panel.show()
        self.panel.show_account(account_id)

    def _lookup_enter(self) -> None:
        self._timer.stop()
        text = self.lookup.text()
        if loyalty.parse_card_code(text):
            self.open_card(text)
        elif self.model.rowCount():
            self.table.selectRow(0)
            self.open_row(0)
        else:
            self.load_list()

    def open_card(self, code: str) -> None:
        """A scanned card (QR payload or barcode): open that member. The shell's global search
        may hand a card code here."""
        actor = self.ctx.actor
        try:
            number = loyalty.parse_card_code(code)
            if number is None:
                raise ValidationError("code", "is not a member number")
        except ValidationError as e:
            self.fail(e)
            return
        self.lookup.blockSignals(True)
        self.lookup.setText(number)
        self.lookup.blockSignals(False)
        self.load_list()

        def found(m: loyalty.MemberView | None) -> None:
            if m is None:
                self.empty.setText(self.tr("No member has this card."))
                self.empty.show()
                return
            self.open_account(m.id)
        self.ctx.read(lambda s: loyalty.find_by_member_number(s, actor, number), on_result=found,
                      on_error=self.fail, owner=self)

    # enrolment

    def enrol_customer(self) -> None:
        dlg = FindCustomerDialog(self.ctx, self)
        dlg.chosen.connect(self.enrol)
        dlg.open()
        self.find_dialog = dlg

    def enrol(self, customer_id: uuid.UUID) -> None:
        dlg = EnrollDialog(self.ctx, customer_id, self)
        dlg.enrolled.connect(lambda m: self.open_account(m.id))
        dlg.open()
        self.enroll_dialog = dlg

    # lock

    def clear_sensitive(self) -> None:
        for dlg in self.findChildren(QDialog):     # nothing about a customer stays open
            dlg.reject()
            dlg.deleteLater()
        self._timer.stop()
        self._seq += 1
        self._restore = (self.lookup.text(), self.panel.member.id if self.panel.member else None)
        self.lookup.blockSignals(True)
        self.lookup.clear()
        self.lookup.blockSignals(False)
        self.model.clear()
        self.summary.clear()
        self.alert.clear()
        self.alert.hide()
        self.panel.clear()
        self.panel.hide()

    def restore(self) -> None:
        text, account_id = getattr(self, "_restore", ("", None))
        self.lookup.blockSignals(True)
        self.lookup.setText(text)
        self.lookup.blockSignals(False)
        self.load_list()
        if account_id is not None:
            self.open_account(account_id)
