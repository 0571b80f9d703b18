"""Sync & settings → Backups, driven as a manager and an admin use it: how the last backup
went in words (and the managers' warning on every screen until a backup succeeds), "Back
up now", and "Restore…": the backup's date and counts and what was not yet synced, a
restore that only happens once confirmed."""

from datetime import timedelta

from core import clock, customers
from core.backup import run_backup
from core.db import StoreDatabase
from core.permissions import Role
from desktop.qt import QFontMetrics
from tests.desktop.conftest import PINS, sign_in


def open_settings(qtbot, make_window, path, person, role):
    w = make_window(path)
    sign_in(qtbot, w, person, PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("settings")
    return w, w.shell.screens["settings"].backup_panel


def test_a_failed_backup_is_shown_in_words_and_warned_about_until_one_succeeds(qtbot, gui_store, make_window,
                                                                                 tmp_path, still_clock):
    path, people = gui_store
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    db = StoreDatabase.open(path)
    try:
        try:
            run_backup(db, None, clock.now() - timedelta(hours=1), blocked / "backups")
        except Exception:       # noqa: BLE001 - the failure is what this test is about
            pass
    finally:
        db.close()
    w, panel = open_settings(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    qtbot.waitUntil(lambda: panel.state.text() != "", timeout=10000)
    assert panel.state.kind() == "error"
    assert panel.state.text().startswith("The last backup failed")
    assert "Orchard cannot write to this folder" in panel.state.text()
    # the manager sees the warning above every screen
    qtbot.waitUntil(lambda: w.shell.backup_notice.isVisible(), timeout=10000)
    assert "The last backup failed" in w.shell.backup_notice.text()
    assert not panel.restore_button.isVisible()          # restoring is for administrators
    # "Back up now" into the default folder: the failure and the warning go
    panel.now_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and "Last successful backup" in panel.state.text(),
                    timeout=20000)
    assert "failed" not in panel.state.text()
    qtbot.waitUntil(lambda: "The last backup failed" not in w.shell.backup_notice.text(), timeout=10000)
    backup = panel.model.row_at(0)
    assert backup.verified and backup.counts["customers"] == 2
    assert panel.model.data(panel.model.index(0, 1)) == "2"
    # this store has no recovery key (made before there were any): its backups are lost with
    # this computer, and the manager is told so, not shown a plain "checked"
    assert w.shell.backup_notice.isVisible()
    assert "backups can only be restored on this computer until an admin makes a recovery key" in \
        w.shell.backup_notice.text()
    assert "no recovery key" in panel.state.text() and panel.state.kind() == "warning"
    assert panel.model.data(panel.model.index(0, 6)) == "checked; restores only on this computer"
    # on the smallest counter screen every column is in view, no scrolling sideways, and each
    # heading's words are whole (a long heading wraps onto a second line)
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: panel.table.viewport().width() < 800, timeout=10000)
    header = panel.table.horizontalHeader()
    assert panel.table.horizontalScrollBar().maximum() == 0
    assert header.length() <= panel.table.viewport().width()
    font = header.font()
    font.setBold(True)
    metrics = QFontMetrics(font)
    for i, col in enumerate(panel.model.columns):
        widest = max(metrics.horizontalAdvance(word) for word in col.title.split())
        assert widest < header.sectionSize(i), col.title


def test_an_associate_sees_neither_the_panel_nor_the_warning(qtbot, gui_store, make_window, tmp_path,
                                                             still_clock):
    path, people = gui_store
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    db = StoreDatabase.open(path)
    try:
        try:
            run_backup(db, None, clock.now(), blocked / "backups")
        except Exception:       # noqa: BLE001 - a recorded failure
            pass
    finally:
        db.close()
    w, panel = open_settings(qtbot, make_window, path, people[Role.ASSOCIATE], Role.ASSOCIATE)
    qtbot.wait(300)
    assert not panel.isVisible()
    qtbot.waitUntil(lambda: w.backup_scheduler.status is not None, timeout=10000)
    assert w.backup_scheduler.status.last_error is not None
    assert not w.shell.backup_notice.isVisible()
    # the schedule's check (on the I/O pool) finds a backup due, writes it, and the failure is gone
    at = clock.now() + timedelta(hours=1)
    w.backup_scheduler.now = lambda: at
    with qtbot.waitSignal(w.backup_scheduler.backup_finished, timeout=30000) as finished:
        assert w.backup_scheduler.check()
    assert finished.args[0].created_at == at and finished.args[0].path.exists()
    qtbot.waitUntil(lambda: w.backup_scheduler.status.last_ok == at, timeout=10000)
    assert w.backup_scheduler.status.last_error is None
    assert w.backup_scheduler.check()            # nothing due now: no second backup
    qtbot.waitUntil(lambda: not w.backup_scheduler.running, timeout=10000)
    assert len(list(finished.args[0].path.parent.glob("*.orchard"))) == 1


