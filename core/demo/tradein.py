"""Demo step: the trade-in price book, the IMEI blocklist and quotes priced by its rules."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from core.demo.data import _MODELS, GRADE_FACTORS, GRADES, STORE_CURRENCY, _Model, price_book_rules
from core.demo.values import _imei, _serial
from core.ids import uuid7
from core.models import ImeiBlock, PriceBook, PriceBookEntry, TradeInModel, TradeInQuote
from core.tradein.acceptance import voucher_code

if TYPE_CHECKING:
    from core.demo.build import Build


def _grade(rules: dict[str, Any], answers: dict[str, Any]) -> str:
    """The grade the answers give; the demo only makes quotes for devices the store takes."""
    grades: list[str] = rules["grades"]
    worst = 0
    for q in rules["questions"]:
        cap = q["options"][answers[q["key"]]]
        if cap == "refuse":
            raise ValueError(f"the demo's answers refuse the device ({q['key']})")
        if cap is not None:
            worst = max(worst, grades.index(cap))
    return grades[worst]


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _price(rules: dict[str, Any], *, base_cents: int, grade: str, model: _Model, answers: dict[str, Any],
           on: date, payout: str | None) -> tuple[int, list[dict[str, Any]]]:
    breakdown: list[dict[str, Any]] = [{"step": "base", "grade": grade, "cents": base_cents}]
    months = _months_between(model.release, on)
    age_pct = 0
    for band in rules["age_adjustment"]["bands"]:
        if months >= band["from_months"]:
            age_pct = band["pct"]
    age = base_cents * age_pct // 100
    breakdown.append({"step": "age", "months": months, "pct": age_pct, "cents": age})
    battery = 0
    rule = rules["battery_adjustment"]
    if model.kind in rule["kinds"] and grade not in rule["not_for_grades"]:
        health = answers.get(rule["question"])
        pct = rule["unknown_pct"] if health is None else next(
            b["pct"] for b in rule["bands"] if health >= b["min_health"])
        battery = base_cents * pct // 100
        breakdown.append({"step": "battery", "health": health, "pct": pct, "cents": battery})
    value = max(rules["floor_cents"], base_cents + age + battery)
    rounded = value - value % rules["rounding_cents"]
    breakdown.append({"step": "rounding", "cents": rounded - value})
    value = rounded
    for promo in rules["promotions"]:
        if (payout in promo["payouts"] and model.kind in promo["kinds"] and model.family in promo["families"]
                and rules["grades"].index(grade) <= rules["grades"].index(promo["min_grade"])
                and promo["valid_from"] <= on.isoformat() <= promo["valid_to"]):
            breakdown.append({"step": "promotion", "code": promo["code"], "cents": promo["bonus_cents"]})
            value += promo["bonus_cents"]
    return value, breakdown



def trade_in(b: "Build") -> None:
    rng = b.rng
    valid_from = b.today.replace(day=1)
    rules = price_book_rules(valid_from)
    book = PriceBook(id=uuid7(), version=f"{valid_from:%Y.%m}", valid_from=valid_from, valid_to=None,
                     currency=STORE_CURRENCY, rules=rules)
    b.add("price_book", [book])
    models, entries = [], []
    priced: list[tuple[TradeInModel, _Model, dict[str, int]]] = []
    for m in _MODELS:
        for config, _, like_new in m.configs:
            tm = TradeInModel(id=uuid7(), family=m.family, kind=m.kind, name=m.name, configuration=config,
                              release_date=m.release)
            models.append(tm)
            values = {g: int(like_new * GRADE_FACTORS[g]) // 10 * 10 * 100 for g in GRADES}
            entries += [PriceBookEntry(price_book_id=book.id, model_id=tm.id, grade=g, base_cents=v)
                        for g, v in values.items()]
            priced.append((tm, m, values))
    b.add("tradein_model", models)
    b.s.flush()
    b.add("price_book_entry", entries)
    blocked = [ImeiBlock(imei=_imei(rng, rng.choice([m for m in _MODELS if m.kind == "phone"]), b.imeis),
                         reason=reason, added_at=b.days_ago(1, 300))
               for reason in ("stolen", "stolen", "lost", "unpaid", "lost")]
    lost = next((d for d in b.devices if d.imei), None)
    if lost is not None:      # a customer reported their own phone lost
        blocked.append(ImeiBlock(imei=lost.imei, reason="lost", added_at=b.days_ago(1, 30)))
    b.add("imei_blocklist", blocked)
    quotes = []
    # Voucher codes from a generator of their own, seeded from the demo's: the same seed gives
    # the same codes, and the draws below stay what they were without codes.
    codes = random.Random(repr(rng.getstate()) + "voucher")
    taken: set[str] = set()
    plan = ("quoted", "quoted", "accepted", "accepted", "declined", "expired", "received", "requoted")
    traders = [c for c in b.customers if c.created_at < b.now - timedelta(days=20)] or b.customers
    for status in plan:
        tm, m, values = rng.choice(priced)
        answers = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no",
                   "screen": rng.choice(("flawless", "flawless", "light_scratches", "deep_scratches", "cracked")),
                   "housing": rng.choice(("flawless", "light_wear", "light_wear", "dents")),
                   "functions": rng.choice(("all_work", "all_work", "all_work", "one_fault")),
                   "battery_health": rng.randint(76, 100)}
        grade = _grade(rules, answers)
        age_days = {"quoted": (0, 2), "accepted": (0, 5), "declined": (1, 6), "expired": (9, 30),
                    "received": (3, 20), "requoted": (1, 3)}[status]
        created = b.open_at(b.days_ago(*age_days))
        payout = rng.choice(("purchase", "store_credit", "purchase", "voucher")) \
            if status in ("accepted", "received") else None
        value, breakdown = _price(rules, base_cents=values[grade], grade=grade, model=m, answers=answers,
                                  on=created.astimezone(b.tz).date(), payout=payout)
        customer = rng.choice(traders)
        q = TradeInQuote(
            id=uuid7(), store_id=b.store_id, customer_id=customer.id,
            staff_id=rng.choice(b.counter_staff), model_id=tm.id, price_book_id=book.id,
            imei=_imei(rng, m, b.imeis) if m.kind == "phone" else None,
            serial=_serial(rng, m), answers=answers, grade=grade, value_cents=value, breakdown=breakdown,
            expires_at=created + timedelta(days=rules["quote_valid_days"]), status=status,
            created_at=created, updated_at=created, payout=payout)
        if status in ("accepted", "received"):
            q.accepted_at = b.open_at(min(b.now, created + timedelta(minutes=rng.randint(5, 40))))
            q.signature_name = customer.display_name
            q.declared_owner, q.declared_wiped = True, True
            q.updated_at = q.accepted_at
            # paid out as acceptance does without a loyalty ledger entry (the demo makes
            # members later): a voucher code on the receipt, whose barcode opens the quote
            while (code := voucher_code(codes.choice)) in taken:
                pass
            taken.add(code)
            q.voucher_code = code
        quotes.append(q)
        if status == "requoted":       # the customer found a scratch was only a smudge: quoted again
            answers2 = dict(answers, screen="flawless")
            grade2 = _grade(rules, answers2)
            value2, breakdown2 = _price(rules, base_cents=values[grade2], grade=grade2, model=m,
                                        answers=answers2, on=created.astimezone(b.tz).date(), payout=None)
            at2 = b.open_at(min(b.now, created + timedelta(minutes=12)))
            quotes.append(TradeInQuote(
                id=uuid7(), store_id=b.store_id, customer_id=customer.id, staff_id=q.staff_id,
                model_id=tm.id, price_book_id=book.id, imei=q.imei, serial=q.serial, answers=answers2,
                grade=grade2, value_cents=value2, breakdown=breakdown2,
                expires_at=at2 + timedelta(days=rules["quote_valid_days"]), status="quoted",
                supersedes_id=q.id, created_at=at2, updated_at=at2))
    b.add("tradein_quote", quotes)
