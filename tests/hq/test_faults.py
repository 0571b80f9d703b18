"""The fault tests: each failure a chain of stores really meets, against a real HQ
process on PostgreSQL, with real encrypted store databases."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from core import clock, customers
from core.models import Customer, CustomerNote, Device, LoyaltyAccount, LoyaltyEntry, Part, RepairTicket
from core.sync import apply as sync_apply
from core.sync import client as sync_client
from core.sync.apply import CURSOR_KEY, get_state, negative_balances
from core.sync.hlc import Timestamp
from hq import service
from hq.models import hq_op
from tests.hq.conftest import ROOT
from tests.hq.util import (
    LoseAnswers, Recorder, credential, differences, hq_batches, hq_rows, hq_snapshot, hq_text, insert_quietly,
    outbox, parked, pending,
)


def make_customer(store, **values) -> uuid.UUID:
    """A customer who agreed to sharing with HQ (other stores may fetch only such a one)."""
    from core import privacy
    values = {"given_name": "Ann", "family_name": "Lee", "phone": "13800138000", **values}
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, **values).id
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
        return cid


def edit(store, customer_id, **changes) -> None:
    with store.db.session(write=True) as s:
        customers.update_customer(s, store.admin, customer_id, **changes)


def local(store, model, id_):
    with store.db.session() as s:
        return s.get(model, id_)


def make_member(store, customer_id, points: int, number: str = "M0001") -> uuid.UUID:
    with store.db.session(write=True) as s:
        acct = LoyaltyAccount(customer_id=customer_id, member_number=number, store_id=store.store_id,
                              terms_version="2026-01")
        s.add(acct)
        s.flush()
        s.add(LoyaltyEntry(account_id=acct.id, kind="earn", points=points, reason="Purchase",
                           store_id=store.store_id, staff_id=store.admin.staff_id))
        return acct.id


def redeem(store, account_id, points: int) -> uuid.UUID:
    with store.db.session(write=True) as s:
        e = LoyaltyEntry(account_id=account_id, kind="redeem", points=-points, reason="Voucher",
                         store_id=store.store_id, staff_id=store.admin.staff_id)
        s.add(e)
        s.flush()
        return e.id


def balance_at_hq(hq, account_id) -> int:
    return sum(r["data"]["points"] for r in hq_rows(hq, "loyalty_entry").values()
               if r["data"]["account_id"] == str(account_id) and not r["deleted"])


# --- 1. the answer to a push is lost after HQ committed it ---------------------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_lost_ack_after_commit_sends_again_without_duplicates(hq, make_store):
    a = make_store("SA", hq)
    cid = make_customer(a)
    account = make_member(a, cid, 300)
    ops = len(outbox(a.db))

    with pytest.raises(sync_client.HqUnreachable):
        a.push(transport=LoseAnswers("/v1/push"))
    # HQ committed the batch; the store does not know and still has everything to send
    assert len(hq_rows(hq, "loyalty_entry")) == 1
    assert pending(a.db) == ops
    before = hq_snapshot(hq)

    report = a.sync()
    assert pending(a.db) == 0 and report.rejected == 0
    after = hq_snapshot(hq)
    assert after[1] == before[1] == ops, "each operation is recorded once"
    assert [r[:4] for r in after[0]] == [r[:4] for r in before[0]], "the re-send changed no row"
    assert hq_batches(hq) == 1, "the same batch id went again and was answered from the record"
    assert balance_at_hq(hq, account) == 300, "the points were not earned twice"


# --- 2. the store is killed half-way through a download ------------------------------------------

CHILD = textwrap.dedent("""
    import os, signal, sys
    from core.db import StoreDatabase
    from core.sync import apply, client
    pages = []
    def crash(result):
        pages.append(result)
        if len(pages) == 2:          # the second page is written but not committed
            os.kill(os.getpid(), signal.SIGKILL)
    apply.before_commit = crash
    db = StoreDatabase.open(sys.argv[1], passphrase="test-passphrase")
    client.SyncClient(db, page_size=int(sys.argv[2])).pull()
    print("finished without crashing")
