"""Trade-in: the valuation (pure, property-tested) and quotes at the counter on the demo store."""

import copy
import shutil
from datetime import date, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core import clock, demo, loyalty, tradein
from core.errors import Conflict, PermissionDenied, ValidationErrors
from core.ids import uuid7
from core.models import (
    AuditEvent, Customer, ImeiBlock, LoyaltyAccount, LoyaltyEntry, Part, PriceBook, PriceBookEntry, ServiceType,
    TradeInModel, TradeInQuote,
)
from core.permissions import Actor, Role
from core.tradein import Checks, DeviceFacts
from core.validation import luhn_check_digit

TZ = ZoneInfo(demo.STORE_TZ)
GRADES = list(demo.GRADES)
DEMO_RULES = demo.price_book_rules(date(2026, 11, 1))
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def imei_for(body14: str) -> str:
    return body14 + str(luhn_check_digit(body14))


GOOD_ANSWERS = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no", "screen": "flawless",
                "housing": "flawless", "functions": "all_work", "battery_health": 95}


# --- the pure valuation: properties ---------------------------------------------------------

@st.composite
def rule_sets(draw):
    rules = copy.deepcopy(DEMO_RULES)
    if draw(st.booleans()):
        rules["questions"] = copy.deepcopy(list(tradein.STANDARD_QUESTIONS))
    months = draw(st.lists(st.integers(0, 120), min_size=1, max_size=5, unique=True))
    rules["age_adjustment"]["bands"] = [{"from_months": m, "pct": draw(st.integers(-150, 20))} for m in months]
    healths = draw(st.lists(st.integers(0, 100), min_size=1, max_size=5, unique=True))
    battery = rules["battery_adjustment"]
    battery["bands"] = [{"min_health": h, "pct": draw(st.integers(-150, 20))} for h in healths]
    battery["unknown_pct"] = draw(st.integers(-60, 0))
    battery["not_for_grades"] = draw(st.lists(st.sampled_from(GRADES), max_size=3, unique=True))
    rules["rounding_cents"] = draw(st.sampled_from([1, 100, 1000, 5000]))
    rules["floor_cents"] = draw(st.sampled_from([0, 0, 700, 5000]))
    promo = rules["promotions"][0]
    promo["bonus_cents"] = draw(st.integers(0, 80000))
    promo["min_grade"] = draw(st.sampled_from(GRADES))
    return rules


@st.composite
def devices(draw):
    kind = draw(st.sampled_from(["phone", "tablet", "laptop", "watch"]))
    family = draw(st.sampled_from(["iPhone", "Galaxy S", "iPad Air", "MacBook Air", "Apple Watch"]))
    released = draw(st.dates(date(2016, 1, 1), date(2027, 1, 1)))
    # any base values at all, even a price book that pays more for a worse grade
    bases = {g: draw(st.integers(0, 1_500_000)) for g in GRADES}
    return DeviceFacts(kind, family, released, bases)


@st.composite
def answer_sets(draw, rules):
    answers = {q["key"]: draw(st.sampled_from(sorted(q["options"]))) for q in rules["questions"]}
    answers["battery_health"] = draw(st.one_of(st.none(), st.integers(0, 100)))
    return answers


@st.composite
def cases(draw):
    rules = draw(rule_sets())
    return (rules, draw(devices()), draw(answer_sets(rules)), draw(st.dates(date(2020, 1, 1), date(2030, 12, 31))),
            draw(st.sampled_from([None, "store_credit", "voucher", "purchase"])))


@PROPS
@given(case=cases(), data=st.data())
def test_a_worse_answer_never_raises_the_value_and_the_value_is_never_negative(case, data):
    rules, facts, answers, on, payout = case
    before = tradein.valuate(rules, facts, answers, on=on, payout=payout)
    worse = dict(answers)
    keys = [q["key"] for q in rules["questions"]] + ["battery_health"]
    key = data.draw(st.sampled_from(keys))
    if key == "battery_health":
        if answers["battery_health"] is None:
            return
        worse[key] = data.draw(st.integers(0, answers["battery_health"]))
    else:
        rank = tradein.option_rank(rules, key, answers[key])
        options = [o for o in sorted(next(q for q in rules["questions"] if q["key"] == key)["options"])
                   if tradein.option_rank(rules, key, o) >= rank]
        worse[key] = data.draw(st.sampled_from(options))
    after = tradein.valuate(rules, facts, worse, on=on, payout=payout)
    assert after.value_cents <= before.value_cents
    for v in (before, after):
        assert v.value_cents >= 0
        assert sum(line["cents"] for line in v.breakdown) == v.value_cents
        assert v.complete


