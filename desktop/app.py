"""The application: QApplication set-up (translations, theme), and the main window that
walks from opening the database through sign-in to the work, and locks when idle.

Size: ``MainWindow`` has a few more than 25 methods because it is one state machine over
its stacked pages (busy, set-up, passphrase, sign-in, lock, shell): each method is one step
that hands over to the next page. Split apart, each part would reach back into the others'
pages and ``ctx.locked``/``ctx.actor``, so the steps stay together, in the order they run."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from core import settings as store_settings
from core import staff
from core.db import StoreDatabase
from core.errors import AuthenticationError, MissingKey, OrchardError, PassphraseRequired
from core.vault import keyring_usable
from desktop import fmt, shortcuts
from desktop.context import AppContext
from desktop.errors import log_failure, show_error, translate_error
from desktop.labels import label
from desktop.lockdown import LockKey, close_every_window
from desktop.qt import (
    QAction, QApplication, QByteArray, QCloseEvent, QColor, QEvent, QKeySequence, QLabel, QLibraryInfo, QLocale,
    QMainWindow, QObject, QPalette, QProgressBar, QSettings, QStackedWidget, QStandardPaths, Qt, QTimer, QTranslator,
    QWidget, Signal,
)
from desktop.resources import TRANSLATIONS, icon, set_icon_theme, style_sheet
from desktop.shell import ShellPage
from desktop.views.gate import LockPage, PassphrasePage, SignInPage, card, centred
from desktop.widgets.elided import ElidedLabel
from desktop.workers import Runner

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from core.demo.info import DemoConsole, DemoInfo
    from core.permissions import Actor
    from core.staff import StaffInfo, StoreInfo
    from desktop.views.setup import SetupWizard
    from desktop.workers import Progress

log = logging.getLogger("orchard")
DEMO_PASSPHRASE = "orchard-demo-2026"


def data_dir() -> Path:
    base = os.environ.get("ORCHARD_HOME") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def save_demo_credentials(folder: Path, info: DemoInfo) -> None:
    """The demo's sign-ins, for a demo started without a terminal: beside the database,
    readable only by this user. Demo data, never a real store's."""
    from core.vault import atomic_write
    atomic_write(folder / "demo-credentials.txt", info.credentials_text().encode("utf-8"))
    pins = [{"name": m.display_name, "number": m.staff_number, "role": m.role, "pin": m.pin}
            for m in info.staff]
    atomic_write(folder / "demo-credentials.json", json.dumps(pins, ensure_ascii=False).encode("utf-8"))


def _demo_hq(folder: Path) -> tuple[int, str] | None:
    try:
        cfg = json.loads((folder / "demo-hq.json").read_text("utf-8"))
        return int(cfg["port"]), str(cfg["db"])
    except (OSError, ValueError, KeyError):
        return None


def start_demo_hq(folder: Path) -> str | None:
    """Make sure the demo's local HQ runs. One started here is this app's: it stops when the
    window closes, at exit, and by itself when the app is killed (hq.demo's lifeline)."""
    cfg = _demo_hq(folder)
    if cfg is None:
        return None
    from hq.demo import ensure_local_hq
    return ensure_local_hq(port=cfg[0], db=cfg[1], log=folder / "hq.log")


def stop_demo_hq(folder: Path) -> None:
    """Before the demo folder is thrown away (``orchard demo --fresh``): end the HQ a previous
    run left serving its files, if any."""
    cfg = _demo_hq(folder)
    if cfg is not None:
        from hq.demo import stop_left_behind
        stop_left_behind(cfg[0], cfg[1])


def connect_demo_hq(db: StoreDatabase, folder: Path) -> str | None:
    """The demo's headquarters: a local HQ on SQLite in the demo folder (its own port, so
    a rebuilt demo never meets an older demo's HQ) with the demo store enrolled, so sync
    runs as it would in a chain. Without it the demo still works offline; the Sync
    screen then says why."""
    try:
        from core.staff import actor_for
        from core.vault import atomic_write
        from hq.demo import enrol_demo_store
        port = 20000 + int(db.db_id[:8], 16) % 20000
        hq_db = f"sqlite:///{folder / 'hq.db'}"
        atomic_write(folder / "demo-hq.json", json.dumps({"port": port, "db": hq_db}).encode("utf-8"))
        url = start_demo_hq(folder)
        from core.permissions import Role
        from core.staff import current_store, list_staff
        with db.session() as s:
            admin = actor_for(next(m for m in list_staff(s, current_store(s).id) if m.role == Role.ADMIN))
        enrol_demo_store(db, admin, url, hq_db=hq_db)
        return url
    except Exception as exc:  # noqa: BLE001 - the demo store stays usable offline
        from desktop.errors import log_failure
        log_failure(exc, "demo HQ")
        return None


