"""Manager reports: every figure is counted again here from the rows (plain Python over
the ORM objects, local days by the store's time zone) and must match both the data
and what the PDF says, in English and Chinese."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core import clock, formatting, report_data as rd
from core.errors import PermissionDenied, ValidationError
from core.models import (
    Appointment, Feedback, LoyaltyAccount, LoyaltyEntry, RepairEvent, RepairPart, RepairTicket, Shift, Staff,
    Survey, TradeInModel, TradeInQuote,
)
from core.permissions import Role
from reports import i18n, manager_reports
from reports.base import money
from tests.reports.conftest import compact, follows, lines, squash

LANGS = ("en", "zh_CN")
CLOSED = ("collected", "cancelled", "unrepairable")
KEPT = ("checked_in", "in_service", "completed")


def local_day(dt: datetime, tz: ZoneInfo) -> date:
    return dt.astimezone(tz).date()


def _all(demo, model):
    with demo.db.session() as s:
        return list(s.scalars(select(model)))


def expected(demo, first: date, last: date) -> dict:
    """The figures of a span, counted from the rows without the report's queries."""
    tz = demo.tz

    def inside(dt):
        return dt is not None and first <= local_day(dt, tz) <= last
    appts = [a for a in _all(demo, Appointment) if inside(a.starts_at)]
    booked = [a for a in appts if a.source != "walk_in" and a.status != "cancelled"]
    walk = [a for a in appts if a.source == "walk_in" and a.status != "cancelled"]
    tickets = _all(demo, RepairTicket)
    by_ticket = defaultdict(list)
    for e in _all(demo, RepairEvent):
        by_ticket[e.ticket_id].append(e)
    closed = 0
    for t in tickets:
        times = [e.at for e in by_ticket[t.id] if e.to_status in CLOSED]
        if times and inside(min(times)):
            closed += 1
    turn = [(t.collected_at - t.created_at).total_seconds() / 3600 for t in tickets if inside(t.collected_at)]
    quotes = _all(demo, TradeInQuote)
    accepted = [q for q in quotes if inside(q.accepted_at)]
    surveys = [v for v in _all(demo, Survey) if inside(v.at)]
    nps = [v.nps for v in surveys if v.nps is not None]
    csat = [v.csat for v in surveys if v.csat is not None]
    return {
        "booked": len(booked), "kept": sum(a.status in KEPT for a in booked),
        "no_show": sum(a.status == "no_show" for a in booked),
        "cancelled": sum(a.status == "cancelled" for a in appts), "walk_ins": len(walk),
        "opened": sum(inside(t.created_at) for t in tickets), "closed": closed, "collected": len(turn),
        "turn_avg": statistics.mean(turn) if turn else None, "turn_median": statistics.median(turn) if turn else None,
        "quoted": sum(inside(q.created_at) for q in quotes), "accepted": len(accepted),
        "accepted_value": sum(q.value_cents for q in accepted),
        "enrolled": sum(inside(a.enrolled_at) for a in _all(demo, LoyaltyAccount)),
        "surveys": len(surveys), "csat": statistics.mean(csat) if csat else None,
        "nps": (100 * (sum(x >= 9 for x in nps) - sum(x <= 6 for x in nps)) / len(nps)) if nps else None,
        "appointments": appts,
    }


def check_figures(f: rd.Figures, e: dict) -> None:
    a, t, tr, s = f.appointments, f.tickets, f.tradeins, f.satisfaction
    assert (a.booked, a.kept, a.no_show, a.cancelled, a.walk_ins) == \
        (e["booked"], e["kept"], e["no_show"], e["cancelled"], e["walk_ins"])
    assert (t.opened, t.closed, t.collected) == (e["opened"], e["closed"], e["collected"])
    assert t.turnaround_avg_h == pytest.approx(e["turn_avg"])
    assert t.turnaround_median_h == pytest.approx(e["turn_median"])
    assert (tr.quoted, tr.accepted, tr.accepted_value_cents) == (e["quoted"], e["accepted"], e["accepted_value"])
    assert f.enrollments == e["enrolled"]
    assert s.surveys == e["surveys"]       # CSAT to one decimal, NPS to a whole number (core.care.scores)
    assert s.csat_avg == pytest.approx(e["csat"], abs=0.05) and s.nps == pytest.approx(e["nps"], abs=0.5)


