"""The customer display: a top-level window of its own (never a child of the associate's
window), its pages in a stack, its words in the customer's language.

It holds a visit's content only while the customer needs it: ``reset`` empties every page
and shows the welcome page (the lock, "Back to the associate", a finished request)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.display import pages
from desktop.display.words import say
from desktop.qt import QGuiApplication, QHBoxLayout, QStackedWidget, Qt, QVBoxLayout, QWidget, Signal

if TYPE_CHECKING:
    from core.loyalty.enrolment import EnrollmentForm
    from core.repairs.detail import TicketDetail
    from core.tradein.quotes import QuoteView
    from desktop.qt import QCloseEvent, QKeyEvent

# large type and fingertip-sized controls, whatever theme the associate's window uses
STYLE = f"""
CustomerDisplay {{ background: #ffffff; }}
CustomerDisplay QWidget {{ font-size: 20px; color: #1a202c; }}
CustomerDisplay QLabel[displayRole="heading"] {{ font-size: 30px; font-weight: 600; }}
CustomerDisplay QLabel[displayRole="total"] {{ font-weight: 700; }}
CustomerDisplay QPushButton {{ min-height: {pages.TOUCH}px; padding: 4px 20px; border: 2px solid #8a96a8;
    border-radius: 8px; background: #f4f6f9; }}
CustomerDisplay QPushButton:focus {{ border: 3px solid #1f6feb; }}
CustomerDisplay QPushButton:checked {{ background: #1f6feb; color: #ffffff; border-color: #1f6feb; }}
CustomerDisplay QPushButton[displayRole="primary"] {{ background: #1f6feb; color: #ffffff; border-color: #1f6feb; }}
CustomerDisplay QPushButton:disabled {{ background: #e7ebf0; color: #7b8594; border-color: #c8d1db; }}
CustomerDisplay QCheckBox {{ spacing: 14px; }}
CustomerDisplay QCheckBox::indicator {{ width: 32px; height: 32px; }}
CustomerDisplay QCheckBox:focus {{ outline: 2px solid #1f6feb; }}
"""


class CustomerDisplay(QWidget):
    """``CustomerDisplay()``: shown by ``DisplayController``; its signals carry the customer's answers."""

    quote_answered = Signal(bool)
    tradein_answered = Signal(object)     # pages.Declarations
    terms_answered = Signal(object)       # pages.Consents | None
    signed = Signal(bytes)
    survey_submitted = Signal(object)     # pages.SurveyAnswer
    back_requested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setStyleSheet(STYLE)
        self.language = "en"
        self.store_name = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(32, 20, 32, 24)
        top = QHBoxLayout()
        top.addStretch(1)
        # one screen: the associate turned the screen round; this hands it back, knowing nothing of the customer
        self.back = pages.BigButton("displayBack")
        self.back.clicked.connect(self.back_requested)
        top.addWidget(self.back)
        lay.addLayout(top)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)
        self.welcome, self.quote, self.tradein = pages.WelcomePage(), pages.QuotePage(), pages.TradeInPage()
        self.terms, self.signature, self.survey = pages.TermsPage(), pages.SignaturePage(), pages.SurveyPage()
        self.thanks = pages.ThanksPage()
        for page in (self.welcome, self.quote, self.tradein, self.terms, self.signature, self.survey, self.thanks):
            self.stack.addWidget(page)
        self.quote.answered.connect(self.quote_answered)
        self.tradein.answered.connect(self.tradein_answered)
        self.terms.answered.connect(self.terms_answered)
        self.signature.signed.connect(self.signed)
        self.survey.submitted.connect(self.survey_submitted)
        self.one_screen = False
        self.reset()

    def _speak(self, lang: str) -> None:
        self.language = lang
        self.setWindowTitle(say(lang, "window_title"))
        self.back.setText(say(lang, "back"))
        self.back.setVisible(self.one_screen)

    def _show(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        first = page.nextInFocusChain() if page.focusPolicy() == Qt.FocusPolicy.NoFocus else page
        if isinstance(first, QWidget) and self.isVisible():
            first.setFocus(Qt.FocusReason.TabFocusReason)

    # --- what the controller shows --------------------------------------------------------

    def show_welcome(self, lang: str) -> None:
        self._speak(lang)
        self.welcome.fill(lang, self.store_name)
        self._show(self.welcome)

    def show_quote(self, lang: str, detail: TicketDetail) -> None:
        self._speak(lang)
        self.quote.fill(lang, detail)
        self._show(self.quote)

    def show_tradein(self, lang: str, quote: QuoteView) -> None:
        self._speak(lang)
        self.tradein.fill(lang, quote)
        self._show(self.tradein)

    def show_terms(self, lang: str, form: EnrollmentForm) -> None:
        self._speak(lang)
        self.terms.fill(lang, form)
        self._show(self.terms)

    def ask_signature(self, lang: str, prompt_key: str = "sign_pickup") -> None:
        self._speak(lang)
        self.signature.fill(lang, prompt_key)
        self._show(self.signature)

    def ask_survey(self, lang: str) -> None:
        self._speak(lang)
        self.survey.fill(lang)
        self._show(self.survey)

    def show_thanks(self) -> None:
        self.survey.clear()
        self.thanks.fill(self.language)
        self._show(self.thanks)

    def reset(self) -> None:
        """Empty every page and show the welcome page (in the store's words, no customer's)."""
        for page in (self.quote, self.tradein, self.terms, self.signature, self.survey):
            page.clear()
        self.show_welcome(self.language)

    def current(self) -> str:
        """The page shown, by name: what a test or the screenshot tool asks."""
        names = {self.welcome: "welcome", self.quote: "quote", self.tradein: "tradein", self.terms: "terms",
                 self.signature: "signature", self.survey: "survey", self.thanks: "thanks"}
        return names.get(self.stack.currentWidget(), "")

    # --- where it shows -------------------------------------------------------------------

    def place(self, screen_name: str | None) -> None:
        """Full-screen on the named screen (a second screen), or on the main one (``None``)."""
        self.one_screen = screen_name is None
        self.back.setVisible(self.one_screen)
        target = next((s for s in QGuiApplication.screens() if s.name() == screen_name), None)
        if target is not None:
            self.setScreen(target)
            self.setGeometry(target.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.one_screen:
            self.back_requested.emit()      # the associate's way back, as the button
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # a window manager's close: hand back, as "Back to the associate" does
        event.ignore()
        self.back_requested.emit()
