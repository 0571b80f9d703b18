"""The starter set of HQ's rules for the customer's voice: a response script for every
complaint category in English and Chinese, the complaint rules by severity, and the care
settings at their defaults.

One data module that both demos read: the store's demo seeds these rows into its own
database (``core.demo.feedback``, so it works before its first sync) and HQ's demo publishes the same rows
(``hq.demo``), so they also arrive by sync. Each row's id is derived from its natural key
(:func:`row_id`), so the store's copy and HQ's are one row, never two rows with the same
category and language."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from core.care import CATEGORIES
from core.care.rules import DEFAULT_RULES, SETTINGS, Rule, Script

LANGUAGES = ("en", "zh_CN")

# category -> language -> (acknowledge, ask, offer, escalate)
_TEXTS: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "product": {
        "en": (
            "Thank you for bringing this to us: a device that lets you down is frustrating, and we will look "
            "into it properly. Let me write down exactly what happened.",
            "Ask for the model, the serial number or IMEI, the purchase date and the receipt or order number. "
            "Ask when the fault started and how often it happens, and look up the device's history first.",
            "You may offer a re-check on the bench at no charge and, if one is available, a loan device while "
            "it is with us. Warranty repairs and replacements follow the warranty decision: never promise a "
            "refund or a new device yourself.",
            "Call the manager at once for anything unsafe (a swollen or hot battery, smoke, a burn). Escalate "
            "when the fault returns after our repair, when the customer mentions legal action or the press, or "
            "when this is their second complaint.",
        ),
        "zh_CN": (
            "感谢您专门来告诉我们。设备出了问题确实让人着急，我们一定认真处理。我先把具体情况记下来。",
            "请询问型号、序列号或 IMEI、购买日期，以及购物小票或订单号；再问清故障从什么时候开始、多久出现一次。"
            "先在系统里查看这台设备的维修记录。",
            "可以当场免费复检；如有备用机，可在维修期间借给顾客使用。保修内的维修或更换以保修判定为准，"
            "不要自行承诺退款或换新机。",
            "凡有安全隐患（电池鼓包或发烫、冒烟、烫伤），立即请店长处理。我们修过后同一故障再次出现、"
            "顾客提到法律途径或媒体，或这已是顾客第二次投诉时，请上报。",
        ),
    },
    "service": {
        "en": (
            "I am sorry our service fell short of what you expected, and thank you for telling us. I would "
            "like to understand what happened so that we can put it right.",
            "Ask for the ticket or appointment number, the day and time of the visit, and what we promised "
            "(a time, a price, a call back). Write down what happened in the customer's own words; do not "
            "argue about who said what.",
            "You may apologise, offer a priority slot for the next visit and a call back at a time the "
            "customer chooses. Discounts or vouchers beyond what store policy allows need the manager.",
            "Escalate to the manager when a member of staff is accused of rudeness or misconduct, when we "
            "broke a promise more than once, or when the customer asks for compensation. A second complaint "
            "about the same visit goes to the manager the same day.",
        ),
        "zh_CN": (
            "很抱歉这次服务没有达到您的期望，也谢谢您愿意告诉我们。我想先了解一下经过，好把事情处理妥当。",
            "请询问工单号或预约号、到店的日期和时间，以及我们当时承诺了什么（时间、价格、回电）。"
            "按顾客的原话记录经过，不要争论谁说了什么。",
            "可以向顾客道歉，为下次到店安排优先时段，并在顾客方便的时间回电。超出门店政策的折扣或代金券须经店长同意。",
            "顾客投诉员工态度或行为不当、我们不止一次没有兑现承诺，或顾客提出赔偿要求时，请上报店长。"
            "同一次服务被第二次投诉的，当天交给店长。",
        ),
    },
    "technical": {
        "en": (
            "Thank you for your patience; I understand the device still does not work as it should. Let us "
            "find out together exactly what is going on.",
            "Ask for the repair's ticket number, the model and IMEI or serial number, the software version and "
            "the exact symptoms: when it happens and what the customer was doing. If it is safe, try to "
            "reproduce the fault with the customer.",
            "You may offer a diagnostic re-check by a technician at no charge, a backup of the data first if "
            "the customer agrees, and a loan device if one is available. Do not promise a repair date before "
            "a technician has seen it.",
            "Escalate when the fault returns within the repair warranty, when a part we fitted may be unsafe, "
            "or when the customer's data may have been lost or seen by someone else. Any sign of data "
            "exposure goes to the manager the same day.",
        ),
        "zh_CN": (
            "感谢您的耐心。我明白设备到现在还不能正常使用，我们一起把问题查清楚。",
            "请询问维修工单号、型号和 IMEI 或序列号、系统版本，以及具体症状：什么时候出现、当时在做什么操作。"
            "在安全的前提下，可以和顾客一起试着重现故障。",
            "可以安排技术员免费复检；征得顾客同意后，先备份数据再继续处理；如有备用机可以借用。"
            "技术员检查之前，不要承诺修好的日期。",
            "故障在维修保修期内再次出现、我们装上的配件可能不安全，或顾客数据可能丢失、被他人看到时，请上报。"
            "凡有数据泄露迹象的，当天交给店长。",
        ),
    },
    "billing": {
        "en": (
            "Thank you for checking this with us; an unexpected charge is worrying, I understand. Let us go "
            "through it together.",
            "Ask for the ticket or receipt number, the amount charged and the amount the customer expected, the "
            "payment method and the day of payment. Compare it with the quote the customer approved.",
            "If the charge differs from the approved quote, you may issue a corrected invoice and refund the "
            "difference to the original payment method, within the limit policy allows. Never give cash "
            "above that limit, and never refund to another card or account.",
            "Call the manager when the amount is above your refund limit, when a payment may have been taken "
            "twice, or when the customer has disputed the charge with the bank or mentions legal action.",
        ),
        "zh_CN": (
            "谢谢您来核对。突然多出一笔费用，换谁都会担心，我们一起来看一下。",
            "请询问工单号或小票号、实际收取的金额和顾客预期的金额、付款方式和付款日期，并与顾客确认过的报价核对。",
            "如果收费与已确认的报价不符，可以开具更正后的发票，并在政策允许的额度内按原付款方式退还差额。"
            "超出额度的不得退现金，也不得退到其他银行卡或账户。",
            "金额超出你的退款权限、可能重复扣款，或顾客已向银行申请拒付、提到法律途径时，请找店长。",
        ),
    },
    "privacy": {
        "en": (
            "Thank you for raising this with us; we take the protection of your personal data seriously. I "
            "will record your concern and make sure the manager sees it today.",
            "Ask what data is concerned (contact details, photos, messages, the device's contents), when and "
            "how the customer noticed, and which visit or ticket it relates to. Never ask for passwords, PINs "
            "or verification codes, and do not open the customer's accounts or files.",
            "You may explain how the store keeps and erases personal data, and offer a copy of what we hold or "
            "its erasure through a privacy request. Do not offer compensation or admit fault: the manager "
            "decides.",
            "Every privacy complaint goes to the manager the same day, and to the region when data may have "
            "been exposed. If the device is still in the store, set it aside and leave its data alone until "
            "the manager has decided.",
        ),
        "zh_CN": (
            "谢谢您告诉我们。我们非常重视您的个人信息保护，我会把您的问题记录下来，并确保店长今天就能看到。",
            "请询问涉及哪些数据（联系方式、照片、聊天记录、设备里的内容）、顾客是何时、如何发现的，"
            "以及与哪次到店或哪张工单有关。绝不要询问密码、锁屏密码或验证码，也不要打开顾客的账户或文件。",
            "可以向顾客说明门店如何保存和删除个人信息，并通过隐私申请为顾客提供我们所存数据的副本或予以删除。"
            "不要提出赔偿，也不要自行认错，由店长决定。",
            "所有隐私投诉当天交给店长；数据可能已经泄露的，还要上报区域。设备如仍在店内，请单独存放，"
            "店长决定之前不要动其中的数据。",
        ),
    },
}

STARTER_SCRIPTS: tuple[Script, ...] = tuple(
    Script(category, language, *_TEXTS[category][language]) for category in CATEGORIES for language in LANGUAGES)
STARTER_RULES: dict[str, Rule] = dict(DEFAULT_RULES)
STARTER_SETTINGS: dict[str, int] = {key: default for key, (default, _, _, _) in SETTINGS.items()}

assert set(_TEXTS) == set(CATEGORIES) and all(set(t) == set(LANGUAGES) for t in _TEXTS.values())

# the ids of the starter rows: one per natural key, the same at the store and at HQ
_NAMESPACE = uuid.UUID("5b0c3f5e-5d55-4c8e-9a55-0a1c2a2e2115")


def row_id(entity: str, *key: str) -> uuid.UUID:
    """The id of the starter row of ``entity`` with the natural key ``key``."""
    return uuid.uuid5(_NAMESPACE, ":".join((entity, *key)))


def starter_rows(now: datetime) -> list[tuple[str, dict[str, Any]]]:
    """Every starter row as (entity, its whole data with its id), stamped ``now``."""
    stamp = {"created_at": now, "updated_at": now}
    rows: list[tuple[str, dict[str, Any]]] = []
    for r in STARTER_RULES.values():
        rows.append(("complaint_rule", {
            "id": row_id("complaint_rule", r.severity), "severity": r.severity, "resolve_hours": r.resolve_hours,
            "business_hours": r.business_hours, "escalate_at_once": r.escalate_at_once,
            "escalate_overdue_hours": r.escalate_overdue_hours, **stamp}))
    for sc in STARTER_SCRIPTS:
        rows.append(("response_script", {
            "id": row_id("response_script", sc.category, sc.language), "category": sc.category,
            "language": sc.language, "acknowledge": sc.acknowledge, "ask": sc.ask, "offer": sc.offer,
            "escalate": sc.escalate, **stamp}))
    for key, value in STARTER_SETTINGS.items():
        rows.append(("care_setting", {"id": row_id("care_setting", key), "key": key, "value": value, **stamp}))
    return rows


def natural_key(entity: str, data: dict[str, Any]) -> tuple[str, ...]:
    """A starter row's natural key (what its table keeps unique besides the id)."""
    if entity == "complaint_rule":
        return (str(data["severity"]),)
    if entity == "response_script":
        return str(data["category"]), str(data["language"])
    if entity == "care_setting":
        return (str(data["key"]),)
    raise ValueError(f"not a starter entity: {entity!r}")


__all__ = ["LANGUAGES", "STARTER_RULES", "STARTER_SCRIPTS", "STARTER_SETTINGS", "natural_key", "row_id",
           "starter_rows"]
