import uuid

import pytest

from core import customers, privacy
from core.errors import NotFound
from core.lookup import get_or_not_found
from core.models import Customer, Staff, Store


def test_a_row_of_the_callers_store_is_returned(store_setup):
    db, store_id, admin = store_setup
    with db.session() as s:
        row = get_or_not_found(s, Staff, admin.staff_id, "staff member", store_id=store_id)
        assert (row.id, row.display_name) == (admin.staff_id, "Ada Admin")


def test_a_missing_row_is_not_found_under_the_given_name(store_setup):
    db, _store_id, _admin = store_setup
    with db.session() as s, pytest.raises(NotFound) as caught:
        get_or_not_found(s, Store, uuid.uuid4(), "store")
    assert caught.value.what == "store"
    assert str(caught.value) == "store not found"


def test_a_row_of_another_store_is_not_found(store_setup):
    db, _store_id, admin = store_setup
    with db.session() as s, pytest.raises(NotFound) as caught:
        get_or_not_found(s, Staff, admin.staff_id, "staff member", store_id=uuid.uuid4())
    assert caught.value.what == "staff member"


def test_an_erased_customer_is_not_found_when_only_live_ones_count(store_setup):
    db, _store_id, admin = store_setup
    with db.session(write=True) as s:
        c = customers.create_customer(s, admin, given_name="Anna", family_name="Smith", phone="+44 20 7946 0958")
    with db.session(write=True) as s:
        assert get_or_not_found(s, Customer, c.id, "customer", live=lambda row: not row.erased).id == c.id
        privacy.erase_customer(s, admin, c.id)
    with db.session() as s, pytest.raises(NotFound) as caught:
        get_or_not_found(s, Customer, c.id, "customer", live=lambda row: not row.erased)
    assert caught.value.what == "customer"
