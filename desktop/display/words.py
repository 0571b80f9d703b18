"""The customer display's own words, in the CUSTOMER's language.

The app's Qt translator follows the associate's language, one for the whole app, while the
display speaks the customer's (``Customer.language``, else the store's): so the display's
sentences are here, keyed by language, not behind ``self.tr``. What the paper prints as
well (the quote's lines, the trade-in declaration, the loyalty terms) is not repeated here:
it comes from the documents' catalogue (``reports.i18n``) and the loyalty rules, so screen
and paper say the same thing."""

from __future__ import annotations

from typing import Any

from reports import i18n

LANGUAGES = ("en", "zh_CN")

EN: dict[str, str] = {
    "window_title": "Customer display",
    "welcome": "Welcome to {store}",
    "welcome_hint": "What you are asked to read, approve or sign appears here.",
    "back": "Back to the associate",
    # repair quote
    "quote_title": "Your repair quote",
    "quote_ticket": "Repair {number} · {device}",
    "quote_question": "Do you approve this repair for {amount}?",
    "approve": "Approve",
    "decline": "Decline",
    # trade-in
    "tradein_title": "Our offer for your device",
    "tradein_offer": "We offer {amount} for your {device}.",
    "tradein_valid": "Valid until {date}",
    "tick_each": "Please tick each statement to accept the offer.",
    "declare_owner": "This device is mine to sell, not lost or stolen and not under a finance agreement.",
    "declare_wiped": "I have removed my accounts (Find My / activation lock) and my personal data.",
    "accept": "Accept the offer",
    # loyalty terms and consents
    "terms_title": "Membership terms",
    "terms_version": "Version {version}",
    "consent_programme": "I have read the terms and agree to join (required)",
    "consent_sms": "Send me offers and news by SMS (optional)",
    "consent_email": "Send me offers and news by email (optional)",
    "consent_note": "Offers and news are separate from membership: you may join without them and withdraw "
                    "them at any time.",
    "agree": "Agree",
    "not_now": "Not now",
    # signature
    "sign_title": "Please sign",
    "sign_pickup": "Sign to confirm that you collected your device.",
    "sign_here": "Sign here",
    "clear": "Clear",
    "done": "Done",
    # survey
    "survey_title": "How did we do today?",
    "nps_question": "How likely are you to recommend us to a friend or colleague?",
    "nps_low": "0 = not at all likely",
    "nps_high": "10 = extremely likely",
    "csat_question": "How satisfied are you with today's visit?",
    "csat_1": "Very unhappy", "csat_2": "Unhappy", "csat_3": "Neutral", "csat_4": "Happy", "csat_5": "Very happy",
    "comment": "Anything you would like to tell us? (optional)",
    "submit": "Submit",
    "thanks": "Thank you!",
    "thanks_hint": "Your answer helps us do better.",
}

ZH: dict[str, str] = {
    "window_title": "顾客显示屏",
    "welcome": "欢迎光临{store}",
    "welcome_hint": "需要您阅读、确认或签名的内容会显示在这里。",
    "back": "交还店员",
    "quote_title": "您的维修报价",
    "quote_ticket": "维修单 {number} · {device}",
    "quote_question": "您是否同意以 {amount} 进行此项维修？",
    "approve": "同意维修",
    "decline": "不同意",
    "tradein_title": "您设备的回收报价",
    "tradein_offer": "您的 {device} 回收价为 {amount}。",
    "tradein_valid": "有效期至 {date}",
    "tick_each": "请逐项勾选以下声明以接受报价。",
    "declare_owner": "本设备归我所有、可以出售，未挂失或被盗，也没有分期付款未结清。",
    "declare_wiped": "我已退出我的账户（查找我的设备／激活锁）并清除了个人数据。",
    "accept": "接受报价",
    "terms_title": "会员条款",
    "terms_version": "版本 {version}",
    "consent_programme": "我已阅读条款并同意加入会员（必选）",
    "consent_sms": "通过短信接收优惠和资讯（可选）",
    "consent_email": "通过电子邮件接收优惠和资讯（可选）",
    "consent_note": "优惠资讯与会员资格相互独立：不接收也可以加入会员，并可随时撤回。",
    "agree": "同意",
    "not_now": "暂不",
    "sign_title": "请签名",
    "sign_pickup": "请签名确认您已取回设备。",
    "sign_here": "请在此签名",
    "clear": "清除",
    "done": "完成",
    "survey_title": "今天的服务怎么样？",
    "nps_question": "您有多大可能向朋友或同事推荐我们？",
    "nps_low": "0 = 完全不可能",
    "nps_high": "10 = 非常可能",
    "csat_question": "您对今天的服务满意吗？",
    "csat_1": "很不满意", "csat_2": "不满意", "csat_3": "一般", "csat_4": "满意", "csat_5": "很满意",
    "comment": "还有什么想告诉我们的吗？（可选）",
    "submit": "提交",
    "thanks": "谢谢！",
    "thanks_hint": "您的意见帮助我们做得更好。",
}

STRINGS = {"en": EN, "zh_CN": ZH}


def language(code: str | None) -> str:
    """One of ``LANGUAGES`` for a customer's (or store's) language code: any Chinese is zh_CN."""
    if code and code.lower().startswith("zh"):
        return "zh_CN"
    return "en"


def say(lang: str, key: str, **params: Any) -> str:
    """The display's sentence ``key`` in ``lang`` (English when the language lacks it)."""
    text = STRINGS.get(language(lang), EN).get(key) or EN[key]
    return text.format(**params) if params else text


def paper(lang: str, key: str, **params: Any) -> str:
    """A sentence the paper prints too, from the documents' own catalogue."""
    return i18n.t(language(lang), key, **params)


def missing(lang: str) -> list[str]:
    return sorted(set(EN) - set(STRINGS[lang]))
