"""The programme's rules and the ledger as pure functions: no session, no clock.

``DEFAULT_RULES`` is the rules JSON (HQ publishes versions of it) and ``parse_rules`` reads
and checks it into ``Rules``.  The ledger is replayed from ``Line`` values: ``ledger_state``
gives the lots and what is left of each, ``due_expiries`` what is owed to expiry,
``tier_at`` the tier at a moment (rolling spend, calendar periods in a time zone).  Ids of
entries that record a fact about a reference come from ``fact_id``; ``parse_card_code``
and ``card_payload`` read and write what a member card carries."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from core import money
from core.errors import ValidationError
from core.validation import is_luhn_valid

UTC = timezone.utc
NEVER = datetime.max.replace(tzinfo=UTC)
CARD_PREFIX = "ORCHARD:M:"
MEMBER_PREFIX = "8800"
KINDS = ("earn", "redeem", "expire", "adjust", "bonus")
EARN_REFS = ("ticket", "purchase")
CHANNELS = ("in_store", "phone", "online")
# a customer who joins at the till after paying earns for what was just bought
EARN_BEFORE_ENROLMENT = timedelta(days=1)
# ids of entries that record a fact about a reference are derived from it (see core.loyalty)
_NS = uuid.UUID("6f1c9a52-3d0e-4b8e-9a57-0b4c1e7d2a11")


def fact_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_NS, ":".join(str(p) for p in parts))


# --- the rules ---------------------------------------------------------------------------------

_TERMS_EN = "\n".join((
    'Orchard Rewards: programme terms (version 2026-01)',
    '',
    '1. Membership is free and open to every customer. Your member number and card identify you in every '
    'Orchard store.',
    '2. You earn 1 point for each whole ¥1 you spend on purchases and repairs in our stores. Points are added '
    'when a purchase is paid or a repair is collected.',
    '3. On joining you receive 200 welcome points. Trading in a device earns 300 bonus points; in your '
    'birthday month you can collect 100 birthday points once a year. Bonus points do not expire.',
    '4. Earned points expire 730 days after the day they were earned. When you redeem, the points that expire '
    'soonest are used first.',
    '5. 100 points are worth ¥5 off a purchase or repair. Points are redeemed in steps of 100 and never beyond '
    'your balance. Points have no cash value and cannot be transferred.',
    '6. Tiers follow your spend in the last 12 months: Gold from ¥10,000, Platinum from ¥25,000. A higher tier '
    'applies at once; a tier is reviewed at the end of each calendar quarter. Gold members get priority at the '
    'repair counter and 10% off repair labour; Platinum members priority and 15% off.',
    '7. To run the programme we keep your points, purchases and repairs. We send marketing messages only if '
    'you agree to them separately; you can withdraw that consent at any time without leaving the programme.',
    '8. Orchard may change these terms with notice; the version you agreed to is kept with your membership.',
))

_TERMS_ZH = """Orchard 会员计划：会员条款（版本 2026-01）

