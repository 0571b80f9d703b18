"""A pulled row against this store's changes not yet at HQ (core.sync.apply._pending): a field
edited here after HQ's stamp keeps the local value, the other fields take HQ's; the same
whether few operations wait (read whole) or many (one scan for the page's ids)."""

import uuid

import pytest
from sqlalchemy import select, update

from core import clock
from core.models import Customer, OutboxEntry
from core.sync import apply
from tests.store_util import pulled_customer_row, two_customers

OLD_HQ_STAMP = "000000000000001-000000-hq"      # older than any edit made here


def _row(customer, **data):
    return pulled_customer_row(customer, OLD_HQ_STAMP, **data)


@pytest.mark.parametrize("few", [2000, 0], ids=["read-whole", "scanned-by-id"])
def test_a_newer_local_edit_keeps_its_field_and_the_rest_take_hqs(store_setup, still_clock, monkeypatch, few):
    monkeypatch.setattr(apply, "_FEW_PENDING", few)
    db, store_id, _ = store_setup
    a, b = two_customers(db, store_id)
    with db.session(write=True) as s:          # HQ has these
        s.execute(update(OutboxEntry).values(sent_at=clock.now()))
    with db.session(write=True) as s:          # edited here, not yet sent
        s.get(Customer, a.id).address = "7 Local Lane"
    rows = [_row(a, address="9 HQ Road", email="a@hq.cn"), _row(b, address="8 HQ Road")]
    rows.append({"entity": "device", "id": str(uuid.uuid4()), "deleted": True, "data": None, "stamps": {}})
    result = apply.apply_rows(db, rows)
    assert result.kept_local == 1
    with db.session() as s:
        got = {c.given_name: (c.address, c.email) for c in s.scalars(select(Customer))}
    assert got["Ann"] == ("7 Local Lane", "a@hq.cn")
    assert got["Bob"] == ("8 HQ Road", "b@x.cn")


def test_rows_whose_fields_come_in_another_order_or_with_extra_fields_are_all_applied(store_setup, still_clock):
    """A page's rows are bound a group of columns at a time: rows whose fields come in another
    order, carry a field this store's table does not have (a newer HQ), or carry no "id" in
    their data bind the same columns, and every one of them is stored (found in review: all
    but the last such group were dropped without an error)."""
    from core.models import ServiceType
    db, _, _ = store_setup
    ids = [str(uuid.uuid4()) for _ in range(4)]
    base = {"code": "", "name": "", "duration_min": 30, "buffer_min": 0, "required_skill": None,
            "price_cents": 100, "is_repair": False, "active": True}

    def row(i, data):
        return {"entity": "service_type", "id": ids[i], "deleted": False, "data": data,
                "stamps": {"*": OLD_HQ_STAMP}}
    plain = {"id": ids[0], **base, "code": "C0", "name": "Zero"}
    newer_hq = {"id": ids[1], **base, "code": "C1", "name": "One", "future_col": "x"}
    reversed_ = dict(reversed(list({"id": ids[2], **base, "code": "C2", "name": "Two"}.items())))
    no_id = {**base, "code": "C3", "name": "Three"}
    result = apply.apply_rows(db, [row(0, plain), row(1, newer_hq), row(2, reversed_), row(3, no_id)])
    assert result.errors == []
    with db.session() as s:
        got = {str(st.id): (st.code, st.name) for st in s.scalars(select(ServiceType).where(
            ServiceType.id.in_([uuid.UUID(i) for i in ids])))}
    assert got == {ids[0]: ("C0", "Zero"), ids[1]: ("C1", "One"), ids[2]: ("C2", "Two"), ids[3]: ("C3", "Three")}
