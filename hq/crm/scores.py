"""Every customer's scores for the chain (issue 23): RFM and segment, value band, the value to
date and the predicted next 12 months, churn risk with its reasons. Computed at HQ from the
rows every store has pushed (:mod:`hq.crm.features`: one set-based query), kept in
``hq_customer_score`` and published as entity ``customer_score`` (every ``CustomerScore``
column, JSON values), so the stores that serve a customer pull that customer's row.

- :func:`recompute` (``full``): the whole chain is ranked (``rank() OVER`` into a temporary
  table), scored by :mod:`core.crm.segments`, assessed by :mod:`core.crm.churn`, valued by
  :mod:`hq.crm.ltv` (fitted afresh; 0 while that module is absent; rounded to two
  significant figures, so a refit that moves a prediction by a few cents publishes nothing).
  The chain's quintile bounds and the fitted model are kept in ``hq_crm_state``
  (``rfm_bounds``, ``ltv_model``).
- :func:`recompute_customers`: a few customers (after an import, after new activity) scored
  against the stored bounds and model: their scores are the ones a full recompute would have
  given them among the chain as it was then. Without bounds yet, the full recompute (unless
  one is running: then the next pass finds them by the cursor).
- :func:`recompute_changed`: the customers with new activity since the cursor
  (``activity_seq``: ``hq_row.seq`` per lane (hq.lanes) of purchases, repair tickets, trade-in quotes, feedback and
  loyalty entries; a merge moves them to the survivor, who is scored again; the merged-away
  profile's row goes at the next full recompute, as does a new customer's "no purchases yet").

Only rows whose values changed are written and published (``hq_customer_score.published``:
the digest of what was last published; ``computed_at`` is left out of it, so it says when
the values last changed). A segment change keeps where the customer came from
(``previous_segment``) and since when they are where they are (``segment_since``). A
customer who is no longer live (merged into another, deleted) loses the row at HQ and at the
stores; an erased one loses it when HQ learns of the erasure (:mod:`hq.push_merge`).

Writes go through :func:`hq.publish.write_customer_data` (a push's own merge, as HQ itself,
in chunks): under the global lane's lock and the locks of the rows and lanes it writes, as a
push's own, so within each lane the writes commit in sequence order (:mod:`hq.lanes`).
Full recomputes are serialised (an advisory lock on PostgreSQL; one process holds the demo's
SQLite file). A write PostgreSQL stops for a conflict (a push holding the same rows crosswise)
is run again from its start (:mod:`hq.retry`).
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Sequence

import orjson
from sqlalchemy import Engine, and_, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.crm import churn, segments
from hq.bulk import _bulk_insert, _scratch
from hq import lanes
from hq.common import _in, _step, lane_heads
from hq.crm import features as feat
from hq.models import hq_crm_state, hq_customer_score, hq_erased, hq_row
from hq.retry import write_retrying

try:        # the lifetime value model (numpy, scipy: the hq extra)
    import numpy as np

    from hq.crm import ltv
except ImportError:     # pragma: no cover - an install without it predicts 0
    ltv = None  # type: ignore[assignment]

ENTITY = "customer_score"
ACTIVITY_ENTITIES = ("purchase", "repair_ticket", "tradein_quote", "feedback", "loyalty_entry")
CHUNK = 5000                 # customers scored, written and published at a time
ANALYZE_AFTER = 10_000       # rows published by a full recompute past which PostgreSQL's statistics are renewed
STATE_BOUNDS, STATE_MODEL, STATE_CURSOR, STATE_NIGHTLY = "rfm_bounds", "ltv_model", "activity_seq", "nightly"
_LOCK_KEY = 23_2026_1203     # PostgreSQL advisory lock of a full recompute
_local_lock = threading.Lock()


@dataclass(frozen=True)
class Result:
    """What one recompute did: live customers looked at, those with a visit (scored 1..5),
    rows published (changed), rows removed (no longer live), and the seconds spent computing
    and publishing."""

    customers: int = 0
    scored: int = 0
    published: int = 0
    removed: int = 0
    compute_s: float = 0.0
    publish_s: float = 0.0
    full: bool = False

    def __add__(self, other: Result) -> Result:
        return Result(self.customers + other.customers, self.scored + other.scored,
                      self.published + other.published, self.removed + other.removed,
                      self.compute_s + other.compute_s, self.publish_s + other.publish_s, self.full or other.full)

    def __str__(self) -> str:
        return (f"{'full' if self.full else 'incremental'}: {self.customers} customers, {self.scored} with a visit, "
                f"{self.published} published, {self.removed} removed; compute {self.compute_s:.2f} s, "
                f"publish {self.publish_s:.2f} s")


# --- state ----------------------------------------------------------------------------------

def get_state(engine_or_conn: Any, key: str) -> Any:
    """A value of ``hq_crm_state`` (None when not set)."""
    q = select(hq_crm_state.c.data).where(hq_crm_state.c.key == key)
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.connect() as conn:
            return conn.scalar(q)
    return engine_or_conn.scalar(q)


def _set_state(conn: Any, values: dict[str, Any], now: datetime) -> None:
    ins = pg_insert(hq_crm_state) if conn.dialect.name == "postgresql" else sqlite_insert(hq_crm_state)
    for key, data in values.items():
        conn.execute(ins.values(key=key, data=data, updated_at=now)
                     .on_conflict_do_update(index_elements=["key"], set_={"data": data, "updated_at": now}))


def _head(conn: Any) -> dict[int, int]:
    """Every lane's head (hq.lanes): the activity cursor is one number per lane."""
    return lane_heads(conn)


