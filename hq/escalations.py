"""The escalations queue (issue 20): a store raises an escalation (a major complaint, or one
overdue past its threshold: issue 21) over its credential; the manager of the store's
region (or a head-office admin) works it in the console; notes go both ways.

States and the steps between them are ONE table, :data:`STEPS`. A due time is set from the
priority when the escalation is raised (:data:`DUE_HOURS`, counted from creation); an open
escalation past its due time is overdue, computed against a ``now`` the caller passes (the
console's route passes :func:`core.clock.now`). Every change is in the console's audit log
(an HQ user's by their id; a store's with no user and the store's code), in the same
transaction. Texts carry no personal data beyond a customer id: a summary or note with
something like a phone number or an email address is refused, and no text goes to a log."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from core.sync.escalations import KINDS, PRIORITIES     # what a store may raise: one list, both sides check it
from hq.common import HqError, StoreAuth, _write
from hq.console import audit, roles
from hq.console.accounts import User, aware
from hq.models import hq_escalation, hq_escalation_note, hq_store, hq_user

STATES = ("new", "acknowledged", "in_progress", "resolved", "returned")
OPEN = frozenset({"new", "acknowledged", "in_progress"})      # HQ's to act on: these go overdue
DUE_HOURS = {"high": 24, "normal": 72, "low": 168}
assert set(DUE_HOURS) == set(PRIORITIES), "a due time for every priority"

# step -> (the states it may start from, the state it leads to, whether it needs a note)
STEPS: dict[str, tuple[frozenset[str], str, bool]] = {
    "acknowledge": (frozenset({"new"}), "acknowledged", False),
    "start": (frozenset({"new", "acknowledged"}), "in_progress", False),
    "resolve": (frozenset({"acknowledged", "in_progress"}), "resolved", False),
    "return": (frozenset(OPEN), "returned", True),          # back to the store, saying why
    "reopen": (frozenset({"resolved", "returned"}), "in_progress", False),
}

SUMMARY_MAX = 500
NOTE_MAX = 1000
# what looks like contact details: an email address; 7+ digits in a row, or 9+ digits with
# spaces, dashes, dots or brackets between them (a date's 8 digits pass); ids (UUIDs) are left out
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_DIGITS = re.compile(r"\+?\d[\d \-.()]*\d")


def looks_personal(text: str) -> bool:
    text = _UUID.sub(" ", text)
    if _EMAIL.search(text):
        return True
    return any(re.search(r"\d{7,}", m.group()) or sum(c.isdigit() for c in m.group()) >= 9
               for m in _DIGITS.finditer(text))


class Refused(HqError):
    """An escalation request HQ refuses; ``code`` names why (the console shows its own text)."""
    status = 400
    code = "escalation_invalid"

    def __init__(self, message: str, code: str | None = None, *, http_status: int | None = None, **params: str):
        super().__init__(message, code, **params)
        if http_status is not None:
            self.status = http_status


class NotFound(Refused):
    status = 404
    code = "escalation_not_found"


def steps_from(state: str) -> list[str]:
    return [name for name, (sources, _, _) in STEPS.items() if state in sources]


def due_for(priority: str, created_at: datetime) -> datetime:
    return created_at + timedelta(hours=DUE_HOURS[priority])


def is_overdue(state: str, due_at: datetime, now: datetime) -> bool:
    return state in OPEN and now > due_at


def clean_text(value: Any, limit: int, *, lines: bool = False, what: str = "text") -> str:
    """A summary or note: 1..limit characters, no control characters (newlines only where
    ``lines``), nothing that looks like a phone number or an email address."""
    if not isinstance(value, str):
        raise Refused(f"the {what} must be text", "escalation_text_missing")
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise Refused(f"the {what} is empty", "escalation_text_missing")
    if len(text) > limit:
        raise Refused(f"the {what} is longer than {limit} characters", "escalation_text_long")
    for ch in text:
        if ch == "\n" and lines:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            raise Refused(f"the {what} holds a control character", "escalation_text_control")
    if looks_personal(text):
        raise Refused(f"the {what} must name the customer by id only (no phone or email)",
                      "escalation_text_personal")
    return text


def _uuid(value: Any, name: str, *, required: bool) -> uuid.UUID | None:
    if value is None or value == "":
        if required:
            raise Refused("{name} is missing", "invalid_value", name=name)
        return None
    try:
        return uuid.UUID(str(value)[:40])
    except ValueError:
        raise Refused("{name} is not an id", "invalid_value", name=name) from None


@dataclass(frozen=True)
class Note:
    id: int
    at: datetime
    user_id: int | None
    author: str | None             # the HQ user's display name (console only; never sent to a store)
    author_role: str | None
    staff_id: uuid.UUID | None
    action: str | None
    text: str

    @property
    def from_hq(self) -> bool:
        return self.user_id is not None

    def for_store(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "from": "hq" if self.from_hq else "store",
                "role": self.author_role, "staff_id": str(self.staff_id) if self.staff_id else None,
                "action": self.action, "text": self.text}


@dataclass(frozen=True)
class Escalation:
    id: int
    store_code: str
    store_name: str
    store_timezone: str | None
    region_id: int | None
    ref: uuid.UUID
    kind: str
    priority: str
    summary: str
    customer_id: uuid.UUID | None
    staff_id: uuid.UUID
    state: str
    created_at: datetime
    due_at: datetime
    updated_at: datetime
    notes: tuple[Note, ...] = field(default=())

    def overdue(self, now: datetime) -> bool:
        return is_overdue(self.state, self.due_at, now)

    def steps(self) -> list[str]:
        return steps_from(self.state)

    def for_store(self, now: datetime) -> dict[str, Any]:
        return {"id": self.id, "ref": str(self.ref), "kind": self.kind, "priority": self.priority,
                "summary": self.summary, "customer_id": str(self.customer_id) if self.customer_id else None,
                "staff_id": str(self.staff_id), "state": self.state, "created_at": self.created_at.isoformat(),
                "due_at": self.due_at.isoformat(), "updated_at": self.updated_at.isoformat(),
                "overdue": self.overdue(now), "notes": [n.for_store() for n in self.notes]}


_COLUMNS = (hq_escalation, hq_store.c.name.label("store_name"), hq_store.c.region_id,
            hq_store.c.timezone.label("store_timezone"))


def _select():
    return select(*_COLUMNS).select_from(hq_escalation.join(hq_store, hq_store.c.code == hq_escalation.c.store_code))


def _notes(conn, ids: list[int]) -> dict[int, list[Note]]:
    found: dict[int, list[Note]] = {i: [] for i in ids}
    if not ids:
        return found
    q = (select(hq_escalation_note, hq_user.c.display_name, hq_user.c.role)
         .select_from(hq_escalation_note.outerjoin(hq_user, hq_user.c.id == hq_escalation_note.c.user_id))
         .where(hq_escalation_note.c.escalation_id.in_(ids)).order_by(hq_escalation_note.c.id))
    for r in conn.execute(q):
        found[r.escalation_id].append(Note(r.id, aware(r.at) or r.at, r.user_id, r.display_name, r.role,
                                           r.staff_id, r.action, r.text))
    return found


def _build(rows, notes: dict[int, list[Note]] | None = None) -> list[Escalation]:
    return [Escalation(r.id, r.store_code, r.store_name, r.store_timezone, r.region_id, r.ref, r.kind, r.priority,
                       r.summary, r.customer_id, r.staff_id, r.state, aware(r.created_at) or r.created_at,
                       aware(r.due_at) or r.due_at, aware(r.updated_at) or r.updated_at,
                       tuple((notes or {}).get(r.id, ()))) for r in rows]


def _target(esc_id: int, store_code: str) -> str:
    return f"#{esc_id} {store_code}"


# --- the store's side (hq.app: /v1/escalations) ---------------------------------------------

def raise_escalation(engine: Engine, auth: StoreAuth, body: Any, now: datetime) -> dict[str, Any]:
    """A store raises an escalation; a re-sent one (same ``ref``) answers the first again."""
    if not isinstance(body, dict):
        raise Refused("the body must be an object", "bad_request")
    kind, priority = body.get("kind"), body.get("priority") or "normal"
    if kind not in KINDS:
        raise Refused("kind must be one of {kinds}", "invalid_value", name="kind", kinds=", ".join(KINDS))
    if priority not in DUE_HOURS:
        raise Refused("priority must be one of {p}", "invalid_value", name="priority", p=", ".join(PRIORITIES))
    summary = clean_text(body.get("summary"), SUMMARY_MAX, what="summary")
    ref = _uuid(body.get("ref"), "ref", required=True)
    staff_id = _uuid(body.get("staff_id"), "staff_id", required=True)
    customer_id = _uuid(body.get("customer_id"), "customer_id", required=False)
    with _write(engine) as conn, conn.begin():
        known = conn.execute(select(hq_escalation.c.id).where(
            hq_escalation.c.store_code == auth.code, hq_escalation.c.ref == ref)).scalar()
        if known is None:
            known = int(conn.execute(insert(hq_escalation).values(
                store_code=auth.code, ref=ref, kind=kind, priority=priority, summary=summary,
                customer_id=customer_id, staff_id=staff_id, state="new", created_at=now,
                due_at=due_for(priority, now), updated_at=now)).inserted_primary_key[0])
            audit.record(conn, None, "escalation.raise", _target(known, auth.code),
                         f"kind={kind} priority={priority} staff={staff_id}")
        rows = conn.execute(_select().where(hq_escalation.c.id == known)).all()
        return _build(rows, _notes(conn, [known]))[0].for_store(now)


def store_escalations(engine: Engine, auth: StoreAuth, since: datetime | None, now: datetime) -> dict[str, Any]:
    """The store's own escalations changed at or after ``since`` (all without it), with their notes."""
    q = _select().where(hq_escalation.c.store_code == auth.code).order_by(hq_escalation.c.id)
    if since is not None:
        q = q.where(hq_escalation.c.updated_at >= since)
    with engine.connect() as conn:
        rows = conn.execute(q.limit(1000)).all()
        found = _build(rows, _notes(conn, [r.id for r in rows]))
    return {"escalations": [e.for_store(now) for e in found], "server_time": now.isoformat()}


