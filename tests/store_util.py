"""A store database of a test's own on disk, under a passphrase (for tests that reopen the
file, copy it, or hand it to a command), made the way a counter makes one."""

from __future__ import annotations

from pathlib import Path

from core import staff
from core.db import StoreDatabase
from tests.conftest import FAST_KDF


def passphrase_store(path: Path, passphrase: str, *, code: str, name: str, admin_name: str = "Admin",
                     admin_pin: str = "1234"):
    """Create the store at ``path`` (the tests' cheap KDF) with its first admin (password
    ``admin-pass-1``). Returns the open database and the admin's actor."""
    StoreDatabase.create(path, passphrase=passphrase, kdf=FAST_KDF).close()
    db, _, admin = staff.bootstrap_store(
        StoreDatabase.open(path, passphrase=passphrase), code=code, name=name, timezone="Europe/London",
        country="GB", admin_name=admin_name, admin_password="admin-pass-1", admin_pin=admin_pin)
    return db, admin


def two_customers(db, store_id):
    """Ann Lee and Bob Wu, homed at ``store_id``, detached (their ids and columns readable)."""
    from core.models import Customer
    with db.session(write=True) as s:
        a = Customer(home_store_id=store_id, given_name="Ann", family_name="Lee", address="1 Road", email="a@x.cn")
        b = Customer(home_store_id=store_id, given_name="Bob", family_name="Wu", address="2 Road", email="b@x.cn")
        s.add_all([a, b])
        s.flush()
        s.expunge_all()
    return a, b


def pulled_customer_row(customer, stamp: str, **data):
    """The row HQ would send for ``customer``: every column (its last visit is the store's
    own), ``data`` over them, every field stamped ``stamp``."""
    from core.sync.outbox import jsonable
    full = {c.key: jsonable(getattr(customer, c.key)) for c in customer.__table__.columns if c.key != "last_visit_at"}
    return {"entity": "customer", "id": data.get("id", str(customer.id)), "deleted": False,
            "data": {**full, **data}, "stamps": {"*": stamp}}
