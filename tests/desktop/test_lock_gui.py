"""Locking hides every window of the app: a customer form with the phone in it, a print
preview, a message box waiting for an answer; nothing of the customer stays in any widget,
nothing half-saves, and the unlock shows a clean main window."""

import shiboken6

from core.models import Customer
from core.permissions import Role
from PySide6.QtWidgets import QPlainTextEdit

from desktop.qt import QApplication, QFileDialog, QLineEdit, QMessageBox, Qt, QTimer, QVBoxLayout, QWidget
from desktop.views import preview
from desktop.views.customer_form import CustomerForm
from tests.desktop.conftest import PINS, FakeClock, open_profile, sign_in

PHONE, EMAIL = "+442079460958", "anna@example.com"
TRACES = ("7946", "0958", "anna@")


def open_anna_and_edit(qtbot, w):
    screen = open_profile(qtbot, w)
    screen.detail.buttons["edit"].click()
    qtbot.waitUntil(lambda: any(f.isVisible() for f in screen.findChildren(CustomerForm)), timeout=10000)
    form = next(f for f in screen.findChildren(CustomerForm) if f.isVisible())
    assert form.phone.text() == PHONE and form.email.text() == EMAIL
    return screen, form


def texts(widget: QWidget) -> list[str]:
    found = []
    for name in ("text", "toPlainText", "toolTip", "windowTitle", "placeholderText"):
        fn = getattr(widget, name, None)
        if callable(fn):
            try:
                value = fn()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                found.append(value)
    return found


def traces_left(w) -> list[str]:
    """Every text of every widget of this window and its dialogs that names the customer."""
    widgets = [x for x in QApplication.allWidgets() if shiboken6.isValid(x) and (x is w or w.isAncestorOf(x))]
    return [t for x in widgets for t in texts(x) if any(m in t for m in TRACES)]


def other_windows_shown(w) -> list[str]:
    return [f"{type(x).__name__} {x.objectName()}" for x in QApplication.topLevelWidgets()
            if shiboken6.isValid(x) and x is not w and x.isVisible()]


