"""One ``DisplayController`` per app (``ctx.display``): the associate's screens ask it to show
the customer something, and it hands the customer's answer back.

Each request replaces the one before (there is one customer at the counter): a screen passes
``on_result`` (and its own widget as ``owner``, so an answer for a screen that has gone is
dropped) and the controller also emits one signal per kind of answer. The display speaks the
customer's language: ``language`` when the screen knows it, else the customer's
(``Customer.language``), else the store's (its country's: Chinese in China, else English).

The survey is saved here, in a worker, through ``core.care.surveys.record_answer``; the
associate's screen meanwhile shows only that the customer is answering (``WaitingDialog``),
then "Answer saved", never the scores or the comment."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Callable

import shiboken6

from core.errors import PermissionDenied
from core.permissions import Perm, require
from desktop.display import placement
from desktop.display.pages import Consents, Declarations, SurveyAnswer
from desktop.display.waiting import WaitingDialog
from desktop.display.words import language as display_language
from desktop.errors import user_message
from desktop.qt import QGuiApplication, QObject, QTimer, QWidget, Signal

if TYPE_CHECKING:
    from core.loyalty.enrolment import EnrollmentForm
    from core.repairs.detail import TicketDetail
    from core.tradein.quotes import QuoteView
    from desktop.context import AppContext
    from desktop.display.window import CustomerDisplay

__all__ = ["Consents", "Declarations", "DisplayController", "SurveyAnswer"]

MODES = ("auto", "off")                 # the "Customer display" setting
THANKS_MS = 6000                        # the thank-you stays this long, then the welcome page
CHINESE_COUNTRIES = ("CN", "TW", "HK", "MO", "SG")


def _screens() -> list[placement.Screen]:
    primary = QGuiApplication.primaryScreen()
    out = []
    for s in QGuiApplication.screens():
        g = s.geometry()
        out.append(placement.Screen(s.name(), (g.x(), g.y(), g.width(), g.height()), s is primary))
    return out


class DisplayController(QObject):
    quote_answered = Signal(bool)
    tradein_answered = Signal(object)     # Declarations
    terms_answered = Signal(object)       # Consents | None
    signed = Signal(bytes)                # the signature, a PNG
    survey_answered = Signal(object)      # the answer's id, never its scores
    cancelled = Signal()
    availability_changed = Signal(bool)   # the "Customer display" setting turned on (Auto) or Off

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self._window: CustomerDisplay | None = None
        self._request: tuple[str, Callable[[Any], None] | None] | None = None
        self.waiting: WaitingDialog | None = None
        self.screen_name: str | None = None
        self._testing = False               # the settings' test page is up
        self._survey_visit: dict[str, uuid.UUID | None] = {}
        ctx.locked_changed.connect(self._locked)
        ctx.actor_changed.connect(lambda actor: self.idle() if actor is None else None)

    # --- the window and where it goes ------------------------------------------------------

    @property
    def window(self) -> CustomerDisplay:
        if self._window is None or not shiboken6.isValid(self._window):
            from desktop.display.window import CustomerDisplay
            self._window = CustomerDisplay()
            self._window.quote_answered.connect(lambda ok: self._answered("quote", ok, self.quote_answered))
            self._window.tradein_answered.connect(lambda d: self._answered("tradein", d, self.tradein_answered))
            self._window.terms_answered.connect(lambda c: self._answered("terms", c, self.terms_answered))
            self._window.signed.connect(lambda png: self._answered("signature", png, self.signed))
            self._window.survey_submitted.connect(self._survey_submitted)
            self._window.back_requested.connect(self.cancel)
        return self._window

    @property
    def mode(self) -> str:
        value = str(self.ctx.settings.value("display/mode", "auto"))
        return value if value in MODES else "auto"

    def available(self) -> bool:
        """Whether the screens offer "Show on the customer display" (the setting is not off)."""
        return self.mode != "off"

    @property
    def preferred_screen(self) -> str | None:
        """The screen named in this machine's settings, or None ("Any other screen")."""
        value = self.ctx.settings.value("display/screen", None)
        return str(value) if value else None

    def configure(self, mode: str, screen: str | None) -> None:
        """Keep this machine's "Customer display" setting (QSettings, not store data): for whoever
        may manage settings; Off empties and hides the display, and the screens' buttons follow."""
        actor = self.ctx.actor
        if actor is None:
            raise PermissionDenied(Perm.MANAGE_SETTINGS.value, "")
        require(actor, Perm.MANAGE_SETTINGS)
        if mode not in MODES:
            raise ValueError(f"display mode must be one of {MODES}")
        was = self.available()
        self.ctx.settings.setValue("display/mode", mode)
        if screen:
            self.ctx.settings.setValue("display/screen", screen)
        else:
            self.ctx.settings.remove("display/screen")
        if not self.available():
            self.cancel()
            if self._window is not None and shiboken6.isValid(self._window):
                self.window.hide()
        if self.available() != was:
            self.availability_changed.emit(self.available())

    def show_test_page(self, owner: QWidget | None = None) -> None:
        """The welcome page where the display goes, until its button is pressed (settings)."""
        if not self.available() or self.ctx.locked:
            return
        self.cancel()
        if self.ctx.store is not None:
            self.window.store_name = self.ctx.store.name
        self.window.show_welcome(display_language(self._store_language()))
        self._place(owner)
        self._testing = True
        self.window.back.setVisible(True)   # on a second screen too: the way to close it

    def _place(self, owner: QWidget | None) -> None:
        main = owner.window().screen() if owner is not None else QGuiApplication.primaryScreen()
        chosen = placement.choose(_screens(), main.name() if main is not None else None, self.preferred_screen)
        self.screen_name = chosen.name if chosen is not None else None
        self.window.place(self.screen_name)

    def _store_language(self) -> str:
        store = self.ctx.store
        return "zh_CN" if store is not None and store.country in CHINESE_COUNTRIES else "en"

    def _open(self, kind: str, on_result: Callable[[Any], None] | None, owner: QWidget | None,
              customer_id: uuid.UUID | None, language: str | None, show: Callable[[str], None]) -> None:
        """Show one request on the display in the customer's language, once that is known."""
        self._request = (kind, self._guard(on_result, owner))
        self._testing = False
        if self.ctx.store is not None:
            self.window.store_name = self.ctx.store.name

        def go(lang: str | None) -> None:
            if self._request is None or self._request[0] != kind or self.ctx.locked:
                return                      # cancelled, replaced or locked while the language was read
            show(display_language(lang or self._store_language()))
            self._place(owner)
        if language is not None or customer_id is None:
            go(language)
            return
        actor = self.ctx.actor
        from core import customers
        self.ctx.read(lambda s: customers.get_customer(s, actor, customer_id).language,
                      on_result=go, on_error=lambda exc: go(None), owner=self)

    @staticmethod
    def _guard(cb: Callable[[Any], None] | None, owner: QWidget | None) -> Callable[[Any], None] | None:
        if cb is None or owner is None:
            return cb
        return lambda value: cb(value) if shiboken6.isValid(owner) else None

    def _answered(self, kind: str, value: Any, signal: Any) -> None:
        if self._request is None or self._request[0] != kind:
            return
        _, cb = self._request
        self._request = None
        self.idle()                         # the answer leaves the display at once
        signal.emit(value)
        if cb is not None:
            cb(value)

    # --- what the screens call ------------------------------------------------------------

    def show_quote(self, detail: TicketDetail, *, language: str | None = None,
                   on_result: Callable[[bool], None] | None = None, owner: QWidget | None = None) -> None:
        """The repair quote with Approve / Decline; the answer: True (approved) or False."""
        self._open("quote", on_result, owner, detail.customer_id, language,
                   lambda lang: self.window.show_quote(lang, detail))

    def show_tradein(self, quote: QuoteView, *, language: str | None = None,
                     on_result: Callable[[Declarations], None] | None = None, owner: QWidget | None = None) -> None:
        """The trade-in offer and its declarations; the answer: ``Declarations``."""
        self._open("tradein", on_result, owner, quote.customer_id, language,
                   lambda lang: self.window.show_tradein(lang, quote))

    def show_terms(self, form: EnrollmentForm, *, language: str | None = None,
                   on_result: Callable[[Consents | None], None] | None = None, owner: QWidget | None = None) -> None:
        """The loyalty terms and consents; the answer: ``Consents``, or None ("Not now")."""
        self._open("terms", on_result, owner, form.customer_id, language or form.language,
                   lambda lang: self.window.show_terms(lang, form))

    def ask_signature(self, *, customer_id: uuid.UUID | None = None, language: str | None = None,
                      on_result: Callable[[bytes], None] | None = None, owner: QWidget | None = None) -> None:
        """The pickup signature; the answer: the signature as PNG bytes."""
        self._open("signature", on_result, owner, customer_id, language,
                   lambda lang: self.window.ask_signature(lang))

    def ask_survey(self, *, ticket_id: uuid.UUID | None = None, appointment_id: uuid.UUID | None = None,
                   customer_id: uuid.UUID | None = None, language: str | None = None,
                   on_result: Callable[[uuid.UUID], None] | None = None, owner: QWidget | None = None) -> None:
        """NPS, CSAT and a comment about one visit, saved when the customer submits; the
        associate's window (``owner``'s) shows only that the customer is answering."""
        self._close_waiting()
        self.waiting = WaitingDialog(owner.window() if owner is not None else None)
        self.waiting.rejected.connect(self.cancel)
        self.waiting.open()
        visit = {"ticket_id": ticket_id, "appointment_id": appointment_id}
        self._survey_visit = visit
        self._open("survey", on_result, owner, customer_id, language, lambda lang: self.window.ask_survey(lang))

    def _survey_submitted(self, answer: SurveyAnswer) -> None:
        if self._request is None or self._request[0] != "survey":
            return
        _, cb = self._request
        self._request = None
        self.window.show_thanks()
        QTimer.singleShot(THANKS_MS, self, self._after_thanks)
        actor, visit, lang = self.ctx.actor, self._survey_visit, self.window.language
        nps, csat, comment = answer.nps, answer.csat, answer.comment
        del answer                          # the values live on only in the unit of work below

        def save(s: Any) -> uuid.UUID:
            from core.care import surveys
            return surveys.record_answer(s, actor, nps=nps, csat=csat, comment=comment, language=lang, **visit)

        def saved(answer_id: uuid.UUID) -> None:
            if self.waiting is not None and shiboken6.isValid(self.waiting):
                self.waiting.saved()
            self.survey_answered.emit(answer_id)
            if cb is not None:
                cb(answer_id)

        def failed(exc: BaseException) -> None:
            if self.waiting is not None and shiboken6.isValid(self.waiting):
                self.waiting.failed(user_message(exc))
        self.ctx.write(save, on_result=saved, on_error=failed, owner=self)

    def _after_thanks(self) -> None:
        if self._request is None and self._window is not None and self.window.current() == "thanks":
            self.idle()

    def _close_waiting(self) -> None:
        if self.waiting is not None and shiboken6.isValid(self.waiting):
            self.waiting.rejected.disconnect(self.cancel)
            self.waiting.reject()
        self.waiting = None

    def idle(self) -> None:
        """Empty the display: the welcome page on a second screen; on one screen, the
        associate's window again."""
        self._request = None
        testing, self._testing = self._testing, False
        if self._window is None or not shiboken6.isValid(self._window):
            return
        self.window.reset()
        if testing or self.screen_name is None or self.ctx.locked or self.ctx.actor is None:
            self.window.hide()

    def cancel(self) -> None:
        """The associate cancelled, or handed the one screen back: nothing is answered."""
        pending = self._request is not None
        self._close_waiting()
        self.idle()
        if pending:
            self.cancelled.emit()

    def _locked(self, locked: bool) -> None:
        if locked:
            self._close_waiting()
            self.idle()                     # emptied and hidden: the lock covers it
            if self._window is not None and shiboken6.isValid(self._window):
                self.window.hide()
        elif self._window is not None and shiboken6.isValid(self._window) and self.screen_name is not None:
            self.window.reset()             # its own screen again, with the welcome page only
            self.window.place(self.screen_name)