def busiest_day(demo) -> date:
    days = Counter(local_day(a.starts_at, demo.tz) for a in _all(demo, Appointment)
                   if local_day(a.starts_at, demo.tz) <= demo.today)
    return max(days, key=lambda d: (days[d], d))


# --- the day ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_day_report_figures_match_the_rows(demo, lang):
    day = busiest_day(demo)
    e = expected(demo, day, day)
    assert e["booked"] >= 5, "the demo has a busy day to report on"
    with demo.db.session() as s:
        data = rd.day_report(s, demo.manager, day)
    check_figures(data.figures, e)
    pdf = manager_reports.render(data, lang=lang)
    ls = lines(pdf)
    t = lambda key: i18n.t(lang, key)  # noqa: E731
    assert follows(ls, t("appointments_booked"), str(e["booked"]))
    assert follows(ls, t("appointments_kept"), str(e["kept"]))
    assert follows(ls, t("no_shows"), str(e["no_show"]))
    assert follows(ls, t("walk_ins"), str(e["walk_ins"]))
    assert follows(ls, t("tickets_opened"), str(e["opened"]))
    assert follows(ls, t("tickets_closed"), str(e["closed"]))
    assert follows(ls, t("tradein_value"), money(e["accepted_value"], "CNY", lang))
    assert follows(ls, t("new_members"), str(e["enrolled"]))
    # every appointment of the day is listed, the table running over pages with its header
    text = compact(pdf)
    with demo.db.session() as s:
        from core.models import Customer
        for a in e["appointments"]:
            who = s.get(Customer, a.customer_id).display_name if a.customer_id else a.walk_in_name
            assert squash(who) in text
    assert len(data.appointments) == len(e["appointments"])
    # per technician: appointments that day (not cancelled), completed
    per_tech = Counter(a.technician_id for a in e["appointments"] if a.status != "cancelled")
    names = {st.id: st.display_name for st in _all(demo, Staff)}
    for row in data.technicians:
        tid = next(k for k, v in names.items() if v == row.technician)
        assert row.appointments == per_tech[tid]
        assert row.completed == sum(a.technician_id == tid and a.status == "completed" for a in e["appointments"])


def test_day_report_with_1000_appointments_repeats_its_table_header(demo):
    """A long day: the appointment list runs over many pages, each starting with its header."""
    from tests.reports.conftest import page_texts
    day = demo.today + timedelta(days=30)
    tz = demo.tz
    with demo.db.session(write=True) as s:
        sv = s.scalars(select(Appointment.service_type_id)).first()
        start = datetime(day.year, day.month, day.day, 9, tzinfo=tz)
        for i in range(1000):
            at = start + timedelta(minutes=(i * 7) % 600)
            s.add(Appointment(store_id=demo.info.store_id, walk_in_name=f"Guest {i:04d}", service_type_id=sv,
                              technician_id=None, starts_at=at, ends_at=at + timedelta(minutes=30),
                              status="booked" if i % 10 else "cancelled", source="phone"))
    with demo.db.session() as s:
        data = rd.day_report(s, demo.manager, day)
    assert data.figures.appointments.booked == 900 and data.figures.appointments.cancelled == 100
    pdf = manager_reports.render(data)
    pages = [squash(p) for p in page_texts(pdf)]
    listed = [p for p in pages if "Guest0" in p]
    assert len(listed) >= 15
    assert all(squash("TimeCustomerServiceTechnicianStatusSource") in p for p in listed)
    text = "".join(pages)
    assert all(f"Guest{i:04d}" in text for i in range(1000))


