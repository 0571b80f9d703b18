"""HQ writes a store-owned row for its store (hq.publish.write_for_store: a survey answered
on HQ's page, a complaint opened at HQ): the store pulls it as its own row; a row naming
another store, or reference data, is refused and nothing is written."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core.models import Feedback
from hq import publish
from hq.common import BadRequest, HqError
from tests.hq.util import auth_of, new_id

AT = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)


def complaint(store, fid, **over):
    data = {"id": str(fid), "store_id": str(store.store_id), "customer_id": None, "category": "", "text": "Screen",
            "status": "open", "escalated": False, "severity": "", "channel": "hq",
            "opened_at": AT.isoformat(), "classify_due_at": "2026-12-08T09:30:00+00:00",
            "created_at": AT.isoformat(), "updated_at": AT.isoformat(), "resolution": "",
            "escalation_pending": False, "escalation_state": ""}
    return publish.Change("feedback", str(fid), {**data, **over})


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_row_hq_writes_for_a_store_reaches_that_store_only(hq, make_store):
    a, b = make_store("SA", hq), make_store("SB", hq)
    fid = new_id()
    publish.write_for_store(hq.engine, auth_of(a), [complaint(a, fid)])
    a.sync()
    b.sync()
    with a.db.session() as s:
        row = s.get(Feedback, fid)
        assert (row.channel, row.status, row.text, row.opened_at) == ("hq", "open", "Screen", AT)
    with b.db.session() as s:
        assert s.get(Feedback, fid) is None


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_hq_may_not_write_a_row_of_another_store_or_reference_data_this_way(hq, make_store):
    a, b = make_store("SA", hq), make_store("SB", hq)
    fid = new_id()
    with pytest.raises(HqError):
        publish.write_for_store(hq.engine, auth_of(a), [complaint(b, fid)])
    with pytest.raises(BadRequest):
        publish.write_for_store(hq.engine, auth_of(a), [publish.Change("service_type", str(new_id()), {})])
    a.sync()
    b.sync()
    for store in (a, b):
        with store.db.session() as s:
            assert s.get(Feedback, fid) is None
