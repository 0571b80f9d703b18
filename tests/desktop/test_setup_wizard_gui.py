"""The first-run wizard on a real window (offscreen): walked page by page to a created store
that reaches sign-in, its recovery key shown and printed; a wrong answer shown beside its
field; left at the admin page and resumed with the answers kept and no secret; a printer's
test page printed to a PDF file (this machine has no printers); the language switched live;
enrolment with a real HQ's code, which names the store; the window closed on the recovery
key's page (asked first), and the store's admin then told at sign-in and in Settings that the
key was never confirmed, with a new one made there."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pypdf

from core import recovery, setup
from core.sync.apply import get_state
from desktop.qt import QFileDialog
from desktop.views.database_key import NewRecoveryKeyDialog, UnconfirmedKeyQuestion
from desktop.views.setup.wizard import STEPS
from tests.desktop.conftest import sign_in
from tests.hq.conftest import _servers, hq, pg_database  # noqa: F401 - a real HQ on PostgreSQL

CODE_SHAPE = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$")


def wizard_of(qtbot, w):
    qtbot.waitUntil(lambda: w.setup_page is not None and w.pages.currentWidget() is w.setup_page, timeout=10000)
    return w.setup_page


def next_page(qtbot, wiz, expect: int) -> None:
    wiz.next_button.click()
    qtbot.waitUntil(lambda: wiz.index == expect and not wiz.busy, timeout=15000)


def fill_store(wiz, code="OW01", name="Orchard West") -> None:
    page = wiz.store_page
    page.code.setText(code)
    page.name.setText(name)
    page.country.setCurrentText("CN")
    page.timezone.setCurrentText("Asia/Shanghai")
    page.currency.setCurrentText("CNY")


def fill_admin(wiz, password="admin-pass-1", again="admin-pass-1") -> None:
    page = wiz.pages[3]
    page.name.setText("Ada Admin")
    page.number.setText("1")
    page.password.setText(password)
    page.password_again.setText(again)
    page.pin.setText("2468")


def shut(w) -> None:
    """End a window that reached the store as the app does on quit: its sync (first run due
    1.5 s after opening) and backups stopped, then closed, so nothing of it runs on into the
    next test."""
    service, scheduler = getattr(w, "sync_service", None), getattr(w, "backup_scheduler", None)
    if service is not None:
        service.stop()
    if scheduler is not None:
        scheduler.stop()
    w.close()


def reminded(qtbot, w) -> UnconfirmedKeyQuestion:
    """After an admin's sign-in (the PIN's hash takes its time on a busy machine): the reminder."""
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=60000)
    qtbot.waitUntil(lambda: w.findChild(UnconfirmedKeyQuestion) is not None
                    and w.findChild(UnconfirmedKeyQuestion).isVisible(), timeout=20000)
    return w.findChild(UnconfirmedKeyQuestion)


def walk_to_the_recovery_key(qtbot, wiz) -> str:
    """A new store OW01 through every page, made; the recovery key page shown. Returns the key."""
    next_page(qtbot, wiz, 1)
    next_page(qtbot, wiz, 2)
    fill_store(wiz)
    next_page(qtbot, wiz, 3)
    fill_admin(wiz)
    for expect in range(4, STEPS + 1):
        next_page(qtbot, wiz, expect)
    return wiz.recovery_page.code.text()


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_wizard_makes_a_store_shows_its_recovery_key_and_reaches_sign_in(qtbot, tmp_path, memory_keyring,
                                                                              make_window, monkeypatch):
    path = tmp_path / "store.db"
    w = make_window(path)
    wiz = wizard_of(qtbot, w)
    assert wiz.index == 0 and wiz.step_label.text() == f"Set up Orchard: step 1 of {STEPS}"
    assert not wiz.back_button.isEnabled()
    next_page(qtbot, wiz, 1)                     # English
    assert wiz.pages[1].new.isChecked()
    next_page(qtbot, wiz, 2)                     # a new store
    # a wrong answer stays on the page, beside its field
    fill_store(wiz, code="S")
    wiz.next_button.click()
    assert wiz.index == 2
    assert wiz.store_page.errors.text("store_code") == "must be 2 to 8 letters or digits"
    fill_store(wiz)
    next_page(qtbot, wiz, 3)
    fill_admin(wiz, again="admin-pass-2")
    wiz.next_button.click()
    assert wiz.index == 3 and wiz.pages[3].errors.text("admin_password_again") == "The two passwords differ."
    fill_admin(wiz)
    next_page(qtbot, wiz, 4)
    assert wiz.pages[4].keyring.isChecked(), "a computer with a keyring keeps the key there"
    next_page(qtbot, wiz, 5)
    assert wiz.pages[5].folder.text() == str(tmp_path / "backups")
    next_page(qtbot, wiz, 6)                     # the folder was made and written to, off the GUI thread
    assert (tmp_path / "backups").is_dir()
    # printers: none installed here, so the test page goes to a PDF file
    printers = wiz.printer_page
    assert printers.combos["receipt"].currentData() == ""
    out = tmp_path / "receipt-test.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    printers.test_buttons["receipt"].click()
    qtbot.waitUntil(lambda: printers.result.isVisible(), timeout=15000)
    assert printers.result.kind() == "success" and str(out) in printers.result.text()
    text = pdf_text(out.read_bytes())
    assert "Test page: receipt printer" in text and "Orchard West" in text
    next_page(qtbot, wiz, 7)
    summary = wiz.summary_page.summary.text()
    assert "OW01 · Orchard West" in summary and "Ada Admin, staff number 1" in summary
    assert not path.exists(), "nothing is made before Create"
    assert wiz.next_button.text() == "Create the store"
    next_page(qtbot, wiz, STEPS)
    # the recovery key, large, once; Finish waits for the tick
    code = wiz.recovery_page.code.text()
    assert CODE_SHAPE.match(code), code
    assert not wiz.next_button.isEnabled() and wiz.next_button.text() == "Finish"
    assert not wiz.cancel_button.isVisible() and not wiz.back_button.isVisible()
    wiz.recovery_page.print_button.click()
    qtbot.waitUntil(lambda: getattr(wiz, "sheet_dialog", None) is not None and wiz.sheet_dialog.ready,
                    timeout=20000)
    sheet = pdf_text(wiz.sheet_dialog.pdf)
    assert all(group in sheet for group in code.split("-")), "the printed sheet carries the key"
    assert "Orchard West" in sheet
    assert Path(wiz.sheet_dialog.file_name).parent != tmp_path, "Save as PDF never starts in the data folder"
    wiz.sheet_dialog.reject()
    wiz.recovery_page.stored.setChecked(True)
    assert wiz.next_button.isEnabled()
    wiz.next_button.click()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.sign_in_page and w.sign_in_page.staff_model.rowCount() == 1,
                    timeout=15000)
    assert w.ctx.store.code == "OW01"
    assert not setup.draft_path(path).exists(), "a finished set-up leaves no draft"
    with w.ctx.db.session() as s:
        assert get_state(s, "backup.folder") == str(tmp_path / "backups")
        assert get_state(s, "printer.receipt") is None
        assert not recovery.unconfirmed(s), "Finish (the tick) confirmed the key is stored"
    # the key shown opens the store once the keyring has lost it
    assert recovery.unseal(path, code) == w.ctx.db._key
    shut(w)


def test_left_at_the_admin_page_and_resumed_with_answers_kept_but_no_secret(qtbot, tmp_path, memory_keyring,
                                                                             make_window):
    path = tmp_path / "store.db"
    w = make_window(path)
    wiz = wizard_of(qtbot, w)
    next_page(qtbot, wiz, 1)
    next_page(qtbot, wiz, 2)
    fill_store(wiz)
    next_page(qtbot, wiz, 3)
    fill_admin(wiz)
    with qtbot.waitSignal(wiz.cancelled, timeout=5000):
        wiz.cancel_button.click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    w.ctx.runner.wait(5000)
    draft = setup.draft_path(path)
    assert draft.exists() and not path.exists(), "Cancel keeps the answers and makes nothing"
    kept = draft.read_text("utf-8")
    assert "admin-pass-1" not in kept and "2468" not in kept
    assert json.loads(kept)["page"] == 3

    again = make_window(path)
    wiz = wizard_of(qtbot, again)
    assert wiz.index == 3, "set-up resumes where it was left"
    admin = wiz.pages[3]
    assert admin.name.text() == "Ada Admin"
    assert admin.password.text() == "" and admin.pin.text() == "", "no secret comes back"
    wiz.back_button.click()
    assert wiz.index == 2
    assert (wiz.store_page.code.text(), wiz.store_page.name.text()) == ("OW01", "Orchard West")


def test_choosing_chinese_switches_the_window_at_once_and_keeps_the_answers(qtbot, tmp_path, memory_keyring,
                                                                            make_window, qapp):
    from desktop.app import install_language
    w = make_window(tmp_path / "store.db")
    wiz = wizard_of(qtbot, w)
    assert w.switch_action.text() == "Switch user"
    try:
        wiz.language_page.buttons["zh_CN"].setChecked(True)
        qtbot.waitUntil(lambda: w.switch_action.text() == "切换用户", timeout=5000)
        wiz = w.setup_page
        assert wiz.answers.language == "zh_CN" and wiz.index == 0
        assert wiz.language_page.buttons["zh_CN"].isChecked(), "the rebuilt page shows the choice"
        assert w.ctx.settings.value("language") == "zh_CN"
    finally:
        install_language(qapp, "en")


def test_without_a_keyring_the_key_page_asks_for_a_passphrase_twice(qtbot, tmp_path, fail_keyring, make_window):
    """(A passphrase store made by core.setup is opened in tests/core/test_setup.py.)"""
    w = make_window(tmp_path / "store.db")
    wiz = wizard_of(qtbot, w)
    for expect in (1, 2):
        next_page(qtbot, wiz, expect)
    fill_store(wiz)
    next_page(qtbot, wiz, 3)
    fill_admin(wiz)
    next_page(qtbot, wiz, 4)
    keys = wiz.pages[4]
    assert not keys.keyring.isEnabled() and keys.passphrase_mode.isChecked()
    assert "no secure keyring" in keys.no_keyring.text()
    keys.passphrase.setText("short")
    keys.passphrase_again.setText("short")
    wiz.next_button.click()
    assert wiz.index == 4 and keys.errors.text("passphrase") == "must be at least 10 characters"
    keys.passphrase.setText("a long store passphrase")
    keys.passphrase_again.setText("a long store passphrase!")
    wiz.next_button.click()
    assert wiz.index == 4 and keys.errors.text("passphrase_again") == "The two passphrases differ."
    keys.passphrase_again.setText("a long store passphrase")
    next_page(qtbot, wiz, 5)
    assert wiz.answers.key_mode == "passphrase" and wiz.answers.passphrase == "a long store passphrase"


def test_enrolling_with_an_hq_code_takes_the_store_from_hq_and_asks_only_what_hq_lacks(qtbot, tmp_path, memory_keyring,
                                                                                       make_window, hq):
    one_time = hq.enrolment("SQ", "Orchard Qibao")          # HQ keeps no time zone or currency for it
    path = tmp_path / "store.db"
    w = make_window(path)
    wiz = wizard_of(qtbot, w)
    next_page(qtbot, wiz, 1)
    wiz.pages[1].enrol.setChecked(True)
    next_page(qtbot, wiz, 2)
    page = wiz.store_page
    assert not page.hq_timezone.isVisibleTo(page), "nothing HQ may know is asked up front"
    page.url.setText(hq.url)
    page.enrol_code.setText("ABCD-EFGH-JKMN-PQRS")
    wiz.next_button.click()
    qtbot.waitUntil(lambda: not wiz.busy and page.errors.general.isVisible(), timeout=15000)
    assert wiz.index == 2 and "not valid" in page.errors.general.text()
    page.enrol_code.setText(one_time)
    wiz.next_button.click()
    qtbot.waitUntil(lambda: not wiz.busy and page.hq_timezone.isVisibleTo(page), timeout=15000)
    assert wiz.index == 2 and page.found.text() == "This code is for store SQ, Orchard Qibao."
    assert page.errors.text("enrol.timezone") == "HQ keeps no time zone for this store: choose one"
    page.hq_timezone.setCurrentText("Asia/Shanghai")
    page.hq_currency.setCurrentText("CNY")
    next_page(qtbot, wiz, 3)
    fill_admin(wiz)
    for expect in (4, 5, 6, 7):
        next_page(qtbot, wiz, expect)
    assert "SQ · Orchard Qibao" in wiz.summary_page.summary.text()
    next_page(qtbot, wiz, STEPS)
    wiz.recovery_page.stored.setChecked(True)
    wiz.next_button.click()
    try:
        qtbot.waitUntil(lambda: w.pages.currentWidget() is w.sign_in_page, timeout=15000)
        store = w.ctx.store
        assert (store.code, store.name, store.timezone, store.currency) == \
            ("SQ", "Orchard Qibao", "Asia/Shanghai", "CNY")
        with w.ctx.db.session() as s:
            assert get_state(s, "hq.url") == hq.url
    finally:
        shut(w)         # its first sync is due 1.5 s after opening: never into the next test's window


def test_closing_on_the_recovery_key_page_asks_and_the_admin_is_then_offered_a_new_key(
        qtbot, tmp_path, memory_keyring, make_window, monkeypatch):
    path = tmp_path / "store.db"
    w = make_window(path)
    wiz = wizard_of(qtbot, w)
    shown = walk_to_the_recovery_key(qtbot, wiz)
    assert CODE_SHAPE.match(shown)
    # closing the window before the tick asks first; "Stay" keeps the key on the screen
    w.close()
    question = wiz.close_question
    qtbot.waitUntil(lambda: question.isVisible(), timeout=5000)
    assert w.isVisible() and "nobody has confirmed that its recovery key is stored" in question.text()
    stay = next(b for b in question.buttons() if b.text() == "Stay")
    stay.click()
    qtbot.waitUntil(lambda: not question.isVisible(), timeout=5000)
    assert w.isVisible() and wiz.recovery_page.code.text() == shown
    # asked again, and closed anyway: the store is there, its key marked as never confirmed
    w.close()
    question = wiz.close_question
    qtbot.waitUntil(lambda: question.isVisible(), timeout=5000)
    next(b for b in question.buttons() if b.text() == "Close anyway").click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=15000)
    assert path.exists() and not setup.draft_path(path).exists()

    # the next start goes to sign-in; the admin signing in is told, and offered a new key
    again = make_window(path)
    qtbot.waitUntil(lambda: again.pages.currentWidget() is again.sign_in_page
                    and again.sign_in_page.staff_model.rowCount() == 1, timeout=15000)
    admin = again.sign_in_page.staff_model.staff[0]
    try:
        sign_in(qtbot, again, admin, "2468")
        reminded(qtbot, again)
        reminder = again.findChild(UnconfirmedKeyQuestion)
        assert "nobody confirmed that its recovery key was stored" in reminder.text()
        assert reminder.make_button.text() == "Make a new recovery key"
        # Later: nothing changes; Settings says the same, beside "Make a new recovery key…"
        reminder.later_button.click()
        qtbot.waitUntil(lambda: again.findChild(UnconfirmedKeyQuestion) is None, timeout=5000)
        again.shell.go("settings")
        box = again.shell.screens["settings"].key_box
        qtbot.waitUntil(lambda: box.state.text() != "", timeout=10000)
        assert "Nobody has confirmed" in box.state.text() and box.new_key_button.isVisible()
        assert "This store has a recovery key." != box.state.text()
        # signing in again asks again; this time a new key is made, confirmed and put in force
        again.switch_user()
        sign_in(qtbot, again, admin, "2468")
        reminded(qtbot, again)
        again.findChild(UnconfirmedKeyQuestion).make_button.click()
        qtbot.waitUntil(lambda: again.findChild(NewRecoveryKeyDialog) is not None
                        and again.findChild(NewRecoveryKeyDialog).isVisible(), timeout=10000)
        dialog = again.findChild(NewRecoveryKeyDialog)
        fresh = dialog.code.text()
        assert CODE_SHAPE.match(fresh) and fresh != shown
        dialog.stored.setChecked(True)
        dialog.done_button.click()
        qtbot.waitUntil(lambda: again.findChild(NewRecoveryKeyDialog) is None, timeout=10000)
        box = again.shell.screens["settings"].key_box
        qtbot.waitUntil(lambda: box.state.text() == "This store has a recovery key.", timeout=10000)
        with again.ctx.db.session() as s:
            assert not recovery.unconfirmed(s)
        assert recovery.unseal(path, fresh) == again.ctx.db._key
        # the next sign-in asks nothing
        again.switch_user()
        sign_in(qtbot, again, admin, "2468")
        qtbot.waitUntil(lambda: again.pages.currentWidget() is again.shell, timeout=60000)
        again.ctx.runner.wait(10000)
        qtbot.wait(100)
        assert again.findChild(UnconfirmedKeyQuestion) is None
    finally:
        shut(again)
