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

Modules
    ``rules`` holds the programme's rules and the ledger as pure functions (lots, expiry,
    tiers, periods, the card code): no session, no clock.  ``entries`` is the ledger in
    the database: the rules in force, entries read back and posted (due expiries first,
    the cached tier after).  The services, each taking ``(session, actor, ...)`` and
    checking one permission: ``enrolment`` (the form and joining, with its consents),
    ``points`` (earn, bonuses, redeem, adjust), ``members`` (the member view, ledger,
    list, balances after sync, the card) and ``upkeep`` (the daily expiries and tier
    review).  The names below are the package's public API: import them from
    ``core.loyalty``.
"""

from core.loyalty.enrolment import EnrollmentForm, enroll, enrollment_form
from core.loyalty.entries import EntryRow, LedgerResult, RulesInfo, balance, current_rules, publish_rules
from core.loyalty.members import (
    BalanceStatus, MemberCard, MemberRow, MemberView, balance_status, find_by_member_number, flag_negative_balances,
    ledger, list_members, member, member_card_data, member_for_customer, tier_benefits,
)
from core.loyalty.points import (
    EarnOption, adjust, birthday_bonus, earn, earn_for_ticket, earnable, grant_tradein_bonus, redeem, tradein_bonus,
)
from core.loyalty.rules import (
    CARD_PREFIX, CHANNELS, DEFAULT, DEFAULT_RULES, EARN_REFS, KINDS, MEMBER_PREFIX, NEVER, Benefits, LedgerState, Line,
    Lot, Rules, Tier, card_payload, due_expiries, expiring, fact_id, ledger_state, next_period_start,
    parse_card_code, parse_rules, period_start, rolling_spend, tier_at, tier_for_spend,
)
from core.loyalty.upkeep import (
    TierChange, Upkeep, daily_upkeep, expire_all_due, expire_due, refresh_member, review_tiers,
)

__all__ = [
    "Benefits", "BalanceStatus", "CARD_PREFIX", "CHANNELS", "DEFAULT", "DEFAULT_RULES", "EARN_REFS", "EarnOption",
    "EnrollmentForm", "EntryRow", "KINDS", "LedgerResult", "LedgerState", "Line", "Lot", "MEMBER_PREFIX",
    "MemberCard", "MemberRow", "MemberView", "NEVER", "Rules", "RulesInfo", "Tier", "TierChange", "Upkeep",
    "adjust", "balance", "balance_status", "birthday_bonus", "card_payload", "current_rules", "daily_upkeep",
    "due_expiries", "earn", "earn_for_ticket", "earnable", "enroll", "enrollment_form", "expire_all_due",
    "expire_due", "expiring", "fact_id", "find_by_member_number", "flag_negative_balances", "grant_tradein_bonus",
    "ledger", "ledger_state", "list_members", "member", "member_card_data", "member_for_customer",
    "next_period_start", "parse_card_code", "parse_rules", "period_start", "publish_rules", "redeem",
    "refresh_member", "review_tiers", "rolling_spend", "tier_at", "tier_benefits", "tier_for_spend",
    "tradein_bonus",
]
