"""The one rule for the customer's scores, used by the store's reports and HQ's figures.

* **NPS** (``nps``): the share of promoters (9–10) minus the share of detractors (0–6), in
  percentage points over the answers with an NPS, rounded to a whole number (halves away
  from zero); from −100 (all detractors) to 100 (all promoters); None without answers.
* **CSAT** (``csat``): the mean 1–5 answer to one decimal (halves up), and the share of
  satisfied answers (4–5) as a whole percentage; None without answers.
* A **low answer** (``is_low``): NPS 0–6 or CSAT 1–2 (a detractor; it opens a call back).

Every :class:`Score` carries ``count``, the answers behind it: a figure is printed with
its count beside it."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
SATISFIED_MIN = 4
CSAT_LOW_MAX = 2


@dataclass(frozen=True)
class Score:
    """A score and the number of answers behind it."""

    value: float | None          # NPS: whole points; CSAT: mean to one decimal; None without answers
    count: int                   # answers behind the value
    share: float | None = None   # CSAT: % satisfied (4–5), whole; NPS: None


def _round(x: Fraction, places: int = 0) -> float:
    """``x`` rounded to ``places`` decimals, halves away from zero (not to even)."""
    scale: int = 10 ** places
    scaled = abs(x) * scale
    whole = int(scaled + Fraction(1, 2))
    signed: int = whole if x >= 0 else -whole
    return signed / scale


def _answers(values: Iterable[int | None]) -> list[int]:
    return [v for v in values if v is not None]


def nps(values: Iterable[int | None]) -> Score:
    """Net Promoter Score over the NPS answers (None entries are no answer)."""
    answers = _answers(values)
    if not answers:
        return Score(None, 0)
    promoters = sum(1 for v in answers if v >= PROMOTER_MIN)
    detractors = sum(1 for v in answers if v <= DETRACTOR_MAX)
    return Score(_round(Fraction(100 * (promoters - detractors), len(answers))), len(answers))


def csat(values: Iterable[int | None]) -> Score:
    """CSAT over the 1–5 answers (None entries are no answer): the mean, and % satisfied."""
    answers = _answers(values)
    if not answers:
        return Score(None, 0)
    satisfied = sum(1 for v in answers if v >= SATISFIED_MIN)
    return Score(_round(Fraction(sum(answers), len(answers)), 1), len(answers),
                 _round(Fraction(100 * satisfied, len(answers))))


def is_low(nps_answer: int | None, csat_answer: int | None) -> bool:
    """A detractor's answer: NPS 0–6 or CSAT 1–2."""
    return ((nps_answer is not None and nps_answer <= DETRACTOR_MAX)
            or (csat_answer is not None and csat_answer <= CSAT_LOW_MAX))


__all__ = ["Score", "csat", "is_low", "nps"]
