"""The file rewrite after an erasure (core.erasure.rewrite_file): its scratch copy goes to a
temporary file that holds only encrypted pages (read while VACUUM runs), not to memory the
size of the file; temp_store is MEMORY again afterwards; and a sync pull whose pages carry several erasures rewrites the file once, at its end, rather
than once a page (each VACUUM holds the write lock for a time that grows with the file).
Seen through the statements SQLite runs (a trace on every connection the engine hands out)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import event

from core import customers, erasure, privacy
from core import db as db_module
from core.sync import client as sync_client
from core.sync.apply import ApplyResult


@pytest.fixture
def traced(store_setup):
    """(db, admin, statements): every SQL statement run on a connection of the store's engine."""
    db, _, admin = store_setup
    seen: list[str] = []

    def trace(dbapi_conn, _record, _proxy):
        dbapi_conn.set_trace_callback(seen.append)
    event.listen(db.engine, "checkout", trace)
    yield db, admin, seen
    event.remove(db.engine, "checkout", trace)


def _customers(db, admin, n):
    with db.session(write=True) as s:
        return [customers.create_customer(s, admin, given_name=f"Erin{i}", family_name="Quist",
                                          phone=f"+86 138 0013 80{i:02d}").id for i in range(n)]


def _vacuums(seen):
    return [q for q in seen if q.strip().upper() == "VACUUM"]


def _scratch_files() -> dict[str, str]:
    """This process's open files that are deleted temporary files (SQLite unlinks its
    temporary files as soon as it opens them): fd -> target."""
    out = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "etilqs_" in target and target.endswith("(deleted)"):
            out[fd] = target
    return out


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads the scratch file through /proc")
def test_an_erasure_rewrites_the_file_through_an_encrypted_scratch_file(traced, monkeypatch):
    db, admin, seen = traced
    ids = _customers(db, admin, 40)
    with db.session(write=True) as s:       # more pages than the scratch copy's cache holds
        for cid in ids:
            privacy.add_note(s, admin, cid, "Quist prefers the evening pick-up. " * 20)
    # a small cache, so the scratch copy is written to its file while VACUUM runs
    monkeypatch.setattr(erasure, "REWRITE_CACHE_KIB", 64)
    read: dict[str, bytes] = {}

    def look(dbapi_conn, _record, _proxy):
        def peek() -> int:
            """SQLite's progress handler: runs inside VACUUM, every 1,000 instructions."""
            for fd, target in _scratch_files().items():
                with open(f"/proc/self/fd/{fd}", "rb") as f:
                    data = f.read()
                if len(data) > len(read.get(target, b"")):
                    read[target] = data
            return 0
        dbapi_conn.set_progress_handler(peek, 1000)
    event.listen(db.engine, "checkout", look)
    seen.clear()
    try:
        with db.session(write=True) as s:
            privacy.erase_customer(s, admin, ids[0])
    finally:
        event.remove(db.engine, "checkout", look)
    assert len(_vacuums(seen)) == 1, "the erasure rewrites the file once it commits"
    assert read and max(len(d) for d in read.values()) > 64 * 1024, "VACUUM wrote its scratch copy to a file"
    for data in read.values():
        assert b"Quist" not in data and b"Erin" not in data, "the scratch file holds a customer's data in clear"
    pragmas = [q.replace(" ", "").lower() for q in seen if q.strip().upper().startswith("PRAGMA")]
    assert "pragmawal_checkpoint(truncate)" in pragmas
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2, "MEMORY again, as core.db sets it"
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -db_module.CACHE_KIB


def test_a_pull_of_three_pages_each_carrying_an_erasure_rewrites_the_file_once(traced, monkeypatch):
    db, admin, seen = traced
    ids = _customers(db, admin, 3)
    pages = [{"rows": [{"page": i}], "next": i + 1, "more": i < 2, "head": 3} for i in range(3)]
    vacuums_at_apply: list[int] = []

    def fake_call(method, path, **kw):
        assert path == "/v1/pull"
        return pages[int(kw["params"]["after"])]

    def apply_page(database, rows, *, cursor=None, recheck_from=None):
        """A page that carries an erasure: committed on its own, as apply_rows commits one."""
        vacuums_at_apply.append(len(_vacuums(seen)))
        with database.session(write=True) as s:
            privacy.erase_customer(s, admin, ids[rows[0]["page"]])
        return ApplyResult(erased={str(ids[rows[0]["page"]])})

    monkeypatch.setattr(sync_client, "apply_rows", apply_page)
    client = sync_client.SyncClient(db)
    monkeypatch.setattr(client, "_call", fake_call)
    seen.clear()
    rows, n, result = client.pull()
    assert (rows, n, len(result.erased)) == (3, 3, 3)
    assert vacuums_at_apply == [0, 0, 0], "no page rewrites the file while the pull goes on"
    assert len(_vacuums(seen)) == 1, "the pull rewrites the file once, at its end"


def test_a_failing_pull_still_rewrites_the_file_for_what_it_committed(traced, monkeypatch):
    db, admin, seen = traced
    (cid,) = _customers(db, admin, 1)
    seen.clear()
    with pytest.raises(RuntimeError):
        with erasure.one_rewrite():
            with db.session(write=True) as s:
                privacy.erase_customer(s, admin, cid)
            assert _vacuums(seen) == []
            raise RuntimeError("the next page failed")
    assert len(_vacuums(seen)) == 1
