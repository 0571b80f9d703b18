"""The loyalty workspace: find a member (type, or scan the card), see the card, tier,
balance and ledger, and earn, redeem or adjust.  ``MemberPanel`` is the member's side
of it on its own, for the customer profile; ``CardView`` paints the member card."""

from __future__ import annotations

from datetime import date, timedelta

from core import clock, customers, loyalty
from core.errors import ValidationError
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QColor, QCoreApplication, QDialog, QFont, QFormLayout, QFrame, QGridLayout, QHBoxLayout,
    QHeaderView, QImage, QLabel, QLineEdit, QLocale, QPainter, QPushButton, QRect, QSize, QSpinBox, QSplitter, Qt,
    QTableView, QTimer, QVBoxLayout, QWidget, Signal,
)
from desktop.views.base import Screen
from desktop.views.enroll import EnrollDialog

CHANGES = {"loyalty_account", "loyalty_entry"}
TIER_COLOURS = {"platinum": "#5b6770", "gold": "#b08a2e", "silver": "#8a949c"}
DEBOUNCE_MS = 200


def _table(model) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.setSortingEnabled(True)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return t


def points(n: int, signed: bool = False) -> str:
    text = QLocale().toString(abs(n) if signed else n)
    return (("+" if n > 0 else "−" if n < 0 else "") + text) if signed else text


# --- the card -----------------------------------------------------------------------------------

def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code's modules (ReportLab's encoder: the same one the printed card uses)."""
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.make()
    n = qr.getModuleCount()
    return [[bool(qr.isDark(r, c)) for c in range(n)] for r in range(n)]


def code128_runs(value: str) -> list[tuple[bool, int]]:
    """Code 128 as (is a bar, width in modules) runs, start and stop codes included."""
    from reportlab.graphics.barcode.code128 import Code128
    code = Code128(value)
    code.validate()
    code.encode()
    code.decompose()
    return [(ch.isupper(), ord(ch.lower()) - ord("a") + 1) for ch in code.decomposed]


class CardView(QWidget):
    """The member card as the customer gets it: name, tier, number, a QR code (the payload
    ``ORCHARD:M:<number>``) and a Code 128 barcode of the number, for either scanner."""

    SIZE = QSize(340, 215)        # ID-1 proportions

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("memberCard")
        self.setFixedSize(self.SIZE)
        self.number = ""
        self.name = ""
        self.tier = ""
        self._qr: list[list[bool]] = []
        self._bars: list[tuple[bool, int]] = []

    def set_member(self, number: str, name: str, tier: str) -> None:
        self.number, self.name, self.tier = number, name, tier
        self._qr = qr_matrix(loyalty.card_payload(number)) if number else []
        self._bars = code128_runs(number) if number else []
        self.setAccessibleName(self.tr("Member card {0}").format(number))
        self.update()

    def clear(self) -> None:
        self.set_member("", "", "")

    def payload(self) -> str:
        return loyalty.card_payload(self.number) if self.number else ""

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        p.setPen(QColor("#c9d1d9"))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(0, 0, w - 1, h - 1, 14, 14)
        if not self.number:
            p.end()
            return
        band = QColor(TIER_COLOURS.get(self.tier, "#2f855a"))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(band)
        p.drawRoundedRect(0, 0, w - 1, 46, 14, 14)
        p.drawRect(0, 26, w - 1, 20)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(15)
        p.setFont(font)
        p.setPen(QColor("#ffffff"))
        p.drawText(QRect(14, 0, w - 28, 46), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   self.tr("Orchard Rewards"))
        font.setPixelSize(13)
        p.setFont(font)
        p.drawText(QRect(14, 0, w - 28, 46), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                   label(self.tier))
        # the QR code on the right, whole pixels per module so it scans off a screen
        n = len(self._qr)
        qr_px = 0
        if n:
            cell = max(2, 92 // n)
            qr_px = cell * n
            x0, y0 = w - qr_px - 14, 56
            p.setBrush(QColor("#000000"))
            for r, row in enumerate(self._qr):
                for c, dark in enumerate(row):
                    if dark:
                        p.drawRect(x0 + c * cell, y0 + r * cell, cell, cell)
        # name and number on the left
        text_w = w - qr_px - 40
        p.setPen(QColor("#1a202c"))
        font.setPixelSize(17)
        p.setFont(font)
        name = p.fontMetrics().elidedText(self.name, Qt.TextElideMode.ElideRight, text_w)
        p.drawText(QRect(14, 58, text_w, 26), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        font.setBold(False)
        font.setPixelSize(11)
        p.setFont(font)
        p.setPen(QColor("#5f6b7a"))
        p.drawText(QRect(14, 92, text_w, 16), Qt.AlignmentFlag.AlignLeft, self.tr("Member number"))
        font.setBold(True)
        font.setPixelSize(16)
        p.setFont(font)
        p.setPen(QColor("#1a202c"))
        grouped = " ".join(self.number[i:i + 4] for i in range(0, len(self.number), 4))
        p.drawText(QRect(14, 108, text_w + 14, 24), Qt.AlignmentFlag.AlignLeft, grouped)
        # the barcode along the foot
        modules = sum(width for _, width in self._bars)
        if modules:
            unit = max(1, (w - 40) // modules)
            x = (w - modules * unit) // 2
            p.setBrush(QColor("#000000"))
            for is_bar, width in self._bars:
                if is_bar:
                    p.drawRect(x, 158, width * unit, 42)
                x += width * unit
        p.end()

    def image(self) -> QImage:
        return self.grab().toImage()


def print_card(parent, ctx, account_id) -> None:
    """The printable card (front, back, welcome letter) is the reports' document; preview it."""
    try:
        from core import report_data
        from desktop.views.preview import PreviewDialog
        from reports import member_card
    except ImportError:
        from desktop.qt import QMessageBox
        QMessageBox.information(parent, QCoreApplication.translate("MemberPanel", "Not available"),
                                QCoreApplication.translate(
                                    "MemberPanel", "Printing is not installed on this counter; the card on screen "
                                                   "scans."))
        return
    actor = ctx.actor
    lang = "zh_CN" if QLocale().name().startswith("zh") else "en"

    def render(session):
        return member_card.render(report_data.member_card(session, actor, account_id), lang=lang)
    PreviewDialog(ctx, QCoreApplication.translate("MemberPanel", "Member card"), render, parent).open()