def _cursor(value: Any) -> dict[int, int]:
    """The stored activity cursor: {lane: seq} (as text keys in JSON), or a whole number
    from before the lanes (that number in every lane, as hq.lanes.decode reads it)."""
    if isinstance(value, dict):
        return {int(k): int(v) for k, v in value.items()}
    return lanes.decode(int(value or 0))


def _later(head: dict[int, int], cursor: Any) -> dict[str, int]:
    """The cursor moved to ``head``, never back, as stored."""
    old = _cursor(cursor)
    return {str(lane): max(head.get(lane, 0), old.get(lane, 0)) for lane in sorted(head.keys() | old.keys())}


def has_bounds(engine: Engine) -> bool:
    return bool(get_state(engine, STATE_BOUNDS))


# --- one customer's row ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Moment:
    """``now`` and what every customer's row compares with it, worked out once per run."""

    now: datetime
    iso: str
    ts: float
    redeem_since: str

    texts: dict[Any, str] = field(default_factory=dict)

    @classmethod
    def at(cls, now: datetime) -> _Moment:
        now = now.astimezone(timezone.utc)
        return cls(now, now.isoformat(), now.timestamp(), (now - timedelta(days=churn.REDEEM_DAYS)).isoformat())

    def since_text(self, value: Any) -> str:
        """A stored ``segment_since`` as text (many customers share one: the recompute that
        moved them), ``now`` when there is none."""
        text = self.texts.get(value)
        if text is None:
            text = self.texts[value] = _iso(_aware(value)) or self.iso
        return text


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _ts(text: Any) -> float | None:
    at = _aware(text)
    return None if at is None else at.timestamp()


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(timezone.utc).isoformat()


def _iso_text(text: Any) -> str | None:
    """A stored moment's text as the outbox writes it (UTC, ``+00:00``)."""
    if isinstance(text, str) and text.endswith("+00:00"):
        return text
    return _iso(_aware(text))


def _utc(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, timezone.utc)


