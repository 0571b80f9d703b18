"""Change capture: every write to a synced table leaves one outbox row in the same
transaction.

The hook runs in ``after_flush``, where the flush's SQL has been emitted but the
transaction is still open and each object's attribute history is still there, so
an update records exactly the fields it changed. A rolled-back transaction takes its
outbox rows with it. The HLC state is read and written in the same transaction, so
stamps stay strictly increasing across processes sharing the file and across restarts.

A clock that ran fast and was put right (:func:`tick_base`): HQ refuses a stamp more than
``merge.MAX_CLOCK_AHEAD_MS`` ahead of its clock, and this store never takes one from HQ that
far ahead of its own (``core.sync.apply._advance_clock``), so a last stamp beyond wall now +
the cap can only come from this machine's own clock having been fast. It is not ticked from:
the next stamps start from the newest stamp HQ has accepted from this store or handed to it.
"""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, event, func, insert, inspect, select, update
from sqlalchemy.orm import InstanceState, Session, UOWTransaction


from core import clock
from core.ids import uuid7
from core.models import OutboxEntry, SyncState
from core.sync import merge, withhold
from core.sync.hlc import WALL_DIGITS, Timestamp, tick

HLC_KEY = "hlc.last"
NODE_KEY = "hlc.node"
HQ_SEEN_KEY = "hlc.hq"     # the newest stamp HQ has handed this store (core.sync.apply._advance_clock)


def beyond_cap(stamp: Timestamp, now_ms: int) -> bool:
    """Is ``stamp`` further ahead of the wall clock ``now_ms`` than HQ accepts?"""
    return stamp.wall_ms > now_ms + merge.MAX_CLOCK_AHEAD_MS


def below_cap(now_ms: int) -> str:
    """Encoded stamps sort as text: every stamp within the cap of wall ``now_ms`` sorts
    below this string, every stamp beyond it does not."""
    return f"{now_ms + merge.MAX_CLOCK_AHEAD_MS + 1:0{WALL_DIGITS}d}"


def clock_floor(conn: Connection, now_ms: int) -> Timestamp | None:
    """The newest stamp HQ has handed this store or accepted from it: the newest of
    :data:`HQ_SEEN_KEY` and of this store's operations HQ accepted (sent) or has still to
    judge (waiting, within the cap, so later stamps stay above them). A parked operation's
    stamp never counts: a refused fast stamp is what the floor replaces."""
    seen = conn.execute(select(SyncState.value).where(SyncState.key == HQ_SEEN_KEY)).scalar()
    limit = below_cap(now_ms)
    own = conn.execute(select(func.max(OutboxEntry.hlc)).where(OutboxEntry.rejected.is_(None),
                                                               OutboxEntry.hlc < limit)).scalar()
    found = []
    for text in (seen, own):
        try:
            if text:
                found.append(Timestamp.decode(text))
        except ValueError:
            continue
    return max(found, default=None)


def tick_base(conn: Connection, last: Timestamp | None, now_ms: int) -> Timestamp | None:
    """What this store's next stamp ticks from (``tick(base, now_ms, node)``): its last
    stamp, unless that lies beyond wall ``now_ms`` + the cap. Such a stamp can only come from
    this machine's own clock having been fast (HQ refuses stamps beyond its now + the cap and
    hands none out; a store receives none); ticking from it would stamp every new edit, and
    every operation sent again, as far ahead, and HQ would refuse them or they would win
    every later last-writer-wins decision. The base is then :func:`clock_floor`."""
    if last is None or not beyond_cap(last, now_ms):
        return last
    return clock_floor(conn, now_ms)


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
    last = tick_base(conn, last, clock.now_ms())    # not from a stamp a fast clock left
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
