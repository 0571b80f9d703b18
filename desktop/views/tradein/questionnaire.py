"""Who and what: the customer (found by name or phone), the family and model (whose price
book brings the questions), the questionnaire with battery health and payout, and the IMEI
checked against the blocklist as it is typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import customers, tradein
from core.customers import mask_phone
from core.permissions import Perm
from core.errors import ValidationError
from core.tradein import Checks
from core.validation import is_luhn_valid, normalize_imei
from desktop import fmt
from desktop.errors import reason_text
from desktop.labels import label
from desktop.qt import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget
from desktop.views.tradein._common import _language, _text, find_data
from desktop.widgets.field import FieldRow, set_field_error
from desktop.widgets.message import MessageBanner
from desktop.widgets.percent import PercentEdit
from desktop.widgets.yes_no import YesNoChoice

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence


class TradeInQuestionnaire:
    """The left side of ``TradeInScreen``: it fills ``customer``, ``pricing``, ``block_reason``
    and the answers, and asks the screen to ``update_valuation`` after each change."""

    def _models_loaded(self, result: tuple[list[tradein.ModelRow], tradein.PriceBookView | None]) -> None:
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

    def _family_changed(self, _: object = None) -> None:
        self._fill_models()

    def _fill_models(self, select_id: uuid.UUID | None = None) -> None:
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

    def select_model(self, model_id: uuid.UUID) -> None:
        m = next((m for m in self.models if m.id == model_id), None)
        if m is None:
            return
        self.family_box.blockSignals(True)
        self.family_box.setCurrentIndex(max(0, self.family_box.findData(m.family)))
        self.family_box.blockSignals(False)
        self._fill_models(select_id=model_id)

    def _model_changed(self, _: object = None) -> None:
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

    def _build_questions(self, keep: dict | None = None) -> None:
        keep = keep or {}
        for key in list(self.question_boxes):
            self.fields._fields.pop(key, None)     # their labels go with the rows below
        if self.pricing is not None:
            self.fields._fields.pop(tradein.battery_question(self.pricing.rules) or "", None)
        while self.condition_form.rowCount():
            self.condition_form.removeRow(0)
        self.question_boxes = {}
        self.condition_hint = MessageBanner("info")
        # empty until someone enters it: no battery health is assumed
        self.battery_edit = PercentEdit()
        self.battery_edit.setObjectName("batteryHealth")
        self.battery_spin = self.battery_edit      # the name the screenshots tool and older tests use
        self.battery_unknown = QCheckBox(self.tr("Not measured"))
        p = self.pricing
        if p is None:
            self.condition_form.addRow(self.condition_hint)      # in its row first: shown unparented it is a window
            self.condition_hint.setText(self.tr("Choose the model to see its questions."))
            self._fill_payouts([])
            return
        rules = p.rules
        for q in tradein.questions(rules):
            pair = tradein.yes_no(q)
            box: QComboBox | YesNoChoice
            if pair is not None:
                # asked in words: "Yes" / "No", neither chosen until the customer answers
                box = YesNoChoice(*pair)
            else:
                box = QComboBox()
                box.addItem(self.tr("Choose…"), None)
                option_labels = q.get("option_labels", {})
                lang_labels = option_labels.get(_language(), option_labels.get("en", {})) if option_labels else {}
                for opt in q["options"]:
                    box.addItem(lang_labels.get(opt) or label(opt), opt)
            box.setObjectName(f"question_{q['key']}")
            if keep.get(q["key"]) in q["options"]:
                box.setCurrentIndex(box.findData(keep[q["key"]]))
            box.currentIndexChanged.connect(lambda _: self.update_valuation())
            self.question_boxes[q["key"]] = box
            text = QLabel(_text(q.get("label"), q["key"].replace("_", " ")))
            text.setWordWrap(True)
            self.condition_form.addRow(text, FieldRow(self.fields, q["key"], box))
        bq = tradein.battery_question(rules)
        if bq and tradein.asks_battery(rules, p.facts.kind):
            self.battery_edit.setValue(keep.get(bq) if isinstance(keep.get(bq), int) else None)
            self.battery_unknown.setChecked(bq in keep and keep.get(bq) is None)
            self.battery_edit.setEnabled(not self.battery_unknown.isChecked())
            self.battery_edit.valueChanged.connect(lambda _: self.update_valuation())
            self.battery_unknown.toggled.connect(self._battery_toggled)
            cell = QHBoxLayout()
            cell.addWidget(self.battery_edit)
            cell.addWidget(QLabel("%"))
            cell.addSpacing(12)
            cell.addWidget(self.battery_unknown)
            cell.addStretch(1)
            self.condition_form.addRow(self.tr("Battery health"),
                                       FieldRow(self.fields, bq, cell, marks=self.battery_edit))
        self._fill_payouts(rules.get("payouts", []))

    def _battery_toggled(self, checked: bool) -> None:
        self.battery_edit.setEnabled(not checked)
        self.update_valuation()

    def _fill_payouts(self, payouts: Sequence[str]) -> None:
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
                # left out until entered (the core refuses a quote without it); None: not measured
                if self.battery_unknown.isChecked():
                    out[bq] = None
                elif self.battery_edit.value() is not None:
                    out[bq] = self.battery_edit.value()
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
            widgets: tuple[QWidget, ...] = (self.battery_edit, self.battery_unknown)
            for w in widgets:
                w.blockSignals(True)
            self.battery_unknown.setChecked(bq in answers and health is None)
            self.battery_edit.setEnabled(not self.battery_unknown.isChecked())
            self.battery_edit.setValue(int(health) if health is not None else None)
            for w in widgets:
                w.blockSignals(False)

    def _imei_digits(self) -> str | None:
        digits = "".join(ch for ch in self.imei.text() if ch.isdigit())
        return digits or None

    def checks(self) -> Checks:
        digits = self._imei_digits()
        imei = digits if digits and len(digits) == 15 else None
        return Checks(imei=imei, blocklist_reason=self.block_reason,
                      birth_date=self.customer.birth_date if self.customer else None)

    def imei_problem(self, leaving: bool = False) -> str:
        """What is wrong with the IMEI as typed, in the core's words ("" when nothing is):
        while typing only what more digits cannot mend (a wrong check digit, a letter);
        on leaving the field also a wrong length."""
        text = self.imei.text()
        if not text.strip():
            return ""
        try:
            normalize_imei(text)
        except ValidationError as exc:
            if exc.template == "must be 15 digits" and not leaving and len(self._imei_digits() or "") < 15:
                return ""
            return reason_text(exc)
        return ""

    def _imei_left(self) -> None:
        if "imei" in self.fields._fields:
            set_field_error(self.fields, "imei", self.imei_problem(leaving=True))

    def _imei_changed(self, _text: str) -> None:
        self.block_reason = None
        if "imei" in self.fields._fields:
            # beside the field as it is typed, gone as soon as the IMEI is right
            set_field_error(self.fields, "imei", self.imei_problem())
        self._seq["imei"] += 1
        digits = self._imei_digits()
        if digits and len(digits) == 15 and is_luhn_valid(digits) and self.ctx.actor is not None:
            # the blocklist lives in the database; a hit is audited there
            seq, actor = self._seq["imei"], self.ctx.actor
            customer_id = self.customer.id if self.customer else None
            self.ctx.write(lambda s: tradein.check_device(s, actor, imei=digits, customer_id=customer_id), on_result=lambda gates: self._imei_checked(seq, gates),
                           on_error=self.fail, owner=self)
        self.update_valuation()

    def _imei_checked(self, seq: int, gates: tuple[tradein.Gate, ...]) -> None:
        if seq != self._seq["imei"] or self.ctx.locked:
            return
        self.block_reason = next((g.detail for g in gates if g.code == "blocklisted"), None)
        self.update_valuation()

    def find_customers(self) -> None:
        text = self.customer_search.text().strip()
        if not text or self.ctx.actor is None:
            return
        self._seq["search"] += 1
        seq, actor = self._seq["search"], self.ctx.actor
        self.ctx.read(lambda s: customers.search(s, actor, text, limit=30),
                      on_result=lambda rows: self._customers_found(seq, rows), on_error=self.fail, owner=self)

    def _customers_found(self, seq: int, rows: list[customers.CustomerRow]) -> None:
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

    def _customer_picked(self, _: object = None) -> None:
        customer_id = self.customer_pick.currentData()
        self._seq["customer"] += 1
        if customer_id is None:
            self.customer = None
            self.customer_note.clear()
            self.update_valuation()
            return
        self.load_customer(customer_id)

    def load_customer(self, customer_id: uuid.UUID) -> None:
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