def test_day_bounds_follow_daylight_saving():
    ny = ZoneInfo("America/New_York")
    lo, hi = rd.day_bounds(ny, date(2026, 3, 8), date(2026, 3, 8))
    assert hi - lo == timedelta(hours=23)
    lo, hi = rd.day_bounds(ny, date(2026, 11, 1), date(2026, 11, 1))
    assert hi - lo == timedelta(hours=25)


# --- a period ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_period_report_days_weeks_and_total_match_the_rows(demo, lang):
    first, last = demo.today - timedelta(days=29), demo.today
    with demo.db.session() as s:
        data = rd.period_report(s, demo.manager, first, last)
    assert len(data.days) == 30
    check_figures(data.total, expected(demo, first, last))
    for f in data.days[-8:]:                       # the demo's appointments are in its last week
        check_figures(f, expected(demo, f.first, f.first))
    for w in data.weeks:
        check_figures(w, expected(demo, w.first, w.last))
    mondays = [first + timedelta(days=i) for i in range(1, 30) if (first + timedelta(days=i)).weekday() == 0]
    assert [w.first for w in data.weeks] == [first, *mondays], "weeks start on Monday, the first on the span's start"
    assert sum(d.tickets.opened for d in data.days) == data.total.tickets.opened
    pdf = manager_reports.render(data, lang=lang)
    ls = lines(pdf)
    for f in data.days:
        a, t = f.appointments, f.tickets
        label = formatting.date(f.first, lang, "MMMEd")
        assert follows(ls, label, str(a.booked), str(a.kept), str(a.no_show), str(a.walk_ins), str(t.opened),
                       str(t.closed)), label
    tot = data.total
    assert follows(ls, i18n.t(lang, "total"), str(tot.appointments.booked), str(tot.appointments.kept))


@pytest.mark.parametrize(("lang", "day_row", "week_row"), [
    ("en", "Sun, Dec 6", "Dec 7\u2009–\u200912"),
    ("zh_CN", "12月6日周日", "12月7日至12日"),
])
def test_period_report_names_days_and_weeks_as_the_language_writes_them(demo, lang, day_row, week_row):
    """Sunday 2026-12-06 to Saturday the 12th: a first week of one day, then Monday to Saturday."""
    with demo.db.session() as s:
        data = rd.period_report(s, demo.manager, date(2026, 12, 6), date(2026, 12, 12))
    ls = lines(manager_reports.render(data, lang=lang))
    _, week = data.weeks
    assert follows(ls, day_row, str(data.days[0].appointments.booked))
    assert follows(ls, week_row, str(week.appointments.booked))


@pytest.mark.parametrize(("lang", "heading"), [
    ("en", "Day report · Sunday, December 6, 2026"),
    ("zh_CN", "日报 · 2026年12月6日星期日"),
])
def test_day_report_heading_names_the_weekday(demo, lang, heading):
    with demo.db.session() as s:
        data = rd.day_report(s, demo.manager, date(2026, 12, 6))
    assert heading in lines(manager_reports.render(data, lang=lang))


def test_period_report_refuses_a_backwards_or_endless_span(demo):
    with demo.db.session() as s:
        with pytest.raises(ValidationError):
            rd.period_report(s, demo.manager, demo.today, demo.today - timedelta(days=1))
        with pytest.raises(ValidationError):
            rd.period_report(s, demo.manager, demo.today - timedelta(days=1000), demo.today)


def test_manager_reports_need_the_reports_right(demo):
    with demo.db.session() as s:
        for role in (Role.ASSOCIATE, Role.TECHNICIAN):
            with pytest.raises(PermissionDenied):
                rd.day_report(s, demo.actors[role], demo.today)
            with pytest.raises(PermissionDenied):
                rd.loyalty_report(s, demo.actors[role], demo.today, demo.today)


