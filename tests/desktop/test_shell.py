"""The desktop shell, driven as staff use it: sign-in, roles, lock, workers, errors."""

import time
from datetime import timedelta

import pytest

from core.models import SignInState
from core.permissions import Role
from core import clock
from desktop.qt import QApplication, QMessageBox, QTimer
from tests.desktop.conftest import PASSWORDS, PINS, FakeClock, sign_in

EXPECTED_SCREENS = {
    Role.ASSOCIATE: ["customers", "appointments", "bench", "tradein", "loyalty", "settings"],
    Role.TECHNICIAN: ["customers", "appointments", "bench", "settings"],
    Role.MANAGER: ["customers", "appointments", "bench", "tradein", "loyalty", "reports", "care", "settings",
                   "audit", "dashboard", "lists"],
    Role.ADMIN: ["customers", "appointments", "bench", "tradein", "loyalty", "reports", "care", "settings",
                 "audit", "dashboard", "lists"],
}


def in_shell(window):
    return window.pages.currentWidget() is window.shell


def test_right_pin_opens_the_shell_with_the_role_s_screens(qtbot, gui_store, make_window):
    path, people = gui_store
    for role in (Role.TECHNICIAN, Role.ASSOCIATE, Role.MANAGER):
        w = make_window(path)
        sign_in(qtbot, w, people[role], PINS[role])
        qtbot.waitUntil(lambda: in_shell(w), timeout=10000)
        assert w.shell.visible_keys() == EXPECTED_SCREENS[role]
        assert people[role].display_name in w.status_user.text()
        assert "Orchard Nanjing Road" in w.status_store.text()
        w.close()


def test_wrong_pin_is_shown_beside_the_field_and_keeps_the_user_out(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.ASSOCIATE], "9999")
    error = w.sign_in_page.credentials.error
    qtbot.waitUntil(lambda: error.isVisible(), timeout=10000)
    assert "wrong PIN" in error.text()
    assert not in_shell(w)


def test_pin_blocks_after_five_then_password_lockout_then_manager_unlock(qtbot, gui_store, make_window):
    path, people = gui_store
    assoc = people[Role.ASSOCIATE]
    w = make_window(path)
    # four wrong PINs were typed earlier (long enough ago that no slow-down applies)
    w_db_ready = lambda: w.ctx.db is not None  # noqa: E731
    qtbot.waitUntil(w_db_ready, timeout=10000)
    with w.ctx.db.session(write=True) as s:
        s.add(SignInState(staff_id=assoc.id, failed_pins=4, failed_passwords=0,
                          last_failure_at=clock.now() - timedelta(hours=1)))
    creds = w.sign_in_page.credentials
    sign_in(qtbot, w, assoc, "9999")
    qtbot.waitUntil(lambda: creds.error.isVisible(), timeout=10000)
    assert "password" in creds.error.text()
    assert creds.use_password.isChecked(), "the form switches to the password"
    # the fifth wrong PIN blocked the PIN; nine wrong passwords earlier, the tenth now locks
    with w.ctx.db.session(write=True) as s:
        st = s.get(SignInState, assoc.id)
        st.failed_passwords = 9
        st.last_failure_at = clock.now() - timedelta(hours=1)
    creds.error.hide()
    sign_in(qtbot, w, assoc, "not-my-password", kind="password")
    qtbot.waitUntil(lambda: creds.error.isVisible(), timeout=10000)
    assert "locked" in creds.error.text()
    w.close()

    # a restart keeps the lock; the right password does not open it
    w2 = make_window(path)
    creds = w2.sign_in_page.credentials
    sign_in(qtbot, w2, assoc, PASSWORDS[Role.ASSOCIATE], kind="password")
    qtbot.waitUntil(lambda: creds.error.isVisible(), timeout=10000)
    assert "locked" in creds.error.text()
    # the manager unlocks it from the settings screen
    creds.reset()
    sign_in(qtbot, w2, people[Role.MANAGER], PINS[Role.MANAGER])
    qtbot.waitUntil(lambda: in_shell(w2), timeout=10000)
    w2.shell.go("settings")
    screen = w2.shell.screens["settings"]
    qtbot.waitUntil(lambda: screen.locked_model.rowCount() == 1, timeout=10000)
    screen.locked_table.selectRow(0)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: screen.locked_model.rowCount() == 0, timeout=10000)
    w2.switch_user()
    sign_in(qtbot, w2, assoc, PINS[Role.ASSOCIATE])
    qtbot.waitUntil(lambda: in_shell(w2), timeout=10000)
    assert w2.ctx.actor.staff_id == assoc.id