def store_note(engine: Engine, auth: StoreAuth, esc_id: int, body: Any, now: datetime) -> dict[str, Any]:
    """A store's staff member adds a note to one of the store's own escalations."""
    if not isinstance(body, dict):
        raise Refused("the body must be an object", "bad_request")
    text = clean_text(body.get("text"), NOTE_MAX, lines=True, what="note")
    staff_id = _uuid(body.get("staff_id"), "staff_id", required=True)
    with _write(engine) as conn, conn.begin():
        owned = conn.execute(select(hq_escalation.c.id).where(
            hq_escalation.c.id == esc_id, hq_escalation.c.store_code == auth.code)).scalar()
        if owned is None:              # another store's looks the same as none at all
            raise NotFound("no such escalation")
        conn.execute(insert(hq_escalation_note).values(escalation_id=esc_id, at=now, staff_id=staff_id,
                                                       text=text))
        conn.execute(update(hq_escalation).where(hq_escalation.c.id == esc_id).values(updated_at=now))
        audit.record(conn, None, "escalation.store_note", _target(esc_id, auth.code), f"staff={staff_id}")
        rows = conn.execute(_select().where(hq_escalation.c.id == esc_id)).all()
        return _build(rows, _notes(conn, [esc_id]))[0].for_store(now)


