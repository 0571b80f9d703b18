"""A message's subject and body: the kind's template in the message's language, filled in.

Templates are files, ``hq/messages/templates/<language>/<kind>.email.txt`` (first line
``Subject: …``, a blank line, then the body) and ``<kind>.sms.txt`` (the text); a row in
``hq_message_template`` (edited in the console) overrides the file. A language without a
template falls back to English.

Placeholders are ``{name}`` from :data:`PLACEHOLDERS` only (``{{`` and ``}}`` for a brace);
no attribute, index or format spec, so a template edited at HQ can only place values.
:func:`values` formats a request's params for the language: money and dates with
:mod:`core.formatting` in the store's time zone."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import Connection, select

from core import formatting
from hq.models import hq_message_template

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("en", "zh_CN")
PLACEHOLDERS = frozenset({
    "customer_name", "store_name", "store_phone", "ticket_number", "device", "amount", "covers", "starts_at",
    "service", "days", "expires_at", "value", "points", "expires_on", "link", "unsubscribe_link",
})
_FORMATTER = string.Formatter()
_PLAIN_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2009": " "})


class TemplateError(ValueError):
    """A template that cannot be used (``code``: missing, no_subject, unknown_placeholder,
    bad_placeholder, no_value); the message names the placeholder, never a value."""

    def __init__(self, code: str, name: str = ""):
        super().__init__(f"{code}: {name}" if name else code)
        self.code = code
        self.name = name


@dataclass(frozen=True)
class Rendered:
    subject: str             # "" for an SMS
    body: str


def language_of(language: str | None) -> str:
    """The template language for a customer's or store's language code."""
    return "zh_CN" if (language or "").lower().replace("-", "_").startswith("zh") else "en"


def placeholders(text: str) -> list[str]:
    """The placeholder names in ``text``; :class:`TemplateError` for one that is not a
    plain ``{name}`` (unbalanced braces, ``{a.b}``, ``{a[0]}``, ``{a:>9}``, ``{a!r}``)."""
    names = []
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError:
        raise TemplateError("bad_placeholder") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError("bad_placeholder", name[:40])
        names.append(name)
    return names


def check(text: str) -> None:
    """Every placeholder in ``text`` is a known one (:class:`TemplateError` names the first that is not)."""
    for name in placeholders(text):
        if name not in PLACEHOLDERS:
            raise TemplateError("unknown_placeholder", name[:40])


def fill(text: str, values: Mapping[str, str]) -> str:
    out = []
    for literal, name, _, _ in _FORMATTER.parse(text):
        out.append(literal)
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise TemplateError("unknown_placeholder", name[:40])
        if name not in values:
            raise TemplateError("no_value", name)
        out.append(str(values[name]))
    return "".join(out)


def parse_file(text: str, channel: str) -> Rendered:
    """A template file's subject and body (email: ``Subject: …``, a blank line, the body)."""
    text = text.replace("\r\n", "\n")
    if channel != "email":
        return Rendered("", text.strip())
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject:"):
        raise TemplateError("no_subject")
    return Rendered(first[len("Subject:"):].strip(), rest.lstrip("\n").rstrip() + "\n")


def file_template(kind: str, language: str, channel: str, template_dir: Path | None = None) -> Rendered:
    """The shipped template (English when the language has none); :class:`TemplateError` ``missing``."""
    folder = template_dir or TEMPLATES
    for lang in dict.fromkeys((language_of(language), "en")):
        path = folder / lang / f"{kind}.{channel}.txt"
        if path.is_file():
            return parse_file(path.read_text(encoding="utf-8"), channel)
    raise TemplateError("missing", f"{kind}.{channel}")


def template(conn: Connection, kind: str, language: str, channel: str,
             template_dir: Path | None = None) -> Rendered:
    """The template in force: HQ's edited one for the language, else the file."""
    t = hq_message_template.c
    row = conn.execute(select(t.subject, t.body).where(
        t.kind == kind, t.language == language_of(language), t.channel == channel)).first()
    if row is not None:
        return Rendered(row.subject or "", row.body)
    return file_template(kind, language, channel, template_dir)


def render(conn: Connection, kind: str, language: str, channel: str, values: Mapping[str, str], *,
           template_dir: Path | None = None) -> Rendered:
    """The message of ``kind`` in ``language`` for ``channel`` (email, sms) with ``values``
    placed; :class:`TemplateError` when the template is missing or wants a value not given."""
    t = template(conn, kind, language, channel, template_dir)
    # a subject is one header line: every line break str.splitlines knows (CR, LF, U+2028, …)
    # becomes a space, or the email module refuses the header
    return Rendered(" ".join(fill(t.subject, values).splitlines()).strip(), fill(t.body, values))


# --- values ----------------------------------------------------------------------------------------

def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def values(params: Mapping[str, Any], language: str, *, tz: str, currency: str,
           service_name: str | None = None) -> dict[str, str]:
    """The request's params as a reader of ``language`` reads them: amounts as money in the
    request's currency (else the store's), times in the store's zone ``tz``, lists joined.
    Keys a template may use (:data:`PLACEHOLDERS`); the caller adds the customer's name, the
    store's name and phone and the links."""
    locale = language_of(language)
    given_tz, given_cur = params.get("store_tz"), params.get("currency")
    tz = given_tz if isinstance(given_tz, str) and given_tz else tz
    cur = given_cur if isinstance(given_cur, str) and given_cur else currency
    out: dict[str, str] = {}
    for key in ("ticket_number", "device"):
        if isinstance(params.get(key), str):
            out[key] = params[key]
    for key, name in (("amount_cents", "amount"), ("value_cents", "value")):
        minor = _int(params.get(key))
        if minor is not None:
            out[name] = formatting.money(minor, cur, locale)
    if "value" in out and "amount" not in out:
        out["amount"] = out["value"]
    for key in ("starts_at", "expires_at"):
        at = _when(params.get(key))
        if at is not None:
            out[key] = formatting.datetime(at, tz, locale)
    day = _day(params.get("expires_on"))
    if day is not None:
        out["expires_on"] = formatting.date(day, locale)
    for key in ("points", "days"):
        number = _int(params.get(key))
        if number is not None:
            out[key] = f"{number:,}" if locale == "en" else str(number)
    covers = params.get("covers")
    if isinstance(covers, list):
        out["covers"] = ("、" if locale == "zh_CN" else ", ").join(str(c) for c in covers if c)
    if isinstance(params.get("service"), str):
        out["service"] = service_name or params["service"]
    # CLDR puts no-break spaces in times and amounts ("10:00\u202fAM"): one of them would make
    # an English SMS a UCS-2 one (70 characters a segment instead of 160)
    return {k: v.translate(_PLAIN_SPACES) for k, v in out.items()}


__all__ = ["LANGUAGES", "PLACEHOLDERS", "TEMPLATES", "Rendered", "TemplateError", "check", "file_template",
           "language_of", "parse_file", "placeholders", "render", "template", "values"]
