"""Dates, times and money for the UI language, in the store's time zone: thin wrappers over
``core.formatting`` so the screen writes every amount and day exactly as the paper does."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core import formatting
from desktop.qt import QCoreApplication, QLocale

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


def duration(delta: timedelta) -> str:
    """A span as the counter reads it: "45 min", "3 h 20 min", "2 d 5 h" (minutes dropped
    past a day, a zero part dropped), in the UI language."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    # each call spelled out: pyside6-lupdate finds QCoreApplication.translate, not an alias of it
    if days:
        return (QCoreApplication.translate("Fmt", "{0} d {1} h").format(days, hours) if hours
                else QCoreApplication.translate("Fmt", "{0} d").format(days))
    if hours:
        return (QCoreApplication.translate("Fmt", "{0} h {1} min").format(hours, mins) if mins
                else QCoreApplication.translate("Fmt", "{0} h").format(hours))
    return QCoreApplication.translate("Fmt", "{0} min").format(mins)


def time_left(left: timedelta) -> str:
    """The time left until a due time: "3 h 20 min left", or once past it "overdue by 2 h"
    (a late minute always shows as at least "1 min")."""
    if left >= timedelta(0):
        return QCoreApplication.translate("Fmt", "{0} left").format(duration(left))
    return QCoreApplication.translate("Fmt", "overdue by {0}").format(duration(min(left, -timedelta(minutes=1))))
