"""The chain's figures, per store and per region, for a span of days: appointments (booked,
completed, no-shows), repairs (collected, median turnaround, first-time fix), trade-ins
(accepted, value), loyalty (members, points liability, negative balances flagged) and, when
there are any, satisfaction surveys. No web here: the console's page (hq.console.routes_figures)
and a later API or report call :func:`chain_figures`.

The definitions are the store's manager reports' (``core.report_data``): what counts as a booked
appointment (``appointment_kind``), turnaround (``turnaround_hours``, median), first-time fix
(``first_time_fixes``), NPS and CSAT (``core.care.scores``); days are each store's local days (``day_bounds``
in the store's time zone as the console keeps it, UTC when none is set).

How it is queried (PostgreSQL and SQLite alike): over ``hq_row``'s JSON fields in SQL, with one
window per time zone (``owner IN (...) AND field >= lo AND field < hi``; timestamps are the
stores' ISO texts in UTC, compared as text under the "C" collation on PostgreSQL).
Appointments, trade-ins, members, points liability and flags are counted and summed in SQL
(a few rows per store come back). Repairs and surveys come back one row per ticket collected
or survey answered in the span (a bounded set) and are finished in Python, because a median
and the NPS have no portable SQL (PostgreSQL's ``percentile_cont`` is not SQLite's) and the
definitions must stay the store's own functions. Reworks are read once: the tickets of the
shown stores that name another (a rework is opened at the store of the first repair).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import BigInteger, Engine, and_, cast, false, func, literal_column, or_, select

from core.care import scores
from core.report_data import (
    KEPT_STATUSES, MAX_PERIOD_DAYS, appointment_kind, day_bounds, first_time_fixes, median, percent,
    turnaround_hours,
)
from hq.models import hq_flag, hq_region, hq_row, hq_store

__all__ = ["KEPT_STATUSES", "MAX_PERIOD_DAYS", "ChainFigures", "Line", "StoreRef", "Tally", "chain_figures",
           "stores_in_scope"]


@dataclass(frozen=True)
class StoreRef:
    code: str
    name: str
    store_id: uuid.UUID | None        # None until the store enrols: it has no rows yet
    region_id: int | None
    region: str | None
    timezone: str
    currency: str | None


@dataclass
class Tally:
    """What one store, one region or the chain counted over the span."""
    booked: int = 0
    completed: int = 0
    no_show: int = 0
    repairs: int = 0                  # collected in the span
    turnarounds: list[float] = field(default_factory=list)
    first_fixed: int = 0
    first_attempts: int = 0
    tradeins: int = 0                 # accepted in the span
    tradein_value: dict[str, int] = field(default_factory=dict)    # currency -> minor units
    members: int = 0                  # enrolled by the end of the span
    points: int = 0                   # the members' ledger up to the end of the span
    negative: int = 0                 # open negative_balance flags (now)
    csat: list[int] = field(default_factory=list)
    nps: list[int] = field(default_factory=list)
    surveys: int = 0

    def add(self, other: Tally) -> None:
        for name in ("booked", "completed", "no_show", "repairs", "first_fixed", "first_attempts", "tradeins",
                     "members", "points", "negative", "surveys"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.turnarounds += other.turnarounds
        self.csat += other.csat
        self.nps += other.nps
        for currency, cents in other.tradein_value.items():
            self.tradein_value[currency] = self.tradein_value.get(currency, 0) + cents

    @property
    def turnaround_median_h(self) -> float | None:
        return median(self.turnarounds)

    @property
    def first_time_fix_pct(self) -> float | None:
        return percent(self.first_fixed, self.first_attempts)

    @property
    def csat_avg(self) -> float | None:
        return scores.csat(self.csat).value

    @property
    def nps_score(self) -> float | None:
        return scores.nps(self.nps).value

    @property
    def value(self) -> tuple[str, int] | None:
        """The trade-in value when it is in one currency (a region of mixed currencies has none)."""
        if len(self.tradein_value) == 1:
            return next(iter(self.tradein_value.items()))
        return ("", 0) if not self.tradein_value else None


@dataclass(frozen=True)
class Line:
    level: str                        # "store", "region" or "chain"
    code: str                         # the store's code ("" for a region or the chain)
    name: str                         # the store's or the region's name ("" for the chain)
    region: str | None
    tally: Tally


@dataclass(frozen=True)
class ChainFigures:
    first: date
    last: date
    stores: tuple[Line, ...]
    regions: tuple[Line, ...]
    chain: Line

    @property
    def has_surveys(self) -> bool:
        return self.chain.tally.surveys > 0


def stores_in_scope(engine: Engine, region_id: int | None = None, *, scoped: bool = False) -> list[StoreRef]:
    """The stores whose figures are shown: all, or (``scoped``) those of ``region_id`` only
    (a scoped user without a region: none)."""
    if scoped and region_id is None:
        return []
    q = (select(hq_store.c.code, hq_store.c.name, hq_store.c.store_id, hq_store.c.region_id, hq_region.c.name,
                hq_store.c.timezone, hq_store.c.currency)
         .select_from(hq_store.outerjoin(hq_region, hq_region.c.id == hq_store.c.region_id))
         .order_by(hq_region.c.name, hq_store.c.code))
    if scoped:
        q = q.where(hq_store.c.region_id == region_id)
    with engine.connect() as conn:
        return [StoreRef(r[0], r[1], r[2], r[3], r[4], r[5] or "UTC", r[6]) for r in conn.execute(q)]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _text(at: datetime) -> str:
    # no offset: "…T02:00:00" sorts before "…T02:00:00+00:00" and ".5+00:00", as the instant does
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


class _Query:
    """JSON fields of ``hq_row`` (or an alias of it) as SQL expressions for this dialect."""

    def __init__(self, conn: Any, windows: dict[str, tuple[list[uuid.UUID], str, str]]):
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.windows = windows            # time zone -> (store ids, lo, hi)

    def field(self, name: str, table: str = "hq_row") -> Any:
        if self.pg:
            return literal_column(f"({table}.data ->> '{name}')")
        return literal_column(f"json_extract({table}.data, '$.{name}')")

    def stamp(self, name: str, table: str = "hq_row") -> Any:
        expr = self.field(name, table)
        return literal_column(f'({expr} COLLATE "C")') if self.pg else expr

    def number(self, name: str, table: str = "hq_row") -> Any:
        return cast(self.field(name, table), BigInteger)

    def within(self, owner: Any, stamp: Any, *, as_text: bool = False, since: bool = True) -> Any:
        """``owner`` one of a time zone's stores and ``stamp`` in that zone's span."""
        clauses = []
        for ids, lo, hi in self.windows.values():
            keys = [str(i) for i in ids] if as_text else ids
            parts = [owner.in_(keys), stamp < hi]
            if since:
                parts.append(stamp >= lo)
            clauses.append(and_(*parts))
        return or_(*clauses) if clauses else false()

    def rows(self, q: Any) -> list[Any]:
        return list(self.conn.execute(q))


def _live(entity: str, table: Any = hq_row) -> Any:
    return and_(table.c.entity == entity, table.c.deleted.is_(False))


def _appointments(q: _Query, tally: dict[uuid.UUID, Tally]) -> None:
    status, source = q.field("status"), q.field("source")
    for owner, st, src, n in q.rows(
            select(hq_row.c.owner_store_id, status, source, func.count())
            .where(_live("appointment"), q.within(hq_row.c.owner_store_id, q.stamp("starts_at")))
            .group_by(hq_row.c.owner_store_id, status, source)):
        if appointment_kind(st or "", src) != "booked":
            continue
        t = tally[owner]
        t.booked += n
        t.completed += n if st == "completed" else 0
        t.no_show += n if st == "no_show" else 0


def _repairs(q: _Query, tally: dict[uuid.UUID, Tally], ids: list[uuid.UUID]) -> None:
    collected = q.rows(
        select(hq_row.c.owner_store_id, hq_row.c.entity_id, q.field("created_at"), q.field("collected_at"),
               q.field("rework_of_id"))
        .where(_live("repair_ticket"), q.within(hq_row.c.owner_store_id, q.stamp("collected_at"))))
    rework_of = q.field("rework_of_id")
    reworked = {r[0] for r in q.rows(select(rework_of).where(
        _live("repair_ticket"), hq_row.c.owner_store_id.in_(ids), rework_of.is_not(None)))}
    by_store: dict[uuid.UUID, list[tuple[str, str | None]]] = defaultdict(list)
    for owner, tid, created, done, of in collected:
        t = tally[owner]
        t.repairs += 1
        t.turnarounds.append(turnaround_hours(datetime.fromisoformat(created), datetime.fromisoformat(done)))
        by_store[owner].append((tid, of))
    for owner, tickets in by_store.items():
        fixed, firsts = first_time_fixes(tickets, reworked)
        tally[owner].first_fixed += fixed
        tally[owner].first_attempts += firsts


def _tradeins(q: _Query, tally: dict[uuid.UUID, Tally], currency: dict[uuid.UUID, str]) -> None:
    for owner, n, cents in q.rows(
            select(hq_row.c.owner_store_id, func.count(), func.sum(q.number("value_cents")))
            .where(_live("tradein_quote"), q.within(hq_row.c.owner_store_id, q.stamp("accepted_at")))
            .group_by(hq_row.c.owner_store_id)):
        t = tally[owner]
        t.tradeins += n
        code = currency.get(owner, "")
        t.tradein_value[code] = t.tradein_value.get(code, 0) + int(cents or 0)


def _loyalty(q: _Query, tally: dict[uuid.UUID, Tally], ids: list[uuid.UUID]) -> None:
    store = q.field("store_id")
    for sid, n in q.rows(select(store, func.count()).where(
            _live("loyalty_account"), q.within(store, q.stamp("enrolled_at"), as_text=True, since=False))
            .group_by(store)):
        tally[uuid.UUID(sid)].members += n
    e, a = hq_row.alias("e"), hq_row.alias("a")
    a_store = q.field("store_id", "a")
    for sid, points in q.rows(
            select(a_store, func.sum(q.number("points", "e")))
            .select_from(e.join(a, and_(a.c.entity == "loyalty_account", a.c.entity_id == q.field("account_id", "e"))))
            .where(_live("loyalty_entry", e), a.c.deleted.is_(False),
                   q.within(a_store, q.stamp("at", "e"), as_text=True, since=False))
            .group_by(a_store)):
        tally[uuid.UUID(sid)].points += int(points or 0)
    for sid, n in q.rows(
            select(a_store, func.count())
            .select_from(hq_flag.join(a, and_(a.c.entity == "loyalty_account", a.c.entity_id == hq_flag.c.entity_id)))
            .where(hq_flag.c.kind == "negative_balance", hq_flag.c.cleared.is_(False),
                   a_store.in_([str(i) for i in ids]))
            .group_by(a_store)):
        tally[uuid.UUID(sid)].negative += n


def _surveys(q: _Query, tally: dict[uuid.UUID, Tally]) -> None:
    for owner, csat, nps in q.rows(
            select(hq_row.c.owner_store_id, q.number("csat"), q.number("nps"))
            .where(_live("survey"), q.within(hq_row.c.owner_store_id, q.stamp("at")))):
        t = tally[owner]
        t.surveys += 1
        if csat is not None:
            t.csat.append(int(csat))
        if nps is not None:
            t.nps.append(int(nps))


def chain_figures(engine: Engine, stores: Iterable[StoreRef], first: date, last: date) -> ChainFigures:
    """The figures of ``stores`` (see :func:`stores_in_scope`) from ``first`` to ``last``, each
    store's local days. The caller checks the span (at most ``MAX_PERIOD_DAYS`` days)."""
    shown = list(stores)
    windows: dict[str, tuple[list[uuid.UUID], str, str]] = {}
    for s in shown:
        if s.store_id is None:
            continue
        zone = _zone(s.timezone)
        lo, hi = day_bounds(zone, first, last)
        windows.setdefault(zone.key, ([], _text(lo), _text(hi)))[0].append(s.store_id)
    ids = [s.store_id for s in shown if s.store_id is not None]
    tally: dict[uuid.UUID, Tally] = defaultdict(Tally)
    if ids:
        with engine.connect() as conn:
            q = _Query(conn, windows)
            _appointments(q, tally)
            _repairs(q, tally, ids)
            _tradeins(q, tally, {s.store_id: s.currency or "" for s in shown if s.store_id is not None})
            _loyalty(q, tally, ids)
            _surveys(q, tally)
    lines = [Line("store", s.code, s.name, s.region,
                  tally.get(s.store_id, Tally()) if s.store_id is not None else Tally()) for s in shown]
    regions: dict[str | None, Tally] = {}
    chain = Tally()
    for line in lines:
        regions.setdefault(line.region, Tally()).add(line.tally)
        chain.add(line.tally)
    region_lines = tuple(Line("region", "", name or "", name, t)
                         for name, t in sorted(regions.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))
    return ChainFigures(first, last, tuple(lines), region_lines, Line("chain", "", "", None, chain))
