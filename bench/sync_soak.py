"""Sync soak: three encrypted stores edit at random and sync through a TCP proxy that cuts
connections, while HQ (a real ``python -m hq.cli serve`` process) is killed with SIGKILL
at random and restarted; then the chain heals and every replica is compared with HQ.

    .venv/bin/python bench/sync_soak.py [--duration 180] [--seed 1] [--sqlite] [--fast-kdf]
                                        [--pg postgresql://postgres:postgres@127.0.0.1:5432/postgres]

Loopback only. HQ runs on a scratch PostgreSQL database made for the run and dropped at the
end (admin URL ``--pg``, else $ORCHARD_TEST_PG), or with ``--sqlite`` on an SQLite file, in a
temporary folder with the stores and HQ's log, removed at the end.

For ``--duration`` seconds one driver thread draws (from ``--seed``) the next step: create a
customer with ``hq_transfer`` consent, edit one, add or edit a device, enrol a member, write a
loyalty entry, fetch another store's customer by phone, erase or merge (rarely), sync / push /
pull one store, or kill HQ. Before each request the proxy may be armed to cut the n-th chunk of
the request or of the answer part-way (both sides closed), or to SIGKILL HQ right after
forwarding a request; HQ stays down for a drawn number of steps. A seed replays its draws as
long as the network does the same (the OS may split a stream into other chunks).

Then the proxy stops cutting, HQ comes up, every store syncs until nothing is pending
(at most ``--heal-rounds`` rounds), and the figures are printed:
  written     operations captured in the three outboxes
  at HQ       those operation ids in hq_op
  refused     parked at their store with HQ's reason
  lost        written, not refused, not at HQ                                  (must be 0)
  divergences sum of len(tests.hq.util.differences(hq, store)), by kind        (must be 0)
  balances    (account, store) pairs whose local sum differs from HQ's ledger
  HQ peak     max VmHWM over every HQ incarnation (sampled every 0.1 s and before each kill)
Exit status 0 (PASS) only when lost == 0 and divergences == 0; otherwise 1 (FAIL).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# the store credentials stay inside the encrypted databases, never in this user's keyring
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
# the soak fetches far more often than a counter: lift HQ's hourly look-up allowance
os.environ.setdefault("ORCHARD_HQ_FETCH_LIMIT", "1000000")
# the search indexes are expression indexes SQLAlchemy cannot reflect (as in pyproject.toml)
warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")

PASSPHRASE = "soak-passphrase"
CODES = ("SA", "SB", "SC")
NAMES = ("Ann", "Bo", "Chen", "伟", "Dee", "Lee", "Wang", "张", "Smith")
ADDRESSES = ("", "1 Bund", "88 Huaihai Road", "上海市南京东路 300 号")
EMAILS = (None, "a@example.com", "b@example.org")
MODELS = ("iPhone 15", "iPhone 13", "Pixel 8", "Galaxy S24", "iPad Air")
SERIALS = (None, "F2LXK0AAQ1", "F2LXK0AAQ9", "C02XK1ZZJG5H")


def vm_hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- the proxy ------------------------------------------------------------------------------

class Proxy:
    """A loopback TCP proxy (threads and sockets). Armed with a plan, it acts on the n-th
    chunk that passes in one direction ("up": store → HQ, "down": HQ → store) from then on:
    "cut" forwards only a fraction of that chunk and closes both sides; "kill" forwards it
    and calls ``on_kill`` (HQ is killed while handling the request)."""

    def __init__(self, target_port: int, on_kill):
        self.target_port = target_port
        self.on_kill = on_kill
        from tests.hq.conftest import free_port
        self.port = free_port()
        self.cuts = 0
        self._plan: tuple[str, int, float, str] | None = None
        self._seen = {"up": 0, "down": 0}
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.2)
        self._thread = threading.Thread(target=self._accept, name="soak-proxy", daemon=True)
        self._thread.start()

    def arm(self, plan: tuple[str, int, float, str] | None) -> None:
        with self._lock:
            self._plan = plan
            self._seen = {"up": 0, "down": 0}

    def _take(self, direction: str) -> tuple[str, float] | None:
        with self._lock:
            if self._plan is None or self._plan[0] != direction:
                return None
            self._seen[direction] += 1
            if self._seen[direction] < self._plan[1]:
                return None
            _, _, fraction, action = self._plan
            self._plan = None
            if action == "cut":
                self.cuts += 1
            return action, fraction

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=2)
                upstream.settimeout(None)
            except OSError:
                client.close()                    # HQ is down: the store sees the connection drop
                continue
            pair = (client, upstream)
            with self._lock:
                self._open.update(pair)
            for src, dst, direction in ((client, upstream, "up"), (upstream, client, "down")):
                threading.Thread(target=self._pump, args=(src, dst, direction, pair), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: str, pair) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                action = self._take(direction)
                if action is None:
                    dst.sendall(data)
                elif action[0] == "cut":
                    dst.sendall(data[:int(len(data) * action[1])])
                    break
                else:
                    dst.sendall(data)
                    self.on_kill()
        except OSError:
            pass
        finally:
            self._close(pair)

    def _close(self, pair) -> None:
        for s in pair:
            with self._lock:
                if s not in self._open:
                    continue
                self._open.discard(s)
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()
        with self._lock:
            left = list(self._open)
        self._close(left)


def make_stores(tmp: Path, hq, url: str, fast_kdf: bool) -> list:
    """Three encrypted store databases, each with its own key (and so its own HLC node),
    made one by one (migrations are not thread-safe) while HQ starts, then bootstrapped
    and enrolled at once. ``fast_kdf``: the tests' cheap Argon2id (still encrypted)."""
    from core import staff
    from core.db import StoreDatabase
    from core.sync import client as sync_client
    from tests.conftest import FAST_KDF
    from tests.hq.conftest import Store

    def ready(db, code: str) -> Store:
        _, store_id, admin = staff.bootstrap_store(db, code=code, name=f"Soak {code}", timezone="Asia/Shanghai",
                                                   country="CN", admin_name="Soak Admin",
                                                   admin_password="soak-password", admin_pin=None)
        starting.result()
        sync_client.enrol(db, admin, url, hq.enrolment(code))
        return Store(db, store_id, admin, code)
    with ThreadPoolExecutor(len(CODES)) as pool:
        starting = pool.submit(hq.start)
        dbs = []
        for code in CODES:
            (tmp / code).mkdir()
            dbs.append(StoreDatabase.create(tmp / code / "store.db", passphrase=PASSPHRASE,
                                            kdf=FAST_KDF if fast_kdf else None))
        return list(pool.map(ready, dbs, CODES))


