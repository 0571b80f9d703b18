"""The store's side of HQ's escalations queue (issue 20; hq/escalations.py): raise an
escalation to the region (a major or overdue complaint), read this store's escalations
with their state and the region's notes, and answer with a note.

Over the sync client's HTTP plumbing (:meth:`core.sync.client.SyncClient._call`: the
store's credential, HTTPS rules, HQ's refusals as :class:`SyncError`). Guarded by
:attr:`Perm.VIEW_REPORTS` (store managers and admins: the people who handle complaints and
read the satisfaction report; there is no escalation permission of its own). Each call is
in the store's audit trail; no text of a summary or note goes there. A summary names the
customer by id only (``customer_id``), never by name, phone or email: HQ refuses text that
looks like a phone number or an email address. No Qt here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from core import audit
from core.permissions import Actor, Perm, require
from core.sync.client import SyncClient, SyncError

if TYPE_CHECKING:
    from core.db import StoreDatabase

PERMISSION = Perm.VIEW_REPORTS
KINDS = ("complaint", "overdue_complaint", "other")
PRIORITIES = ("high", "normal", "low")


@dataclass(frozen=True)
class EscalationNote:
    id: int
    at: datetime
    from_hq: bool
    role: str | None               # the HQ author's role (e.g. "regional"), never their name
    staff_id: uuid.UUID | None     # the store author
    action: str | None             # the step it came with (e.g. "return")
    text: str


@dataclass(frozen=True)
class StoreEscalation:
    id: int
    ref: uuid.UUID
    kind: str
    priority: str
    summary: str
    customer_id: uuid.UUID | None
    staff_id: uuid.UUID
    state: str                     # new, acknowledged, in_progress, resolved, returned
    created_at: datetime
    due_at: datetime
    updated_at: datetime
    overdue: bool
    notes: tuple[EscalationNote, ...]


def _opt_uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def _parse(raw: Any) -> StoreEscalation:
    try:
        notes = tuple(EscalationNote(int(n["id"]), datetime.fromisoformat(str(n["at"])), n.get("from") == "hq",
                                     n.get("role"), _opt_uuid(n.get("staff_id")), n.get("action"), str(n["text"]))
                      for n in raw.get("notes") or [])
        return StoreEscalation(
            int(raw["id"]), uuid.UUID(str(raw["ref"])), str(raw["kind"]), str(raw["priority"]), str(raw["summary"]),
            _opt_uuid(raw.get("customer_id")), uuid.UUID(str(raw["staff_id"])), str(raw["state"]),
            datetime.fromisoformat(str(raw["created_at"])), datetime.fromisoformat(str(raw["due_at"])),
            datetime.fromisoformat(str(raw["updated_at"])), bool(raw.get("overdue")), notes)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise SyncError("HQ's answer was garbled; try again") from None


def send_escalation(client: SyncClient, *, staff_id: uuid.UUID, kind: str, summary: str, priority: str = "normal",
                    customer_id: uuid.UUID | None = None, ref: uuid.UUID) -> StoreEscalation:
    """The request itself, on an open client, for a named staff member: the system's run
    after a sync (core.care.escalation) raises a complaint's escalation for the staff who
    classified it, with no one signed in. Its caller checks what it must and audits it."""
    if kind not in KINDS:
        raise SyncError("choose what kind of escalation this is")
    if priority not in PRIORITIES:
        raise SyncError("choose the escalation's priority")
    body = {"ref": str(ref), "kind": kind, "priority": priority, "summary": summary,
            "customer_id": str(customer_id) if customer_id else None, "staff_id": str(staff_id)}
    return _parse(client._call("POST", "/v1/escalations", json=body))


def fetch_escalations(client: SyncClient, since: datetime | None = None) -> list[StoreEscalation]:
    """This store's escalations changed at or after ``since`` (all without it), on an open client."""
    if since is not None and since.tzinfo is None:
        raise ValueError("since must be an aware time")
    path = "/v1/escalations" + ("?" + urlencode({"since": since.isoformat()}) if since is not None else "")
    raw = client._call("GET", path).get("escalations")
    if not isinstance(raw, list):
        raise SyncError("HQ's answer was garbled; try again")
    return [_parse(r) for r in raw]


def raise_escalation(db: StoreDatabase, actor: Actor, *, kind: str, summary: str, priority: str = "normal",
                     customer_id: uuid.UUID | None = None, ref: uuid.UUID | None = None) -> StoreEscalation:
    """Send an escalation to the store's region at HQ. ``ref`` (made here when not given)
    names it at the store: sending the same ``ref`` again after a lost answer does not make
    a second one."""
    require(actor, PERMISSION)
    with SyncClient(db) as client:
        found = send_escalation(client, staff_id=actor.staff_id, kind=kind, summary=summary, priority=priority,
                                customer_id=customer_id, ref=ref or uuid.uuid4())
    with db.session(write=True) as s:
        audit.record(s, actor, "escalation.raise", "escalation", found.ref, detail=f"hq_id={found.id} {kind}")
    return found


def my_escalations(db: StoreDatabase, actor: Actor, since: datetime | None = None) -> list[StoreEscalation]:
    """This store's escalations at HQ (those changed at or after ``since`` when given, an
    aware time), with their state, due time and notes from both sides."""
    require(actor, PERMISSION)
    if since is not None and since.tzinfo is None:
        raise ValueError("since must be an aware time")
    with SyncClient(db) as client:
        return fetch_escalations(client, since)


def add_note(db: StoreDatabase, actor: Actor, escalation_id: int, text: str) -> StoreEscalation:
    """Answer the region: a note on one of this store's escalations (HQ refuses another store's)."""
    require(actor, PERMISSION)
    with SyncClient(db) as client:
        found = _parse(client._call("POST", f"/v1/escalations/{int(escalation_id)}/notes",
                                    json={"staff_id": str(actor.staff_id), "text": text}))
    with db.session(write=True) as s:
        audit.record(s, actor, "escalation.note", "escalation", found.ref, detail=f"hq_id={found.id}")
    return found


__all__ = ["EscalationNote", "KINDS", "PERMISSION", "PRIORITIES", "StoreEscalation", "add_note", "fetch_escalations",
           "my_escalations", "raise_escalation", "send_escalation"]
