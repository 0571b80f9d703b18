"""The demo store and the benchmark seeder: what someone trying Orchard would notice."""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core import clock, demo, staff
from core.db import StoreDatabase
from core.demo.values import _add_years
from core.errors import Conflict
from core.models import (
    Appointment, Consent, Customer, CustomerNote, Device, Feedback, LoyaltyAccount, LoyaltyEntry, OutboxEntry, Part,
    PartStock, PriceBook, PriceBookEntry, RepairEvent, RepairPart, RepairTicket, ServiceType, Shift, TicketCounter,
    TradeInModel, TradeInQuote,
)
from core.permissions import Role
from core.validation import is_luhn_valid, normalize_email, normalize_imei, normalize_phone
from tests.conftest import FAST_KDF

CUSTOMERS = 300


@pytest.fixture(scope="module")
def _built_once(_template_db, tmp_path_factory):
    """One demo store for this file's read-only checks, built with the clock standing still
    (it stands until the file's last check): building it per check took most of the file's
    time, six runs a CI (the suite and the date matrix)."""
    from core.db import StoreDatabase
    folder = tmp_path_factory.mktemp("built")
    for f in _template_db.iterdir():
        if f.name.endswith((".db", ".json")):
            shutil.copy2(f, folder / f.name)
    db = StoreDatabase.open(folder / "store.db", passphrase="test-passphrase")
    with clock.pinned(clock.now().replace(microsecond=0)):
        yield db, demo.build_demo(db, customers=CUSTOMERS)
    db.close()


@pytest.fixture
def built(_built_once):
    return _built_once


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- staff -----------------------------------------------------------------------------------

def test_every_role_signs_in_with_the_printed_pin(built):
    db, info = built
    roles = Counter(m.role for m in info.staff)
    assert set(roles) == {r.value for r in Role}
    assert roles["associate"] >= 2 and roles["technician"] >= 3 and roles["manager"] == 1
    skills = {s for m in info.staff_with_role(Role.TECHNICIAN) for s in m.skills}
    assert {"screen", "battery", "board", "laptop", "setup"} <= skills

    text = info.credentials_text()
    for m in info.staff:
        assert m.pin in text and m.password in text and m.display_name in text
        with db.session(write=True) as s:
            actor = staff.authenticate(s, m.staff_id, pin=m.pin)
        assert actor.role == Role(m.role)
        assert actor.store_id == info.store_id
        with db.session() as s:
            assert staff.get_staff(s, m.staff_id).staff_number == m.staff_number
    manager = info.staff_with_role(Role.MANAGER)[0]
    with db.session(write=True) as s:
        assert staff.authenticate(s, manager.staff_id, password=manager.password).role == Role.MANAGER


def test_the_demo_is_built_as_of_the_moment_it_is_given(db):
    at = datetime(2031, 5, 5, 2, 0, tzinfo=timezone.utc)          # years from the machine's date
    demo.build_demo(db, customers=demo.MIN_CUSTOMERS, now=at)
    with db.session() as s:
        newest = s.scalar(select(func.max(Customer.created_at)))
        diary = s.scalars(select(Appointment.starts_at)).all()
    assert newest <= at and min(diary) < at < max(diary) < at + timedelta(days=31)


def test_only_an_empty_database_gets_a_demo(built):
    db, _ = built
    with pytest.raises(Conflict):
        demo.build_demo(db, customers=demo.MIN_CUSTOMERS)
    with pytest.raises(ValueError):
        demo.build_demo(db, customers=demo.MIN_CUSTOMERS - 1)


def test_same_seed_same_store(tmp_path):
    def snapshot(path):
        db = StoreDatabase.create(path, passphrase="demo-passphrase", kdf=FAST_KDF)
        try:
            demo.build_demo(db, customers=60, seed=3)
            with db.session() as s:
                people = sorted(s.execute(select(Customer.family_name, Customer.given_name, Customer.phone_e164,
                                                 Customer.email)).all())
                tickets = sorted(s.execute(select(RepairTicket.number, RepairTicket.status,
                                                  RepairTicket.quote_cents)).all())
            return people, tickets
        finally:
            db.close()
    assert snapshot(tmp_path / "a.db") == snapshot(tmp_path / "b.db")


# --- repairs ---------------------------------------------------------------------------------

