"""A demo store to show Orchard with, and bulk data to benchmark it with.

``build_demo`` fills an *empty* store database with a realistic store: staff of
every role with known PINs, customers with mixed Chinese and English names,
their devices, consents, purchases and notes, a week of technician shifts and
appointments, repair tickets in every status with their history and parts, a
trade-in price book with quotes, and a loyalty programme with its ledger.  It
writes through the ORM, so every row is captured in the sync outbox like a
real write.  Given the same seed it makes the same store; only ids and
timestamps (relative to the moment it runs) differ.

``seed_large`` adds many customers (plus devices and loyalty accounts) with
bulk INSERTs, for benchmarks.  It bypasses the outbox on purpose: seeded rows
count as already synced.

Conventions the demo data follows (the real services should agree):

* Money is in the smallest unit of the store's currency (the demo store uses
  CNY, so fen).
* Loyalty: 1 point per full CNY spent (``spend_cents // 100``); a welcome bonus
  of ``WELCOME_BONUS`` points on enrolment, which does not expire; earned points
  expire ``POINTS_VALID_DAYS`` after they were earned (an ``expire`` entry for
  what is left of them); a redeem uses the points that expire soonest first and
  never takes the balance below zero; the tier follows lifetime spend (the sum of
  ``spend_cents`` on the ledger), see ``LOYALTY_TIERS``.  Member numbers are
  "8800" + 8 digits + a Luhn check digit.
* Ticket numbers are ``<store code>-<6 digits>``; ``ticket_counter.next_number``
  is the number the next ticket gets.
* The trade-in price book's ``rules`` JSON is described in ``price_book_rules``.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import os
import random
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from core import clock, staff as staff_service
from core.errors import Conflict, ValidationError
from core.ids import uuid7
from core.models import (
    Appointment, Consent, Customer, CustomerNote, Device, Feedback, ImeiBlock, LoyaltyAccount,
    LoyaltyEntry, Part, PartStock, PriceBook, PriceBookEntry, Purchase, RepairEvent, RepairPart,
    RepairTicket, ServiceType, Shift, Staff, Store, Survey, TicketCounter, TradeInModel, TradeInQuote,
)
from core.permissions import Role
from core.validation import luhn_check_digit, normalize_email, normalize_phone

__all__ = [
    "DemoInfo", "DemoStaff", "GRADES", "LOYALTY_TIERS", "MIN_CUSTOMERS", "TICKET_STATUSES", "build_demo",
    "price_book_rules", "seed_large", "tier_for_spend",
]

STORE_CODE = "SH01"
STORE_NAME = "Orchard Nanjing Road"
# A store setting: the date matrix (scripts/date_matrix.sh) runs the demo and the test stores in
# New York to cross its DST mornings; everything else knows the store as Shanghai.
STORE_TZ = os.environ.get("ORCHARD_STORE_TZ") or "Asia/Shanghai"
STORE_COUNTRY = "CN"
STORE_CURRENCY = "CNY"
OPEN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
OPENING_HOURS = {d: ["09:00", "19:00"] for d in OPEN_DAYS}
NOTICE_VERSION = "2026-01"
LOYALTY_TERMS = "2026-01"
WELCOME_BONUS = 200
POINTS_VALID_DAYS = 730
# (tier, lifetime spend in cents from which it applies), best first
LOYALTY_TIERS = (("platinum", 2_500_000), ("gold", 1_000_000), ("silver", 0))
MEMBER_PREFIX = "8800"
MIN_CUSTOMERS = 20

TICKET_STATUSES = ("new", "diagnosing", "awaiting_approval", "awaiting_parts", "in_repair",
                   "quality_check", "ready", "collected", "cancelled", "unrepairable")
GRADES = ("like_new", "good", "fair", "damaged", "unusable")
GRADE_FACTORS = {"like_new": 1.0, "good": 0.85, "fair": 0.65, "damaged": 0.35, "unusable": 0.05}


# --- who works in the demo store ---------------------------------------------------------

@dataclass(frozen=True)
class DemoStaff:
    display_name: str
    staff_number: str
    role: str
    pin: str
    password: str
    skills: tuple[str, ...] = ()
    staff_id: uuid.UUID | None = None


# display name, role, PIN, password, skills, language
_STAFF = (
    ("Lin Hui 林慧", Role.ADMIN, "1111", "demo-admin-1", (), "zh_CN"),
    ("Chen Jing 陈静", Role.MANAGER, "2222", "demo-manager-1", (), "zh_CN"),
    ("Wang Lei 王磊", Role.ASSOCIATE, "3333", "demo-assoc-1", (), "zh_CN"),
    ("Emily Zhou", Role.ASSOCIATE, "3344", "demo-assoc-2", (), "en"),
    ("Li Qiang 李强", Role.TECHNICIAN, "4444", "demo-tech-1", ("screen", "battery", "board"), "zh_CN"),
    ("Zhao Min 赵敏", Role.TECHNICIAN, "4455", "demo-tech-2", ("screen", "battery", "setup"), "zh_CN"),
    ("Tom Becker", Role.TECHNICIAN, "4466", "demo-tech-3", ("laptop", "board", "setup"), "en"),
    ("Sun Hao 孙浩", Role.TECHNICIAN, "4477", "demo-tech-4", ("screen", "battery", "laptop", "setup"),
     "zh_CN"),
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@dataclass(frozen=True)
class DemoInfo:
    """What ``build_demo`` made: the store, the staff and their demo credentials, row counts."""

    store_id: uuid.UUID
    store_code: str
    store_name: str
    staff: tuple[DemoStaff, ...]
    counts: tuple[tuple[str, int], ...] = ()
    seconds: float = 0.0

    def staff_with_role(self, role: Role | str) -> tuple[DemoStaff, ...]:
        return tuple(m for m in self.staff if m.role == Role(role).value)

    def credentials_text(self) -> str:
        """A short table of the demo sign-ins, to print once after building."""
        head = ("No.", "Name", "Role", "PIN", "Password", "Skills")
        rows = [(m.staff_number, m.display_name, m.role, m.pin, m.password, ", ".join(m.skills))
                for m in self.staff]
        widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
        lines = [f"Demo store {self.store_code} · {self.store_name}: staff sign-in (demo data only; "
                 "change these before real use)",
                 "  ".join(_pad(h, w) for h, w in zip(head, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join(lines)


# --- catalogue: devices, parts, services -----------------------------------------------

@dataclass(frozen=True)
class _Model:
    code: str
    name: str
    family: str
    kind: str
    brand: str
    release: date
    tac: str                                     # 8-digit type allocation code (phones)
    configs: tuple[tuple[str, int, int], ...]    # (configuration, retail CNY, like-new trade-in CNY)
    weight: int                                  # how common it is among customers


_MODELS = (
    _Model("IP12", "iPhone 12", "iPhone", "phone", "apple", date(2020, 10, 23), "35301211",
           (("64 GB", 5499, 1050), ("128 GB", 5999, 1250), ("256 GB", 6799, 1400)), 6),
    _Model("IP13", "iPhone 13", "iPhone", "phone", "apple", date(2021, 9, 24), "35391213",
           (("128 GB", 5999, 1700), ("256 GB", 6999, 1950), ("512 GB", 8799, 2200)), 9),
    _Model("IP14", "iPhone 14", "iPhone", "phone", "apple", date(2022, 9, 16), "35465914",
           (("128 GB", 5999, 2300), ("256 GB", 6899, 2600), ("512 GB", 8699, 2900)), 8),
    _Model("IP14P", "iPhone 14 Pro", "iPhone", "phone", "apple", date(2022, 9, 16), "35216514",
           (("128 GB", 7999, 3200), ("256 GB", 8899, 3550), ("512 GB", 10699, 3900)), 6),
    _Model("IP15", "iPhone 15", "iPhone", "phone", "apple", date(2023, 9, 22), "35717215",
           (("128 GB", 5999, 3100), ("256 GB", 6999, 3450), ("512 GB", 8999, 3800)), 9),
    _Model("IP15P", "iPhone 15 Pro", "iPhone", "phone", "apple", date(2023, 9, 22), "35098615",
           (("128 GB", 7999, 4300), ("256 GB", 8999, 4700), ("512 GB", 10999, 5100)), 7),
    _Model("IP16", "iPhone 16", "iPhone", "phone", "apple", date(2024, 9, 20), "35331016",
           (("128 GB", 5999, 3900), ("256 GB", 6999, 4300), ("512 GB", 8999, 4700)), 8),
    _Model("IP16P", "iPhone 16 Pro", "iPhone", "phone", "apple", date(2024, 9, 20), "35662416",
           (("128 GB", 7999, 5200), ("256 GB", 8999, 5700), ("512 GB", 10999, 6200),
            ("1 TB", 12999, 6700)), 6),
    _Model("GS22", "Galaxy S22", "Galaxy S", "phone", "samsung", date(2022, 2, 25), "35091722",
           (("128 GB", 5699, 1200), ("256 GB", 6199, 1400)), 2),
    _Model("GS23", "Galaxy S23", "Galaxy S", "phone", "samsung", date(2023, 2, 17), "35153023",
           (("256 GB", 5999, 1900), ("512 GB", 6999, 2200)), 3),
    _Model("GS24", "Galaxy S24", "Galaxy S", "phone", "samsung", date(2024, 1, 31), "35086124",
           (("256 GB", 5999, 2700), ("512 GB", 6999, 3000)), 3),
    _Model("PX7", "Pixel 7", "Pixel", "phone", "google", date(2022, 10, 13), "35593207",
           (("128 GB", 4499, 900), ("256 GB", 4999, 1050)), 1),
    _Model("PX8", "Pixel 8", "Pixel", "phone", "google", date(2023, 10, 12), "35786408",
           (("128 GB", 5299, 1500), ("256 GB", 5799, 1700)), 1),
    _Model("HM60P", "HUAWEI Mate 60 Pro", "HUAWEI Mate", "phone", "huawei", date(2023, 8, 29), "86451260",
           (("256 GB", 6999, 2600), ("512 GB", 7999, 2900)), 5),
    _Model("XM14", "Xiaomi 14", "Xiaomi", "phone", "xiaomi", date(2023, 10, 31), "86772814",
           (("256 GB", 4299, 1700), ("512 GB", 4999, 1900)), 4),
    _Model("IPA5", "iPad Air (5th generation)", "iPad Air", "tablet", "apple", date(2022, 3, 18), "",
           (("64 GB", 4799, 1600), ("256 GB", 5999, 2000)), 3),
    _Model("IPAM2", "iPad Air 11-inch (M2)", "iPad Air", "tablet", "apple", date(2024, 5, 15), "",
           (("128 GB", 4799, 2600), ("256 GB", 5599, 2950)), 3),
    _Model("MBA13M2", "MacBook Air 13-inch (M2)", "MacBook Air", "laptop", "apple", date(2022, 7, 15), "",
           (("8 GB / 256 GB", 8999, 3600), ("16 GB / 512 GB", 11999, 4500)), 3),
    _Model("MBA15M2", "MacBook Air 15-inch (M2)", "MacBook Air", "laptop", "apple", date(2023, 6, 13), "",
           (("8 GB / 256 GB", 10499, 4700), ("16 GB / 512 GB", 13499, 5700)), 2),
    _Model("AWS8", "Apple Watch Series 8", "Apple Watch", "watch", "apple", date(2022, 9, 16), "",
           (("41 mm", 2999, 700), ("45 mm", 3199, 800)), 2),
    _Model("AWS9", "Apple Watch Series 9", "Apple Watch", "watch", "apple", date(2023, 9, 22), "",
           (("41 mm", 2999, 1050), ("45 mm", 3199, 1200)), 3),
)
_MODEL_BY_NAME = {m.name: m for m in _MODELS}

_ACCESSORIES = (
    ("ACC-AIRPODSPRO2", "AirPods Pro (2nd generation)", 189900),
    ("ACC-PWR20W", "20W USB-C Power Adapter", 14900),
    ("ACC-MAGSAFE", "MagSafe Charger", 32900),
    ("ACC-CASE-SIL", "Silicone case with MagSafe", 39900),
    ("ACC-GLASS", "Screen protector, fitted", 9900),
    ("ACC-CABLE-USBC", "USB-C Charge Cable (1 m)", 14500),
    ("SVC-CARE-PHONE", "Two-year accident coverage, phone", 109900),
)

# service code, name, duration, buffer, required skill, price (cents), is_repair
_SERVICES = (
    ("screen_repair", "Screen repair", 45, 15, "screen", 29900, True),
    ("battery", "Battery replacement", 60, 15, "battery", 19900, True),
    ("diagnosis", "Diagnosis", 20, 10, None, 9900, True),
    ("setup_help", "Setup help", 30, 10, "setup", 14900, False),
    ("data_transfer", "Data transfer", 40, 10, "setup", 19900, False),
    ("board_repair", "Logic board repair", 90, 20, "board", 49900, True),
    ("laptop_repair", "Laptop repair", 60, 15, "laptop", 29900, True),
)


def _part_price(retail_cny: int, share: float, floor: int) -> int:
    return (max(floor, int(retail_cny * share) // 10 * 10) - 1) * 100   # ¥1999-style prices


def _parts_catalogue() -> list[tuple[str, str, int, str, str]]:
    """(sku, name, price cents, fits, kind of repair) for every part the demo stocks."""
    out = []
    for m in _MODELS:
        retail = m.configs[0][1]
        if m.kind in ("phone", "tablet"):
            out.append((f"SCR-{m.code}", f"{m.name} display assembly", _part_price(retail, 0.27, 600),
                        m.name, "screen"))
            out.append((f"BAT-{m.code}", f"{m.name} battery", _part_price(retail, 0.085, 400),
                        m.name, "battery"))
        elif m.kind == "laptop":
            out.append((f"BAT-{m.code}", f"{m.name} battery", _part_price(retail, 0.1, 900), m.name, "battery"))
            out.append((f"KBD-{m.code}", f"{m.name} top case with keyboard", _part_price(retail, 0.22, 1500),
                        m.name, "laptop"))
        elif m.kind == "watch":
            out.append((f"SCR-{m.code}", f"{m.name} display", _part_price(retail, 0.3, 800), m.name, "screen"))
    out.append(("PORT-GS23", "Galaxy S23 USB-C charging port board", 29900, "Galaxy S23", "board"))
    out.append(("PORT-GS24", "Galaxy S24 USB-C charging port board", 32900, "Galaxy S24", "board"))
    out.append(("CAM-IP14P", "iPhone 14 Pro rear camera module", 149900, "iPhone 14 Pro", "board"))
    out.append(("CAM-IP15P", "iPhone 15 Pro rear camera module", 169900, "iPhone 15 Pro", "board"))
    return out


# --- names and contact details ---------------------------------------------------------

_CN_FAMILY = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
              "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "袁",
              "苏", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶")
_CN_FAMILY_W = tuple(max(2, 44 - 2 * i) for i in range(len(_CN_FAMILY)))
_CN_GIVEN_1 = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
               "超", "霞", "平", "刚", "鹏", "华", "飞", "玲", "婷", "雪", "慧", "琳", "晨", "阳", "鑫", "宇",
               "浩", "欣", "悦", "辉", "斌", "颖")
_CN_GIVEN_2 = ("秀英", "桂英", "建华", "建国", "志强", "晓明", "婷婷", "子涵", "浩然", "梓萱", "欣怡", "宇轩",
               "雨桐", "俊杰", "海燕", "丽娟", "文博", "思彤", "一诺", "嘉怡", "佳琪", "子轩", "晓燕", "志伟",
               "国强", "春梅", "海涛", "明辉", "雅婷", "晓东", "宏伟", "丹丹", "思远", "天佑", "若曦", "梦琪")
_EN_GIVEN = ("James", "Oliver", "William", "Daniel", "Thomas", "Michael", "David", "Lucas", "Noah", "Liam",
             "Ethan", "Samuel", "Emma", "Olivia", "Sophie", "Charlotte", "Amelia", "Hannah", "Chloe", "Grace",
             "Emily", "Isabella", "Mia", "Laura", "Matteo", "Sofia", "Léa", "Lukas", "Anna", "Jonas", "Elena",
             "Pierre", "Camille", "Marco", "Giulia", "Ingrid", "Mateo", "Lucía", "Sebastian", "Katarzyna")
_EN_FAMILY = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Taylor", "Wilson", "Davies", "Evans",
              "Thomas", "Roberts", "Walker", "Miller", "Anderson", "Clark", "Wright", "O'Brien", "Murphy",
              "Müller", "Schmidt", "Schneider", "Fischer", "Dubois", "Martin", "Bernard", "Rossi", "Russo",
              "Bianchi", "García", "Fernández", "López", "Novak", "Kowalski", "Andersson", "Johansson",
              "Jensen", "Nielsen", "de Vries", "van Dijk", "Costa")
# Names that must be there: common two-character full names, and namesakes (the same
# name on different people, told apart by phone number) that lookup must cope with.
_FIXED_NAMES = (
    ("伟", "张"), ("芳", "王"), ("娜", "李"), ("伟", "王"), ("洋", "刘"), ("静", "陈"), ("敏", "张"),
    ("磊", "杨"), ("秀英", "王"), ("建华", "刘"),
    ("伟", "张"), ("伟", "张"), ("芳", "王"), ("娜", "李"),                 # namesakes
    ("David", "Smith"), ("David", "Smith"), ("Emma", "Brown"), ("Emma", "Brown"),
)

_CN_MOBILE_PREFIXES = tuple([f"13{d}" for d in range(10)] + ["150", "151", "152", "155", "156", "157",
                            "158", "159"] + [f"18{d}" for d in range(10)] + ["176", "177", "198", "199"])
_US_AREAS = ("212", "646", "415", "650", "617", "206", "312", "213", "408", "917")
_UK_MOBILE = ("7400", "7500", "7700", "7800", "7900", "7450", "7520", "7830", "7950", "7960")
_CN_MAIL = ("qq.com", "163.com", "126.com", "foxmail.com", "sina.com", "gmail.com", "outlook.com")
_EN_MAIL = ("gmail.com", "outlook.com", "icloud.com", "yahoo.com", "hotmail.co.uk", "proton.me")
_DISTRICTS = (("黄浦区", "Huangpu"), ("静安区", "Jing'an"), ("徐汇区", "Xuhui"), ("长宁区", "Changning"),
              ("浦东新区", "Pudong"), ("虹口区", "Hongkou"), ("杨浦区", "Yangpu"), ("普陀区", "Putuo"))
_ROADS = (("南京东路", "East Nanjing Road"), ("淮海中路", "Middle Huaihai Road"), ("陆家嘴环路", "Lujiazui Ring Road"),
          ("延安西路", "West Yan'an Road"), ("四川北路", "North Sichuan Road"), ("世纪大道", "Century Avenue"),
          ("漕溪北路", "North Caoxi Road"), ("武宁路", "Wuning Road"))


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _fallback_search_names(given_name: str, family_name: str) -> tuple[str, str]:
    """Stand-in for ``core.customers.search_names`` while that module is not there yet."""
    from pypinyin import Style, lazy_pinyin
    syllables = [p for p in lazy_pinyin(family_name + given_name, style=Style.NORMAL, errors="ignore") if p]
    return " ".join(syllables), "".join(p[0] for p in syllables)


def _name_searcher() -> Callable[[str, str], tuple[str, str]]:
    try:
        from core.customers import search_names
    except ImportError as exc:
        if exc.name != "core.customers":     # a broken dependency of core.customers is a real error
            raise
        search_names = _fallback_search_names
    return functools.lru_cache(maxsize=None)(search_names)


@functools.lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _phone(rng: random.Random, kind: str) -> str:
    if kind == "CN":
        return f"+86{rng.choice(_CN_MOBILE_PREFIXES)}{rng.randrange(10 ** 8):08d}"
    if kind == "US":
        return f"+1{rng.choice(_US_AREAS)}{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(2, 9)}" \
               f"{rng.randrange(10 ** 4):04d}"
    return f"+44{rng.choice(_UK_MOBILE)}{rng.randrange(10 ** 6):06d}"


def _valid_phone(rng: random.Random, kind: str, taken: set[str]) -> str:
    while True:
        candidate = _phone(rng, kind)
        if candidate in taken:
            continue
        try:
            number = normalize_phone(candidate, region=STORE_COUNTRY)
        except ValidationError:        # an unlucky random number: draw again
            continue
        taken.add(number)
        return number


def _luhn(body: str) -> str:
    return body + str(luhn_check_digit(body))


def _imei(rng: random.Random, model: _Model, taken: set[str]) -> str:
    while True:
        imei = _luhn(model.tac + f"{rng.randrange(10 ** 6):06d}")
        if imei not in taken:
            taken.add(imei)
            return imei


_APPLE_SERIAL = "CDFGHJKLMNPQRTVWXY0123456789"
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _serial(rng: random.Random, model: _Model) -> str:
    if model.brand == "apple":
        length = 10 if model.release.year >= 2021 else 12
        return "".join(rng.choice(_APPLE_SERIAL) for _ in range(length))
    if model.brand == "samsung":
        return "R5C" + "".join(rng.choice(_ALNUM) for _ in range(8))
    if model.brand == "huawei":
        return "".join(rng.choice(_ALNUM) for _ in range(16))
    return "".join(rng.choice(_ALNUM) for _ in range(14))


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:                    # 29 February
        return d.replace(year=d.year + years, day=28)


def _member_number(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = _luhn(MEMBER_PREFIX + f"{rng.randrange(10 ** 8):08d}")
        if number not in taken:
            taken.add(number)
            return number


def tier_for_spend(spend_cents: int) -> str:
    return next(tier for tier, threshold in LOYALTY_TIERS if spend_cents >= threshold)


# --- trade-in price book ---------------------------------------------------------------

def price_book_rules(valid_from: date) -> dict[str, Any]:
    """The price book's ``rules`` JSON: how a quote goes from the answers to a value.

    Structure (all money in cents of ``currency``)::

        {
          "schema": 1,
          "currency": "CNY",
          "grades": ["like_new", "good", "fair", "damaged", "unusable"],   # best first
          "questions": [                       # asked in this order; every one must be answered
            {"key": "screen", "label": {"en": ..., "zh_CN": ...},
             "options": {"flawless": null, "light_scratches": "good", "cracked": "damaged", ...}},
            ...
          ],
          "age_adjustment": {"basis": "months_since_release",
                             "bands": [{"from_months": 0, "pct": 0}, {"from_months": 24, "pct": -5}, ...]},
          "battery_adjustment": {"question": "battery_health", "kinds": ["phone", ...],
                                 "bands": [{"min_health": 90, "pct": 0}, ..., {"min_health": 0, "pct": -15}],
                                 "unknown_pct": -10, "not_for_grades": ["unusable"]},
          "rounding_cents": 1000,              # round down to whole CNY 10 after adjustments
          "floor_cents": 0,
          "promotions": [{"code": ..., "label": {...}, "bonus_cents": 30000, "kinds": ["phone"],
                          "families": [...], "min_grade": "fair", "payouts": ["purchase"],
                          "valid_from": "YYYY-MM-DD", "valid_to": "YYYY-MM-DD"}],
          "payouts": ["store_credit", "voucher", "purchase"],
          "quote_valid_days": 7,
          "order": ["base", "age", "battery", "rounding", "promotion"]
        }

    Grading: each answer's option maps to the best grade the device can still get
    (``null``: no limit); the grade is the worst of these caps, ``like_new`` when
    there is none.  The cap ``"refuse"`` means the store must not take the device
    (activation lock on); an IMEI on the blocklist is refused the same way.

    Value: ``base`` is the ``PriceBookEntry.base_cents`` for the model (a model is one
    configuration) and grade.  ``age`` applies the ``pct`` of the band with the
    largest ``from_months`` not above the device's age in whole months since its
    model's ``release_date``; ``battery`` the ``pct`` of the first band whose
    ``min_health`` the reported health reaches (``unknown_pct`` when not measured),
    only for the listed kinds and not for the listed grades.  Both are applied to the
    base (not compounded), the sum rounded down to ``rounding_cents`` and kept at or
    above ``floor_cents``.  Then each promotion in force on the quote date whose
    kind, family, grade (``min_grade`` or better) and payout match adds its
    ``bonus_cents``; a quote without a chosen payout gets no bonus.  Every step is
    a line of the quote's ``breakdown``.
    """
    month_end = (valid_from.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return {
        "schema": 1,
        "currency": STORE_CURRENCY,
        "grades": list(GRADES),
        "questions": [
            {"key": "powers_on", "label": {"en": "Does it power on and start normally?",
                                           "zh_CN": "能否正常开机？"},
             "options": {"yes": None, "no": "unusable"}},
            {"key": "activation_lock", "label": {"en": "Find My / account lock removed?",
                                                 "zh_CN": "是否已退出账户并关闭查找功能？"},
             "options": {"off": None, "on": "refuse"}},
            {"key": "liquid_damage", "label": {"en": "Any sign of liquid damage?", "zh_CN": "是否有进水痕迹？"},
             "options": {"no": None, "yes": "unusable"}},
            {"key": "screen", "label": {"en": "Screen condition", "zh_CN": "屏幕状况"},
             "options": {"flawless": None, "light_scratches": "good", "deep_scratches": "fair",
                         "cracked": "damaged"}},
            {"key": "housing", "label": {"en": "Housing condition", "zh_CN": "外壳状况"},
             "options": {"flawless": None, "light_wear": "good", "dents": "fair", "cracked_or_bent": "damaged"}},
            {"key": "functions", "label": {"en": "Cameras, buttons, speakers, biometrics, charging",
                                           "zh_CN": "摄像头、按键、扬声器、面容/指纹、充电"},
             "options": {"all_work": None, "one_fault": "fair", "several_faults": "damaged"}},
        ],
        "age_adjustment": {"basis": "months_since_release",
                           "bands": [{"from_months": 0, "pct": 0}, {"from_months": 24, "pct": -5},
                                     {"from_months": 36, "pct": -10}, {"from_months": 48, "pct": -20}]},
        "battery_adjustment": {"question": "battery_health", "kinds": ["phone", "tablet", "watch", "laptop"],
                               "bands": [{"min_health": 90, "pct": 0}, {"min_health": 85, "pct": -5},
                                         {"min_health": 80, "pct": -10}, {"min_health": 0, "pct": -15}],
                               "unknown_pct": -10, "not_for_grades": ["unusable"]},
        "rounding_cents": 1000,
        "floor_cents": 0,
        "promotions": [{
            "code": f"UPGRADE-{valid_from:%Y-%m}",
            "label": {"en": "Upgrade bonus: CNY 300 extra towards a new phone",
                      "zh_CN": "以旧换新：购买新手机额外补贴 300 元"},
            "bonus_cents": 30000, "kinds": ["phone"],
            "families": ["iPhone", "Galaxy S", "Pixel", "HUAWEI Mate", "Xiaomi"],
            "min_grade": "fair", "payouts": ["purchase"],
            "valid_from": valid_from.isoformat(), "valid_to": month_end.isoformat(),
        }],
        "payouts": ["store_credit", "voucher", "purchase"],
        "quote_valid_days": 7,
        "order": ["base", "age", "battery", "rounding", "promotion"],
    }


def _grade(rules: dict[str, Any], answers: dict[str, Any]) -> str | None:
    """The grade the answers give, or None when the device must be refused."""
    grades = rules["grades"]
    worst = 0
    for q in rules["questions"]:
        cap = q["options"][answers[q["key"]]]
        if cap == "refuse":
            return None
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


# --- texts -------------------------------------------------------------------------------

_FAULTS = {
    "screen": (("Screen cracked after a drop; touch still works", "Replace display assembly"),
               ("屏幕摔裂，部分区域触摸失灵", "更换屏幕总成"),
               ("Green line across the display after a fall", "Replace display assembly")),
    "battery": (("Battery drains fast and shuts down at 20 %", "Battery health 71 %; replace battery"),
                ("电池不耐用，电量 30% 时自动关机", "电池健康度 74%，需更换电池"),
                ("Battery swollen; back glass lifting", "Swollen battery; replace battery")),
    "board": (("Does not charge with any cable", "Charging port board faulty; replace"),
              ("相机无法对焦，拍照模糊", "后置摄像头模组故障，需更换"),
              ("No power, no response to charger", "Power management short; board-level repair")),
    "laptop": (("Several keys stick or repeat", "Keyboard failure; replace top case"),
               ("键盘进了咖啡，部分按键失灵", "键盘进液，更换顶壳（含键盘）")),
    "unrepairable": (("Dropped into the sea; no power", "Heavy corrosion on the logic board; not economical to repair"),
                     ("手机进水后无法开机", "主板严重腐蚀，无维修价值")),
}
_NOTES = ("Prefers WeChat for updates.", "Asked for a call before any repair over ¥500.",
          "Company account: buys devices for a small design studio.", "需要开具增值税发票。",
          "Speaks English; prefers email.", "老顾客，喜欢在周末来店。", "Hard of hearing: please use SMS.",
          "Interested in trade-in when iPhone 17 launches.", "对上次维修速度很满意。")
_SURVEY_COMMENTS = ("Quick and friendly, thanks!", "维修很快，服务很好。", "Had to wait a bit past my slot.",
                    "技术人员解释得很清楚。", "", "", "Price was higher than expected.", "非常满意！")
_FEEDBACK = (("repair_delay", "Repair took longer than the promised three days."),
             ("pricing", "报价比电话里说的高。"),
             ("staff_conduct", "The associate was very helpful with my data transfer."),
             ("product_quality", "新换的电池两周后又出现自动关机。"),
             ("booking", "Online booking showed a slot that was not available."),
             ("repair_delay", "等配件等了一周，没有人主动通知我。"))


# --- build_demo ------------------------------------------------------------------------------

_NEVER = datetime.max.replace(tzinfo=timezone.utc)


def _local(tz: ZoneInfo, d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, dtime(hh, mm), tz).astimezone(timezone.utc)


def build_demo(db, *, customers: int = 2000, seed: int = 7, now: datetime | None = None) -> DemoInfo:
    """Fill an empty store database with a demo store; returns the store and its demo sign-ins.

    The store's history ends, and its diary starts, at ``now`` (the clock's moment when not
    given; every service the build calls reads the same moment).  Needs at least
    ``MIN_CUSTOMERS`` customers (there must be devices to repair).  Raises ``Conflict`` when
    the database already has a store.
    """
    if now is not None:
        with clock.pinned(now):
            return build_demo(db, customers=customers, seed=seed)
    if customers < MIN_CUSTOMERS:
        raise ValueError(f"the demo needs at least {MIN_CUSTOMERS} customers")
    started = time.perf_counter()
    rng = random.Random(seed)
    with db.session() as s:
        if staff_service.current_store(s) is not None:
            raise Conflict("the demo can only be built into an empty store database")
    admin_name, _, admin_pin, admin_password, _, _ = _STAFF[0]
    _, store_id, admin = staff_service.bootstrap_store(
        db, code=STORE_CODE, name=STORE_NAME, timezone=STORE_TZ, country=STORE_COUNTRY,
        admin_name=admin_name, admin_password=admin_password, admin_pin=admin_pin,
        currency=STORE_CURRENCY, opening_hours=OPENING_HOURS)
    team = [DemoStaff(admin_name, "1", Role.ADMIN.value, admin_pin, admin_password, (), admin.staff_id)]
    counts: dict[str, int] = {}
    with db.session(write=True) as s:
        store = s.get(Store, store_id)
        store.address = "上海市黄浦区南京东路 300 号 / 300 East Nanjing Road, Huangpu, Shanghai"
        store.phone = "+862163218800"
        for name, role, pin, password, skills, language in _STAFF[1:]:
            info = staff_service.create_staff(s, admin, display_name=name, role=role, password=password,
                                              pin=pin, skills=skills, language=language)
            team.append(DemoStaff(info.display_name, info.staff_number, role.value, pin, password,
                                  info.skills, info.id))
        builder = _Builder(s, rng, store_id, team, counts)
        builder.build(customers)
    with db.session(write=True) as s:
        # the loyalty rules HQ would publish, and tiers brought to what those rules give today
        from core import loyalty
        today = clock.today(STORE_TZ)
        loyalty.publish_rules(s, admin, version="2026.1", valid_from=today - timedelta(days=365),
                              rules=loyalty.DEFAULT_RULES)
        loyalty.daily_upkeep(s, admin)
    return DemoInfo(store_id=store_id, store_code=STORE_CODE, store_name=STORE_NAME, staff=tuple(team),
                    counts=tuple(sorted(counts.items())), seconds=round(time.perf_counter() - started, 2))


class _Builder:
    """One demo build: the random source, the clock, and what earlier steps made."""

    def __init__(self, session, rng: random.Random, store_id: uuid.UUID, team: list[DemoStaff],
                 counts: dict[str, int]):
        self.s = session
        self.rng = rng
        self.store_id = store_id
        self.tz = ZoneInfo(STORE_TZ)
        self.now = clock.now().replace(microsecond=0)
        self.today = self.now.astimezone(self.tz).date()
        self.counts = counts
        self.team = team
        self.techs = [m for m in team if m.role == Role.TECHNICIAN.value]
        self.counter_staff = [m.staff_id for m in team if m.role in (Role.ASSOCIATE.value, Role.MANAGER.value)]
        self.manager = next(m.staff_id for m in team if m.role == Role.MANAGER.value)
        self.search_names = _name_searcher()
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.imeis: set[str] = set()

    def add(self, label: str, objs: list) -> None:
        self.s.add_all(objs)
        self.counts[label] = self.counts.get(label, 0) + len(objs)

    def at_local(self, d: date, hh: int, mm: int = 0) -> datetime:
        return _local(self.tz, d, hh, mm)

    def days_ago(self, lo: float, hi: float) -> datetime:
        return self.now - timedelta(seconds=int(self.rng.uniform(lo, hi) * 86400))

    def build(self, n_customers: int) -> None:
        self.catalogue()
        self.s.flush()
        self.people(n_customers)
        self.s.flush()
        self.devices_and_more()
        self.s.flush()
        self.tickets()
        self.s.flush()
        self.trade_in()
        self.s.flush()
        self.rota_and_appointments()
        self.s.flush()
        self.loyalty()
        self.s.flush()
        self.surveys_and_feedback()
        self.s.flush()

    # --- catalogue ---------------------------------------------------------------------

    def catalogue(self) -> None:
        self.services = {code: ServiceType(code=code, name=name, duration_min=dur, buffer_min=buf,
                                           required_skill=skill, price_cents=price, is_repair=repair)
                         for code, name, dur, buf, skill, price, repair in _SERVICES}
        self.add("service_type", list(self.services.values()))
        self.parts = {sku: Part(sku=sku, name=name, price_cents=price, fits=fits)
                      for sku, name, price, fits, _ in _parts_catalogue()}
        self.add("part", list(self.parts.values()))

    # --- customers -------------------------------------------------------------------

    def _random_name(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            family = rng.choices(_CN_FAMILY, weights=_CN_FAMILY_W)[0]
            given = rng.choice(_CN_GIVEN_1) if rng.random() < 0.45 else rng.choice(_CN_GIVEN_2)
            return given, family
        return rng.choice(_EN_GIVEN), rng.choice(_EN_FAMILY)

    def _email(self, given: str, family: str, pinyin: str, chinese: bool) -> str:
        rng = self.rng
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
        while address in self.emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.emails.add(address)
        return normalize_email(address)

    def people(self, n: int) -> None:
        rng = self.rng
        names = list(_FIXED_NAMES[:n])
        while len(names) < n:
            names.append(self._random_name())
        rng.shuffle(names)
        self.customers: list[Customer] = []
        for given, family in names:
            chinese = _is_chinese(given + family)
            pinyin, initials = self.search_names(given, family) if chinese else ("", "")
            if chinese:
                phone_kind = "CN" if rng.random() < 0.97 else "US"
            else:
                phone_kind = rng.choices(("CN", "US", "UK"), weights=(60, 20, 20))[0]
            email = self._email(given, family, pinyin, chinese) if rng.random() < (0.75 if chinese else 0.9) \
                else None
            birth = None
            if rng.random() < 0.4:
                birth = self.today - timedelta(days=rng.randint(16 * 365, 80 * 365))
            address = ""
            if rng.random() < 0.3:
                (d_zh, d_en), (r_zh, r_en) = rng.choice(_DISTRICTS), rng.choice(_ROADS)
                num, room = rng.randint(1, 1500), rng.randint(101, 2808)
                address = (f"上海市{d_zh}{r_zh}{num}号{room}室" if chinese
                           else f"Room {room}, {num} {r_en}, {d_en}, Shanghai")
            created = self.days_ago(0.2, 4 * 365)
            self.customers.append(Customer(
                home_store_id=self.store_id, given_name=given, family_name=family, name_pinyin=pinyin,
                name_initials=initials, phone_e164=_valid_phone(rng, phone_kind, self.phones), email=email,
                address=address, language="zh_CN" if chinese else "en", birth_date=birth,
                created_at=created, updated_at=created))
        self.add("customer", self.customers)

    # --- devices, consents, purchases, notes -----------------------------------------

    def _pick_model(self, chinese: bool) -> _Model:
        weights = [m.weight * (2 if chinese and m.brand in ("huawei", "xiaomi") else 1) for m in _MODELS]
        return self.rng.choices(_MODELS, weights=weights)[0]

    def _purchase_date(self, model: _Model) -> date:
        start = max(model.release, self.today - timedelta(days=4 * 365))
        return start + timedelta(days=self.rng.randint(0, max(0, (self.today - start).days)))

    def devices_and_more(self) -> None:
        rng = self.rng
        self.devices: list[Device] = []
        self.device_model: dict[uuid.UUID, _Model] = {}
        self.purchases: list[Purchase] = []
        consents, notes = [], []
        for i, c in enumerate(self.customers):
            chinese = c.language == "zh_CN"
            n_dev = rng.choices((0, 1, 2, 3), weights=(35, 39, 19, 7))[0]
            models = [self._pick_model(chinese) for _ in range(n_dev)]
            if i == 0:       # tickets need a phone and a laptop to work on, however few customers there are
                models += [_MODEL_BY_NAME["iPhone 15"], _MODEL_BY_NAME["MacBook Air 13-inch (M2)"]]
            for model in models:
                bought = self._purchase_date(model)
                bought_at = self.at_local(bought, rng.randint(10, 18), rng.choice((0, 15, 30, 45)))
                registered = min(self.now, max(c.created_at, bought_at))
                coverage = _add_years(bought, 2) if model.brand == "apple" and rng.random() < 0.25 else None
                dev = Device(id=uuid7(), customer_id=c.id, kind=model.kind, model=model.name,
                             serial=_serial(rng, model),
                             imei=_imei(rng, model, self.imeis) if model.kind == "phone" else None,
                             purchase_date=bought, warranty_end=_add_years(bought, 1), coverage_end=coverage,
                             created_at=registered, updated_at=registered)
                self.devices.append(dev)
                self.device_model[dev.id] = model
                if rng.random() < 0.45:
                    config, retail, _ = rng.choice(model.configs)
                    self.purchases.append(Purchase(
                        customer_id=c.id, store_id=self.store_id, at=bought_at, description=f"{model.name} {config}",
                        sku=f"{model.code}-{config.replace(' ', '').replace('/', '-')}", total_cents=retail * 100))
            if rng.random() < 0.15:
                sku, desc, price = rng.choice(_ACCESSORIES)
                self.purchases.append(Purchase(customer_id=c.id, store_id=self.store_id,
                                               at=c.created_at + (self.now - c.created_at) * rng.random(),
                                               description=desc, sku=sku, total_cents=price))
            staff_id = rng.choice(self.counter_staff)
            channel = rng.choices(("in_store", "phone", "online"), weights=(80, 10, 10))[0]
            consents.append(Consent(customer_id=c.id, purpose="hq_transfer", granted=True,
                                    notice_version=NOTICE_VERSION, channel=channel, staff_id=staff_id,
                                    store_id=self.store_id, at=c.created_at))
            for purpose, p, usable in (("marketing_sms", 0.4, c.phone_e164), ("marketing_email", 0.35, c.email)):
                if usable and rng.random() < p:
                    consents.append(Consent(customer_id=c.id, purpose=purpose, granted=True,
                                            notice_version=NOTICE_VERSION, channel=channel, staff_id=staff_id,
                                            store_id=self.store_id, at=c.created_at))
                    if rng.random() < 0.1:     # later withdrawn: the newest row is in force
                        consents.append(Consent(customer_id=c.id, purpose=purpose, granted=False,
                                                notice_version=NOTICE_VERSION, channel="phone",
                                                staff_id=rng.choice(self.counter_staff), store_id=self.store_id,
                                                at=c.created_at + (self.now - c.created_at) * rng.random()))
            if rng.random() < 0.06:
                notes.append(CustomerNote(customer_id=c.id, staff_id=rng.choice(self.counter_staff),
                                          at=c.created_at + (self.now - c.created_at) * rng.random(),
                                          text=rng.choice(_NOTES)))
        self.add("device", self.devices)
        self.add("purchase", self.purchases)
        self.add("consent", consents)
        self.add("customer_note", notes)
        self.customer_by_id = {c.id: c for c in self.customers}

    # --- repair tickets --------------------------------------------------------------

    def _ticket_plan(self) -> list[str]:
        plan = {"new": 3, "diagnosing": 3, "awaiting_approval": 3, "awaiting_parts": 2, "in_repair": 3,
                "quality_check": 2, "ready": 4, "collected": max(12, len(self.customers) // 60), "cancelled": 3,
                "unrepairable": 2}
        # awaiting_parts first: it decides which parts are out of stock
        return [st for st in ("awaiting_parts", *[x for x in TICKET_STATUSES if x != "awaiting_parts"])
                for _ in range(plan[st])]

    def _path(self, status: str, chargeable: bool) -> list[str]:
        approval = ["awaiting_approval"] if chargeable else []
        repair = ["new", "diagnosing", *approval]
        if status in ("new", "diagnosing"):
            return repair[:repair.index(status) + 1]
        if status == "awaiting_approval":
            return ["new", "diagnosing", "awaiting_approval"]
        if status == "awaiting_parts":
            return [*repair, "awaiting_parts"]
        if status == "cancelled":
            return ["new", "diagnosing", "awaiting_approval", "cancelled"]
        if status == "unrepairable":
            return ["new", "diagnosing", "unrepairable"]
        via_parts = ["awaiting_parts"] if self.rng.random() < 0.25 else []
        flow = [*repair, *via_parts, "in_repair", "quality_check", "ready", "collected"]
        return flow[:flow.index(status) + 1]

    def _ticket_fault(self, status: str, out_of_stock: set[str]) -> tuple[str, Device, str | None]:
        """(fault kind, device, part sku or None) for a ticket that will reach ``status``."""
        rng = self.rng
        for _ in range(200):
            if status == "unrepairable":
                kind = "unrepairable"
            else:
                kind = rng.choices(("screen", "battery", "board", "laptop"), weights=(45, 30, 12, 13))[0]
            device = rng.choice(self.devices)
            model = self.device_model[device.id]
            if kind == "laptop" and model.kind != "laptop":
                continue
            if kind == "unrepairable":
                if model.kind != "phone":
                    continue
                return kind, device, None
            sku = {"screen": f"SCR-{model.code}", "battery": f"BAT-{model.code}",
                   "laptop": f"KBD-{model.code}"}.get(kind)
            if kind == "board":
                sku = rng.choice([p for p in ("PORT-GS23", "PORT-GS24", "CAM-IP14P", "CAM-IP15P")
                                  if self.parts[p].fits == model.name] or [None])
                if sku is None and model.kind != "phone":
                    continue
            if sku is not None and sku not in self.parts:
                continue
            if status == "awaiting_parts" and sku is None:
                continue
            if status == "in_repair" and sku in out_of_stock:   # its part is reserved from stock
                continue
            return kind, device, sku
        raise RuntimeError("could not find a device for a demo ticket")  # pragma: no cover

    def tickets(self) -> None:
        rng = self.rng
        tickets, events, repair_parts = [], [], []
        out_of_stock: set[str] = set()
        reserved: dict[str, int] = {}
        self.collected_tickets: list[RepairTicket] = []
        gaps = {"new": (0.1, 2), "diagnosing": (0.3, 6), "awaiting_approval": (0.5, 20),
                "awaiting_parts": (20, 96), "in_repair": (1, 8), "quality_check": (0.3, 3),
                "ready": (2, 72), "collected": (0, 0), "cancelled": (0, 0), "unrepairable": (0, 0)}
        idle = {"new": (0.02, 0.2), "diagnosing": (0.05, 0.5), "awaiting_approval": (0.2, 2),
                "awaiting_parts": (0.5, 4), "in_repair": (0.05, 1), "quality_check": (0.02, 0.3),
                "ready": (0.1, 5), "collected": (1, 150), "cancelled": (1, 60), "unrepairable": (1, 60)}
        for number, status in enumerate(self._ticket_plan(), start=1):
            kind, device, sku = self._ticket_fault(status, out_of_stock)
            model = self.device_model[device.id]
            part = self.parts.get(sku) if sku else None
            if status == "awaiting_parts" and sku:
                out_of_stock.add(sku)
            customer = self.customer_by_id[device.customer_id]
            fault, diagnosis = rng.choice(_FAULTS[kind])
            tech = rng.choice([t for t in self.techs if
                               (kind in t.skills or (kind == "unrepairable" and "board" in t.skills))]
                              or self.techs)
            # time line: back from the last step, which is some idle time before now
            steps = [timedelta(hours=rng.uniform(*gaps[st])) for st in self._path(status, True)[:-1]]
            last_at = self.now - timedelta(days=rng.uniform(*idle[status]))
            created = last_at - sum(steps, timedelta())
            created = max(created, device.created_at + timedelta(minutes=5))
            if created > self.now - timedelta(minutes=10):
                created = self.now - timedelta(minutes=30)
            day = created.astimezone(self.tz).date()
            if status in ("awaiting_approval", "cancelled"):
                warranty = "chargeable"
            elif kind in ("battery", "board") and device.warranty_end and device.warranty_end >= day:
                warranty = "in_warranty"
            elif kind in ("screen", "battery") and device.coverage_end and device.coverage_end >= day:
                warranty = "coverage"
            else:
                warranty = "chargeable"
            chargeable = warranty == "chargeable"
            path = self._path(status, chargeable)
            labour = {"screen": 15000, "battery": 10000, "board": 45000, "laptop": 30000,
                      "unrepairable": 0}[kind]
            covered = not chargeable
            quote = 0 if covered else labour + (part.price_cents if part else 0)
            t = RepairTicket(
                id=uuid7(), store_id=self.store_id, number=f"{STORE_CODE}-{number:06d}", customer_id=customer.id,
                device_id=device.id, technician_id=None if status == "new" else tech.staff_id, status=status,
                reported_fault=fault,
                intake_condition={"powers_on": kind not in ("unrepairable",) and rng.random() < 0.9,
                                  "screen": "cracked" if kind == "screen" else
                                  rng.choice(("flawless", "light_scratches")),
                                  "housing": rng.choice(("flawless", "light_wear", "dents")),
                                  "photos": rng.randint(0, 3)},
                accessories=rng.choice(("", "", "Case", "Charger and cable", "保护壳", "SIM tray pin")),
                approval_limit_cents=rng.choice((0, 0, 30000, 50000)),
                contact_preference=rng.choice(("sms", "sms", "phone", "email")),
                created_at=created)
            # walk the path
            at = created
            events_for: list[RepairEvent] = []
            prev = None
            for i, st in enumerate(path):
                if i:
                    at = at + timedelta(hours=rng.uniform(*gaps[path[i - 1]]))
                    at = min(at, self.now - timedelta(minutes=len(path) - i))
                who = (rng.choice(self.counter_staff) if st in ("new", "collected", "cancelled")
                       else self.manager if st == "quality_check" and rng.random() < 0.3 else tech.staff_id)
                note = {"new": "Checked in at the counter", "diagnosing": "Diagnosis started",
                        "awaiting_approval": "Quote sent to the customer",
                        "awaiting_parts": f"Part ordered: {sku}", "in_repair": "Repair started",
                        "quality_check": "Repair done; testing", "ready": "Passed checks; customer notified",
                        "collected": "Collected by customer", "cancelled": "Customer declined the quote",
                        "unrepairable": "Not economical to repair; device returned as is"}[st]
                events_for.append(RepairEvent(ticket_id=t.id, at=at, staff_id=who, from_status=prev, to_status=st,
                                              note=note))
                if prev == "awaiting_approval" and st != "cancelled":
                    t.approval, t.approval_at = "approved", at
                    t.approval_channel = rng.choice(("sms", "phone", "in_store"))
                if st == "cancelled":
                    t.approval, t.approval_at, t.approval_channel = "refused", at, rng.choice(("sms", "phone"))
                if st == "ready":
                    t.quality_check = {"passed": True, "by": str(who), "at": at.isoformat(),
                                       "checks": {"display": True, "touch": True, "cameras": True, "charging": True,
                                                  "speakers": True, "biometrics": True}}
                if st == "collected":
                    t.collected_at = at
                    t.collected_by = t.pickup_signature_name = customer.display_name
                prev = st
            events.extend(events_for)
            t.updated_at = events_for[-1].at
            t.due_at = created + timedelta(days=5 if "awaiting_parts" in path else 3)
            if status != "new":
                t.labour_cents = labour
            if "awaiting_approval" in path or (status not in ("new", "diagnosing") and covered):
                t.diagnosis = diagnosis
                t.quote_cents = quote
                t.warranty_decision = warranty
            elif status == "unrepairable":
                t.diagnosis, t.quote_cents, t.warranty_decision, t.labour_cents = diagnosis, 0, warranty, 0
            if status in ("ready", "collected"):
                t.payment_status = ("paid" if status == "collected" else "unpaid") if quote else "no_charge"
            tickets.append(t)
            if status == "collected":
                self.collected_tickets.append(t)
            # parts
            if part is not None and status not in ("new", "diagnosing", "unrepairable"):
                state = {"awaiting_approval": "quoted", "awaiting_parts": "quoted", "in_repair": "reserved",
                         "cancelled": "released"}.get(status, "consumed")
                if state == "reserved":
                    reserved[part.sku] = reserved.get(part.sku, 0) + 1
                repair_parts.append(RepairPart(ticket_id=t.id, part_id=part.id, quantity=1,
                                               price_cents=part.price_cents, covered=covered, state=state))
        stock = []
        for sku, part in self.parts.items():
            held = reserved.get(sku, 0)
            on_hand = 0 if sku in out_of_stock else held + rng.choice((0, 1, 2, 3, 4, 6, 8))
            stock.append(PartStock(store_id=self.store_id, part_id=part.id, on_hand=on_hand, reserved=held))
        self.add("repair_ticket", tickets)
        self.s.flush()
        self.add("repair_event", events)
        self.add("repair_part", repair_parts)
        self.add("part_stock", stock)
        # the next ticket opened at the counter (core.repairs._next_ticket_number) continues the series
        self.s.add(TicketCounter(store_id=self.store_id, next_number=len(tickets) + 1))

    # --- trade-in -----------------------------------------------------------------------

    def trade_in(self) -> None:
        rng = self.rng
        valid_from = self.today.replace(day=1)
        rules = price_book_rules(valid_from)
        book = PriceBook(id=uuid7(), version=f"{valid_from:%Y.%m}", valid_from=valid_from, valid_to=None,
                         currency=STORE_CURRENCY, rules=rules)
        self.add("price_book", [book])
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
        self.add("tradein_model", models)
        self.s.flush()
        self.add("price_book_entry", entries)
        blocked = [ImeiBlock(imei=_imei(rng, rng.choice([m for m in _MODELS if m.kind == "phone"]), self.imeis),
                             reason=reason, added_at=self.days_ago(1, 300))
                   for reason in ("stolen", "stolen", "lost", "unpaid", "lost")]
        lost = next((d for d in self.devices if d.imei), None)
        if lost is not None:      # a customer reported their own phone lost
            blocked.append(ImeiBlock(imei=lost.imei, reason="lost", added_at=self.days_ago(1, 30)))
        self.add("imei_blocklist", blocked)
        quotes = []
        plan = ("quoted", "quoted", "accepted", "accepted", "declined", "expired", "received", "requoted")
        traders = [c for c in self.customers if c.created_at < self.now - timedelta(days=20)] or self.customers
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
            created = self.days_ago(*age_days)
            payout = rng.choice(("purchase", "store_credit", "purchase", "voucher")) \
                if status in ("accepted", "received") else None
            value, breakdown = _price(rules, base_cents=values[grade], grade=grade, model=m, answers=answers,
                                      on=created.astimezone(self.tz).date(), payout=payout)
            customer = rng.choice(traders)
            q = TradeInQuote(
                id=uuid7(), store_id=self.store_id, customer_id=customer.id,
                staff_id=rng.choice(self.counter_staff), model_id=tm.id, price_book_id=book.id,
                imei=_imei(rng, m, self.imeis) if m.kind == "phone" else None,
                serial=_serial(rng, m), answers=answers, grade=grade, value_cents=value, breakdown=breakdown,
                expires_at=created + timedelta(days=rules["quote_valid_days"]), status=status,
                created_at=created, updated_at=created, payout=payout)
            if status in ("accepted", "received"):
                q.accepted_at = created + timedelta(minutes=rng.randint(5, 40))
                q.signature_name = customer.display_name
                q.updated_at = q.accepted_at
            quotes.append(q)
            if status == "requoted":       # the customer found a scratch was only a smudge: quoted again
                answers2 = dict(answers, screen="flawless")
                grade2 = _grade(rules, answers2)
                value2, breakdown2 = _price(rules, base_cents=values[grade2], grade=grade2, model=m,
                                            answers=answers2, on=created.astimezone(self.tz).date(), payout=None)
                at2 = created + timedelta(minutes=12)
                quotes.append(TradeInQuote(
                    id=uuid7(), store_id=self.store_id, customer_id=customer.id, staff_id=q.staff_id,
                    model_id=tm.id, price_book_id=book.id, imei=q.imei, serial=q.serial, answers=answers2,
                    grade=grade2, value_cents=value2, breakdown=breakdown2,
                    expires_at=at2 + timedelta(days=rules["quote_valid_days"]), status="quoted",
                    supersedes_id=q.id, created_at=at2, updated_at=at2))
        self.add("tradein_quote", quotes)

    # --- rota and appointments ------------------------------------------------------------

    def rota_and_appointments(self) -> None:
        rng = self.rng
        monday = self.today - timedelta(days=self.today.weekday())
        days = sorted({monday + timedelta(days=i) for i in range(7)}
                      | {self.today + timedelta(days=i) for i in range(-3, 4)})
        weekday_keys = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        open_days = [d for d in days if weekday_keys[d.weekday()] in OPENING_HOURS]
        shifts, appts = [], []
        services = list(self.services.values())
        by_age = sorted(self.customers, key=lambda c: c.created_at)
        joined = [c.created_at for c in by_age]
        for k, tech in enumerate(self.techs):
            day_off = (1 + 2 * k) % 6                     # tue, thu, sat, mon, ...
            start_h = 9 if k % 2 == 0 else 10
            break_start = (12 * 60) + 30 * (k % 4)
            can_do = [sv for sv in services if sv.required_skill is None or sv.required_skill in tech.skills]
            absent_day = open_days[len(open_days) // 2] if k == 0 else None
            for d in open_days:
                if d.weekday() == day_off:
                    continue
                shift_start = self.at_local(d, start_h)
                shift_end = self.at_local(d, start_h + 9)
                if d == absent_day:
                    shifts.append(Shift(store_id=self.store_id, staff_id=tech.staff_id, kind="absence",
                                        starts_at=shift_start, ends_at=shift_end, note="Training at HQ"))
                    continue
                b_start = self.at_local(d, break_start // 60, break_start % 60)
                b_end = b_start + timedelta(hours=1)
                shifts.append(Shift(store_id=self.store_id, staff_id=tech.staff_id, kind="work",
                                    starts_at=shift_start, ends_at=shift_end))
                shifts.append(Shift(store_id=self.store_id, staff_id=tech.staff_id, kind="break",
                                    starts_at=b_start, ends_at=b_end, note="Lunch"))
                cursor = shift_start
                while True:
                    if rng.random() < 0.4:
                        cursor += timedelta(minutes=rng.choice((15, 30, 45, 60)))
                    minute = (cursor.minute + 14) // 15 * 15
                    cursor = cursor.replace(minute=0, second=0) + timedelta(minutes=minute)
                    sv = rng.choice(can_do)
                    start, end = cursor, cursor + timedelta(minutes=sv.duration_min + sv.buffer_min)
                    if start < b_end and end > b_start:
                        cursor = b_end
                        continue
                    if end > shift_end:
                        break
                    cursor = end
                    if end <= self.now:
                        status = rng.choices(("completed", "no_show", "cancelled"), weights=(85, 10, 5))[0]
                    elif start <= self.now:
                        status = "in_service"
                    else:
                        status = rng.choices(("booked", "cancelled"), weights=(93, 7))[0]
                    walk_in = end <= self.now and status == "completed" and rng.random() < 0.15
                    booked_at = min(self.now, start - timedelta(hours=rng.uniform(0.5, 240))) if not walk_in \
                        else start - timedelta(minutes=rng.randint(2, 20))
                    known = bisect.bisect_right(joined, booked_at)
                    customer = None if walk_in or not known else by_age[rng.randrange(known)]
                    if customer is None and not walk_in:
                        walk_in, booked_at = True, start - timedelta(minutes=rng.randint(2, 20))
                    checked_in = (start - timedelta(minutes=rng.randint(0, 10))
                                  if status in ("completed", "in_service") else None)
                    appts.append(Appointment(
                        store_id=self.store_id, customer_id=customer.id if customer else None,
                        walk_in_name=rng.choice(("Walk-in", "刘先生", "Mr Harris", "陈女士")) if walk_in else None,
                        service_type_id=sv.id, technician_id=tech.staff_id, starts_at=start, ends_at=end,
                        status=status, source="walk_in" if walk_in else rng.choice(("phone", "online", "counter")),
                        checked_in_at=checked_in, notes="", created_at=booked_at,
                        updated_at=booked_at if status == "booked" else max(booked_at, min(self.now, end))))
        self.add("shift", shifts)
        self.add("appointment", appts)
        self.appointments = appts

    # --- loyalty -------------------------------------------------------------------------

    def loyalty(self) -> None:
        rng = self.rng
        accounts, entries, member_purchases, consents = [], [], [], []
        taken: set[str] = set()
        ticket_spend: dict[uuid.UUID, list[RepairTicket]] = {}
        for t in self.collected_tickets:
            if t.quote_cents:
                ticket_spend.setdefault(t.customer_id, []).append(t)
        purchases_by_customer: dict[uuid.UUID, list[Purchase]] = {}
        for p in self.purchases:
            purchases_by_customer.setdefault(p.customer_id, []).append(p)
        for c in self.customers:
            if rng.random() >= 0.3:
                continue
            enrolled = c.created_at + (self.now - c.created_at) * rng.uniform(0, 0.6)
            staff_id = rng.choice(self.counter_staff)
            acct = LoyaltyAccount(id=uuid7(), customer_id=c.id, member_number=_member_number(rng, taken),
                                  store_id=self.store_id, terms_version=LOYALTY_TERMS, enrolled_at=enrolled,
                                  created_at=enrolled, updated_at=enrolled)
            consents.append(Consent(customer_id=c.id, purpose="loyalty", granted=True, notice_version=NOTICE_VERSION,
                                    channel="in_store", staff_id=staff_id, store_id=self.store_id, at=enrolled))
            # what the member buys after joining: light, regular or heavy spenders
            profile = rng.choices(("light", "regular", "heavy"), weights=(60, 30, 10))[0]
            lo, hi = {"light": (0, 1), "regular": (1, 3), "heavy": (4, 8)}[profile]
            for _ in range(rng.randint(lo, hi)):
                at = enrolled + (self.now - enrolled) * rng.random()
                if profile != "light" and rng.random() < (0.7 if profile == "heavy" else 0.4):
                    m = rng.choice(_MODELS)
                    config, retail, _ = rng.choice(m.configs)
                    p = Purchase(customer_id=c.id, store_id=self.store_id, at=at, description=f"{m.name} {config}",
                                 sku=f"{m.code}-{config.replace(' ', '').replace('/', '-')}", total_cents=retail * 100)
                else:
                    sku, desc, price = rng.choice(_ACCESSORIES)
                    p = Purchase(customer_id=c.id, store_id=self.store_id, at=at, description=desc, sku=sku,
                                 total_cents=price)
                member_purchases.append(p)
                purchases_by_customer.setdefault(c.id, []).append(p)
            # the ledger, in time order: (at, kind, points, spend, ref_type, ref_id, reason)
            flow: list[tuple[datetime, str, int, int, str | None, uuid.UUID | None, str]] = [
                (enrolled, "bonus", WELCOME_BONUS, 0, None, None, "Welcome bonus")]
            for p in purchases_by_customer.get(c.id, []):
                if p.at >= enrolled:
                    flow.append((p.at, "earn", p.total_cents // 100, p.total_cents, "purchase", p.id, p.description))
            for t in ticket_spend.get(c.id, []):
                if t.collected_at and t.collected_at >= enrolled:
                    flow.append((t.collected_at, "earn", t.quote_cents // 100, t.quote_cents, "ticket", t.id,
                                 f"Repair {t.number}"))
            for _ in range(rng.choice((0, 0, 1, 2))):
                flow.append((enrolled + (self.now - enrolled) * rng.random(), "redeem", 0, 0, None, None, ""))
            flow.sort(key=lambda e: e[0])
            spend = 0
            lots: list[list] = []      # [expires_at, remaining points], soonest to expire first
            for at, kind, points, spent, ref_type, ref_id, reason in flow:
                entries += self._expire(acct, lots, at)
                balance = sum(lot[1] for lot in lots)
                if kind == "redeem":
                    want = rng.choice((500, 1000, 2000))
                    if balance < want:
                        continue
                    points, reason = -want, f"Redeemed for a ¥{want // 20} voucher"
                    self._consume(lots, want)
                else:
                    expires = None if kind == "bonus" else at + timedelta(days=POINTS_VALID_DAYS)
                    lots.append([expires or _NEVER, points])
                    spend += spent
                expires = None if kind in ("bonus", "redeem") else at + timedelta(days=POINTS_VALID_DAYS)
                entries.append(LoyaltyEntry(account_id=acct.id, kind=kind, points=points, reason=reason[:200],
                                            ref_type=ref_type, ref_id=ref_id, spend_cents=spent,
                                            store_id=self.store_id, staff_id=staff_id, at=at, expires_at=expires))
            entries += self._expire(acct, lots, self.now)
            acct.tier = tier_for_spend(spend)
            accounts.append(acct)
        self.add("purchase", member_purchases)
        self.add("consent", consents)
        self.add("loyalty_account", accounts)
        self.s.flush()
        self.add("loyalty_entry", entries)

    def _consume(self, lots: list[list], points: int) -> None:
        for lot in lots:
            used = min(lot[1], points)
            lot[1] -= used
            points -= used
        lots[:] = [lot for lot in lots if lot[1] > 0]

    def _expire(self, acct: LoyaltyAccount, lots: list[list], until: datetime) -> list[LoyaltyEntry]:
        out = []
        heapq.heapify(lots)        # lots carry their expiry first: the heap yields the oldest
        kept = []
        while lots:
            expires_at, remaining = heapq.heappop(lots)
            if expires_at <= until and remaining > 0:
                out.append(LoyaltyEntry(account_id=acct.id, kind="expire", points=-remaining,
                                        reason="Points expired", store_id=self.store_id, at=expires_at))
            elif remaining > 0:
                kept.append([expires_at, remaining])
        lots[:] = kept
        return out

    # --- surveys and feedback ---------------------------------------------------------------

    def surveys_and_feedback(self) -> None:
        rng = self.rng
        surveys, feedback = [], []
        for t in self.collected_tickets:
            at = t.collected_at + timedelta(hours=rng.uniform(2, 48))
            if rng.random() < 0.7 and at <= self.now:
                nps = rng.choices(range(11), weights=(1, 1, 1, 1, 1, 2, 3, 5, 10, 14, 16))[0]
                surveys.append(Survey(customer_id=t.customer_id, store_id=self.store_id, ticket_id=t.id, nps=nps,
                                      csat=min(5, max(1, round(nps / 2))), comment=rng.choice(_SURVEY_COMMENTS),
                                      at=at))
        for a in self.appointments:
            if a.status == "completed" and a.customer_id and rng.random() < 0.3:
                at = min(self.now, a.ends_at + timedelta(hours=rng.uniform(1, 24)))
                csat = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 8, 12))[0]
                surveys.append(Survey(customer_id=a.customer_id, store_id=self.store_id, appointment_id=a.id,
                                      csat=csat, nps=None, comment=rng.choice(_SURVEY_COMMENTS), at=at))
        for category, text in _FEEDBACK:
            created = self.days_ago(0.2, 20)
            due = created + timedelta(hours=48)
            status = "resolved" if rng.random() < 0.5 and due < self.now else "open"
            customer = rng.choice(self.customers)
            feedback.append(Feedback(customer_id=customer.id, store_id=self.store_id, category=category, text=text,
                                     due_at=due, status=status, escalated=status == "open" and due < self.now,
                                     created_at=created, updated_at=created))
        self.add("survey", surveys)
        self.add("feedback", feedback)


# --- seed_large --------------------------------------------------------------------------------

_SAFE_CN_PREFIXES = tuple(p for p in _CN_MOBILE_PREFIXES if p[:2] in ("13", "15", "18"))
_PERMUTE = 48_271          # odd and not a multiple of 5: a bijection on 0..10**k-1


def _permuted(index: int, digits: int, salt: int) -> str:
    mod = 10 ** digits
    return f"{(index * _PERMUTE + salt) % mod:0{digits}d}"


def seed_large(db, *, customers: int, seed: int = 11, batch: int = 20000,
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
            for model, rows in ((Customer, cust_rows), (Device, dev_rows), (LoyaltyAccount, acct_rows),
                                (LoyaltyEntry, entry_rows)):
                if rows:
                    s.execute(insert(model).execution_options(render_nulls=True), rows)
        done += n
        if progress is not None:
            progress(done, customers)