@PROPS
@given(rules=rule_sets(), facts=devices(), high=st.integers(0, 100), drop=st.integers(0, 100),
       on=st.dates(date(2020, 1, 1), date(2030, 12, 31)))
def test_a_weaker_battery_never_raises_the_value(rules, facts, high, drop, on):
    answers = {q["key"]: next(iter(q["options"])) for q in rules["questions"]}
    healthy = tradein.valuate(rules, facts, dict(answers, battery_health=high), on=on)
    weaker = tradein.valuate(rules, facts, dict(answers, battery_health=max(0, high - drop)), on=on)
    assert 0 <= weaker.value_cents <= healthy.value_cents


GATES = ["activation_lock", "blocklisted", "imei_check_digit", "under_18"]


@PROPS
@given(case=cases(), gate=st.sampled_from(GATES), data=st.data())
def test_every_gate_blocks_whatever_the_other_answers(case, gate, data):
    rules, facts, answers, on, payout = case
    imei = imei_for(data.draw(st.from_regex(r"\A[0-9]{14}\Z")))
    adult = on.replace(year=on.year - data.draw(st.integers(18, 90)), day=1)
    checks = {"imei": imei, "blocklist_reason": None, "birth_date": adult}
    answers = dict(answers)
    if gate == "activation_lock":
        answers["activation_lock"] = "on"
    elif gate == "blocklisted":
        checks["blocklist_reason"] = data.draw(st.sampled_from(["stolen", "lost", "unpaid"]))
    elif gate == "imei_check_digit":
        checks["imei"] = imei[:14] + str((int(imei[14]) + data.draw(st.integers(1, 9))) % 10)
    else:
        checks["birth_date"] = on - timedelta(days=data.draw(st.integers(0, 18 * 365 - 1)))
    v = tradein.valuate(rules, facts, answers, on=on, payout=payout, checks=Checks(**checks))
    assert v.refused and gate in {g.code for g in v.gates}
    assert v.grade is None and v.value_cents == 0 and v.breakdown == ()


@PROPS
@given(case=cases())
def test_no_gate_without_a_reason(case):
    rules, facts, answers, on, payout = case
    answers = {k: ("off" if k == "activation_lock" else "yes" if k == "paid_off" else v) for k, v in answers.items()}
    v = tradein.valuate(rules, facts, answers, on=on, payout=payout,
                        checks=Checks(imei=imei_for("35301211000001"), birth_date=date(1990, 5, 4)))
    assert not v.refused and v.grade in GRADES


def test_breakdown_explains_the_demo_price_book_line_by_line():
    facts = DeviceFacts("phone", "iPhone", date(2023, 9, 22), {"like_new": 310000, "good": 263000,
                                                               "fair": 201000, "damaged": 108000,
                                                               "unusable": 15000})
    answers = dict(GOOD_ANSWERS, screen="light_scratches", battery_health=86)
    v = tradein.valuate(DEMO_RULES, facts, answers, on=date(2026, 11, 20), payout="purchase")
    assert v.grade == "good"
    assert list(v.breakdown) == [
        {"step": "base", "grade": "good", "cents": 263000},
        {"step": "age", "months": 37, "pct": -10, "cents": -26300},
        {"step": "battery", "health": 86, "pct": -5, "cents": -13150},
        {"step": "rounding", "cents": -550},
        {"step": "promotion", "code": "UPGRADE-2026-11", "cents": 30000},
    ]
    assert v.value_cents == 253000
    # no bonus as store credit; partial answers give a provisional value and say what is missing
    assert tradein.valuate(DEMO_RULES, facts, answers, on=date(2026, 11, 20),
                           payout="store_credit").value_cents == 223000
    partial = tradein.valuate(DEMO_RULES, facts, {"screen": "cracked"}, on=date(2026, 11, 20))
    assert partial.grade == "damaged" and "powers_on" in partial.missing and not partial.complete


