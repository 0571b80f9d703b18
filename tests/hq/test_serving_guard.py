"""Issue 18, HQ and the chain's customers: a store changes a customer's rows only once it
serves them; an erasure needs a serving store and a staff role that may erase, and HQ
records who; a withdrawn ``hq_transfer`` consent keeps the person's data off HQ.

Each test attacks a real HQ process on PostgreSQL with real encrypted store databases,
the way the attack review did: with store A's own credential, against store B's customer."""

from __future__ import annotations

import json
import uuid

import psycopg
from sqlalchemy import select

from core import customers, privacy
from core import staff as staff_service
from core.models import Customer, Device, RepairTicket
from core.permissions import Role
from core.sync import client as sync_client
from hq.cli import main as hq_cli
from hq.models import hq_erased, hq_served
from hq.status import erasures
from tests.hq.util import Recorder, hq_rows, insert_quietly, outbox, parked

PHONE = "13800138000"
EMAIL = "ann.lee@example.com"


def make_customer(store, **values) -> uuid.UUID:
    values = {"given_name": "Ann", "family_name": "Lee", "phone": PHONE, "email": EMAIL, **values}
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, **values).id
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
    return cid


def add_staff(store, name: str, role: Role):
    with store.db.session(write=True) as s:
        info = staff_service.create_staff(s, store.admin, display_name=name, role=role, password="staff-pass-1",
                                          pin="2468")
    return staff_service.actor_for(info)


def local(store, model, id_):
    with store.db.session() as s:
        return s.get(model, id_)


def reasons(store) -> list[str]:
    return [o.rejected.split(":")[0] for o in parked(store.db)]


def pg_rows(hq, customer_id: uuid.UUID) -> list[tuple[str, str]]:
    """(entity, data as text) of every row PostgreSQL holds about the customer."""
    with psycopg.connect(hq.db_url) as conn:
        return [(e, d) for e, d in conn.execute(
            "SELECT entity, data::text FROM hq_row WHERE customer_id = %s OR entity_id = %s",
            (customer_id, str(customer_id)))]


def served(hq, store, customer_id) -> bool:
    with hq.engine.connect() as conn:
        return conn.execute(select(hq_served).where(hq_served.c.store_id == store.store_id,
                                                    hq_served.c.customer_id == customer_id)).first() is not None


def erased_rows(hq) -> list[dict]:
    with hq.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(hq_erased))]


