"""Three stores edit offline at random and sync in random order; after a final full
sync every replica equals HQ's view for it, entity by entity, and no loyalty entry
is lost. A real HQ process on PostgreSQL, real encrypted store databases."""

from __future__ import annotations

import itertools
import shutil
import uuid

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select

from core import customers, privacy
from core.db import StoreDatabase
from core.models import Customer, LoyaltyAccount, LoyaltyEntry
from core.sync import client as sync_client
from hq.models import hq_row
from tests.hq.conftest import Store
from tests.hq.util import differences, hq_rows, outbox

CODES = ("SA", "SB", "SC")
FIELDS = {
    "given_name": st.sampled_from(["Ann", "Bo", "Chen", "伟", "Dee"]),
    "family_name": st.sampled_from(["Lee", "Wang", "张", "Smith"]),
    "address": st.sampled_from(["", "1 Bund", "88 Huaihai Road", "上海市南京东路 300 号"]),
    "email": st.sampled_from([None, "a@example.com", "b@example.org"]),
}


def machine(hq, fresh_store):
    class SyncChain(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            hq.reset()
            self.stores = [fresh_store(i) for i in range(len(CODES))]
            self.customers: list[tuple[uuid.UUID, str, int]] = []      # id, phone, creator
            self.accounts: list[tuple[uuid.UUID, uuid.UUID, int]] = []  # account, customer, creator
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

        def has(self, i: int, model, id_) -> bool:
            with self.stores[i].db.session() as s:
                row = s.get(model, id_)
                return row is not None and not getattr(row, "erased", False)

        @precondition(lambda self: len(self.customers) < 4)     # few customers: edits collide
        @rule(i=st.integers(0, 2), given=FIELDS["given_name"], family=FIELDS["family_name"])
        def create_customer(self, i, given, family):
            phone = str(next(self.phones))
            store = self.stores[i]
            with store.db.session(write=True) as s:
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
            store = self.stores[i]
            with store.db.session(write=True) as s:
                current = customers.get_customer(s, store.admin, cid)
                if name in ("given_name", "family_name") and not value and not (
                        current.given_name if name == "family_name" else current.family_name):
                    return
                customers.update_customer(s, store.admin, cid, **{name: value})

        @precondition(lambda self: self.customers)
        @rule(i=st.integers(0, 2), k=st.integers(0, 99))
        def fetch_customer(self, i, k):
            cid, phone, _ = self.customers[k % len(self.customers)]
            with self.stores[i].client() as c:
                c.fetch_customer(staff_id=self.stores[i].admin.staff_id, phone=phone)

        @precondition(lambda self: self.customers)
        @rule(k=st.integers(0, 99), points=st.integers(50, 500))
        def enrol_member(self, k, points):
            cid, _, creator = self.customers[k % len(self.customers)]
            if any(c == cid for _, c, _ in self.accounts) or not self.has(creator, Customer, cid):
                return
            store = self.stores[creator]
            with store.db.session(write=True) as s:
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
            store = self.stores[i]
            with store.db.session(write=True) as s:
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
            store = self.stores[i]
            with store.db.session(write=True) as s:
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
            with store.db.session(write=True) as s:
                privacy.merge_customers(s, store.admin, winner, loser)
            if not winner_accounts:
                # the loser's membership, where this store held it, now belongs to the winner
                self.accounts = [(a, winner if c == loser and a in here else c, creator)
                                 for a, c, creator in self.accounts]

        @rule(i=st.integers(0, 2), how=st.sampled_from(["sync", "push", "pull"]))
        def sync(self, i, how):
            getattr(self.stores[i], how)()

        def teardown(self):
            try:
                for store in self.stores + self.stores:
                    store.sync()
                for store in self.stores:
                    assert differences(hq, store) == [], store.code
                # the merge itself: each field of each customer holds the value of the edit
                # with the greatest stamp, whichever store made it and whenever it arrived
                newest: dict[tuple[str, str], tuple[str, object]] = {}
                for store in self.stores:
                    for op in outbox(store.db, entity="customer"):
                        if op.rejected:
                            continue
                        for name, value in op.fields.items():
                            key = (op.entity_id, name)
                            if key not in newest or op.hlc > newest[key][0]:
                                newest[key] = (op.hlc, value)
                at = hq_rows(hq, "customer")
                for (cid, name), (_, value) in newest.items():
                    row = at[cid]["data"]
                    if not row["erased"] and name in FIELDS:
                        assert row[name] == value, (cid, name)
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
        folder = tmp_path / f"copy-{next(copies)}"
        folder.mkdir()
        for f in src.db.path.parent.iterdir():
            if f.name.endswith((".db", ".json")):
                shutil.copy2(f, folder / f.name)
        db = StoreDatabase.open(folder / "store.db", passphrase="test-passphrase")
        sync_client.enrol(db, src.admin, hq.url, hq.enrolment(src.code))
        return Store(db, src.store_id, src.admin, src.code)

    run_state_machine_as_test(
        machine(hq, fresh_store),
        settings=settings(max_examples=30, stateful_step_count=30, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
