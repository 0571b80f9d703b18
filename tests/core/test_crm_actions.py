"""The next best actions at the counter (core.crm.actions): each rule fires on its own facts
and says why in the counter's words, marketing ones only with the marketing consent of the
channel their rule names, an accepted or dismissed one never comes back, HQ's rules replace
the defaults, and the outcome is kept and audited. The store's clock is pinned: 2026-11-20 10:00 UTC."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core import clock, formatting, privacy
from core.crm import actions
from core.errors import Conflict, NotFound, ValidationError
from core.models import (
    ActionOutcome, AuditEvent, CareTask, Customer, CustomerScore, Device, NextActionRule, PriceBook, PriceBookEntry, Purchase,
    TradeInModel,
)

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 20)          # the store's date at NOW (Shanghai, or New York in the date matrix)

# a price book whose value is the base of the best grade: no age, battery or rounding steps
RULES = {"grades": ["like_new", "good", "fair"],
         "questions": [{"key": "screen", "options": {"flawless": None, "scratched": "good", "cracked": "fair"}},
                       {"key": "activation_lock", "options": {"off": None, "on": "refuse"}}],
         "age_adjustment": {"bands": [{"from_months": 0, "pct": 0}]}, "rounding_cents": 1}


@pytest.fixture
def shop(store_setup):
    db, store_id, admin = store_setup
    with clock.pinned(NOW):
        yield db, store_id, admin


def customer(db, store_id, name="Ada", **kw) -> uuid.UUID:
    with db.session(write=True) as s:
        c = Customer(home_store_id=store_id, given_name=name, family_name="Lovelace", **kw)
        s.add(c)
        s.flush()
        return c.id


def device(db, cid, model, bought, kind="phone", warranty_end=None) -> uuid.UUID:
    with db.session(write=True) as s:
        d = Device(customer_id=cid, kind=kind, model=model, purchase_date=bought, warranty_end=warranty_end)
        s.add(d)
        s.flush()
        return d.id


def consent(db, admin, cid, purpose, granted):
    with db.session(write=True) as s:
        privacy.set_consent(s, admin, cid, purpose, granted)


def suggest(db, admin, cid, lang="en"):
    with db.session() as s:
        return actions.suggestions(s, admin, cid, now=NOW, lang=lang)


def codes(found):
    return [(x.code, x.subject) for x in found]


def test_service_suggestions_say_why_in_both_languages_and_come_by_priority(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id)
    old = device(db, cid, "iPhone 11", TODAY - timedelta(days=730))                   # two years today
    young = device(db, cid, "iPad Air", TODAY - timedelta(days=729), kind="tablet")   # a day short of it
    ending = device(db, cid, "MacBook Air", date(2026, 1, 5), kind="laptop", warranty_end=TODAY + timedelta(days=30))
    device(db, cid, "Watch", date(2025, 12, 20), kind="watch", warranty_end=TODAY - timedelta(days=1))   # ended
    device(db, cid, "Earbuds", date(2020, 1, 1), kind="audio")                         # not a battery kind
    found = suggest(db, admin, cid)
    assert codes(found) == [("warranty_ending", f"device:{ending}"), ("battery_service", f"device:{old}")]
    warranty, battery = found
    assert warranty.title == "Warranty ending" and battery.title == "Battery service"
    day = formatting.date(TODAY + timedelta(days=30), "en")
    assert warranty.why == f"MacBook Air: warranty ends {day}"
    assert battery.why == "iPhone 11 is 2 years old"
    assert not warranty.marketing and warranty.priority < battery.priority
    zh = suggest(db, admin, cid, "zh_CN")
    assert [x.title for x in zh] == ["保修即将到期", "电池保养服务"]
    assert zh[1].why == "iPhone 11 已使用 2 年"
    assert formatting.date(TODAY + timedelta(days=30), "zh_CN") in zh[0].why
    assert f"device:{young}" not in [x.subject for x in found]


def test_warranty_ending_counts_today_and_the_thirtieth_day_but_not_the_past_or_the_thirty_first(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id)
    ids = {days: device(db, cid, f"Phone {days}", TODAY - timedelta(days=100), warranty_end=TODAY + timedelta(days=days))
           for days in (-1, 0, 30, 31)}
    subjects = {x.subject for x in suggest(db, admin, cid) if x.code == "warranty_ending"}
    assert subjects == {f"device:{ids[0]}", f"device:{ids[30]}"}


def price_book(db, models: dict[str, dict[str, int]]):
    """A book in force since October 2026 with ``{configuration: like_new base}`` per model name."""
    with db.session(write=True) as s:
        book = PriceBook(version="2026.10", valid_from=date(2026, 10, 1), currency="USD", rules=RULES)
        s.add(book)
        s.flush()
        for name, configs in models.items():
            for config, base in configs.items():
                m = TradeInModel(family=name.split()[0], kind="phone", name=name, configuration=config,
                                 release_date=date(2021, 9, 1))
                s.add(m)
                s.flush()
                s.add_all([PriceBookEntry(price_book_id=book.id, model_id=m.id, grade=g, base_cents=base // k)
                           for g, k in (("like_new", 1), ("good", 2), ("fair", 4))])


def test_trade_in_upgrade_offers_the_oldest_priced_device_at_its_best_value_only_with_marketing_consent(shop):
    db, store_id, admin = shop
    price_book(db, {"iPhone 12": {"64 GB": 25000, "256 GB": 32000}, "Galaxy S21": {"128 GB": 18000}})
    cid = customer(db, store_id, email="ada@example.com")
    device(db, cid, "Nokia 3310", date(2015, 3, 1))                 # the oldest, but not in the price book
    iphone = device(db, cid, "iPhone 12", date(2021, 10, 2))
    device(db, cid, "Galaxy S21", date(2022, 2, 1))
    assert "tradein_upgrade" not in [x.code for x in suggest(db, admin, cid)]     # never asked
    consent(db, admin, cid, "marketing_email", True)
    offer = [x for x in suggest(db, admin, cid) if x.code == "tradein_upgrade"]
    assert [(x.subject, x.marketing) for x in offer] == [(f"device:{iphone}", True)]
    # the best configuration at the best grade: 320.00
    assert offer[0].why == f"iPhone 12 is worth up to {formatting.money(32000, 'USD', 'en')} towards an upgrade"
    assert offer[0].title == "Upgrade with a trade-in"
    consent(db, admin, cid, "marketing_email", False)                 # withdrawn: no longer offered
    assert "tradein_upgrade" not in [x.code for x in suggest(db, admin, cid)]


def test_accessory_for_a_recent_purchase_or_a_device_bought_this_month(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id, phone_e164="+8613800000001")
    consent(db, admin, cid, "marketing_sms", True)
    with db.session(write=True) as s:
        s.add(Purchase(customer_id=cid, store_id=store_id, at=NOW - timedelta(days=31), description="Old phone",
                       total_cents=50000))
        s.add(Purchase(customer_id=cid, store_id=store_id, at=NOW - timedelta(days=3), description="Cable",
                       total_cents=900))                           # under the rule's minimum
    assert "accessory" not in [x.code for x in suggest(db, admin, cid)]
    with db.session(write=True) as s:
        p = Purchase(customer_id=cid, store_id=store_id, at=NOW - timedelta(days=29), description="Pixel 9",
                     total_cents=79900)
        s.add(p)
        s.flush()
        pid = p.id
    found = [x for x in suggest(db, admin, cid) if x.code == "accessory"]
    day = formatting.date(NOW - timedelta(days=29), "en", tz="UTC")
    assert [(x.subject, x.why) for x in found] == [(f"purchase:{pid}", f"Bought Pixel 9 on {day}")]
    new = device(db, cid, "Galaxy Watch", date(2026, 11, 2), kind="watch")      # this month, newer
    assert [x.subject for x in suggest(db, admin, cid) if x.code == "accessory"] == [f"device:{new}"]


def test_a_marketing_suggestion_needs_the_consent_of_the_channel_its_rule_names(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id, phone_e164="+8613800000002", email="ada@example.com")
    device(db, cid, "Galaxy Watch", date(2026, 11, 2), kind="watch")          # bought this month: an accessory

    def offered() -> bool:
        return "accessory" in [x.code for x in suggest(db, admin, cid)]

    def hq_channel(channel):
        with db.session(write=True) as s:
            rule = s.scalars(select(NextActionRule).where(NextActionRule.code == "accessory")).first()
            if rule is None:
                s.add(NextActionRule(code="accessory", priority=50, marketing=True, params={"channel": channel}))
            else:
                rule.params = {"channel": channel}

    assert actions.DEFAULT_RULES[-1].params["channel"] == "sms"
    consent(db, admin, cid, "marketing_email", True)
    assert not offered()                                  # the default accessory rule goes by SMS
    consent(db, admin, cid, "marketing_sms", True)
    assert offered()
    consent(db, admin, cid, "marketing_email", False)
    assert offered()                                      # SMS still granted
    hq_channel("email")
    assert not offered()                                  # HQ's rule goes by e-mail, withdrawn
    hq_channel("any")
    assert offered()                                      # either: SMS is granted
    consent(db, admin, cid, "marketing_sms", False)
    assert not offered()                                  # neither now
    consent(db, admin, cid, "marketing_email", True)
    assert offered()
    hq_channel("fax")
    assert not offered()                                  # a channel the app does not know: never consented


def test_complaint_follow_up_for_an_open_call_due_soon(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id)
    with db.session(write=True) as s:
        due = CareTask(store_id=store_id, customer_id=cid, kind="follow_up_call", due_at=NOW + timedelta(days=2))
        late = CareTask(store_id=store_id, customer_id=cid, kind="follow_up_call", due_at=NOW - timedelta(days=1))
        s.add_all([due, late,
                   CareTask(store_id=store_id, customer_id=cid, kind="follow_up_call", due_at=NOW + timedelta(days=30)),
                   CareTask(store_id=store_id, customer_id=cid, kind="follow_up_call", due_at=NOW,
                            done_at=NOW - timedelta(hours=1), outcome="satisfied"),
                   CareTask(store_id=store_id, customer_id=cid, kind="detractor_call", due_at=NOW)])
        s.flush()
        ids = (late.id, due.id)
    found = [x for x in suggest(db, admin, cid) if x.code == "complaint_followup"]
    assert [x.subject for x in found] == [f"care_task:{i}" for i in ids]
    assert found[1].title == "Complaint follow-up"
    assert found[1].why == f"Follow-up call due {formatting.date(NOW + timedelta(days=2), 'en', tz='UTC')}"


def test_an_answered_suggestion_is_kept_audited_and_not_suggested_again(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id)
    old = device(db, cid, "iPhone 8", date(2018, 1, 1))
    other = device(db, cid, "iPhone X", date(2018, 6, 1))
    with db.session(write=True) as s:
        actions.record_outcome(s, admin, cid, "battery_service", f"device:{old}", "accepted", now=NOW)
    assert codes(suggest(db, admin, cid)) == [("battery_service", f"device:{other}")]
    with db.session(write=True) as s:
        actions.record_outcome(s, admin, cid, "battery_service", f"device:{other}", "dismissed", now=NOW)
    assert suggest(db, admin, cid) == []
    with db.session() as s:
        rows = s.execute(select(ActionOutcome.code, ActionOutcome.subject, ActionOutcome.outcome,
                                ActionOutcome.staff_id, ActionOutcome.at).order_by(ActionOutcome.outcome)).all()
        assert rows == [("battery_service", f"device:{old}", "accepted", admin.staff_id, NOW),
                        ("battery_service", f"device:{other}", "dismissed", admin.staff_id, NOW)]
        trail = s.execute(select(AuditEvent.entity_id, AuditEvent.detail)
                          .where(AuditEvent.action == "crm.action").order_by(AuditEvent.seq)).all()
        assert trail == [(str(cid), "battery_service:accepted"), (str(cid), "battery_service:dismissed")]
    with db.session(write=True) as s, pytest.raises(Conflict):
        actions.record_outcome(s, admin, cid, "battery_service", f"device:{old}", "dismissed", now=NOW)


@pytest.mark.parametrize("code, subject, outcome, field", [
    ("coffee", "device:1", "accepted", "code"), ("accessory", "device:1", "maybe", "outcome"),
    ("accessory", "x" * 81, "accepted", "subject")])
def test_an_outcome_is_checked_at_the_boundary(shop, code, subject, outcome, field):
    db, store_id, admin = shop
    cid = customer(db, store_id)
    with db.session(write=True) as s, pytest.raises(ValidationError) as bad:
        actions.record_outcome(s, admin, cid, code, subject, outcome, now=NOW)
    assert bad.value.field == field


def test_hq_rules_replace_the_defaults_with_their_own_params(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id)
    device(db, cid, "iPhone 8", date(2018, 1, 1), warranty_end=TODAY + timedelta(days=20))
    assert [x.code for x in suggest(db, admin, cid)] == ["warranty_ending", "battery_service"]
    with db.session(write=True) as s:
        s.add_all([NextActionRule(code="battery_service", priority=5, params={"min_age_days": 4000}),
                   NextActionRule(code="warranty_ending", priority=1, params={"within_days": 10}, active=False)])
    assert suggest(db, admin, cid) == []          # too young for HQ's battery rule; warranty rule off
    with db.session(write=True) as s:
        rule = s.scalars(select(NextActionRule).where(NextActionRule.code == "battery_service")).one()
        rule.params = {}                                   # the default's params then
    assert [(x.code, x.priority) for x in suggest(db, admin, cid)] == [("battery_service", 5)]


def test_an_erased_customer_has_no_suggestions(shop):
    db, store_id, admin = shop
    cid = customer(db, store_id)
    with db.session(write=True) as s:
        s.get(Customer, cid).erased = True
    with db.session() as s, pytest.raises(NotFound):
        actions.suggestions(s, admin, cid, now=NOW, lang="en")


def test_the_customer_s_scores_and_outcomes_are_in_their_export_and_go_with_their_erasure(shop):
    from core.models import OutboxEntry
    from core.report_data import customer_export
    db, store_id, admin = shop
    cid = customer(db, store_id)
    old = device(db, cid, "iPhone 8", date(2018, 1, 1))
    with db.session(write=True) as s:
        s.add(CustomerScore(id=cid, customer_id=cid, segment="at_risk", value_band="high", churn_score=70,
                            churn_reasons=[{"code": "no_visit", "months": 14, "usual": 4}], computed_at=NOW))
        actions.record_outcome(s, admin, cid, "battery_service", f"device:{old}", "accepted", now=NOW)
    with db.session(write=True) as s:
        data = privacy.export_customer(s, admin, cid)
        assert [(r["segment"], r["churn_score"]) for r in data["customer_score"]] == [("at_risk", 70)]
        assert [(r["code"], r["outcome"]) for r in data["action_outcome"]] == [("battery_service", "accepted")]
        paper = customer_export(s, admin, cid, now=NOW)
        assert [(r["segment"], r["value_band"]) for r in paper["scores"]] == [("at_risk", "high")]
        assert paper["action_outcomes"] == [{"action": "battery_service", "action_outcome": "accepted", "at": NOW}]
    from reports import customer_export as printed
    from tests.reports.conftest import compact
    text = compact(printed.render(paper, lang="zh_CN"))
    assert "有流失风险" in text and "已14个月未到店，平时每4个月一次" in text and "电池保养服务" in text
    with db.session(write=True) as s:
        sent_before = s.scalar(select(func.max(OutboxEntry.seq)))
        privacy.erase_customer(s, admin, cid)
    with db.session() as s:
        assert s.scalars(select(CustomerScore).where(CustomerScore.customer_id == cid)).all() == []
        assert s.scalars(select(ActionOutcome).where(ActionOutcome.customer_id == cid)).all() == []
        captured = s.execute(select(OutboxEntry.entity, OutboxEntry.op).where(OutboxEntry.seq > sent_before)
                             .where(OutboxEntry.entity.in_(("customer_score", "action_outcome")))).all()
        # the store's own outcome goes through sync; HQ's score is HQ's to drop, never sent from here
        assert captured == [("action_outcome", "delete")]
