"""The figures of a span's days counted in SQL: one ``GROUP BY`` query per kind of row
(appointments, tickets opened, closed and collected, trade-ins, enrolments, surveys),
each row bucketed into its local day by comparing its time with the days' UTC bounds
(a binary ``CASE``: DST days are as long as they are). A day's partial sums (counts,
sums, maxima) add up into weeks, months and the whole span in Python, over a few dozen
rows; a median is not additive, so the turnaround medians are picked in SQL per grouping
with window functions. The definitions are ``manager``'s (its docstring); the figures are
the same as counting the rows one by one, whatever the number of tickets.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Sequence

from sqlalchemy import Float, case, cast, func, literal, or_, select, true, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.care.scores import csat, nps
from core.models import Appointment, LoyaltyAccount, RepairEvent, RepairTicket, Survey, TradeInQuote
from core.report_data._common import CLOSED_STATUSES, KEPT_STATUSES, appointment_kind

Bounds = Sequence[datetime]     # n + 1 ascending UTC instants: bucket i is [bounds[i], bounds[i + 1])


def bucket(col: Any, bounds: Sequence[datetime] | Sequence[int], lo: int = 0,
           hi: int | None = None) -> ColumnElement[Any]:
    """The index of the bucket ``col`` falls in (bucket i is [bounds[i], bounds[i + 1]); rows
    outside the bounds are filtered by the caller), as a binary search of ``CASE`` comparisons: log2(n) per row."""
    hi = len(bounds) - 1 if hi is None else hi
    if hi - lo <= 1:
        return literal(lo)
    mid = (lo + hi) // 2
    return case((col < bounds[mid], bucket(col, bounds, lo, mid)), else_=bucket(col, bounds, mid, hi))


def _hours(later: Any, earlier: Any) -> ColumnElement[Any]:
    return cast((func.julianday(later) - func.julianday(earlier)) * 24.0, Float)


@dataclass
class Part:
    """What a bucket adds to the figures: counts, sums and maxima only (they add up)."""

    appts: dict[str, int] = field(default_factory=dict)   # appointment_kind, and "kept", "no_show"
    waits: int = 0
    wait_sum: float = 0.0
    wait_max: float | None = None
    opened: int = 0
    closed: int = 0
    collected: int = 0
    turn_sum: float = 0.0
    quoted: int = 0
    accepted: int = 0
    accepted_value: int = 0
    enrolled: int = 0
    surveys: int = 0
    answers: dict[tuple[int | None, int | None], int] = field(default_factory=dict)   # (csat, nps) -> n

    def add(self, other: "Part") -> "Part":
        out = Part()
        for name in ("waits", "wait_sum", "opened", "closed", "collected", "turn_sum", "quoted", "accepted",
                     "accepted_value", "enrolled", "surveys"):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        maxima = [m for m in (self.wait_max, other.wait_max) if m is not None]
        out.wait_max = max(maxima) if maxima else None
        for mine, theirs, into in ((self.appts, other.appts, out.appts), (self.answers, other.answers, out.answers)):
            for k in {*mine, *theirs}:
                into[k] = mine.get(k, 0) + theirs.get(k, 0)
        return out

    def csat_nps(self) -> tuple[Any, Any]:
        """``core.care.scores`` over the answers (each answer value repeated as often as given)."""
        pairs = list(self.answers.items())
        return (csat(itertools.chain.from_iterable(itertools.repeat(c, n) for (c, _), n in pairs)),
                nps(itertools.chain.from_iterable(itertools.repeat(p, n) for (_, p), n in pairs)))


def day_parts(session: Session, store_id: uuid.UUID, bounds: Bounds) -> list[Part]:
    """Each bucket's ``Part`` (a bucket is usually a local day)."""
    parts = [Part() for _ in range(len(bounds) - 1)]
    lo, hi = bounds[0], bounds[-1]
    a = Appointment
    wait = case((a.created_at.is_(None), None),
                else_=func.max(0.0, cast((func.julianday(a.starts_at) - func.julianday(a.created_at)) * 1440.0,
                                         Float)))
    b = bucket(a.starts_at, bounds).label("b")
    for i, status, source, n, waits, wsum, wmax in session.execute(
            select(b, a.status, a.source, func.count(), func.count(wait), func.sum(wait), func.max(wait))
            .where(a.store_id == store_id, a.starts_at >= lo, a.starts_at < hi)
            .group_by(b, a.status, a.source)):
        p, kind = parts[i], appointment_kind(status, source)
        p.appts[kind] = p.appts.get(kind, 0) + n
        if kind == "booked":
            if status in KEPT_STATUSES:
                p.appts["kept"] = p.appts.get("kept", 0) + n
            if status == "no_show":
                p.appts["no_show"] = p.appts.get("no_show", 0) + n
        elif kind == "walk_in" and waits:
            p.waits += waits
            p.wait_sum += wsum
            p.wait_max = wmax if p.wait_max is None else max(p.wait_max, wmax)
    t, q = RepairTicket, TradeInQuote
    for attr, store_col, col in (("opened", t.store_id, t.created_at), ("quoted", q.store_id, q.created_at)):
        b = bucket(col, bounds).label("b")
        for i, n in session.execute(select(b, func.count()).where(store_col == store_id, col >= lo, col < hi)
                                    .group_by(b)):
            setattr(parts[i], attr, n)
    # a ticket is closed on the day of its first closing step within the span
    e = RepairEvent
    first = (select(func.min(e.at).label("at"))
             .where(e.to_status.in_(CLOSED_STATUSES), e.at >= lo, e.at < hi, _of_store(session, store_id))
             .group_by(e.ticket_id).subquery())
    b = bucket(first.c.at, bounds).label("b")
    for i, n in session.execute(select(b, func.count()).select_from(first).group_by(b)):
        parts[i].closed = n
    turn = _hours(t.collected_at, t.created_at)
    b = bucket(t.collected_at, bounds).label("b")
    for i, n, total in session.execute(
            select(b, func.count(), func.sum(turn))
            .where(t.store_id == store_id, t.collected_at >= lo, t.collected_at < hi).group_by(b)):
        parts[i].collected, parts[i].turn_sum = n, total or 0.0
    b = bucket(q.accepted_at, bounds).label("b")
    for i, n, value in session.execute(
            select(b, func.count(), func.sum(q.value_cents))
            .where(q.store_id == store_id, q.accepted_at >= lo, q.accepted_at < hi).group_by(b)):
        parts[i].accepted, parts[i].accepted_value = n, int(value or 0)
    la = LoyaltyAccount
    b = bucket(la.enrolled_at, bounds).label("b")
    for i, n in session.execute(
            select(b, func.count()).where(or_(la.store_id == store_id, la.store_id.is_(None)),
                                          la.enrolled_at >= lo, la.enrolled_at < hi).group_by(b)):
        parts[i].enrolled = n
    s = Survey
    b = bucket(s.at, bounds).label("b")
    for i, c, p_, n in session.execute(
            select(b, s.csat, s.nps, func.count()).where(s.store_id == store_id, s.at >= lo, s.at < hi)
            .group_by(b, s.csat, s.nps)):
        parts[i].surveys += n
        parts[i].answers[(c, p_)] = n
    return parts


