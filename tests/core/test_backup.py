"""Backups that restore: written and checked, described by a sidecar, failures shown until a
success, a missed schedule seen as overdue, pruned, and put back in place of the database
(the current file kept aside), after a key rotation and with the recovery key alone."""

import json
import shutil
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import audit, clock, customers, staff
from core.backup import (
    BackupDamaged, BackupFailed, due, keys, list_backups, preview, restore, run_backup, status,
)
from core.backup import files as backup_files
from core.backup.schedule import configure
from core.db import StoreDatabase
from core.errors import PermissionDenied, ValidationError
from core.models import AuditEvent, Customer, Store
from core.permissions import Actor, Role
from tests.conftest import FAST_KDF

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
PASS = "test-passphrase"


def add_customer(db, actor, given, phone):
    with db.session(write=True) as s:
        return customers.create_customer(s, actor, given_name=given, family_name="Backup", phone=phone).id


def names(db):
    with db.session() as s:
        return sorted(s.scalars(select(Customer.given_name)))


@pytest.fixture
def shop(store_setup, tmp_path):
    db, store_id, admin = store_setup
    # roles are what the checks read; no staff rows needed (their password hashing is slow)
    manager = Actor(uuid.uuid4(), store_id, Role.MANAGER, "Mia Manager")
    associate = Actor(uuid.uuid4(), store_id, Role.ASSOCIATE, "Ali Associate")
    add_customer(db, admin, "Anna", "+44 20 7946 0958")
    add_customer(db, admin, "伟", "13800138000")
    folder = tmp_path / "backups"
    return db, admin, manager, associate, folder


def test_a_backup_is_checked_described_and_opens_with_its_own_key(shop):
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    assert info.path.parent == folder and info.path.name == "orchard-SH01-20261124T090000Z.orchard"
    assert info.verified and info.problem is None
    assert dict(info.counts) == {"customers": 2, "tickets": 0, "appointments": 0, "loyalty_entries": 0}
    side = json.loads(backup_files.sidecar_path(info.path).read_text("utf-8"))
    assert side["counts"]["customers"] == 2 and side["db_id"] == db.db_id and side["store_code"] == "SH01"
    assert side["created_at"] == NOW.isoformat() and side["size"] == info.path.stat().st_size
    assert side["schema"] and side["pending"] == info.pending > 0    # never synced: every change waits
    # encrypted, and neither file says who the customers are
    raw = info.path.read_bytes()
    assert not raw.startswith(b"SQLite format 3") and b"Anna" not in raw
    sidecar_text = backup_files.sidecar_path(info.path).read_text("utf-8")
    for personal in ("Anna", "7946", "13800138000", "伟"):
        assert personal not in sidecar_text
    # the key: wrapped under the master key kept inside the database, never the database key
    master = keys.master_key(db, create=False)
    key = keys.unwrap(master, side["keys"]["master"], db.db_id)
    conn = backup_files.open_copy(info.path, key)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 2
    finally:
        conn.close()
    with pytest.raises(Exception):
        backup_files.open_copy(info.path, db._key).execute("SELECT count(*) FROM customer").fetchone()
    st = status(db, NOW)
    assert st.last_ok == NOW and st.last_error is None and not st.overdue
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "backup.written")) == 1


def damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = bytes(4096)
    path.write_bytes(bytes(data))


def test_a_damaged_copy_fails_and_the_failure_shows_until_the_next_success(shop, monkeypatch):
    db, admin, manager, _, folder = shop
    real = StoreDatabase.export_to

    def damaged(self, dest, key, snapshot=None):
        seen = real(self, dest, key, snapshot)
        damage_middle(Path(dest))          # a disk that wrote garbage
        return seen
    monkeypatch.setattr(StoreDatabase, "export_to", damaged)
    with pytest.raises(BackupDamaged):
        run_backup(db, manager, NOW, folder)
    assert list(folder.iterdir()) == []        # no damaged file left looking like a backup
    st = status(db, NOW + timedelta(hours=1))
    assert st.last_error is not None and st.last_error.at == NOW and "damaged" in st.last_error.message
    assert st.last_ok is None
    # still shown hours later, and the schedule tries again after the retry pause
    assert status(db, NOW + timedelta(hours=5)).last_error is not None
    assert not due(db, NOW + timedelta(minutes=10)) and due(db, NOW + timedelta(minutes=31))
    monkeypatch.setattr(StoreDatabase, "export_to", real)
    later = NOW + timedelta(hours=6)
    run_backup(db, manager, later, folder)
    st = status(db, later)
    assert st.last_error is None and st.last_ok == later