def test_a_store_cannot_change_or_erase_a_customer_it_does_not_serve(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(b)
    b.sync()
    a.sync()
    assert local(a, Customer, cid) is None, "A does not serve B's customer"

    # A knows the id (and the phone) and forges the customer row into its own database
    insert_quietly(a.db, Customer(id=cid, given_name="Ann", family_name="Lee", phone_e164="+86" + PHONE))
    with a.db.session(write=True) as s:
        s.get(Customer, cid).given_name = "Mallory"
    with a.db.session(write=True) as s:
        c = s.get(Customer, cid)
        c.erased, c.erased_by_id = True, a.admin.staff_id      # A's admin may erase at A
        c.given_name, c.family_name, c.phone_e164 = "", "", None
    # and tries to become a server of the customer by naming them on its own ticket
    with a.db.session(write=True) as s:
        s.add(RepairTicket(store_id=a.store_id, number="SA-000001", customer_id=cid, reported_fault="x"))
    with a.db.session(write=True) as s:
        s.add(Device(customer_id=cid, model="iPhone 15", serial="F2LXK0AAQ1"))

    report = a.sync()
    assert reasons(a) == ["not_served"] * 4
    assert report.rejected == 4
    assert not served(hq, a, cid), "a refused change makes no store a server"
    row = hq_rows(hq, "customer")[str(cid)]["data"]
    assert row["given_name"] == "Ann" and row["erased"] is False and row["phone_e164"] == "+86" + PHONE
    assert erased_rows(hq) == []
    assert not hq_rows(hq, "repair_ticket") and not hq_rows(hq, "device")

    b.sync()
    c = local(b, Customer, cid)
    assert (c.given_name, c.family_name, c.phone_e164, c.erased) == ("Ann", "Lee", "+86" + PHONE, False)
    with b.db.session() as s:
        assert s.scalars(select(Device).where(Device.customer_id == cid)).all() == []


def test_erasure_needs_a_serving_store_and_a_role_that_may_erase(hq, make_store, capsys):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(b)
    b.sync()
    associate = add_staff(a, "Ed Associate", Role.ASSOCIATE)
    manager = add_staff(a, "Mia Manager", Role.MANAGER)
    a.sync()                                       # A's staff rows reach HQ
    assert sync_client.fetch_customer(a.db, a.admin, phone=PHONE, region="CN") == [cid]
    assert served(hq, a, cid)

    def forge_erasure(author_id: uuid.UUID) -> None:
        with a.db.session(write=True) as s:
            c = s.get(Customer, cid)
            c.erased, c.erased_by_id = True, author_id
            c.given_name, c.family_name, c.phone_e164, c.email = "", "", None, None

    # an associate may not erase (the app refuses it; a forged change is refused at HQ)
    forge_erasure(associate.staff_id)
    a.sync()
    # a manager of another store is no author for store A either, nor is an unknown id
    forge_erasure(b.admin.staff_id)
    a.sync()
    forge_erasure(uuid.uuid4())
    a.sync()
    # and an erasure that names nobody
    forge_erasure(None)
    a.sync()
    assert reasons(a) == ["not_allowed"] * 4
    assert erased_rows(hq) == []
    assert hq_rows(hq, "customer")[str(cid)]["data"]["given_name"] == "Ann"
    c = local(a, Customer, cid)
    assert not c.erased and c.given_name == "Ann", "A took HQ's version back"

    # a manager erases: accepted, and HQ records through which store and by whom
    with a.db.session(write=True) as s:
        privacy.erase_customer(s, manager, cid)
    a.sync()
    assert reasons(a) == ["not_allowed"] * 4
    [rec] = erased_rows(hq)
    assert (rec["customer_id"], rec["store_id"], rec["staff_id"]) == (cid, a.store_id, manager.staff_id)
    b.sync()
    c = local(b, Customer, cid)
    assert c.erased and c.given_name == "" and c.phone_e164 is None and c.erased_by_id == manager.staff_id

    [e] = erasures(hq.engine)
    assert (e.store_code, e.staff_id, e.customer_id) == ("SA", manager.staff_id, cid)
    assert hq_cli(["erasures", "--db", hq.db_url]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if str(cid) in ln)
    assert "SA" in line.split() and str(manager.staff_id) in line


def test_withdrawn_hq_transfer_keeps_personal_data_off_hq(hq, make_store):
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a, address="1 Apple Way")
    with a.db.session(write=True) as s:
        s.add(Device(customer_id=cid, model="iPhone 15", serial="F2LXK0AAQ1", imei="356938035643809"))
        s.add(RepairTicket(store_id=a.store_id, number="SA-000001", customer_id=cid,
                           reported_fault="cracked screen"))
    a.sync()
    assert sync_client.fetch_customer(b.db, b.admin, email=EMAIL) == [cid]
    personal = ("Ann", "Lee", PHONE, EMAIL, "Apple Way", "F2LXK0AAQ1", "356938035643809", "cracked screen")
    assert all(any(w in d for _, d in pg_rows(hq, cid)) for w in personal), "HQ held them while allowed"

    # an edit waiting in A's outbox, then the withdrawal, then another edit
    with a.db.session(write=True) as s:
        customers.update_customer(s, a.admin, cid, address="2 Pear Road")
    with a.db.session(write=True) as s:
        privacy.set_consent(s, a.admin, cid, "hq_transfer", False)
    with a.db.session(write=True) as s:
        customers.update_customer(s, a.admin, cid, given_name="Anne")
    # B, not yet told of the withdrawal, edits the person too
    with b.db.session(write=True) as s:
        customers.update_customer(s, b.admin, cid, family_name="Leigh")

    rec = Recorder()
    with a.client(transport=rec) as client:
        client.sync()
    sent = b"".join(rec.pushes).decode()
    assert not [w for w in ("Pear Road", "Anne") if w in sent], "A sends none of it"
    b.sync()
    a.sync()

    text = "\n".join(d for _, d in pg_rows(hq, cid))
    gone = personal + ("Pear Road", "Anne", "Leigh")
    assert not [w for w in gone if w in text], "HQ holds nothing personal"
    rows = {e for e, _ in pg_rows(hq, cid)}
    assert {"customer", "device", "repair_ticket", "consent"} <= rows, "the pseudonymous rows stay"

    # each store keeps the person's data as it had it
    c = local(a, Customer, cid)
    assert (c.given_name, c.family_name, c.phone_e164, c.email, c.address) == (
        "Anne", "Lee", "+86" + PHONE, EMAIL, "2 Pear Road")
    c = local(b, Customer, cid)
    assert (c.given_name, c.family_name, c.email) == ("Ann", "Leigh", EMAIL)
    with a.db.session() as s:
        d = s.scalars(select(Device).where(Device.customer_id == cid)).one()
        assert d.serial == "F2LXK0AAQ1"

    # a later ticket still attaches to the person by id, without its personal text
    with a.db.session(write=True) as s:
        t = RepairTicket(store_id=a.store_id, number="SA-000002", customer_id=cid,
                         reported_fault="battery swelling", labour_cents=4500)
        s.add(t)
    a.sync()
    row = hq_rows(hq, "repair_ticket")[str(t.id)]
    assert row["customer_id"] == cid and row["data"]["labour_cents"] == 4500
    assert "battery swelling" not in json.dumps(row["data"])
    assert "battery swelling" not in "\n".join(json.dumps(o.fields) for o in outbox(a.db))

    # consent given again: the current data goes back to HQ
    with a.db.session(write=True) as s:
        privacy.set_consent(s, a.admin, cid, "hq_transfer", True)
    a.sync()
    data = hq_rows(hq, "customer")[str(cid)]["data"]
    assert (data["given_name"], data["phone_e164"], data["address"]) == ("Anne", "+86" + PHONE, "2 Pear Road")
    assert hq_rows(hq, "repair_ticket")[str(t.id)]["data"]["reported_fault"] == "battery swelling"
    assert parked(a.db) == [] and parked(b.db) == []


