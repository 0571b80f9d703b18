"""Issue 19, defect 1: "send again" of a parked change while a batch's answer is lost.

A lost batch goes again under its id and HQ answers it from its record without applying
anything; a parked operation sent again after that batch first went out may sit inside
the batch's seq range. It must not ride along under the old id and be marked sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import clock, customers
from core.models import Customer
from core.sync import client as sync_client
from hq.models import hq_op
from tests.hq.util import LoseAnswers, differences, hq_batches, hq_rows, outbox, parked, pending

THREE_DAYS = timedelta(days=3)


def _edit(store, cid, **changes) -> None:
    with store.db.session(write=True) as s:
        customers.update_customer(s, store.admin, cid, **changes)


def _hq_ops(hq) -> dict[str, str | None]:
    with hq.engine.connect() as conn:
        return {str(r.op_id): r.rejected for r in conn.execute(select(hq_op.c.op_id, hq_op.c.rejected))}


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_send_again_during_a_lost_answer_drops_no_change(hq, make_store):
    store = make_store("SA", hq)
    # HQ keeps real time in its own process; the store's clock is pinned to it, then moved
    with clock.pinned(clock.system_clock()) as store_clock:
        with store.db.session(write=True) as s:
            cid = customers.create_customer(s, store.admin, given_name="Ann", family_name="Lee",
                                            phone="13800138000").id
        store.sync()

        store_clock.advance(days=3)                     # the store's clock runs 3 days fast
        _edit(store, cid, family_name="Future")
        _edit(store, cid, address="9 Harbour Road")
        assert store.sync().rejected == 2
        first, second = parked(store.db)
        assert first.rejected.startswith("clock_ahead") and second.rejected.startswith("clock_ahead")
        assert "address" in second.fields

        store_clock.at = clock.system_clock()           # the clock is put right
        with store.db.session(write=True) as s:
            assert sync_client.retry_parked(s, store.admin, [first.seq]) == 1
        _edit(store, cid, given_name="Nora")            # a new edit after the parked two
        lose = LoseAnswers("/v1/push")
        with pytest.raises(sync_client.SyncError):
            store.push(transport=lose)                  # HQ applies the batch; its answer is lost
        assert lose.lost == 1
        with store.db.session(write=True) as s:         # the address edit goes again meanwhile
            assert sync_client.retry_parked(s, store.admin, [second.seq]) == 1

        report = store.sync()

        assert report.rejected == 0
        assert parked(store.db) == [] and pending(store.db) == 0
        data = hq_rows(hq, "customer")[str(cid)]["data"]
        assert data["address"] == "9 Harbour Road", "the change sent again reached HQ"
        assert (data["family_name"], data["given_name"]) == ("Future", "Nora")
        at_hq = _hq_ops(hq)
        wrongly_sent = [o.seq for o in outbox(store.db) if o.sent_at is not None
                        and (str(o.op_id) not in at_hq or at_hq[str(o.op_id)] is not None)]
        assert wrongly_sent == [], "an operation HQ never applied is marked sent"
        assert differences(hq, store) == []
        with store.db.session() as s:
            assert s.get(Customer, cid).address == "9 Harbour Road"


def test_a_lost_batch_with_the_same_members_goes_again_under_its_id(hq, make_store):
    store = make_store("SA", hq)
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name="Ann", family_name="Lee",
                                        phone="13800138000").id
    store.sync()
    _edit(store, cid, address="1 Quay Street")
    batches = hq_batches(hq)
    with pytest.raises(sync_client.SyncError):
        store.push(transport=LoseAnswers("/v1/push"))
    assert hq_batches(hq) == batches + 1
    assert store.push() == (1, 0)
    assert hq_batches(hq) == batches + 1, "the same batch id went again; HQ answered from its record"
    assert pending(store.db) == 0 and parked(store.db) == []
    assert hq_rows(hq, "customer")[str(cid)]["data"]["address"] == "1 Quay Street"
