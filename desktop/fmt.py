"""Dates, times and money for the user's locale (QLocale), in the store's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from desktop.qt import QDate, QDateTime, QLocale, QTime

_tz: ZoneInfo = ZoneInfo("UTC")


def set_store_timezone(name: str) -> None:
    global _tz
    _tz = ZoneInfo(name)


def local(dt: datetime) -> datetime:
    return dt.astimezone(_tz)


def _qdt(dt: datetime) -> QDateTime:
    d = local(dt)
    return QDateTime(QDate(d.year, d.month, d.day), QTime(d.hour, d.minute, d.second))


def date_time(dt: datetime | None) -> str:
    return "" if dt is None else QLocale().toString(_qdt(dt), QLocale.FormatType.ShortFormat)


def time_only(dt: datetime | None) -> str:
    return "" if dt is None else QLocale().toString(_qdt(dt).time(), QLocale.FormatType.ShortFormat)


def day(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = local(d).date()
    return QLocale().toString(QDate(d.year, d.month, d.day), QLocale.FormatType.ShortFormat)


def money(cents: int | None, currency: str = "USD") -> str:
    if cents is None:
        return ""
    symbol = {"USD": "$", "CNY": "¥", "GBP": "£", "EUR": "€", "HKD": "HK$", "SGD": "S$", "JPY": "¥",
              "AUD": "A$"}.get(currency, currency + " ")
    return QLocale().toCurrencyString(cents / 100, symbol)
