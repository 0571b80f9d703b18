"""The screens for a lost keyring, a forgotten store passphrase, a locked-out admin and the
database key, driven as a store uses them: a real SQLCipher store kept in a (test) keyring
(or under a passphrase), a real recovery key printed on its real sheet, the real window
offscreen."""

import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from core import recovery
from core.db import StoreDatabase
from core.errors import WrongKey
from core.models import AuditEvent
from core.permissions import Role
from core import staff
from core.staff import actor_for
from core.vault import KEYRING_SERVICE, DbMeta
from desktop.qt import QFileDialog, QMessageBox
from desktop.views.admin_reset import AdminResetDialog
from desktop.views.database_key import NewRecoveryKeyDialog, RotateDialog
from tests.conftest import FAST_KDF
from tests.desktop.conftest import PASSWORDS, PINS, sign_in

SET_UP_AT = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
CODE = re.compile(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){5}")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def code_on_sheet(path: Path) -> str:
    found = CODE.findall(pdf_text(path).replace(" ", ""))
    assert len(set(found)) == 1, "one recovery key on the sheet"
    return found[0]


@pytest.fixture
def recoverable(gui_store):
    """gui_store with a recovery key, made by its admin; returns (path, people, the code)."""
    path, people = gui_store
    db = StoreDatabase.open(path)
    code = recovery.new_code()
    try:
        recovery.set_key(db, actor_for(people[Role.ADMIN]), code)
    finally:
        db.close()
    return path, people, code


def printed(code: str, folder: Path) -> str:
    """The code as the store has it: printed on its sheet, read back from the PDF."""
    from reports import recovery_sheet
    sheet = recovery_sheet.render(folder / "sheet.pdf", store_name="Orchard Nanjing Road", store_code="SH01",
                                  code=code, created_at=SET_UP_AT, lang="en")
    return code_on_sheet(sheet)


def keyring_entry(memory_keyring, path):
    return memory_keyring.store.get((KEYRING_SERVICE, f"store-db:{DbMeta.load(path).db_id}"))


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def other_code(code: str) -> str:
    """A well-formed recovery key, but not this store's."""
    while True:
        fresh = recovery.new_code()
        if fresh != code:
            return fresh


def a_typo(code: str) -> str:
    """The same key with one character of its third group changed."""
    i = 2 * 6                          # group 3, first character ("XXXXX-XXXXX-" is 12 long)
    swapped = "7" if code[i] != "7" else "8"
    return code[:i] + swapped + code[i + 1:]


def test_a_store_whose_keyring_entry_is_gone_opens_with_the_printed_recovery_key(
        qtbot, recoverable, memory_keyring, make_window, tmp_path):
    path, people, code = recoverable
    code = printed(code, tmp_path)
    kept = keyring_entry(memory_keyring, path)
    del memory_keyring.store[(KEYRING_SERVICE, f"store-db:{DbMeta.load(path).db_id}")]
    before = fingerprint(path)
    w = make_window(path)
    qtbot.waitUntil(lambda: getattr(w, "recovery_page", None) is not None
                    and w.pages.currentWidget() is w.recovery_page, timeout=10000)
    page = w.recovery_page
    assert w.setup_page is None, "never the set-up of a new store over the old one"
    assert "not in this computer's keyring" in page.explain.text() and "nothing has been deleted" in page.explain.text()
    assert "recovery key" in page.how.text()
    assert not page.use_passphrase.isVisible(), "a keyring store has no passphrase to offer"
    assert not page.back_button.isVisible()
    # what really helps without the key: not a backup (it opens only with the recovery key too), but HQ
    assert "backups open only with the recovery key" in page.never.text()
    assert "enrolled with HQ gets the synced customers back" in page.never.text()
    assert fingerprint(path) == before and keyring_entry(memory_keyring, path) is None

    # a typo is named as one, beside the field
    page.code.setText(a_typo(code))
    page.open_button.click()
    qtbot.waitUntil(lambda: page.fields.text("recovery_code") != "", timeout=10000)
    assert "check group 3" in page.fields.text("recovery_code")
    assert w.pages.currentWidget() is page and page.open_button.isEnabled()
    # a well-formed key of another store: refused beside the field, nothing changed
    page.code.setText(other_code(code))
    page.open_button.click()
    qtbot.waitUntil(lambda: page.open_button.isEnabled() and page.fields.text("recovery_code") != "", timeout=10000)
    assert "does not open" in page.fields.text("recovery_code")
    assert not page.fields.general.isVisible()
    assert fingerprint(path) == before and keyring_entry(memory_keyring, path) is None

    # the key as printed (lower case, spaces instead of dashes is fine too)
    page.code.setText(code.lower().replace("-", " "))
    page.open_button.click()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.sign_in_page and w.sign_in_page.staff_model.rowCount() > 0,
                    timeout=10000)
    assert page.code.text() == "", "the key does not stay on the page"
    assert keyring_entry(memory_keyring, path) == kept, "the key is back in the keyring"
    sign_in(qtbot, w, people[Role.ASSOCIATE], PINS[Role.ASSOCIATE])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    with w.ctx.db.session() as s:
        recovered = s.scalars(select(AuditEvent).where(AuditEvent.action == "vault.recovered")).all()
    assert len(recovered) == 1 and code not in recovered[0].detail


