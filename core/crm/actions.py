"""The next best actions at the counter (issue 23): what to offer this customer now, each with
the reason in words, and what staff did with it.

The rules are data: the ``next_action_rule`` rows HQ publishes (when HQ has published any,
they are the rule set: a code HQ left out, or turned off, is not suggested), else
:data:`DEFAULT_RULES`. A row's ``params`` fill in over the default's, so a rule HQ publishes
with no params works with the defaults. Each code:

* ``battery_service``: a device of a kind in ``params.kinds`` (phone, tablet, laptop, watch)
  bought more than ``params.min_age_days`` (730) days ago; one per device.
* ``warranty_ending``: a device whose warranty ends within ``params.within_days`` (30) days
  from today, today included, not already past; one per device.
* ``tradein_upgrade`` (marketing, ``params.channel`` email): the customer's oldest device
  (bought at least ``params.min_age_days`` ago) whose model the price book in force prices,
  with the best value it can fetch (:func:`core.tradein.valuate` at the best answers, the
  best-paying configuration); one.
* ``accessory`` (marketing, ``params.channel`` sms): the newest purchase of the last
  ``params.days`` (30) days of at least ``params.min_cents``, or a device bought this
  calendar month; one.
* ``complaint_followup``: an open care call of a kind in ``params.kinds`` (``follow_up_call``)
  for this customer at this store, due within ``params.within_days`` (7) days or overdue.

A marketing rule names the channel its offer would go by (``params.channel``: ``sms``,
``email``, or ``any`` for either); its suggestion is made only while the customer's latest
decision for that channel's marketing purpose is a grant (:func:`core.privacy.current_consents`;
``any``: either is). A channel the app does not know is never consented to. A suggestion
is about a ``subject`` (``device:<id>``, ``purchase:<id>``, ``care_task:<id>``); once
accepted or dismissed (:func:`record_outcome`, one :class:`core.models.ActionOutcome` per
code and subject) it is not suggested again, and the outcome counts on the manager's
dashboard.
Titles and reasons come from the catalogue (:mod:`core.terms`, kinds ``next_action`` and
``next_action_why``), dates and amounts from :mod:`core.formatting`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, formatting, terms
from core.crm import ACTION_CODES, OUTCOMES
from core.customers import _live
from core.errors import Conflict, ValidationError
from core.models import (
    ActionOutcome, CareTask, Device, NextActionRule, PriceBookEntry, Purchase, Store, TradeInModel,
)
from core.permissions import Actor, Perm, require
from core.privacy import MARKETING, current_consents
from core.tradein import battery_question, valuate
from core.tradein.pricebook import _book_in_force, _facts

SUBJECT_MAX = 80


@dataclass(frozen=True)
class Rule:
    code: str                    # core.crm.ACTION_CODES
    priority: int                # lower first
    marketing: bool              # shown only with the marketing consent of params["channel"]
    params: Mapping[str, Any] = field(default_factory=dict)


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("complaint_followup", 10, False, {"within_days": 7, "kinds": ["follow_up_call"]}),
    Rule("warranty_ending", 20, False, {"within_days": 30}),
    Rule("battery_service", 30, False, {"min_age_days": 730, "kinds": ["phone", "tablet", "laptop", "watch"]}),
    # marketing: the channel the offer would go by (sms, email, any), whose consent it needs
    Rule("tradein_upgrade", 40, True, {"min_age_days": 365, "channel": "email"}),
    Rule("accessory", 50, True, {"days": 30, "min_cents": 10000, "channel": "sms"}),
)
ANY_CHANNEL = "any"


@dataclass(frozen=True)
class Suggestion:
    code: str                    # core.crm.ACTION_CODES
    subject: str                 # what it is about: device:<id>, purchase:<id>, care_task:<id>
    title: str                   # worded (core.terms next_action)
    why: str                     # worded (core.terms next_action_why)
    marketing: bool
    priority: int


def _rules(session: Session) -> list[Rule]:
    """HQ's rules when it has published any, else the defaults; HQ's params over the default's."""
    defaults = {r.code: r for r in DEFAULT_RULES}
    rows = list(session.scalars(select(NextActionRule)))
    if not rows:
        return list(DEFAULT_RULES)
    out = []
    for row in rows:
        if not row.active or row.code not in ACTION_CODES:
            continue
        base = defaults.get(row.code)
        params = {**(dict(base.params) if base else {}), **dict(row.params or {})}
        out.append(Rule(row.code, int(row.priority), bool(row.marketing), params))
    return out


