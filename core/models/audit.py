"""The audit trail: append-only, each entry chained to the one before by HMAC."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, not_personal


class AuditEvent(Base):
    __tablename__ = "audit_event"
    # Local and not synced: the chain is this replica's own record; HQ keeps its own.
    __synced__ = False
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    at: Mapped[datetime]
    staff_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = not_personal(String(40))          # customer.view, customer.update, sign_in.failed
    entity: Mapped[str | None] = not_personal(String(40))
    entity_id: Mapped[str | None] = not_personal(String(40))
    detail: Mapped[str] = not_personal(String(200), default="")   # never personal data
    prev_mac: Mapped[str] = not_personal(String(64))
    mac: Mapped[str] = not_personal(String(64))
