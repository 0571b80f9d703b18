"""Loyalty: accounts, the append-only points ledger, and the programme rules HQ publishes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal, personal, utcnow


class LoyaltyAccount(IdMixin, Timestamps, Base):
    __tablename__ = "loyalty_account"
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), unique=True)
    member_number: Mapped[str] = not_personal(String(20), unique=True)
    store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("store.id"))
    terms_version: Mapped[str] = not_personal(String(20))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)   # the member list's order
    tier: Mapped[str] = not_personal(String(16), default="silver")   # cached; the ledger decides
    active: Mapped[bool] = mapped_column(default=True)


class LoyaltyEntry(IdMixin, Base):
    """Insert-only: the balance is the sum of entries, so two stores never overwrite it."""

    __tablename__ = "loyalty_entry"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("loyalty_account.id"), index=True)
    kind: Mapped[str] = not_personal(String(10))       # earn, redeem, expire, adjust, bonus
    points: Mapped[int]                                 # negative for redeem and expire
    reason: Mapped[str] = personal(String(200), default="")
    # ticket, tradein, purchase; enrolment and birthday for bonuses; lot for an expiry
    # (ref_id is then the entry whose points expired)
    ref_type: Mapped[str | None] = not_personal(String(20))
    ref_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    spend_cents: Mapped[int] = mapped_column(default=0)
    store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("store.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]


class LoyaltyRules(IdMixin, Base):
    """The programme's rules as HQ publishes them (earn rates, bonuses, tiers, expiry,
    the versioned terms); the row with the latest ``valid_from`` not after today is in
    force. Described in ``core.loyalty.DEFAULT_RULES``."""

    __tablename__ = "loyalty_rules"
    version: Mapped[str] = not_personal(String(20), unique=True)
    valid_from: Mapped[date]
    rules: Mapped[dict[str, Any]] = not_personal(default=dict)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
