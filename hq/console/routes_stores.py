"""Home (the chain at a glance), regions and stores: enrolment codes issued and revoked,
a store's credential revoked in one click. A regional manager sees its region's stores only."""

from __future__ import annotations

from functools import partial
from typing import Callable

from fastapi.responses import Response

from hq.console import accounts, stores
from hq.console.web import PREFIX, Ctx, page, try_form


@page("GET", "/", "chain.view")
def home(ctx: Ctx) -> Response:
    assert ctx.user is not None
    views, flags = stores.stores(ctx.engine, ctx.user)
    return ctx.render("home.html", stores=views, flags=flags, state_labels=stores.STATE_LABELS,
                      queued=sum(v.health.pending_ops for v in views),
                      parked=sum(v.health.parked_ops for v in views),
                      quiet=sum(1 for v in views if v.state == "enrolled" and v.health.last_contact_at is None))


def _stores(ctx: Ctx, status: int = 200, error: str | None = None, **values: object) -> Response:
    assert ctx.user is not None
    views, _ = stores.stores(ctx.engine, ctx.user)
    regions = stores.regions(ctx.engine)
    if ctx.user.region_id is not None and not ctx.can("stores.manage"):
        regions = [r for r in regions if r.id == ctx.user.region_id]
    return ctx.render("stores.html", status, stores=views, regions=regions, state_labels=stores.STATE_LABELS,
                      currencies=stores.currencies(), error=error, form=ctx.form if error else {}, **values)


@page("GET", "/stores", "stores.view")
def store_list(ctx: Ctx) -> Response:
    return _stores(ctx)


@page("POST", "/regions", "stores.manage")
def create_region(ctx: Ctx) -> Response:
    assert ctx.user is not None
    by = ctx.user.id
    return try_form(ctx, lambda: stores.create_region(ctx.engine, ctx.text("name", 200), by=by),
                    partial(_stores, ctx), PREFIX + "/stores", "region_created", status=400)


@page("POST", "/stores", "stores.manage")
def create_store(ctx: Ctx) -> Response:
    assert ctx.user is not None
    region = ctx.text("region_id", 12)
    form = stores.StoreForm(
        code=ctx.text("code", 20).upper(), name=ctx.text("name", 200),
        region_id=int(region) if region.isdigit() else None,
        timezone=ctx.text("timezone", 64), currency=ctx.text("currency", 8).upper(),
        address=ctx.text("address", 400), opening_hours=ctx.text("opening_hours", 300))
    try:
        one_time = stores.create_store(ctx.engine, form, by=ctx.user.id)
    except accounts.ConsoleError as exc:
        return _stores(ctx, 400, ctx.t(exc.message, **exc.params))
    # shown this once: HQ keeps only its hash
    return ctx.render("store_code.html", store=stores.store(ctx.engine, ctx.user, form.code), one_time=one_time)


@page("GET", "/stores/{code}", "stores.view")
def store(ctx: Ctx, code: str) -> Response:
    assert ctx.user is not None
    return ctx.render("store.html", store=stores.store(ctx.engine, ctx.user, code),
                      state_labels=stores.STATE_LABELS)


def _known(ctx: Ctx, code: str) -> str:
    assert ctx.user is not None
    return stores.store(ctx.engine, ctx.user, code).code


def _revoke(ctx: Ctx, code: str, revoke: Callable[..., None], msg: str) -> Response:
    """Revoke a known store's enrolment code or credential; back to its page with ``msg``."""
    assert ctx.user is not None
    code = _known(ctx, code)
    revoke(ctx.engine, code, by=ctx.user.id)
    return ctx.redirect(f"{PREFIX}/stores/{code}", msg)


@page("POST", "/stores/{code}/code", "stores.manage")
def issue_code(ctx: Ctx, code: str) -> Response:
    assert ctx.user is not None
    code = _known(ctx, code)
    one_time = stores.issue_code(ctx.engine, code, by=ctx.user.id)
    return ctx.render("store_code.html", store=stores.store(ctx.engine, ctx.user, code), one_time=one_time)


@page("POST", "/stores/{code}/revoke-code", "stores.manage")
def revoke_code(ctx: Ctx, code: str) -> Response:
    return _revoke(ctx, code, stores.revoke_code, "code_revoked")


@page("POST", "/stores/{code}/revoke-credential", "stores.manage")
def revoke_credential(ctx: Ctx, code: str) -> Response:
    return _revoke(ctx, code, stores.revoke_credential, "credential_revoked")
