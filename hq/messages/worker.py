"""HQ's message worker: one pass takes the due requests, claims, renders, sends, records.

A request is due when the store's row (``hq_row``, entity ``message_request``) is live, not
cancelled, its ``send_after`` has come, and HQ has no message for it yet, or HQ's message
waits for a retry (or the end of quiet hours) whose time has come. Each is handled in three
steps:

1. **claim**, in one transaction: insert ``hq_message`` (primary key = the request's id)
   with status ``sending``, or move a waiting one from ``queued`` to ``sending``; only the
   pass whose insert or update took the row goes on, so two passes (or two HQ processes)
   never send one request twice. A request the store cancelled is not due (the store's row
   stays as the store wrote it: the store knows it cancelled, and may take the request up
   again for its event); one cancelled while it waited for a retry is forgotten. In the
   same transaction: an SMS in the store's quiet hours (21:00–09:00 local unless the store's
   ``sms_quiet_hours`` setting says otherwise) waits until they end; a customer HQ no longer
   may write to (erased, merged away, "no contact", a promotional kind without the channel's
   marketing consent in force) is suppressed; the address is read from HQ's customer row
   and the message rendered (the subject and body kept 30 days).
2. **send**, outside any transaction.
3. **record**: sent (with the provider's ref), or a definite failure retried after 1, 5, 30
   minutes and 2 hours and then failed with its reason code; every status the store should
   see is written back onto its row (:mod:`hq.messages.status`).

A message left ``sending`` by a process that died mid-send is failed (``interrupted``) after
:data:`STUCK`: it may have gone, so it is not sent again (and a send that does end after
that keeps the first final state: only a message still ``sending`` is recorded). The clock
is read for each claim and each record, so a long pass stamps each message with its own
moment (quiet hours too); a request that cannot be prepared (malformed) is failed
``invalid_request`` on its own and the pass goes on. Bodies older than
:data:`BODY_DAYS` are blanked in every pass. The log names request ids, kinds and codes
only: never an address, a name or a body.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, Uuid, cast, delete, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from core import clock as core_clock
from core.care.tokens import SURVEY_KINDS
from core.messages import CHANNELS, KINDS, rules
from core.messages.settings import QUIET_HOURS_DEFAULT, quiet_hours_in
from hq.common import _upsert_ignore, _write
from hq.messages import links, render, status
from hq.messages.sms import NOT_CONFIGURED, SendResult, SmsGateway
from hq.models import hq_message, hq_row, hq_store

log = logging.getLogger("orchard.hq")

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
QUIET_HOURS = QUIET_HOURS_DEFAULT
STUCK = timedelta(minutes=15)
BODY_DAYS = 30
INTERVAL_S = 15.0
ENTITY = status.ENTITY


class EmailSender(Protocol):
    def send(self, to: str, subject: str, body: str, *, ref: str,
             unsubscribe_url: str | None = None) -> SendResult: ...


@dataclass
class PassReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    waiting: int = 0             # SMS held for the end of quiet hours
    suppressed: int = 0
    purged: int = 0              # bodies blanked

    def __str__(self) -> str:
        return (f"sent {self.sent}, failed {self.failed}, retrying {self.retrying}, waiting {self.waiting}, "
                f"suppressed {self.suppressed}, bodies blanked {self.purged}")


@dataclass
class _Context:
    clock: Callable[[], datetime]
    smtp: EmailSender | None
    sms: SmsGateway | None
    public_url: str
    template_dir: Path | None
    report: PassReport = field(default_factory=PassReport)
    now: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.tick()

    def tick(self) -> datetime:
        """Read the clock again: each claim and each record has its own moment (a long pass
        must not stamp a claim with its start, or another process takes it for stuck)."""
        self.now = self.clock()
        return self.now


@dataclass
class _Job:
    """A claimed message, rendered, ready to go."""
    id: uuid.UUID
    store_id: uuid.UUID
    kind: str
    channel: str
    to: str
    subject: str
    body: str
    attempts: int                # before this one
    unsubscribe_url: str | None


class _Stop(Exception):
    """The claimed message ends here (suppressed or failed before sending)."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str) and value:
        try:
            return _aware(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


# --- one pass ----------------------------------------------------------------------------------------

def run_once(engine: Engine, *, now: datetime | None = None, clock: Callable[[], datetime] | None = None,
             smtp: EmailSender | None = None, sms: SmsGateway | None = None, public_url: str = "",
             template_dir: Path | None = None, limit: int = 500) -> PassReport:
    """One pass over the due requests (at most ``limit``); see the module's text. The clock
    (``clock``, else :func:`core.clock.now`; ``now`` alone pins the whole pass) is read again
    for each claim and each record."""
    ctx = _Context(clock or ((lambda: now) if now is not None else core_clock.now), smtp, sms, public_url,
                   template_dir)
    ctx.report.purged = purge_bodies(engine, ctx.now)
    _fail_stuck(engine, ctx)
    for request_id, retry in _due(engine, ctx.now, limit):
        try:
            job = _claim(engine, ctx, request_id, retry)
            if job is not None:
                _record(engine, ctx, job, _send(ctx, job))
        except SQLAlchemyError as exc:       # this one waits for the next pass; the others go on
            log.error("message %s: database error (%s)", request_id, type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - one malformed request must not stop the others
            log.error("message %s: could not be prepared (%s)", request_id, type(exc).__name__)
            _fail_malformed(engine, ctx, request_id)
    return ctx.report


def purge_bodies(engine: Engine, now: datetime) -> int:
    """Blank the subject and body of messages made more than :data:`BODY_DAYS` ago (the
    delivery record stays)."""
    m = hq_message.c
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(hq_message).where(
            m.created_at < now - timedelta(days=BODY_DAYS), or_(m.body.is_not(None), m.subject.is_not(None)))
            .values(subject=None, body=None))
    return int(done.rowcount or 0)


def _due(engine: Engine, now: datetime, limit: int) -> list[tuple[uuid.UUID, bool]]:
    """(request id, has a message already) of every request due now."""
    r, m = hq_row.c, hq_message.c
    key = cast(r.entity_id, Uuid) if engine.dialect.name == "postgresql" else func.replace(r.entity_id, "-", "")
    out: list[tuple[uuid.UUID, bool]] = []
    with engine.connect() as conn:
        fresh = conn.execute(select(r.entity_id, r.data).where(
            r.entity == ENTITY, r.deleted.is_(False), ~func.coalesce(r.data["cancelled"].as_boolean(), False),
            # a request a store already holds as sent, delivered or failed (one from before HQ
            # kept its records, or a store's history) is history, not work
            func.coalesce(r.data["status"].as_string(), "queued") == "queued",
            ~select(m.id).where(m.id == key).exists()).order_by(r.seq))
        for row in fresh:
            after = _aware(row.data.get("send_after")) if isinstance(row.data, dict) else None
            rid = _uuid(row.entity_id)
            if rid is not None and (after is None or after <= now):
                out.append((rid, False))
            if len(out) >= limit:
                return out
        waiting = conn.execute(select(m.id).where(m.status == "queued", m.next_attempt_at <= now)
                               .order_by(m.next_attempt_at).limit(limit - len(out)))
        out.extend((row.id, True) for row in waiting)
    return out


def _fail_stuck(engine: Engine, ctx: _Context) -> None:
    """Fail (``interrupted``) what has been ``sending`` longer than :data:`STUCK`, each in a
    transaction of its own: one that cannot be written does not keep the others (or the pass)
    from going on."""
    m = hq_message.c
    stuck = (m.status == "sending", m.next_attempt_at < ctx.now - STUCK)
    with engine.connect() as conn:
        ids = conn.scalars(select(m.id).where(*stuck)).all()
    for request_id in ids:
        try:
            with _write(engine) as conn, conn.begin():
                row = conn.execute(select(m.store_id, m.attempts).where(m.id == request_id, *stuck)
                                   .with_for_update(skip_locked=True)).first()
                if row is not None:
                    _finish(conn, ctx, request_id, row.store_id, "failed", "interrupted", row.attempts + 1)
        except Exception as exc:  # noqa: BLE001 - the next pass tries it again; the others go on
            log.error("message %s: could not be failed as interrupted (%s)", request_id, type(exc).__name__)


def _fail_malformed(engine: Engine, ctx: _Context, request_id: uuid.UUID) -> None:
    """Fail (``invalid_request``) a request whose claim raised, in a transaction of its own (the
    claim's rolled back), so later passes do not trip on it again; the store is told. A
    message another pass holds (``sending``) or that has ended is left alone."""
    m = hq_message.c
    try:
        with _write(engine) as conn, conn.begin():
            row = conn.execute(select(hq_row.c.data, hq_row.c.owner_store_id).where(
                hq_row.c.entity == ENTITY, hq_row.c.entity_id == str(request_id))).first()
            data: dict[str, Any] = dict(row.data) if row is not None and isinstance(row.data, dict) else {}
            store_id = _uuid(data.get("store_id")) or (row.owner_store_id if row is not None else None)
            if store_id is None:
                return
            now = ctx.tick()
            took = conn.execute(_upsert_ignore(conn, hq_message).values(  # type: ignore[no-untyped-call]
                id=request_id, store_id=store_id, kind=str(data.get("kind") or "")[:30],
                channel=str(data.get("channel") or "")[:8], status="sending", reason="", attempts=0,
                next_attempt_at=now, created_at=now).returning(m.attempts)).first()
            if took is None:                 # a retry the claim left waiting
                took = conn.execute(update(hq_message).where(m.id == request_id, m.status == "queued")
                                    .values(status="sending", next_attempt_at=now).returning(m.attempts)).first()
            if took is not None:
                _finish(conn, ctx, request_id, store_id, "failed", "invalid_request", took.attempts)
    except Exception as exc:  # noqa: BLE001 - the next pass tries it again; the others go on
        log.error("message %s: could not be failed (%s)", request_id, type(exc).__name__)


# --- claim ---------------------------------------------------------------------------------------------

def _claim(engine: Engine, ctx: _Context, request_id: uuid.UUID, retry: bool) -> _Job | None:
    """Take the message for this pass and prepare it (see the module's text); None when another
    pass has it, it waits for quiet hours to end, or it ended here."""
    ctx.tick()                               # this claim's moment (and its quiet hours)
    with _write(engine) as conn, conn.begin():
        row = conn.execute(select(hq_row.c.data, hq_row.c.owner_store_id, hq_row.c.deleted).where(
            hq_row.c.entity == ENTITY, hq_row.c.entity_id == str(request_id))).first()
        if row is None:
            return None
        data: dict[str, Any] = dict(row.data)
        store_id = _uuid(data.get("store_id")) or row.owner_store_id
        kind, channel = str(data.get("kind") or "")[:30], str(data.get("channel") or "")[:8]
        if store_id is None:
            return None
        attempts = 0
        if retry:
            m = hq_message.c
            took = conn.execute(update(hq_message).where(
                m.id == request_id, m.status == "queued", m.next_attempt_at <= ctx.now)
                .values(status="sending", next_attempt_at=ctx.now).returning(m.attempts)).first()
            if took is None:
                return None
            attempts = took.attempts
        else:
            took = conn.execute(_upsert_ignore(conn, hq_message).values(  # type: ignore[no-untyped-call]
                id=request_id, store_id=store_id, kind=kind, channel=channel, status="sending", reason="",
                attempts=0, next_attempt_at=ctx.now, created_at=ctx.now).returning(hq_message.c.id)).first()
            if took is None:
                return None                  # another pass took it a moment ago
        if row.deleted or data.get("cancelled"):
            # cancelled while it waited: nothing was sent (every earlier attempt failed
            # certainly), so HQ forgets it; the store may take the request up again for its
            # event (core.messages.queue), and HQ then sends it as new
            conn.execute(delete(hq_message).where(hq_message.c.id == request_id))
            ctx.report.suppressed += 1
            log.info("message %s (%s): cancelled by the store, not sent", request_id, kind)
            return None
        try:
            if kind not in KINDS or channel not in CHANNELS:
                raise _Stop("failed", "invalid_request")
            store = _store(conn, store_id)
            if channel == "sms" and _hold_for_quiet_hours(conn, ctx, request_id, store_id, store, attempts):
                return None
            return _prepare(conn, ctx, request_id, store_id, store, data, attempts)
        except _Stop as stop:
            _finish(conn, ctx, request_id, store_id, stop.status, stop.reason, attempts)
            return None


def _store(conn: Connection, store_id: uuid.UUID) -> dict[str, Any]:
    """What messages need of the store: its row's name, phone, zone, currency and settings,
    HQ's zone for it when the row has none, and its credential hash (the links' key)."""
    data = conn.scalar(select(hq_row.c.data).where(hq_row.c.entity == "store", hq_row.c.entity_id == str(store_id),
                                                   hq_row.c.deleted.is_(False))) or {}
    hq = conn.execute(select(hq_store.c.timezone, hq_store.c.currency, hq_store.c.credential_hash, hq_store.c.name)
                      .where(hq_store.c.store_id == store_id)).first()
    return {"name": data.get("name") or (hq.name if hq else ""), "phone": data.get("phone") or "",
            "timezone": data.get("timezone") or (hq.timezone if hq else None) or "UTC",
            "currency": data.get("currency") or (hq.currency if hq else None) or "USD",
            "settings": data.get("settings") if isinstance(data.get("settings"), dict) else {},
            "credential_hash": hq.credential_hash if hq else None}


def quiet_until(now: datetime, tz: str, hours: tuple[str, str] = QUIET_HOURS) -> datetime | None:
    """When the store's quiet hours (``hours``: start, end, local ``HH:MM``) end, if ``now``
    falls in them; None otherwise. A window may run over midnight (21:00–09:00)."""
    zone = ZoneInfo(tz)
    start, end = (time.fromisoformat(h) for h in hours)
    local = now.astimezone(zone)
    t = local.time().replace(tzinfo=None)
    if start == end:
        return None
    quiet = (t >= start or t < end) if start > end else (start <= t < end)
    if not quiet:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, zone).astimezone(timezone.utc)


