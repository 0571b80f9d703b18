"""Price books: the version in force and the drafts (reference.view), drafting and submitting
(pricebook.edit), the review page with the diff against the version in force and a preview
valuation, and publishing by a second person (pricebook.edit, not the drafter)."""

from __future__ import annotations

from datetime import date

from fastapi.responses import Response

from core import clock
from hq.console import pricebook_review as review_
from hq.console import pricebooks as pb
from hq.console.accounts import ConsoleError
from hq.console.i18n import N_
from hq.console.web import MESSAGES, PREFIX, Ctx, page

HOME = PREFIX + "/pricebooks"
BLANK_MODELS, BLANK_BANDS, BLANK_PROMOS = 3, 2, 1

MESSAGES.update({
    "pb_created": N_("Draft created."),
    "pb_saved": N_("Draft saved."),
    "pb_submitted": N_("Submitted for review: another person reviews and publishes it."),
    "pb_returned": N_("Returned to draft with your note."),
    "pb_published": N_("Published: stores receive the new price book at their next sync."),
})
KIND_LABELS = {"phone": N_("phone"), "tablet": N_("tablet"), "laptop": N_("laptop"), "watch": N_("watch")}
STEP_LABELS = {"base": N_("base value"), "age": N_("age"), "battery": N_("battery"), "floor": N_("lowest offer"),
               "rounding": N_("rounding"), "promotion": N_("promotion"), "cap": N_("capped at a better grade's value")}
PAYOUT_LABELS = {"store_credit": N_("store credit"), "voucher": N_("voucher"), "purchase": N_("towards a purchase")}


def _id(draft_id: str) -> int:
    if not draft_id.isdigit() or len(draft_id) > 9:
        raise ConsoleError(N_("No such price book draft."), 404)
    return int(draft_id)


def _errors(ctx: Ctx, exc: ConsoleError) -> dict[str, str]:
    """Field name -> the translated reason, naming the field (``pricebooks.FieldErrors``)."""
    out: dict[str, str] = {}
    for name, message, params in getattr(exc, "errors", [("", exc.message, exc.params)]):
        values = dict(params)
        n = values.pop("n", 0)
        label = values.get("field")
        if label is not None:
            parts = label if isinstance(label, tuple) else (label,)
            values["field"] = " · ".join(ctx.t(part, n=n) for part in parts)
        text = ctx.t(message, **values) if values else ctx.t(message)
        out[name] = (out[name] + " " + text) if name in out else text
    return out


@page("GET", "/pricebooks", "reference.view")
def listing(ctx: Ctx, status: int = 200, errors: dict[str, str] | None = None) -> Response:
    books = pb.published_books(ctx.engine)
    today = clock.today()
    current = pb.in_force_row(books, today)
    return ctx.render("pricebooks_list.html", status, books=books, current=current, drafts=pb.drafts(ctx.engine),
                      labels=pb.STATUS_LABELS, today=today.isoformat(), errors=errors or {},
                      form=ctx.form if errors else {}, error=(errors or {}).get(""))


@page("POST", "/pricebooks", "pricebook.edit")
def create(ctx: Ctx) -> Response:
    assert ctx.user is not None
    try:
        new_id = pb.create_draft(ctx.engine, ctx.form, by=ctx.user.id)
    except ConsoleError as exc:
        return listing(ctx, 400, _errors(ctx, exc) or {"": ctx.t(exc.message)})
    return ctx.redirect(f"{HOME}/{new_id}", "pb_created")


def _draft_page(ctx: Ctx, draft: pb.Draft, status: int = 200, errors: dict[str, str] | None = None,
                part: str = "") -> Response:
    editable = draft.status == "draft" and ctx.can("pricebook.edit")
    book = draft.book
    form = ctx.form if errors else {}
    return ctx.render(
        "pricebooks_draft.html", status, d=draft, book=book, editable=editable, errors=errors or {}, part=part,
        form=form, grades=list(book.rules.get("grades") or pb.GRADES), kinds=pb.KINDS, payouts=pb.PAYOUTS,
        grade_labels=pb.GRADE_LABELS, kind_labels=KIND_LABELS, payout_labels=PAYOUT_LABELS,
        labels=pb.STATUS_LABELS, amount=pb.amount, money=pb.money, blank_models=BLANK_MODELS,
        blank_bands=BLANK_BANDS, blank_promos=BLANK_PROMOS, problems=_errors(ctx, pb.FieldErrors(pb.problems(draft)))
        if draft.status == "draft" else {},
        error=ctx.t(N_("Some fields need correcting: see the messages beside them.")) if errors else None)


@page("GET", "/pricebooks/{draft_id}", "reference.view")
def show(ctx: Ctx, draft_id: str) -> Response:
    return _draft_page(ctx, pb.get_draft(ctx.engine, _id(draft_id)))


def _edit(ctx: Ctx, draft_id: str, part: str) -> Response:
    assert ctx.user is not None
    n = _id(draft_id)
    save = {"book": pb.save_book, "models": pb.save_models, "rules": pb.save_rules}[part]
    try:
        save(ctx.engine, n, ctx.form, by=ctx.user.id)
    except pb.FieldErrors as exc:
        return _draft_page(ctx, pb.get_draft(ctx.engine, n), 400, _errors(ctx, exc), part)
    return ctx.redirect(f"{HOME}/{n}", "pb_saved")


@page("POST", "/pricebooks/{draft_id}/book", "pricebook.edit")
def edit_book(ctx: Ctx, draft_id: str) -> Response:
    return _edit(ctx, draft_id, "book")


