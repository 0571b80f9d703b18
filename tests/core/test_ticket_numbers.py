"""Ticket numbers: readable (``SH01-004213``), and never handed out twice: not by two
stores built from the same demo seed, not by two counters writing at once, not after
the process is killed with SIGKILL in the middle of an intake, not after a counter
was lost."""

from __future__ import annotations

import os
import random
import re
import signal
import time

import pytest
from sqlalchemy import select

from core import demo, repairs, staff
from core.db import StoreDatabase
from core.models import Customer, Device, OutboxEntry, RepairTicket, TicketCounter
from tests.conftest import FAST_KDF

CONDITION = {"screen": "cracked", "body": "ok", "buttons": "ok", "cameras": "ok", "liquid_indicator": "clear",
             "powers_on": True}


def _actor(db, info):
    member = info.staff_with_role("associate")[0]
    with db.session() as s:
        return staff.actor_for(staff.get_staff(s, member.staff_id))


def _intake(db, actor, customer_id=None, device_id=None):
    with db.session(write=True) as s:
        return repairs.open_ticket(s, actor, customer_id=customer_id, device_id=device_id,
                                   device_model="iPhone 13" if device_id is None else "",
                                   reported_fault="Screen cracked", imei=None if device_id else "260531793113837",
                                   passcode="2580", condition=CONDITION, accessories="Case",
                                   approval_limit_cents=30000)


def _numbers(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(RepairTicket.number)))


def test_two_stores_from_the_same_demo_seed_never_share_a_number(tmp_path):
    stores = []
    for code in ("SH01", "SH02"):
        db = StoreDatabase.create(tmp_path / f"{code}.db", passphrase="demo", kdf=FAST_KDF)
        info = demo.build_demo(db, customers=40, seed=11, store_code=code)   # each store's code comes from HQ
        stores.append((code, db, _actor(db, info), len(_numbers(db))))
    try:
        # the same seed made the same store twice, apart from the code
        demo_tails = [sorted(n.split("-")[1] for n in _numbers(db)) for _, db, _, _ in stores]
        assert demo_tails[0] == demo_tails[1]
        opened = {code: [] for code, *_ in stores}
        for round_no in range(6):                           # both stores work offline at the same time
            for code, db, actor, _ in stores:
                with db.session() as s:
                    c = s.scalars(select(Customer).order_by(Customer.created_at).offset(round_no)).first()
                    device = s.scalars(select(Device).where(Device.customer_id == c.id)).first()
                t = _intake(db, actor, c.id, device.id if device else None)
                opened[code].append(t.number)
        everything = [n for _, db, _, _ in stores for n in _numbers(db)]
        assert len(everything) == len(set(everything)), "a number appears in both stores"
        for code, db, _, existing in stores:
            assert all(re.fullmatch(rf"{code}-\d{{6}}", n) for n in opened[code])
            assert opened[code] == [f"{code}-{existing + i:06d}" for i in range(1, 7)], "the demo's series goes on"
            with db.session() as s:
                synced = [r.fields["number"] for r in s.scalars(select(OutboxEntry).where(
                    OutboxEntry.entity == "repair_ticket", OutboxEntry.op == "insert"))]
            assert set(opened[code]) <= set(synced), "every new ticket is captured for sync with its number"
    finally:
        for _, db, _, _ in stores:
            db.close()


def test_a_lost_or_lagging_counter_never_hands_out_a_number_twice(store_setup):
    db, store_id, admin = store_setup
    first = [_intake(db, admin).number for _ in range(3)]
    assert first == ["SH01-000001", "SH01-000002", "SH01-000003"]
    with db.session(write=True) as s:                      # restored from an old backup
        s.get(TicketCounter, store_id).next_number = 2
    assert _intake(db, admin).number == "SH01-000004"
    with db.session(write=True) as s:                      # rebuilt from HQ: tickets back, counter gone
        s.delete(s.get(TicketCounter, store_id))
    assert _intake(db, admin).number == "SH01-000005"
    assert _intake(db, admin).number == "SH01-000006"


def _writer(path, actor, write_fd, rounds=None):
    try:
        db = StoreDatabase.open(path, passphrase="numbers")
        os.write(write_fd, b"READY\n")
        done = 0
        while rounds is None or done < rounds:
            t = _intake(db, actor)
            os.write(write_fd, f"{t.id} {t.number}\n".encode())   # reported only after the commit
            done += 1
    except BaseException:
        import traceback
        traceback.print_exc()        # shows in the test's captured stderr
        raise
    finally:
        os._exit(0)


def _store(tmp_path, code):
    path = tmp_path / "store.db"
    StoreDatabase.create(path, passphrase="numbers", kdf=FAST_KDF).close()
    db, _, admin = staff.bootstrap_store(StoreDatabase.open(path, passphrase="numbers"), code=code, name="Numbers",
                                         timezone="Asia/Shanghai", country="CN", admin_name="Admin",
                                         admin_password="admin-pass-1", admin_pin="1234")
    db.close()
    return path, admin


def _drain(r) -> list[tuple[str, str]]:
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    return [tuple(line.split()) for line in data.decode().split("\n")[:-1] if line != "READY"]   # a cut-off line was not reported


@pytest.mark.slow
def test_numbers_stay_unique_across_sigkill_during_intake(tmp_path):
    path, admin = _store(tmp_path, "KL01")
    rng = random.Random(7)
    reported: dict[str, str] = {}
    rounds, killed_while_writing = 40, 0
    from tests.core.forkkill import run_and_kill
    for _ in range(rounds):
        lines = [tuple(x.split()) for x in run_and_kill(lambda w: _writer(path, admin, w), rng.uniform(0.02, 0.2))]
        killed_while_writing += bool(lines)
        reported.update(dict(lines))
    assert killed_while_writing > rounds // 2
    db = StoreDatabase.open(path, passphrase="numbers")
    try:
        assert db.integrity_check() == "ok"
        with db.session() as s:
            present = {str(i): n for i, n in s.execute(select(RepairTicket.id, RepairTicket.number))}
            counter = s.scalars(select(TicketCounter)).one().next_number
        assert set(reported) <= set(present), "a committed intake was lost"
        assert all(present[i] == n for i, n in reported.items())
        numbers = sorted(int(n.split("-")[1]) for n in present.values())
        assert len(numbers) == len(set(numbers)), "a number was handed out twice"
        assert counter == numbers[-1] + 1, "a killed intake takes its number back with it"
        assert numbers == list(range(1, len(numbers) + 1)), "and leaves no gap"
        admin_after = admin
        assert _intake(db, admin_after).number == f"KL01-{numbers[-1] + 1:06d}"
    finally:
        db.close()


def test_two_counters_taking_in_devices_at_once_get_different_numbers(tmp_path):
    path, admin = _store(tmp_path, "TW01")
    pipes, pids = [], []
    for _ in range(2):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(r)
            _writer(path, admin, w, rounds=25)
        os.close(w)
        pipes.append(r)
        pids.append(pid)
    results = [_drain(r) for r in pipes]
    for pid in pids:
        os.waitpid(pid, 0)
    assert [len(x) for x in results] == [25, 25]
    numbers = [n for res in results for _, n in res]
    assert len(set(numbers)) == 50
    db = StoreDatabase.open(path, passphrase="numbers")
    try:
        assert sorted(_numbers(db)) == sorted(numbers)
    finally:
        db.close()
