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