@page("POST", "/pricebooks/{draft_id}/models", "pricebook.edit")
def edit_models(ctx: Ctx, draft_id: str) -> Response:
    return _edit(ctx, draft_id, "models")


@page("POST", "/pricebooks/{draft_id}/rules", "pricebook.edit")
def edit_rules(ctx: Ctx, draft_id: str) -> Response:
    return _edit(ctx, draft_id, "rules")


@page("POST", "/pricebooks/{draft_id}/submit", "pricebook.edit")
def submit(ctx: Ctx, draft_id: str) -> Response:
    assert ctx.user is not None
    n = _id(draft_id)
    try:
        pb.submit(ctx.engine, n, by=ctx.user.id)
    except pb.FieldErrors:
        return _draft_page(ctx, pb.get_draft(ctx.engine, n), 400)
    return ctx.redirect(f"{HOME}/{n}/review", "pb_submitted")


def _preview_inputs(ctx: Ctx, draft: pb.Draft) -> tuple[dict[str, str], dict[str, str], dict | None]:
    """The preview's choices from the query string (no personal data: a model, a grade, a
    battery health, a date, a payout), checked; defaults for what is not given."""
    q = ctx.request.query_params
    book = draft.book
    errors: dict[str, str] = {}
    names = [f"{m['name']} · {m['configuration']}" for m in book.models]
    chosen = q.get("model") or (names[0] if names else "")
    grades = list(book.rules.get("grades") or pb.GRADES)
    grade = q.get("grade") if q.get("grade") in grades else grades[0]
    health_text = (q.get("health") if "health" in q else "90").strip()
    health = None
    if health_text:
        if health_text.isdigit() and 0 <= int(health_text) <= 100:
            health = int(health_text)
        else:
            errors["health"] = ctx.t(N_("%(field)s must be a whole number from %(low)s to %(high)s."),
                                     field=ctx.t(N_("Battery health")), low=0, high=100)
    default_on = max(clock.today().isoformat(), book.valid_from or "")
    on_text = (q.get("on") or default_on).strip()
    try:
        on = date.fromisoformat(on_text)
    except ValueError:
        errors["on"] = ctx.t(N_("%(field)s must be a date written YYYY-MM-DD."), field=ctx.t(N_("Valued on")))
        on = date.fromisoformat(default_on)
    payout = q.get("payout") if q.get("payout") in pb.PAYOUTS else ""
    shown = {"model": chosen, "grade": grade, "health": health_text, "on": on.isoformat(), "payout": payout}
    if chosen not in names:
        if chosen:
            errors["model"] = ctx.t(N_("Choose a model the draft prices."))
        return shown, errors, None
    model = book.models[names.index(chosen)]
    return shown, errors, {"model": model, "grade": grade, "health": health, "on": on, "payout": payout or None}


@page("GET", "/pricebooks/{draft_id}/review", "reference.view")
def review(ctx: Ctx, draft_id: str, status: int = 200, errors: dict[str, str] | None = None) -> Response:
    assert ctx.user is not None
    draft = pb.get_draft(ctx.engine, _id(draft_id))
    current = pb.book_in_force(ctx.engine)
    if draft.status == "published" and draft.data.get("book_id"):
        # once published, compare with the book it replaced: the one in force before it
        before = [b for b in pb.published_books(ctx.engine) if b["id"] != draft.data["book_id"]]
        row = pb.in_force_row(before, clock.today())
        current = pb.load_book(ctx.engine, row) if row else None
    shown, preview_errors, chosen = _preview_inputs(ctx, draft)
    offers = None
    if chosen and not preview_errors:
        m = chosen["model"]
        args = (m["name"], m["configuration"], chosen["grade"], chosen["health"], chosen["on"], chosen["payout"])
        offers = (review_.offer(draft.book, *args), review_.offer(current, *args))
    may_publish = (draft.status == "review" and ctx.can("pricebook.edit") and ctx.user.id not in draft.authors())
    return ctx.render(
        "pricebooks_review.html", status, d=draft, book=draft.book, current=current,
        diff=review_.diff(current, draft.book), shown=shown, preview_errors=preview_errors, offers=offers,
        grades=list(draft.book.rules.get("grades") or pb.GRADES), grade_labels=pb.GRADE_LABELS,
        payouts=pb.PAYOUTS, payout_labels=PAYOUT_LABELS, labels=pb.STATUS_LABELS, money=pb.money,
        step_labels=STEP_LABELS, may_publish=may_publish, own=ctx.user.id in draft.authors(), errors=errors or {},
        error=(errors or {}).get(""), form=ctx.form if errors else {})


@page("POST", "/pricebooks/{draft_id}/publish", "pricebook.edit")
def publish(ctx: Ctx, draft_id: str) -> Response:
    assert ctx.user is not None
    n = _id(draft_id)
    pb.publish(ctx.engine, n, by=ctx.user.id)
    return ctx.redirect(HOME, "pb_published")


@page("POST", "/pricebooks/{draft_id}/return", "pricebook.edit")
def return_to_draft(ctx: Ctx, draft_id: str) -> Response:
    assert ctx.user is not None
    n = _id(draft_id)
    try:
        pb.return_to_draft(ctx.engine, n, ctx.text("note", 600), by=ctx.user.id)
    except pb.FieldErrors as exc:
        return review(ctx, draft_id, 400, _errors(ctx, exc))
    return ctx.redirect(f"{HOME}/{n}", "pb_returned")
