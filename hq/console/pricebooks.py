"""Price books drafted, reviewed and published from the console (issue 20).

A draft is a row of ``hq_reference_draft`` (kind ``pricebook``): its version and title in
columns, the rest in ``data``: ``valid_from``, ``valid_to``, ``currency``, ``rules`` (the
JSON ``core.demo.price_book_rules`` describes), ``models`` (family, kind, name,
configuration, release date and a base value per grade) and ``editors`` (who changed it).
It goes draft -> review -> published (or back to draft with a note). Publishing writes
``price_book``, ``tradein_model`` and ``price_book_entry`` rows through :func:`hq.publish.publish`;
a model keeps its id (by name and configuration, the stores' unique key) and is written
only when its details changed. The version in force is read from those published rows.

The review (the diff and the preview valuation) is :mod:`hq.console.pricebook_review`."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import aliased

from core import clock
from core.ids import uuid7
from core.tradein import STANDARD_QUESTIONS, check_rules
from hq import publish as hq_publish
from hq.common import BadRequest, _now, _write
from hq.console import audit
from hq.console.accounts import ConsoleError
from hq.console.drafts import DraftRow, columns, insert_draft
from hq.console.i18n import N_
from hq.models import hq_reference_draft as draft_t, hq_row, hq_user

KIND = "pricebook"
GRADES = ("like_new", "good", "fair", "damaged", "unusable")
KINDS = ("phone", "tablet", "laptop", "watch")
PAYOUTS = ("store_credit", "voucher", "purchase")
MODEL_FIELDS = ("family", "kind", "name", "configuration", "release_date")
OPEN = ("draft", "review")
STATUS_LABELS = {"draft": N_("draft"), "review": N_("in review"), "published": N_("published"),
                 "withdrawn": N_("withdrawn")}
GRADE_LABELS = {"like_new": N_("like new"), "good": N_("good"), "fair": N_("fair"), "damaged": N_("damaged"),
                "unusable": N_("unusable"), "refuse": N_("refused")}
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")
MAX_CENTS = 100_000_000
# a field's name as an error shows it: one message, or a row's and a column's (joined with " · ";
# ``%(n)s`` is the row number)
Label = str | tuple[str, ...]


class FieldErrors(ConsoleError):
    """Refused input: each error names the form field and why (a message and its values)."""

    def __init__(self, errors: list[tuple[str, str, dict[str, object]]]):
        super().__init__(N_("Some fields need correcting: see the messages beside them."), 400)
        self.errors = errors


class _Check:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str, dict[str, object]]] = []

    def add(self, name: str, message: str, **params: object) -> None:
        self.errors.append((name, message, params))

    def done(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)

    def text(self, form: dict[str, str], name: str, label: Label, low: int = 1, high: int = 60) -> str:
        value = " ".join((form.get(name) or "").split())
        if not low <= len(value) <= high:
            self.add(name, N_("%(field)s must be %(low)s to %(high)s characters."), field=label, low=low, high=high)
        return value

    def day(self, form: dict[str, str], name: str, label: Label, required: bool = True) -> str | None:
        value = (form.get(name) or "").strip()
        if not value and not required:
            return None
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        self.add(name, N_("%(field)s must be a date written YYYY-MM-DD."), field=label)
        return None

    def whole(self, form: dict[str, str], name: str, label: Label, low: int, high: int) -> int:
        value = (form.get(name) or "").strip()
        if not re.fullmatch(r"[-−]?\d{1,7}", value) or not low <= int(value.replace("−", "-")) <= high:
            self.add(name, N_("%(field)s must be a whole number from %(low)s to %(high)s."), field=label, low=low,
                     high=high)
            return 0
        return int(value.replace("−", "-"))

    def money(self, form: dict[str, str], name: str, label: Label) -> int:
        value = (form.get(name) or "").strip().replace(",", "")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = Decimal(-1)
        if not value or not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) \
                or amount * 100 > MAX_CENTS:
            self.add(name, N_("%(field)s must be an amount such as 1250 or 1250.50, not negative."), field=label)
            return 0
        return int(amount * 100)


def money(cents: int | None) -> str:
    return "" if cents is None else f"{Decimal(cents) / 100:,.2f}"


def amount(cents: int | None) -> str:
    """An amount as a form shows it (no thousands separator)."""
    return "" if cents is None else f"{Decimal(cents) / 100:.2f}"


# --- the published books (hq_row) ------------------------------------------------------------

@dataclass
class Book:
    """A price book: published (``id`` set) or a draft's contents."""
    version: str
    valid_from: str
    valid_to: str | None
    currency: str
    rules: dict[str, Any]
    models: list[dict[str, Any]]          # family, kind, name, configuration, release_date, bases, [id]
    id: str | None = None

    def model(self, name: str, configuration: str) -> dict[str, Any] | None:
        return next((m for m in self.models if (m["name"], m["configuration"]) == (name, configuration)), None)


