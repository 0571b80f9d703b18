"""The rules of issue 23's scores, for every input (core.crm.segments, core.crm.churn): every
(R, F) has one segment, scores by rank stay in 1..5 and never fall as a value grows, the
bounds give back the scores they were taken from, churn risk stays in 0..100 and grows with
the days a customer stays away, and every reason reads in English and Chinese."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.crm import CHURN_CODES, NO_SEGMENT, SEGMENTS, VALUE_BANDS, churn, segments
from core.terms import LANGUAGES, TERMS


def test_every_r_and_f_maps_to_exactly_one_segment():
    for r in segments.SCORES:
        for f in segments.SCORES:
            matching = [code for code, rs, fs in segments.SEGMENT_RULES if r in rs and f in fs]
            assert len(matching) == 1, (r, f, matching)
            assert segments.segment(r, f) == matching[0] in SEGMENTS
    assert {segments.segment(r, f) for r in segments.SCORES for f in segments.SCORES} == set(SEGMENTS)
    assert segments.segment(0, 0) == NO_SEGMENT


def test_value_bands_and_names_in_both_languages():
    assert [segments.value_band(m) for m in range(6)] == ["", "low", "mid", "mid", "high", "top"]
    assert set(VALUE_BANDS) == {segments.value_band(m) for m in range(1, 6)}
    for lang in LANGUAGES:
        for code in (*SEGMENTS, NO_SEGMENT):
            assert segments.segment_name(code, lang) == TERMS["segment"][code][lang]
        assert segments.value_band_name("top", lang) == TERMS["value_band"]["top"][lang]
        assert segments.segment_name("", lang) == TERMS["segment"][NO_SEGMENT][lang]     # no score yet
        assert segments.value_band_name("", lang) == ""                                 # no spend yet
    assert segments.segment_name("cant_lose", "zh_CN") == "不能失去"


def _ranks(values: list[int]) -> list[int]:
    """SQL's rank() over the values ascending: 1 + how many are strictly smaller."""
    return [1 + sum(1 for w in values if w < v) for v in values]


@given(st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=60))
def test_score_by_rank_is_within_1_to_5_and_monotone(values):
    n = len(values)
    scores = [segments.score_by_rank(rank, n) for rank in _ranks(values)]
    assert all(1 <= s <= 5 for s in scores)
    for v, s in zip(values, scores):
        for w, t in zip(values, scores):
            if v < w:
                assert s <= t
            if v == w:
                assert s == t                   # ties share a rank, so a score
    if len(set(values)) == n >= 5:        # five or more distinct values use the whole scale
        assert max(scores) == 5 and min(scores) == 1


@given(st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=60), st.integers(-12_000, 12_000))
def test_bounds_give_back_the_ranking_scores_and_order_any_other_value(values, other):
    n = len(values)
    scores = [segments.score_by_rank(rank, n) for rank in _ranks(values)]
    half = n // 2
    b = segments.merge_bounds(segments.bounds(zip(values[:half], scores[:half])),
                              segments.bounds(zip(values[half:], scores[half:])))
    assert [segments.score_from_bounds(v, b) for v in values] == scores
    s = segments.score_from_bounds(other, b)
    assert 1 <= s <= 5
    assert all(s >= t for v, t in zip(values, scores) if other >= v)
    assert all(s <= t for v, t in zip(values, scores) if other <= v)


features = st.builds(
    churn.Features,
    visits=st.integers(0, 200),
    days_since_last_visit=st.none() | st.integers(0, 5000),
    usual_gap_days=st.none() | st.floats(0, 2000, allow_nan=False),
    complaints=st.integers(0, 20),
    expiring_points=st.integers(0, 100_000),
    redeemed_recently=st.booleans(),
    visits_last_year=st.integers(0, 100),
    visits_year_before=st.integers(0, 100),
)


@given(features)
def test_churn_score_is_0_to_100_and_every_reason_reads_in_both_languages(f):
    score, reasons = churn.assess(f)
    assert 0 <= score <= 100
    for reason in reasons:
        assert reason["code"] in CHURN_CODES
        assert all(isinstance(v, int) for k, v in reason.items() if k != "code")
        for lang in LANGUAGES:
            text = churn.reason_text(reason, lang)
            assert text and "{" not in text and "}" not in text


@given(features, st.integers(0, 3000), st.integers(0, 3000))
def test_churn_grows_with_the_days_since_the_last_visit(f, d1, d2):
    early, late = sorted((d1, d2))
    assert churn.assess(f._replace(days_since_last_visit=early))[0] <= \
        churn.assess(f._replace(days_since_last_visit=late))[0]


def test_the_reasons_read_as_the_issue_words_them():
    # 426 days away (426 * 12 // 365 = 14 months), usually every 120 days (120 * 12 / 365 = 3.9 -> 4)
    away = churn.Features(visits=5, days_since_last_visit=426, usual_gap_days=120.0)
    score, reasons = churn.assess(away)
    assert reasons == [{"code": "no_visit", "months": 14, "usual": 4}]
    assert score == 46          # 426 / 120 = 3.55 gaps: int(55 * (3.55 - 1) / 3) = int(46.75)
    assert churn.reason_text(reasons[0], "en") == "No visit for 14 months, usually every 4"
    assert churn.reason_text(reasons[0], "zh_CN") == "已 14 个月未到店，平时每 4 个月一次"
    two = churn.Features(visits=3, days_since_last_visit=10, usual_gap_days=100.0, complaints=2,
                         expiring_points=300, visits_last_year=1, visits_year_before=3)
    score, reasons = churn.assess(two)
    assert [churn.reason_text(r, "en") for r in reasons] == [
        "2 complaints in 90 days", "300 points expiring, none redeemed", "Visits down from 3 to 1 a year"]
    assert score == 20 + 10 + 15
    assert churn.reasons_text(reasons, "zh_CN")[0] == "90 天内投诉 2 次"
    assert churn.reason_text({"code": "something_new"}, "en") == "something new"
