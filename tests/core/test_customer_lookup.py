"""Lookup finds a customer by every kind of key, best matches first, masked for roles
that may not see contact details."""

import re

import pytest

from core import customers, search, staff
from core.models import Device, LoyaltyAccount
from core.permissions import Role


@pytest.fixture
def shop(store_setup):
    db, store_id, admin = store_setup
    with db.session(write=True) as s:
        tech = staff.actor_for(staff.create_staff(s, admin, display_name="Tom Tech", role=Role.TECHNICIAN,
                                                  password="tech-password", pin="4444"))
        zw1 = customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13800138000")
        zw2 = customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13912345678",
                                        email="zhangwei@example.cn")
        zh = customers.create_customer(s, admin, given_name="文", family_name="周", phone="13600001111")
        anna = customers.create_customer(s, admin, given_name="Anna", family_name="Smith", phone="+44 20 7946 0958",
                                         email="anna.smith@example.com")
        s.add(Device(customer_id=anna.id, kind="phone", model="iPhone 14", imei="260531793113837",
                     serial="F2LXK9ABCD12"))
        s.add(LoyaltyAccount(customer_id=zh.id, member_number="8800123456781", terms_version="2026-01",
                             store_id=store_id))
    return db, admin, tech, {"zw1": zw1, "zw2": zw2, "zh": zh, "anna": anna}


def names(db, actor, q):
    with db.session() as s:
        return search.lookup(s, actor, q)


@pytest.mark.parametrize("query, who, kind", [
    ("张伟", {"zw1", "zw2"}, "name"),
    ("张", {"zw1", "zw2"}, "name"),
    ("zhangwei", {"zw1", "zw2"}, "pinyin"),
    ("zhang wei", {"zw1", "zw2"}, "pinyin"),
    ("zw", {"zw1", "zw2", "zh"}, "pinyin"),
    ("Anna", {"anna"}, "name"),
    ("anna smi", {"anna"}, "name"),
    ("smith", {"anna"}, "name"),
    ("8000", {"zw1"}, "phone"),
    ("138 0013 8000", {"zw1"}, "phone"),
    ("+44 20 7946 0958", {"anna"}, "phone"),
    ("anna.smith@", {"anna"}, "email"),
    ("ZHANGWEI@example.cn", {"zw2"}, "email"),
    ("260531793113837", {"anna"}, "imei"),
    ("f2lxk9", {"anna"}, "serial"),
    ("8800123456781", {"zh"}, "member"),
    ("ORCHARD:M:8800123456781", {"zh"}, "member"),
])
def test_each_kind_of_key_finds_the_customer(shop, query, who, kind):
    db, admin, _, people = shop
    rows = names(db, admin, query)
    assert {r.id for r in rows} == {people[k].id for k in who}
    assert all(r.matched == kind for r in rows if r.id in {people[k].id for k in who} and kind != "pinyin") \
        or kind == "pinyin"


def test_namesakes_can_be_told_apart(shop):
    db, admin, _, people = shop
    rows = names(db, admin, "张伟")
    assert len(rows) == 2 and rows[0].phone != rows[1].phone


def test_roles_without_contact_rights_see_masked_phone_and_email(shop):
    db, admin, tech, people = shop
    row = names(db, tech, "Anna")[0]
    assert row.phone == "•••• 0958" and not hasattr(row, "email")      # the line shows no email at all
    assert names(db, admin, "Anna")[0].phone == "+442079460958"


def test_erased_and_merged_profiles_never_appear(shop):
    from core import privacy
    db, admin, _, people = shop
    with db.session(write=True) as s:
        privacy.merge_customers(s, admin, people["zw1"].id, people["zw2"].id)
    assert {r.id for r in names(db, admin, "张伟")} == {people["zw1"].id}
    with db.session(write=True) as s:
        privacy.erase_customer(s, admin, people["anna"].id)
    assert names(db, admin, "Anna") == [] and names(db, admin, "260531793113837") == []


def test_queries_use_the_search_indexes(shop):
    """Each kind is an index range scan, so it stays fast on a million customers."""
    from sqlalchemy import text
    db, *_ = shop
    exprs = ["orchard_fold(c.family_name || c.given_name)", "replace(c.name_pinyin, ' ', '')", "c.name_initials",
             "orchard_fold(c.given_name || ' ' || c.family_name)", "orchard_fold(c.family_name)",
             "orchard_fold(c.given_name)", "lower(c.email)", "substr(c.phone_e164, -4)"]
    with db.session() as s:
        for e in exprs:
            plan = " ".join(str(r) for r in s.execute(text(
                f"EXPLAIN QUERY PLAN SELECT c.id FROM customer c WHERE {e} >= 'a' AND {e} < 'b' LIMIT 50")))
            # a covering index (0021) answers without the table: "USING COVERING INDEX ix_search_..."
            assert re.search(r"USING (COVERING )?INDEX ix_search_", plan), (e, plan)


def test_last_visit_follows_tickets_and_check_ins(shop):
    from core import repairs
    db, admin, _, people = shop
    assert names(db, admin, "Anna")[0].last_visit is None
    with db.session(write=True) as s:
        t = repairs.open_ticket(s, admin, customer_id=people["anna"].id, device_model="iPhone 14",
                                reported_fault="no sound")
    row = names(db, admin, "Anna")[0]
    assert row.last_visit is not None and abs((row.last_visit - t.created_at).total_seconds()) < 1


def test_a_full_number_finds_only_that_customer(shop):
    """Typed whole (with a trunk 0 or the country code), a phone number matches its owner,
    not everyone who shares its last four digits."""
    from core import customers as svc
    db, admin, _, people = shop
    with db.session(write=True) as s:
        svc.create_customer(s, admin, given_name="Other", family_name="Person", phone="+44 20 7123 0958")
    assert {r.id for r in names(db, admin, "020 7946 0958")} == {people["anna"].id}
    assert {r.id for r in names(db, admin, "+44 20 7946 0958")} == {people["anna"].id}
    assert len(names(db, admin, "0958")) == 2
