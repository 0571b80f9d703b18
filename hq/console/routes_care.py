"""Customer care (issue 21): the complaint rules, response scripts and care settings in force
and their draft (:mod:`hq.console.care`), and the form that opens a complaint for a store.

``care.view`` reads the page; ``care.edit`` drafts and publishes (a second person publishes);
``complaints.open`` opens a complaint (a regional manager: its region's stores only, checked
again when the form is posted). The customer's words travel in the form's body only."""

from __future__ import annotations

from typing import Any, Callable

from fastapi.responses import Response

from core import clock, terms
from core.care import CATEGORIES, SEVERITIES, TEXT_MAX
from core.care.rules import SETTINGS
from hq.console import care, care_rules as cr
from hq.console.accounts import ConsoleError
from hq.console.i18n import N_
from hq.console.reference import STATUS_LABELS, FieldErrors
from hq.console.web import MESSAGES, PREFIX, Ctx, page

BASE = PREFIX + "/care"
COMPLAINT = BASE + "/complaint"
NOTICES = {
    "draft_started": N_("Draft started."),
    "rules_saved": N_("The draft rules are saved."),
    "script_saved": N_("The draft scripts are saved."),
    "settings_saved": N_("The draft settings are saved."),
    "submitted": N_("Submitted for review: a second person publishes it."),
    "returned": N_("Returned to draft."),
    "withdrawn": N_("The draft is withdrawn."),
    "published": N_("Published: stores take it on their next sync."),
}
MESSAGES.setdefault("complaint_opened", N_("The complaint is opened: the store receives it at its next sync."))
LANG_LABELS = {"en": N_("English"), "zh_CN": N_("Chinese")}


def _category(ctx: Ctx) -> str:
    asked = (ctx.request.query_params.get("script") or ctx.form.get("category") or "")[:30]
    return asked if asked in CATEGORIES else CATEGORIES[0]


def _show(ctx: Ctx) -> Callable[[str, Any], str]:
    """A value as the page shows it: yes/no, "never" for no overdue escalation, a dash for empty."""
    def show(name: str, value: Any) -> str:
        if isinstance(value, bool):
            return ctx.t(N_("yes")) if value else ctx.t(N_("no"))
        if value is None:
            return ctx.t(N_("never for being late")) if name == "escalate_overdue_hours" else "–"
        return "–" if value == "" else str(value)
    return show


def _diff_rows(ctx: Ctx, old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, field, in force, draft) in the page's language."""
    show = _show(ctx)
    out = []
    for section, key, name, a, b in cr.diff(old, new):
        if section == "rule":
            what, label = terms.term(key, ctx.lang, "complaint_severity"), cr.RULE_LABELS[name]
        elif section == "script":
            category, lang = key.split(":")
            what = f"{terms.term(category, ctx.lang, 'feedback_category')} · {ctx.t(LANG_LABELS[lang])}"
            label = cr.PART_LABELS[name]
        else:
            what, label = ctx.t(N_("Care settings")), cr.SETTING_LABELS[name]
        out.append((what, ctx.t(label), show(name, a), show(name, b)))
    return out


def _page(ctx: Ctx, status: int = 200, *, errors: dict[str, str] | None = None, form_name: str = "",
          form: dict[str, str] | None = None, error: str | None = None) -> Response:
    msg = ctx.request.query_params.get("msg") or ""
    force = care.in_force(ctx.engine)
    draft = care.current_draft(ctx.engine)
    can_edit = ctx.can(care.EDIT)
    editing = draft is not None and draft.status == "draft" and can_edit
    category = _category(ctx)
    values = draft.data if draft is not None else force.values
    forms = {"rules": cr.rules_form(values["rules"]), "settings": cr.settings_form(values["settings"]),
             "script": cr.script_form(category, dict(values["scripts"]).get(category) or {})}
    if form_name and form is not None:
        forms[form_name] = form
    return ctx.render(
        "care_page.html", status, force=force.values, published=force.published, draft=draft,
        history=care.past_drafts(ctx.engine), can_edit=can_edit, editing=editing,
        may_publish=draft is not None and can_edit and draft.may_publish(ctx.user),
        status_labels=STATUS_LABELS, errors=errors or {}, forms=forms, error=error,
        notice=NOTICES.get(msg) or MESSAGES.get(msg), diff=_diff_rows(ctx, force.values, draft.data) if draft else [],
        severities=SEVERITIES, categories=CATEGORIES, category=category, script_langs=cr.LANGS, parts=cr.PARTS,
        settings=SETTINGS, rule_labels=cr.RULE_LABELS, part_labels=cr.PART_LABELS,
        setting_labels=cr.SETTING_LABELS, lang_labels=LANG_LABELS, show=_show(ctx), script_max=cr.SCRIPT_MAX,
        term=lambda code, kind: terms.term(code, ctx.lang, kind))


