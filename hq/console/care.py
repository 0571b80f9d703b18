"""Customer care at HQ (issue 21): the complaint rules per severity, the response scripts per
category in each language and the care settings, drafted and published as reference data
(``complaint_rule``, ``response_script``, ``care_setting``: every store pulls them and
:mod:`core.care.rules` reads them); and a complaint opened at HQ for a store.

The reference data goes the way the other reference pages' does (:mod:`hq.console.reference`):

    draft --submit--> review --publish (a second person)--> published

One open draft (kind ``care``) holds the whole of it, starting from what is in force (HQ's
rows, else the stores' defaults: :data:`core.care.rules.DEFAULT_RULES` and
:data:`core.care.rules.SETTINGS`); publishing writes only the rows that differ, through
:func:`hq.publish.publish`, each with one id per severity, category and language, or
setting key, so a row published again is the same row at every store. The form checks and
the diff are :mod:`hq.console.care_rules`.

A complaint opened at HQ is a ``feedback`` row written for the store with
:func:`hq.publish.write_for_store` (channel ``hq``, open, its 24-hour classify clock from
now); the store receives it at its next pull. The audit log names the store and the
complaint's id, never the customer's words."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, text, update

from core.care import CATEGORIES, SEVERITIES, TEXT_MAX, sla
from core.care.rules import DEFAULT_RULES, SETTINGS
from core.models import Feedback
from core.sync.outbox import jsonable
from hq import publish as hq_publish
from hq.common import HqError, StoreAuth, _now, _write
from hq.console import audit, roles
from hq.console import care_rules as cr
from hq.console.accounts import ConsoleError, User
from hq.console.drafts import insert_draft
from hq.console.i18n import N_
from hq.console import reference as ref
from hq.console.reference import OPEN, Draft, FieldErrors, _locked, history, open_draft, publish_with
from hq.db import is_postgres
from hq.models import hq_reference_draft as drafts, hq_row, hq_served, hq_store


KIND = "care"
EDIT = "care.edit"
OPEN_COMPLAINTS = "complaints.open"
ENTITIES = ("complaint_rule", "response_script", "care_setting")
_IDS = uuid.UUID("5d0c7e2a-91b4-4f3e-a6d8-2b7f0c4e9a13")     # one row id per severity / script / setting
_LOCK = 21                                                   # pg advisory lock: one open care draft


def row_id(entity: str, key: str) -> str:
    return str(uuid.uuid5(_IDS, f"{entity}:{key}"))


# --- what is in force ----------------------------------------------------------------------------

@dataclass(frozen=True)
class InForce:
    """What stores hold: ``values`` in the draft's shape (rules, scripts, settings), the ids
    of HQ's rows by (entity, key), and whether HQ has published anything yet."""
    values: dict[str, Any]
    ids: dict[tuple[str, str], str]

    @property
    def published(self) -> bool:
        return bool(self.ids)


def defaults() -> dict[str, Any]:
    """The stores' built-in values: what holds until HQ publishes."""
    return {"rules": {s: cr.rule_values(r) for s, r in DEFAULT_RULES.items()},
            "scripts": {c: {lang: cr.empty_script() for lang in cr.LANGS} for c in CATEGORIES},
            "settings": {k: v[0] for k, v in SETTINGS.items()}}


def in_force(engine: Engine) -> InForce:
    values = defaults()
    ids: dict[tuple[str, str], str] = {}
    with engine.connect() as conn:
        rows = conn.execute(select(hq_row.c.entity, hq_row.c.entity_id, hq_row.c.data).where(
            hq_row.c.entity.in_(ENTITIES), hq_row.c.deleted.is_(False))).all()
    for r in rows:
        d = dict(r.data or {})
        if r.entity == "complaint_rule" and d.get("severity") in SEVERITIES:
            values["rules"][d["severity"]] = cr.rule_values(d)
            ids[(r.entity, d["severity"])] = r.entity_id
        elif r.entity == "response_script" and d.get("category") in CATEGORIES and d.get("language") in cr.LANGS:
            values["scripts"][d["category"]][d["language"]] = {p: str(d.get(p) or "") for p in cr.PARTS}
            ids[(r.entity, f"{d['category']}:{d['language']}")] = r.entity_id
        elif r.entity == "care_setting" and d.get("key") in SETTINGS and isinstance(d.get("value"), int):
            values["settings"][d["key"]] = d["value"]
            ids[(r.entity, d["key"])] = r.entity_id
    return InForce(values, ids)