def round_prediction(cents: int) -> int:
    """A prediction to two significant figures: what the model can say (a refit that moves a
    value by a few cents does not publish the customer's row again)."""
    cents = int(cents)
    if cents < 100:
        return max(cents, 0)
    step = 10 ** (len(str(cents)) - 2)
    return (cents + step // 2) // step * step


@dataclass
class _Scored:
    cid: uuid.UUID
    data: dict[str, Any]          # the published row (CustomerScore's columns, JSON values)
    first_ts: float | None
    digest: str


def _features(r: Any, first: float | None, last: float | None, m: _Moment) -> churn.Features:
    visits = int(r.visits or 0)
    span = (last - first) / 86400 if first is not None and last is not None else 0.0
    return churn.Features(
        visits=visits, days_since_last_visit=None if last is None else int((m.ts - last) // 86400),
        usual_gap_days=churn.usual_gap(span, visits), complaints=int(r.complaints or 0),
        expiring_points=max(0, min(int(r.expiring or 0), int(r.balance or 0))),
        redeemed_recently=bool(r.last_redeem) and str(r.last_redeem) > m.redeem_since,
        visits_last_year=int(r.visits_y1 or 0), visits_year_before=int(r.visits_y2 or 0))


def _score(r: Any, first: float | None, last: float | None, rfm: tuple[int, int, int], predicted: int,
           old: Any, m: _Moment) -> _Scored:
    """The row of one customer (``r``: :data:`hq.crm.features.COLUMNS`; ``first``/``last``:
    its first and last visit in epoch seconds), ``old``: what HQ holds (segment,
    previous_segment, segment_since) or None."""
    f = _features(r, first, last, m)
    recency, frequency, monetary = rfm
    seg = segments.segment(recency, frequency)
    risk, reasons = churn.assess(f)
    if old is None or old.segment is None:
        previous, since = "", m.iso
    elif old.segment != seg:
        previous, since = old.segment, m.iso
    else:
        previous, since = old.previous_segment or "", m.since_text(old.segment_since)
    currency = r.currency if isinstance(r.currency, str) and len(r.currency) == 3 else ""
    cid = r.customer_id
    text = str(cid)
    data = {
        "id": text, "customer_id": text, "recency": recency, "frequency": frequency, "monetary": monetary,
        "segment": seg, "previous_segment": previous, "segment_since": since, "visits": f.visits,
        "last_visit_at": _iso_text(r.last_at) if last is not None else None, "historic_cents": int(r.historic or 0),
        "predicted_cents": round_prediction(predicted), "value_band": segments.value_band(monetary),
        "churn_score": risk, "churn_reasons": reasons, "currency": currency,
    }
    digest = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
    data["computed_at"] = m.iso            # not in the digest: when the values last changed
    return _Scored(cid, data, first, digest)


def _parsed(rows: Sequence[Any]) -> list[tuple[float | None, float | None]]:
    return [(_ts(r.first_at), _ts(r.last_at)) if r.visits else (None, None) for r in rows]


def _predict(model: Any, rows: Sequence[Any], times: Sequence[tuple[float | None, float | None]],
             m: _Moment) -> list[int]:
    """Each row's predicted 12-month value (0 without a visit, a model or :mod:`hq.crm.ltv`)."""
    out = [0] * len(rows)
    if ltv is None or model is None:
        return out
    index = [i for i, (first, last) in enumerate(times) if first is not None and last is not None]
    if not index:
        return out
    summary = ltv.Summary(*_arrays([rows[i] for i in index], [times[i] for i in index], m))
    for i, cents in zip(index, ltv.predict_cents(model, summary, weeks=52).tolist()):
        out[i] = int(cents)
    return out


def _arrays(rows: Sequence[Any], times: Sequence[tuple[float | None, float | None]],
            m: _Moment) -> tuple[Any, Any, Any, Any]:
    """(x, t_x, T, m) of visiting customers' rows, as numpy arrays (weeks as fractions)."""
    week = 7 * 86400.0
    n = len(rows)
    x, t_x, big_t, mean = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    for i, (r, (first, last)) in enumerate(zip(rows, times)):
        assert first is not None and last is not None
        visits = int(r.visits)
        x[i] = visits - 1
        t_x[i] = (last - first) / week
        big_t[i] = max(0.0, (m.ts - first) / week)
        mean[i] = max(0, int(r.historic or 0)) / visits
    return x, t_x, big_t, mean


# --- writing --------------------------------------------------------------------------------

def _write_scores(engine: Engine, scored: list[_Scored], now: datetime) -> float:
    """Publish the changed rows, then keep them (with their digest) in ``hq_customer_score``;
    returns the seconds spent publishing. A crash between the two publishes them again next
    time, as the same values."""
    if not scored:
        return 0.0
    from hq import publish
    t0 = time.perf_counter()
    publish.write_customer_data(engine, [publish.Change(ENTITY, s.data["id"], s.data) for s in scored])
    spent = time.perf_counter() - t0
    rows = [{
        "customer_id": s.cid, "recency": s.data["recency"], "frequency": s.data["frequency"],
        "monetary": s.data["monetary"], "segment": s.data["segment"], "previous_segment": s.data["previous_segment"],
        "segment_since": _aware(s.data["segment_since"]), "visits": s.data["visits"],
        "first_visit_at": _utc(s.first_ts), "last_visit_at": _aware(s.data["last_visit_at"]),
        "historic_cents": s.data["historic_cents"], "predicted_cents": s.data["predicted_cents"],
        "value_band": s.data["value_band"], "churn_score": s.data["churn_score"],
        "churn_reasons": s.data["churn_reasons"], "currency": s.data["currency"], "computed_at": now,
        "published": s.digest,
    } for s in scored]

    def keep(conn: Any) -> None:
        _upsert(conn, rows)
        # an erasure that came in while these were computed: HQ keeps no score of theirs
        ids = [s.cid for s in scored]
        conn.execute(delete(hq_customer_score).where(hq_customer_score.c.customer_id.in_(
            select(hq_erased.c.customer_id).where(_in(conn, hq_erased.c.customer_id, ids)))))
    write_retrying(engine, keep, what="CRM score rows")
    return spent


def _upsert(conn: Any, rows: list[dict[str, Any]]) -> None:
    """Insert or replace score rows: on PostgreSQL through COPY into a scratch table and one
    ``INSERT ... ON CONFLICT`` (a chunk costs about one statement), else one executemany."""
    t = hq_customer_score
    cols = [c.name for c in t.columns]
    if conn.dialect.name != "postgresql":
        ins = sqlite_insert(t)
        conn.execute(ins.on_conflict_do_update(index_elements=["customer_id"],
                                               set_={c: ins.excluded[c] for c in cols if c != "customer_id"}), rows)
        return
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS hq_customer_score_incoming "
                         "(LIKE hq_customer_score INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
    _bulk_insert(conn, _scratch("hq_customer_score", "hq_customer_score_incoming"), rows)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c != "customer_id")
    names = ", ".join(cols)
    conn.exec_driver_sql(f"INSERT INTO hq_customer_score ({names}) SELECT {names} FROM hq_customer_score_incoming "
                         f"ON CONFLICT (customer_id) DO UPDATE SET {sets}")


def _remove(engine: Engine, ids: list[uuid.UUID]) -> tuple[int, float]:
    """Drop the scores of customers no longer live (merged into another, deleted), at HQ and,
    published as deleted, at the stores; returns (rows dropped at HQ, seconds)."""
    if not ids:
        return 0, 0.0
    from hq import publish
    t0 = time.perf_counter()
    published: list[str] = []
    with engine.connect() as conn:
        step = _step(conn)
        for i in range(0, len(ids), step):
            published.extend(conn.scalars(select(hq_row.c.entity_id).where(
                hq_row.c.entity == ENTITY, hq_row.c.deleted.is_(False),
                _in(conn, hq_row.c.entity_id, [str(c) for c in ids[i:i + step]]))))
    for i in range(0, len(published), CHUNK):
        publish.write_customer_data(engine, [publish.Change(ENTITY, e, deleted=True) for e in published[i:i + CHUNK]])

    def drop(conn: Any) -> int:
        step = _step(conn)
        return sum(conn.execute(delete(hq_customer_score).where(_in(
            conn, hq_customer_score.c.customer_id, ids[i:i + step]))).rowcount or 0 for i in range(0, len(ids), step))
    return write_retrying(engine, drop, what="CRM score removal"), time.perf_counter() - t0


def _old_scores(conn: Any, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    s = hq_customer_score
    out: dict[uuid.UUID, Any] = {}
    for i in range(0, len(ids), _step(conn)):
        for r in conn.execute(select(s.c.customer_id, s.c.segment, s.c.previous_segment, s.c.segment_since,
                                     s.c.published).where(_in(conn, s.c.customer_id, ids[i:i + _step(conn)]))):
            out[r.customer_id] = r
    return out


# --- the whole chain ------------------------------------------------------------------------

@contextmanager
def _exclusive(engine: Engine, *, wait: bool = True) -> Iterator[bool]:
    """One full recompute at a time, across HQ processes on PostgreSQL (an advisory lock);
    yields whether this one may run (``wait=False``: not while another runs)."""
    if not _local_lock.acquire(blocking=wait):
        yield False
        return
    try:
        if engine.dialect.name != "postgresql":
            yield True
            return
        with engine.connect() as conn:
            fn = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
            got = conn.exec_driver_sql(f"SELECT {fn}({_LOCK_KEY})").scalar() is not False
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_LOCK_KEY})")
                    conn.commit()
    finally:
        _local_lock.release()


