"""The manager's figures about the store's customers (issue 23), on screen (the dashboard)
and on paper (the period report's section, :mod:`reports.crm_section`): one function,
:func:`figures`, so both show the same numbers.

* **Segments**: the store's own customers (home store; live: not erased, not merged) by the
  segment HQ scored them in (``customer_score``); one without a score yet counts as
  ``none``. Every segment is listed, in catalogue order, zeros included.
* **Movement**: the daily :class:`core.models.SegmentSnapshot` rows of the window (taken by
  :func:`take_snapshot` after each sync; one set per day, the day's last sync wins): the
  customers per segment each day, and how many came into each that day. Over a span (the
  period report), :func:`movement_between`: each segment on the span's first and last day
  with a snapshot, and how many came into it on the days after the first up to the last.
* **Churn risk**: the same customers with a churn score above 0, highest first (then by
  name), at most ``churn_limit`` (50), each with the reasons in words.
* **NPS by week** (Monday to Sunday in the store's time zone) over the window's weeks, by
  :func:`core.care.scores.nps` (the one rule), with the number of answers behind it.
* **Complaints against their clock** (now): the store's open complaints; each is due to be
  classified (24 real hours from opening) until it is, then resolved by its due time: the
  complaints' items of the manager's due list (:func:`core.care.due.due_list`, which keeps
  that rule). *Overdue*: as the due list says; *due within 24 h*: not overdue, due in 24
  hours or less.
* **Suggestions**: per next-best-action code, how many were accepted and dismissed at this
  store within the window.

The window is ``weeks`` weeks ending with the week of ``today`` (the store's date)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core import clock
from core.care.due import due_list
from core.care.scores import nps
from core.crm import ACTION_CODES, NO_SEGMENT, SEGMENTS
from core.crm.churn import reasons_text
from core.crm.segments import segment_name
from core.errors import ValidationError
from core.models import ActionOutcome, Customer, CustomerScore, Feedback, SegmentSnapshot, Store, Survey
from core.models.customer import person_name
from core.permissions import Actor, Perm, require

if TYPE_CHECKING:
    from core.db import StoreDatabase

ALL_SEGMENTS = (*SEGMENTS, NO_SEGMENT)
CHURN_LIMIT = 50
WEEKS_MAX = 60
SOON = timedelta(hours=24)
COMPLAINT_CLOCKS = ("classify", "resolve")      # the due list's items that are a complaint's own clock
DUE_ITEMS_MAX = 1_000_000                        # the due list unabridged


@dataclass(frozen=True)
class SegmentCount:
    code: str
    name: str
    customers: int


@dataclass(frozen=True)
class ChurnRow:
    customer_id: uuid.UUID
    display_name: str
    churn_score: int
    reasons: tuple[str, ...]                      # worded in the language asked for
    segment: str = ""
    reason_codes: tuple[dict[str, Any], ...] = ()  # as HQ gave them: paper words them in its own language


@dataclass(frozen=True)
class NpsPoint:
    week_start: date
    nps: float | None
    answers: int


@dataclass(frozen=True)
class ComplaintClock:
    open: int = 0
    due_within_24h: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class ActionRate:
    code: str
    name: str
    accepted: int
    dismissed: int

    @property
    def rate(self) -> float | None:
        """Accepted, in percent of those answered; None when none was."""
        answered = self.accepted + self.dismissed
        return None if not answered else round(100 * self.accepted / answered, 1)


@dataclass(frozen=True)
class Dashboard:
    today: date
    first: date                                   # the window's first day (a Monday)
    segments: tuple[SegmentCount, ...]
    movement: tuple[tuple[date, dict[str, int]], ...]
    churn: tuple[ChurnRow, ...]
    nps: tuple[NpsPoint, ...]
    complaints: ComplaintClock
    actions: tuple[ActionRate, ...]
    scored_at: datetime | None                     # HQ's newest score among them
    moved_in: tuple[tuple[date, dict[str, int]], ...] = ()   # the snapshot days': came into each segment that day


@dataclass(frozen=True)
class SegmentMove:
    code: str
    at_first: int                                 # customers on the span's first snapshot day
    at_last: int                                  # on its last
    moved_in: int                                 # came in on the days after the first, up to the last

    @property
    def change(self) -> int:
        return self.at_last - self.at_first


@dataclass(frozen=True)
class SegmentMovement:
    first: date                                   # the span's first day with a snapshot
    last: date                                    # its last (the same day when it has one)
    segments: tuple[SegmentMove, ...]             # every segment, in catalogue order


def _tz(session: Session, store_id: uuid.UUID) -> ZoneInfo:
    store = session.get(Store, store_id)
    return ZoneInfo(store.timezone if store is not None and store.timezone else "UTC")


def _start(day: date, tz: ZoneInfo) -> datetime:
    """The first moment of the store's ``day``, aware."""
    return datetime.combine(day, time(0), tzinfo=tz)


