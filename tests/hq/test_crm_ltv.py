"""The lifetime value model (hq.crm.ltv): BG/NBD and Gamma-Gamma recover the parameters that
simulated customers were drawn from, eq. 10 agrees with a Monte-Carlo of the same customer,
predictions stay finite and >= 0 on odd input, a small chain gets the fallback, the model
survives its JSON, and the calibration on a real PostgreSQL HQ fed by a real store's sync
splits, predicts and tabulates by decile."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from core import clock, customers, privacy
from core.models import Purchase
from hq.cli import main as hq_main
from hq.crm import ltv

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
CDNOW = dict(r=0.243, alpha=4.414, a=0.793, b=2.426)      # the paper's fit (Fader, Hardie & Lee 2005, table)


def simulate(rng: np.random.Generator, n: int, *, r: float, alpha: float, a: float, b: float,
             T: np.ndarray, horizon: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BG/NBD customers, each first seen at week 0 and watched until ``T``: repeat visits
    ``x``, the last one's week ``t_x``, and the visits in the ``horizon`` weeks after ``T``."""
    lam, p = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    x, t_x, future, t = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, bool)
    while active.any():
        i = np.nonzero(active)[0]
        t[i] += rng.exponential(1 / lam[i])
        seen, later = t[i] <= T[i], (t[i] > T[i]) & (t[i] <= T[i] + horizon)
        x[i[seen]] += 1
        t_x[i[seen]] = t[i[seen]]
        future[i[later]] += 1
        active[i[(t[i] > T[i] + horizon) | (rng.random(len(i)) < p[i])]] = False   # dropout after a visit
    return x, t_x, future


def within(value: float, want: float, rel: float) -> bool:
    return abs(value - want) <= rel * abs(want)


def test_bgnbd_recovers_the_parameters_customers_were_drawn_from():
    rng = np.random.default_rng(5)
    T = rng.uniform(27, 39, 20_000)                        # CDNOW's cohort: first seen over 12 weeks
    x, t_x, _ = simulate(rng, 20_000, T=T, **CDNOW)
    model = ltv.fit(ltv.Summary(x, t_x, T, np.full_like(x, 2500.0)))
    assert model.visits == "bgnbd"
    for name, want in CDNOW.items():
        assert within(getattr(model, name), want, 0.15), (name, getattr(model, name), want)


def test_gamma_gamma_recovers_the_value_of_a_visit():
    rng = np.random.default_rng(6)
    p, q, gamma = 6.25, 3.74, 15.44                        # the note's CDNOW figures (dollars)
    n = rng.integers(1, 7, 20_000)
    nu = rng.gamma(q, 1 / gamma, n.size)
    mean_dollars = rng.gamma(p * n, 1 / (nu * n))          # the mean of n Gamma(p, nu) visits
    model = ltv.fit(ltv.Summary(n - 1, np.ones(n.size), np.full(n.size, 10.0), mean_dollars * 100))
    assert model.spend == "gamma_gamma"
    # p and gamma trade off against each other (the note's likelihood is flat along a ridge)
    assert within(model.p, p, 0.2) and within(model.q, q, 0.1) and within(model.gamma, gamma * 100, 0.2)
    assert within(model.p * model.gamma / (model.q - 1), p * gamma * 100 / (q - 1), 0.05), "the chain's mean visit"
    # the customer's own mean counts for more the more visits it is the mean of
    one = ltv.expected_spend(model, ltv.Summary([0, 9], [0, 5], [10, 10], [100_000, 100_000]))
    assert one[0] < one[1] < 100_000


@pytest.mark.parametrize("x,t_x,T", [(0, 0, 30), (2, 10, 30), (5, 29, 30), (0, 0, 0), (12, 38, 40)])
def test_expected_visits_agree_with_a_monte_carlo_of_the_same_customer(x, t_x, T):
    """Eq. 10 against its own story: alive with P(alive); λ ~ Gamma(r+x, α+T) and
    p ~ Beta(a, b+x) given the history; Poisson visits, each followed by a dropout chance."""
    model = ltv.Model(visits="bgnbd", **CDNOW)
    s = ltv.Summary([x], [t_x], [T], [0])
    expected = ltv.expected_visits(model, s, 52)[0]
    rng = np.random.default_rng(7)
    n = 200_000
    active = rng.random(n) < ltv.p_alive(model, s)[0]
    lam, p = rng.gamma(CDNOW["r"] + x, 1 / (CDNOW["alpha"] + T), n), rng.beta(CDNOW["a"], CDNOW["b"] + x, n)
    t, count = np.zeros(n), np.zeros(n)
    while active.any():
        i = np.nonzero(active)[0]
        t[i] += rng.exponential(1 / lam[i])
        inside = t[i] <= 52
        count[i[inside]] += 1
        active[i[~inside | (rng.random(len(i)) < p[i])]] = False
    assert abs(expected - count.mean()) <= 4 * count.std() / np.sqrt(n) + 1e-3


