"""Customers at HQ: find one by a full key (sent in a POST body, never in a URL), their page
(rows at HQ, serving stores, fetch log, erasure), and data-subject requests (export as JSON
and PDF, erasure that syncs). ``customers.view`` finds and reads; ``customers.dsr`` exports
and erases. Every search, view, download and erasure is in the console's audit log."""

from __future__ import annotations

import json
import uuid

from fastapi.responses import Response

from hq.console import customers
from hq.console.accounts import ConsoleError
from hq.console.i18n import N_
from hq.console.web import MESSAGES, PREFIX, Ctx, page

MESSAGES.setdefault("customer_erased", N_("The customer is erased at HQ. Every store that serves them blanks "
                                          "them at its next sync."))


def _search_page(ctx: Ctx, status: int = 200, **values: object) -> Response:
    return ctx.render("customers_find.html", status, kinds=customers.KINDS, **values)


@page("GET", "/customers", "customers.view")
def find_form(ctx: Ctx) -> Response:
    return _search_page(ctx, kind="phone")


@page("POST", "/customers", "customers.view")
def find(ctx: Ctx) -> Response:
    assert ctx.user is not None
    kind = ctx.text("kind", 10)
    try:
        found = customers.search(ctx.engine, ctx.user, kind, ctx.text("key", 300))
    except ConsoleError as exc:
        # the key is not sent back: the field stays empty
        return _search_page(ctx, 400, kind=kind, error=ctx.t(exc.message, **exc.params))
    return _search_page(ctx, kind=kind, found=found, searched=True)


def _page(ctx: Ctx, customer_id: str, status: int = 200, **values: object) -> Response:
    assert ctx.user is not None
    view = customers.customer(ctx.engine, ctx.user, customer_id, record=False)
    return ctx.render("customers_view.html", status, c=view, confirm_word=customers.CONFIRM_WORD,
                      entity_labels=customers.ENTITY_LABELS, key_labels=customers.KEY_LABELS, **values)


@page("GET", "/customers/{customer_id}", "customers.view")
def view(ctx: Ctx, customer_id: str) -> Response:
    return _page(ctx, customer_id)


def _id(customer_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(customer_id)
    except ValueError:
        raise ConsoleError(N_("There is no such customer at HQ."), 404) from None


def _download(body: bytes, media: str, name: str) -> Response:
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store",
        "x-content-type-options": "nosniff"})


@page("POST", "/customers/{customer_id}/export.json", "customers.dsr")
def export_json(ctx: Ctx, customer_id: str) -> Response:
    assert ctx.user is not None
    cid = _id(customer_id)
    customers.customer(ctx.engine, ctx.user, customer_id, record=False)   # 404 for an unknown id
    data = customers.export(ctx.engine, ctx.user, cid, "json")
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    return _download(body, "application/json", f"customer-{cid}.json")


@page("POST", "/customers/{customer_id}/export.pdf", "customers.dsr")
def export_pdf(ctx: Ctx, customer_id: str) -> Response:
    from reports import dsr_export        # ReportLab only when a PDF is asked for
    assert ctx.user is not None
    cid = _id(customer_id)
    customers.customer(ctx.engine, ctx.user, customer_id, record=False)
    data = customers.export(ctx.engine, ctx.user, cid, "pdf")
    return _download(dsr_export.render(data, lang=ctx.lang), "application/pdf", f"customer-{cid}.pdf")


@page("POST", "/customers/{customer_id}/erase", "customers.dsr")
def erase(ctx: Ctx, customer_id: str) -> Response:
    assert ctx.user is not None
    view = customers.customer(ctx.engine, ctx.user, customer_id, record=False)
    if not customers.confirmed(view, ctx.text("confirm", 40)):
        return _page(ctx, customer_id, 400, record=False, error=ctx.t(N_(
            "Not erased: type the customer's member number or the word %(word)s to confirm."),
            word=customers.CONFIRM_WORD))
    customers.erase(ctx.engine, ctx.user, view)
    return ctx.redirect(f"{PREFIX}/customers/{view.id}", "customer_erased")
