"""A unit of work that cannot get the store file within SQLite's busy timeout (other work
holds it: the file rewrite after an erasure takes about half a minute at a million
customers, core.erasure.rewrite_file) is refused with a message staff can act on
(core.errors.DatabaseBusy), not a crash report; it keeps nothing, and the same work goes
through once the file is free."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from core import customers
from core.errors import DatabaseBusy
from core.models import Customer


def _nadias(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Customer).where(Customer.family_name == "Busy"))


def test_a_save_that_waits_out_the_busy_timeout_is_refused_clearly_and_keeps_nothing(store_setup):
    db, _, admin = store_setup

    def short_wait(dbapi_conn, _record, _proxy):
        dbapi_conn.execute("PRAGMA busy_timeout = 50")      # the store waits 30 s
    event.listen(db.engine, "checkout", short_wait)
    holder = db.engine.raw_connection()
    try:
        holder.cursor().execute("BEGIN IMMEDIATE")          # another writer holds the file
        with pytest.raises(DatabaseBusy) as refused:
            with db.session(write=True) as s:
                customers.create_customer(s, admin, given_name="Nadia", family_name="Busy",
                                          phone="+86 138 0013 9999")
        assert "busy" in str(refused.value) and "nothing was saved" in str(refused.value)
        assert refused.value.__cause__ is None, "the database's own error (it can quote values) stays out"
    finally:
        holder.cursor().execute("ROLLBACK")
        holder.close()
        event.remove(db.engine, "checkout", short_wait)
    assert _nadias(db) == 0
    with db.session(write=True) as s:
        customers.create_customer(s, admin, given_name="Nadia", family_name="Busy", phone="+86 138 0013 9999")
    assert _nadias(db) == 1


def test_other_database_errors_are_not_called_busy(store_setup):
    from sqlalchemy.exc import OperationalError
    db, _, _ = store_setup
    with pytest.raises(OperationalError):
        with db.session() as s:
            s.connection().exec_driver_sql("SELECT * FROM no_such_table")
