"""An erasure forgets everything: a marker written into every personal column the models
declare (tests/core/test_personal_columns.fill_customer, driven by core.erasure's derived
lists) is gone, after the erasure and a sync, from

* store A's file (which wrote it and erased it) and store B's (which served the customer:
  it fetched them from HQ), read page by page after decrypting the SQLCipher file
  ourselves, so free pages and unused space inside pages count, and from their -wal files;
* HQ's PostgreSQL database: every table's rows cast to text;
* HQ's log.

A real HQ process on PostgreSQL (tests/hq/conftest.py). Ids, amounts and dates remain.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import uuid
from pathlib import Path

import psycopg
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlalchemy import select

from core import privacy, staff
from core.models import Customer, LoyaltyEntry, RepairEvent, RepairTicket, WalkIn
from core.sync import client as sync_client
from tests.core.test_personal_columns import FOUND, MARK_DATE, declared, fill_customer

# SQLCipher 4 defaults (core/db.py sets only the raw key): 4096-byte pages, each ending in
# 80 reserved bytes (a 16-byte IV, then a 64-byte HMAC-SHA512); page 1 starts with the
# file's 16-byte salt; AES-256-CBC; the HMAC key is PBKDF2-HMAC-SHA512(key, salt ^ 0x3a, 2).
PAGE = 4096
RESERVE = 80
IV = 16


def _hmac_key(key: bytes, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, 32)


def _decrypt_page(page: bytes, pgno: int, key: bytes, mac_key: bytes) -> bytes:
    start = 16 if pgno == 1 else 0
    body = page[start:PAGE - RESERVE]
    iv = page[PAGE - RESERVE:PAGE - RESERVE + IV]
    mac = page[PAGE - RESERVE + IV:]
    want = hmac.new(mac_key, page[start:PAGE - RESERVE + IV] + struct.pack("<I", pgno), hashlib.sha512).digest()
    assert hmac.compare_digest(mac, want), f"page {pgno} did not authenticate: the scan would read garbage"
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(body) + dec.finalize()


def decrypted_pages(path: Path, key: bytes) -> list[bytes]:
    """Every page of the store file and every frame of its -wal, decrypted: live rows, free
    pages and the unused space inside pages alike."""
    data = path.read_bytes()
    assert len(data) % PAGE == 0 and data
    salt = data[:16]
    mac_key = _hmac_key(key, salt)
    pages = [_decrypt_page(data[i:i + PAGE], i // PAGE + 1, key, mac_key) for i in range(0, len(data), PAGE)]
    assert pages[0][:2] == struct.pack(">H", PAGE), "page 1 decrypts to SQLite's header (its page size)"
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        w = wal.read_bytes()
        offset = 32                                  # the WAL header, then (24-byte header, page) frames
        while offset + 24 + PAGE <= len(w):
            pgno = struct.unpack(">I", w[offset:offset + 4])[0]
            pages.append(_decrypt_page(w[offset + 24:offset + 24 + PAGE], pgno, key, mac_key))
            offset += 24 + PAGE
    return pages


def store_bytes(store) -> bytes:
    """The store's file and log as SQLite sees them, after a checkpoint (which copies the
    log into the file but leaves the log's frames in place: both are read)."""
    with store.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    return b"".join(decrypted_pages(store.db.path, store.db._key))