def test_a_folder_that_cannot_be_written_is_recorded_in_words(shop, tmp_path):
    db, _, manager, _, _ = shop
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(ValidationError) as refused:
        run_backup(db, manager, NOW, blocked / "inside")
    assert refused.value.field == "folder"
    problem = status(db, NOW).last_error
    assert problem is not None and problem.template == "Orchard cannot write to this folder; choose another one"


def test_a_missed_schedule_is_overdue_and_due(shop):
    db, _, manager, _, folder = shop
    configure(db, manager, folder=folder, every_hours=24, now=NOW)
    run_backup(db, None, NOW)                  # the scheduler: into the configured folder
    assert len(list_backups(folder)) == 1
    assert not due(db, NOW + timedelta(hours=23))
    assert due(db, NOW + timedelta(hours=24, minutes=1))
    assert not status(db, NOW + timedelta(hours=25)).overdue       # within every_hours + 2 h
    late = status(db, NOW + timedelta(hours=26, minutes=1))
    assert late.overdue and late.last_ok == NOW and late.last_error is None


def test_a_store_never_backed_up_becomes_overdue(store_setup):
    db, _, _ = store_setup
    with db.session() as s:
        created = s.scalar(select(func.min(Store.created_at)))
    assert due(db, created)
    assert not status(db, created + timedelta(hours=25)).overdue
    assert status(db, created + timedelta(hours=27)).overdue


def test_settings_are_checked_and_need_a_manager(shop, tmp_path):
    db, _, manager, associate, _ = shop
    with pytest.raises(PermissionDenied):
        configure(db, associate, folder=tmp_path / "b", every_hours=12, now=NOW)
    with pytest.raises(PermissionDenied):
        run_backup(db, associate, NOW, tmp_path / "b")
    with pytest.raises(ValidationError) as refused:
        configure(db, manager, folder=tmp_path / "b", every_hours=0, now=NOW)
    assert refused.value.field == "every_hours"
    with pytest.raises(ValidationError) as refused:
        configure(db, manager, folder="relative/folder", every_hours=12, now=NOW)
    assert refused.value.field == "folder"
    st = configure(db, manager, folder=tmp_path / "b", every_hours=12, now=NOW)
    assert st.folder == tmp_path / "b" and st.folder_chosen and st.every_hours == 12
    st = configure(db, manager, folder=None, every_hours=6, now=NOW)
    assert st.folder == db.path.parent / "backups" and not st.folder_chosen


def test_the_list_is_newest_first_with_counts_and_old_backups_are_pruned(shop):
    db, admin, manager, _, folder = shop
    times = [NOW + timedelta(hours=12 * i) for i in range(12)]      # six days, two a day
    for i, when in enumerate(times):
        if i == 6:
            add_customer(db, admin, "Later", "13800138001")
        run_backup(db, manager, when, folder)
    listed = list_backups(folder)
    # the newest of each day is kept; the earlier one of each day went, with its sidecar
    assert [b.created_at for b in listed] == sorted(times[1::2], reverse=True)
    assert [b.counts["customers"] for b in listed] == [3, 3, 3, 2, 2, 2]
    assert len(list(folder.glob("*.orchard.json"))) == len(listed) == 6
    assert all(b.verified for b in listed)


