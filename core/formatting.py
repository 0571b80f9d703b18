"""Money, dates and times as a person reads them: one formatter for the screen and the paper.

Everything comes from CLDR through Babel, so nothing here knows a symbol or a pattern by
heart: JPY has no minor unit (1234 minor units print as ``¥1,234``), USD has two
(``$1,234.56``), and a zh_CN date reads ``2026年12月6日``.  Qt's ``QLocale`` cannot do the
money half (it assumes two decimals whatever the currency), which is why the GUI comes here
too rather than keeping its own rules.

Locale names are the app's language codes, ``"en"`` and ``"zh_CN"``.  The currency symbol is
the one CLDR gives for that locale, chosen so a reader can tell currencies apart: a CNY
amount reads ``¥`` in Chinese but ``CN¥`` in English, where a bare ``¥`` would be yen.

Money is stored as an integer count of the currency's minor unit (cents, fen; for JPY the
yen itself); ``major_units`` and ``to_minor`` convert for entry fields, exactly.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers

from core.errors import ValidationError

WIDTHS = ("short", "medium", "long", "full")


def currency_decimals(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (JPY 0, USD 2, KWD 3)."""
    return _numbers.get_currency_precision(currency)


def major_units(minor: int, currency: str) -> Decimal:
    """``minor`` units of ``currency`` as an exact amount: 123456 USD -> Decimal("1234.56")."""
    return Decimal(int(minor)).scaleb(-currency_decimals(currency))


def to_minor(amount: Decimal | str | int, currency: str, field: str = "amount") -> int:
    """An amount in major units back to minor units, refusing what the currency cannot hold
    (half a yen, a tenth of a cent) rather than rounding someone's money silently."""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise ValidationError(field, "is not an amount") from None
    if not value.is_finite():
        raise ValidationError(field, "is not an amount")
    minor = value.scaleb(currency_decimals(currency))
    if minor != minor.to_integral_value():
        raise ValidationError(field, "has more decimals than {currency} allows", currency=currency)
    return int(minor)


def money(minor: int, currency: str, locale: str) -> str:
    """``minor`` units of ``currency`` as written in ``locale``: ``$1,234.56``, ``¥1,234``, ``-$5.00``."""
    return _numbers.format_currency(major_units(minor, currency), currency, locale=locale)


def currency_symbol(currency: str, locale: str) -> str:
    """The symbol ``money`` writes for ``currency`` in ``locale`` (an entry field's prefix)."""
    return _numbers.get_currency_symbol(currency, locale=locale)


def date(d: _dt.date | _dt.datetime, locale: str, format: str = "medium", tz: str | ZoneInfo | None = None) -> str:
    """A calendar day; a datetime is first turned into its day in ``tz`` (UTC if none).
    ``format`` is a CLDR width (short 12/6/26, medium Dec 6, 2026, long December 6, 2026,
    full Sunday, December 6, 2026) or a CLDR skeleton such as ``"MMMd"`` (Dec 6, 12月6日)
    where the year goes without saying."""
    if isinstance(d, _dt.datetime):
        d = d.astimezone(_zone(tz or "UTC")).date()
    if format in WIDTHS:
        return _dates.format_date(d, format, locale=locale)
    return _dates.format_skeleton(format, d, locale=locale)


def date_span(first: _dt.date, last: _dt.date, locale: str, skeleton: str = "MMMd") -> str:
    """Two days as one span, what they share written once: "Dec 7 – 13", "Dec 28 – Jan 3",
    "12月7日至13日"; a span of one day is that day."""
    return _dates.format_interval(first, last, skeleton, locale=locale)


def time(dt: _dt.datetime, tz: str | ZoneInfo, locale: str) -> str:
    """Hours and minutes in ``tz``: 2:30 PM, 14:30.  A store never needs the seconds."""
    return _dates.format_time(dt, "short", tzinfo=_zone(tz), locale=locale)


def datetime(dt: _dt.datetime, tz: str | ZoneInfo, locale: str, format: str = "medium") -> str:
    """The day as ``date`` writes it with ``format``, then the time as ``time`` does, joined
    the way the locale joins them: "Dec 6, 2026, 2:30 PM", "2026年12月6日 14:30"."""
    local = dt.astimezone(_zone(tz))
    joiner = Locale.parse(locale).datetime_formats[format if format in WIDTHS else "short"]
    return (str(joiner).replace("'", "")
            .replace("{1}", date(local.date(), locale, format))
            .replace("{0}", _dates.format_time(local, "short", locale=locale)))


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
