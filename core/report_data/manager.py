"""The manager reports: the day, a period with trends by day and week, technician
productivity, loyalty and trade-in summaries, satisfaction. Each is one function,
``(session, actor, ...) -> frozen dataclass``; the renderers in ``reports/`` only lay
out what these return, so every figure a manager reads comes from a query here, and
the tests count the same things from the rows independently.  Definitions (all days are the store's local days):

* appointments *booked* are those made ahead (source is not ``walk_in``) and not
  cancelled; *kept* are booked ones that were checked in, in service or completed;
  *no-shows* have status ``no_show``; *walk-ins* are not cancelled, source ``walk_in``.
  A walk-in's *wait* runs from its arrival (the row's ``created_at``) to its start.
* tickets *opened* were created in the span; *closed* reached ``collected``,
  ``cancelled`` or ``unrepairable`` in it (the history entry's time); *turnaround*
  is intake to collection, for tickets collected in the span.
* trade-ins *accepted* have ``accepted_at`` in the span; their value is the quote's.
* *first-time fix* (HQ's figures, ``hq.figures``): of the first attempts collected in the span,
  those no rework ticket names (``_common.first_time_fixes``).
* NPS and CSAT follow ``core.care.scores`` (the one rule): NPS is the share of promoters
  (9-10) minus the share of detractors (0-6), in whole percentage points, over surveys
  with an NPS answer; CSAT is the mean 1-5 answer to one decimal; each with its count.
* complaints are counted by ``Feedback.opened_at``: *classified in time* when
  ``classified_at <= classify_due_at``, *resolved in time* when ``resolved_at <= due_at``,
  *overdue* when open past ``due_at`` (strictly after: ``core.care.sla.is_overdue``);
  a technician's CSAT comes from the surveys about their tickets (or appointments without
  a ticket), an associate's from the surveys naming who served at the counter
  (``Survey.staff_id``; not when that is the visit's own technician, already credited); neither is
  ranked below HQ's minimum number of answers (care setting ``min_answers_ranking``).
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from core import audit, clock, money
from core.care import SURVEY_CHANNELS
from core.care.rules import setting
from core.care.scores import DETRACTOR_MAX, PROMOTER_MIN, Score, csat, is_low, nps
from core.care.sla import is_overdue
from core.models import (
    Appointment, Customer, Feedback, RepairEvent, RepairPart, RepairTicket, ServiceType, Shift, Staff, Survey,
)
from core.permissions import Actor, Perm, require
from core.crm import dashboard as crm_dashboard
from core.crm.dashboard import Dashboard
from core.report_data import _aggregate as _agg
from core.report_data._common import (
    Generated, StoreHeader, _check_span, _generated, _mean, _name, _months, _staff_names, _store_header, _tz, _weeks,
    day_bounds, trend_unit,
)


@dataclass(frozen=True)
class AppointmentFigures:
    booked: int = 0
    kept: int = 0
    no_show: int = 0
    cancelled: int = 0
    walk_ins: int = 0
    walk_in_wait_avg_min: float | None = None
    walk_in_wait_max_min: float | None = None


@dataclass(frozen=True)
class TicketFigures:
    opened: int = 0
    closed: int = 0
    collected: int = 0
    turnaround_avg_h: float | None = None
    turnaround_median_h: float | None = None


@dataclass(frozen=True)
class TradeInFigures:
    quoted: int = 0
    accepted: int = 0
    accepted_value_cents: int = 0


@dataclass(frozen=True)
class SatisfactionFigures:
    surveys: int = 0
    csat_avg: float | None = None
    nps: float | None = None
    nps_answers: int = 0
    csat_answers: int = 0
    satisfied_pct: float | None = None     # CSAT 4-5, of the CSAT answers


@dataclass(frozen=True)
class Figures:
    """Everything counted over one span of time (a day, a week, a whole period)."""

    first: date
    last: date
    appointments: AppointmentFigures
    tickets: TicketFigures
    tradeins: TradeInFigures
    enrollments: int
    satisfaction: SatisfactionFigures


@dataclass(frozen=True)
class DayAppointment:
    starts_at: datetime
    customer: str
    service: str
    service_code: str
    technician: str
    status: str
    source: str


@dataclass(frozen=True)
class TechDay:
    technician: str
    appointments: int
    completed: int
    no_show: int
    tickets_finished: int


@dataclass(frozen=True)
class DayReportData:
    store: StoreHeader
    generated: Generated
    day: date
    figures: Figures
    # (local hour, booked and not a no-show, no-shows, walk-ins), for hours with any
    by_hour: tuple[tuple[int, int, int, int], ...]
    technicians: tuple[TechDay, ...]
    appointments: tuple[DayAppointment, ...]


@dataclass(frozen=True)
class PeriodReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    total: Figures
    days: tuple[Figures, ...]
    weeks: tuple[Figures, ...]
    months: tuple[Figures, ...] = ()
    trend: str = "day"           # how the charts group the span: "day", "week" or "month" (trend_unit)
    crm: Dashboard | None = None  # the customers' figures (core.crm.dashboard), to the span's last week

    @property
    def trend_figures(self) -> tuple[Figures, ...]:
        """The span's figures by its trend unit: its days, ISO weeks or months."""
        return {"week": self.weeks, "month": self.months}.get(self.trend, self.days)


