"""HQ's survey page (issue 21): a customer scans the QR code on a receipt or service report
and answers two questions on a phone: no login, no cookie, English or Chinese.

``GET  /survey?t=<token>``   the form (or why the link cannot be answered)
``POST /survey``             ``t``, ``nps``, ``csat``, ``comment``, ``lang`` (a form) → thanks

The token (:mod:`core.care.tokens`) is signed with a key HQ derives from the store's
credential hash, so HQ trusts it without a login; it names the visit and the invitation,
never the person. It rides in the query string: HQ's access log keeps method, path and
status only (:mod:`hq.logs`), and nothing here logs it.

An answer is written once: the invitation's row in ``hq_survey_answer`` and the store's
``survey`` row (:func:`hq.publish.write_for_store`, channel ``receipt``) commit in one
transaction, and the store pulls the survey at its next sync. The pages show no personal
data and never echo the token back but in the form's hidden field."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Engine, select, text as sql
from starlette.concurrency import run_in_threadpool

from core import clock
from core.care import CSAT_RANGE, NPS_RANGE, tokens
from core.care.rules import SETTINGS
from core.errors import ValidationError
from core.ids import uuid7
from core.sync.outbox import jsonable
from core.validation import normalize_free_text
from hq import public_pages, publish
from hq.common import HqError, _upsert_ignore, _write
from hq.db import is_postgres
from hq.push_authority import Guard
from hq.models import hq_row, hq_survey_answer
from hq.public_pages import Link, Refused, choose_lang, lang_of, read_form, verified

log = logging.getLogger("orchard.hq")

PATH = "/survey"
COMMENT_MAX = 1000
_ENTITY = {"ticket": "repair_ticket", "appointment": "appointment"}
_VISIT_FIELD = {"ticket": "ticket_id", "appointment": "appointment_id"}     # the survey row's column
# the longest a store's link may run (the highest survey_token_days), and a little for the store's clock
LONGEST = timedelta(days=SETTINGS["survey_token_days"][2], hours=1)
_VISIT_LOCK = 7012121                # pg advisory lock class: one answer at a time per visit


@dataclass
class Answer:
    """What the form sent, as typed (so a refused form shows it again), and what is wrong."""
    nps: str = ""
    csat: str = ""
    comment: str = ""
    errors: dict[str, str] = field(default_factory=dict)    # field -> message code (survey.html)

    clean: str = ""                                         # the comment as kept (NFC), when it is fine

    def values(self) -> tuple[int | None, int | None, str]:
        return (int(self.nps) if self.nps else None, int(self.csat) if self.csat else None, self.clean)


def parse(form: dict[str, str]) -> Answer:
    """The form's fields, checked: NPS 0..10 and CSAT 1..5 when given (at least one of them),
    a comment of at most :data:`COMMENT_MAX` characters by the store's rule for free text
    (:func:`core.validation.normalize_free_text`: NFC; new lines and tabs are fine, control
    characters, bidi overrides and a lone CR are not). ``errors`` names each field that is wrong."""
    a = Answer(form.get("nps", "")[:8].strip(), form.get("csat", "")[:8].strip(),
               form.get("comment", "")[:COMMENT_MAX * 4].replace("\r\n", "\n"))
    for name, allowed in (("nps", NPS_RANGE), ("csat", CSAT_RANGE)):
        text = getattr(a, name)
        if text and not (text.isascii() and text.isdigit() and int(text) in allowed):
            a.errors[name] = "range"
    if not a.nps and not a.csat and "nps" not in a.errors and "csat" not in a.errors:
        a.errors["answer"] = "missing"
    try:
        a.clean = normalize_free_text(a.comment, field="comment", max_len=COMMENT_MAX, multiline=True)
    except ValidationError as exc:
        a.errors["comment"] = "long" if "n" in exc.params else "control"
    return a


def check_link(conn: Connection, text: str, now: datetime) -> Link:
    """The verified token of an answerable link; :class:`Refused` otherwise (a token that
    is garbled, names no enrolled store, was not signed with its key or runs longer than any
    store's setting allows (:data:`LONGEST`): ``invalid``; answered already by this link:
    ``answered``; past its expiry: ``closed``; its visit answered already, at the store's
    display or by another invitation's link: ``answered``)."""
    link = verified(conn, text, tokens.SURVEY_KINDS, LONGEST, now)
    token = link.token
    if conn.scalar(select(hq_survey_answer.c.invitation_id)
                   .where(hq_survey_answer.c.invitation_id == token.invitation_id)) is not None:
        raise Refused("answered")
    if token.expired(now):
        raise Refused("closed")
    if _visit_answered(conn, token):
        raise Refused("answered")
    return link


def _visit_answered(conn: Connection, token: tokens.Token) -> bool:
    """Does HQ hold a live survey of the store's for the token's visit (answered on the
    store's display, or by another invitation's link)? The JSON field is read the same way
    on PostgreSQL (``->>``) and SQLite (``json_extract``)."""
    r = hq_row.c
    return conn.execute(select(r.entity_id).where(
        r.entity == "survey", r.owner_store_id == token.store_id, r.deleted.is_(False),
        r.data[_VISIT_FIELD[token.visit_kind]].as_string() == str(token.visit_id)).limit(1)).first() is not None


def _visit(conn: Connection, token: tokens.Token) -> tuple[uuid.UUID | None, str | None]:
    """The visit's customer, when HQ holds the visit's row, and the member of staff who served
    the customer at the counter: for a ticket, who handed it over (its latest ``collected``
    history entry, when HQ holds it); never the technician (their CSAT comes from the visit's
    technician in the satisfaction report). An appointment names no counter staff: None."""
    r = hq_row.c
    customer_id = conn.scalar(select(r.customer_id).where(
        r.entity == _ENTITY[token.visit_kind], r.entity_id == str(token.visit_id),
        r.owner_store_id == token.store_id, r.deleted.is_(False)))
    return customer_id, _collected_by(conn, token) if token.visit_kind == "ticket" else None


def _collected_by(conn: Connection, token: tokens.Token) -> str | None:
    """The staff id on the ticket's latest ``collected`` history entry at HQ (None without one)."""
    r = hq_row.c
    staff_id = conn.scalar(select(r.data["staff_id"].as_string()).where(
        r.entity == "repair_event", r.owner_store_id == token.store_id, r.deleted.is_(False),
        r.data["ticket_id"].as_string() == str(token.visit_id), r.data["to_status"].as_string() == "collected")
        .order_by(r.data["at"].as_string().desc(), r.seq.desc()).limit(1))
    return staff_id or None


def record(engine: Engine, text: str, answer: Answer, lang: str, now: datetime) -> uuid.UUID:
    """Answer the link once: the invitation marked answered and the store's survey row
    written (:func:`hq.publish.write_for_store`) in one transaction. :class:`Refused` when
    the link cannot be answered (a second answer, for the link or the visit: ``answered``).
    The survey names the visit's customer unless their ``hq_transfer`` consent is withdrawn
    (HQ would then drop the comment with the other personal columns): without the customer
    the answer and its comment still count for the store. Returns the survey's id."""
    nps, csat, comment = answer.values()
    survey_id = uuid7()
    for with_customer in (True, False):
        try:
            with _write(engine) as conn, conn.begin():
                link = check_link(conn, text, now)
                t = link.token
                if is_postgres(engine):                # two links of one visit answered at once: one by one
                    conn.execute(sql("SELECT pg_advisory_xact_lock(:c, hashtext(:v))"),
                                 {"c": _VISIT_LOCK, "v": str(t.visit_id)})
                    if _visit_answered(conn, t):
                        raise Refused("answered")
                done = conn.execute(_upsert_ignore(conn, hq_survey_answer).values(
                    invitation_id=t.invitation_id, store_id=t.store_id, answered_at=now)
                    .returning(hq_survey_answer.c.invitation_id)).first()
                if done is None:                  # another answer committed a moment ago
                    raise Refused("answered")
                customer_id, staff_id = _visit(conn, t) if with_customer else (None, None)
                if customer_id is not None and Guard(conn, t.store_id).withdrawn(customer_id):
                    customer_id = None
                data = {"id": str(survey_id), "store_id": str(t.store_id),
                        "ticket_id": str(t.visit_id) if t.visit_kind == "ticket" else None,
                        "appointment_id": str(t.visit_id) if t.visit_kind == "appointment" else None,
                        "invitation_id": str(t.invitation_id), "customer_id": jsonable(customer_id),
                        "staff_id": staff_id,
                        "nps": nps, "csat": csat, "comment": comment, "channel": "receipt",
                        "language": lang, "at": jsonable(now)}
                publish.write_for_store(engine, link.store,
                                        [publish.Change("survey", str(survey_id), data)],
                                        now_ms=int(now.timestamp() * 1000), conn=conn)
            return survey_id
        except HqError as exc:
            # refused by the store's rules (e.g. the customer was erased since the visit):
            # the answer still counts for the store, without naming the customer
            log.warning("survey answer for store %s refused (%s); written without the customer", t.store_id,
                        exc.code)
            if not with_customer:
                raise
    raise AssertionError("unreachable")


# --- the pages ---------------------------------------------------------------------------------

def render(template: str, status: int, lang: str, **values: Any) -> Response:
    return public_pages.render(template, status, lang, PATH, nps_range=list(NPS_RANGE), csat_range=list(CSAT_RANGE),
                               comment_max=COMMENT_MAX, **values)


def _refusal(lang: str, exc: Refused) -> Response:
    return render("survey_done.html", exc.status, lang, state=exc.why)


def show(engine: Engine, text: str, lang: str) -> Response:
    try:
        with engine.connect() as conn:
            check_link(conn, text, clock.now())
    except Refused as exc:
        return _refusal(lang, exc)
    return render("survey.html", 200, lang, token=text, answer=Answer())


def submit(engine: Engine, form: dict[str, str], lang: str) -> Response:
    text = form.get("t", "")
    now = clock.now()
    try:
        with engine.connect() as conn:
            check_link(conn, text, now)
        answer = parse(form)
        if answer.errors:
            return render("survey.html", 400, lang, token=text, answer=answer)
        record(engine, text, answer, lang, now)
    except Refused as exc:
        return _refusal(lang, exc)
    return render("survey_done.html", 200, lang, state="thanks")


def mount(app: FastAPI) -> None:
    engine: Engine = app.state.engine

    @app.get(PATH, include_in_schema=False)
    async def survey_page(request: Request) -> Response:
        q = request.query_params
        return await run_in_threadpool(show, engine, q.get("t") or "", lang_of(request, q.get("lang")))

    @app.post(PATH, include_in_schema=False)
    async def survey_answer(request: Request) -> Response:
        form = await read_form(request)
        return await run_in_threadpool(submit, engine, form, lang_of(request, form.get("lang")))


__all__ = ["COMMENT_MAX", "PATH", "Answer", "Refused", "check_link", "choose_lang", "mount", "parse", "record"]