def recompute(engine: Engine, *, now: datetime, full: bool = True, wait: bool = True) -> Result:
    """Score the whole chain as of ``now`` (``full``), or only the customers with new activity
    since the last pass (:func:`recompute_changed`). ``wait=False``: when another full
    recompute is running (another HQ process's nightly run), do nothing."""
    if not full:
        return recompute_changed(engine, now=now)
    now = now.astimezone(timezone.utc)
    with _exclusive(engine, wait=wait) as mine:
        return _full(engine, now) if mine else Result(full=True)


def _full(engine: Engine, now: datetime) -> Result:
    t0 = time.perf_counter()
    publish_s = 0.0
    published = scored_n = customers = 0
    r_b: list[segments.Bound] = [None] * 4
    f_b: list[segments.Bound] = [None] * 4
    m_b: list[segments.Bound] = [None] * 4
    model = None
    m = _Moment.at(now)
    with engine.connect() as conn:
        head = _head(conn)
        try:
            customers = feat.fill_scratch(conn, now)
            if ltv is not None:
                model = _fit(conn, m)
            sc, s = feat.scratch, hq_customer_score
            q = (select(sc, s.c.segment, s.c.previous_segment, s.c.segment_since, s.c.published)
                 .select_from(sc.outerjoin(s, s.c.customer_id == sc.c.customer_id)))
            result = conn.execute(q.execution_options(stream_results=True, yield_per=CHUNK))
            for rows in result.partitions(CHUNK):
                times = _parsed(rows)
                predicted = _predict(model, rows, times, m)
                changed: list[_Scored] = []
                r_pairs, f_pairs, m_pairs = [], [], []
                for r, (first, last), cents in zip(rows, times, predicted):
                    rfm = (0, 0, 0)
                    if r.visits > 0 and last is not None:
                        rfm = (segments.score_by_rank(r.r_rank, r.n), segments.score_by_rank(r.f_rank, r.n),
                               segments.score_by_rank(r.m_rank, r.n))
                        scored_n += 1
                        r_pairs.append((last, rfm[0]))
                        f_pairs.append((float(r.visits), rfm[1]))
                        m_pairs.append((float(r.historic), rfm[2]))
                    one = _score(r, first, last, rfm, cents, r if r.published is not None else None, m)
                    if one.digest != r.published:
                        changed.append(one)
                r_b = segments.merge_bounds(r_b, segments.bounds(r_pairs))
                f_b = segments.merge_bounds(f_b, segments.bounds(f_pairs))
                m_b = segments.merge_bounds(m_b, segments.bounds(m_pairs))
                publish_s += _write_scores(engine, changed, now)
                published += len(changed)
            gone = list(conn.scalars(select(hq_customer_score.c.customer_id).where(
                ~select(sc.c.customer_id).where(sc.c.customer_id == hq_customer_score.c.customer_id).exists())))
        except BaseException:
            conn.rollback()             # the scratch table goes with the transaction
            raise
        feat.drop_scratch(conn)
        conn.commit()
    removed, spent = _remove(engine, gone)
    publish_s += spent
    if engine.dialect.name == "postgresql" and published > ANALYZE_AFTER:
        # many new rows: the planner's statistics first (a customer's row is then found by its
        # key at once, not among every score row, until autovacuum would have come by)
        t1 = time.perf_counter()
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE hq_row, hq_customer_score")
            conn.commit()
        publish_s += time.perf_counter() - t1
    state: dict[str, Any] = {STATE_NIGHTLY: {"at": _iso(now), "customers": customers, "scored": scored_n}}
    if scored_n:
        state[STATE_BOUNDS] = {"recency": r_b, "frequency": f_b, "monetary": m_b, "n": scored_n, "at": _iso(now)}
    if model is not None:
        state[STATE_MODEL] = model.to_json()

    def save(conn: Any) -> None:
        _set_state(conn, {**state, STATE_CURSOR: _later(head, get_state(conn, STATE_CURSOR))}, now)
    write_retrying(engine, save, what="CRM state")
    total = time.perf_counter() - t0
    return Result(customers, scored_n, published, removed, total - publish_s, publish_s, True)


