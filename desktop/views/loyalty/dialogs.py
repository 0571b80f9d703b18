"""Earn, redeem and adjust (one ledger write each) and the dialog that finds the customer
to enrol."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import customers, loyalty
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, Qt, QTimer, QVBoxLayout, Signal,
)
from desktop.views.loyalty._common import DEBOUNCE_MS, points
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from desktop.context import AppContext
    from desktop.qt import QLayout, QWidget


class _LedgerDialog(QDialog):
    done_with = Signal(object)         # LedgerResult

    def __init__(self, ctx: AppContext, member: loyalty.MemberView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.member = member
        self.setMinimumWidth(460)
        self.lay = QVBoxLayout(self)
        head = QLabel(f"{member.display_name} · {member.member_number}")
        head.setObjectName("cardTitle")
        self.lay.addWidget(head)
        self.fields = FieldErrors(general=QLabel())
        self.fields.general.setObjectName("fieldError")
        self.fields.general.setWordWrap(True)

    def add_field(self, form: QFormLayout, name: str, text: str, widget: QWidget | QLayout) -> None:
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        err = QLabel()
        box.addWidget(err)
        self.fields.bind(name, err, widget)
        form.addRow(text, box)

    def finish(self, ok_text: str) -> None:
        self.lay.addWidget(self.fields.general)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        self.ok = QPushButton(ok_text)
        self.ok.setObjectName("primary")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        row.addWidget(self.ok)
        self.lay.addLayout(row)

    def submit(self) -> None:
        raise NotImplementedError

    def run(self, fn: Callable[[Session], object]) -> None:
        self.fields.clear()
        self.ok.setEnabled(False)
        self.ctx.write(fn, on_result=self._done, on_error=self._failed, owner=self)

    def _done(self, result: object) -> None:
        self.done_with.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        show_error(self, exc, self.fields)


class EarnDialog(_LedgerDialog):
    """Pick a collected repair or a purchase that has not earned yet."""

    def __init__(self, ctx: AppContext, member: loyalty.MemberView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, member, parent)
        self.setWindowTitle(self.tr("Earn points"))
        cur = ctx.store.currency if ctx.store else "CNY"
        kinds = {"ticket": self.tr("Repair"), "purchase": self.tr("Purchase")}
        self.model = RowsModel([
            Column(self.tr("Date"), lambda o: fmt.day(o.at), sort_key=lambda o: o.at),
            Column(self.tr("What"), lambda o: f"{kinds.get(o.ref_type, o.ref_type)} {o.label}"),
            Column(self.tr("Spend"), lambda o: fmt.money(o.spend_cents, cur), align_right=True),
            Column(self.tr("Points"), lambda o: points(o.points, signed=True), align_right=True)], self)
        self.table = list_table(self.model, sortable=True)
        self.table.setObjectName("earnTable")
        self.table.setMinimumHeight(220)
        self.table.doubleClicked.connect(lambda _: self.submit())
        self.lay.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("Nothing to earn for: no collected repair or purchase since joining "
                                    "that has not earned points."))
        self.empty.setObjectName("emptyNote")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.lay.addWidget(self.empty)
        self.finish(self.tr("Earn"))
        self.ok.setEnabled(False)
        actor, aid = ctx.actor, member.id
        ctx.read(lambda s: loyalty.earnable(s, actor, aid), on_result=self._options, on_error=self._failed,
                 owner=self)

    def _options(self, options: list[loyalty.EarnOption]) -> None:
        self.model.set_rows(options)
        self.empty.setVisible(not options)
        self.ok.setEnabled(bool(options))
        if options:
            self.table.selectRow(0)
            self.table.setFocus()

    def submit(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        option = self.model.data(rows[0], RowRole)
        actor, aid = self.ctx.actor, self.member.id
        self.run(lambda s: loyalty.earn(s, actor, aid, ref_type=option.ref_type, ref_id=option.ref_id))


class RedeemDialog(_LedgerDialog):
    def __init__(self, ctx: AppContext, member: loyalty.MemberView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, member, parent)
        self.setWindowTitle(self.tr("Redeem points"))
        self.cur = ctx.store.currency if ctx.store else "CNY"
        form = QFormLayout()
        self.points = QSpinBox()
        self.points.setObjectName("redeemPoints")
        step = member.redeem_step
        most = max(0, member.balance) // step * step
        self.points.setRange(member.redeem_min, max(member.redeem_min, most))
        self.points.setSingleStep(step)
        self.points.setValue(member.redeem_min)
        self.points.setGroupSeparatorShown(True)
        self.value = QLabel()
        self.points.valueChanged.connect(self._value)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. voucher, money off ticket SH01-000123 (optional)"))
        self.add_field(form, "points", self.tr("Points"), self.points)
        form.addRow(self.tr("Worth"), self.value)
        self.add_field(form, "reason", self.tr("Note"), self.reason)
        avail = QLabel(self.tr("Balance {0} points; redeem in steps of {1}.").format(points(member.balance), step))
        avail.setObjectName("summary")
        self.lay.addWidget(avail)
        self.lay.addLayout(form)
        self.finish(self.tr("Redeem"))
        self._value()
        self.points.setFocus()
        self.points.selectAll()

    def _value(self) -> None:
        self.value.setText(fmt.money(self.points.value() * self.member.cents_per_point, self.cur))

    def submit(self) -> None:
        actor, aid, n, reason = self.ctx.actor, self.member.id, self.points.value(), self.reason.text()
        self.run(lambda s: loyalty.redeem(s, actor, aid, n, reason=reason))


class AdjustDialog(_LedgerDialog):
    """A manager's correction: points up or down, and the reason (required, audited)."""

    def __init__(self, ctx: AppContext, member: loyalty.MemberView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, member, parent)
        self.setWindowTitle(self.tr("Adjust points"))
        form = QFormLayout()
        self.points = QSpinBox()
        self.points.setObjectName("adjustPoints")
        self.points.setRange(-1_000_000, 1_000_000)
        self.points.setGroupSeparatorShown(True)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("Why: goodwill, a correction, settling a negative balance"))
        self.add_field(form, "points", self.tr("Points (+ or −)"), self.points)
        self.add_field(form, "reason", self.tr("Reason"), self.reason)
        note = QLabel(self.tr("Adjustments are recorded with your name in the audit trail."))
        note.setObjectName("summary")
        self.lay.addLayout(form)
        self.lay.addWidget(note)
        self.finish(self.tr("Adjust"))
        if member.balance < 0:
            self.points.setValue(-member.balance)
        self.points.setFocus()
        self.points.selectAll()

    def submit(self) -> None:
        actor, aid, n, reason = self.ctx.actor, self.member.id, self.points.value(), self.reason.text()
        self.run(lambda s: loyalty.adjust(s, actor, aid, n, reason=reason))


