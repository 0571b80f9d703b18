"""Who at HQ may erase a customer is one fact, the console's permission table
(hq.console.roles, ``customers.dsr``): the push's authority check (hq.push_authority.may_erase)
reads it, and an erasure made at HQ (hq.dsr.erase) goes through that check. Against HQ's
real PostgreSQL database (tests/hq/conftest.py); the erasure is called in this process, so
a change to the table here is the table the check reads."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from hq import dsr
from hq.console import roles
from hq.models import hq_erased, hq_row
from hq.push_authority import may_erase, staff_author
from tests.hq.test_serving_guard import make_customer


def _erased(hq, cid: uuid.UUID) -> bool:
    with hq.engine.connect() as conn:
        return conn.scalar(select(hq_erased.c.customer_id).where(hq_erased.c.customer_id == cid)) is not None


def _given_name(hq, cid: uuid.UUID) -> str:
    with hq.engine.connect() as conn:
        data = conn.scalar(select(hq_row.c.data).where(hq_row.c.entity == "customer",
                                                       hq_row.c.entity_id == str(cid)))
    return (data or {}).get("given_name", "")


def test_the_console_table_says_which_hq_users_may_erase():
    for role in roles.ROLES:
        assert may_erase(dsr.hq_author(1, role), via_store=None) is roles.allowed(role, "customers.dsr"), role
    assert may_erase(dsr.hq_author(1, roles.ADMIN), via_store=None)
    assert not may_erase(dsr.hq_author(1, roles.ADMIN, active=False), via_store=None)
    assert not may_erase(dsr.hq_author(1, roles.ADMIN), via_store=uuid.uuid4()), "an HQ user writes at HQ only"
    # a store's staff member is judged by the store's matrix, never by the console's roles
    store = uuid.uuid4()
    assert not may_erase(staff_author(uuid.uuid4(), {"store_id": str(store), "role": "admin", "active": True}),
                         via_store=None)


def test_an_erasure_at_hq_follows_the_console_table(hq, make_store, monkeypatch):
    a = make_store("SA", hq)
    cid = make_customer(a)
    a.sync()
    assert _given_name(hq, cid) == "Ann"

    with pytest.raises(PermissionError):
        dsr.erase(hq.engine, cid, dsr.hq_author(7, roles.AUDITOR))
    assert not _erased(hq, cid) and _given_name(hq, cid) == "Ann"

    # give the permission to auditors only, in the console's table: the erasure obeys it
    monkeypatch.setitem(roles.PERMISSIONS, "customers.dsr", frozenset({roles.AUDITOR}))
    with pytest.raises(PermissionError):
        dsr.erase(hq.engine, cid, dsr.hq_author(1, roles.ADMIN))
    assert not _erased(hq, cid)
    dsr.erase(hq.engine, cid, dsr.hq_author(7, roles.AUDITOR))
    assert _erased(hq, cid) and _given_name(hq, cid) == ""
