"""Loyalty: enrolment, the programme rules, the points ledger, tiers and the member card.

The ledger is insert-only (``LoyaltyEntry``): every earn, bonus, redeem, expiry and
adjustment is a row with its reason, reference, store, staff and time.  Nothing
stores a balance or a tier for good: the balance is the sum of the entries and the
tier a pure function of the entries and the rules (``tier_at``); ``LoyaltyAccount.tier``
is only a cache for lists and search, refreshed whenever this module writes.

Two stores offline
    Both may earn and redeem for the same member; each entry is an independent insert
    with its own id, so syncing never overwrites or drops one.  Entries that record a
    *fact about a reference* get an id derived from it (``uuid5``): the points for a
    ticket or purchase, the welcome bonus, a birthday bonus of a year, a trade-in bonus,
    the expiry of one lot.  Two stores that record the same fact offline therefore
    write the *same* row, and the merge keeps one instead of counting it twice.
    Redemptions and adjustments are decisions, each with a fresh id.  A redemption is
    checked against the balance the store can see; when both stores spent the same
    points offline the merged balance goes below zero: ``balance_status`` and
    ``flag_negative_balances`` report it (nothing is dropped; a manager settles it
    with an adjustment).

Points lots and expiry
    Every positive entry is a lot.  A redemption (or negative adjustment) uses the
    live lots that expire soonest first (lots that never expire last).  A lot whose
    ``expires_at`` has passed is expired by an ``expire`` entry dated at that moment,
    referencing the lot (``ref_type="lot"``), for exactly what was left of it
    (``ledger_state``/``due_expiries``).  Every write runs the due expiries first,
    so a redemption can never use points that had already expired.

Tiers (see ``DEFAULT_RULES["tiers"]``)
    The qualifying figure is the spend on the ledger in the rolling window
    (``window_days``, 365) before a moment.  Tier periods are calendar blocks of
    ``review_months`` in the store's time zone (quarters by default).  At the start
    of a period the member holds the tier its rolling spend qualifies for then; within
    the period, reaching a higher tier applies at once (upgrade), and a tier is never
    lost before the period ends (downgrade at period end).

Card
    The card shows the member number as a Code 128 barcode and a QR code holding
    ``ORCHARD:M:<member number>``; ``parse_card_code`` accepts either, and
    ``find_by_member_number`` finds the member from what a scanner types.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core import audit, clock, formatting, money
from core.errors import Conflict, NotFound, ValidationError, ValidationErrors
from core.models import Consent, Customer, LoyaltyAccount, LoyaltyEntry, Purchase, RepairTicket, Staff, Store
from core.models import TradeInQuote
from core.models.loyalty import LoyaltyRules
from core.permissions import Actor, Perm, require
from core.repairs import ticket_amounts
from core.staff import current_store
from core.validation import is_luhn_valid, luhn_check_digit

UTC = timezone.utc
NEVER = datetime.max.replace(tzinfo=UTC)
CARD_PREFIX = "ORCHARD:M:"
MEMBER_PREFIX = "8800"
KINDS = ("earn", "redeem", "expire", "adjust", "bonus")
EARN_REFS = ("ticket", "purchase")
CHANNELS = ("in_store", "phone", "online")
# a customer who joins at the till after paying earns for what was just bought
EARN_BEFORE_ENROLMENT = timedelta(days=1)
# ids of entries that record a fact about a reference are derived from it (see above)
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


def _rules_in_force(session: Session, today: date | None = None, *, now: datetime | None = None) -> Rules:
    """The rules in force: the published version with the latest ``valid_from`` not after
    today, or the day of ``now`` (the store's day: rules dated 1 January apply from midnight
    there, not in UTC); ``DEFAULT_RULES`` while HQ has published none."""
    if today is None:
        store = current_store(session)
        zone = _tz(session, store.id if store else None)
        today = (now or clock.now()).astimezone(zone).date()
    row = session.scalars(select(LoyaltyRules).where(LoyaltyRules.valid_from <= today)
                          .order_by(LoyaltyRules.valid_from.desc(), LoyaltyRules.published_at.desc())
                          .limit(1)).first()
    if row is None:
        return DEFAULT
    try:
        return parse_rules(row.rules)
    except ValidationError:
        return DEFAULT        # a damaged row must not stop the counter; HQ republishes


def current_rules(session: Session, actor: Actor, today: date | None = None) -> Rules:
    """The programme's rules in force (for the trade-in desk and the loyalty screens)."""
    require(actor, Perm.MANAGE_LOYALTY)
    return _rules_in_force(session, today)


@dataclass(frozen=True)
class RulesInfo:
    id: uuid.UUID
    version: str
    valid_from: date
    terms_version: str


def publish_rules(session: Session, actor: Actor, *, version: str, valid_from: date,
                  rules: dict[str, Any]) -> RulesInfo:
    """Record a rules version (HQ publishes; the demo seeds one). Refuses unusable rules."""
    require(actor, Perm.MANAGE_STORE)
    version = (version or "").strip()
    if not version or len(version) > 20:
        raise ValidationError("version", "must be 1 to 20 characters")
    parsed = parse_rules(rules)
    if session.scalar(select(LoyaltyRules.id).where(LoyaltyRules.version == version)) is not None:
        raise Conflict("this rules version already exists")
    row = LoyaltyRules(version=version, valid_from=valid_from, rules=dict(rules))
    session.add(row)
    session.flush()
    audit.record(session, actor, "loyalty.rules", "loyalty_rules", row.id, detail=version)
    return RulesInfo(row.id, version, valid_from, parsed.terms_version)


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