def test_restore_puts_the_backup_in_place_and_keeps_the_current_file_aside(shop, tmp_path):
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    add_customer(db, admin, "AfterBackup", "13800138002")
    path = db.path
    with pytest.raises(PermissionDenied):
        restore(path, info.path, actor=manager, now=NOW, current=db)      # admins only
    seen = preview(info.path, current=db)
    assert seen.backup.counts["customers"] == 2 and not seen.needs_code and not seen.enrolled
    assert seen.unsynced_here > seen.backup.pending      # the later customer never reached HQ
    report = restore(path, info.path, actor=admin, now=NOW + timedelta(hours=1), current=db)
    assert report.backup_created_at == NOW and report.counts["customers"] == 2
    assert report.aside is not None and report.aside.name == "store.db.before-restore-20261124T100000Z"
    assert any("as it was at 2026-11-24 09:00" in w for w in report.words())
    restored = StoreDatabase.open(path, passphrase=PASS)
    try:
        assert names(restored) == ["Anna", "伟"]
        assert restored.integrity_check() == "ok"
        with restored.session() as s:
            assert audit.epoch(s) == 2          # declared, so HQ records the trail's new start
            actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq.desc()).limit(2)))
            assert actions == ["backup.restored", "audit.epoch_start"]
            assert audit.verify(s, admin).ok
        # the backup settings and status of the database it replaced are kept
        assert status(restored, NOW + timedelta(hours=1)).last_ok == NOW
    finally:
        restored.close()
    # the file it replaced, with its key information, opens and holds the later change
    shutil.copy2(str(report.aside) + ".meta.json", tmp_path / "aside.db.meta.json")
    shutil.copy2(report.aside, tmp_path / "aside.db")
    aside = StoreDatabase.open(tmp_path / "aside.db", passphrase=PASS)
    try:
        assert "AfterBackup" in names(aside)
    finally:
        aside.close()


def test_restore_still_works_after_the_database_key_was_rotated(shop):
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    db.rekey("a brand new passphrase", FAST_KDF)   # the backup master key is inside the file: unchanged
    add_customer(db, admin, "AfterRotation", "13800138003")
    assert not preview(info.path, current=db).needs_code
    restore(db.path, info.path, actor=admin, now=NOW + timedelta(hours=2), current=db)
    restored = StoreDatabase.open(db.path, passphrase="a brand new passphrase")
    try:
        assert names(restored) == ["Anna", "伟"]
    finally:
        restored.close()


def test_a_backup_damaged_after_it_was_written_is_refused_and_nothing_changes(shop):
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    damage_middle(info.path)
    before = db.path.read_bytes()
    with pytest.raises(BackupDamaged):
        restore(db.path, info.path, actor=admin, now=NOW, current=db)
    assert db.path.read_bytes() == before and not list(db.path.parent.glob("*.before-restore-*"))
    assert names(db) == ["Anna", "伟"]


def test_a_backup_of_another_database_needs_its_recovery_key(shop, _template_db, tmp_path):
    db, admin, manager, _, folder = shop
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    for f in _template_db.iterdir():
        if f.name.endswith((".db", ".json")):
            shutil.copy2(f, other_dir / f.name)
    other = StoreDatabase.open(other_dir / "store.db", passphrase=PASS)
    try:
        _, _, other_admin = staff.bootstrap_store(other, code="BJ02", name="Other", timezone="Asia/Shanghai",
                                                  country="CN", admin_name="Bo Admin", admin_password="admin-pass-2",
                                                  admin_pin="1212")
        foreign = run_backup(other, other_admin, NOW, tmp_path / "other-backups")
    finally:
        other.close()
    assert preview(foreign.path, current=db).needs_code
    with pytest.raises(BackupFailed):
        restore(db.path, foreign.path, actor=admin, now=NOW, current=db)
    assert names(db) == ["Anna", "伟"]


