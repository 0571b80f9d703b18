"""Staff PIN hashes never leave the store (issue 18): a 4-digit PIN was cracked offline in
31 s from HQ's copy. Run against a real HQ process on PostgreSQL (and HQ's SQLite for the
migration)."""

from __future__ import annotations

import importlib.util
import json
import uuid
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import insert, select, text

from core import clock, secrets_hash, staff
from core.models import OutboxEntry, Staff, SyncState
from core.sync.hlc import Timestamp, tick
from core.permissions import Role
from core.sync.outbox import HLC_KEY
from hq.models import hq_row
from tests.hq.util import hq_rows, outbox

MIGRATION = Path(__file__).resolve().parents[2] / "hq/migrations/versions/hq0006_staff_secrets_stay_home.py"


def _pin_hashes(db) -> dict[str, str]:
    with db.session() as s:
        return {str(st.id): st.pin_hash for st in s.scalars(select(Staff)) if st.pin_hash}


def _hq_row_text(hq) -> str:
    """Every byte of hq_row as PostgreSQL (or SQLite) renders it: data, stamps, everything."""
    with hq.engine.connect() as conn:
        if hq.engine.dialect.name == "postgresql":
            return "\n".join(conn.scalars(text("SELECT hq_row::text FROM hq_row")))
        return "\n".join(json.dumps(r.data) + json.dumps(r.stamps) for r in conn.execute(select(hq_row)))


def test_pin_hashes_are_never_pushed_nor_kept_at_hq(hq, make_store):
    a = make_store("PA", hq)
    with a.db.session(write=True) as s:
        tech = staff.create_staff(s, a.admin, display_name="Tess Tech", role=Role.TECHNICIAN,
                                  password="password-22", pin="2468")
    with a.db.session(write=True) as s:
        staff.set_pin(s, a.admin, tech.id, "1357")          # an update of the PIN alone
    hashes = _pin_hashes(a.db)
    assert len(hashes) == 2
    # not captured: no outbox row names a PIN hash
    assert all("pin_hash" not in (o.fields or {}) for o in outbox(a.db, entity="staff"))
    assert a.sync().rejected == 0

    rows = hq_rows(hq, "staff")
    assert set(rows) == set(hashes)
    for row in rows.values():
        assert "pin_hash" not in row["data"] and "pin_hash" not in row["stamps"]
        assert secrets_hash.password_cost_ok(row["data"]["password_hash"]), "what roams has the vault's cost"
    everything = _hq_row_text(hq)
    assert "pin_hash" not in everything
    assert not any(h in everything or h.split("$")[-1] in everything for h in hashes.values())

    # the store's own PINs survive pulling its rows back, and still sign in
    a.sync()
    assert _pin_hashes(a.db) == hashes
    with a.db.session(write=True) as s:
        assert staff.authenticate(s, tech.id, pin="1357", now=clock.now()).staff_id == tech.id


def test_hq_drops_a_pin_hash_an_older_store_still_pushes(hq, make_store):
    a = make_store("PB", hq)
    a.sync()
    with a.db.session(write=True) as s:
        admin_row = s.get(Staff, a.admin.staff_id)
        leaked = admin_row.pin_hash
        # an operation captured before this version: the PIN hash in the fields
        last = Timestamp.decode(s.get(SyncState, HLC_KEY).value)
        s.add(OutboxEntry(op_id=uuid.uuid4(), entity="staff", entity_id=str(admin_row.id), op="update",
                          fields={"pin_hash": leaked, "display_name": "Ada A. Admin"},
                          hlc=tick(last, clock.now_ms(), last.node).encode(), created_at=clock.now(), sent_at=None))
    report = a.sync()
    assert report.rejected == 0, "the rest of the operation is taken"
    row = hq_rows(hq, "staff")[str(a.admin.staff_id)]
    assert row["data"]["display_name"] == "Ada A. Admin"
    assert "pin_hash" not in row["data"] and "pin_hash" not in row["stamps"]
    assert leaked not in _hq_row_text(hq)


