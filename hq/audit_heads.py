"""HQ vouches for each store's audit trail.

Every push (and, when a store has nothing to push, ``POST /v1/audit-head``) carries the
store's chain head ``{"epoch", "seq", "mac"}`` and a proof: the MAC the store's chain
holds *now* at the entry HQ acknowledged last (``{"seq", "mac"}``). HQ keeps one row per
store and epoch (``hq_audit_head``): the head it acknowledged, the acknowledgement before
it (``prev_seq``/``prev_mac``), the last head reported, when the epoch began, and
``went_backwards_at``/``reason`` once the chain went backwards.

In one epoch HQ acknowledges a new head only when the proof matches its own copy of the
MAC at the entry it acknowledged last. A proof for the acknowledgement before it (the
store lost the answer) gets HQ's last acknowledgement back, and the next push proves that
one; HQ counts those re-sent answers (``resent``, once per new head the store reports).
The chain went backwards (the store is flagged; the push itself is never refused, sales
go on) when:

- the reported seq is lower than the one HQ acknowledged, or lower than the last one
  the store reported;
- the reported seq equals the acknowledged one with another MAC;
- the proof for HQ's last acknowledgement, or the one before, carries another MAC, or
  none (the entry is gone);
- the proof is for any other entry, or missing (``{0, GENESIS}``: the store's copy of the
  acknowledgement was deleted), while HQ acknowledged an entry after the first;
- the store proved the acknowledgement before the last more than ``_RESENDS`` times with
  a new head each time (an answer is lost now and then; a store that keeps its
  acknowledgement pinned to an old one is dodging the proof);
- the epoch is lower than one HQ has seen.

A higher epoch is one an admin declared (after restoring a backup): it is recorded and
shown by ``orchard-hq status``, not alarmed. The answer is always the head HQ
acknowledged in the store's latest epoch; the store keeps it and its ``verify`` checks
the chain against it. Once the chain went backwards in an epoch, HQ keeps the head it
acknowledged before until an admin declares a new epoch. Reasons name sequence numbers only.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from hq.common import BadRequest, StoreAuth, _now, _touch_store, _write
from hq.models import hq_audit_head, hq_store

GENESIS = "0" * 64
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX = 2**62
_RESENDS = 3        # answers re-sent for a proof of the previous acknowledgement before HQ flags


@dataclass(frozen=True)
class Report:
    epoch: int
    seq: int
    mac: str
    proof_seq: int
    proof_mac: str | None


def _int(value: Any, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < _MAX:
        raise BadRequest("audit_head.{name} must be a whole number", code="bad_audit_head", name=name)
    return value


def _mac(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise BadRequest("audit_head.{name} must be 64 hex digits", code="bad_audit_head", name=name)
    return value


def parse(value: Any) -> Report | None:
    """The ``audit_head`` of a request; ``None`` when the store sent none."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequest("audit_head must be an object", code="bad_audit_head")
    proof = value.get("proof")
    if proof is None:
        proof = {"seq": 0, "mac": GENESIS}
    if not isinstance(proof, dict):
        raise BadRequest("audit_head.proof must be an object", code="bad_audit_head")
    mac = _mac(value.get("mac"), "mac")
    assert mac is not None
    return Report(_int(value.get("epoch"), "epoch", 1), _int(value.get("seq"), "seq", 0), mac,
                  _int(proof.get("seq"), "proof.seq", 0), _mac(proof.get("mac"), "proof.mac", optional=True))


def _ack(row: Any) -> dict[str, Any]:
    return {"epoch": int(row.epoch), "seq": int(row.seq), "mac": row.mac}