""")


def test_store_killed_mid_download_keeps_its_cursor_and_converges(hq, make_store, fail_keyring):
    publisher = make_store("HQP", hq, publisher=True)
    with publisher.db.session(write=True) as s:
        s.add_all(Part(sku=f"P-{i:04d}", name=f"Part {i}", price_cents=100 + i) for i in range(250))
    publisher.sync()
    b = make_store("SB", hq)
    page = 100

    proc = subprocess.run([sys.executable, "-c", CHILD, str(b.db.path), str(page)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr

    with b.db.session() as s:
        cursor = get_state(s, CURSOR_KEY) or "0"      # HQ's token, kept as given
        parts = s.scalars(select(Part.sku)).all()
    first_page = service.pull(hq.engine, service.StoreAuth(b.store_id, "SB", False), 0, page)
    assert cursor == first_page["next"], "the cursor is the one committed with the first page"
    assert len(parts) == sum(1 for r in first_page["rows"] if r["entity"] == "part"), \
        "rows of the second page did not stay without their cursor"

    b.sync()
    with b.db.session() as s:
        assert len(s.scalars(select(Part.sku)).all()) == 250
    assert differences(hq, b) == []


# --- 3. a batch replayed twice and out of order ---------------------------------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_pruned_receipts_and_a_late_replay_change_nothing(hq, make_store, capsys):
    """`orchard-hq prune` forgets old batch receipts; a replay arriving after that still
    leaves every row, stamp and sequence as it was."""
    from hq import service
    from hq.cli import main as hq_main
    a = make_store("SA", hq)
    cid = make_customer(a)
    edit(a, cid, address="9 Nanjing Road")
    acct = make_member(a, cid, 120)
    redeem(a, acct, 20)
    recorder = Recorder()
    with a.client(transport=recorder, batch_size=3) as c:
        c.push()
    rows_before = hq_snapshot(hq)[0]
    assert hq_batches(hq) == len(recorder.pushes) >= 2

    assert hq_main(["prune", "--db", hq.db_url, "--days", "90"]) == 0
    assert hq_batches(hq) == len(recorder.pushes), "recent receipts are kept"
    later = clock.now() + timedelta(days=91)
    ops = hq_snapshot(hq)[1]
    assert service.prune(hq.engine, older_than_days=90, now=later) == (len(recorder.pushes), ops)
    assert hq_batches(hq) == 0 and hq_snapshot(hq)[1] == 0

    headers = {"Authorization": f"Bearer {credential(a.db)}", "Content-Type": "application/json"}
    with httpx.Client(base_url=hq.url) as http:
        for body in recorder.pushes + recorder.pushes[::-1]:
            answer = http.post("/v1/push", content=body, headers=headers).json()
            assert answer["rejected"] == []
    assert hq_snapshot(hq)[0] == rows_before, "no row, stamp or sequence changed"
    assert balance_at_hq(hq, acct) == 100
    a.sync()
    assert differences(hq, a) == []


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_replayed_and_reordered_batches_change_nothing(hq, make_store):
    a = make_store("SA", hq)
    cid = make_customer(a)
    for i in range(6):
        edit(a, cid, address=f"{i} Nanjing Road")
    make_member(a, cid, 120)
    recorder = Recorder()
    with a.client(transport=recorder, batch_size=4) as c:
        c.push()
    bodies = recorder.pushes
    assert len(bodies) >= 3
    before, batches = hq_snapshot(hq), hq_batches(hq)
    headers = {"Authorization": f"Bearer {credential(a.db)}", "Content-Type": "application/json"}

    with httpx.Client(base_url=hq.url) as http:
        for body in [bodies[2], bodies[0], bodies[1], bodies[0], bodies[2]]:      # twice, out of order
            answer = http.post("/v1/push", content=body, headers=headers).json()
            assert answer["duplicate"] is True
        # the same operations under new batch ids, last batch first
        for body in reversed(bodies):
            fresh = json.loads(body)
            fresh["batch_id"] = str(uuid.uuid4())
            answer = http.post("/v1/push", json=fresh, headers=headers).json()
            assert answer["duplicate"] is False and answer["rejected"] == []

    assert hq_snapshot(hq) == before, "no row, stamp, sequence or operation record changed"
    assert hq_batches(hq) == batches + len(bodies)
    assert hq_rows(hq, "customer")[str(cid)]["data"]["address"] == "5 Nanjing Road"


# --- 4. one store's clock is two hours fast -------------------------------------------------------

@contextmanager
def fast_clock(ahead_ms: int):
    """This process's clock runs ``ahead_ms`` fast (HQ, its own process, keeps real time)."""
    clock.set_clock(lambda: clock.system_clock() + timedelta(milliseconds=ahead_ms))
    try:
        yield
    finally:
        clock.set_clock(None)


