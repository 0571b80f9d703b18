"""``POST /api/sales``: the chain's till or web shop sends its sales (issue 23).

``Authorization: Bearer <till key>`` (:mod:`hq.sales.tills`; 401 without a live key,
before the body is read). The body is one sale (:mod:`core.crm.sales`) or
``{"sales": [...]}`` with at most :data:`MAX_SALES`. The answer says, per receipt in the
order sent, ``{receipt_id, status: imported|duplicate|conflict|refused, match, reason?}``:
``match`` is member, phone, email, ambiguous or none (how HQ found the customer, never who),
``reason`` names the field and why (never a value). A receipt HQ has already is a
``duplicate``: nothing changes, so a till resends whatever it is unsure of. The same
receipt id with another store, total or lines is a ``conflict`` (``receipt_id: already used
for another sale``): nothing changes, and the till must give the sale its own id.

The request stores the sales and answers; it never recomputes customer scores (a
chain-wide recompute would hold the till for minutes): the CRM loop
(:mod:`hq.crm.schedule`) scores the customers with new activity within a minute.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from core import clock
from core.crm.sales import SaleIn
from core.errors import ValidationError
from hq.common import BadRequest
from hq.sales import intake, tills

PATH = "/api/sales"
MAX_SALES = 500


def receive(engine: Engine, till: tills.TillAuth, body: Any) -> dict[str, Any]:
    """Check and store the sales of one request; the answer per receipt."""
    if isinstance(body, dict) and "sales" in body:
        items = body["sales"]
        if not isinstance(items, list) or not items:
            raise BadRequest("sales must be a list of at least one sale", "invalid_value", name="sales")
        if len(items) > MAX_SALES:
            raise BadRequest("send at most {n} sales at a time", "too_many_sales", n=str(MAX_SALES))
    elif isinstance(body, dict):
        items = [body]
    else:
        raise BadRequest("the body must be a sale or {\"sales\": [...]}")
    now = clock.now()
    with engine.connect() as conn:
        known = intake.stores(conn)
    answers: list[intake.Outcome | None] = []
    valid: list[SaleIn] = []
    for raw in items:
        try:
            valid.append(intake.parse(raw, known, now=now, till_store=till.store_code))
            answers.append(None)
        except ValidationError as exc:
            answers.append(intake.refused(raw, exc))
    stored = iter(intake.store_sales(engine, valid, source="api", now=now, recompute=False))
    return {"results": [(a if a is not None else next(stored)).answer() for a in answers]}


def mount(app: FastAPI) -> None:
    from hq.app import _body, _json      # hq.app mounts this module while it builds the app
    engine: Engine = app.state.engine

    @app.post(PATH, include_in_schema=False)
    async def sales(request: Request):
        till = await run_in_threadpool(tills.authenticate, engine, request.headers.get("authorization"))
        body = await _body(request)
        return _json(await run_in_threadpool(receive, engine, till, body))


__all__ = ["MAX_SALES", "PATH", "mount", "receive"]
