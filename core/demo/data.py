"""The demo store as data: its settings, staff, catalogue, names, price book rules and texts.

Pure tables (no database, no randomness); the builder modules beside it draw from them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core.permissions import Role

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
            {"key": "activation_lock", "label": {"en": "Is Find My / activation lock turned off?", ...},
             "options": {"off": null, "on": "refuse"},
             "yes_no": ["off", "on"]},        # a yes/no question: the options meaning Yes and No
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
                                           "zh_CN": "是否能正常开机？"},
             "options": {"yes": None, "no": "unusable"}},
            {"key": "activation_lock", "label": {"en": "Is Find My / activation lock turned off?",
                                                 "zh_CN": "查找功能 / 激活锁是否已关闭？"},
             "options": {"off": None, "on": "refuse"}, "yes_no": ["off", "on"]},
            {"key": "liquid_damage", "label": {"en": "Is there any sign of liquid damage?",
                                               "zh_CN": "是否有进水痕迹？"},
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
# survey comments by tone (a promoter's, a passive's, a detractor's answer), then language;
# "" is an answer left without a comment
_SURVEY_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "good": {"en": ("Quick and friendly, thanks!", "Fixed the same day, great service.",
                    "The technician explained everything clearly.", "", ""),
             "zh_CN": ("维修很快，服务很好。", "技术人员解释得很清楚。", "非常满意！", "", "")},
    "fair": {"en": ("Had to wait a bit past my slot.", "Fine, but the queue was long.", ""),
             "zh_CN": ("等的时间有点长，不过修得不错。", "还可以，就是价格稍微贵了一点。", "")},
    "poor": {"en": ("Price was higher than expected.", "Nobody called me when the part arrived.",
                    "The phone still overheats after the repair.", ""),
             "zh_CN": ("报价比电话里说的高。", "修好没几天又出现同样的问题。", "取机时等了四十分钟，没人解释原因。", "")},
}
# complaints: (their clock's state at the demo's now, channel, category, severity, the customer's words);
# category and severity are how the manager classified it ("" while it waits to be classified)
_FEEDBACK = (("classify_soon", "counter", "", "", "新换的电池两周后又出现自动关机。"),
             ("classify_overdue", "email", "", "", "The invoice shows a diagnostic fee I was told would be waived."),
             ("due_tomorrow", "phone", "service", "minor", "等配件等了一周，没有人主动通知我。"),
             ("overdue", "counter", "technical", "moderate",
              "After the screen repair the touch stops responding near the top edge."),
             ("escalated", "counter", "privacy", "major", "取回手机后发现相册里有照片被打开和删除过。"),
             ("follow_up", "counter", "billing", "minor", "报价比电话里说的高。"),
             ("closed", "phone", "service", "moderate", "Repair took longer than the promised three days."),
             ("history", "counter", "technical", "minor", "Online booking showed a slot that was not available."),
             ("history", "counter", "service", "minor", "取机时排队等了四十分钟，店里只有一个人在忙。"),
             ("history", "email", "product", "moderate", "The replacement charger stopped working after a week."))
