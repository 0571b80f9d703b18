"""Customer messages at the console (issue 22): the message templates (every kind in
:data:`core.messages.KINDS` × English and Chinese × email and SMS), edited as an
``hq_message_template`` row that overrides the file template shipped in
``hq/messages/templates`` and reset to the file's; a preview filled with sample values
(a sample customer, ticket, amount and times in a store's zone) with the SMS length in
characters and segments; a test send to an address or number typed at the console (never
kept: the audit log names the template and the result, not the address); the delivery log
(per store, a regional manager its region's: kind, channel, status, reason, attempts and
times, never the address or the body); and whether SMTP and the SMS gateway are set up.

Placeholders are ``{name}`` (``str.format``); an unknown one is refused beside its field."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from typing import Mapping
from urllib.parse import urlsplit

from sqlalchemy import Engine, delete, insert, select, update

from core.messages import KINDS
from hq.common import _now, _write
from hq.console import audit, roles
from hq.console.accounts import ConsoleError, User
from hq.console.care_rules import clean_text
from hq.console.i18n import N_
from hq.console.reference import FieldErrors
from hq.messages import links, render, settings, sms, smtp
from hq.models import hq_message, hq_message_template, hq_store

VIEW, EDIT = "messages.view", "messages.edit"
LANGS = ("en", "zh_CN")
CHANNELS = ("email", "sms")
SUBJECT_MAX, EMAIL_MAX, SMS_MAX = 200, 4000, 1000
LOG_LIMIT = 200
# the delivery log's filter, failed first
LOG_STATUSES = ("failed", "queued", "sending", "sent", "delivered", "suppressed")

# what every template may use, then each kind's own (the spec's params as the renderer formats them)
COMMON = ("customer_name", "store_name", "store_phone")
_APPOINTMENT = ("starts_at", "service")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "appointment_confirmed": _APPOINTMENT, "appointment_changed": _APPOINTMENT,
    "appointment_cancelled": _APPOINTMENT, "appointment_reminder": _APPOINTMENT,
    "repair_received": ("ticket_number", "device"),
    "approval_needed": ("ticket_number", "device", "amount", "covers", "link"),
    "ready_for_pickup": ("ticket_number", "device", "amount"),
    "still_waiting": ("ticket_number", "device", "days"),
    "tradein_expiring": ("expires_at", "value", "amount"),
    "points_expiring": ("points", "expires_on"),
    "survey_invitation": ("link",),
}
assert set(KIND_FIELDS) == set(KINDS)
assert set(COMMON).union(*KIND_FIELDS.values(), {"unsubscribe_link"}) <= render.PLACEHOLDERS


def placeholders(kind: str, channel: str) -> tuple[str, ...]:
    return COMMON + KIND_FIELDS[kind] + (("unsubscribe_link",) if channel == "email" else ())


def check_key(kind: str, lang: str, channel: str) -> None:
    if kind not in KINDS or lang not in LANGS or channel not in CHANNELS:
        raise ConsoleError(N_("No such message template."), 404)


# --- the templates ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Template:
    kind: str
    lang: str
    channel: str
    subject: str
    body: str
    edited: bool                       # an hq_message_template row overrides the file's
    updated_at: datetime | None = None


def file_template(kind: str, lang: str, channel: str) -> tuple[str, str]:
    """The shipped template (:func:`hq.messages.render.file_template`); empty when missing."""
    try:
        t = render.file_template(kind, lang, channel)
    except render.TemplateError:
        return "", ""
    return t.subject, t.body.rstrip()


def templates(engine: Engine) -> list[Template]:
    """Every kind × language × channel: the override when there is one, else the file's."""
    with engine.connect() as conn:
        rows = {(r.kind, r.language, r.channel): r for r in conn.execute(select(hq_message_template))}
    out = []
    for kind in KINDS:
        for lang in LANGS:
            for channel in CHANNELS:
                r = rows.get((kind, lang, channel))
                if r is not None:
                    out.append(Template(kind, lang, channel, r.subject or "", r.body, True, r.updated_at))
                else:
                    out.append(Template(kind, lang, channel, *file_template(kind, lang, channel), False))
    return out


