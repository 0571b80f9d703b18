"""Customer messages (issue 22) at the console: the templates (list, edit, reset, preview,
test send), the delivery log and the channels' set-up (:mod:`hq.console.messages`).

``messages.view`` reads every page and previews (a regional manager: its region's stores in
the log and the preview's store list); ``messages.edit`` saves, resets and sends a test. The
test's address travels in the form's body only: never kept, never in the audit log."""

from __future__ import annotations

from typing import Callable

from fastapi.responses import Response

from core import clock, terms
from hq.console import messages as msgs
from hq.console.accounts import ConsoleError
from hq.console.i18n import N_
from hq.console.reference import FieldErrors
from hq.console.web import PREFIX, Ctx, page

BASE = PREFIX + "/messages"
NOTICES = {
    "saved": N_("The template is saved: messages use it from now on."),
    "reset": N_("The template is back to the file's."),
}
LANG_LABELS = {"en": N_("English"), "zh_CN": N_("Chinese")}
CHANNEL_LABELS = {"email": N_("Email"), "sms": N_("SMS")}
STATUS_LABELS = {"sending": N_("Sending")}           # the rest are core.terms' message_status


def _term(ctx: Ctx) -> Callable[[str, str], str]:
    return lambda code, kind: terms.term(code, ctx.lang, kind)


def _status(ctx: Ctx) -> Callable[[str], str]:
    def label(code: str) -> str:
        return ctx.t(STATUS_LABELS[code]) if code in STATUS_LABELS else terms.term(code, ctx.lang, "message_status")
    return label


def _reason(ctx: Ctx) -> Callable[[str], str]:
    return lambda code: terms.term(code, ctx.lang, "message_reason")


@page("GET", "/messages", msgs.VIEW)
def templates_page(ctx: Ctx) -> Response:
    return ctx.render("messages_templates.html", templates=msgs.templates(ctx.engine), lang_labels=LANG_LABELS,
                      channel_labels=CHANNEL_LABELS, term=_term(ctx), tab="templates")


def _store(ctx: Ctx, stores: list[msgs.Sample]) -> msgs.Sample:
    asked = (ctx.form.get("store") or ctx.request.query_params.get("store") or "").upper()[:8]
    for s in stores:
        if s.code == asked:
            return s
    return stores[0] if stores else msgs.SAMPLE_STORE


def _editor(ctx: Ctx, kind: str, lang: str, channel: str, status: int = 200, *, errors: dict[str, str] | None = None,
            form: dict[str, str] | None = None, error: str | None = None, preview: bool = False,
            sent: str | None = None) -> Response:
    assert ctx.user is not None
    current = msgs.template(ctx.engine, kind, lang, channel)
    stores = msgs.visible_stores(ctx.engine, ctx.user)
    store = _store(ctx, stores)
    values = form if form is not None else {"subject": current.subject, "body": current.body}
    shown = None
    if preview and not errors:
        sample = msgs.sample_values(kind, lang, channel, store, msgs.public_url(str(ctx.request.base_url)),
                                    clock.now())
        shown = {"subject": msgs.fill(values.get("subject", ""), sample), "body": msgs.fill(values["body"], sample)}
    length = msgs.sms_length((shown or values)["body"]) if channel == "sms" else None
    notice_key = ctx.request.query_params.get("msg") or ""
    return ctx.render(
        "messages_edit.html", status, kind=kind, tlang=lang, channel=channel, current=current, form=values,
        errors=errors or {}, error=error, shown=shown, length=length, stores=stores, store=store,
        allowed=msgs.placeholders(kind, channel), can_edit=ctx.can(msgs.EDIT), sent=sent,
        notice=NOTICES.get(notice_key), lang_labels=LANG_LABELS, channel_labels=CHANNEL_LABELS, term=_term(ctx),
        subject_max=msgs.SUBJECT_MAX, body_max=msgs.EMAIL_MAX if channel == "email" else msgs.SMS_MAX,
        tab="templates")


def _failed(ctx: Ctx, kind: str, lang: str, channel: str, exc: ConsoleError) -> Response:
    errors = None
    if isinstance(exc, FieldErrors):
        errors = {name: ctx.t(message, **params) for name, (message, params) in exc.errors.items()}
    return _editor(ctx, kind, lang, channel, exc.status, errors=errors, form=_typed(ctx, channel),
                   error=ctx.t(exc.message, **exc.params))


