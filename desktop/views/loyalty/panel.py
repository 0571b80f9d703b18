"""The member's side: card, tier, balance, what expires next, the ledger and the actions;
used by the loyalty screen and on its own by the customer profile."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from core import loyalty
from core.permissions import Perm
from desktop import fmt
from desktop.errors import show_error
from desktop.labels import label
from desktop.models.rows import Column, RowsModel
from desktop.qt import (
    QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, Qt, QVBoxLayout, Signal,
)
from desktop.views.loyalty._common import TIER_COLOURS, points
from desktop.views.loyalty.card import CardView, print_card
from desktop.views.loyalty.dialogs import AdjustDialog, EarnDialog, RedeemDialog
from desktop.widgets.flow import flow_row
from desktop.widgets.message import MessageBanner
from desktop.widgets.table import list_table
from desktop.widgets.tones import tone

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from desktop.context import AppContext
    from desktop.qt import QWidget


class MemberPanel(QFrame):
    """One member: the card, tier and what it gives, balance, what expires next, the ledger,
    and the actions. ``show_account``/``show_customer`` load it; ``changed`` after a write."""

    changed = Signal()
    enrol_requested = Signal(object)       # customer id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.ctx = ctx
        self.member: loyalty.MemberView | None = None
        self.customer_id = None
        self._seq = 0
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(16)
        self.card = CardView()
        top.addWidget(self.card, 0, Qt.AlignmentFlag.AlignTop)
        head = QVBoxLayout()
        head.setSpacing(2)
        self.tier_label = QLabel()
        self.tier_label.setObjectName("tierHeadline")
        self.balance_label = QLabel()
        self.balance_label.setObjectName("balanceHeadline")
        self.balance_label.setStyleSheet("font-size: 28px; font-weight: 700;")     # the theme's text colour
        self.value_label = QLabel()
        self.value_label.setObjectName("summary")
        self.value_label.setWordWrap(True)
        self.spend_label, self.next_label, self.review_label, self.benefits_label, self.expiry_label = (
            QLabel(), QLabel(), QLabel(), QLabel(), QLabel())
        self.since_label = QLabel()
        for w in (self.tier_label, self.balance_label, self.value_label, self.spend_label, self.next_label):
            head.addWidget(w)
        for w in (self.tier_label, self.balance_label, self.spend_label, self.next_label):
            w.setWordWrap(True)     # beside the card at 1024 px there is room for a line, not always the words
        head.addStretch(1)
        top.addLayout(head, 1)
        lay.addLayout(top)
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(4)
        cells = ((0, 0, self.tr("Tier review"), self.review_label, 3),
                 (1, 0, self.tr("Benefits"), self.benefits_label, 1),
                 (1, 2, self.tr("Expiring"), self.expiry_label, 1),
                 (2, 0, self.tr("Member since"), self.since_label, 3))
        for row, col, caption, value, span in cells:
            cap = QLabel(caption)
            cap.setObjectName("summary")
            value.setWordWrap(True)
            facts.addWidget(cap, row, col, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value, row, col + 1, 1, span)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        lay.addLayout(facts)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.note.hide()
        lay.addWidget(self.note)
        self.warning = MessageBanner("warning")
        lay.addWidget(self.warning)
        self.earn_button = QPushButton(self.tr("Earn points…"))
        self.earn_button.setToolTip(self.tr("Points for a collected repair or a purchase (Ctrl+Shift+E)"))
        self.earn_button.setShortcut("Ctrl+Shift+E")
        self.earn_button.clicked.connect(self.open_earn)
        self.redeem_button = QPushButton(self.tr("Redeem…"))
        self.redeem_button.setToolTip(self.tr("Spend points (Ctrl+Shift+R)"))
        self.redeem_button.setShortcut("Ctrl+Shift+R")
        self.redeem_button.clicked.connect(self.open_redeem)
        self.adjust_button = QPushButton(self.tr("Adjust…"))
        self.adjust_button.clicked.connect(self.open_adjust)
        self.enrol_button = QPushButton(self.tr("Enrol in loyalty…"))
        self.enrol_button.setObjectName("primary")
        self.enrol_button.clicked.connect(lambda: self.enrol_requested.emit(self.customer_id))
        self.print_button = QPushButton(self.tr("Print card…"))
        self.print_button.clicked.connect(lambda: print_card(self, self.ctx, self.member.id) if self.member else None)
        # wraps at 1024 px instead of squeezing the buttons below their text
        lay.addWidget(flow_row(self.earn_button, self.redeem_button, self.adjust_button, self.print_button,
                               self.enrol_button))
        self.ledger_model = RowsModel(self._ledger_columns(), self)
        self.ledger_table = list_table(self.ledger_model, sortable=True)
        self.ledger_table.setObjectName("ledgerTable")
        self.ledger_table.setSortingEnabled(False)
        hdr = self.ledger_table.horizontalHeader()
        hdr.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        hdr.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        hdr.resizeSection(4, 140)
        lay.addWidget(self.ledger_table, 1)
        self.empty = QLabel(self.tr("Not a member of the loyalty programme."))
        self.empty.setObjectName("emptyNote")
        self.empty.hide()
        lay.addWidget(self.empty)
        self._enable(None)

    def _ledger_columns(self) -> list[Column]:
        def reason(r: loyalty.EntryRow) -> str:
            if r.kind == "expire":
                return self.tr("Points expired")
            if r.kind == "bonus" and r.ref_type == "enrolment":
                return self.tr("Welcome bonus")
            return r.reason
        return [Column(self.tr("Date"), lambda r: fmt.day(r.at)),
                Column(self.tr("Points"), lambda r: points(r.points, signed=True), align_right=True,
                       foreground=lambda r: tone("bad") if r.points < 0 else tone("good")),
                Column(self.tr("Balance"), lambda r: points(r.balance_after), align_right=True),
                Column(self.tr("Entry"), lambda r: " · ".join(x for x in (label(r.kind, "loyalty_entry"), reason(r)) if x)),
                Column(self.tr("Where, who"), lambda r: " · ".join(x for x in (r.store, r.staff) if x))]

    # loading

    def show_account(self, account_id: uuid.UUID) -> None:
        actor = self.ctx.actor
        if actor is None:
            return
        self._seq += 1
        seq = self._seq
        self.ctx.read(lambda s: (loyalty.member(s, actor, account_id), loyalty.ledger(s, actor, account_id)),
                      on_result=lambda r: self._loaded(seq, r), on_error=self._failed, owner=self)

    def show_customer(self, customer_id: uuid.UUID) -> None:
        """For the profile: the customer's membership, or the way to join."""
        actor = self.ctx.actor
        if actor is None:
            return
        self.customer_id = customer_id
        self._seq += 1
        seq = self._seq

        def work(s: Session) -> tuple[loyalty.MemberView | None, list[loyalty.EntryRow]]:
            m = loyalty.member_for_customer(s, actor, customer_id)
            return (m, loyalty.ledger(s, actor, m.id) if m else [])
        self.ctx.read(work, on_result=lambda r: self._loaded(seq, r), on_error=self._failed, owner=self)

    def reload(self) -> None:
        if self.member is not None:
            self.show_account(self.member.id)
        elif self.customer_id is not None:
            self.show_customer(self.customer_id)

    def _loaded(self, seq: int, result: tuple[loyalty.MemberView | None, list[loyalty.EntryRow]]) -> None:
        if seq != self._seq or self.ctx.locked:
            return
        m, rows = result
        self.member = m
        if m is None:
            self.clear(keep_customer=True)
            self.empty.show()
            self._enable(None)
            return
        self.customer_id = m.customer_id
        self.empty.hide()
        self.card.set_member(m.member_number, m.display_name, m.tier)
        self.tier_label.setText(self.tr("{0} member").format(label(m.tier)))
        colour = TIER_COLOURS.get(m.tier, "#2f855a")
        # the tier's colour as a bar beside the words: tier colours are too pale to be text on either theme
        self.tier_label.setStyleSheet(f"font-size: 20px; font-weight: 700; border-left: 6px solid {colour}; "
                                      "padding-left: 8px;")
        self.balance_label.setText(self.tr("{0} points").format(points(m.balance)))
        cur = self.ctx.store.currency if self.ctx.store else "CNY"
        self.value_label.setText(self.tr("worth {0} in rewards").format(
            fmt.money(max(0, m.balance) * m.cents_per_point, cur)))
        self.since_label.setText(self.tr("{0} · agreed to terms version {1}").format(fmt.day(m.enrolled_at),
                                                                                     m.terms_version))
        self.spend_label.setText(self.tr("{0} spent in the last 12 months").format(
            fmt.money(m.rolling_spend_cents, cur)))
        self.next_label.setText(self.tr("{0} more for {1}").format(fmt.money(m.spend_to_next_cents, cur),
                                                                  label(m.next_tier))
                                if m.next_tier else self.tr("highest tier reached"))
        review_day = fmt.day(m.review_at - timedelta(seconds=1))     # the last day of the period
        if m.tier_after_review != m.tier:
            self.review_label.setText(self.tr("{0} until {1}, then {2} unless more is spent").format(
                label(m.tier), review_day, label(m.tier_after_review)))
        else:
            self.review_label.setText(self.tr("{0} is kept at the review on {1}").format(
                label(m.tier), fmt.day(m.review_at)))
        perks = []
        if m.benefits.priority_queue:
            perks.append(self.tr("priority at the repair counter"))
        if m.benefits.repair_discount_pct:
            perks.append(self.tr("{0}% off repair labour").format(m.benefits.repair_discount_pct))
        self.benefits_label.setText(", ".join(perks) if perks else self.tr("points on every purchase and repair"))
        self.expiry_label.setText(self.tr("{0} points on {1}").format(points(m.expiring_points),
                                                                       fmt.day(m.expiring_at))
                                  if m.expiring_at else self.tr("nothing due to expire"))
        if m.negative:
            self.warning.setText(self.tr("The balance is below zero: points were spent at two counters while "
                                         "offline. A manager can settle it with an adjustment."))
            self.warning.show()
        else:
            self.warning.hide()
        self.ledger_model.set_rows(rows)
        self._enable(m)
        if m.overdue_points:      # points past their date: write them off now (once)
            actor, aid = self.ctx.actor, m.id
            self.ctx.write(lambda s: loyalty.expire_due(s, actor, aid), on_result=lambda _: self.reload(),
                           on_error=self._failed, owner=self)

    def _enable(self, m: loyalty.MemberView | None) -> None:
        member = m is not None and m.active
        loyal = self.ctx.can(Perm.MANAGE_LOYALTY)
        self.earn_button.setVisible(loyal and member)
        self.redeem_button.setVisible(loyal and member)
        self.redeem_button.setEnabled(member and m.balance >= m.redeem_min)
        self.adjust_button.setVisible(member and self.ctx.can(Perm.ADJUST_LOYALTY))
        self.print_button.setVisible(loyal and member)
        self.enrol_button.setVisible(loyal and m is None and self.customer_id is not None)
        self.ledger_table.setVisible(m is not None)
        self.card.setVisible(m is not None)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def clear(self, keep_customer: bool = False) -> None:
        self._seq += 1
        self.member = None
        if not keep_customer:
            self.customer_id = None
        self.card.clear()
        for lbl in (self.tier_label, self.balance_label, self.value_label, self.spend_label, self.next_label,
                    self.review_label, self.benefits_label, self.expiry_label, self.since_label, self.note,
                    self.warning):
            lbl.clear()
        self.note.hide()
        self.warning.hide()
        self.ledger_model.clear()
        self._enable(None)

    # actions

    def open_earn(self) -> None:
        if self.member is not None:
            dlg = EarnDialog(self.ctx, self.member, self)
            dlg.done_with.connect(self._written)
            dlg.open()
            self.dialog = dlg

    def open_redeem(self) -> None:
        if self.member is not None:
            dlg = RedeemDialog(self.ctx, self.member, self)
            dlg.done_with.connect(self._written)
            dlg.open()
            self.dialog = dlg

    def open_adjust(self) -> None:
        if self.member is not None:
            dlg = AdjustDialog(self.ctx, self.member, self)
            dlg.done_with.connect(self._written)
            dlg.open()
            self.dialog = dlg

    def _written(self, result: loyalty.LedgerResult) -> None:
        cur = self.ctx.store.currency if self.ctx.store else "CNY"
        e = result.entry
        text = {"earn": self.tr("{0} points earned for {1}.").format(points(e.points), e.ref_label or e.reason),
                "redeem": self.tr("{0} points redeemed ({1}).").format(
                    points(-e.points), fmt.money(-e.points * (self.member.cents_per_point if self.member else 0), cur)),
                "adjust": self.tr("Balance adjusted by {0}.").format(points(e.points, signed=True))}.get(e.kind, "")
        if result.tier_changed:
            text += " " + self.tr("Tier changed: {0} → {1}.").format(label(result.previous_tier), label(result.tier))
        self.note.setText(text.strip())
        self.note.setVisible(bool(text.strip()))
        self.changed.emit()
        self.reload()