def _quiet_hours_of(store: dict[str, Any]) -> tuple[str, str]:
    return quiet_hours_in(store["settings"])      # the store's setting (core.messages.settings), else the default


def _hold_for_quiet_hours(conn: Connection, ctx: _Context, request_id: uuid.UUID, store_id: uuid.UUID,
                          store: dict[str, Any], attempts: int) -> bool:
    try:
        until = quiet_until(ctx.now, store["timezone"], _quiet_hours_of(store))
    except (KeyError, ValueError):          # an unknown zone: no quiet hours rather than no message
        until = None
    if until is None:
        return False
    conn.execute(update(hq_message).where(hq_message.c.id == request_id)
                 .values(status="queued", reason="quiet_hours", next_attempt_at=until))
    status.report(conn, store_id, request_id, status="queued", reason="quiet_hours", attempts=attempts, now=ctx.now)
    ctx.report.waiting += 1
    log.info("message %s: held for the store's quiet hours", request_id)
    return True


def _customer(conn: Connection, customer_id: uuid.UUID | None) -> dict[str, Any]:
    if customer_id is None:
        raise _Stop("suppressed", "no_address")
    data = conn.scalar(select(hq_row.c.data).where(hq_row.c.entity == "customer",
                                                   hq_row.c.entity_id == str(customer_id),
                                                   hq_row.c.deleted.is_(False)))
    if not data or data.get("erased") or data.get("merged_into_id"):
        raise _Stop("suppressed", "no_address")
    return dict(data)


