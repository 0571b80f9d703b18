"""Reviewing a price-book draft: the diff against the version in force and the preview
valuation (a model, a grade, a battery health, a date and a payout valued under both books with
:func:`core.tradein.valuate`, as a store values it: nothing here re-implements the valuation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.tradein import DeviceFacts, Valuation, battery_question, months_between, valuate
from hq.console.i18n import N_
from hq.console.pricebooks import Book, money

@dataclass
class Diff:
    book: list[tuple[str, str, str]]                   # (what, old, new)
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    details: list[tuple[dict[str, Any], str, str, str]]  # (model, field, old, new)
    values: list[tuple[dict[str, Any], str, int | None, int | None]]   # (model, grade, old, new)
    rules: list[tuple[str, str, str]]

    @property
    def empty(self) -> bool:
        return not (self.book or self.added or self.removed or self.details or self.values or self.rules)


def _bands_text(bands: list[dict[str, Any]], key: str, unit: str) -> str:
    return ", ".join(f"{b.get(key)}{unit}: {b.get('pct')} %" for b in sorted(bands, key=lambda b: b.get(key, 0)))


def _promo_text(p: dict[str, Any]) -> str:
    return (f"{p.get('code')} +{money(p.get('bonus_cents'))} {'/'.join(p.get('kinds', []))} "
            f"{', '.join(p.get('families', []))} ≥{p.get('min_grade')} {'/'.join(p.get('payouts', []))} "
            f"{p.get('valid_from')}…{p.get('valid_to')}")


def _rule_lines(rules: dict[str, Any]) -> dict[str, str]:
    age = (rules.get("age_adjustment") or {}).get("bands") or []
    battery = rules.get("battery_adjustment") or {}
    out = {N_("Age bands (months since release)"): _bands_text(age, "from_months", " mo"),
           N_("Battery bands (health)"): _bands_text(battery.get("bands") or [], "min_health", " %"),
           N_("Battery not measured"): f"{battery.get('unknown_pct')} %",
           N_("Round down to"): money(rules.get("rounding_cents")),
           N_("Lowest offer"): money(rules.get("floor_cents")),
           N_("A quote holds for (days)"): str(rules.get("quote_valid_days")),
           N_("Grades"): ", ".join(rules.get("grades") or []),
           N_("Questions"): "; ".join(f"{q['key']}: " + ", ".join(f"{o}→{c or '-'}" for o, c in q["options"].items())
                                      for q in rules.get("questions") or [])}
    for p in rules.get("promotions") or []:
        out[N_("Promotion") + " " + str(p.get("code"))] = _promo_text(p)
    return out


def diff(old: Book | None, new: Book) -> Diff:
    """What the draft changes against the book in force (everything is new when none is)."""
    base = old or Book("", "", None, "", {}, [])
    book = [(label, str(a or "-"), str(b or "-")) for label, a, b in (
        (N_("Version"), base.version, new.version), (N_("Valid from"), base.valid_from, new.valid_from),
        (N_("Valid to"), base.valid_to, new.valid_to), (N_("Currency"), base.currency, new.currency)) if a != b]
    key = lambda m: (m["name"], m["configuration"])           # noqa: E731
    olds, news = {key(m): m for m in base.models}, {key(m): m for m in new.models}
    added = [m for k, m in news.items() if k not in olds]
    removed = [m for k, m in olds.items() if k not in news]
    details, values = [], []
    for k, m in news.items():
        if k not in olds:
            continue
        o = olds[k]
        details += [(m, f, str(o.get(f)), str(m.get(f))) for f in ("family", "kind", "release_date")
                    if o.get(f) != m.get(f)]
        for g in dict.fromkeys([*o["bases"], *m["bases"]]):
            if o["bases"].get(g) != m["bases"].get(g):
                values.append((m, g, o["bases"].get(g), m["bases"].get(g)))
    a, b = _rule_lines(base.rules), _rule_lines(new.rules)
    rules = [(label, a.get(label, "-"), b.get(label, "-")) for label in dict.fromkeys([*a, *b])
             if a.get(label) != b.get(label)]
    return Diff(book, added, removed, details, values, rules)


def sample_answers(rules: dict[str, Any], grade: str, health: int | None) -> dict[str, Any] | None:
    """Answers that give ``grade`` under ``rules``: every question at its best answer, then
    one whose answer caps the grade there (None when no answer gives that grade)."""
    answers: dict[str, Any] = {}
    for q in rules.get("questions") or []:
        best = next((o for o, cap in q["options"].items() if cap is None), None)
        if best is None:
            return None
        answers[q["key"]] = best
    order = list(rules.get("grades") or [])
    if grade not in order:
        return None
    if grade != order[0]:
        found = next(((q["key"], o) for q in rules["questions"] for o, cap in q["options"].items() if cap == grade),
                     None)
        if found is None:
            return None
        answers[found[0]] = found[1]
    question = battery_question(rules)
    if question:
        answers[question] = health
    return answers


@dataclass
class Offer:
    answers: dict[str, Any] | None
    valuation: Valuation | None
    months: int | None = None


def offer(book: Book | None, name: str, configuration: str, grade: str, health: int | None, on: date,
          payout: str | None) -> Offer:
    """The offer for one model under ``book`` (core.tradein.valuate, as a store values it)."""
    model = book.model(name, configuration) if book else None
    if book is None or model is None:
        return Offer(None, None)
    answers = sample_answers(book.rules, grade, health)
    if answers is None or any(g not in model["bases"] for g in book.rules["grades"]):
        return Offer(answers, None)
    facts = DeviceFacts(model["kind"], model["family"], date.fromisoformat(model["release_date"]), model["bases"])
    return Offer(answers, valuate(book.rules, facts, answers, on=on, payout=payout),
                 months_between(facts.release_date, on))