def test_edit_made_after_seeing_a_fast_clocks_edit_wins(hq, make_store):
    a = make_store("SA", hq)          # its clock runs two hours fast
    b = make_store("SB", hq)
    two_hours = 2 * 3600 * 1000
    with fast_clock(two_hours):
        cid = make_customer(a)
        a.sync()
    with b.client() as c:
        c.fetch_customer(staff_id=b.admin.staff_id, phone="+8613800138000")
    with fast_clock(two_hours):
        edit(a, cid, email="fast@example.com")
        a.sync()
    b.sync()                                            # B sees A's edit ...
    assert local(b, Customer, cid).email == "fast@example.com"
    edit(b, cid, email="later@example.com")             # ... and edits after it, by real time earlier
    b.sync()
    with fast_clock(two_hours):
        a.sync()

    a_stamp = Timestamp.decode([o for o in outbox(a.db, entity="customer") if "email" in o.fields][-1].hlc)
    b_stamp = Timestamp.decode([o for o in outbox(b.db, entity="customer") if "email" in o.fields][-1].hlc)
    assert clock.now_ms() + 60_000 < a_stamp.wall_ms, "by wall clocks alone A's edit would win"
    assert b_stamp > a_stamp, "the hybrid clock put B's edit after the one it had seen"
    for store in (a, b):
        assert local(store, Customer, cid).email == "later@example.com"
    assert hq_rows(hq, "customer")[str(cid)]["data"]["email"] == "later@example.com"


def test_a_clock_days_ahead_is_refused_and_parked(hq, make_store):
    a = make_store("SA", hq)
    cid = make_customer(a)
    a.sync()
    with fast_clock(3 * 24 * 3600 * 1000):
        edit(a, cid, family_name="Future")
    report = a.sync()
    assert report.rejected == 1
    [op] = parked(a.db)
    assert op.rejected.startswith("clock_ahead")
    assert hq_rows(hq, "customer")[str(cid)]["data"]["family_name"] == "Lee"
    assert local(a, Customer, cid).family_name == "Lee", "the store took HQ's version back"

    # the clock is put right; sent again, the change gets a stamp HQ accepts
    with a.db.session(write=True) as s:
        assert sync_client.retry_parked(s, a.admin) == 1
    a.sync()
    assert parked(a.db) == []
    assert hq_rows(hq, "customer")[str(cid)]["data"]["family_name"] == "Future"
    assert local(a, Customer, cid).family_name == "Future"
    edit(a, cid, given_name="Now")                    # and later edits are not stuck in the future
    assert a.sync().rejected == 0


# --- 5. concurrent offline edits --------------------------------------------------------------

@pytest.mark.parametrize("first", ["SA", "SB"])
def test_concurrent_offline_edits_keep_both_fields_and_one_winner(hq, make_store, first):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a)
    a.sync()
    with b.client() as c:
        c.fetch_customer(staff_id=b.admin.staff_id, phone="+8613800138000")
    # both offline
    edit(a, cid, email="ann@example.com")
    edit(b, cid, address="88 Huaihai Road")
    edit(a, cid, given_name="Anne")
    edit(b, cid, given_name="Annie")
    stamps = {}
    for store, value in ((a, "Anne"), (b, "Annie")):
        op = [o for o in outbox(store.db, entity="customer") if o.fields.get("given_name") == value][0]
        stamps[value] = op.hlc
    winner = max(stamps, key=stamps.get)

    order = [a, b] if first == "SA" else [b, a]
    for store in order + order:
        store.sync()
    for store in (a, b):
        c = local(store, Customer, cid)
        assert (c.email, c.address) == ("ann@example.com", "88 Huaihai Road"), "both fields kept"
        assert c.given_name == winner, "one winner, the same everywhere"
        assert differences(hq, store) == []
    assert hq_rows(hq, "customer")[str(cid)]["data"]["given_name"] == winner