# --- the member's side ---------------------------------------------------------------------------

class MemberPanel(QFrame):
    """One member: the card, tier and what it gives, balance, what expires next, the ledger,
    and the actions. ``show_account``/``show_customer`` load it; ``changed`` after a write."""

    changed = Signal()
    enrol_requested = Signal(object)       # customer id

    def __init__(self, ctx, parent=None):
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
        self.balance_label.setStyleSheet("font-size: 28px; font-weight: 700; color: #1a202c;")
        self.value_label = QLabel()
        self.value_label.setObjectName("summary")
        self.value_label.setWordWrap(True)
        self.spend_label, self.next_label, self.review_label, self.benefits_label, self.expiry_label = (
            QLabel(), QLabel(), QLabel(), QLabel(), QLabel())
        self.since_label = QLabel()
        for w in (self.tier_label, self.balance_label, self.value_label, self.spend_label, self.next_label):
            head.addWidget(w)
        self.spend_label.setWordWrap(True)
        self.next_label.setWordWrap(True)
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
        self.warning = QLabel()
        self.warning.setObjectName("fieldError")
        self.warning.setWordWrap(True)
        self.warning.hide()
        lay.addWidget(self.warning)
        actions = QHBoxLayout()
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
        for b in (self.earn_button, self.redeem_button, self.adjust_button, self.print_button, self.enrol_button):
            actions.addWidget(b)
        actions.addStretch(1)
        lay.addLayout(actions)
        self.ledger_model = RowsModel(self._ledger_columns(), self)
        self.ledger_table = _table(self.ledger_model)
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

    def _ledger_columns(self):
        def reason(r):
            if r.kind == "expire":
                return self.tr("Points expired")
            if r.kind == "bonus" and r.ref_type == "enrolment":
                return self.tr("Welcome bonus")
            return r.reason
        return [Column(self.tr("Date"), lambda r: fmt.day(r.at)),
                Column(self.tr("Points"), lambda r: points(r.points, signed=True), align_right=True,
                       foreground=lambda r: QColor("#c53030") if r.points < 0 else QColor("#2f855a")),
                Column(self.tr("Balance"), lambda r: points(r.balance_after), align_right=True),
                Column(self.tr("Entry"), lambda r: " · ".join(x for x in (label(r.kind, "loyalty_entry"), reason(r)) if x)),
                Column(self.tr("Where, who"), lambda r: " · ".join(x for x in (r.store, r.staff) if x))]

    # loading

    def show_account(self, account_id) -> None:
        actor = self.ctx.actor
        if actor is None:
            return
        self._seq += 1
        seq = self._seq
        self.ctx.read(lambda s: (loyalty.member(s, actor, account_id), loyalty.ledger(s, actor, account_id)),
                      on_result=lambda r: self._loaded(seq, r), on_error=self._failed, owner=self)

    def show_customer(self, customer_id) -> None:
        """For the profile: the customer's membership, or the way to join."""
        actor = self.ctx.actor
        if actor is None:
            return
        self.customer_id = customer_id
        self._seq += 1
        seq = self._seq

        def work(s):
            m = loyalty.member_for_customer(s, actor, customer_id)
            return (m, loyalty.ledger(s, actor, m.id) if m else [])
        self.ctx.read(work, on_result=lambda r: self._loaded(seq, r), on_error=self._failed, owner=self)

    def reload(self) -> None:
        if self.member is not None:
            self.show_account(self.member.id)
        elif self.customer_id is not None:
            self.show_customer(self.customer_id)

    def _loaded(self, seq, result) -> None:
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
        self.tier_label.setStyleSheet(f"font-size: 20px; font-weight: 700; color: {colour};")
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
            self.ctx.write(lambda s: loyalty.expire_due(s, actor, aid), CHANGES, on_result=lambda _: self.reload(),
                           on_error=self._failed, owner=self)

    def _enable(self, m) -> None:
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

    def _failed(self, exc) -> None:
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


