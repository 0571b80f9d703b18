"""Issue 19, the stateful test's divergence: a merge and an erasure of the merged-away profile race.

SB adds a device to Bo and merges Bo into Ann; SC, not knowing of the merge, erases Bo. A merge
says Bo and Ann are one person, so the erasure is the person's: whichever reaches HQ first, HQ
erases every profile the merges join (core.erasure, "the person"), every store follows HQ's
rows, and no replica keeps the device's serial or anything else about them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core import privacy
from core.models import Customer, Device
from hq.models import hq_op
from tests.hq.test_faults import make_customer
from tests.hq.util import differences, hq_rows, hq_text, new_id, outbox, parked

SERIAL = "R58N12345"
SECRETS = (SERIAL, "Annwyl", "Bohdana", "13800138001", "13800138002", "ann@example.com")


def _refused(hq) -> list[str | None]:
    with hq.engine.connect() as conn:
        return [r.rejected for r in conn.execute(select(hq_op.c.rejected)) if r.rejected]


def _three_stores(hq, make_store):
    sa, sb, sc = (make_store(code, hq) for code in ("SA", "SB", "SC"))
    ann = make_customer(sa, given_name="Annwyl", family_name="Lee", phone="13800138001", email="ann@example.com")
    bo = make_customer(sa, given_name="Bohdana", family_name="Lee", phone="13800138002")
    sa.sync()
    for store in (sb, sc):
        with store.client() as c:
            for phone in ("+8613800138001", "+8613800138002"):
                c.fetch_customer(staff_id=store.admin.staff_id, phone=phone)
    return sa, sb, sc, ann, bo


def _assert_erased_everywhere(hq, stores, people, device_id) -> None:
    for store in stores:
        problems = differences(hq, store)
        assert problems == [], (store.code, problems, "HQ refused:", _refused(hq))
    at_hq = hq_rows(hq, "customer")
    for cid in people:
        assert at_hq[str(cid)]["data"]["erased"] is True
    assert hq_rows(hq, "device")[str(device_id)]["data"]["serial"] is None
    text = hq_text(hq)
    assert [w for w in SECRETS if w in text] == [], "nothing about the person is left at HQ"
    for store in stores:
        with store.db.session() as s:
            for cid in people:
                c = s.get(Customer, cid)
                assert c.erased and c.given_name == "" and c.phone_e164 is None, store.code
            assert s.get(Device, device_id).serial is None, store.code
        blob = json.dumps([o.fields for o in outbox(store.db)], ensure_ascii=False)
        assert SERIAL not in blob, store.code


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
@pytest.mark.parametrize("first", ["merge", "erasure", "erasure_pulled"])
def test_erasing_a_profile_merged_away_meanwhile_erases_the_person_everywhere(hq, make_store, first):
    sa, sb, sc, ann, bo = _three_stores(hq, make_store)
    device_id = new_id()
    with sb.db.session(write=True) as s:                   # SB: Bo brings a phone in
        s.add(Device(id=device_id, customer_id=bo, kind="phone", model="iPhone 15", serial=SERIAL))
    with sb.db.session(write=True) as s:                   # SB: Bo and Ann are one person
        privacy.merge_customers(s, sb.admin, ann, bo)
    with sc.db.session(write=True) as s:                   # SC, offline, erases Bo
        privacy.erase_customer(s, sc.admin, bo)

    if first == "erasure_pulled":                          # SB hears of it with its merge still waiting
        sc.push()
        sb.pull()
    else:
        for store in ([sb, sc] if first == "merge" else [sc, sb]):
            store.push()
    # heal as the stateful test does: every store syncs twice
    for store in (sa, sb, sc, sa, sb, sc):
        store.sync()

    assert [r for r in _refused(hq) if not r.startswith("customer_erased")] == [], _refused(hq)
    assert [p.rejected for p in parked(sc.db)] == []
    _assert_erased_everywhere(hq, (sa, sb, sc), (ann, bo), device_id)


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_erasing_the_survivor_blanks_the_merged_away_profile_too(hq, make_store):
    """The tombstone of a merged-away profile still held the person's name and phone; an
    erasure of the profile in use reaches it as well, at HQ and at every store."""
    sa, sb, sc, ann, bo = _three_stores(hq, make_store)
    device_id = new_id()
    with sa.db.session(write=True) as s:
        s.add(Device(id=device_id, customer_id=bo, kind="phone", model="iPhone 15", serial=SERIAL))
    with sa.db.session(write=True) as s:
        privacy.merge_customers(s, sa.admin, ann, bo)
    sa.sync()
    for store in (sb, sc):
        store.sync()
    with sc.db.session(write=True) as s:
        privacy.erase_customer(s, sc.admin, ann)
    for store in (sc, sa, sb, sc, sa, sb):
        store.sync()

    assert _refused(hq) == []
    _assert_erased_everywhere(hq, (sa, sb, sc), (ann, bo), device_id)
