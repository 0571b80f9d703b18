"""The chain's customer scores (issue 23, hq.crm.scores) against a real HQ on PostgreSQL (and
once on SQLite, the demo's HQ), from activity a real encrypted store pushed: twelve customers
whose R, F, M scores, segments, value to date and churn reasons are worked out by hand below;
a store pulls the scores of the customers it serves and no other; a new sale changes that
customer's row only; an erasure takes the score away at HQ and at the store."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select

from core import customers, privacy
from core.models import (
    CustomerScore, Feedback, LoyaltyAccount, LoyaltyEntry, PriceBook, Purchase, RepairTicket, TradeInModel,
    TradeInQuote,
)
from hq import dsr
from hq.console import roles
from hq.crm import schedule, scores
from hq import lanes
from hq.common import lane_heads
from hq.models import hq_crm_state, hq_customer_score, hq_row
from tests.hq.util import insert_quietly

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=timezone.utc)


@pytest.fixture
def hq_crm(hq):
    """The HQ, with no scores or CRM state left by an earlier test (nor left for a later one)."""
    def clear():
        with hq.engine.begin() as conn:
            conn.execute(delete(hq_customer_score))
            conn.execute(delete(hq_crm_state))
    clear()
    yield hq
    clear()


class Chain:
    """Store SA's twelve customers (C1..C12) and what they did; store SB's own customer C13."""

    def __init__(self, sa, sb):
        self.sa, self.sb = sa, sb
        self.c: dict[int, uuid.UUID] = {}
        self.n = 0
        with sa.db.session(write=True) as s:
            for i in range(1, 13):
                self.c[i] = customers.create_customer(s, sa.admin, given_name=f"Customer{i}", family_name="Test").id
                privacy.set_consent(s, sa.admin, self.c[i], "hq_transfer", True)
        with sb.db.session(write=True) as s:
            self.c[13] = customers.create_customer(s, sb.admin, given_name="Other", family_name="Store").id
        self.model, self.book = uuid.uuid4(), uuid.uuid4()
        insert_quietly(sa.db, TradeInModel(id=self.model, family="iPhone", kind="phone", name="iPhone 12",
                                           configuration="128 GB", release_date=date(2020, 10, 23)))
        insert_quietly(sa.db, PriceBook(id=self.book, version="t1", valid_from=date(2020, 1, 1), currency="CNY"))
        p, r, t, f = self.purchase, self.repair, self.tradein, self.feedback
        for day, cents in (("2026-02-01", 20000), ("2026-06-01", 20000), ("2026-09-01", 30000),
                           ("2026-11-10", 50000)):
            p(1, day, cents)
        p(2, "2026-11-15", 10000)
        r(2, "2026-11-16", 99999, status="ready", payment=None)             # not collected: no visit
        for day, cents in (("2024-01-10", 80000), ("2024-03-10", 40000), ("2024-06-10", 40000),
                           ("2024-09-10", 40000), ("2024-11-10", 40000), ("2024-12-10", 40000)):
            p(3, day, cents)
        p(4, "2023-05-01", 5000)
        t(4, "2026-11-01", status="quoted")                                  # only quoted: no visit
        p(5, "2026-07-01", 15000)
        r(5, "2026-10-01", 30000, tax_inclusive=False, tax_rate="10")       # paid 30000 + 10 % = 33000
        p(6, "2026-11-01", 70000)
        t(6, "2026-11-01", status="accepted")                                # the same day: one visit
        for day in ("2025-08-01", "2025-10-01", "2025-12-01"):
            p(7, day, 10000)
        p(7, "2026-01-05", -5000, kind="refund")                              # value off, not a visit
        for day in ("2025-11-25", "2026-01-25", "2026-03-25", "2026-05-25", "2026-07-25", "2026-09-25"):
            p(9, day, 3000)
        p(10, "2026-08-15", 25000)
        f(10, "2026-10-01")
        f(10, "2026-11-01")
        f(10, "2026-05-01")                                                  # over 90 days ago
        p(11, "2024-12-20", 30000)
        with sa.db.session(write=True) as s:
            acct = LoyaltyAccount(customer_id=self.c[11], member_number="M0011", store_id=sa.store_id,
                                  terms_version="2026-01", enrolled_at=at("2024-12-20"))
            s.add(acct)
            s.flush()
            s.add(LoyaltyEntry(account_id=acct.id, kind="earn", points=300, reason="", ref_type="purchase",
                               store_id=sa.store_id, at=at("2024-12-20"), expires_at=at("2026-12-20")))
        for day in ("2025-01-10", "2025-03-10", "2025-05-10", "2025-07-10", "2026-02-10"):
            p(12, day, 8000)

    def purchase(self, i: int, day: str, cents: int, kind: str = "sale") -> None:
        self.n += 1
        with self.sa.db.session(write=True) as s:
            s.add(Purchase(customer_id=self.c[i], store_id=self.sa.store_id, at=at(day), description="Phone",
                           total_cents=cents, receipt_id=f"R{self.n}", currency="CNY", kind=kind))

    def repair(self, i: int, day: str, quote: int, *, status: str = "collected", payment: str | None = "paid",
               tax_inclusive: bool = True, tax_rate: str = "13") -> None:
        self.n += 1
        with self.sa.db.session(write=True) as s:
            s.add(RepairTicket(store_id=self.sa.store_id, number=f"SA-{self.n:06d}", customer_id=self.c[i],
                               status=status, payment_status=payment, quote_cents=quote,
                               tax_inclusive=tax_inclusive, tax_rate=tax_rate,
                               collected_at=at(day) if status == "collected" else None))

    def tradein(self, i: int, day: str, *, status: str) -> None:
        with self.sa.db.session(write=True) as s:
            s.add(TradeInQuote(store_id=self.sa.store_id, customer_id=self.c[i], model_id=self.model,
                               price_book_id=self.book, grade="good", value_cents=20000,
                               expires_at=at(day) + timedelta(days=7),
                               status=status, accepted_at=at(day) if status == "accepted" else None))

    def feedback(self, i: int, day: str) -> None:
        with self.sa.db.session(write=True) as s:
            s.add(Feedback(customer_id=self.c[i], store_id=self.sa.store_id, category="service", text="Slow",
                           opened_at=at(day)))

    def sync(self) -> None:
        self.sa.sync()
        self.sb.sync()


def _chain(hq, make_store) -> Chain:
    chain = Chain(make_store("SA", hq), make_store("SB", hq))
    chain.sync()
    return chain


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)      # SQLite keeps no zone


def _scores(hq) -> dict[uuid.UUID, dict]:
    with hq.engine.connect() as conn:
        return {r.customer_id: dict(r._mapping) for r in conn.execute(select(hq_customer_score))}


# Eleven customers have a visit (C8 none, C13 none): n = 11, score = 1 + (5 * (rank - 1)) // 11,
# so ranks 1-3 score 1, 4-5 score 2, 6-7 score 3, 8-9 score 4, 10-11 score 5.
# R (last visit, older is worse): C4 2023-05-01 r1, C3 2024-12-10 r2, C11 2024-12-20 r3 -> 1;
#   C7 2025-12-01 r4, C12 2026-02-10 r5 -> 2; C10 2026-08-15 r6, C9 2026-09-25 r7 -> 3;
#   C5 2026-10-01 r8, C6 2026-11-01 r9 -> 4; C1 2026-11-10 r10, C2 2026-11-15 r11 -> 5.
# F (visit days): C2 C4 C6 C10 C11 1 visit r1 -> 1; C5 2 r6 -> 3; C7 3 r7 -> 3; C1 4 r8 -> 4;
#   C12 5 r9 -> 4; C3 and C9 6 r10 -> 5.
# M (value to date): C4 5000 r1, C2 10000 r2, C9 6 x 3000 = 18000 r3 -> 1; C7 3 x 10000 - 5000 = 25000
#   and C10 25000 r4 -> 2; C11 30000 r6, C12 5 x 8000 = 40000 r7 -> 3; C5 15000 + 33000 = 48000 r8,
#   C6 70000 r9 -> 4; C1 120000 r10, C3 80000 + 5 x 40000 = 280000 r11 -> 5.
EXPECTED = {   # customer: (R, F, M, segment, value band, visits, value to date)
    1: (5, 4, 5, "champions", "top", 4, 120_000),
    2: (5, 1, 1, "new", "low", 1, 10_000),
    3: (1, 5, 5, "cant_lose", "top", 6, 280_000),
    4: (1, 1, 1, "lost", "low", 1, 5_000),
    5: (4, 3, 4, "potential", "high", 2, 48_000),
    6: (4, 1, 4, "promising", "high", 1, 70_000),
    7: (2, 3, 2, "at_risk", "mid", 3, 25_000),
    8: (0, 0, 0, "none", "", 0, 0),
    9: (3, 5, 1, "loyal", "low", 6, 18_000),
    10: (3, 1, 2, "needs_attention", "mid", 1, 25_000),
    11: (1, 1, 3, "lost", "mid", 1, 30_000),
    12: (2, 4, 3, "at_risk", "mid", 5, 40_000),
}
# Churn at 2026-11-20 10:00 (core.crm.churn): overdue points int(55 * (days / gap - 1) / 3), at most 55.
# C3: 710 days since 2024-12-10, gap 335 / 5 = 67 days: 10.6 gaps -> 55; 710 * 12 // 365 = 23 months,
#   usually round(67 * 12 / 365) = 2.
# C4: one visit 1299 days ago (gap taken as 365): int(55 * 2.559 / 3) = 46; 42 months.
# C7: 354 days, gap 122 / 2 = 61: 55 (capped) + 15 falling (2 visits the year before, 1 the last); 11 months,
#   usually 2.
# C10: 2 complaints in 90 days (the one of May is older): 20.
# C11: one visit 700 days ago: int(55 * 0.918 / 3) = 16; 23 months; 300 points lapse 2026-12-20 and none were
#   redeemed: +10.
# C12: 283 days, gap 396 / 4 = 99: int(55 * 1.859 / 3) = 34; 9 months, usually round(3.25) = 3; + 15 falling
#   (4 visits the year before, 1 the last).
CHURN = {
    3: (55, ["No visit for 23 months, usually every 2"]),
    4: (46, ["No visit for 42 months"]),
    7: (70, ["No visit for 11 months, usually every 2", "Visits down from 2 to 1 a year"]),
    10: (20, ["2 complaints in 90 days"]),
    11: (26, ["No visit for 23 months", "300 points expiring, none redeemed"]),
    12: (49, ["No visit for 9 months, usually every 3", "Visits down from 4 to 1 a year"]),
}


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_the_hand_computed_chain_scores_exactly(hq_crm, make_store):
    from core.crm import churn
    hq = hq_crm
    chain = _chain(hq, make_store)
    result = scores.recompute(hq.engine, now=NOW)
    assert (result.customers, result.scored, result.published) == (13, 11, 13)
    got = _scores(hq)
    for i, (r, f, m, segment, band, visits, historic) in EXPECTED.items():
        row = got[chain.c[i]]
        assert (row["recency"], row["frequency"], row["monetary"], row["segment"], row["value_band"],
                row["visits"], row["historic_cents"]) == (r, f, m, segment, band, visits, historic), i
        risk, reasons = CHURN.get(i, (0, []))
        assert (row["churn_score"], [churn.reason_text(x, "en") for x in row["churn_reasons"]]) == (risk, reasons), i
        assert row["predicted_cents"] >= 0 and (row["predicted_cents"] == 0) == (visits == 0)
        assert row["currency"] == ("CNY" if visits else "")
    assert _aware(got[chain.c[3]]["last_visit_at"]) == at("2024-12-10")
    assert got[chain.c[13]]["segment"] == "none"
    bounds = scores.get_state(hq.engine, scores.STATE_BOUNDS)
    assert bounds["frequency"] == [2, 2, 4, 6] and bounds["monetary"] == [25_000, 30_000, 48_000, 120_000]
    assert scores.segment_counts(hq.engine)["lost"] == 2

    # each store pulls the scores of the customers it serves, and only those
    chain.sync()
    with chain.sa.db.session() as s:
        mine = {x.customer_id: x for x in s.scalars(select(CustomerScore))}
    assert set(mine) == {chain.c[i] for i in range(1, 13)}
    c7 = mine[chain.c[7]]
    assert (c7.segment, c7.recency, c7.churn_score, c7.historic_cents, c7.currency) == ("at_risk", 2, 70, 25_000, "CNY")
    assert churn.reasons_text(c7.churn_reasons, "zh_CN") == ("已 11 个月未到店，平时每 2 个月一次", "每年到店次数从 2 次降至 1 次")
    with chain.sb.db.session() as s:
        assert [x.customer_id for x in s.scalars(select(CustomerScore))] == [chain.c[13]]
    # nothing changed: nothing is published again
    assert scores.recompute(hq.engine, now=NOW).published == 0


def _head(hq) -> dict[int, int]:
    with hq.engine.connect() as conn:
        return lane_heads(conn)


def test_a_new_sale_changes_that_customer_only(hq_crm, make_store):
    hq = hq_crm
    chain = _chain(hq, make_store)
    scores.recompute(hq.engine, now=NOW)
    before = _scores(hq)
    chain.purchase(4, "2026-11-20", 60000)             # C4 comes back after three and a half years
    chain.sa.sync()
    head = _head(hq)
    assert schedule.due(hq.engine, NOW + timedelta(minutes=1), hour=3) == "changed"
    result = schedule.run_once(hq.engine, NOW + timedelta(minutes=1), hour=3)
    assert (result.full, result.customers, result.published) == (False, 1, 1)
    with hq.engine.connect() as conn:
        moved = set(conn.scalars(select(hq_row.c.entity_id).where(hq_row.c.entity == "customer_score",
                                                                  lanes.after(head))))
    assert moved == {str(chain.c[4])}
    after = _scores(hq)
    # against the stored bounds: the newest visit -> R5; 2 visits reach F bounds [2, 2, 4, 6] twice -> F3;
    # 65000 reaches M bounds [25000, 30000, 48000, 120000] three times -> M4
    c4 = after[chain.c[4]]
    assert (c4["recency"], c4["frequency"], c4["monetary"], c4["segment"], c4["previous_segment"]) == \
        (5, 3, 4, "potential", "lost")
    assert _aware(c4["segment_since"]) == NOW + timedelta(minutes=1) and c4["churn_reasons"] == []
    for i in set(range(1, 14)) - {4}:
        assert after[chain.c[i]] == before[chain.c[i]], i
    # the next pass finds nothing new; the nightly one (after 03:00 the next day) is the full recompute
    assert scores.recompute_changed(hq.engine, now=NOW + timedelta(minutes=2)).customers == 0
    assert schedule.due(hq.engine, datetime(2026, 11, 21, 3, 5, tzinfo=timezone.utc), hour=3) == "full"


def test_an_erased_customer_loses_the_score_at_hq_and_at_the_store(hq_crm, make_store):
    hq = hq_crm
    chain = _chain(hq, make_store)
    scores.recompute(hq.engine, now=NOW)
    chain.sa.sync()
    with chain.sa.db.session() as s:
        assert s.get(CustomerScore, chain.c[2]) is not None
    dsr.erase(hq.engine, chain.c[2], dsr.hq_author(1, roles.ADMIN))
    assert chain.c[2] not in _scores(hq)
    with hq.engine.connect() as conn:
        row = conn.execute(select(hq_row.c.deleted, hq_row.c.data).where(
            hq_row.c.entity == "customer_score", hq_row.c.entity_id == str(chain.c[2]))).one()
    assert (row.deleted, row.data) == (True, {})
    chain.sa.sync()
    with chain.sa.db.session() as s:
        assert s.get(CustomerScore, chain.c[2]) is None
        assert s.get(CustomerScore, chain.c[1]) is not None
    # a later recompute does not bring them back
    scores.recompute(hq.engine, now=NOW + timedelta(days=1))
    assert chain.c[2] not in _scores(hq)
    scores.recompute_customers(hq.engine, [chain.c[2]], now=NOW + timedelta(days=1))
    assert chain.c[2] not in _scores(hq)