def _typed(ctx: Ctx, channel: str) -> dict[str, str]:
    return {"subject": ctx.text("subject", msgs.SUBJECT_MAX + 50) if channel == "email" else "",
            "body": (ctx.form.get("body") or "")[:msgs.EMAIL_MAX + 500], "to": ctx.text("to", 260)}


def _url(kind: str, lang: str, channel: str) -> str:
    return f"{BASE}/{kind}/{lang}/{channel}"


@page("GET", "/messages/{kind}/{lang}/{channel}", msgs.VIEW)
def edit(ctx: Ctx, kind: str, lang: str, channel: str) -> Response:
    msgs.check_key(kind, lang, channel)
    return _editor(ctx, kind, lang, channel)


@page("POST", "/messages/{kind}/{lang}/{channel}/preview", msgs.VIEW)
def preview(ctx: Ctx, kind: str, lang: str, channel: str) -> Response:
    msgs.check_key(kind, lang, channel)
    try:
        msgs.check(kind, channel, ctx.form)
    except ConsoleError as exc:
        return _failed(ctx, kind, lang, channel, exc)
    return _editor(ctx, kind, lang, channel, form=_typed(ctx, channel), preview=True)


@page("POST", "/messages/{kind}/{lang}/{channel}/save", msgs.EDIT)
def save(ctx: Ctx, kind: str, lang: str, channel: str) -> Response:
    assert ctx.user is not None
    try:
        msgs.save(ctx.engine, ctx.user, kind, lang, channel, ctx.form)
    except ConsoleError as exc:
        return _failed(ctx, kind, lang, channel, exc)
    return ctx.redirect(_url(kind, lang, channel), "saved")


@page("POST", "/messages/{kind}/{lang}/{channel}/reset", msgs.EDIT)
def reset(ctx: Ctx, kind: str, lang: str, channel: str) -> Response:
    assert ctx.user is not None
    msgs.reset(ctx.engine, ctx.user, kind, lang, channel)
    return ctx.redirect(_url(kind, lang, channel), "reset")


@page("POST", "/messages/{kind}/{lang}/{channel}/test", msgs.EDIT)
def test_send(ctx: Ctx, kind: str, lang: str, channel: str) -> Response:
    """Send the typed template, filled with the sample, to the typed address; show the result."""
    assert ctx.user is not None
    msgs.check_key(kind, lang, channel)
    try:
        subject, body = msgs.check(kind, channel, ctx.form)
        to = msgs.check_recipient(channel, ctx.form.get("to") or "")
    except ConsoleError as exc:
        return _failed(ctx, kind, lang, channel, exc)
    store = _store(ctx, msgs.visible_stores(ctx.engine, ctx.user))
    sample = msgs.sample_values(kind, lang, channel, store, msgs.public_url(str(ctx.request.base_url)), clock.now())
    ok, reason = msgs.send_test(channel, to, msgs.fill(subject, sample), msgs.fill(body, sample))
    msgs.record_test(ctx.engine, ctx.user, kind, lang, channel, ok, reason)
    result = (ctx.t(N_("The test message was handed to the server.")) if ok else
              ctx.t(N_("The test message was not sent: %(reason)s."), reason=_reason(ctx)(reason)))
    return _editor(ctx, kind, lang, channel, 200 if ok else 502, form=_typed(ctx, channel), preview=True,
                   sent=result if ok else None, error=None if ok else result)


@page("GET", "/messages/log", msgs.VIEW)
def log_page(ctx: Ctx) -> Response:
    assert ctx.user is not None
    stores = msgs.visible_stores(ctx.engine, ctx.user)
    store = (ctx.request.query_params.get("store") or "").upper()[:8]
    store = store if any(s.code == store for s in stores) else ""
    status = ctx.request.query_params.get("status") or ""
    status = status if status in msgs.LOG_STATUSES else ""
    lines = msgs.delivery_log(ctx.engine, ctx.user, store=store, status=status)
    return ctx.render("messages_log.html", lines=lines, stores=stores, store=store, chosen=status,
                      statuses=msgs.LOG_STATUSES, status_label=_status(ctx), reason_label=_reason(ctx),
                      channel_labels=CHANNEL_LABELS, term=_term(ctx), tab="log")


@page("GET", "/messages/channels", msgs.VIEW)
def channels_page(ctx: Ctx) -> Response:
    return ctx.render("messages_channels.html", ch=msgs.channels(), tab="channels")
