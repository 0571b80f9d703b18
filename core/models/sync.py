"""Local bookkeeping for sync: the outbox of captured changes and small state values."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, not_personal


class OutboxEntry(Base):
    """One captured change, written in the same transaction as the change itself."""

    __tablename__ = "outbox"
    __synced__ = False
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    entity: Mapped[str] = not_personal(String(40))
    entity_id: Mapped[str] = not_personal(String(80))
    op: Mapped[str] = not_personal(String(8))               # insert, update, delete
    # copies of other rows' values: erasure scrubs them by entity (core.erasure.scrub_outbox)
    fields: Mapped[dict[str, Any]] = not_personal()
    hlc: Mapped[str] = not_personal(String(80), index=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    rejected: Mapped[str | None] = not_personal(String(200))   # parked with HQ's reason


class SyncState(Base):
    __tablename__ = "sync_state"
    __synced__ = False
    key: Mapped[str] = not_personal(String(40), primary_key=True)
    value: Mapped[str] = not_personal(String(400))
