"""``seed_large``: many customers, devices and loyalty accounts by bulk INSERT, for benchmarks."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from core import clock, staff as staff_service
from core.db import StoreDatabase
from core.demo.build import build_demo
from core.demo.data import (
    _CN_FAMILY, _CN_FAMILY_W, _CN_GIVEN_1, _CN_GIVEN_2, _CN_MAIL, _CN_MOBILE_PREFIXES, _EN_FAMILY, _EN_GIVEN,
    _EN_MAIL, _MODELS, LOYALTY_TERMS, MEMBER_PREFIX, WELCOME_BONUS,
)
from core.demo.values import _add_years, _ascii, _luhn, _name_searcher
from core.ids import uuid7
from core.models import Customer, Device, LoyaltyAccount, LoyaltyEntry, Staff


_SAFE_CN_PREFIXES = tuple(p for p in _CN_MOBILE_PREFIXES if p[:2] in ("13", "15", "18"))
_PERMUTE = 48_271          # odd and not a multiple of 5: a bijection on 0..10**k-1


def _permuted(index: int, digits: int, salt: int) -> str:
    mod = 10 ** digits
    return f"{(index * _PERMUTE + salt) % mod:0{digits}d}"


def seed_large(db: StoreDatabase, *, customers: int, seed: int = 11, batch: int = 20000,
               progress: Callable[[int, int], None] | None = None, now: datetime | None = None) -> None:
    """Add ``customers`` customers, devices for about half and loyalty accounts for ~20%, fast.

    Bulk INSERTs in transactions of ``batch`` customers; ``progress(done, total)`` after each.
    Rows do not go through the outbox (seeded data counts as already synced).  Phone
    numbers, IMEIs and member numbers are unique among seeded rows (counters run
    on from the rows already there); the store is bootstrapped with a small demo
    first when the database has none; both as of ``now`` (the clock's moment when not given).
    """
    if now is not None:
        with clock.pinned(now):
            return seed_large(db, customers=customers, seed=seed, batch=batch, progress=progress)
    with db.session() as s:
        store = staff_service.current_store(s)
    if store is None:
        build_demo(db, customers=100, seed=seed)
        with db.session() as s:
            store = staff_service.current_store(s)
        assert store is not None        # the demo build just made it
    rng = random.Random(seed)
    search_names = _name_searcher()
    with db.session() as s:
        first_customer = s.scalar(select(func.count()).select_from(Customer)) or 0
        first_device = s.scalar(select(func.count()).select_from(Device)) or 0
        first_member = s.scalar(select(func.count()).select_from(LoyaltyAccount)) or 0
        taken_members = set(s.scalars(select(LoyaltyAccount.member_number)))
        staff_ids = list(s.scalars(select(Staff.id).where(Staff.store_id == store.id).order_by(Staff.staff_number)))
    phones = [m for m in _MODELS if m.kind == "phone"]
    model_cum = list(itertools.accumulate(m.weight for m in _MODELS))
    family_cum = list(itertools.accumulate(_CN_FAMILY_W))
    now = clock.now().replace(microsecond=0)
    today = now.astimezone(ZoneInfo(store.timezone)).date()
    six_years = 6 * 365 * 86400
    member_index = first_member
    device_index = first_device
    done = 0
    while done < customers:
        n = min(batch, customers - done)
        cust_rows: list[dict[str, Any]] = []
        dev_rows: list[dict[str, Any]] = []
        acct_rows: list[dict[str, Any]] = []
        entry_rows: list[dict[str, Any]] = []
        for k in range(n):
            index = first_customer + done + k
            chinese = rng.random() < 0.5
            if chinese:
                family = rng.choices(_CN_FAMILY, cum_weights=family_cum)[0]
                given = rng.choice(_CN_GIVEN_1) if rng.random() < 0.45 else rng.choice(_CN_GIVEN_2)
                pinyin, initials = search_names(given, family)
                mail_local = f"{pinyin.replace(' ', '')}.{index}"
                domain = rng.choice(_CN_MAIL)
            else:
                given, family = rng.choice(_EN_GIVEN), rng.choice(_EN_FAMILY)
                pinyin = initials = ""
                mail_local = f"{_ascii(given)}.{_ascii(family)}.{index}"
                domain = rng.choice(_EN_MAIL)
            created = now - timedelta(seconds=rng.randrange(six_years))
            cid = uuid7()
            cust_rows.append({
                "id": cid, "home_store_id": store.id, "given_name": given, "family_name": family,
                "name_pinyin": pinyin, "name_initials": initials,
                "phone_e164": f"+86{rng.choice(_SAFE_CN_PREFIXES)}{_permuted(index, 8, seed)}",
                "email": f"{mail_local}@{domain}" if rng.random() < 0.85 else None, "address": "",
                "language": "zh_CN" if chinese else "en",
                "birth_date": today - timedelta(days=rng.randint(16 * 365, 80 * 365)) if rng.random() < 0.4 else None,
                "erased": False, "erased_at": None, "merged_into_id": None,
                "created_at": created, "updated_at": created})
            if rng.random() < 0.5:
                model = rng.choices(_MODELS, cum_weights=model_cum)[0] if rng.random() < 0.3 else rng.choice(phones)
                start = max(model.release, today - timedelta(days=4 * 365))
                bought = start + timedelta(days=rng.randint(0, max(0, (today - start).days)))
                imei = None
                if model.kind == "phone":
                    unique = _permuted(device_index, 8, seed)
                    imei = _luhn(model.tac[:6] + unique)
                dev_rows.append({
                    "id": uuid7(), "customer_id": cid, "kind": model.kind, "model": model.name,
                    "serial": f"{model.code[:2]}{_permuted(device_index, 10, seed)}", "imei": imei,
                    "purchase_date": bought, "warranty_end": _add_years(bought, 1), "coverage_end": None,
                    "created_at": created, "updated_at": created})
                device_index += 1
            if rng.random() < 0.2:
                while True:
                    number = _luhn(MEMBER_PREFIX + _permuted(member_index, 8, seed))
                    member_index += 1
                    if number not in taken_members:
                        break
                aid = uuid7()
                acct_rows.append({
                    "id": aid, "customer_id": cid, "member_number": number, "store_id": store.id,
                    "terms_version": LOYALTY_TERMS, "enrolled_at": created, "tier": "silver", "active": True,
                    "created_at": created, "updated_at": created})
                entry_rows.append({
                    "id": uuid7(), "account_id": aid, "kind": "bonus", "points": WELCOME_BONUS,
                    "reason": "Welcome bonus", "ref_type": None, "ref_id": None, "spend_cents": 0,
                    "store_id": store.id, "staff_id": rng.choice(staff_ids) if staff_ids else None, "at": created,
                    "expires_at": None})
        with db.session(write=True) as s:
            # render_nulls: every row has the same columns, so each batch is one executemany
            # (without it the ORM leaves out None values and splits the batch by NULL pattern)
            for table, rows in ((Customer, cust_rows), (Device, dev_rows), (LoyaltyAccount, acct_rows),
                                (LoyaltyEntry, entry_rows)):
                if rows:
                    s.execute(insert(table).execution_options(render_nulls=True), rows)
        done += n
        if progress is not None:
            progress(done, customers)