# --- 6. the same points redeemed at two offline stores --------------------------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_same_points_redeemed_offline_at_two_stores(hq, make_store, capsys):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a)
    account = make_member(a, cid, 600, number="M7788")
    a.sync()
    with b.client() as c:
        assert c.fetch_customer(staff_id=b.admin.staff_id, member="m7788") == [cid]
    first = redeem(a, account, 500)
    second = redeem(b, account, 500)
    for store in (a, b, a):
        store.sync()

    for store in (a, b):
        with store.db.session() as s:
            ids = set(s.scalars(select(LoyaltyEntry.id).where(LoyaltyEntry.account_id == account)))
            assert {first, second} <= ids and len(ids) == 3, "both redemptions survive"
            assert negative_balances(s, store.admin) == [("M7788", -400)], "flagged, not dropped"
    assert balance_at_hq(hq, account) == -400
    _, _, flags = service.status(hq.engine)
    assert [(f.kind, f.entity_id) for f in flags] == [("negative_balance", str(account))]
    from hq.cli import main
    main(["status", "--db", hq.db_url])
    out = capsys.readouterr().out
    assert "negative_balance" in out and "-400" in out


# --- 7. HQ restarted in the middle of a push ------------------------------------------------------

def test_hq_restarted_mid_push_converges(hq, make_store):
    a = make_store("SA", hq)
    with a.db.session(write=True) as s:
        s.add_all(Customer(home_store_id=a.store_id, given_name=f"G{i}", family_name="Bulk") for i in range(2500))
    total = len(outbox(a.db))
    calls = []
    killer = threading.Timer(0.02, hq.kill)     # lands while HQ applies the batch

    def kill_during_third(request):
        if request.url.path == "/v1/push":
            calls.append(1)
            if len(calls) == 3:
                killer.start()
    with pytest.raises(sync_client.HqUnreachable):
        with a.client(transport=Recorder(kill_during_third), batch_size=400) as c:
            c.push()
    killer.join()
    assert 0 < pending(a.db) < total
    hq.start()
    a.sync()
    assert pending(a.db) == 0 and parked(a.db) == []
    rows = hq_rows(hq, "customer")
    assert len(rows) == 2500
    with hq.engine.connect() as conn:
        assert conn.execute(select(hq_op.c.op_id)).all().__len__() == total, "every operation once"
    assert differences(hq, a) == []


# --- 8. a customer erased at one store while another edits them offline -------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
@pytest.mark.parametrize("order", ["erasure_first", "edit_first"])
def test_erasure_while_another_store_edits_offline(hq, make_store, order):
    from core import privacy
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a, email="ann.lee@example.com")
    with a.db.session(write=True) as s:
        s.add(Device(customer_id=cid, model="iPhone 15", serial="F2LXK0AAQ1", imei="356938035643809"))
    a.sync()
    with b.client() as c:
        c.fetch_customer(staff_id=b.admin.staff_id, email="ann.lee@example.com")
    # B, offline, edits the person; A erases them
    edit(b, cid, given_name="Zed", address="1 Zebra Lane")
    with b.db.session(write=True) as s:
        s.add(CustomerNote(customer_id=cid, staff_id=b.admin.staff_id, text="likes zebras"))
    with a.db.session(write=True) as s:
        privacy.erase_customer(s, a.admin, cid)
    order_ = [a, b] if order == "erasure_first" else [b, a]
    for store in order_ + order_:
        store.sync()

    secrets = ("Zed", "Zebra", "zebras", "ann.lee@example.com", "13800138000", "F2LXK0AAQ1", "Lee")
    text = hq_text(hq)
    assert not [w for w in secrets if w in text], "no personal data left at HQ"
    row = hq_rows(hq, "customer")[str(cid)]["data"]
    assert row["erased"] is True and row["given_name"] == "" and row["phone_e164"] is None
    for store in (a, b):
        c = local(store, Customer, cid)
        assert c.erased and c.given_name == "" and c.family_name == "" and c.email is None
        with store.db.session() as s:
            assert s.scalars(select(CustomerNote).where(CustomerNote.customer_id == cid)).all() == []
        blob = json.dumps([o.fields for o in outbox(store.db)], ensure_ascii=False)
        assert not [w for w in secrets if w in blob], "no personal data left in the outbox"

    # and nothing brings the person back: a late edit is refused and taken back
    with b.db.session(write=True) as s:
        s.get(Customer, cid).given_name = "Again"
    b.sync()
    assert [o.rejected for o in parked(b.db)][-1].startswith("customer_erased")
    assert local(b, Customer, cid).given_name == ""
    assert "Again" not in hq_text(hq)
    assert "Again" not in json.dumps([o.fields for o in outbox(b.db)])