def test_repair_advice_prices_the_screen_and_shows_the_value_after():
    facts = DeviceFacts("phone", "iPhone", date(2023, 9, 22), {"like_new": 310000, "good": 263000,
                                                               "fair": 201000, "damaged": 108000,
                                                               "unusable": 15000})
    answers = dict(GOOD_ANSWERS, screen="cracked", battery_health=72)
    costs = {"screen": ("screen_repair", 29900 + 160900), "battery": ("battery", 19900 + 49900)}
    advice = {a.key: a for a in tradein.repair_advice(DEMO_RULES, facts, answers, costs, on=date(2026, 11, 20))}
    now = tradein.valuate(DEMO_RULES, facts, answers, on=date(2026, 11, 20)).value_cents
    assert advice["screen"].cost_cents == 190800 and advice["screen"].value_after_cents > now
    assert advice["battery"].cost_cents == 69800 and advice["battery"].value_after_cents > now
    assert tradein.repair_advice(DEMO_RULES, facts, GOOD_ANSWERS, costs, on=date(2026, 11, 20)) == ()


def test_the_demo_price_book_is_well_formed_and_the_standard_questions_fit_it():
    assert tradein.check_rules(DEMO_RULES) == []
    assert tradein.check_rules(dict(DEMO_RULES, questions=list(tradein.STANDARD_QUESTIONS))) == []
    assert tradein.check_rules({"grades": []})


# --- quotes on the demo store -------------------------------------------------------------------

def _copy_store(src, dest):
    for f in src.iterdir():
        if f.name.endswith((".db", ".json")):
            shutil.copy2(f, dest / f.name)


@pytest.fixture(scope="module")
def _demo_shop(_template_db, tmp_path_factory):
    """The 20-customer demo store, built once for this file (it took a tenth of every run of
    the file, six runs a CI: the suite and the date matrix); each test gets its own copy."""
    from core.db import StoreDatabase
    folder = tmp_path_factory.mktemp("shop")
    _copy_store(_template_db, folder)
    db = StoreDatabase.open(folder / "store.db", passphrase="test-passphrase")
    info = demo.build_demo(db, customers=20)
    db.engine.dispose()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return folder, info


@pytest.fixture
def shop(_demo_shop, tmp_path):
    from core.db import StoreDatabase
    folder, info = _demo_shop
    _copy_store(folder, tmp_path)
    db = StoreDatabase.open(tmp_path / "store.db", passphrase="test-passphrase")
    try:
        yield _shop(db, info)
    finally:
        db.close()


def _shop(db, info):
    staff = {m.role: m for m in info.staff}
    actors = {Role(r): Actor(m.staff_id, info.store_id, Role(r), m.display_name) for r, m in staff.items()}
    with db.session() as s:
        members = set(s.scalars(select(LoyaltyAccount.customer_id)))
        people = s.scalars(select(Customer).where(Customer.erased.is_(False)).order_by(Customer.id)).all()
        member = next(c.id for c in people if c.id in members)
        other = next(c.id for c in people if c.id not in members)
        phone = s.scalars(select(TradeInModel).where(TradeInModel.name == "iPhone 15",
                                                     TradeInModel.configuration == "128 GB")).one().id
        laptop = s.scalars(select(TradeInModel).where(TradeInModel.kind == "laptop")).first().id
        blocked = s.scalars(select(ImeiBlock).where(ImeiBlock.reason == "stolen")).first().imei
        for cid in (member, other):       # adults, whatever the demo drew
            s.get(Customer, cid).birth_date = date(1985, 3, 2)
    return SimpleNamespace(session=db.session, actors=actors, member=member, other=other, phone=phone,
                           laptop=laptop, blocked=blocked)


def assoc(shop):
    return shop.actors[Role.ASSOCIATE]


def quote(shop, answers=None, **kw):
    kw.setdefault("imei", imei_for("35717215123456"))
    kw.setdefault("customer_id", shop.member)
    with shop.session(write=True) as s:
        return tradein.create_quote(s, assoc(shop), model_id=kw.pop("model_id", shop.phone),
                                    answers=answers or GOOD_ANSWERS, **kw)


def accept(shop, quote_id, **kw):
    kw.setdefault("signature_name", "Wang Fang")
    kw.setdefault("declared_owner", True)
    kw.setdefault("declared_wiped", True)
    with shop.session(write=True) as s:
        return tradein.accept_quote(s, assoc(shop), quote_id, **kw)