def _order(line: Line) -> tuple:
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


# --- reading the database ---------------------------------------------------------------------------

def _line(e: LoyaltyEntry) -> Line:
    return Line(e.id, e.kind, e.points, e.at, e.expires_at, e.spend_cents, e.ref_type, e.ref_id)


def _lines(session: Session, account_id: uuid.UUID) -> list[Line]:
    return [_line(e) for e in session.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == account_id))]


def _tz(session: Session, store_id: uuid.UUID | None) -> ZoneInfo:
    store = session.get(Store, store_id) if store_id else None
    try:
        return ZoneInfo(store.timezone) if store else ZoneInfo("UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _account(session: Session, account_id: uuid.UUID) -> tuple[LoyaltyAccount, Customer]:
    acct = session.get(LoyaltyAccount, account_id)
    if acct is None:
        raise NotFound("loyalty member")
    cust = session.get(Customer, acct.customer_id)
    if cust is None or cust.erased:
        raise NotFound("loyalty member")
    return acct, cust


def _now(now: datetime | None) -> datetime:
    if now is None:
        return clock.now().replace(microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now


def _balance(session: Session, account_id: uuid.UUID) -> int:
    """The balance is the sum of the ledger; nothing stores it."""
    return int(session.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                              .where(LoyaltyEntry.account_id == account_id)))


def balance(session: Session, actor: Actor, account_id: uuid.UUID) -> int:
    require(actor, Perm.MANAGE_LOYALTY)
    return _balance(session, account_id)


# --- what the screens get ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    member_number: str
    customer: str
    tier: str
    balance: int
    enrolled_at: datetime


@dataclass(frozen=True)
class MemberView:
    id: uuid.UUID
    customer_id: uuid.UUID
    member_number: str
    display_name: str
    active: bool
    enrolled_at: datetime
    terms_version: str
    balance: int                       # sum of the ledger
    negative: bool                     # below zero: two stores spent the same points offline
    overdue_points: int                # past their expiry but not yet written off (next write does)
    expiring_points: int               # the next lot(s) to expire ...
    expiring_at: datetime | None       # ... and when
    tier: str                          # by the rules, now
    benefits: Benefits
    rolling_spend_cents: int           # spend in the rolling window up to now
    next_tier: str | None              # the next tier up, if any
    spend_to_next_cents: int           # spend still needed for it (0 at the top)
    review_at: datetime                # end of the current tier period
    tier_after_review: str             # the tier then, if nothing more is spent
    cents_per_point: int
    redeem_min: int
    redeem_step: int
    rules_version: str


@dataclass(frozen=True)
class EntryRow:
    id: uuid.UUID
    kind: str
    points: int
    reason: str
    ref_type: str | None
    ref_id: uuid.UUID | None
    ref_label: str                     # a ticket number, what was bought, ...
    spend_cents: int
    at: datetime
    expires_at: datetime | None
    store: str                         # store code
    staff: str                         # who recorded it ("" for expiries)
    balance_after: int                 # running balance in ledger order


@dataclass(frozen=True)
class LedgerResult:
    entry: EntryRow
    balance: int
    tier: str
    previous_tier: str

    @property
    def tier_changed(self) -> bool:
        return self.tier != self.previous_tier


def _view(session: Session, acct: LoyaltyAccount, cust: Customer, rules: Rules, now: datetime) -> MemberView:
    lines = _lines(session, acct.id)
    tz = _tz(session, acct.store_id)
    state = ledger_state(lines)
    overdue = sum(lot.remaining for lot in due_expiries(state, now))
    soon, soon_at = expiring(state, now)
    tier = tier_at(lines, rules, now, tz)
    spend = rolling_spend([ln for ln in lines if ln.at <= now], now, rules.window_days)
    rank = [t.code for t in rules.tiers].index(tier)
    nxt = rules.tiers[rank - 1] if rank > 0 else None
    review = next_period_start(now, rules.review_months, tz)
    after = tier_for_spend(rules, rolling_spend([ln for ln in lines if ln.at <= now], review, rules.window_days))
    return MemberView(
        acct.id, cust.id, acct.member_number, cust.display_name, acct.active, acct.enrolled_at, acct.terms_version,
        state.balance, state.balance < 0, overdue, soon, soon_at, tier, rules.tier(tier).benefits, spend,
        nxt.code if nxt else None, max(0, nxt.min_spend_cents - spend) if nxt else 0, review, after,
        rules.cents_per_point, rules.redeem_min, rules.redeem_step, rules.version)


def member(session: Session, actor: Actor, account_id: uuid.UUID, now: datetime | None = None) -> MemberView:
    require(actor, Perm.VIEW_CUSTOMERS)
    acct, cust = _account(session, account_id)
    audit.record(session, actor, "loyalty.view", "loyalty_account", acct.id)
    return _view(session, acct, cust, _rules_in_force(session, now=_now(now)), _now(now))


def member_for_customer(session: Session, actor: Actor, customer_id: uuid.UUID,
                        now: datetime | None = None) -> MemberView | None:
    """The customer's membership, for the profile; None when not a member."""
    require(actor, Perm.VIEW_CUSTOMERS)
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id)).first()
    if acct is None:
        return None
    return member(session, actor, acct.id, now)