def test_on_a_computer_with_no_keyring_now_the_recovered_store_goes_on_under_a_new_passphrase(
        qtbot, recoverable, make_window):
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring
    path, people, code = recoverable
    keyring.set_keyring(NoKeyring())          # the machine restored without its keyring (fixture restores)
    w = make_window(path)
    qtbot.waitUntil(lambda: getattr(w, "recovery_page", None) is not None
                    and w.pages.currentWidget() is w.recovery_page, timeout=10000)
    page = w.recovery_page
    assert w.setup_page is None
    assert "choose a store passphrase" in page.how.text()
    assert page.new_passphrase.isVisible() and page.again.isVisible()
    page.code.setText(code)
    page.new_passphrase.setText("too short")
    page.open_button.click()
    assert "at least 10 characters" in page.fields.text("new_passphrase")
    page.new_passphrase.setText("blossom-orchard-2026")
    page.again.setText("blossom-orchard-2026")
    page.open_button.click()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.sign_in_page, timeout=30000)
    assert DbMeta.load(path).key_source == "passphrase"
    StoreDatabase.open(path, passphrase="blossom-orchard-2026").close()
    assert recovery.unseal(path, code), "the printed key still opens it"


def test_a_forgotten_store_passphrase_is_replaced_with_the_recovery_key(qtbot, tmp_path, fail_keyring, make_window):
    """A counter without a keyring keeps its store under a passphrase. Nobody remembers it:
    the passphrase page offers the recovery key (only for a store that has one), which opens
    the store; a new passphrase is chosen and opens it from then on."""
    path, old = tmp_path / "store.db", "the old passphrase 1"
    db = StoreDatabase.create(path, passphrase=old, kdf=FAST_KDF)
    db, _, admin = staff.bootstrap_store(
        db, code="SH01", name="Orchard Nanjing Road", timezone="Asia/Shanghai", country="CN",
        admin_name="Ada Admin", admin_password=PASSWORDS[Role.ADMIN], admin_pin=PINS[Role.ADMIN])
    db.close()
    # without a recovery key there is nothing to offer
    w = make_window(path)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.passphrase_page, timeout=10000)
    w.ctx.runner.wait(5000)
    qtbot.wait(50)
    assert not w.passphrase_page.recovery_button.isVisible()
    w.close()

    db = StoreDatabase.open(path, passphrase=old)
    code = recovery.new_code()
    try:
        recovery.set_key(db, admin, code)
    finally:
        db.close()
    code = printed(code, tmp_path)
    w = make_window(path)
    page = w.passphrase_page
    qtbot.waitUntil(lambda: w.pages.currentWidget() is page and page.recovery_button.isVisible(), timeout=10000)
    assert page.recovery_button.text() == "Use the recovery key"
    page.passphrase.setText("not the passphrase")
    page.open_button.click()
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=20000)
    assert page.recovery_button.isVisible(), "still offered after a wrong passphrase"

    page.recovery_button.click()
    qtbot.waitUntil(lambda: getattr(w, "recovery_page", None) is not None
                    and w.pages.currentWidget() is w.recovery_page, timeout=10000)
    rec = w.recovery_page
    assert rec.title.text() == "Open the store with its recovery key"
    assert "nobody remembers the store passphrase" in rec.explain.text()
    assert rec.new_passphrase.isVisible() and rec.again.isVisible() and not rec.use_passphrase.isVisible()
    # "Back to the passphrase" returns to the passphrase page, as it was
    rec.back_button.click()
    assert w.pages.currentWidget() is page and page.open_button.isEnabled()
    page.recovery_button.click()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is rec, timeout=10000)
    # a new passphrase is required, then the key opens the store
    rec.code.setText(code)
    rec.open_button.click()
    assert "at least 10 characters" in rec.fields.text("new_passphrase")
    rec.new_passphrase.setText("blossom-orchard-2026")
    rec.again.setText("blossom-orchard-2026")
    rec.open_button.click()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.sign_in_page and w.sign_in_page.staff_model.rowCount() > 0,
                    timeout=60000)
    assert rec.code.text() == "" and rec.new_passphrase.text() == ""
    w.close()
    # from now on the new passphrase opens the store, the forgotten one no longer; the printed key still does
    with pytest.raises(WrongKey):
        StoreDatabase.open(path, passphrase=old)
    reopened = StoreDatabase.open(path, passphrase="blossom-orchard-2026")
    try:
        with reopened.session() as s:
            recovered = s.scalars(select(AuditEvent.detail).where(AuditEvent.action == "vault.recovered")).all()
        assert recovered == ["recovery_key; key in passphrase"]
    finally:
        reopened.close()
    assert recovery.unseal(path, code)