def template(engine: Engine, kind: str, lang: str, channel: str) -> Template:
    check_key(kind, lang, channel)
    t = hq_message_template.c
    with engine.connect() as conn:
        r = conn.execute(select(hq_message_template).where(t.kind == kind, t.language == lang,
                                                           t.channel == channel)).first()
    if r is not None:
        return Template(kind, lang, channel, r.subject or "", r.body, True, r.updated_at)
    return Template(kind, lang, channel, *file_template(kind, lang, channel), False)


def _unknown(text: str, allowed: tuple[str, ...]) -> tuple[str, dict[str, object]] | None:
    """Why ``text``'s placeholders cannot be filled (:func:`hq.messages.render.placeholders`
    parses them): a brace that does not pair up or a placeholder that is not a plain
    ``{name}``, or a name this kind of message does not have."""
    try:
        names = render.placeholders(text)
    except render.TemplateError as exc:
        if exc.name:
            return N_("Unknown placeholder {%(name)s}: this message may use %(allowed)s."), {
                "name": exc.name, "allowed": ", ".join("{" + a + "}" for a in allowed)}
        return N_("A brace { or } does not pair up; write {{ or }} for a brace itself."), {}
    for name in names:
        if name not in allowed:
            return (N_("Unknown placeholder {%(name)s}: this message may use %(allowed)s."),
                    {"name": name, "allowed": ", ".join("{" + a + "}" for a in allowed)})
    return None


def check(kind: str, channel: str, form: dict[str, str]) -> tuple[str, str]:
    """(subject, body) from the form, or :class:`FieldErrors` beside the field."""
    allowed = placeholders(kind, channel)
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    subject = ""
    if channel == "email":
        subject, problem = clean_text(form.get("subject"), SUBJECT_MAX)
        if problem is None and "\n" in subject:
            problem = (N_("The subject is one line."), {})
        if problem is None and not subject:
            problem = (N_("Write the subject."), {})
        problem = problem or _unknown(subject, allowed)
        if problem:
            errors["subject"] = problem
    body, problem = clean_text(form.get("body"), EMAIL_MAX if channel == "email" else SMS_MAX)
    if problem is None and not body:
        problem = (N_("Write the message."), {})
    problem = problem or _unknown(body, allowed)
    if problem:
        errors["body"] = problem
    if errors:
        raise FieldErrors(errors)
    return subject, body


def save(engine: Engine, user: User, kind: str, lang: str, channel: str, form: dict[str, str]) -> None:
    """Keep the edited template (it overrides the file from the next message on); audited."""
    check_key(kind, lang, channel)
    subject, body = check(kind, channel, form)
    t = hq_message_template.c
    key = (t.kind == kind, t.language == lang, t.channel == channel)
    values = {"subject": subject, "body": body, "updated_at": _now(), "updated_by": user.id}
    with _write(engine) as conn, conn.begin():
        if conn.execute(update(hq_message_template).where(*key).values(**values)).rowcount == 0:
            conn.execute(insert(hq_message_template).values(kind=kind, language=lang, channel=channel, **values))
        audit.record(conn, user.id, "message.template", f"{kind}/{lang}/{channel}")


def reset(engine: Engine, user: User, kind: str, lang: str, channel: str) -> None:
    """Back to the file's template; audited."""
    check_key(kind, lang, channel)
    t = hq_message_template.c
    with _write(engine) as conn, conn.begin():
        conn.execute(delete(hq_message_template).where(t.kind == kind, t.language == lang, t.channel == channel))
        audit.record(conn, user.id, "message.reset", f"{kind}/{lang}/{channel}")


# --- preview ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sample:
    """The store a preview speaks for (a sample when HQ has none)."""
    code: str
    name: str
    timezone: str
    currency: str


SAMPLE_STORE = Sample("", "Orchard", "Asia/Shanghai", "CNY")
SAMPLE_PHONE = "+86 21 5555 0100"
SAMPLE_NAME = {"en": "Alex", "zh_CN": "小王"}
SAMPLE_COVERS = {"en": ["screen", "battery", "labour"], "zh_CN": ["屏幕", "电池", "工时"]}
SAMPLE_SERVICE = {"en": "Screen repair", "zh_CN": "屏幕维修"}
_SAMPLE_ID = uuid.UUID("00000000-0000-4000-8000-000000000022")
_SAMPLE_KEY = "0" * 64                  # a credential hash no store has