# --- the draft -----------------------------------------------------------------------------------

def current_draft(engine: Engine) -> Draft | None:
    return open_draft(engine, KIND)


def past_drafts(engine: Engine) -> list[Draft]:
    return history(engine, KIND)


def start_draft(engine: Engine, user: User, title: str) -> int:
    """A new care draft (one open at a time), starting from what is in force."""
    title = " ".join((title or "").split())[:120]
    if not title:
        raise FieldErrors({"title": (N_("Give the draft a title."), {})})
    data: dict[str, Any] = {**in_force(engine).values, "editors": [user.id]}
    with _write(engine) as conn, conn.begin():
        if is_postgres(engine):
            conn.execute(text("SELECT pg_advisory_xact_lock(7012026, :k)"), {"k": _LOCK})
        if conn.execute(select(drafts.c.id).where(drafts.c.kind == KIND, drafts.c.status.in_(OPEN))).first():
            raise ConsoleError(N_("There is an open draft already: finish or withdraw it first."), 409)
        draft_id = insert_draft(conn, KIND, title, "", data, user.id)
        audit.record(conn, user.id, "reference.draft", f"{KIND} #{draft_id}", title)
    return draft_id


def return_to_draft(engine: Engine, draft_id: int, user: User, note: str) -> None:
    ref.return_to_draft(engine, KIND, draft_id, user, note)


def withdraw(engine: Engine, draft_id: int, user: User) -> None:
    ref.withdraw(engine, KIND, draft_id, user)


def _save(engine: Engine, draft_id: int, user: User, part: str, value: Any, detail: str) -> None:
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, KIND, draft_id, ("draft",))
        data = dict(row.data or {})
        if part == "scripts":
            category, scripts = value
            data["scripts"] = {**dict(data.get("scripts") or {}), category: scripts}
        else:
            data[part] = value
        editors = [int(i) for i in data.get("editors", [])]
        data["editors"] = editors if user.id in editors else [*editors, user.id]
        conn.execute(update(drafts).where(drafts.c.id == row.id).values(data=data, updated_at=_now()))
        audit.record(conn, user.id, "reference.care", f"{KIND} #{row.id}", detail)


def save_rules(engine: Engine, draft_id: int, user: User, form: dict[str, str]) -> None:
    _save(engine, draft_id, user, "rules", cr.check_rules(form), "rules")


def save_settings(engine: Engine, draft_id: int, user: User, form: dict[str, str]) -> None:
    _save(engine, draft_id, user, "settings", cr.check_settings(form), "settings")


def save_script(engine: Engine, draft_id: int, user: User, form: dict[str, str]) -> str:
    category, scripts = cr.check_script(form)
    _save(engine, draft_id, user, "scripts", (category, scripts), f"script={category}")
    return category


def changes(engine: Engine, data: dict[str, Any], force: InForce | None = None) -> list[hq_publish.Change]:
    """The rows a draft changes against what is in force (a script emptied in every part is
    published with empty parts, which the store reads as none: it falls back to English or
    to none; never deleted, so it can be written again under the same id)."""
    force = force or in_force(engine)
    out: list[hq_publish.Change] = []
    stamp = _now()
    base = {"created_at": jsonable(stamp), "updated_at": jsonable(stamp)}
    old = force.values
    for severity in SEVERITIES:
        new = cr.rule_values(dict(data.get("rules", {})).get(severity) or old["rules"][severity])
        key = ("complaint_rule", severity)
        if new != old["rules"][severity]:
            rid = force.ids.get(key) or row_id(*key)
            out.append(hq_publish.Change("complaint_rule", rid, {**base, "id": rid, "severity": severity, **new}))
    for category in CATEGORIES:
        for lang in cr.LANGS:
            new_s = dict(dict(data.get("scripts", {})).get(category) or {}).get(lang) or cr.empty_script()
            key = ("response_script", f"{category}:{lang}")
            if new_s == old["scripts"][category][lang]:
                continue
            rid = force.ids.get(key) or row_id(*key)
            # never deleted: the row id is fixed and a deleted row stays deleted, so a script
            # written again later would not reach the stores. Empty parts are no script there.
            out.append(hq_publish.Change("response_script", rid, {
                **base, "id": rid, "category": category, "language": lang, **new_s}))
    for name in SETTINGS:
        value = dict(data.get("settings", {})).get(name, old["settings"][name])
        if value != old["settings"][name]:
            key = ("care_setting", name)
            rid = force.ids.get(key) or row_id(*key)
            out.append(hq_publish.Change("care_setting", rid, {**base, "id": rid, "key": name, "value": value}))
    return out


