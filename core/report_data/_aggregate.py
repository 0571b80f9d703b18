"""The figures of a span's days counted in SQL: one ``GROUP BY`` query per kind of row
(appointments, tickets opened, closed and collected, trade-ins, enrolments, surveys),
each row bucketed into its local day by comparing its time with the days' UTC bounds
(a binary ``CASE``: DST days are as long as they are). A day's partial sums (counts,
sums, maxima) add up into weeks, months and the whole span in Python, over a few dozen
rows; a median is not additive, so each day brings its collections' turnarounds (one
``group_concat`` in the query that counts them) and a grouping's median is picked from
its days' sorted runs merged. The definitions are ``manager``'s (its docstring); the figures are
the same as counting the rows one by one, whatever the number of tickets.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Sequence

from sqlalchemy import Float, case, cast, exists, func, literal, or_, select, true, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.care.scores import csat, nps
from core.models import Appointment, LoyaltyAccount, RepairEvent, RepairTicket, Survey, TradeInQuote
from core.report_data._common import CLOSED_STATUSES, KEPT_STATUSES, appointment_kind, turnaround_hours_sql
from core.sync.apply import RECHECK_KEY, get_state

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


PER_STATEMENT = 100     # buckets per UNION ALL (SQLite allows 500 terms)


def per_bucket(session: Session, aggregates: Sequence[Any], col: Any, bounds: Sequence[datetime],
               *where: ColumnElement[bool]) -> list[tuple[Any, ...]]:
    """(bucket, *aggregates) of each bucket, one ``SELECT`` per bucket over its range of
    ``col`` (``UNION ALL``): with an index on (…, ``col``) each reads its own rows in index
    order and nothing is sorted, where one ``GROUP BY`` of a bucket expression would put every
    row through a sorter. Every bucket has a row (aggregates of no rows: 0 or None)."""
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(bounds) - 1, PER_STATEMENT):
        stop = min(start + PER_STATEMENT, len(bounds) - 1)
        selects = [select(literal(i), *aggregates).where(*where, col >= bounds[i], col < bounds[i + 1])
                   for i in range(start, stop)]
        out.extend(tuple(r) for r in session.execute(union_all(*selects) if len(selects) > 1 else selects[0]))
    return out


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
    hours: list[float] = field(default_factory=list)   # a bucket's turnarounds, sorted (not added up)

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
        for i, n in per_bucket(session, [func.count()], col, bounds, store_col == store_id):
            setattr(parts[i], attr, n)
    # a ticket is closed on the day of its first closing step within the span: each day's
    # closing steps (counted in the index, nothing sorted), less the steps of the few tickets
    # closed more than once in the span, plus those tickets' first steps
    e = RepairEvent
    closing = (e.to_status.in_(CLOSED_STATUSES), _of_store(session, store_id))
    for i, n in per_bucket(session, [func.count()], e.at, bounds, *closing):
        parts[i].closed = n
    multi = (select(e.ticket_id, func.min(e.at).label("first")).where(*closing, e.at >= lo, e.at < hi)
             .group_by(e.ticket_id).having(func.count() > 1).cte("multi").prefix_with("MATERIALIZED"))
    b_first, b_step = bucket(multi.c.first, bounds).label("b"), bucket(e.at, bounds).label("b")
    for i, sign, n in session.execute(union_all(
            select(b_first, literal(1), func.count()).select_from(multi).group_by(b_first),
            select(b_step, literal(-1), func.count()).select_from(e).join(multi, multi.c.ticket_id == e.ticket_id)
            .where(*closing, e.at >= lo, e.at < hi).group_by(b_step))):
        parts[i].closed += sign * n
    # collections: counts, sums and each day's turnarounds (for the medians) in one pass
    turn = turnaround_hours_sql(t.created_at, t.collected_at)
    for i, n, total, hours in per_bucket(session, [func.count(), func.sum(turn), func.group_concat(turn)],
                                         t.collected_at, bounds, t.store_id == store_id):
        parts[i].collected, parts[i].turn_sum = n, total or 0.0
        parts[i].hours = sorted(map(float, hours.split(","))) if hours else []
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
    """Repair events of the store's tickets, and only of tickets that are there: sync applies
    rows with foreign keys off and removes orphan events only after a whole pull, so an
    event may name a ticket the file does not hold (yet); it counts for no store. When the
    database holds no other store's tickets (a store's own file) the ticket need only exist,
    and that is asked only while pulled rows still wait for their parents' check (sync's
    ``RECHECK_KEY``, cleared with the orphans' removal): otherwise every event has its
    ticket, and the look-up per event (0.9 s of CPU over 500,000 tickets) is left out."""
    t, e = RepairTicket, RepairEvent
    lowest, highest = (session.execute(select(f(t.store_id))).scalar() for f in (func.min, func.max))
    if lowest in (store_id, None) and highest in (store_id, None):
        if get_state(session, RECHECK_KEY) is None:
            return true()
        return exists().where(t.id == e.ticket_id)
    return exists().where(t.id == e.ticket_id, t.store_id == store_id)


def turnaround_medians(parts: Sequence[Part], levels: Sequence[Sequence[tuple[int, int]]]) -> list[dict[int, float]]:
    """The median turnaround (hours) of the tickets collected in each group of buckets, for
    each level of grouping (a level lists its groups as (first bucket, last bucket + 1)),
    from the buckets' sorted turnarounds (``Part.hours``): a group's are its buckets'
    sorted runs merged. Groups with none are absent."""
    out: list[dict[int, float]] = []
    for groups_ in levels:
        found: dict[int, float] = {}
        for k, (i, j) in enumerate(groups_):
            if j - i == 1:
                hours = parts[i].hours
            else:
                hours = [h for p in parts[i:j] for h in p.hours]
                hours.sort()                  # sorted runs: a merge
            n = len(hours)
            if n:
                found[k] = hours[n // 2] if n % 2 else (hours[n // 2 - 1] + hours[n // 2]) / 2.0
        out.append(found)
    return out


def groups(days: Sequence[date], spans: Sequence[tuple[date, date]]) -> list[tuple[int, int]]:
    """Each span of days as (first index, last index + 1) into ``days``."""
    index = {d: i for i, d in enumerate(days)}
    return [(index[a], index[b] + 1) for a, b in spans]
