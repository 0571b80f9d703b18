"""A pushed batch's operations, parsed and checked each on its own, before any database
work: shape, entity, id, fields, and a stamp not too far ahead of HQ's clock."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from core.secrets_hash import password_cost_ok
from core.sync import merge
from core.sync.merge import parse_uuid
from hq.common import BadRequest

MAX_BATCH = 5000

_STAMP = re.compile(r"(\d{15})-\d{6}-[^\s]{1,64}", re.ASCII)


def _stamp_wall(text: str) -> int | None:
    """The wall-clock part of an encoded stamp, or ``None`` when it is malformed (the
    same format :meth:`Timestamp.decode` accepts, checked without building one)."""
    m = _STAMP.fullmatch(text)
    return int(m.group(1)) if m and text.isprintable() else None


@dataclass
class _Op:
    op_id: uuid.UUID
    entity: str
    entity_id: str
    op: str
    fields: dict[str, Any]
    hlc: str


def _parse_ops(raw_ops: Any) -> list[_Op | tuple[uuid.UUID, str]]:
    if not isinstance(raw_ops, list):
        raise BadRequest("ops must be a list")
    if len(raw_ops) > MAX_BATCH:
        raise BadRequest(f"a batch holds at most {MAX_BATCH} operations")
    out: list[_Op | tuple[uuid.UUID, str]] = []
    for raw in raw_ops:
        if not isinstance(raw, dict):
            raise BadRequest("each operation must be an object")
        try:
            op_id = parse_uuid(str(raw.get("op_id")))      # uuid.UUID's own parse, faster
        except ValueError:
            raise BadRequest("each operation needs a valid op_id") from None
        entity, entity_id, kind = raw.get("entity"), raw.get("entity_id"), raw.get("op")
        fields, stamp = raw.get("fields") or {}, raw.get("hlc")
        if not isinstance(entity, str) or not isinstance(entity_id, str) or kind not in (
                "insert", "update", "delete") or not isinstance(fields, dict) or not isinstance(stamp, str):
            out.append((op_id, merge.R_BAD_OP))
            continue
        home = merge.stays_home(entity)    # e.g. a staff PIN hash from an older store: never kept
        if home & fields.keys():
            fields = {k: v for k, v in fields.items() if k not in home}
        out.append(_Op(op_id, entity, entity_id, kind, fields, stamp))
    return out


def _validate(o: _Op, now_ms: int, max_ahead_ms: int) -> str | None:
    """Why this operation cannot be taken, judged on its own (no database), or None.
    Runs before the batch takes any lock. A checked operation's fields lose a weak
    staff password hash (:func:`_without_weak_password`)."""
    try:
        if merge.policy(o.entity) is None:
            raise merge.Rejected(merge.R_UNKNOWN_ENTITY, o.entity[:40])
        merge.check_id(o.entity, o.entity_id)
        if o.op != "delete":
            merge.check_fields(o.entity, o.op, o.fields)
            o.fields = _without_weak_password(o.entity, o.fields)
        wall_ms = _stamp_wall(o.hlc)
        if wall_ms is None:
            raise merge.Rejected(merge.R_INVALID, "hlc")
        if wall_ms > now_ms + max_ahead_ms:
            # the detail is the number of hours ahead; the store words it in its own language
            raise merge.Rejected(merge.R_CLOCK, str((wall_ms - now_ms) // 3_600_000))
    except merge.Rejected as r:
        return r.text
    return None


def _without_weak_password(entity: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A staff password hash below the vault's Argon2id cost (an older store's) is not
    kept at HQ either: it stays home, and the store raises it at the staff member's next
    password sign-in (the stronger hash then roams). Dropped once the fields are checked,
    so an insert that carried one still passes (a store missing the column gets a blank,
    :func:`core.sync.apply._upsert`)."""
    if entity == "staff" and "password_hash" in fields and not password_cost_ok(fields["password_hash"]):
        return {k: v for k, v in fields.items() if k != "password_hash"}
    return fields