def _live(entity: str):
    return select(hq_row.c.entity_id, hq_row.c.data).where(hq_row.c.entity == entity, hq_row.c.deleted.is_(False))


def published_books(engine: Engine) -> list[dict[str, Any]]:
    """Every published price book's row, newest validity first."""
    with engine.connect() as conn:
        rows = [dict(r.data) for r in conn.execute(_live("price_book"))]
    return sorted(rows, key=lambda d: (d.get("valid_from") or "", d.get("id") or ""), reverse=True)


def in_force_row(books: list[dict[str, Any]], on: date) -> dict[str, Any] | None:
    """The book a store uses on ``on`` (core.tradein.pricebook's rule: in force then, latest start)."""
    day = on.isoformat()
    return next((b for b in books if b["valid_from"] <= day and (not b.get("valid_to") or b["valid_to"] >= day)),
                None)


def load_book(engine: Engine, row: dict[str, Any]) -> Book:
    """A published book with its models and values."""
    with engine.connect() as conn:
        entries = [r.data for r in conn.execute(_live("price_book_entry").where(
            hq_row.c.data["price_book_id"].as_string() == row["id"]))]
        ids = sorted({e["model_id"] for e in entries})
        models = {r.entity_id: dict(r.data) for r in conn.execute(_live("tradein_model").where(
            hq_row.c.entity_id.in_(ids)))} if ids else {}
    out: dict[str, dict[str, Any]] = {}
    for e in entries:
        m = models.get(e["model_id"])
        if m is not None:
            out.setdefault(m["id"], {**{k: m[k] for k in MODEL_FIELDS}, "id": m["id"], "bases": {}}
                           )["bases"][e["grade"]] = int(e["base_cents"])
    ordered = sorted(out.values(), key=lambda m: (m["kind"], m["family"], m["release_date"], m["name"],
                                                  m["configuration"]))
    return Book(row["version"], row["valid_from"], row.get("valid_to"), row.get("currency") or "USD",
                dict(row.get("rules") or {}), ordered, row["id"])


def book_in_force(engine: Engine, on: date | None = None) -> Book | None:
    row = in_force_row(published_books(engine), on or clock.today())
    return load_book(engine, row) if row else None


# --- drafts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Draft(DraftRow):
    names: dict[str, str] = field(default_factory=dict)     # created_by, submitted_by, reviewed_by -> name

    @property
    def book(self) -> Book:
        d = self.data
        return Book(self.version, d.get("valid_from") or "", d.get("valid_to"), d.get("currency") or "CNY",
                    d.get("rules") or {}, d.get("models") or [], d.get("book_id"))

    def authors(self) -> set[int]:
        """Who may not publish it: whoever drafted, edited or submitted it."""
        return {self.created_by, *(self.data.get("editors") or []), *([self.submitted_by] if self.submitted_by
                                                                       else [])}


def _query():
    who = {k: aliased(hq_user) for k in ("created_by", "submitted_by", "reviewed_by")}
    q = select(draft_t, *[who[k].c.display_name.label(f"{k}_name") for k in who]).select_from(draft_t)
    j = draft_t
    for k, a in who.items():
        j = j.outerjoin(a, a.c.id == draft_t.c[k])
    return q.select_from(j).where(draft_t.c.kind == KIND)


def _draft(r) -> Draft:
    names = {k: getattr(r, f"{k}_name") for k in ("created_by", "submitted_by", "reviewed_by")}
    return Draft(**columns(r), names=names)


def drafts(engine: Engine) -> list[Draft]:
    with engine.connect() as conn:
        return [_draft(r) for r in conn.execute(_query().order_by(draft_t.c.updated_at.desc(), draft_t.c.id.desc()))]


