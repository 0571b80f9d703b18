"""Signing in and out, the language switch, and my account (password, two-step sign-in)."""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from fastapi.responses import Response

from hq.console import accounts, i18n, sessions
from hq.console.i18n import N_
from hq.console.web import PREFIX, SESSION_COOKIE, Ctx, page, safe_next, try_form

WRONG = N_("The username or password is not right.")
LOCKED = N_("This account is locked for 15 minutes after too many failed sign-ins. Try again later, or ask "
            "an admin.")


def _sign_in_page(ctx: Ctx, status: int = 200, error: str | None = None) -> Response:
    """The form, with a session of its own for the CSRF token (a fresh one unless the
    browser already has a sign-in session)."""
    if ctx.session is None or ctx.session.user_id is not None:
        token, session = sessions.start(ctx.engine, replaces=ctx.token)
        ctx.session, ctx.token = session, token
        ctx.set_cookie(SESSION_COOKIE, token)
    return ctx.render("sign_in.html", status, error=ctx.t(error) if error else None,
                      next=safe_next(ctx.request.query_params.get("next") or ctx.form.get("next")))


@page("GET", "/sign-in", None, public=True)
def sign_in_form(ctx: Ctx) -> Response:
    if ctx.user is not None:
        return ctx.redirect(safe_next(ctx.request.query_params.get("next")))
    return _sign_in_page(ctx)


@page("POST", "/sign-in", None, public=True)
def sign_in(ctx: Ctx) -> Response:
    result = accounts.sign_in(ctx.engine, ctx.text("username", 64), ctx.form.get("password") or "")
    if result.outcome == "wrong":
        return _sign_in_page(ctx, 401, WRONG)
    if result.outcome == "locked":
        return _sign_in_page(ctx, 429, LOCKED)
    # a new session every time (the sign-in page's one is deleted): no session fixation
    token, _ = sessions.start(ctx.engine, result.user_id, pending_totp=result.outcome == "totp",
                              replaces=ctx.token)
    ctx.set_cookie(SESSION_COOKIE, token)
    target = safe_next(ctx.form.get("next"))
    if result.outcome == "totp":
        return ctx.redirect(PREFIX + "/sign-in/code?next=" + quote(target, safe="/"))
    return ctx.redirect(target)


@page("GET", "/sign-in/code", None, public=True)
def code_form(ctx: Ctx) -> Response:
    if ctx.session is None or not ctx.session.pending_totp:
        return ctx.redirect(PREFIX + "/sign-in")
    return ctx.render("sign_in_code.html", next=safe_next(ctx.request.query_params.get("next")), error=None)


@page("POST", "/sign-in/code", None, public=True)
def code(ctx: Ctx) -> Response:
    session = ctx.session
    if session is None or not session.pending_totp or session.user_id is None:
        return ctx.redirect(PREFIX + "/sign-in")
    result = accounts.sign_in_code(ctx.engine, session.user_id, ctx.text("code", 12))
    target = safe_next(ctx.form.get("next"))
    if result.outcome != "ok":
        if result.outcome == "locked":
            sessions.end(ctx.engine, ctx.token)
            ctx.session = None
            return _sign_in_page(ctx, 429, LOCKED)
        return ctx.render("sign_in_code.html", 401, next=target,
                          error=ctx.t(N_("That code is not right.")))
    token, _ = sessions.start(ctx.engine, result.user_id, replaces=ctx.token)
    ctx.set_cookie(SESSION_COOKIE, token)
    return ctx.redirect(target)


@page("POST", "/sign-out", None, public=True)
def sign_out(ctx: Ctx) -> Response:
    sessions.end(ctx.engine, ctx.token)
    ctx.set_cookie(SESSION_COOKIE, "")
    return ctx.redirect(PREFIX + "/sign-in", "signed_out")


@page("GET", "/lang/{lang}", None, public=True)
def language(ctx: Ctx, lang: str) -> Response:
    """The language switch: a cookie (a preference, nothing else; a plain link)."""
    if lang in i18n.LANGS:
        ctx.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400)
    return ctx.redirect(safe_next(ctx.request.query_params.get("next")))


# --- my account ------------------------------------------------------------------------------

def _account(ctx: Ctx, status: int = 200, error: str | None = None, **values: object) -> Response:
    values.setdefault("totp_secret", None)
    return ctx.render("account.html", status, error=error, **values)


@page("GET", "/account", "account.self")
def account(ctx: Ctx) -> Response:
    return _account(ctx)


@page("POST", "/account/password", "account.self")
def change_password(ctx: Ctx) -> Response:
    assert ctx.user is not None and ctx.session is not None
    new = ctx.form.get("new_password") or ""
    if new != (ctx.form.get("new_password2") or ""):
        return _account(ctx, 400, ctx.t(N_("The two new passwords differ.")))
    me, keep = ctx.user.id, ctx.session.token_hash
    return try_form(ctx, lambda: accounts.set_password(ctx.engine, me, new, by=me,
                                                       current=ctx.form.get("password") or "", keep_session=keep),
                    partial(_account, ctx), PREFIX + "/account", "password_changed", status=400)


@page("POST", "/account/totp/start", "totp.enrol")
def totp_start(ctx: Ctx) -> Response:
    assert ctx.user is not None
    secret = accounts.new_totp_secret()
    return _account(ctx, totp_secret=secret, totp_uri=accounts.totp_uri(secret, ctx.user.username))


@page("POST", "/account/totp/confirm", "totp.enrol")
def totp_confirm(ctx: Ctx) -> Response:
    assert ctx.user is not None
    secret = ctx.text("secret", 64)
    try:
        accounts.enable_totp(ctx.engine, ctx.user.id, secret, ctx.text("code", 12))
    except accounts.ConsoleError as exc:
        uri = accounts.totp_uri(secret, ctx.user.username) if secret else None
        return _account(ctx, 400, ctx.t(exc.message), totp_secret=secret or None, totp_uri=uri)
    return ctx.redirect(PREFIX + "/account", "totp_on")


@page("POST", "/account/totp/off", "account.self")
def totp_off(ctx: Ctx) -> Response:
    assert ctx.user is not None
    try:
        accounts.disable_totp(ctx.engine, ctx.user.id, ctx.form.get("password") or "")
    except accounts.ConsoleError as exc:
        return _account(ctx, 400, ctx.t(exc.message))
    return ctx.redirect(PREFIX + "/account", "totp_off")
