"""The escalations queue (hq.escalations): the queue (by state, overdue first, due times in
the viewer's time zone), one escalation with its notes, and its steps (acknowledge, start,
resolve, return to the store with a note, reopen) and notes. ``escalations.handle`` (admins;
regional managers, their region's stores only). The auditor has no access: the summaries
concern customers, and no read permission both it and a regional manager hold covers them.

The viewer's zone: ``?tz=`` (an IANA zone; links keep it), else the zone all the regional
manager's stores share, else UTC. Overdue marks use :func:`core.clock.now`."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from urllib.parse import urlencode

from fastapi.responses import Response
from sqlalchemy import select

from core import clock
from hq import escalations
from hq.console import roles
from hq.console.accounts import ConsoleError
from hq.console.i18n import N_, gettext
from hq.console.stores import _zones
from hq.console.web import MESSAGES, PREFIX, Ctx, page
from hq.models import hq_store

PERMISSION = "escalations.handle"

MESSAGES.setdefault("escalation_step", N_("The escalation is updated."))
MESSAGES.setdefault("escalation_note", N_("The note is added; the store reads it at its next sync."))

STATE_LABELS = {
    "new": N_("new"),
    "acknowledged": N_("acknowledged"),
    "in_progress": N_("in progress"),
    "resolved": N_("resolved"),
    "returned": N_("returned to the store"),
}
STEP_LABELS = {
    "acknowledge": N_("Acknowledge"),
    "start": N_("Start work"),
    "resolve": N_("Resolve"),
    "return": N_("Return to the store"),
    "reopen": N_("Reopen"),
}
PRIORITY_LABELS = {"high": N_("high"), "normal": N_("normal"), "low": N_("low")}
KIND_LABELS = {"complaint": N_("complaint"), "overdue_complaint": N_("overdue complaint"), "other": N_("other")}

# why a step or note was refused, by hq.escalations' code
REFUSALS = {
    "escalation_not_found": (N_("No such escalation."), 404),
    "escalation_forbidden": (N_("You do not have access to this page."), 403),
    "escalation_step_unknown": (N_("There is no such step."), 400),
    "escalation_step_refused": (N_("That step is not allowed from the escalation's present state. Reload the "
                                   "page: someone may have moved it."), 409),
    "escalation_text_missing": (N_("Write a note. Returning an escalation to the store needs one saying why."), 400),
    "escalation_text_long": (N_("A note is at most 1,000 characters."), 400),
    "escalation_text_control": (N_("A note cannot hold control characters."), 400),
    "escalation_text_personal": (N_("Name the customer by their id only: no phone number or email address in a "
                                    "note."), 400),
}


def _console_error(exc: escalations.Refused) -> ConsoleError:
    message, status = REFUSALS.get(exc.code, (N_("That cannot be done."), exc.status))
    return ConsoleError(message, status)


def _zone(ctx: Ctx) -> str:
    """The viewer's zone: ``?tz=``, else the zone the regional manager's stores share, else UTC."""
    asked = (ctx.request.query_params.get("tz") or ctx.form.get("tz") or "")[:64]
    if asked in _zones():
        return asked
    assert ctx.user is not None
    scoped, region = roles.region_scope(ctx.user.role, ctx.user.region_id)
    if scoped and region is not None:
        with ctx.engine.connect() as conn:
            zones = {z for z in conn.scalars(select(hq_store.c.timezone).where(hq_store.c.region_id == region)) if z}
        if len(zones) == 1:
            return zones.pop()
    return "UTC"


def _local(dt: datetime, zone: str) -> str:
    return dt.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _left(due: datetime, now: datetime) -> str:
    """Time left to the due time, or how long it is overdue, in hours (days past 48 h)."""
    seconds = int((due - now).total_seconds())
    span = abs(seconds)
    if span >= 172800:
        amount = gettext("%(n)s d") % {"n": span // 86400}
    elif span >= 3600:
        amount = gettext("%(n)s h") % {"n": span // 3600}
    else:
        amount = gettext("%(n)s min") % {"n": span // 60}
    return (gettext("%(span)s left") if seconds >= 0 else gettext("overdue by %(span)s")) % {"span": amount}


def _labels() -> dict[str, object]:
    return {"state_labels": STATE_LABELS, "step_labels": STEP_LABELS, "priority_labels": PRIORITY_LABELS,
            "kind_labels": KIND_LABELS, "local": _local, "left": _left, "role_names": _role_names}


def _role_names(role: str | None) -> str:
    from hq.console.web import role_label
    return role_label(role or "")


@page("GET", "/escalations", PERMISSION)
def queue(ctx: Ctx) -> Response:
    assert ctx.user is not None
    state = ctx.request.query_params.get("state") or ""
    if state not in escalations.STATES and state != "all":
        state = ""
    now = clock.now()
    zone = _zone(ctx)
    found = escalations.queue(ctx.engine, ctx.user, now, state or None)
    return ctx.render("escalations_queue.html", escalations=found, now=now, zone=zone, state=state,
                      states=escalations.STATES, overdue=sum(1 for e in found if e.overdue(now)),
                      tz_query=urlencode({"tz": zone}), **_labels())


def _number(esc_id: str) -> int:
    if not esc_id.isdigit() or len(esc_id) > 9:
        raise ConsoleError(N_("No such escalation."), 404)
    return int(esc_id)


def _detail(ctx: Ctx, esc_id: int, status: int = 200, error: str | None = None) -> Response:
    assert ctx.user is not None
    try:
        found = escalations.get(ctx.engine, ctx.user, esc_id)
    except escalations.Refused as exc:
        raise _console_error(exc) from None
    zone = _zone(ctx)
    return ctx.render("escalations_view.html", status, esc=found, now=clock.now(), zone=zone, error=error,
                      tz_query=urlencode({"tz": zone}), **_labels())


@page("GET", "/escalations/{esc_id}", PERMISSION)
def view(ctx: Ctx, esc_id: str) -> Response:
    return _detail(ctx, _number(esc_id))


@page("POST", "/escalations/{esc_id}", PERMISSION)
def step(ctx: Ctx, esc_id: str) -> Response:
    """One form: a note and a button per step allowed now (``step=note`` adds the note alone)."""
    assert ctx.user is not None
    number = _number(esc_id)
    chosen, note = ctx.text("step", 20), (ctx.form.get("note") or "")[:2000]
    try:
        if chosen == "note":
            escalations.add_note(ctx.engine, ctx.user, number, note, clock.now())
        else:
            escalations.act(ctx.engine, ctx.user, number, chosen, note, clock.now())
    except escalations.Refused as exc:
        error = _console_error(exc)
        if error.status in (403, 404):
            raise error from None
        return _detail(ctx, number, error.status, ctx.t(error.message))
    back = f"{PREFIX}/escalations/{number}?{urlencode({'tz': _zone(ctx)})}"
    return ctx.redirect(back, "escalation_note" if chosen == "note" else "escalation_step")