1. 入会免费，所有顾客均可加入。会员号和会员卡在所有 Orchard 门店通用。
2. 在门店购物或维修，每消费满 1 元积 1 分。购物付款或取回维修设备时积分到账。
3. 入会即赠 200 欢迎积分。以旧换新可得 300 奖励积分；生日当月每年可领取一次 100 生日积分。奖励积分不会过期。
4. 消费积分自获得之日起 730 天后过期。兑换时优先使用最先到期的积分。
5. 每 100 积分可抵扣 5 元购物或维修费用。积分以 100 为单位兑换，不得超过余额。积分不可兑现，不可转让。
6. 会员等级按最近 12 个月的消费确定：满 10,000 元为金卡，满 25,000 元为白金卡。升级即时生效；等级在每个自然季度末复核。金卡会员维修优先并享维修工时 9 折；白金卡会员维修优先并享 85 折。
7. 为运营会员计划，我们会保存您的积分、购物和维修记录。只有在您另行同意后，我们才会向您发送营销信息；您可随时撤回该同意，而不影响会员资格。
8. Orchard 可在提前通知后修改本条款；您同意的条款版本将与您的会员资料一起保存。"""

DEFAULT_RULES: dict[str, Any] = {
    # Structure of the rules JSON (``LoyaltyRules.rules``); money in cents of ``currency``:
    "schema": 1,
    "version": "2026.1",
    "currency": "CNY",
    "programme": {"en": "Orchard Rewards", "zh_CN": "Orchard 会员计划"},
    # what the customer agrees to; the version is recorded on the account and the consents
    "terms": {"version": "2026-01", "text": {"en": _TERMS_EN, "zh_CN": _TERMS_ZH}},
    # points = spend_cents // unit_cents * points_per_unit[reference type]
    "earn": {"unit_cents": 100, "points_per_unit": {"purchase": 1, "ticket": 1}},
    "bonuses": {"welcome": 200, "birthday": 100, "tradein": 300},
    # entries of these kinds expire ``days`` after they were made; the rest never
    "expiry": {"days": 730, "kinds": ["earn"]},
    # redeem at least ``min_points``, in steps of ``step``; a point is worth ``cents_per_point``
    "redeem": {"min_points": 100, "step": 100, "cents_per_point": 5},
    # tiers best first; the last must start at 0
    "tiers": {
        "basis": "rolling_spend", "window_days": 365, "review_months": 3,
        "levels": [
            {"code": "platinum", "min_spend_cents": 2_500_000,
             "benefits": {"priority_queue": True, "repair_discount_pct": 15}},
            {"code": "gold", "min_spend_cents": 1_000_000,
             "benefits": {"priority_queue": True, "repair_discount_pct": 10}},
            {"code": "silver", "min_spend_cents": 0,
             "benefits": {"priority_queue": False, "repair_discount_pct": 0}},
        ],
    },
}


@dataclass(frozen=True)
class Benefits:
    priority_queue: bool = False
    repair_discount_pct: int = 0


@dataclass(frozen=True)
class Tier:
    code: str
    min_spend_cents: int
    benefits: Benefits


@dataclass(frozen=True)
class Rules:
    version: str
    currency: str
    programme: dict[str, str]
    terms_version: str
    terms: dict[str, str]
    unit_cents: int
    points_per_unit: dict[str, int]
    welcome_bonus: int
    birthday_bonus: int
    tradein_bonus: int
    expiry_days: int
    expiring_kinds: tuple[str, ...]
    redeem_min: int
    redeem_step: int
    cents_per_point: int
    window_days: int
    review_months: int
    tiers: tuple[Tier, ...]            # best first

    def tier(self, code: str) -> Tier:
        return next((t for t in self.tiers if t.code == code), self.tiers[-1])

    def rank(self, code: str) -> int:
        """Higher is better; unknown codes rank lowest."""
        codes = [t.code for t in self.tiers]
        return len(codes) - codes.index(code) if code in codes else 0


def parse_rules(data: dict[str, Any]) -> Rules:
    """Read (and check) a rules JSON; ``ValidationError("rules", ...)`` when it is not usable."""
    def bad() -> ValidationError:
        return ValidationError("rules", "are not valid loyalty rules")
    try:
        if data.get("schema") != 1:
            raise bad()
        terms = data["terms"]
        earn, bonuses, expiry, redeem, tiers = (data["earn"], data["bonuses"], data["expiry"], data["redeem"],
                                                data["tiers"])
        levels = tuple(Tier(str(lv["code"]), int(lv["min_spend_cents"]),
                            Benefits(bool(lv.get("benefits", {}).get("priority_queue", False)),
                                     int(lv.get("benefits", {}).get("repair_discount_pct", 0))))
                       for lv in tiers["levels"])
        rules = Rules(
            version=str(data["version"]), currency=str(data.get("currency", "")),
            programme={str(k): str(v) for k, v in data.get("programme", {}).items()},
            terms_version=str(terms["version"]), terms={str(k): str(v) for k, v in terms["text"].items()},
            unit_cents=int(earn["unit_cents"]),
            points_per_unit={str(k): int(v) for k, v in earn["points_per_unit"].items()},
            welcome_bonus=int(bonuses.get("welcome", 0)), birthday_bonus=int(bonuses.get("birthday", 0)),
            tradein_bonus=int(bonuses.get("tradein", 0)),
            expiry_days=int(expiry["days"]), expiring_kinds=tuple(str(k) for k in expiry["kinds"]),
            redeem_min=int(redeem["min_points"]), redeem_step=int(redeem["step"]),
            cents_per_point=int(redeem["cents_per_point"]),
            window_days=int(tiers["window_days"]), review_months=int(tiers["review_months"]), tiers=levels)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise bad() from None
    spends = [t.min_spend_cents for t in rules.tiers]
    if (not rules.tiers or spends[-1] != 0 or spends != sorted(spends, reverse=True) or len(set(spends)) != len(spends)
            or len({t.code for t in rules.tiers}) != len(rules.tiers) or rules.unit_cents <= 0
            or rules.redeem_step <= 0 or rules.redeem_min <= 0 or rules.expiry_days <= 0
            or rules.review_months not in (1, 2, 3, 4, 6, 12)
            # a tier earned at the end of a period must still count at the next review
            or rules.window_days < rules.review_months * 31 or not rules.terms_version
            or not set(rules.expiring_kinds) <= set(KINDS) or tiers.get("basis") != "rolling_spend"
            or min([rules.welcome_bonus, rules.birthday_bonus, rules.tradein_bonus,
                    *rules.points_per_unit.values()]) < 0):
        raise bad()
    return rules


DEFAULT = parse_rules(DEFAULT_RULES)


def _expiry(rules: Rules, kind: str, at: datetime) -> datetime | None:
    return at + timedelta(days=rules.expiry_days) if kind in rules.expiring_kinds else None


def _points_for(rules: Rules, ref_type: str, spend_cents: int) -> int:
    return money.points_for_spend(spend_cents, rules.unit_cents, rules.points_per_unit.get(ref_type, 0))


# --- the ledger as pure functions ------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One ledger entry, as the pure functions below see it."""

    id: uuid.UUID
    kind: str
    points: int
    at: datetime
    expires_at: datetime | None = None
    spend_cents: int = 0
    ref_type: str | None = None
    ref_id: uuid.UUID | None = None


