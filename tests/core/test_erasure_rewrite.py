"""The file rewrite after an erasure (core.erasure.rewrite_file): its scratch copy stays in
memory for a store within the page-cache budget, and goes to a temporary file that holds
only encrypted pages (read while VACUUM runs) for a larger one, never to memory the size of
a large file; temp_store is MEMORY again afterwards. A sync pull whose pages carry several
erasures rewrites the file once, at its end, rather than once a page (each VACUUM holds the
write lock for a time that grows with the file). Seen through the statements SQLite runs (a
trace on every connection the engine hands out)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import event

from core import customers, erasure, privacy
from core import db as db_module
from core.sync import client as sync_client
from core.sync.apply import ApplyResult


def _customers(db, admin, n):
    with db.session(write=True) as s:
        return [customers.create_customer(s, admin, given_name=f"Erin{i}", family_name="Quist",
                                          phone=f"+86 138 0013 80{i:02d}").id for i in range(n)]


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


def _erase_watching_scratch(db, admin, cid, seen) -> tuple[dict[str, bytes], int]:
    """Erase ``cid`` and, while the rewrite's VACUUM runs (SQLite's progress handler, every
    1,000 instructions, on every connection of the engine), read every temporary file the
    process holds open: (the longest content read per file, how often the handler ran once
    the VACUUM had started and before the checkpoint after it)."""
    read: dict[str, bytes] = {}
    calls = [0]

    def look(dbapi_conn, _record, _proxy):
        def peek() -> int:
            if seen.vacuums() and not any("wal_checkpoint" in q for q in seen):
                calls[0] += 1           # between the VACUUM and the checkpoint after it
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
            privacy.erase_customer(s, admin, cid)
    finally:
        event.remove(db.engine, "checkout", look)
    assert len(seen.vacuums()) == 1, "the erasure rewrites the file once it commits"
    return read, calls[0]


def _noted_customers(db, admin):
    """Forty customers with notes: more pages than a small scratch cache holds."""
    ids = _customers(db, admin, 40)
    with db.session(write=True) as s:
        for cid in ids:
            privacy.add_note(s, admin, cid, "Quist prefers the evening pick-up. " * 20)
    return ids


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads the scratch file through /proc")


@needs_proc
def test_a_large_store_is_rewritten_through_an_encrypted_scratch_file(traced, monkeypatch):
    db, admin, seen = traced
    ids = _noted_customers(db, admin)
    # this store counts as large (above the page-cache budget), and the scratch copy's cache
    # is small, so the copy is written to its file while VACUUM runs
    monkeypatch.setattr(db_module, "CACHE_BUDGET_KIB", 0)
    monkeypatch.setattr(erasure, "REWRITE_CACHE_KIB", 64)
    read, _ = _erase_watching_scratch(db, admin, ids[0], seen)
    assert read and max(len(d) for d in read.values()) > 64 * 1024, "VACUUM wrote its scratch copy to a file"
    for data in read.values():
        assert b"Quist" not in data and b"Erin" not in data, "the scratch file holds a customer's data in clear"
    pragmas = [q.replace(" ", "").lower() for q in seen if q.strip().upper().startswith("PRAGMA")]
    assert "pragmatemp_store=file" in pragmas and "pragmawal_checkpoint(truncate)" in pragmas
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2, "MEMORY again, as core.db sets it"
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -db_module.CACHE_KIB


@needs_proc
def test_a_small_store_is_rewritten_in_memory(traced, monkeypatch):
    """Within the page-cache budget the copy stays in memory: no file, the shortest lock."""
    db, admin, seen = traced
    ids = _noted_customers(db, admin)
    monkeypatch.setattr(erasure, "REWRITE_CACHE_KIB", 64)
    read, calls = _erase_watching_scratch(db, admin, ids[0], seen)
    assert calls > 0, "the handler looked while VACUUM ran"
    assert read == {}
    assert not any(q.replace(" ", "").lower() == "pragmatemp_store=file" for q in seen)


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
        vacuums_at_apply.append(len(seen.vacuums()))
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
    assert len(seen.vacuums()) == 1, "the pull rewrites the file once, at its end"


def test_a_failing_pull_still_rewrites_the_file_for_what_it_committed(traced, monkeypatch):
    db, admin, seen = traced
    (cid,) = _customers(db, admin, 1)
    seen.clear()
    with pytest.raises(RuntimeError):
        with erasure.one_rewrite():
            with db.session(write=True) as s:
                privacy.erase_customer(s, admin, cid)
            assert seen.vacuums() == []
            raise RuntimeError("the next page failed")
    assert len(seen.vacuums()) == 1
