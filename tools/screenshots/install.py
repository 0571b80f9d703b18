"""Screenshots of installing and keeping a store (issue 24), at a small counter screen
(1024x768), light: every page of the first-run wizard, walked as a person would on a
computer with no store (a new store made for real, so its recovery key page shows the real
key; that page also at 1280x800, dark), the sign-in page it reaches (the version in the
corner, "Forgot the admin password?"), the admin reset dialog with a mistyped recovery key
beside its field, and the recovery page that store shows once its keyring entry is gone.
On the demo store, signed in as the admin: Sync & settings → Backups after a backup, and
after a failed one (the managers' warning above the screen), the restore confirmation, the
database key box, and Help ▸ About.

    take(window, target, people) -> [paths]

``window`` is a window on a fresh copy of the demo store (driver.OWN_STORE: the failed
backup it records must not reach the other areas' shots). The wizard's computer keeps
keys in a keyring held in memory here, installed only while its windows are open."""

from __future__ import annotations

import tempfile
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from core.permissions import Role
from tools.screenshots.driver import SIZE, pump_until, save, sign_in_as

SMALL = (1024, 768)
WIZARD_PAGES = ("language", "mode", "store", "admin", "key", "backup", "printers", "summary")
# what the person setting up types, in the screenshot's language
STORE_NAME = {"en": "Orchard Xujiahui", "zh_CN": "果园徐家汇店"}
ADMIN_NAME = {"en": "Lin Qiao", "zh_CN": "林巧"}
PASSWORD = "counter-admin-24"


class _MemoryKeyring(KeyringBackend):
    """A keyring kept in memory: the wizard's computer has a secure keyring, the
    developer's own is never touched."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


def _lang() -> str:
    from desktop.labels import language
    return "zh_CN" if language().startswith("zh") else "en"


def _window(path: Path, lang: str):
    """A window on ``path`` (no store there yet: the wizard), as ``orchard`` starts it."""
    from desktop.app import create_window
    from desktop.qt import QSettings
    settings = QSettings(str(path.parent / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", lang)
    window = create_window(path, settings=settings)
    window.resize(*SMALL)
    window.show()
    window.start()
    return window


def _close(window) -> None:
    window.close()
    window.deleteLater()
    pump_until(lambda: True)


# --- the first-run wizard ----------------------------------------------------------------------

def _fill(wiz, index: int, lang: str) -> None:
    """What the person types on page ``index`` before pressing Next."""
    if index == 2:
        page = wiz.store_page
        page.code.setText("SH02")
        page.name.setText(STORE_NAME[lang])
        page.country.setCurrentText("CN")
        page.timezone.setCurrentText("Asia/Shanghai")
        page.currency.setCurrentText("CNY")
    elif index == 3:
        page = wiz.pages[3]
        page.name.setText(ADMIN_NAME[lang])
        page.number.setText("1")
        for box in (page.password, page.password_again):
            box.setText(PASSWORD)
        page.pin.setText("2468")


def _wizard(window, target: Path, lang: str) -> list[Path]:
    from desktop.app import apply_theme
    from desktop.qt import QApplication
    from desktop.views.setup.wizard import STEPS
    pump_until(lambda: window.setup_page is not None and window.pages.currentWidget() is window.setup_page)
    wiz = window.setup_page
    saved = []
    for index, name in enumerate(WIZARD_PAGES):
        pump_until(lambda index=index: wiz.index == index and not wiz.busy, timeout=60)
        _fill(wiz, index, lang)
        pump_until(lambda: True)
        saved.append(save(window, target / f"install-wizard-{name}.png"))
        wiz.next_button.click()
    # "Create the store": the database, the store and its admin, then the recovery key
    pump_until(lambda: wiz.index == STEPS and not wiz.busy, timeout=180)
    saved.append(save(window, target / "install-wizard-recovery-key.png"))
    window.resize(*SIZE)
    apply_theme(QApplication.instance(), "dark")
    pump_until(lambda: True)
    saved.append(save(window, target / "install-wizard-recovery-key-1280x800-dark.png"))
    apply_theme(QApplication.instance(), "light")
    window.resize(*SMALL)
    wiz.recovery_page.stored.setChecked(True)
    wiz.next_button.click()
    pump_until(lambda: window.pages.currentWidget() is window.sign_in_page
               and window.sign_in_page.staff_model.rowCount() > 0, timeout=60)
    return saved


def _mistyped(code: str) -> str:
    """The key as someone misreads it from the sheet: two characters of its third group."""
    chars = list(code)
    for i in (12, 14):
        chars[i] = "7" if chars[i] != "7" else "8"
    return "".join(chars)


def _sign_in_and_reset(window, target: Path, code: str) -> list[Path]:
    """The new store's sign-in page, then "Forgot the admin password?" with a mistyped key."""
    from desktop.views.admin_reset import AdminResetDialog
    saved = [save(window, target / "install-signin.png")]
    window.sign_in_page.forgot_button.click()
    pump_until(lambda: window.findChild(AdminResetDialog) is not None
               and window.findChild(AdminResetDialog).isVisible())
    dialog = window.findChild(AdminResetDialog)
    dialog.staff_number.setText("1")
    dialog.code.setText(_mistyped(code))
    dialog.password.setText("new-counter-pass-1")
    dialog.again.setText("new-counter-pass-1")
    dialog.set_button.click()
    pump_until(lambda: dialog.set_button.isEnabled() and dialog.fields.text("code") != "", timeout=60)
    saved.append(save(dialog, target / "install-admin-reset.png"))
    dialog.reject()
    return saved


