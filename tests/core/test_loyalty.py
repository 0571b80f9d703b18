"""Loyalty: enrolment with separate consents, the insert-only ledger, tiers by the rules,
expiry, the card, and what happens when two stores spend the same points offline."""

import copy
import random
import shutil
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core import clock, customers, loyalty, staff
from core.db import StoreDatabase
from core.demo import STORE_TZ
from core.errors import Conflict, PermissionDenied, ValidationError, ValidationErrors
from core.loyalty.entries import _line, _lines
from core.models import AuditEvent, Consent, LoyaltyAccount, LoyaltyEntry, Purchase, RepairTicket, TradeInQuote
from core.permissions import Role

UTC = timezone.utc
STORE_ZONE = ZoneInfo(STORE_TZ)         # the fixture store's, as the date matrix sets it
T0 = datetime(2026, 2, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def shop(store_setup):
    """(db, {role: Actor}, a customer id) in the fixture store."""
    db, store_id, admin = store_setup
    actors = {Role.ADMIN: admin}
    with db.session(write=True) as s:
        for role, name in ((Role.MANAGER, "Mia Manager"), (Role.ASSOCIATE, "Ali Associate"),
                           (Role.TECHNICIAN, "Tom Technician")):
            actors[role] = staff.actor_for(staff.create_staff(s, admin, display_name=name, role=role,
                                                              password=f"{role.value}-pass-1", pin=None))
        c = customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13800138000",
                                      email="zhang.wei@example.com", birth_date=date(1990, 5, 17))
    return db, actors, c.id


def new_customer(db, actor, **kw):
    with db.session(write=True) as s:
        return customers.create_customer(s, actor, given_name=kw.pop("given_name", "Anna"),
                                         family_name=kw.pop("family_name", "Smith"), **kw).id


def enrol(db, actor, customer_id, now=T0, **kw):
    with db.session(write=True) as s:
        kw.setdefault("terms_version", loyalty.current_rules(s, actor).terms_version)
        return loyalty.enroll(s, actor, customer_id, programme=kw.pop("programme", True), now=now, **kw)


def purchase(db, customer_id, cents, at):
    with db.session(write=True) as s:
        p = Purchase(customer_id=customer_id, at=at, description="iPhone 16 256 GB", sku="IP16-256GB",
                     total_cents=cents)
        s.add(p)
        s.flush()
        return p.id


def earn_purchase(db, actor, account_id, cents, at):
    pid = purchase(db, loyalty_customer(db, account_id), cents, at)
    with db.session(write=True) as s:
        return loyalty.earn(s, actor, account_id, ref_type="purchase", ref_id=pid, now=at)


def loyalty_customer(db, account_id):
    with db.session() as s:
        return s.get(LoyaltyAccount, account_id).customer_id


def entries(db, account_id):
    with db.session() as s:
        return list(s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == account_id)
                              .order_by(LoyaltyEntry.at)))


def ledger_sum(db, account_id):
    return sum(e.points for e in entries(db, account_id))


# --- enrolment -----------------------------------------------------------------------------------

def test_enrolment_records_each_consent_separately_gives_a_card_number_and_the_welcome_bonus(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    with db.session() as s:
        form = loyalty.enrollment_form(s, assoc, cid)
    assert form.member_number is None and form.terms_version == "2026-01"
    assert "730 days" in form.terms["en"] and "730 天" in form.terms["zh_CN"]
    m = enrol(db, assoc, cid, terms_version=form.terms_version, marketing_sms=True, marketing_email=False)
    assert loyalty.parse_card_code(m.member_number) == m.member_number
    assert m.member_number.startswith("8800") and len(m.member_number) == 13
    assert (m.balance, m.tier, m.terms_version) == (200, "silver", "2026-01")
    with db.session() as s:
        rows = {c.purpose: c for c in s.scalars(select(Consent).where(Consent.customer_id == cid))}
        assert set(rows) == {"loyalty", "marketing_sms"}, "email was not agreed and was not in force: no row"
        for c in rows.values():
            assert (c.granted, c.notice_version, c.channel) == (True, "2026-01", "in_store")
            assert (c.staff_id, c.store_id) == (assoc.staff_id, assoc.store_id)
        bonus = s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == m.id)).one()
        assert (bonus.kind, bonus.points, bonus.expires_at, bonus.staff_id) == ("bonus", 200, None, assoc.staff_id)
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "loyalty.enrol")) == 1
        form = loyalty.enrollment_form(s, assoc, cid)
    assert form.member_number == m.member_number and form.marketing_sms and not form.marketing_email


