"""What the chain's rows say about each customer, in one set-based query over ``hq_row``
(PostgreSQL for a chain, SQLite for the demo's HQ): the input of :mod:`hq.crm.scores`.

Activity (issue 23's one rule): a *visit* is a purchase of kind ``sale``, a repair ticket
collected and paid (``payment_status`` paid or invoiced; its value is what the customer paid:
the quote, with the tax added where the ticket's tax rule was exclusive), or a trade-in quote
accepted or received (a visit, value 0). Visits are distinct UTC days with a visit; the value
to date is every purchase (refunds negative) plus the paid repairs. Only what happened up to
``now`` counts, so a recompute "as of" a past moment (a test, a calibration) sees that moment.

Per customer the query also gathers what churn risk reads (:class:`core.crm.churn.Features`):
visit days in the last 365 days and the 365 before (by UTC day), feedback rows opened in the
last :data:`core.crm.churn.COMPLAINT_DAYS` days (complaints), and from the loyalty ledger the
balance, the points that lapse within :data:`core.crm.churn.EXPIRY_DAYS` days (entries whose
``expires_at``, set by the loyalty rules when they were earned, falls in that window) and the
last redemption (looked for within :data:`core.crm.churn.REDEEM_DAYS` days).

Customers are the live ``customer`` rows: not deleted, not erased, not merged into another.
Timestamps are compared as the ISO texts the outbox writes (UTC, ``+00:00``), which sort as
the moments do, and a day is the text's first ten characters: no cast per row.

:func:`ranked` adds the chain's ranks with ``rank() OVER``: for each measure, 1 + the number of
visiting customers with a strictly smaller value, which is exactly
:func:`core.crm.segments.score_by_rank`'s rank.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Sequence

from sqlalchemy import (
    BigInteger, Column, Integer, MetaData, Select, String, Table, Uuid, and_, case, cast, exists, func, literal,
    null, select, union_all,
)

from core.crm.churn import COMPLAINT_DAYS, EXPIRY_DAYS, REDEEM_DAYS
from hq.common import _in
from hq.models import hq_erased, hq_row

VISIT_PAYMENTS = ("paid", "invoiced")
TRADEIN_VISITS = ("accepted", "received")
# the churn rule's windows are core.crm.churn's (imported above, one definition)

# the temporary table a full recompute ranks the chain into (one per connection)
scratch = Table(
    "crm_features", MetaData(),
    Column("customer_id", Uuid, primary_key=True),
    Column("visits", Integer), Column("first_at", String), Column("last_at", String),
    Column("historic", BigInteger), Column("visits_y1", Integer), Column("visits_y2", Integer),
    Column("currency", String), Column("complaints", Integer), Column("balance", BigInteger),
    Column("expiring", BigInteger), Column("last_redeem", String),
    Column("r_rank", BigInteger), Column("f_rank", BigInteger), Column("m_rank", BigInteger), Column("n", BigInteger),
    prefixes=["TEMPORARY"],
)

COLUMNS = ("customer_id", "visits", "first_at", "last_at", "historic", "visits_y1", "visits_y2", "currency",
           "complaints", "balance", "expiring", "last_redeem")


@dataclass(frozen=True)
class Window:
    """The moments the query compares with, as the texts stored rows hold."""

    now: str
    y1_day: str          # visits on days after this one: the last 365 days
    y2_day: str          # ... after this one and up to y1_day: the 365 before
    complaints_since: str
    redeem_since: str
    expiry_until: str

    @classmethod
    def at(cls, now: datetime) -> Window:
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        now = now.astimezone(timezone.utc)
        today = now.date()
        return cls(now.isoformat(), (today - timedelta(days=365)).isoformat(),
                   (today - timedelta(days=730)).isoformat(),
                   (now - timedelta(days=COMPLAINT_DAYS)).isoformat(), (now - timedelta(days=REDEEM_DAYS)).isoformat(),
                   (now + timedelta(days=EXPIRY_DAYS)).isoformat())


def _text(conn: Any, expr: Any) -> Any:
    """A stored moment's text, compared byte by byte on PostgreSQL (``COLLATE "C"``: ISO texts
    sort as the moments do under any collation, and a database's own collation is many times
    slower to sort a million of them); SQLite compares bytes already."""
    return expr.collate("C") if conn.dialect.name == "postgresql" else expr


def _only(conn: Any, col: Any, customers: Sequence[uuid.UUID] | None) -> list[Any]:
    return [] if customers is None else [_in(conn, col, list(customers))]


def activity(conn: Any, w: Window, customers: Sequence[uuid.UUID] | None = None) -> Any:
    """Every piece of activity up to ``w.now`` as (cid, at, day, cents, visit 0/1, currency):
    the purchases, the paid repairs and the trade-ins (this module's rule)."""
    p = hq_row.alias("p")
    p_at = _text(conn, p.c.data["at"].as_string())
    purchases = select(
        p.c.customer_id.label("cid"), p_at.label("at"),
        cast(func.coalesce(p.c.data["total_cents"].as_integer(), 0), BigInteger).label("cents"),
        case((func.coalesce(p.c.data["kind"].as_string(), "sale") == "sale", 1), else_=0).label("visit"),
        p.c.data["currency"].as_string().label("currency"),
    ).where(p.c.entity == "purchase", p.c.deleted.is_(False), p.c.customer_id.is_not(None), p_at <= w.now,
            *_only(conn, p.c.customer_id, customers))

    t = hq_row.alias("t")
    t_at = _text(conn, t.c.data["collected_at"].as_string())
    quote = cast(func.coalesce(t.c.data["quote_cents"].as_integer(), 0), BigInteger)
    tax = cast(func.round(quote * t.c.data["tax_rate"].as_numeric(12, 4) / 100), BigInteger)
    repairs = select(
        t.c.customer_id.label("cid"), t_at.label("at"),
        case((t.c.data["tax_inclusive"].as_boolean().is_(False), quote + func.coalesce(tax, 0)), else_=quote)
        .label("cents"),
        literal(1).label("visit"), cast(null(), String).label("currency"),
    ).where(t.c.entity == "repair_ticket", t.c.deleted.is_(False), t.c.customer_id.is_not(None),
            t.c.data["status"].as_string() == "collected",
            t.c.data["payment_status"].as_string().in_(VISIT_PAYMENTS), t_at <= w.now,
            *_only(conn, t.c.customer_id, customers))

    q = hq_row.alias("q")
    q_at = _text(conn, func.coalesce(q.c.data["accepted_at"].as_string(), q.c.data["updated_at"].as_string()))
    tradeins = select(
        q.c.customer_id.label("cid"), q_at.label("at"), cast(literal(0), BigInteger).label("cents"),
        literal(1).label("visit"), cast(null(), String).label("currency"),
    ).where(q.c.entity == "tradein_quote", q.c.deleted.is_(False), q.c.customer_id.is_not(None),
            q.c.data["status"].as_string().in_(TRADEIN_VISITS), q_at <= w.now,
            *_only(conn, q.c.customer_id, customers))
    act = union_all(purchases, repairs, tradeins).subquery("act")
    return select(act, func.substr(act.c.at, 1, 10).label("day")).subquery("act_days")


def features(conn: Any, now: datetime, customers: Sequence[uuid.UUID] | None = None) -> Select[Any]:
    """One row per live customer (of ``customers``, or the chain): :data:`COLUMNS`."""
    w = Window.at(now)
    act = activity(conn, w, customers)
    # a day first (hash aggregates, no DISTINCT), then the customer
    days = select(
        act.c.cid, act.c.day, func.max(act.c.visit).label("visit"),
        cast(func.sum(act.c.cents), BigInteger).label("cents"),
        func.min(case((act.c.visit == 1, act.c.at))).label("first_at"),
        func.max(case((act.c.visit == 1, act.c.at))).label("last_at"),
        func.max(act.c.currency).label("currency"),
    ).group_by(act.c.cid, act.c.day).subquery("days")
    visit = days.c.visit == 1
    per = select(
        days.c.cid,
        func.sum(case((visit, 1), else_=0)).label("visits"),
        func.min(days.c.first_at).label("first_at"), func.max(days.c.last_at).label("last_at"),
        cast(func.sum(days.c.cents), BigInteger).label("historic"),
        func.sum(case((and_(visit, days.c.day > w.y1_day), 1), else_=0)).label("visits_y1"),
        func.sum(case((and_(visit, days.c.day > w.y2_day, days.c.day <= w.y1_day), 1), else_=0)).label("visits_y2"),
        func.max(days.c.currency).label("currency"),
    ).group_by(days.c.cid).subquery("per")

    f = hq_row.alias("f")
    f_at = _text(conn, f.c.data["opened_at"].as_string())
    complaints = select(f.c.customer_id.label("cid"), func.count().label("complaints")).where(
        f.c.entity == "feedback", f.c.deleted.is_(False), f.c.customer_id.is_not(None),
        f_at > w.complaints_since, f_at <= w.now, *_only(conn, f.c.customer_id, customers),
    ).group_by(f.c.customer_id).subquery("complaints")

    e = hq_row.alias("e")
    e_at, points = _text(conn, e.c.data["at"].as_string()), cast(func.coalesce(e.c.data["points"].as_integer(), 0),
                                                                 BigInteger)
    expires = _text(conn, e.c.data["expires_at"].as_string())
    ledger = select(
        e.c.customer_id.label("cid"),
        cast(func.sum(case((e_at <= w.now, points), else_=0)), BigInteger).label("balance"),
        cast(func.sum(case((and_(points > 0, expires > w.now, expires <= w.expiry_until), points), else_=0)),
             BigInteger).label("expiring"),
        func.max(case((and_(e.c.data["kind"].as_string() == "redeem", e_at <= w.now), e_at))).label("last_redeem"),
    ).where(e.c.entity == "loyalty_entry", e.c.deleted.is_(False), e.c.customer_id.is_not(None),
            *_only(conn, e.c.customer_id, customers)).group_by(e.c.customer_id).subquery("ledger")

    c = hq_row.alias("c")
    live = select(c.c.customer_id).where(
        c.c.entity == "customer", c.c.deleted.is_(False), c.c.customer_id.is_not(None),
        func.coalesce(c.c.data["erased"].as_boolean(), False).is_(False),
        c.c.data["merged_into_id"].as_string().is_(None),
        ~exists().where(hq_erased.c.customer_id == c.c.customer_id),
        *_only(conn, c.c.customer_id, customers),
    ).subquery("live")
    return select(
        live.c.customer_id, func.coalesce(per.c.visits, 0).label("visits"), per.c.first_at, per.c.last_at,
        func.coalesce(per.c.historic, 0).label("historic"), func.coalesce(per.c.visits_y1, 0).label("visits_y1"),
        func.coalesce(per.c.visits_y2, 0).label("visits_y2"), per.c.currency,
        func.coalesce(complaints.c.complaints, 0).label("complaints"),
        func.coalesce(ledger.c.balance, 0).label("balance"), func.coalesce(ledger.c.expiring, 0).label("expiring"),
        ledger.c.last_redeem,
    ).select_from(
        live.outerjoin(per, per.c.cid == live.c.customer_id)
        .outerjoin(complaints, complaints.c.cid == live.c.customer_id)
        .outerjoin(ledger, ledger.c.cid == live.c.customer_id))


def ranked(conn: Any, now: datetime) -> Select[Any]:
    """:func:`features` of the whole chain with each measure's rank among the visiting
    customers (``r_rank``, ``f_rank``, ``m_rank``) and their number ``n`` (0 ranks for the
    rest): the rows :data:`scratch` holds."""
    feat = features(conn, now).subquery("feat")
    part = case((feat.c.visits > 0, 1), else_=0)
    visiting = feat.c.visits > 0

    def rank(col: Any) -> Any:
        return case((visiting, func.rank().over(partition_by=part, order_by=col)), else_=0)
    return select(*[feat.c[name] for name in COLUMNS],
                  rank(feat.c.last_at).label("r_rank"), rank(feat.c.visits).label("f_rank"),
                  rank(feat.c.historic).label("m_rank"),
                  case((visiting, func.count().over(partition_by=part)), else_=0).label("n"))


def fill_scratch(conn: Any, now: datetime) -> int:
    """Rank the whole chain into :data:`scratch` on ``conn`` (made afresh); returns the rows."""
    scratch.drop(conn, checkfirst=True)
    scratch.create(conn)
    if conn.dialect.name == "postgresql":
        # the ranking sorts a million rows three times: in memory, not in temporary files
        conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
    conn.execute(scratch.insert().from_select([c.name for c in scratch.columns], ranked(conn, now)))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE crm_features")
    return int(conn.scalar(select(func.count()).select_from(scratch)) or 0)


def drop_scratch(conn: Any) -> None:
    scratch.drop(conn, checkfirst=True)
