"""The HQ web service: FastAPI over :mod:`hq.service`. Stateless: everything lives in the
database, so any number of these processes can serve one PostgreSQL.

Endpoints (JSON; every one but ``enrol`` and ``health`` needs the store's credential):

``POST /v1/enrol``       one-time code → store id and credential
``POST /v1/enrol/preview``  one-time code → the store's code, name, time zone, currency (code not used)
``POST /v1/push``        a batch of outbox operations → accepted count, refusals with reasons
``GET  /v1/pull``        ``after=<cursor>&limit=<n>`` → rows, next cursor, more?
``POST /v1/rows``        HQ's current version of some rows (after a refusal)
``POST /v1/customers/lookup``  ``{phone|email|member, staff_id}`` → the customer's rows (on-demand
                         fetch; keys only in the body, rate limited per store: 429 ``fetch_rate_limited``)
``GET  /v1/health``      liveness and HQ's clock
``POST /v1/audit-head``  ``{audit_head}`` → the head HQ acknowledged (pushes carry it too)
``POST /v1/escalations`` ``{ref, kind, priority, summary, customer_id?, staff_id}`` → the escalation
``GET  /v1/escalations`` ``since=<iso>`` → the store's own escalations with state and notes
``POST /v1/escalations/{id}/notes``  ``{staff_id, text}`` → the escalation with its notes

Every ``/v1`` answer carries ``X-Orchard-Newest`` and ``X-Orchard-Oldest``; a store whose
``X-Orchard-Version`` is below the oldest gets 426 ``version_too_old`` (:mod:`hq.versions`).
"""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime
from typing import Any, Callable

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from core import clock
from hq import escalations, fetch, service
from hq import logs
from hq.asgi_guard import MAX_BODY, Guard, TooLarge, body_limit
from hq.db import make_engine, migrate
from hq.pull import pull as pull_page

log = logging.getLogger("orchard.hq")


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(obj), status_code=status, media_type="application/json", headers=headers)