def _fit(conn: Any, m: _Moment) -> Any:
    """The lifetime value model fitted on every visiting customer of the chain (read in
    chunks into numpy arrays; :func:`hq.crm.ltv.fit` samples what it needs)."""
    sc = feat.scratch
    parts: list[tuple[Any, Any, Any, Any]] = []
    result = conn.execute(select(sc.c.visits, sc.c.first_at, sc.c.last_at, sc.c.historic)
                          .where(sc.c.visits > 0).execution_options(stream_results=True, yield_per=50_000))
    for rows in result.partitions(50_000):
        parts.append(_arrays(rows, _parsed(rows), m))
    if not parts:
        return None
    return ltv.fit(ltv.Summary(*(np.concatenate([p[i] for p in parts]) for i in range(4))))


# --- a few customers ------------------------------------------------------------------------

def recompute_customers(engine: Engine, customer_ids: Sequence[uuid.UUID], *, now: datetime) -> Result:
    """Score ``customer_ids`` against the chain's stored bounds and model, and publish those
    whose scores changed; a customer no longer live loses the row. Before the first full
    recompute (no bounds yet) this is the full recompute."""
    now = now.astimezone(timezone.utc)
    bounds = get_state(engine, STATE_BOUNDS)
    if not bounds:
        return recompute(engine, now=now, full=True, wait=False)  # another running: the cursor brings them
    model_json = get_state(engine, STATE_MODEL)
    model = ltv.Model.from_json(model_json) if ltv is not None and model_json else None
    ids = sorted({uuid.UUID(str(c)) for c in customer_ids})
    total = Result()
    for i in range(0, len(ids), CHUNK):
        total = total + _some(engine, ids[i:i + CHUNK], bounds, model, now)
    return total


