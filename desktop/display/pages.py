"""The customer display's pages, one class each: what the customer reads, ticks, signs and
answers. Every control is big enough for a finger (``TOUCH`` px and more) and reachable
from the keyboard: Tab moves, Space and Enter press or tick.

Each page's ``fill`` puts a visit's content in the customer's language (``words``) and
``clear`` takes it out again: nothing of one customer stays for the next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core import formatting
from core.care import CSAT_RANGE, NPS_RANGE, TEXT_MAX
from core.money import rate_text
from desktop.display.words import paper, say
from desktop.qt import (
    QButtonGroup, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QPushButton, QSizePolicy, Qt,
    QTextEdit, QVBoxLayout, QWidget, Signal,
)
from desktop.widgets.signature import SignaturePad
from reports import i18n

if TYPE_CHECKING:
    from core.loyalty.enrolment import EnrollmentForm
    from core.repairs.detail import TicketDetail
    from core.tradein.quotes import QuoteView

TOUCH = 56           # a button's height: well above the 44 px a fingertip needs
SCORE = 64           # a score button's side


def _enter_presses(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat()


class BigButton(QPushButton):
    """A push button the size of a fingertip that Enter presses as well as Space (a page is
    no dialog, so there is no default button to take Enter)."""

    def __init__(self, name: str, parent: QWidget | None = None, *, side: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if side is None:
            self.setMinimumSize(160, TOUCH)
        else:
            self.setMinimumSize(side, side)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _enter_presses(event):
            self.animateClick()
        else:
            super().keyPressEvent(event)


class BigCheck(QCheckBox):
    """A tick box as tall as a fingertip, with a wrapped sentence beside it; Enter ticks."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMinimumHeight(TOUCH)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _enter_presses(event):
            self.toggle()
        else:
            super().keyPressEvent(event)


