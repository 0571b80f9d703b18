"""Dates, times and money for the UI language, in the store's time zone: thin wrappers over
``core.formatting`` so the screen writes every amount and day exactly as the paper does."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core import formatting
from desktop.qt import QLocale

_tz: ZoneInfo = ZoneInfo("UTC")


def set_store_timezone(name: str) -> None:
    global _tz
    _tz = ZoneInfo(name)


def local(dt: datetime) -> datetime:
    return dt.astimezone(_tz)


def lang() -> str:
    """The UI language as the core formatter names it, from the locale install_language set."""
    return "zh_CN" if QLocale().name().startswith("zh") else "en"


def date_time(dt: datetime | None) -> str:
    return "" if dt is None else formatting.datetime(dt, _tz, lang(), "short")


def time_only(dt: datetime | None) -> str:
    return "" if dt is None else formatting.time(dt, _tz, lang())


def day(d: date | datetime | None) -> str:
    return "" if d is None else formatting.date(d, lang(), "short", _tz)


def money(cents: int | None, currency: str = "USD") -> str:
    return "" if cents is None else formatting.money(cents, currency, lang())


def currency_symbol(currency: str) -> str:
    return formatting.currency_symbol(currency, lang())
