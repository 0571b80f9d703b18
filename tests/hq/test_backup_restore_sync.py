"""A store restored from a backup syncs on as if nothing happened, on a real HQ over PostgreSQL:
what was waiting at backup time goes again and HQ keeps each operation once; what reached HQ
after the backup comes back with the next pull; the outbox empties and the cursor catches up;
the audit trail's new epoch is recorded at HQ, not flagged as a rewritten trail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core import audit, customers
from core.backup import restore, run_backup
from core.db import DatabaseClosed, StoreDatabase
from core.models import Customer
from core.sync import client as sync_client
from hq.models import hq_audit_head, hq_op, hq_row
from tests.hq.conftest import Store
from tests.hq.util import differences, hq_rows, pending

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def add(store, given: str, phone: str):
    with store.db.session(write=True) as s:
        return customers.create_customer(s, store.admin, given_name=given, family_name="Restore", phone=phone).id


def rename(store, customer_id, given: str) -> None:
    with store.db.session(write=True) as s:
        customers.update_customer(s, store.admin, customer_id, given_name=given)


def local_names(db) -> dict[str, str]:
    with db.session() as s:
        return {str(c.id): c.given_name for c in s.scalars(select(Customer))}


def test_restore_then_sync_loses_nothing_hq_had_and_duplicates_nothing(hq, make_store, tmp_path):
    store = make_store("SH01", hq)
    first = add(store, "Anna", "13800138000")
    second = add(store, "Bo", "13800138001")
    store.sync()
    waiting = add(store, "Waiting", "13800138002")           # not synced when the backup is taken
    info = run_backup(store.db, store.admin, T0, tmp_path / "backups")
    assert info.pending > 0
    # after the backup: more work, synced to HQ; and a change that never reaches HQ
    later = add(store, "Later", "13800138003")
    rename(store, first, "Anna-Renamed")
    store.sync()
    ops_before = _count(hq, hq_op)
    add(store, "NeverSynced", "13800138004")
    assert pending(store.db) > 0

    report = restore(store.db.path, info.path, actor=store.admin, now=T0 + timedelta(hours=3), current=store.db)
    assert report.enrolled and report.pending_at_backup == info.pending and report.lost_unsynced
    # a pull through the old handle would move the restored file's cursor past what HQ got
    # after the backup (never pulled back): the closed handle refuses it
    with pytest.raises(DatabaseClosed):
        store.sync()
    db = StoreDatabase.open(store.db.path, passphrase="test-passphrase")
    restored = Store(db, store.store_id, store.admin, store.code)
    try:
        assert set(local_names(db)) == {str(first), str(second), str(waiting)}
        assert pending(db) == info.pending                    # what waited at backup time waits again
        result = restored.sync()
        # sent again, and HQ kept each operation once: nothing new but the restore's audit entries
        assert result.rejected == 0
        assert _count(hq, hq_op) - ops_before == result.pushed - info.pending
        names = local_names(db)
        assert names[str(later)] == "Later" and names[str(first)] == "Anna-Renamed"   # back from HQ
        assert str(waiting) in names
        assert "NeverSynced" not in names.values()
        at_hq = hq_rows(hq, "customer")
        assert set(at_hq) == {str(first), str(second), str(waiting), str(later)}
        assert at_hq[str(first)]["data"]["given_name"] == "Anna-Renamed"
        assert pending(db) == 0
        assert differences(hq, restored) == []
        # the cursor caught up: a second sync has nothing to pull or push
        again = restored.sync()
        assert (again.pushed, again.pulled) == (0, 0)
        with db.session() as s:
            st = sync_client.status(s)
            assert st.pending == 0 and st.parked == 0 and st.cursor == st.head
            assert audit.epoch(s) == 2
        with hq.engine.connect() as conn:
            heads = conn.execute(select(hq_audit_head).where(hq_audit_head.c.store_id == store.store_id)
                                 .order_by(hq_audit_head.c.epoch)).all()
        assert [h.epoch for h in heads] == [1, 2]
        assert heads[1].declared and heads[1].went_backwards_at is None and heads[0].went_backwards_at is None
        # HQ has no row twice (one per entity and id) and every live row is this store's view
        with hq.engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(hq_row).where(hq_row.c.entity == "customer"))
        assert total == 4
    finally:
        db.close()


def _count(hq, table) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))
