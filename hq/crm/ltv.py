"""Each customer's predicted value for the next 12 months (issue 23, "Lifetime value"), and a
calibration that shows how far to trust it.

Two models, written from their papers, over numpy arrays (one entry per customer):

- **BG/NBD** for how many visits a customer still makes: P. S. Fader, B. G. S. Hardie and
  K. L. Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the Pareto/NBD
  Model", *Marketing Science* 24(2), 275-284. While active a customer buys at rate λ
  (Poisson; λ ~ Gamma(r, α) across customers); after each repeat visit he leaves for good
  with probability p (p ~ Beta(a, b)). The likelihood of (x, t_x, T) is the paper's eq. 6,
  taken in logs as in Fader, Hardie & Lee (2005), "Implementing the BG/NBD Model for
  Customer Base Analysis in Excel" (ln A1 + ln A2 + ln(e^ln A3 + δ e^ln A4)). The expected
  visits in the next t weeks is eq. 10; its hypergeometric term
  ``((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)``, z = t/(α+T+t), is evaluated after
  Euler's transformation (Abramowitz & Stegun 15.3.3) as ``(1-z)^(a-1) 2F1(a+b-1-r, a-1;
  a+b+x-1; z)``, which stays finite for a customer of many visits. P(alive) is the
  denominator of eq. 10 (Fader, Hardie & Lee 2008, "Computing P(alive) Using the BG/NBD
  Model"). The formulas hold for any a != 1 (the paper's CDNOW fit has a = 0.79); a within
  1e-4 of 1 is evaluated just either side and averaged.
- **Gamma-Gamma** for how much a visit is worth: P. S. Fader and B. G. S. Hardie (2013),
  "The Gamma-Gamma Model of Monetary Value". A visit's value is Gamma(p, ν), ν ~ Gamma(q, γ)
  across customers; the mean of a customer's n visits has the note's marginal density
  ``Γ(pn+q)/(Γ(pn)Γ(q)) γ^q m^(pn-1) n^(pn) / (γ+mn)^(pn+q)`` and the conditional expected
  value ``p(γ + n m)/(pn + q - 1)``: a weighted mean of the chain's (pγ/(q-1)) and the
  customer's own. It is fitted on repeat customers with a positive mean (the note's
  assumption: spend independent of visits; a one-visit customer's mean tells too little);
  here m is the mean over all n = x + 1 visits (the contract's ``Summary.m``), q > 1 is
  imposed (q = 1 + e^θ) so the chain's mean exists, and values are fitted in units of the
  sample's mean (γ scales back).

The predicted 12-month value is E[visits in 52 weeks] × E[value of a visit], in cents.

Fits are maximum likelihood on log-parameters (``scipy.optimize.minimize``, L-BFGS-B, bounded
to e^±9), over a deterministic sample of at most 200,000 customers. With fewer than
``MIN_REPEATERS`` repeat customers (a small or new chain) there is too little to fit, so a
documented fallback gives every customer a number all the same:

- visits: the customer's own repeat rate shrunk to the chain's, ``(x + ρW)/(T + W)`` per
  week, ρ = Σx/ΣT the chain's repeat visits per customer-week, W = 52 weeks of prior weight
  (the historic yearly rate, trusted more the longer a customer has been seen);
- value: the customer's mean shrunk to the chain's mean visit value by one visit,
  ``(n m + m̄)/(n + 1)``.

Predictions are finite and >= 0 whatever the input (non-finite terms are replaced by their
bounds, values clipped): a NaN never reaches a customer's row.

:func:`calibrate` checks the model on the chain's own history: it fits on the activity before
``now - holdout_days``, predicts each customer's value over the holdout and compares with what
the customer actually spent (totals, mean absolute error, deciles of prediction). The
activity is what the scores read (:func:`hq.crm.features.activity`, the one rule of what a
visit and a value are), so the calibration judges the very numbers customers are given.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from scipy import optimize, special
from sqlalchemy import Engine, select

from hq.crm import features

MIN_REPEATERS = 50              # fewer repeat customers than this: the fallback (see above)
MAX_SAMPLE = 200_000            # customers a fit reads at most
SAMPLE_SEED = 23                # the sample is the same for the same customers in the same order
PRIOR_WEEKS = 52.0              # the fallback's prior weight, in weeks of the chain's rate
MAX_CENTS = 10**13              # a prediction is clipped here (a hundred billion in the currency)
_LOG_BOUND = 9.0                # parameters stay within e^±9 while fitting
_A_NEAR_ONE = 1e-4


@dataclass(frozen=True)
class Summary:
    """Per customer (the same order in every array): ``x`` repeat visits (visits - 1),
    ``t_x`` weeks from the first to the last visit, ``T`` weeks from the first visit to now,
    ``m`` the mean value of a visit in cents (>= 0). Coerced to float arrays, cleaned
    (non-finite or negative -> 0, t_x <= T)."""

    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    m: np.ndarray

    def __post_init__(self) -> None:
        arrays = [np.nan_to_num(np.atleast_1d(np.asarray(v, dtype=float)), nan=0.0, posinf=0.0, neginf=0.0)
                  for v in (self.x, self.t_x, self.T, self.m)]
        if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
            raise ValueError("x, t_x, T and m must be 1-d arrays of one length")
        x, t_x, T, m = (np.maximum(a, 0.0) for a in arrays)
        T = np.maximum(T, t_x)
        for name, value in zip(("x", "t_x", "T", "m"), (np.floor(x), t_x, T, m)):
            object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def take(self, index: np.ndarray) -> Summary:
        return Summary(self.x[index], self.t_x[index], self.T[index], self.m[index])


def summarise(visits: Iterable[tuple[Iterable[date], int]], *, today: date) -> Summary:
    """A :class:`Summary` from each customer's visit days (distinct or not) and value in cents
    (the sum over the visits; refunds off): weeks counted in whole days up to ``today``."""
    rows = []
    for days, cents in visits:
        ds = sorted(set(days))
        if not ds:
            rows.append((0.0, 0.0, 0.0, 0.0))
            continue
        first, last = ds[0], ds[-1]
        rows.append((len(ds) - 1, (last - first).days / 7, max(0, (today - first).days) / 7,
                     max(0, cents) / len(ds)))
    arr = np.array(rows, dtype=float).reshape(-1, 4)
    return Summary(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])


@dataclass(frozen=True)
class Model:
    """A fitted model: ``visits`` "bgnbd" (r, alpha, a, b) or "rate" (the fallback's chain rate
    ``rate`` per customer-week); ``spend`` "gamma_gamma" (p, q, gamma in cents) or "mean" (the
    fallback's ``mean_cents``). ``customers``/``repeaters``: what it was fitted on."""

    visits: str = "rate"
    spend: str = "mean"
    r: float = 0.0
    alpha: float = 0.0
    a: float = 0.0
    b: float = 0.0
    p: float = 0.0
    q: float = 0.0
    gamma: float = 0.0
    rate: float = 0.0
    mean_cents: float = 0.0
    customers: int = 0
    repeaters: int = 0

    _FLOATS = ("r", "alpha", "a", "b", "p", "q", "gamma", "rate", "mean_cents")

    def to_json(self) -> dict[str, Any]:
        return {"visits": self.visits, "spend": self.spend, "customers": self.customers,
                "repeaters": self.repeaters, **{k: float(getattr(self, k)) for k in self._FLOATS}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Model:
        visits, spend = str(data.get("visits", "rate")), str(data.get("spend", "mean"))
        if visits not in ("bgnbd", "rate") or spend not in ("gamma_gamma", "mean"):
            raise ValueError("not a lifetime value model")
        numbers = {k: float(data.get(k, 0.0)) for k in cls._FLOATS}
        if not all(math.isfinite(v) for v in numbers.values()):
            raise ValueError("not a lifetime value model")
        return cls(visits=visits, spend=spend, customers=int(data.get("customers", 0)),
                   repeaters=int(data.get("repeaters", 0)), **numbers)

    def describe(self) -> str:
        """One line of the fitted parameters, for the CLI and the docs."""
        if self.visits == "bgnbd":
            v = f"BG/NBD r={self.r:.4g} alpha={self.alpha:.4g} a={self.a:.4g} b={self.b:.4g}"
        else:
            v = f"fallback rate={self.rate:.4g} repeat visits per customer-week"
        if self.spend == "gamma_gamma":
            s = f"Gamma-Gamma p={self.p:.4g} q={self.q:.4g} gamma={self.gamma:.4g}"
        else:
            s = f"fallback mean visit={self.mean_cents / 100:.2f}"
        return f"{v}; {s} (fitted on {self.customers} customers, {self.repeaters} repeat)"


# --- BG/NBD ------------------------------------------------------------------------------

def bgnbd_loglik(params: Sequence[float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood under BG/NBD (r, alpha, a, b): eq. 6, in logs."""
    r, alpha, a, b = params
    with np.errstate(all="ignore"):
        ln_a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
        ln_a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
        ln_a3 = -(r + x) * np.log(alpha + T)
        repeat = x > 0
        bx1 = np.where(repeat, b + x - 1, 1.0)
        ln_a4 = np.where(repeat, np.log(a) - np.log(bx1) - (r + x) * np.log(alpha + t_x), -np.inf)
        return ln_a1 + ln_a2 + np.logaddexp(ln_a3, ln_a4)


def p_alive(model: Model, summary: Summary) -> np.ndarray:
    """The probability each customer is still a customer (BG/NBD; 1 under the fallback)."""
    x, t_x, T = summary.x, summary.t_x, summary.T
    if model.visits != "bgnbd":
        return np.ones_like(x)
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    with np.errstate(all="ignore"):
        bx1 = np.where(x > 0, b + x - 1, 1.0)
        odds = np.log(a) - np.log(bx1) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        return np.where(x > 0, special.expit(-odds), 1.0)


def _bracket(a: float, b: float, r: float, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """(a+b+x-1)/(a-1) × [1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)] (eq. 10 after Euler)."""
    c = a + b + x - 1
    with np.errstate(all="ignore"):
        return c / (a - 1) * (1 - np.power(1 - z, a - 1) * special.hyp2f1(a + b - 1 - r, a - 1, c, z))


def expected_visits(model: Model, summary: Summary, weeks: float) -> np.ndarray:
    """Each customer's expected visits in the next ``weeks`` (BG/NBD eq. 10, or the fallback's
    shrunk rate), finite and >= 0."""
    x, t_x, T = summary.x, summary.t_x, summary.T
    t = max(0.0, float(weeks))
    if model.visits != "bgnbd":
        with np.errstate(all="ignore"):
            rate = (x + model.rate * PRIOR_WEEKS) / (T + PRIOR_WEEKS)
        return np.clip(np.nan_to_num(rate * t, nan=0.0, posinf=0.0), 0.0, None)
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    with np.errstate(all="ignore"):
        z = t / (alpha + T + t)
        if abs(a - 1) < _A_NEAR_ONE:
            bracket = (_bracket(1 - _A_NEAR_ONE, b, r, x, z) + _bracket(1 + _A_NEAR_ONE, b, r, x, z)) / 2
        else:
            bracket = _bracket(a, b, r, x, z)
        alive = p_alive(model, summary)
        # without dropout an active customer's expected visits are E[λ]t = (r+x)/(α+T) t: a bound
        bound = alive * (r + x) / (alpha + T) * t
        e = alive * bracket
    e = np.where(np.isfinite(e), e, bound)
    return np.clip(np.nan_to_num(e, nan=0.0, posinf=0.0), 0.0, np.nan_to_num(bound, nan=0.0, posinf=0.0))


def _fit_bgnbd(s: Summary) -> tuple[float, float, float, float] | None:
    x, t_x, T = s.x, s.t_x, s.T
    n = len(s)

    def nll(theta: np.ndarray) -> float:
        value = -float(np.sum(bgnbd_loglik(np.exp(theta), x, t_x, T))) / n
        return value if math.isfinite(value) else 1e300

    start = np.log([1.0, max(float(np.mean(T)), 1.0), 1.0, 1.0])
    res = optimize.minimize(nll, start, method="L-BFGS-B", bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4)
    if not np.all(np.isfinite(res.x)) or not math.isfinite(res.fun) or res.fun >= 1e300:
        return None
    r, alpha, a, b = (float(v) for v in np.exp(res.x))
    return r, alpha, a, b


# --- Gamma-Gamma ---------------------------------------------------------------------------

def gamma_gamma_loglik(params: Sequence[float], n: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood of the mean ``m`` of ``n`` visits under (p, q, gamma)."""
    p, q, gamma = params
    pn = p * n
    with np.errstate(all="ignore"):
        return (special.gammaln(pn + q) - special.gammaln(pn) - special.gammaln(q) + q * np.log(gamma)
                + (pn - 1) * np.log(m) + pn * np.log(n) - (pn + q) * np.log(gamma + m * n))


def expected_spend(model: Model, summary: Summary) -> np.ndarray:
    """Each customer's expected value of a visit, in cents (Gamma-Gamma, or the fallback)."""
    n, m = summary.x + 1, summary.m
    with np.errstate(all="ignore"):
        if model.spend == "gamma_gamma":
            e = model.p * (model.gamma + n * m) / (model.p * n + model.q - 1)
        else:
            e = (n * m + model.mean_cents) / (n + 1)
    return np.clip(np.nan_to_num(e, nan=0.0, posinf=0.0), 0.0, MAX_CENTS)


def _fit_gamma_gamma(n: np.ndarray, m: np.ndarray) -> tuple[float, float, float] | None:
    scale = float(np.mean(m))
    mm = m / scale
    count = len(m)

    def nll(theta: np.ndarray) -> float:
        p, q, gamma = math.exp(theta[0]), 1 + math.exp(theta[1]), math.exp(theta[2])
        value = -float(np.sum(gamma_gamma_loglik((p, q, gamma), n, mm))) / count
        return value if math.isfinite(value) else 1e300

    res = optimize.minimize(nll, np.zeros(3), method="L-BFGS-B", bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 3)
    if not np.all(np.isfinite(res.x)) or not math.isfinite(res.fun) or res.fun >= 1e300:
        return None
    return math.exp(res.x[0]), 1 + math.exp(res.x[1]), math.exp(res.x[2]) * scale


# --- the model as a whole -----------------------------------------------------------------

def _sample(summary: Summary) -> Summary:
    if len(summary) <= MAX_SAMPLE:
        return summary
    index = np.sort(np.random.default_rng(SAMPLE_SEED).choice(len(summary), MAX_SAMPLE, replace=False))
    return summary.take(index)


def fit(summary: Summary) -> Model:
    """The model for these customers: BG/NBD + Gamma-Gamma when there are at least
    ``MIN_REPEATERS`` repeat customers (with a positive mean, for the spend), else the
    fallback for the part that cannot be fitted."""
    s = _sample(summary)
    n_visits = s.x + 1
    total_visits = float(np.sum(n_visits))
    mean_cents = float(np.sum(s.m * n_visits)) / total_visits if len(s) else 0.0
    weeks = float(np.sum(s.T))
    rate = float(np.sum(s.x)) / weeks if weeks > 0 else 0.0
    repeaters = int(np.sum(s.x > 0))
    common: dict[str, Any] = {"rate": rate, "mean_cents": mean_cents, "customers": len(s), "repeaters": repeaters}
    visits: dict[str, Any] = {"visits": "rate"}
    if repeaters >= MIN_REPEATERS:
        fitted = _fit_bgnbd(s)
        if fitted is not None:
            visits = {"visits": "bgnbd", **dict(zip(("r", "alpha", "a", "b"), fitted))}
    spend: dict[str, Any] = {"spend": "mean"}
    spenders = (s.x > 0) & (s.m > 0)
    if int(np.sum(spenders)) >= MIN_REPEATERS:
        gg = _fit_gamma_gamma(n_visits[spenders], s.m[spenders])
        if gg is not None:
            spend = {"spend": "gamma_gamma", **dict(zip(("p", "q", "gamma"), gg))}
    return Model(**common, **visits, **spend)


def predict_cents(model: Model, summary: Summary, weeks: float = 52) -> np.ndarray:
    """Each customer's predicted value over the next ``weeks``: expected visits × expected
    value of a visit, in whole cents (int64, 0..MAX_CENTS)."""
    value = expected_visits(model, summary, weeks) * expected_spend(model, summary)
    value = np.clip(np.nan_to_num(value, nan=0.0, posinf=float(MAX_CENTS)), 0.0, float(MAX_CENTS))
    return np.rint(value).astype(np.int64)


# --- the chain's activity, and the calibration ----------------------------------------------

@dataclass(frozen=True)
class Act:
    """One piece of a customer's activity: a visit (a sale, a paid repair, a trade-in) or a
    refund (value only, negative)."""
    customer_id: uuid.UUID
    day: date                   # the UTC day
    cents: int                  # negative for a refund
    visit: bool


def read_activity(engine: Engine, *, until: datetime) -> list[Act]:
    """The chain's activity up to ``until`` by the one rule of :mod:`hq.crm.features` (the
    scores' own query: purchases, paid repairs, trade-ins), of live customers only (not
    deleted, erased or merged into another), each with its UTC day."""
    if until.tzinfo is None:
        until = until.replace(tzinfo=timezone.utc)
    with engine.connect() as conn:
        act = features.activity(conn, features.Window.at(until))
        live = features.features(conn, until).subquery("live")
        rows = conn.execute(select(act.c.cid, act.c.day, act.c.cents, act.c.visit)
                            .join(live, live.c.customer_id == act.c.cid))
        return [Act(cid, date.fromisoformat(day), int(cents or 0), bool(visit)) for cid, day, cents, visit in rows]


@dataclass(frozen=True)
class Decile:
    decile: int                 # 1: the tenth of customers with the highest predictions
    customers: int
    predicted_cents: int
    actual_cents: int
    predicted_visits: float
    actual_visits: int


@dataclass(frozen=True)
class Calibration:
    """How the model fitted before ``cutoff`` predicted the holdout (``cutoff`` .. ``now``)."""
    now: datetime
    cutoff: date
    holdout_days: int
    model: Model
    customers: int              # customers seen before the cutoff
    predicted_cents: int
    actual_cents: int
    predicted_visits: float
    actual_visits: int
    mae_cents: float            # mean absolute error per customer
    baseline_mae_cents: float   # the same for the fallback (historic rate × mean visit)
    deciles: tuple[Decile, ...] = field(default_factory=tuple)

    def table(self) -> str:
        """The calibration as a plain-text table (amounts in the currency's units)."""
        def money(cents: float) -> str:
            return f"{cents / 100:,.0f}"

        def ratio(a: float, b: float) -> str:
            return f"{a / b:.2f}" if b else "-"
        lines = [f"Holdout {self.cutoff.isoformat()} .. {self.now.date().isoformat()} ({self.holdout_days} days); "
                 f"fitted on the {self.customers} customers seen before it",
                 self.model.describe(), "",
                 f"{'decile':>6} {'customers':>9} {'predicted':>12} {'actual':>12} {'pred/act':>8} "
                 f"{'visits pred':>11} {'visits act':>10}"]
        for d in self.deciles:
            lines.append(f"{d.decile:>6} {d.customers:>9} {money(d.predicted_cents):>12} {money(d.actual_cents):>12} "
                         f"{ratio(d.predicted_cents, d.actual_cents):>8} {d.predicted_visits:>11.1f} "
                         f"{d.actual_visits:>10}")
        lines.append(f"{'total':>6} {self.customers:>9} {money(self.predicted_cents):>12} "
                     f"{money(self.actual_cents):>12} {ratio(self.predicted_cents, self.actual_cents):>8} "
                     f"{self.predicted_visits:>11.1f} {self.actual_visits:>10}")
        lines += ["", f"Mean absolute error per customer: {self.mae_cents / 100:,.2f} "
                      f"(the fallback's, historic rate x mean visit: {self.baseline_mae_cents / 100:,.2f})"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def calibrate(engine: Engine, *, now: datetime, holdout_days: int = 365) -> Calibration:
    """Fit on the activity before ``now - holdout_days`` (UTC days), predict each customer's
    value over the holdout, compare with what each actually spent in it. Customers first seen
    in the holdout are left out (nothing was known of them at the cutoff)."""
    if holdout_days < 1:
        raise ValueError("holdout_days must be at least 1")
    now = now.astimezone(timezone.utc) if now.tzinfo else now.replace(tzinfo=timezone.utc)
    cutoff = (now - timedelta(days=holdout_days)).date()
    before: dict[uuid.UUID, tuple[set[date], list[int]]] = defaultdict(lambda: (set(), [0]))
    after: dict[uuid.UUID, tuple[set[date], list[int]]] = defaultdict(lambda: (set(), [0]))
    for act in read_activity(engine, until=now):
        days, cents = (before if act.day < cutoff else after)[act.customer_id]
        cents[0] += act.cents
        if act.visit:
            days.add(act.day)
    ids = sorted((cid for cid, (days, _) in before.items() if days), key=str)
    summary = summarise(((before[c][0], before[c][1][0]) for c in ids), today=cutoff)
    model = fit(summary)
    weeks = holdout_days / 7
    predicted = predict_cents(model, summary, weeks)
    visits = expected_visits(model, summary, weeks)
    baseline = predict_cents(Model(rate=model.rate, mean_cents=model.mean_cents), summary, weeks)
    actual = np.array([after[c][1][0] if c in after else 0 for c in ids], dtype=np.int64)
    actual_visits = np.array([len(after[c][0]) if c in after else 0 for c in ids], dtype=np.int64)
    order = np.argsort(-predicted, kind="stable")
    deciles = tuple(
        Decile(i + 1, len(part), int(predicted[part].sum()), int(actual[part].sum()), float(visits[part].sum()),
               int(actual_visits[part].sum()))
        for i, part in enumerate(np.array_split(order, 10)) if len(part))
    n = max(len(ids), 1)
    return Calibration(
        now=now, cutoff=cutoff, holdout_days=holdout_days, model=model, customers=len(ids),
        predicted_cents=int(predicted.sum()), actual_cents=int(actual.sum()), predicted_visits=float(visits.sum()),
        actual_visits=int(actual_visits.sum()), mae_cents=float(np.abs(predicted - actual).sum()) / n,
        baseline_mae_cents=float(np.abs(baseline - actual).sum()) / n, deciles=deciles)