def tier_benefits(session: Session, actor: Actor, customer_id: uuid.UUID,
                  now: datetime | None = None) -> Benefits:
    """What the customer's tier gives at the bench or the calendar (no benefits for non-members)."""
    require(actor, Perm.VIEW_CUSTOMERS)
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id)).first()
    if acct is None or not acct.active:
        return Benefits()
    rules = _rules_in_force(session, now=_now(now))
    return rules.tier(tier_at(_lines(session, acct.id), rules, _now(now), _tz(session, acct.store_id))).benefits


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


def find_by_member_number(session: Session, actor: Actor, code: str,
                          now: datetime | None = None) -> MemberView | None:
    """The member a scanned card (or a typed number) belongs to; None if nobody has it.
    A code that is not a member number at all is a ``ValidationError`` on "code"."""
    require(actor, Perm.VIEW_CUSTOMERS)
    number = parse_card_code(code)
    if number is None:
        raise ValidationError("code", "is not a member number")
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.member_number == number)).first()
    if acct is None:
        return None
    cust = session.get(Customer, acct.customer_id)
    if cust is None or cust.erased:
        return None
    audit.record(session, actor, "loyalty.view", "loyalty_account", acct.id, detail="card")
    return _view(session, acct, cust, _rules_in_force(session, now=_now(now)), _now(now))


def _ref_labels(session: Session, entries: list[LoyaltyEntry]) -> dict[uuid.UUID, str]:
    labels: dict[uuid.UUID, str] = {}
    tickets = [e.ref_id for e in entries if e.ref_type == "ticket" and e.ref_id]
    purchases = [e.ref_id for e in entries if e.ref_type == "purchase" and e.ref_id]
    if tickets:
        labels.update(session.execute(select(RepairTicket.id, RepairTicket.number)
                                      .where(RepairTicket.id.in_(tickets))).all())
    if purchases:
        labels.update(session.execute(select(Purchase.id, Purchase.description)
                                      .where(Purchase.id.in_(purchases))).all())
    return labels


def ledger(session: Session, actor: Actor, account_id: uuid.UUID, limit: int = 500) -> list[EntryRow]:
    """The member's entries, newest first, each with the balance after it."""
    require(actor, Perm.VIEW_CUSTOMERS)
    acct, _ = _account(session, account_id)
    entries = list(session.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == acct.id)))
    entries.sort(key=lambda e: _order(_line(e)))
    labels = _ref_labels(session, entries)
    stores = dict(session.execute(select(Store.id, Store.code)).all())
    staff_ids = {e.staff_id for e in entries if e.staff_id}
    staff = dict(session.execute(select(Staff.id, Staff.display_name).where(Staff.id.in_(staff_ids)))
                 .all()) if staff_ids else {}
    rows, running = [], 0
    for e in entries:
        running += e.points
        rows.append(_entry_row(e, labels, stores, staff, running))
    rows.reverse()
    return rows[:limit]


def _entry_row(e: LoyaltyEntry, labels: dict, stores: dict, staff: dict, balance_after: int) -> EntryRow:
    return EntryRow(e.id, e.kind, e.points, e.reason, e.ref_type, e.ref_id, labels.get(e.ref_id, ""),
                    e.spend_cents, e.at, e.expires_at, stores.get(e.store_id, ""), staff.get(e.staff_id, ""),
                    balance_after)


def list_members(session: Session, actor: Actor, limit: int = 500, text: str = "") -> list[MemberRow]:
    """Members, newest first; ``text`` narrows to a member number (or a scanned card) or a
    name. The tier shown is the cached one (every write here refreshes it)."""
    require(actor, Perm.MANAGE_LOYALTY)
    # summed per listed member (index on account_id), not over the whole ledger
    pts = (select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
           .where(LoyaltyEntry.account_id == LoyaltyAccount.id).scalar_subquery())
    q = (select(LoyaltyAccount, Customer, pts)
         .join(Customer, Customer.id == LoyaltyAccount.customer_id)
         .where(Customer.erased.is_(False)))
    text = (text or "").strip()
    if text:
        number = parse_card_code(text)
        if number is not None:
            q = q.where(LoyaltyAccount.member_number == number)
        elif text.isdigit():
            q = q.where(LoyaltyAccount.member_number.like(f"%{text}%"))
        else:
            like = f"%{text.lower()}%"
            q = q.where(or_(func.lower(Customer.given_name + " " + Customer.family_name).like(like),
                            func.lower(Customer.family_name + Customer.given_name).like(like),
                            func.replace(Customer.name_pinyin, " ", "").like(like.replace(" ", ""))))
    q = q.order_by(LoyaltyAccount.enrolled_at.desc()).limit(limit)
    return [MemberRow(a.id, a.member_number, c.display_name, a.tier, int(pts), a.enrolled_at)
            for a, c, pts in session.execute(q)]


# --- enrolment -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EnrollmentForm:
    """What the enrolment dialog shows before anything is written."""

    customer_id: uuid.UUID
    display_name: str
    language: str | None               # the customer's, to show the terms in
    programme: dict[str, str]
    terms_version: str
    terms: dict[str, str]              # language -> text
    welcome_bonus: int
    marketing_sms: bool                # consents in force now
    marketing_email: bool
    has_phone: bool
    has_email: bool
    member_number: str | None          # already a member