def test_expected_visits_add_up_to_what_simulated_customers_then_did():
    rng = np.random.default_rng(8)
    T = rng.uniform(0, 104, 30_000)
    x, t_x, future = simulate(rng, 30_000, T=T, horizon=52, **CDNOW)
    s = ltv.Summary(x, t_x, T, np.zeros_like(x))
    e = ltv.expected_visits(ltv.Model(visits="bgnbd", **CDNOW), s, 52)
    assert within(e.sum(), future.sum(), 0.05)
    for k in (0, 1, 3):                                    # and by how often they came before
        assert within(e[x == k].mean(), future[x == k].mean(), 0.15), k
    alive = ltv.p_alive(ltv.Model(visits="bgnbd", **CDNOW), ltv.Summary([0, 10, 10], [0, 100, 5], [104, 104, 104],
                                                                       [0, 0, 0]))
    assert alive[0] == 1 and alive[1] > 0.9 and alive[2] < 0.01, "ten visits, then silence for two years: gone"


EDGES = ltv.Summary(
    x=[0, 0, 3, 0, 400, 2, 5, 1],
    t_x=[0, 0, 20, 0, 52, 30, 50, 9],
    T=[0, 52, 20, 1e6, 52, 10, np.nan, -3],                # t_x > T, no T, negative: cleaned, not trusted
    m=[0, 0, 15_000, 1e12, 100, -50, 1_000, np.inf])


@pytest.mark.parametrize("model", [
    ltv.Model(visits="bgnbd", spend="gamma_gamma", **CDNOW, p=6.25, q=3.74, gamma=1544.0),
    ltv.Model(visits="bgnbd", spend="gamma_gamma", r=0.5, alpha=5, a=1.0, b=3, p=1, q=1.0000001, gamma=1e-9),
    ltv.Model(visits="bgnbd", spend="mean", r=8103, alpha=1e-4, a=0.01, b=8103, mean_cents=2000),
    ltv.Model(rate=0.02, mean_cents=30_000),
    ltv.Model(),
], ids=["cdnow", "a-is-one", "extreme", "fallback", "empty"])
def test_predictions_are_finite_and_never_negative(model):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for s in (EDGES, EDGES.take(np.array([2])), ltv.Summary([0], [0], [0], [0]),
                  ltv.Summary(np.zeros(50), np.zeros(50), np.zeros(50), np.zeros(50)), ltv.Summary([], [], [], [])):
            got = ltv.predict_cents(model, s)
            assert got.dtype == np.int64 and got.shape == (len(s),)
            assert np.all(got >= 0) and np.all(got <= ltv.MAX_CENTS)
            assert np.all(np.isfinite(ltv.p_alive(model, s)))
    assert ltv.predict_cents(model, ltv.Summary([3], [20], [20], [15_000]), weeks=0)[0] == 0, "nothing in no time"


def test_a_fit_on_nothing_or_no_repeat_customers_is_the_fallback_and_predicts_no_more_visits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for s in (ltv.Summary([], [], [], []), ltv.Summary(np.zeros(10), np.zeros(10), np.zeros(10), np.zeros(10)),
                  ltv.Summary(np.zeros(3), np.zeros(3), [5, 60, 200], [10_000, 0, 500])):
            model = ltv.fit(s)
            assert (model.visits, model.spend, model.rate) == ("rate", "mean", 0.0)
            assert not ltv.predict_cents(model, s).any()


def test_a_small_chain_still_gets_a_number_from_the_fallback():
    # 30 repeat customers (fewer than MIN_REPEATERS): 2 visits in their first year, 60 one-time buyers
    x = np.r_[np.ones(30), np.zeros(60)]
    T = np.full(90, 52.0)
    t_x = np.r_[np.full(30, 26.0), np.zeros(60)]
    m = np.r_[np.full(30, 50_000.0), np.full(60, 20_000.0)]
    model = ltv.fit(ltv.Summary(x, t_x, T, m))
    assert (model.visits, model.spend, model.repeaters) == ("rate", "mean", 30)
    assert model.rate == pytest.approx(30 / (90 * 52))
    assert model.mean_cents == pytest.approx((30 * 2 * 50_000 + 60 * 20_000) / 120)
    got = ltv.predict_cents(model, ltv.Summary([1, 0, 0], [26, 0, 0], [52, 52, 0], [50_000, 20_000, 0]))
    # (x + rate x 52) / (T + 52) visits a week for 52 weeks, x (n m + chain mean) / (n + 1)
    want_rate = (np.array([1, 0, 0]) + model.rate * 52) / (np.array([52, 52, 0]) + 52) * 52
    want_spend = (np.array([2, 1, 1]) * np.array([50_000, 20_000, 0]) + model.mean_cents) / np.array([3, 2, 2])
    assert got.tolist() == np.rint(want_rate * want_spend).astype(np.int64).tolist()
    # the repeat customer first; one just seen (T=0) before one who has not come back for a year
    assert got[0] > got[2] > got[1] > 0


