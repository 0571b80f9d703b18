"""Reports for managers: the day, a period with its trends by day and by week, technician
productivity, the loyalty and trade-in summaries, and satisfaction (its own module,
``reports.satisfaction_report``, on the same base).  Every figure is
one of ``core.report_data``'s; this module only lays them out, with charts where a
manager would rather look than read.

``render(data, ...)`` picks the document from the type of ``data``; each also has its
own ``render_<name>``.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from core import formatting
from core.report_data import (
    GRADE_ORDER, DayReportData, Figures, LoyaltyReportData, PeriodReportData, SatisfactionReportData, TechnicianReportData,
    TradeInReportData,
)
from reports.base import ACCENT, INK, RULE, SERIES, Document, fmt_num, mixed
from reports.fonts import font_for_text

AXIS_SIZE = 6.5     # category labels under a chart

# --- charts -------------------------------------------------------------------------------

def _font(labels: Sequence[str]) -> str:
    return font_for_text("".join(str(x) for x in labels))


def _axis(values: Sequence[float]) -> tuple[float, float]:
    """A value axis top and step with round numbers and at most six steps."""
    top = max([0, *values])
    scale = 1
    while True:
        for m in (1, 2, 5):
            step = m * scale
            if top <= 6 * step:
                return max(step, -(-top // step) * step), step
        scale *= 10


def _set_axis(axis, values: Sequence[float]) -> None:
    axis.valueMin = 0
    axis.valueMax, axis.valueStep = _axis(values)


def _legend(d: Drawing, names: Sequence[str], x: float, y: float, colours: Sequence[Any] | None = None) -> None:
    lg = Legend()
    lg.x, lg.y = x, y
    lg.alignment = "right"
    lg.fontName = _font(names)
    lg.fontSize = 7
    lg.boxAnchor = "ne"
    lg.columnMaximum = 1
    lg.dx = lg.dy = 6
    lg.dxTextSpace = 3
    lg.deltax = 8
    lg.autoXPadding = 8
    palette = colours or SERIES
    lg.colorNamePairs = [(palette[i % len(palette)], n) for i, n in enumerate(names)]
    d.add(lg)


def label_step(categories: Sequence[str], width: float) -> int:
    """Label every n-th category of a ``bar_chart``/``line_chart`` as wide as ``width``, n
    as small as keeps each label clear of the next: a date is wider in some languages."""
    if not categories:
        return 1
    widest = max(stringWidth(c, _font(categories), AXIS_SIZE) for c in categories) + 6
    return max(1, math.ceil(widest / ((width - 40) / len(categories))))


def bar_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], width: float,
              height: float, *, stacked: bool = False, title: str = "", label_every: int = 1,
              colours: Sequence[Any] | None = None) -> Drawing:
    d = Drawing(width, height)
    top_pad = 24 if title or len(series) > 1 else 8
    if title:
        d.add(String(0, height - 10, title, fontName=_font([title]), fontSize=8.5, fillColor=INK))
    ch = VerticalBarChart()
    ch.x, ch.y = 30, 22
    ch.width, ch.height = width - 40, height - 22 - top_pad
    ch.data = [list(v) for _, v in series] or [[0]]
    cats = [c if i % label_every == 0 else "" for i, c in enumerate(categories)]
    ch.categoryAxis.categoryNames = cats
    ch.categoryAxis.labels.fontName = _font(cats)
    ch.categoryAxis.labels.fontSize = AXIS_SIZE
    ch.categoryAxis.labels.dy = -2
    ch.categoryAxis.strokeColor = RULE
    ch.valueAxis.labels.fontName = _font(["0"])
    ch.valueAxis.labels.fontSize = 6.5
    ch.valueAxis.strokeColor = RULE
    ch.valueAxis.gridStrokeColor = colors.HexColor("#eceff2")
    ch.valueAxis.visibleGrid = True
    ch.valueAxis.valueMin = 0
    if stacked:
        ch.categoryAxis.style = "stacked"
        _set_axis(ch.valueAxis, [sum(x) for x in zip(*ch.data)])
    else:
        _set_axis(ch.valueAxis, [v for s in ch.data for v in s])
    ch.barSpacing = 0.5
    ch.groupSpacing = 3
    for i in range(len(ch.data)):
        ch.bars[i].fillColor = (colours or SERIES)[i % len(colours or SERIES)]
        ch.bars[i].strokeColor = None
    d.add(ch)
    if len(series) > 1:
        _legend(d, [n for n, _ in series], width - 4, height - (14 if title else 2), colours)
    return d


def hbar_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], width: float,
               title: str = "") -> Drawing:
    n = max(1, len(categories))
    height = 34 + n * (10 + 7 * len(series))
    d = Drawing(width, height)
    if title:
        d.add(String(0, height - 10, title, fontName=_font([title]), fontSize=8.5, fillColor=INK))
    ch = HorizontalBarChart()
    label_w = min(width * 0.35, 110)
    ch.x, ch.y = label_w, 14
    ch.width, ch.height = width - label_w - 10, height - 14 - 30
    ch.data = [list(v) for _, v in series] or [[0]]
    ch.categoryAxis.categoryNames = list(categories)
    ch.categoryAxis.labels.fontName = _font(categories)
    ch.categoryAxis.labels.fontSize = 7
    ch.categoryAxis.strokeColor = RULE
    ch.categoryAxis.reverseDirection = True
    ch.valueAxis.labels.fontName = _font(["0"])
    ch.valueAxis.labels.fontSize = 6.5
    _set_axis(ch.valueAxis, [v for s in ch.data for v in s])
    ch.valueAxis.visibleGrid = True
    ch.valueAxis.gridStrokeColor = colors.HexColor("#eceff2")
    ch.valueAxis.strokeColor = RULE
    ch.barSpacing = 1
    ch.groupSpacing = 5
    for i in range(len(ch.data)):
        ch.bars[i].fillColor = SERIES[i % len(SERIES)]
        ch.bars[i].strokeColor = None
    d.add(ch)
    if len(series) > 1:
        _legend(d, [n for n, _ in series], width - 4, height - 14)
    return d


def line_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], width: float,
               height: float, *, title: str = "", label_every: int = 1) -> Drawing:
    d = Drawing(width, height)
    if title:
        d.add(String(0, height - 10, title, fontName=_font([title]), fontSize=8.5, fillColor=INK))
    ch = HorizontalLineChart()
    ch.x, ch.y = 30, 22
    ch.width, ch.height = width - 40, height - 22 - 24
    ch.data = [list(v) for _, v in series] or [[0]]
    cats = [c if i % label_every == 0 else "" for i, c in enumerate(categories)]
    ch.categoryAxis.categoryNames = cats
    ch.categoryAxis.labels.fontName = _font(cats)
    ch.categoryAxis.labels.fontSize = AXIS_SIZE
    ch.categoryAxis.labels.dy = -2
    ch.categoryAxis.strokeColor = RULE
    ch.valueAxis.labels.fontName = _font(["0"])
    ch.valueAxis.labels.fontSize = 6.5
    _set_axis(ch.valueAxis, [v for s in ch.data for v in s])
    ch.valueAxis.visibleGrid = True
    ch.valueAxis.gridStrokeColor = colors.HexColor("#eceff2")
    ch.valueAxis.strokeColor = RULE
    for i in range(len(ch.data)):
        ch.lines[i].strokeColor = SERIES[i % len(SERIES)]
        ch.lines[i].strokeWidth = 1.6
    d.add(ch)
    _legend(d, [n for n, _ in series], width - 4, height - (14 if title else 2))
    return d


def pie_chart(items: Sequence[tuple[str, float]], width: float, height: float, title: str = "",
              colours: Sequence[Any] | None = None) -> Drawing:
    d = Drawing(width, height)
    if title:
        d.add(String(0, height - 10, title, fontName=_font([title]), fontSize=8.5, fillColor=INK))
    values = [v for _, v in items]
    if not any(values):
        d.add(String(width / 2, height / 2, "–", fontName=_font(["–"]), fontSize=10, textAnchor="middle"))
        return d
    pie = Pie()
    size = min(height - 30, width * 0.5)
    pie.x, pie.y = 10, (height - 16 - size) / 2
    pie.width = pie.height = size
    pie.data = values
    pie.labels = None
    pie.strokeColor = colors.white
    pie.strokeWidth = 1
    for i in range(len(values)):
        pie.slices[i].fillColor = (colours or SERIES)[i % len(colours or SERIES)]
    d.add(pie)
    lg = Legend()
    lg.x, lg.y = size + 24, pie.y + size - 4
    names = [f"{n}: {v:,.0f}" for n, v in items]
    lg.fontName = _font(names)
    lg.fontSize = 7.5
    lg.alignment = "right"
    lg.colorNamePairs = [((colours or SERIES)[i % len(colours or SERIES)], n) for i, n in enumerate(names)]
    d.add(lg)
    return d


# --- the shared page pieces ---------------------------------------------------------------------

class ManagerReport(Document):
    pagesizes = ("a4", "letter")
    font_size = 8.5

    def span_text(self, first: date, last: date) -> str:
        if first == last:
            return self.date(first, long=True)
        return self.t("span", first=self.date(first, long=True), last=self.date(last, long=True))

    def tiles(self, items: Sequence[tuple[str, str]], per_row: int = 4) -> Table:
        """Key figures as large numbers with a caption each."""
        value_style = ParagraphStyle("tv", parent=self.s_body, fontName=self.f.latin_bold, fontSize=15,
                                     leading=18, alignment=TA_CENTER, textColor=ACCENT)
        cap_style = ParagraphStyle("tc", parent=self.s_small, alignment=TA_CENTER, fontSize=7, leading=8.6)
        cells = [[Paragraph(mixed(v), value_style), Paragraph(mixed(k), cap_style)] for k, v in items]
        rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
        if rows and len(rows[-1]) < per_row:
            rows[-1] += [""] * (per_row - len(rows[-1]))
        w = self.width() / per_row
        t = Table(rows, colWidths=[w] * per_row, hAlign="LEFT")
        t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fbfcfd")),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return t

    def side_by_side(self, left: Flowable, right: Flowable, split: float = 0.5) -> Table:
        w = self.width()
        t = Table([[left, right]], colWidths=[w * split, w * (1 - split)], hAlign="LEFT")
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        return t

    def csat(self, v: float | None) -> str:
        return fmt_num(v, 1)        # core.care.scores: CSAT to one decimal

    def nps(self, v: float | None) -> str:
        return "–" if v is None else f"{v:+.0f}"

    def minutes(self, v: float | None) -> str:
        return "–" if v is None else self.t("minutes", n=f"{v:,.0f}")

    def hours(self, v: float | None) -> str:
        return fmt_num(v, 1)

    def figure_tiles(self, f: Figures) -> Table:
        a, t, tr, s = f.appointments, f.tickets, f.tradeins, f.satisfaction
        return self.tiles([
            (self.t("appointments_booked"), fmt_num(a.booked)), (self.t("appointments_kept"), fmt_num(a.kept)),
            (self.t("no_shows"), fmt_num(a.no_show)), (self.t("walk_ins"), fmt_num(a.walk_ins)),
            (self.t("tickets_opened"), fmt_num(t.opened)), (self.t("tickets_closed"), fmt_num(t.closed)),
            (self.t("turnaround_avg_h"), self.hours(t.turnaround_avg_h)),
            (self.t("tradeins_accepted"), f"{tr.accepted} · {self.money(tr.accepted_value_cents)}"),
            (self.t("new_members"), fmt_num(f.enrollments)), (self.t("surveys"), fmt_num(s.surveys)),
            (self.t("csat"), self.csat(s.csat_avg)), (self.t("nps"), self.nps(s.nps)),
        ])

    def figure_details(self, f: Figures) -> Table:
        a, t, tr, s = f.appointments, f.tickets, f.tradeins, f.satisfaction
        left = self.kv([
            (self.t("appointments_booked"), fmt_num(a.booked)), (self.t("appointments_kept"), fmt_num(a.kept)),
            (self.t("no_shows"), fmt_num(a.no_show)), (self.t("cancelled"), fmt_num(a.cancelled)),
            (self.t("walk_ins"), fmt_num(a.walk_ins)),
            (self.t("walk_in_wait_avg"), self.minutes(a.walk_in_wait_avg_min)),
            (self.t("walk_in_wait_max"), self.minutes(a.walk_in_wait_max_min)),
            (self.t("new_members"), fmt_num(f.enrollments)),
        ], widths=(0.34, 0.16))
        right = self.kv([
            (self.t("tickets_opened"), fmt_num(t.opened)), (self.t("tickets_closed"), fmt_num(t.closed)),
            (self.t("tickets_collected"), fmt_num(t.collected)),
            (self.t("turnaround_avg_h"), self.hours(t.turnaround_avg_h)),
            (self.t("turnaround_median_h"), self.hours(t.turnaround_median_h)),
            (self.t("tradeins_quoted"), fmt_num(tr.quoted)),
            (self.t("tradeins_accepted"), fmt_num(tr.accepted)),
            (self.t("tradein_value"), self.money(tr.accepted_value_cents)),
            (self.t("surveys"), fmt_num(s.surveys)), (self.t("csat"), self.csat(s.csat_avg)),
            (self.t("nps"), self.nps(s.nps)),
        ], widths=(0.34, 0.16))
        return self.side_by_side(left, right)


# --- the day ----------------------------------------------------------------------------------

class DayReport(ManagerReport):
    def title(self) -> str:
        return self.t("day_report")

    def story(self) -> list[Flowable]:
        d: DayReportData = self.data
        s: list[Flowable] = [self.h1(f"{self.title()} · {formatting.date(d.day, self.lang, 'full')}"),
                             self.figure_tiles(d.figures), self.spacer(3 * mm), self.figure_details(d.figures)]
        if d.by_hour:
            cats = [f"{h:02d}" for h, *_ in d.by_hour]
            chart = bar_chart(cats, [(self.t("kept_or_booked"), [r[1] for r in d.by_hour]),
                                     (self.t("no_shows"), [r[2] for r in d.by_hour]),
                                     (self.t("walk_ins"), [r[3] for r in d.by_hour])],
                              self.width(), 52 * mm, stacked=True, title=self.t("appointments_by_hour"),
                              colours=[SERIES[0], SERIES[3], SERIES[2]])
            s += [self.spacer(2 * mm), chart]
        s.append(self.h2(self.t("technicians")))
        rows = [[self.t("technician"), self.t("appointments"), self.t("completed"), self.t("no_shows"),
                 self.t("tickets_finished")]]
        for r in d.technicians:
            rows.append([r.technician or self.t("unassigned"), r.appointments, r.completed, r.no_show,
                         r.tickets_finished])
        s.append(self.table(rows, (0.4, 0.15, 0.15, 0.15, 0.15), align="LRRRR", wrap=(0,)))
        s.append(self.h2(self.t("appointments_of_the_day", n=len(d.appointments))))
        rows = [[self.t("time"), self.t("customer"), self.t("service"), self.t("technician"), self.t("status"),
                 self.t("source")]]
        times: dict[Any, str] = {}      # formatted once each: a busy day repeats its times and labels
        labels: dict[tuple[str, ...], tuple[str, str, str]] = {}
        for a in d.appointments:
            at = times.get(a.starts_at) or times.setdefault(a.starts_at, self.time(a.starts_at))
            keys = (a.service_code, a.service, a.status, a.source)
            if keys not in labels:
                labels[keys] = (self.label(a.service_code, "service", a.service), self.label(a.status),
                                self.label(a.source))
            service, status, source = labels[keys]
            rows.append([at, a.customer, service, a.technician, status, source])
        # every cell wraps within its column: a long name takes two lines, never the next column;
        # the many that fit are drawn as single lines (a day may list a thousand appointments)
        s.append(self.table(rows, (0.1, 0.24, 0.22, 0.17, 0.14, 0.13), wrap=None, size=7.2, one_line=True))
        return s


# --- a period -----------------------------------------------------------------------------------

class PeriodReport(ManagerReport):
    def title(self) -> str:
        return self.t("period_report")

    GROUPS = ((1, 4, "grp_appointments"), (5, 7, "grp_tickets"), (8, 9, "grp_tradeins"), (11, 12, "grp_satisfaction"))
    WIDTHS = (0.14, 0.07, 0.055, 0.08, 0.08, 0.075, 0.065, 0.06, 0.06, 0.11, 0.09, 0.06, 0.055)

    def _rows(self, items: Sequence[Figures], label, head: bool = True) -> list[list[Any]]:
        rows: list[list[Any]] = []
        if head:
            groups = [""] * 13
            for c0, _, key in self.GROUPS:
                groups[c0] = self.t(key)
            groups[0], groups[10] = self.t("col_when"), self.t("col_members")
            rows.append(groups)
            rows.append(["", self.t("col_booked"), self.t("col_kept"), self.t("col_no_show"),
                         self.t("col_walk_ins"), self.t("col_opened"), self.t("col_closed"), self.t("col_turnaround"),
                         self.t("col_tradeins"), self.t("col_tradein_value"), "",
                         self.t("col_csat"), self.t("col_nps")])
        for f in items:
            a, t, tr, s = f.appointments, f.tickets, f.tradeins, f.satisfaction
            rows.append([label(f), a.booked, a.kept, a.no_show, a.walk_ins, t.opened, t.closed,
                         self.hours(t.turnaround_avg_h), tr.accepted, self.money(tr.accepted_value_cents),
                         f.enrollments, self.csat(s.csat_avg), self.nps(s.nps)])
        return rows

    def bucket_label(self, f: Figures, unit: str) -> str:
        """A chart category: a day, an ISO week's number or a month."""
        if unit == "week":
            return self.t("week_n", n=f.first.isocalendar()[1])
        return formatting.date(f.first, self.lang, "yMMM" if unit == "month" else "MMMd")

    def _table(self, rows) -> Table:
        spans = [((c0, 0), (c1, 0)) for c0, c1, _ in self.GROUPS] + [((0, 0), (0, 1)), ((10, 0), (10, 1))]
        return self.table(rows, self.WIDTHS, align="L" + "R" * 12, wrap=(), total_row=True, size=7,
                          header_rows=2, spans=spans, padding=2.5)

    def story(self) -> list[Flowable]:
        d: PeriodReportData = self.data
        s: list[Flowable] = [self.h1(f"{self.title()} · {self.span_text(d.first, d.last)}"),
                             self.figure_tiles(d.total), self.spacer(3 * mm)]
        # a month by day; a quarter by ISO week; longer spans by month (core.report_data.trend_unit)
        unit, trend = d.trend, d.trend_figures
        cats = [self.bucket_label(f, unit) for f in trend]
        every = label_step(cats, self.width())
        s.append(line_chart(cats, [(self.t("tickets_opened"), [f.tickets.opened for f in trend]),
                                   (self.t("tickets_closed"), [f.tickets.closed for f in trend])],
                            self.width(), 55 * mm, title=self.t(f"tickets_by_{unit}"), label_every=every))
        s.append(self.spacer(2 * mm))
        s.append(bar_chart(cats, [(self.t("appointments_kept"), [f.appointments.kept for f in trend]),
                                  (self.t("no_shows"), [f.appointments.no_show for f in trend]),
                                  (self.t("walk_ins"), [f.appointments.walk_ins for f in trend])],
                           self.width(), 55 * mm, stacked=True, title=self.t(f"appointments_by_{unit}"),
                           label_every=every, colours=[SERIES[0], SERIES[3], SERIES[1]]))
        total = self._rows([d.total], lambda f: self.t("total"), head=False)
        if unit == "month":
            s.append(self.h2(self.t("by_month")))
            s.append(self._table(self._rows(d.months, lambda f: formatting.date(f.first, self.lang, "yMMM"))
                                 + total))
        else:
            s.append(self.h2(self.t("by_week")))
            s.append(self._table(self._rows(d.weeks, lambda f: formatting.date_span(f.first, f.last, self.lang)) + total))
        if unit == "day":
            s.append(self.h2(self.t("by_day")))
            s.append(self._table(self._rows(d.days, lambda f: formatting.date(f.first, self.lang, "MMMEd")) + total))
        s.append(self.p(self.t("definitions"), self.s_small))
        if d.crm is not None:
            from reports import crm_section     # built on this module
            s += crm_section.story(self, d.crm)
        return s


