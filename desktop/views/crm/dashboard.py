"""Customer insights, the manager's dashboard (issue 23): how many customers each segment
holds and how that moved over the snapshots, the NPS trend with its answers, the customers
likeliest to leave (a double-click opens the profile), complaints against their clock, and
which next best actions staff accepted.

The figures come from ``core.crm.dashboard.figures`` in the database worker; the charts are
Qt Charts, coloured from the application's palette, so they follow the light and dark
theme. Everything sits in one column inside a scroll area: at 1024x768 nothing is squeezed
and nothing scrolls sideways."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QCategoryAxis, QChart, QChartView, QHorizontalBarSeries, QLineSeries,
    QValueAxis,
)

from core import clock, formatting
from core.crm import NO_SEGMENT, SEGMENTS
from core.permissions import Perm
from desktop import fmt
from desktop.labels import label, language
from desktop.models.rows import Column, RowsModel
from desktop.qt import (
    QApplication, QColor, QEvent, QFrame, QGridLayout, QGroupBox, QHeaderView, QLabel, QPainter, QPalette,
    QPushButton, QScrollArea, Qt, QVBoxLayout, QWidget,
)
from desktop.views.base import Screen
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    import uuid

    from desktop.context import AppContext

CHART_HEIGHT = 250         # the movement and NPS charts one above the other on a 1280x800 screen
LEGEND_LINE = 26           # px a legend entry takes beside a chart (a legend drops the entries it has no room for)
# a colour per segment on the movement chart, the same every day: greens and blues for the
# valued, amber to red for those slipping, brown and grey for the gone (Tableau 10; drawn
# darker on the light theme, lighter on the dark one, so each line stands out of its ground)
SEGMENT_COLOURS = {
    "champions": "#59a14f", "loyal": "#76b7b2", "potential": "#4e79a7", "new": "#b07aa1", "promising": "#ff9da7",
    "needs_attention": "#edc948", "at_risk": "#f28e2b", "cant_lose": "#e15759", "hibernating": "#9c755f",
    "lost": "#bab0ac",
}


def dark_palette() -> bool:
    """The dark theme is on: its text is light (desktop.app.theme_palette)."""
    return QApplication.palette().color(QPalette.ColorRole.WindowText).lightness() > 128


def style_chart(chart: QChart) -> None:
    """Colour a chart as the theme in force: Qt Charts' own light or dark theme for the
    series, the palette's text colour on it, and nothing behind it (the box shows through)."""
    pal = QApplication.palette()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark_palette() else QChart.ChartTheme.ChartThemeLight)
    text = pal.color(QPalette.ColorRole.WindowText)
    chart.setBackgroundVisible(False)        # the box's own colour behind it, in either theme: no frame of another shade
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setTitleBrush(text)
    chart.legend().setLabelColor(text)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setTitleBrush(text)
        grid = QColor(text)
        grid.setAlpha(50)
        axis.setGridLineColor(grid)


def chart_view(name: str) -> QChartView:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setObjectName(name)
    view.setFrameShape(QFrame.Shape.NoFrame)
    view.setStyleSheet("background: transparent;")
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(CHART_HEIGHT)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return view


