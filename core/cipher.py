"""Keying a SQLCipher connection: the one place a raw key is handed to SQLCipher, shared by
the database's own connections (core.db), the encrypted copy (core.db.copy_encrypted) and
the sign-in page's read before the ORM loads (core.quick_open). It imports nothing: the
connection is any DB-API connection of sqlcipher3."""

from __future__ import annotations

from typing import Any


def apply_key(conn: Any, key: bytes) -> None:
    """Give ``conn`` the raw 32-byte ``key`` (no passphrase derivation in SQLCipher), with
    SQLCipher's own logging off (it would write about the key's use). The key is checked
    by the first read of the schema, which the caller makes."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
