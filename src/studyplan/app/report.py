"""`studyplan stats`: the report's data read from a workspace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.app.marks import study_set
from studyplan.app.study import review_times
from studyplan.app.workspace import Workspace
from studyplan.core.forecast import Readiness
from studyplan.core.model import Card
from studyplan.core.progress.heatmap import HEATMAP_WEEKS
from studyplan.core.progress.pace import PACE_DAYS, Pace
from studyplan.core.progress.report import StatsReport, build_report, report_readiness
from studyplan.core.progress.stats import RETENTION_DAYS
from studyplan.core.records import LoggedGrade
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings, check_stored_interview
from studyplan.core.srs.card_state import CardState


@dataclass(frozen=True, slots=True)
class StatsInputs:
    """What the report reads from the workspace, read once; the rest is pure computation,
    which may run on another thread."""

    cards: Sequence[Card]
    states: Mapping[str, CardState]
    reviews: Sequence[LoggedGrade]
    counts_by_day: Mapping[date, int]
    settings: Settings
    today: date
    times: ReviewTimes


def stats_inputs(workspace: Workspace, today: date) -> StatsInputs:
    store = workspace.store
    settings = workspace.settings()
    check_stored_interview(settings, today)  # readiness plans every day up to it
    first = today - timedelta(days=max(RETENTION_DAYS, PACE_DAYS))
    cards, states = study_set(workspace.cards, store.states(), store.marks())
    return StatsInputs(
        cards,
        states,
        store.reviews_between(first, today),
        store.review_counts_by_day(today),
        settings,
        today,
        review_times(workspace, today),
    )


def report_from(
    given: StatsInputs, heatmap_weeks: int = HEATMAP_WEEKS, with_readiness: bool = True
) -> StatsReport:
    return build_report(
        given.cards,
        given.states,
        given.reviews,
        given.counts_by_day,
        given.settings,
        given.today,
        given.times,
        heatmap_weeks,
        with_readiness,
    )


def readiness_from(given: StatsInputs, pace: Pace) -> Readiness | None:
    """The report's readiness alone (its slowest part), from inputs already read."""
    return report_readiness(
        given.cards, given.states, given.settings, given.today, pace, given.times
    )


def stats_for(workspace: Workspace, today: date) -> StatsReport:
    return report_from(stats_inputs(workspace, today))
