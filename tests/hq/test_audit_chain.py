"""HQ vouches for each store's audit trail (issue 18, the store: audit-trail bullet).

Whoever holds a store's database key can delete the whole trail or recompute every MAC
after removing an entry; the chain then verifies on its own. These tests attack a real
SQLCipher store that syncs with a real HQ process on PostgreSQL, the way an attacker with
the key would (raw SQL on the store's own session), and check that ``audit.verify`` fails
naming the entry HQ acknowledged, that HQ flags the store, and that ``orchard-hq status``
shows it; and that a declared new epoch, lost answers and normal use never raise a flag."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import uuid

import httpx
import pytest
from sqlalchemy import delete, select, text

from core import audit, customers
from core.errors import PermissionDenied, ValidationError
from core.models import AuditEvent, SyncState
from core.permissions import Actor, Role
from hq import audit_heads
from hq.models import hq_audit_head
from tests.hq.conftest import ROOT
from tests.hq.util import credential

def add_entries(store, n: int) -> None:
    """Ordinary audit entries (no outbox operations: a sync then has nothing to push)."""
    with store.db.session(write=True) as s:
        for _ in range(n):
            audit.record(s, store.admin, "customer.view", "customer", uuid.uuid4())


def add_customer(store) -> None:
    """A change that goes through a push (and records an audit entry)."""
    with store.db.session(write=True) as s:
        customers.create_customer(s, store.admin, given_name="Lan", family_name="Zhou")


def verify(store) -> audit.AuditCheck:
    with store.db.session() as s:
        return audit.verify(s, store.admin)


def head_seq(store) -> int:
    with store.db.session() as s:
        return audit.chain_report(s)["seq"]


def acked(store) -> tuple[int, int, str] | None:
    with store.db.session() as s:
        return audit.hq_ack(s)


def hq_epochs(hq, store) -> list:
    with hq.engine.connect() as conn:
        return list(conn.execute(select(hq_audit_head).where(hq_audit_head.c.store_id == store.store_id)
                                 .order_by(hq_audit_head.c.epoch)))


def hq_status(hq) -> str:
    """``orchard-hq status`` as an operator runs it."""
    done = subprocess.run([sys.executable, "-m", "hq.cli", "status", "--db", hq.db_url], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def status_line(output: str, code: str) -> str:
    """The store's row in the status table."""
    (line,) = [line for line in output.splitlines() if line.startswith(code + " ")]
    return line


def synced(store, hq) -> int:
    """Record entries, sync (a push with operations), and return the head HQ acknowledged."""
    add_entries(store, 4)
    add_customer(store)
    report = store.sync()
    assert report.pushed >= 1 and report.rejected == 0
    n = head_seq(store)
    assert acked(store) == (1, n, _mac_at(store, n))
    assert verify(store).ok
    return n


def _mac_at(store, seq: int) -> str:
    with store.db.session() as s:
        return s.scalar(select(AuditEvent.mac).where(AuditEvent.seq == seq))


# the attacker's tools: the database key (so the store's session and its audit key) and SQL

def _hmac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def rewrite_without(store, victim: int) -> None:
    """Delete entry ``victim`` and rebuild the chain after it: renumber, recompute every
    MAC and the head record with the store's audit key, as the MAC recipe is public."""
    with store.db.session(write=True) as s:
        key = s.info["audit_key"]
        rows = [(e.id, e.at, e.staff_id, e.action, e.entity, e.entity_id, e.detail)
                for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq)) if e.seq != victim]
        s.execute(text("DELETE FROM audit_event"))
        prev = "0" * 64
        for seq, (ev_id, at, staff_id, action, entity, entity_id, detail) in enumerate(rows, start=1):
            body = json.dumps([prev, seq, str(ev_id), at.isoformat(), str(staff_id) if staff_id else None, action,
                               entity, entity_id, detail], ensure_ascii=False, separators=(",", ":"))
            mac = _hmac(key, body)
            s.add(AuditEvent(seq=seq, id=ev_id, at=at, staff_id=staff_id, action=action, entity=entity,
                             entity_id=entity_id, detail=detail, prev_mac=prev, mac=mac))
            prev = mac
        s.flush()
        head = f"{len(rows)}|{prev}|{_hmac(key, f'head|{len(rows)}|{prev}')}"
        s.execute(text("UPDATE sync_state SET value = :v WHERE key = 'audit.head'"), {"v": head})


