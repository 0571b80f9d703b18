"""HQ publishes reference data itself (hq.publish): stores pull it as they pull a publisher
store's rows; a bad row publishes nothing; a later publish changes the row everywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.models import ServiceType
from hq import publish
from hq.common import BadRequest
from tests.hq.util import differences, new_id


def service(sid, **over):
    data = {"id": str(sid), "code": "battery_swap", "name": "Battery swap", "duration_min": 40, "buffer_min": 5,
            "required_skill": "battery", "price_cents": 4900, "is_repair": True, "active": True}
    return publish.Change("service_type", str(sid), {**data, **over})


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_service_type_hq_publishes_reaches_every_store(hq, make_store):
    a, b = make_store("SA", hq), make_store("SB", hq)
    sid = new_id()
    publish.publish(hq.engine, [service(sid)])
    for store in (a, b):
        store.sync()
        with store.db.session() as s:
            row = s.get(ServiceType, sid)
            assert (row.name, row.duration_min, row.price_cents) == ("Battery swap", 40, 4900)
    publish.publish(hq.engine, [service(sid, price_cents=5900, name="Battery replacement")])
    a.sync()
    with a.db.session() as s:
        assert s.get(ServiceType, sid).price_cents == 5900
    assert differences(hq, a) == []


def test_a_bad_row_publishes_nothing(hq, make_store):
    store = make_store("SA", hq)
    good, bad = new_id(), new_id()
    with pytest.raises(BadRequest):
        publish.publish(hq.engine, [service(good, code="fine"), service(bad, duration_min="forty")])
    with pytest.raises(BadRequest):
        publish.publish(hq.engine, [publish.Change("customer", str(new_id()), {"given_name": "X"})])
    store.sync()
    with store.db.session() as s:
        assert s.scalars(select(ServiceType.id).where(ServiceType.id.in_([good, bad]))).all() == []