# --- technicians -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_technician_report_matches_the_rows(demo, lang):
    first, last = demo.today - timedelta(days=29), demo.today
    tz = demo.tz

    def inside(dt):
        return first <= local_day(dt, tz) <= last
    appts = [a for a in _all(demo, Appointment) if inside(a.starts_at) and a.status != "cancelled"]
    shifts = [x for x in _all(demo, Shift) if inside(x.starts_at)]
    events = _all(demo, RepairEvent)
    tickets = {t.id: t for t in _all(demo, RepairTicket)}
    parts = _all(demo, RepairPart)
    ready = {}
    for ev in events:
        if ev.to_status == "ready" and inside(ev.at):
            ready[ev.ticket_id] = min(ev.at, ready.get(ev.ticket_id, ev.at))
    with demo.db.session() as s:
        data = rd.technician_report(s, demo.manager, first, last)
        techs = {x.id: x for x in s.scalars(select(Staff).where(Staff.role == "technician"))}
    assert {r.staff_id for r in data.rows} >= set(techs)
    pdf = manager_reports.render(data, lang=lang)
    ls = lines(pdf)
    for r in data.rows:
        mine = [a for a in appts if a.technician_id == r.staff_id]
        assert r.appointments == len(mine)
        assert r.completed == sum(a.status == "completed" for a in mine)
        assert r.booked_minutes == round(sum((a.ends_at - a.starts_at).total_seconds() / 60 for a in mine))
        work = sum((x.ends_at - x.starts_at).total_seconds() / 60 for x in shifts
                   if x.staff_id == r.staff_id and x.kind == "work")
        brk = sum((x.ends_at - x.starts_at).total_seconds() / 60 for x in shifts
                  if x.staff_id == r.staff_id and x.kind == "break")
        assert r.shift_minutes == round(work - brk)
        finished = [tid for tid in ready if tickets[tid].technician_id == r.staff_id]
        assert r.tickets_finished == len(finished)
        labour = sum(tickets[tid].labour_cents for tid in finished
                     if tickets[tid].warranty_decision not in ("in_warranty", "coverage"))
        part_sum = sum(p.price_cents * p.quantity for p in parts if p.ticket_id in finished and not p.covered
                       and p.state != "released")
        assert (r.labour_cents, r.parts_cents) == (labour, part_sum)
        assert follows(ls, r.technician, str(r.appointments), str(r.completed), str(r.no_show))
        assert money(labour, "CNY", lang) in ls


# --- loyalty and trade-in summaries ----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_loyalty_summary_matches_the_ledger(demo, lang):
    first, last = demo.today - timedelta(days=364), demo.today
    tz = demo.tz
    accounts = _all(demo, LoyaltyAccount)
    entries = [x for x in _all(demo, LoyaltyEntry) if first <= local_day(x.at, tz) <= last]
    with demo.db.session() as s:
        data = rd.loyalty_report(s, demo.manager, first, last)
    assert data.members == len(accounts)
    assert dict(data.by_tier) == {k: v for k, v in Counter(a.tier for a in accounts).items()} | \
        {k: 0 for k in ("platinum", "gold", "silver") if k not in Counter(a.tier for a in accounts)}
    assert data.enrollments == sum(first <= local_day(a.enrolled_at, tz) <= last for a in accounts)
    by_kind = defaultdict(int)
    for x in entries:
        by_kind[x.kind] += x.points
    assert data.points_earned == by_kind["earn"] and data.points_bonus == by_kind["bonus"]
    assert data.points_redeemed == -by_kind["redeem"] and data.points_expired == -by_kind["expire"]
    assert data.outstanding_points == sum(x.points for x in _all(demo, LoyaltyEntry))
    assert data.spend_cents == sum(x.spend_cents for x in entries)
    spend = defaultdict(int)
    for x in entries:
        spend[x.account_id] += x.spend_cents
    top = sorted(spend.values(), reverse=True)[:10]
    assert [m.spend_cents for m in data.top_members] == top
    pdf = manager_reports.render(data, lang=lang)
    ls = lines(pdf)
    assert follows(ls, i18n.label(lang, "earn"), f"{by_kind['earn']:,}")
    assert follows(ls, i18n.label(lang, "redeem"), f"{by_kind['redeem']:,}")
    text = compact(pdf)
    for m in data.top_members:
        assert m.member_number in text and squash(m.customer) in text


