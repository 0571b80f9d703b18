"""The bench: repair tickets from intake to pickup, as the counter and the technicians
use them, and a state machine that drives random sequences of ticket actions."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, settings, strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from core import audit, clock, customers, repairs, staff
from core.db import StoreDatabase
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError, ValidationErrors
from core.models import (
    Appointment, AuditEvent, Device, OutboxEntry, Part, PartStock, RepairEvent, RepairPart, RepairTicket,
    ServiceType, Store, SyncState,
)
from core.permissions import Role
from core.repairs import QuoteLine
from core.repairs.estimate import within_opening_hours
from tests.conftest import FAST_KDF

IMEI = "356938035643809"            # Luhn-valid
PASSCODE = "483920"
ALL_PASS = {c: True for c in repairs.QC_CHECKS}
CONDITION = {"screen": "cracked", "body": "worn", "buttons": "ok", "cameras": "ok", "liquid_indicator": "clear",
             "powers_on": True}
TODAY = clock.now().date()


@dataclass
class Bench:
    db: StoreDatabase
    store_id: uuid.UUID
    admin: object
    tech: object
    tech2: object
    manager: object
    associate: object
    customer_id: uuid.UUID
    devices: dict[str, uuid.UUID] = field(default_factory=dict)
    parts: dict[str, uuid.UUID] = field(default_factory=dict)


def make_bench(db, admin, store_id) -> Bench:
    """A store with a technician or two, a manager, a customer with three devices (in
    warranty, with accident coverage, out of both) and two parts in stock."""
    with db.session(write=True) as s:
        people = {}
        for key, name, role in (("tech", "Li Qiang", Role.TECHNICIAN), ("tech2", "Zhao Min", Role.TECHNICIAN),
                                ("manager", "Chen Jing", Role.MANAGER), ("associate", "Wang Lei", Role.ASSOCIATE)):
            info = staff.create_staff(s, admin, display_name=name, role=role, password="long-password-1",
                                      pin=None)
            people[key] = staff.actor_for(info)
        c = customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13800138000")
        devices = {}
        for key, warranty, coverage in (("warranty", TODAY + timedelta(days=90), None),
                                        ("coverage", TODAY - timedelta(days=30), TODAY + timedelta(days=300)),
                                        ("plain", TODAY - timedelta(days=400), None)):
            d = Device(customer_id=c.id, kind="phone", model="iPhone 15", warranty_end=warranty, coverage_end=coverage)
            s.add(d)
            s.flush()
            devices[key] = d.id
        parts = {}
        for sku, name, price, on_hand in (("SCR-IP15", "iPhone 15 display assembly", 159900, 2),
                                          ("BAT-IP15", "iPhone 15 battery", 49900, 1)):
            p = Part(sku=sku, name=name, price_cents=price, fits="iPhone 15")
            s.add(p)
            s.flush()
            s.add(PartStock(store_id=store_id, part_id=p.id, on_hand=on_hand, reserved=0))
            parts[sku] = p.id
    return Bench(db, store_id, admin, people["tech"], people["tech2"], people["manager"], people["associate"],
                 c.id, devices, parts)


@pytest.fixture
def bench(store_setup):
    db, store_id, admin = store_setup
    return make_bench(db, admin, store_id)


def write(db, fn):
    with db.session(write=True) as s:
        return fn(s)


def read(db, fn):
    with db.session() as s:
        return fn(s)


def intake(b: Bench, **kw):
    values = dict(customer_id=b.customer_id, device_id=b.devices["plain"], reported_fault="Screen cracked after a drop",
                  condition=CONDITION, condition_notes="Scratch on the back", accessories="Case",
                  approval_limit_cents=50000, contact_preference="sms", passcode=PASSCODE)
    values.update(kw)
    return write(b.db, lambda s: repairs.open_ticket(s, b.associate, **values))


def stock(b: Bench, sku: str) -> tuple[int, int]:
    return read(b.db, lambda s: (lambda ps: (ps.on_hand, ps.reserved))(
        s.get(PartStock, (b.store_id, b.parts[sku]))))


# --- intake ----------------------------------------------------------------------------------------

def test_intake_numbers_the_ticket_and_records_the_device_and_its_condition(bench):
    b = bench
    t = intake(b, device_id=None, device_model="iPhone 15 Pro", imei="35-693803-564380-9", serial="f2lx12ab")
    assert t.status == "new" and t.number == "SH01-000001"
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert (d.device_model, d.imei, d.serial) == ("iPhone 15 Pro", IMEI, "F2LX12AB")
    assert dict(d.condition)["screen"] == "cracked" and d.condition_notes == "Scratch on the back"
    assert d.accessories == "Case" and d.approval_limit_cents == 50000 and d.has_passcode
    # due three days on, or at the next opening when that falls outside the store's hours
    tz, hours = read(b.db, lambda s: (lambda st: (st.timezone, dict(st.opening_hours)))(s.get(Store, b.store_id)))
    assert d.due_at is not None and d.due_at - d.created_at >= timedelta(hours=repairs.DEFAULT_DUE_HOURS)
    assert within_opening_hours(d.due_at, tz, hours)
    assert [(h.from_status, h.to_status, h.staff) for h in d.history] == [(None, "new", "Wang Lei")]
    # the same phone again: the same device record, a new number
    t2 = intake(b, device_id=None, device_model="iPhone 15 Pro", imei=IMEI)
    assert t2.device_id == t.device_id and t2.number == "SH01-000002"


def test_intake_checks_every_field_and_says_which(bench):
    b = bench
    with pytest.raises(ValidationErrors) as err:
        intake(b, device_id=None, device_model="", imei="356938035643808", reported_fault=" ",
               condition={"screen": "shattered", "powers_on": "yes"}, approval_limit_cents=-5,
               contact_preference="pigeon", passcode="x" * 65)
    fields = err.value.by_field
    assert fields["imei"] == "check digit does not match"
    assert set(fields) == {"device_model", "imei", "reported_fault", "condition_screen", "condition_powers_on",
                           "approval_limit", "contact_preference", "passcode"}
    assert "356938035643808" not in str(err.value)
    with pytest.raises(ValidationError) as one:
        intake(b, contact_preference="email")      # the customer gave no e-mail address
    assert one.value.field == "contact_preference"
    assert read(b.db, lambda s: s.scalar(select(func.count()).select_from(RepairTicket))) == 0


def test_passcode_is_sealed_kept_out_of_sync_shown_on_request_and_purged_at_pickup(bench):
    b = bench
    t = intake(b)
    with b.db.session() as s:
        sealed = s.get(RepairTicket, t.id).passcode_sealed
        key_row = s.get(SyncState, repairs.SEAL_KEY)
        synced = [r.fields for r in s.scalars(select(OutboxEntry).where(OutboxEntry.entity == "repair_ticket"))]
    assert sealed and PASSCODE.encode() not in sealed and len(sealed) > len(PASSCODE) + 12
    assert key_row is not None and "passcode_sealed" not in synced[0] and synced[0]["number"] == t.number
    assert write(b.db, lambda s: repairs.reveal_passcode(s, b.tech, t.id)) == PASSCODE
    assert read(b.db, lambda s: s.scalar(select(func.count()).select_from(AuditEvent)
                                         .where(AuditEvent.action == "ticket.passcode_view"))) == 1
    # a sealed value moved to another ticket does not open there
    t2 = intake(b, passcode="0000")
    with b.db.session(write=True) as s:
        s.get(RepairTicket, t2.id).passcode_sealed = sealed
    with pytest.raises(Conflict):
        write(b.db, lambda s: repairs.reveal_passcode(s, b.tech, t2.id))

    _repair_to_ready(b, t.id)
    write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, identity="8000", collected_by="张伟", signature_name="张伟",
                                         payment_status="paid"))
    with b.db.session() as s:
        assert s.get(RepairTicket, t.id).passcode_sealed is None
        rows = s.scalars(select(OutboxEntry).where(OutboxEntry.entity == "repair_ticket")).all()
    assert all("passcode_sealed" not in r.fields for r in rows)
    assert write(b.db, lambda s: repairs.reveal_passcode(s, b.tech, t.id)) is None


def test_intake_from_a_checked_in_appointment_takes_its_customer_and_technician(bench):
    b = bench
    with b.db.session(write=True) as s:
        svc = ServiceType(code="screen_repair", name="Screen repair", duration_min=45, is_repair=True)
        s.add(svc)
        s.flush()
        now = clock.now()
        booked = Appointment(store_id=b.store_id, customer_id=b.customer_id, service_type_id=svc.id,
                             technician_id=b.tech2.staff_id, starts_at=now, ends_at=now + timedelta(hours=1))
        here = Appointment(store_id=b.store_id, customer_id=b.customer_id, service_type_id=svc.id,
                           technician_id=b.tech.staff_id, starts_at=now, ends_at=now + timedelta(hours=1),
                           status="checked_in", checked_in_at=now)
        s.add_all([booked, here])
    with pytest.raises(Conflict, match="not checked in"):
        intake(b, customer_id=None, appointment_id=booked.id)
    ctx = write(b.db, lambda s: repairs.intake_context(s, b.associate, appointment_id=here.id))
    assert ctx.customer_name == "张伟" and ctx.appointment.service == "Screen repair"
    assert {d.id for d in ctx.devices} == set(b.devices.values())
    assert (b.tech.staff_id, "Li Qiang") in ctx.technicians
    t = intake(b, customer_id=None, appointment_id=here.id)
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.customer_id == b.customer_id and d.technician_id == b.tech.staff_id and d.appointment_id == here.id
    with pytest.raises(Conflict, match="already has a repair ticket"):
        intake(b, customer_id=None, appointment_id=here.id)


# --- the workflow ---------------------------------------------------------------------------------

def _repair_to_ready(b: Bench, ticket_id, lines=(), labour=15000):
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, ticket_id))
    r = write(b.db, lambda s: repairs.quote(s, b.tech, ticket_id, diagnosis="Display cracked", lines=lines,
                                            labour_cents=labour))
    if r.needs_approval:
        write(b.db, lambda s: repairs.record_approval(s, b.associate, ticket_id, approved=True, channel="phone"))
    write(b.db, lambda s: repairs.finish_repair(s, b.tech, ticket_id))
    write(b.db, lambda s: repairs.quality_check(s, b.tech, ticket_id, ALL_PASS))


def test_quote_above_the_limit_waits_for_approval_then_parts_are_reserved_consumed_and_picked_up(bench):
    b = bench
    t = intake(b)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    r = write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Display cracked; digitizer dead",
                                            lines=[QuoteLine(b.parts["SCR-IP15"])], labour_cents=15000))
    assert r.warranty_decision == "chargeable" and r.total_cents == 159900 + 15000 > 50000
    assert r.needs_approval and r.ticket.status == "awaiting_approval"
    assert stock(b, "SCR-IP15") == (2, 0), "nothing is reserved before the customer says yes"
    with pytest.raises(Conflict, match="not in repair"):
        write(b.db, lambda s: repairs.finish_repair(s, b.tech, t.id))
    before = clock.now()
    write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=True, channel="phone"))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.status == "in_repair" and d.approval == "approved" and d.approval_channel == "phone"
    assert d.approval_at >= before and d.parts[0].state == "reserved"
    assert stock(b, "SCR-IP15") == (2, 1)
    write(b.db, lambda s: repairs.finish_repair(s, b.tech, t.id))
    assert stock(b, "SCR-IP15") == (1, 0), "consumed on repair"
    failed = dict(ALL_PASS, touch=False)
    assert write(b.db, lambda s: repairs.quality_check(s, b.manager, t.id, failed)).status == "in_repair"
    write(b.db, lambda s: repairs.finish_repair(s, b.tech, t.id))
    assert stock(b, "SCR-IP15") == (1, 0), "a second pass uses no more parts"
    assert write(b.db, lambda s: repairs.quality_check(s, b.manager, t.id, ALL_PASS)).status == "ready"
    with pytest.raises(ValidationErrors) as err:
        write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, collected_by="",
                                             identity="8000", payment_status="free"))
    assert set(err.value.by_field) == {"collected_by", "signature", "payment_status"}
    with pytest.raises(ValidationError, match="charged"):
        write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, collected_by="张伟", signature_name="张伟",
                                             identity="8000", payment_status="no_charge"))
    png = PNG_SIGNATURE
    write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, identity="8000", collected_by="张伟", signature_png=png,
                                         payment_status="paid"))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.status == "collected" and d.signature_png == png and d.payment_status == "paid"
    assert d.collected_by == "张伟" and d.collected_at is not None and not d.has_passcode
    assert [h.to_status for h in d.history] == ["new", "diagnosing", "awaiting_approval", "in_repair",
                                                "quality_check", "in_repair", "quality_check", "ready", "collected"]
    assert [h.staff for h in d.history][-3:] == ["Li Qiang", "Chen Jing", "Wang Lei"]
    assert d.history[5].text("en") == "Failed checks: Touch"
    # what a service report prints
    assert (d.store_code, d.customer_name, d.device_model, d.reported_fault) == \
        ("SH01", "张伟", "iPhone 15", "Screen cracked after a drop")
    assert d.diagnosis.startswith("Display cracked") and d.parts[0].sku == "SCR-IP15"
    assert (d.parts_charged_cents, d.labour_charged_cents, d.total_cents) == (159900, 15000, 174900)
    assert d.warranty_decision == "chargeable" and d.quality_check["passed"] is True
    with pytest.raises(repairs.IllegalMove):
        write(b.db, lambda s: repairs.cancel(s, b.associate, t.id))


PNG_SIGNATURE = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
                 b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00"
                 b"IEND\xaeB`\x82")


def test_warranty_and_coverage_decide_what_the_customer_pays(bench):
    b = bench
    day = TODAY
    assert repairs.decide_warranty(day, None, day, False) == "in_warranty"
    assert repairs.decide_warranty(day, None, day, True) == "chargeable", "warranty does not cover accidents"
    assert repairs.decide_warranty(day - timedelta(days=1), day, day, True) == "coverage"
    assert repairs.decide_warranty(None, None, day, False) == "chargeable"
    battery = [QuoteLine(b.parts["BAT-IP15"])]
    t = intake(b, device_id=b.devices["warranty"], approval_limit_cents=0)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    r = write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Battery fails", lines=battery,
                                            labour_cents=10000))
    assert (r.warranty_decision, r.total_cents, r.needs_approval) == ("in_warranty", 0, False)
    assert r.ticket.status == "in_repair", "free repairs need no approval and start at once"
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.parts[0].covered and d.parts[0].charged_cents == 0 and d.approval_channel == "limit"
    # liquid damage: the warranty does not pay, accident coverage does
    wet = dict(CONDITION, liquid_indicator="tripped")
    for device, expected in (("warranty", "chargeable"), ("coverage", "coverage")):
        t = intake(b, device_id=b.devices[device], condition=wet, approval_limit_cents=0)
        write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
        r = write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Liquid damage", labour_cents=10000))
        assert r.warranty_decision == expected
    # a part the coverage does not include can still be charged
    t = intake(b, device_id=b.devices["coverage"], approval_limit_cents=0)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    r = write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Screen and battery",
                                            lines=[QuoteLine(b.parts["SCR-IP15"]),
                                                   QuoteLine(b.parts["BAT-IP15"], covered=False)]))
    assert (r.warranty_decision, r.total_cents, r.ticket.status) == ("coverage", 49900, "awaiting_approval")
    t = intake(b, approval_limit_cents=0)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    with pytest.raises(ValidationError, match="nothing covers"):
        write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="x", lines=[QuoteLine(b.parts["BAT-IP15"],
                                                                                               covered=True)]))


def test_a_part_out_of_stock_moves_the_ticket_to_awaiting_parts_until_it_arrives(bench):
    b = bench
    two = [QuoteLine(b.parts["BAT-IP15"], quantity=2)]       # one battery in stock
    t = intake(b, approval_limit_cents=500000)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    due_before = read(b.db, lambda s: s.get(RepairTicket, t.id).due_at)
    r = write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Battery swollen", lines=two))
    assert r.ticket.status == "awaiting_parts" and r.missing_parts == ("BAT-IP15",)
    assert stock(b, "BAT-IP15") == (1, 0)
    assert read(b.db, lambda s: s.get(RepairTicket, t.id).due_at) >= due_before
    with pytest.raises(Conflict, match="still out of stock"):
        write(b.db, lambda s: repairs.resume_repair(s, b.tech, t.id))
    assert read(b.db, lambda s: s.get(RepairTicket, t.id).status) == "awaiting_parts"
    row = write(b.db, lambda s: repairs.receive_stock(s, b.tech, b.parts["BAT-IP15"], 3))
    assert (row.on_hand, row.available) == (4, 4)
    assert write(b.db, lambda s: repairs.resume_repair(s, b.tech, t.id)).status == "in_repair"
    assert stock(b, "BAT-IP15") == (4, 2)
    # a cancel gives reserved parts back
    write(b.db, lambda s: repairs.cancel(s, b.associate, t.id, "Customer bought a new phone"))
    assert stock(b, "BAT-IP15") == (4, 0)
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.parts[0].state == "released" and d.amount_due_cents == 0 and not d.has_passcode
    # handed back unrepaired: recorded, status kept
    write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, identity="8000", collected_by="张伟", signature_name="张伟",
                                         payment_status="no_charge"))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.status == "cancelled" and d.collected_at is not None and d.history[-1].text("en").startswith("Device handed")
    with pytest.raises(Conflict, match="already been handed back"):
        write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, collected_by="张伟", signature_name="张伟",
                                             identity="8000", payment_status="no_charge"))


def test_refused_quote_cancels_and_reserves_nothing(bench):
    b = bench
    t = intake(b, approval_limit_cents=0)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Display", lines=[QuoteLine(b.parts["SCR-IP15"])]))
    with pytest.raises(ValidationError):
        write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=False, channel="fax"))
    write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=False, channel="sms"))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert (d.status, d.approval, d.approval_channel) == ("cancelled", "refused", "sms")
    assert stock(b, "SCR-IP15") == (2, 0) and d.parts[0].state == "released"


def test_illegal_moves_are_refused_with_a_reason_and_change_nothing(bench):
    b = bench
    t = intake(b)
    with pytest.raises(repairs.IllegalMove) as err:
        write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, collected_by="张伟", signature_name="张伟",
                                             identity="8000", payment_status="paid"))
    assert str(err.value) == "a ticket that is new cannot become collected"
    assert (err.value.current, err.value.target) == ("new", "collected")
    for action, reason in ((lambda s: repairs.quality_check(s, b.tech, t.id, ALL_PASS), "not in quality check"),
                           (lambda s: repairs.quote(s, b.tech, t.id, diagnosis="x"), "being diagnosed"),
                           (lambda s: repairs.record_approval(s, b.tech, t.id, approved=True, channel="phone"),
                            "not waiting for the customer's approval"),
                           (lambda s: repairs.resume_repair(s, b.tech, t.id), "not waiting for parts")):
        with pytest.raises(Conflict, match=reason):
            write(b.db, action)
    with pytest.raises(repairs.IllegalMove):
        write(b.db, lambda s: repairs.mark_unrepairable(s, b.tech, t.id, "Board dead"))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert d.status == "new" and len(d.history) == 1
    assert set(d.allowed_moves) == {"diagnosing", "cancelled"}
    with pytest.raises(NotFound):
        read(b.db, lambda s: repairs.ticket_detail(s, b.tech, uuid.uuid4()))


def test_board_queues_overdue_first_and_the_store_wide_view_is_for_managers(bench):
    b = bench
    mine = intake(b, technician_id=b.tech.staff_id)
    theirs = intake(b, technician_id=b.tech2.staff_id)
    free = intake(b)
    late = intake(b, technician_id=b.tech.staff_id)
    with b.db.session(write=True) as s:
        s.get(RepairTicket, late.id).due_at = clock.now() - timedelta(hours=3)
    numbers = lambda rows: [r.number for r in rows]  # noqa: E731
    rows = read(b.db, lambda s: repairs.board(s, b.tech, "mine"))
    assert numbers(rows) == [late.number, mine.number], "the overdue ticket comes first"
    assert rows[0].overdue and not rows[1].overdue and rows[0].technician == "Li Qiang"
    assert numbers(read(b.db, lambda s: repairs.board(s, b.tech, "unassigned"))) == [free.number]
    assert set(numbers(read(b.db, lambda s: repairs.board(s, b.tech, "queue")))) == \
        {late.number, mine.number, free.number}
    with pytest.raises(PermissionDenied):
        read(b.db, lambda s: repairs.board(s, b.tech, "store"))
    assert len(read(b.db, lambda s: repairs.board(s, b.manager, "store"))) == 4
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech2, theirs.id))
    assert numbers(read(b.db, lambda s: repairs.board(s, b.associate, "status", status="diagnosing"))) == \
        [theirs.number]
    summary = read(b.db, lambda s: repairs.board_summary(s, b.manager))
    assert (summary.open, summary.overdue) == (4, 1)
    assert dict(summary.by_status)["diagnosing"] == 1
    assert ("Li Qiang", 2, 1) in summary.by_technician and ("", 1, 0) in summary.by_technician
    # assignment is history too
    write(b.db, lambda s: repairs.assign(s, b.manager, free.id, b.tech2.staff_id))
    d = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, free.id))
    assert d.technician == "Zhao Min" and d.history[-1].text("en") == "Assigned to Zhao Min"
    assert rows[0].status_since is not None
    assert read(b.db, lambda s: repairs.list_board(s, b.tech))[0].number == mine.number   # oldest first


def test_receipt_data_for_printing(bench):
    b = bench
    t = intake(b)
    d = write(b.db, lambda s: repairs.ticket_detail(s, b.associate, t.id))
    assert d.barcode == t.number and d.store_name == "Orchard Test Store" and d.currency == "USD"
    assert d.customer_phone == "+8613800138000" and d.intake_by == "Wang Lei"
    assert write(b.db, lambda s: repairs.find_ticket(s, b.tech, t.number.lower())).id == t.id


def test_every_step_is_captured_for_sync(bench):
    b = bench
    with b.db.session() as s:
        start = s.scalar(select(func.max(OutboxEntry.seq))) or 0
    t = intake(b, approval_limit_cents=0)
    _repair_to_ready(b, t.id, lines=[QuoteLine(b.parts["SCR-IP15"])])
    write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, collected_by="张伟", signature_png=PNG_SIGNATURE,
                                         identity="8000", payment_status="paid"))
    with b.db.session() as s:
        rows = s.scalars(select(OutboxEntry).where(OutboxEntry.seq > start)).all()
        events = s.scalar(select(func.count()).select_from(RepairEvent).where(RepairEvent.ticket_id == t.id))
    by_entity: dict[str, list] = {}
    for r in rows:
        by_entity.setdefault(r.entity, []).append(r)
    assert len([r for r in by_entity["repair_event"] if r.op == "insert"]) == events == 7
    assert {r.op for r in by_entity["repair_part"]} == {"insert", "update"}
    assert any(r.fields.get("on_hand") == 1 for r in by_entity["part_stock"])
    statuses = [r.fields["status"] for r in by_entity["repair_ticket"] if "status" in r.fields]
    assert statuses == ["new", "diagnosing", "awaiting_approval", "in_repair", "quality_check", "ready", "collected"]
    assert any("pickup_signature" in r.fields for r in by_entity["repair_ticket"])
    assert all("passcode_sealed" not in r.fields for r in by_entity["repair_ticket"])


def test_ticket_detail_reads_every_demo_ticket(db):
    from core import demo
    info = demo.build_demo(db, customers=40, seed=5)
    admin = next(m for m in info.staff if m.role == "admin")
    actor = staff.actor_for(read(db, lambda s: staff.get_staff(s, admin.staff_id)))
    ids = read(db, lambda s: list(s.scalars(select(RepairTicket.id))))
    details = [write(db, lambda s, i=i: repairs.ticket_detail(s, actor, i)) for i in ids]
    assert {d.status for d in details} == set(repairs.STATUSES)
    for d in details:
        assert d.history[-1].to_status == d.status and d.device_model
        if d.status == "collected":
            assert d.collected_by and d.payment_status in ("paid", "no_charge")
    rows = read(db, lambda s: repairs.board(s, actor, "store"))
    assert {r.status for r in rows} == set(repairs.OPEN_STATUSES)
    with db.session() as s:
        assert audit.verify(s, actor).ok


# --- the state machine ----------------------------------------------------------------------------

# The workflow as the issue describes it, written out here independently of the code.
ISSUE_WORKFLOW = {
    ("new", "diagnosing"), ("diagnosing", "awaiting_approval"), ("diagnosing", "awaiting_parts"),
    ("diagnosing", "in_repair"), ("awaiting_approval", "awaiting_parts"), ("awaiting_approval", "in_repair"),
    ("awaiting_approval", "diagnosing"), ("awaiting_parts", "in_repair"), ("in_repair", "quality_check"),
    ("quality_check", "ready"), ("quality_check", "in_repair"), ("ready", "collected"),
    *((s, "cancelled") for s in ("new", "diagnosing", "awaiting_approval", "awaiting_parts", "in_repair")),
    *((s, "unrepairable") for s in ("diagnosing", "in_repair")),
}
PRICES = {"SCR-IP15": 159900, "BAT-IP15": 49900}
START_STOCK = {"SCR-IP15": 2, "BAT-IP15": 1}

_template: dict[str, object] = {}


def _template_bench() -> tuple[Path, dict]:
    """One prepared store file (staff, customer, devices, parts); each example copies it."""
    if "path" not in _template:
        folder = Path(tempfile.mkdtemp(prefix="bench-template-"))
        db = StoreDatabase.create(folder / "store.db", passphrase="bench", kdf=FAST_KDF)
        db, store_id, admin = staff.bootstrap_store(db, code="SM01", name="Machine Store", timezone="Asia/Shanghai",
                                                    country="CN", admin_name="Admin", admin_password="admin-pass-1",
                                                    admin_pin="1111")
        b = make_bench(db, admin, store_id)
        db.engine.dispose()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        _template.update(path=folder, ids=dict(store_id=store_id, tech=b.tech, associate=b.associate,
                                               customer_id=b.customer_id, devices=b.devices, parts=b.parts))
    return _template["path"], _template["ids"]


@dataclass
class Expected:
    status: str = "new"
    moves: int = 1                  # history entries that are moves (intake is the first)
    notes: int = 0                  # history entries that are not (hand-back)
    device: str = "plain"
    limit: int = 0
    liquid: bool = False
    lines: list = field(default_factory=list)      # [sku, qty, state]
    total: int = 0
    returned: bool = False


class BenchMachine(RuleBasedStateMachine):
    tickets = Bundle("tickets")

    def __init__(self):
        super().__init__()
        template, ids = _template_bench()
        self.dir = Path(tempfile.mkdtemp(prefix="bench-sm-"))
        for f in template.iterdir():
            if f.name.endswith((".db", ".json")):
                shutil.copy2(f, self.dir / f.name)
        self.db = StoreDatabase.open(self.dir / "store.db", passphrase="bench")
        self.ids = ids
        self.tech, self.counter = ids["tech"], ids["associate"]
        self.expected: dict[uuid.UUID, Expected] = {}
        self.on_hand = dict(START_STOCK)
        self.reserved = {sku: 0 for sku in START_STOCK}
        self.accepted = self.refused = 0

    def teardown(self):
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def attempt(self, fn) -> bool:
        try:
            with self.db.session(write=True) as s:
                fn(s)
        except (Conflict, ValidationError, ValidationErrors):
            self.refused += 1
            return False
        self.accepted += 1
        return True

    def check(self, ticket_id, legal: bool, fn) -> bool:
        ok = self.attempt(fn)
        assert ok == legal, f"{'refused' if legal else 'accepted'} in status {self.expected[ticket_id].status}"
        return ok

    # model helpers
    def reserve(self, e: Expected) -> bool:
        for line in e.lines:
            sku, qty, state = line
            if state == "quoted" and self.on_hand[sku] - self.reserved[sku] >= qty:
                self.reserved[sku] += qty
                line[2] = "reserved"
        return all(line[2] == "reserved" for line in e.lines)

    def release(self, e: Expected) -> None:
        for line in e.lines:
            if line[2] == "reserved":
                self.reserved[line[0]] -= line[1]
            if line[2] in ("quoted", "reserved"):
                line[2] = "released"

    def go(self, e: Expected, status: str) -> None:
        e.status = status
        e.moves += 1
        event(f"reached {status}")

    @rule(target=tickets, device=st.sampled_from(["warranty", "coverage", "plain"]),
          limit=st.sampled_from([0, 60000, 10_000_000]), passcode=st.one_of(st.none(), st.text(min_size=1, max_size=8)),
          liquid=st.booleans())
    def intake(self, device, limit, passcode, liquid):
        out = {}
        cond = dict(CONDITION, liquid_indicator="tripped" if liquid else "clear")

        def fn(s):
            out["t"] = repairs.open_ticket(s, self.counter, customer_id=self.ids["customer_id"],
                                           device_id=self.ids["devices"][device], reported_fault="Does not charge",
                                           condition=cond, approval_limit_cents=limit, passcode=passcode)
        ok = self.attempt(fn)
        if passcode is not None and not passcode.strip():
            passcode = None
        assert ok
        t = out["t"]
        self.expected[t.id] = Expected(device=device, limit=limit, liquid=liquid)
        return t.id

    @rule(t=tickets)
    def start_diagnosis(self, t):
        e = self.expected[t]
        if self.check(t, e.status == "new", lambda s: repairs.start_diagnosis(s, self.tech, t)):
            self.go(e, "diagnosing")

    @rule(t=tickets, skus=st.lists(st.sampled_from(sorted(PRICES)), unique=True, max_size=2),
          qty=st.integers(1, 2), labour=st.sampled_from([0, 15000]))
    def quote(self, t, skus, qty, labour):
        e = self.expected[t]
        lines = [QuoteLine(self.ids["parts"][sku], qty) for sku in skus]
        if not self.check(t, e.status == "diagnosing",
                          lambda s: repairs.quote(s, self.tech, t, diagnosis="Found it", lines=lines,
                                                  labour_cents=labour)):
            return
        if e.device == "warranty" and not e.liquid:
            decision = "in_warranty"
        elif e.device == "coverage":
            decision = "coverage"
        else:
            decision = "chargeable"
        e.lines = [[sku, qty, "quoted"] for sku in skus]
        e.total = 0 if decision != "chargeable" else sum(PRICES[sku] * qty for sku in skus) + labour
        if e.total > e.limit:
            self.go(e, "awaiting_approval")
        else:
            self.go(e, "in_repair" if self.reserve(e) else "awaiting_parts")

    @rule(t=tickets, approved=st.booleans(), channel=st.sampled_from(repairs.STAFF_APPROVAL_CHANNELS))
    def answer(self, t, approved, channel):
        e = self.expected[t]
        if not self.check(t, e.status == "awaiting_approval",
                          lambda s: repairs.record_approval(s, self.counter, t, approved=approved, channel=channel)):
            return
        if approved:
            self.go(e, "in_repair" if self.reserve(e) else "awaiting_parts")
        else:
            self.release(e)
            self.go(e, "cancelled")

    @rule(t=tickets)
    def revise(self, t):
        e = self.expected[t]
        if self.check(t, e.status == "awaiting_approval", lambda s: repairs.reopen_diagnosis(s, self.tech, t)):
            self.go(e, "diagnosing")

    @rule(sku=st.sampled_from(sorted(PRICES)), qty=st.integers(1, 2))
    def receive(self, sku, qty):
        assert self.attempt(lambda s: repairs.receive_stock(s, self.tech, self.ids["parts"][sku], qty))
        self.on_hand[sku] += qty

    @rule(t=tickets)
    def resume(self, t):
        e = self.expected[t]
        # what the service could reserve, line by line in quote order
        free = {k: self.on_hand[k] - self.reserved[k] for k in self.on_hand}
        can = e.status == "awaiting_parts"
        for sku, qty, state in e.lines:
            if state == "quoted":
                can = can and free[sku] >= qty
                free[sku] -= qty
        if self.check(t, can, lambda s: repairs.resume_repair(s, self.tech, t)):
            assert self.reserve(e)
            self.go(e, "in_repair")

    @rule(t=tickets)
    def finish(self, t):
        e = self.expected[t]
        if self.check(t, e.status == "in_repair", lambda s: repairs.finish_repair(s, self.tech, t)):
            for line in e.lines:
                if line[2] == "reserved":
                    self.on_hand[line[0]] -= line[1]
                    self.reserved[line[0]] -= line[1]
                    line[2] = "consumed"
            self.go(e, "quality_check")

    @rule(t=tickets, passed=st.booleans())
    def check_quality(self, t, passed):
        e = self.expected[t]
        checks = dict(ALL_PASS, cameras=passed)
        if self.check(t, e.status == "quality_check", lambda s: repairs.quality_check(s, self.tech, t, checks)):
            self.go(e, "ready" if passed else "in_repair")

    @rule(t=tickets, drawn=st.booleans())
    def pick_up(self, t, drawn):
        e = self.expected[t]
        legal = e.status in ("ready", "cancelled", "unrepairable") and not e.returned
        due = e.total if e.status == "ready" else 0
        sig = dict(signature_png=PNG_SIGNATURE) if drawn else dict(signature_name="张伟")
        if self.check(t, legal, lambda s: repairs.pickup(s, self.counter, t, identity="8000", collected_by="张伟",
                                                         payment_status="paid" if due else "no_charge", **sig)):
            e.returned = True
            if e.status == "ready":
                self.go(e, "collected")
            else:
                e.notes += 1

    @rule(t=tickets)
    def cancel(self, t):
        e = self.expected[t]
        if self.check(t, (e.status, "cancelled") in ISSUE_WORKFLOW, lambda s: repairs.cancel(s, self.counter, t)):
            self.release(e)
            self.go(e, "cancelled")

    @rule(t=tickets)
    def unrepairable(self, t):
        e = self.expected[t]
        if self.check(t, (e.status, "unrepairable") in ISSUE_WORKFLOW,
                      lambda s: repairs.mark_unrepairable(s, self.tech, t, "Logic board beyond repair")):
            self.release(e)
            self.go(e, "unrepairable")

    # Random actions on random tickets are mostly refused; these take a ticket one step
    # along its way (with random choices), so runs reach pickup as often as refusals.
    def _advance(self, t, data):
        e = self.expected[t]
        if e.status == "new":
            self.start_diagnosis(t)
        elif e.status == "diagnosing":
            if data.draw(st.integers(0, 9)) == 0:
                self.unrepairable(t)
            else:
                self.quote(t, data.draw(st.lists(st.sampled_from(sorted(PRICES)), unique=True, max_size=2)),
                           data.draw(st.integers(1, 2)), data.draw(st.sampled_from([0, 15000])))
        elif e.status == "awaiting_approval":
            self.answer(t, data.draw(st.integers(0, 3)) > 0,
                        data.draw(st.sampled_from(repairs.STAFF_APPROVAL_CHANNELS)))
        elif e.status == "awaiting_parts":
            for sku, qty, state in e.lines:
                if state == "quoted":
                    self.receive(sku, qty)
            self.resume(t)
        elif e.status == "in_repair":
            self.finish(t)
        elif e.status == "quality_check":
            self.check_quality(t, data.draw(st.integers(0, 3)) > 0)
        elif not e.returned:
            self.pick_up(t, data.draw(st.booleans()))

    @rule(t=tickets, data=st.data())
    def advance(self, t, data):
        self._advance(t, data)

    @rule(t=tickets, data=st.data())
    def advance_again(self, t, data):
        self._advance(t, data)

    @rule(t=tickets, data=st.data())
    def advance_once_more(self, t, data):
        self._advance(t, data)

    @initialize(target=tickets)
    def first_ticket(self):
        return self.intake("plain", 0, "1234", False)

    @invariant()
    def stock_never_negative_and_reservations_add_up(self):
        with self.db.session() as s:
            for sku, part_id in self.ids["parts"].items():
                ps = s.get(PartStock, (self.ids["store_id"], part_id))
                assert 0 <= ps.reserved <= ps.on_hand
                held = s.scalar(select(func.coalesce(func.sum(RepairPart.quantity), 0))
                                .where(RepairPart.part_id == part_id, RepairPart.state == "reserved"))
                assert ps.reserved == held
                assert (ps.on_hand, ps.reserved) == (self.on_hand[sku], self.reserved[sku])

    @invariant()
    def every_accepted_move_is_in_the_history_and_allowed(self):
        with self.db.session() as s:
            for tid, e in self.expected.items():
                t = s.get(RepairTicket, tid)
                history = s.scalars(select(RepairEvent).where(RepairEvent.ticket_id == tid)
                                    .order_by(RepairEvent.at, RepairEvent.id)).all()
                assert t.status == e.status
                moves = [(h.from_status, h.to_status) for h in history if h.from_status != h.to_status]
                assert moves[0] == (None, "new") and len(moves) == e.moves
                assert len(history) - len(moves) == e.notes
                assert all(m in ISSUE_WORKFLOW for m in moves[1:]), moves
                assert all(a[1] == b[0] for a, b in zip(moves, moves[1:]))
                assert moves[-1][1] == t.status and all(h.staff_id is not None and h.at for h in history)
                if e.returned or t.status in repairs.CLOSED_STATUSES:
                    assert t.passcode_sealed is None
                if e.returned:
                    assert t.collected_at is not None

    @invariant()
    def passcodes_never_reach_the_outbox(self):
        with self.db.session() as s:
            leaked = s.scalar(select(func.count()).select_from(OutboxEntry)
                              .where(OutboxEntry.entity == "repair_ticket",
                                     func.cast(OutboxEntry.fields, type_=OutboxEntry.entity.type).like("%passcode%")))
        assert leaked == 0


BenchMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=40, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
TestBenchStateMachine = BenchMachine.TestCase


def test_a_quoted_ticket_keeps_its_tax_when_the_store_changes_its_rate(bench):
    """What the customer approved is what they pay: a new rate applies to new quotes only."""
    from core import settings as store_settings
    b = bench
    write(b.db, lambda s: store_settings.set_tax(s, b.admin, rate="0", inclusive=False, label="Sales tax"))
    t = intake(b, approval_limit_cents=10**7)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Worn port", labour_cents=10000))
    write(b.db, lambda s: store_settings.set_tax(s, b.admin, rate="10", inclusive=False, label="Sales tax"))
    old = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t.id))
    assert (old.total_cents, old.amount_due_cents, old.amounts.tax_cents) == (10000, 10000, 0)
    t2 = intake(b, approval_limit_cents=10**7)
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t2.id))
    write(b.db, lambda s: repairs.quote(s, b.tech, t2.id, diagnosis="Worn port", labour_cents=10000))
    new = read(b.db, lambda s: repairs.ticket_detail(s, b.tech, t2.id))
    assert (new.total_cents, new.amounts.tax_cents) == (11000, 1000)