def wipe_trail(store, *, also_ack: bool = False) -> None:
    """Delete every audit entry and the head record (and HQ's acknowledgement)."""
    keys = ("audit.head", "audit.hq_ack") if also_ack else ("audit.head",)
    with store.db.session(write=True) as s:
        s.execute(text("DELETE FROM audit_event"))
        s.execute(delete(SyncState).where(SyncState.key.in_(keys)))


# (a) truncation ------------------------------------------------------------------------------

def test_deleting_the_whole_trail_is_caught_by_verify_and_flagged_at_hq(hq, make_store):
    store = make_store("S1", hq)
    other = make_store("S2", hq)
    n = synced(store, hq)
    synced(other, hq)
    assert "BACKWARDS" not in hq_status(hq)

    wipe_trail(store)
    result = verify(store)
    assert not result.ok, "the empty trail no longer verifies once HQ acknowledged an entry"
    assert result.first_bad_seq == n
    assert result.reason == f"entries removed or rewritten since HQ acknowledged entry {n}"

    add_customer(store)                     # sales go on: the push is not refused
    assert store.sync().pushed == 1
    (row,) = hq_epochs(hq, store)
    assert row.went_backwards_at is not None and (row.seq, row.mac) == (n, acked(store)[2])
    assert row.reason == f"entry 1 reported after HQ acknowledged entry {n}"
    assert acked(store)[1] == n, "HQ keeps vouching for the entry that was removed"
    assert not verify(store).ok

    out = hq_status(hq)
    assert "BACKWARDS!" in status_line(out, "S1")
    assert "BACKWARDS" not in status_line(out, "S2")
    assert "!! Audit chain went backwards" in out
    flagged = [line for line in out.splitlines() if line.startswith("  S1  epoch 1  since ")]
    assert len(flagged) == 1 and f"after HQ acknowledged entry {n}" in flagged[0]
    assert not any(line.startswith("  S2  ") for line in out.splitlines())


def test_wiping_the_acknowledgement_too_and_forging_a_longer_chain_is_caught_at_hq(hq, make_store):
    """The attacker also deletes HQ's acknowledgement and writes more entries than HQ
    acknowledged (valid MACs, with the key): verify passes here, but HQ asks for proof of
    the entry it acknowledged, and the forged one does not match."""
    store = make_store("S1", hq)
    n = synced(store, hq)
    wipe_trail(store, also_ack=True)
    add_entries(store, n + 3)
    assert verify(store).ok, "with the acknowledgement gone the forged chain verifies on its own"

    store.sync()                            # HQ does not take the longer head on trust
    assert acked(store)[1] == n
    assert not verify(store).ok
    assert hq_epochs(hq, store)[0].went_backwards_at is None, "a lost answer looks the same so far"
    store.sync()                            # the proof for entry n is the forged MAC
    (row,) = hq_epochs(hq, store)
    assert row.went_backwards_at is not None and row.seq == n
    assert row.reason == f"entry {n} removed or rewritten after HQ acknowledged it"
    assert "BACKWARDS!" in status_line(hq_status(hq), "S1")


def delete_ack(store) -> None:
    with store.db.session(write=True) as s:
        s.execute(delete(SyncState).where(SyncState.key == audit.ACK_KEY))


def test_deleting_the_acknowledgement_before_every_sync_after_a_rewrite_is_flagged(hq, make_store):
    """The dodge: rewrite the chain and delete ``audit.hq_ack`` before each sync, so the proof
    is always empty ({0, GENESIS}) and verify has nothing to check against. Once HQ
    acknowledged more than one head, an empty proof is flagged."""
    store = make_store("S1", hq)
    synced(store, hq)
    n = synced(store, hq)                   # a second acknowledgement: the first is the one before
    rewrite_without(store, victim=3)
    for _ in range(2):
        delete_ack(store)
        add_entries(store, 3)               # the reported head keeps growing past HQ's
        assert verify(store).ok, "without the acknowledgement the rewritten chain verifies here"
        store.sync()
    (row,) = hq_epochs(hq, store)
    assert row.went_backwards_at is not None and row.seq == n
    assert row.reason == f"proof missing for entry {n} HQ acknowledged"
    assert "BACKWARDS!" in status_line(hq_status(hq), "S1")


def test_pinning_the_acknowledgement_to_the_one_before_after_a_rewrite_is_flagged(hq, make_store):
    """The store's acknowledgement put back to the one before HQ's last: HQ holds that MAC too."""
    store = make_store("S1", hq)
    first = synced(store, hq)
    synced(store, hq)
    with store.db.session(write=True) as s:
        old = s.get(SyncState, audit.ACK_KEY)
        old.value = f"1|{first}|{_mac_at(store, first)}"
    rewrite_without(store, victim=2)        # entry `first` now holds another entry's MAC
    add_entries(store, 3)
    store.sync()
    (row,) = hq_epochs(hq, store)
    assert row.went_backwards_at is not None
    assert row.reason == f"entry {first} removed or rewritten after HQ acknowledged it"


