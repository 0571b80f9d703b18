"""Screenshots of the customer display on the demo store, in the screenshot's language: the
repair quote, the loyalty terms and consents, the pickup signature and the survey, each at
a small counter screen (1024x768) and a common second screen (1280x800)."""

from __future__ import annotations

from pathlib import Path

from core import loyalty, repairs
from core.permissions import Role
from desktop.qt import QLocale, QPoint, Qt
from tools.screenshots.driver import pump_until, read, save, sign_in_as

SIZES = ((1024, 768), (1280, 800))


def _quoted_ticket(s, actor):
    rows = repairs.board(s, actor, "status", status="ready")
    row = max(rows, key=lambda r: r.created_at)
    return repairs.ticket_detail(s, actor, row.id)


def _enrolment_form(s, actor):
    """The terms as a customer who is not yet a member would read them."""
    from core import customers
    for c in customers.search(s, actor, "a", limit=200):
        form = loyalty.enrollment_form(s, actor, c.id)
        if form.member_number is None:
            return form
    raise LookupError("every demo customer is a member")


def _sign(pad) -> None:
    from PySide6.QtTest import QTest
    w, h = pad.width(), pad.height()
    points = [QPoint(int(w * x), int(h * y)) for x, y in
              ((0.2, 0.6), (0.28, 0.35), (0.36, 0.62), (0.45, 0.4), (0.55, 0.6), (0.66, 0.38), (0.78, 0.55))]
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
    for p in points[1:]:
        QTest.mouseMove(pad, p)
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])


def take(window, target: Path, people: dict) -> list[Path]:
    target = Path(target)
    lang = "zh_CN" if QLocale().name().startswith("zh") else "en"
    sign_in_as(window, people, Role.MANAGER)
    detail = read(window, _quoted_ticket)
    form = read(window, _enrolment_form)
    display = window.ctx.display.window
    display.store_name = window.ctx.store.name
    saved: list[Path] = []
    for width, height in SIZES:
        display.resize(width, height)
        display.show()
        for name, show in (("quote", lambda: display.show_quote(lang, detail)),
                           ("consent", lambda: display.show_terms(lang, form)),
                           ("signature", lambda: display.ask_signature(lang)),
                           ("survey", lambda: display.ask_survey(lang))):
            show()
            pump_until(lambda: display.isVisible())
            if name == "signature":
                _sign(display.signature.pad)
            elif name == "survey":
                display.survey.nps.button(9).setChecked(True)
                display.survey.csat.button(5).setChecked(True)
                display.survey.comment.setText("修得又快又好。" if lang == "zh_CN" else "Quick and friendly.")
            pump_until(lambda: True)
            saved.append(save(display, target / f"display-{name}-{width}x{height}.png"))
    display.reset()
    display.hide()
    return saved