def _of_store(session: Session, store_id: uuid.UUID) -> ColumnElement[bool]:
    """Repair events of the store's tickets: no condition at all when the database holds no
    other store's tickets (a store's own file), which spares a ticket look-up per event."""
    t = RepairTicket
    lowest, highest = (session.execute(select(f(t.store_id))).scalar() for f in (func.min, func.max))
    if lowest in (store_id, None) and highest in (store_id, None):
        return true()
    return RepairEvent.ticket_id.in_(select(RepairTicket.id).where(RepairTicket.store_id == store_id))


def turnaround_medians(session: Session, store_id: uuid.UUID, bounds: Bounds,
                       levels: Sequence[Sequence[tuple[int, int]]]) -> list[dict[int, float]]:
    """The median turnaround (hours) of the tickets collected in each group of buckets, for
    each level of grouping (a level lists its groups as (first bucket, last bucket + 1)):
    one statement, the tickets' (bucket, hours) computed once, then the middle one or two
    of each group picked by ``ROW_NUMBER``. Groups with none are absent."""
    t = RepairTicket
    rows = (select(bucket(t.collected_at, bounds).label("d"), _hours(t.collected_at, t.created_at).label("h"))
            .where(t.store_id == store_id, t.collected_at >= bounds[0], t.collected_at < bounds[-1])
            .cte("collected").prefix_with("MATERIALIZED"))
    parts = []
    for level, groups in enumerate(levels):
        edges = [i for i, _ in groups] + [groups[-1][1]]
        g = bucket(rows.c.d, edges).label("g") if len(groups) > 1 else literal(0).label("g")
        ranked = select(g, rows.c.h, func.row_number().over(partition_by=g, order_by=rows.c.h).label("rn"),
                        func.count().over(partition_by=g).label("n")).where(
            rows.c.d >= edges[0], rows.c.d < edges[-1]).subquery()
        parts.append(select(literal(level).label("level"), ranked.c.g, func.avg(ranked.c.h))
                     .where(2 * ranked.c.rn >= ranked.c.n, 2 * ranked.c.rn <= ranked.c.n + 2)
                     .group_by(ranked.c.g))
    out: list[dict[int, float]] = [{} for _ in levels]
    for level, i, median in session.execute(union_all(*parts)):
        out[level][int(i)] = float(median)
    return out


def groups(days: Sequence[date], spans: Sequence[tuple[date, date]]) -> list[tuple[int, int]]:
    """Each span of days as (first index, last index + 1) into ``days``."""
    index = {d: i for i, d in enumerate(days)}
    return [(index[a], index[b] + 1) for a, b in spans]
