"""The audit trail: who did what to which record, when; never the personal data itself.

Entries are append-only and chained: each MAC covers the entry's fields and the
previous entry's MAC, under a key derived from the database key.  A head record
(also MAC'd) remembers the last entry, so removing entries from the end shows too.
``verify`` names the first entry that does not fit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.ids import uuid7
from core.models import AuditEvent, SyncState
from core.permissions import Actor, Perm, require

GENESIS = "0" * 64
HEAD_KEY = "audit.head"


def _key(session: Session) -> bytes:
    key: bytes | None = session.info.get("audit_key")
    if not key:

        raise RuntimeError("session has no audit key; open it through StoreDatabase.session()")
    return key


def _mac(key: bytes, prev_mac: str, seq: int, ev_id: str, at: str, staff_id: str | None,
         action: str, entity: str | None, entity_id: str | None, detail: str) -> str:
    body = json.dumps([prev_mac, seq, ev_id, at, staff_id, action, entity, entity_id, detail],
                      ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def _entry_mac(key: bytes, ev: AuditEvent, prev_mac: str) -> str:
    return _mac(key, prev_mac, ev.seq, str(ev.id), ev.at.isoformat(),
                str(ev.staff_id) if ev.staff_id else None, ev.action, ev.entity, ev.entity_id, ev.detail)


def _head_mac(key: bytes, seq: int, mac: str) -> str:
    return hmac.new(key, f"head|{seq}|{mac}".encode(), hashlib.sha256).hexdigest()


def record(session: Session, actor: Actor | None, action: str, entity: str | None = None,
           entity_id: uuid.UUID | str | None = None, detail: str = "",
           staff_id: uuid.UUID | None = None) -> None:
    """Append an entry. Call it inside the unit of work it describes, so the two commit
    together. ``detail`` must hold no personal data (a field name, a count, a status)."""
    key = _key(session)
    head = session.get(SyncState, HEAD_KEY, with_for_update=False)
    if head is not None:
        last_seq, last_mac = head.value.split("|")[:2]
        seq, prev_mac = int(last_seq) + 1, last_mac
    else:
        seq, prev_mac = 1, GENESIS
    ev = AuditEvent(seq=seq, id=uuid7(), at=clock.now().replace(microsecond=0),
                    staff_id=actor.staff_id if actor else staff_id, action=action, entity=entity,
                    entity_id=str(entity_id) if entity_id is not None else None, detail=detail[:200],
                    prev_mac=prev_mac, mac="")
    ev.mac = _entry_mac(key, ev, prev_mac)
    session.add(ev)
    value = f"{seq}|{ev.mac}|{_head_mac(key, seq, ev.mac)}"
    if head is None:
        session.add(SyncState(key=HEAD_KEY, value=value))
    else:
        head.value = value
    session.flush()


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify(session: Session, actor: Actor) -> AuditCheck:
    """Walk the chain in order; report the first entry that was altered, removed or moved."""
    require(actor, Perm.MANAGE_STORE)
    key = _key(session)
    prev_mac, expected_seq, count = GENESIS, 1, 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if ev.seq != expected_seq:
            return AuditCheck(False, count, expected_seq, "entry missing")
        if ev.prev_mac != prev_mac:
            return AuditCheck(False, count, ev.seq, "chain broken before this entry")
        if not hmac.compare_digest(ev.mac, _entry_mac(key, ev, prev_mac)):
            return AuditCheck(False, count, ev.seq, "entry altered")
        prev_mac, expected_seq, count = ev.mac, expected_seq + 1, count + 1
    head = session.get(SyncState, HEAD_KEY)
    if head is None:
        if count:
            return AuditCheck(False, count, count, "head record missing")
        return AuditCheck(True, 0)
    try:
        seq_s, mac, head_mac = head.value.split("|")
        seq = int(seq_s)
    except ValueError:
        return AuditCheck(False, count, count + 1, "head record damaged")
    if not hmac.compare_digest(head_mac, _head_mac(key, seq, mac)):
        return AuditCheck(False, count, seq, "head record altered")
    if seq != count or mac != prev_mac:
        return AuditCheck(False, count, count + 1, "entries removed from the end")
    return AuditCheck(True, count)