def _recovery(path: Path, target: Path, lang: str) -> Path:
    """The store opened again once this computer's keyring lost its key: the recovery page."""
    window = _window(path, lang)
    try:
        pump_until(lambda: getattr(window, "recovery_page", None) is not None
                   and window.pages.currentWidget() is window.recovery_page, timeout=60)
        return save(window, target / "install-recovery.png")
    finally:
        _close(window)


def _new_store_shots(target: Path, lang: str) -> list[Path]:
    import keyring
    previous = keyring.get_keyring()
    memory = _MemoryKeyring()
    keyring.set_keyring(memory)
    folder = Path(tempfile.mkdtemp(prefix="orchard-"))
    path = folder / "store.db"
    try:
        window = _window(path, lang)
        try:
            saved = _wizard(window, target, lang)
            code = window.setup_page.result.recovery_code
            saved += _sign_in_and_reset(window, target, code)
        finally:
            _close(window)
        memory.store.clear()           # a user profile rebuilt: the store's key has gone
        saved.append(_recovery(path, target, lang))
        return saved
    finally:
        keyring.set_keyring(previous)


# --- the demo store: backups, restore, the key, About -------------------------------------------

def _settings_at(window, widget) -> None:
    """Sync & settings scrolled so ``widget`` is at the top."""
    from desktop.qt import QScrollArea
    screen = window.shell.screens["settings"]
    scroll = screen.findChild(QScrollArea)
    pump_until(lambda: True)
    scroll.verticalScrollBar().setValue(widget.y())
    pump_until(lambda: True)


def _reload(window, panel) -> None:
    panel.status = None
    panel.load()
    window.backup_scheduler.refresh()
    pump_until(lambda: panel.status is not None and not panel.progress.isVisible(), timeout=60)


def _demo_store_shots(window, target: Path, people: dict) -> list[Path]:
    from core import clock
    from desktop.app import apply_theme
    from desktop.qt import QApplication
    from core.backup import run_backup
    sign_in_as(window, people, Role.ADMIN)
    window.resize(*SMALL)
    window.shell.go("settings")
    settings = window.shell.screens["settings"]
    panel = settings.backup_panel
    pump_until(lambda: panel.status is not None)
    saved = []
    # "Back up now", as the admin would
    panel.now_button.click()
    pump_until(lambda: panel.model.rowCount() > 0 and not panel.progress.isVisible(), timeout=180)
    _reload(window, panel)
    _settings_at(window, panel)
    saved.append(save(window, target / "install-backups.png"))
    # the same in the dark theme: the table's wrapped headings and state read on dark too
    apply_theme(QApplication.instance(), "dark")
    pump_until(lambda: True)
    saved.append(save(window, target / "install-backups-dark.png"))
    apply_theme(QApplication.instance(), "light")
    pump_until(lambda: True)
    # Restore…: the backup chosen, what restoring means, confirmed
    panel.table.selectRow(0)
    panel.restore_button.click()
    pump_until(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=60)
    panel.dialog.confirm.setChecked(True)
    pump_until(lambda: True)
    saved.append(save(panel.dialog, target / "install-restore.png"))
    panel.dialog.reject()
    # a backup into a folder that cannot be written: the failure in words, the warning above
    blocked = Path(tempfile.mkdtemp(prefix="orchard-")) / "usb-disk"
    blocked.write_text("a file where the backup folder should be")
    db, actor = window.ctx.db, window.ctx.actor
    box: list = []
    window.ctx.runner.submit(lambda p: run_backup(db, actor, clock.now(), blocked / "backups"), pool="io",
                             on_result=box.append, on_error=box.append)
    pump_until(lambda: box, timeout=120)
    _reload(window, panel)
    pump_until(lambda: window.shell.backup_notice.isVisible())
    _settings_at(window, panel)
    saved.append(save(window, target / "install-backups-failed.png"))
    _settings_at(window, settings.admin_box)
    saved.append(save(window, target / "install-database-key.png"))
    window.show_about()
    pump_until(lambda: window.about_dialog.isVisible())
    saved.append(save(window.about_dialog, target / "install-about.png"))
    window.about_dialog.reject()
    window.resize(*SIZE)
    return saved


def take(window, target: Path, people: dict) -> list[Path]:
    target = Path(target)
    lang = _lang()
    saved = _demo_store_shots(window, target, people)
    saved += _new_store_shots(target, lang)
    pump_until(lambda: True)
    return saved
