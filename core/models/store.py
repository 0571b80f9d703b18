"""Stores, staff and their shifts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, Timestamps, not_personal


class Store(IdMixin, Timestamps, Base):
    __tablename__ = "store"
    code: Mapped[str] = not_personal(String(8), unique=True)      # e.g. SH01; prefixes ticket numbers
    name: Mapped[str] = not_personal(String(120))
    timezone: Mapped[str] = not_personal(String(64), default="UTC")
    country: Mapped[str] = not_personal(String(2), default="US")   # default region for phone numbers
    currency: Mapped[str] = not_personal(String(3), default="USD")
    address: Mapped[str] = not_personal(String(300), default="")
    phone: Mapped[str | None] = not_personal(String(20))
    # {"mon": ["09:00", "19:00"], ...}; a missing day is closed
    opening_hours: Mapped[dict[str, Any]] = not_personal(default=dict)
    settings: Mapped[dict[str, Any]] = not_personal(default=dict)
    # tax on what the store charges (core.money.TaxRule): a rate in percent kept as a decimal
    # string (exact, and plain JSON for sync), whether prices include it, and its printed name
    tax_rate: Mapped[str] = not_personal(String(12), default="0")
    tax_inclusive: Mapped[bool] = mapped_column(default=True)
    tax_label: Mapped[str] = not_personal(String(40), default="")


class Staff(IdMixin, Timestamps, Base):
    __tablename__ = "staff"
    # A PIN is 4 to 8 digits: its hash falls to an offline search in seconds, so it never
    # leaves the store (not captured in the outbox, dropped by HQ if an older store sends it).
    # The password hash roams, at the vault's Argon2id cost (core.secrets_hash.hash_password).
    __sync_exclude__ = frozenset({"pin_hash"})
    __table_args__ = (UniqueConstraint("store_id", "staff_number"),)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"), index=True)
    staff_number: Mapped[str] = not_personal(String(16))
    display_name: Mapped[str] = not_personal(String(120))
    role: Mapped[str] = not_personal(String(16))                   # core.permissions.Role
    skills: Mapped[list[Any]] = not_personal(default=list)
    language: Mapped[str | None] = not_personal(String(10))
    password_hash: Mapped[str] = not_personal(String(200))         # Argon2id PHC string
    pin_hash: Mapped[str | None] = not_personal(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class SignInState(Base):
    """Failed sign-in counters; local to the counter machine's database, never synced,
    so a lockout survives a restart but is not pushed around the chain."""

    __tablename__ = "sign_in_state"
    __synced__ = False
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    failed_pins: Mapped[int] = mapped_column(default=0)
    failed_passwords: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]


class Shift(IdMixin, Base):
    """A stretch of a technician's day: work, a break inside it, or an absence."""

    __tablename__ = "shift"
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"), index=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), index=True)
    kind: Mapped[str] = not_personal(String(12), default="work")    # work, break, absence
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str] = not_personal(String(200), default="")


class ShiftTemplate(IdMixin, Base):
    """A technician's usual week: one row per stretch of work or break on a weekday, in
    the store's local wall-clock minutes. A day with explicit ``Shift`` rows of kind
    work (an exception) uses those instead; absences and extra breaks always apply."""

    __tablename__ = "shift_template"
    __table_args__ = (Index("ix_shift_template_staff", "staff_id", "weekday"),)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("store.id"))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    weekday: Mapped[int]                                              # 0 = Monday
    kind: Mapped[str] = not_personal(String(12), default="work")    # work, break
    start_minute: Mapped[int]                                         # local minutes after midnight
    end_minute: Mapped[int]