class FindCustomerDialog(QDialog):
    """Pick the customer to enrol: type or scan, Enter takes the first match."""

    chosen = Signal(object)            # customer id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Enrol a customer"))
        self.setMinimumSize(560, 420)
        lay = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("enrolSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Name, 拼音, phone or email"))
        lay.addWidget(self.search)
        self.model = RowsModel([Column(self.tr("Name"), lambda r: r.display_name),
                                Column(self.tr("Phone"), lambda r: r.phone),
                                Column(self.tr("Email"), lambda r: r.email),
                                Column(self.tr("Tier"),
                                       lambda r: label(r.tier) if r.tier else self.tr("not a member"))], self)
        self.table = list_table(self.model, sortable=True)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        self.ok = QPushButton(self.tr("Continue"))
        self.ok.setObjectName("primary")
        self.ok.clicked.connect(self.take)
        row.addWidget(self.ok)
        lay.addLayout(row)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self.take)
        self.table.doubleClicked.connect(lambda _: self.take())
        self._seq = 0

    def run(self) -> None:
        self._seq += 1
        seq, actor, text = self._seq, self.ctx.actor, self.search.text()
        self.ctx.read(lambda s: customers.search(s, actor, text), on_result=lambda rows: self._rows(seq, rows),
                      on_error=lambda e: show_error(self, e), owner=self)

    def _rows(self, seq: int, rows: list[customers.CustomerRow]) -> None:
        if seq == self._seq:
            self.model.set_rows(rows)
            if rows:
                self.table.selectRow(0)

    def take(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._timer.stop()
            self.run()
            return
        r = self.model.data(rows[0], RowRole)
        self.chosen.emit(r.id)
        self.accept()