# --- the soak -------------------------------------------------------------------------------

class Soak:
    """The driver: one thread draws and runs the steps; the proxy's threads may kill HQ."""

    def __init__(self, hq, rng: random.Random):
        self.hq = hq
        self.rng = rng
        self.hq_lock = threading.Lock()
        self.proxy = Proxy(hq.port, self.kill_hq)
        self.stores: list = []
        self.customers: list[tuple[uuid.UUID, str, int]] = []    # id, phone (E.164), creator
        self.accounts: dict[uuid.UUID, uuid.UUID] = {}           # customer → account
        self.devices: list[uuid.UUID] = []
        self.phones = iter(range(13800000000, 13900000000))
        self.members = iter(range(1, 10**6))
        self.count = collections.Counter()
        self.errors = collections.Counter()
        self.unrecovered = [0, 0, 0]
        self.down_for: int | None = None
        self.peak_kib = 0
        self._sampling = threading.Event()
        self._sampler = threading.Thread(target=self._sample_loop, name="soak-vmhwm", daemon=True)

    def sample(self) -> None:
        proc = self.hq.proc
        if proc is not None:
            self.peak_kib = max(self.peak_kib, vm_hwm_kib(proc.pid))

    def _sample_loop(self) -> None:
        while not self._sampling.wait(0.1):
            self.sample()

    def kill_hq(self) -> None:
        with self.hq_lock:
            if self.hq.proc is None:
                return
            self.sample()
            self.hq.kill()
            self.count["hq_kills"] += 1

    def hq_up(self) -> None:
        with self.hq_lock:
            if self.hq.proc is None:
                self.hq.start()
                self.count["hq_starts"] += 1

    def live(self, i: int, customer_id: uuid.UUID) -> bool:
        from core.models import Customer
        with self.stores[i].db.session() as s:
            c = s.get(Customer, customer_id)
            return c is not None and not c.erased and c.merged_into_id is None

    def create_customer(self, i: int) -> bool:
        from core import customers, privacy
        store, phone = self.stores[i], str(next(self.phones))
        with store.db.session(write=True) as s:
            c = customers.create_customer(s, store.admin, given_name=self.rng.choice(NAMES),
                                          family_name=self.rng.choice(NAMES), phone=phone)
            privacy.set_consent(s, store.admin, c.id, "hq_transfer", True)     # other stores may fetch
        self.customers.append((c.id, "+86" + phone, i))
        return True

    def edit_customer(self, i: int, cid: uuid.UUID) -> bool:
        from core import customers
        field = self.rng.choice(("given_name", "family_name", "address", "email"))
        value = self.rng.choice({"address": ADDRESSES, "email": EMAILS}.get(field, NAMES))
        if not self.live(i, cid):
            return False
        store = self.stores[i]
        with store.db.session(write=True) as s:
            customers.update_customer(s, store.admin, cid, **{field: value})
        return True

    def add_device(self, i: int, cid: uuid.UUID) -> bool:
        from core.models import Device
        model, serial = self.rng.choice(MODELS), self.rng.choice(SERIALS)
        if not self.live(i, cid):
            return False
        with self.stores[i].db.session(write=True) as s:
            d = Device(customer_id=cid, model=model, serial=serial)
            s.add(d)
        self.devices.append(d.id)
        return True

    def edit_device(self, i: int, device_id: uuid.UUID) -> bool:
        from core.models import Device
        model, serial = self.rng.choice(MODELS), self.rng.choice(SERIALS)
        with self.stores[i].db.session() as s:
            d = s.get(Device, device_id)
            owner = d.customer_id if d is not None else None
        if owner is None or not self.live(i, owner):
            return False
        with self.stores[i].db.session(write=True) as s:
            d = s.get(Device, device_id)
            d.model, d.serial = model, serial
        return True

    def enrol_member(self, cid: uuid.UUID, creator: int) -> bool:
        """Only the store that made the customer enrols them, once (two stores enrolling one
        person offline is a documented limit, as in tests/hq/test_stateful.py)."""
        from core.models import LoyaltyAccount, LoyaltyEntry
        points = self.rng.randint(50, 500)
        if cid in self.accounts or not self.live(creator, cid):
            return False
        store = self.stores[creator]
        with store.db.session(write=True) as s:
            acct = LoyaltyAccount(customer_id=cid, member_number=f"{store.code}{next(self.members):06d}",
                                  store_id=store.store_id, terms_version="2026-01")
            s.add(acct)
            s.flush()
            s.add(LoyaltyEntry(account_id=acct.id, kind="bonus", points=points, store_id=store.store_id))
        self.accounts[cid] = acct.id
        return True

    def loyalty_entry(self, i: int, cid: uuid.UUID) -> bool:
        from core.models import LoyaltyAccount, LoyaltyEntry
        points = self.rng.choice((-1, 1, 1, 1)) * self.rng.randint(10, 300)
        account = self.accounts[cid]
        store = self.stores[i]
        with store.db.session() as s:
            acct = s.get(LoyaltyAccount, account)
            owner = acct.customer_id if acct is not None else None
        if owner is None or not self.live(i, owner):
            return False
        with store.db.session(write=True) as s:
            s.add(LoyaltyEntry(account_id=account, kind="redeem" if points < 0 else "earn", points=points,
                               store_id=store.store_id))
        return True

    def erase(self, i: int, cid: uuid.UUID) -> bool:
        from core import privacy
        if not self.live(i, cid):
            return False
        store = self.stores[i]
        with store.db.session(write=True) as s:
            privacy.erase_customer(s, store.admin, cid)
        return True

    def merge(self, i: int, winner: uuid.UUID, loser: uuid.UUID) -> bool:
        """Only the simple case: two live profiles, neither a member anywhere."""
        from core import privacy
        if winner == loser or winner in self.accounts or loser in self.accounts:
            return False
        if not (self.live(i, winner) and self.live(i, loser)):
            return False
        store = self.stores[i]
        with store.db.session(write=True) as s:
            privacy.merge_customers(s, store.admin, winner, loser)
        return True

    def network(self, i: int, kind: str, phone: str | None = None) -> None:
        """One request sequence to HQ through the proxy, which may be armed to cut or kill."""
        from core.errors import OrchardError
        r = self.rng.random()
        if r < 0.04:        # a sync is 2 to 4 requests, each a chunk or two each way
            plan = ("up", self.rng.randint(1, 3), 1.0, "kill")
        elif r < 0.4:
            plan = (self.rng.choice(("up", "down")), self.rng.randint(1, 3), self.rng.random(), "cut")
        else:
            plan = None
        self.proxy.arm(plan)
        store = self.stores[i]
        try:
            if kind == "fetch":
                with store.client() as c:
                    c.fetch_customer(staff_id=store.admin.staff_id, phone=phone)
            else:
                getattr(store, kind)()
        except (OrchardError, OSError) as exc:
            self.count[f"{'fetches' if kind == 'fetch' else 'syncs'}_failed"] += 1
            self.errors[f"{kind}: {type(exc).__name__}"] += 1
            if kind != "fetch":
                self.unrecovered[i] += 1
            return
        except Exception as exc:                   # not a network failure: a defect to report
            self.count["unexpected"] += 1
            self.errors[f"{kind}: unexpected {type(exc).__name__}"] += 1
            return
        finally:
            self.proxy.arm(None)
        if kind != "fetch":
            self.count["syncs_recovered"] += self.unrecovered[i]
            self.unrecovered[i] = 0
        self.count[f"{kind}_ok"] += 1

    def step(self) -> None:
        """Draw a store and an action; edits pick among the customers that store holds (in
        the order they were made, so the draws replay), fetches among the others'."""
        from core.models import Customer
        rng, i, known = self.rng, self.rng.randrange(3), self.customers
        action = rng.choices(("create", "edit", "device", "edit_device", "member", "entry", "fetch", "erase",
                              "merge", "sync", "kill"),
                             weights=(6 if len(known) < 60 else 1, 20, 6, 5, 4, 12, 5, 0.4, 0.4, 20, 0.3))[0]
        with self.stores[i].db.session() as s:
            live = set(s.scalars(select(Customer.id).where(Customer.erased.is_(False),
                                                           Customer.merged_into_id.is_(None))))
        here = [c for c in known if c[0] in live]
        others = [c for c in known if c[2] != i]
        self.count["steps"] += 1
        if action == "create" or not here:
            self.guard("create", self.create_customer, i)
        elif action in ("edit", "device", "erase"):
            fn = {"edit": self.edit_customer, "device": self.add_device, "erase": self.erase}[action]
            self.guard(action, fn, i, rng.choice(here)[0])
        elif action == "edit_device" and self.devices:
            self.guard(action, self.edit_device, i, rng.choice(self.devices))
        elif action == "member" and any(c[2] == i for c in here):
            self.guard(action, self.enrol_member, rng.choice([c for c in here if c[2] == i])[0], i)
        elif action == "entry" and self.accounts:
            self.guard(action, self.loyalty_entry, i, rng.choice(list(self.accounts)))
        elif action == "fetch" and others:
            self.network(i, "fetch", rng.choice(others)[1])
        elif action == "merge":
            self.guard(action, self.merge, i, rng.choice(here)[0], rng.choice(here)[0])
        elif action == "sync":
            self.network(i, rng.choice(("sync", "sync", "push", "pull")))
        elif action == "kill":
            self.kill_hq()
        if self.hq.proc is None:                   # killed now or by the proxy: down for a few steps
            if self.down_for is None:
                self.down_for = rng.randint(0, 6)
            if self.down_for <= 0:
                self.down_for = None
                self.hq_up()
            else:
                self.down_for -= 1

    def guard(self, what: str, fn, *args) -> None:
        try:
            if fn(*args):                          # False: nothing to do at this store
                self.count[f"{what}_ok"] += 1
        except Exception as exc:                   # a store-side edit failed: count it, keep going
            self.errors[f"{what}: {type(exc).__name__}"] += 1

    def heal(self, rounds: int) -> int:
        """Proxy passes everything, HQ up, sync every store until a round in which nothing
        was pending at any store and every sync succeeded (so every pull saw every push).
        Returns the rounds used (rounds + 1 when it never settled)."""
        from tests.hq.util import pending
        self.proxy.arm(None)
        self.hq_up()
        for n in range(1, rounds + 1):
            quiet = True
            for i, store in enumerate(self.stores):
                quiet &= pending(store.db) == 0
                try:
                    store.sync()
                    self.count["syncs_recovered"] += self.unrecovered[i]
                    self.unrecovered[i] = 0
                except Exception as exc:
                    quiet = False
                    self.count["heal_failures"] += 1
                    self.errors[f"heal sync: {type(exc).__name__}"] += 1
            if quiet:
                return n
        return rounds + 1


