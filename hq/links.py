"""HQ's pages behind the signed links in customer messages (issue 22): the approval of a
repair quote and the unsubscribe link of an e-mail. No login, no cookie, English or Chinese,
a phone first (the survey page's frame and stylesheet: :mod:`hq.public_pages`).

``GET  /approve?t=<token>``       that ticket's quote only: number, device, lines, total; Approve / Refuse
``POST /approve``                 ``t``, ``answer`` (approve | refuse), ``lang`` → thanks
``GET  /unsubscribe?t=<token>``   asks to confirm (a GET never changes anything: mail scanners follow links)
``POST /unsubscribe``             ``t``, ``lang`` → the opt-out (:func:`hq.optout.opt_out`), then done

A quote's token (:mod:`core.care.tokens`, kind ``quote``) names the store, the ticket (its
visit id) and the ``approval_needed`` message request (its invitation id); an unsubscribe
token (kind ``unsubscribe``) names the message request twice. Both are signed with the key
HQ derives from the store's credential hash; a survey's token opens neither page, nor the
other way round. Expiry is judged on HQ's clock, and a token that runs longer than any link
HQ makes (:data:`LONGEST_QUOTE`, :data:`LONGEST_UNSUBSCRIBE`) is not valid.

A quote is answered once: the ``hq_link_use`` row (insert-if-absent, with RETURNING, as the
survey's answer) and the store's ``link_answer`` row (:func:`hq.publish.write_for_store`)
commit in one transaction; the store applies the answer to the ticket at its next sync
(channel ``link``). A ticket HQ's copy no longer shows waiting for approval, or whose quote
changed since the message, is not answered ("This quote no longer waits for an answer").
The pages show nothing about the person; the token rides in the query string, which HQ's
access log drops (:mod:`hq.logs`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Engine, select
from starlette.concurrency import run_in_threadpool

from core import clock, formatting, money
from core.ids import uuid7
from core.messages import MARKETING_CONSENT, rules
from core.sync.outbox import jsonable
from hq import optout, publish
from hq.common import _upsert_ignore, _uuid_or_none, _write
from hq.models import hq_link_use, hq_row
from hq.public_pages import Link, Refused, lang_of, read_form, render, verified

APPROVE = "/approve"
UNSUBSCRIBE = "/unsubscribe"
# the longest a token may run here: hq.messages.links makes them for APPROVAL_DAYS (7) and
# UNSUBSCRIBE_DAYS (90); a token running longer than these caps was not made by HQ
LONGEST_QUOTE = timedelta(days=30, hours=1)
LONGEST_UNSUBSCRIBE = timedelta(days=400, hours=1)
ANSWERS = {"approve": "approved", "refuse": "refused"}


def _row(conn: Connection, entity: str, entity_id: Any, store_id: uuid.UUID | None = None) -> dict[str, Any] | None:
    r = hq_row.c
    q = select(r.data).where(r.entity == entity, r.entity_id == str(entity_id), r.deleted.is_(False))
    if store_id is not None:
        q = q.where(r.owner_store_id == store_id)
    data = conn.scalar(q)
    return dict(data) if data is not None else None


# --- the quote ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteLine:
    name: str
    quantity: int
    charged_cents: int
    covered: bool


@dataclass(frozen=True)
class Quote:
    number: str
    device: str
    lines: tuple[QuoteLine, ...]
    labour_cents: int            # charged
    amounts: money.Breakdown
    currency: str

    def money(self, minor: int, lang: str) -> str:
        return formatting.money(minor, self.currency, lang) if self.currency else str(minor)


def _tax(ticket: dict[str, Any], store: dict[str, Any] | None) -> money.TaxRule:
    """The tax rule of the ticket's quote (kept on the ticket), else the store's: as
    :func:`core.repairs.quoting.ticket_amounts` reads it."""
    source = ticket if ticket.get("tax_rate") is not None else (store or {})
    inclusive = source.get("tax_inclusive")
    return money.TaxRule(money.parse_rate(source.get("tax_rate") or "0"),
                         True if inclusive is None else bool(inclusive), source.get("tax_label") or "")


def _latest_approval_request(conn: Connection, store_id: uuid.UUID, ticket_id: uuid.UUID) -> uuid.UUID | None:
    """The ticket's latest approval_needed request HQ holds (by its time, then its id)."""
    r = hq_row.c
    found = conn.execute(select(r.entity_id, r.data).where(
        r.entity == "message_request", r.owner_store_id == store_id, r.deleted.is_(False),
        r.data["ticket_id"].as_string() == str(ticket_id), r.data["kind"].as_string() == "approval_needed")).all()
    if not found:
        return None
    eid, _ = max(found, key=lambda row: (rules.when((row.data or {}).get("created_at")), rules.id_key(row.entity_id)))
    try:
        return uuid.UUID(str(eid))
    except ValueError:
        return None


