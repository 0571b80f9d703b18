"""Service types (and the skills they need), parts and loyalty rules, drafted and published
from the console. What is in force is what stores pull: HQ's global rows (``hq_row``) of
``service_type``, ``part`` and ``loyalty_rules``, whoever wrote them (the console or a
publisher store). A draft (``hq_reference_draft``, one open draft per kind) holds only what
it changes: service types by code, parts by SKU (the whole row each), or the next loyalty
rules version (the whole rules JSON, checked with the stores' own ``parse_rules``).

    draft --submit--> review --publish (a second person)--> published
      ^                 |
      +---return--------+        draft or review --withdraw--> withdrawn

Publishing writes the rows through :func:`hq.publish.publish` (checked as a store's
operation, stamped with HQ's clock). Every step is audited in the transaction that makes
it. Service types and parts are never deleted (appointments and repairs name them): a
service type is deactivated; loyalty rules are a new version with the day it applies from
(the rules form, its checks and its diff: :mod:`hq.console.reference_rules`)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from sqlalchemy import Engine, func, select, text, update

from core.loyalty.rules import DEFAULT_RULES
from hq import publish as hq_publish
from hq.common import HqError, _now, _write
from hq.console import audit
from hq.console.accounts import ConsoleError, User
from hq.console.drafts import DraftRow, columns, insert_draft
from hq.console.i18n import N_
from hq.db import is_postgres
from hq.models import hq_reference_draft as drafts, hq_row, hq_user

KINDS = ("services", "parts", "loyalty")
EDIT = {"services": "pricebook.edit", "parts": "pricebook.edit", "loyalty": "loyalty.edit"}
ENTITY = {"services": "service_type", "parts": "part", "loyalty": "loyalty_rules"}
KEY = {"services": "code", "parts": "sku"}
FIELDS = {"services": ("code", "name", "duration_min", "buffer_min", "required_skill", "price_cents", "is_repair",
                       "active"),
          "parts": ("sku", "name", "price_cents", "fits")}
OPEN = ("draft", "review")
STATUS_LABELS = {"draft": N_("draft"), "review": N_("in review"), "published": N_("published"),
                 "withdrawn": N_("withdrawn")}
_CODE = re.compile(r"[a-z0-9_]{1,24}")
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_SKILL = re.compile(r"[a-z0-9_-]{1,40}")
_MONEY = re.compile(r"\d{1,9}(\.\d{1,2})?")
_RULES_NS = uuid.UUID("9b2f4c1e-58a3-4d0f-8e61-3c7a2d9e0b54")     # loyalty_rules ids HQ publishes


class FieldErrors(ConsoleError):
    """Several fields are not right: ``errors`` maps a field to (message, params)."""

    def __init__(self, errors: dict[str, tuple[str, dict[str, object]]]):
        super().__init__(N_("Some fields need attention: see the messages beside them."), 400)
        self.errors = errors


# --- small parsers ---------------------------------------------------------------------------

def parse_money(value: str) -> int | None:
    """``"49"``, ``"49.5"``, ``"1,049.50"`` → cents; None when it is not an amount."""
    text_ = (value or "").strip().replace(",", "")
    if not _MONEY.fullmatch(text_):
        return None
    try:
        return int(Decimal(text_) * 100)
    except InvalidOperation:
        return None


def money_text(cents: object) -> str:
    if not isinstance(cents, int) or isinstance(cents, bool):
        return "–"
    return f"{Decimal(cents) / 100:,.2f}"


def _int(value: str, low: int, high: int) -> int | None:
    value = (value or "").strip()
    if not re.fullmatch(r"-?\d{1,9}", value):
        return None
    n = int(value)
    return n if low <= n <= high else None


def _today() -> date:
    return _now().astimezone(timezone.utc).date()


# --- what is in force --------------------------------------------------------------------------

def in_force(engine: Engine, kind: str) -> dict[str, dict[str, Any]]:
    """Service types by code or parts by SKU, as stores hold them (sorted by that key)."""
    with engine.connect() as conn:
        rows = conn.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
            hq_row.c.entity == ENTITY[kind], hq_row.c.deleted.is_(False))).all()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        data = {**(r.data or {}), "id": r.entity_id}
        out[str(data.get(KEY[kind], ""))] = data
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class RulesVersion:
    id: str
    version: str
    valid_from: date
    rules: dict[str, Any]
    published_at: str


def rules_versions(engine: Engine) -> list[RulesVersion]:
    """Every published loyalty rules version, the newest first (as a store orders them)."""
    with engine.connect() as conn:
        rows = conn.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
            hq_row.c.entity == "loyalty_rules", hq_row.c.deleted.is_(False))).all()
    out = []
    for r in rows:
        d = r.data or {}
        try:
            out.append(RulesVersion(r.entity_id, str(d.get("version", "")), date.fromisoformat(str(d["valid_from"])),
                                    dict(d.get("rules") or {}), str(d.get("published_at") or "")))
        except (KeyError, ValueError):
            continue
    return sorted(out, key=lambda v: (v.valid_from, v.published_at), reverse=True)


def rules_in_force(versions: list[RulesVersion], today: date | None = None) -> RulesVersion | None:
    """The version with the latest ``valid_from`` not after today (None: the stores' built-in rules)."""
    today = today or _today()
    return next((v for v in versions if v.valid_from <= today), None)


# --- drafts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Draft(DraftRow):
    names: dict[int, str] = field(default_factory=dict)     # user id -> name

    @property
    def editors(self) -> list[int]:
        return [int(i) for i in self.data.get("editors", [])]

    @property
    def items(self) -> dict[str, dict[str, Any]]:
        return dict(self.data.get("items") or {})

    def name(self, user_id: int | None) -> str:
        return self.names.get(user_id, "–") if user_id is not None else "–"

    def may_publish(self, user: User | None) -> bool:
        """Only a second person publishes: nobody who drafted, changed or submitted it."""
        return (user is not None and self.status == "review" and user.id not in self.editors
                and user.id not in (self.created_by, self.submitted_by))


def _draft(row: Any, names: dict[int, str]) -> Draft:
    return Draft(**columns(row), names=names)


def _names(conn: Any, rows: list[Any]) -> dict[int, str]:
    ids = {i for r in rows for i in (r.created_by, r.submitted_by, r.reviewed_by, *(r.data or {}).get("editors", []))
           if i is not None}
    if not ids:
        return {}
    return dict(conn.execute(select(hq_user.c.id, hq_user.c.display_name).where(hq_user.c.id.in_(ids))).tuples().all())


def open_draft(engine: Engine, kind: str) -> Draft | None:
    with engine.connect() as conn:
        row = conn.execute(select(drafts).where(drafts.c.kind == kind, drafts.c.status.in_(OPEN))
                           .order_by(drafts.c.id.desc()).limit(1)).first()
        return _draft(row, _names(conn, [row])) if row is not None else None


def history(engine: Engine, kind: str, limit: int = 10) -> list[Draft]:
    """Published and withdrawn drafts of this kind, the newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(drafts).where(drafts.c.kind == kind, drafts.c.status.not_in(OPEN))
                            .order_by(drafts.c.updated_at.desc(), drafts.c.id.desc()).limit(limit)).all()
        names = _names(conn, list(rows))
    return [_draft(r, names) for r in rows]


def start_draft(engine: Engine, kind: str, user: User, title: str) -> int:
    """A new draft of ``kind`` (one open at a time), starting from what is in force."""
    title = " ".join((title or "").split())[:120]
    if not title:
        raise FieldErrors({"title": (N_("Give the draft a title."), {})})
    if kind == "loyalty":
        versions = rules_versions(engine)
        base = versions[0].rules if versions else DEFAULT_RULES
        data: dict[str, Any] = {"version": "", "valid_from": (_today() + timedelta(days=1)).isoformat(),
                                "rules": dict(base)}
    else:
        data = {"items": {}}
    data["editors"] = [user.id]
    with _write(engine) as conn, conn.begin():
        if is_postgres(engine):      # one open draft per kind, also with two HQ processes
            conn.execute(text("SELECT pg_advisory_xact_lock(7012026, :k)"), {"k": KINDS.index(kind)})
        if conn.execute(select(drafts.c.id).where(drafts.c.kind == kind, drafts.c.status.in_(OPEN))).first():
            raise ConsoleError(N_("There is an open draft already: finish or withdraw it first."), 409)
        number = int(conn.scalar(select(func.count()).select_from(drafts).where(drafts.c.kind == kind)) or 0) + 1
        version = f"v{number}" if kind != "loyalty" else ""
        draft_id = insert_draft(conn, kind, title, version, data, user.id)
        audit.record(conn, user.id, "reference.draft", f"{kind} #{draft_id}", title)
    return draft_id


def _locked(conn: Any, kind: str, draft_id: int, statuses: tuple[str, ...]) -> Any:
    row = conn.execute(select(drafts).where(drafts.c.id == draft_id, drafts.c.kind == kind)
                       .with_for_update()).first()
    if row is None:
        raise ConsoleError(N_("No such draft."), 404)
    if row.status not in statuses:
        if row.status == "review":
            raise ConsoleError(N_("This draft is in review: return it to draft to change it."), 409)
        raise ConsoleError(N_("This draft was published or withdrawn: nothing more can be done with it."), 409)
    return row


def _store_data(conn: Any, row: Any, user: User, data: dict[str, Any], action: str, detail: str,
                **values: Any) -> None:
    editors = [int(i) for i in data.get("editors", [])]
    if user.id not in editors:
        editors.append(user.id)
    data["editors"] = editors
    conn.execute(update(drafts).where(drafts.c.id == row.id).values(data=data, updated_at=_now(), **values))
    audit.record(conn, user.id, action, f"{row.kind} #{row.id}", detail)


# --- service types and parts -----------------------------------------------------------------

def _check_item(kind: str, form: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    item: dict[str, Any] = {}
    name = " ".join((form.get("name") or "").split())
    limit = 120 if kind == "services" else 160
    if not 1 <= len(name) <= limit:
        errors["name"] = (N_("A name is 1 to %(n)s characters."), {"n": limit})
    item["name"] = name
    price = parse_money(form.get("price", ""))
    if price is None or price > 10**9:
        errors["price"] = (N_("Give a price such as 49 or 49.50."), {})
    item["price_cents"] = price
    if kind == "services":
        code = (form.get("code") or "").strip().lower()
        if not _CODE.fullmatch(code):
            errors["code"] = (N_("A code is 1 to 24 lower-case letters, digits or underscores."), {})
        item["code"] = code
        for name_, low, high in (("duration_min", 5, 480), ("buffer_min", 0, 120)):
            item[name_] = _int(form.get(name_, ""), low, high)
            if item[name_] is None:
                errors[name_] = (N_("Give whole minutes from %(low)s to %(high)s."), {"low": low, "high": high})
        skill = (form.get("new_skill") or "").strip().lower() or (form.get("required_skill") or "").strip().lower()
        if skill and not _SKILL.fullmatch(skill):
            errors["required_skill"] = (N_("A skill is one word of at most 40 letters, digits, dashes or "
                                           "underscores."), {})
        item["required_skill"] = skill or None
        item["is_repair"] = form.get("is_repair") == "1"
        item["active"] = form.get("active") == "1"
    else:
        sku = (form.get("sku") or "").strip().upper()
        if not _SKU.fullmatch(sku):
            errors["sku"] = (N_("A SKU is 1 to 40 letters, digits, dots, dashes or underscores."), {})
        item["sku"] = sku
        fits = " ".join((form.get("fits") or "").split())
        if len(fits) > 200:
            errors["fits"] = (N_("At most %(n)s characters."), {"n": 200})
        item["fits"] = fits
    if errors:
        raise FieldErrors(errors)
    return item


def _same(kind: str, a: dict[str, Any], b: dict[str, Any] | None) -> bool:
    return b is not None and all(a.get(f) == b.get(f) for f in FIELDS[kind])


def save_item(engine: Engine, kind: str, draft_id: int, user: User, form: dict[str, str]) -> str:
    """Add or change one service type (by code) or part (by SKU) in a draft; an item made the
    same as what is in force leaves the draft. Returns its key."""
    item = _check_item(kind, form)
    key = str(item[KEY[kind]])
    force = in_force(engine, kind)
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, kind, draft_id, ("draft",))
        data = dict(row.data or {})
        items = dict(data.get("items") or {})
        old = force.get(key) or items.get(key)
        item["id"] = (old or {}).get("id") or str(uuid.uuid4())
        if _same(kind, item, force.get(key)):
            items.pop(key, None)
        else:
            items[key] = item
        data["items"] = dict(sorted(items.items()))
        _store_data(conn, row, user, data, "reference.item", f"{KEY[kind]}={key}")
    return key


def set_active(engine: Engine, draft_id: int, user: User, code: str, active: bool) -> None:
    """Deactivate (or reactivate) a service type in a draft."""
    force = in_force(engine, "services")
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, "services", draft_id, ("draft",))
        data = dict(row.data or {})
        items = dict(data.get("items") or {})
        base = items.get(code) or force.get(code)
        if base is None:
            raise ConsoleError(N_("No such service type."), 404)
        item = {**{f: base.get(f) for f in FIELDS["services"]}, "id": base.get("id"), "active": active}
        if _same("services", item, force.get(code)):
            items.pop(code, None)
        else:
            items[code] = item
        data["items"] = dict(sorted(items.items()))
        _store_data(conn, row, user, data, "reference.item", f"code={code} active={int(active)}")


def drop_item(engine: Engine, kind: str, draft_id: int, user: User, key: str) -> None:
    """Take one change out of a draft (what is in force stays)."""
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, kind, draft_id, ("draft",))
        data = dict(row.data or {})
        items = dict(data.get("items") or {})
        if items.pop(key, None) is None:
            raise ConsoleError(N_("The draft does not change that."), 404)
        data["items"] = items
        _store_data(conn, row, user, data, "reference.undo", f"{KEY[kind]}={key[:40]}")


@dataclass(frozen=True)
class ItemChange:
    key: str
    state: str                         # added, changed, deactivated, reactivated
    item: dict[str, Any]
    fields: list[tuple[str, Any, Any]]  # (field, in force, draft)


def diff_items(kind: str, items: dict[str, dict[str, Any]], force: dict[str, dict[str, Any]]) -> list[ItemChange]:
    out = []
    for key, item in sorted(items.items()):
        old = force.get(key)
        if old is None:
            out.append(ItemChange(key, "added", item, [(f, None, item.get(f)) for f in FIELDS[kind]
                                                       if f != KEY[kind]]))
            continue
        fields = [(f, old.get(f), item.get(f)) for f in FIELDS[kind] if old.get(f) != item.get(f)]
        if not fields:
            continue
        state = "changed"
        if kind == "services" and [f for f, _, _ in fields] == ["active"]:
            state = "reactivated" if item.get("active") else "deactivated"
        out.append(ItemChange(key, state, item, fields))
    return out


def overlay(items: dict[str, dict[str, Any]], force: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What stores will hold once the draft is published."""
    return dict(sorted({**force, **items}.items()))


def skills(services: dict[str, dict[str, Any]], known: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """Every skill (the catalogue's and those service types name) with the service types that need it."""
    need: dict[str, list[str]] = {k: [] for k in known}
    for code, s in services.items():
        skill = s.get("required_skill")
        if skill:
            need.setdefault(str(skill), []).append(code)
    return sorted(need.items())


# --- the flow ------------------------------------------------------------------------------------

def submit(engine: Engine, kind: str, draft_id: int, user: User) -> None:
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, kind, draft_id, ("draft",))
        data = dict(row.data or {})
        if kind == "loyalty" and not data.get("version"):
            raise ConsoleError(N_("Save the rules with their version first."))
        if kind != "loyalty" and not data.get("items"):
            raise ConsoleError(N_("The draft changes nothing yet."))
        conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
            status="review", submitted_by=user.id, updated_at=_now(), note=None))
        audit.record(conn, user.id, "reference.submit", f"{kind} #{draft_id}", row.version)


