"""A ticket's history keeps the system's words as a code with parameters and words them in
the reader's language when shown: a Chinese reader sees Chinese, with the amount in the
store's currency as Chinese writes it; what staff typed stays as typed."""

from __future__ import annotations

import importlib.util
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

from core import clock, repairs
from core.models import RepairEvent, Store
from core.models.base import UTCDateTime
from core.repairs import QuoteLine
from core.terms import HISTORY_NOTES, history_note
from tests.core.test_repairs import ALL_PASS, bench, intake, read, write  # noqa: F401  (bench: a fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def yuan_bench(bench):
    """The bench of a store that charges in yuan."""
    write(bench.db, lambda s: setattr(s.get(Store, bench.store_id), "currency", "CNY"))
    return bench


def _events(b, ticket_id):
    return read(b.db, lambda s: [(e.to_status, e.note_code, dict(e.note_params), e.note) for e in s.scalars(
        select(RepairEvent).where(RepairEvent.ticket_id == ticket_id).order_by(RepairEvent.at, RepairEvent.id))])


def _quoted(b):
    """A ticket quoted above the customer's approval limit: display and labour, ¥1,749.00."""
    t = intake(b)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Display cracked; touch works",
                                        lines=[QuoteLine(b.parts["SCR-IP15"])], labour_cents=15000))
    return t


def test_system_entries_are_stored_as_codes_with_their_parameters(yuan_bench):
    b = yuan_bench
    t = _quoted(b)
    write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=True, channel="phone",
                                                  note="客户说周五来取"))
    write(b.db, lambda s: repairs.finish_repair(s, b.tech, t.id))
    write(b.db, lambda s: repairs.quality_check(s, b.manager, t.id, dict(ALL_PASS, touch=False, cameras=False)))
    assert _events(b, t.id) == [
        ("new", "checked_in", {}, ""),
        ("diagnosing", "diagnosis_started", {}, ""),
        ("awaiting_approval", "quote_sent", {"amount_cents": 174900, "currency": "CNY"}, ""),
        ("in_repair", "quote_approved", {"channel": "phone", "parts_reserved": True}, "客户说周五来取"),
        ("quality_check", "repair_done", {}, ""),
        ("in_repair", "qc_failed", {"checks": ["touch", "cameras"]}, ""),
    ]


def test_the_history_reads_in_the_readers_language_with_the_amount_in_the_store_currency(yuan_bench):
    b = yuan_bench
    t = _quoted(b)
    write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=True, channel="phone",
                                                  note="客户说周五来取"))
    write(b.db, lambda s: repairs.finish_repair(s, b.tech, t.id))
    write(b.db, lambda s: repairs.quality_check(s, b.manager, t.id, dict(ALL_PASS, touch=False)))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert [h.text("zh_CN") for h in d.history] == [
        "已在柜台登记", "开始检测", "报价已发送给客户：¥1,749.00", "客户已同意报价（电话）；配件已预留；客户说周五来取",
        "维修完成，测试中", "质检未通过：触控"]
    assert [h.text("en") for h in d.history] == [
        "Checked in at the counter", "Diagnosis started", "Quote sent to the customer: CN¥1,749.00",
        "Customer approved the quote (by phone); parts reserved; 客户说周五来取", "Repair done; testing",
        "Failed checks: Touch"]


def test_a_quote_within_the_limit_waiting_for_parts_and_a_refusal_are_worded_too(yuan_bench):
    b = yuan_bench
    t = intake(b, approval_limit_cents=500000)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Battery worn",
                                        lines=[QuoteLine(b.parts["BAT-IP15"], 2)], labour_cents=0))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.status == "awaiting_parts"
    assert d.history[-1].text("zh_CN") == "报价在客户授权额度内：¥998.00；等待配件：BAT-IP15"
    assert d.history[-1].text("en") == \
        "Quote within the customer's approval limit: CN¥998.00; waiting for parts: BAT-IP15"
    t2 = _quoted(b)
    write(b.db, lambda s: repairs.record_approval(s, b.associate, t2.id, approved=False, channel="sms"))
    d2 = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t2.id))
    assert d2.history[-1].text("zh_CN") == "客户已拒绝报价（短信）"


