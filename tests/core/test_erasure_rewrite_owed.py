"""An erasure's file rewrite is owed until one finishes (core.erasure.REWRITE_OWED_KEY,
written in the erasure's own transaction): a rewrite that gives up because another writer
held the file, or whose log a reader kept, is not lost; the next sync pull or nightly
backup does what is owed (core.erasure.rewrite_if_owed), and a finished rewrite owes
nothing. Real SQLCipher store, a real second writer or reader; what SQLite runs is traced
on every connection."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import event, select

from core import customers, erasure, privacy
from core.backup.run import run_backup
from core.models import SyncState
from core.sync import client as sync_client


def _owed(db) -> bool:
    with db.session() as s:
        return s.scalar(select(SyncState.value).where(SyncState.key == erasure.REWRITE_OWED_KEY)) is not None


def _customer(db, admin):
    with db.session(write=True) as s:
        return customers.create_customer(s, admin, given_name="Olga", family_name="Owed",
                                         phone="+86 138 0013 7777").id


def _erase_while_a_writer_holds_the_file(db, admin, seen) -> None:
    """Erase a customer; between the erasure's commit and its rewrite another writer takes
    the file (and keeps it past the rewrite's two-second wait), then lets go."""
    cid = _customer(db, admin)
    holder = db.engine.raw_connection()
    seen.clear()
    try:
        with db.session(write=True) as s:
            event.listen(s, "after_commit", lambda _s: holder.cursor().execute("BEGIN IMMEDIATE"))
            privacy.erase_customer(s, admin, cid)
        assert len(seen.vacuums()) == 1, "the rewrite was tried once (and gave up: the holder still has the file)"
    finally:
        holder.cursor().execute("ROLLBACK")
        holder.close()


def test_a_finished_rewrite_owes_nothing(traced):
    db, admin, seen = traced
    cid = _customer(db, admin)
    seen.clear()
    with db.session(write=True) as s:
        privacy.erase_customer(s, admin, cid)
    assert len(seen.vacuums()) == 1 and not _owed(db)
    seen.clear()
    assert erasure.rewrite_if_owed(db.engine) is False and len(seen.vacuums()) == 0


def test_a_rewrite_given_up_stays_owed_and_the_next_pull_does_it(traced, monkeypatch):
    db, admin, seen = traced
    _erase_while_a_writer_holds_the_file(db, admin, seen)
    assert _owed(db), "the rewrite gave up: the file still owes it"
    client = sync_client.SyncClient(db)
    monkeypatch.setattr(client, "_call", lambda method, path, **kw: {"rows": [], "next": "0", "more": False,
                                                                     "head": 0})
    seen.clear()
    assert client.pull()[0] == 0
    assert len(seen.vacuums()) == 1 and not _owed(db)
    seen.clear()
    client.pull()
    assert len(seen.vacuums()) == 0, "nothing owed: a pull that brings nothing rewrites nothing"


def test_the_nightly_backup_does_a_rewrite_still_owed(traced, tmp_path):
    db, admin, seen = traced
    _erase_while_a_writer_holds_the_file(db, admin, seen)
    assert _owed(db)
    seen.clear()
    info = run_backup(db, admin, datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc), tmp_path / "backups")
    assert info.verified
    assert len(seen.vacuums()) == 1 and not _owed(db)


def test_a_reader_that_keeps_the_log_keeps_the_rewrite_owed(traced):
    """VACUUM goes through while a report reads (the log keeps its snapshot), but the log
    cannot be emptied of the old pages until the reader is done: that much stays owed, and
    the next catch-up empties the log without rebuilding the file again."""
    db, admin, seen = traced
    cid = _customer(db, admin)
    reader = db.engine.raw_connection()
    try:
        cur = reader.cursor()
        cur.execute("BEGIN")
        assert cur.execute("SELECT count(*) FROM customer").fetchone()[0] >= 1     # holds its snapshot
        seen.clear()
        with db.session(write=True) as s:
            privacy.erase_customer(s, admin, cid)
        assert len(seen.vacuums()) == 1
    finally:
        reader.cursor().execute("ROLLBACK")
        reader.close()
    assert _owed(db), "the log still held the pages from before the erasure"
    seen.clear()
    assert erasure.rewrite_if_owed(db.engine) is True
    assert len(seen.vacuums()) == 0, "the file was rebuilt already: only its log was owed"
    assert any("wal_checkpoint" in q.lower() for q in seen) and not _owed(db)
