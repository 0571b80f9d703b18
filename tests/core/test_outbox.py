"""Change capture: one outbox row per write, in the same transaction."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from core.models import Customer, OutboxEntry, Store
from core.sync.hlc import Timestamp


def outbox(db):
    with db.session() as s:
        return list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def make_store(db):
    with db.session(write=True) as s:
        store = Store(code="T1", name="Test")
        s.add(store)
    return store.id


def test_each_write_leaves_one_outbox_row(db):
    store_id = make_store(db)
    with db.session(write=True) as s:
        c = Customer(home_store_id=store_id, given_name="Ann", family_name="Lee")
        s.add(c)
    with db.session(write=True) as s:
        s.get(Customer, c.id).email = "ann@example.com"
    with db.session(write=True) as s:
        s.get(Customer, c.id).email = "ann@example.com"  # no real change: no write
    with db.session(write=True) as s:
        s.delete(s.get(Customer, c.id))
    rows = [r for r in outbox(db) if r.entity == "customer"]
    assert [r.op for r in rows] == ["insert", "update", "delete"]
    assert rows[0].entity_id == str(c.id)
    assert rows[0].fields["given_name"] == "Ann" and rows[0].fields["id"] == str(c.id)
    assert rows[1].fields == {"email": "ann@example.com"}, "an update carries only what changed"
    assert len({r.op_id for r in rows}) == 3


def test_rolled_back_write_leaves_no_outbox_row(db):
    store_id = make_store(db)
    before = len(outbox(db))
    with pytest.raises(RuntimeError):
        with db.session(write=True) as s:
            s.add(Customer(home_store_id=store_id, given_name="Ghost", family_name="Row"))
            s.flush()
            assert s.scalar(select(func.count()).select_from(OutboxEntry)) == before + 1
            raise RuntimeError("the counter PC lost power")
    assert len(outbox(db)) == before
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.tuples(st.sampled_from(["insert", "update", "delete", "rollback"]),
                              st.integers(0, 5)), min_size=1, max_size=25))
def test_outbox_counts_match_committed_writes(db, ops):
    """Any mix of writes and rollbacks: exactly one row per committed write, stamps rising."""
    store_id = make_store(db) if not outbox(db) else None
    with db.session() as s:
        store_id = store_id or s.scalars(select(Store.id)).first()
        start = s.scalar(select(func.count()).select_from(OutboxEntry))
        live = list(s.scalars(select(Customer.id)))
    expected = 0
    for op, n in ops:
        try:
            with db.session(write=True) as s:
                if op == "insert" or not live:
                    c = Customer(home_store_id=store_id, given_name=f"N{n}", family_name="X")
                    s.add(c)
                    s.flush()
                    live.append(c.id)
                    pending = ("add", c.id)
                elif op == "update":
                    cid = live[n % len(live)]
                    s.get(Customer, cid).given_name = f"U{uuid.uuid4().hex[:6]}"
                    pending = None
                elif op == "delete":
                    cid = live[n % len(live)]
                    s.delete(s.get(Customer, cid))
                    s.flush()
                    live.remove(cid)
                    pending = ("del", cid)
                else:
                    c = Customer(home_store_id=store_id, given_name="R", family_name="X")
                    s.add(c)
                    s.flush()
                    live.append(c.id)
                    pending = ("add", c.id)
                    raise KeyError("rollback")
            expected += 1
        except KeyError:
            kind, cid = pending
            live.remove(cid)
    rows = outbox(db)
    assert len(rows) - start == expected
    stamps = [Timestamp.decode(r.hlc) for r in rows]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert [r.hlc for r in rows] == sorted(r.hlc for r in rows)


def test_local_tables_are_not_captured(db):
    from core.models import SyncState
    before = len(outbox(db))
    with db.session(write=True) as s:
        s.add(SyncState(key="x", value="1"))
    assert len(outbox(db)) == before


def test_stamps_survive_a_clock_that_steps_back(db):
    from datetime import datetime, timezone

    from core import clock
    with clock.pinned(datetime(2026, 12, 6, 10, tzinfo=timezone.utc)) as fixed:
        store_id = make_store(db)
        fixed.advance(hours=1)                                                   # an hour ahead ...
        with db.session(write=True) as s:
            s.add(Customer(home_store_id=store_id, given_name="Early", family_name="X"))
        fixed.advance(hours=-2)                                                  # ... then an hour behind
        with db.session(write=True) as s:
            s.add(Customer(home_store_id=store_id, given_name="Late", family_name="X"))
    rows = outbox(db)
    assert Timestamp.decode(rows[-1].hlc) > Timestamp.decode(rows[-2].hlc)


def test_forked_processes_never_share_ids():
    """Two counters started from one process (fork) keep making different ids, even when
    the clock stood still or stepped back before the fork."""
    import os
    from core import clock, ids
    ids._last_ms = clock.now_ms() + 3_600_000   # the clock was an hour ahead earlier
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(r)
        os.write(w, "".join(str(ids.uuid7()) + "\n" for _ in range(200)).encode())
        os._exit(0)
    os.close(w)
    mine = {str(ids.uuid7()) for _ in range(200)}
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    theirs = set(data.decode().split())
    assert len(theirs) == 200 and not (mine & theirs)