def test_idle_lock_clears_customer_data_and_pin_returns_to_the_same_place(qtbot, gui_store, make_window):
    from desktop.models.rows import RowsModel
    path, people = gui_store
    clock = FakeClock()
    w = make_window(path, clock=clock)
    sign_in(qtbot, w, people[Role.ASSOCIATE], PINS[Role.ASSOCIATE])
    qtbot.waitUntil(lambda: in_shell(w), timeout=10000)
    w.shell.search.setText("Smith")
    w.shell._global_search()
    cust = w.shell.screens["customers"]
    qtbot.waitUntil(lambda: cust.model.rowCount() == 1, timeout=10000)
    cust.open_row(0)
    qtbot.waitUntil(lambda: cust.detail.isVisible(), timeout=10000)
    clock.advance(14 * 60)
    w.idle.check()
    assert in_shell(w), "not yet: 14 of 15 minutes"
    clock.advance(61)
    w.idle.check()
    assert w.pages.currentWidget() is w.lock_page
    # no customer data left in any model or text widget of the shell
    for model in w.shell.findChildren(RowsModel):
        assert model.rowCount() == 0
    from desktop.qt import QLabel, QLineEdit
    texts = [x.text() for x in w.shell.findChildren(QLabel) + w.shell.findChildren(QLineEdit)]
    assert not any("Smith" in t or "Anna" in t or "7946" in t for t in texts)
    # the PIN of the same user brings back the same screen and search
    w.lock_page.credentials.secret.setText(PINS[Role.ASSOCIATE])
    w.lock_page.credentials._submit()
    qtbot.waitUntil(lambda: in_shell(w), timeout=10000)
    assert w.shell.current_key() == "customers"
    qtbot.waitUntil(lambda: cust.model.rowCount() == 1, timeout=10000)


def test_ctrl_l_locks_and_a_wrong_pin_does_not_unlock(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.TECHNICIAN], PINS[Role.TECHNICIAN])
    qtbot.waitUntil(lambda: in_shell(w), timeout=10000)
    w.lock_action.trigger()
    assert w.pages.currentWidget() is w.lock_page
    w.lock_page.credentials.secret.setText("0000")
    w.lock_page.credentials._submit()
    qtbot.waitUntil(lambda: w.lock_page.credentials.error.isVisible(), timeout=10000)
    assert w.pages.currentWidget() is w.lock_page


def test_gui_thread_stays_responsive_while_a_worker_runs(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    qtbot.waitUntil(lambda: w.ctx.db is not None, timeout=10000)
    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    results = []

    def slow_query(session):
        session.connection().exec_driver_sql("SELECT 1")
        time.sleep(0.8)   # a query the size of a large store's report
        return "done"
    w.ctx.read(slow_query, on_result=results.append)
    qtbot.waitUntil(lambda: results == ["done"], timeout=10000)
    timer.stop()
    assert len(ticks) >= 20, f"the event loop stalled: {len(ticks)} timer ticks in 0.8 s"


def test_worker_errors_reach_the_error_display(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    qtbot.waitUntil(lambda: w.ctx.db is not None, timeout=10000)

    def broken(session):
        raise RuntimeError("customer 13800138000 row corrupt")   # must not be shown or logged

    w.ctx.read(broken)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(QMessageBox)), timeout=10000)
    box = [b for b in w.findChildren(QMessageBox) if b.isVisible()][0]
    assert "RuntimeError" in box.text() and "13800138000" not in box.text()
    box.close()


def test_validation_errors_appear_beside_their_fields(qtbot, tmp_path, memory_keyring, make_window):
    """On the first-run wizard (desktop/views/setup; walked whole in test_setup_wizard_gui.py)."""
    w = make_window(tmp_path / "new-store.db")
    qtbot.waitUntil(lambda: w.setup_page is not None and w.pages.currentWidget() is w.setup_page, timeout=10000)
    wiz = w.setup_page
    wiz.next_button.click()
    wiz.next_button.click()
    store = wiz.store_page
    store.code.setText("S")
    store.name.setText("Orchard West")
    wiz.next_button.click()
    assert wiz.index == 2 and "2 to 8" in store.errors.text("store_code")
    store.code.setText("OW01")
    wiz.next_button.click()
    admin = wiz.pages[3]
    admin.name.setText("Ada")
    admin.password.setText("short")
    admin.password_again.setText("short")
    admin.pin.setText("12")
    wiz.next_button.click()
    assert wiz.index == 3
    assert "at least 8" in admin.errors.text("admin_password")
    assert "4 to 8 digits" in admin.errors.text("admin_pin")
    assert not (tmp_path / "new-store.db").exists(), "a refused answer makes nothing"


def test_models_pass_the_model_tester(qtmodeltester, gui_store):
    from desktop.models.rows import Column, RowsModel
    from desktop.views.gate import StaffListModel
    path, people = gui_store
    model = RowsModel([Column("Name", lambda r: r.display_name), Column("Role", lambda r: r.role.value)])
    model.set_rows(list(people.values()))
    qtmodeltester.check(model)
    staff_model = StaffListModel()
    staff_model.set_staff(list(people.values()))
    qtmodeltester.check(staff_model)
