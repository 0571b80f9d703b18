"""The frame the screens live in: navigation on the left (only what the role may use),
a global search box on top that also catches barcode scans, the screens in a stack."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

from core.permissions import Perm
from desktop import shortcuts
from desktop.context import AppContext
from desktop.qt import (
    QEvent, QHBoxLayout, QKeySequence, QLabel, QLineEdit, QListWidget, QListWidgetItem, QObject, QShortcut,
    QSize, QStackedWidget, Qt, QTimer, QVBoxLayout, QWidget, Signal,
)
from desktop.labels import label
from desktop.resources import icon
from desktop.views.base import Screen
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from collections.abc import Iterator

    from desktop.scan_router import ScanRouter

# The screens load when first needed (the first sign-in, or warm_up while the sign-in page
# waits for a PIN), never at start: their modules are most of the app (issue 25).
# The audit trail ninth: managers reach it by Ctrl+9, and every other screen keeps its key;
# the customer insights and marketing lists (issue 23) come after it, reached from the list.
SCREEN_CLASSES = (
    ("desktop.views.customers", "CustomersScreen"), ("desktop.views.appointments", "AppointmentsScreen"),
    ("desktop.views.bench", "BenchScreen"), ("desktop.views.tradein", "TradeInScreen"),
    ("desktop.views.loyalty", "LoyaltyScreen"), ("desktop.views.reports", "ReportsScreen"),
    ("desktop.views.care", "CareScreen"), ("desktop.views.settings", "SettingsScreen"),
    ("desktop.views.audit", "AuditScreen"), ("desktop.views.crm.dashboard", "DashboardScreen"),
    ("desktop.views.crm.lists", "ListsScreen"),
)
# What the screens pull in, heaviest first, one import per step of warm_up, so no step holds
# the event loop long while someone types a PIN (a name missing here still loads with its screen).
WARM_UP = ("phonenumbers", "email_validator", "httpx", "core.sync.connection", "core.appointments",
           "core.care", "core.repairs", "core.loyalty", "core.scan", "desktop.scan_router", "core.crm",
           "core.report_data", "core.privacy")


def screen_classes() -> list[type[Screen]]:
    """The screens in navigation order (tests may replace ``SCREENS`` with their own list)."""
    found = globals().get("SCREENS")
    if found is None:
        found = [getattr(importlib.import_module(module), name) for module, name in SCREEN_CLASSES]
        globals()["SCREENS"] = found
    return list(found)


def __getattr__(name: str) -> object:
    if name == "SCREENS":
        return screen_classes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def warm_up() -> Iterator[None]:
    """Import what the screens need, one module a step (``next`` runs one)."""
    for module in (*WARM_UP, *(m for m, _ in SCREEN_CLASSES)):
        if module not in sys.modules:
            try:
                importlib.import_module(module)
            except ImportError:     # a name gone from the list: its screen loads (and says why) on sign-in
                pass
            yield
    screen_classes()


_warming: list[Iterator[None]] = []


def warm_up_later(owner: QObject) -> None:
    """Run warm_up a step per turn of the event loop while ``owner`` lives; once a process."""
    if _warming:
        return
    _warming.append(warm_up())

    def step() -> None:
        try:
            next(_warming[0])
        except StopIteration:
            return
        QTimer.singleShot(0, owner, step)
    QTimer.singleShot(0, owner, step)


class ScanCatcher(QObject):
    """A barcode scanner is a keyboard: when printable keys arrive while no text field has
    focus, they go to the search box, so scanning a card or IMEI finds the customer."""

    def __init__(self, shell: "ShellPage") -> None:
        super().__init__(shell)
        self.shell = shell

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.shell.isVisible():
            return False
        text = event.text()
        if not text or not text.isprintable() or event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        # the widget the key is for, not the main window's remembered focus: with a dialog open
        # the main window still remembers its last focus (a button), and a key typed in the
        # dialog belongs to the dialog
        if not isinstance(obj, QWidget) or obj.window() is not self.shell.window():
            return False
        focus = obj
        if isinstance(focus, QLineEdit) or focus.inherits("QAbstractSpinBox") \
                or focus.inherits("QTextEdit") or focus.inherits("QPlainTextEdit") or focus.inherits("QComboBox"):
            return False
        if not self.shell.isAncestorOf(focus):
            return False
        # a scan is a new search: it replaces what the box held, it is never appended to it
        self.shell.search.setFocus()
        self.shell.search.setText(text)
        return True


class ShellPage(QWidget):
    built = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shell")
        self.ctx = ctx
        root = QHBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(200)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)    # Tab reaches it; the arrows then move in it
        self.nav.currentRowChanged.connect(self._show_row)
        root.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        top = QWidget()
        top.setObjectName("topBar")
        tl = QHBoxLayout(top)
        tl.setContentsMargins(16, 8, 16, 8)
        self.search = QLineEdit()
        self.search.setObjectName("globalSearch")
        self.search.setClearButtonEnabled(True)
        self.retranslate()
        self.search.returnPressed.connect(self._global_search)
        tl.addWidget(self.search, 1)
        self.who = QLabel()
        self.who.setObjectName("whoLabel")
        tl.addWidget(self.who)
        right.addWidget(top)
        # the managers' warning while backups fail or are overdue (desktop/backup_scheduler.py)
        self.backup_notice = MessageBanner("warning")
        self._backup_warning: str | None = None
        right.addWidget(self.backup_notice)
        self.stack = QStackedWidget()
        right.addLayout(self._wrap(self.stack))
        root.addLayout(right, 1)
        self.screens: dict[str, Screen] = {}
        self._visible_keys: list[str] = []
        self._moves = 0             # every move between screens: a pending move to Customer care yields to it
        # the keys come from desktop/shortcuts.py, the table F1 and the README show
        QShortcut(shortcuts.sequence("find"), self, activated=self.focus_search)
        for i, key in enumerate(shortcuts.shortcut("go").sequences()):
            QShortcut(key, self, activated=lambda i=i: self.go_index(i))
        # Tab order: the list of screens, the search box, then the screen
        self.setTabOrder(self.nav, self.search)
        self.scan_catcher = ScanCatcher(self)
        self._scans: ScanRouter | None = None

    @property
    def scans(self) -> ScanRouter:
        """Opens what a scanned or typed code names (made on first use: core.scan is large)."""
        if self._scans is None:
            from desktop.scan_router import ScanRouter
            self._scans = ScanRouter(self)
        return self._scans

    @staticmethod
    def _wrap(widget: QWidget) -> QVBoxLayout:
        lay = QVBoxLayout()
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(widget)
        return lay

    def build(self) -> None:
        """(Re)build the screens for the signed-in role: what it may not use is not there."""
        self.nav.blockSignals(True)
        self.nav.clear()
        while self.stack.count():
            w = self.stack.widget(0)
            self.stack.removeWidget(w)
            w.deleteLater()
        self.screens.clear()
        self._visible_keys = []
        for cls in screen_classes():
            if cls.perm is not None and not self.ctx.can(cls.perm):
                continue
            screen = cls(self.ctx)
            self.screens[cls.key] = screen
            self._visible_keys.append(cls.key)
            self.stack.addWidget(screen)
            item = QListWidgetItem(icon(cls.icon), screen.title())
            item.setData(Qt.ItemDataRole.UserRole, cls.key)
            n = len(self._visible_keys)
            go = shortcuts.shortcut("go").sequences()
            item.setToolTip(f"{screen.title()} ({go[n - 1].toString(QKeySequence.SequenceFormat.NativeText)})"
                            if n <= len(go) else screen.title())
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        appointments = self.screens.get("appointments")
        if appointments is not None and hasattr(appointments, "intake_requested"):
            appointments.intake_requested.connect(self._open_intake)
        self.search.setVisible(self.ctx.can(Perm.VIEW_CUSTOMERS))
        self.retranslate()      # a language switch rebuilds the shell: its own words follow
        actor = self.ctx.actor
        self.who.setText(f"{actor.display_name} · {label(actor.role.value)}" if actor else "")
        self.show_backup_warning(self._backup_warning)
        self.built.emit()

    def show_backup_warning(self, text: str | None) -> None:
        """A failed or missed backup, shown to managers and admins until a backup succeeds
        (``desktop.views.backup_panel.backup_warning``; None: backups are fine)."""
        self._backup_warning = text
        self.backup_notice.setText(text if text and self.ctx.can(Perm.MANAGE_BACKUPS) else "")

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Find a customer (name, phone, email, IMEI, member card) "
                                               "or scan a ticket or voucher (Ctrl+F)"))
        self.nav.setAccessibleName(self.tr("Screens"))

    def _open_intake(self, appointment: object) -> None:
        """Checking in a repair appointment starts the repair intake for it."""
        from desktop.views.intake import IntakeDialog
        IntakeDialog(self.ctx, customer_id=getattr(appointment, "customer_id", None),
                     appointment_id=getattr(appointment, "id", None), parent=self).open()

    def visible_keys(self) -> list[str]:
        return list(self._visible_keys)

    def current_key(self) -> str | None:
        w = self.stack.currentWidget()
        return w.key if isinstance(w, Screen) else None

    def go(self, key: str) -> bool:
        self._moves += 1
        if key not in self._visible_keys:
            return False
        self.nav.setCurrentRow(self._visible_keys.index(key))
        return True

    def go_home(self) -> None:
        """After sign-in: the first screen, or Customer care for a role that works complaints
        when anything there is due or overdue (asked in a worker; the first screen shows
        meanwhile; once the user or a scan moved elsewhere in that moment, it stays there)."""
        self.go_index(0)
        if "care" not in self._visible_keys:
            return
        from core.care import due
        actor, moves = self.ctx.actor, self._moves

        def anything_due(items: list[object]) -> None:
            if items and not self.ctx.locked and self._moves == moves:
                self.go("care")
        self.ctx.read(lambda s: due.due_list(s, actor, limit=1), on_result=anything_due, owner=self)

    def go_index(self, index: int) -> None:
        self._moves += 1
        if 0 <= index < len(self._visible_keys):
            self.nav.setCurrentRow(index)

    def _show_row(self, row: int) -> None:
        self._moves += 1
        if row < 0:
            return
        screen = self.screens[self._visible_keys[row]]
        self.stack.setCurrentWidget(screen)
        screen.activate()

    def focus_search(self) -> None:
        if self.search.isVisible():
            self.search.setFocus()
            self.search.selectAll()

    def _global_search(self) -> None:
        text = self.search.text().strip()
        if not text or "customers" not in self.screens:
            return
        self.search.clear()
        self.open_scan(text)

    def open_scan(self, text: str) -> None:
        """Open what a scanned or typed code names (desktop/scan_router.py)."""
        self.scans.open(text)

    def clear_sensitive(self) -> None:
        self.search.clear()
        for screen in self.screens.values():
            screen.clear_sensitive()

    def restore(self) -> None:
        screen = self.stack.currentWidget()
        if isinstance(screen, Screen):
            screen.restore()
