"""Users (admins only) and the console's audit log (admins and auditors)."""

from __future__ import annotations

from functools import partial
from typing import Callable

from fastapi.responses import Response

from hq.console import accounts, audit, roles, stores
from hq.console.i18n import N_
from hq.console.web import PREFIX, Ctx, page, try_form


def _region(ctx: Ctx) -> int | None:
    value = ctx.text("region_id", 12)
    return int(value) if value.isdigit() else None


def _users(ctx: Ctx, status: int = 200, error: str | None = None) -> Response:
    return ctx.render("users.html", status, users=accounts.list_users(ctx.engine),
                      regions={r.id: r.name for r in stores.regions(ctx.engine)}, roles=roles.ROLES,
                      error=error, form=ctx.form if error else {})


@page("GET", "/users", "users.manage")
def users(ctx: Ctx) -> Response:
    return _users(ctx)


@page("POST", "/users", "users.manage")
def create(ctx: Ctx) -> Response:
    assert ctx.user is not None
    password = ctx.form.get("password") or ""
    if password != (ctx.form.get("password2") or ""):
        return _users(ctx, 400, ctx.t(N_("The two passwords differ.")))
    by = ctx.user.id
    return try_form(ctx, lambda: accounts.create_user(
        ctx.engine, ctx.text("username", 64), ctx.text("display_name", 120), ctx.text("role", 20), password,
        region_id=_region(ctx), by=by), partial(_users, ctx), PREFIX + "/users", "user_created", status=400)


def _user(ctx: Ctx, user_id: int, status: int = 200, error: str | None = None) -> Response:
    person = accounts.get_user(ctx.engine, user_id)
    if person is None:
        raise accounts.ConsoleError(N_("No such user."), 404)
    return ctx.render("user.html", status, person=person, roles=roles.ROLES, error=error,
                      regions=stores.regions(ctx.engine))


def _on_user(ctx: Ctx, user_id: int, action: Callable[[], object], msg: str) -> Response:
    """A change to one user: back to their page, with the notice or the refusal (its own status)."""
    return try_form(ctx, action, partial(_user, ctx, user_id), f"{PREFIX}/users/{user_id}", msg)


@page("GET", "/users/{user_id:int}", "users.manage")
def user(ctx: Ctx, user_id: int) -> Response:
    return _user(ctx, user_id)


@page("POST", "/users/{user_id:int}/role", "users.manage")
def change_role(ctx: Ctx, user_id: int) -> Response:
    assert ctx.user is not None
    by = ctx.user.id
    return _on_user(ctx, user_id, lambda: accounts.change_role(ctx.engine, user_id, ctx.text("role", 20),
                                                               _region(ctx), by=by), "user_changed")


@page("POST", "/users/{user_id:int}/active", "users.manage")
def set_active(ctx: Ctx, user_id: int) -> Response:
    assert ctx.user is not None
    by = ctx.user.id
    return _on_user(ctx, user_id, lambda: accounts.set_active(ctx.engine, user_id, ctx.text("active", 5) == "1",
                                                              by=by), "user_changed")


@page("POST", "/users/{user_id:int}/password", "users.manage")
def reset_password(ctx: Ctx, user_id: int) -> Response:
    assert ctx.user is not None
    password = ctx.form.get("password") or ""
    if password != (ctx.form.get("password2") or ""):
        return _user(ctx, user_id, 400, ctx.t(N_("The two passwords differ.")))
    by = ctx.user.id
    return _on_user(ctx, user_id, lambda: accounts.set_password(ctx.engine, user_id, password, by=by),
                    "password_set")


@page("GET", "/audit", "audit.view")
def audit_log(ctx: Ctx) -> Response:
    before = ctx.request.query_params.get("before") or ""
    entries = audit.entries(ctx.engine, before=int(before) if before.isdigit() and len(before) < 19 else None)
    older = entries[-1].id if len(entries) == audit.PAGE else None
    return ctx.render("audit.html", entries=entries, older=older)
