"""Change capture: every write to a synced table leaves one outbox row in the same
transaction.

The hook runs in ``after_flush``, where the flush's SQL has been emitted but the
transaction is still open and each object's attribute history is still there, so
an update records exactly the fields it changed. A rolled-back transaction takes its
outbox rows with it. The HLC state is read and written in the same transaction, so
stamps stay strictly increasing across processes sharing the file and across restarts.
"""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import InstanceState, Session, UOWTransaction


from core import clock
from core.ids import uuid7
from core.models import OutboxEntry, SyncState
from core.sync import withhold
from core.sync.hlc import Timestamp, tick

HLC_KEY = "hlc.last"
NODE_KEY = "hlc.node"


def jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode()}
    return value


def _entity_id(state: InstanceState[Any]) -> str:
    return ":".join(str(v) for v in state.mapper.primary_key_from_instance(state.obj()))


def _changes(session: Session) -> list[tuple[str, str, str, dict[str, Any]]]:
    out = []
    for obj in session.new:
        if getattr(obj, "__synced__", False):
            state = inspect(obj)
            skip = getattr(obj, "__sync_exclude__", ())
            fields = {a.key: jsonable(getattr(obj, a.key)) for a in state.mapper.column_attrs if a.key not in skip}
            out.append((state.mapper.local_table.name, _entity_id(state), "insert", fields))
    for obj in session.dirty:
        if getattr(obj, "__synced__", False):
            state = inspect(obj)
            skip = getattr(obj, "__sync_exclude__", ())
            fields = {}
            for attr in state.mapper.column_attrs:
                if attr.key in skip:   # local-only columns (a sealed passcode) never leave the store
                    continue
                hist = state.attrs[attr.key].history
                if hist.added:
                    fields[attr.key] = jsonable(hist.added[0])
            if fields:  # a dirty flag without a real change is not a write
                out.append((state.mapper.local_table.name, _entity_id(state), "update", fields))
    for obj in session.deleted:
        if getattr(obj, "__synced__", False):
            state = inspect(obj)
            out.append((state.mapper.local_table.name, _entity_id(state), "delete", {}))
    return out


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if session.info.get("applying_remote"):
        return   # changes pulled from HQ (core.sync.apply) are not this store's to send back
    changes = _changes(session)
    if not changes:
        return
    conn = session.connection()
    changes = withhold.apply(conn, changes)      # hq_transfer withdrawn: no personal data leaves
    if not changes:
        return
    state = dict(conn.execute(select(SyncState.key, SyncState.value)
                              .where(SyncState.key.in_([HLC_KEY, NODE_KEY]))).all())
    node = state.get(NODE_KEY) or session.info.get("hlc_node") or "local"
    last = Timestamp.decode(state[HLC_KEY]) if HLC_KEY in state else None
    now = clock.now()
    rows = []
    for entity, entity_id, op, fields in changes:
        last = tick(last, clock.now_ms(), node)
        rows.append(dict(op_id=uuid7(), entity=entity, entity_id=entity_id, op=op,
                         fields=fields, hlc=last.encode(), created_at=now, sent_at=None))
    conn.execute(insert(OutboxEntry), rows)
    newest = rows[-1]["hlc"]
    if HLC_KEY in state:
        conn.execute(update(SyncState).where(SyncState.key == HLC_KEY).values(value=newest))
    else:
        conn.execute(insert(SyncState).values(key=HLC_KEY, value=newest))


def install(session_class: type[Session]) -> None:
    """Capture changes for every session made from ``session_class``."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