# --- 9. a store writes another store's ticket, and reference data ---------------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_writes_to_other_stores_rows_or_reference_data_are_refused_alone(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    with a.db.session(write=True) as s:
        ticket = RepairTicket(store_id=a.store_id, number="SA-000001", reported_fault="cracked screen")
        s.add(ticket)
    a.sync()
    b.sync()                                      # B now has A's store row (reference for its rows)

    with b.db.session(write=True) as s:
        forged = RepairTicket(store_id=a.store_id, number="SA-666666", reported_fault="forged")
        s.add(forged)
        s.add(Part(sku="FAKE-1", name="Cheap screen", price_cents=1))
    copy = RepairTicket(id=ticket.id, store_id=a.store_id, number="SA-000001", reported_fault="cracked screen")
    insert_quietly(b.db, copy)
    with b.db.session(write=True) as s:
        s.get(RepairTicket, ticket.id).status = "cancelled"
    cid = make_customer(b, given_name="Bo", phone="13900139000")

    report = b.sync()
    reasons = sorted(o.rejected.split(":")[0] for o in parked(b.db))
    assert reasons == ["not_owner", "not_owner", "reference_data"]
    assert report.rejected == 3
    assert str(cid) in hq_rows(hq, "customer"), "the rest flowed"
    tickets = hq_rows(hq, "repair_ticket")
    assert list(tickets) == [str(ticket.id)] and tickets[str(ticket.id)]["data"]["status"] == "new"
    assert "FAKE-1" not in hq_text(hq)
    a.sync()
    assert local(a, RepairTicket, ticket.id).status == "new"


# --- 10. requests without a credential, or with a wrong one -------------------------------------

def test_unauthenticated_and_wrong_credentials_are_refused(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    with a.db.session(write=True) as s:
        s.add(RepairTicket(store_id=a.store_id, number="SA-000001"))
    a.sync()
    good = credential(a.db)
    sid, _, secret = good.partition(".")
    body = {"batch_id": str(uuid.uuid4()), "ops": []}
    with httpx.Client(base_url=hq.url) as http:
        for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic YTpi"},
                        {"Authorization": f"Bearer {sid}.{secret[:-2]}xx"},
                        {"Authorization": f"Bearer {b.store_id}.{secret}"},
                        {"Authorization": f"Bearer {uuid.uuid4()}.{secret}"},
                        {"Authorization": f"Bearer {secret}"}):
            for method, path, kw in (("GET", "/v1/pull", {}), ("POST", "/v1/push", {"json": body}),
                                     ("POST", "/v1/customers/lookup", {"json": {
                                         "phone": "+8613800138000", "staff_id": str(uuid.uuid4())}}),
                                     ("POST", "/v1/rows", {"json": {"keys": []}})):
                r = http.request(method, path, headers=headers, **kw)
                assert r.status_code == 401, (headers, path)
        # a used enrolment code does not work twice
        code = hq.enrolment("SC")
        assert http.post("/v1/enrol", json={"code": code, "store_code": "SC",
                                            "store_id": str(uuid.uuid4())}).status_code == 200
        assert http.post("/v1/enrol", json={"code": code, "store_code": "SC",
                                            "store_id": str(uuid.uuid4())}).status_code == 401
        # B's own credential works, and shows B none of A's tickets
        r = http.get("/v1/pull", headers={"Authorization": f"Bearer {credential(b.db)}"})
        assert r.status_code == 200
        assert not [row for row in r.json()["rows"] if row["entity"] == "repair_ticket"]

    # the app: a withdrawn credential is an error the status bar shows
    from core.sync import credentials as creds
    with b.db.session(write=True) as s:
        sync_apply.set_state(s, creds.STATE_KEY, f"{b.store_id}.not-the-secret")
    with pytest.raises(sync_client.HqRefused):
        b.sync()
    with b.db.session() as s:
        assert "credential" in sync_client.status(s).last_error


