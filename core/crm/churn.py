"""Churn risk: how likely a customer is to stop coming, as a score 0..100 the manager can sort
by, with the reasons in words. One rule, applied by HQ to every customer of the chain
(:mod:`hq.crm.scores` gathers the :class:`Features` in SQL) and worded at the counter.

The rule (:func:`assess`) adds up five signals; the score is the sum, at most 100:

=====================  ===========  ==========================================================
signal                 points       reason shown (``core.terms`` kind ``churn_reason``)
=====================  ===========  ==========================================================
overdue                0..55        ``no_visit``: "No visit for {months} months, usually every
                                    {usual}" (>= 2 visits, and at least twice the usual gap
                                    and two months gone); ``no_visit_once``: "No visit for
                                    {months} months" (one visit, over a year ago)
complaints             10 each,     ``complaints``: "{count} complaints in {days} days"
                       at most 30   (2 or more feedback rows in the last 90 days)
points expiring        10           ``points_expiring``: "{points} points expiring, none
                                    redeemed" (points that expire within 60 days, and no
                                    redemption in the last 365 days)
activity falling       15           ``activity_falling``: "Visits down from {before} to {now}
                                    a year" (the last 365 days at most half the 365 before,
                                    which had 2 or more)
=====================  ===========  ==========================================================

Overdue: the customer's usual gap between visits ``g`` (the days from the first visit to the
last over the visits between, at least 30; for a one-visit customer a year) against the days since the
last visit ``d``: ``55 * (d / g - 1) / 3`` points, from 0 when a visit is due to 55 once
four gaps have passed. It only grows with ``d``, so the score never falls as a customer
stays away (the other signals unchanged). A customer with no visit has no overdue points.

The weights put absence first (the strongest sign in retail data that a customer has gone),
then what tells why they might go (complaints), then what a store can still act on (points
about to lapse, a slowing rhythm). Months are whole months (``days * 12 // 365``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from core import terms
from core.crm import CHURN_CODES

OVERDUE_MAX = 55
COMPLAINT_POINTS = 10
COMPLAINTS_MAX = 30
COMPLAINT_DAYS = 90
MIN_COMPLAINTS = 2
POINTS_EXPIRING = 10
EXPIRY_DAYS = 60              # points that lapse within this many days
REDEEM_DAYS = 365             # ... and no redemption within this many
FALLING_POINTS = 15
ONCE_GAP_DAYS = 365           # the usual gap assumed for a one-visit customer
MIN_GAP_DAYS = 30.0           # a gap shorter than a month counts as a month


class Features(NamedTuple):
    """What the rule reads about one customer (HQ gathers it for the whole chain).

    ``visits``: distinct days with activity; ``days_since_last_visit``: None without a visit;
    ``usual_gap_days``: the mean days between visits (None below 2 visits);
    ``complaints``: feedback rows in the last 90 days; ``expiring_points``: loyalty points that
    lapse within 60 days (no more than the balance); ``redeemed_recently``: a redemption in
    the last 365 days; ``visits_last_year`` / ``visits_year_before``: distinct visit days in
    the last 365 days and in the 365 before them. (A named tuple: HQ makes a million.)"""

    visits: int
    days_since_last_visit: int | None
    usual_gap_days: float | None = None
    complaints: int = 0
    expiring_points: int = 0
    redeemed_recently: bool = False
    visits_last_year: int = 0
    visits_year_before: int = 0


def usual_gap(first_to_last_days: float, visits: int) -> float | None:
    """The mean gap between ``visits`` visits spread over ``first_to_last_days`` (None below two)."""
    if visits < 2:
        return None
    return max(first_to_last_days, 0.0) / (visits - 1)


def months(days: float) -> int:
    """Whole months in ``days``."""
    return int(days * 12 // 365)


def _overdue(f: Features) -> tuple[int, dict[str, Any] | None]:
    d = f.days_since_last_visit
    if d is None or f.visits < 1:
        return 0, None
    d = max(d, 0)
    known = f.visits >= 2 and f.usual_gap_days is not None and f.usual_gap_days > 0
    gap = max(float(f.usual_gap_days), MIN_GAP_DAYS) if known and f.usual_gap_days is not None \
        else float(ONCE_GAP_DAYS)
    ratio = d / gap
    points = min(OVERDUE_MAX, max(0, int(OVERDUE_MAX * (ratio - 1) / 3)))
    reason: dict[str, Any] | None = None
    if known and ratio >= 2 and months(d) >= 2:
        reason = {"code": "no_visit", "months": months(d), "usual": max(1, round(gap * 12 / 365))}
    elif f.visits == 1 and d > ONCE_GAP_DAYS:
        reason = {"code": "no_visit_once", "months": months(d)}
    return points, reason


def assess(f: Features) -> tuple[int, list[dict[str, Any]]]:
    """The churn score (0..100) and its reasons, each ``{"code": one of CHURN_CODES, **int
    params}``, strongest signal first as the table in this module says."""
    score, reason = _overdue(f)
    reasons: list[dict[str, Any]] = [reason] if reason else []
    if f.complaints >= MIN_COMPLAINTS:
        score += min(COMPLAINTS_MAX, COMPLAINT_POINTS * f.complaints)
        reasons.append({"code": "complaints", "count": f.complaints, "days": COMPLAINT_DAYS})
    if f.expiring_points > 0 and not f.redeemed_recently:
        score += POINTS_EXPIRING
        reasons.append({"code": "points_expiring", "points": f.expiring_points})
    if f.visits_year_before >= 2 and 2 * f.visits_last_year <= f.visits_year_before:
        score += FALLING_POINTS
        reasons.append({"code": "activity_falling", "before": f.visits_year_before, "now": f.visits_last_year})
    return min(100, score), reasons


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def reason_text(reason: dict[str, Any], lang: str) -> str:
    """One reason as a person reads it in ``lang`` (the catalogue's template with its numbers);
    an unknown code reads as itself."""
    code = str(reason.get("code", ""))
    template = terms.term(code, lang, "churn_reason")
    if code not in CHURN_CODES:
        return template
    return template.format_map(_Params({k: str(v) for k, v in reason.items() if k != "code"}))


def reasons_text(reasons: list[dict[str, Any]], lang: str) -> tuple[str, ...]:
    """Every reason worded, in order."""
    return tuple(reason_text(r, lang) for r in reasons if isinstance(r, dict))


__all__ = ["CHURN_CODES", "Features", "assess", "months", "reason_text", "reasons_text", "usual_gap"]
