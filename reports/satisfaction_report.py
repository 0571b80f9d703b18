"""The satisfaction report: NPS and CSAT with their counts, the complaints and their clocks,
CSAT by technician and by associate (unranked below HQ's minimum of answers), surveys by
channel, and the customers' comments with the detractors' first.  Every figure is one of
``core.report_data.satisfaction_report``'s; this module only lays them out, on the base
of the other manager reports (``reports.manager_reports.render`` picks it)."""

from __future__ import annotations

from typing import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from core.care.scores import Score
from core.report_data import SatisfactionReportData, StaffScore
from reports.base import SERIES, fmt_num
from reports.manager_reports import ManagerReport, bar_chart, hbar_chart


class SatisfactionReport(ManagerReport):
    def title(self) -> str:
        return self.t("satisfaction_report")

    def scored(self, value: str, n: int) -> str:
        """A figure with the number of answers behind it."""
        return self.t("score_n", value=value, n=fmt_num(n))

    def of(self, n: int, m: int) -> str:
        return self.t("n_of_m", n=fmt_num(n), m=fmt_num(m))

    def category(self, code: str) -> str:
        return self.label(code, "category") if code else self.t("unclassified")

    def story(self) -> list[Flowable]:
        d: SatisfactionReportData = self.data
        f = d.figures
        s: list[Flowable] = [
            self.h1(f"{self.title()} · {self.span_text(d.first, d.last)}"),
            self.tiles([(self.t("surveys"), fmt_num(f.surveys)),
                        (self.t("csat"), self.scored(self.csat(f.csat_avg), f.csat_answers)),
                        (self.t("nps"), self.scored(self.nps(f.nps), f.nps_answers)),
                        (self.t("satisfied_pct"), fmt_num(f.satisfied_pct, 0, "%")),
                        (self.t("promoters"), fmt_num(d.promoters)), (self.t("passives"), fmt_num(d.passives)),
                        (self.t("detractors"), fmt_num(d.detractors)),
                        (self.t("open_feedback"), fmt_num(sum(c.open for c in d.feedback)))]),
            self.spacer(3 * mm)]
        nps_colours = [SERIES[3]] * 7 + [SERIES[1]] * 2 + [SERIES[0]] * 2
        inner = bar_chart([str(i) for i in range(11)], [(self.t("answers"), list(d.nps_distribution))],
                          self.width() * 0.55, 50 * mm, title=self.t("nps_distribution"))
        for obj in inner.contents:
            if isinstance(obj, VerticalBarChart):
                obj.bars.strokeColor = None
                for i, colour in enumerate(nps_colours):
                    obj.bars[(0, i)].fillColor = colour
        csat_chart = bar_chart(["1", "2", "3", "4", "5"], [(self.t("answers"), list(d.csat_distribution))],
                               self.width() * 0.45, 50 * mm, title=self.t("csat_distribution"))
        s.append(self.side_by_side(inner, csat_chart, 0.55))
        s += self.complaints(d)
        s += self.people(d)
        s += self.channels(d)
        s += self.comments(d)
        s.append(self.p(self.t("complaint_definitions", n=d.min_answers), self.s_small))
        return s

    def complaints(self, d: SatisfactionReportData) -> list[Flowable]:
        c = d.complaints
        s: list[Flowable] = [self.h2(self.t("complaints")), self.tiles([
            (self.t("complaints_opened"), fmt_num(c.opened)),
            (self.t("classified_in_time"), self.of(c.classified_in_time, c.classified)),
            (self.t("resolved_in_time"), self.of(c.resolved_in_time, c.resolved)),
            (self.t("escalated"), fmt_num(c.escalated)),
            (self.t("still_open"), fmt_num(c.open)), (self.t("overdue"), fmt_num(c.overdue))], per_row=6),
            self.spacer(2 * mm)]
        rows = [[self.t("category"), self.t("total"), self.t("open"), self.t("overdue"), self.t("escalated")]]
        rows += [[self.category(x.category), x.total, x.open, x.overdue, x.escalated] for x in d.feedback]
        if len(rows) == 1:
            rows.append(["–", "", "", "", ""])
        table = self.table(rows, (0.16, 0.07, 0.07, 0.09, 0.12), align="LRRRR", wrap=(0,))
        if not d.feedback:
            s.append(table)
            return s
        chart = hbar_chart([self.category(x.category) for x in d.feedback],
                           [(self.t("total"), [x.total for x in d.feedback])], self.width() * 0.45,
                           title=self.t("complaints_by_category"))
        s.append(self.side_by_side(table, chart, 0.55))
        return s

    def _people_table(self, head: str, people: Sequence[StaffScore], minimum: int) -> list[Flowable]:
        rows: list[list[object]] = [[self.t("rank"), self.t("person"), self.t("csat"), self.t("csat_answers")]]
        spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
        ranked = [p for p in people if p.rank is not None]
        few = [p for p in people if p.rank is None]
        rows += [[str(p.rank), p.name or self.t("unassigned"), self.csat(p.csat.value), fmt_num(p.csat.count)]
                 for p in ranked]
        if few:
            spans.append(((0, len(rows)), (3, len(rows))))
            rows.append([self.t("too_few_to_rank", n=minimum), "", "", ""])
            rows += [[self.t("unranked"), p.name or self.t("unassigned"), self.csat(p.csat.value),
                      fmt_num(p.csat.count)] for p in few]
        if len(rows) == 1:
            rows.append(["–", "", "", ""])
        return [self.p(head, bold=True),
                self.table(rows, (0.14, 0.3, 0.16, 0.16), align="LLRR", wrap=(0, 1), spans=spans)]

    def people(self, d: SatisfactionReportData) -> list[Flowable]:
        return [self.h2(self.t("csat_by_person")),
                *self._people_table(self.t("technicians_csat"), d.technicians, d.min_answers),
                self.spacer(2 * mm),
                *self._people_table(self.t("associates_csat"), d.associates, d.min_answers)]

    def channels(self, d: SatisfactionReportData) -> list[Flowable]:
        def score(sc: Score, text: str) -> str:
            return self.scored(text, sc.count)
        rows: list[list[object]] = [[self.t("survey_channel"), self.t("surveys"), self.t("nps"), self.t("csat")]]
        rows += [[self.label(c.channel, "survey_channel"), fmt_num(c.surveys), score(c.nps, self.nps(c.nps.value)),
                  score(c.csat, self.csat(c.csat.value))] for c in d.channels]
        return [self.h2(self.t("surveys_by_channel")),
                self.table(rows, (0.26, 0.1, 0.16, 0.16), align="LRRR", wrap=(0,))]

    def comments(self, d: SatisfactionReportData) -> list[Flowable]:
        rows: list[list[object]] = [[self.t("when"), self.t("score"), self.t("about"), self.t("comment")]]
        for c in d.comments:
            score = " · ".join(x for x in (f"CSAT {c.csat}" if c.csat is not None else "",
                                           f"NPS {c.nps}" if c.nps is not None else "") if x)
            rows.append([self.dt(c.at), score, self.label(c.about) if c.about else "", c.text])
        if len(rows) == 1:
            rows.append(["–", "", "", ""])
        return [self.h2(self.t("comments")), self.p(self.t("comments_order"), self.s_small),
                self.table(rows, (0.22, 0.16, 0.12, 0.5), wrap=(3,))]
