"""How a document words values: amounts, dates and times as the screen writes them
(``core.formatting``), in the document's language and the store's time zone and currency,
its labels and sentences (``reports.i18n``), and the store's tax sentence. The module
functions serve drawing code that has no document at hand; ``Wording`` gives a document
the same, bound to its data and language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import formatting, terms
from core.money import TaxRule, rate_text
from reports import i18n


def money(cents: int | None, currency: str, lang: str = "en") -> str:
    """The screen's formatter (``core.formatting``), so paper and screen write an amount alike."""
    return "" if cents is None else formatting.money(cents, currency, lang)


def fmt_datetime(dt: datetime | None, tz: str | ZoneInfo, lang: str, format: str = "medium") -> str:
    return "" if dt is None else formatting.datetime(dt, tz, lang, format)


def fmt_date(d: date | datetime | None, lang: str, tz: str | ZoneInfo | None = None, long: bool = False) -> str:
    return "" if d is None else formatting.date(d, lang, "long" if long else "medium", tz)


def fmt_time(dt: datetime | None, tz: str | ZoneInfo, lang: str) -> str:
    return "" if dt is None else formatting.time(dt, tz, lang)


def fmt_num(value: float | int | None, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value:,.{digits}f}{suffix}"


class Wording:
    """Mixed into ``Document``: expects ``self.data`` (with an optional ``store``) and
    ``self.lang``."""

    @property
    def store(self):
        return getattr(self.data, "store", None)

    @property
    def tz(self) -> str:
        return self.store.timezone if self.store else "UTC"

    @property
    def currency(self) -> str:
        return self.store.currency if self.store else "USD"

    def t(self, key: str, **params) -> str:
        return i18n.t(self.lang, key, **params)

    def tax_note(self, tax: TaxRule, tax_cents: int | None = None) -> str:
        """The store's tax sentence: what the prices include (and how much of this total
        is tax), or that the tax is added; nothing where the store charges none."""
        if not tax.applies:
            return ""
        rate = rate_text(tax.rate)
        if not tax.inclusive:
            return self.t("tax_added", label=tax.label, rate=rate)
        if tax_cents is None:
            return self.t("tax_included", label=tax.label, rate=rate)
        return self.t("tax_included_amount", label=tax.label, rate=rate, amount=self.money(tax_cents))

    def history_note(self, entry: Any) -> str:
        """A ticket history entry's note in the document's language (core.terms.history_note,
        as the screen words it): the system's words from their code, staff's note as typed."""
        return terms.history_note(entry.note_code, dict(entry.note_params or {}), self.lang, entry.note)

    def label(self, code: Any, context: str | None = None, default: str | None = None) -> str:
        return i18n.label(self.lang, code, context, default)

    def money(self, cents: int | None) -> str:
        return money(cents, self.currency, self.lang)

    def dt(self, value: datetime | None) -> str:
        return fmt_datetime(value, self.tz, self.lang)

    def date(self, value, long: bool = False) -> str:
        return fmt_date(value, self.lang, self.tz, long)

    def time(self, value: datetime | None) -> str:
        return fmt_time(value, self.tz, self.lang)