# --- the console's side ------------------------------------------------------------------------

def _scoped(q, user: User):
    scoped, region = roles.region_scope(user.role, user.region_id)
    if scoped:
        q = q.where(hq_store.c.region_id == region) if region is not None else q.where(hq_store.c.code.is_(None))
    return q


def queue(engine: Engine, user: User, now: datetime, state: str | None = None) -> list[Escalation]:
    """The escalations this user may see (a regional manager: its region's stores'), in
    ``state`` when given (else the open ones and those changed in the last 30 days), overdue
    first, then by due time."""
    q = _scoped(_select(), user)
    if state in STATES:
        q = q.where(hq_escalation.c.state == state)
    elif state != "all":
        q = q.where((hq_escalation.c.state.in_(sorted(OPEN))) | (hq_escalation.c.updated_at >= now - timedelta(30)))
    with engine.connect() as conn:
        found = _build(conn.execute(q.limit(2000)).all())
    return sorted(found, key=lambda e: (not e.overdue(now), e.state not in OPEN, e.due_at, e.id))


def get(engine: Engine, user: User, esc_id: int) -> Escalation:
    """One escalation with its notes: 404 unknown, 403 another region's."""
    with engine.connect() as conn:
        rows = conn.execute(_select().where(hq_escalation.c.id == esc_id)).all()
        if not rows:
            raise NotFound("no such escalation")
        if not roles.may_see_store(user.role, user.region_id, rows[0].region_id):
            raise Refused("not this user's region", "escalation_forbidden", http_status=403)
        return _build(rows, _notes(conn, [esc_id]))[0]


def act(engine: Engine, user: User, esc_id: int, step: str, note: str, now: datetime) -> str:
    """Take ``step`` (a key of :data:`STEPS`) with an optional note (required to return it);
    returns the new state. A step the state does not allow is refused, also when someone
    else moved it a moment before (the update is conditional on the state)."""
    if step not in STEPS:
        raise Refused("no such step", "escalation_step_unknown")
    sources, target, needs_note = STEPS[step]
    text = clean_text(note, NOTE_MAX, lines=True, what="note") if (note.strip() or needs_note) else None
    esc = get(engine, user, esc_id)
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(hq_escalation).where(
            hq_escalation.c.id == esc_id, hq_escalation.c.state.in_(sorted(sources))).values(
                state=target, updated_at=now)).rowcount
        if not done:
            raise Refused("this step is not allowed from the escalation's state", "escalation_step_refused",
                          http_status=409)
        if text is not None:
            conn.execute(insert(hq_escalation_note).values(escalation_id=esc_id, at=now, user_id=user.id,
                                                           action=step, text=text))
        audit.record(conn, user.id, f"escalation.{step}", _target(esc_id, esc.store_code),
                     f"{esc.state}->{target}" + (" with a note" if text else ""))
    return target


def add_note(engine: Engine, user: User, esc_id: int, note: str, now: datetime) -> None:
    text = clean_text(note, NOTE_MAX, lines=True, what="note")
    esc = get(engine, user, esc_id)
    with _write(engine) as conn, conn.begin():
        conn.execute(insert(hq_escalation_note).values(escalation_id=esc_id, at=now, user_id=user.id, text=text))
        conn.execute(update(hq_escalation).where(hq_escalation.c.id == esc_id).values(updated_at=now))
        audit.record(conn, user.id, "escalation.note", _target(esc_id, esc.store_code))
