"""Money and dates as the screen and the paper write them (core.formatting, from CLDR)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from core import formatting
from core.errors import ValidationError

CURRENCIES = ("USD", "JPY", "CNY", "EUR", "KWD")


def test_yen_has_no_minor_unit():
    assert formatting.currency_decimals("JPY") == 0
    assert formatting.money(1234, "JPY", "en") == "¥1,234"
    assert formatting.major_units(1234, "JPY") == Decimal("1234")


def test_a_us_store_shows_dollars_and_cents():
    assert formatting.money(123456, "USD", "en") == "$1,234.56"


def test_yuan_shows_the_yen_sign_in_chinese_and_cn_yen_in_english():
    assert formatting.money(123450, "CNY", "zh_CN") == "¥1,234.50"
    assert formatting.money(123450, "CNY", "en") == "CN¥1,234.50"


def test_a_negative_amount_keeps_its_symbol_and_minus_sign():
    assert formatting.money(-123456, "USD", "en") == "-$1,234.56"
    assert formatting.money(-500, "JPY", "en") == "-¥500"


def test_a_chinese_long_date_reads_year_month_day():
    assert formatting.date(date(2026, 12, 6), "zh_CN", "long") == "2026年12月6日"


def test_a_datetime_is_written_in_the_store_time_zone():
    # 23:59 UTC on New Year's Eve is already the next year in Shanghai
    at = datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc)
    assert formatting.datetime(at, "Asia/Shanghai", "zh_CN") == "2027年1月1日 07:59"
    assert formatting.date(at, "en", "medium", "America/New_York") == "Dec 31, 2026"
    assert formatting.time(at, "Asia/Shanghai", "zh_CN") == "07:59"


def test_an_amount_finer_than_the_currency_is_refused_not_rounded():
    with pytest.raises(ValidationError) as err:
        formatting.to_minor("100.5", "JPY", field="labour")
    assert err.value.field == "labour"


@given(st.integers(-10**12, 10**12), st.sampled_from(CURRENCIES))
def test_minor_units_survive_a_round_trip_through_an_entry_field(minor, currency):
    assert formatting.to_minor(str(formatting.major_units(minor, currency)), currency) == minor
