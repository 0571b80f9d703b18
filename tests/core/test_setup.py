"""First run at a store (core.setup): the answers name the field that is wrong, the store
is made whole or not at all (no file, no keyring entry after a failure at any step), the
draft never holds a secret, and enrolment with an HQ code takes the store's identity, time
zone, currency and reference data from a real HQ on PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, update

from core import recovery, setup, staff
from core.db import StoreDatabase
from core.errors import DatabaseExists, ValidationError, ValidationErrors
from core.models import ServiceType, Store
from core.sync import client as sync_client
from core.sync.apply import get_state
from hq import publish
from hq.models import hq_store
from tests.conftest import FAST_KDF
from tests.hq.conftest import _servers, hq, pg_database  # noqa: F401 - the real HQ's fixtures

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


def answers(tmp_path: Path, **over) -> setup.SetupAnswers:
    base = dict(language="en", mode="new", store_code="SH01", store_name="Orchard Nanjing Road",
                timezone="Asia/Shanghai", country="CN", currency="CNY", admin_name="Ada Admin",
                admin_number="7", admin_password="admin-pass-1", admin_pin="1111", key_mode="keyring",
                backup_folder=str(tmp_path / "backups"), receipt_printer="Counter receipts",
                label_printer="Brother QL")
    return setup.SetupAnswers(**{**base, **over})


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "backups")


# --- the answers ------------------------------------------------------------------------------

def test_every_wrong_answer_names_its_field(tmp_path):
    wrong = setup.SetupAnswers(language="fr", store_code="S", store_name="  ", timezone="Mars/Olympus",
                               country="China", currency="XXQ", admin_name="", admin_number="12a",
                               admin_password="short", admin_pin="12", key_mode="passphrase", passphrase="tiny",
                               backup_folder="relative/folder", receipt_printer="bad\nname")
    found = wrong.validate(keyring_ok=True).by_field
    assert found == {
        "language": "is not a language Orchard speaks", "store_code": "must be 2 to 8 letters or digits",
        "store_name": found["store_name"], "timezone": "is not a known time zone",
        "country": "must be a two-letter country code", "currency": "is not a known currency code",
        "admin_name": found["admin_name"], "admin_number": "must be 1 to 6 digits",
        "admin_password": "must be at least 8 characters", "admin_pin": "must be 4 to 8 digits",
        "passphrase": "must be at least 10 characters", "backup_folder": "must be a full path to a folder",
        "receipt_printer": "is not a printer name"}
    # one page at a time: only the fields asked about
    assert set(wrong.validate(["store_code", "timezone"], keyring_ok=True).by_field) == {"store_code", "timezone"}
    assert answers(tmp_path).validate(keyring_ok=True).errors == []


def test_keyring_mode_is_refused_where_there_is_no_keyring_and_enrolment_needs_url_and_code(tmp_path):
    no_keyring = answers(tmp_path).validate(keyring_ok=False).by_field
    assert no_keyring == {"key_mode": "this computer has no secure keyring: choose a passphrase"}
    enrol = answers(tmp_path, mode="enrol", store_code="", store_name="", timezone="", currency="",
                    hq_url="http://hq.example.com", enrolment_code="ABCD-EFGH")
    by_field = enrol.validate(keyring_ok=True).by_field
    assert set(by_field) == {"hq_url", "enrolment_code"}, "identity comes from HQ, not asked"
    assert by_field["enrolment_code"] == "must be the 16-character code HQ printed"


def test_an_answers_file_with_an_unknown_key_is_refused_by_name():
    with pytest.raises(ValidationErrors) as caught:
        setup.SetupAnswers.from_dict({"store_code": "SH01", "admin_pasword": "x"})
    assert caught.value.by_field == {"admin_pasword": "is not a set-up answer"}


def test_the_draft_keeps_answers_and_page_but_never_a_secret(tmp_path):
    db_path = tmp_path / "store.db"
    a = answers(tmp_path, key_mode="passphrase", passphrase="correct horse battery", mode="enrol",
                enrolment_code="ABCD-EFGH-JKMN-PQRS")
    written = setup.save_draft(db_path, a, 3)
    text = written.read_text("utf-8")
    for secret in ("admin-pass-1", "1111", "correct horse battery", "ABCD-EFGH-JKMN-PQRS"):
        assert secret not in text
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    back, page = setup.load_draft(db_path)
    assert page == 3
    assert (back.store_code, back.admin_name, back.backup_folder) == ("SH01", "Ada Admin", a.backup_folder)
    assert (back.admin_password, back.admin_pin, back.passphrase, back.enrolment_code) == ("", "", "", "")
    # a secret smuggled into a draft file by hand is not read back either
    data = json.loads(text)
    data["answers"]["admin_password"] = "planted-1234"
    written.write_text(json.dumps(data), "utf-8")
    assert setup.load_draft(db_path)[0].admin_password == ""
    setup.clear_draft(db_path)
    assert setup.load_draft(db_path) is None


def test_a_backup_folder_that_cannot_be_written_is_refused(tmp_path):
    assert setup.check_folder(tmp_path / "new" / "backups").is_dir()
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    with pytest.raises(ValidationError) as caught:
        setup.check_folder(not_a_folder / "backups")
    assert (caught.value.field, caught.value.reason) == ("backup_folder", "this folder cannot be written to")


# --- making the store ---------------------------------------------------------------------------

def test_a_new_store_is_made_with_its_admin_settings_and_a_working_recovery_key(tmp_path, memory_keyring):
    db_path = tmp_path / "store.db"
    result = setup.create_store(db_path, answers(tmp_path), now=NOW)
    db = result.db
    try:
        with db.session() as s:
            store = staff.current_store(s)
            assert (store.code, store.name, store.timezone, store.country, store.currency) == \
                ("SH01", "Orchard Nanjing Road", "Asia/Shanghai", "CN", "CNY")
            (admin,) = staff.list_staff(s, store.id)
            assert (admin.display_name, admin.staff_number, admin.role.value) == ("Ada Admin", "7", "admin")
            assert staff.authenticate(s, admin.id, pin="1111").staff_id == admin.id
            assert get_state(s, "printer.receipt") == "Counter receipts"
            assert get_state(s, "printer.label") == "Brother QL"
            assert get_state(s, "backup.folder") == str(tmp_path / "backups")
    finally:
        db.close()
    assert leftovers(tmp_path) == ["store.db", "store.db.meta.json"]
    assert (result.store_code, result.store_name, result.created_at) == ("SH01", "Orchard Nanjing Road", NOW)
    # the key is in the keyring, and the recovery key shown once opens the same database
    assert any(service == "Orchard" for service, _ in memory_keyring.store)
    key = recovery.unseal(db_path, result.recovery_code)
    memory_keyring.store.clear()
    reopened = StoreDatabase.recover(db_path, code=result.recovery_code)
    try:
        assert reopened._key == key
        with reopened.session() as s:
            assert staff.current_store(s).code == "SH01"
    finally:
        reopened.close()


def test_the_recovery_key_stays_unconfirmed_until_someone_says_it_is_stored(tmp_path, memory_keyring):
    """Set-up left on the key's page (or ``orchard setup`` with only a sheet file): the store
    says nobody confirmed its key; the wizard's tick, an admin saying so (audited), or a new
    key set by an admin clears it. Nobody below admin may."""
    from core.errors import PermissionDenied
    from core.models import AuditEvent
    from core.permissions import Role
    from core.staff import actor_for
    db_path = tmp_path / "store.db"
    db = setup.create_store(db_path, answers(tmp_path), now=NOW).db
    try:
        with db.session() as s:
            assert recovery.unconfirmed(s), "made, shown, not yet confirmed"
            admin = actor_for(staff.list_staff(s, staff.current_store(s).id)[0])
        setup.recovery_key_stored(db)                     # the wizard's Finish
        with db.session() as s:
            assert not recovery.unconfirmed(s)

        with db.session(write=True) as s:                 # left unconfirmed again
            recovery.mark_unconfirmed(s)
        recovery.set_key(db, admin, recovery.new_code())  # a new key the admin confirmed
        with db.session() as s:
            assert not recovery.unconfirmed(s)

        with db.session(write=True) as s:
            recovery.mark_unconfirmed(s)
            manager = staff.create_staff(s, admin, display_name="Mia Manager", role=Role.MANAGER,
                                         password="manager-pass-1", pin="2222")
        with pytest.raises(PermissionDenied), db.session(write=True) as s:
            recovery.confirm_stored(s, actor_for(manager))
        with db.session(write=True) as s:
            recovery.confirm_stored(s, admin)             # "It is stored", at the admin's sign-in
        with db.session() as s:
            assert not recovery.unconfirmed(s)
            actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("vault.recovery%"))
                                  .order_by(AuditEvent.seq)).all()
        assert actions == ["vault.recovery_key_set", "vault.recovery_key_confirmed"]
    finally:
        db.close()


def test_a_passphrase_store_opens_with_its_passphrase_only(tmp_path, fail_keyring):
    db_path = tmp_path / "store.db"
    a = answers(tmp_path, key_mode="passphrase", passphrase="a long store passphrase")
    setup.create_store(db_path, a, now=NOW, kdf=FAST_KDF).db.close()
    StoreDatabase.open(db_path, passphrase="a long store passphrase").close()
    with pytest.raises(Exception) as caught:
        StoreDatabase.open(db_path)
    assert type(caught.value).__name__ == "PassphraseRequired"


@pytest.mark.parametrize("step", ["bootstrap", "recovery", "rename"])
def test_a_failure_at_any_step_leaves_no_file_and_no_keyring_entry(tmp_path, memory_keyring, monkeypatch, step):
    db_path = tmp_path / "store.db"

    class Boom(RuntimeError):
        pass

    def boom(*a, **k):
        raise Boom(step)
    if step == "bootstrap":
        monkeypatch.setattr(staff, "bootstrap_store", boom)
    elif step == "recovery":
        monkeypatch.setattr(StoreDatabase, "enable_recovery", boom)
    else:
        real_rename = os.rename

        def rename(src, dst):          # the key information moved, then the database file fails
            if str(dst) == str(db_path):
                raise Boom(step)
            return real_rename(src, dst)
        monkeypatch.setattr(setup.os, "rename", rename)
    with pytest.raises(Boom):
        setup.create_store(db_path, answers(tmp_path), now=NOW)
    assert leftovers(tmp_path) == [], "nothing half-made is left behind"
    assert memory_keyring.store == {}, "no keyring entry is left behind"
    monkeypatch.undo()
    if step == "rename":                 # and a second try starts clean
        setup.create_store(db_path, answers(tmp_path), now=NOW).db.close()
        assert leftovers(tmp_path) == ["store.db", "store.db.meta.json"]


def test_set_up_never_touches_an_existing_store(tmp_path, memory_keyring):
    db_path = tmp_path / "store.db"
    setup.create_store(db_path, answers(tmp_path), now=NOW).db.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseExists):
        setup.create_store(db_path, answers(tmp_path, store_code="SH02"), now=NOW)
    assert db_path.read_bytes() == before
    assert leftovers(tmp_path) == ["store.db", "store.db.meta.json"]


def test_invalid_answers_create_nothing(tmp_path, memory_keyring):
    with pytest.raises(ValidationErrors) as caught:
        setup.create_store(tmp_path / "store.db", answers(tmp_path, admin_password="short"), now=NOW)
    assert set(caught.value.by_field) == {"admin_password"}
    assert leftovers(tmp_path) == [] and memory_keyring.store == {}


# --- enrolment with a real HQ ----------------------------------------------------------------------

def enrol_answers(tmp_path: Path, hq_url: str, code: str, **over) -> setup.SetupAnswers:
    return answers(tmp_path, **{"mode": "enrol", "store_code": "", "store_name": "", "timezone": "", "currency": "",
                                "hq_url": hq_url, "enrolment_code": code, **over})


def hq_keeps(hq, code: str, **values) -> None:
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        conn.execute(update(hq_store).where(hq_store.c.code == code).values(**values))


def battery_swap() -> tuple[uuid.UUID, publish.Change]:
    sid = uuid.uuid4()
    return sid, publish.Change("service_type", str(sid), {
        "id": str(sid), "code": "battery_swap", "name": "Battery swap", "duration_min": 40, "buffer_min": 5,
        "required_skill": "battery", "price_cents": 4900, "is_repair": True, "active": True})


def test_enrolment_takes_identity_time_zone_currency_and_reference_data_from_hq(tmp_path, memory_keyring, hq):
    one_time = hq.enrolment("SX", "Orchard Xuhui")
    hq_keeps(hq, "SX", timezone="Asia/Hong_Kong", currency="HKD")
    sid, change = battery_swap()
    publish.publish(hq.engine, [change])
    db_path = tmp_path / "store.db"
    # the answers say nothing of the store, or say something else: HQ's word counts
    a = enrol_answers(tmp_path, hq.url, one_time.lower(), timezone="Europe/London", currency="GBP", country="HK")
    result = setup.create_store(db_path, a, now=NOW)
    db = result.db
    try:
        with db.session() as s:
            store = staff.current_store(s)
            assert (store.code, store.name, store.timezone, store.currency, store.country) == \
                ("SX", "Orchard Xuhui", "Asia/Hong_Kong", "HKD", "HK")
            service = s.get(ServiceType, sid)
            assert (service.name, service.price_cents) == ("Battery swap", 4900), "reference data pulled"
            status = sync_client.status(s)
            assert status.enrolled and status.store_id == str(store.id)
        with hq.engine.connect() as conn:
            assert conn.execute(select(hq_store.c.store_id).where(hq_store.c.code == "SX")).scalar() == store.id
        # the store syncs as any enrolled store does
        with sync_client.SyncClient(db) as c:
            report = c.sync()
        assert report.pushed > 0
    finally:
        db.close()
    assert (result.store_code, result.store_name) == ("SX", "Orchard Xuhui")
    assert leftovers(tmp_path) == ["store.db", "store.db.meta.json"]


def test_hq_without_a_time_zone_asks_for_one_and_a_wrong_code_makes_nothing(tmp_path, memory_keyring, hq):
    one_time = hq.enrolment("SY", "Orchard Yangpu")
    db_path = tmp_path / "store.db"
    with pytest.raises(ValidationErrors) as caught:
        setup.create_store(db_path, enrol_answers(tmp_path, hq.url, one_time), now=NOW)
    assert caught.value.by_field == {"timezone": "HQ keeps no time zone for this store: choose one",
                                     "currency": "HQ keeps no currency for this store: choose one"}
    with pytest.raises(sync_client.HqRefused) as refused:
        setup.create_store(db_path, enrol_answers(tmp_path, hq.url, "ABCD-EFGH-JKMN-PQRS",
                                                  timezone="Asia/Shanghai", currency="CNY"), now=NOW)
    assert refused.value.template == "this enrolment code is not valid (wrong, used or expired)"
    assert leftovers(tmp_path) == [] and memory_keyring.store == {}
    # looking the code up used nothing: it still enrols, the answers' time zone filling HQ's gap
    result = setup.create_store(db_path, enrol_answers(tmp_path, hq.url, one_time, timezone="Asia/Shanghai",
                                                       currency="CNY"), now=NOW)
    with result.db.session() as s:
        assert (staff.current_store(s).code, staff.current_store(s).timezone) == ("SY", "Asia/Shanghai")
    result.db.close()


def test_a_failure_after_hq_took_the_code_keeps_the_store_id_for_the_next_code(tmp_path, memory_keyring, hq,
                                                                                 monkeypatch):
    one_time = hq.enrolment("SZ", "Orchard Zhabei")
    hq_keeps(hq, "SZ", timezone="Asia/Shanghai", currency="CNY")
    db_path = tmp_path / "store.db"

    def offline(self, *a, **k):
        raise sync_client.HqUnreachable("HQ cannot be reached; work continues offline")
    monkeypatch.setattr(sync_client.SyncClient, "pull", offline)
    with pytest.raises(setup.EnrolmentLost) as caught:
        setup.create_store(db_path, enrol_answers(tmp_path, hq.url, one_time), now=NOW)
    assert leftovers(tmp_path) == [] and memory_keyring.store == {}, "the HQ credential is forgotten too"
    monkeypatch.undo()
    lost_id = caught.value.store_id
    # HQ issues a new code for the same store; the next try enrols as the store HQ knows
    again = hq.enrolment("SZ", "Orchard Zhabei")
    result = setup.create_store(db_path, enrol_answers(tmp_path, hq.url, again, store_id=lost_id), now=NOW)
    with result.db.session() as s:
        assert str(s.scalars(select(Store.id).where(Store.code == "SZ")).one()) == lost_id
    result.db.close()
