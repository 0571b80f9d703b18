"""The console's plumbing: every route is registered through :func:`page`, which loads the
session and user, checks the CSRF token of every POST (403 when missing or wrong), checks
the route's permission in :data:`hq.console.roles.PERMISSIONS` (403), and renders
templates (Jinja2, autoescaped) in the person's language.

Route handlers are plain functions ``handler(ctx, **path_params) -> Response`` run in
Starlette's thread pool (they talk to the database)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from core import clock
from hq.console import csrf, i18n, roles, sessions
from hq.console.accounts import ConsoleError, User, aware, get_user
from hq.console.i18n import N_

log = logging.getLogger("orchard.hq.console")

PREFIX = "/console"
HOME = PREFIX + "/"
SESSION_COOKIE = "hq_session"
HERE = Path(__file__).parent

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                  extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]

# ?msg= keys a page may show after a redirect (never text from the URL itself)
MESSAGES = {
    "region_created": N_("Region created."),
    "user_created": N_("User created."),
    "user_changed": N_("User changed."),
    "password_set": N_("Password set. Their other sessions have ended."),
    "password_changed": N_("Password changed. Your other sessions have ended."),
    "totp_on": N_("Two-step sign-in is on."),
    "totp_off": N_("Two-step sign-in is off."),
    "code_revoked": N_("The enrolment code is revoked."),
    "credential_revoked": N_("The store's credential is revoked: its next sync is refused."),
    "signed_out": N_("You are signed out."),
    "expired": N_("Your session ended; sign in again."),
}


class Forbidden(ConsoleError):
    def __init__(self, message: str = N_("You do not have access to this page.")):
        super().__init__(message, 403)


@dataclass
class Ctx:
    """What a handler gets: the request, the database, the session and user, the form."""
    request: Request
    engine: Engine
    lang: str
    token: str | None
    session: sessions.Session | None
    user: User | None
    form: dict[str, str] = field(default_factory=dict)
    cookies: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def t(self, message: str, **params: object) -> str:
        return i18n.translate(self.lang, message, **params)

    def text(self, name: str, limit: int = 300) -> str:
        return (self.form.get(name) or "").strip()[:limit]

    def can(self, permission: str) -> bool:
        return self.user is not None and self.user.can(permission)

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        msg = self.request.query_params.get("msg")
        values.setdefault("notice", MESSAGES.get(msg) if msg else None)
        with i18n.active(self.lang):
            html = env.get_template(template).render(
                ctx=self, user=self.user, can=self.can, csrf_token=self.session.csrf_token if self.session else "",
                lang=self.lang, html_lang=i18n.html_lang(self.lang), langs=i18n.LANGS,
                here=self.request.url.path, role_label=role_label, **values)
        return self._finish(HTMLResponse(html, status))

    def redirect(self, url: str, msg: str | None = None) -> Response:
        if msg:
            url += ("&" if "?" in url else "?") + "msg=" + msg
        return self._finish(RedirectResponse(url, 303))

    def set_cookie(self, name: str, value: str, **kw: Any) -> None:
        self.cookies.append((name, value, kw))

    def _finish(self, response: Response) -> Response:
        for name, value, kw in self.cookies:
            if value:
                response.set_cookie(name, value, path=PREFIX, httponly=True, samesite="strict",
                                    secure=self.request.url.scheme == "https", **kw)
            else:
                response.delete_cookie(name, path=PREFIX, httponly=True, samesite="strict",
                                       secure=self.request.url.scheme == "https")
        response.headers["content-security-policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
        return response


ROLE_LABELS = {
    roles.ADMIN: N_("Head-office admin"),
    roles.PRICING: N_("Pricing"),
    roles.LOYALTY: N_("Loyalty"),
    roles.REGIONAL: N_("Regional manager"),
    roles.AUDITOR: N_("Auditor (read only)"),
}


def role_label(role: str) -> str:
    return i18n.gettext(ROLE_LABELS.get(role, role))


def ago(dt: datetime | None) -> str:
    if dt is None:
        return i18n.gettext("never")
    seconds = max(0, int((clock.now() - (aware(dt) or dt)).total_seconds()))
    if seconds < 90:
        return i18n.gettext("%(n)s s ago") % {"n": seconds}
    if seconds < 5400:
        return i18n.gettext("%(n)s min ago") % {"n": seconds // 60}
    if seconds < 172800:
        return i18n.gettext("%(n)s h ago") % {"n": seconds // 3600}
    return i18n.gettext("%(n)s d ago") % {"n": seconds // 86400}


def stamp(dt: datetime | None) -> str:
    if dt is None:
        return "-"
    return (aware(dt) or dt).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


env.filters["ago"] = ago
env.filters["stamp"] = stamp


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path inside the console, nothing else (no open
    redirect: no scheme, no host, no ``//``, no backslash, no control character)."""
    if not value or len(value) > 500 or "\\" in value or "//" in value or any(ord(c) < 32 for c in value):
        return HOME
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not (parts.path + "/").startswith(HOME):
        return HOME
    return value


