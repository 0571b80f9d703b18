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

import re
from pathlib import Path

from core.cipher import apply_key
from core.staff_info import StaffInfo, StoreInfo, read_own_store, read_staff

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
        apply_key(conn, candidates[0].key)
        conn.execute("PRAGMA query_only = ON")       # this connection never writes
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        versions = frozenset(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
        if versions != schema_heads():
            return None                                 # a migration runs first
        # the same statements core.staff runs (core.staff_info): one rule, one answer
        store = read_own_store(lambda sql, params: conn.execute(sql, params).fetchone())
        if store is None:
            return None                                 # set-up: the full open shows it
        staff = read_staff(lambda sql, params: conn.execute(sql, params).fetchall(), store.id)
    finally:
        conn.close()
    return store, staff