def divergence_kind(problem: str) -> str:
    """'missing device', 'customer.updated_at', ...: the kind of a difference, without values."""
    m = re.match(r"(missing|extra) \('(\w+)'", problem)
    if m:
        return f"{m.group(1)} {m.group(2)}"
    m = re.match(r"\('(\w+)', '[^']*'\)\.(\w+):", problem)
    return f"{m.group(1)}.{m.group(2)}" if m else "other"


def verdict(hq, stores) -> dict:
    from sqlalchemy import func
    from core.models import LoyaltyAccount, LoyaltyEntry, OutboxEntry
    from hq.models import hq_op
    from tests.hq.util import differences, hq_rows, pending
    written: dict[uuid.UUID, bool] = {}                  # op id → refused (parked at its store)
    for store in stores:
        with store.db.session() as s:
            for op_id, rejected in s.execute(select(OutboxEntry.op_id, OutboxEntry.rejected)):
                written[op_id] = rejected is not None
    with hq.engine.connect() as conn:
        at_hq = {r for r in conn.execute(select(hq_op.c.op_id)).scalars()} & written.keys()
    lost = [op for op, refused in written.items() if not refused and op not in at_hq]
    kinds: collections.Counter = collections.Counter()
    for store in stores:
        kinds.update(divergence_kind(p) for p in differences(hq, store))
    ledger: collections.Counter = collections.Counter()
    for r in hq_rows(hq, "loyalty_entry").values():
        if not r["deleted"]:
            ledger[r["data"]["account_id"]] += r["data"]["points"]
    balances_off = 0
    for store in stores:
        with store.db.session() as s:
            here = dict(s.execute(select(LoyaltyAccount.id, func.coalesce(func.sum(LoyaltyEntry.points), 0))
                                  .outerjoin(LoyaltyEntry, LoyaltyEntry.account_id == LoyaltyAccount.id)
                                  .group_by(LoyaltyAccount.id)).all())
        balances_off += sum(1 for account, points in here.items() if ledger[str(account)] != points)
    return {"written": len(written), "at_hq": len(at_hq), "refused": sum(written.values()), "lost": len(lost),
            "pending": sum(pending(store.db) for store in stores), "divergences": sum(kinds.values()),
            "kinds": kinds, "balances_off": balances_off}