def test_tickets_in_every_status_with_a_consistent_history(built):
    db, info = built
    with db.session() as s:
        tickets = s.scalars(select(RepairTicket)).all()
        events = defaultdict(list)
        for ev in s.scalars(select(RepairEvent).order_by(RepairEvent.at, RepairEvent.id)):
            events[ev.ticket_id].append(ev)
        counter = s.get(TicketCounter, info.store_id)

    assert {t.status for t in tickets} == set(demo.TICKET_STATUSES)
    numbers = [(t.store_id, t.number) for t in tickets]
    assert len(numbers) == len(set(numbers))
    assert all(re.fullmatch(r"SH01-\d{6}", n) for _, n in numbers)
    highest = max(int(n.split("-")[1]) for _, n in numbers)
    assert counter is not None and counter.next_number == highest + 1
    assert f"SH01-{counter.next_number:06d}" not in {n for _, n in numbers}

    for t in tickets:
        history = events[t.id]
        assert history[0].from_status is None and history[0].to_status == "new"
        for before, after in zip(history, history[1:]):
            assert after.from_status == before.to_status
            assert after.at >= before.at
        assert history[-1].to_status == t.status
        assert t.created_at <= history[0].at + timedelta(seconds=1)
        if t.status == "collected":
            assert t.collected_at is not None and t.payment_status in ("paid", "no_charge")
        if t.status in ("awaiting_parts", "in_repair", "quality_check", "ready", "collected") \
                and "awaiting_approval" in [e.to_status for e in history]:
            assert t.approval == "approved"
        if t.status == "cancelled":
            assert t.approval == "refused"


def test_part_stock_matches_reservations(built):
    db, info = built
    with db.session() as s:
        reserved = Counter()
        for rp in s.scalars(select(RepairPart).where(RepairPart.state == "reserved")):
            reserved[rp.part_id] += rp.quantity
        stock = {ps.part_id: ps for ps in s.scalars(select(PartStock).where(PartStock.store_id == info.store_id))}
        parts = s.scalars(select(Part)).all()
        waiting = s.scalars(select(RepairPart).join(RepairTicket, RepairTicket.id == RepairPart.ticket_id)
                            .where(RepairTicket.status == "awaiting_parts")).all()
    assert parts and set(stock) == {p.id for p in parts}
    for part_id, ps in stock.items():
        assert ps.reserved == reserved[part_id]
        assert 0 <= ps.reserved <= ps.on_hand
    assert waiting and all(stock[rp.part_id].on_hand == 0 for rp in waiting)


# --- appointments -------------------------------------------------------------------------------

def test_no_technician_is_double_booked_and_statuses_fit_the_clock(built):
    db, _ = built
    now = clock.now()
    with db.session() as s:
        appts = s.scalars(select(Appointment)).all()
        shifts = s.scalars(select(Shift)).all()
        services = {sv.id: sv for sv in s.scalars(select(ServiceType))}
    assert {sv.code for sv in services.values()} >= {"screen_repair", "battery", "diagnosis", "setup_help",
                                                    "data_transfer"}
    assert any(a.starts_at < now for a in appts) and any(a.starts_at > now for a in appts)
    by_tech = defaultdict(list)
    for a in appts:
        by_tech[a.technician_id].append(a)
    for tech_appts in by_tech.values():
        tech_appts.sort(key=lambda a: a.starts_at)
        for a, b in zip(tech_appts, tech_appts[1:]):
            assert a.ends_at <= b.starts_at, "overlapping appointments for one technician"
    work, breaks = defaultdict(list), defaultdict(list)
    for sh in shifts:
        if sh.kind in ("work", "break"):
            (work if sh.kind == "work" else breaks)[sh.staff_id].append(sh)
    assert breaks, "lunch breaks are on the rota"
    for a in appts:
        sv = services[a.service_type_id]
        assert a.ends_at - a.starts_at == timedelta(minutes=sv.duration_min + sv.buffer_min)
        assert any(w.starts_at <= a.starts_at and a.ends_at <= w.ends_at for w in work[a.technician_id])
        assert not any(b.starts_at < a.ends_at and a.starts_at < b.ends_at for b in breaks[a.technician_id])
        if a.ends_at <= now:
            assert a.status in ("completed", "no_show", "cancelled")
        elif a.starts_at > now:
            assert a.status in ("booked", "cancelled")
        start, end = (t.astimezone(ZoneInfo(demo.STORE_TZ)) for t in (a.starts_at, a.ends_at))
        assert start.date() == end.date() and time(9, 0) <= start.time() and end.time() <= time(19, 0)


# --- customers ---------------------------------------------------------------------------------

