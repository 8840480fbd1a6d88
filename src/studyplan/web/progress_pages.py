"""Looking ahead and back: the week as a calendar grid, the stats as charts."""

from __future__ import annotations

from datetime import date

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from studyplan.app import study
from studyplan.app.report import StatsInputs, readiness_from, report_from, stats_inputs
from studyplan.app.workspace import Workspace
from studyplan.core.forecast import Readiness
from studyplan.core.forecast_words import forecast_lines, readiness_lines
from studyplan.core.plan import ItemKind, Stage, tracks_of
from studyplan.core.progress.report import StatsReport
from studyplan.core.progress.stats import RETENTION_DAYS
from studyplan.core.srs.card_state import MATURE_INTERVAL
from studyplan.web import charts
from studyplan.web.context import Site
from studyplan.web.templating import page

HEATMAP_WEEKS = 53  # a year on the page (the terminal shows 12 weeks)
WEEK_ASSUMPTION = "each planned card graded good (4) on its day"


async def week(request: Request) -> Response:
    site: Site = request.app.state.site
    day = site.day()
    workspace = site.workspaces.current()
    plans = site.remembered("week", lambda: study.week_plans(workspace, day))
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
    """The stats at once; readiness, which plans every day to the interview several times
    over (seconds on a large workspace), comes after the page (`readiness`)."""
    site: Site = request.app.state.site
    workspace = site.workspaces.current()
    _, report = site.remembered("stats", lambda: _report(workspace, site.day()))
    ready = site.recall("readiness")
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
        readiness=ready,
        readiness_lines=_readiness_lines(ready),
        readiness_later=ready is None and report.forecast is not None,
    )


def _report(workspace: Workspace, day: date) -> tuple[StatsInputs, StatsReport]:
    given = stats_inputs(workspace, day)
    return given, report_from(given, HEATMAP_WEEKS, with_readiness=False)


async def readiness(request: Request) -> Response:
    """The readiness part of the stats page, computed on a worker thread from inputs read
    here (a long computation does not hold up the other pages)."""
    site: Site = request.app.state.site
    workspace = site.workspaces.current()
    version = site.version()
    given, report = site.remembered("stats", lambda: _report(workspace, site.day()))
    async with site.slow_work:  # one computation at a time; a second request waits for it
        found = site.recall("readiness")
        if found is None:
            found = await anyio.to_thread.run_sync(readiness_from, given, report.pace)
            site.keep("readiness", found, version)
    lines = _readiness_lines(found)
    return page(request, "_readiness.html", readiness=found, readiness_lines=lines)


def _readiness_lines(found: object) -> list[str]:
    return readiness_lines(found) if isinstance(found, Readiness) else []