def test_a_quote_keeps_its_price_book_value_after_a_new_book_arrives(shop):
    answers = dict(GOOD_ANSWERS, screen="light_scratches")
    v1 = quote(shop, answers, payout="store_credit").quote
    with shop.session() as s:
        book1 = s.get(PriceBook, v1.price_book_id)
        assert v1.value_cents == sum(line["cents"] for line in v1.breakdown)
        assert v1.expires_at - v1.created_at == timedelta(days=book1.rules["quote_valid_days"])
    # HQ publishes v2, in force from today: every value 20 % lower
    today = clock.today(TZ)
    with shop.session(write=True) as s:
        book1 = s.get(PriceBook, v1.price_book_id)
        book1.valid_from = today - timedelta(days=20)
        v2 = PriceBook(id=uuid7(), version=f"{book1.version}-b", valid_from=today, valid_to=None, currency="CNY",
                       rules=copy.deepcopy(book1.rules))
        s.add(v2)
        s.flush()
        for e in s.scalars(select(PriceBookEntry).where(PriceBookEntry.price_book_id == book1.id)).all():
            s.add(PriceBookEntry(price_book_id=v2.id, model_id=e.model_id, grade=e.grade,
                                 base_cents=e.base_cents * 8 // 10))
        v2_id = v2.id
    with shop.session() as s:
        again = tradein.get_quote(s, assoc(shop), v1.id)
        assert tradein.price_book_in_force(s, assoc(shop)).version == f"{book1.version}-b"
    assert (again.value_cents, again.breakdown, again.price_book_version) == (
        v1.value_cents, v1.breakdown, book1.version)
    fresh = quote(shop, answers, payout="store_credit").quote
    assert fresh.price_book_id == v2_id and fresh.price_book_version == f"{book1.version}-b"
    assert fresh.value_cents < v1.value_cents
    # accepting the v1 quote pays the v1 value
    done = accept(shop, v1.id)
    assert done.accepted and done.quote.value_cents == v1.value_cents
    from core.loyalty import current_rules
    with shop.session() as s:
        per_point = current_rules(s, assoc(shop)).cents_per_point
    assert done.credit_points == v1.value_cents // per_point, "points worth the quoted value when redeemed"


def test_accept_credits_a_member_on_the_loyalty_ledger_and_receives_the_device(shop):
    q = quote(shop, payout="store_credit").quote
    with shop.session() as s:
        before = s.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                          .join(LoyaltyAccount, LoyaltyAccount.id == LoyaltyEntry.account_id)
                          .where(LoyaltyAccount.customer_id == shop.member))
    done = accept(shop, q.id, serial="F2LXK0JQ1N")
    assert done.accepted and done.voucher_code is None and done.member_number
    with shop.session() as s:
        entry, bonus = s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.ref_type == "tradein",
                                                            LoyaltyEntry.ref_id == q.id)
                                 .order_by(LoyaltyEntry.kind.desc())).all()
        after = s.scalar(select(func.sum(LoyaltyEntry.points))
                         .join(LoyaltyAccount, LoyaltyAccount.id == LoyaltyEntry.account_id)
                         .where(LoyaltyAccount.customer_id == shop.member))
        row = s.get(TradeInQuote, q.id)
    assert entry.kind == "earn" and entry.points == q.value_cents // 5, "points worth the value at 5 fen each"
    assert bonus.kind == "bonus" and bonus.points == done.bonus_points == 300, "the programme's trade-in bonus"
    assert after - before == entry.points + bonus.points
    assert row.status == "received" and row.signature_name == "Wang Fang" and row.serial == "F2LXK0JQ1N"
    assert row.declared_owner and row.declared_wiped and row.accepted_at is not None
    assert done.quote.status == "received" and done.quote.credit_points == entry.points
    with pytest.raises(Conflict):
        accept(shop, q.id)          # only once


def test_a_member_paid_by_voucher_still_gets_the_trade_in_bonus_once(shop):
    q = quote(shop, payout="voucher").quote
    done = accept(shop, q.id)
    assert done.voucher_code and done.credit_points is None and done.bonus_points == 300
    with shop.session() as s:
        entries = s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.ref_id == q.id)).all()
    assert [(e.kind, e.points) for e in entries] == [("bonus", 300)]
    with shop.session(write=True) as s, pytest.raises(Conflict):
        loyalty.tradein_bonus(s, shop.actors[Role.MANAGER], entries[0].account_id, q.id)      # not twice