def test_contact_details_and_devices_are_valid(built):
    db, _ = built
    with db.session() as s:
        customers = s.scalars(select(Customer)).all()
        devices = s.scalars(select(Device)).all()
        hq = s.scalar(select(func.count(func.distinct(Consent.customer_id))).where(Consent.purpose == "hq_transfer"))
    assert len(customers) == CUSTOMERS and hq == CUSTOMERS
    for c in customers:
        assert normalize_phone(c.phone_e164, region="CN") == c.phone_e164
        if c.email:
            assert normalize_email(c.email) == c.email
    codes = Counter(c.phone_e164[:3] for c in customers)
    assert codes["+86"] > CUSTOMERS * 0.7 and (codes["+1"] + codes["+44"]) > 0
    assert sum(1 for c in customers if c.email) > CUSTOMERS * 0.6
    phones = [d for d in devices if d.kind == "phone"]
    assert phones and all(d.imei for d in phones)
    for d in devices:
        if d.imei:
            assert normalize_imei(d.imei) == d.imei
        assert d.serial and d.purchase_date and d.warranty_end == _add_years(d.purchase_date, 1)
    assert {d.kind for d in devices} == {"phone", "tablet", "laptop", "watch"}


def test_chinese_names_are_searchable_and_namesakes_exist(built):
    db, _ = built
    with db.session() as s:
        customers = s.scalars(select(Customer)).all()
    chinese = [c for c in customers if _is_chinese(c.family_name + c.given_name)]
    assert 0.35 < len(chinese) / len(customers) < 0.65
    for c in chinese:
        syllables = c.name_pinyin.split()
        assert len(syllables) == len(c.family_name + c.given_name)
        assert c.name_initials == "".join(p[0] for p in syllables)
        assert c.language == "zh_CN"
    full = {c.display_name for c in chinese}
    assert {"张伟", "王芳"} <= full
    assert any(len(n) == 2 for n in full)
    zhang_wei = [c for c in chinese if c.display_name == "张伟"]
    assert zhang_wei[0].name_pinyin == "zhang wei" and zhang_wei[0].name_initials == "zw"
    assert len(zhang_wei) >= 3 and len({c.phone_e164 for c in zhang_wei}) == len(zhang_wei)
    smiths = [c for c in customers if c.display_name == "David Smith"]
    assert len(smiths) >= 2 and len({c.phone_e164 for c in smiths}) == len(smiths)
    assert all(not c.name_pinyin for c in customers if c not in chinese)


# --- loyalty and trade-in ------------------------------------------------------------------------

def test_loyalty_balances_never_go_negative_and_tiers_follow_spend(built):
    db, info = built
    with db.session() as s:
        accounts = s.scalars(select(LoyaltyAccount)).all()
        entries = defaultdict(list)
        for e in s.scalars(select(LoyaltyEntry)):
            entries[e.account_id].append(e)
    assert 0.2 < len(accounts) / CUSTOMERS < 0.4
    numbers = [a.member_number for a in accounts]
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("8800") and is_luhn_valid(n) for n in numbers)
    kinds = Counter()
    for a in accounts:
        ledger = sorted(entries[a.id], key=lambda e: (e.at, e.points < 0))
        balance = 0
        for e in ledger:
            balance += e.points
            assert balance >= 0, "a redeem or expiry took the balance below zero"
            assert e.at >= a.enrolled_at
            kinds[e.kind] += 1
        # the cached tier is what the published rules give today (rolling 12-month spend)
        from zoneinfo import ZoneInfo

        from core import loyalty
        from core.loyalty.entries import _line
        with db.session() as s:
            manager = staff.actor_for(staff.get_staff(s, info.staff_with_role(Role.MANAGER)[0].staff_id))
            rules = loyalty.current_rules(s, manager)
        expected = loyalty.tier_at([_line(e) for e in ledger], rules, clock.now(),
                                   ZoneInfo(demo.STORE_TZ))
        assert a.tier == expected
    assert {"bonus", "earn", "redeem"} <= set(kinds)
    assert len({a.tier for a in accounts}) >= 2, "the demo shows more than one tier"


def test_trade_in_price_book_and_quotes_add_up(built):
    db, _ = built
    with db.session() as s:
        book = s.scalars(select(PriceBook)).one()
        models = s.scalars(select(TradeInModel)).all()
        entries = s.scalars(select(PriceBookEntry)).all()
        quotes = s.scalars(select(TradeInQuote)).all()
    assert re.fullmatch(r"\d{4}\.\d{2}", book.version)
    assert book.rules["grades"] == list(demo.GRADES) and book.rules["promotions"]
    assert {m.family for m in models} >= {"iPhone", "Galaxy S", "Pixel", "iPad Air", "MacBook Air", "Apple Watch"}
    value = {(e.model_id, e.grade): e.base_cents for e in entries}
    assert len(value) == len(models) * len(demo.GRADES)
    for m in models:
        prices = [value[(m.id, g)] for g in demo.GRADES]
        assert prices == sorted(prices, reverse=True) and prices[0] > prices[-1] > 0
    assert {q.status for q in quotes} >= {"quoted", "accepted", "declined", "expired"}
    for q in quotes:
        assert q.value_cents == sum(line["cents"] for line in q.breakdown)
        assert q.breakdown[0] == {"step": "base", "grade": q.grade, "cents": value[(q.model_id, q.grade)]}
        if q.imei:
            normalize_imei(q.imei)



