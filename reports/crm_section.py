"""The period report's section about the store's customers (issue 23): segment sizes, how
the segments moved over the period (the daily snapshots), the customers most at risk of
leaving (the top ten), NPS by week, the open complaints against their clock and the
suggestions taken at the counter. Every figure is one of
:func:`core.crm.dashboard.figures` (the manager's dashboard shows the same); this module
only lays them out, in the document's language: codes are worded here from the one
catalogue (:mod:`core.terms`), so the figures carry no language of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from core import formatting
from core.crm.churn import reasons_text
from core.crm.dashboard import Dashboard, SegmentMovement, movement_between
from core.crm.segments import segment_name
from reports.base import INK, RULE, SERIES, fmt_num
from reports.manager_reports import AXIS_SIZE, _font, hbar_chart, label_step

if TYPE_CHECKING:
    from reports.manager_reports import ManagerReport

CHURN_ROWS = 10


def nps_chart(categories: list[str], values: list[float | None], width: float, height: float, title: str = "",
              label_every: int = 1) -> Drawing:
    """NPS per week on its own scale, -100 to 100, a dot a week (a week without answers has none)."""
    d = Drawing(width, height)
    if title:
        d.add(String(0, height - 10, title, fontName=_font([title]), fontSize=8.5, fillColor=INK))
    ch = HorizontalLineChart()
    ch.x, ch.y = 30, 14
    ch.width, ch.height = width - 40, height - 14 - (20 if title else 6)
    ch.categoryAxis.joinAxisMode = "bottom"          # the weeks below the chart, not across its zero line
    ch.data = [values if any(v is not None for v in values) else [0] * len(values or [0])]
    cats = [c if i % label_every == 0 else "" for i, c in enumerate(categories)]
    ch.categoryAxis.categoryNames = cats
    ch.categoryAxis.labels.fontName = _font(cats)
    ch.categoryAxis.labels.fontSize = AXIS_SIZE
    ch.categoryAxis.labels.dy = -2
    ch.categoryAxis.strokeColor = RULE
    ch.valueAxis.valueMin, ch.valueAxis.valueMax, ch.valueAxis.valueStep = -100, 100, 50
    ch.valueAxis.labels.fontName = _font(["0"])
    ch.valueAxis.labels.fontSize = 6.5
    ch.valueAxis.visibleGrid = True
    ch.valueAxis.gridStrokeColor = colors.HexColor("#eceff2")
    ch.valueAxis.strokeColor = RULE
    ch.lines[0].strokeColor = SERIES[0]
    ch.lines[0].strokeWidth = 1.6
    ch.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=SERIES[0], strokeColor=SERIES[0])
    d.add(ch)
    return d


def story(doc: ManagerReport, crm: Dashboard) -> list[Flowable]:
    """The section's flowables, for ``doc`` (a manager report: its words, language and money)."""
    t, lang = doc.t, doc.lang
    s: list[Flowable] = [doc.h2(t("crm_section"))]
    s.append(doc.p(t("crm_scored_at", at=doc.dt(crm.scored_at)) if crm.scored_at else t("crm_no_scores"),
                   doc.s_small))
    # complaints against their clock, and the suggestions' totals, as tiles
    accepted = sum(a.accepted for a in crm.actions)
    answered = accepted + sum(a.dismissed for a in crm.actions)
    s.append(doc.tiles([
        (t("still_open"), fmt_num(crm.complaints.open)), (t("due_within_24h"), fmt_num(crm.complaints.due_within_24h)),
        (t("overdue"), fmt_num(crm.complaints.overdue)),
        (t("col_accepted"), t("n_of_m", n=fmt_num(accepted), m=fmt_num(answered)))]))
    s.append(doc.spacer(2 * mm))
    # segment sizes: a table beside a chart
    names = [segment_name(c.code, lang) for c in crm.segments]
    rows: list[list[object]] = [[t("col_segment"), t("col_customers")]]
    rows += [[n, fmt_num(c.customers)] for n, c in zip(names, crm.segments)]
    rows.append([t("total"), fmt_num(sum(c.customers for c in crm.segments))])
    table = doc.table(rows, (0.28, 0.12), align="LR", wrap=(0,), total_row=True)
    chart = hbar_chart(names, [(t("col_customers"), [c.customers for c in crm.segments])], doc.width() * 0.58,
                       title="")
    s.append(doc.h2(t("segment_sizes")))
    s.append(doc.side_by_side(table, chart, 0.42))
    # how the segments moved over the period: its first and last snapshot days
    s.append(doc.h2(t("segment_movement")))
    data = getattr(doc, "data", None)
    s += _movement(doc, movement_between(crm, getattr(data, "first", crm.first), getattr(data, "last", crm.today)))
    # the customers most at risk of leaving
    s.append(doc.h2(t("churn_top")))
    rows = [[t("customer"), t("col_churn"), t("col_segment"), t("col_reasons")]]
    for r in crm.churn[:CHURN_ROWS]:
        rows.append([r.display_name, fmt_num(r.churn_score), segment_name(r.segment, lang),
                     "; ".join(reasons_text(list(r.reason_codes), lang))])
    if len(rows) == 1:
        rows.append(["–", "", "", ""])
    s.append(doc.table(rows, (0.24, 0.12, 0.18, 0.46), align="LRLL", wrap=(0, 2, 3)))
    # NPS by week
    s.append(doc.h2(t("nps_by_week")))
    cats = [formatting.date(p.week_start, lang, "MMMd") for p in crm.nps]
    s.append(nps_chart(cats, [p.nps for p in crm.nps], doc.width(), 40 * mm, label_every=label_step(cats, doc.width())))
    rows = [[t("col_week"), t("nps"), t("answers")]]
    rows += [[doc.date(p.week_start), doc.nps(p.nps), fmt_num(p.answers)] for p in crm.nps]
    s.append(doc.table(rows, (0.24, 0.12, 0.12), align="LRR", wrap=(0,)))
    # the suggestions taken at the counter
    s.append(doc.h2(t("suggestions_taken")))
    rows = [[t("col_suggestion"), t("col_accepted"), t("col_dismissed"), t("col_rate")]]
    rows += [[doc.label(a.code, "action"), fmt_num(a.accepted), fmt_num(a.dismissed), fmt_num(a.rate, 0, "%")]
             for a in crm.actions]
    s.append(doc.table(rows, (0.3, 0.12, 0.12, 0.12), align="LRRR", wrap=(0,)))
    s.append(doc.p(t("crm_definitions"), doc.s_small))
    return s


def _signed(n: int) -> str:
    return f"{n:+,}" if n else "0"


def _movement(doc: ManagerReport, moves: SegmentMovement | None) -> list[Flowable]:
    """The segments held by anyone on either day, or come into: on the first day, the last,
    the change and how many came in between."""
    t = doc.t
    if moves is None:
        return [doc.p(t("no_snapshots"), doc.s_small)]
    rows: list[list[object]] = [[t("col_segment"), doc.date(moves.first), doc.date(moves.last), t("col_change"),
                                 t("col_moved_in")]]
    rows += [[segment_name(m.code, doc.lang), fmt_num(m.at_first), fmt_num(m.at_last), _signed(m.change),
              fmt_num(m.moved_in)] for m in moves.segments if m.at_first or m.at_last or m.moved_in]
    return [doc.table(rows, (0.28, 0.14, 0.14, 0.12, 0.12), align="LRRRR", wrap=(0, 1, 2)),
            doc.p(t("movement_note", first=doc.date(moves.first), last=doc.date(moves.last)), doc.s_small)]


__all__ = ["CHURN_ROWS", "nps_chart", "story"]