def _heading(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("displayRole", "heading")
    label.setWordWrap(True)
    return label


def _text(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    return row


@dataclass(frozen=True)
class Declarations:
    """The customer's answer to a trade-in offer."""

    accepted: bool
    declared_owner: bool
    declared_wiped: bool


@dataclass(frozen=True)
class Consents:
    """The consents the customer chose (``programme`` is joining at all)."""

    programme: bool
    marketing_sms: bool
    marketing_email: bool


@dataclass(frozen=True)
class SurveyAnswer:
    nps: int | None
    csat: int | None
    comment: str


class WelcomePage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.title = _heading("displayWelcome")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = _text("displayWelcomeHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)
        lay.addStretch(1)

    def fill(self, lang: str, store: str) -> None:
        self.title.setText(say(lang, "welcome", store=store))
        self.hint.setText(say(lang, "welcome_hint"))


class QuotePage(QWidget):
    answered = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        self.title = _heading("displayQuoteTitle")
        self.ticket = _text("displayQuoteTicket")
        self.diagnosis = _text("displayQuoteDiagnosis")
        self.lines = QFrame()
        self.lines.setObjectName("displayQuoteLines")
        self.grid = QGridLayout(self.lines)
        self.question = _heading("displayQuoteQuestion")
        self.decline = BigButton("displayDecline")
        self.approve = BigButton("displayApprove")
        self.approve.setProperty("displayRole", "primary")
        self.decline.clicked.connect(lambda: self.answered.emit(False))
        self.approve.clicked.connect(lambda: self.answered.emit(True))
        for w in (self.title, self.ticket, self.diagnosis, self.lines):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(self.question)
        lay.addLayout(_buttons(self.decline, self.approve))

    def _row(self, row: int, text: str, qty: str, amount: str, total: bool = False) -> None:
        for col, value in enumerate((text, qty, amount)):
            cell = QLabel(value)
            cell.setWordWrap(col == 0)
            if col:
                cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if total:
                cell.setProperty("displayRole", "total")
            self.grid.addWidget(cell, row, col)

    def fill(self, lang: str, d: TicketDetail) -> None:
        self.clear()

        def money(cents: int) -> str:
            return formatting.money(cents, d.currency, lang)
        self.title.setText(say(lang, "quote_title"))
        self.ticket.setText(say(lang, "quote_ticket", number=d.number, device=d.device_model))
        self.diagnosis.setText(f"{paper(lang, 'diagnosis')}: {d.diagnosis}" if d.diagnosis else "")
        self._row(0, paper(lang, "item"), paper(lang, "qty"), paper(lang, "amount"))
        row = 1
        for p in sorted(d.parts, key=lambda p: p.sku):      # as the service report lists them
            note = f" ({i18n.label(lang, 'covered')})" if p.covered else ""
            self._row(row, p.name + note, str(p.quantity), money(p.charged_cents))
            row += 1
        self._row(row, paper(lang, "labour"), "", money(d.labour_charged_cents))
        a, tax = d.amounts, d.amounts.tax
        if tax.applies and not tax.inclusive:
            self._row(row + 1, paper(lang, "subtotal"), "", money(a.net_cents))
            self._row(row + 2, paper(lang, "tax_line", label=tax.label, rate=rate_text(tax.rate)), "",
                      money(a.tax_cents))
            row += 2
        self._row(row + 1, paper(lang, "total_charged"), "", money(a.total_cents), total=True)
        self.grid.setColumnStretch(0, 1)
        self.question.setText(say(lang, "quote_question", amount=money(a.total_cents)))
        self.approve.setText(say(lang, "approve"))
        self.decline.setText(say(lang, "decline"))

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for label in (self.title, self.ticket, self.diagnosis, self.question):
            label.clear()


class TradeInPage(QWidget):
    answered = Signal(object)       # Declarations

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        self.title = _heading("displayTradeInTitle")
        self.offer = _heading("displayTradeInOffer")
        self.valid = _text("displayTradeInValid")
        self.declaration = _text("displayDeclaration")     # the paper's declaration, word for word
        self.tick_each = _text("displayTickEach")
        self.owner = BigCheck("displayDeclareOwner")
        self.wiped = BigCheck("displayDeclareWiped")
        self.decline = BigButton("displayTradeInDecline")
        self.accept = BigButton("displayTradeInAccept")
        self.accept.setProperty("displayRole", "primary")
        for box in (self.owner, self.wiped):
            box.toggled.connect(self._ticked)
        self.accept.clicked.connect(lambda: self._answer(True))
        self.decline.clicked.connect(lambda: self._answer(False))
        for w in (self.title, self.offer, self.valid, self.declaration, self.tick_each, self.owner, self.wiped):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addLayout(_buttons(self.decline, self.accept))

    def fill(self, lang: str, q: QuoteView) -> None:
        self.clear()
        self.title.setText(say(lang, "tradein_title"))
        self.offer.setText(say(lang, "tradein_offer", amount=formatting.money(q.value_cents, q.currency, lang),
                               device=q.device))
        self.valid.setText(say(lang, "tradein_valid", date=formatting.date(q.expires_at, lang)))
        self.declaration.setText(f"{paper(lang, 'declaration')}: {paper(lang, 'tradein_declaration')}")
        self.tick_each.setText(say(lang, "tick_each"))
        self.owner.setText(say(lang, "declare_owner"))
        self.wiped.setText(say(lang, "declare_wiped"))
        self.accept.setText(say(lang, "accept"))
        self.decline.setText(say(lang, "decline"))
        self._ticked()

    def _ticked(self) -> None:
        self.accept.setEnabled(self.owner.isChecked() and self.wiped.isChecked())

    def _answer(self, accepted: bool) -> None:
        self.answered.emit(Declarations(accepted, self.owner.isChecked(), self.wiped.isChecked()))

    def clear(self) -> None:
        for box in (self.owner, self.wiped):
            box.setChecked(False)
        for label in (self.title, self.offer, self.valid, self.declaration):
            label.clear()


class TermsPage(QWidget):
    answered = Signal(object)       # Consents, or None: not now

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        self.title = _heading("displayTermsTitle")
        self.version = _text("displayTermsVersion")
        self.terms = QTextEdit()
        self.terms.setObjectName("displayTermsText")
        self.terms.setReadOnly(True)      # read with the arrow keys or a finger; Tab moves on
        self.terms.setTabChangesFocus(True)
        self.programme = BigCheck("displayConsentProgramme")
        self.sms = BigCheck("displayConsentSms")
        self.email = BigCheck("displayConsentEmail")
        self.note = _text("displayConsentNote")
        self.not_now = BigButton("displayTermsNotNow")
        self.agree = BigButton("displayAgree")
        self.agree.setProperty("displayRole", "primary")
        self.programme.toggled.connect(self.agree.setEnabled)
        self.agree.clicked.connect(lambda: self.answered.emit(
            Consents(self.programme.isChecked(), self.sms.isChecked(), self.email.isChecked())))
        self.not_now.clicked.connect(lambda: self.answered.emit(None))
        for w in (self.title, self.version):
            lay.addWidget(w)
        lay.addWidget(self.terms, 1)
        for w in (self.programme, self.sms, self.email, self.note):
            lay.addWidget(w)
        lay.addLayout(_buttons(self.not_now, self.agree))

    def fill(self, lang: str, form: EnrollmentForm) -> None:
        self.clear()
        self.title.setText(say(lang, "terms_title"))
        self.version.setText(say(lang, "terms_version", version=form.terms_version))
        self.terms.setPlainText(form.terms.get(lang) or form.terms.get("en", ""))
        self.programme.setText(say(lang, "consent_programme"))
        self.sms.setText(say(lang, "consent_sms"))
        self.email.setText(say(lang, "consent_email"))
        self.note.setText(say(lang, "consent_note"))
        self.sms.setChecked(form.marketing_sms)
        self.email.setChecked(form.marketing_email)
        self.sms.setVisible(form.has_phone or form.marketing_sms)       # no number: nothing to send to
        self.email.setVisible(form.has_email or form.marketing_email)
        self.agree.setText(say(lang, "agree"))
        self.not_now.setText(say(lang, "not_now"))
        self.agree.setEnabled(False)

    def clear(self) -> None:
        for box in (self.programme, self.sms, self.email):
            box.setChecked(False)
        self.terms.clear()
        for label in (self.title, self.version):
            label.clear()


class SignaturePage(QWidget):
    signed = Signal(bytes)

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        self.title = _heading("displaySignTitle")
        self.prompt = _text("displaySignPrompt")
        self.pad = SignaturePad()
        self.pad.setObjectName("displaySignaturePad")
        self.pad.setMinimumSize(480, 220)
        self.pad.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.clear_button = BigButton("displaySignClear")
        self.done = BigButton("displaySignDone")
        self.done.setProperty("displayRole", "primary")
        self.clear_button.clicked.connect(self.pad.clear)
        self.pad.changed.connect(lambda: self.done.setEnabled(not self.pad.is_empty()))
        self.done.clicked.connect(self._done)
        lay.addWidget(self.title)
        lay.addWidget(self.prompt)
        lay.addWidget(self.pad, 1)
        lay.addLayout(_buttons(self.clear_button, self.done))

    def fill(self, lang: str, prompt_key: str) -> None:
        self.clear()
        self.title.setText(say(lang, "sign_title"))
        self.prompt.setText(say(lang, prompt_key))
        self.pad.placeholder = say(lang, "sign_here")
        self.clear_button.setText(say(lang, "clear"))
        self.done.setText(say(lang, "done"))
        self.done.setEnabled(False)

    def _done(self) -> None:
        if not self.pad.is_empty():
            self.signed.emit(self.pad.png())

    def clear(self) -> None:
        self.pad.clear()
        self.title.clear()
        self.prompt.clear()


class SurveyPage(QWidget):
    submitted = Signal(object)      # SurveyAnswer

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        self.title = _heading("displaySurveyTitle")
        self.nps_question = _text("displayNpsQuestion")
        self.nps = QButtonGroup(self)
        nps_row = QHBoxLayout()
        for score in NPS_RANGE:
            b = BigButton(f"displayNps{score}", side=SCORE)
            b.setText(str(score))
            b.setCheckable(True)
            self.nps.addButton(b, score)
            nps_row.addWidget(b)
        ends = QHBoxLayout()
        self.nps_low, self.nps_high = _text("displayNpsLow"), _text("displayNpsHigh")
        self.nps_high.setAlignment(Qt.AlignmentFlag.AlignRight)
        ends.addWidget(self.nps_low)
        ends.addWidget(self.nps_high)
        self.csat_question = _text("displayCsatQuestion")
        self.csat = QButtonGroup(self)
        csat_row = QHBoxLayout()
        for score in CSAT_RANGE:
            b = BigButton(f"displayCsat{score}")
            b.setCheckable(True)
            self.csat.addButton(b, score)
            csat_row.addWidget(b)
        self.comment_label = _text("displayCommentLabel")
        self.comment = QTextEdit()
        self.comment.setObjectName("displayComment")
        self.comment.setAcceptRichText(False)
        self.comment.setTabChangesFocus(True)
        self.comment.setMinimumHeight(2 * TOUCH)
        self.comment.textChanged.connect(self._limit)
        self.comment_label.setBuddy(self.comment)
        self.submit = BigButton("displaySurveySubmit")
        self.submit.setProperty("displayRole", "primary")
        self.submit.clicked.connect(self._submit)
        self.nps.idToggled.connect(self._chosen)
        self.csat.idToggled.connect(self._chosen)
        lay.addWidget(self.title)
        lay.addWidget(self.nps_question)
        lay.addLayout(nps_row)
        lay.addLayout(ends)
        lay.addWidget(self.csat_question)
        lay.addLayout(csat_row)
        lay.addWidget(self.comment_label)
        lay.addWidget(self.comment, 1)
        lay.addLayout(_buttons(self.submit))

    def fill(self, lang: str) -> None:
        self.clear()
        self.title.setText(say(lang, "survey_title"))
        self.nps_question.setText(say(lang, "nps_question"))
        self.nps_low.setText(say(lang, "nps_low"))
        self.nps_high.setText(say(lang, "nps_high"))
        self.csat_question.setText(say(lang, "csat_question"))
        for score in CSAT_RANGE:
            self.csat.button(score).setText(f"{score} · {say(lang, f'csat_{score}')}")
        self.comment_label.setText(say(lang, "comment"))
        self.submit.setText(say(lang, "submit"))
        self._chosen()

    def _limit(self) -> None:
        text = self.comment.toPlainText()
        if len(text) > TEXT_MAX:
            self.comment.setPlainText(text[:TEXT_MAX])

    def _chosen(self) -> None:
        self.submit.setEnabled(self.nps.checkedId() >= 0 or self.csat.checkedId() >= 0)

    def answer(self) -> SurveyAnswer:
        nps, csat = self.nps.checkedId(), self.csat.checkedId()
        return SurveyAnswer(nps if nps >= 0 else None, csat if csat >= 0 else None,
                            self.comment.toPlainText().strip())

    def _submit(self) -> None:
        if self.submit.isEnabled():
            answer = self.answer()
            self.clear()                 # the answer leaves the screen with the customer's press
            self.submitted.emit(answer)

    def clear(self) -> None:
        for group in (self.nps, self.csat):
            group.setExclusive(False)
            for b in group.buttons():
                b.setChecked(False)
            group.setExclusive(True)
        self.comment.clear()
        self._chosen()


class ThanksPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.title = _heading("displayThanks")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = _text("displayThanksHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)
        lay.addStretch(1)

    def fill(self, lang: str) -> None:
        self.title.setText(say(lang, "thanks"))
        self.hint.setText(say(lang, "thanks_hint"))