def test_restore_shows_the_counts_and_needs_the_confirmation(qtbot, gui_store, make_window, still_clock):
    path, people = gui_store
    db = StoreDatabase.open(path)
    try:
        info = run_backup(db, None, clock.now() - timedelta(hours=3))
        from core import staff
        with db.session(write=True) as s:
            admin = staff.actor_for(staff.get_staff(s, people[Role.ADMIN].id))
            customers.create_customer(s, admin, given_name="After", family_name="Backup", phone="13800138009")
    finally:
        db.close()
    w, panel = open_settings(qtbot, make_window, path, people[Role.ADMIN], Role.ADMIN)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10000)
    assert panel.restore_button.isVisible()
    panel.table.selectRow(0)
    panel.restore_button.click()
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=10000)
    dialog = panel.dialog
    assert dialog.count_labels["customers"].text() == "2"
    assert dialog.count_labels["tickets"].text() == "0"
    assert dialog.pending_label.text() == str(info.pending)
    assert int(dialog.unsynced_label.text()) > info.pending        # the later customer never reached HQ
    assert "will be as it was at" in dialog.meaning.text()
    assert "does not sync with HQ" in dialog.meaning.text()
    # not confirmed: the button does nothing, and Enter restores nothing
    assert not dialog.restore_button.isEnabled()
    dialog.accept()
    assert dialog.isVisible()
    assert _customers(path) == 3
    dialog.confirm.setChecked(True)
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(panel.database_restored, timeout=30000) as restored:
        dialog.restore_button.click()
    report = restored.args[0]
    assert report.counts["customers"] == 2 and report.aside is not None and report.aside.exists()
    assert "is as it was at" in panel.restored_text
    assert _customers(path) == 2
    # the main window let go of the old file, opened the restored one, and asks who signs in
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.sign_in_page and w.ctx.db is not None
                    and not w.ctx.db.closed, timeout=20000)
    assert w.ctx.actor is None
    sign_in(qtbot, w, people[Role.ADMIN], PINS[Role.ADMIN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)


def _customers(path) -> int:
    from sqlalchemy import func, select

    from core.models import Customer
    db = StoreDatabase.open(path)
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(Customer))
    finally:
        db.close()


def test_a_restore_waits_for_the_sync_in_flight(qtbot, gui_store, make_window, still_clock, monkeypatch):
    """A sync already running holds the database handle and writes its pull cursor as it
    ends: the restore starts only once it has finished, so that write goes to the old file
    and the restored one pulls again from the backup's cursor."""
    import threading

    from core.models import SyncState
    from core.sync import client as sync_client
    from desktop.sync_service import SyncService
    path, people = gui_store
    db = StoreDatabase.open(path)
    try:
        run_backup(db, None, clock.now() - timedelta(hours=3))
    finally:
        db.close()
    w, panel = open_settings(qtbot, make_window, path, people[Role.ADMIN], Role.ADMIN)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and w.sync_service.status is not None, timeout=10000)
    started, release, wrote = threading.Event(), threading.Event(), []

    class SlowSync:         # a pull that takes its time, then moves the cursor
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def sync(self):
            started.set()
            release.wait(30)
            with self.handle.session(write=True) as s:
                s.merge(SyncState(key="sync.cursor", value="999"))
            wrote.append(True)
            return sync_client.SyncReport(0, 0, 0, 0, frozenset(), (), frozenset(), frozenset())
    monkeypatch.setattr(sync_client, "SyncClient", SlowSync)
    monkeypatch.setattr(SyncService, "_escalate", lambda self, handle: None)
    assert w.sync_service.sync_now(just_enrolled=True)
    assert started.wait(10)
    restored = []
    panel.database_restored.connect(restored.append)
    panel.table.selectRow(0)
    panel.restore_button.click()
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=10000)
    panel.dialog.confirm.setChecked(True)
    panel.dialog.restore_button.click()
    qtbot.waitUntil(lambda: panel.waiting, timeout=5000)
    qtbot.wait(800)
    assert restored == [] and not w.ctx.db.closed and panel.waiting
    assert "Waiting for the sync" in panel.state.text()
    release.set()
    qtbot.waitUntil(lambda: len(restored) == 1, timeout=30000)
    assert wrote == [True]
    assert restored[0].counts["customers"] == 2
    db = StoreDatabase.open(path)
    try:
        with db.session() as s:
            cursor = s.get(SyncState, "sync.cursor")
        assert cursor is None or cursor.value != "999"
    finally:
        db.close()