def forge_op(store, entity: str, entity_id, op: str, fields: dict | None = None) -> None:
    """A captured change the app never makes (a patched or older store), pushed as is."""
    from core import clock
    from core.models import OutboxEntry, SyncState
    from core.sync.hlc import Timestamp, tick
    from core.sync.outbox import HLC_KEY
    with store.db.session(write=True) as s:
        last = Timestamp.decode(s.get(SyncState, HLC_KEY).value)
        stamp = tick(last, clock.now_ms(), last.node)
        s.get(SyncState, HLC_KEY).value = stamp.encode()
        s.add(OutboxEntry(op_id=uuid.uuid4(), entity=entity, entity_id=str(entity_id), op=op, fields=fields or {},
                          hlc=stamp.encode(), created_at=clock.now(), sent_at=None))


def test_a_serving_store_cannot_delete_a_customer_or_their_consents(hq, make_store):
    from core.models import Consent
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(b)
    b.sync()
    assert sync_client.fetch_customer(a.db, a.admin, phone=PHONE, region="CN") == [cid]
    with a.db.session() as s:
        [consent_id] = s.scalars(select(Consent.id).where(Consent.customer_id == cid)).all()

    # A serves the customer; it pushes deletes no app path makes: the person (and the
    # consent on record) would vanish at every store, with no erasure right checked
    forge_op(a, "consent", consent_id, "delete")
    forge_op(a, "customer", cid, "delete")
    report = a.sync()
    assert reasons(a) == ["not_allowed", "not_allowed"]
    assert report.rejected == 2
    assert hq_rows(hq, "customer")[str(cid)]["deleted"] is False
    assert hq_rows(hq, "consent")[str(consent_id)]["deleted"] is False
    assert erased_rows(hq) == []

    b.sync()
    c = local(b, Customer, cid)
    assert c is not None and c.given_name == "Ann" and not c.erased
    assert local(b, Consent, consent_id) is not None