def test_restore_with_the_recovery_key_when_the_database_is_gone(tmp_path, memory_keyring):
    from core.recovery import new_code
    from core.vault import Vault
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)                              # key in the (test) keyring
    db, _, admin = staff.bootstrap_store(db, code="SH01", name="Orchard Test Store", timezone="Asia/Shanghai",
                                         country="CN", admin_name="Ada Admin", admin_password="admin-pass-1",
                                         admin_pin="1111")
    code = new_code()
    db.enable_recovery(code)
    add_customer(db, admin, "Anna", "+44 20 7946 0958")
    info = run_backup(db, admin, NOW, tmp_path / "backups")
    assert info.recoverable_with_code
    db_id = db.db_id
    db.close()
    # the computer is lost: the database, its key information and its keyring entry
    Vault(path).forget()
    for suffix in ("", "-wal", "-shm", ".meta.json"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with pytest.raises(PermissionDenied):
        restore(path, info.path, actor=None, now=NOW)           # no one signed in and no code
    with pytest.raises(BackupFailed):
        restore(path, info.path, actor=None, now=NOW, recovery_code=new_code())
    assert not path.exists()
    report = restore(path, info.path, actor=None, now=NOW + timedelta(days=1), recovery_code=code)
    assert report.aside is None and report.counts["customers"] == 1
    restored = StoreDatabase.open(path)                          # the new key is in the keyring
    try:
        assert restored.db_id == db_id                           # the same database: HQ and keyring names hold
        assert names(restored) == ["Anna"]
        with restored.session() as s:
            assert audit.epoch(s) == 2
            assert audit.verify(s, admin).ok
    finally:
        restored.close()
    # the printed code still opens the restored database (sealed to its new key)
    from core.recovery import unseal
    assert unseal(path, code)


def test_the_commands_back_up_list_and_restore_after_an_admin_signs_in(shop, monkeypatch, capsys):
    """``orchard backup``, ``orchard backups``, ``orchard restore FILE`` (no display: the
    desktop CLI module imports no Qt on these paths)."""
    import io
    import sys

    from desktop.cli import main
    db, admin, _, _, folder = shop
    path = db.path
    db.close()
    monkeypatch.setenv("ORCHARD_PASSPHRASE", PASS)
    with clock.pinned(NOW):
        assert main(["--db", str(path), "backup", "--folder", str(folder)]) == 0
    assert "2 customers" in capsys.readouterr().out
    [written] = list(folder.glob("*.orchard"))
    assert written.name == "orchard-SH01-20261124T090000Z.orchard"
    assert main(["backups", "--folder", str(folder), "--db", str(path)]) == 0
    assert written.name in capsys.readouterr().out
    later = StoreDatabase.open(path, passphrase=PASS)
    add_customer(later, admin, "AfterBackup", "13800138005")
    later.close()
    # a wrong password is refused and nothing changes; not typing RESTORE changes nothing either
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\nwrong-password\n"))
    assert main(["restore", str(written), "--db", str(path)]) == 3
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\nadmin-pass-1\nno\n"))
    assert main(["restore", str(written), "--db", str(path)]) == 3
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\nadmin-pass-1\nRESTORE\n"))
    with clock.pinned(NOW + timedelta(hours=1)):
        assert main(["restore", str(written), "--db", str(path)]) == 0
    assert (path.parent / "store.db.before-restore-20261124T100000Z").exists()
    out = capsys.readouterr().out
    assert "Restored." in out and "2 customers" in out
    restored = StoreDatabase.open(path, passphrase=PASS)
    try:
        assert names(restored) == ["Anna", "伟"]
    finally:
        restored.close()


def test_a_handle_closed_by_a_restore_refuses_every_later_use(shop):
    """A write queued on the old handle must not land in the restored file (the same name,
    opened by the same key): it raises, and the restored file does not have it."""
    from core.db import DatabaseClosed
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    restore(db.path, info.path, actor=admin, now=NOW + timedelta(hours=1), current=db)
    with pytest.raises(DatabaseClosed):
        add_customer(db, admin, "LateWrite", "13800138011")
    with pytest.raises(DatabaseClosed):
        with db.session() as s:
            s.scalar(select(func.count()).select_from(Customer))
    with pytest.raises(DatabaseClosed):
        with db.session(write=True, bulk=True):
            pass
    with pytest.raises(DatabaseClosed):
        db.integrity_check()
    db.close()                                   # closing twice is harmless
    restored = StoreDatabase.open(db.path, passphrase=PASS)
    try:
        assert names(restored) == ["Anna", "伟"]
    finally:
        restored.close()


def test_with_no_one_signed_in_the_code_must_be_the_stores(shop):
    """No actor: the recovery code is the only authority, so a code that is not the store's
    is refused even when the current database could open the backup by itself."""
    from core.errors import WrongKey
    from core.recovery import new_code
    db, admin, manager, _, folder = shop
    old = run_backup(db, manager, NOW, folder)          # made before the store had a recovery key
    assert not old.recoverable_with_code
    add_customer(db, admin, "AfterBackup", "13800138012")
    for bad in ("not-a-code", new_code()):               # a typo; a well-formed code (no recovery key yet)
        with pytest.raises(ValidationError):
            restore(db.path, old.path, actor=None, now=NOW, current=db, recovery_code=bad)
    with pytest.raises(PermissionDenied):
        restore(db.path, old.path, actor=None, now=NOW, current=db)
    code = new_code()
    db.enable_recovery(code)
    sealed = run_backup(db, manager, NOW + timedelta(hours=1), folder / "later")   # the first is kept
    assert sealed.recoverable_with_code
    other = new_code()
    with pytest.raises(BackupFailed):                    # the backup's box does not open with it
        restore(db.path, sealed.path, actor=None, now=NOW, current=db, recovery_code=other)
    with pytest.raises((BackupFailed, WrongKey)):        # nor the store's key information
        restore(db.path, old.path, actor=None, now=NOW, current=db, recovery_code=other)
    assert "AfterBackup" in names(db) and not list(db.path.parent.glob("*.before-restore-*"))
    # the store's own code: the older backup opens through the current database
    report = restore(db.path, old.path, actor=None, now=NOW + timedelta(hours=2), current=db, recovery_code=code)
    assert report.counts["customers"] == 2
    restored = StoreDatabase.open(db.path, passphrase=PASS)
    try:
        assert names(restored) == ["Anna", "伟"]
        with restored.session() as s:
            detail = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "backup.restored"))
        assert detail.endswith("method=recovery_key")
    finally:
        restored.close()