# --- technicians --------------------------------------------------------------------------------

class TechnicianReport(ManagerReport):
    def title(self) -> str:
        return self.t("technician_report")

    def story(self) -> list[Flowable]:
        d: TechnicianReportData = self.data
        s: list[Flowable] = [self.h1(f"{self.title()} · {self.span_text(d.first, d.last)}")]
        names = [r.technician or self.t("unassigned") for r in d.rows]
        if d.rows:
            s.append(hbar_chart(names, [(self.t("tickets_finished"), [r.tickets_finished for r in d.rows]),
                                        (self.t("appointments_completed"), [r.completed for r in d.rows])],
                                self.width(), title=self.t("work_done_by_technician")))
            s.append(hbar_chart(names, [(self.t("utilisation_pct"), [round(r.utilisation or 0) for r in d.rows])],
                                self.width(), title=self.t("utilisation_pct")))
        rows = [[self.t("technician"), self.t("grp_appointments"), "", "", self.t("grp_time"), "", "",
                 self.t("grp_repairs"), "", "", "", self.t("col_csat_n")],
                ["", self.t("col_appts"), self.t("col_completed"), self.t("col_no_show"),
                 self.t("col_booked_h"), self.t("col_shift_h"), self.t("col_utilisation"),
                 self.t("col_finished"), self.t("col_hours_to_ready"), self.t("col_labour"), self.t("col_parts"),
                 ""]]
        for r, name in zip(d.rows, names):
            rows.append([name, r.appointments, r.completed, r.no_show, fmt_num(r.booked_minutes / 60, 1),
                         fmt_num(r.shift_minutes / 60, 1), fmt_num(r.utilisation, 0, "%"), r.tickets_finished,
                         self.hours(r.finish_hours_avg), self.money(r.labour_cents), self.money(r.parts_cents),
                         f"{self.csat(r.csat_avg)} ({r.surveys})"])
        s.append(self.h2(self.t("productivity")))
        s.append(self.table(rows, (0.16, 0.06, 0.08, 0.08, 0.07, 0.07, 0.065, 0.06, 0.07, 0.1, 0.1, 0.085),
                            align="L" + "R" * 11, wrap=(0,), size=7, header_rows=2, padding=2.5,
                            spans=[((1, 0), (3, 0)), ((4, 0), (6, 0)), ((7, 0), (10, 0)), ((0, 0), (0, 1)),
                                   ((11, 0), (11, 1))]))
        s.append(self.p(self.t("technician_definitions"), self.s_small))
        return s


