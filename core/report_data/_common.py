"""What every document and report shares: the store's header, who asked, local days, averages."""

from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Container, Hashable, Iterable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import Float, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.models.customer import person_name
from core import clock, money
from core.errors import ValidationError
from core.lookup import get_or_not_found
from core.models import Customer, Staff, Store
from core.permissions import Actor


CLOSED_STATUSES = ("collected", "cancelled", "unrepairable")
KEPT_STATUSES = ("checked_in", "in_service", "completed")
MEMBER_PAYLOAD_PREFIX = "ORCHARD:M:"
MAX_PERIOD_DAYS = 400


@dataclass(frozen=True)
class StoreHeader:
    id: uuid.UUID
    code: str
    name: str
    address: str
    phone: str | None
    timezone: str
    currency: str
    tax: money.TaxRule = money.TaxRule()


@dataclass(frozen=True)
class Generated:
    """Who asked for a document and when (printed in its footer)."""

    at: datetime
    by: str


def _store(session: Session, actor: Actor) -> Store:
    return get_or_not_found(session, Store, actor.store_id, "store")


def _store_header(session: Session, actor: Actor) -> StoreHeader:
    s = _store(session, actor)
    return StoreHeader(s.id, s.code, s.name, s.address or "", s.phone, s.timezone or "UTC", s.currency or "USD",
                       money.TaxRule.of(s))


def _generated(actor: Actor, now: datetime | None = None) -> Generated:
    return Generated(now or clock.now().replace(microsecond=0), actor.display_name)


def _staff_names(session: Session, store_id: uuid.UUID) -> dict[uuid.UUID | None, str]:
    """Staff names by id, keyed to be looked up with a row's optional staff id (None finds none)."""
    return dict(session.execute(select(Staff.id, Staff.display_name).where(Staff.store_id == store_id)).all())


def _display_name(c: Customer | None) -> str:
    if c is None or c.erased:
        return ""
    return c.display_name


def _tz(store: StoreHeader) -> ZoneInfo:
    return ZoneInfo(store.timezone)


def day_bounds(tz: ZoneInfo, first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants from the start of ``first`` to the end of ``last`` (local days, DST-aware)."""
    return (datetime.combine(first, time(0), tz).astimezone(timezone.utc),
            datetime.combine(last + timedelta(days=1), time(0), tz).astimezone(timezone.utc))


def _check_span(first: date, last: date) -> None:
    if last < first:
        raise ValidationError("last_day", "must not be before the first day")
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError("last_day", "a report covers at most {n} days", n=MAX_PERIOD_DAYS)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


_mean, _median = mean, median


# --- what the figures count (shared by the store's reports and HQ's figures, hq.figures) -------

WALK_IN = "walk_in"


def appointment_kind(status: str, source: str | None) -> str:
    """How the figures count an appointment: "cancelled", "walk_in" (not cancelled) or
    "booked" (made ahead, not cancelled; it is *kept* when its status is one of
    :data:`KEPT_STATUSES`, a *no-show* when it is ``no_show``)."""
    if status == "cancelled":
        return "cancelled"
    return "walk_in" if source == WALK_IN else "booked"


# The turnaround rule, twice: in Python (HQ's figures, rows one by one) and in the store's SQL
# (core.report_data._aggregate counts a span's collections in one query). Change both or
# neither: tests/reports/test_turnaround_rule.py holds them to the same hours.

def turnaround_hours(created_at: datetime, collected_at: datetime) -> float:
    """A repair's turnaround: from intake (the ticket's creation) to collection, in hours
    elapsed (:func:`turnaround_hours_sql` in SQL). Both are taken to UTC first: Python
    subtracts two times of the same zone object as wall-clock times, an hour off across a
    DST change. A naive time is UTC, as in the store's file and its SQL."""
    return (_as_utc(collected_at) - _as_utc(created_at)).total_seconds() / 3600


def _as_utc(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def turnaround_hours_sql(created_at: Any, collected_at: Any) -> ColumnElement[Any]:
    """:func:`turnaround_hours` as a SQLite expression over two UTC time columns (``julianday``
    reads them to the millisecond; the store file stores naive UTC, so no DST either)."""
    return cast((func.julianday(collected_at) - func.julianday(created_at)) * 24.0, Float)


def first_time_fixes(collected: Iterable[tuple[Hashable, Hashable | None]],
                     reworked: Container[Hashable]) -> tuple[int, int]:
    """First-time fix over repairs collected, as ``(fixed the first time, first attempts)``:
    ``collected`` holds each collected ticket's ``(id, rework_of_id)``, ``reworked`` the ids
    some rework ticket names (``core.repairs.open_rework``, within the repair's warranty).
    A first attempt is a ticket that is not itself a rework; it was fixed the first time
    when no rework names it, as far as is known now (a device that comes back later within
    its warranty turns a fix into a miss)."""
    firsts = [tid for tid, rework_of in collected if rework_of is None]
    return sum(1 for tid in firsts if tid not in reworked), len(firsts)


def percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _name(given: str | None, family: str | None, erased: bool | None) -> str:
    """``Customer.display_name`` from the two columns, without building the object."""
    return "" if erased else person_name(given, family)


# a period's trend is by day up to a month, by ISO week up to about six months, then by month
TREND_DAYS_MAX = 31
TREND_WEEKS_MAX = 186


def trend_unit(first: date, last: date) -> str:
    """How a period's charts and tables group its days: "day", "week" (ISO weeks, Monday to
    Sunday) or "month", so a quarter shows 13 or 14 weeks, not 90 mostly empty days."""
    days = (last - first).days + 1
    return "day" if days <= TREND_DAYS_MAX else "week" if days <= TREND_WEEKS_MAX else "month"


def _months(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar months covering the span, clipped to it."""
    out = []
    d = first
    while d <= last:
        following = date(d.year + d.month // 12, d.month % 12 + 1, 1)
        end = min(last, following - timedelta(days=1))
        out.append((d, end))
        d = end + timedelta(days=1)
    return out


def _weeks(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar weeks (Monday to Sunday) covering the span, clipped to it."""
    out = []
    d = first
    while d <= last:
        end = min(last, d + timedelta(days=6 - d.weekday()))
        out.append((d, end))
        d = end + timedelta(days=1)
    return out
