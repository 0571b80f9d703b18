"""Locking hides every window of the app, not only the main window's pages: a customer form,
a pickup, a booking, a message box or a print preview left open would otherwise stay on
screen behind the lock with the customer's phone and email.

``close_every_window`` closes (rejects) every top-level window but the main window: a dialog
running its own ``exec()`` loop returns from it (as if cancelled: unsaved work in it is lost,
which is what a lock means; a save already under way is one unit of work in core and either
commits whole or not at all). Each closed dialog's text is cleared at once, so no widget
anywhere keeps the data, and an answer a worker brings back for it later is dropped
(``desktop.workers.guarded``). A dialog the app opened (``open()``/``show()``) is deleted when
control returns to the event loop. A dialog inside ``exec()`` is not: the code after its
``exec()`` still uses it (a static ``QMessageBox.warning`` or ``QFileDialog.get...`` even has
it on its C++ stack), so its owner ends it; a dialog with one of those inside it is deleted
only once every ``exec()`` running at the lock has returned. Other top-level windows are
hidden and their input fields cleared.

Every dialog must be a Qt widget for this: native (platform) dialogs are turned off for the
whole app (``forbid_native_dialogs``), since the lock could neither close nor clear one.

``LockKey`` lets the lock key work while a modal dialog is up: Qt does not fire a window's
shortcuts while a modal dialog blocks that window, and the counter must lock then too."""

from __future__ import annotations

from typing import Callable

import shiboken6
from PySide6.QtWidgets import QAbstractSpinBox, QPlainTextEdit, QToolTip   # not (yet) in desktop.qt

from desktop import shortcuts
from desktop.qt import (
    QApplication, QComboBox, QDialog, QEvent, QKeyEvent, QKeySequence, QLabel, QLineEdit,
    QMenu, QMessageBox, QObject, Qt, QTextEdit, QThread, QTimer, QWidget,
)

# how long a closed dialog waits for the exec() loops running at the lock to return
_RETRY_MS, _RETRIES = 100, 600


def forbid_native_dialogs() -> None:
    """File, message and colour dialogs as Qt widgets, never the platform's own: a native
    dialog is no widget of the app, so the lock could neither close it nor clear it."""
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)


def _clear_inputs(window: QWidget, *, labels: bool) -> None:
    """Clear what the widgets of ``window`` hold (signals blocked: nothing reacts to it):
    typed text always, labels and tooltips too when ``labels`` (a dialog about to go)."""
    for widget in [window, *window.findChildren(QWidget)]:
        blocked = widget.blockSignals(True)
        try:
            if isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)):
                if labels or not isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
                    widget.clear()          # a spin box's or a fixed list's own field shows no typed text
            elif isinstance(widget, QComboBox) and widget.isEditable():
                widget.clearEditText()
            elif labels and isinstance(widget, QLabel):
                widget.clear()
            if labels and widget.toolTip():
                widget.setToolTip("")
        finally:
            widget.blockSignals(blocked)


def _scrub(window: QWidget) -> None:
    """Clear every text a closed dialog holds."""
    if isinstance(window, QMessageBox):
        window.setText("")
        window.setInformativeText("")
        window.setDetailedText("")
    _clear_inputs(window, labels=True)


def _in_exec() -> list[QDialog]:
    """The dialogs inside their ``exec()`` now. Qt does not say which; ``exec()`` shows a
    dialog application-modal, while this app opens its own with ``open()`` (window-modal)
    or ``show()`` (not modal). Erring the other way (a shown application-modal dialog taken
    for one in exec()) only leaves it hidden and cleared, not deleted."""
    return [d for d in QApplication.allWidgets()
            if isinstance(d, QDialog) and shiboken6.isValid(d) and d.isVisible()
            and d.windowModality() == Qt.WindowModality.ApplicationModal]


def _inside(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False


def _delete_when_unwound(dialog: QDialog, level: int) -> None:
    """Delete ``dialog`` once every event loop that ran at the lock (``level`` deep: the
    exec() of a dialog inside it among them) has returned, and the code after it with it."""
    def attempt(left: int) -> None:
        if not shiboken6.isValid(dialog):
            return
        if QThread.currentThread().loopLevel() < level:
            dialog.deleteLater()
        elif left > 0:              # else it stays hidden and cleared; its parent deletes it
            QTimer.singleShot(_RETRY_MS, lambda: attempt(left - 1))
    QTimer.singleShot(0, lambda: attempt(_RETRIES))


def close_every_window(keep: QWidget) -> int:
    """Close every top-level window of the app except ``keep`` (the main window, which shows
    the lock page): dialogs are rejected, cleared and deleted (not those inside ``exec()``:
    their owners do it); other windows are hidden with their fields cleared; pop-ups (menus,
    combo lists) are hidden. Returns how many dialogs were closed."""
    QToolTip.hideText()
    closed = 0
    level = QThread.currentThread().loopLevel()
    running = _in_exec()
    # the innermost modal first: its exec() returns before the dialog under it is closed
    windows = [w for w in QApplication.topLevelWidgets() if w is not keep and shiboken6.isValid(w)]
    modal = QApplication.activeModalWidget()
    if modal in windows:
        windows.remove(modal)
        windows.insert(0, modal)
    for window in windows:
        if not shiboken6.isValid(window):
            continue
        if isinstance(window, QDialog):
            in_exec = any(d is window for d in running)
            holds_exec = any(_inside(d, window) for d in running)
            if holds_exec:                   # not deleted by its own close: see below
                window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            window.reject()
            if not shiboken6.isValid(window):
                continue
            if window.isVisible():           # a dialog that refuses to reject still goes
                window.hide()
            _scrub(window)
            if holds_exec and not in_exec:
                _delete_when_unwound(window, level)
            elif not in_exec:
                window.deleteLater()
            closed += 1
        elif isinstance(window, QMenu) or window.windowType() == Qt.WindowType.Popup:
            window.hide()                    # menus of the menu bar and pop-ups stay, hidden
        else:
            window.hide()
            _clear_inputs(window, labels=False)
    return closed


class LockKey(QObject):
    """Installed on the application: the lock key locks while a modal dialog is up (the
    window's own shortcut is blocked then), from any window of the app."""

    def __init__(self, lock: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        forbid_native_dialogs()
        self.lock = lock
        self.keys = shortcuts.shortcut("lock").sequences()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress \
                or QApplication.activeModalWidget() is None:
            return False
        pressed = QKeySequence(event.keyCombination())
        if any(pressed.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in self.keys):
            self.lock()
            return True
        return False
