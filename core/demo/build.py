"""``build_demo``: the store, its staff, and the steps that fill it, in order.

Each step is a function of the build state (``Build``) in its own module; a step reads what
earlier steps left on the state (customers, devices, collected tickets...).
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import date, datetime, timedelta
from typing import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from core import clock, staff as staff_service
from core.demo import appointments, feedback, loyalty as loyalty_step, messages, people, tickets, tradein
from core.db import StoreDatabase
from core.demo.data import _SERVICES, _STAFF, MIN_CUSTOMERS, OPENING_HOURS, STORE_CODE, STORE_COUNTRY, \
    STORE_CURRENCY, STORE_NAME, STORE_TZ, _Model, _parts_catalogue
from core.demo.hours import _local, during_opening_hours
from core.demo.info import DemoInfo, DemoStaff
from core.demo.values import _name_searcher
from core.errors import Conflict
from core.lookup import get_or_not_found
from core.models import Appointment, Customer, Device, Part, Purchase, RepairTicket, ServiceType, Store
from core.permissions import Role


def build_demo(db: StoreDatabase, *, customers: int = 2000, seed: int = 7, now: datetime | None = None,
               store_code: str = STORE_CODE) -> DemoInfo:
    """Fill an empty store database with a demo store; returns the store and its demo sign-ins.

    The store's history ends, and its diary starts, at ``now`` (the clock's moment when not
    given; every service the build calls reads the same moment).  Needs at least
    ``MIN_CUSTOMERS`` customers (there must be devices to repair).  Raises ``Conflict`` when
    the database already has a store.
    """
    if now is not None:
        with clock.pinned(now):
            return build_demo(db, customers=customers, seed=seed, store_code=store_code)
    if customers < MIN_CUSTOMERS:
        raise ValueError(f"the demo needs at least {MIN_CUSTOMERS} customers")
    started = time.perf_counter()
    rng = random.Random(seed)
    with db.session() as s:
        if staff_service.current_store(s) is not None:
            raise Conflict("the demo can only be built into an empty store database")
    admin_name, _, admin_pin, admin_password, _, _ = _STAFF[0]
    _, store_id, admin = staff_service.bootstrap_store(
        db, code=store_code, name=STORE_NAME, timezone=STORE_TZ, country=STORE_COUNTRY,
        admin_name=admin_name, admin_password=admin_password, admin_pin=admin_pin,
        currency=STORE_CURRENCY, opening_hours=OPENING_HOURS)
    team = [DemoStaff(admin_name, "1", Role.ADMIN.value, admin_pin, admin_password, (), admin.staff_id)]
    counts: dict[str, int] = {}
    with db.session(write=True) as s:
        store = get_or_not_found(s, Store, store_id, "store")
        store.address = "上海市黄浦区南京东路 300 号 / 300 East Nanjing Road, Huangpu, Shanghai"
        store.phone = "+862163218800"
        for name, role, pin, password, skills, language in _STAFF[1:]:
            info = staff_service.create_staff(s, admin, display_name=name, role=role, password=password,
                                              pin=pin, skills=skills, language=language)
            team.append(DemoStaff(info.display_name, info.staff_number, role.value, pin, password,
                                  info.skills, info.id))
        builder = Build(s, rng, store_id, team, counts, store_code)
        builder.build(customers)
    with db.session(write=True) as s:
        # the loyalty rules HQ would publish, and tiers brought to what those rules give today
        from core import loyalty
        today = clock.today(STORE_TZ)
        loyalty.publish_rules(s, admin, version="2026.1", valid_from=today - timedelta(days=365),
                              rules=loyalty.DEFAULT_RULES)
        loyalty.daily_upkeep(s, admin)
    return DemoInfo(store_id=store_id, store_code=store_code, store_name=STORE_NAME, staff=tuple(team),
                    counts=tuple(sorted(counts.items())), seconds=round(time.perf_counter() - started, 2))


class Build:
    """One demo build: the random source, the clock, and what earlier steps made."""

    # what the steps leave for later ones, set by the step named
    services: dict[str, ServiceType]                # catalogue
    parts: dict[str, Part]                          # catalogue
    customers: list[Customer]                       # people
    customer_by_id: dict[uuid.UUID | None, Customer]    # devices_and_more; looked up by a device's owner
    devices: list[Device]                           # devices_and_more
    device_model: dict[uuid.UUID, _Model]           # devices_and_more
    purchases: list[Purchase]                       # devices_and_more
    collected_tickets: list[RepairTicket]           # tickets
    appointments: list[Appointment]                 # rota_and_appointments

    def __init__(self, session: Session, rng: random.Random, store_id: uuid.UUID, team: list[DemoStaff],
                 counts: dict[str, int], store_code: str) -> None:
        self.s = session
        self.store_code = store_code
        self.rng = rng
        self.store_id = store_id
        self.tz = ZoneInfo(STORE_TZ)
        self.now = clock.now().replace(microsecond=0)
        self.today = self.now.astimezone(self.tz).date()
        self.counts = counts
        self.team = team
        self.techs = [m for m in team if m.role == Role.TECHNICIAN.value]
        self.counter_staff = [m.staff_id for m in team if m.role in (Role.ASSOCIATE.value, Role.MANAGER.value)]
        self.manager = next(m.staff_id for m in team if m.role == Role.MANAGER.value)
        self.search_names = _name_searcher()
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.imeis: set[str] = set()

    def add(self, label: str, objs: Sequence[object]) -> None:
        self.s.add_all(objs)
        self.counts[label] = self.counts.get(label, 0) + len(objs)

    def at_local(self, d: date, hh: int, mm: int = 0) -> datetime:
        return _local(self.tz, d, hh, mm)

    def days_ago(self, lo: float, hi: float) -> datetime:
        return self.now - timedelta(seconds=int(self.rng.uniform(lo, hi) * 86400))

    def open_at(self, at: datetime) -> datetime:
        """``at`` moved into the store's opening hours, never later than the build's now."""
        return during_opening_hours(at, self.tz, not_after=self.now)

    def build(self, n_customers: int) -> None:
        self.catalogue()
        self.s.flush()
        people.people(self, n_customers)
        self.s.flush()
        people.devices_and_more(self)
        self.s.flush()
        tickets.tickets(self)
        self.s.flush()
        tradein.trade_in(self)
        self.s.flush()
        appointments.rota_and_appointments(self)
        self.s.flush()
        loyalty_step.loyalty(self)
        self.s.flush()
        feedback.surveys_and_feedback(self)
        self.s.flush()
        messages.customer_messages(self)
        self.s.flush()

    # --- catalogue ---------------------------------------------------------------------

    def catalogue(self) -> None:
        self.services = {code: ServiceType(code=code, name=name, duration_min=dur, buffer_min=buf,
                                           required_skill=skill, price_cents=price, is_repair=repair)
                         for code, name, dur, buf, skill, price, repair in _SERVICES}
        self.add("service_type", list(self.services.values()))
        self.parts = {sku: Part(sku=sku, name=name, price_cents=price, fits=fits)
                      for sku, name, price, fits, _ in _parts_catalogue()}
        self.add("part", list(self.parts.values()))
