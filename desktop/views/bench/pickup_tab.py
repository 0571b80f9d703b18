"""The Pickup tab: who collects, the customer's signature (drawn or typed) and payment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import repairs
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors
from desktop.qt import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPixmap, QPushButton, Qt, QVBoxLayout, QWidget,
)
from desktop.views.bench._common import TicketTab
from desktop.views.bench.corrections_dialog import (
    pickup_override_dialog, rework_dialog, void_payment_dialog, void_pickup_dialog,
)
from desktop.views.intake import name_of
from desktop.widgets.field import FieldRow, error_label
from desktop.widgets.signature import SignaturePad

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from core.permissions import Actor
    from desktop.views.bench.panel import TicketPanel


class PickupTab(TicketTab):
    """Hands the device back; afterwards shows who took it and the signature."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        lay = QVBoxLayout(self)
        self.p_fields = FieldErrors(general=error_label())
        self.pickup_info = QLabel()
        self.pickup_info.setObjectName("hint")
        self.pickup_info.setWordWrap(True)
        lay.addWidget(self.pickup_info)
        self.pickup_form = QWidget()
        form = QFormLayout(self.pickup_form)
        form.setContentsMargins(0, 0, 0, 0)

        self.collected_by = QLineEdit()
        form.addRow(self.tr("Collected by"), FieldRow(self.p_fields, "collected_by", self.collected_by))
        # who collects proves it before the device goes: the receipt's code or the phone's last 4 digits
        self.identity = QLineEdit()
        self.identity.setObjectName("pickupIdentity")
        self.identity.setPlaceholderText(self.tr("Scan the intake receipt or type the phone's last 4 digits"))
        form.addRow(self.tr("Identity"), FieldRow(self.p_fields, "identity", self.identity))
        pad_row = QWidget()
        pr = QHBoxLayout(pad_row)
        pr.setContentsMargins(0, 0, 0, 0)
        self.pad = SignaturePad()
        pr.addWidget(self.pad, 1)
        self.display_signed = QLabel()
        self.display_signed.setObjectName("displaySigned")
        self.display_signed.hide()
        pr.addWidget(self.display_signed, 1)
        self.clear_pad_button = QPushButton(self.tr("Clear"))
        self.clear_pad_button.clicked.connect(self.pad.clear)
        side = QVBoxLayout()        # the pad's buttons in a column beside it: each keeps its whole text
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.clear_pad_button)
        # or the customer signs on the customer display; its PNG stands in for the pad's
        self.display_signature: bytes | None = None
        self.sign_on_display_button = QPushButton(self.tr("Sign on the customer display"))
        self.sign_on_display_button.setObjectName("signOnDisplay")
        self.sign_on_display_button.clicked.connect(self.sign_on_display)
        self.sign_on_display_button.setVisible(self.ctx.display.available())
        self.ctx.display.availability_changed.connect(self._display_setting)
        side.addWidget(self.sign_on_display_button)
        side.addStretch(1)
        pr.addLayout(side)
        form.addRow(self.tr("Signature"), FieldRow(self.p_fields, "signature", pad_row))
        self.typed_name = QLineEdit()
        self.typed_name.setPlaceholderText(self.tr("…or the customer types their name"))
        form.addRow("", FieldRow(self.p_fields, "signature_name", self.typed_name))
        self.amount_due = QLabel()
        self.amount_due.setObjectName("amountDue")     # large and bold: the style sheets
        lay.addWidget(self.amount_due)
        self.payment = QComboBox()
        # nothing chosen until someone says how the customer paid: a wrong default costs money
        self.payment.addItem(self.tr("Choose how the customer paid…"), None)
        for code in repairs.PAYMENT_STATUSES:
            self.payment.addItem(name_of("payment_status", code), code)
        form.addRow(self.tr("Payment"), FieldRow(self.p_fields, "payment_status", self.payment))
        self.pickup_form.setMaximumWidth(760)
        lay.addWidget(self.pickup_form)
        lay.addWidget(self.p_fields.general)
        row = QHBoxLayout()
        self.pickup_button = QPushButton(self.tr("Hand over the device"))
        self.pickup_button.setObjectName("primary")
        self.pickup_button.clicked.connect(self.pickup)
        row.addWidget(self.pickup_button)
        # no receipt and no phone digits: a manager may hand over, giving the reason
        self.override_button = QPushButton(self.tr("Manager override…"))
        self.override_button.setObjectName("pickupOverride")
        self.override_button.clicked.connect(self.ask_override)
        row.addWidget(self.override_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.signature_view = QLabel()
        self.signature_view.setObjectName("signatureView")
        self.signature_view.hide()
        lay.addWidget(self.signature_view)
        # after the hand-over: the customer's opinion, asked on the display (the answers stay there)
        self.survey_button = QPushButton(self.tr("Ask the customer's opinion on the display"))
        self.survey_button.setObjectName("surveyOnDisplay")
        self.survey_button.clicked.connect(self.ask_survey)
        self.survey_button.hide()
        lay.addWidget(self.survey_button, alignment=Qt.AlignmentFlag.AlignLeft)
        # after the hand-over: a payment recorded after a void, a manager's corrections, a rework
        self.paid_row = QWidget()
        pay = QHBoxLayout(self.paid_row)
        pay.setContentsMargins(0, 0, 0, 0)
        self.late_payment = QComboBox()
        self.late_payment.addItem(self.tr("Choose how the customer paid…"), None)
        for code in ("paid", "invoiced"):
            self.late_payment.addItem(name_of("payment_status", code), code)
        self.late_fields = FieldErrors(general=error_label())
        pay.addWidget(FieldRow(self.late_fields, "payment_status", self.late_payment))
        self.record_payment_button = QPushButton(self.tr("Record payment"))
        self.record_payment_button.clicked.connect(self.record_payment)
        pay.addWidget(self.record_payment_button, alignment=Qt.AlignmentFlag.AlignTop)
        pay.addStretch(1)
        lay.addWidget(self.paid_row)
        lay.addWidget(self.late_fields.general)
        fixes = QHBoxLayout()
        self.rework_button = QPushButton(self.tr("Returned under warranty…"))
        self.rework_button.clicked.connect(lambda: rework_dialog(self.panel).open())
        self.void_pickup_button = QPushButton(self.tr("Void pickup…"))
        self.void_pickup_button.clicked.connect(lambda: void_pickup_dialog(self.panel).open())
        self.void_payment_button = QPushButton(self.tr("Void payment…"))
        self.void_payment_button.clicked.connect(lambda: void_payment_dialog(self.panel).open())
        for b in (self.rework_button, self.void_pickup_button, self.void_payment_button):
            fixes.addWidget(b)
        fixes.addStretch(1)
        lay.addLayout(fixes)
        lay.addStretch(1)

    def show_ticket(self, d: repairs.TicketDetail, reset: bool) -> None:
        handing = d.status in ("ready", "cancelled", "unrepairable") and d.collected_at is None
        if reset:
            self.p_fields.clear()
            self.pad.clear()
            self._signed_on_display(None)
            self.typed_name.clear()
            self.identity.clear()
            self.late_payment.setCurrentIndex(0)
            self.late_fields.clear()
            self.collected_by.setText(d.customer_name)
            # nothing due: "no charge" is the only answer; something due: no answer until one is given
            self.payment.setCurrentIndex(0 if d.amount_due_cents else self.payment.findData("no_charge"))
        if d.collected_at is not None:
            text = self.tr("Handed over {0} to {1} · {2}").format(fmt.date_time(d.collected_at), d.collected_by,
                                                                  name_of("payment_status", d.payment_status))
            if d.signature_name:
                text += " · " + self.tr("signed: {0}").format(d.signature_name)
        elif handing:
            text = self.tr("The repaired device goes back to the customer.") if d.status == "ready" else \
                self.tr("The device goes back unrepaired.")
        else:
            text = self.tr("The device can be handed over once it is ready for pickup.")
        self.pickup_info.setText(text)
        # what is due, large and apart from the banner: the one figure the associate must not miss
        if handing:
            self.amount_due.setText(self.tr("Amount due: {0}").format(self.money(d.amount_due_cents))
                                    if d.amount_due_cents else self.tr("Nothing to pay."))
        self.amount_due.setVisible(handing)
        self.pickup_form.setVisible(d.collected_at is None)
        self.pickup_button.setVisible(d.collected_at is None)
        self.pickup_button.setEnabled(handing)
        self.pickup_form.setEnabled(handing)
        handed = d.collected_at is not None
        manager = self.ctx.can(Perm.CORRECT_PICKUPS)
        self.override_button.setVisible(handing and manager)
        self.paid_row.setVisible(handed and d.payment_status == "unpaid")
        self.rework_button.setVisible(d.repair_warranty_end is not None)
        if d.repair_warranty_end is not None:
            self.rework_button.setToolTip(self.tr("The repair's warranty runs until {0}.")
                                          .format(fmt.day(d.repair_warranty_end)))
        self.void_pickup_button.setVisible(handed and manager and not d.reworks)
        self.void_payment_button.setVisible(handed and manager and d.payment_status in ("paid", "invoiced"))
        self.survey_button.hide()
        if handed and d.customer_id is not None and self.ctx.display.available():
            actor, ticket_id = self.ctx.actor, d.id
            from core.care import surveys
            self.ctx.read(lambda s: surveys.survey_due(s, actor, ticket_id=ticket_id),
                          on_result=self.survey_button.setVisible, on_error=lambda exc: None, owner=self)
        if d.signature_png:
            pix = QPixmap()
            pix.loadFromData(d.signature_png)
            self.signature_view.setPixmap(pix)
            self.signature_view.show()
        else:
            self.signature_view.clear()
            self.signature_view.hide()

    def _hand_back(self, identity: str) -> Callable[[Session, Actor, uuid.UUID, str | None], repairs.TicketView]:
        """The hand-over with the form's answers, read now (on the GUI thread, not in the worker);
        its last argument is a manager's reason for handing over without proof."""
        signature = self.display_signature or (None if self.pad.is_empty() else self.pad.png())
        who, typed, payment = self.collected_by.text(), self.typed_name.text(), self.payment.currentData()

        def hand_back(s: Session, a: Actor, t: uuid.UUID, override_reason: str | None) -> repairs.TicketView:
            view = repairs.pickup(s, a, t, collected_by=who, signature_png=signature, signature_name=typed or None,
                                  payment_status=payment, identity=identity, override_reason=override_reason)
            repairs.earn_at_pickup(s, a, t)      # a member earns on what was paid, in the same transaction
            return view
        return hand_back

    def sign_on_display(self) -> None:
        d = self.panel.detail
        if d is not None:
            tid = d.id
            self.ctx.display.ask_signature(customer_id=d.customer_id, owner=self, on_result=lambda png: (
                self._signed_on_display(png) if self.panel.detail is not None and self.panel.detail.id == tid
                else None))

    def _signed_on_display(self, png: bytes | None) -> None:
        """The signature from the display, shown in the pad's place (``None``: the pad again)."""
        self.display_signature = png
        self.pad.setVisible(png is None)
        self.clear_pad_button.setVisible(png is None)
        if png is None:
            self.display_signed.clear()
            self.display_signed.hide()
        else:
            pix = QPixmap()
            pix.loadFromData(png)
            self.display_signed.setPixmap(pix.scaledToHeight(self.pad.minimumHeight()))
            self.display_signed.show()

    def _display_setting(self, on: bool) -> None:
        """The "Customer display" setting changed: Off takes its buttons away, Auto brings the
        signature's back (the survey's on the ticket's next showing)."""
        self.sign_on_display_button.setVisible(on)
        if not on:
            self.survey_button.hide()

    def ask_survey(self) -> None:
        d = self.panel.detail
        if d is not None:
            self.survey_button.hide()
            self.ctx.display.ask_survey(ticket_id=d.id, customer_id=d.customer_id, owner=self)

    def pickup(self) -> None:
        hand_back = self._hand_back(self.identity.text())
        self.panel.act(lambda s, a, t: hand_back(s, a, t, None), self.p_fields)

    def ask_override(self) -> None:
        """A manager hands over without proof: the reason in a small dialog, the rest from the form
        (which the dialog covers while it is open)."""
        self.p_fields.clear()
        pickup_override_dialog(self.panel, self._hand_back(""), self.p_fields).open()

    def record_payment(self) -> None:
        payment = self.late_payment.currentData()

        def record(s: Session, a: Actor, t: uuid.UUID) -> repairs.TicketView:
            view = repairs.record_payment(s, a, t, payment_status=payment)
            repairs.earn_at_pickup(s, a, t)
            return view
        self.panel.act(record, self.late_fields)

    def clear(self) -> None:
        self.pickup_info.clear()
        self.amount_due.clear()
        self.collected_by.clear()
        self.typed_name.clear()
        self.identity.clear()
        self.pad.clear()
        self._signed_on_display(None)
        self.signature_view.clear()