@dataclass
class Lot:
    id: uuid.UUID
    at: datetime
    expires_at: datetime          # NEVER when it does not expire
    points: int
    remaining: int
    expired: int = 0              # taken by expire entries so far


@dataclass(frozen=True)
class LedgerState:
    balance: int                  # the sum of all entries
    lots: tuple[Lot, ...]
    deficit: int                  # points taken that no lot covered (two stores spent them offline)


def _order(line: Line) -> tuple[datetime, int, uuid.UUID]:
    # at one instant: new points first, then expiries, then what is spent
    return (line.at, 0 if line.points > 0 else 1 if line.kind == "expire" else 2, line.id)


def ledger_state(lines: Iterable[Line]) -> LedgerState:
    """Replay the ledger: which lots exist and how much of each is left."""
    lines = sorted(lines, key=_order)
    lots: dict[uuid.UUID, Lot] = {}
    deficit = 0
    for ln in lines:
        if ln.points > 0:
            # points that arrive while the ledger is in deficit settle it first
            settle = min(deficit, ln.points)
            deficit -= settle
            lots[ln.id] = Lot(ln.id, ln.at, ln.expires_at or NEVER, ln.points, ln.points - settle)
            continue
        if ln.points == 0:
            continue
        need = -ln.points
        if ln.kind == "expire":
            if ln.ref_type == "lot" and ln.ref_id is not None:
                pool = [lots[ln.ref_id]] if ln.ref_id in lots else []
            else:   # an expiry that names no lot takes what had expired by then
                pool = sorted((lot for lot in lots.values() if lot.expires_at <= ln.at),
                              key=lambda lot: (lot.expires_at, lot.at, lot.id))
        else:
            pool = sorted((lot for lot in lots.values() if lot.expires_at > ln.at),
                          key=lambda lot: (lot.expires_at, lot.at, lot.id))
        for lot in pool:
            if need == 0:
                break
            take = min(lot.remaining, need)
            lot.remaining -= take
            if ln.kind == "expire":
                lot.expired += take
            need -= take
        deficit += need
    return LedgerState(sum(ln.points for ln in lines), tuple(lots.values()), deficit)


