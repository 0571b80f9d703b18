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
* What staff do with customers (intake, repair steps, collection, trade-in quotes, check-ins,
  loyalty enrolments and earns, feedback) happens in the store's opening hours
  (``core.demo.hours``).

The package: ``data`` holds the tables (settings, staff, models, price book rules, names,
texts), ``build`` the builder and its steps' order, one module per step, ``large`` the seeder.
"""

from core.demo.build import build_demo
from core.demo.data import (
    GRADES, LOYALTY_TIERS, MIN_CUSTOMERS, OPENING_HOURS, STORE_CODE, STORE_TZ, TICKET_STATUSES, price_book_rules,
    tier_for_spend,
)
from core.demo.info import DemoInfo, DemoStaff
from core.demo.large import seed_large

__all__ = [
    "DemoInfo", "DemoStaff", "GRADES", "LOYALTY_TIERS", "MIN_CUSTOMERS", "OPENING_HOURS", "STORE_CODE", "STORE_TZ",
    "TICKET_STATUSES", "build_demo", "price_book_rules", "seed_large", "tier_for_spend",
]
