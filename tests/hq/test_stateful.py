"""Three stores edit offline at random and sync in random order; after a final full
sync every replica equals HQ's view for it, entity by entity and column by column, and
no loyalty entry is lost. A real HQ process on PostgreSQL, real encrypted store databases.

Besides edits (customers, devices, consents, loyalty) the rules lose HQ's answer to a
push, a pull or an on-demand fetch (HQ did the work, the store hears nothing), step a
store's clock (minutes either way, 3 days fast, back to right: HQ parks edits stamped
too far ahead as ``clock_ahead``) and send parked operations again. The teardown heals:
clocks right, every ``clock_ahead`` operation sent again, every store synced twice.

By hand, many examples without shrinking (issue 19 asks for 500 in a row)::

    ORCHARD_STATEFUL_EXAMPLES=500 ORCHARD_STATEFUL_PHASES=generate \\
        .venv/bin/python -m pytest -q -p no:randomly --timeout=0 -s tests/hq/test_stateful.py

(``--timeout=0``: the suite's 10-minute limit per test is for the regular run; ``-s``
shows the running count of examples.)
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, Phase, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select

from core import clock, customers, privacy
from core.db import StoreDatabase
from core.models import Customer, Device, LoyaltyAccount, LoyaltyEntry
from core.sync import client as sync_client, merge
from core.sync.hlc import Timestamp
from hq.models import hq_row
from tests.hq.conftest import Store
from tests.hq.util import LoseAnswers, differences, hq_rows, new_id, outbox, pending

CODES = ("SA", "SB", "SC")
FIELDS = {
    "given_name": st.sampled_from(["Ann", "Bo", "Chen", "伟", "Dee"]),
    "family_name": st.sampled_from(["Lee", "Wang", "张", "Smith"]),
    "address": st.sampled_from(["", "1 Bund", "88 Huaihai Road", "上海市南京东路 300 号"]),
    "email": st.sampled_from([None, "a@example.com", "b@example.org"]),
}
DEVICE_FIELDS = {
    "model": st.sampled_from(["iPhone 15", "Galaxy S24", "MacBook Air", "小米 14"]),
    "serial": st.sampled_from([None, "C02XK1ABCD", "R58N12345"]),
    "warranty_end": st.sampled_from([None, date(2027, 1, 31), date(2028, 2, 29)]),
}
PURPOSES = ("marketing_sms", "marketing_email", "loyalty")     # hq_transfer stays granted: fetches find them
SMALL = timedelta(minutes=30)       # the most a store's clock is off, short of "3 days fast"
LOST = ("/v1/push", "/v1/pull", "/v1/customers/lookup")
EXAMPLES = int(os.environ.get("ORCHARD_STATEFUL_EXAMPLES", "15"))
PHASES = ([Phase.generate] if os.environ.get("ORCHARD_STATEFUL_PHASES") == "generate"
          else list(Phase))


def machine(hq, fresh_store):
    class SyncChain(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            hq.reset()
            self.stores = [fresh_store(i) for i in range(len(CODES))]
            self.offset = [timedelta(0)] * len(CODES)     # each store's clock against the real one
            self.customers: list[tuple[uuid.UUID, str, int]] = []      # id, phone, creator
            self.accounts: list[tuple[uuid.UUID, uuid.UUID, int]] = []  # account, customer, creator
            self.devices: list[uuid.UUID] = []
            self.entries: set[uuid.UUID] = set()
            self.phones = itertools.count(13800000000)
            self.members = itertools.count(1)
            # two customers every store already serves, so offline edits collide often
            for given in ("Ann", "Bo"):
                self.create_customer(0, given, "Lee")
            self.stores[0].sync()
            for store in self.stores[1:]:
                with store.client() as c:
                    for _, phone, _ in self.customers:
                        c.fetch_customer(staff_id=store.admin.staff_id, phone=phone)

        @contextlib.contextmanager
        def on(self, i: int):
            """Store ``i`` acts on its own clock (core.clock is process-wide); HQ keeps real time."""
            offset = self.offset[i]
            clock.set_clock(lambda: clock.system_clock() + offset)
            try:
                yield self.stores[i]
            finally:
                clock.set_clock(None)

        def has(self, i: int, model, id_) -> bool:
            with self.stores[i].db.session() as s:
                row = s.get(model, id_)
                return row is not None and not getattr(row, "erased", False)

        def live(self, i: int, cid) -> bool:
            with self.stores[i].db.session() as s:
                c = s.get(Customer, cid)
                return c is not None and not c.erased and c.merged_into_id is None

        @precondition(lambda self: len(self.customers) < 4)     # few customers: edits collide
        @rule(i=st.integers(0, 2), given=FIELDS["given_name"], family=FIELDS["family_name"])
        def create_customer(self, i, given, family):
            phone = str(next(self.phones))
            with self.on(i) as store, store.db.session(write=True) as s:
                c = customers.create_customer(s, store.admin, given_name=given, family_name=family, phone=phone)
                privacy.set_consent(s, store.admin, c.id, "hq_transfer", True)    # others may fetch them
            self.customers.append((c.id, "+86" + phone, i))

        @precondition(lambda self: self.customers)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99), data=st.data())
        def edit_customer(self, i, k, data):
            cid, _, _ = self.customers[k % len(self.customers)]
            if not self.has(i, Customer, cid):
                return
            name = data.draw(st.sampled_from(sorted(FIELDS)))
            value = data.draw(FIELDS[name])
            with self.on(i) as store, store.db.session(write=True) as s:
                current = customers.get_customer(s, store.admin, cid)
                if name in ("given_name", "family_name") and not value and not (
                        current.given_name if name == "family_name" else current.family_name):
                    return
                customers.update_customer(s, store.admin, cid, **{name: value})

        @precondition(lambda self: self.customers)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99), purpose=st.sampled_from(PURPOSES), granted=st.booleans())
        def change_consent(self, i, k, purpose, granted):
            cid, _, _ = self.customers[k % len(self.customers)]
            if not self.live(i, cid):
                return
            with self.on(i) as store, store.db.session(write=True) as s:
                privacy.set_consent(s, store.admin, cid, purpose, granted)

        @precondition(lambda self: self.customers)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99), kind=st.sampled_from(["phone", "tablet", "laptop"]),
              model=DEVICE_FIELDS["model"], serial=DEVICE_FIELDS["serial"])
        def add_device(self, i, k, kind, model, serial):
            cid, _, _ = self.customers[k % len(self.customers)]
            if not self.live(i, cid):
                return
            device_id = new_id()
            with self.on(i) as store, store.db.session(write=True) as s:
                s.add(Device(id=device_id, customer_id=cid, kind=kind, model=model, serial=serial))
            self.devices.append(device_id)

        @precondition(lambda self: self.devices)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99), data=st.data())
        def edit_device(self, i, k, data):
            device_id = self.devices[k % len(self.devices)]
            with self.stores[i].db.session() as s:
                d = s.get(Device, device_id)
                if d is None or d.customer_id is None or not self.has(i, Customer, d.customer_id):
                    return
            name = data.draw(st.sampled_from(sorted(DEVICE_FIELDS)))
            value = data.draw(DEVICE_FIELDS[name])
            with self.on(i) as store, store.db.session(write=True) as s:
                setattr(s.get(Device, device_id), name, value)

        @precondition(lambda self: self.customers)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99))
        def fetch_customer(self, i, k):
            cid, phone, _ = self.customers[k % len(self.customers)]
            with self.stores[i].db.session() as s:
                if s.get(Customer, cid) is not None:
                    return              # search finds them here: nobody fetches
            with self.on(i) as store, store.client() as c:
                c.fetch_customer(staff_id=store.admin.staff_id, phone=phone)

        @precondition(lambda self: self.customers)
        @rule(k=st.integers(0, 99), points=st.integers(50, 500))
        def enrol_member(self, k, points):
            cid, _, creator = self.customers[k % len(self.customers)]
            if any(c == cid for _, c, _ in self.accounts) or not self.has(creator, Customer, cid):
                return
            with self.on(creator) as store, store.db.session(write=True) as s:
                acct = LoyaltyAccount(customer_id=cid, member_number=f"{CODES[creator]}{next(self.members):06d}",
                                      store_id=store.store_id, terms_version="2026-01")
                s.add(acct)
                s.flush()
                e = LoyaltyEntry(account_id=acct.id, kind="bonus", points=points, store_id=store.store_id)
                s.add(e)
            self.accounts.append((acct.id, cid, creator))
            self.entries.add(e.id)

        @precondition(lambda self: self.accounts)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99), points=st.integers(-400, 400))
        def loyalty_entry(self, i, k, points):
            account, _, _ = self.accounts[k % len(self.accounts)]
            with self.on(i) as store, store.db.session(write=True) as s:
                if s.get(LoyaltyAccount, account) is None:
                    return
                e = LoyaltyEntry(account_id=account, kind="redeem" if points < 0 else "earn", points=points,
                                 store_id=store.store_id)
                s.add(e)
            self.entries.add(e.id)

        @precondition(lambda self: self.customers)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99), rarely=st.integers(0, 3))
        def erase_customer(self, i, k, rarely):
            cid, _, _ = self.customers[k % len(self.customers)]
            if rarely or not self.has(i, Customer, cid):
                return
            with self.on(i) as store, store.db.session(write=True) as s:
                privacy.erase_customer(s, store.admin, cid)

        @precondition(lambda self: len(self.customers) >= 2)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99), j=st.integers(0, 99), rarely=st.integers(0, 2))
        def merge_customers(self, i, k, j, rarely):
            """A manager merges two profiles (possibly while another store, offline, edits
            one of them or merges the other way)."""
            winner, _, _ = self.customers[k % len(self.customers)]
            loser, _, _ = self.customers[j % len(self.customers)]
            store = self.stores[i]
            if rarely or winner == loser:
                return
            with store.db.session() as s:
                w, l_ = s.get(Customer, winner), s.get(Customer, loser)
                if w is None or l_ is None or w.erased or l_.erased or w.merged_into_id or l_.merged_into_id:
                    return
                here = set(s.scalars(select(LoyaltyAccount.id)))
            # One customer, one membership: a merge that would hand the loser's account to a
            # winner who has one this store has not seen yet is the race of two stores
            # enrolling one person offline (a documented limit, see hq/README.md): left out,
            # as enrol_member leaves out enrolling anyone who has an account anywhere.
            loser_accounts = [a for a, c, _ in self.accounts if c == loser]
            winner_accounts = [a for a, c, _ in self.accounts if c == winner]
            if loser_accounts and any(a not in here for a in winner_accounts):
                return
            with self.on(i), store.db.session(write=True) as s:
                privacy.merge_customers(s, store.admin, winner, loser)
            if not winner_accounts:
                # the loser's membership, where this store held it, now belongs to the winner
                self.accounts = [(a, winner if c == loser and a in here else c, creator)
                                 for a, c, creator in self.accounts]

        @rule(i=st.integers(0, 2), how=st.sampled_from(["sync", "push", "pull"]))
        def sync(self, i, how):
            with self.on(i) as store:
                getattr(store, how)()

        @rule(i=st.integers(0, 2), path=st.sampled_from(LOST), k=st.integers(0, 99))
        def lose_answer(self, i, path, k):
            """HQ does the work; its answer never reaches the store, which hears "unreachable"."""
            lost = LoseAnswers(path)
            with self.on(i) as store:
                if path == "/v1/customers/lookup":
                    if not self.customers:
                        return
                    _, phone, _ = self.customers[k % len(self.customers)]
                    with store.client(transport=lost) as c, pytest.raises(sync_client.HqUnreachable):
                        c.fetch_customer(staff_id=store.admin.staff_id, phone=phone)
                elif path == "/v1/pull":
                    with pytest.raises(sync_client.HqUnreachable):
                        store.pull(transport=lost)
                elif pending(store.db):
                    with pytest.raises(sync_client.HqUnreachable):
                        store.push(transport=lost)
                else:
                    assert store.push(transport=lost) == (0, 0)     # nothing waiting: no push goes out
                    return
            assert lost.lost == 1

        @rule(i=st.integers(0, 2), how=st.sampled_from(["earlier", "later", "3 days fast", "right"]),
              minutes=st.integers(1, 20))
        def step_clock(self, i, how, minutes):
            if how == "3 days fast":
                self.offset[i] = timedelta(days=3)
            elif how == "right":
                self.offset[i] = timedelta(0)
            elif abs(self.offset[i]) < timedelta(days=1):     # a small step, within half an hour
                step = timedelta(minutes=minutes if how == "later" else -minutes)
                self.offset[i] = max(-SMALL, min(SMALL, self.offset[i] + step))

        @rule(i=st.integers(0, 2), data=st.data())
        def send_again(self, i, data):
            """A manager sends parked operations again, all or some (maybe with the clock still
            fast: then they are parked again)."""
            with self.on(i) as store, store.db.session(write=True) as s:
                seqs = [p.seq for p in sync_client.parked_ops(s)]
                if not seqs:
                    return
                chosen = data.draw(st.none() | st.lists(st.sampled_from(seqs), min_size=1, unique=True))
                assert sync_client.retry_parked(s, store.admin, chosen) == len(chosen or seqs)

        def heal(self) -> None:
            """Every clock right, every operation parked for a fast clock sent again, every
            store synced twice. (A store first pushes what it holds: edits stamped while its
            clock ran fast are parked only once HQ has seen them.)"""
            self.offset = [timedelta(0)] * len(CODES)
            for i in range(len(CODES)):
                with self.on(i) as store:
                    store.push()
                with self.on(i) as store, store.db.session(write=True) as s:
                    seqs = [p.seq for p in sync_client.parked_ops(s) if p.reason.startswith(merge.R_CLOCK)]
                    if seqs:
                        sync_client.retry_parked(s, store.admin, seqs)
            for i in itertools.chain(range(len(CODES)), range(len(CODES))):
                with self.on(i) as store:
                    store.sync()

        def check_last_writer_wins(self) -> None:
            """Each field of each customer and device holds the value of the edit with the
            greatest (final) stamp, whichever store made it and whenever it arrived."""
            at_customers = hq_rows(hq, "customer")
            for entity, names in (("customer", FIELDS), ("device", DEVICE_FIELDS)):
                newest: dict[tuple[str, str], tuple[str, object]] = {}
                for store in self.stores:
                    for op in outbox(store.db, entity=entity):
                        if op.rejected:
                            continue
                        for name, value in op.fields.items():
                            key = (op.entity_id, name)
                            if name in names and (key not in newest or op.hlc > newest[key][0]):
                                newest[key] = (op.hlc, value)
                at = at_customers if entity == "customer" else hq_rows(hq, entity)
                for (id_, name), (_, value) in newest.items():
                    row = at[id_]["data"]
                    owner = at_customers.get(row.get("customer_id") or id_)
                    if owner is None or not owner["data"]["erased"]:
                        assert row[name] == value, (entity, id_, name)

        def teardown(self):
            try:
                self.heal()
                for store in self.stores:
                    assert differences(hq, store) == [], store.code
                self.check_last_writer_wins()
                # no clock dragged the chain into the future: every stamp HQ keeps lies
                # within the small offsets of real time (a clock 3 days fast is refused)
                newest = max(merge.max_stamp(r["stamps"]) for e in ("customer", "device", "consent")
                             for r in hq_rows(hq, e).values())
                ahead_ms = Timestamp.decode(newest).wall_ms - int(clock.system_clock().timestamp() * 1000)
                assert ahead_ms <= SMALL.total_seconds() * 1000 + 60_000, f"a stamp {ahead_ms} ms ahead"
                at_hq = set(uuid.UUID(i) for i in hq_rows(hq, "loyalty_entry"))
                assert self.entries <= at_hq, "a loyalty entry was lost"
                for account, cid, _ in self.accounts:
                    want = sum(r["data"]["points"] for r in hq_rows(hq, "loyalty_entry").values()
                               if r["data"]["account_id"] == str(account))
                    for store in self.stores:
                        with store.db.session() as s:
                            if s.get(LoyaltyAccount, account) is None:
                                continue
                            have = s.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                                            .where(LoyaltyEntry.account_id == account))
                        assert have == want, "balances agree"
                with hq.engine.connect() as conn:
                    assert conn.scalar(select(func.count()).select_from(hq_row)) > 0
            finally:
                clock.set_clock(None)
                for store in self.stores:
                    store.db.close()

    return SyncChain


def test_three_stores_random_offline_edits_converge(hq, make_store, tmp_path):
    # three bootstrapped stores made once; each example starts from copies of them
    originals = [make_store(code) for code in CODES]
    for store in originals:
        store.db.close()
    copies = itertools.count()

    def fresh_store(i: int) -> Store:
        src = originals[i]
        n = next(copies)
        if i == 0:
            # a new example: the previous one's stores are closed (teardown); free their disk
            for old in tmp_path.glob("copy-*"):
                shutil.rmtree(old, ignore_errors=True)
            if n and n % 150 == 0:
                print(f"[stateful] {n // len(CODES)} examples run", flush=True)
        folder = tmp_path / f"copy-{n}"
        folder.mkdir()
        for f in src.db.path.parent.iterdir():
            if f.name.endswith((".db", ".json")):
                shutil.copy2(f, folder / f.name)
        db = StoreDatabase.open(folder / "store.db", passphrase="test-passphrase")
        sync_client.enrol(db, src.admin, hq.url, hq.enrolment(src.code))
        return Store(db, src.store_id, src.admin, src.code)

    run_state_machine_as_test(
        machine(hq, fresh_store),
        settings=settings(max_examples=EXAMPLES, stateful_step_count=30, deadline=None, phases=PHASES,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