def admin_reset_dialog(qtbot, w) -> AdminResetDialog:
    page = w.sign_in_page
    qtbot.waitUntil(lambda: w.pages.currentWidget() is page and page.staff_model.rowCount() > 0, timeout=10000)
    assert page.forgot_button.isVisible() and page.forgot_button.text() == "Forgot the admin password?"
    page.forgot_button.click()
    qtbot.waitUntil(lambda: w.findChild(AdminResetDialog) is not None
                    and w.findChild(AdminResetDialog).isVisible(), timeout=5000)
    return w.findChild(AdminResetDialog)


def test_a_forgotten_admin_password_is_set_with_the_recovery_key_and_then_signs_in(
        qtbot, recoverable, make_window):
    path, people, code = recoverable
    admin = people[Role.ADMIN]
    w = make_window(path)
    dialog = admin_reset_dialog(qtbot, w)

    # the two passwords differ: said beside the second, nothing sent
    dialog.staff_number.setText(admin.staff_number)
    dialog.code.setText(code)
    dialog.password.setText("a-new-admin-pass")
    dialog.again.setText("a-new-admin-pasS")
    dialog.set_button.click()
    assert "not the same" in dialog.fields.text("new_password_again")
    # not an admin's number: the core says so beside the number
    dialog.staff_number.setText(people[Role.ASSOCIATE].staff_number)
    dialog.password.setText("a-new-admin-pass")
    dialog.again.setText("a-new-admin-pass")
    dialog.set_button.click()
    qtbot.waitUntil(lambda: dialog.fields.text("staff_number") != "", timeout=10000)
    assert "not the staff number of an active admin" in dialog.fields.text("staff_number")
    assert dialog.fields.text("new_password_again") == ""
    # a wrong recovery key: beside the key
    dialog.staff_number.setText(admin.staff_number)
    dialog.code.setText(other_code(code))
    dialog.password.setText("a-new-admin-pass")
    dialog.again.setText("a-new-admin-pass")
    dialog.set_button.click()
    qtbot.waitUntil(lambda: dialog.fields.text("code") != "", timeout=10000)
    assert "does not open" in dialog.fields.text("code")

    dialog.code.setText(code)
    dialog.password.setText("a-new-admin-pass")
    dialog.again.setText("a-new-admin-pass")
    dialog.set_button.click()
    qtbot.waitUntil(lambda: dialog.done_button.isVisible(), timeout=10000)
    assert admin.staff_number in dialog.result.text()
    dialog.done_button.click()
    # the sign-in page has the admin chosen, with the password asked for
    page = w.sign_in_page
    assert page.selected() == admin and page.credentials.use_password.isChecked()
    page.credentials.secret.setText(PASSWORDS[Role.ADMIN])       # the old password no longer works
    page.credentials._submit()
    qtbot.waitUntil(lambda: page.credentials.error.isVisible(), timeout=10000)
    assert w.pages.currentWidget() is page
    sign_in(qtbot, w, admin, "a-new-admin-pass", kind="password")
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert w.ctx.actor.staff_id == admin.id
    with w.ctx.db.session() as s:
        resets = s.scalars(select(AuditEvent).where(AuditEvent.action == "staff.admin_reset")).all()
    assert [(e.entity_id, e.detail) for e in resets] == [(str(admin.id), "recovery_key")]


