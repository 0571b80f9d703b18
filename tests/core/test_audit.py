"""The audit chain shows any edit, deletion or reordering, at the entry it happened."""

import uuid

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, select, update

from core import audit
from core.models import AuditEvent
from core.permissions import Actor, Role

# verify reads the whole trail, not one store's rows, so any admin will do
ADMIN = Actor(uuid.uuid4(), uuid.uuid4(), Role.ADMIN)


def fill(db, n):
    with db.session(write=True) as s:
        for i in range(n):
            audit.record(s, None, "customer.view", "customer", uuid.uuid4(), staff_id=uuid.uuid4())
    with db.session() as s:
        assert audit.verify(s, ADMIN).ok
        return [e.seq for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def reset(db):
    """An empty trail (Hypothesis reuses the database between examples)."""
    from core.models import SyncState
    with db.session(write=True) as s:
        s.execute(delete(AuditEvent))
        s.execute(delete(SyncState).where(SyncState.key == audit.HEAD_KEY))


def check(db):
    with db.session() as s:
        return audit.verify(s, ADMIN)


def test_intact_chain_verifies(db):
    fill(db, 5)
    result = check(db)
    assert result.ok and result.entries == 5


SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(n=st.integers(2, 12), data=st.data())
def test_editing_any_entry_is_found_at_that_entry(db, n, data):
    reset(db)
    seqs = fill(db, n)
    victim = data.draw(st.sampled_from(seqs))
    field = data.draw(st.sampled_from(["action", "entity_id", "detail", "staff_id"]))
    value = {"action": "customer.erase", "entity_id": str(uuid.uuid4()), "detail": "x",
             "staff_id": uuid.uuid4()}[field]
    with db.session(write=True) as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == victim).values({field: value}))
    result = check(db)
    assert not result.ok and result.first_bad_seq == victim


@SETTINGS
@given(n=st.integers(2, 12), data=st.data())
def test_deleting_any_entry_is_found_there(db, n, data):
    reset(db)
    seqs = fill(db, n)
    victim = data.draw(st.sampled_from(seqs))
    with db.session(write=True) as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == victim))
    result = check(db)
    assert not result.ok and result.first_bad_seq == victim


@SETTINGS
@given(n=st.integers(2, 12), data=st.data())
def test_reordering_entries_is_found_at_the_first_moved(db, n, data):
    reset(db)
    seqs = fill(db, n)
    a, b = sorted(data.draw(st.lists(st.sampled_from(seqs), min_size=2, max_size=2, unique=True)))
    with db.session(write=True) as s:
        ea, eb = s.get(AuditEvent, a), s.get(AuditEvent, b)
        cols = ["id", "at", "staff_id", "action", "entity", "entity_id", "detail", "prev_mac", "mac"]
        va, vb = ({c: getattr(ea, c) for c in cols}, {c: getattr(eb, c) for c in cols})
        s.execute(update(AuditEvent).where(AuditEvent.seq == a).values(id=uuid.uuid4()))
        s.flush()
        s.execute(update(AuditEvent).where(AuditEvent.seq == b).values(vb | {"id": uuid.uuid4()}))
        s.execute(update(AuditEvent).where(AuditEvent.seq == b).values(va))
        s.execute(update(AuditEvent).where(AuditEvent.seq == a).values(vb))
    result = check(db)
    assert not result.ok and result.first_bad_seq == a


def test_audit_key_survives_rekey(db):
    fill(db, 3)
    db.rekey(new_passphrase="another passphrase", kdf=__import__("tests.conftest").conftest.FAST_KDF)
    assert check(db).ok


def test_audit_entries_hold_no_personal_data(store_setup):
    from core import customers
    db, store_id, admin = store_setup
    with db.session(write=True) as s:
        c = customers.create_customer(s, admin, given_name="Meiling", family_name="Wu",
                                      phone="+86 138 0013 8000", email="mei@example.com")
        customers.update_customer(s, admin, c.id, email="meiling@example.com")
        customers.get_customer(s, admin, c.id)
    with db.session() as s:
        events = list(s.scalars(select(AuditEvent)))
    actions = [e.action for e in events]
    assert {"customer.create", "customer.update", "customer.view"} <= set(actions)
    text = repr([(e.action, e.entity, e.entity_id, e.detail) for e in events])
    for personal in ("Meiling", "Wu", "8000", "example.com"):
        assert personal not in text
