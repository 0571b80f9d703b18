"""The customer display (issue 21): where it goes given the screens; a second top-level window
the customer signs and answers on while the associate's window shows none of the answers;
the answer saved once; the signature reaching the ticket; the lock emptying it; and the
customer's language on it while the associate's app speaks another."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from core import clock, customers
from core.models import Survey
from core.permissions import Role
from desktop.display.placement import Screen, choose
from desktop.display.words import EN, ZH
from desktop.qt import QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, Qt, QTextEdit, QWidget
from tests.desktop.test_pickup_gui import _bench_in_the_shell, click, open_ticket, ready  # noqa: F401

NOW = datetime(2026, 11, 17, 3, 0, tzinfo=timezone.utc)
COMMENT = "屏幕换得很好，谢谢小李"


@pytest.fixture(autouse=True)
def _pinned():
    with clock.pinned(NOW):
        yield


# --- placement -------------------------------------------------------------------------------

LEFT = Screen("DP-1", (0, 0, 1920, 1080), primary=True)
RIGHT = Screen("HDMI-1", (1920, 0, 1280, 800))
THIRD = Screen("DP-2", (3200, 0, 1024, 768))


def test_one_screen_means_the_display_opens_over_the_main_window():
    assert choose([LEFT], "DP-1") is None


def test_two_screens_put_the_display_on_the_one_the_associate_is_not_on():
    assert choose([LEFT, RIGHT], "DP-1") == RIGHT
    assert choose([LEFT, RIGHT], "HDMI-1") == LEFT


def test_three_screens_prefer_one_that_is_not_primary_and_the_store_may_name_one():
    assert choose([LEFT, RIGHT, THIRD], "DP-2") == RIGHT, "the primary is the desk's own screen"
    assert choose([LEFT, RIGHT, THIRD], "DP-1") == RIGHT, "leftmost of the others, the same every time"
    assert choose([LEFT, RIGHT, THIRD], "DP-1", preferred="DP-2") == THIRD
    assert choose([LEFT, RIGHT, THIRD], "DP-1", preferred="DP-1") == RIGHT, "never the associate's own screen"


def test_main_window_not_on_the_primary_screen():
    assert choose([LEFT, RIGHT], "HDMI-1") == LEFT
    assert choose([LEFT, RIGHT, THIRD], "HDMI-1") == THIRD, "a screen other than the primary comes first"
    # the main window's screen unknown (just unplugged): the primary stands in for it
    assert choose([LEFT, RIGHT], None) == RIGHT


def test_every_sentence_of_the_display_is_in_chinese_too():
    assert set(ZH) == set(EN)


# --- the display in the app ------------------------------------------------------------------

def texts(root: QWidget) -> list[str]:
    """Every text a widget tree shows: labels, buttons, fields, tick boxes, titles."""
    out = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, (QLabel, QLineEdit, QPushButton, QCheckBox)):
            out.append(w.text())
        elif isinstance(w, QTextEdit):
            out.append(w.toPlainText())
        out.append(w.toolTip())
    return [t for t in out if t]


def associate_windows(w):
    display = w.ctx.display.window
    return [t for t in QApplication.topLevelWidgets() if t is not display and t.isVisible()]


def hand_over(qtbot, panel):
    tab = panel.pickup
    tab.typed_name.setText("Lee Test")
    tab.payment.setCurrentIndex(tab.payment.findData("paid"))
    tab.identity.setText("5678")
    click(qtbot, tab.pickup_button)
    qtbot.waitUntil(lambda: panel.detail.status == "collected", timeout=10000)


def survey_rows(w, ticket_id):
    with w.ctx.db.session() as s:
        return s.scalars(select(Survey).where(Survey.ticket_id == ticket_id)).all()


def test_signature_on_the_display_reaches_the_ticket_and_the_survey_saves_one_answer(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.ASSOCIATE)
    tab = panel.pickup
    click(qtbot, tab.sign_on_display_button)
    display = w.ctx.display.window
    qtbot.waitUntil(lambda: display.isVisible() and display.current() == "signature", timeout=10000)
    assert display.isWindow() and display.window() is not w, "the display is a window of its own"
    assert display.signature.done.isEnabled() is False, "nothing to hand in before the customer signs"
    pad = display.signature.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=pad.rect().center() - pad.rect().center() / 2)
    qtbot.mouseMove(pad, pad.rect().center())
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=pad.rect().center())
    click(qtbot, display.signature.done)
    assert tab.display_signature is not None and tab.display_signed.isVisible() and not tab.pad.isVisible()
    assert display.current() == "welcome" and not display.isVisible(), "one screen: the associate's window again"
    drawn = tab.display_signature
    assert drawn[:8] == b"\x89PNG\r\n\x1a\n"
    hand_over(qtbot, panel)
    assert panel.detail.signature_png == drawn, "the ticket keeps the signature drawn on the display"

    # the survey, offered once the device is handed back
    qtbot.waitUntil(lambda: tab.survey_button.isVisible(), timeout=10000)
    click(qtbot, tab.survey_button)
    qtbot.waitUntil(lambda: display.isVisible() and display.current() == "survey", timeout=10000)
    assert len(QApplication.topLevelWidgets()) >= 2
    survey = display.survey
    assert not survey.submit.isEnabled(), "no answer yet"
    for b in survey.nps.buttons() + survey.csat.buttons() + [survey.submit]:
        assert b.minimumHeight() >= 44 and b.minimumWidth() >= 44, "big enough for a finger"
    # the keyboard: Tab enters the row of scores, the arrows move along it, Space answers
    assert [b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in survey.nps.buttons()].count(
        Qt.FocusPolicy.TabFocus) == 1
    survey.nps.button(0).setFocus()
    for _ in range(7):
        qtbot.keyClick(display.focusWidget(), Qt.Key.Key_Right)
    assert display.focusWidget() is survey.nps.button(7)
    qtbot.keyClick(survey.nps.button(7), Qt.Key.Key_Space)
    assert survey.nps.checkedId() == 7
    click(qtbot, survey.csat.button(4))
    survey.comment.setText(COMMENT)
    seen = "\n".join(t for win in associate_windows(w) for t in texts(win))
    assert COMMENT not in seen, "the associate's screen never shows the comment"
    waiting = w.ctx.display.waiting
    assert waiting.isVisible() and waiting.text.text() == "The customer is answering on the display."
    assert not any(ch.isdigit() for t in texts(waiting) for ch in t), "no score on the associate's side"
    qtbot.keyClick(survey.submit, Qt.Key.Key_Return)             # Enter submits
    qtbot.waitUntil(lambda: display.current() == "thanks", timeout=5000)
    qtbot.waitUntil(lambda: waiting.text.text() == "Answer saved. Thank you.", timeout=10000)
    seen = "\n".join(t for win in associate_windows(w) for t in texts(win))
    assert COMMENT not in seen and "7" not in waiting.text.text()
    rows = survey_rows(w, ready.ticket_id)
    assert [(r.nps, r.csat, r.comment, r.channel, r.language) for r in rows] == [(7, 4, COMMENT, "display", "zh_CN")]
    assert survey.comment.toPlainText() == "" and survey.nps.checkedId() == -1, "the display keeps no answer"
    # asked again: refused by core, no second row
    w.ctx.display.ask_survey(ticket_id=ready.ticket_id, language="en", owner=tab)
    qtbot.waitUntil(lambda: display.current() == "survey", timeout=10000)
    click(qtbot, display.survey.nps.button(10))
    click(qtbot, display.survey.submit)
    qtbot.waitUntil(lambda: w.ctx.display.waiting.close_button.isVisible(), timeout=10000)
    assert "already" in w.ctx.display.waiting.text.text()
    assert len(survey_rows(w, ready.ticket_id)) == 1


def test_the_chinese_customer_reads_chinese_while_the_app_speaks_english(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.ASSOCIATE)
    with w.ctx.db.session(write=True) as s:
        customer_id = panel.detail.customer_id
        customers.update_customer(s, w.ctx.actor, customer_id, language="zh_CN")
    hand_over(qtbot, panel)
    assert panel.pickup.pickup_button.text() == "Hand over the device"
    tab = panel.pickup
    qtbot.waitUntil(lambda: tab.survey_button.isVisible(), timeout=10000)
    click(qtbot, tab.survey_button)
    display = w.ctx.display.window
    qtbot.waitUntil(lambda: display.current() == "survey" and display.isVisible(), timeout=10000)
    assert display.survey.title.text() == ZH["survey_title"]
    assert display.survey.submit.text() == ZH["submit"]
    assert display.back.text() == ZH["back"] and display.back.isVisible(), "one screen: the way back"
    # an English customer on the next visit reads English
    customers_lang = []
    with w.ctx.db.session(write=True) as s:
        customers.update_customer(s, w.ctx.actor, customer_id, language="en")
        customers_lang.append(customers.get_customer(s, w.ctx.actor, customer_id).language)
    w.ctx.display.ask_signature(customer_id=customer_id, owner=tab)
    qtbot.waitUntil(lambda: display.current() == "signature", timeout=10000)
    assert display.signature.title.text() == EN["sign_title"] and customers_lang == ["en"]
    click(qtbot, display.back)                     # the associate takes the screen back
    assert not display.isVisible() and display.current() == "welcome"


def test_the_lock_hides_and_empties_the_display_and_unlock_shows_no_old_content(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.MANAGER)
    hand_over(qtbot, panel)
    tab = panel.pickup
    qtbot.waitUntil(lambda: tab.survey_button.isVisible(), timeout=10000)
    click(qtbot, tab.survey_button)
    display = w.ctx.display.window
    qtbot.waitUntil(lambda: display.current() == "survey" and display.isVisible(), timeout=10000)
    click(qtbot, display.survey.nps.button(3))
    display.survey.comment.setText(COMMENT)
    w.lock()
    assert not display.isVisible(), "the lock covers the display"
    assert display.current() == "welcome"
    assert COMMENT not in "\n".join(texts(display)) and display.survey.nps.checkedId() == -1
    w.lock_page.credentials.secret.setText("2222")
    w.lock_page.credentials._submit()
    qtbot.waitUntil(lambda: not w.ctx.locked, timeout=10000)
    assert display.current() == "welcome" and not display.isVisible()
    assert survey_rows(w, ready.ticket_id) == [], "nothing was answered"