def open_key_box(qtbot, w, people):
    sign_in(qtbot, w, people[Role.ADMIN], PINS[Role.ADMIN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("settings")
    box = w.shell.screens["settings"].key_box
    qtbot.waitUntil(lambda: box.isVisible() and box.state.text() != "", timeout=10000)
    return box


def test_an_admin_changes_the_database_key_and_saves_the_printed_record(
        qtbot, recoverable, memory_keyring, make_window, monkeypatch, tmp_path):
    path, people, code = recoverable
    w = make_window(path)
    box = open_key_box(qtbot, w, people)
    assert "cannot be printed again" in box.help.text()
    assert box.state.text() == "This store has a recovery key."
    old_check, old_key = DbMeta.load(path).key_check, keyring_entry(memory_keyring, path)

    box.rotate_button.click()
    qtbot.waitUntil(lambda: w.findChild(RotateDialog) is not None and w.findChild(RotateDialog).isVisible(),
                    timeout=5000)
    dialog = w.findChild(RotateDialog)
    assert not dialog.passphrase.isVisible(), "a keyring store needs no new passphrase"
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: box.record_button.isVisible() and box.record_button.isEnabled(), timeout=20000)
    assert "was changed" in box.message.text()
    meta = DbMeta.load(path)
    assert meta.key_check != old_check and meta.pending is None
    assert keyring_entry(memory_keyring, path) not in (None, old_key)
    # the counter works on under the new key, and the printed recovery key still opens it
    with w.ctx.db.session() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "vault.rotated")).one() is not None
    assert recovery.unseal(path, code) == bytes.fromhex(keyring_entry(memory_keyring, path))

    target = tmp_path / "records" / "key-change"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "open", lambda d: d.fileSelected.emit(str(target)))
    box.record_button.click()
    qtbot.waitUntil(lambda: box.record_path is not None, timeout=20000)
    assert box.record_path == target.with_suffix(".pdf")
    text = pdf_text(box.record_path)
    assert "Orchard Nanjing Road" in text and "Ada Admin" in text
    assert meta.key_check[:16] in text.replace(" ", "").replace("\n", "")
    assert code not in text.replace(" ", "")


def new_key_dialog(qtbot, w, box) -> NewRecoveryKeyDialog:
    box.new_key_button.click()
    question = box.question
    qtbot.waitUntil(lambda: question.isVisible(), timeout=5000)
    assert "stops working" in question.text()
    question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: w.findChild(NewRecoveryKeyDialog) is not None
                    and w.findChild(NewRecoveryKeyDialog).isVisible(), timeout=10000)
    return w.findChild(NewRecoveryKeyDialog)