# --- main -----------------------------------------------------------------------------------

def run(args, hq_url: str, tmp: Path) -> int:
    from tests.hq.conftest import HqServer
    hq = HqServer(hq_url, tmp / "hq.log")
    soak = Soak(hq, random.Random(args.seed))
    t_setup = time.monotonic()
    try:
        url = f"http://127.0.0.1:{soak.proxy.port}"
        soak.stores = make_stores(tmp, hq, url, args.fast_kdf)
        soak._sampler.start()
        setup_s = time.monotonic() - t_setup
        print(f"HQ {'on SQLite' if args.sqlite else 'on PostgreSQL'} behind a cutting proxy on {url}; "
              f"three stores in {tmp}; seed {args.seed}, {args.duration:g} s", flush=True)
        t0 = time.monotonic()
        while time.monotonic() - t0 < args.duration:
            soak.step()
        chaos_s = time.monotonic() - t0
        t1 = time.monotonic()
        rounds = soak.heal(args.heal_rounds)
        heal_s = time.monotonic() - t1
        soak.sample()
        v = verdict(hq, soak.stores)
    except BaseException:
        log = tmp / "hq.log"
        if log.exists():
            print("--- HQ log (tail) ---\n" + log.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        soak._sampling.set()
        soak.proxy.close()
        for store in soak.stores:
            store.db.close()
        hq.close()
    c = soak.count
    done = ", ".join(f"{k[:-3]} {n}" for k, n in sorted(c.items()) if k.endswith("_ok"))
    print()
    print(f"Set-up {setup_s:.1f} s. Chaos {chaos_s:.0f} s: {c['steps']:,} steps; done: {done}")
    print(f"  proxy cuts {soak.proxy.cuts}, HQ SIGKILLs {c['hq_kills']} (restarts {c['hq_starts']}), "
          f"syncs failed {c['syncs_failed']} (recovered {c['syncs_recovered']}), fetches failed "
          f"{c['fetches_failed']}, unexpected errors {c['unexpected']}")
    for what, n in sorted(soak.errors.items()):
        print(f"    {what}: {n}")
    print(f"Heal: {rounds if rounds <= args.heal_rounds else 'not settled after ' + str(args.heal_rounds)} "
          f"round(s), {heal_s:.1f} s; still pending {v['pending']}")
    print(f"  operations written {v['written']:,}, at HQ {v['at_hq']:,}, refused {v['refused']:,}, "
          f"lost {v['lost']:,}")
    print(f"  divergences {v['divergences']}" + "".join(f"\n    {k}: {n}" for k, n in v["kinds"].most_common()))
    print(f"  balances that disagree: {v['balances_off']}")
    print(f"  HQ peak memory (VmHWM, every incarnation): {soak.peak_kib / 1024:.0f} MiB")
    print(f"figures: written={v['written']} at_hq={v['at_hq']} refused={v['refused']} lost={v['lost']} "
          f"pending={v['pending']} divergences={v['divergences']} balances_off={v['balances_off']} "
          f"hq_peak_kib={soak.peak_kib} hq_kills={c['hq_kills']} proxy_cuts={soak.proxy.cuts} "
          f"syncs_failed={c['syncs_failed']} syncs_recovered={c['syncs_recovered']} "
          f"unexpected={c['unexpected']}")
    passed = v["divergences"] == 0 and v["lost"] == 0
    print("PASS" if passed else "FAIL (lost and divergences must both be 0)")
    return 0 if passed else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=180.0, help="seconds of chaos before healing")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sqlite", action="store_true", help="HQ on an SQLite file instead of PostgreSQL")
    ap.add_argument("--heal-rounds", type=int, default=10)
    ap.add_argument("--fast-kdf", action="store_true", help="cheap passphrase key derivation (the smoke test)")
    ap.add_argument("--pg", default=os.environ.get("ORCHARD_TEST_PG",
                                                   "postgresql://postgres:postgres@127.0.0.1:5432/postgres"))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="orchard-sync-soak-"))
    name = None
    try:
        if args.sqlite:
            return run(args, str(tmp / "hq.sqlite"), tmp)
        import psycopg
        name = f"orchard_hq_soak_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(args.pg, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return run(args, f"{args.pg.rsplit('/', 1)[0]}/{name}", tmp)
    finally:
        if name:
            import psycopg
            with psycopg.connect(args.pg, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
