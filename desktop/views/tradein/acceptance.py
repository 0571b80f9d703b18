"""The quote and what follows it: making it, accepting it (signature name, declarations,
payout: store credit as points or a voucher), a re-quote after inspection, or the device going
back, and the receipt once the device is received."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from core import tradein
from core.permissions import Perm
from desktop import fmt
from desktop.labels import label
from desktop.qt import QFrame, QHBoxLayout, QLabel, QLocale, QPushButton, Qt, QTimer, QVBoxLayout

if TYPE_CHECKING:
    from desktop.display.pages import Declarations


class TradeInAcceptance:
    """The quote box of ``TradeInScreen`` and the writes behind its buttons."""

    def voucher_panel(self) -> QFrame:
        """The voucher code after a voucher payout: large, high-contrast and selectable (it is
        read out, typed at the till or copied), with its own print button."""
        box = QFrame()
        box.setObjectName("voucherBox")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 4, 0, 4)
        caption = QLabel(self.tr("Voucher code"))
        caption.setObjectName("tileCaption")
        lay.addWidget(caption)
        row = QHBoxLayout()
        self.voucher_code = QLabel()
        self.voucher_code.setObjectName("voucherCode")
        self.voucher_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.voucher_code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.voucher_code, 1)
        lay.addLayout(row)
        self.voucher_print = QPushButton(self.tr("Print voucher"))
        self.voucher_print.setObjectName("printVoucher")
        self.voucher_print.clicked.connect(self.print_receipt)
        lay.addWidget(self.voucher_print)
        box.hide()
        return box

    def show_voucher(self, code: str | None) -> None:
        self.voucher_code.setText(code or "")
        self.voucher_box.setVisible(bool(code))

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
        self.ctx.write(fn, on_result=self._quoted, on_error=self._failed, owner=self)

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
        self._display_button().setEnabled(open_)
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
        self.show_voucher(q.voucher_code if q.status == "received" else None)

    def _display_button(self) -> QPushButton:
        """"Show on the customer display", above the accept button (made on first use)."""
        button = getattr(self, "display_button", None)
        if button is None:
            button = self.display_button = QPushButton(self.tr("Show on the customer display"))
            button.setObjectName("tradeinOnDisplay")
            button.clicked.connect(self.show_on_display)
            box = self.quote_box.layout()
            box.insertWidget(box.indexOf(self.accept_button), button)
            button.setVisible(self.ctx.display.available())
            self.ctx.display.availability_changed.connect(button.setVisible)   # the setting
        return button

    def show_on_display(self) -> None:
        """The offer and its declarations on the display: the customer's ticks come back into
        the form; a decline returns the device; an accept with the name typed accepts."""
        if self.quote is None:
            return
        quote_id = self.quote.id
        self.ctx.display.show_tradein(self.quote, owner=self,
                                      on_result=lambda answer: self._answered_on_display(quote_id, answer))

    def _answered_on_display(self, quote_id: uuid.UUID, answer: Declarations) -> None:
        if self.quote is None or self.quote.id != quote_id or self.ctx.locked:
            return
        self.declared_owner.setChecked(answer.declared_owner)
        self.declared_wiped.setChecked(answer.declared_wiped)
        if not answer.accepted:
            self.decline()
        elif self.signature.text().strip():
            self.accept()
        else:
            self.signature.setFocus()

    def print_receipt(self) -> None:
        if self.quote is None:
            return
        from desktop.views import preview
        self.receipt_dialog = preview.open_tradein_receipt(self.ctx, self.quote.id, self)

    def _set_editable(self, editable: bool) -> None:
        for w in (self.customer_search, self.find_button, self.customer_pick, self.family_box, self.model_box,
                  self.imei, *self.question_boxes.values(), self.battery_edit, self.battery_unknown):
            w.setEnabled(editable)
        if editable and self.battery_unknown.isChecked():
            self.battery_edit.setEnabled(False)

    def accept(self) -> None:
        if self.quote is None or self.ctx.actor is None:
            return
        self.fields.clear()
        actor, quote_id = self.ctx.actor, self.quote.id
        values = dict(signature_name=self.signature.text(), declared_owner=self.declared_owner.isChecked(),
                      declared_wiped=self.declared_wiped.isChecked(), imei=self.imei.text() or None,
                      serial=self.serial.text() or None, payout=self.payout_box.currentData())
        self.accept_button.setEnabled(False)
        self.ctx.write(lambda s: tradein.accept_quote(s, actor, quote_id, **values),
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
        self.result_label.set_message("success", text + "\n" + self.tr("The device is received for refurbishment."))
        self.show_voucher(outcome.voucher_code)
        # the outcome is what the associate reads next: bring it into view once laid out
        shown = self.voucher_box if outcome.voucher_code else self.result_label
        QTimer.singleShot(0, self, lambda: self.panel_scroll.ensureWidgetVisible(shown))

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
        self.ctx.write(lambda s: tradein.decline_quote(s, actor, quote_id),
                       on_result=self._declined, on_error=self.fail, owner=self)

    def _declined(self, q: tradein.QuoteView) -> None:
        if self.ctx.locked:
            return
        self.show_quote(q)
        self.result_label.set_message("info", self.tr("Declined: the customer takes the device back."))
