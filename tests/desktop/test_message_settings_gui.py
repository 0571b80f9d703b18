"""The settings screen's "Customer messages" group (issue 22), offscreen on a real store: a
manager sets the quiet hours for text messages and the days before "still waiting", and the
store row holds what HQ's sender reads; a bad window is refused beside its field; an associate
does not see the group."""

from core.messages import settings as ms
from core.models import Store
from core.permissions import Role
from hq.messages import worker
from tests.desktop.conftest import PINS, sign_in


def open_settings(qtbot, make_window, gui_store, role):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[role], PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("settings")
    return w, w.shell.screens["settings"].messages_box


def stored(w) -> dict:
    with w.ctx.db.session() as s:
        return dict(s.get(Store, w.ctx.actor.store_id).settings or {})


def pick(combo, text):
    """As the user picks from the list (activated, not set by the program)."""
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def loaded(box):
    return box.quiet_from.currentText() != "00:00"     # the defaults (21:00-09:00) have arrived


def test_a_manager_sets_quiet_hours_from_22_to_8_and_a_reminder_after_10_days(qtbot, gui_store, make_window):
    w, box = open_settings(qtbot, make_window, gui_store, Role.MANAGER)
    qtbot.waitUntil(lambda: loaded(box), timeout=10000)
    assert box.isVisible()
    assert box.title() == "Customer messages"
    # a new store: the defaults HQ uses
    assert (box.quiet_from.currentText(), box.quiet_to.currentText()) == ("21:00", "09:00")
    assert not box.no_quiet.isChecked() and box.quiet_from.isEnabled()
    assert box.still_waiting.value() == 7

    pick(box.quiet_from, "22:00")
    pick(box.quiet_to, "08:00")
    box.still_waiting.setValue(10)
    box.save_button.click()
    qtbot.waitUntil(lambda: box.saved.text() != "", timeout=10000)
    assert "22:00" in box.saved.text() and "08:00" in box.saved.text() and "10 days" in box.saved.text()
    kept = stored(w)
    assert kept[ms.QUIET_HOURS_KEY] == ["22:00", "08:00"]
    assert kept[ms.STILL_WAITING_KEY] == 10
    assert worker._quiet_hours_of({"settings": kept}) == ("22:00", "08:00")

    # changed at another counter: coming back shows what the store holds
    w.shell.go("customers")
    with w.ctx.db.session(write=True) as s:
        ms.set_message_settings(s, w.ctx.actor, quiet_from=None, quiet_to=None, still_waiting_days=3)
    w.shell.go("settings")
    qtbot.waitUntil(lambda: box.still_waiting.value() == 3, timeout=10000)
    assert box.no_quiet.isChecked()
    assert not box.quiet_from.isEnabled() and not box.quiet_to.isEnabled()
    assert box.saved.text() == ""


def test_a_manager_turns_quiet_hours_off(qtbot, gui_store, make_window):
    w, box = open_settings(qtbot, make_window, gui_store, Role.MANAGER)
    qtbot.waitUntil(lambda: loaded(box), timeout=10000)
    box.no_quiet.click()
    assert not box.quiet_to.isEnabled()
    box.save_button.click()
    qtbot.waitUntil(lambda: box.saved.text() != "", timeout=10000)
    assert "any hour" in box.saved.text()
    hours = worker._quiet_hours_of({"settings": stored(w)})
    assert hours[0] == hours[1], "a window that starts where it ends: HQ holds nothing"


def test_a_window_that_ends_where_it_starts_is_shown_beside_the_to_time(qtbot, gui_store, make_window):
    w, box = open_settings(qtbot, make_window, gui_store, Role.MANAGER)
    qtbot.waitUntil(lambda: loaded(box), timeout=10000)
    before = stored(w)
    pick(box.quiet_from, "22:00")
    pick(box.quiet_to, "22:00")
    box.save_button.click()
    qtbot.waitUntil(lambda: box.quiet_to_error.isVisible(), timeout=10000)
    assert "must differ from the start" in box.quiet_to_error.text()
    assert box.quiet_to.property("invalid") is True
    assert not box.quiet_from_error.isVisible() and not box.still_waiting_error.isVisible()
    assert box.saved.text() == ""
    assert stored(w) == before

    # put right and saved: the error goes
    pick(box.quiet_to, "07:30")
    box.save_button.click()
    qtbot.waitUntil(lambda: box.saved.text() != "", timeout=10000)
    assert not box.quiet_to_error.isVisible()
    assert stored(w)[ms.QUIET_HOURS_KEY] == ["22:00", "07:30"]


def test_an_associate_does_not_see_the_group(qtbot, gui_store, make_window):
    w, box = open_settings(qtbot, make_window, gui_store, Role.ASSOCIATE)
    screen = w.shell.screens["settings"]
    qtbot.waitUntil(lambda: screen.isVisible(), timeout=10000)
    assert screen.language.isVisible(), "the screen itself is shown"
    assert not box.isVisible()
