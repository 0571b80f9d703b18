"""The console's audit log: who changed what, when. Written in the same transaction as
the change; never a password, a code, a credential or a person's data (targets are
usernames, region names and store codes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from hq.common import _now
from hq.models import hq_console_audit, hq_user

PAGE = 100


def record(conn, user_id: int | None, action: str, target: str = "", detail: str = "") -> None:
    conn.execute(insert(hq_console_audit).values(at=_now(), user_id=user_id, action=action[:40],
                                                 target=target[:120], detail=detail[:300]))


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    username: str | None
    action: str
    target: str
    detail: str


def entries(engine: Engine, *, before: int | None = None, limit: int = PAGE) -> list[Entry]:
    """Newest first; ``before``: the page after the entry with that id."""
    q = (select(hq_console_audit, hq_user.c.username)
         .select_from(hq_console_audit.outerjoin(hq_user, hq_user.c.id == hq_console_audit.c.user_id))
         .order_by(hq_console_audit.c.id.desc()).limit(limit))
    if before is not None:
        q = q.where(hq_console_audit.c.id < before)
    with engine.connect() as conn:
        return [Entry(r.id, r.at, r.username, r.action, r.target, r.detail) for r in conn.execute(q)]
