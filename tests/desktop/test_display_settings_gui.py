"""The settings' "Customer display" group (issue 21): Off takes "on the customer display" away
from the flows and Auto brings it back; the screen chosen is kept per machine (QSettings) and is
the one the display controller reads; the test page opens and its button closes it; only a
role that may manage settings sees the group or changes the setting."""

from __future__ import annotations

import pytest

from core.errors import PermissionDenied
from core.permissions import Role
from desktop.qt import QSettings
from tests.desktop.test_pickup_gui import _bench_in_the_shell, click, open_ticket, ready  # noqa: F401


def pick(box, data):
    """Choose an entry as the user does (``activated`` fires only on a user's pick)."""
    index = box.findData(data)
    assert index >= 0, data
    box.setCurrentIndex(index)
    box.activated.emit(index)


def to_settings(qtbot, w):
    w.shell.go("settings")
    screen = w.shell.screens["settings"]
    qtbot.waitUntil(lambda: screen.isVisible(), timeout=10000)
    return screen


def stored(w, key):
    w.ctx.settings.sync()
    return QSettings(w.ctx.settings.fileName(), QSettings.Format.IniFormat).value(key)


def test_off_takes_the_display_buttons_away_from_pickup_and_auto_brings_them_back(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.MANAGER)
    tab = panel.pickup
    assert tab.sign_on_display_button.isVisible(), "Auto, the default: the customer may sign on the display"
    # the customer is signing on the display when the manager turns it off
    click(qtbot, tab.sign_on_display_button)
    display = w.ctx.display.window
    qtbot.waitUntil(lambda: display.isVisible() and display.current() == "signature", timeout=10000)

    box = to_settings(qtbot, w).display_box
    assert box.isVisible() and box.mode.currentData() == "auto"
    assert box.screen_choice.currentText() == "Any other screen"
    pick(box.mode, "off")
    assert stored(w, "display/mode") == "off"
    assert not display.isVisible() and display.current() == "welcome", "Off empties and hides the display"
    assert not box.screen_choice.isEnabled() and not box.test_button.isEnabled()

    w.shell.go("bench")
    qtbot.waitUntil(lambda: tab.pickup_button.isVisible(), timeout=10000)
    assert not tab.sign_on_display_button.isVisible(), "Off: the associate's screen only"
    assert panel.approval.display_button.isHidden(), "the quote is not offered on the display either"

    pick(to_settings(qtbot, w).display_box.mode, "auto")
    assert stored(w, "display/mode") == "auto"
    w.shell.go("bench")
    qtbot.waitUntil(lambda: tab.sign_on_display_button.isVisible(), timeout=10000)
    assert not panel.approval.display_button.isHidden(), "and the quote again, on its tab"


def test_the_screen_chosen_is_kept_for_this_machine_and_read_by_the_display(qtbot, ready, make_window):
    w, _ = open_ticket(qtbot, make_window, ready, Role.MANAGER)
    # chosen on an earlier day, its screen unplugged now: still listed, marked as such
    w.ctx.settings.setValue("display/screen", "HDMI-2")
    box = to_settings(qtbot, w).display_box
    assert box.screen_choice.currentText() == "HDMI-2 (not connected)"
    assert w.ctx.display.preferred_screen == "HDMI-2"
    named = [box.screen_choice.itemData(i) for i in range(box.screen_choice.count())]
    assert named[0] == "" and box.screen_choice.itemText(0) == "Any other screen"

    pick(box.screen_choice, "")
    assert w.ctx.display.preferred_screen is None
    assert stored(w, "display/screen") is None
    pick(box.screen_choice, "HDMI-2")
    assert w.ctx.display.preferred_screen == "HDMI-2"
    assert stored(w, "display/screen") == "HDMI-2"
    assert w.ctx.display.mode == "auto", "choosing a screen leaves the display on"


def test_the_test_page_shows_the_welcome_until_its_button_is_pressed(qtbot, ready, make_window):
    w, _ = open_ticket(qtbot, make_window, ready, Role.MANAGER)
    box = to_settings(qtbot, w).display_box
    click(qtbot, box.test_button)
    display = w.ctx.display.window
    qtbot.waitUntil(lambda: display.isVisible(), timeout=10000)
    assert display.current() == "welcome"
    assert display.welcome.title.text() == "欢迎光临" + w.ctx.store.name, "the store's welcome, in its words (China)"
    click(qtbot, display.back)
    assert not display.isVisible(), "its button closes it"
    assert box.isVisible(), "the settings again"


def test_an_associate_neither_sees_nor_changes_the_display_setting(qtbot, ready, make_window):
    w, panel = open_ticket(qtbot, make_window, ready, Role.ASSOCIATE)
    screen = to_settings(qtbot, w)
    assert not screen.display_box.isVisible()
    with pytest.raises(PermissionDenied):
        w.ctx.display.configure("off", None)
    assert w.ctx.display.available() and stored(w, "display/mode") is None
