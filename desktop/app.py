"""The application: the main window that walks from opening the database through sign-in
to the work, and locks when idle (the application object's language and theme are in
desktop/appearance.py, the demo's side in desktop/demo_support.py).

The sign-in page shows before the database has opened: read from the file by
core.quick_open on the I/O thread, with SQLAlchemy not yet loaded; the full open follows
behind it, and a sign-in asked for meanwhile waits for it (issue 25: start to sign-in in
under a second).

Size: ``MainWindow`` has a few more than 25 methods because it is one state machine over
its stacked pages (busy, set-up, passphrase, sign-in, lock, shell): each method is one step
that hands over to the next page. Split apart, each part would reach back into the others'
pages and ``ctx.locked``/``ctx.actor``, so the steps stay together, in the order they run."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from core.errors import AuthenticationError, MissingKey, OrchardError, PassphraseRequired
from core.vault import keyring_usable
from desktop import fmt, shortcuts, start_path
from desktop.appearance import (  # noqa: F401 - re-exported: desktop.app is where callers find them
    apply_theme, chosen_language, data_dir, install_language, make_app, setup_logging, theme_palette,
)
from desktop.context import AppContext
from desktop.demo_support import (  # noqa: F401 - re-exported, as above
    DEMO_PASSPHRASE, connect_demo_hq, demo_console, demo_pins, save_demo_credentials, start_demo_hq, stop_demo_hq,
)
from desktop.errors import log_failure, show_error, translate_error
from desktop.idle import IdleWatcher
from desktop.labels import label
from desktop.lockdown import LockKey, close_every_window
from desktop.qt import (
    QAction, QApplication, QByteArray, QCloseEvent, QLabel, QMainWindow, QProgressBar, QSettings,
    QStackedWidget, Qt, QTimer,
)
from desktop.resources import icon
from desktop.shell import ShellPage
from desktop.views.gate import BusyPage, LockPage, PassphrasePage, SignInPage
from desktop.widgets.elided import ElidedLabel
from desktop.workers import Runner

if TYPE_CHECKING:
    import uuid

    from core.db import StoreDatabase
    from core.permissions import Actor
    from core.staff_info import StaffInfo, StoreInfo
    from desktop.views.setup import SetupWizard
    from desktop.workers import Progress

log = logging.getLogger("orchard")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, db_path: Path, *, demo: bool = False,
                 clock: Callable[[], float] = time.monotonic, quick_sign_in: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.db_path = Path(db_path)
        self.demo = demo
        # show the sign-in page from the file before the database opens (core.quick_open);
        # the app's own start does, a window made without it (tests) waits for the open
        self.quick_sign_in = quick_sign_in
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
        self._services_db: StoreDatabase | None = None     # the database sync and backups run on
        self._closing = False
        # the store the sign-in page shows, read from the file before the database opened
        # (core.quick_open); None once the open confirmed it, or when it was not read so
        self._quick_store: StoreInfo | None = None
        self._waiting: list[Callable[[], None]] = []     # sign-in asked for before the database opened

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
            if self.demo and self._demo_uses_passphrase():
                self.open_database(DEMO_PASSPHRASE)
                return
            if not self.quick_sign_in:
                self.open_database()
                return
            # the sign-in page straight from the file (core.quick_open), the full open behind it
            self._show_busy(self.tr("Opening the store database…"))
            path = self.db_path
            self.ctx.runner.submit(lambda p: start_path.quick_read(path), on_result=self._quick_read_done,
                                   on_error=lambda exc: self._quick_read_done(None), pool="io")
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
            from core.db import StoreDatabase
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

    def _quick_read_done(self, result: tuple[StoreInfo, list[StaffInfo]] | None) -> None:
        """The store and its staff read before the ORM loaded: the sign-in page shows now and
        takes a PIN; signing in waits for the database the full open hands over (_db_ready)."""
        if self._closing:
            return
        if result is not None:
            store, staff_list = result
            self._quick_store = store
            self._set_store(store)
            self._present_sign_in(staff_list)
            QTimer.singleShot(0, self.open_database)    # once the page is painted (it loads SQLAlchemy)
            return
        self.open_database()

    def open_database(self, passphrase: str | None = None) -> None:
        if self._closing:
            return                              # the window has gone: nothing may open behind it
        # the busy page, unless a page that takes input is up: the passphrase page, or the
        # sign-in page shown from the file (core.quick_open)
        if self.pages.currentWidget() is not self.passphrase_page and self._quick_store is None:
            self._show_busy(self.tr("Opening the store database…"))
        path = self.db_path
        self.ctx.runner.submit(lambda p: start_path.open_store(path, passphrase),
                               on_result=self._db_opened, on_error=self._open_failed, pool="io")

    def _open_failed(self, exc: BaseException) -> None:
        self._waiting.clear()                   # nothing waits for a database that did not open
        if self._quick_store is not None:       # the sign-in page shown from the file goes
            self._quick_store = None
            self.pages.setCurrentWidget(self.busy)
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
        if self._closing:
            db.close()                          # opened after the window closed: nobody will use it
            return
        self.ctx.db = db
        self.ctx.read(start_path.read_store, on_result=self._store_loaded)

    def _start_services(self) -> None:
        """Sync and scheduled backups on the open database, once the page after opening it is
        up: their modules load after the sign-in page shows, not before (issue 25)."""
        db = self.ctx.db
        if db is None or db.closed or db is self._services_db or self._closing:
            return
        self._services_db = db
        from desktop.views.sync import service_for
        self.sync_service = service_for(self.ctx)     # one per app; the Sync panel shares it
        self.sync_service.start()
        self._start_backups()

    def _sign_in_shown(self) -> None:
        """The sign-in page is on screen: start the services, then load the screens a step at a
        time while the person types (the first sign-in then builds them without importing)."""
        self._start_services()
        from desktop.shell import warm_up_later
        warm_up_later(self)

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
        quick, self._quick_store = self._quick_store, None
        if self._closing:
            return
        if store is not None and quick == store and self.pages.currentWidget() is self.sign_in_page:
            self._set_store(store)
            self._db_ready()                  # the staff on screen are this store's: nothing to read again
            return
        # a sign-in typed on a page read from the file is not replayed against another list
        self._waiting.clear()
        self.sign_in_page.credentials.reset()
        if store is None:
            self._show_setup()
            self._start_services()
            return
        self._set_store(store)
        self.show_sign_in()

    def _set_store(self, store: StoreInfo) -> None:
        self.ctx.store = store
        fmt.set_store_timezone(store.timezone)
        self.setWindowTitle(self.tr("Orchard — {0}").format(store.name))

    def _when_ready(self, action: Callable[[], None]) -> None:
        """``action`` now, or (the sign-in page shown before the database opened) once it has."""
        if self._quick_store is None:
            action()
        else:
            self._waiting = [action]            # the latest request only (a second click replaces it)

    def _db_ready(self) -> None:
        """The database is open and the sign-in page up: what waited for it runs, the services
        start, and the screens load while the person types."""
        if os.environ.get("ORCHARD_BENCH_STARTUP"):
            QTimer.singleShot(0, start_path.report_ready)
        QTimer.singleShot(0, self._sign_in_shown)
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()

    # --- signing in and out ---------------------------------------------------------------

    def show_sign_in(self) -> None:
        store_id = self.ctx.store.id
        self.ctx.read(lambda s: start_path.list_staff(s, store_id), on_result=self._staff_loaded)

    def _staff_loaded(self, staff_list: list[StaffInfo]) -> None:
        self._present_sign_in(staff_list)
        self._db_ready()

    def _present_sign_in(self, staff_list: list[StaffInfo]) -> None:
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
            QTimer.singleShot(0, start_path.report_shown)

    def _authenticate(self, staff_id: uuid.UUID, kind: str, secret: str, on_ok: Callable[[Actor, int], None], on_fail: Callable[[BaseException], None]) -> None:
        def done(result: tuple[Actor, int] | AuthenticationError) -> None:
            if isinstance(result, BaseException):
                on_fail(result)
            else:
                on_ok(*result)
        self.ctx.write(lambda s: start_path.authenticate(s, staff_id, kind, secret), on_result=done, on_error=on_fail)

    def _forgot_passphrase(self) -> None:
        from desktop.views.recovery import show_recovery
        show_recovery(self, forgotten=True)

    def _forgot_admin(self) -> None:
        from desktop.views.admin_reset import open_admin_reset
        self._when_ready(lambda: open_admin_reset(self))

    def _sign_in(self, who: StaffInfo, kind: str, secret: str) -> None:
        self._when_ready(lambda: self._authenticate(who.id, kind, secret, self._signed_in,
                                                    self.sign_in_page.credentials.failed))

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
        self._closing = True
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


# --- the application object ---------------------------------------------------------------

def create_window(db_path: Path, *, demo: bool = False, settings: QSettings | None = None,
                  clock: Callable[[], float] = time.monotonic, quick_sign_in: bool = False) -> MainWindow:
    app = make_app()
    settings = settings or QSettings()
    install_language(app, chosen_language(settings))
    apply_theme(app, str(settings.value("theme", "light")))
    ctx = AppContext(Runner(), settings)
    return MainWindow(ctx, db_path, demo=demo, clock=clock, quick_sign_in=quick_sign_in)


def run(db_path: Path, *, demo: bool = False, check_start: bool = False) -> int:
    """``check_start``: report the first interactive page reached, then exit (desktop/start_check.py);
    it waits for the full open (the smoke test checks the database opens), so it shows no
    sign-in page read ahead of it."""
    app = make_app()
    setup_logging(data_dir())
    window = create_window(db_path, demo=demo, quick_sign_in=not check_start)
    if check_start:
        from desktop.start_check import StartCheck
        window.start_check = StartCheck(window)
    window.show()
    QTimer.singleShot(0, window.start)
    return app.exec()
