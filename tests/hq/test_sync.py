"""Enrolment, push and pull, buckets, on-demand fetch, validation and status, on a real
HQ process; the round trip runs on PostgreSQL and on HQ's embedded SQLite."""

from __future__ import annotations

import shutil
import uuid

import httpx
import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Uuid, func, select

from core import clock, customers, privacy, staff
from core.db import StoreDatabase
from core.demo import build_demo
from core.models import Customer, LoyaltyAccount, OutboxEntry, Part, PriceBookEntry, RepairTicket, ServiceType, Staff
from core.sync import client as sync_client
from core.sync import credentials, merge
from core.sync.apply import get_state
from core.sync.outbox import NODE_KEY
from hq import service
from hq.cli import main as hq_main
from hq.models import hq_access
from tests.hq.conftest import Store
from tests.hq.util import credential, differences, hq_rows, outbox, parked, pending


@pytest.fixture
def demo_store(_template_db, tmp_path):
    """The demo store (every kind of row the app makes), not yet enrolled."""
    folder = tmp_path / "demo"
    folder.mkdir()
    for f in _template_db.iterdir():
        if f.name.endswith((".db", ".json")):
            shutil.copy2(f, folder / f.name)
    db = StoreDatabase.open(folder / "store.db", passphrase="test-passphrase")
    info = build_demo(db, customers=20)
    with db.session() as s:
        admin = staff.actor_for(staff.get_staff(s, info.staff_with_role("admin")[0].staff_id))
    yield Store(db, info.store_id, admin, info.store_code)
    db.close()


def _last_visits(db) -> dict:
    with db.session() as s:
        return dict(s.execute(select(Customer.id, Customer.last_visit_at)
                              .where(Customer.last_visit_at.is_not(None))).all())


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_demo_store_round_trip(hq, demo_store, make_store):
    a = demo_store
    sync_client.enrol(a.db, a.admin, hq.url, hq.enrolment(a.code, publisher=True))
    ops = len(outbox(a.db))
    visits = _last_visits(a.db)
    report = a.sync()
    assert (report.pushed, report.rejected) == (ops, 0), "every kind of row the app makes is accepted"
    assert differences(hq, a) == []
    assert visits and _last_visits(a.db) == visits, "what each replica derives for itself stays its own"

    b = make_store("SB", hq)
    b.sync()
    assert differences(hq, b) == []
    with b.db.session() as s:
        # global reference data arrived ...
        assert s.scalar(select(func.count()).select_from(ServiceType)) == 7
        assert s.scalar(select(func.count()).select_from(PriceBookEntry)) > 100
        assert s.scalar(select(func.count()).select_from(Part)) > 10
        # ... but not the demo store's own records or its customers
        assert s.scalar(select(func.count()).select_from(RepairTicket)) == 0
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
        # staff accounts are shared, their secrets are not
        others = s.scalars(select(Staff).where(Staff.store_id == a.store_id)).all()
        assert len(others) == 8 and all(st.password_hash == "" and st.pin_hash is None for st in others)
        assert s.scalars(select(Staff).where(Staff.store_id == b.store_id)).one().password_hash.startswith("$argon2id")
    assert pending(b.db) == 0 and not parked(b.db), "rows from HQ are not sent back"


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_pull_in_pages_and_again_from_nothing(hq, make_store):
    a = make_store("SA", hq, publisher=True)
    with a.db.session(write=True) as s:
        s.add_all(Part(sku=f"P{i:03d}", name=f"Part {i}", price_cents=i) for i in range(120))
    a.sync()
    b = make_store("SB", hq)
    with b.client(page_size=25) as c:
        rows, pages, _ = c.pull()
    assert rows >= 120 and pages >= 5
    with b.client(page_size=25) as c:
        assert c.pull()[0] == 0, "nothing twice"
    with a.db.session(write=True) as s:
        s.scalars(select(Part).where(Part.sku == "P007")).one().price_cents = 777
    a.sync()
    with b.client(page_size=25) as c:
        assert c.pull()[0] == 1, "only what changed"
    with b.db.session() as s:
        assert s.scalars(select(Part.price_cents).where(Part.sku == "P007")).one() == 777
    b.sync()
    assert differences(hq, b) == []


