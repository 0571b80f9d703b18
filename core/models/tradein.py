"""Trade-in: the price book HQ publishes, quotes, and the IMEI blocklist."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal, personal, utcnow


class PriceBook(IdMixin, Base):
    __tablename__ = "price_book"
    version: Mapped[str] = not_personal(String(20), unique=True)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    currency: Mapped[str] = not_personal(String(3), default="USD")
    # grading rules, age and battery adjustments, promotions: data, not code
    rules: Mapped[dict[str, Any]] = not_personal(default=dict)


class TradeInModel(IdMixin, Base):
    __tablename__ = "tradein_model"
    __table_args__ = (UniqueConstraint("name", "configuration"),)
    family: Mapped[str] = not_personal(String(60))          # iPhone, Galaxy S, iPad, MacBook Air
    kind: Mapped[str] = not_personal(String(16))            # phone, tablet, laptop, watch
    name: Mapped[str] = not_personal(String(120))           # iPhone 14 Pro
    configuration: Mapped[str] = not_personal(String(60))   # 256 GB
    release_date: Mapped[date]


class PriceBookEntry(IdMixin, Base):
    __tablename__ = "price_book_entry"
    __table_args__ = (UniqueConstraint("price_book_id", "model_id", "grade"),)
    price_book_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("price_book.id"), index=True)
    model_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tradein_model.id"))
    grade: Mapped[str] = not_personal(String(12))           # like_new, good, fair, damaged, unusable
    base_cents: Mapped[int]


class TradeInQuote(IdMixin, Timestamps, Base):
    __tablename__ = "tradein_quote"
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"), index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    model_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tradein_model.id"))
    price_book_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("price_book.id"))
    imei: Mapped[str | None] = personal(String(15))
    serial: Mapped[str | None] = personal(String(30))
    answers: Mapped[dict[str, Any]] = not_personal(default=dict)
    grade: Mapped[str] = not_personal(String(12))
    value_cents: Mapped[int]
    breakdown: Mapped[list[Any]] = not_personal(default=list)
    expires_at: Mapped[datetime]
    # quoted, accepted, declined, expired, requoted, received
    status: Mapped[str] = not_personal(String(12), default="quoted")
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tradein_quote.id"))
    accepted_at: Mapped[datetime | None]
    signature_name: Mapped[str | None] = personal(String(120))
    payout: Mapped[str | None] = not_personal(String(16))   # store_credit, voucher, purchase
    # acceptance: the customer declared the device is theirs and wiped (signed with signature_name)
    declared_owner: Mapped[bool] = mapped_column(default=False)
    declared_wiped: Mapped[bool] = mapped_column(default=False)
    # the code issued when the payout is not credited to a loyalty account (voucher, purchase)
    voucher_code: Mapped[str | None] = not_personal(String(16), unique=True)


class ImeiBlock(Base):
    __tablename__ = "imei_blocklist"
    imei: Mapped[str] = not_personal(String(15), primary_key=True)
    reason: Mapped[str] = not_personal(String(60))          # stolen, lost, unpaid
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
