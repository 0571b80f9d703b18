"""Trade-in: an honest, explainable price at the counter, and never a locked, blocklisted
or stolen device.

Two halves.  The *valuation* is pure (``valuation``: ``valuate``, ``find_gates``, the
questions and grades of a price book's rules, and the breakdown lines it explains a value
with): no database, no clock, so the GUI runs it on every answer and the services run it
again before they store anything.  The *services* keep quotes: the price book a quote was
made under, the answers, the breakdown and the expiry, so a quote keeps its value when a
new price book arrives.

Modules
    ``valuation`` the pure valuation; ``pricebook`` the price book in force, its models
    and ``pricing`` for the live questionnaire; ``checks`` the customer (age gate,
    membership) and the device (IMEI, blocklist) before any answer; ``quotes`` creating,
    re-quoting and reading quotes; ``acceptance`` accepting (payout, trade-in bonus),
    declining and expiring them; ``listing`` the quote lists and the manager's summary;
    ``_common`` the helpers they share.  Each service takes ``(session, actor, ...)`` and
    checks one permission.  The names below are the package's public API: import them
    from ``core.tradein``.
"""

from core.tradein.acceptance import AcceptOutcome, accept_quote, decline_quote, expire_quotes
from core.tradein.checks import CustomerFacts, check_device, customer_facts
from core.tradein.listing import QuoteRow, TradeInSummary, customer_trade_ins, list_quotes, trade_in_summary
from core.tradein.pricebook import ModelRow, PriceBookView, Pricing, list_models, price_book_in_force, pricing
from core.tradein.quotes import QuoteOutcome, QuoteView, create_quote, get_quote, requote
from core.tradein.valuation import (
    DEFAULT_REPAIRS, GATE_REASONS, MIN_AGE, REFUSE, STANDARD_QUESTIONS, Checks, DeviceFacts, Gate, RepairAdvice,
    Valuation, age_on, asks_battery, battery_question, check_rules, clean_answers, find_gates, grade_for, grades,
    months_between, option_rank, questions, repair_advice, valuate, yes_no,
)

__all__ = [
    "DEFAULT_REPAIRS", "GATE_REASONS", "MIN_AGE", "REFUSE", "STANDARD_QUESTIONS",
    "AcceptOutcome", "Checks", "CustomerFacts", "DeviceFacts", "Gate", "ModelRow", "PriceBookView", "Pricing",
    "QuoteOutcome", "QuoteRow", "QuoteView", "RepairAdvice", "TradeInSummary", "Valuation",
    "accept_quote", "age_on", "asks_battery", "battery_question", "check_device", "check_rules", "clean_answers",
    "create_quote", "customer_facts", "customer_trade_ins", "decline_quote", "expire_quotes", "find_gates",
    "get_quote", "grade_for", "grades", "list_models", "list_quotes", "months_between", "option_rank",
    "price_book_in_force", "pricing", "questions", "repair_advice", "requote", "trade_in_summary", "valuate",
    "yes_no",
]
