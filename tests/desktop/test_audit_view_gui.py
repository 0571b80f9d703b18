"""A manager reads the audit trail on its own screen: filters by staff, pages through it,
and exports it for an auditor as CSV (with the chain's check and head), which the trail
records; an associate has no such screen."""

import csv
import io

from sqlalchemy import select

from core.models import AuditEvent
from core.permissions import Role
from desktop import shortcuts
from desktop.qt import QFileDialog
from desktop.views.audit import AuditScreen
from tests.desktop.conftest import PINS, sign_in


def signed_in(qtbot, make_window, path, person, role):
    w = make_window(path)
    sign_in(qtbot, w, person, PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    return w


def test_a_manager_filters_the_trail_by_staff_and_exports_it(qtbot, gui_store, make_window, tmp_path):
    path, people = gui_store
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    assert "audit" in w.shell.visible_keys()
    # Ctrl+8 reaches it: the eighth screen of the list
    assert w.shell.visible_keys().index("audit") == len(shortcuts.shortcut("go").keys) - 1
    assert w.shell.go("audit")
    screen = w.shell.screens["audit"]
    assert isinstance(screen, AuditScreen)
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0 and screen.staff.count() == 5, timeout=10000)
    everyone = screen.total
    actions = {screen.model.row_at(i).action for i in range(screen.model.rowCount())}
    assert "customer.create" in actions and "staff.created" in actions
    # the admin made the store, the staff and the customers; the manager only signed in
    screen.staff.setCurrentIndex(screen.staff.findText("Ada Admin"))
    screen.apply_button.click()
    qtbot.waitUntil(lambda: screen.total != everyone and screen.model.rowCount() > 0, timeout=10000)
    rows = [screen.model.row_at(i) for i in range(screen.model.rowCount())]
    assert {r.staff_name for r in rows} == {"Ada Admin"}
    words = {screen.model.index(i, 2).data() for i in range(screen.model.rowCount())}
    assert "Customer created" in words, "actions read in words"
    admin_rows = screen.total
    # export what the filter shows, through the file dialog
    screen.export_button.click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in screen.findChildren(QFileDialog)), timeout=5000)
    dialog = next(d for d in screen.findChildren(QFileDialog) if d.isVisible())
    target = tmp_path / "for-the-auditor.csv"
    dialog.fileSelected.emit(str(target))
    dialog.reject()
    qtbot.waitUntil(lambda: screen.export_path == str(target), timeout=10000)
    text = target.read_text("utf-8")
    assert "# chain check: ok: " in text                        # a manager checks the chain too
    assert "# chain head: seq=" in text
    body = list(csv.DictReader(io.StringIO("\n".join(ln for ln in text.splitlines() if not ln.startswith("#")))))
    assert len(body) == admin_rows and {r["staff"] for r in body} == {"Ada Admin"}
    assert "13800138000" not in text and "anna@example.com" not in text
    with w.ctx.db.session() as s:
        export = s.scalars(select(AuditEvent).where(AuditEvent.action == "audit.export")).one()
        assert export.staff_id == people[Role.MANAGER].id and export.detail == f"rows={admin_rows}"
    # the lock clears the screen
    w.lock()
    assert screen.model.rowCount() == 0


def test_an_associate_has_no_audit_screen(qtbot, gui_store, make_window):
    path, people = gui_store
    w = signed_in(qtbot, make_window, path, people[Role.ASSOCIATE], Role.ASSOCIATE)
    assert "audit" not in w.shell.visible_keys() and "audit" not in w.shell.screens