def test_a_store_without_a_recovery_key_is_told_its_backups_need_this_computer(shop):
    from core.recovery import new_code
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    st = status(db, NOW)
    assert st.no_recovery_key and st.last_error is None and not st.overdue
    assert info.verified and not info.recoverable_with_code
    db.enable_recovery(new_code())
    assert not status(db, NOW).no_recovery_key
    assert run_backup(db, manager, NOW + timedelta(hours=1), folder).recoverable_with_code


def _aside_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if ".before-restore-" in p.name)


def test_a_failure_at_the_swap_leaves_the_database_as_it_was(shop, monkeypatch):
    """The copy takes the database's name in the last step; when that step fails, the current
    database (its key information too) is in place as before and no aside name is left."""
    import os as real_os
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    add_customer(db, admin, "AfterBackup", "13800138013")
    path = db.path
    meta_before = Path(str(path) + ".meta.json").read_bytes()
    replace = real_os.replace

    def failing(src, dst, *a, **kw):
        if Path(dst) == path:
            raise OSError(28, "No space left on device")
        return replace(src, dst, *a, **kw)
    monkeypatch.setattr(real_os, "replace", failing)
    with pytest.raises(OSError):
        restore(path, info.path, actor=admin, now=NOW + timedelta(hours=1), current=db)
    monkeypatch.setattr(real_os, "replace", replace)
    assert path.exists() and Path(str(path) + ".meta.json").read_bytes() == meta_before
    assert _aside_files(path) == [] and not list(path.parent.glob(".store.db.restoring*"))
    again = StoreDatabase.open(path, passphrase=PASS)
    try:
        assert "AfterBackup" in names(again)
    finally:
        again.close()


CRASH = """
import os, sys, uuid
from datetime import datetime, timezone
from pathlib import Path
from core.backup import restore
from core.db import StoreDatabase
from core.permissions import Actor, Role
path, backup, staff_id, store_id = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
replace = os.replace
def crash(src, dst, *a, **kw):
    if Path(dst) == path:
        os._exit(9)               # the power goes: no clean-up runs
    return replace(src, dst, *a, **kw)
os.replace = crash
db = StoreDatabase.open(path, passphrase="test-passphrase")
admin = Actor(uuid.UUID(staff_id), uuid.UUID(store_id), Role.ADMIN, "Ada Admin")
restore(path, backup, actor=admin, now=datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc), current=db)
"""


