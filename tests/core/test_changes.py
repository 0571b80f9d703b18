"""Core says what changed: a unit of work reports every table it wrote, by flush or by
bulk statement, so screens refresh from what happened rather than from a list at the call site."""

from sqlalchemy import update

from core import changes, customers, repairs
from core.models import Customer


def test_a_write_reports_the_tables_it_touched(store_setup):
    db, _store_id, admin = store_setup
    with db.session(write=True) as s:
        c = customers.create_customer(s, admin, given_name="Anna", family_name="Smith", phone="13800138000")
        repairs.open_ticket(s, admin, customer_id=c.id, device_model="iPhone 15", reported_fault="Cracked screen",
                            approval_limit_cents=0, contact_preference="sms")
    written = changes.of(s)
    assert {"customer", "repair_ticket", "device"} <= written.entities
    assert written.touches("repair_ticket") and not written.touches("tradein_quote")


def test_a_read_reports_nothing(store_setup):
    db, _store_id, admin = store_setup
    with db.session() as s:
        customers.search(s, admin, "Smith")
    assert changes.of(s).entities == frozenset()


def test_bulk_statements_count_too(store_setup):
    db, _store_id, admin = store_setup
    with db.session(write=True) as s:
        cid = customers.create_customer(s, admin, given_name="Li", family_name="Wei").id
    with db.session(write=True) as s:
        s.execute(update(Customer).where(Customer.id == cid).values(given_name="Lei"))
    assert changes.of(s).entities == frozenset({"customer"})