def consent_rows(conn: Connection, customer_id: uuid.UUID) -> list[rules.ConsentRow]:
    """The customer's consent decisions HQ holds, as :mod:`core.messages.rules` reads them."""
    found = conn.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
        hq_row.c.entity == "consent", hq_row.c.deleted.is_(False), hq_row.c.customer_id == customer_id))
    return [rules.row_of(eid, data or {}) for eid, data in found]


def consent_in_force(conn: Connection, customer_id: uuid.UUID, purpose: str) -> bool:
    """The customer's latest decision for ``purpose`` is a grant (:func:`core.messages.rules.consent_in_force`)."""
    return rules.consent_in_force(consent_rows(conn, customer_id), purpose)


def _ticket_preference(conn: Connection, data: dict[str, Any]) -> str | None:
    """A ticket message follows the ticket's contact preference as HQ holds it (none held:
    the channel the store chose); None for other messages."""
    ticket_id = _uuid(data.get("ticket_id"))
    if ticket_id is None:
        return None
    ticket = conn.scalar(select(hq_row.c.data).where(hq_row.c.entity == "repair_ticket",
                                                     hq_row.c.entity_id == str(ticket_id)))
    return str(ticket.get("contact_preference") or "") if ticket else str(data.get("channel") or "")


def _prepare(conn: Connection, ctx: _Context, request_id: uuid.UUID, store_id: uuid.UUID, store: dict[str, Any],
             data: dict[str, Any], attempts: int) -> _Job:
    kind, channel = data["kind"], data["channel"]
    customer_id = _uuid(data.get("customer_id"))
    customer = _customer(conn, customer_id)
    assert customer_id is not None
    to = str(customer.get("phone_e164") if channel == "sms" else customer.get("email") or "").strip()
    if to == "None":
        to = ""
    # the ONE rule, as things stand now: "none", a STOP / unsubscribe, another channel, the consent
    ok, reason = rules.may_send(kind, channel, preference=str(customer.get("contact_preference") or ""),
                                ticket_preference=_ticket_preference(conn, data),
                                has_phone=bool(to) if channel == "sms" else bool(customer.get("phone_e164")),
                                has_email=bool(to) if channel == "email" else bool(customer.get("email")),
                                consents=consent_rows(conn, customer_id))
    if not ok:
        raise _Stop("failed" if reason == rules.NO_ADDRESS else "suppressed", reason)
    if (ctx.smtp if channel == "email" else ctx.sms) is None:
        raise _Stop("failed", NOT_CONFIGURED)
    language = render.language_of(str(data.get("language") or ""))
    given = data.get("params")
    params: dict[str, Any] = given if isinstance(given, dict) else {}
    try:
        values = render.values(params, language, tz=store["timezone"], currency=store["currency"],
                               service_name=_service_name(conn, params.get("service")))
    except (LookupError, ValueError, TypeError):     # an unknown zone or currency in the request
        raise _Stop("failed", "invalid_request") from None
    values.update(customer_name=str(customer.get("given_name") or ""), store_name=str(store["name"]),
                  store_phone=str(store["phone"]))
    unsubscribe = _links(ctx, values, request_id, store_id, store, data, params, language)
    try:
        msg = render.render(conn, kind, language, channel, values, template_dir=ctx.template_dir)
    except render.TemplateError as exc:
        log.warning("message %s (%s, %s): template %s", request_id, kind, language, exc.code)
        raise _Stop("failed", "template_error") from None
    conn.execute(update(hq_message).where(hq_message.c.id == request_id)
                 .values(subject=msg.subject or None, body=msg.body))
    return _Job(request_id, store_id, kind, channel, to, msg.subject, msg.body, attempts,
                unsubscribe if channel == "email" else None)