# --- loyalty ------------------------------------------------------------------------------------

class LoyaltyReport(ManagerReport):
    def title(self) -> str:
        return self.t("loyalty_report")

    def story(self) -> list[Flowable]:
        d: LoyaltyReportData = self.data
        net = d.points_earned + d.points_bonus + d.points_adjusted - d.points_redeemed - d.points_expired
        s: list[Flowable] = [
            self.h1(f"{self.title()} · {self.span_text(d.first, d.last)}"),
            self.tiles([(self.t("members"), fmt_num(d.members)), (self.t("new_members"), fmt_num(d.enrollments)),
                        (self.t("points_issued"), fmt_num(d.points_earned + d.points_bonus)),
                        (self.t("points_redeemed"), fmt_num(d.points_redeemed)),
                        (self.t("points_expired"), fmt_num(d.points_expired)),
                        (self.t("points_outstanding"), fmt_num(d.outstanding_points)),
                        (self.t("member_spend"), self.money(d.spend_cents)),
                        (self.t("active_members"), fmt_num(d.active_members))]),
            self.spacer(3 * mm)]
        tiers = pie_chart([(self.label(k), v) for k, v in d.by_tier], self.width() * 0.42, 48 * mm,
                          title=self.t("members_by_tier"),
                          colours=[colors.HexColor("#5b6770"), colors.HexColor("#b08a2e"), colors.HexColor("#a9b3bb")])
        week_cats = [formatting.date(w, self.lang, "MMMd") for w, _ in d.enrollments_by_week]
        weeks = bar_chart(week_cats,
                          [(self.t("new_members"), [n for _, n in d.enrollments_by_week])],
                          self.width() * 0.58, 48 * mm, title=self.t("enrolments_by_week"),
                          label_every=label_step(week_cats, self.width() * 0.58))
        s.append(self.side_by_side(tiers, weeks, 0.42))
        s.append(self.h2(self.t("points_ledger")))
        rows = [[self.t("entry_kind"), self.t("points")],
                [self.label("earn"), fmt_num(d.points_earned)], [self.label("bonus"), fmt_num(d.points_bonus)],
                [self.label("redeem"), fmt_num(-d.points_redeemed)], [self.label("expire"), fmt_num(-d.points_expired)],
                [self.label("adjust"), fmt_num(d.points_adjusted)], [self.t("net_change"), fmt_num(net)]]
        s.append(self.table(rows, (0.35, 0.15), align="LR", total_row=True))
        s.append(self.h2(self.t("top_members")))
        rows = [[self.t("member_number"), self.t("customer"), self.t("tier"), self.t("member_spend"),
                 self.t("points_earned")]]
        for m in d.top_members:
            rows.append([m.member_number, m.customer, self.label(m.tier), self.money(m.spend_cents),
                         fmt_num(m.points_earned)])
        if len(rows) == 1:
            rows.append(["–", "", "", "", ""])
        s.append(self.table(rows, (0.2, 0.32, 0.14, 0.18, 0.16), align="LLLRR", wrap=(1,)))
        return s