def _consents_in_force(session: Session, customer_id: uuid.UUID) -> dict[str, bool]:
    rows = session.execute(select(Consent.purpose, Consent.granted, Consent.at)
                           .where(Consent.customer_id == customer_id).order_by(Consent.at)).all()
    return {purpose: granted for purpose, granted, _ in rows}


def _live_customer(session: Session, customer_id: uuid.UUID) -> Customer:
    c = session.get(Customer, customer_id)
    if c is None or c.erased or c.merged_into_id is not None:
        raise NotFound("customer")
    return c


def enrollment_form(session: Session, actor: Actor, customer_id: uuid.UUID) -> EnrollmentForm:
    require(actor, Perm.MANAGE_LOYALTY)
    c = _live_customer(session, customer_id)
    rules = _rules_in_force(session)
    consents = _consents_in_force(session, c.id)
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == c.id)).first()
    audit.record(session, actor, "loyalty.enrol_form", "customer", c.id)
    return EnrollmentForm(c.id, c.display_name, c.language, rules.programme, rules.terms_version, rules.terms,
                          rules.welcome_bonus, consents.get("marketing_sms", False),
                          consents.get("marketing_email", False), bool(c.phone_e164), bool(c.email),
                          acct.member_number if acct is not None and acct.active else None)


def _new_member_number(session: Session) -> str:
    """``8800`` + 8 random digits + a Luhn check digit, not yet taken here.  Random, not a
    counter: stores enrol offline, and 10^8 numbers make a clash between two of them
    negligible (the unique constraint catches it at HQ)."""
    while True:
        body = MEMBER_PREFIX + f"{secrets.randbelow(10 ** 8):08d}"
        number = body + str(luhn_check_digit(body))
        if session.scalar(select(LoyaltyAccount.id).where(LoyaltyAccount.member_number == number)) is None:
            return number


