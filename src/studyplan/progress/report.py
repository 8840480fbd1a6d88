"""Everything `studyplan stats` shows, computed in one place from the workspace's data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from studyplan.content.model import COMPANIES, Card
from studyplan.forecast import Forecast, forecast
from studyplan.planner import GradeToday
from studyplan.progress.heatmap import Heatmap, Streak, heatmap, streak
from studyplan.progress.readiness import PACE_DAYS, Pace, Readiness, readiness, study_pace
from studyplan.progress.stats import (
    RETENTION_DAYS,
    GroupProgress,
    WeakTopic,
    company_progress,
    group_progress,
    recall_reviews,
    retention_window,
    track_progress,
    weakest_topics,
)
from studyplan.review_time import ReviewTimes
from studyplan.settings import Settings, check_stored_interview
from studyplan.srs.card_state import CardState
from studyplan.store import LoggedReview
from studyplan.study import review_times
from studyplan.workspace import Workspace


@dataclass(frozen=True, slots=True)
class StatsReport:
    date: date
    overall: GroupProgress
    tracks: tuple[GroupProgress, ...]
    companies: tuple[GroupProgress, ...]
    companies_are_targets: bool  # False: no targets set, so every company is shown
    weakest: tuple[WeakTopic, ...]
    pace: Pace
    readiness: Readiness | None
    heatmap: Heatmap
    streak: Streak
    review_times: ReviewTimes = field(default_factory=ReviewTimes)
    forecast: Forecast | None = None


def build_report(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    reviews: Sequence[LoggedReview],
    counts_by_day: Mapping[date, int],
    settings: Settings,
    today: date,
    times: ReviewTimes | None = None,
) -> StatsReport:
    """`reviews` must cover the retention and pace windows; `counts_by_day` all history."""
    recall = recall_reviews(reviews, *retention_window(today))
    first_day = min(counts_by_day, default=None)
    times = ReviewTimes() if times is None else times
    pace = study_pace(reviews, cards, today, first_day, times)
    grades_today = [GradeToday(r.card_id, r.quality) for r in reviews if r.day == today]
    companies = settings.companies or COMPANIES
    return StatsReport(
        date=today,
        overall=group_progress("all", cards, states, recall),
        tracks=tuple(track_progress(cards, states, recall)),
        companies=tuple(company_progress(cards, states, recall, companies)),
        companies_are_targets=bool(settings.companies),
        weakest=tuple(weakest_topics(cards, states, recall)),
        pace=pace,
        readiness=readiness(cards, states, grades_today, settings, today, pace, times),
        heatmap=heatmap(counts_by_day, today),
        streak=streak(counts_by_day, today),
        review_times=times,
        forecast=forecast(cards, states, settings, today, times),
    )


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
