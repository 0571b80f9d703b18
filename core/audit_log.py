"""Reading the audit trail: what managers see on the audit screen and hand to an auditor.

``search`` answers one page of the trail, newest first, filtered by staff member, record
(entity type and id), action and a span of time; ``export_rows`` answers every entry the
filters match, with the chain's check (``core.audit.verify``) and its head, and records
the export itself as ``audit.export``. ``write_csv`` lays an export out for the auditor.

Entries hold no personal data (core.audit records ids, field names and counts), so what
is read here is safe to show a manager and to hand out; staff are named by their display
name, which every colleague sees at sign-in anyway.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import PermissionDenied, ValidationError
from core.models import AuditEvent, Staff, SyncState
from core.permissions import Actor, Perm, require
from core.terms import term

MAX_PAGE = 1000
CODE_LEN = 40          # AuditEvent.action, .entity and .entity_id are String(40)


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime                  # aware, UTC
    staff_id: uuid.UUID | None
    staff_name: str               # "" when nobody (a sign-in failure) or a staff member unknown here
    action: str
    entity: str | None
    entity_id: str | None
    detail: str


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int                    # every entry the filters match, for "1–100 of 12 345"
    offset: int


@dataclass(frozen=True)
class AuditExport:
    rows: tuple[AuditRow, ...]
    check: audit.AuditCheck | None     # None: the actor may not run the check (see export_rows)
    check_note: str                     # why there is no check, in English, for the file
    head_seq: int | None                # the chain's head when exported (None: an empty trail)
    head_mac: str
    exported_at: datetime


@dataclass(frozen=True)
class Filters:
    staff_id: uuid.UUID | None = None
    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    since: datetime | None = None       # aware; inclusive
    until: datetime | None = None       # aware; exclusive


def _code(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if len(text) > CODE_LEN:
        raise ValidationError(field, "is too long", max=CODE_LEN)
    if not text.isprintable():
        raise ValidationError(field, "must be plain text")
    return text


def _clean(staff_id: uuid.UUID | None, entity: str | None, entity_id: uuid.UUID | str | None,
           action: str | None, since: datetime | None, until: datetime | None) -> Filters:
    if staff_id is not None and not isinstance(staff_id, uuid.UUID):
        raise ValidationError("staff_id", "must be a staff id")
    for name, moment in (("since", since), ("until", until)):
        if moment is not None and (not isinstance(moment, datetime) or moment.tzinfo is None):
            raise ValidationError(name, "must be a moment with its time zone")
    if since is not None and until is not None and until < since:
        raise ValidationError("until", "must not be before the start")
    return Filters(staff_id, _code(entity, "entity"),
                   _code(str(entity_id) if entity_id is not None else None, "entity_id"),
                   _code(action, "action"), since, until)


_Q = TypeVar("_Q", Select[AuditEvent, str], Select[int])


def _where(q: _Q, f: Filters) -> _Q:
    if f.staff_id is not None:
        q = q.where(AuditEvent.staff_id == f.staff_id)
    if f.entity is not None:
        q = q.where(AuditEvent.entity == f.entity)
    if f.entity_id is not None:
        q = q.where(AuditEvent.entity_id == f.entity_id)
    if f.action is not None:
        # "customer." matches every customer action; a whole code matches itself
        q = q.where(AuditEvent.action.startswith(f.action, autoescape=True) if f.action.endswith(".")
                    else AuditEvent.action == f.action)
    if f.since is not None:
        q = q.where(AuditEvent.at >= f.since)
    if f.until is not None:
        q = q.where(AuditEvent.at < f.until)
    return q


def _rows(session: Session, q: Select[AuditEvent, str]) -> list[AuditRow]:
    return [AuditRow(ev.seq, ev.at, ev.staff_id, name or "", ev.action, ev.entity, ev.entity_id, ev.detail)
            for ev, name in session.execute(q)]


def _query(f: Filters) -> Select[AuditEvent, str]:
    q = (select(AuditEvent, Staff.display_name).outerjoin(Staff, Staff.id == AuditEvent.staff_id)
         .order_by(AuditEvent.seq.desc()))
    return _where(q, f)


def search(session: Session, actor: Actor, *, staff_id: uuid.UUID | None = None, entity: str | None = None,
           entity_id: uuid.UUID | str | None = None, action: str | None = None, since: datetime | None = None,
           until: datetime | None = None, limit: int = 100, offset: int = 0) -> AuditPage:
    """One page of the entries that match, newest first. ``action`` ending in "." matches
    every action under it ("customer."); ``until`` is exclusive."""
    require(actor, Perm.VIEW_REPORTS)
    f = _clean(staff_id, entity, entity_id, action, since, until)
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", "must be between {min} and {max}", min=1, max=MAX_PAGE)
    if not isinstance(offset, int) or offset < 0:
        raise ValidationError("offset", "must not be negative")
    total = session.scalar(_where(select(func.count()).select_from(AuditEvent), f)) or 0
    return AuditPage(tuple(_rows(session, _query(f).limit(limit).offset(offset))), total, offset)


def staff_names(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """Everyone who can appear in the trail of this store, for the staff filter."""
    require(actor, Perm.VIEW_REPORTS)
    return [(s.id, s.display_name) for s in session.scalars(
        select(Staff).where(Staff.store_id == actor.store_id).order_by(Staff.display_name))]


def _head(session: Session) -> tuple[int | None, str]:
    row = session.get(SyncState, audit.HEAD_KEY)
    if row is None:
        return None, ""
    parts = row.value.split("|")
    try:
        return int(parts[0]), parts[1] if len(parts) > 1 else ""
    except ValueError:
        return None, ""


def export_rows(session: Session, actor: Actor, *, staff_id: uuid.UUID | None = None, entity: str | None = None,
                entity_id: uuid.UUID | str | None = None, action: str | None = None,
                since: datetime | None = None, until: datetime | None = None,
                now: datetime | None = None) -> AuditExport:
    """Every entry the filters match (newest first), the chain's check and head, for an
    auditor. Recorded as ``audit.export`` (the count, never the filters' values), in the
    caller's unit of work: write the file inside it, and a failed write leaves no record.

    The check is ``core.audit.verify`` (the same permission); should a role ever read the
    trail without it, the export says the chain was not checked rather than leaving it out."""
    require(actor, Perm.VIEW_REPORTS)
    f = _clean(staff_id, entity, entity_id, action, since, until)
    from core import clock
    at = now or clock.now()
    rows = tuple(_rows(session, _query(f)))
    head_seq, head_mac = _head(session)
    check: audit.AuditCheck | None
    try:
        check, note = audit.verify(session, actor), ""
    except PermissionDenied:
        check, note = None, "not checked: checking the chain needs an administrator"
    audit.record(session, actor, "audit.export", "store", actor.store_id, detail=f"rows={len(rows)}")
    return AuditExport(rows, check, note, head_seq, head_mac, at)


def action_name(code: str, lang: str = "en") -> str:
    """An action in words ("customer.erase" -> "Customer erased"); an unknown one as its code."""
    from core.terms import find
    return term(code, lang, "audit_action") if find(code, "audit_action") else code


def check_text(export: AuditExport) -> str:
    c = export.check
    if c is None:
        return export.check_note
    if c.ok:
        return f"ok: {c.entries} entries verified"
    return f"FAILED at entry {c.first_bad_seq}: {c.reason} ({c.entries} entries verified before it)"


def csv_text(export: AuditExport, tz: str, lang: str = "en") -> str:
    """The export as CSV: a few header lines (#) with the check and the head, then one row
    an entry, times in the store's time zone with their offset."""
    zone = ZoneInfo(tz)
    out = io.StringIO()
    out.write(f"# Orchard audit trail export, {export.exported_at.astimezone(zone).isoformat()}\n")
    out.write(f"# chain check: {check_text(export)}\n")
    out.write(f"# chain head: seq={export.head_seq if export.head_seq is not None else '-'} "
              f"mac={export.head_mac or '-'}\n")
    out.write(f"# entries: {len(export.rows)}\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["seq", "time", "staff", "staff_id", "action", "action_name", "entity", "entity_id", "detail"])
    for r in export.rows:
        w.writerow([r.seq, r.at.astimezone(zone).isoformat(), r.staff_name, str(r.staff_id or ""), r.action,
                    action_name(r.action, lang), r.entity or "", r.entity_id or "", r.detail])
    return out.getvalue()


def write_csv(export: AuditExport, path: Path | str, tz: str, lang: str = "en") -> Path:
    """Write the export (atomically, readable only by this user, as other exports are)."""
    from core.vault import atomic_write
    target = Path(path)
    atomic_write(target, csv_text(export, tz, lang).encode("utf-8"))
    return target