def test_fetch_customer_on_demand(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    with a.db.session(write=True) as s:
        ann = customers.create_customer(s, a.admin, given_name="Ann", family_name="Lee", phone="13800138000",
                                        email="Ann@Example.com")
        bo = customers.create_customer(s, a.admin, given_name="Bo", family_name="Wang", phone="13900139000")
        s.add(LoyaltyAccount(customer_id=bo.id, member_number="M123456", store_id=a.store_id,
                             terms_version="2026-01"))
        for who in (ann, bo):      # only customers who agreed to sharing with HQ can be fetched
            privacy.set_consent(s, a.admin, who.id, "hq_transfer", True)
    a.sync()
    b.sync()
    with b.db.session() as s:
        assert s.get(Customer, ann.id) is None, "not served by B until asked for"
    assert sync_client.fetch_customer(b.db, b.admin, phone="138 0013 8000", region="CN") == [ann.id]
    assert sync_client.fetch_customer(b.db, b.admin, email="ann@example.com") == [ann.id]
    assert sync_client.fetch_customer(b.db, b.admin, member="m123456") == [bo.id]
    assert sync_client.fetch_customer(b.db, b.admin, phone="13700137000", region="CN") == []
    # HQ logs each fetch: which store saw which customers, by what kind of key, never the key
    with hq.engine.connect() as conn:
        log = conn.execute(select(hq_access.c.store_id, hq_access.c.key_kind, hq_access.c.customers,
                                  hq_access.c.staff_id).order_by(hq_access.c.id)).all()
    assert [(r.store_id, r.key_kind, r.customers) for r in log] == [
        (b.store_id, "phone", [str(ann.id)]), (b.store_id, "email", [str(ann.id)]),
        (b.store_id, "member", [str(bo.id)]), (b.store_id, "phone", [])]
    assert {r.staff_id for r in log} == {b.admin.staff_id}, "who asked is recorded"
    assert "13800138000" not in repr(log) and "example.com" not in repr(log).lower()
    with b.db.session() as s:
        assert s.get(Customer, ann.id).given_name == "Ann"
        assert s.scalars(select(LoyaltyAccount.member_number)).all() == ["M123456"]
        actions = s.execute(select(func.count()).select_from(OutboxEntry)).scalar()
    # from now on B serves them: A's next edit reaches B with an ordinary pull
    with a.db.session(write=True) as s:
        customers.update_customer(s, a.admin, ann.id, address="1 Bund")
    a.sync()
    b.sync()
    with b.db.session() as s:
        assert s.get(Customer, ann.id).address == "1 Bund"
    assert differences(hq, b) == []
    assert actions == len(outbox(b.db)), "fetching did not queue anything to send"


def test_enrolment_keeps_the_credential_in_the_keyring(hq, make_store, memory_keyring):
    a = make_store("SA", hq)
    with a.db.session() as s:
        assert get_state(s, credentials.STATE_KEY) is None
        assert get_state(s, NODE_KEY) == str(a.store_id), "stamps are tie-broken by store id"
    assert list(memory_keyring.store.values()) == [credential(a.db)]
    assert a.sync().pushed == 2


def test_enrolment_without_a_keyring_keeps_it_in_the_encrypted_database(hq, make_store, fail_keyring):
    a = make_store("SA", hq)
    with a.db.session() as s:
        assert get_state(s, credentials.STATE_KEY) == credential(a.db)
    assert a.sync().pushed == 2


def test_enrolment_code_is_for_one_store_and_once(hq, make_store):
    a = make_store("SA")
    code = hq.enrolment("SX")
    with pytest.raises(sync_client.HqRefused, match="SX"):
        sync_client.enrol(a.db, a.admin, hq.url, code)
    with pytest.raises(sync_client.HqRefused):
        sync_client.enrol(a.db, a.admin, hq.url, "AAAA-BBBB-CCCC-DDDD")
    code = hq.enrolment("SA")
    sync_client.enrol(a.db, a.admin, hq.url, code)
    with pytest.raises(sync_client.HqRefused):
        sync_client.enrol(a.db, a.admin, hq.url, code)
    from core.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        sync_client.enrol(a.db, _associate(a), hq.url, hq.enrolment("SA"))


def _associate(store):
    from core.permissions import Actor, Role
    return Actor(store.admin.staff_id, store.store_id, Role.ASSOCIATE)


def test_malformed_operations_are_refused_one_by_one(hq, make_store):
    a = make_store("SA", hq)
    a.sync()
    good_id = str(uuid.uuid4())
    stamp = outbox(a.db)[-1].hlc
    base = {"entity": "customer", "op": "insert", "hlc": stamp}
    full = {"id": good_id, "given_name": "Ok", "family_name": "Fine", "name_pinyin": "", "name_initials": "",
            "address": "", "erased": False, "created_at": "2026-01-01T00:00:00+00:00",
            "updated_at": "2026-01-01T00:00:00+00:00"}
    ops = [
        {**base, "entity": "no_such_table", "entity_id": good_id, "fields": {}},
        {**base, "entity_id": str(uuid.uuid4()), "fields": {**full, "shoe_size": 42}},
        {**base, "entity_id": str(uuid.uuid4()), "fields": {**full, "erased": "yes"}},
        {**base, "entity_id": str(uuid.uuid4()), "fields": {"given_name": "Half"}},
        {**base, "entity_id": str(uuid.uuid4()), "fields": {**full, "given_name": "x" * 101}},
        {**base, "entity_id": "not-a-uuid", "fields": full},
        {**base, "entity_id": str(uuid.uuid4()), "hlc": "yesterday", "fields": full},
        {**base, "entity_id": good_id, "fields": full},
    ]
    for op in ops:
        op["op_id"] = str(uuid.uuid4())
        op["fields"] = {**op["fields"], "id": op["entity_id"]} if op["entity"] == "customer" else op["fields"]
    with httpx.Client(base_url=hq.url) as http:
        answer = http.post("/v1/push", json={"batch_id": str(uuid.uuid4()), "ops": ops},
                           headers={"Authorization": f"Bearer {credential(a.db)}"}).json()
    reasons = [r["reason"].split(":")[0] for r in answer["rejected"]]
    assert reasons == ["unknown_entity", "unknown_field", "invalid_value", "missing_field", "invalid_value",
                       "invalid_value", "invalid_value"]
    assert answer["accepted"] == 1 and hq_rows(hq, "customer")[good_id]["data"]["given_name"] == "Ok"


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_store_on_the_previous_version_still_syncs_customers_without_the_new_columns(hq, make_store):
    """A store not yet upgraded sends a customer without ``contact_preference`` (a column a
    later version added with a constant default): HQ takes it, and a store on this version
    pulls it with the default filled in."""
    from core.models import Customer
    a = make_store("SA", hq)
    a.sync()
    cid = str(uuid.uuid4())
    fields = {"id": cid, "given_name": "Old", "family_name": "Version", "name_pinyin": "", "name_initials": "",
              "address": "", "erased": False, "home_store_id": str(a.store_id),
              "created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00"}
    op = {"op_id": str(uuid.uuid4()), "entity": "customer", "op": "insert", "entity_id": cid,
          "hlc": outbox(a.db)[-1].hlc, "fields": fields}
    with httpx.Client(base_url=hq.url) as http:
        answer = http.post("/v1/push", json={"batch_id": str(uuid.uuid4()), "ops": [op]},
                           headers={"Authorization": f"Bearer {credential(a.db)}"}).json()
    assert (answer["accepted"], answer["rejected"]) == (1, [])
    a.sync()                                  # the store of this version pulls it
    with a.db.session() as s:
        row = s.get(Customer, uuid.UUID(cid))
        assert row is not None and row.given_name == "Old" and row.contact_preference == ""


def test_offline_then_back(hq, make_store):
    a = make_store("SA", hq)
    a.sync()
    hq.kill()
    with a.db.session(write=True) as s:
        customers.create_customer(s, a.admin, given_name="Off", family_name="Line")
    with pytest.raises(sync_client.HqUnreachable):
        a.sync()
    with a.db.session() as s:
        st = sync_client.status(s)
    assert st.pending == 1 and "cannot be reached" in st.last_error and st.last_success is not None
    hq.start()
    a.sync()
    with a.db.session() as s:
        st = sync_client.status(s)
    assert st.pending == 0 and st.last_error is None and st.cursor == st.head


def test_status_command(hq, make_store, capsys):
    a = make_store("SA", hq)
    with a.db.session(write=True) as s:
        customers.create_customer(s, a.admin, given_name="Q", family_name="Ueue")
    hq_main(["enroll-store", "SZ", "Orchard Shenzhen", "--db", hq.db_url])
    printed = capsys.readouterr().out
    assert "Enrolment code for SZ" in printed and len(printed.split(": ")[-1].strip()) == 19
    with a.client(batch_size=2) as c:
        c.push()
    hq_main(["status", "--db", hq.db_url])
    out = capsys.readouterr().out
    line_a = next(l for l in out.splitlines() if l.startswith("SA"))
    line_z = next(l for l in out.splitlines() if l.startswith("SZ"))
    assert "code issued" in line_z and "never" in line_z
    assert "s ago" in line_a
    _, stores, _ = service.status(hq.engine)
    sa = next(s for s in stores if s.code == "SA")
    assert sa.cursor_lag == 3, "pushed but not yet pulled back"
    a.sync()
    _, stores, _ = service.status(hq.engine)
    assert next(s for s in stores if s.code == "SA").cursor_lag == 0


def test_pulled_rows_are_not_captured_again(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    a.sync()
    before = len(outbox(b.db))
    b.sync()
    assert len(outbox(b.db)) == before
    with b.db.session() as s:
        assert s.get(Staff, a.admin.staff_id) is not None


def test_every_entity_has_a_policy_and_new_ones_derive_theirs():
    pol = merge.policies()
    synced = set(merge.synced_tables())
    assert set(pol) == synced
    assert pol["customer"].writer == merge.WRITER_ANY and pol["loyalty_entry"].writer == merge.WRITER_INSERT_ONLY
    assert pol["repair_ticket"].writer == merge.WRITER_OWNER and pol["price_book"].writer == merge.WRITER_HQ
    for name, p in pol.items():
        assert p.bucket in (merge.BUCKET_GLOBAL, merge.BUCKET_STORE, merge.BUCKET_CUSTOMER), name

    md = MetaData()
    Table("store", md, Column("id", Uuid, primary_key=True))
    Table("customer", md, Column("id", Uuid, primary_key=True))
    Table("warranty_claim", md, Column("id", Uuid, primary_key=True),
          Column("store_id", Uuid, ForeignKey("store.id"), nullable=False))
    Table("claim_photo", md, Column("id", Uuid, primary_key=True),
          Column("claim_id", Uuid, ForeignKey("warranty_claim.id")))
    Table("wishlist", md, Column("id", Uuid, primary_key=True), Column("customer_id", Uuid, ForeignKey("customer.id")))
    Table("loyalty_rule", md, Column("id", Uuid, primary_key=True), Column("points", Integer), Column("name", String))
    tables = dict(md.tables)
    derived = {n: merge._derive(n, tables) for n in ("warranty_claim", "claim_photo", "wishlist", "loyalty_rule")}
    assert (derived["warranty_claim"].writer, derived["warranty_claim"].bucket) == ("owner", "s")
    assert derived["claim_photo"].parent == ("claim_id", "warranty_claim") and derived["claim_photo"].bucket == "s"
    assert (derived["wishlist"].writer, derived["wishlist"].bucket) == ("any", "c")
    assert (derived["loyalty_rule"].writer, derived["loyalty_rule"].bucket) == ("hq", "g")


def test_sent_operations_leave_the_outbox_after_a_month(hq, make_store):
    from datetime import datetime, timedelta, timezone
    from sqlalchemy import update
    a = make_store("SA", hq)
    a.sync()
    old = outbox(a.db)[0].seq
    with a.db.session(write=True) as s:
        s.connection().execute(update(OutboxEntry).where(OutboxEntry.seq == old)
                               .values(sent_at=clock.now() - timedelta(days=40)))
        customers.create_customer(s, a.admin, given_name="New", family_name="One")
    a.sync()
    left = [o.seq for o in outbox(a.db)]
    assert old not in left and len(left) == 2, "the month-old one went; the recent ones stay"
