"""``orchard recover`` and ``orchard reset-admin`` (issue 24) run as a store's IT person runs
them: a real process without a display or a keyring, answers on stdin, and no Qt loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core import recovery, staff
from core.db import StoreDatabase
from core.errors import WrongKey

ROOT = Path(__file__).resolve().parents[2]
RUN = ("import sys; from desktop.cli import main; status = main(sys.argv[1:]); "
       "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')); "
       "print('qt loaded:', qt, file=sys.stderr); sys.exit(status)")


def _orchard(args: list[str], answers: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "ORCHARD_PASSPHRASE"}
    environ.update(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **env)
    return subprocess.run([sys.executable, "-c", RUN, *args], input=answers, capture_output=True, text=True,
                          cwd=ROOT, env=environ, timeout=120)


@pytest.fixture
def store(store_setup):
    """A passphrase store (the template's) with a recovery key; closed, for a process to open."""
    db, store_id, _ = store_setup
    code = recovery.new_code()
    db.enable_recovery(code)
    path = db.path
    db.close()
    return path, code


def test_recover_sets_a_new_passphrase_where_there_is_no_keyring(store):
    path, code = store
    done = _orchard(["recover", "--db", str(path)], f"{code.lower()}\nthe new passphrase\n")
    assert done.returncode == 0, done.stderr
    assert "opens again, now with the new passphrase" in done.stdout
    assert "qt loaded: []" in done.stderr
    with pytest.raises(WrongKey):
        StoreDatabase.open(path, passphrase="test-passphrase")
    StoreDatabase.open(path, passphrase="the new passphrase").close()


def test_recover_with_a_mistyped_key_says_which_group(store):
    path, code = store
    slipped = code[:7] + ("Z" if code[7] != "Z" else "Y") + code[8:]
    done = _orchard(["recover", "--db", str(path)], f"{slipped}\nthe new passphrase\n")
    assert done.returncode == 2
    assert "this is not a recovery key: check group 2" in done.stderr
    StoreDatabase.open(path, passphrase="test-passphrase").close()      # untouched


def test_reset_admin_with_the_recovery_key(store):
    path, code = store
    done = _orchard(["reset-admin", "--db", str(path)], f"1\n{code}\nset-by-the-cli-1\n",
                    ORCHARD_PASSPHRASE="test-passphrase")
    assert done.returncode == 0, done.stderr
    assert "A new password is set for staff number 1" in done.stdout and "qt loaded: []" in done.stderr
    db = StoreDatabase.open(path, passphrase="test-passphrase")
    try:
        with db.session(write=True) as s:
            store_id = staff.current_store(s).id
            staff.authenticate_number(s, store_id, "1", password="set-by-the-cli-1",
                                      now=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    finally:
        db.close()