def get_draft(engine: Engine, draft_id: int) -> Draft:
    with engine.connect() as conn:
        r = conn.execute(_query().where(draft_t.c.id == draft_id)).first()
    if r is None:
        raise ConsoleError(N_("No such price book draft."), 404)
    return _draft(r)


def empty_rules(currency: str) -> dict[str, Any]:
    """A new book's rules when it does not start from the one in force: the standard questions,
    no age or battery deduction, no promotion."""
    return {"schema": 1, "currency": currency, "grades": list(GRADES), "questions": copy.deepcopy(
        list(STANDARD_QUESTIONS)),
        "age_adjustment": {"basis": "months_since_release", "bands": [{"from_months": 0, "pct": 0}]},
        "battery_adjustment": {"question": "battery_health", "kinds": list(KINDS),
                               "bands": [{"min_health": 0, "pct": 0}], "unknown_pct": 0,
                               "not_for_grades": ["unusable"]},
        "rounding_cents": 100, "floor_cents": 0, "promotions": [], "payouts": list(PAYOUTS),
        "quote_valid_days": 7, "order": ["base", "age", "battery", "rounding", "promotion"]}


def _version_free(engine: Engine, version: str, check: _Check, name: str, but: int | None = None) -> None:
    taken = {b["version"].lower() for b in published_books(engine)}
    taken |= {d.version.lower() for d in drafts(engine) if d.status in OPEN and d.id != but}
    if version.lower() in taken:
        check.add(name, N_("Version %(version)s is taken: a published book or another draft has it."),
                  version=version)


def _version(form: dict[str, str], check: _Check) -> str:
    version = (form.get("version") or "").strip()
    if not _VERSION.fullmatch(version):
        check.add("version", N_("%(field)s must be 1 to 20 letters, digits, dots, dashes or underscores."),
                  field=N_("Version"))
    return version


def create_draft(engine: Engine, form: dict[str, str], *, by: int) -> int:
    """A new draft: a copy of the version in force (``start=copy``) or an empty book."""
    check = _Check()
    version = _version(form, check)
    title = check.text(form, "title", N_("Title"), 1, 120)
    check.done()
    _version_free(engine, version, check, "version")
    check.done()
    today = clock.today()
    current = book_in_force(engine, today) if form.get("start") == "copy" else None
    if current is not None:
        models = [{**{k: m[k] for k in MODEL_FIELDS}, "bases": dict(m["bases"])} for m in current.models]
        data = {"valid_from": today.isoformat(), "valid_to": None, "currency": current.currency,
                "rules": copy.deepcopy(current.rules), "models": models, "copied_from": current.version}
    else:
        data = {"valid_from": today.isoformat(), "valid_to": None, "currency": "CNY", "rules": empty_rules("CNY"),
                "models": []}
    data["editors"] = [by]
    with _write(engine) as conn, conn.begin():
        new_id = insert_draft(conn, KIND, title, version, data, by)
        audit.record(conn, by, "pricebook.draft", version, f"draft={new_id} start={'copy' if current else 'empty'}")
    return new_id


def _save(engine: Engine, d: Draft, by: int, what: str, data: dict[str, Any], **columns: Any) -> None:
    data = dict(data)
    data["editors"] = sorted({*(data.get("editors") or []), by})
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(draft_t).where(draft_t.c.id == d.id, draft_t.c.status == "draft").values(
            data=data, updated_at=_now(), **columns)).rowcount
        if not done:
            raise ConsoleError(N_("Only a draft can be changed."), 409)
        audit.record(conn, by, f"pricebook.{what}", columns.get("version", d.version), f"draft={d.id}")


def _editable(engine: Engine, draft_id: int) -> Draft:
    d = get_draft(engine, draft_id)
    if d.status != "draft":
        raise ConsoleError(N_("Only a draft can be changed."), 409)
    return d


def save_book(engine: Engine, draft_id: int, form: dict[str, str], *, by: int) -> None:
    """Version, title, validity dates and currency."""
    d = _editable(engine, draft_id)
    check = _Check()
    version = _version(form, check)
    title = check.text(form, "title", N_("Title"), 1, 120)
    valid_from = check.day(form, "valid_from", N_("Valid from"))
    valid_to = check.day(form, "valid_to", N_("Valid to"), required=False)
    if valid_from and valid_to and valid_to < valid_from:
        check.add("valid_to", N_("%(field)s must not be before the first day it is valid."), field=N_("Valid to"))
    currency = (form.get("currency") or "").strip().upper()
    if not re.fullmatch("[A-Z]{3}", currency):
        check.add("currency", N_("%(field)s must be a three-letter code such as CNY."), field=N_("Currency"))
    check.done()
    _version_free(engine, version, check, "version", but=d.id)
    check.done()
    rules = dict(d.data.get("rules") or {}, currency=currency)
    _save(engine, d, by, "edit_book", {**d.data, "valid_from": valid_from, "valid_to": valid_to,
                                       "currency": currency, "rules": rules}, version=version, title=title)


