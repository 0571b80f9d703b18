"""Every keyboard shortcut of the app in one table: the key, what it does, and where it
works (everywhere in the main window, one screen, or one dialog). The window, the shell
and the appointment views set their keys from here (``bind``, ``sequence``); F1 lists the
current screen's rows from here; README's "Keyboard shortcuts" section is this table. A
test walks the signed-in window and checks that its keys are these and none is given twice
in one place, so the help never disagrees with the keys.

Also here: tables give Tab back to the window (``TabLeavesTables``): a table's Tab moves
to the next widget instead of walking its cells, so the keyboard is never caught in one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.qt import QAbstractButton, QAbstractItemView, QAction, QCoreApplication, QEvent, QKeySequence, QObject

GLOBAL = ""   # the scope of the keys that work on every screen of the main window

# the places a key can work in, in the order the README lists them (screen keys, then dialogs)
SCOPES: dict[str, str] = {
    GLOBAL: QT_TRANSLATE_NOOP("Shortcuts", "Everywhere"),
    "customers": QT_TRANSLATE_NOOP("Shortcuts", "Customers"),
    "appointments": QT_TRANSLATE_NOOP("Shortcuts", "Appointments"),
    "bench": QT_TRANSLATE_NOOP("Shortcuts", "Bench"),
    "tradein": QT_TRANSLATE_NOOP("Shortcuts", "Trade-in"),
    "loyalty": QT_TRANSLATE_NOOP("Shortcuts", "Loyalty"),
    "reports": QT_TRANSLATE_NOOP("Shortcuts", "Reports"),
    "care": QT_TRANSLATE_NOOP("Shortcuts", "Customer care"),
    "settings": QT_TRANSLATE_NOOP("Shortcuts", "Sync & settings"),
    "audit": QT_TRANSLATE_NOOP("Shortcuts", "Audit trail"),
    "intake": QT_TRANSLATE_NOOP("Shortcuts", "Repair intake (dialog)"),
    "preview": QT_TRANSLATE_NOOP("Shortcuts", "Print preview (dialog)"),
}


@dataclass(frozen=True)
class Shortcut:
    id: str
    keys: tuple[str, ...]      # portable text ("Ctrl+Shift+L"); several keys for one row (Ctrl+1 … Ctrl+9)
    name: str                  # English; shown through translate("Shortcuts", name)
    scope: str                 # GLOBAL, a screen key, or a dialog in SCOPES

    def sequences(self) -> list[QKeySequence]:
        return [QKeySequence(k) for k in self.keys]

    def key_text(self) -> str:
        """The keys as the user reads them, in the platform's own words."""
        texts = [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys]
        return f"{texts[0]} … {texts[-1]}" if len(texts) > 2 else " / ".join(texts)

    def title(self) -> str:
        return QCoreApplication.translate("Shortcuts", self.name)


def _s(id_: str, keys: str, name: str) -> Shortcut:
    scope, _, _ = id_.rpartition(".")
    return Shortcut(id_, tuple(keys.split(" ")), name, scope)


