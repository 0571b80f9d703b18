"""The chain's figures (/console/figures): per store and per region for a span of days, with
server-drawn SVG bar charts (no script) and the table as CSV (UTF-8 with a BOM, for Excel).
A regional manager sees its region's stores only, on the page and in the CSV. The figures
come from :func:`hq.figures.chain_figures`; this module reads the span and lays them out."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from babel.numbers import format_currency, format_decimal
from fastapi.responses import Response

from core import clock, csvsafe
from hq import figures
from hq.console import roles
from hq.console.i18n import N_
from hq.console.web import Ctx, page

DEFAULT_DAYS = 30
CHART_WIDTH = 340
BAR_HEIGHT = 22
LABEL_WIDTH = 76

# (tally attribute or key, label) for the charts: one chart each
CHARTS = (
    ("booked", N_("Appointments booked")),
    ("repairs", N_("Repairs collected")),
    ("tradeins", N_("Trade-ins accepted")),
    ("members", N_("Loyalty members")),
)


def _today(stores: list[figures.StoreRef]) -> date:
    """Today in the stores' time zone when they share one, else in UTC (from core.clock)."""
    zones = {s.timezone for s in stores}
    return clock.today(zones.pop() if len(zones) == 1 else "UTC")


def _span(ctx: Ctx, stores: list[figures.StoreRef]) -> tuple[date, date, str | None]:
    last = _today(stores)
    first = last - timedelta(days=DEFAULT_DAYS - 1)
    given = {k: (ctx.request.query_params.get(k) or "").strip()[:10] for k in ("from", "to")}
    try:
        if given["from"]:
            first = date.fromisoformat(given["from"])
        if given["to"]:
            last = date.fromisoformat(given["to"])
    except ValueError:
        return first, last, ctx.t(N_("Enter the dates as YYYY-MM-DD."))
    if last < first:
        return first, last, ctx.t(N_("The first day must not be after the last day."))
    if (last - first).days + 1 > figures.MAX_PERIOD_DAYS:
        return first, last, ctx.t(N_("A span covers at most %(days)s days."), days=figures.MAX_PERIOD_DAYS)
    return first, last, None


def _stores(ctx: Ctx) -> list[figures.StoreRef]:
    assert ctx.user is not None
    scoped, region = roles.region_scope(ctx.user.role, ctx.user.region_id)
    return figures.stores_in_scope(ctx.engine, region, scoped=scoped)


def _locale(ctx: Ctx) -> str:
    return "zh_CN" if ctx.lang == "zh_CN" else "en"


@dataclass(frozen=True)
class Cells:
    """A line's figures as the page and the CSV show them (text, and whether it needs a look)."""
    values: tuple[str, ...]
    warn: bool


def _cells(ctx: Ctx, t: figures.Tally, surveys: bool, *, csv_mode: bool = False) -> Cells:
    loc = _locale(ctx)
    empty = "" if csv_mode else "–"

    def num(v: float | None, digits: int = 1, suffix: str = "") -> str:
        if v is None:
            return empty
        if csv_mode:
            return f"{v:.{digits}f}"
        return format_decimal(round(v, digits), format="#,##0." + "0" * digits, locale=loc) + suffix

    def whole(n: int) -> str:
        return str(n) if csv_mode else format_decimal(n, locale=loc)
    if len(t.tradein_value) > 1:
        value = ctx.t(N_("mixed currencies"))
    elif not t.tradein_value:
        value = "0.00" if csv_mode else whole(0)
    else:
        currency, cents = next(iter(t.tradein_value.items()))
        if csv_mode:
            value = f"{cents / 100:.2f}"
        else:
            value = (format_currency(cents / 100, currency, format="¤#,##0", currency_digits=False, locale=loc)
                     if currency else num(cents / 100, 0))
    out = [whole(t.booked), whole(t.completed), whole(t.no_show), whole(t.repairs), num(t.turnaround_median_h),
           num(t.first_time_fix_pct, 1, "%"), whole(t.tradeins), value, whole(t.members), whole(t.points),
           whole(t.negative)]
    if surveys:
        out += [whole(t.surveys), num(t.csat_avg), num(t.nps_score, 0)] if csv_mode else [num(t.csat_avg)]
    return Cells(tuple(out), t.negative > 0)


def _currency(t: figures.Tally) -> str:
    return next(iter(t.tradein_value)) if len(t.tradein_value) == 1 else ""