def return_to_draft(engine: Engine, kind: str, draft_id: int, user: User, note: str) -> None:
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, kind, draft_id, ("review",))
        conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
            status="draft", submitted_by=None, updated_at=_now(), note=" ".join(note.split())[:500] or None))
        audit.record(conn, user.id, "reference.return", f"{kind} #{draft_id}", row.version)


def withdraw(engine: Engine, kind: str, draft_id: int, user: User) -> None:
    with _write(engine) as conn, conn.begin():
        row = _locked(conn, kind, draft_id, OPEN)
        conn.execute(update(drafts).where(drafts.c.id == draft_id).values(status="withdrawn", updated_at=_now()))
        audit.record(conn, user.id, "reference.withdraw", f"{kind} #{draft_id}", row.version)


def _changes(engine: Engine, kind: str, data: dict[str, Any]) -> list[hq_publish.Change]:
    if kind == "loyalty":
        published = rules_versions(engine)
        version = str(data.get("version") or "")
        if not version or any(v.version == version for v in published):
            raise ConsoleError(N_("Version %(version)s is published already."), 409, version=version)
        # one id per version: a publish repeated (a lost answer, two reviewers on SQLite) is the same row
        row_id = str(uuid.uuid5(_RULES_NS, version))
        return [hq_publish.Change("loyalty_rules", row_id, {
            "id": row_id, "version": version, "valid_from": str(data.get("valid_from")),
            "rules": dict(data.get("rules") or {}),
            "published_at": _now().astimezone(timezone.utc).isoformat()})]
    force = in_force(engine, kind)
    out = []
    for change in diff_items(kind, dict(data.get("items") or {}), force):
        # a code or SKU that came into force since (a publisher store) keeps its row's id
        row_id = str((force.get(change.key) or change.item).get("id"))
        out.append(hq_publish.Change(ENTITY[kind], row_id, {
            **{f: change.item.get(f) for f in FIELDS[kind]}, "id": row_id}))
    return out