def demo_console(folder: Path) -> DemoConsole | None:
    """The demo HQ's console and its demo user (shown on the sign-in screen), if this demo has an HQ."""
    cfg = _demo_hq(folder)
    if cfg is None:
        return None
    from hq.demo import console_sign_in
    try:
        return console_sign_in(cfg[1], cfg[0])
    except (OSError, ValueError):
        return None


def demo_pins(folder: Path) -> str:
    try:
        people = json.loads((folder / "demo-credentials.json").read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    return " · ".join(f"{p['name']} {p['pin']}" for p in people)


class IdleWatcher(QObject):
    """Notices the last keyboard or mouse input anywhere in the app; ``check`` (run by a
    timer, or by tests with an injected clock) says when the timeout has passed."""

    idle = Signal()
    INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}

    def __init__(self, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.timeout_s = store_settings.IDLE_DEFAULT * 60
        self.armed = False
        self.last_input = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.check)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in self.INPUT:
            self.last_input = self.clock()
        return False

    def arm(self, minutes: int) -> None:
        self.timeout_s = minutes * 60
        self.last_input = self.clock()
        self.armed = True
        self.timer.start()

    def disarm(self) -> None:
        self.armed = False
        self.timer.stop()

    def check(self) -> None:
        if self.armed and self.clock() - self.last_input >= self.timeout_s:
            self.disarm()
            self.idle.emit()


class BusyPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame, lay = card(self.tr("One moment"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        lay.addWidget(self.text)
        lay.addWidget(self.bar)
        centred(self, frame)

    def show_text(self, text: str, done: int = 0, total: int = 0) -> None:
        self.text.setText(text)
        self.bar.setRange(0, total)
        self.bar.setValue(done)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, db_path: Path, *, demo: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.ctx = ctx
        self.db_path = Path(db_path)
        self.demo = demo
        self.setWindowTitle(self.tr("Orchard"))
        self.setWindowIcon(icon("orchard"))
        self.setMinimumSize(1000, 660)
        ctx.runner.default_error = lambda exc: show_error(self, exc)
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.busy = BusyPage()
        self.passphrase_page = PassphrasePage()
        self.sign_in_page = SignInPage()
        self.lock_page = LockPage()
        self.shell = ShellPage(ctx)
        self.setup_page: SetupWizard | None = None
        for page in (self.busy, self.passphrase_page, self.sign_in_page, self.lock_page, self.shell):
            self.pages.addWidget(page)
        self.passphrase_page.submitted.connect(lambda p: self.open_database(p))
        self.passphrase_page.use_recovery.connect(self._forgot_passphrase)
        self.sign_in_page.sign_in.connect(self._sign_in)
        self.sign_in_page.forgot_admin.connect(self._forgot_admin)
        self.shell.built.connect(self._wire_settings)
        self.lock_page.unlock.connect(self._unlock)
        self.lock_page.switch_user.connect(self.switch_user)
        self._build_status_bar()
        self._build_menu()
        self.idle = IdleWatcher(clock, self)
        self.idle.idle.connect(self.lock)
        QApplication.instance().installEventFilter(self.idle)
        QApplication.instance().installEventFilter(self.shell.scan_catcher)
        self.restoreGeometry(QByteArray(ctx.settings.value("window/geometry", QByteArray())))
        self._last_screen: str | None = None

    # --- chrome ---------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_user = QLabel()
        self.status_store = QLabel()
        # a long sync message ("… parked: …") is shortened with "…", whole in its tool tip
        self.status_sync = ElidedLabel(self.tr("Offline"))
        self.status_sync.setObjectName("syncState")
        self.status_busy = QProgressBar()
        self.status_busy.setRange(0, 0)
        self.status_busy.setMaximumWidth(80)
        self.status_busy.setMaximumHeight(6)
        self.status_busy.hide()
        bar.addWidget(self.status_user)
        bar.addWidget(self.status_store)
        bar.addPermanentWidget(self.status_busy)
        bar.addPermanentWidget(self.status_sync, 1)     # takes the room the others leave
        self.ctx.runner.busy_changed.connect(self.status_busy.setVisible)
        self.ctx.sync_state_changed.connect(self.status_sync.setText)

    def _build_menu(self) -> None:
        # every key comes from desktop/shortcuts.py, the table F1 and the README show
        menu = self.app_menu = self.menuBar().addMenu(self.tr("&Orchard"))
        self.lock_action = QAction(icon("lock"), self.tr("Lock"), self)
        shortcuts.bind(self.lock_action, "lock")
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.switch_action = QAction(self.tr("Switch user"), self)
        shortcuts.bind(self.switch_action, "switch_user")
        self.switch_action.triggered.connect(self.switch_user)
        quit_action = self.quit_action = QAction(self.tr("Quit"), self)
        shortcuts.bind(quit_action, "quit")
        quit_action.triggered.connect(self.close)
        for a in (self.lock_action, self.switch_action):
            a.setEnabled(False)
            menu.addAction(a)
            self.addAction(a)
        menu.addSeparator()
        menu.addAction(quit_action)
        self.help_action = QAction(self.tr("Keyboard shortcuts"), self)
        shortcuts.bind(self.help_action, "help")
        self.help_action.triggered.connect(self.show_shortcuts)
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.help_menu.addAction(self.help_action)
        self.addAction(self.help_action)
        self.about_action = QAction(self.tr("About Orchard"), self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)
        # Tab leaves every table and list, in this window and its dialogs
        self.tab_policy = shortcuts.TabLeavesTables(self)
        QApplication.instance().installEventFilter(self.tab_policy)
        # Ctrl+L locks with a modal dialog up too (the action's shortcut is blocked then)
        self.lock_key = LockKey(self.lock, self)
        QApplication.instance().installEventFilter(self.lock_key)

    def show_about(self) -> None:
        """Help ▸ About: the version, and what HQ announced at the last sync."""
        from desktop.views.about import AboutDialog
        service = getattr(self, "sync_service", None)
        self.about_dialog = AboutDialog(service.status if service is not None else None, self)
        self.about_dialog.open()

    def show_shortcuts(self) -> None:
        """F1: the shortcuts of the screen in front of the user (none while signed out or locked)."""
        from desktop.views.help import ShortcutsDialog
        on_screen = self.pages.currentWidget() is self.shell and not self.ctx.locked
        self.shortcuts_dialog = ShortcutsDialog(self.shell.current_key() if on_screen else None, self)
        self.shortcuts_dialog.open()

    def _update_status(self) -> None:
        actor, store = self.ctx.actor, self.ctx.store
        self.status_user.setText(self.tr("Signed in: {0} ({1})").format(actor.display_name, label(actor.role.value))
                                 if actor else self.tr("Not signed in"))
        self.status_store.setText(f"{store.name} · {store.code}" if store else "")
        signed_in = actor is not None
        self.lock_action.setEnabled(signed_in and not self.ctx.locked)
        self.switch_action.setEnabled(signed_in)

    # --- opening the database ---------------------------------------------------------------

    def start(self) -> None:
        if self.demo and self.db_path.exists():
            folder = self.db_path.parent
            self.ctx.runner.submit(lambda p: start_demo_hq(folder), pool="io", on_error=lambda e: log_failure(e))
        if self.db_path.exists():
            self.open_database(DEMO_PASSPHRASE if self.demo and self._demo_uses_passphrase() else None)
        elif self.demo:
            self._build_demo()
        else:
            self._show_setup()

    def _demo_uses_passphrase(self) -> bool:
        from core.vault import DbMeta
        try:
            return DbMeta.load(self.db_path).key_source == "passphrase"
        except Exception:  # noqa: BLE001 - opening reports the real problem
            return False

    def _show_busy(self, text: str) -> None:
        self.busy.show_text(text)
        self.pages.setCurrentWidget(self.busy)

    def _build_demo(self) -> None:
        self._show_busy(self.tr("Building the demo store (customers, devices, appointments, tickets)…"))
        path = self.db_path

        def work(progress: Progress) -> StoreDatabase:
            from core.demo import build_demo
            passphrase = None if keyring_usable() else DEMO_PASSPHRASE
            db = StoreDatabase.create(path, passphrase=passphrase)
            info = build_demo(db)
            save_demo_credentials(path.parent, info)
            print(info.credentials_text(), flush=True)
            connect_demo_hq(db, path.parent)
            return db
        self.ctx.runner.submit(work, on_result=self._db_opened, on_error=self._open_failed, pool="io")

    def _show_setup(self) -> None:
        """First run: the set-up wizard (desktop/views/setup), resumed from its draft if set-up
        was left before; Finish hands over the new store's open database."""
        if self.setup_page is None:
            from desktop.views.setup import SetupWizard
            self.setup_page = SetupWizard(self.ctx, self.db_path, language=chosen_language(self.ctx.settings),
                                          keyring_ok=keyring_usable())
            self.setup_page.language_chosen.connect(self._setup_language)
            self.setup_page.finished.connect(self._db_opened)
            self.setup_page.cancelled.connect(self.close)        # the draft is kept; nothing was made
            self.pages.addWidget(self.setup_page)
        self.pages.setCurrentWidget(self.setup_page)

    def _setup_language(self, lang: str) -> None:
        self.ctx.settings.setValue("language", lang)
        install_language(QApplication.instance(), chosen_language(self.ctx.settings))
        self._retranslate_chrome()
        if self.setup_page is not None:
            self.setup_page.retranslate()

    def open_database(self, passphrase: str | None = None) -> None:
        if self.pages.currentWidget() is not self.passphrase_page:
            self._show_busy(self.tr("Opening the store database…"))
        path = self.db_path
        self.ctx.runner.submit(lambda p: StoreDatabase.open(path, passphrase=passphrase),
                               on_result=self._db_opened, on_error=self._open_failed, pool="io")

    def _open_failed(self, exc: BaseException) -> None:
        if isinstance(exc, MissingKey) and not isinstance(exc, PassphraseRequired):
            # KeyringLost, or no keyring to read at all: the recovery key, never a new store over this one
            from desktop.views.recovery import show_recovery
            show_recovery(self)
            return
        if isinstance(exc, PassphraseRequired) and self.pages.currentWidget() is not self.passphrase_page:
            if self.demo:
                self.passphrase_page.show_demo_passphrase(DEMO_PASSPHRASE)
            from desktop.views.recovery import offer_recovery_route
            offer_recovery_route(self)          # "Use the recovery key" when the store has one
            self.pages.setCurrentWidget(self.passphrase_page)
            self.passphrase_page.passphrase.setFocus()
            return
        if self.pages.currentWidget() is self.passphrase_page:
            self.passphrase_page.failed(exc)
            return
        # the core's words, translated (a damaged file, a wrong key); never a raw error's text
        self.busy.show_text(translate_error(exc) if isinstance(exc, OrchardError)
                            else self.tr("The store database could not be opened."))
        show_error(self, exc)

    def _db_opened(self, db: StoreDatabase) -> None:
        self.ctx.db = db
        from desktop.views.sync import service_for
        self.sync_service = service_for(self.ctx)     # one per app; the Sync panel shares it
        self.sync_service.start()
        self._start_backups()
        self.ctx.read(lambda s: (staff.current_store(s), None), on_result=self._store_loaded)

    def _start_backups(self) -> None:
        """Backups on schedule (on the I/O pool); their failure or delay shows to managers."""
        from desktop.backup_scheduler import BackupScheduler
        from desktop.views.backup_panel import backup_warning
        if getattr(self, "backup_scheduler", None) is None:
            self.backup_scheduler = BackupScheduler(self.ctx, self)
            self.backup_scheduler.status_changed.connect(lambda st: self.shell.show_backup_warning(backup_warning(st)))
        self.backup_scheduler.start()

    def _store_loaded(self, result: tuple[StoreInfo | None, None]) -> None:
        store, _ = result
        if store is None:
            self._show_setup()
            return
        self.ctx.store = store
        fmt.set_store_timezone(store.timezone)
        self.setWindowTitle(self.tr("Orchard — {0}").format(store.name))
        self.show_sign_in()

    # --- signing in and out ---------------------------------------------------------------

    def show_sign_in(self) -> None:
        store_id = self.ctx.store.id
        self.ctx.read(lambda s: staff.list_staff(s, store_id), on_result=self._staff_loaded)

    def _staff_loaded(self, staff_list: list[StaffInfo]) -> None:
        # nobody is preselected: the next person's PIN must never count against the last one
        self.sign_in_page.set_staff(staff_list, self.ctx.store.name)
        if self.demo:
            pins = demo_pins(self.db_path.parent)
            hint = self.tr("Demo store (demo data only). PINs: {0}").format(pins) if pins else \
                self.tr("Demo store. PINs: see demo-credentials.txt beside the database ({0}).").format(
                    self.db_path.parent)
            if self._demo_uses_passphrase():
                hint += "\n" + self.tr("Store passphrase: {0}").format(DEMO_PASSPHRASE)
            self.sign_in_page.show_demo_hint(hint, demo_console(self.db_path.parent))
        self.pages.setCurrentWidget(self.sign_in_page)
        self.sign_in_page.staff_list.setFocus()
        self._update_status()
        if os.environ.get("ORCHARD_BENCH_STARTUP"):
            QTimer.singleShot(0, _report_startup)

    def _authenticate(self, staff_id: uuid.UUID, kind: str, secret: str, on_ok: Callable[[Actor, int], None], on_fail: Callable[[BaseException], None]) -> None:
        def attempt(s: Session) -> tuple[Actor, int] | AuthenticationError:
            # failures are kept (committed) too: the count must survive a restart
            try:
                actor = staff.authenticate(s, staff_id, **{kind: secret})
                return actor, store_settings.idle_minutes(s, actor.store_id)
            except AuthenticationError as exc:
                return exc

        def done(result: tuple[Actor, int] | AuthenticationError) -> None:
            if isinstance(result, BaseException):
                on_fail(result)
            else:
                on_ok(*result)
        self.ctx.write(attempt, on_result=done, on_error=on_fail)

    def _forgot_passphrase(self) -> None:
        from desktop.views.recovery import show_recovery
        show_recovery(self, forgotten=True)

    def _forgot_admin(self) -> None:
        from desktop.views.admin_reset import open_admin_reset
        open_admin_reset(self)

    def _sign_in(self, who: StaffInfo, kind: str, secret: str) -> None:
        self._authenticate(who.id, kind, secret, self._signed_in, self.sign_in_page.credentials.failed)

    def _signed_in(self, actor: Actor, idle_minutes: int) -> None:
        same_user = self.ctx.actor is not None and self.ctx.actor.staff_id == actor.staff_id
        self.ctx.actor = actor
        self.ctx.locked = False
        self.ctx.actor_changed.emit(actor)
        self.shell.build()
        self.pages.setCurrentWidget(self.shell)
        if not (same_user and self._last_screen and self.shell.go(self._last_screen)):
            self.shell.go_home()
        self.idle.arm(idle_minutes)
        self._update_status()
        from desktop.views.database_key import remind_unconfirmed_key
        remind_unconfirmed_key(self)        # a set-up's recovery key nobody confirmed as stored (admins)

    def lock(self) -> None:
        if self.ctx.actor is None or self.ctx.locked:
            return
        self.ctx.locked = True
        self._last_screen = self.shell.current_key()
        # every other window of the app goes (dialogs, message boxes, previews), with its data
        close_every_window(self)
        self.shell.clear_sensitive()
        self.idle.disarm()
        self.lock_page.show_for(self.ctx.actor.display_name)
        self.pages.setCurrentWidget(self.lock_page)
        self.ctx.locked_changed.emit(True)
        self._update_status()

    def _unlock(self, kind: str, secret: str) -> None:
        self._authenticate(self.ctx.actor.staff_id, kind, secret, self._unlocked, self.lock_page.credentials.failed)

    def _unlocked(self, actor: Actor, idle_minutes: int) -> None:
        self.ctx.actor = actor
        self.ctx.locked = False
        self.pages.setCurrentWidget(self.shell)
        self.shell.restore()
        self.idle.arm(idle_minutes)
        self.ctx.locked_changed.emit(False)
        self._update_status()

    def switch_user(self) -> None:
        self._sign_out()
        self.show_sign_in()

    def _sign_out(self) -> None:
        """Nobody is signed in: the screens are emptied and stay so until someone signs in."""
        if self.ctx.actor is not None and not self.ctx.locked:
            self.shell.clear_sensitive()
        self.ctx.locked = True            # nothing may refill the screens until someone signs in
        close_every_window(self)
        self.idle.disarm()
        self._last_screen = None
        self.ctx.actor = None
        self.ctx.actor_changed.emit(None)

    # --- preferences ------------------------------------------------------------------------

    def rebuild_shell(self) -> None:
        """After a language or theme change: rebuild the screens in the new language, put the
        window's own words (menus, status bar) in it too, and keep the open customer open."""
        current = self.shell.current_key()
        customers_screen = self.shell.screens.get("customers")
        customer_id = getattr(customers_screen, "_current_id", None)
        looked_for = customers_screen.search.text() if customers_screen is not None else ""
        self.shell.build()
        if current:
            self.shell.go(current)
        reopened = self.shell.screens.get("customers")
        if reopened is not None and looked_for:
            reopened.search.setText(looked_for)
        if reopened is not None and customer_id is not None:
            reopened.open_id(customer_id)
        self._retranslate_chrome()
        self._update_status()

    def _retranslate_chrome(self) -> None:
        self.app_menu.setTitle(self.tr("&Orchard"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.lock_action.setText(self.tr("Lock"))
        self.switch_action.setText(self.tr("Switch user"))
        self.quit_action.setText(self.tr("Quit"))
        self.help_action.setText(self.tr("Keyboard shortcuts"))
        self.about_action.setText(self.tr("About Orchard"))
        if self.ctx.store is not None:
            self.setWindowTitle(self.tr("Orchard — {0}").format(self.ctx.store.name))
        service = getattr(self, "sync_service", None)
        if service is None:
            self.status_sync.setText(self.tr("Offline"))
        elif service.status is not None and not service.running:
            self.status_sync.setText(service.describe(service.status))

    def _wire_settings(self) -> None:
        screen = self.shell.screens.get("settings")
        if screen is not None:
            screen.language_chosen.connect(self.change_language)
            screen.theme_chosen.connect(self.change_theme)
            panel = getattr(screen, "backup_panel", None)
            if panel is not None:
                panel.database_restored.connect(self._database_restored)

    def _database_restored(self, _report: object) -> None:
        """A backup took the database's place (core.backup.restore closed the old one): stop
        what ran on it, open the restored file and sign in again, as at start."""
        if getattr(self, "sync_service", None) is not None:
            self.sync_service.stop()
        if getattr(self, "backup_scheduler", None) is not None:
            self.backup_scheduler.stop()
        self._sign_out()                  # nothing may refill the screens from the old file
        old, self.ctx.db = self.ctx.db, None
        if old is not None:
            old.close()              # already closed by the restore; closing twice is harmless
        self.open_database()

    def change_language(self, lang: str) -> None:
        self.ctx.settings.setValue("language", lang)
        install_language(QApplication.instance(), chosen_language(self.ctx.settings))
        QTimer.singleShot(0, self.rebuild_shell)   # not while the settings screen is mid-signal

    def change_theme(self, theme: str) -> None:
        self.ctx.settings.setValue("theme", theme)
        apply_theme(QApplication.instance(), theme)
        QTimer.singleShot(0, self.rebuild_shell)

    def closeEvent(self, event: QCloseEvent) -> None:
        wizard = self.setup_page
        if wizard is not None and self.pages.currentWidget() is wizard and wizard.asks_before_closing():
            event.ignore()              # the recovery key shown but not confirmed as stored: asked first
            wizard.confirm_close(self.close)
            return
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.idle.disarm()
        if getattr(self, "sync_service", None) is not None:
            self.sync_service.stop()
        if getattr(self, "backup_scheduler", None) is not None:
            self.backup_scheduler.stop()
        self.ctx.runner.wait(10000)
        if self.ctx.db is not None:
            self.ctx.db.close()
        if self.demo:
            from hq.demo import stop_local_hqs
            stop_local_hqs()            # the demo's HQ, if this app started it (signalled, not waited for)
        super().closeEvent(event)


def _report_startup() -> None:
    """bench/startup.py: the sign-in window is on screen; say so with the memory in use."""
    rss_kib = 0
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss_kib = int(line.split()[1])
    print(f"SIGNIN_SHOWN rss_kib={rss_kib}", flush=True)
    QApplication.instance().quit()


# --- the application object ---------------------------------------------------------------

_translators: list[QTranslator] = []


def chosen_language(settings: QSettings) -> str:
    lang = settings.value("language", "") or QLocale.system().name()
    return "zh_CN" if str(lang).startswith("zh") else "en"


def install_language(app: QApplication, lang: str) -> None:
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh_CN"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    from desktop.fonts import apply_language_font
    apply_language_font(app, lang)      # Chinese headings and buttons keep their bold
    if lang == "en":
        return
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / f"orchard_{lang}.qm")):
        app.installTranslator(ours)
        _translators.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _translators.append(qt)


def theme_palette(app: QApplication, theme: str) -> QPalette:
    """The palette under the style sheet: what the sheet does not colour (tab panes, scroll
    areas, text boxes, date edits, calendar pop-ups, tool tips) follows it. Light is the
    style's own; dark has dark panels and light text, in the sheet's colours."""
    palette = app.style().standardPalette()
    if theme != "dark":
        return palette
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#1c2026", roles.WindowText: "#e2e8f0", roles.Base: "#1f242b",
        roles.AlternateBase: "#2a3038", roles.Button: "#2d333c", roles.ButtonText: "#e2e8f0",
        roles.Text: "#e2e8f0", roles.BrightText: "#ffffff", roles.Highlight: "#2c5440",
        roles.HighlightedText: "#f0fff4", roles.PlaceholderText: "#8f9aab", roles.ToolTipBase: "#f7fafc",
        roles.ToolTipText: "#1a202c", roles.Link: "#68d391", roles.LinkVisited: "#9ae6b4",
        roles.Light: "#404857", roles.Midlight: "#363d48", roles.Mid: "#2d333c", roles.Dark: "#15181d",
        roles.Shadow: "#0d0f12",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#6b7482"))
    palette.setColor(disabled, roles.Base, QColor("#23272e"))
    palette.setColor(disabled, roles.Button, QColor("#23272e"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """The theme's palette and style sheet, set only when they differ from what the app has:
    setting either re-polishes every widget of every window (seconds with a few shells open)."""
    set_icon_theme(theme)
    palette = theme_palette(app, theme)
    if app.palette() != palette:
        app.setPalette(palette)
    sheet = style_sheet(theme)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


def setup_logging(folder: Path) -> None:
    handler = logging.handlers.RotatingFileHandler(folder / "orchard.log", maxBytes=2_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("orchard")
    root.setLevel(logging.INFO)
    root.addHandler(handler)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    from desktop import gc_guard
    gc_guard.install(app)
    app.setOrganizationName("Orchard")
    app.setApplicationName("Orchard")
    app.setApplicationDisplayName("Orchard")
    return app


def create_window(db_path: Path, *, demo: bool = False, settings: QSettings | None = None,
                  clock: Callable[[], float] = time.monotonic) -> MainWindow:
    app = make_app()
    settings = settings or QSettings()
    install_language(app, chosen_language(settings))
    apply_theme(app, str(settings.value("theme", "light")))
    ctx = AppContext(Runner(), settings)
    return MainWindow(ctx, db_path, demo=demo, clock=clock)


def run(db_path: Path, *, demo: bool = False, check_start: bool = False) -> int:
    """``check_start``: report the first interactive page reached, then exit (desktop/start_check.py)."""
    app = make_app()
    setup_logging(data_dir())
    window = create_window(db_path, demo=demo)
    if check_start:
        from desktop.start_check import StartCheck
        window.start_check = StartCheck(window)
    window.show()
    QTimer.singleShot(0, window.start)
    return app.exec()