def quote_of(conn: Connection, link: Link) -> Quote:
    """The ticket's quote as HQ holds it, by core.money's rules; :class:`Refused` when HQ
    holds no such ticket or request of the store's (``invalid``), or the ticket no longer
    waits for this quote (``not_waiting``: answered at the counter, revised, cancelled)."""
    t = link.token
    store_id = link.store.store_id
    ticket = _row(conn, "repair_ticket", t.visit_id, store_id)
    request = _row(conn, "message_request", t.invitation_id, store_id)
    if ticket is None or request is None or request.get("ticket_id") != str(t.visit_id) \
            or request.get("kind") != "approval_needed":
        raise Refused("invalid")
    decision = ticket.get("warranty_decision")
    r = hq_row.c
    parts = conn.execute(select(r.data).where(
        r.entity == "repair_part", r.owner_store_id == store_id, r.deleted.is_(False),
        r.data["ticket_id"].as_string() == str(t.visit_id)).order_by(r.entity_id)).scalars().all()
    lines: list[money.Line] = []
    shown: list[QuoteLine] = []
    for p in parts:
        line = money.Line(int(p.get("price_cents") or 0), int(p.get("quantity") or 1), p.get("covered"),
                          p.get("state") == "released")
        lines.append(line)
        if line.released:
            continue
        charge = money.charge(decision, line)
        part = _row(conn, "part", p.get("part_id")) or {}
        shown.append(QuoteLine(str(part.get("name") or part.get("sku") or ""), line.quantity, charge.charged_cents,
                               charge.covered))
    amounts = money.breakdown(decision, lines, int(ticket.get("labour_cents") or 0),
                              _tax(ticket, _row(conn, "store", store_id)), ticket.get("status"))
    wanted = (request.get("params") or {}).get("amount_cents")
    # the quote the link showed is the one the ticket waits for: its request is the latest
    # approval request HQ holds for the ticket (a revised quote asks again) and its total
    # is the ticket's now (core.money's); as the store applies the answer (core.messages.links)
    if ticket.get("status") != "awaiting_approval" or ticket.get("quote_cents") is None \
            or not isinstance(wanted, int) or wanted != amounts.total_cents \
            or _latest_approval_request(conn, store_id, t.visit_id) != t.invitation_id:
        raise Refused("not_waiting")
    device = _row(conn, "device", ticket.get("device_id")) if ticket.get("device_id") else None
    store_row = _row(conn, "store", store_id) or {}
    return Quote(str(ticket.get("number") or ""), str((device or {}).get("model") or ""), tuple(shown),
                 amounts.labour_charged_cents, amounts, link.currency or str(store_row.get("currency") or ""))


def check_quote(conn: Connection, text: str, now: datetime) -> tuple[Link, Quote]:
    """An answerable quote link and its quote; :class:`Refused` otherwise."""
    link = verified(conn, text, frozenset({"quote"}), LONGEST_QUOTE, now)
    if conn.scalar(select(hq_link_use.c.token_id).where(hq_link_use.c.token_id == link.token.invitation_id)):
        raise Refused("answered")
    if link.token.expired(now):
        raise Refused("closed")
    return link, quote_of(conn, link)


def answer_quote(engine: Engine, text: str, answer: str, now: datetime) -> uuid.UUID:
    """Answer the quote once: the link marked used and the store's ``link_answer`` row
    written in one transaction. Returns the answer's id; :class:`Refused` when the link
    cannot be answered (a second answer: ``answered``)."""
    if answer not in ANSWERS:
        raise ValueError("answer")
    answer_id = uuid7()
    with _write(engine) as conn, conn.begin():
        link, _ = check_quote(conn, text, now)
        t = link.token
        used = conn.execute(_upsert_ignore(conn, hq_link_use).values(
            token_id=t.invitation_id, store_id=t.store_id, purpose="quote", used_at=now)
            .returning(hq_link_use.c.token_id)).first()
        if used is None:                       # another answer committed a moment ago
            raise Refused("answered")
        data = {"id": str(answer_id), "store_id": str(t.store_id), "ticket_id": str(t.visit_id),
                "request_id": str(t.invitation_id), "answer": ANSWERS[answer], "at": jsonable(now),
                "applied_at": None, "outcome": ""}
        publish.write_for_store(engine, link.store, [publish.Change("link_answer", str(answer_id), data)],
                                now_ms=int(now.timestamp() * 1000), conn=conn)
    return answer_id


# --- unsubscribe -------------------------------------------------------------------------------

def _unsubscribe_use_id(request_id: uuid.UUID) -> uuid.UUID:
    """``hq_link_use``'s key for a request's unsubscribe link (its quote link, for an
    approval message, is keyed by the request id itself)."""
    return uuid.uuid5(request_id, "unsubscribe")


