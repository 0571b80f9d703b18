"""The sign-in page's data before the ORM has loaded (issue 25: start to sign-in under a
second). SQLAlchemy and the models are most of the app's start-up; the sign-in page needs
only the store's name and the staff list. ``read_sign_in`` reads them straight from the
encrypted file with SQLCipher, under the key the meta file's key check accepts, on a
read-only (query_only) connection, while the app opens the database properly behind it
(core.db.StoreDatabase.open: rotations, checks, migrations).

It answers None, never an error, whenever the full open has anything to decide: no key in
the keyring (a passphrase, a lost key), a key rotation under way, a schema behind the
migrations, anything unreadable. Then the app waits for the full open, as before.
``current_store`` and ``list_staff`` in core.staff are the ORM's answer to the same
questions; a test holds both to the same result.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from core.permissions import Role
from core.staff_info import OWN_STORE_KEY, StaffInfo, StoreInfo

MIGRATIONS = Path(__file__).parent / "migrations"
_REV = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


def schema_heads() -> frozenset[str]:
    """The newest revision of each migration branch, read from the scripts without
    importing Alembic (core.db checks an open database against it too)."""
    revisions, downs = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text("utf-8")
        rev = _REV.search(text)
        if rev:
            revisions.add(rev.group(1))
        down = _DOWN.search(text)
        if down:
            downs.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - downs)


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def read_sign_in(path: Path | str) -> tuple[StoreInfo, list[StaffInfo]] | None:
    """(this store, its active staff by name) as core.staff.current_store and list_staff
    give them, or None: the full open decides (see the module's note)."""
    try:
        return _read(Path(path))
    except Exception:  # noqa: BLE001 - any doubt: the full open answers, with its own errors
        return None


def _read(path: Path) -> tuple[StoreInfo, list[StaffInfo]] | None:
    from core.vault import Vault, meta_path
    if not path.exists() or not meta_path(path).exists():
        return None
    vault = Vault(path)
    if vault.meta.pending or vault.meta.key_source != "keyring":
        return None
    candidates = vault.checked_candidates(None)     # the keyring's key, if the key check passes
    if len(candidates) != 1 or candidates[0].pending:
        return None
    import sqlcipher3
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{candidates[0].key.hex()}'\"")
        conn.execute("PRAGMA query_only = ON")       # this connection never writes
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        versions = frozenset(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
        if versions != schema_heads():
            return None                                 # a migration runs first
        store = _store(conn)
        if store is None:
            return None                                 # set-up: the full open shows it
        rows = conn.execute(
            "SELECT id, store_id, staff_number, display_name, role, skills, pin_hash, active, language "
            "FROM staff WHERE store_id = ? AND active = 1 ORDER BY display_name",
            (store.id.hex,)).fetchall()
    finally:
        conn.close()
    staff = [StaffInfo(_uuid(r[0]), _uuid(r[1]), r[2], r[3], Role(r[4]), tuple(json.loads(r[5]) if r[5] else ()),
                       bool(r[6]), bool(r[7]), r[8]) for r in rows]
    return store, staff


def _store(conn: object) -> StoreInfo | None:
    execute = getattr(conn, "execute")
    own = execute("SELECT value FROM sync_state WHERE key = ?", (OWN_STORE_KEY,)).fetchone()
    columns = "id, code, name, timezone, country, currency"
    row = None
    if own:
        row = execute(f"SELECT {columns} FROM store WHERE id = ?", (_uuid(own[0]).hex,)).fetchone()
    if row is None:        # before enrolment: the only store there is
        row = execute(f"SELECT {columns} FROM store ORDER BY created_at LIMIT 1").fetchone()
    if row is None:
        return None
    return StoreInfo(_uuid(row[0]), row[1], row[2], row[3], row[4], row[5])