def _figures(first: date, last: date, p: _agg.Part, median: float | None) -> Figures:
    """A span's figures from what its buckets added up to (``_aggregate.Part``)."""
    af = AppointmentFigures(
        booked=p.appts.get("booked", 0), kept=p.appts.get("kept", 0), no_show=p.appts.get("no_show", 0),
        cancelled=p.appts.get("cancelled", 0), walk_ins=p.appts.get("walk_in", 0),
        walk_in_wait_avg_min=p.wait_sum / p.waits if p.waits else None, walk_in_wait_max_min=p.wait_max)
    tf = TicketFigures(opened=p.opened, closed=p.closed, collected=p.collected,
                       turnaround_avg_h=p.turn_sum / p.collected if p.collected else None,
                       turnaround_median_h=median)
    trf = TradeInFigures(quoted=p.quoted, accepted=p.accepted, accepted_value_cents=p.accepted_value)
    c_score, n_score = p.csat_nps()
    sf = SatisfactionFigures(surveys=p.surveys, csat_avg=c_score.value, nps=n_score.value,
                             nps_answers=n_score.count, csat_answers=c_score.count, satisfied_pct=c_score.share)
    return Figures(first, last, af, tf, trf, p.enrolled, sf)


def _span_figures(session: Session, store_id: uuid.UUID, tz: ZoneInfo, first: date, last: date,
                  *groupings: Sequence[tuple[date, date]]) -> list[list[Figures]]:
    """The figures of each local day from ``first`` to ``last`` (counted in SQL by day,
    ``_aggregate``), then of each grouping of those days (weeks, months, the whole span):
    the days' sums added up, the turnaround medians picked from the days' sorted turnarounds."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    bounds = [day_bounds(tz, d, d)[0] for d in days] + [day_bounds(tz, last, last)[1]]
    parts = _agg.day_parts(session, store_id, bounds)
    levels = [[(i, i + 1) for i in range(len(days))], *(_agg.groups(days, spans) for spans in groupings)]
    medians = _agg.turnaround_medians(parts, levels)
    out = [[_figures(d, d, p, medians[0].get(i)) for i, (d, p) in enumerate(zip(days, parts))]]
    for spans, idx, found in zip(groupings, levels[1:], medians[1:]):
        out.append([_figures(a, b, functools.reduce(_agg.Part.add, parts[i:j], _agg.Part()), found.get(k))
                    for k, ((a, b), (i, j)) in enumerate(zip(spans, idx))])
    return out


def day_report(session: Session, actor: Actor, day: date, now: datetime | None = None) -> DayReportData:
    require(actor, Perm.VIEW_REPORTS)
    store = _store_header(session, actor)
    tz = _tz(store)
    start, end = day_bounds(tz, day, day)
    [[figures]] = _span_figures(session, actor.store_id, tz, day, day)
    names = _staff_names(session, actor.store_id)
    hours: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_tech: dict[uuid.UUID | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    a = Appointment
    for starts_at, status, source, tech in session.execute(
            select(a.starts_at, a.status, a.source, a.technician_id)
            .where(a.store_id == actor.store_id, a.starts_at >= start, a.starts_at < end)):
        if status == "cancelled":
            continue
        h = starts_at.astimezone(tz).hour
        hours[h][2 if source == "walk_in" else 1 if status == "no_show" else 0] += 1
        row = per_tech[tech]
        row[0] += 1
        row[1] += status == "completed"
        row[2] += status == "no_show"
    finished = session.execute(
        select(RepairTicket.technician_id, func.count(func.distinct(RepairEvent.ticket_id)))
        .join(RepairTicket, RepairTicket.id == RepairEvent.ticket_id)
        .where(RepairTicket.store_id == actor.store_id, RepairEvent.to_status == "ready",
               RepairEvent.at >= start, RepairEvent.at < end)
        .group_by(RepairTicket.technician_id)).all()
    for tech, n in finished:
        per_tech[tech][3] += n
    techs = tuple(sorted((TechDay(names.get(k, "") if k else "", *v) for k, v in per_tech.items()),
                         key=lambda r: (r.technician == "", r.technician)))
    tech_alias = aliased(Staff)
    rows = session.execute(
        select(Appointment.starts_at, Customer.given_name, Customer.family_name, Customer.erased,
               Appointment.walk_in_name, ServiceType.name, tech_alias.display_name, Appointment.status,
               Appointment.source, ServiceType.code)
        .join(ServiceType, ServiceType.id == Appointment.service_type_id)
        .outerjoin(Customer, Customer.id == Appointment.customer_id)
        .outerjoin(tech_alias, tech_alias.id == Appointment.technician_id)
        .where(Appointment.store_id == actor.store_id, Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at, tech_alias.display_name)).all()
    appts = tuple(DayAppointment(r[0], _name(r[1], r[2], r[3]) if (r[1] or r[2]) else (r[4] or ""), r[5], r[9],
                                 r[6] or "", r[7], r[8]) for r in rows)
    audit.record(session, actor, "report.day", "store", actor.store_id, detail=day.isoformat())
    by_hour = tuple((h, kept, no_shows, walk_ins) for h, (kept, no_shows, walk_ins) in sorted(hours.items()))
    return DayReportData(store, _generated(actor, now), day, figures, by_hour, techs, appts)


def period_report(session: Session, actor: Actor, first: date, last: date,
                  now: datetime | None = None) -> PeriodReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    tz = _tz(store)
    days, weeks, months, [total] = _span_figures(session, actor.store_id, tz, first, last, _weeks(first, last),
                                                 _months(first, last), [(first, last)])
    crm = crm_dashboard.figures(session, actor, today=last, weeks=min(crm_dashboard.WEEKS_MAX, len(weeks)), now=now)
    return PeriodReportData(store, _generated(actor, now), first, last, total,
                            tuple(days), tuple(weeks), tuple(months), trend_unit(first, last), crm)


# --- technician productivity -----------------------------------------------------------------

@dataclass(frozen=True)
class TechnicianRow:
    staff_id: uuid.UUID | None
    technician: str
    appointments: int            # not cancelled
    completed: int
    no_show: int
    booked_minutes: int          # of the appointments not cancelled
    shift_minutes: int           # work shifts less breaks, in the span
    tickets_finished: int        # reached "ready" in the span
    finish_hours_avg: float | None    # intake to ready, for those
    labour_cents: int            # chargeable labour on those
    parts_cents: int             # chargeable parts on those
    csat_avg: float | None       # surveys in the span about their tickets and appointments
    surveys: int

    @property
    def utilisation(self) -> float | None:
        return 100.0 * self.booked_minutes / self.shift_minutes if self.shift_minutes else None


@dataclass(frozen=True)
class TechnicianReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    rows: tuple[TechnicianRow, ...]


def technician_report(session: Session, actor: Actor, first: date, last: date,
                      now: datetime | None = None) -> TechnicianReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    sid = actor.store_id
    techs = {s.id: s.display_name for s in session.scalars(
        select(Staff).where(Staff.store_id == sid, Staff.role == "technician", Staff.active.is_(True)))}
    names = _staff_names(session, sid)
    acc: dict[uuid.UUID | None, dict[str, Any]] = defaultdict(
        lambda: {"appointments": 0, "completed": 0, "no_show": 0, "booked": 0.0, "shift": 0.0, "finished": [],
                 "labour": 0, "parts": 0, "csat": []})
    for tech_id in techs:
        acc[tech_id]
    a = Appointment
    for tech, status, s_at, e_at in session.execute(
            select(a.technician_id, a.status, a.starts_at, a.ends_at)
            .where(a.store_id == sid, a.starts_at >= start, a.starts_at < end, a.status != "cancelled")):
        row = acc[tech]
        row["appointments"] += 1
        row["completed"] += status == "completed"
        row["no_show"] += status == "no_show"
        row["booked"] += (e_at - s_at).total_seconds() / 60
    for staff_id, kind, s_at, e_at in session.execute(
            select(Shift.staff_id, Shift.kind, Shift.starts_at, Shift.ends_at)
            .where(Shift.store_id == sid, Shift.ends_at > start, Shift.starts_at < end,
                   Shift.kind.in_(("work", "break")))):
        minutes = (min(e_at, end) - max(s_at, start)).total_seconds() / 60
        acc[staff_id]["shift"] += minutes if kind == "work" else -minutes
    t = RepairTicket
    ready = session.execute(
        select(t.id, t.technician_id, t.created_at, func.min(RepairEvent.at), t.labour_cents, t.warranty_decision)
        .join(RepairEvent, RepairEvent.ticket_id == t.id)
        .where(t.store_id == sid, RepairEvent.to_status == "ready", RepairEvent.at >= start, RepairEvent.at < end)
        .group_by(t.id)).all()
    ticket_ids = [r[0] for r in ready]
    decisions = {r[0]: r[5] for r in ready}
    parts: dict[uuid.UUID, int] = defaultdict(int)
    for i in range(0, len(ticket_ids), 500):
        for tid, price, qty, covered, state in session.execute(
                select(RepairPart.ticket_id, RepairPart.price_cents, RepairPart.quantity, RepairPart.covered,
                       RepairPart.state).where(RepairPart.ticket_id.in_(ticket_ids[i:i + 500]))):
            line = money.Line(price, qty, covered, state == "released")
            parts[tid] += money.charge(decisions[tid], line).charged_cents
    for tid, tech, created, ready_at, labour, decision in ready:
        row = acc[tech]
        row["finished"].append((ready_at - created).total_seconds() / 3600)
        row["labour"] += money.labour_charged(decision, labour or 0)
        row["parts"] += parts.get(tid, 0)
    sv_ticket = session.execute(
        select(t.technician_id, Survey.csat).join(t, t.id == Survey.ticket_id)
        .where(Survey.store_id == sid, Survey.at >= start, Survey.at < end, Survey.csat.is_not(None))).all()
    sv_appt = session.execute(
        select(a.technician_id, Survey.csat).join(a, a.id == Survey.appointment_id)
        .where(Survey.store_id == sid, Survey.at >= start, Survey.at < end, Survey.csat.is_not(None),
               Survey.ticket_id.is_(None))).all()
    for tech, csat in [*sv_ticket, *sv_appt]:
        acc[tech]["csat"].append(csat)
    rows = []
    for k, v in acc.items():
        if k not in techs and not (v["appointments"] or v["finished"] or v["csat"]):
            continue       # a manager's own shifts are not technician work
        rows.append(TechnicianRow(k, techs.get(k) or names.get(k, "") if k else "", v["appointments"],
                                  v["completed"], v["no_show"], round(v["booked"]), round(max(0.0, v["shift"])),
                                  len(v["finished"]), _mean(v["finished"]), v["labour"], v["parts"],
                                  _mean(v["csat"]), len(v["csat"])))
    rows.sort(key=lambda r: (r.staff_id is None, r.technician))
    return TechnicianReportData(store, _generated(actor, now), first, last, tuple(rows))


# --- satisfaction ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Comment:
    at: datetime
    csat: int | None
    nps: int | None
    text: str
    about: str          # "ticket" or "appointment" or ""
    low: bool = False   # a detractor's answer (core.care.scores.is_low): listed first
    channel: str = ""   # core.care.SURVEY_CHANNELS


@dataclass(frozen=True)
class FeedbackCategory:
    category: str       # "" while not classified
    total: int
    open: int
    overdue: int
    escalated: int


@dataclass(frozen=True)
class ComplaintFigures:
    """Complaints opened in the span (``Feedback.opened_at``) and how their clocks went."""

    opened: int = 0
    classified: int = 0
    classified_in_time: int = 0     # classified_at <= classify_due_at
    resolved: int = 0
    resolved_in_time: int = 0       # resolved_at <= due_at
    escalated: int = 0
    open: int = 0
    overdue: int = 0                # open past due_at at the report's ``now``


@dataclass(frozen=True)
class StaffScore:
    """One person's CSAT over the span, with its number of answers; ``rank`` is None when
    the answers are fewer than the minimum for ranking (the row is listed apart)."""

    staff_id: uuid.UUID | None
    name: str
    csat: Score
    rank: int | None


@dataclass(frozen=True)
class ChannelFigures:
    channel: str        # core.care.SURVEY_CHANNELS
    surveys: int
    nps: Score
    csat: Score


@dataclass(frozen=True)
class SatisfactionReportData:
    store: StoreHeader
    generated: Generated
    first: date
    last: date
    figures: SatisfactionFigures
    csat_distribution: tuple[int, ...]     # counts of 1..5
    nps_distribution: tuple[int, ...]      # counts of 0..10
    promoters: int
    passives: int
    detractors: int
    feedback: tuple[FeedbackCategory, ...]     # opened in the span, by category
    comments: tuple[Comment, ...]             # detractors first, then the rest; each newest first; non-empty
    complaints: ComplaintFigures = ComplaintFigures()
    technicians: tuple[StaffScore, ...] = ()   # ranked first (best first), then those with too few answers
    associates: tuple[StaffScore, ...] = ()
    channels: tuple[ChannelFigures, ...] = ()
    min_answers: int = 1                       # answers a person needs to be ranked (HQ's care setting)


def _complaints(session: Session, store_id: uuid.UUID, start: datetime, end: datetime,
                now: datetime) -> tuple[ComplaintFigures, tuple[FeedbackCategory, ...]]:
    f = Feedback
    rows = session.execute(
        select(f.category, f.status, f.due_at, f.escalated, f.classify_due_at, f.classified_at, f.resolved_at)
        .where(f.store_id == store_id, f.opened_at >= start, f.opened_at < end)).all()
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    fig: dict[str, int] = defaultdict(int)
    for cat, status, due, escalated, classify_due, classified, resolved in rows:
        is_open, late = status == "open", status == "open" and due is not None and is_overdue(due, now)
        c = cats[cat or ""]
        c[0] += 1
        c[1] += is_open
        c[2] += late
        c[3] += bool(escalated)
        fig["opened"] += 1
        fig["open"] += is_open
        fig["overdue"] += late
        fig["escalated"] += bool(escalated)
        if classified is not None:
            fig["classified"] += 1
            fig["classified_in_time"] += classify_due is not None and not is_overdue(classify_due, classified)
        if resolved is not None:
            fig["resolved"] += 1
            fig["resolved_in_time"] += due is not None and not is_overdue(due, resolved)
    return (ComplaintFigures(**fig),
            tuple(FeedbackCategory(k, *v) for k, v in sorted(cats.items())))


def _ranked(answers: dict[uuid.UUID | None, list[int]], names: dict[uuid.UUID | None, str],
            minimum: int) -> tuple[StaffScore, ...]:
    """People with at least ``minimum`` answers ranked by CSAT (best first); the rest after,
    unranked, by name."""
    scored = [(k, names.get(k, "") if k else "", csat(v)) for k, v in answers.items()]
    enough = sorted((x for x in scored if x[2].count >= minimum),
                    key=lambda x: (-(x[2].value or 0), -x[2].count, x[1]))
    few = sorted((x for x in scored if x[2].count < minimum), key=lambda x: (x[0] is None, x[1]))
    return (tuple(StaffScore(k, n, sc, i) for i, (k, n, sc) in enumerate(enough, 1))
            + tuple(StaffScore(k, n, sc, None) for k, n, sc in few))


def satisfaction_report(session: Session, actor: Actor, first: date, last: date,
                        now: datetime | None = None, comments: int = 30) -> SatisfactionReportData:
    require(actor, Perm.VIEW_REPORTS)
    _check_span(first, last)
    now = now or clock.now()
    store = _store_header(session, actor)
    start, end = day_bounds(_tz(store), first, last)
    s, t, a = Survey, RepairTicket, Appointment
    rows = session.execute(
        select(s.at, s.csat, s.nps, s.comment, s.ticket_id, s.appointment_id, s.channel, s.staff_id,
               t.technician_id, a.technician_id)
        .outerjoin(t, t.id == s.ticket_id).outerjoin(a, a.id == s.appointment_id)
        .where(s.store_id == actor.store_id, s.at >= start, s.at < end)
        .order_by(s.at.desc())).all()
    csat_answers = [r[1] for r in rows if r[1] is not None]
    nps_answers = [r[2] for r in rows if r[2] is not None]
    c_score, n_score = csat(csat_answers), nps(nps_answers)
    fig = SatisfactionFigures(len(rows), c_score.value, n_score.value, n_score.count, c_score.count,
                              c_score.share)
    complaints, by_category = _complaints(session, actor.store_id, start, end, now)
    said = [Comment(r[0], r[1], r[2], r[3], "ticket" if r[4] else "appointment" if r[5] else "",
                    is_low(r[2], r[1]), r[6] or "") for r in rows if (r[3] or "").strip()]
    notes = tuple([c for c in said if c.low] + [c for c in said if not c.low])[:comments]
    techs: dict[uuid.UUID | None, list[int]] = defaultdict(list)
    served: dict[uuid.UUID | None, list[int]] = defaultdict(list)
    for r in rows:
        if r[1] is None:
            continue
        tech = r[8] if r[4] else r[9] if r[5] else None
        if r[4] or r[5]:
            techs[tech].append(r[1])
        # the associate who served at the counter; an answer already credited to that same
        # person as the visit's technician is not counted a second time (older answers and
        # HQ's receipt answers named the technician here)
        if r[7] is not None and not ((r[4] or r[5]) and tech == r[7]):
            served[r[7]].append(r[1])
    minimum = setting(session, "min_answers_ranking")
    names = _staff_names(session, actor.store_id)
    channels = tuple(ChannelFigures(ch, sum(1 for r in rows if r[6] == ch), nps(r[2] for r in rows if r[6] == ch),
                                    csat(r[1] for r in rows if r[6] == ch)) for ch in SURVEY_CHANNELS)
    return SatisfactionReportData(
        store, _generated(actor, now), first, last, fig, tuple(csat_answers.count(i) for i in range(1, 6)),
        tuple(nps_answers.count(i) for i in range(11)), sum(1 for x in nps_answers if x >= PROMOTER_MIN),
        sum(1 for x in nps_answers if DETRACTOR_MAX < x < PROMOTER_MIN),
        sum(1 for x in nps_answers if x <= DETRACTOR_MAX), by_category, notes, complaints,
        _ranked(techs, names, minimum), _ranked(served, names, minimum), channels, minimum)