def submit(engine: Engine, draft_id: int, user: User) -> None:
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, KIND, draft_id, ("draft",))
        if not changes(engine, dict(row.data or {})):
            raise ConsoleError(N_("The draft changes nothing yet."))
        conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
            status="review", submitted_by=user.id, updated_at=_now(), note=None))
        audit.record(conn, user.id, "reference.submit", f"{KIND} #{draft_id}", "")


def publish(engine: Engine, draft_id: int, user: User) -> int:
    """Publish the draft in review (a second person); returns how many rows went out
    (:func:`hq.console.reference.publish_with`, the path every reference draft takes)."""
    return publish_with(engine, KIND, draft_id, user, changes, name_version=False)


# --- a complaint opened at HQ --------------------------------------------------------------------

@dataclass(frozen=True)
class StoreChoice:
    code: str
    name: str
    store_id: uuid.UUID


def complaint_stores(engine: Engine, user: User) -> list[StoreChoice]:
    """The enrolled stores this user may open a complaint for (a regional manager: its region's)."""
    s = hq_store.c
    with engine.connect() as conn:
        rows = conn.execute(select(s.code, s.name, s.store_id, s.region_id).where(
            s.store_id.is_not(None), s.credential_hash.is_not(None)).order_by(s.code)).all()
    return [StoreChoice(r.code, r.name, r.store_id) for r in rows
            if roles.may_see_store(user.role, user.region_id, r.region_id)]


def open_complaint(engine: Engine, user: User, form: dict[str, str], now: datetime) -> uuid.UUID:
    """Write a complaint for a store (a ``feedback`` row it pulls as its own); its id. The
    store must be one this user may see (403, nothing written); the customer, when given, one
    the store serves."""
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    code = (form.get("store") or "").strip().upper()[:8]
    with engine.connect() as conn:
        store = conn.execute(select(hq_store.c.code, hq_store.c.store_id, hq_store.c.region_id).where(
            hq_store.c.code == code, hq_store.c.credential_hash.is_not(None))).first() if code else None
    if store is not None and not roles.may_see_store(user.role, user.region_id, store.region_id):
        raise ConsoleError(N_("You may open a complaint only for your region's stores."), 403)
    if store is None or store.store_id is None:
        errors["store"] = (N_("Choose an enrolled store."), {})
    customer = None
    raw = (form.get("customer") or "").strip()
    if raw:
        try:
            customer = uuid.UUID(raw)
        except ValueError:
            errors["customer"] = (N_("A customer id is a UUID such as 0190f0c2-7a4e-7c1a-9f3e-2b6d8a1c4e5f."), {})
    if customer is not None and store is not None and store.store_id is not None:
        with engine.connect() as conn:
            if conn.execute(select(hq_served.c.customer_id).where(
                    hq_served.c.store_id == store.store_id, hq_served.c.customer_id == customer)).first() is None:
                errors["customer"] = (N_("This store does not serve that customer."), {})
    words, problem = cr.clean_text(form.get("text"), TEXT_MAX, required=True)
    if problem:
        errors["text"] = problem
    category = (form.get("category") or "").strip()
    if category and category not in CATEGORIES:
        errors["category"] = (N_("Choose a category from the list, or none."), {})
    if errors:
        raise FieldErrors(errors)
    assert store is not None
    fid = uuid.uuid4()
    row: dict[str, Any] = {c.name: None for c in Feedback.__table__.columns}
    row.update(id=fid, store_id=store.store_id, customer_id=customer, category=category, text=words,
               status="open", escalated=False, severity="", channel="hq", opened_at=now,
               classify_due_at=sla.classify_due(now), created_at=now, updated_at=now, resolution="",
               escalation_pending=False, escalation_state="")
    data = {k: jsonable(v) for k, v in row.items()}
    try:
        with _write(engine) as conn, conn.begin():      # the row and its audit entry commit together
            hq_publish.write_for_store(engine, StoreAuth(store.store_id, store.code, False),
                                       [hq_publish.Change("feedback", str(fid), data)], conn=conn)
            audit.record(conn, user.id, "complaint.open", store.code,
                         f"feedback={fid} category={category or '-'} customer={'yes' if customer else 'no'}")
    except HqError:
        raise ConsoleError(N_("HQ could not write the complaint for this store; nothing was written.")) from None
    return fid