def _rows(form: dict[str, str], prefix: str, names: tuple[str, ...]) -> list[int]:
    """The indexes of the form's non-blank rows ``<prefix><i>_<name>``."""
    count = min(int(form.get(f"{prefix}rows") or 0) if (form.get(f"{prefix}rows") or "").isdigit() else 0, 2000)
    return [i for i in range(count)
            if any((form.get(f"{prefix}{i}_{n}") or "").strip() for n in names)
            and not form.get(f"{prefix}{i}_remove")]


def save_models(engine: Engine, draft_id: int, form: dict[str, str], *, by: int) -> None:
    """The models (rows ``m<i>_family`` ... ``m<i>_<grade>``; ``m<i>_remove`` drops one)."""
    d = _editable(engine, draft_id)
    check = _Check()
    grades = list((d.data.get("rules") or {}).get("grades") or GRADES)
    models, seen = [], set()
    for i in _rows(form, "m", ("family", "name", "configuration", "release_date", *grades)):
        row = N_("Model row %(n)s")
        m: dict[str, Any] = {"family": check.text(form, f"m{i}_family", (row, N_("family")), 1, 60),
                             "kind": (form.get(f"m{i}_kind") or "").strip(),
                             "name": check.text(form, f"m{i}_name", (row, N_("name")), 1, 120),
                             "configuration": check.text(form, f"m{i}_configuration",
                                                         (row, N_("configuration")), 1, 60),
                             "release_date": check.day(form, f"m{i}_release_date", (row, N_("release date"))),
                             "bases": {}}
        if m["kind"] not in KINDS:
            check.add(f"m{i}_kind", N_("%(field)s must be one of the listed kinds."), field=(row, N_("kind")))
        for g in grades:
            m["bases"][g] = check.money(form, f"m{i}_{g}", (row, GRADE_LABELS.get(g, g)))
        key = (m["name"].lower(), m["configuration"].lower())
        if key in seen:
            check.add(f"m{i}_name", N_("%(field)s: this name and configuration are on another row already."),
                      field=(row, N_("name")))
        seen.add(key)
        models.append((i, m))
    check.errors = [(n, msg, {**p, "n": _row_number(n)}) for n, msg, p in check.errors]
    check.done()
    _save(engine, d, by, "edit_models", {**d.data, "models": [m for _, m in models]})


def _row_number(name: str) -> int:
    found = re.match(r"[a-z](\d+)_", name)
    return int(found.group(1)) + 1 if found else 0


def _bands(form: dict[str, str], check: _Check, prefix: str, key: str, label: Label, high: int
           ) -> list[dict[str, int]]:
    bands, seen = [], set()
    for i in _rows(form, prefix, (key, "pct")):
        row = label
        at = check.whole(form, f"{prefix}{i}_{key}", row, 0, high)
        pct = check.whole(form, f"{prefix}{i}_pct", (row, N_("percent")), -100, 100)
        if at in seen:
            check.add(f"{prefix}{i}_{key}", N_("%(field)s starts where another band starts."), field=row)
        seen.add(at)
        bands.append({key: at, "pct": pct})
    if not bands:
        check.add(f"{prefix}0_{key}", N_("Give at least one band."))
    return sorted(bands, key=lambda b: b[key], reverse=key == "min_health")


