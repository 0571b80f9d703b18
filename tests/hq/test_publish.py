"""HQ publishes reference data itself (hq.publish): stores pull it as they pull a publisher
store's rows; a bad row publishes nothing; a later publish changes the row everywhere."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select, update

from core import clock
from core.models import ServiceType
from hq import publish
from hq.common import BadRequest
from hq.common import hq_clock
from hq.models import hq_lane
from tests.hq.util import differences, hq_rows, new_id


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


def _now_ms(now) -> int:
    return int(now.timestamp() * 1000)


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_row_a_publisher_store_deleted_stays_deleted_when_hq_publishes_it(hq, make_store):
    """A console draft made while the service type was in force, published after a
    publisher store deleted it: merged as a push, the row stays deleted everywhere."""
    p, b = make_store("SP", hq, publisher=True), make_store("SB", hq)
    sid = new_id()
    with clock.pinned(clock.system_clock()) as now:
        with p.db.session(write=True) as s:
            s.add(ServiceType(id=sid, code="battery_swap", name="Battery swap", duration_min=40, buffer_min=5,
                              required_skill="battery", price_cents=4900, is_repair=True, active=True))
        p.sync()
        b.sync()
        with b.db.session() as s:
            assert s.get(ServiceType, sid) is not None
        now.advance(seconds=1)
        with p.db.session(write=True) as s:
            s.delete(s.get(ServiceType, sid))
        p.sync()
        now.advance(seconds=1)
        head = publish.publish(hq.engine, [service(sid, price_cents=5900)], now_ms=_now_ms(now()))
    row = hq_rows(hq, "service_type")[str(sid)]
    assert (row["deleted"], row["data"]) == (True, {})
    assert head == row["seq"], "a moot publish moves nothing up the sequence"
    for store in (p, b):
        store.sync()
        with store.db.session() as s:
            assert s.get(ServiceType, sid) is None
    assert differences(hq, b) == []


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_publish_stamped_the_same_as_a_field_does_not_win_the_tie(hq):
    """A push changes a field only for a strictly newer stamp (an operation with the same
    stamp is the same operation again); a publish is merged the same way. HQ's clock
    rolled back (a restored state row) makes the second publish's stamp equal the first's."""
    sid = new_id()
    at = _now_ms(datetime(2031, 5, 6, 10, 0, tzinfo=timezone.utc))
    with hq.engine.connect() as conn:
        before = hq_clock(conn)
    first = publish.publish(hq.engine, [service(sid)], now_ms=at)
    row = hq_rows(hq, "service_type")[str(sid)]
    stamp = row["stamps"]["*"]
    with hq.engine.begin() as conn:
        conn.execute(update(hq_lane).values(hlc=before))
    head = publish.publish(hq.engine, [service(sid, price_cents=5900, name="Battery replacement")], now_ms=at)
    row = hq_rows(hq, "service_type")[str(sid)]
    assert row["stamps"] == {"*": stamp}, "the second publish carried the same stamp"
    assert (row["data"]["price_cents"], row["data"]["name"]) == (4900, "Battery swap")
    assert head == first == row["seq"]