def enroll(session: Session, actor: Actor, customer_id: uuid.UUID, *, terms_version: str, programme: bool,
           marketing_sms: bool = False, marketing_email: bool = False, channel: str = "in_store",
           now: datetime | None = None) -> MemberView:
    """Make the customer a member: the programme consent is required and recorded with the
    version of the terms shown; marketing by SMS and by email are separate and optional
    (a row is recorded where the decision changes what is in force).  A welcome bonus."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    c = _live_customer(session, customer_id)
    rules = _rules_in_force(session)
    errors = []
    if not programme:
        errors.append(ValidationError("programme", "the customer must agree to the programme terms to join"))
    if terms_version != rules.terms_version:
        errors.append(ValidationError("terms_version", "the terms have changed; show the current terms again"))
    if channel not in CHANNELS:
        errors.append(ValidationError("channel", "is not a known channel"))
    if marketing_sms and not c.phone_e164:
        errors.append(ValidationError("marketing_sms", "the customer has no mobile number"))
    if marketing_email and not c.email:
        errors.append(ValidationError("marketing_email", "the customer has no email address"))
    if errors:
        raise ValidationErrors(errors)
    # the account's id follows from the customer: two stores enrolling the same customer
    # offline make one account, not two
    acct = session.get(LoyaltyAccount, fact_id("account", c.id))
    if acct is None:
        acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == c.id)).first()
    if acct is not None and acct.active:
        raise Conflict("the customer is already a member")
    in_force = _consents_in_force(session, c.id)
    decisions = {"loyalty": True, "marketing_sms": bool(marketing_sms), "marketing_email": bool(marketing_email)}
    recorded = []
    for purpose, granted in decisions.items():
        if purpose == "loyalty" or in_force.get(purpose, False) != granted:
            session.add(Consent(customer_id=c.id, purpose=purpose, granted=granted,
                                notice_version=rules.terms_version, channel=channel, staff_id=actor.staff_id,
                                store_id=actor.store_id, at=now))
            recorded.append(f"{purpose}={'yes' if granted else 'no'}")
    if acct is None:
        acct = LoyaltyAccount(id=fact_id("account", c.id), customer_id=c.id,
                              member_number=_new_member_number(session), store_id=actor.store_id,
                              terms_version=rules.terms_version, enrolled_at=now, tier=rules.tiers[-1].code,
                              active=True, created_at=now, updated_at=now)
        session.add(acct)
    else:   # back after leaving: same number and ledger, the terms agreed now
        acct.active = True
        acct.terms_version = rules.terms_version
    session.flush()
    bonus_id = fact_id("welcome", acct.id)
    if rules.welcome_bonus and session.get(LoyaltyEntry, bonus_id) is None:
        session.add(LoyaltyEntry(id=bonus_id, account_id=acct.id, kind="bonus", points=rules.welcome_bonus,
                                 reason="Welcome bonus", ref_type="enrolment", ref_id=acct.id,
                                 store_id=actor.store_id, staff_id=actor.staff_id, at=now,
                                 expires_at=_expiry(rules, "bonus", now)))
    session.flush()
    audit.record(session, actor, "loyalty.enrol", "loyalty_account", acct.id, detail=",".join(recorded))
    return _view(session, acct, c, rules, now)


# --- writing the ledger ---------------------------------------------------------------------------------

def _expiry(rules: Rules, kind: str, at: datetime) -> datetime | None:
    return at + timedelta(days=rules.expiry_days) if kind in rules.expiring_kinds else None


def _write_expiries(session: Session, actor: Actor, acct: LoyaltyAccount, now: datetime) -> int:
    """Insert the expiries that are due; returns the points expired."""
    state = ledger_state(_lines(session, acct.id))
    total = 0
    for lot in due_expiries(state, now):
        entry_id = fact_id("expire", lot.id, lot.expired)
        if session.get(LoyaltyEntry, entry_id) is not None:
            continue      # written by another store, arrived while this one was computed
        session.add(LoyaltyEntry(id=entry_id, account_id=acct.id, kind="expire", points=-lot.remaining,
                                 reason="Points expired", ref_type="lot", ref_id=lot.id, store_id=actor.store_id,
                                 staff_id=None, at=lot.expires_at))
        total += lot.remaining
    if total:
        session.flush()
        audit.record(session, actor, "loyalty.expire", "loyalty_account", acct.id, detail=str(total))
    return total


def _refresh_tier(session: Session, acct: LoyaltyAccount, rules: Rules, now: datetime) -> str:
    tier = tier_at(_lines(session, acct.id), rules, now, _tz(session, acct.store_id))
    if acct.tier != tier:
        acct.tier = tier
        session.flush()
    return tier


def _writable(session: Session, account_id: uuid.UUID) -> tuple[LoyaltyAccount, Customer]:
    acct, cust = _account(session, account_id)
    if not acct.active:
        raise Conflict("this membership has ended")
    return acct, cust


def _post(session: Session, actor: Actor, acct: LoyaltyAccount, rules: Rules, now: datetime, *,
          kind: str, points: int, reason: str, ref_type: str | None = None, ref_id: uuid.UUID | None = None,
          spend_cents: int = 0, entry_id: uuid.UUID | None = None, previous_tier: str) -> LedgerResult:
    ids = {"id": entry_id} if entry_id is not None else {}     # else the column default: a uuid7
    e = LoyaltyEntry(**ids, account_id=acct.id, kind=kind, points=points, reason=reason[:200],
                     ref_type=ref_type, ref_id=ref_id, spend_cents=spend_cents, store_id=actor.store_id,
                     staff_id=actor.staff_id, at=now, expires_at=_expiry(rules, kind, now) if points > 0 else None)
    session.add(e)
    session.flush()
    tier = _refresh_tier(session, acct, rules, now)
    labels = _ref_labels(session, [e])
    stores = dict(session.execute(select(Store.id, Store.code).where(Store.id == actor.store_id)).all())
    bal = _balance(session, acct.id)
    row = _entry_row(e, labels, stores, {actor.staff_id: actor.display_name}, bal)
    audit.record(session, actor, f"loyalty.{kind}", "loyalty_account", acct.id, detail=f"{points:+d}")
    return LedgerResult(row, bal, tier, previous_tier)


def _begin(session: Session, actor: Actor, account_id: uuid.UUID, now: datetime | None):
    """Common start of every ledger write: the account, the rules, due expiries written."""
    now = _now(now)
    acct, cust = _writable(session, account_id)
    rules = _rules_in_force(session, now=now)
    previous = tier_at(_lines(session, acct.id), rules, now, _tz(session, acct.store_id))
    _write_expiries(session, actor, acct, now)
    return acct, cust, rules, now, previous


@dataclass(frozen=True)
class EarnOption:
    """Something the member can earn points for and has not yet."""

    ref_type: str                      # ticket, purchase
    ref_id: uuid.UUID
    label: str                         # ticket number or what was bought
    at: datetime
    spend_cents: int
    points: int


def _spend_of(session: Session, cust: Customer, ref_type: str, ref_id: uuid.UUID) -> tuple[int, str]:
    if ref_type == "ticket":
        t = session.get(RepairTicket, ref_id)
        if t is None:
            raise NotFound("ticket")
        if t.customer_id != cust.id:
            raise ValidationError("ref_id", "belongs to another customer")
        if t.status != "collected":
            raise Conflict("points are earned when the repair is collected")
        return ticket_amounts(session, t).amount_due_cents, t.number
    if ref_type == "purchase":
        p = session.get(Purchase, ref_id)
        if p is None:
            raise NotFound("purchase")
        if p.customer_id != cust.id:
            raise ValidationError("ref_id", "belongs to another customer")
        return int(p.total_cents), p.description
    raise ValidationError("ref_type", "is not something that earns points")


def _points_for(rules: Rules, ref_type: str, spend_cents: int) -> int:
    return money.points_for_spend(spend_cents, rules.unit_cents, rules.points_per_unit.get(ref_type, 0))


def earnable(session: Session, actor: Actor, account_id: uuid.UUID) -> list[EarnOption]:
    """Collected repairs and purchases since enrolment (or the day before it) that have not
    earned points yet."""
    require(actor, Perm.MANAGE_LOYALTY)
    acct, cust = _account(session, account_id)
    rules = _rules_in_force(session)
    done = set(session.scalars(select(LoyaltyEntry.ref_id).where(
        LoyaltyEntry.account_id == acct.id, LoyaltyEntry.kind == "earn")))
    out = []
    for t in session.scalars(select(RepairTicket).where(
            RepairTicket.customer_id == cust.id, RepairTicket.status == "collected",
            RepairTicket.collected_at >= acct.enrolled_at - EARN_BEFORE_ENROLMENT)):
        spend = ticket_amounts(session, t).amount_due_cents
        if t.id not in done and spend > 0:
            out.append(EarnOption("ticket", t.id, t.number, t.collected_at, spend, _points_for(rules, "ticket", spend)))
    for p in session.scalars(select(Purchase).where(Purchase.customer_id == cust.id,
                                                    Purchase.at >= acct.enrolled_at - EARN_BEFORE_ENROLMENT)):
        if p.id not in done and p.total_cents > 0:
            out.append(EarnOption("purchase", p.id, p.description, p.at, p.total_cents,
                                  _points_for(rules, "purchase", p.total_cents)))
    out.sort(key=lambda o: o.at, reverse=True)
    return out


def earn(session: Session, actor: Actor, account_id: uuid.UUID, *, ref_type: str, ref_id: uuid.UUID,
         now: datetime | None = None) -> LedgerResult:
    """Points for a collected repair or a purchase, once per reference, at the rules' rate;
    the spend counts toward the tier (an upgrade applies at once)."""
    require(actor, Perm.MANAGE_LOYALTY)
    return _earn(session, actor, account_id, ref_type=ref_type, ref_id=ref_id, now=now)


def _earn(session: Session, actor: Actor, account_id: uuid.UUID, *, ref_type: str, ref_id: uuid.UUID,
          now: datetime | None) -> LedgerResult:
    if ref_type not in EARN_REFS:
        raise ValidationError("ref_type", "is not something that earns points")
    acct, cust, rules, now, previous = _begin(session, actor, account_id, now)
    entry_id = fact_id("earn", ref_type, ref_id)
    if session.get(LoyaltyEntry, entry_id) is not None or session.scalar(select(LoyaltyEntry.id).where(
            LoyaltyEntry.kind == "earn", LoyaltyEntry.ref_type == ref_type, LoyaltyEntry.ref_id == ref_id)):
        raise Conflict("points were already earned for this")
    spend, label = _spend_of(session, cust, ref_type, ref_id)
    points = _points_for(rules, ref_type, spend)
    if points <= 0:
        raise ValidationError("ref_id", "earns no points")
    reason = f"Repair {label}" if ref_type == "ticket" else label
    return _post(session, actor, acct, rules, now, kind="earn", points=points, reason=reason, ref_type=ref_type,
                 ref_id=ref_id, spend_cents=spend, entry_id=entry_id, previous_tier=previous)


def earn_for_ticket(session: Session, actor: Actor, ticket_id: uuid.UUID,
                    now: datetime | None = None) -> LedgerResult | None:
    """For the bench at pickup: the ticket's customer earns on the amount paid if a member;
    None otherwise. Whoever hands the device back may post it (a technician too): the
    earn follows from the pickup, it is not a loyalty decision."""
    require(actor, Perm.WORK_TICKETS)
    t = session.get(RepairTicket, ticket_id)
    if t is None:
        raise NotFound("ticket")
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == t.customer_id)).first() \
        if t.customer_id else None
    if acct is None or not acct.active:
        return None
    if _points_for(_rules_in_force(session, now=_now(now)), "ticket", ticket_amounts(session, t).amount_due_cents) <= 0:
        return None         # nothing due, or less than one point's worth: the pickup goes ahead all the same
    return _earn(session, actor, acct.id, ref_type="ticket", ref_id=t.id, now=now)


def tradein_bonus(session: Session, actor: Actor, account_id: uuid.UUID, quote_id: uuid.UUID,
                  now: datetime | None = None) -> LedgerResult:
    """The trade-in bonus, once per accepted (or received) quote of this customer (a
    manager giving it by hand; accepting a trade-in gives it by itself)."""
    require(actor, Perm.MANAGE_LOYALTY)
    return grant_tradein_bonus(session, actor, account_id, quote_id, now)


def grant_tradein_bonus(session: Session, actor: Actor, account_id: uuid.UUID, quote_id: uuid.UUID,
                        now: datetime | None = None) -> LedgerResult:
    """For :func:`core.tradein.accept_quote`: whoever takes trade-ins gives the bonus with
    them. The entry's id comes from the quote: given once, at whichever store."""
    require(actor, Perm.TAKE_TRADE_INS)
    acct, cust, rules, now, previous = _begin(session, actor, account_id, now)
    q = session.get(TradeInQuote, quote_id)
    if q is None:
        raise NotFound("trade-in quote")
    if q.customer_id != cust.id:
        raise ValidationError("ref_id", "belongs to another customer")
    if q.status not in ("accepted", "received"):
        raise Conflict("the bonus is given when the trade-in is accepted")
    if not rules.tradein_bonus:
        raise Conflict("the programme gives no bonus for this")
    entry_id = fact_id("tradein", q.id)
    if session.get(LoyaltyEntry, entry_id) is not None:
        raise Conflict("the bonus was already given")
    return _post(session, actor, acct, rules, now, kind="bonus", points=rules.tradein_bonus,
                 reason="Trade-in bonus", ref_type="tradein", ref_id=q.id, entry_id=entry_id,
                 previous_tier=previous)