def save_rules(engine: Engine, draft_id: int, form: dict[str, str], *, by: int) -> None:
    """Age and battery bands, rounding, floor, how long a quote holds, and promotions."""
    d = _editable(engine, draft_id)
    check = _Check()
    rules = copy.deepcopy(d.data.get("rules") or empty_rules(d.book.currency))
    grades = list(rules.get("grades") or GRADES)
    rules.setdefault("age_adjustment", {"basis": "months_since_release"})["bands"] = _bands(
        form, check, "a", "from_months", N_("Age band %(n)s"), 600)
    battery = rules.setdefault("battery_adjustment", {"question": "battery_health", "kinds": list(KINDS),
                                                      "not_for_grades": ["unusable"]})
    battery["bands"] = _bands(form, check, "b", "min_health", N_("Battery band %(n)s"), 100)
    battery["unknown_pct"] = check.whole(form, "unknown_pct", (N_("Battery not measured"), N_("percent")), -100, 100)
    rules["rounding_cents"] = max(1, check.money(form, "rounding", N_("Round down to")))
    rules["floor_cents"] = check.money(form, "floor", N_("Lowest offer"))
    rules["quote_valid_days"] = check.whole(form, "quote_valid_days", N_("A quote holds for (days)"), 1, 90)
    promos, codes = [], set()
    for i in _rows(form, "p", ("code", "label_en", "bonus", "families")):
        row = N_("Promotion row %(n)s")
        code = (form.get(f"p{i}_code") or "").strip().upper()
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9._-]{0,39}", code) or code in codes:
            check.add(f"p{i}_code", N_("%(field)s must be 1 to 40 letters, digits, dots or dashes, once."),
                      field=(row, N_("code")))
        codes.add(code)
        promo: dict[str, Any] = {
            "code": code, "label": {"en": check.text(form, f"p{i}_label_en", (row, N_("text (English)")),
                                                     1, 120),
                                    "zh_CN": check.text(form, f"p{i}_label_zh", (row, N_("text (Chinese)")),
                                                        1, 120)},
            "bonus_cents": check.money(form, f"p{i}_bonus", (row, N_("bonus"))),
            "kinds": [k for k in KINDS if form.get(f"p{i}_kind_{k}")],
            "families": [f.strip() for f in (form.get(f"p{i}_families") or "").split(",") if f.strip()],
            "min_grade": (form.get(f"p{i}_min_grade") or "").strip(),
            "payouts": [p for p in PAYOUTS if form.get(f"p{i}_payout_{p}")],
            "valid_from": check.day(form, f"p{i}_valid_from", (row, N_("valid from"))),
            "valid_to": check.day(form, f"p{i}_valid_to", (row, N_("valid to")))}
        if not promo["kinds"]:
            check.add(f"p{i}_kind_{KINDS[0]}", N_("%(field)s: tick at least one."), field=(row, N_("kinds")))
        if not promo["families"]:
            check.add(f"p{i}_families", N_("%(field)s: name at least one family, separated by commas."),
                      field=(row, N_("families")))
        if not promo["payouts"]:
            check.add(f"p{i}_payout_{PAYOUTS[0]}", N_("%(field)s: tick at least one."),
                      field=(row, N_("payouts")))
        if promo["min_grade"] not in grades:
            check.add(f"p{i}_min_grade", N_("%(field)s must be one of the grades."), field=(row, N_("grade")))
        if promo["valid_from"] and promo["valid_to"] and promo["valid_to"] < promo["valid_from"]:
            check.add(f"p{i}_valid_to", N_("%(field)s must not be before the first day it is valid."),
                      field=(row, N_("valid to")))
        promos.append(promo)
    rules["promotions"] = promos
    check.errors = [(n, msg, {**p, "n": _row_number(n)}) for n, msg, p in check.errors]
    check.done()
    problems = check_rules(rules)
    if problems:     # the store's own check; the fields above should have caught everything
        raise FieldErrors([("rules", N_("The rules cannot be used: %(problem)s."), {"problem": problems[0]})])
    _save(engine, d, by, "edit_rules", {**d.data, "rules": rules})


def problems(d: Draft) -> list[tuple[str, str, dict[str, object]]]:
    """What stops a draft going to review (empty: it can)."""
    out: list[tuple[str, str, dict[str, object]]] = []
    b = d.book
    if not b.valid_from:
        out.append(("valid_from", N_("Give the first day the book is valid."), {}))
    if not b.models:
        out.append(("models", N_("The book prices no model yet."), {}))
    grades = list(b.rules.get("grades") or [])
    for m in b.models:
        if any(g not in m.get("bases", {}) for g in grades):
            out.append(("models", N_("%(model)s has no value for every grade."),
                        {"model": f"{m['name']} {m['configuration']}"}))
    for p in check_rules(b.rules):
        out.append(("rules", N_("The rules cannot be used: %(problem)s."), {"problem": p}))
    return out


