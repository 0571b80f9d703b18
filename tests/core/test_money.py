"""The money rules (core.money) as properties: tax splits add up, rounding is half-up to
the minor unit, covered work is free and a ticket nobody judged is charged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core import money

DECISIONS = st.sampled_from([None, "in_warranty", "coverage", "chargeable"])
RATES = st.decimals(min_value=0, max_value=Decimal("99.9999"), places=4)
AMOUNTS = st.integers(min_value=0, max_value=10**9)
TAXES = st.builds(money.TaxRule, RATES, st.booleans(), st.just("Tax"))
LINES = st.lists(st.builds(money.Line, st.integers(0, 10**6), st.integers(1, 20),
                           st.sampled_from([None, True, False]), st.booleans()), max_size=6)


@given(AMOUNTS, TAXES)
def test_net_plus_tax_is_gross(amount, tax):
    split = money.split_tax(amount, tax)
    assert split.net_cents + split.tax_cents == split.gross_cents


@given(AMOUNTS, RATES)
@example(amount=15, rate=Decimal(10))          # 1.5 rounds up to 2
@example(amount=5, rate=Decimal(10))           # 0.5 rounds up to 1
def test_exclusive_tax_is_the_rate_of_the_net_rounded_half_up(amount, rate):
    split = money.split_tax(amount, money.TaxRule(rate, inclusive=False))
    exact = Decimal(amount) * rate / 100
    assert split.net_cents == amount
    assert abs(Decimal(split.tax_cents) - exact) <= Decimal("0.5")
    assert split.tax_cents == int(exact) + (1 if exact - int(exact) >= Decimal("0.5") else 0)


@given(AMOUNTS, RATES)
def test_inclusive_tax_is_inside_the_gross(amount, rate):
    split = money.split_tax(amount, money.TaxRule(rate, inclusive=True))
    exact = Decimal(amount) * rate / (100 + rate)
    assert split.gross_cents == amount
    assert abs(Decimal(split.tax_cents) - exact) <= Decimal("0.5")


def test_a_chinese_price_of_113_yuan_includes_13_yuan_vat():
    split = money.split_tax(11_300, money.TaxRule(Decimal(13), True, "VAT"))
    assert (split.net_cents, split.tax_cents, split.gross_cents) == (10_000, 1_300, 11_300)


@given(DECISIONS, LINES, AMOUNTS, TAXES)
def test_breakdown_charges_uncovered_live_lines_and_labour_unless_covered(decision, lines, labour, tax):
    b = money.breakdown(decision, lines, labour, tax)
    covered_repair = decision in ("in_warranty", "coverage")
    expected_parts = sum(ln.unit_cents * ln.quantity for ln in lines
                         if not ln.released and not (covered_repair if ln.covered is None else ln.covered))
    assert b.parts_cents == expected_parts
    assert b.labour_charged_cents == (0 if covered_repair else labour)
    assert b.subtotal_cents == b.parts_cents + b.labour_charged_cents
    assert b.net_cents + b.tax_cents == b.total_cents == b.amount_due_cents


@given(LINES, AMOUNTS, TAXES)
def test_no_decision_charges_like_chargeable(lines, labour, tax):
    assert money.breakdown(None, lines, labour, tax).total_cents == \
        money.breakdown("chargeable", lines, labour, tax).total_cents


@pytest.mark.parametrize("status", ["cancelled", "unrepairable"])
def test_nothing_is_due_on_a_ticket_that_was_not_repaired(status):
    b = money.breakdown("chargeable", [money.Line(10_000)], 5_000, status=status)
    assert (b.total_cents, b.amount_due_cents) == (15_000, 0)


@given(AMOUNTS, AMOUNTS)
def test_approval_is_needed_only_above_the_limit(total, limit):
    assert money.needs_approval(total, limit) is (total > limit)


@given(AMOUNTS, st.integers(1, 1000))
def test_store_credit_is_never_worth_more_than_the_value(value, per_point):
    points = money.credit_points(value, per_point)
    assert money.points_value(points, per_point) <= value < money.points_value(points + 1, per_point)


@pytest.mark.parametrize("text, rate", [("13", Decimal(13)), ("8.875", Decimal("8.875")), ("0", Decimal(0)),
                                        ("7.5%", Decimal("7.5"))])
def test_rates_read_as_percentages(text, rate):
    assert money.parse_rate(text) == rate


@pytest.mark.parametrize("text", ["-1", "100", "abc", "1.00001", "NaN"])
def test_impossible_rates_are_refused(text):
    with pytest.raises(ValueError):
        money.parse_rate(text)


def test_a_manager_sets_the_store_tax_and_a_bad_rate_names_its_field(store_setup):
    from core import settings
    from core.errors import ValidationErrors
    db, _store_id, admin = store_setup
    with db.session(write=True) as s:
        with pytest.raises(ValidationErrors) as bad:
            settings.set_tax(s, admin, rate="150",
                             inclusive=False, label="Sales tax")
        assert set(bad.value.by_field) == {"tax_rate"}
        rule = settings.set_tax(s, admin, rate="8.875",
                                inclusive=False, label="Sales tax")
    assert rule == money.TaxRule(Decimal("8.875"), False, "Sales tax")


def test_a_whole_rate_is_kept_as_the_manager_typed_it(store_setup):
    from core import settings
    from core.models import Store
    db, store_id, admin = store_setup
    with db.session(write=True) as s:
        settings.set_tax(s, admin, rate="20", inclusive=True, label="VAT")
    with db.session() as s:
        assert s.get(Store, store_id).tax_rate == "20"
