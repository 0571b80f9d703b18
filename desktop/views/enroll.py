"""Enrol a customer in the loyalty programme from the profile, in a few keystrokes: the
terms (with their version) are shown, the programme consent is one required tick,
marketing by SMS and by email are separate optional ticks, Enter enrols.  The new
member's card (QR and barcode) is shown at once, to scan into a wallet or print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import loyalty
from desktop.errors import FieldErrors, show_error
from desktop.qt import (
    QCheckBox, QComboBox, QDialog, QHBoxLayout, QLabel, QLocale, QPushButton, QTextEdit, QVBoxLayout, Qt, Signal,
)
from desktop.widgets.field import general_error
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    import uuid

    from desktop.context import AppContext
    from desktop.display.pages import Consents
    from desktop.qt import QBoxLayout, QWidget



def ui_language() -> str:
    return "zh_CN" if QLocale().name().startswith("zh") else "en"


class EnrollDialog(QDialog):
    """``EnrollDialog(ctx, customer_id, parent)``; ``enrolled`` carries the new MemberView."""

    enrolled = Signal(object)

    def __init__(self, ctx: AppContext, customer_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("enrollDialog")
        self.ctx = ctx
        self.customer_id = customer_id
        self.form: loyalty.EnrollmentForm | None = None
        self.member: loyalty.MemberView | None = None
        self.setWindowTitle(self.tr("Join the loyalty programme"))
        self.setMinimumSize(620, 640)
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        self.heading = QLabel()
        self.heading.setObjectName("cardTitle")
        self.heading.setWordWrap(True)
        lay.addWidget(self.heading)
        # the terms, in the customer's language first
        terms_head = QHBoxLayout()
        self.terms_version = QLabel()
        self.terms_version.setObjectName("summary")
        terms_head.addWidget(self.terms_version, 1)
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language of the terms"))
        self.language.currentIndexChanged.connect(self._show_terms)
        terms_head.addWidget(self.language)
        lay.addLayout(terms_head)
        self.terms = QTextEdit()
        self.terms.setObjectName("termsText")
        self.terms.setReadOnly(True)
        self.terms.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        lay.addWidget(self.terms, 1)
        # one decision per purpose
        self.fields = FieldErrors(general=general_error())
        self.programme = QCheckBox(self.tr("The customer has read the terms and agrees to join (required)"))
        self.programme.setObjectName("consentProgramme")
        self.marketing_sms = QCheckBox(self.tr("Offers and news by &SMS (optional)"))
        self.marketing_sms.setObjectName("consentSms")
        self.marketing_email = QCheckBox(self.tr("Offers and news by &email (optional)"))
        self.marketing_email.setObjectName("consentEmail")
        for name, box in (("programme", self.programme), ("marketing_sms", self.marketing_sms),
                          ("marketing_email", self.marketing_email)):
            lay.addWidget(box)
            err = QLabel()
            lay.addWidget(err)
            self.fields.bind(name, err, box)
        self.fields.bind("terms_version", self._error_label(lay), None)
        self.note = MessageBanner("info", self.tr("Marketing consent is separate from membership: the customer may "
                                                  "join without it and withdraw it at any time."))
        lay.addWidget(self.note)
        lay.addWidget(self.fields.general)
        # after enrolment: the card
        self.result = MessageBanner("success")
        lay.addWidget(self.result)
        from desktop.views.loyalty import CardView
        self.card = CardView()
        self.card.hide()
        lay.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(0)          # takes the terms' room once they are hidden
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        # the customer reads the terms and ticks the consents on the customer display
        self.display_button = QPushButton(self.tr("Show on the customer display"))
        self.display_button.setObjectName("termsOnDisplay")
        self.display_button.clicked.connect(self.show_on_display)
        self.display_button.setEnabled(False)
        self.display_button.setVisible(ctx.display.available())
        buttons.addWidget(self.display_button)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.enroll_button = QPushButton(self.tr("Enrol"))
        self.enroll_button.setObjectName("primary")
        self.enroll_button.setDefault(True)
        self.enroll_button.setAutoDefault(True)
        self.enroll_button.setEnabled(False)
        self.enroll_button.clicked.connect(self.submit)
        buttons.addWidget(self.enroll_button)
        self.print_button = QPushButton(self.tr("Print card…"))
        self.print_button.clicked.connect(self._print)
        self.print_button.hide()
        buttons.addWidget(self.print_button)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setObjectName("primary")
        self.done_button.clicked.connect(self.accept)
        self.done_button.hide()
        buttons.addWidget(self.done_button)
        lay.addLayout(buttons)
        self.programme.setFocus()
        actor = ctx.actor
        ctx.read(lambda s: loyalty.enrollment_form(s, actor, customer_id), on_result=self._loaded,
                 on_error=self._failed, owner=self)

    @staticmethod
    def _error_label(lay: QBoxLayout) -> QLabel:
        err = QLabel()
        lay.addWidget(err)
        return err

    def _loaded(self, form: loyalty.EnrollmentForm) -> None:
        self.form = form
        lang = ui_language()
        programme = form.programme.get(lang) or form.programme.get("en", "")
        self.heading.setText(self.tr("{0}: join {1}").format(form.display_name, programme))
        self.terms_version.setText(self.tr("Programme terms, version {0} · welcome bonus {1} points")
                                   .format(form.terms_version, QLocale().toString(form.welcome_bonus)))
        names = {"en": "English", "zh_CN": "简体中文"}
        self.language.blockSignals(True)
        self.language.clear()
        for code in form.terms:
            self.language.addItem(names.get(code, code), code)
        first = form.language if form.language in form.terms else lang
        self.language.setCurrentIndex(max(0, self.language.findData(first)))
        self.language.blockSignals(False)
        self._show_terms()
        self.marketing_sms.setChecked(form.marketing_sms)
        self.marketing_email.setChecked(form.marketing_email)
        self.marketing_sms.setEnabled(form.has_phone or form.marketing_sms)
        self.marketing_email.setEnabled(form.has_email or form.marketing_email)
        if not form.has_phone:
            self.marketing_sms.setToolTip(self.tr("No mobile number on the profile"))
        if not form.has_email:
            self.marketing_email.setToolTip(self.tr("No email address on the profile"))
        if form.member_number:
            self.fields.general.setText(self.tr("Already a member: {0}").format(form.member_number))
            self.fields.general.show()
            return
        self.enroll_button.setEnabled(True)
        self.display_button.setEnabled(True)
        self.programme.setFocus()

    def show_on_display(self) -> None:
        if self.form is not None:
            self.ctx.display.show_terms(self.form, on_result=self._answered_on_display, owner=self)

    def _answered_on_display(self, consents: Consents | None) -> None:
        """The customer's ticks, as if ticked here; joining sends the form (the customer agreed)."""
        if consents is None or not self.enroll_button.isEnabled():
            return
        self.programme.setChecked(consents.programme)
        self.marketing_sms.setChecked(consents.marketing_sms and self.marketing_sms.isEnabled())
        self.marketing_email.setChecked(consents.marketing_email and self.marketing_email.isEnabled())
        if consents.programme:
            self.submit()

    def _show_terms(self) -> None:
        if self.form is not None:
            self.terms.setPlainText(self.form.terms.get(self.language.currentData() or "en", ""))

    def submit(self) -> None:
        if self.form is None or not self.enroll_button.isEnabled():
            return
        self.fields.clear()
        actor, cid, version = self.ctx.actor, self.customer_id, self.form.terms_version
        programme, sms, email = (self.programme.isChecked(), self.marketing_sms.isChecked(),
                                 self.marketing_email.isChecked())
        self.enroll_button.setEnabled(False)
        self.ctx.write(lambda s: loyalty.enroll(s, actor, cid, terms_version=version, programme=programme,
                                                marketing_sms=sms, marketing_email=email), on_result=self._enrolled, on_error=self._failed, owner=self)

    def _enrolled(self, m: loyalty.MemberView) -> None:
        self.member = m
        for box in (self.programme, self.marketing_sms, self.marketing_email):
            box.setEnabled(False)
        self.result.setText(self.tr("Welcome! Member number {0}, {1} points to start with. Scan the card into "
                                    "the customer's phone or print it.")
                            .format(m.member_number, QLocale().toString(m.balance)))
        self.result.show()
        self.card.set_member(m.member_number, m.display_name, m.tier)
        self.card.show()
        self.terms.hide()
        self.note.hide()
        self.language.hide()
        self.enroll_button.hide()
        self.display_button.hide()
        self.cancel_button.hide()
        self.print_button.show()
        self.done_button.show()
        self.done_button.setFocus()
        self.enrolled.emit(m)

    def _print(self) -> None:
        if self.member is not None:
            from desktop.views.loyalty import print_card
            print_card(self, self.ctx, self.member.id)

    def _failed(self, exc: BaseException) -> None:
        self.enroll_button.setEnabled(self.form is not None and not self.form.member_number)
        show_error(self, exc, self.fields)
