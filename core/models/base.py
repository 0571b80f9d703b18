"""Declarative base and the column types every model shares."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Date, DateTime, MetaData, Uuid
from sqlalchemy.engine import Dialect

from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column
from sqlalchemy.types import TypeDecorator

from core import clock
from core.ids import uuid7

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC everywhere.

    Naive datetimes are refused at bind time: a local wall-clock time without its
    zone is exactly the bug that books a slot an hour off on a DST day."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:

        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


# --- personal data: every text, JSON and binary column says whether it describes the person ---
# ``info["personal"]`` is True (the whole value), False (not about the person: ids, codes,
# statuses, staff names, reference data) or, for a JSON column, the tuple of its keys that
# are. core.erasure derives the erasure lists from it; tests/core/test_personal_columns.py
# fails on a text column that does not say.

def personal(*args: Any, fields: tuple[str, ...] | None = None, **kw: Any) -> MappedColumn[Any]:
    """A column about the person: blanked on erasure (None when nullable, "" otherwise).
    For a JSON column, ``fields`` names the personal keys; only those are removed."""
    return mapped_column(*args, info={"personal": fields if fields is not None else True}, **kw)


def not_personal(*args: Any, **kw: Any) -> MappedColumn[Any]:
    """A text column that does not describe the person (ids, codes, statuses, staff, reference data)."""
    return mapped_column(*args, info={"personal": False}, **kw)


def utcnow() -> datetime:
    return clock.now()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime,
        uuid.UUID: Uuid,
        dict[str, Any]: JSON,
        list[Any]: JSON,
        date: Date,
    }

    # Rows of a synced class are captured in the outbox on every insert, update and
    # delete (core.sync.outbox). Local-only tables (outbox, sync state, counters) set False.
    __synced__: bool = True


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