TABLE: list[Shortcut] = [
    _s("help", "F1", QT_TRANSLATE_NOOP("Shortcuts", "Show the keyboard shortcuts of this screen")),
    _s("find", "Ctrl+F", QT_TRANSLATE_NOOP("Shortcuts", "Find a customer (the search box on top)")),
    _s("go", "Ctrl+1 Ctrl+2 Ctrl+3 Ctrl+4 Ctrl+5 Ctrl+6 Ctrl+7 Ctrl+8 Ctrl+9",
       QT_TRANSLATE_NOOP("Shortcuts", "Go to a screen by its place in the list on the left")),
    _s("lock", "Ctrl+L", QT_TRANSLATE_NOOP("Shortcuts", "Lock the counter")),
    _s("switch_user", "Ctrl+Shift+U", QT_TRANSLATE_NOOP("Shortcuts", "Switch user")),
    _s("quit", "Ctrl+Q", QT_TRANSLATE_NOOP("Shortcuts", "Quit Orchard")),
    _s("customers.new", "Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "New customer")),
    _s("customers.edit", "Ctrl+E", QT_TRANSLATE_NOOP("Shortcuts", "Edit the open customer")),
    _s("customers.book", "Ctrl+B", QT_TRANSLATE_NOOP("Shortcuts", "Book an appointment for the open customer")),
    _s("customers.intake", "Ctrl+R", QT_TRANSLATE_NOOP("Shortcuts", "Repair intake for the open customer")),
    _s("customers.tradein", "Ctrl+T", QT_TRANSLATE_NOOP("Shortcuts", "Trade-in for the open customer")),
    _s("customers.print", "Ctrl+P", QT_TRANSLATE_NOOP("Shortcuts", "Print the open customer's profile")),
    _s("appointments.new", "Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "New booking")),
    _s("appointments.refresh", "F5", QT_TRANSLATE_NOOP("Shortcuts", "Load the day again")),
    _s("appointments.previous", "Ctrl+PgUp", QT_TRANSLATE_NOOP("Shortcuts", "Previous day")),
    _s("appointments.next", "Ctrl+PgDown", QT_TRANSLATE_NOOP("Shortcuts", "Next day")),
    _s("appointments.today", "Ctrl+Home", QT_TRANSLATE_NOOP("Shortcuts", "Today")),
    _s("appointments.calendar", "Ctrl+D", QT_TRANSLATE_NOOP("Shortcuts", "Calendar view")),
    _s("appointments.list", "Ctrl+Shift+L", QT_TRANSLATE_NOOP("Shortcuts", "List view")),
    _s("appointments.check_in", "Ctrl+I", QT_TRANSLATE_NOOP("Shortcuts", "Check in the chosen appointment")),
    _s("appointments.start", "Ctrl+Shift+S", QT_TRANSLATE_NOOP("Shortcuts", "Start the service")),
    _s("appointments.done", "Ctrl+Shift+D", QT_TRANSLATE_NOOP("Shortcuts", "Mark the service done")),
    _s("appointments.no_show", "Ctrl+Shift+N", QT_TRANSLATE_NOOP("Shortcuts", "Mark a no-show")),
    _s("appointments.move", "Ctrl+M", QT_TRANSLATE_NOOP("Shortcuts", "Move the appointment")),
    _s("appointments.cancel", "Ctrl+Del", QT_TRANSLATE_NOOP("Shortcuts", "Cancel the appointment")),
    _s("appointments.walk_in", "Ctrl+Shift+W", QT_TRANSLATE_NOOP("Shortcuts", "Add a walk-in")),
    _s("appointments.call_next", "Ctrl+Shift+C", QT_TRANSLATE_NOOP("Shortcuts", "Call the next walk-in")),
    _s("bench.new", "Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "New repair intake")),
    _s("bench.refresh", "F5", QT_TRANSLATE_NOOP("Shortcuts", "Refresh")),
    _s("bench.back", "Alt+Left", QT_TRANSLATE_NOOP("Shortcuts", "Back to the board")),
    _s("tradein.new", "Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "New trade-in")),
    _s("loyalty.enrol", "Ctrl+E", QT_TRANSLATE_NOOP("Shortcuts", "Enrol a customer")),
    _s("loyalty.refresh", "F5", QT_TRANSLATE_NOOP("Shortcuts", "Refresh")),
    _s("loyalty.earn", "Ctrl+Shift+E", QT_TRANSLATE_NOOP("Shortcuts", "Earn points")),
    _s("loyalty.redeem", "Ctrl+Shift+R", QT_TRANSLATE_NOOP("Shortcuts", "Redeem points")),
    _s("reports.refresh", "F5", QT_TRANSLATE_NOOP("Shortcuts", "Refresh")),
    _s("care.refresh", "F5", QT_TRANSLATE_NOOP("Shortcuts", "Load the due list again")),
    _s("audit.refresh", "F5", QT_TRANSLATE_NOOP("Shortcuts", "Load the trail again")),
    _s("intake.save", "Ctrl+Return", QT_TRANSLATE_NOOP("Shortcuts", "Check in the device")),
    _s("preview.save", "Ctrl+S", QT_TRANSLATE_NOOP("Shortcuts", "Save as PDF")),
    _s("preview.print", "Ctrl+P", QT_TRANSLATE_NOOP("Shortcuts", "Print")),
]
BY_ID: dict[str, Shortcut] = {s.id: s for s in TABLE}


def shortcut(id_: str) -> Shortcut:
    return BY_ID[id_]


def sequence(id_: str) -> QKeySequence:
    """The (first) key of a row, for ``setShortcut``."""
    return BY_ID[id_].sequences()[0]


def bind(target: QAbstractButton | QAction, id_: str) -> None:
    """Give a button or action its key from the table."""
    target.setShortcut(sequence(id_))


def hint(id_: str) -> str:
    """The key as shown in a tool tip: "Ctrl+Shift+L"."""
    return BY_ID[id_].key_text()


def for_scope(scope: str) -> list[Shortcut]:
    return [s for s in TABLE if s.scope == scope]


def scope_title(scope: str) -> str:
    return QCoreApplication.translate("Shortcuts", SCOPES[scope])


def markdown() -> str:
    """README's list, in English: one line per place, each key with what it does."""
    lines = []
    for scope, title in SCOPES.items():
        rows = for_scope(scope)
        if rows:
            keys = [" … ".join((s.keys[0], s.keys[-1])) if len(s.keys) > 2 else " / ".join(s.keys) for s in rows]
            lines.append(f"- **{title}**: " + " · ".join(
                f"`{k}` {s.name[0].lower()}{s.name[1:]}" for k, s in zip(keys, rows)))
    return "\n".join(lines) + "\n"


class TabLeavesTables(QObject):
    """Installed on the application: every list or table, in every window and dialog, lets
    Tab move on to the next widget (a table walks its cells with Tab by default). The
    arrow keys still move inside it."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Polish and isinstance(obj, QAbstractItemView):
            obj.setTabKeyNavigation(False)
        return False