# --- trade-in -----------------------------------------------------------------------------------

class TradeInReport(ManagerReport):
    def title(self) -> str:
        return self.t("tradein_report")

    @property
    def currency(self) -> str:
        return self.data.currency

    def _cv_table(self, head: str, items, label) -> Table:
        rows = [[head, self.t("count"), self.t("value")]]
        rows += [[label(cv.key), cv.count, self.money(cv.value_cents)] for cv in items]
        if len(rows) == 1:
            rows.append(["–", "", ""])
        return self.table(rows, (0.22, 0.1, 0.16), align="LRR", wrap=(0,))

    def story(self) -> list[Flowable]:
        d: TradeInReportData = self.data
        s: list[Flowable] = [
            self.h1(f"{self.title()} · {self.span_text(d.first, d.last)}"),
            self.tiles([(self.t("quotes"), fmt_num(d.quotes)), (self.t("tradeins_accepted"), fmt_num(d.accepted)),
                        (self.t("tradein_value"), self.money(d.accepted_value_cents)),
                        (self.t("average_value"), self.money(d.average_value_cents) or "–")]),
            self.spacer(3 * mm)]
        counts = {cv.key: cv.count for cv in d.by_grade}
        grades = list(GRADE_ORDER) + [k for k in counts if k not in GRADE_ORDER]
        chart = bar_chart([self.label(g) for g in grades], [(self.t("count"), [counts.get(g, 0) for g in grades])],
                          self.width() * 0.5, 50 * mm, title=self.t("accepted_by_grade"))
        status = [[self.t("status"), self.t("count")]] + [[self.label(k), v] for k, v in d.by_status]
        s.append(self.side_by_side(self.table(status, (0.3, 0.15), align="LR"), chart, 0.48))
        s.append(self.h2(self.t("accepted_by_grade")))
        s.append(self._cv_table(self.t("grade"), d.by_grade, self.label))
        s.append(self.h2(self.t("accepted_by_family")))
        s.append(self._cv_table(self.t("family"), d.by_family, lambda k: k))
        s.append(self.h2(self.t("accepted_by_payout")))
        s.append(self._cv_table(self.t("payout"), d.by_payout, self.label))
        s.append(self.spacer(2 * mm))
        s.append(self.p(self.t("price_books_used", versions=", ".join(d.price_books) or "–"), self.s_small))
        return s


DOCUMENTS: dict[type, type[ManagerReport]] = {
    DayReportData: DayReport, PeriodReportData: PeriodReport, TechnicianReportData: TechnicianReport,
    LoyaltyReportData: LoyaltyReport, TradeInReportData: TradeInReport,
}


def render(data: Any, *, lang: str = "en", pagesize=None) -> bytes:
    from reports.satisfaction_report import SatisfactionReport   # beside this module, built on ManagerReport
    DOCUMENTS.setdefault(SatisfactionReportData, SatisfactionReport)
    try:
        cls = DOCUMENTS[type(data)]
    except KeyError:
        raise TypeError(f"no manager report for {type(data).__name__}") from None
    return cls(data, lang=lang, pagesize=pagesize).render()
