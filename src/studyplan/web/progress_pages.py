"""Looking ahead and back: the week as a calendar grid, the stats as charts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from studyplan.app import study
from studyplan.app.report import stats_for
from studyplan.core.forecast_words import forecast_lines
from studyplan.core.plan import ItemKind, Stage, tracks_of
from studyplan.core.progress.stats import MATURE_INTERVAL, RETENTION_DAYS
from studyplan.web import charts
from studyplan.web.context import Site
from studyplan.web.templating import page

HEATMAP_WEEKS = 53  # a year on the page (the terminal shows 12 weeks)
WEEK_ASSUMPTION = "each planned card graded good (4) on its day"


async def week(request: Request) -> Response:
    site: Site = request.app.state.site
    day = site.day()
    plans = study.week_plans(site.workspaces.current(), day)
    return page(
        request,
        "week.html",
        title="Week",
        days=charts.day_loads(plans, day),
        tracks_of=tracks_of,
        kinds=ItemKind,
        after_interview=Stage.AFTER_INTERVIEW,
        assumption=WEEK_ASSUMPTION,
    )


async def stats(request: Request) -> Response:
    site: Site = request.app.state.site
    report = stats_for(site.workspaces.current(), site.day(), HEATMAP_WEEKS)
    return page(
        request,
        "stats.html",
        title="Stats",
        report=report,
        heatmap=charts.heatmap_chart(report.heatmap),
        tracks=charts.progress_bars(report.tracks),
        companies=charts.progress_bars(report.companies),
        forecast=charts.forecast_bars(report.forecast) if report.forecast else (),
        forecast_lines=forecast_lines(report.forecast) if report.forecast else [],
        bar_left=charts.BAR_LEFT,
        bar_width=charts.BAR_WIDTH,
        row=charts.ROW,
        mature_interval=MATURE_INTERVAL,
        retention_days=RETENTION_DAYS,
    )