def _service_name(conn: Connection, code: Any) -> str | None:
    if not isinstance(code, str) or not code:
        return None
    name = conn.scalar(select(hq_row.c.data["name"].as_string()).where(
        hq_row.c.entity == "service_type", hq_row.c.deleted.is_(False),
        hq_row.c.data["code"].as_string() == code).limit(1))
    return str(name) if name else None


def _links(ctx: _Context, values: dict[str, str], request_id: uuid.UUID, store_id: uuid.UUID,
           store: dict[str, Any], data: dict[str, Any], params: dict[str, Any], language: str) -> str | None:
    """Put ``{link}`` (approval, survey) and ``{unsubscribe_link}`` into ``values`` when HQ can
    make them (a public URL and the store's key); returns the unsubscribe URL. A survey
    invitation without its invitation, its visit or a survey visit kind is ``invalid_request``."""
    invitation, visit = _uuid(params.get("invitation_id")), _uuid(params.get("visit_id"))
    if data["kind"] == "survey_invitation" and not (invitation and visit and params.get("visit_kind") in SURVEY_KINDS):
        raise _Stop("failed", "invalid_request")
    key = store["credential_hash"]
    if not ctx.public_url or not key:
        return None
    base = dict(public_url=ctx.public_url, credential_hash=key, store_id=store_id, now=ctx.now, lang=language)
    ticket_id = _uuid(data.get("ticket_id"))
    if data["kind"] == "approval_needed" and ticket_id is not None:
        values["link"] = links.approval_url(request_id=request_id, ticket_id=ticket_id, **base)
    if data["kind"] == "survey_invitation" and invitation and visit:
        values["link"] = links.survey_url(invitation_id=invitation, visit_kind=str(params["visit_kind"]),
                                          visit_id=visit, **base)
    values["unsubscribe_link"] = links.unsubscribe_url(request_id=request_id, **base)
    return values["unsubscribe_link"]


