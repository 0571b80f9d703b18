"""Customers and what belongs to them directly: consents, devices, purchases, notes."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal, personal, utcnow


class Customer(IdMixin, Timestamps, Base):
    __tablename__ = "customer"
    __sync_exclude__ = frozenset({"last_visit_at"})   # derived by triggers in each replica
    __table_args__ = (
        Index("ix_customer_phone", "phone_e164"),
        Index("ix_customer_email", "email"),
    )
    home_store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("store.id"))
    given_name: Mapped[str] = personal(String(100), default="")
    family_name: Mapped[str] = personal(String(100), default="")
    # derived for search: full pinyin ("zhang wei") and initials ("zw") of Chinese names
    name_pinyin: Mapped[str] = personal(String(400), default="")
    name_initials: Mapped[str] = personal(String(100), default="")
    phone_e164: Mapped[str | None] = personal(String(20))
    email: Mapped[str | None] = personal(String(254))
    address: Mapped[str] = personal(String(300), default="")
    language: Mapped[str | None] = personal(String(10))
    # how the customer wants to hear from the store (issue 22: core.messages): sms, email,
    # phone (a person calls; nothing automatic), none; "" = not said (the ticket's choice holds)
    contact_preference: Mapped[str] = not_personal(String(12), default="")
    birth_date: Mapped[date | None] = personal()
    # kept by database triggers from appointments, tickets and purchases (migration 0005), so
    # the result list shows it without reading three more tables per line
    last_visit_at: Mapped[datetime | None]
    erased: Mapped[bool] = mapped_column(default=False)
    erased_at: Mapped[datetime | None]
    # the staff member who erased (migration 0015): HQ accepts the erasure only from a role that may erase
    erased_by_id: Mapped[uuid.UUID | None]
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))

    @property
    def display_name(self) -> str:
        return person_name(self.given_name, self.family_name)


class Consent(IdMixin, Base):
    """One decision about one purpose; the latest row per purpose is in force."""

    __tablename__ = "consent"
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    purpose: Mapped[str] = not_personal(String(40))      # marketing_sms, marketing_email, hq_transfer, loyalty
    granted: Mapped[bool]
    notice_version: Mapped[str] = not_personal(String(20))
    channel: Mapped[str] = not_personal(String(20))      # in_store, phone, online
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("store.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Device(IdMixin, Timestamps, Base):
    __tablename__ = "device"
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = not_personal(String(16), default="phone")   # phone, tablet, laptop, watch
    model: Mapped[str] = not_personal(String(120))
    serial: Mapped[str | None] = personal(String(30), index=True)
    imei: Mapped[str | None] = personal(String(15), index=True)
    purchase_date: Mapped[date | None]
    warranty_end: Mapped[date | None]
    coverage_end: Mapped[date | None]


class Purchase(IdMixin, Base):
    """A sale recorded by the till (arrives from HQ); kept for history and loyalty."""

    __tablename__ = "purchase"
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("store.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    description: Mapped[str] = not_personal(String(200))
    sku: Mapped[str | None] = not_personal(String(40))
    total_cents: Mapped[int]                     # negative for a refund
    # issue 23: a sale from the chain's till or web shop, brought by HQ (hq.sales)
    receipt_id: Mapped[str] = not_personal(String(64), default="")     # the till's id; "" for older rows
    currency: Mapped[str] = not_personal(String(3), default="")
    kind: Mapped[str] = not_personal(String(8), default="sale")        # sale, refund
    lines: Mapped[list[Any]] = not_personal(default=list)   # [{sku, description, qty, amount_cents}]


class CustomerNote(IdMixin, Base):
    __tablename__ = "customer_note"
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = personal(Text)


_HAN_IN_NAME = re.compile("[\u4e00-\u9fff]")


def person_name(given: str | None, family: str | None) -> str:
    """A person's name as Orchard writes it everywhere (screen, paper, HQ): Chinese names
    family name first without a space, others given name first."""
    given, family = given or "", family or ""
    if _HAN_IN_NAME.search(family) or _HAN_IN_NAME.search(given):
        return f"{family}{given}"
    return f"{given} {family}".strip()