def test_non_members_get_a_voucher_and_a_purchase_earns_the_promotion(shop):
    credit = quote(shop, customer_id=shop.other, payout="store_credit").quote
    towards = quote(shop, customer_id=shop.other, payout="purchase").quote
    assert towards.value_cents == credit.value_cents + 30000
    assert towards.breakdown[-1]["step"] == "promotion"
    a = accept(shop, credit.id)
    b = accept(shop, towards.id)
    assert a.voucher_code and b.voucher_code and a.voucher_code != b.voucher_code
    assert a.credit_points is None and b.quote.value_cents == towards.value_cents
    assert a.bonus_points is None and b.bonus_points is None, "no bonus without a membership"
    # changing the payout at acceptance values the quote again under its own book
    c = quote(shop, customer_id=shop.other, payout="purchase").quote
    d = accept(shop, c.id, payout="voucher")
    assert d.quote.value_cents == credit.value_cents and d.quote.payout == "voucher"


def test_blocklisted_imei_is_refused_with_its_reason_and_audited(shop):
    out = quote(shop, imei=shop.blocked)
    assert out.refused and out.quote is None
    assert [(g.code, g.detail) for g in out.valuation.gates] == [("blocklisted", "stolen")]
    with shop.session() as s:
        hits = s.scalars(select(AuditEvent).where(AuditEvent.action == "tradein.blocklist_hit")).all()
        assert s.scalar(select(func.count()).select_from(TradeInQuote)
                        .where(TradeInQuote.imei == shop.blocked)) == 0
    assert len(hits) == 1 and hits[0].detail == "reason=stolen" and shop.blocked not in hits[0].detail
    assert hits[0].entity_id == str(shop.member)
    with shop.session(write=True) as s:
        gates = tradein.check_device(s, assoc(shop), imei=shop.blocked)
    assert [g.code for g in gates] == ["blocklisted"]


def test_luhn_failure_activation_lock_and_minors_are_refused(shop):
    good = imei_for("35717215123456")
    bad = good[:14] + str((int(good[14]) + 3) % 10)
    assert [g.code for g in quote(shop, imei=bad).valuation.gates] == ["imei_check_digit"]
    locked = quote(shop, dict(GOOD_ANSWERS, activation_lock="on"))
    assert [g.code for g in locked.valuation.gates] == ["activation_lock"]
    with shop.session(write=True) as s:
        s.get(Customer, shop.other).birth_date = clock.today(TZ).replace(year=2012)
    minor = quote(shop, customer_id=shop.other)
    assert [g.code for g in minor.valuation.gates] == ["under_18"]
    with shop.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "tradein.refused")) == 3


def test_answers_and_acceptance_are_validated_beside_their_fields(shop):
    with pytest.raises(ValidationErrors) as err:
        quote(shop, {"screen": "shattered"}, imei="12345")
    fields = err.value.by_field
    assert fields["screen"] == "is not one of the answers" and fields["powers_on"] == "is required"
    assert fields["imei"] == "must be 15 digits"
    with pytest.raises(ValidationErrors) as err:
        quote(shop, dict(GOOD_ANSWERS, battery_health=140))
    assert "battery_health" in err.value.by_field
    with pytest.raises(ValidationErrors) as err:
        quote(shop, imei="")
    assert err.value.by_field == {"imei": "is required"}
    q = quote(shop).quote
    with pytest.raises(ValidationErrors) as err:
        accept(shop, q.id, signature_name=" ", declared_owner=False, declared_wiped=False)
    assert set(err.value.by_field) == {"signature_name", "declared_owner", "declared_wiped", "payout"}
    with pytest.raises(Conflict):
        accept(shop, q.id, imei=imei_for("35717215999999"), payout="voucher")


