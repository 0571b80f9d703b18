"""Service types and skills, parts and prices, loyalty rules: what is in force, the open
draft, its diff, review and publication (:mod:`hq.console.reference`).

Everyone with ``reference.view`` reads the three tabs; ``pricebook.edit`` drafts and
publishes service types and parts, ``loyalty.edit`` loyalty rules (each route is
registered with the permission of its kind, so the table in roles.py decides)."""

from __future__ import annotations

from typing import Any, Callable

from fastapi.responses import Response

from core import terms
from core.loyalty.rules import DEFAULT_RULES
from hq.console import reference as ref, reference_rules as rr
from hq.console.accounts import ConsoleError
from hq.console.i18n import N_
from hq.console.web import MESSAGES, PREFIX, Ctx, page

BASE = PREFIX + "/reference"
TAB_LABELS = {"services": N_("Service types and skills"), "parts": N_("Parts and prices"),
              "loyalty": N_("Loyalty rules")}
NOTICES = {
    "draft_started": N_("Draft started."),
    "item_saved": N_("The draft is saved."),
    "item_dropped": N_("That change is out of the draft."),
    "rules_saved": N_("The draft rules are saved."),
    "submitted": N_("Submitted for review: a second person publishes it."),
    "returned": N_("Returned to draft."),
    "withdrawn": N_("The draft is withdrawn."),
    "published": N_("Published: stores take it on their next sync."),
}
FIELD_LABELS = {"name": N_("Name"), "duration_min": N_("Duration (min)"), "buffer_min": N_("Buffer after (min)"),
                "required_skill": N_("Skill needed"), "price_cents": N_("Price"), "is_repair": N_("Repair"),
                "active": N_("Active"), "fits": N_("Fits"), "code": N_("Service code"), "sku": N_("SKU")}
STATE_LABELS = {"added": N_("added"), "changed": N_("changed"), "deactivated": N_("deactivated"),
                "reactivated": N_("reactivated")}


def _show(ctx: Ctx) -> Callable[[str, Any], str]:
    """A field's value as the page shows it."""
    def show(name: str, value: Any) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return ctx.t(N_("yes")) if value else ctx.t(N_("no"))
        if name.endswith("_cents"):
            return ref.money_text(value)
        if name == "required_skill":
            return terms.skill_name(str(value), ctx.lang)
        return str(value)
    return show


def _tier_params(ctx: Ctx, params: dict[str, object]) -> dict[str, object]:
    """A tier in the page's language where the catalogue knows it (``gold``: Gold, 金卡 (gold))."""
    if "tier" not in params:
        return params
    code = str(params["tier"])
    name = terms.term(code, ctx.lang, "tier")
    return {**params, "tier": name if name.lower() == code else f"{name} ({code})"}


def _known_skills() -> tuple[str, ...]:
    return tuple(terms.TERMS["skill"])


def _item_form(kind: str, item: dict[str, Any] | None) -> dict[str, str]:
    if item is None:
        return {"active": "1", "duration_min": "30", "buffer_min": "10"} if kind == "services" else {}
    form = {k: ("" if v is None else str(v)) for k, v in item.items() if k not in ("id", "price_cents")}
    form["price"] = ref.money_text(item.get("price_cents")).replace(",", "")
    for flag in ("is_repair", "active"):
        if flag in item:
            form[flag] = "1" if item[flag] else ""
    return form


