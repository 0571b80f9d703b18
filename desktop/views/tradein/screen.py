"""The trade-in screen: lays out the questionnaire, the breakdown and the quote box, lists
stored quotes, and starts over or clears itself when the counter locks. The jobs behind each
part live in the modules beside it, mixed into ``TradeInScreen`` so the widgets stay its own
(tests and the screenshots reach them as ``screen.<widget>``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import tradein
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QScrollArea, Qt, QTableView, QTabWidget, QVBoxLayout, QWidget,
)
from desktop.views.base import Screen
from desktop.views.tradein.acceptance import TradeInAcceptance
from desktop.views.tradein.breakdown import TradeInBreakdown
from desktop.views.tradein.gates import TradeInGates
from desktop.views.tradein.questionnaire import TradeInQuestionnaire
from desktop.widgets.field import FieldRow, general_error
from desktop.widgets.flow import AdaptiveRow
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    import uuid

    from core.changes import Changes
    from desktop.context import AppContext


class TradeInScreen(TradeInQuestionnaire, TradeInBreakdown, TradeInGates, TradeInAcceptance, Screen):
    key, icon, perm = "tradein", "swap", Perm.TAKE_TRADE_INS
    watches = ("tradein_quote",)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.models: list[tradein.ModelRow] = []
        self.pricing: tradein.Pricing | None = None
        self.customer: tradein.CustomerFacts | None = None
        self.quote: tradein.QuoteView | None = None
        self.valuation: tradein.Valuation | None = None
        self.block_reason: str | None = None
        self.mode = "new"             # new, quoted, requote, done
        self._seq = {"search": 0, "pricing": 0, "imei": 0, "customer": 0}
        self._resume: tuple[Any, Any] | None = None
        self.question_boxes: dict[str, QComboBox] = {}
        self._build()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        head = self.add_header(lay, refresh=False)
        self.book_label = MessageBanner("info", hide_when_empty=False)
        self.book_label.setVisible(False)
        head.addWidget(self.book_label)
        self.new_button = QPushButton(self.tr("New trade-in"))
        self.new_button.setShortcut("Ctrl+N")
        self.new_button.setToolTip(self.tr("Start again with an empty questionnaire (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_trade_in)
        head.addWidget(self.new_button)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)
        self.tabs.addTab(self._valuation_tab(), self.tr("Valuation"))
        self.tabs.addTab(self._quotes_tab(), self.tr("Quotes"))
        self.tabs.currentChanged.connect(lambda i: self.load_quotes() if i == 1 else None)
        self._build_questions()

    def _valuation_tab(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 8, 0, 0)
        row.setSpacing(16)
        self.fields = FieldErrors(general=general_error())
        # left: who, what, and the questionnaire
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_host = QWidget()
        left = QVBoxLayout(form_host)
        left.setContentsMargins(0, 0, 8, 0)
        scroll.setWidget(form_host)
        row.addWidget(scroll, 1)

        top = QGroupBox(self.tr("Customer and device"))
        wf, df = QFormLayout(), QFormLayout()
        # side by side where there is room, one above the other at 1024 px: never scrolls sideways
        QVBoxLayout(top).addWidget(AdaptiveRow(wf, df, spacing=16))

        find_row = QHBoxLayout()
        self.customer_search = QLineEdit()
        self.customer_search.setObjectName("tradeinCustomerSearch")
        self.customer_search.setPlaceholderText(self.tr("Name or phone"))
        self.customer_search.setClearButtonEnabled(True)
        self.customer_search.returnPressed.connect(self.find_customers)
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.clicked.connect(self.find_customers)
        self.find_button.setMaximumWidth(80)
        find_row.addWidget(self.customer_search, 1)
        find_row.addWidget(self.find_button)
        wf.addRow(self.tr("Customer"), find_row)
        self.customer_pick = QComboBox()
        self.customer_pick.currentIndexChanged.connect(self._customer_picked)
        wf.addRow("", FieldRow(self.fields, "customer", self.customer_pick))
        self.payout_box = QComboBox()
        self.payout_box.currentIndexChanged.connect(lambda _: self.update_valuation())
        wf.addRow(self.tr("Paid as"), FieldRow(self.fields, "payout", self.payout_box))
        self.customer_note = QLabel()
        self.customer_note.setObjectName("customerNote")
        self.customer_note.setWordWrap(True)
        wf.addRow(self.customer_note)

        self.family_box = QComboBox()
        self.family_box.currentIndexChanged.connect(self._family_changed)
        df.addRow(self.tr("Family"), self.family_box)
        self.model_box = QComboBox()
        self.model_box.currentIndexChanged.connect(self._model_changed)
        df.addRow(self.tr("Model"), self.model_box)
        self.imei = QLineEdit()
        self.imei.setObjectName("tradeinImei")
        self.imei.setPlaceholderText(self.tr("15 digits (*#06#)"))
        self.imei.setMaxLength(24)
        self.imei.textChanged.connect(self._imei_changed)
        self.imei.editingFinished.connect(self._imei_left)
        df.addRow(self.tr("IMEI"), FieldRow(self.fields, "imei", self.imei))
        self.serial = QLineEdit()
        self.serial.setMaxLength(30)
        df.addRow(self.tr("Serial"), FieldRow(self.fields, "serial", self.serial))
        for box in (self.customer_pick, self.payout_box, self.family_box, self.model_box):
            # sized by the column, not by the longest name in the list
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(10)
        left.addWidget(top)

        self.condition = QGroupBox(self.tr("Condition"))
        self.condition_form = QFormLayout(self.condition)
        self.condition_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.addWidget(self.condition)
        left.addStretch(1)

        # right: the value, explained, and the quote
        panel = QFrame()
        panel.setObjectName("detailPanel")
        panel.setMinimumWidth(320)          # narrower at 1024 px, so the questions keep their room
        panel.setMaximumWidth(390)
        panel_scroll = self.panel_scroll = QScrollArea()
        panel_scroll.setWidgetResizable(True)
        panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        panel_scroll.setWidget(inner)
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(panel_scroll)
        right = QVBoxLayout(inner)
        self.gates_label = MessageBanner("error")
        right.addWidget(self.gates_label)
        self.grade_label = QLabel()
        self.lines = RowsModel([Column(self.tr("Step"), lambda r: r.text),
                                Column(self.tr("Amount"), lambda r: self.money(r.cents), align_right=True)], self)
        self.breakdown = QTableView()
        self.breakdown.setObjectName("breakdown")
        self.breakdown.setModel(self.lines)
        self.breakdown.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.breakdown.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.breakdown.verticalHeader().hide()
        self.breakdown.horizontalHeader().hide()
        self.breakdown.setWordWrap(True)
        self.breakdown.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lines.modelReset.connect(self._fit_breakdown)
        self.breakdown.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.breakdown.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        right.addWidget(self.breakdown)
        total_row = QHBoxLayout()
        captions = QVBoxLayout()
        caption = QLabel(self.tr("Trade-in value"))
        caption.setObjectName("tileCaption")
        captions.addWidget(caption)
        captions.addWidget(self.grade_label)
        total_row.addLayout(captions)
        total_row.addStretch(1)
        self.total_label = QLabel("–")
        self.total_label.setObjectName("tileValue")
        total_row.addWidget(self.total_label)
        right.addLayout(total_row)
        self.provisional_label = MessageBanner("info")
        right.addWidget(self.provisional_label)
        self.repairs_label = QLabel()
        self.repairs_label.setWordWrap(True)
        self.repairs_label.hide()
        right.addWidget(self.repairs_label)
        self.quote_button = QPushButton(self.tr("Make quote"))
        self.quote_button.setObjectName("primary")
        self.quote_button.setEnabled(False)
        self.quote_button.clicked.connect(self.make_quote)
        right.addWidget(self.quote_button)

        self.quote_box = QGroupBox(self.tr("Quote"))
        qb = QVBoxLayout(self.quote_box)
        self.quote_info = QLabel()
        self.quote_info.setWordWrap(True)
        qb.addWidget(self.quote_info)
        af = QFormLayout()
        self.signature = QLineEdit()
        self.signature.setObjectName("tradeinSignature")
        self.signature.setPlaceholderText(self.tr("The customer types or says their full name"))
        af.addRow(self.tr("Signed by"), FieldRow(self.fields, "signature_name", self.signature))
        qb.addLayout(af)
        declare = QLabel(self.tr("The customer confirms the device is"))
        qb.addWidget(declare)
        self.declared_owner = QCheckBox(self.tr("theirs to sell"))
        self.declared_wiped = QCheckBox(self.tr("wiped and signed out of all accounts"))
        for fld, box_ in (("declared_owner", self.declared_owner), ("declared_wiped", self.declared_wiped)):
            qb.addWidget(FieldRow(self.fields, fld, box_))
        self.accept_button = QPushButton(self.tr("Accept and pay out"))
        self.accept_button.setObjectName("primary")
        self.accept_button.clicked.connect(self.accept)
        qb.addWidget(self.accept_button)
        buttons = QHBoxLayout()
        self.requote_button = QPushButton(self.tr("Re-quote"))
        self.requote_button.setToolTip(self.tr("Inspection found the device differs from its description"))
        self.requote_button.clicked.connect(self.start_requote)
        self.decline_button = QPushButton(self.tr("Return device"))
        self.decline_button.setToolTip(self.tr("The customer declines and takes the device back"))
        self.decline_button.clicked.connect(self.decline)
        for b in (self.requote_button, self.decline_button):
            buttons.addWidget(b)
        qb.addLayout(buttons)
        self.quote_box.hide()
        right.addWidget(self.quote_box)
        self.result_label = MessageBanner("success", selectable=True)
        right.addWidget(self.result_label)
        self.voucher_box = self.voucher_panel()
        right.addWidget(self.voucher_box)
        self.receipt_button = QPushButton(self.tr("Print receipt"))
        self.receipt_button.clicked.connect(self.print_receipt)
        self.receipt_button.hide()
        right.addWidget(self.receipt_button)
        self.receipt_dialog = None
        right.addWidget(self.fields.general)
        right.addStretch(1)
        row.addWidget(panel)
        return page

    def _quotes_tab(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 8, 0, 0)
        self.quotes = RowsModel(self._quote_columns(), self)
        self.quotes_table = QTableView()
        self.quotes_table.setModel(self.quotes)
        self.quotes_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.quotes_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.quotes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.quotes_table.setSortingEnabled(True)
        self.quotes_table.setAlternatingRowColors(True)
        self.quotes_table.verticalHeader().hide()
        self.quotes_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.quotes_table.doubleClicked.connect(lambda idx: self.open_quote_row(idx.row()))
        self.quotes_table.activated.connect(lambda idx: self.open_quote_row(idx.row()))
        lay.addWidget(self.quotes_table, 1)
        hint = MessageBanner("info", self.tr("Double-click a quote to accept it, re-quote it or hand the device back."))
        lay.addWidget(hint)
        return page


    def _quote_columns(self) -> list[Column]:
        return [Column(self.tr("Quoted"), lambda r: fmt.date_time(r.created_at), sort_key=lambda r: r.created_at),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Device"), lambda r: r.device),
                Column(self.tr("Grade"), lambda r: label(r.grade)),
                Column(self.tr("Value"), lambda r: self.money(r.value_cents), sort_key=lambda r: r.value_cents,
                       align_right=True),
                Column(self.tr("Status"), lambda r: label(r.status)),
                Column(self.tr("Expires"), lambda r: fmt.day(r.expires_at), sort_key=lambda r: r.expires_at)]

    def title(self) -> str:
        return self.tr("Trade-in")

    def money(self, cents: int | None) -> str:
        cur = self.pricing.book.currency if self.pricing else (self.ctx.store.currency if self.ctx.store else "USD")
        return fmt.money(cents, cur)

    # --- loading --------------------------------------------------------------------------

    def activate(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        actor = self.ctx.actor
        if not self.models:
            self.ctx.read(lambda s: (tradein.list_models(s, actor), tradein.price_book_in_force(s, actor)),
                          on_result=self._models_loaded, on_error=self.fail, owner=self)
        if self.tabs.currentIndex() == 1:
            self.load_quotes()

    def _changed(self, changes: Changes) -> None:
        if self.isVisible() and changes.touches(*self.watches) and self.tabs.currentIndex() == 1:
            self.load_quotes()

    def load_quotes(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        actor = self.ctx.actor
        self.ctx.read(lambda s: tradein.list_quotes(s, actor), on_result=self._quotes_loaded, on_error=self.fail,
                      owner=self)

    def _quotes_loaded(self, rows: list[tradein.QuoteRow]) -> None:
        if not self.ctx.locked:
            self.quotes.set_rows(rows)


    # --- opening a stored quote ---------------------------------------------------------------

    def open_quote_row(self, row: int) -> None:
        r = self.quotes.data(self.quotes.index(row, 0), RowRole)
        if r is not None:
            self.open_quote(r.id)

    def open_quote(self, quote_id: uuid.UUID) -> None:
        actor = self.ctx.actor
        self.ctx.read(lambda s: tradein.get_quote(s, actor, quote_id), on_result=self._quote_opened,
                      on_error=self.fail, owner=self)

    def _quote_opened(self, q: tradein.QuoteView) -> None:
        if self.ctx.locked:
            return
        self.start_new()
        self.tabs.setCurrentIndex(0)
        self.quote = q
        self.mode = "quoted" if q.status == "quoted" else "done"
        if q.customer_id:
            self._seq["customer"] += 1
            self.load_customer(q.customer_id)
        self.show_quote(q)
        self.select_model(q.model_id)
        if q.status != "quoted":
            self.result_label.set_message("info", self.tr("This quote is {0}.").format(label(q.status)))

    # --- starting over, lock ------------------------------------------------------------------

    def new_trade_in(self) -> None:
        """Start again; the model list and price book are read again (a new book may be in force)."""
        self.start_new()
        self.tabs.setCurrentIndex(0)
        self.models = []
        self.pricing = None
        self.activate()

    def start_for(self, customer_id: uuid.UUID) -> None:
        """A trade-in for this customer (the profile's Trade-in action): a new questionnaire
        with the customer chosen; one already under way for them is kept as it is."""
        self.tabs.setCurrentIndex(0)
        if self.mode == "new" and self.customer is not None and self.customer.id == customer_id:
            return
        self.start_new()
        self._seq["customer"] += 1
        self.load_customer(customer_id)

    def start_new(self) -> None:
        self.quote = None
        self.mode = "new"
        self.customer = None
        self.block_reason = None
        for k in self._seq:
            self._seq[k] += 1
        self.fields.clear()
        self.customer_search.clear()
        self.customer_pick.blockSignals(True)
        self.customer_pick.clear()
        self.customer_pick.blockSignals(False)
        self.customer_note.clear()
        self.signature.clear()
        self.signature.setPlaceholderText(self.tr("The customer types or says their full name"))
        self.declared_owner.setChecked(False)
        self.declared_wiped.setChecked(False)
        self.imei.blockSignals(True)
        self.imei.clear()
        self.imei.blockSignals(False)
        self.serial.clear()
        self.result_label.clear()
        self.result_label.hide()
        self.voucher_box.hide()
        self.voucher_code.clear()
        self.receipt_button.hide()
        self.quote_box.hide()
        self.quote_button.setText(self.tr("Make quote"))
        self.quote_button.show()
        self.payout_box.setEnabled(True)
        self.serial.setEnabled(True)
        self._set_editable(True)
        for box in self.question_boxes.values():
            box.setCurrentIndex(0)
        self.update_valuation()

    def clear_sensitive(self) -> None:
        # keep only ids to come back to; every name, IMEI and value leaves the widgets
        self._resume = (self.customer.id if self.customer else None, self.quote.id if self.quote else None)
        self.start_new()
        self.quotes.clear()
        self.lines.clear()

    def restore(self) -> None:
        resume, self._resume = self._resume, None
        self.activate()
        self.update_valuation()
        if resume is None or self.ctx.actor is None:
            return
        customer_id, quote_id = resume
        if quote_id is not None:
            self.open_quote(quote_id)
        elif customer_id is not None:
            self._seq["customer"] += 1
            self.load_customer(customer_id)
