"""What HQ's public pages behind a signed link share (:mod:`hq.survey`: the survey;
:mod:`hq.links`: the quote to approve and the unsubscribe link): no login, no cookie, English
or Chinese, a phone first.

- the page's language: the link's or form's ``lang``, else the phone's first language we have;
- the link's token, verified with the key HQ derives from its store's credential hash, of the
  page's kinds only (a survey's token opens no other page, nor the other way round) and running
  no longer than the page's cap (expiry, and what "used" means, is each page's own);
- the page, rendered in the public frame (``public_base.html``) under a strict CSP.

The token rides in the query string, which HQ's access log drops (:mod:`hq.logs`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, select

from core.care import tokens
from hq.common import HqError, StoreAuth
from hq.console import i18n
from hq.models import hq_store

STATIC = "/console/static"           # the console's static files (survey.css, links.css live there)
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")


class Refused(Exception):
    """Why a link cannot be used: ``invalid`` (400), ``closed`` (410, expired), ``answered``
    (409, this link, or the survey's visit, was answered), ``not_waiting`` (409, a quote's
    ticket no longer waits for this quote)."""
    STATUS = {"invalid": 400, "closed": 410, "answered": 409, "not_waiting": 409}

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why
        self.status = self.STATUS[why]


@dataclass(frozen=True)
class Link:
    token: tokens.Token
    store: StoreAuth
    store_name: str
    currency: str


def verified(conn: Connection, text: str, kinds: frozenset[str], longest: timedelta, now: datetime) -> Link:
    """The token of a link of one of ``kinds`` signed with its store's key and not running
    longer than ``longest``; :class:`Refused` ``invalid`` otherwise (a garbled token, one that
    names no enrolled store or was not signed with its key). Expiry is the caller's."""
    try:
        store_id = tokens.peek_store(text)
    except tokens.BadToken:
        raise Refused("invalid") from None
    store = conn.execute(select(hq_store.c.code, hq_store.c.name, hq_store.c.credential_hash, hq_store.c.currency)
                         .where(hq_store.c.store_id == store_id)).first()
    if store is None or not store.credential_hash:
        raise Refused("invalid")
    try:
        token = tokens.verify(tokens.key_from_credential_hash(store.credential_hash), text, kinds=kinds)
    except tokens.BadToken:
        raise Refused("invalid") from None
    if token.expires_at > now + longest:
        raise Refused("invalid")
    return Link(token, StoreAuth(store_id, store.code, False), store.name, store.currency or "")


def choose_lang(asked: str | None, accept_language: str | None) -> str:
    """``lang`` from the link or form (``en``, ``zh``/``zh_CN``), else the phone's first
    language we have, else English."""
    if asked:
        asked = asked.strip()
        if asked.lower().startswith("zh"):
            return "zh_CN"
        if asked.lower().startswith("en"):
            return "en"
    return i18n.choose(None, accept_language)


def lang_of(request: Request, asked: str | None) -> str:
    """:func:`choose_lang` for a request: ``asked`` (its ``lang``), else its Accept-Language."""
    return choose_lang(asked, request.headers.get("accept-language"))


async def read_form(request: Request) -> dict[str, str]:
    """The request's form fields (text ones); none for a garbled body."""
    try:
        return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    except HqError:
        raise
    except Exception:  # noqa: BLE001 - a garbled body is the sender's mistake, not HQ's
        return {}


def render(template: str, status: int, lang: str, path: str, **values: Any) -> Response:
    """``template`` (a page extending ``public_base.html``) in ``lang``; ``path`` is the
    page's own, for the language switch."""
    from hq.console.web import env
    with i18n.active(lang):
        html = env.get_template(template).render(lang=lang, html_lang=i18n.html_lang(lang), langs=i18n.LANGS,
                                                 static=STATIC, path=path, **values)
    response = HTMLResponse(html, status)
    response.headers["content-security-policy"] = CSP
    return response


__all__ = ["CSP", "STATIC", "Link", "Refused", "choose_lang", "lang_of", "read_form", "render", "verified"]
