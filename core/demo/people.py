"""Demo step: customers, and their devices, consents, purchases and notes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from core.demo.data import (
    _ACCESSORIES, _CN_FAMILY, _CN_FAMILY_W, _CN_GIVEN_1, _CN_GIVEN_2, _CN_MAIL, _DISTRICTS, _EN_FAMILY, _EN_GIVEN,
    _EN_MAIL, _FIXED_NAMES, _MODEL_BY_NAME, _MODELS, _NOTES, _ROADS, NOTICE_VERSION, _Model,
)
from core.demo.values import _add_years, _ascii, _imei, _is_chinese, _serial, _valid_phone
from core.ids import uuid7
from core.models import Consent, Customer, CustomerNote, Device, Purchase
from core.validation import normalize_email

if TYPE_CHECKING:
    from core.demo.build import Build


def _random_name(b: "Build") -> tuple[str, str]:
    rng = b.rng
    if rng.random() < 0.5:
        family = rng.choices(_CN_FAMILY, weights=_CN_FAMILY_W)[0]
        given = rng.choice(_CN_GIVEN_1) if rng.random() < 0.45 else rng.choice(_CN_GIVEN_2)
        return given, family
    return rng.choice(_EN_GIVEN), rng.choice(_EN_FAMILY)


def _email(b: "Build", given: str, family: str, pinyin: str, chinese: bool) -> str:
    rng = b.rng
    if chinese:
        compact = pinyin.replace(" ", "")
        local = (str(rng.randint(10_000_000, 3_999_999_999)) if rng.random() < 0.3
                 else f"{compact}{rng.randint(1, 9999)}")
        domain = rng.choice(_CN_MAIL)
    else:
        g, f = _ascii(given), _ascii(family)
        local = rng.choice((f"{g}.{f}", f"{g}{f}", f"{g[0]}{f}", f"{g}.{f}{rng.randint(1, 99)}"))
        domain = rng.choice(_EN_MAIL)
    address = f"{local}@{domain}"
    n = 1
    while address in b.emails:
        n += 1
        address = f"{local}{n}@{domain}"
    b.emails.add(address)
    return normalize_email(address)


def people(b: "Build", n: int) -> None:
    rng = b.rng
    names = list(_FIXED_NAMES[:n])
    while len(names) < n:
        names.append(_random_name(b))
    rng.shuffle(names)
    b.customers = []
    for given, family in names:
        chinese = _is_chinese(given + family)
        pinyin, initials = b.search_names(given, family) if chinese else ("", "")
        if chinese:
            phone_kind = "CN" if rng.random() < 0.97 else "US"
        else:
            phone_kind = rng.choices(("CN", "US", "UK"), weights=(60, 20, 20))[0]
        email = _email(b, given, family, pinyin, chinese) if rng.random() < (0.75 if chinese else 0.9) \
            else None
        birth = None
        if rng.random() < 0.4:
            birth = b.today - timedelta(days=rng.randint(16 * 365, 80 * 365))
        address = ""
        if rng.random() < 0.3:
            (d_zh, d_en), (r_zh, r_en) = rng.choice(_DISTRICTS), rng.choice(_ROADS)
            num, room = rng.randint(1, 1500), rng.randint(101, 2808)
            address = (f"上海市{d_zh}{r_zh}{num}号{room}室" if chinese
                       else f"Room {room}, {num} {r_en}, {d_en}, Shanghai")
        created = b.open_at(b.days_ago(0.2, 4 * 365))        # registered at the counter
        b.customers.append(Customer(
            home_store_id=b.store_id, given_name=given, family_name=family, name_pinyin=pinyin,
            name_initials=initials, phone_e164=_valid_phone(rng, phone_kind, b.phones), email=email,
            address=address, language="zh_CN" if chinese else "en", birth_date=birth,
            created_at=created, updated_at=created))
    b.add("customer", b.customers)

# --- devices, consents, purchases, notes -----------------------------------------


def _pick_model(b: "Build", chinese: bool) -> _Model:
    weights = [m.weight * (2 if chinese and m.brand in ("huawei", "xiaomi") else 1) for m in _MODELS]
    return b.rng.choices(_MODELS, weights=weights)[0]


def _purchase_date(b: "Build", model: _Model) -> date:
    start = max(model.release, b.today - timedelta(days=4 * 365))
    return start + timedelta(days=b.rng.randint(0, max(0, (b.today - start).days)))


def devices_and_more(b: "Build") -> None:
    rng = b.rng
    b.devices = []
    b.device_model = {}
    b.purchases = []
    consents, notes = [], []
    for i, c in enumerate(b.customers):
        chinese = c.language == "zh_CN"
        n_dev = rng.choices((0, 1, 2, 3), weights=(35, 39, 19, 7))[0]
        models = [_pick_model(b, chinese) for _ in range(n_dev)]
        if i == 0:       # tickets need a phone and a laptop to work on, however few customers there are
            models += [_MODEL_BY_NAME["iPhone 15"], _MODEL_BY_NAME["MacBook Air 13-inch (M2)"]]
        for model in models:
            bought = _purchase_date(b, model)
            bought_at = b.open_at(b.at_local(bought, rng.randint(10, 18), rng.choice((0, 15, 30, 45))))
            registered = b.open_at(min(b.now, max(c.created_at, bought_at)))
            coverage = _add_years(bought, 2) if model.brand == "apple" and rng.random() < 0.25 else None
            dev = Device(id=uuid7(), customer_id=c.id, kind=model.kind, model=model.name,
                         serial=_serial(rng, model),
                         imei=_imei(rng, model, b.imeis) if model.kind == "phone" else None,
                         purchase_date=bought, warranty_end=_add_years(bought, 1), coverage_end=coverage,
                         created_at=registered, updated_at=registered)
            b.devices.append(dev)
            b.device_model[dev.id] = model
            if rng.random() < 0.45:
                config, retail, _ = rng.choice(model.configs)
                b.purchases.append(Purchase(
                    customer_id=c.id, store_id=b.store_id, at=bought_at, description=f"{model.name} {config}",
                    sku=f"{model.code}-{config.replace(' ', '').replace('/', '-')}", total_cents=retail * 100))
        if rng.random() < 0.15:
            sku, desc, price = rng.choice(_ACCESSORIES)
            b.purchases.append(Purchase(customer_id=c.id, store_id=b.store_id,
                                           at=b.open_at(c.created_at + (b.now - c.created_at) * rng.random()),
                                           description=desc, sku=sku, total_cents=price))
        staff_id = rng.choice(b.counter_staff)
        channel = rng.choices(("in_store", "phone", "online"), weights=(80, 10, 10))[0]
        consents.append(Consent(customer_id=c.id, purpose="hq_transfer", granted=True,
                                notice_version=NOTICE_VERSION, channel=channel, staff_id=staff_id,
                                store_id=b.store_id, at=c.created_at))
        for purpose, p, usable in (("marketing_sms", 0.4, c.phone_e164), ("marketing_email", 0.35, c.email)):
            if usable and rng.random() < p:
                consents.append(Consent(customer_id=c.id, purpose=purpose, granted=True,
                                        notice_version=NOTICE_VERSION, channel=channel, staff_id=staff_id,
                                        store_id=b.store_id, at=c.created_at))
                if rng.random() < 0.1:     # later withdrawn: the newest row is in force
                    consents.append(Consent(customer_id=c.id, purpose=purpose, granted=False,
                                            notice_version=NOTICE_VERSION, channel="phone",
                                            staff_id=rng.choice(b.counter_staff), store_id=b.store_id,
                                            at=c.created_at + (b.now - c.created_at) * rng.random()))
        if rng.random() < 0.06:
            notes.append(CustomerNote(customer_id=c.id, staff_id=rng.choice(b.counter_staff),
                                      at=b.open_at(c.created_at + (b.now - c.created_at) * rng.random()),
                                      text=rng.choice(_NOTES)))
    b.add("device", b.devices)
    b.add("purchase", b.purchases)
    b.add("consent", consents)
    b.add("customer_note", notes)
    b.customer_by_id = {c.id: c for c in b.customers}