@pytest.mark.parametrize("lang", LANGS)
def test_tradein_summary_matches_the_quotes(demo, lang):
    first, last = demo.today - timedelta(days=29), demo.today
    tz = demo.tz
    quotes = _all(demo, TradeInQuote)
    families = {m.id: m.family for m in _all(demo, TradeInModel)}
    created = [q for q in quotes if first <= local_day(q.created_at, tz) <= last]
    accepted = [q for q in quotes if q.accepted_at and first <= local_day(q.accepted_at, tz) <= last]
    with demo.db.session() as s:
        data = rd.tradein_report(s, demo.manager, first, last)
    assert data.quotes == len(created) and data.accepted == len(accepted)
    assert dict(data.by_status) == dict(Counter(q.status for q in created)) | \
        {k: 0 for k in rd.QUOTE_STATUSES if k not in Counter(q.status for q in created)}
    assert data.accepted_value_cents == sum(q.value_cents for q in accepted)
    assert {cv.key: (cv.count, cv.value_cents) for cv in data.by_grade} == {
        g: (sum(q.grade == g for q in accepted), sum(q.value_cents for q in accepted if q.grade == g))
        for g in {q.grade for q in accepted}}
    assert {cv.key: cv.count for cv in data.by_family} == dict(Counter(families[q.model_id] for q in accepted))
    ls = lines(manager_reports.render(data, lang=lang))
    for cv in data.by_grade:
        assert follows(ls, i18n.label(lang, cv.key), str(cv.count), money(cv.value_cents, "CNY", lang))


# --- satisfaction -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_satisfaction_report_matches_surveys_and_feedback(demo, lang):
    first, last = demo.today - timedelta(days=89), demo.today
    tz = demo.tz
    now = clock.now()
    surveys = [v for v in _all(demo, Survey) if first <= local_day(v.at, tz) <= last]
    feedback = [f for f in _all(demo, Feedback) if first <= local_day(f.created_at, tz) <= last]
    with demo.db.session() as s:
        data = rd.satisfaction_report(s, demo.manager, first, last, now=now)
    nps = [v.nps for v in surveys if v.nps is not None]
    assert data.figures.surveys == len(surveys)
    assert data.nps_distribution == tuple(nps.count(i) for i in range(11))
    assert data.csat_distribution == tuple(sum(v.csat == i for v in surveys) for i in range(1, 6))
    assert (data.promoters, data.passives, data.detractors) == (
        sum(x >= 9 for x in nps), sum(7 <= x <= 8 for x in nps), sum(x <= 6 for x in nps))
    by_cat = Counter(f.category for f in feedback)
    assert {c.category: c.total for c in data.feedback} == dict(by_cat)
    # overdue: open past the resolve time its classification set (an unclassified one has none yet)
    assert sum(c.overdue for c in data.feedback) == sum(
        f.status == "open" and f.due_at is not None and f.due_at < now for f in feedback)
    pdf = manager_reports.render(data, lang=lang)
    ls = lines(pdf)
    for c in data.feedback:
        name = i18n.label(lang, c.category) if c.category else i18n.t(lang, "unclassified")
        assert follows(ls, name, str(c.total), str(c.open), str(c.overdue), str(c.escalated))
    text = compact(pdf)
    for v in surveys:
        if v.comment.strip():
            assert squash(v.comment) in text