# --- a merge reaches every store that served either profile --------------------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_merge_reaches_a_store_that_served_only_the_merged_away_profile(hq, make_store):
    """A merges L into W. B had fetched only L. After syncing, B holds W with L's device
    and points (the ledger entries moved with the merge are taken by HQ, not parked),
    L is a tombstone pointing at W, and balances agree everywhere."""
    from core import privacy
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    w = make_customer(a, given_name="Wen", email="wen@example.com")
    loser = make_customer(a, given_name="Wen", phone="13900139000", email="wen.old@example.com")
    with a.db.session(write=True) as s:
        device = Device(customer_id=loser, model="iPhone 13", serial="F2LXK0AAQ9", imei="356938035643809")
        s.add(device)
        s.flush()
        device_id = device.id
    w_acct = make_member(a, w, 100, number="M0100")
    l_acct = make_member(a, loser, 40, number="M0040")
    a.sync()
    with b.client() as c:
        assert c.fetch_customer(staff_id=b.admin.staff_id, email="wen.old@example.com") == [loser]
    b.sync()
    assert local(b, Customer, w) is None, "B served only the profile it fetched"

    with a.db.session(write=True) as s:
        privacy.merge_customers(s, a.admin, w, loser)
    a.sync()
    assert parked(a.db) == [], "HQ took every change of the merge"
    b.sync()

    assert local(b, Customer, w) is not None, "the surviving profile reached B"
    assert local(b, Customer, loser).merged_into_id == w
    assert local(b, Device, device_id).customer_id == w
    assert balance_at_hq(hq, w_acct) == 140 and balance_at_hq(hq, l_acct) == 0
    with b.db.session() as s:
        assert s.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                        .where(LoyaltyEntry.account_id == w_acct)) == 140
    for store in (a, b):
        assert differences(hq, store) == []
    # a third store that asks for the old profile gets the one in use with it
    c = make_store("SC", hq)
    with c.client() as client:
        assert client.fetch_customer(staff_id=c.admin.staff_id, phone="+8613900139000") == [loser, w]
    assert local(c, Customer, w).given_name == "Wen" and local(c, Device, device_id).customer_id == w


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_membership_handed_over_by_a_merge_takes_its_entries_to_the_survivors_stores(hq, make_store):
    """Only the loser is a member: the merge hands its account to the winner. A store that
    serves only the winner receives the account and every entry on it (HQ re-places rows
    that inherit their customer from a row that changed customer)."""
    from core import privacy
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    w = make_customer(a, given_name="Wen", email="wen@example.com")
    loser = make_customer(a, given_name="Wen", phone="13900139000")
    acct = make_member(a, loser, 40, number="M0040")
    redeem(a, acct, 15)
    a.sync()
    with b.client() as c:
        assert c.fetch_customer(staff_id=b.admin.staff_id, email="wen@example.com") == [w]
    with a.db.session(write=True) as s:
        privacy.merge_customers(s, a.admin, w, loser)
    a.sync()
    b.sync()
    assert local(b, LoyaltyAccount, acct).customer_id == w
    with b.db.session() as s:
        points = sorted(s.scalars(select(LoyaltyEntry.points).where(LoyaltyEntry.account_id == acct)))
    assert points == [-15, 40] and balance_at_hq(hq, acct) == 25
    a.sync()                                   # B's own rows (its store, its staff) reach A
    for store in (a, b):
        assert differences(hq, store) == []