def reset(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def count_axis(axis: QValueAxis, value: float) -> None:
    """A count axis from 0 to a little above ``value`` whose every tick is a whole number
    (1, 2 or 5 times a power of ten apart), labelled as such: never "0, 0, 1, 2" for 0.75 steps."""
    value = max(value, 1.0)
    step = 1
    while True:
        for k in (1, 2, 5):
            if value / (k * step) <= 5:
                n = max(int(-(-value // (k * step))), 1)
                axis.setRange(0, n * k * step)
                axis.setTickCount(n + 1)
                axis.setLabelFormat("%d")
                return
        step *= 10


def line_colour(code: str) -> QColor:
    colour = QColor(SEGMENT_COLOURS.get(code, "#bab0ac"))
    return colour.lighter(115) if dark_palette() else colour.darker(135)


def colour_lines(series: dict[str, QLineSeries]) -> None:
    """Each segment's line in its own colour, a little thicker than Qt's (after style_chart:
    a chart theme recolours its series)."""
    for code, line in series.items():
        pen = line.pen()
        pen.setColor(line_colour(code))
        pen.setWidthF(2.5)
        line.setPen(pen)
        line.setColor(line_colour(code))


class DashboardScreen(Screen):
    key, icon, perm = "dashboard", "insights", Perm.VIEW_REPORTS
    watches = ("customer_score", "segment_snapshot", "action_outcome", "feedback", "survey")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.figures: Any = None
        self._seq = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        head = self.add_header(outer, refresh=False)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.activate)
        head.addWidget(self.refresh_button)
        scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("dashboardBody")
        scroll.setWidget(body)
        scroll.viewport().setAutoFillBackground(False)      # the screen's own background behind the boxes
        body.setAutoFillBackground(False)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 8, 0)
        lay.setSpacing(14)
        outer.addWidget(scroll, 1)
        lay.addWidget(self._clock_tiles())
        self.segments_chart = chart_view("segmentsChart")
        lay.addWidget(self._box(self.tr("Customers per segment"), self.segments_chart))
        self.movement_chart = chart_view("movementChart")
        self.movement_note = QLabel(self.tr("No snapshots yet: one is taken each day after a sync."))
        self.movement_note.setObjectName("caption")
        self.movement_note.setWordWrap(True)
        self.movement_without = QLabel(self.tr("Customers with no purchase yet are left out here: "
                                               "their number is in the chart above."))
        self.movement_without.setObjectName("caption")
        self.movement_without.setWordWrap(True)
        lay.addWidget(self._box(self.tr("Segment movement"), self.movement_chart, self.movement_note,
                                self.movement_without))
        self.nps_chart = chart_view("npsChart")
        lay.addWidget(self._box(self.tr("NPS by week, with the answers"), self.nps_chart))
        # the customers likeliest to leave: sortable; Enter or a double-click opens the profile
        self.churn_model = RowsModel([
            Column(self.tr("Customer"), lambda r: r.display_name),
            Column(self.tr("Score"), lambda r: r.churn_score, sort_key=lambda r: r.churn_score, align_right=True),
            Column(self.tr("Reasons"), lambda r: "\n".join(r.reasons)),     # one a line, each whole
        ], self)
        self.churn_view = list_table(self.churn_model, stretch=False, sortable=True)
        self.churn_view.setObjectName("churnTable")
        self.churn_view.setMinimumHeight(280)
        self.churn_view.setWordWrap(True)
        self.churn_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.churn_view.horizontalHeader().setStretchLastSection(True)
        self.churn_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.churn_view.activated.connect(self._open_customer)
        self.churn_view.doubleClicked.connect(self._open_customer)
        hint = QLabel(self.tr("Double-click a customer (or press Enter) to open the profile."))
        hint.setObjectName("caption")
        hint.setWordWrap(True)
        lay.addWidget(self._box(self.tr("Churn risk"), self.churn_view, hint))
        self.actions_model = RowsModel([
            Column(self.tr("Suggestion"), lambda r: r.name or label(r.code, "next_action")),
            Column(self.tr("Accepted"), lambda r: r.accepted, align_right=True),
            Column(self.tr("Dismissed"), lambda r: r.dismissed, align_right=True),
            Column(self.tr("Rate"), self._rate, align_right=True),
        ], self)
        self.actions_view = list_table(self.actions_model)
        self.actions_view.setObjectName("actionsTable")
        self.actions_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self._box(self.tr("Suggestions taken"), self.actions_view))
        lay.addStretch(1)
        for view in (self.segments_chart, self.movement_chart, self.nps_chart):
            style_chart(view.chart())

    def title(self) -> str:
        return self.tr("Customer insights")

    @staticmethod
    def _box(title: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        bl = QVBoxLayout(box)
        for w in widgets:
            bl.addWidget(w)
        return box

    def _clock_tiles(self) -> QGroupBox:
        box = QGroupBox(self.tr("Complaints against their clock"))
        grid = QGridLayout(box)
        grid.setSpacing(12)
        self.clock_tiles: dict[str, QLabel] = {}
        for i, (key, text) in enumerate([("open", self.tr("Open")), ("due_within_24h", self.tr("Due within 24 h")),
                                         ("overdue", self.tr("Overdue"))]):
            tile = QFrame()
            tile.setObjectName("tile")
            tl = QVBoxLayout(tile)
            value = QLabel("–")
            value.setObjectName("tileValue")
            caption = QLabel(text)
            caption.setObjectName("tileCaption")
            caption.setWordWrap(True)
            tl.addWidget(value)
            tl.addWidget(caption)
            grid.addWidget(tile, 0, i)
            self.clock_tiles[key] = value
        return box

    def _fit_actions(self) -> None:
        """The suggestions table as tall as its rows (one per kind): it never scrolls inside the page."""
        view = self.actions_view
        view.resizeRowsToContents()
        rows = sum(view.rowHeight(i) for i in range(self.actions_model.rowCount()))
        view.setFixedHeight(view.horizontalHeader().sizeHint().height() + rows + 2 * view.frameWidth() + 2)

    @staticmethod
    def _rate(r: Any) -> str:
        return "–" if r.rate is None else f"{r.rate:.0f} %"

    # --- loading ------------------------------------------------------------------------

    def activate(self) -> None:
        actor = self.ctx.actor
        if actor is None or self.ctx.db is None or self.ctx.locked:
            return
        self._seq += 1
        seq = self._seq
        now, lang = clock.now(), language()
        today = clock.today(self.ctx.store.timezone if self.ctx.store else "UTC")

        def work(s: Any) -> Any:
            from core.crm import dashboard
            return dashboard.figures(s, actor, today=today, now=now, lang=lang)

        def show(figures: Any) -> None:
            if seq == self._seq and not self.ctx.locked:
                self.show_figures(figures)
        self.ctx.read(work, on_result=show, on_error=self.fail, owner=self)

    def show_figures(self, f: Any) -> None:
        self.figures = f
        self.summary.setText(self.tr("Scores from HQ, {0}").format(fmt.day(f.scored_at)) if f.scored_at else
                             self.tr("No scores yet: they come from HQ after the next sync."))
        self._segments(f.segments)
        self._movement(f.movement)
        self._nps(f.nps)
        header = self.churn_view.horizontalHeader()
        self.churn_model.set_rows(f.churn)
        self.churn_view.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.churn_view.resizeColumnsToContents()
        self.actions_model.set_rows(f.actions)
        self._fit_actions()
        for key, tile in self.clock_tiles.items():
            tile.setText(str(getattr(f.complaints, key)))

    def _segments(self, segments: list[Any]) -> None:
        chart = self.segments_chart.chart()
        reset(chart)
        self.segment_bars = QBarSet(self.tr("Customers"))
        names = []
        order = {code: i for i, code in enumerate((*SEGMENTS, NO_SEGMENT))}
        shown = sorted(segments, key=lambda s: order.get(s.code, len(order)), reverse=True)  # the best on top
        for s in shown:
            self.segment_bars.append(s.customers)
            names.append(getattr(s, "name", None) or label(s.code, "segment"))
        self.segment_bars.setLabelColor(QApplication.palette().color(QPalette.ColorRole.WindowText))
        series = QHorizontalBarSeries()
        series.append(self.segment_bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        names_axis = QBarCategoryAxis()
        names_axis.append(names)
        chart.addAxis(names_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names_axis)
        counts = QValueAxis()
        count_axis(counts, max((s.customers for s in segments), default=0) * 1.12)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        chart.legend().hide()
        # 34 px a bar: less, and Qt Charts cuts the Chinese names to "..."
        self.segments_chart.setMinimumHeight(max(CHART_HEIGHT, 34 * len(shown) + 60))
        style_chart(chart)

    def _movement(self, movement: list[tuple[date, dict[str, int]]]) -> None:
        chart = self.movement_chart.chart()
        reset(chart)
        self.movement_series: dict[str, QLineSeries] = {}
        # a line for each segment that held anyone in the window (eleven flat lines read as none)
        # (not "no purchases yet": most of a store's list at first, its line would flatten the others)
        held = {c for _, counts in movement for c, n in counts.items() if n and c != NO_SEGMENT}
        codes = [c for c in SEGMENTS if c in held] + sorted(held - set(SEGMENTS))
        self.movement_note.setVisible(not movement)
        self.movement_chart.setVisible(bool(movement))
        self.movement_without.setVisible(bool(movement) and any(c.get(NO_SEGMENT) for _, c in movement))
        if not movement:
            return
        # x: days since the first snapshot; at most seven days named under it, in the UI's words
        first = movement[0][0]
        span = max((movement[-1][0] - first).days, 1)
        days = QCategoryAxis()
        days.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        step = -(-len(movement) // 7)
        for day, _ in movement[::step]:
            days.append(self._day(day), (day - first).days)
        pad = span * 0.08        # room for the first and last day's names, centred on the plot's ends
        days.setRange(-pad, span + pad)
        counts = QValueAxis()
        count_axis(counts, max((c.get(code, 0) for _, c in movement for code in codes), default=0) * 1.1)
        chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        for code in codes:
            series = QLineSeries()
            series.setName(label(code, "segment"))
            series.setPointsVisible(True)
            for day, by_segment in movement:
                series.append((day - first).days, by_segment.get(code, 0))
            chart.addSeries(series)
            series.attachAxis(days)
            series.attachAxis(counts)
            self.movement_series[code] = series
        # beside the chart, one name a line: at the bottom, eleven names in a row were cut to "Potential l…"
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.movement_chart.setMinimumHeight(max(CHART_HEIGHT, LEGEND_LINE * len(codes) + 60))   # every name shown
        chart.legend().show()
        style_chart(chart)
        colour_lines(self.movement_series)

    def _nps(self, points: list[Any]) -> None:
        chart = self.nps_chart.chart()
        reset(chart)
        weeks = QBarCategoryAxis()
        # twelve weeks side by side: "9/21", short enough for each to show whole at 1024 px
        weeks.append([self._day(p.week_start, "Md") for p in points] or [""])
        self.nps_answers = QBarSet(self.tr("Answers"))
        for p in points:
            self.nps_answers.append(p.answers)
        self.nps_answers.setLabelColor(QApplication.palette().color(QPalette.ColorRole.WindowText))
        bars = QBarSeries()
        bars.append(self.nps_answers)
        bars.setLabelsVisible(True)
        bars.setLabelsPosition(QBarSeries.LabelsPosition.LabelsInsideBase)   # clear of the NPS line's labels
        self.nps_line = QLineSeries()
        self.nps_line.setName(self.tr("NPS"))
        self.nps_line.setPointsVisible(True)
        self.nps_line.setPointLabelsVisible(True)
        self.nps_line.setPointLabelsFormat("@yPoint")
        self.nps_line.setPointLabelsClipping(False)       # an NPS of 100 is labelled above the plot's edge
        for i, p in enumerate(points):
            if p.nps is not None:
                self.nps_line.append(i, round(p.nps))
        chart.addSeries(bars)
        chart.addSeries(self.nps_line)
        chart.addAxis(weeks, Qt.AlignmentFlag.AlignBottom)
        score = QValueAxis()
        score.setRange(-100, 100)
        score.setLabelFormat("%d")
        score.setTitleText(self.tr("NPS"))
        answers = QValueAxis()
        # the bars in the lower part, under the NPS line's labels (a store's NPS is seldom below -20)
        count_axis(answers, max((p.answers for p in points), default=0) * 2.5)
        answers.setTitleText(self.tr("Answers"))
        chart.addAxis(score, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(answers, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(weeks)
        bars.attachAxis(answers)
        self.nps_line.attachAxis(weeks)
        self.nps_line.attachAxis(score)
        chart.legend().show()
        style_chart(chart)
        self.nps_line.setPointLabelsColor(QApplication.palette().color(QPalette.ColorRole.WindowText))

    @staticmethod
    def _day(d: date, skeleton: str = "MMMd") -> str:
        return formatting.date(d, fmt.lang(), skeleton)

    # --- acting -------------------------------------------------------------------------

    def _open_customer(self, index: Any) -> None:
        row = index.row() if hasattr(index, "row") else -1
        if 0 <= row < self.churn_model.rowCount():
            self.open_profile(self.churn_model.row_at(row).customer_id)

    def open_profile(self, customer_id: uuid.UUID) -> bool:
        """Open the customer's profile on the Customers screen (as a scanned card does)."""
        shell = getattr(self.window(), "shell", None)
        customers = shell.screens.get("customers") if shell is not None else None
        if customers is None:
            return False
        customers.lookup.clear()        # the last search's results would replace the profile
        if not shell.go("customers"):
            return False
        customers.open_id(customer_id)
        return True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            for view in (self.segments_chart, self.movement_chart, self.nps_chart):
                style_chart(view.chart())
            colour_lines(getattr(self, "movement_series", {}))
        super().changeEvent(event)

    def clear_sensitive(self) -> None:
        self._seq += 1
        self.churn_model.clear()
        self.figures = None

    def restore(self) -> None:
        self.activate()