def _headers(ctx: Ctx, surveys: bool, *, short: bool = False) -> list[str]:
    """The figures' column names: flat for the CSV; short on the page, under a group heading."""
    if short:
        names = [N_("Booked"), N_("Completed"), N_("No-shows"), N_("Collected"), N_("Median hours"),
                 N_("First-time fix"), N_("Accepted"), N_("Value"), N_("Members"), N_("Points"),
                 N_("Negative")]
        return [ctx.t(n) for n in names + ([N_("CSAT (1-5)")] if surveys else [])]
    names = [N_("Booked"), N_("Completed"), N_("No-shows"), N_("Repairs collected"), N_("Median turnaround (h)"),
             N_("First-time fix"), N_("Trade-ins accepted"), N_("Trade-in value"), N_("Members"),
             N_("Points liability"), N_("Negative balances")]
    if surveys:
        names += [N_("Surveys"), N_("CSAT (1-5)"), N_("NPS")]
    return [ctx.t(n) for n in names]


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    label: str
    value: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    height: int
    bars: tuple[Bar, ...]
    label_width: int = LABEL_WIDTH
    width: int = CHART_WIDTH


def _charts(ctx: Ctx, data: figures.ChainFigures) -> list[Chart]:
    loc = _locale(ctx)
    room = CHART_WIDTH - LABEL_WIDTH - 56          # the value's text goes after the bar
    charts = []
    for key, title in CHARTS:
        values = [(line.code, int(getattr(line.tally, key))) for line in data.stores]
        top = max((v for _, v in values), default=0)
        bars = tuple(Bar(8 + i * (BAR_HEIGHT + 8), round(room * v / top) if top else 0, code,
                         format_decimal(v, locale=loc)) for i, (code, v) in enumerate(values))
        charts.append(Chart(f"chart-{key}", ctx.t(title), 16 + len(bars) * (BAR_HEIGHT + 8), bars))
    return charts


def _figures(ctx: Ctx) -> Response | tuple[date, date, figures.ChainFigures]:
    """The span the query asks for and its figures, or the page saying what is wrong with it (400)."""
    stores = _stores(ctx)
    first, last, error = _span(ctx, stores)
    if error:
        return ctx.render("figures_page.html", 400, error=error, first=first, last=last, data=None, charts=[],
                          headers=[], rows=[], regions=[], chain=None, surveys=False)
    return first, last, figures.chain_figures(ctx.engine, stores, first, last)


@page("GET", "/figures", "figures.view")
def figures_page(ctx: Ctx) -> Response:
    found = _figures(ctx)
    if isinstance(found, Response):
        return found
    first, last, data = found
    surveys = data.has_surveys
    rows = [(line, _cells(ctx, line.tally, surveys)) for line in data.stores]
    regions = [(line, _cells(ctx, line.tally, surveys)) for line in data.regions]
    chain = (data.chain, _cells(ctx, data.chain.tally, surveys)) if len(data.regions) > 1 else None
    return ctx.render("figures_page.html", first=first, last=last, data=data, charts=_charts(ctx, data),
                      headers=_headers(ctx, surveys, short=True), rows=rows, regions=regions, chain=chain, surveys=surveys)


@page("GET", "/figures.csv", "figures.view")
def figures_csv(ctx: Ctx) -> Response:
    found = _figures(ctx)
    if isinstance(found, Response):
        return found
    first, last, data = found
    surveys = data.has_surveys
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([ctx.t(N_("Level")), ctx.t(N_("Region")), ctx.t(N_("Store code")), ctx.t(N_("Store")),
                ctx.t(N_("From")), ctx.t(N_("To")), ctx.t(N_("Currency")), *_headers(ctx, surveys)])
    levels = {"store": N_("store"), "region": N_("region"), "chain": N_("chain")}
    lines = [*data.stores, *data.regions] + ([data.chain] if len(data.regions) > 1 else [])
    for line in lines:
        name = line.name if line.level == "store" else ""
        w.writerow([ctx.t(levels[line.level]), csvsafe.cell(line.region or ""), csvsafe.cell(line.code),
                    csvsafe.cell(name),
                    first.isoformat(), last.isoformat(), _currency(line.tally),
                    *_cells(ctx, line.tally, surveys, csv_mode=True).values])
    name = f"orchard-figures-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), 200, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"})
