"""Trade-in at the counter: the questionnaire, the value explained line by line as the
answers come in, what stops the trade-in and why, then the quote, its acceptance (signature
name, declarations, payout), a re-quote after inspection, or the device going back.

The live breakdown runs the core's pure valuation on this thread (no database, microseconds);
the quote the core stores is valued again by the same function before it is kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core import customers, tradein
from core.customers import mask_phone
from core.permissions import Perm
from core.tradein import Checks
from core.validation import is_luhn_valid
from desktop import fmt
from desktop.errors import FieldErrors, tr as core_tr
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QLocale, QPushButton, QScrollArea, QSpinBox, Qt, QTableView, QTabWidget, QTimer, QVBoxLayout,
    QWidget,
)
from desktop.views.base import Screen

CHANGES = {"tradein_quote", "loyalty_entry"}


@dataclass(frozen=True)
class Line:
    text: str
    cents: int


def _error_label() -> QLabel:
    err = QLabel()
    err.setWordWrap(True)
    return err


def find_data(box: QComboBox, value: Any) -> int:
    """``QComboBox.findData`` by equality: it matches Python objects such as UUIDs only
    when they are the very same object."""
    return next((i for i in range(box.count()) if box.itemData(i) == value), -1)


def _language() -> str:
    return "zh_CN" if QLocale().name().startswith("zh") else "en"


def _text(labels: Any, fallback: str) -> str:
    """A label the price book carries, in the user's language."""
    if isinstance(labels, dict):
        return labels.get(_language()) or labels.get("en") or fallback
    return labels or fallback


