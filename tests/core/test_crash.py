"""Power-cut safety: a process writing tickets is killed with SIGKILL at random moments,
200 times. Every ticket it reported as committed must be there afterwards, and the file
must pass PRAGMA integrity_check.

The writer is a forked child (so the 200 rounds do not each pay for Python start-up);
it opens the database itself, so it shares nothing with the parent but the file."""

import os
import random
import signal
import time

import pytest
from sqlalchemy import select

from core import repairs, staff
from core.db import StoreDatabase
from core.models import RepairTicket
from tests.conftest import FAST_KDF

ROUNDS = 200


def _child(path, actor, write_fd):
    try:
        db = StoreDatabase.open(path, passphrase="crash-test")
        os.write(write_fd, b"READY\n")
        while True:
            with db.session(write=True) as s:
                t = repairs.open_ticket(s, actor, customer_id=None, device_model="iPhone 13",
                                        reported_fault="screen cracked", imei="260531793113837")
            os.write(write_fd, f"{t.id} {t.number}\n".encode())   # reported only after commit
    finally:
        os._exit(0)


@pytest.mark.slow
def test_sigkill_never_loses_a_committed_ticket(tmp_path):
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path, passphrase="crash-test", kdf=FAST_KDF)
    db.close()
    db, store_id, admin = staff.bootstrap_store(
        StoreDatabase.open(path, passphrase="crash-test"), code="CR01", name="Crash Store",
        timezone="Europe/London", country="GB", admin_name="Admin", admin_password="admin-pass-1", admin_pin="1234")
    db.close()
    # one ticket written by the parent first: every module the writer needs is imported (and
    # compiled) before the forks, so a child spends its 0-100 ms writing, not importing (on a
    # fresh clone a lazily imported module was compiled by each child, which was killed first)
    warm = StoreDatabase.open(path, passphrase="crash-test")
    with warm.session(write=True) as s:
        repairs.open_ticket(s, admin, customer_id=None, device_model="iPhone 13", reported_fault="warm-up",
                            imei="260531793113837")
    warm.close()
    rng = random.Random(20261125)
    reported: dict[str, str] = {}
    killed_mid_write = 0
    from tests.core.forkkill import run_and_kill
    for round_no in range(ROUNDS):
        complete = run_and_kill(lambda w: _child(path, admin, w), rng.uniform(0.0, 0.1))
        killed_mid_write += bool(complete)
        for line in complete:
            tid, number = line.split()
            reported[tid] = number
    assert killed_mid_write > ROUNDS // 2, "most kills should land while the child is writing"
    db = StoreDatabase.open(path, passphrase="crash-test")
    try:
        assert db.integrity_check() == "ok"
        with db.session() as s:
            present = {str(i): n for i, n in s.execute(select(RepairTicket.id, RepairTicket.number))}
        missing = set(reported) - set(present)
        assert not missing, f"{len(missing)} committed tickets lost"
        assert all(present[t] == n for t, n in reported.items())
        assert len(set(present.values())) == len(present), "ticket numbers stay unique"
        print(f"{len(reported)} tickets reported over {ROUNDS} kills; {len(present)} present")
    finally:
        db.close()