def test_deleting_the_only_acknowledgement_again_and_again_is_flagged(hq, make_store):
    """With one acknowledgement the empty proof is the one before it (a lost first answer),
    so HQ re-sends its acknowledgement; it does so a bounded number of times, then flags."""
    store = make_store("S1", hq)
    n = synced(store, hq)
    for i in range(audit_heads._RESENDS):
        delete_ack(store)
        add_entries(store, 1)
        store.sync()
        assert acked(store)[1] == n
        (row,) = hq_epochs(hq, store)
        assert (row.went_backwards_at, row.resent) == (None, i + 1)
    delete_ack(store)
    add_entries(store, 1)
    store.sync()
    (row,) = hq_epochs(hq, store)
    assert row.went_backwards_at is not None and row.seq == n
    assert row.reason == f"entry {n} not proven after HQ re-sent its acknowledgement {audit_heads._RESENDS} times"


def test_lost_answers_in_a_row_are_not_flagged(hq, make_store):
    """HQ acknowledges a head, the answer is lost, and so are the answers HQ re-sends, up to
    the bound; pipelined batches of one push count once. Then the store proves the head."""
    store = make_store("S4", hq)
    synced(store, hq)
    auth = {"Authorization": f"Bearer {credential(store.db)}"}
    for _ in range(audit_heads._RESENDS):   # the first acknowledges, the rest re-send it
        add_entries(store, 2)
        with store.db.session() as s:
            report = audit.chain_report(s)
        answer = httpx.post(f"{hq.url}/v1/audit-head", json={"audit_head": report}, headers=auth, timeout=30)
        assert answer.status_code == 200     # ... and never reaches the store
    lost = hq_epochs(hq, store)[0]
    assert lost.resent == audit_heads._RESENDS - 1
    add_entries(store, 2)
    for _ in range(5):
        add_customer(store)
    assert store.sync(batch_size=2).pushed == 5
    (row,) = hq_epochs(hq, store)
    assert (row.went_backwards_at, row.resent, row.seq) == (None, audit_heads._RESENDS, lost.seq)
    assert acked(store)[1] == lost.seq and verify(store).ok
    add_entries(store, 1)
    store.sync()
    (row,) = hq_epochs(hq, store)
    assert (row.went_backwards_at, row.resent, row.seq) == (None, 0, head_seq(store))
    assert (row.prev_seq, row.prev_mac) == (lost.seq, lost.mac)
    assert verify(store).ok


# (b) rewriting -------------------------------------------------------------------------------

def test_deleting_an_entry_and_recomputing_the_chain_is_caught(hq, make_store):
    store = make_store("S1", hq)
    n = synced(store, hq)
    rewrite_without(store, victim=3)
    result = verify(store)
    assert not result.ok and result.first_bad_seq == n
    assert result.reason == f"entries removed or rewritten since HQ acknowledged entry {n}"
    # the rewrite itself is perfect: without HQ's copy of entry n the chain verifies
    with store.db.session(write=True) as s:
        saved = s.get(SyncState, audit.ACK_KEY).value
        s.execute(delete(SyncState).where(SyncState.key == audit.ACK_KEY))
    assert verify(store).ok
    with store.db.session(write=True) as s:
        s.add(SyncState(key=audit.ACK_KEY, value=saved))

    add_entries(store, 1)                   # the rewritten chain is back at seq n, another MAC
    store.sync()
    (row,) = hq_epochs(hq, store)
    assert row.went_backwards_at is not None
    assert row.reason == f"entry {n} rewritten after HQ acknowledged it"
    assert "BACKWARDS!" in status_line(hq_status(hq), "S1")


# (c) a declared new epoch --------------------------------------------------------------------