def test_the_model_survives_its_json_and_refuses_anything_else():
    rng = np.random.default_rng(9)
    T = rng.uniform(20, 80, 3_000)
    x, t_x, _ = simulate(rng, 3_000, T=T, **CDNOW)
    s = ltv.Summary(x, t_x, T, rng.gamma(3, 10_000, x.size))
    model = ltv.fit(s)
    assert (model.visits, model.spend) == ("bgnbd", "gamma_gamma")
    again = ltv.Model.from_json(json.loads(json.dumps(model.to_json())))
    assert again == model
    assert (ltv.predict_cents(again, s) == ltv.predict_cents(model, s)).all()
    for bad in ({"visits": "magic"}, {"visits": "bgnbd", "r": "nan"}, {"spend": "gamma_gamma", "p": float("inf")}):
        with pytest.raises(ValueError):
            ltv.Model.from_json(bad)


def test_a_large_chain_is_fitted_on_the_same_sample_every_time(monkeypatch):
    monkeypatch.setattr(ltv, "MAX_SAMPLE", 2_000)
    rng = np.random.default_rng(10)
    T = rng.uniform(20, 80, 5_000)
    x, t_x, _ = simulate(rng, 5_000, T=T, **CDNOW)
    s = ltv.Summary(x, t_x, T, rng.gamma(3, 10_000, x.size))
    first, second = ltv.fit(s), ltv.fit(s)
    assert first == second and first.customers == 2_000


# --- calibration on a real HQ --------------------------------------------------------------

def _history(rng: np.random.Generator, n: int) -> list[list[float]]:
    """Each customer's visit weeks before NOW (BG/NBD, first seen up to three years ago)."""
    out = []
    for _ in range(n):
        lam, p, t = rng.gamma(3.0, 1 / 40), rng.beta(1.0, 8.0), 0.0
        start = rng.uniform(0, 156)                        # weeks before NOW
        weeks = [0.0]
        while True:
            t += rng.exponential(1 / lam)
            if t > start:
                break
            weeks.append(t)
            if rng.random() < p:
                break
        out.append([start - w for w in weeks])             # weeks before NOW
    return out


def test_calibration_on_a_postgresql_hq_compares_the_holdout_by_decile(hq, make_store, capsys):
    store = make_store("SA", hq)
    rng = np.random.default_rng(11)
    history = _history(rng, 160)
    ids = []
    cutoff = NOW - timedelta(days=365)
    want_actual, want_customers = 0, 0
    with clock.pinned(NOW - timedelta(days=1200)), store.db.session(write=True) as s:
        for i, weeks in enumerate(history):
            c = customers.create_customer(s, store.admin, given_name=f"Buyer{i}", family_name="Test")
            ids.append(c.id)
            ats = [NOW - timedelta(weeks=w) for w in weeks]
            for at in ats:
                s.add(Purchase(customer_id=c.id, store_id=store.store_id, at=at, description="Charger",
                               sku="CHG-20W", total_cents=14_900, currency="CNY"))
            refund = i % 10 == 0 and ats[-1] >= cutoff
            if refund:                                     # a refund takes value off, it is no visit
                s.add(Purchase(customer_id=c.id, store_id=store.store_id, at=ats[-1], description="Charger",
                               sku="CHG-20W", total_cents=-14_900, currency="CNY", kind="refund"))
            if min(ats) < cutoff and i != 1:
                want_customers += 1
                want_actual += 14_900 * sum(at >= cutoff for at in ats) - (14_900 if refund else 0)
    with clock.pinned(NOW - timedelta(days=1)), store.db.session(write=True) as s:
        privacy.erase_customer(s, store.admin, ids[1])     # an erased customer's history counts no more
    report = store.sync()
    assert report.rejected == 0

    result = ltv.calibrate(hq.engine, now=NOW, holdout_days=365)
    assert result.cutoff == cutoff.date()
    assert result.customers == want_customers, "customers first seen in the holdout are left out"
    assert result.actual_cents == want_actual
    assert result.model.visits == "bgnbd" and result.model.repeaters >= ltv.MIN_REPEATERS
    assert [d.decile for d in result.deciles] == list(range(1, 11))
    assert sum(d.customers for d in result.deciles) == result.customers
    assert sum(d.predicted_cents for d in result.deciles) == result.predicted_cents
    assert sum(d.actual_cents for d in result.deciles) == result.actual_cents
    assert result.deciles[0].predicted_cents >= result.deciles[-1].predicted_cents
    assert result.deciles[0].actual_cents > result.deciles[-1].actual_cents, "the top tenth does spend more"
    assert 0.5 < result.predicted_visits / result.actual_visits < 2, "simulated from the model: the right size"

    with clock.pinned(NOW):
        assert hq_main(["crm", "calibrate", "--db", hq.db_url, "--holdout-days", "365"]) == 0
    printed = capsys.readouterr().out
    assert printed.strip() == result.table().strip()
    lines = printed.splitlines()
    head = next(i for i, line in enumerate(lines) if line.split()[:1] == ["decile"])
    assert [line.split()[0] for line in lines[head + 1:head + 12]] == [str(d) for d in range(1, 11)] + ["total"]
    assert "Mean absolute error per customer" in printed