def _live_home(store_id: uuid.UUID) -> tuple[Any, ...]:
    return (Customer.home_store_id == store_id, Customer.erased.is_(False), Customer.merged_into_id.is_(None))


def _segment_counts(session: Session, store_id: uuid.UUID) -> dict[str, int]:
    counts = dict.fromkeys(ALL_SEGMENTS, 0)
    seg = func.coalesce(CustomerScore.segment, "")
    for code, n in session.execute(
            select(seg, func.count()).select_from(Customer)
            .outerjoin(CustomerScore, CustomerScore.customer_id == Customer.id)
            .where(*_live_home(store_id)).group_by(seg)):
        key = code if code in counts else NO_SEGMENT
        counts[key] += int(n)
    return counts


def _window(today: date, weeks: int) -> tuple[date, list[date]]:
    if not isinstance(weeks, int) or not 1 <= weeks <= WEEKS_MAX:
        raise ValidationError("weeks", "must be between 1 and {n}", n=WEEKS_MAX)
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    return starts[0], starts


def _churn(session: Session, store_id: uuid.UUID, lang: str, limit: int) -> tuple[ChurnRow, ...]:
    rows = session.execute(
        select(Customer.id, Customer.given_name, Customer.family_name, CustomerScore.churn_score,
               CustomerScore.churn_reasons, CustomerScore.segment)
        .join(CustomerScore, CustomerScore.customer_id == Customer.id)
        .where(*_live_home(store_id), CustomerScore.churn_score > 0)
        .order_by(CustomerScore.churn_score.desc(), Customer.family_name, Customer.given_name, Customer.id)
        .limit(limit)).all()
    return tuple(ChurnRow(cid, person_name(g, f), int(score), reasons_text(list(reasons or []), lang), seg or NO_SEGMENT,
                          tuple(r for r in reasons or () if isinstance(r, dict)))
                 for cid, g, f, score, reasons, seg in rows)


def _nps(session: Session, store_id: uuid.UUID, starts: list[date], tz: ZoneInfo) -> tuple[NpsPoint, ...]:
    lo, hi = _start(starts[0], tz), _start(starts[-1] + timedelta(days=7), tz)
    answers: dict[date, list[int]] = defaultdict(list)
    for at, value in session.execute(select(Survey.at, Survey.nps).where(
            Survey.store_id == store_id, Survey.at >= lo, Survey.at < hi, Survey.nps.is_not(None))):
        if value is None:
            continue
        day = at.astimezone(tz).date()
        answers[day - timedelta(days=day.weekday())].append(int(value))
    out = []
    for week in starts:
        score = nps(answers.get(week, ()))
        out.append(NpsPoint(week, score.value, score.count))
    return tuple(out)


def _complaints(session: Session, actor: Actor, now: datetime) -> ComplaintClock:
    n_open = session.scalar(select(func.count()).select_from(Feedback).where(
        Feedback.store_id == actor.store_id, Feedback.status == "open")) or 0
    # which clock a complaint runs on is the due list's rule; the calls it also lists are left out
    clocks = [i for i in due_list(session, actor, now, limit=DUE_ITEMS_MAX) if i.kind in COMPLAINT_CLOCKS]
    overdue = sum(1 for i in clocks if i.overdue)
    soon = sum(1 for i in clocks if not i.overdue and i.left <= SOON)
    return ComplaintClock(int(n_open), soon, overdue)


def _actions(session: Session, store_id: uuid.UUID, lo: datetime, hi: datetime, lang: str
             ) -> tuple[ActionRate, ...]:
    from core import terms
    got: dict[tuple[str, str], int] = defaultdict(int)
    for code, outcome, n in session.execute(
            select(ActionOutcome.code, ActionOutcome.outcome, func.count())
            .where(ActionOutcome.store_id == store_id, ActionOutcome.at >= lo, ActionOutcome.at < hi)
            .group_by(ActionOutcome.code, ActionOutcome.outcome)):
        got[(code, outcome)] += int(n)
    return tuple(ActionRate(c, terms.term(c, lang, "next_action"), got[(c, "accepted")], got[(c, "dismissed")])
                 for c in ACTION_CODES)