def test_a_declared_new_epoch_is_shown_not_flagged(hq, make_store):
    store = make_store("S3", hq)
    synced(store, hq)
    # the backup: the trail and its bookkeeping as they were after that sync
    with store.db.session() as s:
        backup_events = [{c.key: getattr(e, c.key) for c in AuditEvent.__table__.columns}
                         for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
        backup_state = {r.key: r.value for r in s.scalars(select(SyncState).where(SyncState.key.like("audit.%")))}
    n2 = synced(store, hq)
    # restore it (a later issue restores whole files; the trail is what matters here)
    with store.db.session(write=True) as s:
        s.execute(text("DELETE FROM audit_event"))
        s.execute(delete(SyncState).where(SyncState.key.like("audit.%")))
        s.add_all([AuditEvent(**e) for e in backup_events])
        s.add_all([SyncState(key=k, value=v) for k, v in backup_state.items()])
    assert head_seq(store) < n2

    technician = Actor(store.admin.staff_id, store.store_id, Role.TECHNICIAN)
    with store.db.session(write=True) as s, pytest.raises(PermissionDenied):
        audit.start_epoch(s, technician, "restored_from_backup")
    with store.db.session(write=True) as s, pytest.raises(ValidationError):
        audit.start_epoch(s, store.admin, "because")
    with store.db.session(write=True) as s:
        assert audit.start_epoch(s, store.admin, "restored_from_backup") == 2
    with store.db.session() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert (last.action, last.detail) == ("audit.epoch_start", "epoch=2;reason=restored_from_backup")
    assert verify(store).ok

    store.sync()                            # nothing to push: the head still goes to HQ
    first, second = hq_epochs(hq, store)
    assert (first.epoch, first.seq, first.went_backwards_at) == (1, n2, None)
    assert (second.epoch, second.declared, second.went_backwards_at) == (2, True, None)
    assert second.seq == head_seq(store) and acked(store) == (2, second.seq, _mac_at(store, second.seq))
    assert verify(store).ok

    out = hq_status(hq)
    assert "BACKWARDS" not in out
    assert f"e2 #{second.seq} " in status_line(out, "S3")
    assert "Declared audit epochs (a restore from a backup; not an alarm):" in out
    assert any(line.startswith("  S3  epoch 2  declared ") for line in out.splitlines())


def test_reporting_an_older_epoch_after_a_newer_one_is_flagged(hq, make_store):
    store = make_store("S1", hq)
    synced(store, hq)
    with store.db.session(write=True) as s:
        audit.start_epoch(s, store.admin, "moved_to_new_computer")
    store.sync()
    with store.db.session(write=True) as s:        # the attacker puts the old epoch back
        s.execute(delete(SyncState).where(SyncState.key == audit.EPOCH_KEY))
    store.sync()
    first, second = hq_epochs(hq, store)
    assert first.went_backwards_at is None
    assert second.went_backwards_at is not None and second.reason == "epoch 1 reported after epoch 2"


# (d) normal use ------------------------------------------------------------------------------

def test_normal_use_lost_answers_and_many_batches_never_flag(hq, make_store):
    store = make_store("S4", hq)
    other = make_store("S5", hq)
    store.sync()                            # the store's own rows from its set-up
    for round_ in range(4):
        add_entries(store, round_)          # 0 entries the first time: an unchanged head
        if round_ % 2:
            for _ in range(5):
                add_customer(store)
            assert store.sync(batch_size=2).pushed == 5      # several batches, answers pipelined
        else:
            assert store.sync().pushed == 0                  # nothing to push: /v1/audit-head
        add_entries(other, 2)
        other.sync()
        n = head_seq(store)
        assert acked(store) == (1, n, _mac_at(store, n))
        assert verify(store).ok and verify(other).ok

    # HQ acknowledges a head but the answer never arrives
    add_entries(store, 3)
    with store.db.session() as s:
        report = audit.chain_report(s)
    answer = httpx.post(f"{hq.url}/v1/audit-head", json={"audit_head": report}, timeout=30,
                        headers={"Authorization": f"Bearer {credential(store.db)}"})
    assert answer.status_code == 200 and answer.json()["audit_ack"]["seq"] == report["seq"]
    add_entries(store, 2)
    store.sync()                            # the store proves an older acknowledgement
    assert acked(store)[1] == report["seq"] and verify(store).ok
    store.sync()
    assert acked(store)[1] == head_seq(store) and verify(store).ok

    rows = hq_epochs(hq, store) + hq_epochs(hq, other)
    assert [(r.epoch, r.went_backwards_at, r.declared) for r in rows] == [(1, None, False)] * 2
    out = hq_status(hq)
    assert "BACKWARDS" not in out and "Declared audit epochs" not in out
    assert f"e1 #{head_seq(store)} " in status_line(out, "S4")


def test_a_malformed_head_is_refused_with_a_code(hq, make_store):
    store = make_store("S1", hq)
    answer = httpx.post(f"{hq.url}/v1/audit-head", json={"audit_head": {"epoch": 1, "seq": -1, "mac": "x"}},
                        headers={"Authorization": f"Bearer {credential(store.db)}"}, timeout=30)
    assert answer.status_code == 400 and answer.json()["code"] == "bad_audit_head"
    assert hq_epochs(hq, store) == []