def _failed(ctx: Ctx, exc: ConsoleError, form_name: str = "") -> Response:
    errors = None
    if isinstance(exc, FieldErrors):
        errors = {name: ctx.t(message, **params) for name, (message, params) in exc.errors.items()}
    return _page(ctx, exc.status, errors=errors, form_name=form_name,
                 form=dict(ctx.form) if errors is not None else None, error=ctx.t(exc.message, **exc.params))


def _draft_id(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 10 else -1


@page("GET", "/care", "care.view")
def care_page(ctx: Ctx) -> Response:
    return _page(ctx)


@page("POST", "/care/drafts", care.EDIT)
def start(ctx: Ctx) -> Response:
    assert ctx.user is not None
    try:
        care.start_draft(ctx.engine, ctx.user, ctx.text("title", 120) or ctx.t(N_("Customer care")))
    except ConsoleError as exc:
        return _failed(ctx, exc)
    return ctx.redirect(BASE, "draft_started")


def _act(name: str, work: Callable[[Ctx, int], object], msg: str, form_name: str = "") -> None:
    def handler(ctx: Ctx, draft_id: str) -> Response:
        try:
            work(ctx, _draft_id(draft_id))
        except ConsoleError as exc:
            return _failed(ctx, exc, form_name)
        back = BASE + (f"?script={_category(ctx)}" if form_name == "script" else "")
        return ctx.redirect(back, msg)
    handler.__name__ = f"care_{name}"
    page("POST", f"/care/drafts/{{draft_id}}/{name}", care.EDIT)(handler)


def _user(ctx: Ctx) -> Any:
    assert ctx.user is not None
    return ctx.user


_act("rules", lambda ctx, d: care.save_rules(ctx.engine, d, _user(ctx), ctx.form), "rules_saved", "rules")
_act("script", lambda ctx, d: care.save_script(ctx.engine, d, _user(ctx), ctx.form), "script_saved", "script")
_act("settings", lambda ctx, d: care.save_settings(ctx.engine, d, _user(ctx), ctx.form), "settings_saved",
     "settings")
_act("submit", lambda ctx, d: care.submit(ctx.engine, d, _user(ctx)), "submitted")
_act("return", lambda ctx, d: care.return_to_draft(ctx.engine, d, _user(ctx), ctx.text("note", 500)), "returned")
_act("withdraw", lambda ctx, d: care.withdraw(ctx.engine, d, _user(ctx)), "withdrawn")
_act("publish", lambda ctx, d: care.publish(ctx.engine, d, _user(ctx)), "published")


# --- a complaint opened at HQ -------------------------------------------------------------------

def _complaint_page(ctx: Ctx, status: int = 200, *, errors: dict[str, str] | None = None,
                    form: dict[str, str] | None = None, error: str | None = None) -> Response:
    assert ctx.user is not None
    return ctx.render("care_complaint.html", status, stores=care.complaint_stores(ctx.engine, ctx.user),
                      categories=CATEGORIES, errors=errors or {}, form=form or {}, error=error,
                      text_max=TEXT_MAX, term=lambda code, kind: terms.term(code, ctx.lang, kind))


@page("GET", "/care/complaint", care.OPEN_COMPLAINTS)
def complaint_form(ctx: Ctx) -> Response:
    return _complaint_page(ctx)


@page("POST", "/care/complaint", care.OPEN_COMPLAINTS)
def open_complaint(ctx: Ctx) -> Response:
    assert ctx.user is not None
    try:
        care.open_complaint(ctx.engine, ctx.user, ctx.form, clock.now())
    except FieldErrors as exc:
        errors = {name: ctx.t(message, **params) for name, (message, params) in exc.errors.items()}
        return _complaint_page(ctx, exc.status, errors=errors, form=dict(ctx.form), error=ctx.t(exc.message))
    return ctx.redirect(COMPLAINT, "complaint_opened")