def _error(exc: service.HqError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return _json({"error": exc.message, "code": exc.code, "params": exc.params}, exc.status, headers)


# the limits live with the guard that enforces them (hq.asgi_guard)
__all__ = ["MAX_BODY", "TooLarge", "app_from_env", "create_app", "tune_gc"]

# query numbers: a page holds at most hq.pull.MAX_PAGE rows; queue depths are what a store
# reports (an INTEGER column). A cursor is HQ's token, checked by hq.lanes.decode.
LIMIT_MAX = 5000
DEPTH_MAX = 2**31 - 1
_WHOLE = re.compile(r"-?[0-9]{1,20}", re.ASCII)


async def _body(request: Request) -> Any:
    """The JSON body, read through the stream with a running count (the guard stops the
    stream past the route's limit; this stops it here too, whatever runs the app)."""
    limit = body_limit(request.url.path)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge("the request is too large; send smaller batches")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge("the request is too large; send smaller batches")
        chunks.append(chunk)
    try:
        return orjson.loads(b"".join(chunks))
    except orjson.JSONDecodeError:
        raise service.BadRequest("the body is not JSON") from None


def _int(value: str | None, default: int, name: str, low: int, high: int) -> int:
    """A whole number from the query string, within ``low..high`` (400 ``invalid_value``
    otherwise; the answer names the parameter, never echoes the value)."""
    if value is None:
        return default
    if _WHOLE.fullmatch(value) is None:
        raise service.BadRequest("{name} must be a whole number", "invalid_value", name=name)
    number = int(value)
    if not low <= number <= high:
        raise service.BadRequest("{name} is out of range", "invalid_value", name=name)
    return number


class HqApp(FastAPI):
    """FastAPI with :class:`hq.asgi_guard.Guard` outside everything, Starlette's error
    middleware included (which re-raises what it answered 500 for, for the server's log),
    and inside it :class:`hq.versions.VersionGate` (the versions HQ announces on every ``/v1``
    answer; a store below the oldest accepted is answered 426)."""

    def build_middleware_stack(self):
        from hq.versions import VersionGate
        return Guard(VersionGate(super().build_middleware_stack(), self.state.engine))


def create_app(url: str | None = None, engine: Engine | None = None, *, run_migrations: bool = True,
               fetch_limit: int | None = None) -> FastAPI:
    engine = engine if engine is not None else make_engine(url or os.environ.get("ORCHARD_HQ_DB"))
    if run_migrations:
        migrate(engine)
    app = HqApp(title="Orchard HQ", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.fetch_limit = fetch.configured_limit(fetch_limit)   # look-ups per store per hour

    async def auth(request: Request) -> service.StoreAuth:
        return await run_in_threadpool(service.authenticate, engine, request.headers.get("authorization"))

    @app.exception_handler(service.HqError)
    async def _hq_error(request: Request, exc: service.HqError):
        return _error(exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # by type only: a message or a traceback could carry a value from a row or the SQL
        log.error("unexpected %s on %s", type(exc).__name__, request.url.path)
        return _json({"error": "HQ could not handle this request", "code": "hq_failed"}, 500)

    @app.get("/v1/health")
    async def health():
        return _json({"ok": True, "server_time_ms": clock.now_ms()})

    @app.post("/v1/enrol")
    async def enrol(request: Request):
        body = await _body(request)
        if not isinstance(body, dict):
            raise service.BadRequest("the body must be an object")
        answer = await run_in_threadpool(service.enrol, engine, str(body.get("code") or ""),
                                         str(body.get("store_code") or ""), str(body.get("store_id") or ""))
        return _json(answer)

    @app.post("/v1/enrol/preview")
    async def enrol_preview(request: Request):
        from hq.enrol import enrolment_preview
        body = await _body(request)
        if not isinstance(body, dict):
            raise service.BadRequest("the body must be an object")
        return _json(await run_in_threadpool(enrolment_preview, engine, str(body.get("code") or "")))

    async def store_post(request: Request, handler: Callable[[Engine, service.StoreAuth, Any], Any]) -> Response:
        """A store's POST: its credential checked first, then its JSON body handed as it came
        to ``handler(engine, store, body)`` (which validates it) and the answer sent as JSON."""
        who = await auth(request)
        body = await _body(request)
        return _json(await run_in_threadpool(handler, engine, who, body))

    @app.post("/v1/push")
    async def push(request: Request):
        return await store_post(request, service.push)

    @app.get("/v1/pull")
    async def pull(request: Request):
        who = await auth(request)
        q = request.query_params
        pending = q.get("pending")
        parked = q.get("parked")
        # raw: the rows' JSON goes out as the database holds it (orjson.Fragment), not parsed and
        # serialised again (hq.pull.pull)
        answer = await run_in_threadpool(
            pull_page, engine, who, q.get("after") or "0",     # HQ's cursor token (hq.lanes.decode checks it)
            _int(q.get("limit"), 1000, "limit", 1, LIMIT_MAX),
            pending=_int(pending, 0, "pending", 0, DEPTH_MAX) if pending is not None else None,
            parked=_int(parked, 0, "parked", 0, DEPTH_MAX) if parked is not None else None, raw=True)
        return _json(answer)

    @app.post("/v1/rows")
    async def rows(request: Request):
        who = await auth(request)
        body = await _body(request)
        keys = body.get("keys") if isinstance(body, dict) else None
        if not isinstance(keys, list) or not all(isinstance(k, list) and len(k) == 2 and all(
                isinstance(x, str) for x in k) for k in keys):
            raise service.BadRequest("keys must be a list of [entity, id] pairs")
        if any(len(e) > 40 or len(i) > 80 or "\x00" in e or "\x00" in i for e, i in keys):
            raise service.BadRequest("an entity or id is not one HQ could hold", "invalid_value", name="keys")
        return _json({"rows": await run_in_threadpool(service.current_rows, engine, who,
                                                      [tuple(k) for k in keys[:1000]])})

    @app.post("/v1/customers/lookup")
    async def customers(request: Request):
        # look-up keys travel in the body only: a URL lands in proxies' and servers' logs
        who = await auth(request)
        if request.url.query:
            raise service.BadRequest("look-up keys go in the request body, never in the URL")
        body = await _body(request)
        if not isinstance(body, dict):
            raise service.BadRequest("the body must be an object")
        try:
            answer = await run_in_threadpool(
                service.lookup_customer, engine, who, phone=body.get("phone"), email=body.get("email"),
                member=body.get("member"), staff_id=body.get("staff_id"), limit=app.state.fetch_limit)
        except fetch.FetchRateLimited as exc:
            log.warning("fetch refused: store %s is over its %d look-ups an hour", who.code,
                        app.state.fetch_limit)
            response = _error(exc)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return _json(answer)

    @app.post("/v1/audit-head")
    async def audit_head(request: Request):
        # a store with nothing to push still reports its audit-chain head (hq.audit_heads)
        return await store_post(request, service.report_audit_head)

    # the escalations queue (hq.escalations): a store raises one, reads its own with HQ's notes, adds notes
    @app.post("/v1/escalations")
    async def raise_escalation(request: Request):
        return await store_post(request, lambda e, who, body: escalations.raise_escalation(e, who, body, clock.now()))

    @app.get("/v1/escalations")
    async def my_escalations(request: Request):
        who = await auth(request)
        since = _since(request.query_params.get("since"))
        return _json(await run_in_threadpool(escalations.store_escalations, engine, who, since, clock.now()))

    @app.post("/v1/escalations/{esc_id}/notes")
    async def escalation_note(request: Request, esc_id: str):
        number = _int(esc_id, 0, "id", 1, 2**31 - 1)
        return await store_post(request, lambda e, who, body: escalations.store_note(e, who, number, body,
                                                                                    clock.now()))

    from hq.console import mount as mount_console    # the web console, under /console/ (hq/console)
    mount_console(app)
    from hq.survey import mount as mount_survey      # the customers' survey page, /survey (hq/survey.py)
    mount_survey(app)
    from hq import links, optout                    # issue 22: approval and unsubscribe pages, SMS STOP
    links.mount(app)
    optout.mount(app)
    from hq.messages import webhooks                 # the SMS gateway's delivery reports (hq/messages/webhooks.py)
    webhooks.mount(app)
    from hq.sales import routes as sales_routes      # issue 23: the till's sales, POST /api/sales (till key)
    sales_routes.mount(app)
    return app


def _since(value: str | None) -> datetime | None:
    """``since=<ISO 8601 time with its offset>`` (400 ``invalid_value`` otherwise)."""
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value[:40])
    except ValueError:
        raise service.BadRequest("since must be an ISO 8601 time", "invalid_value", name="since") from None
    if found.tzinfo is None:
        raise service.BadRequest("since must carry its UTC offset", "invalid_value", name="since")
    return found


def tune_gc() -> None:
    """For a server process, once its modules are loaded. A push batch makes hundreds of
    thousands of short-lived dicts and lists; with Python's default thresholds (700, 10, 10)
    the collector ran full passes over the whole heap many times per batch (a fifth of
    HQ's time). Objects alive now (modules, the app) are moved out of its sight, and the
    youngest generation is collected every 50,000 allocations instead of 700."""
    import gc
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory hq.app:app_from_env --no-server-header`` (reads ``ORCHARD_HQ_DB``).
    uvicorn set up its logging before it called this, so HQ's safe logging replaces it here.
    uvicorn adds its ``server`` header itself, outside the app (the guard drops only the app's
    own), so it is switched off with uvicorn's ``--no-server-header``, as ``orchard-hq serve``
    does with ``server_header=False``."""
    logs.setup()
    app = create_app(os.environ.get("ORCHARD_HQ_DB"))
    tune_gc()
    return app
