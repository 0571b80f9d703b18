"""Marketing lists (issue 23): a manager picks segments and filters, sees how many customers
match and how many of them may be messaged on the channel, and exports those as CSV for the
messaging tool.

Who is on a list: live customers (never erased, never merged into another profile) that
match the filter, whose latest decision for the channel's marketing purpose is a grant
(:func:`core.privacy.granted_now`, the rule the profile's consents follow too: a withdrawal
after a grant takes the person off every list made after it), and who have an address for
the channel (a phone number for SMS, an e-mail address for e-mail).

An export needs a purpose (what the message is for); it is kept (:class:`ListExport`:
channel, purpose, filters, count; never who) and audited (``crm.list_export``: channel and
count, never a name). A name a spreadsheet would run as a formula is written as text
(:func:`core.csvsafe.cell`); the address is written as it is (an E.164 number starts with +)."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from core import audit, csvsafe
from core.crm import CHANNELS, NO_SEGMENT, SEGMENTS, VALUE_BANDS
from core.errors import ValidationError
from core.models import Customer, CustomerScore, ListExport
from core.models.customer import person_name
from core.permissions import Actor, Perm, require
from core.privacy import granted_now, marketing_purpose
from core.validation import normalize_free_text

COLUMNS = ("customer", "name", "address", "language", "segment")
PURPOSE_MAX = 200


@dataclass(frozen=True)
class ListFilter:
    segments: tuple[str, ...] = ()          # core.crm.SEGMENTS or NO_SEGMENT; empty: any
    value_bands: tuple[str, ...] = ()       # core.crm.VALUE_BANDS; empty: any
    min_churn: int | None = None            # churn score at least this (0..100)
    home_store_only: bool = False           # only this store's own customers

    def as_dict(self) -> dict[str, Any]:
        return {"segments": list(self.segments), "value_bands": list(self.value_bands),
                "min_churn": self.min_churn, "home_store_only": self.home_store_only}


@dataclass(frozen=True)
class ListCount:
    matching: int           # live customers the filter matches
    consented: int          # of them, those the channel may reach (a grant and an address)


@dataclass(frozen=True)
class ListFile:
    csv_text: str
    count: int


def _check(filt: ListFilter, channel: str) -> str:
    if channel not in CHANNELS:
        raise ValidationError("channel", "must be sms or email")
    bad = [s for s in filt.segments if s not in SEGMENTS and s != NO_SEGMENT]
    if bad:
        raise ValidationError("segments", "is not a known segment")
    if any(b not in VALUE_BANDS for b in filt.value_bands):
        raise ValidationError("value_bands", "is not a known value band")
    if filt.min_churn is not None and not (isinstance(filt.min_churn, int) and 0 <= filt.min_churn <= 100):
        raise ValidationError("min_churn", "must be between 0 and 100")
    return marketing_purpose(channel)


def _address_col(channel: str) -> Any:
    return Customer.phone_e164 if channel == "sms" else Customer.email


def _matching(actor: Actor, filt: ListFilter) -> Select[Any]:
    """Live customers the filter matches, with their score (outer: no score yet is segment "none")."""
    q = (select(Customer.id).outerjoin(CustomerScore, CustomerScore.customer_id == Customer.id)
         .where(Customer.erased.is_(False), Customer.merged_into_id.is_(None)))
    if filt.segments:
        named = [s for s in filt.segments if s != NO_SEGMENT]
        cond = [CustomerScore.segment.in_(named)] if named else []
        if NO_SEGMENT in filt.segments:
            cond += [CustomerScore.id.is_(None), CustomerScore.segment.in_(("", NO_SEGMENT))]
        q = q.where(or_(*cond))
    if filt.value_bands:
        q = q.where(CustomerScore.value_band.in_(filt.value_bands))
    if filt.min_churn is not None:
        q = q.where(CustomerScore.churn_score >= filt.min_churn)
    if filt.home_store_only:
        q = q.where(Customer.home_store_id == actor.store_id)
    return q


def _reachable(q: Select[Any], channel: str, purpose: str) -> Select[Any]:
    address = _address_col(channel)
    return q.where(Customer.id.in_(granted_now(purpose)), address.is_not(None), address != "")


def count(session: Session, actor: Actor, filt: ListFilter, channel: str) -> ListCount:
    """How many customers match, and how many of them the channel may reach."""
    require(actor, Perm.EXPORT_MARKETING_LISTS)
    purpose = _check(filt, channel)
    q = _matching(actor, filt)
    matching = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    consented = session.scalar(select(func.count()).select_from(_reachable(q, channel, purpose).subquery())) or 0
    return ListCount(int(matching), int(consented))


def export(session: Session, actor: Actor, filt: ListFilter, channel: str, purpose: str, *,
           now: datetime) -> ListFile:
    """The consented customers the filter matches, as CSV (``customer`` id, ``name``,
    ``address`` by channel, ``language``, ``segment``), ordered by name; kept as a
    :class:`ListExport` and audited."""
    require(actor, Perm.EXPORT_MARKETING_LISTS)
    consent_purpose = _check(filt, channel)
    why = normalize_free_text(purpose, field="purpose", max_len=PURPOSE_MAX, required=True)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError("now", "must be an aware time")
    ids = _reachable(_matching(actor, filt), channel, consent_purpose)
    address = _address_col(channel)
    rows = session.execute(
        select(Customer.id, Customer.given_name, Customer.family_name, address, Customer.language,
               CustomerScore.segment)
        .outerjoin(CustomerScore, CustomerScore.customer_id == Customer.id)
        .where(Customer.id.in_(ids))).all()
    people = sorted(((person_name(g, f), cid, addr, lang, seg) for cid, g, f, addr, lang, seg in rows),
                    key=lambda r: (r[0].casefold(), str(r[1])))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    seen: set[uuid.UUID] = set()
    for name, cid, addr, lang, seg in people:
        if cid in seen:
            continue
        seen.add(cid)
        writer.writerow([str(cid), csvsafe.cell(name), addr, lang or "", seg or NO_SEGMENT])
    n = len(seen)
    row = ListExport(store_id=actor.store_id, staff_id=actor.staff_id, at=now, channel=channel, purpose=why,
                     filters=filt.as_dict(), count=n)
    session.add(row)
    session.flush()
    audit.record(session, actor, "crm.list_export", "list_export", row.id, detail=f"{channel}:{n}")
    return ListFile(out.getvalue(), n)


__all__ = ["COLUMNS", "ListCount", "ListFile", "ListFilter", "count", "export"]