def test_ctrl_l_in_a_dialog_closes_every_window_and_clears_it(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    screen, form = open_anna_and_edit(qtbot, w)
    form.given_name.setText("Annabel")                    # unsaved work, lost with the lock
    cid = screen.detail.profile.customer.id
    pdf = preview.open_customer_export(w.ctx, cid, screen)
    qtbot.waitUntil(lambda: pdf.ready, timeout=20000)
    assert QApplication.activeModalWidget() is pdf
    # the counter worker presses Ctrl+L in the preview, the form still open under it
    qtbot.keyClick(pdf.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.pages.currentWidget() is w.lock_page
    assert other_windows_shown(w) == []
    assert not form.isVisible() and not pdf.isVisible()
    assert form.phone.text() == "" and form.email.text() == "", "cleared at once, not only when deleted"
    qtbot.waitUntil(lambda: not shiboken6.isValid(form) and not shiboken6.isValid(pdf), timeout=5000)
    assert traces_left(w) == []
    assert w.shell.search.text() == ""
    # the PIN brings back a clean main window: no dialog comes back, nothing was saved
    w.lock_page.credentials.secret.setText(PINS[Role.MANAGER])
    w.lock_page.credentials._submit()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert other_windows_shown(w) == [] and screen.findChildren(CustomerForm) == []
    with w.ctx.db.session() as s:
        assert s.get(Customer, cid).given_name == "Anna"


def test_idle_lock_while_a_message_box_waits_for_an_answer(qtbot, gui_store, make_window):
    path, people = gui_store
    clock = FakeClock()
    w = make_window(path, clock=clock)
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    screen, form = open_anna_and_edit(qtbot, w)
    cid = screen.detail.profile.customer.id
    seen, left_open = [], []

    def while_the_box_waits():
        box = QApplication.activeModalWidget()
        seen.append(box if isinstance(box, QMessageBox) else None)
        clock.advance(15 * 60 + 1)                         # the counter is left alone
        w.idle.check()
        if isinstance(box, QMessageBox) and shiboken6.isValid(box) and box.isVisible():
            left_open.append(box.text())
            box.reject()                                   # so the test ends, and fails

    QTimer.singleShot(0, while_the_box_waits)
    screen.detail.buttons["erase"].click()                # "Erase this customer?" waits in exec()
    assert seen and seen[0] is not None, "the erase question was up when the counter locked"
    assert left_open == [], "the question stayed on screen over the lock"
    assert w.pages.currentWidget() is w.lock_page
    assert other_windows_shown(w) == []
    qtbot.waitUntil(lambda: not shiboken6.isValid(form), timeout=5000)
    assert traces_left(w) == []
    with w.ctx.db.session() as s:
        assert not s.get(Customer, cid).erased, "a question the lock closed is never answered yes"


def test_switching_user_closes_every_window_too(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.ASSOCIATE], PINS[Role.ASSOCIATE])
    screen, form = open_anna_and_edit(qtbot, w)
    w.switch_user()
    assert other_windows_shown(w) == []
    qtbot.waitUntil(lambda: not shiboken6.isValid(form), timeout=5000)
    assert traces_left(w) == []


def test_a_window_that_is_no_dialog_is_hidden_and_its_fields_cleared(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    other = QWidget()                                      # a top-level window, not a dialog
    qtbot.addWidget(other)
    layout = QVBoxLayout(other)
    phone, note = QLineEdit(PHONE), QPlainTextEdit(f"call back: {EMAIL}")
    layout.addWidget(phone)
    layout.addWidget(note)
    other.show()
    qtbot.waitExposed(other)
    w.lock()
    assert not other.isVisible()
    assert (phone.text(), note.toPlainText()) == ("", ""), "a hidden window must not keep the phone"


def run_inside_a_loop(qtbot, fn):
    """Run ``fn`` from an event loop, as a click in the app would, and return what it returns."""
    out = []
    QTimer.singleShot(0, lambda: out.append(fn()))
    qtbot.waitUntil(lambda: bool(out), timeout=10000)
    return out[0]


def test_the_code_after_a_locked_exec_still_has_its_dialog_and_the_form_under_it(qtbot, gui_store, make_window):
    """A question asked with exec() inside a form: the lock closes it from inside its loop.
    The code after exec(), even one that runs an event loop of its own before going on,
    still reads the box and the form (deleted under it, it would fail or crash the app);
    the form goes once that code is done, the box with it."""
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    screen, form = open_anna_and_edit(qtbot, w)

    def ask():
        box = QMessageBox(QMessageBox.Icon.Question, "Discard?", f"Discard the changes to {PHONE}?",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, form)
        QTimer.singleShot(0, w.lock)
        answer = box.exec()
        qtbot.wait(50)         # the code after exec() waits for something (another question, a worker)
        return answer, shiboken6.isValid(box) and box.text(), shiboken6.isValid(form) and form.phone.text()

    answer, box_text, form_phone = run_inside_a_loop(qtbot, ask)
    assert w.pages.currentWidget() is w.lock_page
    assert answer != QMessageBox.StandardButton.Discard
    assert (box_text, form_phone) == ("", ""), "both still there after exec() returned, and cleared"
    qtbot.waitUntil(lambda: not shiboken6.isValid(form), timeout=5000)
    assert other_windows_shown(w) == [] and traces_left(w) == []


def test_a_file_dialog_the_lock_closes_returns_no_path(qtbot, gui_store, make_window):
    """QFileDialog.getSaveFileName keeps its dialog on the C++ stack: the lock rejects and
    clears it but leaves its deletion to the function (deleting it would crash). And it is a
    Qt dialog, never the platform's: a native one could not be closed by the lock at all."""
    path, people = gui_store
    w = make_window(path)
    assert QApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    screen, form = open_anna_and_edit(qtbot, w)

    def save():
        QTimer.singleShot(0, w.lock)
        chosen, _ = QFileDialog.getSaveFileName(form, "Save", f"{PHONE}.json")
        return chosen, shiboken6.isValid(form)

    assert run_inside_a_loop(qtbot, save) == ("", True)
    assert w.pages.currentWidget() is w.lock_page and other_windows_shown(w) == []
    qtbot.waitUntil(lambda: not shiboken6.isValid(form), timeout=5000)
