"""Signing in at a shared counter: nobody is chosen for the next person, a wrong PIN says
how many tries are left, and the lock screen says who may unlock and how anyone else
gets in."""

from datetime import timedelta

from core import clock
from core.models import SignInState
from core.permissions import Role
from desktop.qt import Qt
from tests.desktop.conftest import PINS, sign_in


def on_sign_in_page(qtbot, w):
    page = w.sign_in_page
    qtbot.waitUntil(lambda: w.pages.currentWidget() is page and page.staff_model.rowCount() > 0, timeout=10000)
    return page


def failures(w, person):
    with w.ctx.db.session() as s:
        st = s.get(SignInState, person.id)
        return (st.failed_pins, st.failed_passwords) if st else (0, 0)


def test_nobody_is_preselected_so_a_pin_cannot_count_against_a_colleague(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    page = on_sign_in_page(qtbot, w)
    assert page.selected() is None
    assert not page.credentials.secret.isEnabled(), "no PIN before choosing who you are"
    assert page.choose_hint.isVisible() and "Choose who you are" in page.choose_hint.text()
    # the list has the focus, and focusing it does not pick the first person either
    assert page.staff_list.hasFocus()
    assert page.selected() is None
    # a PIN typed now (Enter in the field) goes nowhere and counts against nobody
    page.credentials.secret.setText("9999")
    qtbot.keyClick(page.credentials.secret, Qt.Key.Key_Return)
    assert w.pages.currentWidget() is page
    assert all(failures(w, p) == (0, 0) for p in people.values())
    # the arrow chooses the first person; then the PIN field opens
    qtbot.keyClick(page.staff_list, Qt.Key.Key_Down)
    assert page.selected() == page.staff_model.staff[0]
    assert page.credentials.secret.isEnabled() and not page.choose_hint.isVisible()
    # the staff number chooses only on an exact match: "12" is nobody, not #1
    qtbot.keyClicks(page.number, "1")
    assert page.selected() == people[Role.ADMIN]
    qtbot.keyClicks(page.number, "2")
    assert page.selected() is None and not page.credentials.secret.isEnabled()
    page.number.clear()

    # after someone signs in and switches user, the next person again starts with nobody chosen
    sign_in(qtbot, w, people[Role.ASSOCIATE], PINS[Role.ASSOCIATE])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.switch_action.trigger()
    page = on_sign_in_page(qtbot, w)
    assert page.selected() is None
    assert not page.credentials.secret.isEnabled()


def test_a_wrong_pin_says_how_many_tries_are_left(qtbot, gui_store, make_window):
    path, people = gui_store
    assoc = people[Role.ASSOCIATE]
    w = make_window(path)
    creds = on_sign_in_page(qtbot, w).credentials
    sign_in(qtbot, w, assoc, "9999")
    qtbot.waitUntil(lambda: creds.error.isVisible(), timeout=10000)
    assert creds.error.text() == "wrong PIN; 4 tries left before the PIN is blocked"
    # three wrong PINs earlier (long enough ago that no slow-down applies): one try left
    with w.ctx.db.session(write=True) as s:
        st = s.get(SignInState, assoc.id)
        st.failed_pins = 3
        st.last_failure_at = clock.now() - timedelta(hours=1)
    creds.error.hide()
    sign_in(qtbot, w, assoc, "9998")
    qtbot.waitUntil(lambda: creds.error.isVisible(), timeout=10000)
    assert creds.error.text() == "wrong PIN; 1 try left before the PIN is blocked"
    assert w.pages.currentWidget() is w.sign_in_page
    # a wrong password counts towards the account's lock, and says so
    creds.error.hide()
    with w.ctx.db.session(write=True) as s:
        s.get(SignInState, assoc.id).last_failure_at = clock.now() - timedelta(hours=1)
    sign_in(qtbot, w, assoc, "not-my-password", kind="password")
    qtbot.waitUntil(lambda: creds.error.isVisible(), timeout=10000)
    assert creds.error.text() == "wrong password; 9 tries left before the account locks for 30 minutes"


def test_the_lock_screen_names_who_may_unlock_and_lets_a_colleague_sign_in(qtbot, gui_store, make_window):
    path, people = gui_store
    tom, mia = people[Role.TECHNICIAN], people[Role.MANAGER]
    w = make_window(path)
    sign_in(qtbot, w, tom, PINS[Role.TECHNICIAN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.lock_action.trigger()
    lock = w.lock_page
    assert w.pages.currentWidget() is lock
    assert lock.who.text() == ("Locked by Tom Technician. Tom Technician can unlock with their PIN, "
                               "or a colleague can sign in instead.")
    assert lock.other_button.isVisible() and lock.other_button.text() == "Sign in as someone else"
    # a wrong PIN at the lock says how many tries are left too
    lock.credentials.secret.setText("0000")
    lock.credentials._submit()
    qtbot.waitUntil(lambda: lock.credentials.error.isVisible(), timeout=10000)
    assert "4 tries left" in lock.credentials.error.text()
    # a colleague signs in instead: the sign-in page, nobody chosen, then the colleague's own screens
    qtbot.mouseClick(lock.other_button, Qt.MouseButton.LeftButton)
    page = on_sign_in_page(qtbot, w)
    assert page.selected() is None
    assert failures(w, mia) == (0, 0)
    sign_in(qtbot, w, mia, PINS[Role.MANAGER])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert w.ctx.actor.staff_id == mia.id
    assert "Mia Manager" in w.status_user.text()
