"""Pickup at a busy counter: the identity check before a device goes back, a manager's voids
of a pickup or a payment (points taken back on the ledger), and the rework of a device
returned within the repair's warranty."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import clock, customers, loyalty, repairs
from core.errors import Conflict, PermissionDenied, ValidationError, ValidationErrors
from core.models import AuditEvent, Device, LoyaltyEntry, RepairTicket
from core.repairs import QuoteLine
from tests.core.test_repairs import _repair_to_ready, intake, make_bench, read, write

PHONE_TAIL = "8000"           # the bench customer's phone is 13800138000


@pytest.fixture
def bench(store_setup):
    db, store_id, admin = store_setup
    return make_bench(db, admin, store_id)


def ready_ticket(b, **kw):
    t = intake(b, approval_limit_cents=10_000_000, **kw)
    _repair_to_ready(b, t.id, labour=15000)
    return t


def hand_over(b, t, identity=PHONE_TAIL, actor=None, **kw):
    values = dict(collected_by="张伟", signature_name="张伟", payment_status="paid", identity=identity)
    values.update(kw)

    def fn(s):
        view = repairs.pickup(s, actor or b.associate, t.id, **values)
        repairs.earn_at_pickup(s, actor or b.associate, t.id)
        return view
    return write(b.db, fn)


def detail(b, t):
    return read(b.db, lambda s: repairs.ticket_detail(s, b.manager, t.id))


def audits(b, action):
    return read(b.db, lambda s: [e.detail for e in s.scalars(select(AuditEvent).where(AuditEvent.action == action))])


def member(b):
    def fn(s):
        terms = loyalty.current_rules(s, b.manager).terms_version
        return loyalty.enroll(s, b.manager, b.customer_id, terms_version=terms, programme=True).id
    return write(b.db, fn)


def balance(b, account_id):
    return read(b.db, lambda s: loyalty.balance(s, b.manager, account_id))


# --- identity at pickup -------------------------------------------------------------------------

def test_a_wrong_or_missing_proof_is_refused_beside_the_identity_field_and_nothing_changes(bench):
    b = bench
    t = ready_ticket(b)
    for wrong in ("1234", "SH01-999999", "80001"):
        with pytest.raises(ValidationError) as err:
            hand_over(b, t, identity=wrong)
        assert err.value.field == "identity" and "do not match" in err.value.reason
        assert wrong not in str(err.value), "the error does not repeat what was typed"
    with pytest.raises(ValidationErrors) as errs:
        hand_over(b, t, identity="  ")
    assert "identity" in errs.value.by_field
    d = detail(b, t)
    assert d.status == "ready" and d.collected_at is None and d.payment_status == "unpaid" and d.has_passcode
    assert audits(b, "ticket.identity") == []


def test_the_last_four_digits_of_the_phone_on_file_hand_the_device_over_and_the_audit_names_only_the_proof(bench):
    b = bench
    t = ready_ticket(b)
    hand_over(b, t, identity=f" {PHONE_TAIL} ")
    d = detail(b, t)
    assert d.status == "collected" and d.pickup_proof == "phone" and d.payment_status == "paid"
    assert audits(b, "ticket.identity") == ["proof=phone"]
    assert not any(PHONE_TAIL in (x or "") for x in read(b.db, lambda s: list(s.scalars(select(AuditEvent.detail)))))


def test_the_intake_receipt_code_scanned_or_typed_hands_the_device_over(bench):
    b = bench
    typed, scanned = ready_ticket(b), ready_ticket(b)
    hand_over(b, typed, identity=typed.number.lower())
    hand_over(b, scanned, identity=repairs.SCAN_PREFIX + scanned.number)
    assert detail(b, typed).pickup_proof == detail(b, scanned).pickup_proof == "receipt"
    other = ready_ticket(b)
    with pytest.raises(ValidationError, match="do not match"):
        hand_over(b, other, identity=typed.number)          # another ticket's receipt


def test_a_customer_with_no_phone_on_file_proves_only_by_the_receipt(bench):
    b = bench
    c = write(b.db, lambda s: customers.create_customer(s, b.admin, given_name="Ann", family_name="Lee",
                                                        email="ann.lee@example.com"))

    def device(s):
        d = Device(customer_id=c.id, kind="phone", model="iPhone 14")
        s.add(d)
        s.flush()
        return d.id
    t = ready_ticket(b, customer_id=c.id, device_id=write(b.db, device), contact_preference="email")
    with pytest.raises(ValidationError, match="no phone is on file") as err:
        hand_over(b, t, identity=PHONE_TAIL)
    assert err.value.field == "identity" and detail(b, t).status == "ready"
    hand_over(b, t, identity=t.number)
    assert detail(b, t).pickup_proof == "receipt"


def test_a_manager_may_hand_over_without_proof_giving_a_reason_an_associate_may_not(bench):
    b = bench
    t = ready_ticket(b)
    with pytest.raises(PermissionDenied):
        hand_over(b, t, identity="", override_reason="Known customer")
    with pytest.raises(ValidationErrors) as errs:
        hand_over(b, t, identity="", actor=b.manager, override_reason="  ")
    assert "override_reason" in errs.value.by_field
    assert detail(b, t).status == "ready"
    hand_over(b, t, identity="", actor=b.manager, override_reason="Receipt lost; ID card checked")
    d = detail(b, t)
    assert d.status == "collected" and d.pickup_proof == "override"
    assert any("ID card checked" in h.note for h in d.history)
    assert audits(b, "ticket.identity") == ["proof=override"]


# --- voids --------------------------------------------------------------------------------------

def test_only_a_manager_may_void_a_pickup_or_a_payment_and_a_reason_is_required(bench):
    b = bench
    t = ready_ticket(b)
    hand_over(b, t)
    for actor in (b.associate, b.tech, b.admin):
        with pytest.raises(PermissionDenied):
            write(b.db, lambda s: repairs.void_pickup(s, actor, t.id, reason="Wrong ticket"))
        with pytest.raises(PermissionDenied):
            write(b.db, lambda s: repairs.void_payment(s, actor, t.id, reason="Card declined"))
    with pytest.raises(ValidationError) as err:
        write(b.db, lambda s: repairs.void_pickup(s, b.manager, t.id, reason=" "))
    assert err.value.field == "reason"
    with pytest.raises(ValidationError, match="control characters") as err:
        write(b.db, lambda s: repairs.void_payment(s, b.manager, t.id, reason="Card\x1b[2J declined"))
    assert err.value.field == "reason"
    d = detail(b, t)
    assert d.status == "collected" and d.payment_status == "paid" and d.collected_at is not None
    assert audits(b, "ticket.pickup_voided") == audits(b, "ticket.payment_voided") == []


def test_voiding_a_pickup_makes_the_ticket_ready_again_and_takes_back_payment_and_points(bench):
    b = bench
    account = member(b)
    start = balance(b, account)
    t = ready_ticket(b)
    hand_over(b, t)
    earned = balance(b, account) - start
    assert earned > 0
    write(b.db, lambda s: repairs.void_pickup(s, b.manager, t.id, reason="Handed the wrong bag over"))
    d = detail(b, t)
    assert d.status == "ready" and d.collected_at is None and d.payment_status == "unpaid"
    assert d.collected_by is None and d.signature_name is None and d.pickup_proof is None
    assert "Handed the wrong bag over" in d.history[-1].note
    step_back = d.history[-1]
    assert (step_back.from_status, step_back.to_status, step_back.note_code) == ("collected", "ready", "pickup_voided")
    assert balance(b, account) == start, "the points earned on the pickup are taken back"
    entries = read(b.db, lambda s: sorted((e.kind, e.points, e.spend_cents) for e in s.scalars(
        select(LoyaltyEntry).where(LoyaltyEntry.ref_id == t.id))))
    spend = entries[1][2]
    assert entries == [("adjust", -earned, -spend), ("earn", earned, spend)], "reversed, not deleted"
    assert audits(b, "ticket.pickup_voided") == [f"payment=paid points={earned}"]
    # the customer collects again: a fresh proof, a fresh payment, the points earned again
    with pytest.raises(ValidationErrors):
        hand_over(b, t, identity="")
    hand_over(b, t)
    assert detail(b, t).status == "collected" and balance(b, account) == start + earned
    moves = [(h.from_status, h.to_status) for h in detail(b, t).history if h.from_status != h.to_status]
    assert moves[-3:] == [("ready", "collected"), ("collected", "ready"), ("ready", "collected")]
    # the points earned again carry an id derived from the ticket: written twice, kept once
    again = read(b.db, lambda s: [e.id for e in s.scalars(select(LoyaltyEntry).where(
        LoyaltyEntry.ref_id == t.id, LoyaltyEntry.kind == "earn"))])
    assert len(again) == 2 and loyalty.fact_id("earn", t.id, "again", 1) in again


def test_voiding_a_payment_keeps_the_hand_over_and_takes_back_the_points(bench):
    b = bench
    account = member(b)
    start = balance(b, account)
    t = ready_ticket(b)
    hand_over(b, t)
    earned = balance(b, account) - start
    write(b.db, lambda s: repairs.void_payment(s, b.manager, t.id, reason="Card payment reversed"))
    d = detail(b, t)
    assert d.status == "collected" and d.collected_at is not None and d.payment_status == "unpaid"
    assert balance(b, account) == start
    with pytest.raises(Conflict, match="no payment"):
        write(b.db, lambda s: repairs.void_payment(s, b.manager, t.id, reason="Again"))
    # paid after all: recorded, and the points earned again
    write(b.db, lambda s: (repairs.record_payment(s, b.associate, t.id, payment_status="invoiced"),
                           repairs.earn_at_pickup(s, b.associate, t.id)))
    assert detail(b, t).payment_status == "invoiced" and balance(b, account) == start + earned


# --- rework -------------------------------------------------------------------------------------

def test_a_device_back_within_the_repair_warranty_reopens_as_a_linked_rework_at_no_charge(bench):
    b = bench
    t = ready_ticket(b)
    hand_over(b, t)
    first = detail(b, t)
    assert first.repair_warranty_end is not None and first.repair_warranty_end > clock.now().date()
    rw = write(b.db, lambda s: repairs.open_rework(s, b.associate, t.id, reported_fault="Battery drains again"))
    assert rw.number != t.number and rw.status == "new"
    again, first = detail(b, rw), detail(b, t)
    assert again.rework_of == (t.id, t.number) and first.reworks == ((rw.id, rw.number),)
    assert again.customer_id == first.customer_id and again.device_id == first.device_id
    write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, rw.id))
    r = write(b.db, lambda s: repairs.quote(s, b.tech, rw.id, diagnosis="Battery connector loose",
                                            lines=[QuoteLine(b.parts["SCR-IP15"])], labour_cents=15000))
    assert r.total_cents == 0, "a rework is not charged by default"
    with pytest.raises(Conflict, match="already open"):
        write(b.db, lambda s: repairs.open_rework(s, b.associate, t.id, reported_fault="Again"))
    with pytest.raises(Conflict, match="rework"):
        write(b.db, lambda s: repairs.void_pickup(s, b.manager, t.id, reason="Mistake"))


def test_a_device_back_after_the_repair_warranty_is_refused_naming_the_end_date(bench):
    b = bench
    t = ready_ticket(b)
    with pytest.raises(Conflict, match="collected"):
        write(b.db, lambda s: repairs.open_rework(s, b.associate, t.id, reported_fault="Still broken"))
    hand_over(b, t)
    end = detail(b, t).repair_warranty_end
    late = clock.now() + timedelta(days=repairs.REPAIR_WARRANTY_DAYS + 2)
    with pytest.raises(Conflict) as err:
        write(b.db, lambda s: repairs.open_rework(s, b.associate, t.id, reported_fault="Still broken", now=late))
    assert end.isoformat() in str(err.value) and "warranty ended" in str(err.value)
    assert read(b.db, lambda s: s.scalar(select(RepairTicket.id).where(RepairTicket.rework_of_id == t.id))) is None


def test_a_technician_may_not_hand_over_without_proof_even_giving_a_reason(bench):
    b = bench
    t = ready_ticket(b)
    with pytest.raises(PermissionDenied):
        hand_over(b, t, identity="", actor=b.tech, override_reason="Known customer")
    assert detail(b, t).status == "ready" and detail(b, t).collected_at is None
