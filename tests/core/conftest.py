"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest
from sqlalchemy import event


class Statements(list):
    """The SQL statements SQLite ran, in order (a trace callback's text)."""

    def vacuums(self) -> list[str]:
        return [q for q in self if q.strip().upper() == "VACUUM"]


@pytest.fixture
def traced(store_setup):
    """(db, admin, statements): every SQL statement run on a connection of the store's engine."""
    db, _, admin = store_setup
    seen = Statements()

    def trace(dbapi_conn, _record, _proxy):
        dbapi_conn.set_trace_callback(seen.append)
    event.listen(db.engine, "checkout", trace)
    yield db, admin, seen
    event.remove(db.engine, "checkout", trace)