def _run_hq0006(conn) -> None:
    spec = importlib.util.spec_from_file_location("hq0006_under_test", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Operations.context(MigrationContext.configure(conn)):
        module.upgrade()


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_migration_hq0006_removes_the_pin_hashes_hq_kept(hq):
    store_id = uuid.uuid4()
    leaked = secrets_hash.hash_secret("1234")
    staff_id, other_id = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = "001765000000000-000000-store"
    strong = secrets_hash.hash_password("password-22")
    weak = secrets_hash.hash_secret("password-22")          # an older store's cheaper hash
    strong_id, weak_id = str(uuid.uuid4()), str(uuid.uuid4())
    rows = [
        dict(lane=0, entity="staff", entity_id=strong_id, seq=4, bucket="g", owner_store_id=store_id, deleted=False,
             data={"id": strong_id, "role": "manager", "password_hash": strong},
             stamps={"*": stamp, "password_hash": stamp}),
        dict(lane=0, entity="staff", entity_id=weak_id, seq=5, bucket="g", owner_store_id=store_id, deleted=False,
             data={"id": weak_id, "role": "manager", "password_hash": weak},
             stamps={"*": stamp, "password_hash": stamp}),
        dict(lane=0, entity="staff", entity_id=staff_id, seq=1, bucket="g", owner_store_id=store_id, deleted=False,
             data={"id": staff_id, "store_id": str(store_id), "role": "admin", "password_hash": "$argon2id$x",
                   "pin_hash": leaked},
             stamps={"*": stamp, "pin_hash": stamp}),
        dict(lane=0, entity="staff", entity_id=other_id, seq=2, bucket="g", owner_store_id=store_id, deleted=False,
             data={"id": other_id, "role": "technician", "pin_hash": None}, stamps={"*": stamp}),
        # another entity's field of that name is not the migration's business
        dict(lane=0, entity="part", entity_id=str(uuid.uuid4()), seq=3, bucket="g", owner_store_id=None, deleted=False,
             data={"name": "pin_hash kit"}, stamps={"*": stamp}),
    ]
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        conn.execute(insert(hq_row), rows)
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        _run_hq0006(conn)
    after = hq_rows(hq, "staff")
    # a malformed hash is no hash at the vault's cost either
    assert after[staff_id]["data"] == {"id": staff_id, "store_id": str(store_id), "role": "admin"}
    assert after[staff_id]["stamps"] == {"*": stamp}
    assert after[other_id]["data"] == {"id": other_id, "role": "technician"}
    assert after[strong_id]["data"]["password_hash"] == strong, "a hash at the vault's cost roams on"
    assert after[strong_id]["stamps"] == {"*": stamp, "password_hash": stamp}
    assert after[weak_id]["data"] == {"id": weak_id, "role": "manager"}
    assert after[weak_id]["stamps"] == {"*": stamp}
    assert sorted(r["seq"] for r in after.values()) == [1, 2, 4, 5], "nothing to pull again"
    everything = _hq_row_text(hq)
    assert leaked not in everything and weak not in everything and "$argon2id$x" not in everything
    assert hq_rows(hq, "part") and list(hq_rows(hq, "part").values())[0]["data"] == {"name": "pin_hash kit"}


def test_hq_drops_a_password_hash_below_the_vaults_cost(hq, make_store):
    a = make_store("PC", hq)
    b = make_store("PD", hq)
    a.sync()
    b.sync()
    with a.db.session(write=True) as s:
        tech = staff.create_staff(s, a.admin, display_name="Tess Tech", role=Role.TECHNICIAN,
                                  password="password-22", pin="2468")
    weak_new = secrets_hash.hash_secret("password-22")
    weak_admin = secrets_hash.hash_secret("admin-pass-9")
    with a.db.session(write=True) as s:
        # an older store: the new staff member's insert carries a cheap hash ...
        [ins] = [o for o in s.scalars(select(OutboxEntry).where(OutboxEntry.entity == "staff",
                                                                OutboxEntry.entity_id == str(tech.id)))
                 if o.op == "insert"]
        ins.fields = {**ins.fields, "password_hash": weak_new}
        # ... and so does an update of the admin's password
        last = Timestamp.decode(s.get(SyncState, HLC_KEY).value)
        stamp = tick(last, clock.now_ms(), last.node).encode()
        s.get(SyncState, HLC_KEY).value = stamp
        s.add(OutboxEntry(op_id=uuid.uuid4(), entity="staff", entity_id=str(a.admin.staff_id), op="update",
                          fields={"password_hash": weak_admin, "display_name": "Ada A. Admin"},
                          hlc=stamp, created_at=clock.now(), sent_at=None))
    report = a.sync()
    assert report.rejected == 0, "the rest of each operation is taken"
    rows = hq_rows(hq, "staff")
    assert rows[str(tech.id)]["data"]["display_name"] == "Tess Tech"
    assert "password_hash" not in rows[str(tech.id)]["data"]
    assert rows[str(a.admin.staff_id)]["data"]["display_name"] == "Ada A. Admin"
    assert secrets_hash.password_cost_ok(rows[str(a.admin.staff_id)]["data"]["password_hash"]), \
        "the strong hash HQ held stays"
    everything = _hq_row_text(hq)
    assert weak_new not in everything and weak_admin not in everything

    # another store gets the staff row without the hash HQ does not hold: blank, and taken
    assert b.sync().rejected == 0
    with b.db.session() as s:
        got = s.get(Staff, tech.id)
        assert got is not None and got.display_name == "Tess Tech" and got.password_hash == ""