def birthday_bonus(session: Session, actor: Actor, account_id: uuid.UUID,
                   now: datetime | None = None) -> LedgerResult:
    """The birthday bonus, in the birthday month (store time), once a year."""
    require(actor, Perm.MANAGE_LOYALTY)
    acct, cust, rules, now, previous = _begin(session, actor, account_id, now)
    if not rules.birthday_bonus:
        raise Conflict("the programme gives no bonus for this")
    local = now.astimezone(_tz(session, acct.store_id)).date()
    if cust.birth_date is None or cust.birth_date.month != local.month:
        raise Conflict("the birthday bonus is given in the birthday month")
    entry_id = fact_id("birthday", acct.id, local.year)
    if session.get(LoyaltyEntry, entry_id) is not None:
        raise Conflict("the bonus was already given")
    return _post(session, actor, acct, rules, now, kind="bonus", points=rules.birthday_bonus,
                 reason=f"Birthday bonus {local.year}", ref_type="birthday", entry_id=entry_id,
                 previous_tier=previous)


def _whole_points(value: Any, field: str = "points") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "must be a whole number")
    return value


def redeem(session: Session, actor: Actor, account_id: uuid.UUID, points: int, *, reason: str = "",
           ref_type: str | None = None, ref_id: uuid.UUID | None = None,
           now: datetime | None = None) -> LedgerResult:
    """Spend points (a voucher, money off a repair). Never more than the balance."""
    require(actor, Perm.MANAGE_LOYALTY)
    points = _whole_points(points)
    acct, _, rules, now, previous = _begin(session, actor, account_id, now)
    if points < rules.redeem_min:
        raise ValidationError("points", "must be at least {n}", n=rules.redeem_min)
    if points % rules.redeem_step:
        raise ValidationError("points", "must be a multiple of {n}", n=rules.redeem_step)
    if points > _balance(session, acct.id):
        raise ValidationError("points", "is more than the member's balance")
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError("reason", "must be at most {n} characters", n=200)
    value = points * rules.cents_per_point
    reason = reason or f"Redeemed {points} points ({formatting.major_units(value, rules.currency)} {rules.currency})"
    return _post(session, actor, acct, rules, now, kind="redeem", points=-points, reason=reason,
                 ref_type=ref_type, ref_id=ref_id, previous_tier=previous)