def sample_values(kind: str, lang: str, channel: str, store: Sample, base_url: str, now: datetime) -> dict[str, str]:
    """What the worker would put in for a sample customer, ticket and amounts, formatted by
    :func:`hq.messages.render.values` in the message's language and the store's zone."""
    starts = (now + timedelta(days=1)).astimezone(ZoneInfo(store.timezone)).replace(
        hour=10, minute=30, second=0, microsecond=0)
    params: dict[str, object] = {
        "ticket_number": f"{store.code or 'SH01'}-000123", "device": "iPhone 13", "amount_cents": 129900,
        "currency": store.currency, "covers": SAMPLE_COVERS[lang], "starts_at": starts.isoformat(),
        "service": "screen_repair", "days": 7, "expires_at": (starts + timedelta(days=2)).isoformat(),
        "value_cents": 210000, "points": 1200, "expires_on": (starts + timedelta(days=30)).date().isoformat()}
    values = render.values(params, lang, tz=store.timezone, currency=store.currency,
                           service_name=SAMPLE_SERVICE[lang])
    # links of the real length, signed with a key no store has (they open nothing)
    i = _SAMPLE_ID
    link = (links.approval_url(base_url, _SAMPLE_KEY, store_id=i, request_id=i, ticket_id=i, now=now, lang=lang)
            if kind == "approval_needed" else
            links.survey_url(base_url, _SAMPLE_KEY, store_id=i, invitation_id=i, visit_kind="ticket", visit_id=i,
                             now=now, lang=lang))
    values.update(customer_name=SAMPLE_NAME[lang], store_name=store.name, store_phone=SAMPLE_PHONE, link=link,
                  unsubscribe_link=links.unsubscribe_url(base_url, _SAMPLE_KEY, store_id=i, request_id=i, now=now,
                                                         lang=lang))
    return {k: values[k] for k in placeholders(kind, channel)}


def fill(text: str, values: dict[str, str]) -> str:
    return render.fill(text, values)


GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
           "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    characters: int
    segments: int
    unicode: bool                       # UCS-2 (e.g. Chinese): 70 in one message, 67 a part


def sms_length(text: str) -> SmsLength:
    """An SMS's characters and segments: GSM-7 160 in one, 153 a part of a longer one (an
    extension character such as € takes two); UCS-2 70 / 67 (UTF-16 units)."""
    if all(c in GSM7 or c in GSM7_EXT for c in text):
        units, one, part, uni = sum(2 if c in GSM7_EXT else 1 for c in text), 160, 153, False
    else:
        units, one, part, uni = len(text.encode("utf-16-le")) // 2, 70, 67, True
    return SmsLength(len(text), 0 if units == 0 else 1 if units <= one else math.ceil(units / part), uni)


# --- test send ----------------------------------------------------------------------------------

def check_recipient(channel: str, value: str) -> str:
    value = (value or "").strip()
    if channel == "email":
        local, at, domain = value.rpartition("@")
        if not at or not local or "." not in domain or len(value) > 254 or any(c.isspace() or c in "<>,;"
                                                                                 for c in value):
            raise FieldErrors({"to": (N_("Give an email address."), {})})
        return value
    digits = value.replace(" ", "").replace("-", "")
    if not (digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) - 1 <= 15):
        raise FieldErrors({"to": (N_("Give a phone number with its country code, e.g. +86 138 0013 8000."), {})})
    return digits


def record_test(engine: Engine, user: User, kind: str, lang: str, channel: str, ok: bool, reason: str) -> None:
    """The audit line of a test send: the template and the result, never the address."""
    with _write(engine) as conn, conn.begin():
        audit.record(conn, user.id, "message.test", f"{kind}/{lang}/{channel}",
                     "sent" if ok else f"failed {reason}"[:60])


# --- stores, delivery log -----------------------------------------------------------------------