def test_enrolment_without_programme_consent_is_impossible_and_marketing_is_optional(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    with pytest.raises(ValidationErrors) as err:
        enrol(db, assoc, cid, programme=False, marketing_sms=True, marketing_email=True)
    assert "programme" in err.value.by_field
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(LoyaltyAccount)) == 0
        assert s.scalar(select(func.count()).select_from(LoyaltyEntry)) == 0
        assert s.scalar(select(func.count()).select_from(Consent)) == 0, "a refused enrolment leaves no consent"
    # no marketing consent at all: still a member
    m = enrol(db, assoc, cid, marketing_sms=False, marketing_email=False)
    with db.session() as s:
        purposes = {(c.purpose, c.granted) for c in s.scalars(select(Consent).where(Consent.customer_id == cid))}
    assert purposes == {("loyalty", True)}
    assert m.balance == 200


def test_enrolment_checks_the_terms_shown_the_contact_and_refuses_a_second_time(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    with pytest.raises(ValidationErrors) as err:
        enrol(db, assoc, cid, terms_version="2025-01")
    assert "terms_version" in err.value.by_field
    no_mail = new_customer(db, assoc, phone="13900139000")
    with pytest.raises(ValidationErrors) as err:
        enrol(db, assoc, no_mail, marketing_email=True)
    assert "marketing_email" in err.value.by_field
    enrol(db, assoc, cid)
    with pytest.raises(Conflict):
        enrol(db, assoc, cid)
    with pytest.raises(PermissionDenied):
        enrol(db, actors[Role.TECHNICIAN], no_mail)


def test_enrolment_withdraws_a_marketing_consent_only_when_the_form_says_so(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    with db.session(write=True) as s:
        s.add(Consent(customer_id=cid, purpose="marketing_email", granted=True, notice_version="2025-06",
                      channel="online", at=T0 - timedelta(days=30)))
    with db.session() as s:
        assert loyalty.enrollment_form(s, assoc, cid).marketing_email, "the form starts from what is in force"
    enrol(db, assoc, cid, marketing_email=False)
    with db.session() as s:
        last = s.scalars(select(Consent).where(Consent.customer_id == cid, Consent.purpose == "marketing_email")
                         .order_by(Consent.at.desc())).first()
    assert (last.granted, last.notice_version) == (False, "2026-01")


# --- earning, redeeming, adjusting ----------------------------------------------------------------------

_numbers = iter(range(900_001, 999_999))


def bench_ticket(db, actor, customer_id, *, status="collected", quote_cents=None, at=None):
    """A ticket as the bench leaves it (the bench's own service is another module's)."""
    with db.session(write=True) as s:
        t = RepairTicket(store_id=actor.store_id, number=f"SH01-{next(_numbers):06d}", customer_id=customer_id,
                         status=status, reported_fault="Cracked screen", quote_cents=quote_cents,
                         labour_cents=quote_cents or 0, warranty_decision="chargeable",     # labour only
                         collected_at=at if status == "collected" else None)
        s.add(t)
        s.flush()
        return t.id, t.number


def collected_ticket(db, actor, customer_id, quote_cents, at):
    return bench_ticket(db, actor, customer_id, quote_cents=quote_cents, at=at)


def test_a_collected_repair_earns_once_at_the_rules_rate(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    m = enrol(db, assoc, cid)
    tid, number = collected_ticket(db, assoc, cid, 129_950, T0 + timedelta(days=3))
    with db.session() as s:
        options = loyalty.earnable(s, assoc, m.id)
    assert [(o.ref_type, o.label, o.points) for o in options] == [("ticket", number, 1299)]
    with db.session(write=True) as s:
        r = loyalty.earn(s, assoc, m.id, ref_type="ticket", ref_id=tid, now=T0 + timedelta(days=3))
    assert (r.entry.kind, r.entry.points, r.entry.spend_cents, r.balance) == ("earn", 1299, 129_950, 1499)
    assert r.entry.ref_label == number and r.entry.reason == f"Repair {number}"
    assert r.entry.expires_at == T0 + timedelta(days=3 + 730)
    assert r.entry.id == loyalty.fact_id("earn", "ticket", tid), "the same fact gets the same id in every store"
    with db.session(write=True) as s:
        with pytest.raises(Conflict):
            loyalty.earn(s, assoc, m.id, ref_type="ticket", ref_id=tid, now=T0 + timedelta(days=4))
    with db.session() as s:
        assert loyalty.earnable(s, assoc, m.id) == []
    # a ticket still on the bench earns nothing yet
    open_id, _ = bench_ticket(db, assoc, cid, status="in_repair", quote_cents=19_900)
    with db.session(write=True) as s:
        with pytest.raises(Conflict):
            loyalty.earn(s, assoc, m.id, ref_type="ticket", ref_id=open_id)
    # the bench's shortcut at pickup: none for a customer who is not a member
    other = new_customer(db, assoc)
    tid2, _ = collected_ticket(db, assoc, other, 50_000, T0)
    with db.session(write=True) as s:
        assert loyalty.earn_for_ticket(s, assoc, tid2) is None


def test_redeeming_more_than_the_balance_is_refused_on_the_points_field(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    m = enrol(db, assoc, cid)
    earn_purchase(db, assoc, m.id, 45_000, T0 + timedelta(hours=1))      # 450 points: balance 650
    with db.session(write=True) as s:
        with pytest.raises(ValidationError) as err:
            loyalty.redeem(s, assoc, m.id, 700, now=T0 + timedelta(hours=2))
    assert err.value.field == "points"
    for bad, words in ((50, "at least"), (250, "multiple"), (0, "at least"), (-100, "at least")):
        with db.session(write=True) as s:
            with pytest.raises(ValidationError) as err:
                loyalty.redeem(s, assoc, m.id, bad, now=T0 + timedelta(hours=2))
        assert err.value.field == "points" and words in err.value.reason
    with db.session(write=True) as s:
        r = loyalty.redeem(s, assoc, m.id, 600, now=T0 + timedelta(hours=2))
    assert (r.entry.points, r.balance, r.entry.reason) == (-600, 50, "Redeemed 600 points (30.00 CNY)")
    assert ledger_sum(db, m.id) == 50


def test_a_redemption_in_yen_is_written_without_decimals(shop):
    # JPY has no minor unit: 600 points at 5 yen are 3000 yen, not "30.00"
    db, actors, cid = shop
    with db.session(write=True) as s:
        loyalty.publish_rules(s, actors[Role.ADMIN], version="2026.jp", valid_from=date(2026, 1, 1),
                              rules={**loyalty.DEFAULT_RULES, "version": "2026.jp", "currency": "JPY"})
    m = enrol(db, actors[Role.ASSOCIATE], cid)
    earn_purchase(db, actors[Role.ASSOCIATE], m.id, 45_000, T0 + timedelta(hours=1))
    with db.session(write=True) as s:
        r = loyalty.redeem(s, actors[Role.ASSOCIATE], m.id, 600, now=T0 + timedelta(hours=2))
    assert r.entry.reason == "Redeemed 600 points (3000 JPY)"


def test_a_manager_adjustment_needs_a_reason_and_is_audited(shop):
    db, actors, cid = shop
    m = enrol(db, actors[Role.ASSOCIATE], cid)
    with db.session(write=True) as s:
        with pytest.raises(PermissionDenied):
            loyalty.adjust(s, actors[Role.ASSOCIATE], m.id, 50, reason="goodwill")
    with db.session(write=True) as s:
        with pytest.raises(ValidationErrors) as err:
            loyalty.adjust(s, actors[Role.MANAGER], m.id, 50, reason="  ")
    assert "reason" in err.value.by_field
    with db.session(write=True) as s:
        with pytest.raises(ValidationError) as err1:
            loyalty.adjust(s, actors[Role.MANAGER], m.id, -300, reason="Wrong bonus")
    assert err1.value.field == "points", "an adjustment may not take the balance below zero"
    with db.session(write=True) as s:
        r = loyalty.adjust(s, actors[Role.MANAGER], m.id, 50, reason="Screen repair took two weeks (goodwill)")
    assert (r.entry.kind, r.entry.points, r.entry.staff, r.balance) == ("adjust", 50, "Mia Manager", 250)
    with db.session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "loyalty.adjust")).one()
    assert (ev.staff_id, ev.entity_id, ev.detail) == (actors[Role.MANAGER].staff_id, str(m.id), "+50")
    assert "goodwill" not in ev.detail, "the audit trail holds no free text"


def test_bonuses_for_a_trade_in_and_a_birthday_are_given_once(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    m = enrol(db, assoc, cid)
    with db.session(write=True) as s:
        from core.models import PriceBook, TradeInModel
        book = PriceBook(version="2026.11", valid_from=date(2026, 1, 1), valid_to=None, currency="CNY")
        model = TradeInModel(family="iPhone", kind="phone", name="iPhone 13", configuration="128 GB",
                             release_date=date(2021, 9, 24))
        s.add_all([book, model])
        s.flush()
        q = TradeInQuote(store_id=assoc.store_id, customer_id=cid, model_id=model.id, price_book_id=book.id,
                         grade="good", value_cents=150_000, expires_at=T0 + timedelta(days=7), status="quoted")
        s.add(q)
        s.flush()
        qid = q.id
    with db.session(write=True) as s:
        with pytest.raises(Conflict):
            loyalty.tradein_bonus(s, assoc, m.id, qid, now=T0)
        s.get(TradeInQuote, qid).status = "accepted"
    with db.session(write=True) as s:
        assert loyalty.tradein_bonus(s, assoc, m.id, qid, now=T0).entry.points == 300
    with db.session(write=True) as s:
        with pytest.raises(Conflict):
            loyalty.tradein_bonus(s, assoc, m.id, qid, now=T0)
    may = datetime(2026, 5, 3, 2, 0, tzinfo=UTC)
    with db.session(write=True) as s:
        with pytest.raises(Conflict):
            loyalty.birthday_bonus(s, assoc, m.id, now=may - timedelta(days=10))   # April
    with db.session(write=True) as s:
        assert loyalty.birthday_bonus(s, assoc, m.id, now=may).entry.points == 100
    with db.session(write=True) as s:
        with pytest.raises(Conflict):
            loyalty.birthday_bonus(s, assoc, m.id, now=may + timedelta(days=20))
    with db.session(write=True) as s:
        assert loyalty.birthday_bonus(s, assoc, m.id, now=may.replace(year=2027)).entry.points == 100
    assert ledger_sum(db, m.id) == 200 + 300 + 100 + 100


# --- tiers -------------------------------------------------------------------------------------------

def local(y, mo, d, h=12, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=STORE_ZONE).astimezone(UTC)


def test_tier_upgrades_at_once_and_downgrades_only_at_the_end_of_the_period(shop):
    db, actors, cid = shop
    assoc, manager = actors[Role.ASSOCIATE], actors[Role.MANAGER]
    m = enrol(db, assoc, cid, now=local(2026, 1, 5))
    r = earn_purchase(db, assoc, m.id, 600_000, local(2026, 2, 1))
    assert (r.tier, r.tier_changed) == ("silver", False)
    r = earn_purchase(db, assoc, m.id, 450_000, local(2026, 2, 10))      # ¥10,500 in 12 months
    assert (r.previous_tier, r.tier, r.tier_changed) == ("silver", "gold", True)
    with db.session() as s:
        assert s.get(LoyaltyAccount, m.id).tier == "gold", "the cached tier follows at once"
        view = loyalty.member(s, assoc, m.id, now=local(2026, 2, 10, 13))
        assert (view.tier, view.next_tier, view.spend_to_next_cents) == ("gold", "platinum", 2_500_000 - 1_050_000)
        assert view.benefits == loyalty.Benefits(priority_queue=True, repair_discount_pct=10)
        # the February spend leaves the 12-month window during February 2027 ...
        late_feb = loyalty.member(s, assoc, m.id, now=local(2027, 2, 20))
        assert late_feb.rolling_spend_cents == 0 and late_feb.tier == "gold", "kept until the quarter ends"
        assert late_feb.review_at == local(2027, 4, 1, 0) and late_feb.tier_after_review == "silver"
        assert loyalty.member(s, assoc, m.id, now=local(2027, 3, 31, 23, 59)).tier == "gold"
        assert loyalty.member(s, assoc, m.id, now=local(2027, 4, 1, 0, 1)).tier == "silver"
    # the period-end review writes the downgrade into the cached tier
    with db.session(write=True) as s:
        changes = loyalty.review_tiers(s, manager, now=local(2027, 4, 1, 0, 5))
    assert [(c.member_number, c.before, c.after) for c in changes] == [(m.member_number, "gold", "silver")]


def test_rules_published_by_hq_take_effect_and_bad_rules_are_refused(shop):
    db, actors, cid = shop
    admin = actors[Role.ADMIN]
    rules = {**loyalty.DEFAULT_RULES, "version": "2026.2", "bonuses": {"welcome": 500, "birthday": 0, "tradein": 0},
             "terms": {"version": "2026-07", "text": {"en": "New terms", "zh_CN": "新条款"}}}
    with db.session(write=True) as s:
        with pytest.raises(PermissionDenied):
            loyalty.publish_rules(s, actors[Role.MANAGER], version="2026.2", valid_from=date(2026, 1, 1), rules=rules)
        with pytest.raises(ValidationError) as err:
            loyalty.publish_rules(s, admin, version="bad", valid_from=date(2026, 1, 1),
                                  rules={**rules, "tiers": {**rules["tiers"], "levels": []}})
        assert err.value.field == "rules"
        loyalty.publish_rules(s, admin, version="2026.2", valid_from=date(2026, 1, 1), rules=rules)
        loyalty.publish_rules(s, admin, version="2099.1", valid_from=date(2099, 1, 1), rules=loyalty.DEFAULT_RULES)
        with pytest.raises(Conflict):
            loyalty.publish_rules(s, admin, version="2026.2", valid_from=date(2026, 1, 1), rules=rules)
    with db.session() as s:
        assert loyalty.current_rules(s, admin).version == "2026.2", "a future version is not yet in force"
        assert loyalty.enrollment_form(s, admin, cid).terms["en"] == "New terms"
    with pytest.raises(ValidationErrors):
        enrol(db, admin, cid, terms_version="2026-01")
    m = enrol(db, admin, cid, terms_version="2026-07")
    assert m.balance == 500 and m.terms_version == "2026-07"


def test_new_year_rules_start_at_midnight_in_the_store_not_in_utc(shop):
    db, actors, _ = shop
    admin = actors[Role.ADMIN]
    with db.session(write=True) as s:
        for version, starts in (("2026.2", date(2026, 1, 1)), ("2027.1", date(2027, 1, 1))):
            loyalty.publish_rules(s, admin, version=version, valid_from=starts,
                                  rules={**loyalty.DEFAULT_RULES, "version": version})
    in_force = []
    for minute in (datetime(2026, 12, 31, 23, 59, tzinfo=STORE_ZONE), datetime(2027, 1, 1, 0, 1, tzinfo=STORE_ZONE)):
        with clock.pinned(minute), db.session() as s:
            in_force.append(loyalty.current_rules(s, admin).version)
    assert in_force == ["2026.2", "2027.1"]



def test_an_earn_dated_now_uses_the_rules_in_force_that_day(shop):
    """A ledger write for a given moment follows that moment's rules, whatever the machine's date."""
    db, actors, cid = shop
    assoc, admin = actors[Role.ASSOCIATE], actors[Role.ADMIN]
    doubled = {**loyalty.DEFAULT_RULES, "version": "double",
               "earn": {"unit_cents": 100, "points_per_unit": {"purchase": 2, "ticket": 2}}}
    with db.session(write=True) as s:
        loyalty.publish_rules(s, admin, version="double", valid_from=(T0 + timedelta(days=30)).date(), rules=doubled)
    m = enrol(db, assoc, cid, now=T0)
    with clock.pinned(T0):         # the machine still thinks it is before the new rules
        later = earn_purchase(db, assoc, m.id, 10_000, T0 + timedelta(days=40))
    assert later.entry.points == 200


# --- expiry -------------------------------------------------------------------------------------------

def test_expiry_takes_exactly_what_is_left_of_each_lot_soonest_first(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    m = enrol(db, assoc, cid, now=T0)
    first = earn_purchase(db, assoc, m.id, 10_000, T0 + timedelta(days=1))      # 100 points
    earn_purchase(db, assoc, m.id, 5_000, T0 + timedelta(days=101))             # 50 points
    with db.session(write=True) as s:
        loyalty.redeem(s, assoc, m.id, 200, now=T0 + timedelta(days=200))       # 100 + 50 + 50 of the bonus
    assert ledger_sum(db, m.id) == 150
    with db.session(write=True) as s:
        assert loyalty.expire_due(s, assoc, m.id, now=T0 + timedelta(days=1000)) == 0, "nothing left to expire"
    m2 = enrol(db, assoc, new_customer(db, assoc), now=T0)
    earn_purchase(db, assoc, m2.id, 10_000, T0 + timedelta(days=1))             # lot A: 100, expires day 731
    earn_purchase(db, assoc, m2.id, 5_000, T0 + timedelta(days=101))            # lot B: 50, expires day 831
    with db.session(write=True) as s:
        loyalty.redeem(s, assoc, m2.id, 100, now=T0 + timedelta(days=200))      # all of lot A (soonest)
    with db.session(write=True) as s:
        assert loyalty.expire_due(s, assoc, m2.id, now=T0 + timedelta(days=800)) == 0
        assert loyalty.expire_due(s, assoc, m2.id, now=T0 + timedelta(days=900)) == 50
        assert loyalty.expire_due(s, assoc, m2.id, now=T0 + timedelta(days=901)) == 0, "once only"
    expired = [e for e in entries(db, m2.id) if e.kind == "expire"]
    assert [(e.points, e.at, e.ref_type) for e in expired] == [(-50, T0 + timedelta(days=101 + 730), "lot")]
    assert ledger_sum(db, m2.id) == 200, "the welcome bonus never expires"
    # the daily run finds every member with points past their date
    m3 = enrol(db, assoc, new_customer(db, assoc, given_name="Tom"), now=T0)
    earn_purchase(db, assoc, m3.id, 30_000, T0 + timedelta(days=1))
    with db.session(write=True) as s:
        assert loyalty.expire_all_due(s, assoc, now=T0 + timedelta(days=800)) == 300
        assert loyalty.expire_all_due(s, assoc, now=T0 + timedelta(days=800)) == 0
    # a redemption after a lot's date cannot use it, though the daily run has not yet been
    m4 = enrol(db, assoc, new_customer(db, assoc, given_name="Ann"), now=T0)
    earn_purchase(db, assoc, m4.id, 30_000, T0 + timedelta(days=1))
    assert ledger_sum(db, m4.id) == 500
    with db.session(write=True) as s:
        with pytest.raises(ValidationError):
            loyalty.redeem(s, assoc, m4.id, 300, now=T0 + timedelta(days=800))
        s.rollback()
    with db.session() as s:
        view = loyalty.member(s, assoc, m4.id, now=T0 + timedelta(days=800))
    assert (view.balance, view.overdue_points) == (500, 300), "shown as overdue until written off"
    with db.session(write=True) as s:
        assert loyalty.refresh_member(s, assoc, m4.id, now=T0 + timedelta(days=800)).balance == 200
    assert first.entry.expires_at == T0 + timedelta(days=731)


# --- lookup and card -----------------------------------------------------------------------------------

def test_scanning_the_card_finds_the_member(shop):
    db, actors, cid = shop
    assoc = actors[Role.ASSOCIATE]
    m = enrol(db, assoc, cid)
    n = m.member_number
    with db.session(write=True) as s:
        for code in (f"ORCHARD:M:{n}", f"orchard:m:{n}\n", n, f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:]}"):
            found = loyalty.find_by_member_number(s, actors[Role.TECHNICIAN], code)
            assert found is not None and (found.id, found.customer_id) == (m.id, cid), code
        wrong_check = n[:-1] + str((int(n[-1]) + 1) % 10)
        with pytest.raises(ValidationError) as err:
            loyalty.find_by_member_number(s, assoc, wrong_check)
        assert err.value.field == "code"
        body = "880000000000"
        from core.validation import luhn_check_digit
        unknown = body + str(luhn_check_digit(body))
        if unknown != n:
            assert loyalty.find_by_member_number(s, assoc, unknown) is None
        assert [r.id for r in loyalty.list_members(s, assoc, text=f"ORCHARD:M:{n}")] == [m.id]
        assert [r.id for r in loyalty.list_members(s, assoc, text="zhang")] == [m.id]
        card = loyalty.member_card_data(s, assoc, m.id)
    assert card.qr_payload == f"ORCHARD:M:{n}" and card.barcode_value == n
    assert loyalty.parse_card_code(card.qr_payload) == n
    assert card.member_number_grouped.replace(" ", "") == n
    assert (card.display_name, card.tier, card.store_code, card.member_since) == ("张伟", "silver", "SH01",
                                                                                  T0.astimezone(STORE_ZONE).date())


# --- two stores offline -------------------------------------------------------------------------------

def split(db, tmp_path):
    """A second counter that starts from this database as it is now (an offline copy)."""
    db.engine.dispose()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()
    folder = tmp_path / "other"
    folder.mkdir()
    for f in db.path.parent.iterdir():
        if f.name.startswith(db.path.name):       # the database and its key metadata
            shutil.copy2(f, folder / f.name)
    return StoreDatabase.open(folder / "store.db", passphrase="test-passphrase")


def apply_entries(source, target, account_id, since_ids):
    """What the sync does with the other store's ledger entries: insert each (by id)."""
    with source.session() as s:
        rows = [{c.key: getattr(e, c.key) for c in LoyaltyEntry.__table__.columns}
                for e in s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == account_id))
                if e.id not in since_ids]
    with target.session(write=True) as s:
        for row in rows:
            s.merge(LoyaltyEntry(**row))
    return len(rows)


def test_two_stores_offline_keep_every_entry_and_a_double_spend_is_flagged(shop, tmp_path):
    db, actors, cid = shop
    assoc, manager = actors[Role.ASSOCIATE], actors[Role.MANAGER]
    m = enrol(db, assoc, cid, now=T0)
    pid = purchase(db, cid, 80_000, T0 + timedelta(hours=1))
    other = split(db, tmp_path)
    try:
        before = {e.id for e in entries(db, m.id)}
        # both counters credit the same purchase and both redeem the same points, offline
        for store_db in (db, other):
            with store_db.session(write=True) as s:
                loyalty.earn(s, assoc, m.id, ref_type="purchase", ref_id=pid, now=T0 + timedelta(hours=2))
            with store_db.session(write=True) as s:
                loyalty.redeem(s, assoc, m.id, 1000, now=T0 + timedelta(hours=3))
        assert ledger_sum(db, m.id) == ledger_sum(other, m.id) == 0
        apply_entries(other, db, m.id, before)
        merged = entries(db, m.id)
        assert len(merged) == 1 + 1 + 2, "bonus, ONE earn for the purchase (same fact, same id), both redeems"
        assert sum(e.points for e in merged) == -1000
        with db.session() as s:
            status = loyalty.balance_status(s, assoc, m.id)
            flagged = loyalty.flag_negative_balances(s, assoc)
        assert (status.balance, status.negative, status.deficit) == (-1000, True, 1000)
        assert [(r.id, r.balance) for r in flagged] == [(m.id, -1000)]
        # a manager settles it; the ledger keeps the story
        with db.session(write=True) as s:
            loyalty.adjust(s, manager, m.id, 1000, reason="Double redemption while offline")
        with db.session() as s:
            assert loyalty.flag_negative_balances(s, assoc) == []
            assert loyalty.balance_status(s, assoc, m.id).deficit == 0
    finally:
        other.close()


# --- the demo's ledgers follow the same conventions ------------------------------------------------------

def test_demo_ledgers_replay_cleanly(db, still_clock):
    from core.demo import build_demo
    info = build_demo(db, customers=80)
    now = clock.now()
    with db.session() as s:
        manager = staff.actor_for(staff.get_staff(s, info.staff_with_role(Role.MANAGER)[0].staff_id))
        rules = loyalty.current_rules(s, manager)
        accounts = list(s.scalars(select(LoyaltyAccount)))
        assert accounts
        for a in accounts:
            lines = _lines(s, a.id)
            state = loyalty.ledger_state(lines)
            assert state.deficit == 0 and state.balance >= 0 and state.balance == loyalty.balance(s, manager, a.id)
            assert loyalty.due_expiries(state, now) == [], "the demo wrote every expiry up to now"
            assert loyalty.tier_at(lines, rules, now, STORE_ZONE) in ("silver", "gold", "platinum")
    assert info.store_code == "SH01"


# --- properties ---------------------------------------------------------------------------------------------

class Oracle:
    """The programme worked out on paper: lots of points, the soonest to expire spent first."""

    def __init__(self):
        self.lots = [[loyalty.NEVER, 200]]         # the welcome bonus never expires
        self.expired = 0

    def expire(self, now):
        for lot in self.lots:
            if lot[0] <= now:
                self.expired += lot[1]
                lot[1] = 0

    def balance(self):
        return sum(lot[1] for lot in self.lots)

    def available(self, now):
        return sum(lot[1] for lot in self.lots if lot[0] > now)

    def add(self, points, expires):
        self.lots.append([expires, points])

    def spend(self, points):
        for lot in sorted(self.lots, key=lambda lot: lot[0]):
            take = min(lot[1], points)
            lot[1] -= take
            points -= take
        assert points == 0


op = st.one_of(
    st.tuples(st.just("earn"), st.integers(100, 1_200_000)),
    st.tuples(st.just("earn"), st.integers(300_000, 1_600_000)),
    st.tuples(st.just("redeem"), st.integers(1, 60).map(lambda n: n * 100)),
    st.tuples(st.just("adjust"), st.integers(-500, -1) | st.integers(1, 500)),
    st.tuples(st.just("wait"), st.integers(1, 500)),
    st.tuples(st.just("wait"), st.integers(200, 500)),
    st.tuples(st.just("expire"), st.just(0)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=3, max_size=16))
def test_property_balance_is_the_sum_never_negative_expiry_exact_tier_pure(shop, ops):
    db, actors, _ = shop
    assoc, manager = actors[Role.ASSOCIATE], actors[Role.MANAGER]
    cid = new_customer(db, assoc, given_name=f"P{uuid.uuid4().hex[:8]}")
    now = T0
    m = enrol(db, assoc, cid, now=now)
    oracle = Oracle()
    times = [now]
    for kind, arg in ops:
        now += timedelta(hours=1)
        if kind == "wait":
            now += timedelta(days=arg)
            continue
        before = copy.deepcopy(oracle)
        oracle.expire(now)                  # every write first writes off what is due
        try:
            if kind == "earn":
                r = earn_purchase(db, assoc, m.id, arg, now)
                oracle.add(arg // 100, now + timedelta(days=730))
            elif kind == "redeem":
                with db.session(write=True) as s:
                    r = loyalty.redeem(s, assoc, m.id, arg, now=now)
                oracle.spend(arg)
            elif kind == "adjust":
                with db.session(write=True) as s:
                    r = loyalty.adjust(s, manager, m.id, arg, reason="Property test", now=now)
                oracle.add(arg, loyalty.NEVER) if arg > 0 else oracle.spend(-arg)
            else:
                with db.session(write=True) as s:
                    loyalty.expire_due(s, assoc, m.id, now=now)
                r = None
        except ValidationError as e:
            assert kind in ("redeem", "adjust") and e.field == "points"
            assert (arg if kind == "redeem" else -arg) > oracle.balance(), "refused only beyond the balance"
            oracle = before                 # the refused write rolled back, its expiries with it
            r = None
        rows = entries(db, m.id)
        total = sum(e.points for e in rows)
        with db.session() as s:
            assert loyalty.balance(s, assoc, m.id) == total, "the balance is the sum of the entries"
        assert total >= 0, "at one counter no operation takes the balance below zero"
        assert total == oracle.balance(), "every point accounted for"
        assert -sum(e.points for e in rows if e.kind == "expire") == oracle.expired, \
            "expiry removed exactly the points that were due"
        if r is not None:
            assert r.balance == total
            assert r.tier == loyalty.tier_at([_line(e) for e in rows], loyalty.DEFAULT, now, STORE_ZONE)
        times.append(now)
    lines = [_line(e) for e in entries(db, m.id)]
    rules = loyalty.DEFAULT
    event(f"points expired: {bool(oracle.expired)}")
    event(f"best tier: {max((loyalty.tier_at(lines, rules, t, STORE_ZONE) for t in times), key=rules.rank)}")
    with db.session() as s:
        view = loyalty.member(s, assoc, m.id, now=now)
    # a function of the ledger and the rules: the order entries arrive in (sync) does not matter
    shuffled = lines[:]
    random.Random(len(lines)).shuffle(shuffled)
    assert loyalty.tier_at(shuffled, rules, now, STORE_ZONE) == loyalty.tier_at(lines, rules, now, STORE_ZONE) \
        == view.tier
    # within a tier period it never goes down; at a period start it is what the spend then gives
    for a, b in zip(times, times[1:]):
        ta, tb = (loyalty.tier_at(lines, rules, t, STORE_ZONE) for t in (a, b))
        start = loyalty.period_start(b, rules.review_months, STORE_ZONE)
        if a >= start:
            assert rules.rank(tb) >= rules.rank(ta), "a downgrade only at the end of a period"
        assert loyalty.tier_at(lines, rules, start, STORE_ZONE) == loyalty.tier_for_spend(
            rules, loyalty.rolling_spend(lines, start, rules.window_days))


@settings(max_examples=60, deadline=None)
@given(spends=st.lists(st.tuples(st.integers(0, 800), st.integers(0, 1_500_000)), min_size=0, max_size=12),
       probe=st.integers(0, 1000))
def test_property_upgrade_at_once(spends, probe):
    """Right after a spend the tier is at least what the rolling spend then qualifies for."""
    rules = loyalty.DEFAULT
    lines = [loyalty.Line(uuid.uuid4(), "earn", cents // 100, T0 + timedelta(days=day), None, cents)
             for day, cents in spends]
    for ln in lines:
        qualifies = loyalty.tier_for_spend(rules, loyalty.rolling_spend(lines, ln.at, rules.window_days))
        assert rules.rank(loyalty.tier_at(lines, rules, ln.at, STORE_ZONE)) >= rules.rank(qualifies)
    at = T0 + timedelta(days=probe)
    assert loyalty.tier_at(lines, rules, at, STORE_ZONE) == loyalty.tier_at(list(reversed(lines)), rules, at, STORE_ZONE)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 300), st.sampled_from([False, False, True]), st.integers(1, 40)),
                      min_size=1, max_size=8),
       checks=st.lists(st.integers(0, 1500), min_size=1, max_size=4))