# --- send and record ---------------------------------------------------------------------------------

def _send(ctx: _Context, job: _Job) -> SendResult:
    try:
        if job.channel == "email":
            assert ctx.smtp is not None
            return ctx.smtp.send(job.to, job.subject, job.body, ref=str(job.id), unsubscribe_url=job.unsubscribe_url)
        assert ctx.sms is not None
        return ctx.sms.send(job.to, job.body, str(job.id))
    except Exception as exc:  # noqa: BLE001 - an adapter's bug must not stop the pass; it may have sent
        log.error("message %s: the %s sender failed (%s)", job.id, job.channel, type(exc).__name__)
        return SendResult(False, reason="sender_error", retry=False)


def _record(engine: Engine, ctx: _Context, job: _Job, result: SendResult) -> None:
    """Write the outcome at the clock's moment now, onto a message still ``sending`` only: one
    another process failed (``interrupted``) while this send took its time keeps that first
    final state (the store was told so); the log notes, by id and codes, what the send did."""
    attempts = job.attempts + 1
    m = hq_message.c
    now = ctx.tick()
    mine = (m.id == job.id, m.status == "sending")
    with _write(engine) as conn, conn.begin():
        if result.ok:
            if not conn.execute(update(hq_message).where(*mine).values(
                    status="sent", reason="", attempts=attempts, sent_at=now, next_attempt_at=None,
                    provider_ref=(result.provider_ref or str(job.id))[:100])).rowcount:
                _kept(conn, job, "sent")
                return
            status.report(conn, job.store_id, job.id, status="sent", reason="", attempts=attempts, now=now)
            ctx.report.sent += 1
            log.info("message %s (%s, %s): sent", job.id, job.kind, job.channel)
        elif result.retry and attempts < MAX_ATTEMPTS:
            if not conn.execute(update(hq_message).where(*mine).values(
                    status="queued", reason=result.reason[:40], attempts=attempts,
                    next_attempt_at=now + BACKOFF[attempts - 1])).rowcount:
                _kept(conn, job, result.reason)
                return
            status.report(conn, job.store_id, job.id, status="queued", reason="retrying", attempts=attempts, now=now)
            ctx.report.retrying += 1
            log.info("message %s (%s, %s): %s, retry %d", job.id, job.kind, job.channel, result.reason, attempts)
        elif not _finish(conn, ctx, job.id, job.store_id, "failed", result.reason or "failed", attempts):
            _kept(conn, job, result.reason or "failed")


