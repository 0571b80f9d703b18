"""What every console draft shares: a row of ``hq_reference_draft`` (price books, service
types, parts, loyalty rules), read into a :class:`DraftRow` and written by :func:`insert_draft`.
What a draft holds in ``data``, and how it goes draft -> review -> published, is each kind's own
(:mod:`hq.console.pricebooks`, :mod:`hq.console.reference`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from hq.common import _now
from hq.models import hq_reference_draft as draft_t


@dataclass(frozen=True)
class DraftRow:
    """The columns of one draft (a kind's Draft adds the people's names and its own reading of ``data``)."""
    id: int
    kind: str
    title: str
    version: str
    status: str
    data: dict[str, Any]
    created_by: int
    created_at: datetime
    updated_at: datetime
    submitted_by: int | None
    reviewed_by: int | None
    published_at: datetime | None
    note: str | None


_COLUMNS = tuple(f.name for f in fields(DraftRow))


def columns(row: Any) -> dict[str, Any]:
    """A database row's draft columns, as keyword arguments for a Draft (``data`` copied)."""
    values = {name: getattr(row, name) for name in _COLUMNS}
    values["data"] = dict(row.data or {})
    return values


def insert_draft(conn: Any, kind: str, title: str, version: str, data: dict[str, Any], by: int) -> int:
    """A new draft row (status ``draft``, drafted and last changed now by ``by``); its id."""
    now = _now()
    return int(conn.execute(insert(draft_t).values(
        kind=kind, title=title, version=version, status="draft", data=data, created_by=by, created_at=now,
        updated_at=now)).inserted_primary_key[0])