def test_a_crash_in_the_middle_of_a_restore_leaves_a_database_and_the_restore_can_be_run_again(shop, tmp_path):
    import subprocess
    import sys
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    add_customer(db, admin, "AfterBackup", "13800138014")
    path = db.path
    db.close()
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(script), str(path), str(info.path), str(admin.staff_id),
                           str(admin.store_id)], cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    # the crash came between keeping the current files aside and the copy taking the name
    assert path.exists() and _aside_files(path) == ["store.db.before-restore-20261124T100000Z",
                                                    "store.db.before-restore-20261124T100000Z.meta.json"]
    current = StoreDatabase.open(path, passphrase=PASS)
    try:
        assert "AfterBackup" in names(current)
        report = restore(path, info.path, actor=admin, now=NOW + timedelta(hours=2), current=current)
    finally:
        current.close()
    assert report.aside is not None and report.aside.name == "store.db.before-restore-20261124T110000Z"
    restored = StoreDatabase.open(path, passphrase=PASS)
    try:
        assert names(restored) == ["Anna", "伟"]
    finally:
        restored.close()


def test_backup_problems_reach_the_screen_as_whole_translatable_messages(shop, tmp_path):
    """No English fragment or OS error text is passed as a value: each problem is a whole
    template that scripts/extract_core_messages.py collects for translation."""
    import errno
    import importlib.util

    from core.backup import schedule
    spec = importlib.util.spec_from_file_location(
        "extract_core_messages", Path(__file__).resolve().parents[2] / "scripts" / "extract_core_messages.py")
    extractor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extractor)
    collected = set(extractor.messages())
    db, _, manager, _, folder = shop
    problem = schedule.record_failure(db, OSError(errno.ENOSPC, "No space left on device"), NOW)
    assert problem.params == {} and problem.template in collected
    assert problem.message == "the backup could not be written: the backup folder's disk is full"
    problem = schedule.record_failure(db, OSError(errno.EACCES, "Permission denied"), NOW)
    assert problem.params == {} and "cannot be written" in problem.message and problem.template in collected
    problem = schedule.record_failure(db, RuntimeError("some English detail"), NOW)
    assert problem.params == {} and problem.template in collected
    info = run_backup(db, manager, NOW, folder)
    backup_files.sidecar_path(info.path).write_text("not json")
    with pytest.raises(BackupDamaged) as refused:
        restore(db.path, info.path, actor=shop[1], now=NOW, current=db)
    assert refused.value.params == {} and refused.value.template in collected
    assert refused.value.template == "this backup cannot be restored: its description file is missing or unreadable"
    for template in backup_files._PROBLEM_REASONS.values():
        assert template in collected


def test_restore_of_a_passphrase_store_never_takes_the_recovery_route(shop, monkeypatch, capsys):
    """``orchard restore`` in a script without ORCHARD_PASSPHRASE fails and names it (it does
    not treat the store as lost and put it under a keyring key); on a terminal it asks."""
    import io
    import sys

    from core.vault import Vault
    from desktop import backup_cli
    from desktop.cli import main
    db, admin, manager, _, folder = shop
    info = run_backup(db, manager, NOW, folder)
    add_customer(db, admin, "AfterBackup", "13800138015")
    path = db.path
    db.close()
    monkeypatch.delenv("ORCHARD_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("SOME-RECOVERY-CODE\nRESTORE\n"))
    assert main(["restore", str(info.path), "--db", str(path), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "ORCHARD_PASSPHRASE" in err and "recovery key" not in err.lower()
    assert Vault(path).meta.key_source == "passphrase" and _aside_files(path) == []
    # on a terminal: asked for the passphrase, then the admin signs in
    secrets = iter([PASS, "admin-pass-1"])
    monkeypatch.setattr(backup_cli, "_interactive", lambda: True)
    monkeypatch.setattr(backup_cli.getpass, "getpass", lambda prompt="": next(secrets))
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n"))
    with clock.pinned(NOW + timedelta(hours=1)):
        assert main(["restore", str(info.path), "--db", str(path), "--yes"]) == 0
    assert "Restored." in capsys.readouterr().out
    assert Vault(path).meta.key_source == "passphrase"
    restored = StoreDatabase.open(path, passphrase=PASS)
    try:
        assert names(restored) == ["Anna", "伟"]
    finally:
        restored.close()