def receive(conn, auth: StoreAuth, report: Report | None) -> dict[str, Any] | None:
    """Judge one report inside the caller's transaction; returns the head HQ
    acknowledges (``None`` when the store sent none and HQ holds none)."""
    q = select(hq_store.c.store_id).where(hq_store.c.store_id == auth.store_id)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()          # one report per store at a time
    conn.execute(q)
    t = hq_audit_head
    latest = conn.execute(select(t).where(t.c.store_id == auth.store_id)
                          .order_by(t.c.epoch.desc()).limit(1)).first()
    if report is None:
        return _ack(latest) if latest is not None else None
    now = _now()
    if latest is None or report.epoch > latest.epoch:
        # the first head HQ hears of, or an epoch an admin declared: shown, not alarmed
        conn.execute(insert(t).values(store_id=auth.store_id, epoch=report.epoch, seq=report.seq, mac=report.mac,
                                      acked_at=now, started_at=now, declared=latest is not None,
                                      reported_seq=report.seq, reported_at=now, prev_seq=0, prev_mac=GENESIS,
                                      resent=0))
        return {"epoch": report.epoch, "seq": report.seq, "mac": report.mac}
    key = (t.c.store_id == auth.store_id) & (t.c.epoch == latest.epoch)
    reason = _backwards(latest, report)
    values: dict[str, Any] = {}
    if report.epoch == latest.epoch:
        values.update(reported_seq=report.seq, reported_at=now)
        if reason is None and latest.went_backwards_at is None:
            if report.proof_seq != latest.seq:
                # a proof of the acknowledgement before (_backwards let it through): a lost answer
                if report.seq > latest.reported_seq:
                    values.update(resent=latest.resent + 1)
            elif report.seq > latest.seq:
                values.update(seq=report.seq, mac=report.mac, acked_at=now, prev_seq=latest.seq,
                              prev_mac=latest.mac, resent=0)
            else:
                values.update(acked_at=now)      # the same head again
    if reason is not None and latest.went_backwards_at is None:
        values.update(went_backwards_at=now, reason=reason[:200])
    if values:
        conn.execute(update(t).where(key).values(**values))
    if "mac" in values:
        return {"epoch": latest.epoch, "seq": report.seq, "mac": report.mac}
    return _ack(latest)


def _backwards(latest: Any, r: Report) -> str | None:
    if r.epoch < latest.epoch:
        return f"epoch {r.epoch} reported after epoch {latest.epoch}"
    if r.seq < latest.seq:
        return f"entry {r.seq} reported after HQ acknowledged entry {latest.seq}"
    if r.seq == latest.seq and r.mac != latest.mac:
        return f"entry {r.seq} rewritten after HQ acknowledged it"
    if r.seq < latest.reported_seq:
        return f"entry {r.seq} reported after entry {latest.reported_seq}"
    if r.proof_seq == latest.seq:
        if latest.seq > 0 and r.proof_mac != latest.mac:
            return f"entry {latest.seq} removed or rewritten after HQ acknowledged it"
        return None
    if r.proof_seq == latest.prev_seq:
        if latest.prev_seq > 0 and r.proof_mac != latest.prev_mac:
            return f"entry {latest.prev_seq} removed or rewritten after HQ acknowledged it"
        if r.seq > latest.reported_seq and latest.resent >= _RESENDS:
            return f"entry {latest.seq} not proven after HQ re-sent its acknowledgement {latest.resent} times"
        return None
    if r.proof_seq == 0:
        return f"proof missing for entry {latest.seq} HQ acknowledged"
    return f"proof for entry {r.proof_seq} after HQ acknowledged entry {latest.seq}"


def report(engine: Engine, auth: StoreAuth, body: Any) -> dict[str, Any]:
    """``POST /v1/audit-head``: a store with nothing to push still reports its head."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be an object")
    parsed = parse(body.get("audit_head"))
    with _write(engine) as conn, conn.begin():
        ack = receive(conn, auth, parsed)
        _touch_store(conn, auth, None, None)
    return {"audit_ack": ack}


@dataclass(frozen=True)
class EpochHead:
    epoch: int
    seq: int
    acked_at: datetime
    started_at: datetime
    declared: bool
    went_backwards_at: datetime | None
    reason: str | None


def heads(conn) -> dict[uuid.UUID, list[EpochHead]]:
    """Each store's epochs, oldest first (for ``orchard-hq status``)."""
    t = hq_audit_head
    out: dict[uuid.UUID, list[EpochHead]] = {}
    for r in conn.execute(select(t).order_by(t.c.store_id, t.c.epoch)):
        out.setdefault(r.store_id, []).append(EpochHead(int(r.epoch), int(r.seq), r.acked_at, r.started_at,
                                                        bool(r.declared), r.went_backwards_at, r.reason))
    return out
