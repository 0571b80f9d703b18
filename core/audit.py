"""The audit trail: who did what to which record, when; never the personal data itself.

Entries are append-only and chained: each MAC covers the entry's fields and the
previous entry's MAC, under a key derived from the database key.  A head record
(also MAC'd) remembers the last entry, so removing entries from the end shows too.
``verify`` names the first entry that does not fit.

HQ vouches for the trail: every push carries the chain head (:func:`chain_report`),
HQ answers with the head it acknowledged, and the store keeps that answer
(:func:`acknowledge`). The MAC key derives from the database key, so whoever holds
that key can delete the whole trail or recompute every MAC; HQ's copy of the MAC at
the acknowledged entry cannot be recomputed, so :func:`verify` checks the chain still
holds that entry unchanged. Each report also carries a proof: the MAC the chain holds
now at the entry HQ acknowledged last, which HQ compares with its copy before it
acknowledges anything newer (so deleting the acknowledgement here does not help).
A restore from a backup starts a new epoch that an admin declares
(:func:`start_epoch`); HQ records it and shows it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.ids import uuid7
from core.errors import ValidationError
from core.models import AuditEvent, SyncState
from core.permissions import Actor, Perm, require

GENESIS = "0" * 64
HEAD_KEY = "audit.head"
EPOCH_KEY = "audit.epoch"          # the chain's epoch (1 until an admin declares a new one)
ACK_KEY = "audit.hq_ack"           # "epoch|seq|mac": the last head HQ acknowledged
EPOCH_REASONS = ("restored_from_backup", "moved_to_new_computer", "chain_reset_after_review")
_HEX64 = re.compile(r"[0-9a-f]{64}")


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
    """Walk the chain in order; report the first entry that was altered, removed or moved,
    then check the chain still holds the entry HQ acknowledged last, unchanged (else the
    trail was truncated or rewritten since: ``first_bad_seq`` is that entry). Whoever may
    read the trail (managers) may check it: the check reads MACs, no personal data."""
    require(actor, Perm.VIEW_REPORTS)
    key = _key(session)
    ack = hq_ack(session)
    acked_seq = ack[1] if ack is not None else 0
    acked_mac: str | None = GENESIS if acked_seq == 0 else None
    prev_mac, expected_seq, count = GENESIS, 1, 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if ev.seq != expected_seq:
            return AuditCheck(False, count, expected_seq, "entry missing")
        if ev.prev_mac != prev_mac:
            return AuditCheck(False, count, ev.seq, "chain broken before this entry")
        if not hmac.compare_digest(ev.mac, _entry_mac(key, ev, prev_mac)):
            return AuditCheck(False, count, ev.seq, "entry altered")
        if ev.seq == acked_seq:
            acked_mac = ev.mac
        prev_mac, expected_seq, count = ev.mac, expected_seq + 1, count + 1
    head = session.get(SyncState, HEAD_KEY)
    if head is None:
        if count:
            return AuditCheck(False, count, count, "head record missing")
        return _check_ack(session, count, acked_mac)
    try:
        seq_s, mac, head_mac = head.value.split("|")
        seq = int(seq_s)
    except ValueError:
        return AuditCheck(False, count, count + 1, "head record damaged")
    if not hmac.compare_digest(head_mac, _head_mac(key, seq, mac)):
        return AuditCheck(False, count, seq, "head record altered")
    if seq != count or mac != prev_mac:
        return AuditCheck(False, count, count + 1, "entries removed from the end")
    return _check_ack(session, count, acked_mac)


def _check_ack(session: Session, count: int, mac_there: str | None) -> AuditCheck:
    """The chain must still hold the entry HQ acknowledged, unchanged. An acknowledgement
    from an earlier epoch no longer binds: an admin declared the new one (HQ shows it).
    With none here there is nothing to check locally; HQ keeps its own and flags a proof
    that is missing or not for its last acknowledgement (or the one before it)."""
    ack = hq_ack(session)
    if ack is None or ack[1] == 0 or ack[0] < epoch(session):
        return AuditCheck(True, count)
    if mac_there is None or not hmac.compare_digest(mac_there, ack[2]):
        return AuditCheck(False, count, ack[1],
                          f"entries removed or rewritten since HQ acknowledged entry {ack[1]}")
    return AuditCheck(True, count)


# HQ's acknowledgement and epochs ---------------------------------------------------------------

def epoch(session: Session) -> int:
    row = session.get(SyncState, EPOCH_KEY)
    try:
        return max(1, int(row.value)) if row is not None else 1
    except ValueError:
        return 1


def hq_ack(session: Session) -> tuple[int, int, str] | None:
    """(epoch, seq, mac) of the last head HQ acknowledged, if any."""
    row = session.get(SyncState, ACK_KEY)
    if row is None:
        return None
    try:
        e, s, mac = row.value.split("|")
        return int(e), int(s), mac
    except ValueError:
        return None


def _head(session: Session) -> tuple[int, str]:
    head = session.get(SyncState, HEAD_KEY)
    if head is None:
        return 0, GENESIS
    try:
        seq_s, mac = head.value.split("|")[:2]
        return int(seq_s), mac
    except ValueError:
        return 0, GENESIS


def chain_report(session: Session) -> dict[str, Any]:
    """What a push tells HQ: the chain's epoch and head, and the proof that the chain
    still holds the entry HQ acknowledged last (its MAC as the chain has it now, or
    ``None`` when it is gone)."""
    ep = epoch(session)
    seq, mac = _head(session)
    ack = hq_ack(session)
    proof_seq = ack[1] if ack is not None and ack[0] == ep else 0
    proof_mac: str | None = GENESIS
    if proof_seq:
        proof_mac = session.scalar(select(AuditEvent.mac).where(AuditEvent.seq == proof_seq))
    return {"epoch": ep, "seq": seq, "mac": mac, "proof": {"seq": proof_seq, "mac": proof_mac}}


def acknowledge(session: Session, ack: object) -> bool:
    """Keep the head HQ says it acknowledged (HQ's answer to a push). Returns whether
    the answer held one; anything malformed is ignored."""
    if not isinstance(ack, dict):
        return False
    e, s, mac = ack.get("epoch"), ack.get("seq"), ack.get("mac")
    if not (isinstance(e, int) and isinstance(s, int) and e >= 1 and s >= 0 and isinstance(mac, str)
            and _HEX64.fullmatch(mac)):
        return False
    value = f"{e}|{s}|{mac}"
    row = session.get(SyncState, ACK_KEY)
    if row is None:
        session.add(SyncState(key=ACK_KEY, value=value))
    elif row.value != value:
        row.value = value
    session.flush()
    return True


def start_epoch(session: Session, actor: Actor, reason_code: str) -> int:
    """Declare that the trail starts a new epoch (after restoring a backup, the trail
    may lack entries HQ acknowledged). Records an entry saying so; the next push tells
    HQ, which shows the declared epoch. Returns the new epoch."""
    require(actor, Perm.MANAGE_STORE)
    if reason_code not in EPOCH_REASONS:
        raise ValidationError("reason_code", "must be one of {codes}", codes=", ".join(EPOCH_REASONS))
    ack = hq_ack(session)
    new = max(epoch(session), ack[0] if ack is not None else 0) + 1
    record(session, actor, "audit.epoch_start", "audit", None, detail=f"epoch={new};reason={reason_code}")
    row = session.get(SyncState, EPOCH_KEY)
    if row is None:
        session.add(SyncState(key=EPOCH_KEY, value=str(new)))
    else:
        row.value = str(new)
    session.flush()
    return new