class TradeInScreen(Screen):
    key, icon, perm = "tradein", "swap", Perm.TAKE_TRADE_INS
    watches = ("tradein_quote",)

    def __init__(self, ctx, parent=None):
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
        head = QHBoxLayout()
        title = QLabel(self.title())
        title.setObjectName("screenTitle")
        head.addWidget(title)
        head.addStretch(1)
        self.book_label = QLabel()
        self.book_label.setObjectName("hint")
        self.book_label.setVisible(False)
        head.addWidget(self.book_label)
        self.new_button = QPushButton(self.tr("New trade-in"))
        self.new_button.setShortcut("Ctrl+N")
        self.new_button.setToolTip(self.tr("Start again with an empty questionnaire (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_trade_in)
        head.addWidget(self.new_button)
        lay.addLayout(head)
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
        self.fields = FieldErrors(general=_error_label())
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
        grid = QHBoxLayout(top)
        wf, df = QFormLayout(), QFormLayout()
        grid.addLayout(wf, 1)
        grid.addSpacing(8)
        grid.addLayout(df, 1)

        def with_error(field: str, widget: QWidget, inner=None):
            box = QVBoxLayout()
            box.setSpacing(2)
            if inner is not None:
                box.addLayout(inner)
            else:
                box.addWidget(widget)
            err = _error_label()
            box.addWidget(err)
            self.fields.bind(field, err, widget)
            return box

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
        wf.addRow("", with_error("customer", self.customer_pick))
        self.payout_box = QComboBox()
        self.payout_box.currentIndexChanged.connect(lambda _: self.update_valuation())
        wf.addRow(self.tr("Paid as"), with_error("payout", self.payout_box))
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
        df.addRow(self.tr("IMEI"), with_error("imei", self.imei))
        self.serial = QLineEdit()
        self.serial.setMaxLength(30)
        df.addRow(self.tr("Serial"), with_error("serial", self.serial))
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
        panel.setFixedWidth(390)
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
        self.gates_label = QLabel()
        self.gates_label.setObjectName("fieldError")
        self.gates_label.setWordWrap(True)
        self.gates_label.hide()
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
        self.provisional_label = QLabel()
        self.provisional_label.setObjectName("hint")
        self.provisional_label.setWordWrap(True)
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
        sbox = QVBoxLayout()
        sbox.setSpacing(2)
        sbox.addWidget(self.signature)
        err = _error_label()
        sbox.addWidget(err)
        self.fields.bind("signature_name", err, self.signature)
        af.addRow(self.tr("Signed by"), sbox)
        qb.addLayout(af)
        declare = QLabel(self.tr("The customer confirms the device is"))
        qb.addWidget(declare)
        self.declared_owner = QCheckBox(self.tr("theirs to sell"))
        self.declared_wiped = QCheckBox(self.tr("wiped and signed out of all accounts"))
        for fld, box_ in (("declared_owner", self.declared_owner), ("declared_wiped", self.declared_wiped)):
            qb.addWidget(box_)
            err = _error_label()
            qb.addWidget(err)
            self.fields.bind(fld, err, box_)
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
        self.result_label = QLabel()
        self.result_label.setObjectName("resultNote")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        right.addWidget(self.result_label)
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
        hint = QLabel(self.tr("Double-click a quote to accept it, re-quote it or hand the device back."))
        hint.setObjectName("hint")
        lay.addWidget(hint)
        return page

    def _fit_breakdown(self) -> None:
        """The table is as tall as its lines: the panel scrolls, never the breakdown."""
        self.breakdown.resizeRowsToContents()
        rows = sum(self.breakdown.rowHeight(r) for r in range(self.lines.rowCount()))
        self.breakdown.setFixedHeight(max(rows, 5 * 30) + 2 * self.breakdown.frameWidth() + 2)

    def _quote_columns(self):
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

    def _changed(self, changes) -> None:
        if self.isVisible() and changes.touches(*self.watches) and self.tabs.currentIndex() == 1:
            self.load_quotes()

    def load_quotes(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        actor = self.ctx.actor
        self.ctx.read(lambda s: tradein.list_quotes(s, actor), on_result=self._quotes_loaded, on_error=self.fail,
                      owner=self)

    def _quotes_loaded(self, rows) -> None:
        if not self.ctx.locked:
            self.quotes.set_rows(rows)

    def _models_loaded(self, result) -> None:
        models, book = result
        self.models = models
        if book is not None and self.ctx.can(Perm.VIEW_REPORTS):
            # managers see which price book the counter prices with
            self.book_label.setText(self.tr("Price book {0} · valid from {1}").format(book.version,
                                                                                    fmt.day(book.valid_from)))
            self.book_label.setVisible(True)
        self.family_box.blockSignals(True)
        self.family_box.clear()
        self.family_box.addItem(self.tr("Choose…"), None)
        for fam in dict.fromkeys(m.family for m in models):
            self.family_box.addItem(fam, fam)
        self.family_box.blockSignals(False)
        self._fill_models()
        if not models:
            self.condition_hint.setText(self.tr("No price book is in force: trade-ins cannot be valued."))

    def _family_changed(self, _=None) -> None:
        self._fill_models()

    def _fill_models(self, select_id=None) -> None:
        fam = self.family_box.currentData()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItem(self.tr("Choose…"), None)
        for m in self.models:
            if m.family == fam:
                self.model_box.addItem(f"{m.name} · {m.configuration}", m.id)
        if select_id is not None:
            self.model_box.setCurrentIndex(max(0, find_data(self.model_box, select_id)))
        self.model_box.blockSignals(False)
        self._model_changed()

    def select_model(self, model_id) -> None:
        m = next((m for m in self.models if m.id == model_id), None)
        if m is None:
            return
        self.family_box.blockSignals(True)
        self.family_box.setCurrentIndex(max(0, self.family_box.findData(m.family)))
        self.family_box.blockSignals(False)
        self._fill_models(select_id=model_id)

    def _model_changed(self, _=None) -> None:
        model_id = self.model_box.currentData()
        self._seq["pricing"] += 1
        seq = self._seq["pricing"]
        if model_id is None:
            self.pricing = None
            self._build_questions()
            self.update_valuation()
            return
        actor = self.ctx.actor
        book_id = self.quote.price_book_id if self.quote is not None and self.mode in ("quoted", "requote") \
            else None
        self.ctx.read(lambda s: tradein.pricing(s, actor, model_id, price_book_id=book_id),
                      on_result=lambda p: self._pricing_loaded(seq, p), on_error=self.fail, owner=self)

    def _pricing_loaded(self, seq: int, p: tradein.Pricing) -> None:
        if seq != self._seq["pricing"] or self.ctx.locked:
            return
        keep = self.answers()
        self.pricing = p
        self._build_questions(keep)
        if self.quote is not None and self.mode in ("quoted", "done"):
            self._set_answers(self.quote.answers)
            self.show_quote(self.quote, keep_mode=True)
        self.update_valuation()

    # --- the questionnaire ----------------------------------------------------------------------

    def _build_questions(self, keep: dict | None = None) -> None:
        keep = keep or {}
        for key in list(self.question_boxes):
            self.fields._fields.pop(key, None)     # their labels go with the rows below
        if self.pricing is not None:
            self.fields._fields.pop(tradein.battery_question(self.pricing.rules) or "", None)
        while self.condition_form.rowCount():
            self.condition_form.removeRow(0)
        self.question_boxes = {}
        self.condition_hint = QLabel()
        self.condition_hint.setObjectName("hint")
        self.condition_hint.setWordWrap(True)
        self.battery_spin = QSpinBox()
        self.battery_unknown = QCheckBox(self.tr("Not measured"))
        p = self.pricing
        if p is None:
            self.condition_hint.setText(self.tr("Choose the model to see its questions."))
            self.condition_form.addRow(self.condition_hint)
            self._fill_payouts([])
            return
        rules = p.rules
        for q in tradein.questions(rules):
            box = QComboBox()
            box.setObjectName(f"question_{q['key']}")
            box.addItem(self.tr("Choose…"), None)
            option_labels = q.get("option_labels", {})
            lang_labels = option_labels.get(_language(), option_labels.get("en", {})) if option_labels else {}
            for opt in q["options"]:
                box.addItem(lang_labels.get(opt) or label(opt), opt)
            if keep.get(q["key"]) in q["options"]:
                box.setCurrentIndex(box.findData(keep[q["key"]]))
            box.currentIndexChanged.connect(lambda _: self.update_valuation())
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(box)
            err = _error_label()
            cell.addWidget(err)
            self.fields.bind(q["key"], err, box)
            self.question_boxes[q["key"]] = box
            text = QLabel(_text(q.get("label"), q["key"].replace("_", " ")))
            text.setWordWrap(True)
            self.condition_form.addRow(text, cell)
        bq = tradein.battery_question(rules)
        if bq and tradein.asks_battery(rules, p.facts.kind):
            self.battery_spin.setRange(0, 100)
            self.battery_spin.setSuffix(" %")
            self.battery_spin.setValue(keep.get(bq) if isinstance(keep.get(bq), int) else 100)
            self.battery_unknown.setChecked(bq in keep and keep.get(bq) is None)
            self.battery_spin.setEnabled(not self.battery_unknown.isChecked())
            self.battery_spin.valueChanged.connect(lambda _: self.update_valuation())
            self.battery_unknown.toggled.connect(self._battery_toggled)
            cell = QHBoxLayout()
            cell.addWidget(self.battery_spin)
            cell.addWidget(self.battery_unknown)
            cell.addStretch(1)
            outer = QVBoxLayout()
            outer.setSpacing(2)
            outer.addLayout(cell)
            err = _error_label()
            outer.addWidget(err)
            self.fields.bind(bq, err, self.battery_spin)
            self.condition_form.addRow(self.tr("Battery health"), outer)
        self._fill_payouts(rules.get("payouts", []))

    def _battery_toggled(self, checked: bool) -> None:
        self.battery_spin.setEnabled(not checked)
        self.update_valuation()

    def _fill_payouts(self, payouts) -> None:
        current = self.payout_box.currentData()
        self.payout_box.blockSignals(True)
        self.payout_box.clear()
        self.payout_box.addItem(self.tr("Not chosen yet"), None)
        for code in payouts:
            self.payout_box.addItem(label(code), code)
        if current in payouts:
            self.payout_box.setCurrentIndex(self.payout_box.findData(current))
        self.payout_box.blockSignals(False)

    def answers(self) -> dict[str, Any]:
        out = {key: box.currentData() for key, box in self.question_boxes.items()
               if box.currentData() is not None}
        p = self.pricing
        if p is not None:
            bq = tradein.battery_question(p.rules)
            if bq and tradein.asks_battery(p.rules, p.facts.kind):
                out[bq] = None if self.battery_unknown.isChecked() else self.battery_spin.value()
        return out

    def _set_answers(self, answers: dict) -> None:
        for key, box in self.question_boxes.items():
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(answers.get(key))))
            box.blockSignals(False)
        p = self.pricing
        bq = tradein.battery_question(p.rules) if p else None
        if bq and p and tradein.asks_battery(p.rules, p.facts.kind):
            health = answers.get(bq)
            for w in (self.battery_spin, self.battery_unknown):
                w.blockSignals(True)
            self.battery_unknown.setChecked(health is None)
            self.battery_spin.setEnabled(health is not None)
            if health is not None:
                self.battery_spin.setValue(int(health))
            for w in (self.battery_spin, self.battery_unknown):
                w.blockSignals(False)

    def _imei_digits(self) -> str | None:
        digits = "".join(ch for ch in self.imei.text() if ch.isdigit())
        return digits or None

    def checks(self) -> Checks:
        digits = self._imei_digits()
        imei = digits if digits and len(digits) == 15 else None
        return Checks(imei=imei, blocklist_reason=self.block_reason,
                      birth_date=self.customer.birth_date if self.customer else None)

    def _imei_changed(self, _text: str) -> None:
        self.block_reason = None
        self._seq["imei"] += 1
        digits = self._imei_digits()
        if digits and len(digits) == 15 and is_luhn_valid(digits) and self.ctx.actor is not None:
            # the blocklist lives in the database; a hit is audited there
            seq, actor = self._seq["imei"], self.ctx.actor
            customer_id = self.customer.id if self.customer else None
            self.ctx.write(lambda s: tradein.check_device(s, actor, imei=digits, customer_id=customer_id),
                           changes=set(), on_result=lambda gates: self._imei_checked(seq, gates),
                           on_error=self.fail, owner=self)
        self.update_valuation()

    def _imei_checked(self, seq: int, gates) -> None:
        if seq != self._seq["imei"] or self.ctx.locked:
            return
        self.block_reason = next((g.detail for g in gates if g.code == "blocklisted"), None)
        self.update_valuation()

    # --- the live breakdown ---------------------------------------------------------------------

    def line_text(self, line: dict) -> str:
        step = line["step"]
        if step == "base":
            return self.tr("Base value, grade {0}").format(label(line["grade"]))
        if step == "age":
            return self.tr("Age: {0} months since release ({1} %)").format(line["months"], line["pct"])
        if step == "battery":
            if line.get("health") is None:
                return self.tr("Battery health not measured ({0} %)").format(line["pct"])
            return self.tr("Battery health {0} % ({1} %)").format(line["health"], line["pct"])
        if step == "floor":
            return self.tr("Raised to the minimum value")
        if step == "rounding":
            return self.tr("Rounded down")
        if step == "promotion":
            rules = self.pricing.rules if self.pricing else {}
            promo = next((p for p in rules.get("promotions", ()) if p.get("code") == line.get("code")), None)
            return _text(promo.get("label") if promo else None, line.get("code", ""))
        if step == "cap":
            return self.tr("Capped at the value of grade {0}").format(label(line.get("grade")))
        return step

    def gate_text(self, gate: tradein.Gate) -> str:
        if gate.code == "blocklisted":
            return self.tr("{0} (reported {1})").format(core_tr(gate.reason), label(gate.detail))
        if gate.code == "answer" and self.pricing is not None:
            q = next((q for q in self.pricing.rules["questions"] if q["key"] == gate.detail), None)
            return f"{_text(q.get('label') if q else None, gate.detail)}: {core_tr(gate.reason)}"
        return core_tr(gate.reason)

    def show_gates(self, gates) -> None:
        if gates:
            self.gates_label.setText(self.tr("This device cannot be traded in:") + "\n"
                                     + "\n".join("• " + self.gate_text(g) for g in gates))
            self.gates_label.show()
        else:
            self.gates_label.clear()
            self.gates_label.hide()

    def show_lines(self, grade: str | None, lines, value: int | None) -> None:
        self.grade_label.setText(self.tr("Grade: {0}").format(label(grade)) if grade else "")
        self.lines.set_rows([Line(self.line_text(ln), ln["cents"]) for ln in lines])
        self.breakdown.setVisible(bool(lines))
        self.total_label.setText(self.money(value) if value is not None else "–")

    @staticmethod
    def _note(lbl: QLabel, text: str) -> None:
        lbl.setText(text)
        lbl.setVisible(bool(text))

    def update_valuation(self) -> None:
        p = self.pricing
        q = self.quote
        if self.mode in ("quoted", "done") and q is not None:
            # a stored quote shows its own breakdown, under its own price book; a different
            # payout (a promotion may depend on it) is valued again under that book
            payout = self.payout_box.currentData()
            if self.mode == "quoted" and p is not None and payout != q.payout:
                v = tradein.valuate(p.rules, p.facts, q.answers, on=fmt.local(q.created_at).date(), payout=payout)
                self.show_lines(v.grade, v.breakdown, v.value_cents)
            else:
                self.show_lines(q.grade, q.breakdown, q.value_cents)
            return
        if p is None:
            self.valuation = None
            self.show_gates([])
            self.show_lines(None, [], None)
            self._note(self.provisional_label, "")
            self.repairs_label.hide()
            self.quote_button.setEnabled(False)
            return
        answers = self.answers()
        payout = self.payout_box.currentData()
        v = tradein.valuate(p.rules, p.facts, answers, on=p.today, payout=payout, checks=self.checks())
        self.valuation = v
        self.show_gates(v.gates)
        if v.refused:
            self.show_lines(None, [], None)
            self._note(self.provisional_label, "")
            self.repairs_label.hide()
        else:
            self.show_lines(v.grade, v.breakdown, v.value_cents)
            missing = self.tr("{0} questions still to answer: the value is provisional.").format(len(v.missing))
            self._note(self.provisional_label, missing if v.missing else "")
            advice = tradein.repair_advice(p.rules, p.facts, answers, p.repair_costs, on=p.today, payout=payout)
            names = {"screen": self.tr("Screen repair"), "battery": self.tr("Battery replacement")}
            if advice:
                self.repairs_label.setText("\n".join(
                    self.tr("{0}: {1} — worth {2} as a trade-in afterwards, or keep using it").format(
                        names.get(a.key, label(a.key)), self.money(a.cost_cents), self.money(a.value_after_cents))
                    for a in advice))
                self.repairs_label.show()
            else:
                self.repairs_label.hide()
        self.quote_button.setEnabled(v.complete and not v.refused and self.mode in ("new", "requote"))

    # --- customers ------------------------------------------------------------------------------

    def find_customers(self) -> None:
        text = self.customer_search.text().strip()
        if not text or self.ctx.actor is None:
            return
        self._seq["search"] += 1
        seq, actor = self._seq["search"], self.ctx.actor
        self.ctx.read(lambda s: customers.search(s, actor, text, limit=30),
                      on_result=lambda rows: self._customers_found(seq, rows), on_error=self.fail, owner=self)

    def _customers_found(self, seq: int, rows) -> None:
        if seq != self._seq["search"] or self.ctx.locked:
            return
        self.customer_pick.blockSignals(True)
        self.customer_pick.clear()
        if not rows:
            self.customer_pick.addItem(self.tr("No customer matches."), None)
        for r in rows:
            phone = r.phone if self.ctx.can(Perm.SEE_CONTACT_DETAILS) else mask_phone(r.phone)
            self.customer_pick.addItem(f"{r.display_name} · {phone}" if phone else r.display_name, r.id)
        self.customer_pick.blockSignals(False)
        self.customer_pick.setCurrentIndex(0)
        self._customer_picked()

    def _customer_picked(self, _=None) -> None:
        customer_id = self.customer_pick.currentData()
        self._seq["customer"] += 1
        if customer_id is None:
            self.customer = None
            self.customer_note.clear()
            self.update_valuation()
            return
        self.load_customer(customer_id)

    def load_customer(self, customer_id) -> None:
        seq, actor = self._seq["customer"], self.ctx.actor
        self.ctx.read(lambda s: tradein.customer_facts(s, actor, customer_id),
                      on_result=lambda c: self._customer_loaded(seq, c), on_error=self.fail, owner=self)

    def _customer_loaded(self, seq: int, c: tradein.CustomerFacts) -> None:
        if seq != self._seq["customer"] or self.ctx.locked:
            return
        self.customer = c
        if find_data(self.customer_pick, c.id) < 0:
            self.customer_pick.blockSignals(True)
            self.customer_pick.clear()
            self.customer_pick.addItem(c.display_name, c.id)
            self.customer_pick.blockSignals(False)
        notes = [self.tr("Member {0}: store credit goes to their points.").format(c.member_number)
                 if c.member_number else self.tr("Not a loyalty member: store credit is paid as a voucher.")]
        if c.birth_date is None:
            notes.append(self.tr("Date of birth not on file: check ID (18 or over)."))
        self.customer_note.setText(" ".join(notes))
        self.update_valuation()

    # --- quote, accept, re-quote, decline -------------------------------------------------------------

    def make_quote(self) -> None:
        if self.pricing is None or self.ctx.actor is None:
            return
        self.fields.clear()
        actor, answers, payout = self.ctx.actor, self.answers(), self.payout_box.currentData()
        model_id, imei, serial = self.pricing.model.id, self.imei.text(), self.serial.text()
        customer_id = self.customer.id if self.customer else None
        self.quote_button.setEnabled(False)
        if self.mode == "requote" and self.quote is not None:
            quote_id = self.quote.id
            fn = lambda s: tradein.requote(s, actor, quote_id, answers=answers, payout=payout)  # noqa: E731
        else:
            fn = lambda s: tradein.create_quote(s, actor, model_id=model_id, answers=answers,  # noqa: E731
                                                customer_id=customer_id, imei=imei, serial=serial, payout=payout)
        self.ctx.write(fn, changes=CHANGES, on_result=self._quoted, on_error=self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.update_valuation()
        if not self.fields.show(exc):
            self.fail(exc)

    def _quoted(self, outcome: tradein.QuoteOutcome) -> None:
        if self.ctx.locked:
            return
        if outcome.quote is None:
            if self.mode == "requote":      # the inspection found a gate: the old quote is closed
                self.mode = "done"
                self.quote_box.hide()
            self.show_gates(outcome.valuation.gates)
            self.show_lines(None, [], None)
            self.quote_button.setEnabled(False)
            return
        self.show_quote(outcome.quote)

    def show_quote(self, q: tradein.QuoteView, keep_mode: bool = False) -> None:
        self.quote = q
        open_ = q.status == "quoted" and self.mode != "done"
        if not keep_mode:
            open_ = q.status == "quoted"
            self.mode = "quoted" if open_ else "done"
        self._set_editable(False)
        self.show_gates([])
        self.show_lines(q.grade, q.breakdown, q.value_cents)
        self._note(self.provisional_label, "")
        info = [self.tr("{0} · valid until {1}").format(label(q.status), fmt.day(q.expires_at))]
        if self.ctx.can(Perm.VIEW_REPORTS):
            info.append(self.tr("Price book {0} · valid from {1}").format(q.price_book_version,
                                                                        fmt.day(q.price_book_valid_from)))
        self.quote_info.setText("\n".join(info))
        for w in (self.signature, self.declared_owner, self.declared_wiped, self.accept_button,
                  self.requote_button, self.decline_button):
            w.setEnabled(open_)
        self.quote_box.show()
        self.quote_button.setText(self.tr("Make quote"))
        self.quote_button.setEnabled(False)
        self.quote_button.hide()
        self.repairs_label.hide()
        self.payout_box.setEnabled(open_)     # the payout may still change (a promotion may apply)
        if q.payout:
            self.payout_box.blockSignals(True)
            self.payout_box.setCurrentIndex(max(0, self.payout_box.findData(q.payout)))
            self.payout_box.blockSignals(False)
        if q.imei and not self.imei.text():
            self.imei.blockSignals(True)
            self.imei.setText(q.imei)
            self.imei.blockSignals(False)
        if q.serial and not self.serial.text():
            self.serial.setText(q.serial)
        self.imei.setEnabled(False)
        self.serial.setEnabled(open_)
        # the customer's copy of what was agreed: once the device is handed over
        self.receipt_button.setVisible(q.status == "received")

    def print_receipt(self) -> None:
        if self.quote is None:
            return
        from desktop.views import preview
        self.receipt_dialog = preview.open_tradein_receipt(self.ctx, self.quote.id, self)

    def _set_editable(self, editable: bool) -> None:
        for w in (self.customer_search, self.find_button, self.customer_pick, self.family_box, self.model_box,
                  self.imei, *self.question_boxes.values(), self.battery_spin, self.battery_unknown):
            w.setEnabled(editable)
        if editable and self.battery_unknown.isChecked():
            self.battery_spin.setEnabled(False)

    def accept(self) -> None:
        if self.quote is None or self.ctx.actor is None:
            return
        self.fields.clear()
        actor, quote_id = self.ctx.actor, self.quote.id
        values = dict(signature_name=self.signature.text(), declared_owner=self.declared_owner.isChecked(),
                      declared_wiped=self.declared_wiped.isChecked(), imei=self.imei.text() or None,
                      serial=self.serial.text() or None, payout=self.payout_box.currentData())
        self.accept_button.setEnabled(False)
        self.ctx.write(lambda s: tradein.accept_quote(s, actor, quote_id, **values), changes=CHANGES,
                       on_result=self._accepted, on_error=self._accept_failed, owner=self)

    def _accept_failed(self, exc: BaseException) -> None:
        self.accept_button.setEnabled(True)
        if not self.fields.show(exc):
            self.fail(exc)

    def _accepted(self, outcome: tradein.AcceptOutcome) -> None:
        if self.ctx.locked:
            return
        if not outcome.accepted:
            self.accept_button.setEnabled(True)
            self.show_gates(outcome.gates)
            return
        q = outcome.quote
        self.show_quote(q)
        if outcome.credit_points is not None:
            text = self.tr("Accepted. {0} points credited to member {1}.").format(
                QLocale().toString(outcome.credit_points), outcome.member_number)
        else:
            text = self.tr("Accepted. Give the customer voucher {0} for {1}.").format(
                outcome.voucher_code, self.money(q.value_cents))
        if outcome.bonus_points:
            text += "\n" + self.tr("Trade-in bonus: {0} points to member {1}.").format(
                QLocale().toString(outcome.bonus_points), outcome.member_number)
        self.result_label.setText(text + "\n" + self.tr("The device is received for refurbishment."))
        self.result_label.show()
        # the outcome is what the associate reads next: bring it into view once laid out
        QTimer.singleShot(0, self, lambda: self.panel_scroll.ensureWidgetVisible(self.result_label))

    def start_requote(self) -> None:
        if self.quote is None:
            return
        self.mode = "requote"
        self.quote_box.hide()
        self._set_editable(True)
        for w in (self.customer_search, self.find_button, self.customer_pick, self.family_box, self.model_box,
                  self.imei):
            w.setEnabled(False)      # the same device and customer, inspected
        self.quote_button.setText(self.tr("Save re-quote"))
        self.quote_button.show()
        self.update_valuation()

    def decline(self) -> None:
        if self.quote is None or self.ctx.actor is None:
            return
        actor, quote_id = self.ctx.actor, self.quote.id
        self.ctx.write(lambda s: tradein.decline_quote(s, actor, quote_id), changes=CHANGES,
                       on_result=self._declined, on_error=self.fail, owner=self)

    def _declined(self, q) -> None:
        if self.ctx.locked:
            return
        self.show_quote(q)
        self.result_label.setText(self.tr("Declined: the customer takes the device back."))
        self.result_label.show()

    # --- opening a stored quote ---------------------------------------------------------------

    def open_quote_row(self, row: int) -> None:
        r = self.quotes.data(self.quotes.index(row, 0), RowRole)
        if r is not None:
            self.open_quote(r.id)

    def open_quote(self, quote_id) -> None:
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
            self.result_label.setText(self.tr("This quote is {0}.").format(label(q.status)))
            self.result_label.show()

    # --- starting over, lock ------------------------------------------------------------------

    def new_trade_in(self) -> None:
        """Start again; the model list and price book are read again (a new book may be in force)."""
        self.start_new()
        self.tabs.setCurrentIndex(0)
        self.models = []
        self.pricing = None
        self.activate()

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
