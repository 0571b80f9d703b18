"""The one rule for NPS and CSAT (core.care.scores): standard definitions, with counts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.care.scores import csat, is_low, nps

NPS = st.integers(0, 10)
CSAT = st.integers(1, 5)


@given(st.lists(NPS, min_size=1))
def test_nps_lies_between_minus_100_and_100_and_counts_its_answers(values):
    score = nps(values)
    assert -100 <= score.value <= 100
    assert score.value == round(score.value)
    assert score.count == len(values)


@given(st.lists(st.integers(9, 10), min_size=1))
def test_all_promoters_is_100(values):
    assert nps(values).value == 100


@given(st.lists(st.integers(0, 6), min_size=1))
def test_all_detractors_is_minus_100(values):
    assert nps(values).value == -100


@given(st.lists(st.integers(7, 8), min_size=1))
def test_passives_only_is_0(values):
    assert nps(values).value == 0


def test_nps_rounds_to_a_whole_number_halves_away_from_zero_and_skips_no_answers():
    assert nps([10, 9, 5, None]).value == 33          # 2 promoters, 1 detractor of 3 answers: 33.3
    assert nps([10, 8, 8, 8, 8, 8, 8, 8]).count == 8   # 12.5 -> 13
    assert nps([10, 8, 8, 8, 8, 8, 8, 8]).value == 13
    assert nps([0, 8, 8, 8, 8, 8, 8, 8]).value == -13
    assert nps([]).value is None and nps([None]).count == 0


@given(st.lists(CSAT, min_size=1))
def test_csat_is_the_mean_to_one_decimal_with_the_share_satisfied(values):
    score = csat(values)
    assert 1 <= score.value <= 5
    assert abs(score.value - sum(values) / len(values)) <= 0.05 + 1e-9
    assert score.count == len(values)
    assert abs(score.share - 100 * sum(v >= 4 for v in values) / len(values)) <= 0.5


def test_csat_without_answers_is_none():
    assert csat([None, None]).value is None and csat([]).share is None


@given(st.one_of(st.none(), NPS), st.one_of(st.none(), CSAT))
def test_a_low_answer_is_a_detractor_s_nps_or_a_csat_of_2_or_less(n, c):
    assert is_low(n, c) == ((n is not None and n <= 6) or (c is not None and c <= 2))
