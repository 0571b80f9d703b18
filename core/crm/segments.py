"""RFM scores, named segments and value bands: one rule, used by HQ's recompute for the whole
chain (:mod:`hq.crm.scores`) and by the tests' hand-computed fixture.

Scores (1..5) are the chain's quintiles by rank. Of the ``n`` customers with at least one
visit, a customer's rank for a measure is 1 + the number of those customers with a strictly
worse value (recency: an older last visit; frequency: fewer visits; monetary: less value to
date), and the score is ``1 + (5 * (rank - 1)) // n`` (:func:`score_by_rank`). Ties share a
rank, so they share a score, and the best fifth by rank scores 5. A customer with no visit
yet has 0, 0, 0 and the segment ``none``.

The rank is what SQL's ``rank() OVER (ORDER BY value)`` gives, so HQ ranks a million
customers in one query. To score a few customers between two full recomputes, HQ keeps the
chain's *bounds* (:func:`bounds`): for each score 2..5 the smallest value that reached it.
:func:`score_from_bounds` then gives any value the score it would have had in the last full
ranking (a value in that ranking gets exactly its score back).

Segments come from recency and frequency (the first matching row of :data:`SEGMENT_RULES`);
the value band from monetary alone (:func:`value_band`). Their words are the catalogue's
(:mod:`core.terms`, kinds ``segment`` and ``value_band``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from core import terms
from core.crm import NO_SEGMENT, SEGMENTS

SCORES = (1, 2, 3, 4, 5)

# (segment, recency scores, frequency scores): the first row that holds both wins
SEGMENT_RULES: tuple[tuple[str, frozenset[int], frozenset[int]], ...] = (
    ("lost", frozenset({1}), frozenset({1, 2})),
    ("hibernating", frozenset({2}), frozenset({1, 2})),
    ("at_risk", frozenset({1, 2}), frozenset({3, 4})),
    ("cant_lose", frozenset({1, 2}), frozenset({5})),
    ("needs_attention", frozenset({3}), frozenset({1, 2, 3})),
    ("loyal", frozenset({3, 4}), frozenset({4, 5})),
    ("promising", frozenset({4}), frozenset({1})),
    ("new", frozenset({5}), frozenset({1})),
    ("potential", frozenset({4, 5}), frozenset({2, 3})),
    ("champions", frozenset({5}), frozenset({4, 5})),
)

# monetary score -> value band ("" for a customer with no visit)
_BANDS = {5: "top", 4: "high", 3: "mid", 2: "mid", 1: "low"}

Bound = float | None


def score_by_rank(rank: int, n: int) -> int:
    """The score (1..5) of the ``rank``-th (1 = worst) of ``n`` ranked customers."""
    if n < 1 or not 1 <= rank <= n:
        raise ValueError("rank must be within 1..n")
    return 1 + (5 * (rank - 1)) // n


def bounds(scored: Iterable[tuple[float, int]]) -> list[Bound]:
    """For each score 2..5, the smallest value among ``(value, score)`` pairs whose score
    reached it (None when no value did: a chain of fewer than five customers)."""
    out: list[Bound] = [None, None, None, None]
    for value, score in scored:
        for k in range(2, min(score, 5) + 1):
            b = out[k - 2]
            if b is None or value < b:
                out[k - 2] = value
    return out


def merge_bounds(a: Sequence[Bound], b: Sequence[Bound]) -> list[Bound]:
    """The bounds of two parts of one ranking (the smaller of each)."""
    return [x if y is None else y if x is None else min(x, y) for x, y in zip(a, b)]


def score_from_bounds(value: float, bounds: Sequence[Bound]) -> int:
    """The score ``value`` would have had in the ranking the bounds were taken from:
    1 + the number of scores 2..5 whose bound it reaches."""
    return 1 + sum(1 for b in bounds if b is not None and value >= b)


def segment(recency: int, frequency: int) -> str:
    """The segment of a customer's R and F scores (1..5); ``none`` when either is 0 (no visit)."""
    if recency == 0 or frequency == 0:
        return NO_SEGMENT
    for code, rs, fs in SEGMENT_RULES:
        if recency in rs and frequency in fs:
            return code
    raise ValueError("scores must be within 0..5")


def value_band(monetary: int) -> str:
    """The value band of a monetary score: 5 top, 4 high, 2-3 mid, 1 low, 0 (no visit) ""."""
    if monetary == 0:
        return ""
    try:
        return _BANDS[monetary]
    except KeyError:
        raise ValueError("a monetary score is within 0..5") from None


def segment_name(code: str, lang: str) -> str:
    """A segment in ``lang``, in the catalogue's words (no code: ``none``'s)."""
    return terms.term(code or NO_SEGMENT, lang, "segment")


def value_band_name(code: str, lang: str) -> str:
    """A value band in ``lang``, in the catalogue's words ("" for none)."""
    return terms.term(code, lang, "value_band")


__all__ = ["SCORES", "SEGMENTS", "SEGMENT_RULES", "bounds", "merge_bounds", "score_by_rank", "score_from_bounds",
           "segment", "segment_name", "value_band", "value_band_name"]