# --- dialogs ----------------------------------------------------------------------------------------

class _LedgerDialog(QDialog):
    done_with = Signal(object)         # LedgerResult

    def __init__(self, ctx, member: loyalty.MemberView, parent=None):
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

    def add_field(self, form: QFormLayout, name: str, text: str, widget) -> None:
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

    def run(self, fn) -> None:
        self.fields.clear()
        self.ok.setEnabled(False)
        self.ctx.write(fn, CHANGES, on_result=self._done, on_error=self._failed, owner=self)

    def _done(self, result) -> None:
        self.done_with.emit(result)
        self.accept()

    def _failed(self, exc) -> None:
        self.ok.setEnabled(True)
        show_error(self, exc, self.fields)


class EarnDialog(_LedgerDialog):
    """Pick a collected repair or a purchase that has not earned yet."""

    def __init__(self, ctx, member, parent=None):
        super().__init__(ctx, member, parent)
        self.setWindowTitle(self.tr("Earn points"))
        cur = ctx.store.currency if ctx.store else "CNY"
        kinds = {"ticket": self.tr("Repair"), "purchase": self.tr("Purchase")}
        self.model = RowsModel([
            Column(self.tr("Date"), lambda o: fmt.day(o.at), sort_key=lambda o: o.at),
            Column(self.tr("What"), lambda o: f"{kinds.get(o.ref_type, o.ref_type)} {o.label}"),
            Column(self.tr("Spend"), lambda o: fmt.money(o.spend_cents, cur), align_right=True),
            Column(self.tr("Points"), lambda o: points(o.points, signed=True), align_right=True)], self)
        self.table = _table(self.model)
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

    def _options(self, options) -> None:
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
    def __init__(self, ctx, member, parent=None):
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

    def __init__(self, ctx, member, parent=None):
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

    def __init__(self, ctx, parent=None):
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
        self.table = _table(self.model)
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

    def _rows(self, seq, rows) -> None:
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


# --- the screen -------------------------------------------------------------------------------------

class LoyaltyScreen(Screen):
    key, icon, perm = "loyalty", "star", Perm.MANAGE_LOYALTY
    watches = ("loyalty_account", "loyalty_entry", "customer")

    def __init__(self, ctx, parent=None):
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
        self.alert = QLabel()
        self.alert.setObjectName("fieldError")
        self.alert.setWordWrap(True)
        self.alert.hide()
        outer.addWidget(self.alert)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.model = RowsModel(self._columns(), self)
        self.table = _table(self.model)
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

    def _columns(self):
        return [Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Member"), lambda r: r.member_number),
                Column(self.tr("Tier"), lambda r: label(r.tier)),
                Column(self.tr("Points"), lambda r: points(r.balance), sort_key=lambda r: r.balance,
                       align_right=True, foreground=lambda r: QColor("#c53030") if r.balance < 0 else None)]

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
            self.ctx.write(lambda s: loyalty.daily_upkeep(s, actor), CHANGES, on_error=self.fail, owner=self)
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

    def _listed(self, seq, result) -> None:
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

    def open_account(self, account_id) -> None:
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

        def found(m):
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

    def enrol(self, customer_id) -> None:
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
