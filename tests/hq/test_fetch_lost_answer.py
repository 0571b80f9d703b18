"""Issue 19, defect 2: the answer to an on-demand customer fetch is lost.

HQ has recorded that store B now serves the customer, but B never saw the rows. B's next
pull must still bring the whole customer (HQ moves the customer's rows to the head of the
sequence when a fetch makes a store serve them), and a store never keeps a child row
whose parent it lacks (core.sync.parents)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, func, insert, select, update

from core import customers, privacy
from core.models import (Consent, Customer, Device, LoyaltyAccount, LoyaltyEntry, Purchase, RepairEvent,
                         RepairTicket)
from core.sync import parents
from core.sync.apply import RECHECK_KEY, get_state, remote_session
from core.sync.connection import SyncError
from hq.common import lane_of, lock_lanes, save_lanes
from hq.models import hq_row
from tests.hq.util import LoseAnswers, differences, hq_rows, insert_quietly, new_id

PHONE = "13800138000"


def make_member(store) -> tuple[uuid.UUID, uuid.UUID]:
    """Customer C at ``store``: hq_transfer granted, a device, a loyalty account with two
    entries (550 points)."""
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name="Ann", family_name="Lee", phone=PHONE).id
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
        s.add(Device(customer_id=cid, model="iPhone 15", serial="F2LXK0AAQ1", imei="356938035643809"))
        acct = LoyaltyAccount(customer_id=cid, member_number="M0001", store_id=store.store_id,
                              terms_version="2026-01")
        s.add(acct)
        s.flush()
        for points in (500, 50):
            s.add(LoyaltyEntry(account_id=acct.id, kind="earn", points=points, reason="Purchase",
                               store_id=store.store_id, staff_id=store.admin.staff_id))
        return cid, acct.id


def add_entry(store, account_id, points: int) -> uuid.UUID:
    with store.db.session(write=True) as s:
        e = LoyaltyEntry(account_id=account_id, kind="earn", points=points, reason="Purchase",
                         store_id=store.store_id, staff_id=store.admin.staff_id)
        s.add(e)
        s.flush()
        return e.id


def fetch(store, **kw):
    with store.client(**kw) as c:
        return c.fetch_customer(staff_id=store.admin.staff_id, phone="+86" + PHONE)


def lose_fetch_answer(store) -> None:
    lose = LoseAnswers("/v1/customers/lookup")
    with pytest.raises(SyncError):
        fetch(store, transport=lose)
    assert lose.lost == 1, "HQ answered the look-up; the answer never reached the store"


def fetch_answer_lost(hq, make_store):
    """Stores SA and SB, the member at SA, both synced; SB's fetch of them is answered but lost.
    Returns (SA, SB, customer id, account id)."""
    a, b = make_store("SA", hq), make_store("SB", hq)
    cid, account_id = make_member(a)
    a.sync()
    b.sync()
    lose_fetch_answer(b)
    return a, b, cid, account_id


def balance(store, account_id) -> int:
    with store.db.session() as s:
        return int(s.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                            .where(LoyaltyEntry.account_id == account_id)))


def hq_balance(hq, account_id) -> int:
    return sum(r["data"]["points"] for r in hq_rows(hq, "loyalty_entry").values()
               if not r["deleted"] and r["data"]["account_id"] == str(account_id))


def fk_problems(store) -> list:
    with store.db.session() as s:
        return s.connection().exec_driver_sql("PRAGMA foreign_key_check").all()


def counts(store, cid, account_id) -> dict[str, int]:
    with store.db.session() as s:
        n = lambda q: s.scalar(select(func.count()).select_from(q.subquery()))   # noqa: E731
        return {"customer": n(select(Customer.id).where(Customer.id == cid)),
                "device": n(select(Device.id).where(Device.customer_id == cid)),
                "consent": n(select(Consent.id).where(Consent.customer_id == cid)),
                "loyalty_account": n(select(LoyaltyAccount.id).where(LoyaltyAccount.id == account_id)),
                "loyalty_entry": n(select(LoyaltyEntry.id).where(LoyaltyEntry.account_id == account_id))}


def hq_counts(hq, cid, account_id) -> dict[str, int]:
    live = lambda e: [r for r in hq_rows(hq, e).values() if not r["deleted"]]   # noqa: E731
    return {"customer": sum(1 for r in live("customer") if r["entity_id"] == str(cid)),
            "device": sum(1 for r in live("device") if r["data"]["customer_id"] == str(cid)),
            "consent": sum(1 for r in live("consent") if r["data"]["customer_id"] == str(cid)),
            "loyalty_account": sum(1 for r in live("loyalty_account") if r["entity_id"] == str(account_id)),
            "loyalty_entry": sum(1 for r in live("loyalty_entry") if r["data"]["account_id"] == str(account_id))}


def assert_whole(hq, store, cid, account_id) -> None:
    have = counts(store, cid, account_id)
    assert have == hq_counts(hq, cid, account_id), "the store holds the whole customer"
    assert have["device"] and have["consent"] and have["loyalty_account"] and have["loyalty_entry"]
    assert balance(store, account_id) == hq_balance(hq, account_id)
    assert differences(hq, store) == []
    assert fk_problems(store) == [], "no row whose parent is missing"


def write_for(store, cid, account_id) -> None:
    """The store sells to the customer and credits points (foreign keys enforced)."""
    with store.db.session(write=True) as s:
        s.add(Purchase(customer_id=cid, store_id=store.store_id, description="Case", total_cents=1999))
    add_entry(store, account_id, 20)


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_lost_fetch_answer_then_a_change_at_the_home_store(hq, make_store):
    a, b, cid, account_id = fetch_answer_lost(hq, make_store)
    with a.db.session(write=True) as s:
        customers.update_customer(s, a.admin, cid, address="1 Bund")
    add_entry(a, account_id, 100)
    a.sync()

    report = b.sync()

    assert report.errors == ()
    assert_whole(hq, b, cid, account_id)
    assert balance(b, account_id) == 650
    with b.db.session() as s:
        assert s.get(Customer, cid).address == "1 Bund"
    write_for(b, cid, account_id)
    b.sync()
    a.sync()
    assert balance(a, account_id) == balance(b, account_id) == hq_balance(hq, account_id) == 670
    assert differences(hq, a) == [] and differences(hq, b) == []


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_lost_fetch_answer_and_nothing_changes_afterwards(hq, make_store):
    _, b, cid, account_id = fetch_answer_lost(hq, make_store)

    b.sync()

    assert_whole(hq, b, cid, account_id)
    assert balance(b, account_id) == 550
    # fetched again (the answer arrives this time): nothing is moved again, nothing breaks
    assert fetch(b) == [cid]
    assert_whole(hq, b, cid, account_id)


def _hq_append(hq, row: dict) -> None:
    """Put a row at the head of its lane, as if a push had written it."""
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        lane = lane_of(row.get("owner_store_id"))      # the lane of the store it is with
        before = lock_lanes(conn, [lane])
        head = before[lane][0] + 1
        conn.execute(insert(hq_row).values(lane=lane, seq=head, **row))
        save_lanes(conn, {lane: head}, None, before)


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_pulled_child_without_its_parent_is_completed_from_hq_or_not_kept(hq, make_store):
    a, b = make_store("SA", hq), make_store("SB", hq)
    cid, account_id = make_member(a)
    a.sync()
    assert fetch(b) == [cid]
    b.sync()                                         # B's cursor is past every row of the customer
    # B has lost the account (as a store did after a lost answer); A credits points
    with remote_session(b.db) as s:
        s.connection().execute(LoyaltyAccount.__table__.delete().where(LoyaltyAccount.id == account_id))
    add_entry(a, account_id, 100)
    a.sync()
    with pytest.raises(SyncError):                   # the answer to B's request for the account is lost
        b.sync(transport=LoseAnswers("/v1/rows"))

    report = b.sync()                                # the last pull's rows are checked again

    assert report.errors == ()
    assert_whole(hq, b, cid, account_id)             # the account came back from HQ with the entry
    assert balance(b, account_id) == 650

    # HQ hands B an entry whose account HQ itself cannot show: B does not keep it
    stray = str(new_id())
    _hq_append(hq, dict(entity="loyalty_entry", entity_id=stray, bucket="c", customer_id=cid,
                        owner_store_id=None, deleted=False, stamps={"*": "0"},
                        data={"id": stray, "account_id": str(new_id()), "kind": "earn", "points": 100,
                              "reason": "", "spend_cents": 0, "at": "2026-01-05T10:00:00+00:00"}))
    report = b.sync()
    assert ("loyalty_entry", stray, "parent not here") in report.errors
    with b.db.session() as s:
        assert s.get(LoyaltyEntry, uuid.UUID(stray)) is None
    assert fk_problems(b) == []
    assert balance(b, account_id) == 650


def test_a_child_the_store_wrote_itself_is_kept_while_its_operation_waits(make_store):
    store = make_store("SA")
    cid, account_id = make_member(store)
    entry = add_entry(store, account_id, 100)          # waiting in the outbox
    stray_id, lost_account = new_id(), new_id()
    insert_quietly(store.db, LoyaltyEntry(id=stray_id, account_id=lost_account, kind="earn", points=5,
                                          reason="", spend_cents=0))    # from HQ; its account never came
    with remote_session(store.db) as s:               # the store's own account is gone too
        s.connection().execute(LoyaltyAccount.__table__.delete().where(LoyaltyAccount.id == account_id))
    asked: list[list] = []

    def ask(keys):
        asked.append(sorted(keys))
        return []                                     # HQ has neither

    applied = parents.applied_keys([{"entity": "loyalty_entry", "id": str(i), "deleted": False,
                                     "data": {"id": str(i), "account_id": str(acct)}}
                                    for i, acct in ((entry, account_id), (stray_id, lost_account))])
    result = parents.repair(store.db, applied, ask)

    assert asked == [sorted([("loyalty_account", str(account_id)), ("loyalty_account", str(lost_account))])]
    assert result.errors == [("loyalty_entry", str(stray_id), "parent not here")]
    with store.db.session() as s:
        assert s.get(LoyaltyEntry, entry) is not None, "the store's own write is never lost"
        assert s.get(LoyaltyEntry, stray_id) is None


def _ask_nothing(keys):
    return []                                         # HQ has none of them


def test_an_orphan_device_goes_with_the_tickets_that_name_it(make_store):
    store = make_store("SA")
    device, ticket, event_id = new_id(), new_id(), new_id()
    insert_quietly(store.db, Device(id=device, customer_id=new_id(), model="iPhone 15"))   # its customer never came
    insert_quietly(store.db, RepairTicket(id=ticket, store_id=store.store_id, number="SA-000001", device_id=device))
    insert_quietly(store.db, RepairEvent(id=event_id, ticket_id=ticket, to_status="new"))

    result = parents.repair(store.db, {("device", str(device))}, _ask_nothing)

    assert sorted(result.errors) == sorted([("device", str(device), "parent not here"),
                                            ("repair_ticket", str(ticket), "parent not here"),
                                            ("repair_event", str(event_id), "parent not here")])
    with store.db.session() as s:
        assert s.get(RepairTicket, ticket) is None and s.get(RepairEvent, event_id) is None
    assert fk_problems(store) == [], "no ticket left pointing at a device that is gone"


def test_a_row_the_store_wrote_keeps_the_rows_it_hangs_from(make_store):
    store = make_store("SA")
    account = new_id()
    insert_quietly(store.db, LoyaltyAccount(id=account, customer_id=new_id(), member_number="M0900",
                                            store_id=store.store_id, terms_version="2026-01"))   # from HQ
    entry = add_entry(store, account, 100)            # this store's own write, waiting in the outbox

    result = parents.repair(store.db, {("loyalty_account", str(account))}, _ask_nothing)

    assert result.errors == []
    with store.db.session() as s:
        assert s.get(LoyaltyEntry, entry) is not None, "the store's own write is never lost"
        assert s.get(LoyaltyAccount, account) is not None, "nor the account it is credited to"
    assert balance(store, account) == 100


def _writes(db) -> list[int]:
    """Counts the write transactions opened on ``db`` from now on (one element each)."""
    seen: list[int] = []

    def begin(conn):
        if conn.get_execution_options().get("orchard_write"):
            seen.append(1)
    for engine in (db.engine, db.bulk_engine):
        event.listen(engine, "begin", begin)
    return seen


def recheck_mark(store):
    with store.db.session() as s:
        return get_state(s, RECHECK_KEY)


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_the_parent_check_marker_is_written_only_with_rows_and_stays_at_the_earliest(hq, make_store):
    a, b = make_store("SA", hq), make_store("SB", hq)
    cid, account_id = make_member(a)
    a.sync()
    assert fetch(b) == [cid]
    b.sync()
    writes = _writes(b.db)
    assert b.pull()[0] == 0
    assert writes == [], "a pull that brings nothing writes nothing"
    assert recheck_mark(b) is None

    # B loses the account; each time A credits points, the check's request for the account fails
    with remote_session(b.db) as s:
        s.connection().execute(LoyaltyAccount.__table__.delete().where(LoyaltyAccount.id == account_id))
    add_entry(a, account_id, 100)
    a.sync()
    with pytest.raises(SyncError):
        b.pull(transport=LoseAnswers("/v1/rows"))
    mark = recheck_mark(b)
    assert mark is not None
    add_entry(a, account_id, 7)
    a.sync()
    with pytest.raises(SyncError):
        b.pull(transport=LoseAnswers("/v1/rows"))
    assert recheck_mark(b) == mark, "the earliest unchecked rows are the ones fetched again"

    rows, _, result = b.pull()

    assert rows == 2, "only the two unchecked entries come again"
    assert result.errors == []
    assert recheck_mark(b) is None
    assert balance(b, account_id) == 657
    assert fk_problems(b) == []
    writes.clear()
    assert b.pull()[0] == 0
    assert writes == []