# --- opening hours -------------------------------------------------------------------------------

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.mark.parametrize("now", [datetime(2026, 3, 9, 17, 3, tzinfo=timezone.utc),     # 01:03 Shanghai, Monday
                                 datetime(2026, 3, 8, 6, 30, tzinfo=timezone.utc)])     # Sunday: closed all day
def test_staff_meet_customers_only_while_the_store_is_open(db, now):
    demo.build_demo(db, customers=60, now=now)
    with db.session() as s:
        moments = {
            "ticket intake": s.scalars(select(RepairTicket.created_at)).all(),
            "ticket step": s.scalars(select(RepairEvent.at)).all(),
            "collection": s.scalars(select(RepairTicket.collected_at)
                                    .where(RepairTicket.collected_at.is_not(None))).all(),
            "approval": s.scalars(select(RepairTicket.approval_at).where(RepairTicket.approval_at.is_not(None))).all(),
            "trade-in quote": s.scalars(select(TradeInQuote.created_at)).all(),
            "trade-in accepted": s.scalars(select(TradeInQuote.accepted_at)
                                           .where(TradeInQuote.accepted_at.is_not(None))).all(),
            "check-in": s.scalars(select(Appointment.checked_in_at)
                                  .where(Appointment.checked_in_at.is_not(None))).all(),
            "walk-in": s.scalars(select(Appointment.created_at).where(Appointment.source == "walk_in")).all(),
            "registration": s.scalars(select(Customer.created_at)).all(),
            "enrolment": s.scalars(select(LoyaltyAccount.enrolled_at)).all(),
            "points earned or spent": s.scalars(select(LoyaltyEntry.at).where(LoyaltyEntry.kind != "expire")).all(),
            "customer note": s.scalars(select(CustomerNote.at)).all(),
            "feedback": s.scalars(select(Feedback.created_at)).all(),
        }
    tz = ZoneInfo(demo.STORE_TZ)
    for what, ats in moments.items():
        assert ats, f"the demo has no {what}"
        for at in ats:
            local = at.replace(tzinfo=at.tzinfo or timezone.utc).astimezone(tz)
            hours = demo.OPENING_HOURS.get(_DAYS[local.weekday()])
            assert hours, f"{what} at {local:%a %H:%M} on a day the store is closed"
            opens, closes = (time.fromisoformat(h) for h in hours)
            assert opens <= local.time() <= closes, f"{what} at {local:%a %H:%M}, outside {hours}"
            assert at.replace(tzinfo=at.tzinfo or timezone.utc) <= now, f"{what} after the demo's now"


# --- seed_large ----------------------------------------------------------------------------------

def test_seed_large_adds_rows_in_bulk(db):
    demo.build_demo(db, customers=20)
    with db.session() as s:
        before = {m: s.scalar(select(func.count()).select_from(m))
                  for m in (Customer, Device, LoyaltyAccount, LoyaltyEntry, OutboxEntry)}
    calls = []
    demo.seed_large(db, customers=5000, batch=2000, progress=lambda done, total: calls.append((done, total)))
    with db.session() as s:
        after = {m: s.scalar(select(func.count()).select_from(m)) for m in before}
        phones = s.scalars(select(Customer.phone_e164)).all()
        sample = s.scalars(select(Customer).order_by(Customer.id.desc()).limit(200)).all()
        imeis = s.scalars(select(Device.imei).where(Device.imei.is_not(None))).all()
        members = s.scalars(select(LoyaltyAccount.member_number)).all()
    assert calls == [(2000, 5000), (4000, 5000), (5000, 5000)]
    assert after[Customer] - before[Customer] == 5000
    assert 2200 < after[Device] - before[Device] < 2800
    assert 800 < after[LoyaltyAccount] - before[LoyaltyAccount] < 1200
    assert after[LoyaltyEntry] - before[LoyaltyEntry] == after[LoyaltyAccount] - before[LoyaltyAccount]
    assert after[OutboxEntry] == before[OutboxEntry], "seeded rows count as already synced"
    assert len(set(phones)) == len(phones)
    assert len(set(imeis)) == len(imeis) and len(set(members)) == len(members)
    for c in sample:
        assert normalize_phone(c.phone_e164, region="CN") == c.phone_e164
        if _is_chinese(c.family_name):
            assert c.name_pinyin and c.name_initials
    for imei in imeis[-200:]:
        normalize_imei(imei)


def test_seed_large_bootstraps_an_empty_database(db):
    demo.seed_large(db, customers=300, batch=1000)
    with db.session() as s:
        assert staff.current_store(s).code == "SH01"
        assert s.scalar(select(func.count()).select_from(Customer)) > 300