def submit(engine: Engine, draft_id: int, *, by: int) -> None:
    d = _editable(engine, draft_id)
    found = problems(d)
    if found:
        raise FieldErrors(found)
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(draft_t).where(draft_t.c.id == d.id, draft_t.c.status == "draft").values(
            status="review", submitted_by=by, updated_at=_now(), note=None)).rowcount
        if not done:
            raise ConsoleError(N_("Only a draft can be changed."), 409)
        audit.record(conn, by, "pricebook.submit", d.version, f"draft={d.id}")


def return_to_draft(engine: Engine, draft_id: int, note: str, *, by: int) -> None:
    note = " ".join((note or "").split())
    if not 1 <= len(note) <= 500:
        raise FieldErrors([("note", N_("%(field)s must be %(low)s to %(high)s characters."),
                            {"field": N_("Note"), "low": 1, "high": 500})])
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(draft_t).where(draft_t.c.id == draft_id, draft_t.c.kind == KIND,
                                                  draft_t.c.status == "review").values(
            status="draft", note=note, reviewed_by=by, updated_at=_now())).rowcount
        if not done:
            raise ConsoleError(N_("Only a price book in review can be returned or published."), 409)
        audit.record(conn, by, "pricebook.return", get_draft(engine, draft_id).version, f"draft={draft_id}")


def _changes(engine: Engine, d: Draft, book_id: str) -> list[hq_publish.Change]:
    """The rows to publish: changed or new models (an unchanged model keeps its id and is not
    written again), the book, and one entry per model and grade (new ids)."""
    with engine.connect() as conn:
        known = {(r.data["name"], r.data["configuration"]): dict(r.data) for r in conn.execute(_live("tradein_model"))}
    b = d.book
    out, entries = [], []
    for m in b.models:
        old = known.get((m["name"], m["configuration"]))
        model_id = old["id"] if old else str(uuid7())
        row = {"id": model_id, **{k: m[k] for k in MODEL_FIELDS}}
        if old is None or any(old.get(k) != row[k] for k in MODEL_FIELDS):
            out.append(hq_publish.Change("tradein_model", model_id, row))
        for grade, cents in m["bases"].items():
            entry_id = str(uuid7())
            entries.append(hq_publish.Change("price_book_entry", entry_id, {
                "id": entry_id, "price_book_id": book_id, "model_id": model_id, "grade": grade,
                "base_cents": int(cents)}))
    out.append(hq_publish.Change("price_book", book_id, {
        "id": book_id, "version": b.version, "valid_from": b.valid_from, "valid_to": b.valid_to,
        "currency": b.currency, "rules": b.rules}))
    return out + entries


def publish(engine: Engine, draft_id: int, *, by: int) -> str:
    """Publish a draft in review (the second person rule: not by whoever drafted, edited or
    submitted it); returns the new book's id. The draft is claimed first (only one reviewer
    wins), then the rows are written; a refusal puts it back in review."""
    d = get_draft(engine, draft_id)
    if d.status != "review":
        raise ConsoleError(N_("Only a price book in review can be returned or published."), 409)
    if by in d.authors():
        raise ConsoleError(N_("You drafted, changed or submitted this price book: another person must review "
                              "and publish it."), 403)
    if d.version.lower() in {b["version"].lower() for b in published_books(engine)}:
        raise ConsoleError(N_("Version %(version)s is taken: a published book or another draft has it."), 409,
                           version=d.version)
    book_id = str(uuid7())
    changes = _changes(engine, d, book_id)
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(draft_t).where(draft_t.c.id == d.id, draft_t.c.status == "review").values(
            status="published", reviewed_by=by, published_at=_now(), updated_at=_now(),
            data={**d.data, "book_id": book_id})).rowcount
        if not done:
            raise ConsoleError(N_("Only a price book in review can be returned or published."), 409)
        audit.record(conn, by, "pricebook.publish", d.version,
                     f"draft={d.id} book={book_id} rows={len(changes)}")
    try:
        hq_publish.publish(engine, changes)
    except BadRequest:
        with _write(engine) as conn, conn.begin():
            conn.execute(update(draft_t).where(draft_t.c.id == d.id).values(
                status="review", reviewed_by=None, published_at=None, data=d.data))
            audit.record(conn, by, "pricebook.publish_refused", d.version, f"draft={d.id}")
        raise ConsoleError(N_("HQ refused to publish this book; nothing was published."), 400) from None
    return book_id
