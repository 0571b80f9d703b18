"""The delivery status goes back onto the store's own ``message_request`` row: only HQ's
fields (``status``, ``status_reason``, ``status_at``, ``attempts``), merged as an update
through :func:`hq.publish.write_for_store` (so the store's own fields, such as
``cancelled``, are never overwritten), and the store pulls it at its next sync.

HQ's ``sending`` is its own: the store sees ``queued`` until the message is sent or failed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, select, update

from core.messages import STATUSES
from core.sync.outbox import jsonable
from hq import publish
from hq.common import StoreAuth
from hq.models import hq_message, hq_store

ENTITY = "message_request"


def store_auth(conn: Connection, store_id: uuid.UUID) -> StoreAuth | None:
    code = conn.scalar(select(hq_store.c.code).where(hq_store.c.store_id == store_id))
    return None if code is None else StoreAuth(store_id, code, False)


def report(conn: Connection, store_id: uuid.UUID, request_id: uuid.UUID, *, status: str, reason: str,
           attempts: int, now: datetime) -> bool:
    """Write ``status`` (a store status: :data:`core.messages.STATUSES`) with its reason, time
    and attempts onto the store's request row, in the caller's transaction (``conn``: a write
    connection), and note when in ``hq_message.reported_at``. False when HQ holds no such
    store any more (nothing written)."""
    if status not in STATUSES:
        raise ValueError("not a store message status")
    auth = store_auth(conn, store_id)
    if auth is None:
        return False
    data = {"status": status, "status_reason": reason[:40], "status_at": jsonable(now), "attempts": attempts}
    publish.write_for_store(conn.engine, auth, [publish.Change(ENTITY, str(request_id), data, update=True)],
                            conn=conn)      # stamped with HQ's own clock
    conn.execute(update(hq_message).where(hq_message.c.id == request_id).values(reported_at=now))
    return True


__all__ = ["ENTITY", "report", "store_auth"]