# --- registration -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    method: str
    path: str
    permission: str | None       # None: open to anyone (sign-in, sign-out, language)


ROUTES: list[Route] = []
router = APIRouter()


def page(method: str, path: str, permission: str | None, *, public: bool = False
         ) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register a console route. ``permission`` must be one of the table's (checked here,
    at import); only ``public=True`` routes may go without one."""
    if permission is None and not public:
        raise ValueError(f"{method} {path} needs a permission")
    if permission is not None and permission not in roles.PERMISSIONS:
        raise ValueError(f"{method} {path}: unknown permission {permission}")
    ROUTES.append(Route(method, PREFIX + path, permission))

    def register(handler: Callable[..., Response]) -> Callable[..., Response]:
        async def endpoint(request: Request) -> Response:
            ctx = await run_in_threadpool(_context, request)
            if method == "POST":
                form = await request.form()
                ctx.form = {k: v for k, v in form.items() if isinstance(v, str)}
                if not csrf.valid(ctx.session.csrf_token if ctx.session else None, ctx.form.get(csrf.FIELD)):
                    return await run_in_threadpool(_refused, ctx, N_(
                        "This form has expired or did not come from this console. Go back, reload the page "
                        "and try again."))
            if permission is not None:
                if ctx.user is None:
                    if method == "GET":
                        return ctx.redirect(PREFIX + "/sign-in?next=" + quote(request.url.path, safe="/"))
                    return ctx.redirect(PREFIX + "/sign-in", "expired")
                if not ctx.user.can(permission):
                    return await run_in_threadpool(_refused, ctx, Forbidden().message)
            try:
                return await run_in_threadpool(handler, ctx, **request.path_params)
            except ConsoleError as exc:
                return await run_in_threadpool(_refused, ctx, exc.message, exc.status, exc.params)
        router.add_api_route(PREFIX + path, endpoint, methods=[method], include_in_schema=False)
        return handler
    return register


def _context(request: Request) -> Ctx:
    engine: Engine = request.app.state.engine
    token = request.cookies.get(SESSION_COOKIE)
    session = sessions.load(engine, token)
    user = None
    if session is not None and session.user_id is not None and not session.pending_totp:
        user = get_user(engine, session.user_id)
        if user is not None and not user.active:
            user = None
    lang = i18n.choose(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))
    return Ctx(request, engine, lang, token if session else None, session, user)


def _refused(ctx: Ctx, message: str, status: int = 403, params: dict[str, object] | None = None) -> Response:
    return ctx.render("error.html", status, message=ctx.t(message, **(params or {})))


def error_page(ctx: Ctx, message: str, status: int, **params: object) -> Response:
    return _refused(ctx, message, status, params)


def try_form(ctx: Ctx, action: Callable[[], object], again: Callable[[int, str], Response], done: str,
             msg: str, *, status: int | None = None) -> Response:
    """A form's POST: run ``action``; when it refuses (:class:`ConsoleError`) show the form's
    page again, ``again(status, reason)`` (``status``, else the refusal's own), the reason in
    the person's language; else redirect to ``done`` with the notice ``msg``."""
    try:
        action()
    except ConsoleError as exc:
        return again(status or exc.status, ctx.t(exc.message, **exc.params))
    return ctx.redirect(done, msg)