def _page(ctx: Ctx, kind: str, status: int = 200, *, errors: dict[str, str] | None = None,
          form: dict[str, str] | None = None, error: str | None = None) -> Response:
    assert ctx.user is not None
    msg = ctx.request.query_params.get("msg") or ""
    notice = NOTICES.get(msg) or MESSAGES.get(msg)
    draft = ref.open_draft(ctx.engine, kind)
    can_edit = ctx.can(ref.EDIT[kind])
    editing = draft is not None and draft.status == "draft" and can_edit
    values: dict[str, Any] = dict(
        kind=kind, tabs=TAB_LABELS, draft=draft, history=ref.history(ctx.engine, kind), can_edit=can_edit,
        editing=editing, may_publish=draft is not None and can_edit and draft.may_publish(ctx.user),
        status_labels=ref.STATUS_LABELS, field_labels=FIELD_LABELS, state_labels=STATE_LABELS,
        errors=errors or {}, show=_show(ctx), notice=notice, error=error,
        service_name=lambda name, code: terms.service_name(str(name), ctx.lang, code))
    if kind == "loyalty":
        versions = ref.rules_versions(ctx.engine)
        current = ref.rules_in_force(versions)
        current_rules = current.rules if current else DEFAULT_RULES
        today = ref._today()
        values.update(versions=versions, current=current, current_rules=current_rules,
                      current_facts=[(k, label, _tier_params(ctx, p), v)
                                     for k, label, p, v in rr.rules_facts(current_rules)],
                      scheduled=[v for v in versions if v.valid_from > today])
        if draft is not None:
            draft_rules = draft.data.get("rules") or current_rules
            values.update(rules_diff=[(label, _tier_params(ctx, p), old, new, changed) for label, p, old, new, changed
                                     in rr.diff_rules(current_rules, draft_rules)],
                          form=form if form is not None else {
                              "version": draft.data.get("version", ""), "valid_from": draft.data.get("valid_from", ""),
                              **rr.rules_form(draft_rules)})
        values.update(max_tiers=rr.MAX_TIERS)
    else:
        force = ref.in_force(ctx.engine, kind)
        items = draft.items if draft is not None else {}
        edit_key = ctx.request.query_params.get("edit", "")[:40]
        if form is None:
            form = _item_form(kind, items.get(edit_key) or force.get(edit_key))
        values.update(force=force, changes=ref.diff_items(kind, items, force), form=form,
                      edit_key=edit_key if (edit_key in items or edit_key in force) else "")
        if kind == "services":
            after = ref.overlay(items, force)
            values.update(skills=ref.skills(after, _known_skills()),
                          skill_choices=sorted({*_known_skills(), *(str(s["required_skill"]) for s in after.values()
                                                                   if s.get("required_skill"))}))
    return ctx.render(f"reference_{kind}.html", status, **values)


def _failed(ctx: Ctx, kind: str, exc: ConsoleError) -> Response:
    errors = None
    if isinstance(exc, ref.FieldErrors):
        errors = {name: ctx.t(message, **params) for name, (message, params) in exc.errors.items()}
    return _page(ctx, kind, exc.status, errors=errors, form=dict(ctx.form) if errors is not None else None,
                 error=ctx.t(exc.message, **exc.params))


def _draft_id(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 10 else -1


@page("GET", "/reference", "reference.view")
def reference_home(ctx: Ctx) -> Response:
    return _page(ctx, "services")


def _register(kind: str) -> None:
    """The pages of one kind, each route with that kind's permission."""
    edit = ref.EDIT[kind]
    here = f"{BASE}/{kind}"

    def act(name: str, work: Callable[[Ctx, int], object], msg: str) -> None:
        def handler(ctx: Ctx, draft_id: str) -> Response:
            try:
                work(ctx, _draft_id(draft_id))
            except ConsoleError as exc:
                return _failed(ctx, kind, exc)
            return ctx.redirect(here, msg)
        handler.__name__ = f"{kind}_{name}"
        page("POST", f"/reference/{kind}/drafts/{{draft_id}}/{name}", edit)(handler)

    @page("GET", f"/reference/{kind}", "reference.view")
    def show(ctx: Ctx) -> Response:
        return _page(ctx, kind)

    @page("POST", f"/reference/{kind}/drafts", edit)
    def start(ctx: Ctx) -> Response:
        assert ctx.user is not None
        try:
            ref.start_draft(ctx.engine, kind, ctx.user, ctx.text("title", 120) or ctx.t(TAB_LABELS[kind]))
        except ConsoleError as exc:
            return _failed(ctx, kind, exc)
        return ctx.redirect(here, "draft_started")

    def user(ctx: Ctx) -> Any:
        assert ctx.user is not None
        return ctx.user

    act("submit", lambda ctx, d: ref.submit(ctx.engine, kind, d, user(ctx)), "submitted")
    act("return", lambda ctx, d: ref.return_to_draft(ctx.engine, kind, d, user(ctx), ctx.text("note", 500)),
        "returned")
    act("withdraw", lambda ctx, d: ref.withdraw(ctx.engine, kind, d, user(ctx)), "withdrawn")
    act("publish", lambda ctx, d: ref.publish(ctx.engine, kind, d, user(ctx)), "published")
    if kind == "loyalty":
        act("rules", lambda ctx, d: rr.save_rules(ctx.engine, d, user(ctx), ctx.form), "rules_saved")
        return
    act("item", lambda ctx, d: ref.save_item(ctx.engine, kind, d, user(ctx), ctx.form), "item_saved")
    act("undo", lambda ctx, d: ref.drop_item(ctx.engine, kind, d, user(ctx), ctx.text("key", 40)), "item_dropped")
    if kind == "services":
        act("active", lambda ctx, d: ref.set_active(ctx.engine, d, user(ctx), ctx.text("code", 24),
                                                    ctx.form.get("active") == "1"), "item_saved")


for _kind in ref.KINDS:
    _register(_kind)