def test_withdrawn_hq_transfer_keeps_personal_json_keys_off_hq(hq, make_store):
    a = make_store("SA", hq)
    cid = make_customer(a)
    with a.db.session(write=True) as s:
        t1 = RepairTicket(store_id=a.store_id, number="SA-000001", customer_id=cid,
                          intake_condition={"notes": "NOTE-ONE", "screen": "cracked"},
                          quality_check={"note": "QC-ONE", "passed": True})
        s.add(t1)
    a.sync()
    assert "NOTE-ONE" in json.dumps(hq_rows(hq, "repair_ticket")[str(t1.id)]["data"]), "held while allowed"

    with a.db.session(write=True) as s:
        privacy.set_consent(s, a.admin, cid, "hq_transfer", False)
    with a.db.session(write=True) as s:
        s.get(RepairTicket, t1.id).intake_condition = {"notes": "NOTE-TWO", "screen": "cracked"}
        t2 = RepairTicket(store_id=a.store_id, number="SA-000002", customer_id=cid,
                          intake_condition={"notes": "NOTE-THREE", "screen": "ok"},
                          quality_check={"note": "QC-TWO", "passed": False})
        s.add(t2)
    rec = Recorder()
    with a.client(transport=rec) as client:
        client.sync()
    sent = b"".join(rec.pushes).decode()
    assert not [w for w in ("NOTE-TWO", "NOTE-THREE", "QC-TWO") if w in sent], "A sends none of it"

    # a store that does not withhold (older, or patched) pushes the key anyway: HQ leaves it out
    forge_op(a, "repair_ticket", t1.id, "update", {"intake_condition": {"notes": "NOTE-FORGED", "screen": "x"}})
    a.sync()
    assert parked(a.db) == []
    text = "\n".join(d for _, d in pg_rows(hq, cid))
    assert not [w for w in ("NOTE-ONE", "NOTE-TWO", "NOTE-THREE", "NOTE-FORGED", "QC-ONE", "QC-TWO")
                if w in text], "HQ holds no personal key"
    new = hq_rows(hq, "repair_ticket")[str(t2.id)]
    assert new["customer_id"] == cid and "intake_condition" not in new["data"], "left out, as a whole column"
    with a.db.session() as s:
        assert s.get(RepairTicket, t2.id).intake_condition["notes"] == "NOTE-THREE", "A keeps its own"
        assert s.get(RepairTicket, t1.id).quality_check["note"] == "QC-ONE"


def test_withheld_required_columns_arrive_blank_at_other_stores(hq, make_store):
    from sqlalchemy import delete as sql_delete

    from core.models import CustomerNote, Feedback
    from core.sync.apply import CURSOR_KEY, remote_session, set_state
    a = make_store("SA", hq)
    b = make_store("SB", hq)
    cid = make_customer(a)
    a.sync()
    assert sync_client.fetch_customer(b.db, b.admin, email=EMAIL) == [cid]
    with a.db.session(write=True) as s:
        privacy.set_consent(s, a.admin, cid, "hq_transfer", False)
    a.sync()
    with a.db.session(write=True) as s:
        privacy.add_note(s, a.admin, cid, "prefers calls after six")
        fb = Feedback(customer_id=cid, store_id=a.store_id, category="complaint", text="rude on the phone")
        s.add(fb)
    a.sync()
    assert "prefers calls" not in "\n".join(d for _, d in pg_rows(hq, cid))

    # B serves the customer: the note HQ holds without its text arrives, blank
    report = b.sync()
    assert report.rejected == 0
    with b.db.session() as s:
        notes = s.scalars(select(CustomerNote).where(CustomerNote.customer_id == cid)).all()
    assert [n.text for n in notes] == [""]

    # A rebuilt from HQ (its feedback row gone, its cursor back at the start): the row comes back
    with remote_session(a.db) as s:
        s.connection().execute(sql_delete(Feedback.__table__).where(Feedback.__table__.c.id == fb.id))
        set_state(s, CURSOR_KEY, "0")
    a.pull()
    got = local(a, Feedback, fb.id)
    assert got is not None and (got.text, got.category, got.customer_id) == ("", "complaint", cid)
    with a.db.session() as s:
        notes = s.scalars(select(CustomerNote).where(CustomerNote.customer_id == cid)).all()
    assert [n.text for n in notes] == ["prefers calls after six"], "a row here keeps its own text"
