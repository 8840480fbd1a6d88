"""`studyplan stats`: the report's data read from a workspace."""

from __future__ import annotations

from datetime import date, timedelta

from studyplan.app.study import review_times
from studyplan.app.workspace import Workspace
from studyplan.core.progress.pace import PACE_DAYS
from studyplan.core.progress.report import StatsReport, build_report
from studyplan.core.progress.stats import RETENTION_DAYS
from studyplan.core.settings import check_stored_interview


def stats_for(workspace: Workspace, today: date) -> StatsReport:
    store = workspace.store
    settings = workspace.settings()
    check_stored_interview(settings, today)  # readiness plans every day up to it
    first = today - timedelta(days=max(RETENTION_DAYS, PACE_DAYS))
    return build_report(
        workspace.cards,
        store.states(),
        store.reviews_between(first, today),
        store.review_counts_by_day(today),
        settings,
        today,
        review_times(workspace, today),
    )