def figures(session: Session, actor: Actor, *, today: date, weeks: int = 12, now: datetime | None = None,
            lang: str = "en", churn_limit: int = CHURN_LIMIT) -> Dashboard:
    """The dashboard's figures for the store of ``actor`` (see the module's definitions);
    ``now`` (the complaints' clock) defaults to this moment."""
    require(actor, Perm.VIEW_REPORTS)
    at = clock.now() if now is None else now
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError("now", "must be an aware time")
    sid = actor.store_id
    tz = _tz(session, sid)
    first, starts = _window(today, weeks)
    lo, hi = _start(first, tz), _start(today + timedelta(days=1), tz)
    counts = _segment_counts(session, sid)
    segments = tuple(SegmentCount(code, segment_name(code, lang), counts[code]) for code in ALL_SEGMENTS)
    by_day: dict[date, dict[str, int]] = {}
    moved: dict[date, dict[str, int]] = {}
    for day, seg, n, came in session.execute(
            select(SegmentSnapshot.day, SegmentSnapshot.segment, SegmentSnapshot.customers, SegmentSnapshot.moved_in)
            .where(SegmentSnapshot.store_id == sid, SegmentSnapshot.day >= first, SegmentSnapshot.day <= today)
            .order_by(SegmentSnapshot.day)):
        by_day.setdefault(day, dict.fromkeys(ALL_SEGMENTS, 0))[seg] = int(n)
        moved.setdefault(day, dict.fromkeys(ALL_SEGMENTS, 0))[seg] = int(came or 0)
    scored_at = session.scalar(
        select(func.max(CustomerScore.computed_at)).join(Customer, Customer.id == CustomerScore.customer_id)
        .where(*_live_home(sid)))
    return Dashboard(today, first, segments, tuple(sorted(by_day.items())), _churn(session, sid, lang, churn_limit),
                     _nps(session, sid, starts, tz), _complaints(session, actor, at),
                     _actions(session, sid, lo, hi, lang), scored_at, tuple(sorted(moved.items())))


def movement_between(crm: Dashboard, first: date, last: date) -> SegmentMovement | None:
    """Each segment on the first and the last day from ``first`` to ``last`` that has a
    snapshot among ``crm``'s, and how many came into it on the snapshot days after the first
    up to the last; None when no day of the span has one."""
    days = [day for day, _ in crm.movement if first <= day <= last]
    if not days:
        return None
    counts, came = dict(crm.movement), dict(crm.moved_in)
    a, b = days[0], days[-1]
    return SegmentMovement(a, b, tuple(
        SegmentMove(code, counts[a].get(code, 0), counts[b].get(code, 0),
                    sum(came.get(day, {}).get(code, 0) for day in days[1:]))
        for code in ALL_SEGMENTS))


def _snapshot(session: Session, store_id: uuid.UUID, today: date) -> int:
    tz = _tz(session, store_id)
    counts = _segment_counts(session, store_id)
    moved: dict[str, int] = defaultdict(int)
    for seg, n in session.execute(
            select(CustomerScore.segment, func.count()).join(Customer, Customer.id == CustomerScore.customer_id)
            .where(*_live_home(store_id), CustomerScore.segment_since >= _start(today, tz),
                   CustomerScore.segment_since < _start(today + timedelta(days=1), tz),
                   CustomerScore.previous_segment != CustomerScore.segment)
            .group_by(CustomerScore.segment)):
        moved[seg if seg in counts else NO_SEGMENT] += int(n)
    session.execute(delete(SegmentSnapshot).where(SegmentSnapshot.store_id == store_id,
                                                  SegmentSnapshot.day == today))
    session.add_all([SegmentSnapshot(store_id=store_id, day=today, segment=code, customers=counts[code],
                                     moved_in=moved.get(code, 0)) for code in ALL_SEGMENTS])
    session.flush()
    return len(ALL_SEGMENTS)


def take_snapshot(session: Session, actor: Actor, *, today: date) -> int:
    """Keep today's count of the store's own customers per segment (and how many came into
    each today), replacing an earlier one of the same day: the movement chart's points.
    Returns the number of segment rows kept."""
    require(actor, Perm.VIEW_REPORTS)
    return _snapshot(session, actor.store_id, today)


def snapshot_after_sync(db: StoreDatabase, now: datetime | None = None) -> int:
    """:func:`take_snapshot` for this counter's store, in its own unit of work, as the system
    (the sync service runs it after each sync, off the GUI thread; no one need be signed in):
    counts only, no customer data leaves it."""
    from core.staff import current_store
    with db.session(write=True) as s:
        store = current_store(s)
        if store is None:
            return 0
        at = clock.now() if now is None else now
        return _snapshot(s, store.id, at.astimezone(ZoneInfo(store.timezone or "UTC")).date())


__all__ = ["ActionRate", "ChurnRow", "ComplaintClock", "Dashboard", "NpsPoint", "SegmentCount", "SegmentMove",
           "SegmentMovement", "figures", "movement_between", "snapshot_after_sync", "take_snapshot"]