def adjust(session: Session, actor: Actor, account_id: uuid.UUID, points: int, *, reason: str,
           now: datetime | None = None) -> LedgerResult:
    """A manager's correction (goodwill, a mistake, settling a negative balance after sync):
    a reason is required, and it is audited. It may not take a balance below zero."""
    require(actor, Perm.ADJUST_LOYALTY)
    points = _whole_points(points)
    reason = (reason or "").strip()
    errors = []
    if points == 0:
        errors.append(ValidationError("points", "must not be zero"))
    if not reason:
        errors.append(ValidationError("reason", "give the reason for the adjustment"))
    elif len(reason) > 200:
        errors.append(ValidationError("reason", "must be at most {n} characters", n=200))
    if errors:
        raise ValidationErrors(errors)
    acct, _, rules, now, previous = _begin(session, actor, account_id, now)
    bal = _balance(session, acct.id)
    if points < 0 and bal + points < 0:
        raise ValidationError("points", "is more than the member's balance")
    return _post(session, actor, acct, rules, now, kind="adjust", points=points, reason=reason,
                 previous_tier=previous)


def expire_due(session: Session, actor: Actor, account_id: uuid.UUID, now: datetime | None = None) -> int:
    """Write off the points whose time has come (what is left of each lot); returns them."""
    require(actor, Perm.MANAGE_LOYALTY)
    acct, _ = _account(session, account_id)
    return _write_expiries(session, actor, acct, _now(now))


def refresh_member(session: Session, actor: Actor, account_id: uuid.UUID, now: datetime | None = None) -> MemberView:
    """Open a member at the counter: due expiries written, the cached tier brought up to
    date, then the member as ``member`` gives it."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    acct, cust = _account(session, account_id)
    rules = _rules_in_force(session, now=now)
    _write_expiries(session, actor, acct, now)
    _refresh_tier(session, acct, rules, now)
    audit.record(session, actor, "loyalty.view", "loyalty_account", acct.id)
    return _view(session, acct, cust, rules, now)


def expire_all_due(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """The daily run: expiries for every member with a lot past its date; returns the points."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    expired_lots = select(LoyaltyEntry.ref_id).where(LoyaltyEntry.kind == "expire", LoyaltyEntry.ref_type == "lot")
    accounts = set(session.scalars(select(LoyaltyEntry.account_id).where(
        LoyaltyEntry.points > 0, LoyaltyEntry.expires_at <= now, LoyaltyEntry.id.not_in(expired_lots))))
    total = 0
    for account_id in accounts:
        acct = session.get(LoyaltyAccount, account_id)
        if acct is not None:
            total += _write_expiries(session, actor, acct, now)
    return total


@dataclass(frozen=True)
class TierChange:
    account_id: uuid.UUID
    member_number: str
    before: str
    after: str


