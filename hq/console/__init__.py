"""HQ's web console for head-office and regional staff, served by the HQ service itself
under ``/console/`` (server-rendered Jinja2 pages, one CSS file, no script, no CDN).

    web.py          the plumbing: session, CSRF, permission check, rendering (every route)
    roles.py        the one permission table
    accounts.py     users, passwords, lockout, two-step sign-in (TOTP)
    sessions.py     browser sessions (idle 30 min, absolute 12 h)
    csrf.py, i18n.py, audit.py
    stores.py       regions, stores, enrolment codes, credentials
    routes_*.py     the pages

:func:`mount` adds it to the FastAPI app (``hq.app.create_app`` calls it)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from hq.console import i18n


_loaded = False


def routes() -> list:
    """Every console route (:class:`hq.console.web.Route`: method, path, permission), the
    pages registered first (the not-found page catches the rest of ``/console/``)."""
    global _loaded
    from hq.console import web
    if not _loaded:
        import importlib
        import pkgutil
        import hq.console as package
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("routes_"):      # each routes_*.py module registers its pages
                importlib.import_module(f"hq.console.{info.name}")

        @web.page("GET", "/{rest:path}", None, public=True)
        def not_found(ctx: web.Ctx, rest: str) -> Response:
            return web.error_page(ctx, i18n.N_("There is no such page."), 404)
        _loaded = True
    return web.ROUTES


def mount(app: FastAPI) -> None:
    from hq.console.web import HERE, HOME, PREFIX, router
    routes()
    i18n.load()
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="console-static")

    @app.get(PREFIX, include_in_schema=False)
    async def console_root() -> Response:
        return RedirectResponse(HOME, 307)

    app.include_router(router)