def hq_tables_text(hq) -> str:
    """Every row of every table of HQ's PostgreSQL database, cast to text. VACUUM first: a
    dead tuple (the version of a row before HQ blanked it) is not visible to a query, and
    VACUUM is what makes its space free for reuse; what counts as gone is what PostgreSQL
    itself no longer keeps as a row."""
    out = []
    with psycopg.connect(hq.db_url, autocommit=True) as c:
        c.execute("VACUUM")
        tables = [r[0] for r in c.execute(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")]
        assert any(t.endswith("hq_row") for t in tables)
        for t in tables:
            out += [r[0] for r in c.execute(f"SELECT t::text FROM {t} AS t")]
    return "\n".join(out)


def _found(needles: list[bytes], blob: bytes) -> list[str]:
    low = blob.lower()
    return [n.decode() for n in needles if n.lower() in low]


def test_an_erased_customer_leaves_no_marker_in_either_store_file_or_at_hq(hq, make_store):
    a = make_store("EA", hq, publisher=True)        # a publisher: the service type and price book it adds sync too
    b = make_store("EB", hq)
    with a.db.session(write=True) as s:
        manager = staff.actor_for(staff.create_staff(s, a.admin, display_name="Mia Manager", role="manager",
                                                     password="manager-pass-1", pin="2468"))
        filled = fill_customer(s, a.store_id, a.admin.staff_id)
    assert filled.written == declared() and FOUND <= filled.written, "a marker in every declared column"
    report = a.sync()
    with a.db.session() as s:
        assert report.rejected == 0 and not sync_client.parked_ops(s)
    ids = sync_client.fetch_customer(b.db, b.admin, email=filled.email)
    assert ids == [filled.customer_id]
    b.sync()

    needles = filled.needles
    # the scans see the marker while it is there (at HQ in the JSON sub-field and the ledger too)
    assert _found(needles, store_bytes(a)) == [filled.token, MARK_DATE.isoformat()]
    assert filled.token in store_bytes(b).decode("latin-1")
    text = hq_tables_text(hq)
    for table, column, key in FOUND:
        assert f"{filled.token}{table}.{column}{'.' + key if key else ''}" in text

    with a.db.session(write=True) as s:
        privacy.erase_customer(s, manager, filled.customer_id)
    assert a.sync().rejected == 0, "HQ takes the erasure and every blanked row"
    b.sync()
    a.sync()
    with a.db.session() as s:
        assert sync_client.parked_ops(s) == []

    assert _found(needles, store_bytes(a)) == [], "store A's file, free pages or log still hold the marker"
    assert _found(needles, store_bytes(b)) == [], "store B's file, free pages or log still hold the marker"
    assert _found(needles, hq_tables_text(hq).encode()) == [], "HQ's database still holds the marker"
    assert _found(needles, hq.log.read_bytes()) == [], "HQ's log holds the marker"

    # ids, amounts and dates remain, at both stores and at HQ
    with a.db.session() as s:
        t = s.get(RepairTicket, filled.ids["repair_ticket"][0])
        assert (t.number, t.quote_cents, t.intake_condition) == (filled.ticket_number, 18900, {"screen": "cracked"})
        assert len(s.scalars(select(RepairEvent.id).where(RepairEvent.ticket_id == t.id)).all()) == 2
        assert s.get(WalkIn, filled.ids["walk_in"][0]).note == ""
    with b.db.session() as s:
        c = s.get(Customer, filled.customer_id)
        assert c is not None and c.erased and c.given_name == "" and c.email is None
        entries = s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.id.in_(filled.ids["loyalty_entry"]))).all()
        assert sorted((e.points, e.reason) for e in entries) == [(35, ""), (120, "")]
    text = hq_tables_text(hq)
    for entity_id in [filled.customer_id, *filled.ids["loyalty_entry"], *filled.ids["repair_event"],
                      *filled.ids["purchase"]]:
        assert str(entity_id) in text
    assert filled.ticket_number in text and "424242" in text


def test_the_scan_reads_free_pages(make_store):
    """The page decryption is what the test rests on: text deleted without secure_delete
    stays in a free page, and the scan finds it there (while SQL no longer does)."""
    store = make_store("EF")
    token = "fp" + uuid.uuid4().hex[:10]
    with store.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA secure_delete = OFF")
        conn.exec_driver_sql("CREATE TABLE scratch (t TEXT)")
        conn.exec_driver_sql("INSERT INTO scratch VALUES (?)", (token * 300,))
        conn.commit()
        conn.exec_driver_sql("DROP TABLE scratch")
        conn.commit()
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
        assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() > 0
        conn.commit()
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    assert store.db.path.with_name(store.db.path.name + "-wal").stat().st_size == 0, "only the file is read"
    assert token in store_bytes(store).decode("latin-1")