def visible_stores(engine: Engine, user: User) -> list[Sample]:
    """The stores this user may see (a regional manager: its region's), by code."""
    s = hq_store.c
    with engine.connect() as conn:
        rows = conn.execute(select(s.code, s.name, s.timezone, s.currency, s.region_id).order_by(s.code)).all()
    return [Sample(r.code, r.name, r.timezone or SAMPLE_STORE.timezone, r.currency or SAMPLE_STORE.currency)
            for r in rows if roles.may_see_store(user.role, user.region_id, r.region_id)]


@dataclass(frozen=True)
class LogLine:
    store: str
    kind: str
    channel: str
    status: str
    reason: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    next_attempt_at: datetime | None


def delivery_log(engine: Engine, user: User, *, store: str = "", status: str = "", limit: int = LOG_LIMIT
                 ) -> list[LogLine]:
    """The newest messages of the stores this user may see (``store``: one of them;
    ``status``: only those); no address and no body, ever."""
    m, s = hq_message.c, hq_store.c
    q = (select(s.code, s.region_id, m.kind, m.channel, m.status, m.reason, m.attempts, m.created_at, m.sent_at,
                m.delivered_at, m.next_attempt_at)
         .select_from(hq_message.join(hq_store, hq_store.c.store_id == m.store_id))
         .order_by(m.created_at.desc(), m.id).limit(limit))
    scoped, region = roles.region_scope(user.role, user.region_id)
    if scoped:
        if region is None:
            return []
        q = q.where(s.region_id == region)
    if store:
        q = q.where(s.code == store.upper()[:8])
    if status in LOG_STATUSES:
        q = q.where(m.status == status)
    with engine.connect() as conn:
        return [LogLine(r.code, r.kind, r.channel, r.status, r.reason or "", r.attempts or 0, r.created_at,
                        r.sent_at, r.delivered_at, r.next_attempt_at) for r in conn.execute(q)]


# --- channel settings ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Channels:
    """What the page shows of HQ's settings (:func:`hq.messages.settings.from_env`): hosts
    and addresses, whether a secret is set; never a password, an auth header or a secret."""
    problem: str              # the settings cannot be used: the message names the variable
    smtp: bool
    smtp_host: str            # host:port
    smtp_tls: str
    smtp_from: str
    smtp_sign_in: bool        # a user name is set
    sms: bool
    sms_url: str              # scheme, host, port and path: no query (it may carry a key), no user info
    sms_auth: bool            # an auth header is set
    webhook_secret: bool
    public_url: str


def safe_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


def channels(env: Mapping[str, str] | None = None) -> Channels:
    """HQ's email and SMS set-up as this process reads it from its environment."""
    try:
        s = settings.from_env(env)
    except settings.SettingsError as exc:
        return Channels(str(exc), False, "", "", "", False, False, "", False, False, "")
    smtp, sms = s.smtp, s.sms
    return Channels("", smtp is not None, f"{smtp.host}:{smtp.port}" if smtp else "", smtp.tls if smtp else "",
                    smtp.sender if smtp else "", bool(smtp and smtp.user), sms is not None,
                    safe_url(sms.url) if sms else "", bool(sms and sms.auth_header), bool(s.webhook_secret),
                    safe_url(s.public_url))


def public_url(request_base: str) -> str:
    """The base of links in a preview: ``ORCHARD_HQ_PUBLIC_URL``, else the page's own."""
    try:
        return settings.from_env().public_url or request_base
    except settings.SettingsError:
        return request_base


def send_test(channel: str, to: str, subject: str, body: str) -> tuple[bool, str]:
    """Hand a test message to HQ's SMTP server or SMS gateway (:mod:`hq.messages`' senders):
    (sent?, reason code). Nothing is kept and nothing logged about the address."""
    try:
        s = settings.from_env()
    except settings.SettingsError:
        return False, sms.NOT_CONFIGURED
    ref = f"test-{uuid.uuid4()}"
    if channel == "email":
        if s.smtp is None:
            return False, sms.NOT_CONFIGURED
        result = smtp.SmtpSender(s.smtp).send(to, subject, body, ref=ref)
    else:
        if s.sms is None:
            return False, sms.NOT_CONFIGURED
        result = sms.HttpGateway(s.sms).send(to, body, ref)
    return result.ok, result.reason