def recovery_key_audits(db: StoreDatabase) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent.detail).where(AuditEvent.action == "vault.recovery_key_set")
                              .order_by(AuditEvent.seq)))


def test_a_new_recovery_key_replaces_the_old_one_and_prints_its_sheet(
        qtbot, recoverable, make_window, monkeypatch, tmp_path):
    path, people, old = recoverable
    w = make_window(path)
    box = open_key_box(qtbot, w, people)
    dialog = new_key_dialog(qtbot, w, box)
    shown = dialog.code.text()
    assert CODE.fullmatch(shown) and shown != old
    assert not dialog.done_button.isEnabled(), "not put in force before the key is stored"
    # shown, not yet in force: the old key still opens the store, the new one not yet
    assert recovery.unseal(path, old)
    with pytest.raises(WrongKey):
        recovery.unseal(path, shown)

    sheet = tmp_path / "new-sheet.pdf"
    monkeypatch.setattr(QFileDialog, "open", lambda d: d.fileSelected.emit(str(sheet)))
    dialog.sheet_button.click()
    qtbot.waitUntil(lambda: box.sheet_path == sheet, timeout=20000)
    assert code_on_sheet(sheet) == shown
    assert recovery.unseal(path, old), "saving the sheet changes nothing either"
    dialog.stored.setChecked(True)
    assert dialog.done_button.text() == "Use this recovery key"
    dialog.done_button.click()
    qtbot.waitUntil(lambda: w.findChild(NewRecoveryKeyDialog) is None, timeout=10000)
    assert box._new_code is None, "the code is kept nowhere"
    assert "in force" in box.message.text()
    # the printed new key opens the store; the old one no longer does
    assert recovery.unseal(path, shown)
    with pytest.raises(WrongKey):
        recovery.unseal(path, old)
    details = recovery_key_audits(w.ctx.db)
    assert details == ["first", "replaced"] and not any(shown in d for d in details)


def test_a_new_recovery_key_closed_or_locked_away_before_it_is_confirmed_changes_nothing(
        qtbot, recoverable, make_window, monkeypatch, tmp_path):
    path, people, old = recoverable
    w = make_window(path)
    box = open_key_box(qtbot, w, people)
    sealed_before = DbMeta.load(path).recovery

    # shown, its sheet saved, then "Keep the old key": nothing changed, and the screen says so
    dialog = new_key_dialog(qtbot, w, box)
    first = dialog.code.text()
    sheet = tmp_path / "abandoned-sheet.pdf"
    monkeypatch.setattr(QFileDialog, "open", lambda d: d.fileSelected.emit(str(sheet)))
    dialog.sheet_button.click()
    qtbot.waitUntil(lambda: box.sheet_path == sheet, timeout=20000)
    dialog.stored.setChecked(True)
    dialog.keep_button.click()
    qtbot.waitUntil(lambda: w.findChild(NewRecoveryKeyDialog) is None, timeout=5000)
    assert box._new_code is None
    assert "the old one still works" in box.message.text() and str(sheet) in box.message.text()
    assert recovery.unseal(path, old)
    with pytest.raises(WrongKey):
        recovery.unseal(path, first)

    # shown again, and the counter is locked before anyone confirms: the old key still opens the store
    dialog = new_key_dialog(qtbot, w, box)
    second = dialog.code.text()
    assert second not in (first, old)
    dialog.stored.setChecked(True)
    w.lock()
    qtbot.waitUntil(lambda: w.findChild(NewRecoveryKeyDialog) is None, timeout=5000)
    assert w.pages.currentWidget() is w.lock_page
    assert DbMeta.load(path).recovery == sealed_before, "the database's meta is untouched"
    assert recovery.unseal(path, old)
    for shown in (first, second):
        with pytest.raises(WrongKey):
            recovery.unseal(path, shown)
    w.ctx.runner.wait(10000)
    assert recovery_key_audits(w.ctx.db) == ["first"], "no new key set, nothing audited"