def _some(engine: Engine, ids: list[uuid.UUID], bounds: dict[str, Any], model: Any, now: datetime) -> Result:
    t0 = time.perf_counter()
    rows: list[Any] = []
    with engine.connect() as conn:
        step = max(1, _step(conn) // 6)      # the ids are bound once per part of the query (six)
        for i in range(0, len(ids), step):
            rows.extend(conn.execute(feat.features(conn, now, ids[i:i + step])))
        old = _old_scores(conn, ids)
    m = _Moment.at(now)
    times = _parsed(rows)
    predicted = _predict(model, rows, times, m)
    changed, scored_n = [], 0
    for r, (first, last), cents in zip(rows, times, predicted):
        rfm = (0, 0, 0)
        if r.visits > 0 and last is not None:
            scored_n += 1
            rfm = (segments.score_from_bounds(last, bounds["recency"]),
                   segments.score_from_bounds(float(r.visits), bounds["frequency"]),
                   segments.score_from_bounds(float(r.historic), bounds["monetary"]))
        prior = old.get(r.customer_id)
        one = _score(r, first, last, rfm, cents, prior, m)
        if prior is None or one.digest != prior.published:
            changed.append(one)
    publish_s = _write_scores(engine, changed, now)
    live = {r.customer_id for r in rows}
    removed, spent = _remove(engine, [c for c in ids if c not in live and c in old])
    total = time.perf_counter() - t0
    return Result(len(rows), scored_n, len(changed), removed, total - publish_s - spent, publish_s + spent)


def recompute_changed(engine: Engine, *, now: datetime) -> Result:
    """The customers with new activity since the cursor, scored against the stored bounds
    (the full recompute when there are none yet); the cursor then moves to the head read
    before looking."""
    if not has_bounds(engine):
        return recompute(engine, now=now, full=True, wait=False)  # another running: the cursor brings them
    with engine.connect() as conn:
        head = _head(conn)
        cursor = _cursor(get_state(conn, STATE_CURSOR))
        behind = [lane for lane, seq in head.items() if seq > cursor.get(lane, 0)]
        ids = [] if not behind else list(conn.scalars(
            select(hq_row.c.customer_id).distinct().where(
                lanes.after(cursor, behind), or_(*[and_(hq_row.c.lane == lane, hq_row.c.seq <= head[lane])
                                                  for lane in behind]),
                hq_row.c.entity.in_(ACTIVITY_ENTITIES), hq_row.c.customer_id.is_not(None))))
    result = recompute_customers(engine, ids, now=now) if ids else Result()
    if behind:
        write_retrying(engine, lambda conn: _set_state(
            conn, {STATE_CURSOR: _later(head, get_state(conn, STATE_CURSOR))}, now), what="CRM cursor")
    return result


# --- reading --------------------------------------------------------------------------------

def segment_counts(engine: Engine) -> dict[str, int]:
    """Customers per segment at HQ (``none``: no visit yet), largest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(hq_customer_score.c.segment, func.count())
                            .group_by(hq_customer_score.c.segment)).all()
    return dict(sorted(((str(seg), int(n)) for seg, n in rows), key=lambda kv: (-kv[1], kv[0])))


__all__ = ["ACTIVITY_ENTITIES", "ENTITY", "Result", "get_state", "has_bounds", "recompute", "recompute_changed",
           "recompute_customers", "segment_counts"]
