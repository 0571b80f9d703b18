"""HQ writes reference data itself: the console publishes price books, service types,
parts and loyalty rules as rows of the global bucket, exactly as a publisher store's push
would (:mod:`core.sync.merge`: writer ``hq``), so every store pulls them as it always has.

Each published row is checked as a store's operation is (``merge.check_id`` /
``merge.check_fields``: known entity, known columns, values every replica can hold) and
stamped with HQ's own hybrid clock (node ``hq``), under the sequence lock a push takes, so
a publish and a push commit one after the other in sequence order. A row that a publisher
store changed later keeps its newer fields: the merge is per field by stamp, as for a push.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select, update

from core.sync import merge
from core.sync.hlc import Timestamp, tick
from hq.bulk import _write_rows
from hq.common import BadRequest, _now_ms, _write
from hq.models import hq_row, hq_state
from hq.push import HQ_NODE, _lock


@dataclass
class Change:
    """One reference row to publish: its entity, id and whole data (JSON values, as the
    outbox writes them: :func:`core.sync.outbox.jsonable`), or ``deleted``."""

    entity: str
    entity_id: str
    data: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False


def check(change: Change) -> None:
    """Refuse what no store could take (:class:`hq.common.BadRequest` naming the entity and
    the reason code, never a value)."""
    pol = merge.policy(change.entity)
    if pol is None or pol.writer != merge.WRITER_HQ:
        raise BadRequest("{entity} is not reference data HQ publishes", "not_reference", entity=change.entity[:40])
    try:
        merge.check_id(change.entity, change.entity_id)
        if not change.deleted:
            merge.check_fields(change.entity, "insert", change.data)
    except merge.Rejected as r:
        raise BadRequest("{entity}: {reason}", "invalid_reference", entity=change.entity, reason=r.text) from None


def publish(engine: Engine, changes: list[Change], *, now_ms: int | None = None) -> int:
    """Write ``changes`` as HQ's own, in one transaction; returns the new head of the
    sequence. Every change is checked first: one bad row publishes nothing."""
    for c in changes:
        check(c)
    if not changes:
        return 0
    now_ms = _now_ms() if now_ms is None else now_ms
    with _write(engine) as conn, conn.begin():
        seq, hlc_text = _lock(conn)
        last = Timestamp.decode(hlc_text) if hlc_text else None
        keys = [(c.entity, c.entity_id) for c in changes]
        have: dict[tuple[str, str], Any] = {}
        for entity in {e for e, _ in keys}:
            ids = [i for e, i in keys if e == entity]
            for r in conn.execute(select(hq_row).where(hq_row.c.entity == entity, hq_row.c.entity_id.in_(ids))
                                  ).mappings():
                have[(entity, r["entity_id"])] = r
        inserts, updates = [], []
        for c in changes:
            last = tick(last, now_ms, HQ_NODE)
            stamp = last.encode()
            old = have.get((c.entity, c.entity_id))
            data = {} if c.deleted else dict(c.data)
            stamps: dict[str, str] = {"*": stamp}
            if old is not None and not c.deleted and not old["deleted"]:
                # per field by stamp, as a push merges: a newer field HQ holds stays
                old_stamps = dict(old["stamps"] or {})
                merged = dict(old["data"] or {})
                for name, value in data.items():
                    if merge.field_stamp(old_stamps, name) <= stamp:
                        merged[name] = value
                    else:
                        stamps[name] = merge.field_stamp(old_stamps, name)
                data = merged
            seq += 1
            values = dict(entity=c.entity, entity_id=c.entity_id, seq=seq, bucket=merge.BUCKET_GLOBAL,
                          owner_store_id=None, customer_id=None, deleted=c.deleted, data=data, stamps=stamps)
            (updates if old is not None else inserts).append(values)
        _write_rows(conn, inserts, updates)
        conn.execute(update(hq_state).where(hq_state.c.key == "seq").values(num=seq))
        assert last is not None
        conn.execute(update(hq_state).where(hq_state.c.key == "hlc").values(text=last.encode()))
    return seq