def _kept(conn: Connection, job: _Job, outcome: str) -> None:
    row = conn.execute(select(hq_message.c.status, hq_message.c.reason).where(hq_message.c.id == job.id)).first()
    log.warning("message %s (%s, %s): the send ended %s, but the message was already %s (%s); that is kept",
                job.id, job.kind, job.channel, outcome, row.status if row else "gone", row.reason if row else "")


def _end(conn: Connection, request_id: uuid.UUID, final: str, reason: str, attempts: int) -> bool:
    """End a message still ``sending`` (the first final state stays); False when it was not."""
    done = conn.execute(update(hq_message).where(hq_message.c.id == request_id, hq_message.c.status == "sending")
                        .values(status=final, reason=reason[:40], attempts=attempts, next_attempt_at=None))
    return bool(done.rowcount)


def _finish(conn: Connection, ctx: _Context, request_id: uuid.UUID, store_id: uuid.UUID, final: str, reason: str,
            attempts: int) -> bool:
    """The message ends ``final`` (failed, suppressed) with ``reason``; the store is told.
    False (nothing written) when it was no longer ``sending``."""
    if not _end(conn, request_id, final, reason, attempts):
        return False
    status.report(conn, store_id, request_id, status=final, reason=reason, attempts=attempts, now=ctx.now)
    if final == "failed":
        ctx.report.failed += 1
    else:
        ctx.report.suppressed += 1
    log.info("message %s: %s (%s)", request_id, final, reason)
    return True


# --- the loop in ``orchard-hq serve`` / ``send-messages`` ---------------------------------------------

def senders(settings: Any) -> tuple[EmailSender | None, SmsGateway | None]:
    """The SMTP sender and SMS gateway ``settings`` (:class:`hq.messages.settings.Settings`) configure."""
    from hq.messages.sms import HttpGateway
    from hq.messages.smtp import SmtpSender
    return (SmtpSender(settings.smtp) if settings.smtp else None,
            HttpGateway(settings.sms) if settings.sms else None)


class Loop:
    """A thread that runs :func:`run_once` every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, engine: Engine, settings: Any, interval: float = INTERVAL_S):
        self.engine = engine
        self.settings = settings
        self.interval = interval
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="orchard-hq-messages", daemon=True)

    def start(self) -> Loop:
        self.thread.start()
        return self

    def _run(self) -> None:
        smtp, sms = senders(self.settings)
        while not self.stopping.is_set():
            try:
                report = run_once(self.engine, smtp=smtp, sms=sms, public_url=self.settings.public_url)
                if report.sent or report.failed or report.retrying:
                    log.info("messages: %s", report)
            except Exception as exc:  # noqa: BLE001 - the loop outlives one bad pass
                log.error("messages: a pass failed (%s)", type(exc).__name__)
            self.stopping.wait(self.interval)

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout)


__all__ = ["BACKOFF", "BODY_DAYS", "MAX_ATTEMPTS", "QUIET_HOURS", "EmailSender", "Loop", "PassReport",
           "consent_in_force", "consent_rows", "purge_bodies", "quiet_until", "run_once", "senders"]
