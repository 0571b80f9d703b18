"""The HQ web service: FastAPI over :mod:`hq.service`. Stateless: everything lives in the
database, so any number of these processes can serve one PostgreSQL.

Endpoints (JSON; every one but ``enrol`` and ``health`` needs the store's credential):

``POST /v1/enrol``       one-time code → store id and credential
``POST /v1/push``        a batch of outbox operations → accepted count, refusals with reasons
``GET  /v1/pull``        ``after=<cursor>&limit=<n>`` → rows, next cursor, more?
``POST /v1/rows``        HQ's current version of some rows (after a refusal)
``GET  /v1/customers``   ``phone=|email=|member=`` → the customer's rows (on-demand fetch)
``GET  /v1/health``      liveness and HQ's clock
"""

from __future__ import annotations

import logging
import os
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from core import clock
from hq import service
from hq.db import make_engine, migrate

log = logging.getLogger("orchard.hq")


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(obj), status_code=status, media_type="application/json", headers=headers)


def _error(exc: service.HqError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return _json({"error": exc.message, "code": exc.code, "params": exc.params}, exc.status, headers)


MAX_BODY = 64 * 1024 * 1024


class TooLarge(service.HqError):
    status = 413
    code = "too_large"


async def _body(request: Request) -> Any:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise TooLarge("the request is too large; send smaller batches")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise TooLarge("the request is too large; send smaller batches")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise service.BadRequest("the body is not JSON") from None


def _int(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise service.BadRequest("expected a whole number") from None


def create_app(url: str | None = None, engine: Engine | None = None, *, run_migrations: bool = True) -> FastAPI:
    engine = engine if engine is not None else make_engine(url or os.environ.get("ORCHARD_HQ_DB"))
    if run_migrations:
        migrate(engine)
    app = FastAPI(title="Orchard HQ", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine

    async def auth(request: Request) -> service.StoreAuth:
        return await run_in_threadpool(service.authenticate, engine, request.headers.get("authorization"))

    @app.exception_handler(service.HqError)
    async def _hq_error(request: Request, exc: service.HqError):
        return _error(exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # by type only: a message could carry a value from a row
        log.error("unexpected %s on %s", type(exc).__name__, request.url.path,
                  exc_info=(type(exc), exc, exc.__traceback__) if os.environ.get("ORCHARD_HQ_DEBUG") else None)
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

    @app.post("/v1/push")
    async def push(request: Request):
        who = await auth(request)
        body = await _body(request)
        return _json(await run_in_threadpool(service.push, engine, who, body))

    @app.get("/v1/pull")
    async def pull(request: Request):
        who = await auth(request)
        q = request.query_params
        pending = q.get("pending")
        parked = q.get("parked")
        answer = await run_in_threadpool(
            service.pull, engine, who, _int(q.get("after"), 0), _int(q.get("limit"), 1000),
            pending=_int(pending, 0) if pending is not None else None,
            parked=_int(parked, 0) if parked is not None else None)
        return _json(answer)

    @app.post("/v1/rows")
    async def rows(request: Request):
        who = await auth(request)
        body = await _body(request)
        keys = body.get("keys") if isinstance(body, dict) else None
        if not isinstance(keys, list) or not all(isinstance(k, list) and len(k) == 2 and all(
                isinstance(x, str) for x in k) for k in keys):
            raise service.BadRequest("keys must be a list of [entity, id] pairs")
        return _json({"rows": await run_in_threadpool(service.current_rows, engine, who,
                                                      [tuple(k) for k in keys[:1000]])})

    @app.get("/v1/customers")
    async def customers(request: Request):
        who = await auth(request)
        q = request.query_params
        return _json(await run_in_threadpool(service.lookup_customer, engine, who, phone=q.get("phone"),
                                             email=q.get("email"), member=q.get("member")))

    return app


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
    """For ``uvicorn --factory hq.app:app_from_env`` (reads ``ORCHARD_HQ_DB``)."""
    app = create_app(os.environ.get("ORCHARD_HQ_DB"))
    tune_gc()
    return app