@dataclass(frozen=True)
class _Ctx:
    session: Session
    actor: Actor
    customer_id: uuid.UUID
    devices: tuple[Device, ...]
    now: datetime
    today: date
    tz: str
    lang: str

    def why(self, code: str, **params: object) -> str:
        return terms.term(code, self.lang, "next_action_why").format(**params)

    def day(self, d: date | datetime) -> str:
        return formatting.date(d, self.lang, "medium", self.tz)


def _battery(c: _Ctx, p: Mapping[str, Any]) -> list[tuple[str, str]]:
    kinds, age = set(p.get("kinds") or ()), int(p.get("min_age_days", 730))
    return [(f"device:{d.id}", c.why("battery_service", device=d.model,
                                      years=(c.today - d.purchase_date).days // 365))
            for d in c.devices if d.kind in kinds and d.purchase_date is not None
            and d.purchase_date <= c.today - timedelta(days=age)]


def _warranty(c: _Ctx, p: Mapping[str, Any]) -> list[tuple[str, str]]:
    last = c.today + timedelta(days=int(p.get("within_days", 30)))
    return [(f"device:{d.id}", c.why("warranty_ending", device=d.model, date=c.day(d.warranty_end)))
            for d in c.devices if d.warranty_end is not None and c.today <= d.warranty_end <= last]


def _best_answers(rules: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that set no limit on the grade, and a full battery: the best a device of the
    model can fetch."""
    answers: dict[str, Any] = {}
    for q in rules.get("questions", ()):
        best = next((opt for opt, cap in q["options"].items() if cap is None), None)
        if best is not None:
            answers[q["key"]] = best
    key = battery_question(rules)
    if key:
        answers[key] = 100
    return answers


def _tradein(c: _Ctx, p: Mapping[str, Any]) -> list[tuple[str, str]]:
    book = _book_in_force(c.session, c.today)
    if book is None:
        return []
    oldest_first = sorted((d for d in c.devices if d.purchase_date is not None
                           and d.purchase_date <= c.today - timedelta(days=int(p.get("min_age_days", 0)))),
                          key=lambda d: (d.purchase_date, str(d.id)))
    priced = select(PriceBookEntry.model_id).where(PriceBookEntry.price_book_id == book.id)
    answers = _best_answers(book.rules)
    for d in oldest_first:
        best = 0
        for m in c.session.scalars(select(TradeInModel).where(TradeInModel.name == d.model,
                                                               TradeInModel.id.in_(priced))):
            try:
                facts = _facts(c.session, book, m)
            except Conflict:
                continue                      # the book lacks a grade for this configuration
            v = valuate(book.rules, facts, answers, on=c.today)
            if v.grade is not None:
                best = max(best, v.value_cents)
        if best > 0:
            value = formatting.money(best, book.currency, c.lang)
            return [(f"device:{d.id}", c.why("tradein_upgrade", device=d.model, value=value))]
    return []


def _accessory(c: _Ctx, p: Mapping[str, Any]) -> list[tuple[str, str]]:
    since = c.now - timedelta(days=int(p.get("days", 30)))
    found: list[tuple[date, str, str, str]] = []      # (day, subject, what, day in words)
    bought = c.session.scalars(select(Purchase).where(
        Purchase.customer_id == c.customer_id, Purchase.kind == "sale", Purchase.at >= since,
        Purchase.at <= c.now, Purchase.total_cents >= int(p.get("min_cents", 0)))
        .order_by(Purchase.at.desc()).limit(1)).first()
    if bought is not None:
        found.append((_local_day(bought.at, c.tz), f"purchase:{bought.id}", bought.description, c.day(bought.at)))
    for d in c.devices:
        pd = d.purchase_date
        if pd is not None and (pd.year, pd.month) == (c.today.year, c.today.month) and pd <= c.today:
            found.append((pd, f"device:{d.id}", d.model, c.day(pd)))
    if not found:
        return []
    _, subject, what, when = max(found, key=lambda f: (f[0], f[1]))
    return [(subject, c.why("accessory", device=what, date=when))]


def _followup(c: _Ctx, p: Mapping[str, Any]) -> list[tuple[str, str]]:
    kinds = list(p.get("kinds") or ["follow_up_call"])
    until = c.now + timedelta(days=int(p.get("within_days", 7)))
    tasks = c.session.scalars(select(CareTask).where(
        CareTask.customer_id == c.customer_id, CareTask.store_id == c.actor.store_id, CareTask.done_at.is_(None),
        CareTask.kind.in_(kinds), CareTask.due_at <= until).order_by(CareTask.due_at, CareTask.id))
    return [(f"care_task:{t.id}", c.why("complaint_followup", date=c.day(t.due_at))) for t in tasks]


_FINDERS = {"battery_service": _battery, "warranty_ending": _warranty, "tradein_upgrade": _tradein,
            "accessory": _accessory, "complaint_followup": _followup}


def _consented(rule: Rule, granted: set[str]) -> bool:
    """A rule may be suggested: not marketing, or the customer grants its channel's
    marketing (``any``: either channel's)."""
    if not rule.marketing:
        return True
    channel = rule.params.get("channel", ANY_CHANNEL)
    if channel == ANY_CHANNEL:
        return bool(granted)
    return channel in granted


def _local_day(at: datetime, tz: str) -> date:
    """The store's date at ``at``."""
    return at.astimezone(ZoneInfo(tz)).date()


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError("now", "must be an aware time")
    return now


def suggestions(session: Session, actor: Actor, customer_id: uuid.UUID, *, now: datetime,
                lang: str) -> list[Suggestion]:
    """What to offer the customer now, most important first (the rule's priority), worded in
    ``lang``; without those already accepted or dismissed, and without a marketing one
    unless the customer consents to marketing by its rule's channel."""
    require(actor, Perm.VIEW_CUSTOMERS)
    now = _aware(now)
    customer = _live(session, customer_id)
    if customer.merged_into_id is not None:
        return []
    store = session.get(Store, actor.store_id)
    tz = store.timezone if store is not None and store.timezone else "UTC"
    consents = current_consents(session, actor, customer.id)
    granted = {ch for ch, p in MARKETING.items() if p in consents and consents[p].granted}
    taken = {(code, subject) for code, subject in session.execute(
        select(ActionOutcome.code, ActionOutcome.subject).where(ActionOutcome.customer_id == customer.id))}
    devices = tuple(session.scalars(select(Device).where(Device.customer_id == customer.id)
                                    .order_by(Device.purchase_date, Device.id)))
    ctx = _Ctx(session, actor, customer.id, devices, now, _local_day(now, tz), tz, lang)
    out = []
    for rule in _rules(session):
        if not _consented(rule, granted):
            continue
        for subject, why in _FINDERS[rule.code](ctx, rule.params):
            if (rule.code, subject) not in taken:
                out.append(Suggestion(rule.code, subject, terms.term(rule.code, lang, "next_action"), why,
                                      rule.marketing, rule.priority))
    out.sort(key=lambda s: (s.priority, s.code))        # stable: each rule's own order within it
    return out


def record_outcome(session: Session, actor: Actor, customer_id: uuid.UUID, code: str, subject: str, outcome: str,
                   *, now: datetime) -> None:
    """Staff accepted or dismissed a suggestion: kept once per code and subject (it is not
    suggested again), counted on the dashboard, audited (``crm.action``: code and outcome)."""
    require(actor, Perm.EDIT_CUSTOMERS)
    if code not in ACTION_CODES:
        raise ValidationError("code", "is not a known suggestion")
    if outcome not in OUTCOMES:
        raise ValidationError("outcome", "must be accepted or dismissed")
    if not isinstance(subject, str) or len(subject) > SUBJECT_MAX:
        raise ValidationError("subject", "is too long")
    now = _aware(now)
    c = _live(session, customer_id)
    known = session.scalars(select(ActionOutcome.id).where(
        ActionOutcome.store_id == actor.store_id, ActionOutcome.customer_id == c.id, ActionOutcome.code == code,
        ActionOutcome.subject == subject)).first()
    if known is not None:
        raise Conflict("this suggestion was already answered")
    session.add(ActionOutcome(store_id=actor.store_id, customer_id=c.id, code=code, subject=subject,
                              outcome=outcome, staff_id=actor.staff_id, at=now))
    session.flush()
    audit.record(session, actor, "crm.action", "customer", c.id, detail=f"{code}:{outcome}")


__all__ = ["ANY_CHANNEL", "DEFAULT_RULES", "Rule", "Suggestion", "record_outcome", "suggestions"]
