"""The keyboard, as a counter worker without a mouse uses it: Tab gets out of tables and
reaches the list of screens, every key does one thing where it works, F1 lists them, and
README lists the same keys as the app."""

from pathlib import Path

from core.permissions import Role
from desktop import shortcuts
from desktop.qt import (
    QAbstractButton, QAbstractItemView, QAction, QApplication, QKeySequence, QShortcut, Qt, QWidget,
)
from desktop.views.base import Screen
from desktop.views.help import ShortcutsDialog
from tests.desktop.conftest import PINS, sign_in

ROOT = Path(__file__).resolve().parents[2]


def signed_in_admin(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.ADMIN], PINS[Role.ADMIN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    return w


def tab_until_out(qtbot, widget: QWidget, presses: int = 3) -> bool:
    widget.setFocus()
    assert widget.hasFocus()
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if not widget.hasFocus():
            return True
    return False


def live_shortcuts(w, screen_key: str) -> list[tuple[str, object]]:
    """(key, owner) of every key that can act while ``screen_key`` is the screen shown: the
    window's actions, the shell's keys, and every button of that screen (shown or not yet)."""
    screen = w.shell.screens[screen_key]
    found: list[tuple[str, object]] = []
    for action in w.findChildren(QAction):
        found += [(k.toString(), action) for k in action.shortcuts() if not k.isEmpty()]
    for sc in w.findChildren(QShortcut):
        parent = sc.parent()
        owner_screen = next((p for p in _ancestors(parent) if isinstance(p, Screen)), None)
        if owner_screen is None or owner_screen is screen:
            found.append((sc.key().toString(), sc))
    for button in w.findChildren(QAbstractButton):
        if button.shortcut().isEmpty() or button.window() is not w:
            continue
        owner_screen = next((p for p in _ancestors(button) if isinstance(p, Screen)), None)
        if owner_screen is screen or (owner_screen is None and button.isVisible()):
            found.append((button.shortcut().toString(), button))
    return found


def _ancestors(obj):
    while obj is not None:
        yield obj
        obj = obj.parent()


def table_keys(scope: str) -> list[str]:
    rows = shortcuts.for_scope(shortcuts.GLOBAL) + shortcuts.for_scope(scope)
    return sorted(QKeySequence(k).toString() for s in rows for k in s.keys)


def test_tab_leaves_every_table_and_reaches_the_list_of_screens(qtbot, gui_store, make_window):
    w = signed_in_admin(qtbot, gui_store, make_window)
    # a customer in the results table: Tab moves on instead of walking its cells
    w.shell.search.setText("Smith")
    w.shell._global_search()
    customers = w.shell.screens["customers"]
    qtbot.waitUntil(lambda: customers.model.rowCount() == 1, timeout=10000)
    customers.table.selectRow(0)
    assert tab_until_out(qtbot, customers.table), "Tab stays inside the customers table"
    # no table of any screen keeps Tab for its cells (the shared list table or its own)
    for key in w.shell.visible_keys():
        w.shell.go(key)
        for view in w.shell.screens[key].findChildren(QAbstractItemView):
            view.ensurePolished()
            assert not view.tabKeyNavigation(), f"{key}: {view.objectName() or type(view).__name__}"
    # the list of screens takes focus by Tab: Shift+Tab from the search box, Tab back to it
    w.shell.search.setFocus()
    qtbot.keyClick(w.shell.search, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert w.shell.nav.hasFocus()
    qtbot.keyClick(w.shell.nav, Qt.Key.Key_Home)          # and the arrows choose a screen
    assert w.shell.current_key() == "customers"
    qtbot.keyClick(w.shell.nav, Qt.Key.Key_Down)
    assert w.shell.current_key() == "appointments"
    qtbot.keyClick(w.shell.nav, Qt.Key.Key_Tab)
    assert w.shell.search.hasFocus()


def test_no_key_does_two_things_and_the_keys_are_the_table_s(qtbot, gui_store, make_window):
    w = signed_in_admin(qtbot, gui_store, make_window)
    for key in w.shell.visible_keys():
        w.shell.go(key)
        live = live_shortcuts(w, key)
        keys = [k for k, _ in live]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        assert twice == [], f"{key}: {twice} given twice"
        assert sorted(keys) == table_keys(key), f"{key}: the window's keys differ from desktop/shortcuts.py"
    # Ctrl+L locks everywhere; the appointments' list view has a key of its own
    assert shortcuts.sequence("lock") != shortcuts.sequence("appointments.list")


def test_pressing_the_keys_does_what_they_say_without_ambiguity(qtbot, gui_store, make_window, qtlog):
    w = signed_in_admin(qtbot, gui_store, make_window)
    w.shell.go("appointments")
    screen = w.shell.screens["appointments"]
    assert screen.day_button.isChecked(), "the calendar first"
    # a button's key clicks it (Qt animates the click: it lands a moment later)
    qtbot.keyClick(screen, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: screen.list_button.isChecked(), timeout=2000)
    assert screen.table.isVisible(), "the list shows"
    qtbot.keyClick(screen, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.day_button.isChecked(), timeout=2000)
    qtbot.keyClick(screen, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.pages.currentWidget() is w.lock_page, "Ctrl+L locks, on the appointments screen too"
    assert not [r.message for r in qtlog.records if "Ambiguous" in r.message]


def test_f1_lists_the_shortcuts_of_the_screen_in_front(qtbot, gui_store, make_window):
    w = signed_in_admin(qtbot, gui_store, make_window)
    w.shell.go("appointments")
    qtbot.keyClick(w.shell.screens["appointments"], Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutsDialog), timeout=5000)
    dialog = QApplication.activeModalWidget()
    assert ("Ctrl+Shift+L", "List view") in dialog.rows
    assert ("Ctrl+L", "Lock the counter") in dialog.rows
    assert ("F1", "Show the keyboard shortcuts of this screen") in dialog.rows
    assert not any(name == "New customer" for _, name in dialog.rows), "only this screen's own keys"
    dialog.reject()
    w.shell.go("customers")
    qtbot.keyClick(w.shell.screens["customers"], Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutsDialog), timeout=5000)
    dialog = QApplication.activeModalWidget()
    assert ("Ctrl+N", "New customer") in dialog.rows
    assert not any(name == "List view" for _, name in dialog.rows)
    dialog.reject()


def test_readme_lists_the_keys_of_the_table():
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Keyboard shortcuts\n", 1)[1].split("\n## ", 1)[0]
    listed = [line for line in section.splitlines() if line.startswith("- **")]
    assert listed == shortcuts.markdown().splitlines()