def review_tiers(session: Session, actor: Actor, now: datetime | None = None) -> list[TierChange]:
    """Bring every cached tier to what the rules give now: after a period ends this is where
    downgrades take effect (and upgrades from entries another store synced).  Only members
    above the lowest tier or with spend in this period can change, so only they are read."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    rules = _rules_in_force(session, now=now)
    store = session.get(Store, actor.store_id)
    tz = _tz(session, store.id if store else None)
    # the earliest start of the current period in any time zone a member's store may be in
    since = period_start(now, rules.review_months, tz) - timedelta(days=1)
    spent = select(LoyaltyEntry.account_id).where(LoyaltyEntry.spend_cents > 0, LoyaltyEntry.at >= since)
    changes = []
    for acct in session.scalars(select(LoyaltyAccount).where(
            LoyaltyAccount.active.is_(True),
            or_(LoyaltyAccount.tier != rules.tiers[-1].code, LoyaltyAccount.id.in_(spent)))):
        before = acct.tier
        after = _refresh_tier(session, acct, rules, now)
        if after != before:
            changes.append(TierChange(acct.id, acct.member_number, before, after))
    if changes:
        audit.record(session, actor, "loyalty.review_tiers", None, None, detail=str(len(changes)))
    return changes


@dataclass(frozen=True)
class Upkeep:
    expired_points: int
    tier_changes: tuple[TierChange, ...]


def daily_upkeep(session: Session, actor: Actor, now: datetime | None = None) -> Upkeep:
    """What the counter runs once a day (the loyalty screen does on first opening): write
    off the points past their date, and let tier periods that ended take effect."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    return Upkeep(expire_all_due(session, actor, now), tuple(review_tiers(session, actor, now)))


# --- after sync -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BalanceStatus:
    account_id: uuid.UUID
    balance: int
    negative: bool               # two stores spent the same points offline: needs a manager
    deficit: int                 # points spent that no lot covered
    overdue_points: int


def balance_status(session: Session, actor: Actor, account_id: uuid.UUID,
                   now: datetime | None = None) -> BalanceStatus:
    require(actor, Perm.VIEW_CUSTOMERS)
    acct, _ = _account(session, account_id)
    state = ledger_state(_lines(session, acct.id))
    overdue = sum(lot.remaining for lot in due_expiries(state, _now(now)))
    return BalanceStatus(acct.id, state.balance, state.balance < 0, state.deficit, overdue)


def flag_negative_balances(session: Session, actor: Actor) -> list[MemberRow]:
    """Members whose merged ledger sums below zero: kept as they are (no entry is dropped),
    listed so a manager can settle each with an adjustment."""
    require(actor, Perm.MANAGE_LOYALTY)
    sums = (select(LoyaltyEntry.account_id, func.sum(LoyaltyEntry.points).label("pts"))
            .group_by(LoyaltyEntry.account_id).having(func.sum(LoyaltyEntry.points) < 0).subquery())
    q = (select(LoyaltyAccount, Customer, sums.c.pts)
         .join(sums, sums.c.account_id == LoyaltyAccount.id)
         .join(Customer, Customer.id == LoyaltyAccount.customer_id)
         .where(Customer.erased.is_(False)).order_by(sums.c.pts))
    return [MemberRow(a.id, a.member_number, c.display_name, a.tier, int(pts), a.enrolled_at)
            for a, c, pts in session.execute(q)]


# --- the card --------------------------------------------------------------------------------------------

def card_payload(member_number: str) -> str:
    """What the card's QR code holds."""
    return f"{CARD_PREFIX}{member_number}"


@dataclass(frozen=True)
class MemberCard:
    """Everything a printed or shown member card needs (the PDF is the reports' job)."""

    member_number: str
    member_number_grouped: str         # 8800 1234 5678 2, as printed under the barcode
    display_name: str
    tier: str
    member_since: date                 # store-local date
    programme: dict[str, str]          # language -> programme name
    store_code: str
    store_name: str
    qr_payload: str                    # ORCHARD:M:<number>
    barcode_value: str                 # Code 128 of the bare number
    terms_version: str


def member_card_data(session: Session, actor: Actor, account_id: uuid.UUID,
                     now: datetime | None = None) -> MemberCard:
    require(actor, Perm.MANAGE_LOYALTY)
    acct, cust = _account(session, account_id)
    rules = _rules_in_force(session, now=_now(now))
    store = session.get(Store, acct.store_id) if acct.store_id else session.get(Store, actor.store_id)
    tz = _tz(session, store.id if store else None)
    n = acct.member_number
    grouped = " ".join([n[:4], n[4:8], n[8:12], n[12:]])
    audit.record(session, actor, "loyalty.card", "loyalty_account", acct.id)
    return MemberCard(n, grouped, cust.display_name, tier_at(_lines(session, acct.id), rules, _now(now), tz),
                      acct.enrolled_at.astimezone(tz).date(), rules.programme, store.code if store else "",
                      store.name if store else "", card_payload(n), n, acct.terms_version)


__all__ = [
    "Benefits", "BalanceStatus", "CARD_PREFIX", "DEFAULT", "DEFAULT_RULES", "EarnOption", "EnrollmentForm",
    "EntryRow", "LedgerResult", "LedgerState", "Line", "Lot", "MemberCard", "MemberRow", "MemberView", "Rules",
    "RulesInfo", "Tier", "TierChange", "Upkeep", "adjust", "balance", "balance_status", "birthday_bonus",
    "card_payload", "current_rules", "daily_upkeep", "due_expiries", "earn", "earn_for_ticket", "earnable",
    "enroll", "enrollment_form", "expire_all_due", "expire_due", "expiring", "fact_id", "find_by_member_number",
    "flag_negative_balances", "ledger", "ledger_state", "list_members", "member", "member_card_data",
    "member_for_customer", "next_period_start", "parse_card_code", "parse_rules",
    "period_start", "publish_rules", "redeem", "refresh_member", "review_tiers", "rolling_spend", "tier_at",
    "tier_benefits", "tier_for_spend",
]