def test_requote_after_inspection_supersedes_and_the_customer_can_take_the_device_back(shop):
    first = quote(shop, dict(GOOD_ANSWERS), payout="store_credit").quote
    with shop.session(write=True) as s:
        out = tradein.requote(s, assoc(shop), first.id, answers=dict(GOOD_ANSWERS, housing="dents"))
    second = out.quote
    assert second.supersedes_id == first.id and second.grade == "fair"
    assert second.value_cents < first.value_cents and second.payout == "store_credit"
    assert second.price_book_id == first.price_book_id and second.imei == first.imei
    with shop.session(write=True) as s:
        assert tradein.get_quote(s, assoc(shop), first.id).status == "requoted"
        declined = tradein.decline_quote(s, assoc(shop), second.id)
    assert declined.status == "declined"
    with pytest.raises(Conflict):
        accept(shop, second.id, payout="voucher")


def test_quotes_expire(shop):
    q = quote(shop).quote
    later = clock.now() + timedelta(days=8)
    with pytest.raises(Conflict, match="expired"):
        accept(shop, q.id, payout="voucher", now=later)
    with shop.session(write=True) as s:
        n = tradein.expire_quotes(s, assoc(shop), now=later)
        assert n >= 1 and s.get(TradeInQuote, q.id).status == "expired"
        assert tradein.expire_quotes(s, assoc(shop), now=later) == 0


def test_pricing_gives_the_questionnaire_what_it_needs_and_repair_costs_from_parts(shop):
    with shop.session() as s:
        p = tradein.pricing(s, assoc(shop), shop.phone)
        part = s.scalars(select(Part).where(Part.sku == "SCR-IP15")).one()
        service = s.scalars(select(ServiceType).where(ServiceType.code == "screen_repair")).one()
        models = tradein.list_models(s, assoc(shop))
        laptop = tradein.pricing(s, assoc(shop), shop.laptop)
    assert p.model.name == "iPhone 15" and set(p.facts.bases) == set(GRADES)
    assert p.repair_costs["screen"] == ("screen_repair", part.price_cents + service.price_cents)
    assert "screen" not in laptop.repair_costs and "battery" in laptop.repair_costs
    assert len(models) == 51 and {m.kind for m in models} == {"phone", "tablet", "laptop", "watch"}
    answers = dict(GOOD_ANSWERS, screen="cracked")
    advice = tradein.repair_advice(p.rules, p.facts, answers, p.repair_costs, on=p.today)
    assert [a.key for a in advice] == ["screen"]
    # the live valuation and the stored quote agree
    live = tradein.valuate(p.rules, p.facts, answers, on=p.today, payout="voucher")
    stored = quote(shop, answers, payout="voucher")
    assert stored.quote.value_cents == live.value_cents and stored.repairs == advice


def test_only_counter_roles_take_trade_ins_and_managers_get_the_summary(shop):
    tech = shop.actors[Role.TECHNICIAN]
    with shop.session() as s:
        with pytest.raises(PermissionDenied):
            tradein.create_quote(s, tech, model_id=shop.phone, answers=GOOD_ANSWERS)
        with pytest.raises(PermissionDenied):
            tradein.trade_in_summary(s, assoc(shop), clock.today(), clock.today())
    quote(shop, imei=shop.blocked)
    q = quote(shop, payout="voucher").quote
    accept(shop, q.id)
    today = clock.today(TZ)
    with shop.session() as s:
        summary = tradein.trade_in_summary(s, shop.actors[Role.MANAGER], today - timedelta(days=40), today)
        mine = tradein.customer_trade_ins(s, assoc(shop), shop.member)
    assert summary.refused_blocklist == 1 and summary.received >= 1
    assert summary.received_value_cents >= q.value_cents and summary.quotes == sum(summary.by_status.values())
    assert q.id in {r.id for r in mine}


def test_demo_quotes_are_what_the_valuation_gives(shop):
    """The demo's own pricing and core.tradein agree, so the demo can call the core."""
    with shop.session() as s:
        for q in s.scalars(select(TradeInQuote)).all():
            pb, m = s.get(PriceBook, q.price_book_id), s.get(TradeInModel, q.model_id)
            bases = {e.grade: e.base_cents for e in s.scalars(select(PriceBookEntry).where(
                PriceBookEntry.price_book_id == pb.id, PriceBookEntry.model_id == m.id))}
            v = tradein.valuate(pb.rules, DeviceFacts(m.kind, m.family, m.release_date, bases), q.answers,
                                on=q.created_at.astimezone(TZ).date(), payout=q.payout)
            assert (v.grade, v.value_cents, list(v.breakdown)) == (q.grade, q.value_cents, q.breakdown)