def check_unsubscribe(conn: Connection, text: str, now: datetime) -> tuple[Link, dict[str, Any], bool]:
    """A usable unsubscribe link, its message request and whether it was used already;
    :class:`Refused` otherwise (an expired link: ``closed``)."""
    link = verified(conn, text, frozenset({"unsubscribe"}), LONGEST_UNSUBSCRIBE, now)
    request = _row(conn, "message_request", link.token.visit_id, link.store.store_id)
    if request is None or request.get("channel") not in MARKETING_CONSENT:
        raise Refused("invalid")
    used = conn.scalar(select(hq_link_use.c.token_id).where(
        hq_link_use.c.token_id == _unsubscribe_use_id(link.token.visit_id))) is not None
    if not used and link.token.expired(now):
        raise Refused("closed")
    return link, request, used


def unsubscribe(engine: Engine, text: str, now: datetime) -> str:
    """The customer's opt-out from the request's channel, once (a second confirmation
    writes nothing). Returns the channel."""
    with _write(engine) as conn, conn.begin():
        link, request, used = check_unsubscribe(conn, text, now)
        channel = str(request["channel"])
        if used:
            return channel
        first = conn.execute(_upsert_ignore(conn, hq_link_use).values(
            token_id=_unsubscribe_use_id(link.token.visit_id), store_id=link.store.store_id, purpose="unsubscribe",
            used_at=now).returning(hq_link_use.c.token_id)).first()
        customer = _uuid_or_none(request.get("customer_id"))
        if first is not None and customer is not None:
            optout.opt_out(conn, customer, channel, "link", now)
    return channel


# --- the pages ---------------------------------------------------------------------------------

def _quote_page(engine: Engine, text: str, lang: str, status: int = 200) -> Response:
    try:
        with engine.connect() as conn:
            link, quote = check_quote(conn, text, clock.now())
    except Refused as exc:
        return render("approve_done.html", exc.status, lang, APPROVE, state=exc.why)
    return render("approve.html", status, lang, APPROVE, token=text, quote=quote, store_name=link.store_name)


def approve_submit(engine: Engine, form: dict[str, str], lang: str) -> Response:
    text, answer = form.get("t", ""), form.get("answer", "")
    if answer not in ANSWERS:
        return _quote_page(engine, text, lang, 400)
    try:
        answer_quote(engine, text, answer, clock.now())
    except Refused as exc:
        return render("approve_done.html", exc.status, lang, APPROVE, state=exc.why)
    return render("approve_done.html", 200, lang, APPROVE, state=ANSWERS[answer])


def _unsubscribe_page(engine: Engine, text: str, lang: str) -> Response:
    try:
        with engine.connect() as conn:
            _, request, used = check_unsubscribe(conn, text, clock.now())
    except Refused as exc:
        return render("unsubscribe_done.html", exc.status, lang, UNSUBSCRIBE, state=exc.why)
    if used:
        return render("unsubscribe_done.html", 200, lang, UNSUBSCRIBE, state="done", channel=request["channel"])
    return render("unsubscribe.html", 200, lang, UNSUBSCRIBE, token=text, channel=request["channel"])


def unsubscribe_submit(engine: Engine, form: dict[str, str], lang: str) -> Response:
    try:
        channel = unsubscribe(engine, form.get("t", ""), clock.now())
    except Refused as exc:
        return render("unsubscribe_done.html", exc.status, lang, UNSUBSCRIBE, state=exc.why)
    return render("unsubscribe_done.html", 200, lang, UNSUBSCRIBE, state="done", channel=channel)


def mount(app: FastAPI) -> None:
    engine: Engine = app.state.engine

    @app.get(APPROVE, include_in_schema=False)
    async def approve_page(request: Request) -> Response:
        q = request.query_params
        return await run_in_threadpool(_quote_page, engine, q.get("t") or "", lang_of(request, q.get("lang")))

    @app.post(APPROVE, include_in_schema=False)
    async def approve_answer(request: Request) -> Response:
        form = await read_form(request)
        return await run_in_threadpool(approve_submit, engine, form, lang_of(request, form.get("lang")))

    @app.get(UNSUBSCRIBE, include_in_schema=False)
    async def unsubscribe_page(request: Request) -> Response:
        q = request.query_params
        return await run_in_threadpool(_unsubscribe_page, engine, q.get("t") or "", lang_of(request, q.get("lang")))

    @app.post(UNSUBSCRIBE, include_in_schema=False)
    async def unsubscribe_confirm(request: Request) -> Response:
        form = await read_form(request)
        return await run_in_threadpool(unsubscribe_submit, engine, form, lang_of(request, form.get("lang")))


__all__ = ["APPROVE", "LONGEST_QUOTE", "LONGEST_UNSUBSCRIBE", "UNSUBSCRIBE", "Quote", "Refused", "answer_quote",
           "check_quote", "check_unsubscribe", "mount", "quote_of", "unsubscribe"]