def due_expiries(state: LedgerState, now: datetime) -> list[Lot]:
    """Lots whose time has come with points left: each owes an expiry of ``remaining``."""
    return sorted((lot for lot in state.lots if lot.expires_at <= now and lot.remaining > 0),
                  key=lambda lot: (lot.expires_at, lot.at, lot.id))


def expiring(state: LedgerState, now: datetime) -> tuple[int, datetime | None]:
    """The points that expire next and when (0, None when nothing is due to expire)."""
    upcoming = sorted((lot for lot in state.lots if now < lot.expires_at < NEVER and lot.remaining > 0),
                      key=lambda lot: lot.expires_at)
    if not upcoming:
        return 0, None
    first = upcoming[0].expires_at
    return sum(lot.remaining for lot in upcoming if lot.expires_at == first), first


def rolling_spend(lines: Iterable[Line], at: datetime, window_days: int) -> int:
    start = at - timedelta(days=window_days)
    return sum(ln.spend_cents for ln in lines if start < ln.at <= at)


def tier_for_spend(rules: Rules, spend_cents: int) -> str:
    return next(t.code for t in rules.tiers if spend_cents >= t.min_spend_cents)


def period_start(at: datetime, months: int, tz: ZoneInfo | timezone = UTC) -> datetime:
    local = at.astimezone(tz)
    month = (local.month - 1) // months * months + 1
    return datetime(local.year, month, 1, tzinfo=tz).astimezone(UTC)


def next_period_start(at: datetime, months: int, tz: ZoneInfo | timezone = UTC) -> datetime:
    local = period_start(at, months, tz).astimezone(tz)
    month0 = local.month - 1 + months
    return datetime(local.year + month0 // 12, month0 % 12 + 1, 1, tzinfo=tz).astimezone(UTC)


def tier_at(lines: Iterable[Line], rules: Rules, at: datetime, tz: ZoneInfo | timezone = UTC) -> str:
    """The tier at ``at``: what the rolling spend gave at the start of the period, raised
    at once by any higher spend reached since; a pure function of ledger and rules."""
    lines = [ln for ln in lines if ln.at <= at]
    start = period_start(at, rules.review_months, tz)
    best = rolling_spend(lines, start, rules.window_days)
    for ln in lines:
        if ln.spend_cents > 0 and start < ln.at:
            best = max(best, rolling_spend(lines, ln.at, rules.window_days))
    return tier_for_spend(rules, best)


# --- the card --------------------------------------------------------------------------------------------

def parse_card_code(code: str | None) -> str | None:
    """The member number in what a scanner typed: the QR payload ``ORCHARD:M:<number>``,
    the barcode (the bare number), or the number typed with spaces or dashes.  None when
    it is not a valid member number (wrong prefix, length or check digit)."""
    text = (code or "").strip()
    if text.upper().startswith(CARD_PREFIX):
        text = text[len(CARD_PREFIX):]
    digits = re.sub(r"[\s\-]", "", text)
    if len(digits) == 13 and digits.startswith(MEMBER_PREFIX) and is_luhn_valid(digits):
        return digits
    return None


def card_payload(member_number: str) -> str:
    """What the card's QR code holds."""
    return f"{CARD_PREFIX}{member_number}"