def publish(engine: Engine, kind: str, draft_id: int, user: User) -> int:
    """Publish a draft of ``kind`` in review (a second person); returns how many rows went out."""
    return publish_with(engine, kind, draft_id, user, lambda e, data: _changes(e, kind, data))


def publish_with(engine: Engine, kind: str, draft_id: int, user: User,
                 changes_of: Callable[[Engine, dict[str, Any]], list[hq_publish.Change]], *,
                 name_version: bool = True) -> int:
    """Publish a draft in review (a second person) as the rows ``changes_of`` derives from its
    data; returns how many rows went out. Every reference draft kind publishes through this
    (hq.console.care's too). ``name_version``: the audit names the draft's version.

    On PostgreSQL the draft's row stays locked while :func:`hq.publish.publish` writes, so
    two reviewers pressing at once publish it once. SQLite (the demo) takes one writer at a
    time, so the draft is read, published, then marked with its status checked again."""
    pg = is_postgres(engine)
    with _write(engine) as conn:
        tx = conn.begin()
        try:
            row = _locked(conn, kind, draft_id, ("review",))
            draft = _draft(row, {})
            if not draft.may_publish(user):
                raise ConsoleError(N_("A second person publishes: you drafted, changed or submitted this one."), 403)
            changes = changes_of(engine, draft.data)
            if not changes:
                raise ConsoleError(N_("Nothing to publish: the draft is the same as what is in force."), 409)
            if not pg:
                tx.commit()
            try:
                seq = hq_publish.publish(engine, changes)
            except HqError:
                raise ConsoleError(N_("Stores could not take these rows; nothing was published.")) from None
            if not pg:
                tx = conn.begin()
            done = conn.execute(update(drafts).where(drafts.c.id == draft_id, drafts.c.status == "review").values(
                status="published", reviewed_by=user.id, published_at=_now(), updated_at=_now())).rowcount
            if done:
                counted = f"rows={len(changes)} seq={seq}"
                audit.record(conn, user.id, "reference.publish", f"{kind} #{draft_id}",
                             f"{draft.version} {counted}" if name_version else counted)
            tx.commit()
        finally:
            if tx.is_active:
                tx.rollback()
    return len(changes)