def test_every_history_wording_is_in_both_languages_with_the_same_placeholders():
    for code, entry in HISTORY_NOTES.items():
        assert entry["en"].strip() and entry["zh_CN"].strip(), code
        assert set(re.findall(r"{(\w+)}", entry["en"])) == set(re.findall(r"{(\w+)}", entry["zh_CN"])), code
    # an unknown code reads as itself; no code, only what staff typed
    assert history_note("brand_new_step", {}, "zh_CN") == "brand new step"
    assert history_note(None, {}, "zh_CN", "  as typed ") == "as typed"


def _migration():
    spec = importlib.util.spec_from_file_location(
        "history_codes_0013", ROOT / "core" / "migrations" / "versions" / "0013_history_codes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_old_english_system_notes_are_converted_to_codes_and_staff_notes_kept(yuan_bench):
    b = yuan_bench
    t = intake(b)
    migration = _migration()
    old = sa.table("repair_event", sa.column("id", sa.Uuid()), sa.column("ticket_id", sa.Uuid()),
                   sa.column("at", UTCDateTime()), sa.column("staff_id", sa.Uuid()),
                   sa.column("from_status", sa.String()), sa.column("to_status", sa.String()),
                   sa.column("note", sa.String()))
    start = clock.now()
    notes = [("new", "diagnosing", "Diagnosis started"),
             ("diagnosing", "awaiting_approval", "Quote sent to the customer"),
             ("awaiting_approval", "in_repair", "Customer approved the quote (phone); parts reserved"),
             ("in_repair", "quality_check", "Repair done; testing"),
             ("quality_check", "in_repair", "Failed checks: touch, cameras; 屏幕边缘翘起"),
             ("in_repair", "in_repair", "Assigned to Zhao Min"),
             ("in_repair", "in_repair", "Customer will call on Friday"),
             ("in_repair", "in_repair", "Customer will call; parts reserved")]
    with b.db.engine.connect() as conn:
        with conn.begin():
            with Operations.context(MigrationContext.configure(conn)):
                migration.downgrade()     # the table as it was: the intake entry reads in English again
                assert conn.execute(sa.text("SELECT note FROM repair_event")).scalar() == "Checked in at the counter"
                conn.execute(old.insert(), [
                    dict(id=uuid.uuid4(), ticket_id=t.id, at=start + timedelta(minutes=i + 1), staff_id=None,
                         from_status=f, to_status=to, note=note) for i, (f, to, note) in enumerate(notes)])
                migration.upgrade()
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert [h.text("zh_CN") for h in d.history] == [
        "已在柜台登记", "开始检测", "报价已发送给客户", "客户已同意报价（电话）；配件已预留", "维修完成，测试中",
        "质检未通过：触控、摄像头；屏幕边缘翘起", "已分配给Zhao Min", "Customer will call on Friday",
        "配件已预留；Customer will call"]
    assert [(h.note_code, h.note) for h in d.history][-2:] == [(None, "Customer will call on Friday"),
                                                                (None, "Customer will call")]
    assert d.history[0].text("en") == "Checked in at the counter"


def test_sync_carries_the_code_and_its_parameters(yuan_bench):
    """The outbox sends the code and parameters; a row arriving from HQ keeps them, so the
    other store words the entry in its own reader's language."""
    from core.models import OutboxEntry
    from core.sync.apply import apply_rows
    b = yuan_bench
    t = _quoted(b)
    sent = read(b.db, lambda s: [(o.entity_id, dict(o.fields)) for o in s.scalars(
        select(OutboxEntry).where(OutboxEntry.entity == "repair_event", OutboxEntry.op == "insert")
        .order_by(OutboxEntry.seq))])
    entity_id, fields = sent[-1]
    assert (fields["note_code"], fields["note_params"]) == ("quote_sent", {"amount_cents": 174900, "currency": "CNY"})

    def forget(s):     # as if the entry had been written at another store: gone here, nothing pending
        s.delete(s.get(RepairEvent, uuid.UUID(entity_id)))
        s.flush()
        for o in s.scalars(select(OutboxEntry)):
            o.sent_at = clock.now()
    write(b.db, forget)
    result = apply_rows(b.db, [{"entity": "repair_event", "id": entity_id, "data": fields, "stamps": {}}])
    assert not result.errors
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.history[-1].text("zh_CN") == "报价已发送给客户：¥1,749.00"