def test_property_expiry_removes_exactly_what_is_due(shop, steps, checks):
    """Earn and redeem over time, then write off at later dates: each run removes exactly
    what was left of the lots whose date had come, and nothing twice."""
    db, actors, _ = shop
    assoc = actors[Role.ASSOCIATE]
    cid = new_customer(db, assoc, given_name=f"E{uuid.uuid4().hex[:8]}")
    now = T0
    m = enrol(db, assoc, cid, now=now)
    oracle = Oracle()
    for gap, is_redeem, size in steps:
        now += timedelta(days=gap, hours=1)
        if is_redeem and size * 100 <= oracle.available(now):
            oracle.expire(now)      # a write first writes off what is due
            with db.session(write=True) as s:
                loyalty.redeem(s, assoc, m.id, size * 100, now=now)
            oracle.spend(size * 100)
        elif not is_redeem:
            oracle.expire(now)
            earn_purchase(db, assoc, m.id, size * 5_000, now)
            oracle.add(size * 50, now + timedelta(days=730))
    for day in sorted(checks):
        at = now + timedelta(days=day)
        before = oracle.expired
        oracle.expire(at)
        with db.session(write=True) as s:
            removed = loyalty.expire_due(s, assoc, m.id, now=at)
        assert removed == oracle.expired - before
        assert ledger_sum(db, m.id) == oracle.balance()
    event(f"points expired: {bool(oracle.expired)}")
