"""Everything `studyplan stats` shows, computed in one place from the data passed in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from studyplan.core.forecast import Forecast, Readiness, forecast, readiness
from studyplan.core.model import COMPANIES, Card
from studyplan.core.progress.heatmap import HEATMAP_WEEKS, Heatmap, Streak, heatmap, streak
from studyplan.core.progress.pace import Pace, study_pace
from studyplan.core.progress.stats import (
    GroupProgress,
    WeakTopic,
    company_progress,
    group_progress,
    recall_reviews,
    retention_window,
    track_progress,
    weakest_topics,
)
from studyplan.core.records import LoggedGrade
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState


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
    reviews: Sequence[LoggedGrade],
    counts_by_day: Mapping[date, int],
    settings: Settings,
    today: date,
    times: ReviewTimes | None = None,
    heatmap_weeks: int = HEATMAP_WEEKS,
    with_readiness: bool = True,
) -> StatsReport:
    """`reviews` must cover the retention and pace windows; `counts_by_day` all history.
    Readiness, which plans every day up to the interview several times over, is left out
    (None) unless `with_readiness`; `report_readiness` computes it on its own."""
    recall = recall_reviews(reviews, *retention_window(today))
    first_day = min(counts_by_day, default=None)
    times = ReviewTimes() if times is None else times
    pace = study_pace(reviews, cards, today, first_day, times, settings)
    companies = settings.companies or COMPANIES
    return StatsReport(
        date=today,
        overall=group_progress("all", cards, states, recall),
        tracks=tuple(track_progress(cards, states, recall)),
        companies=tuple(company_progress(cards, states, recall, companies)),
        companies_are_targets=bool(settings.companies),
        weakest=tuple(weakest_topics(cards, states, recall)),
        pace=pace,
        readiness=(
            report_readiness(cards, states, settings, today, pace, times)
            if with_readiness
            else None
        ),
        heatmap=heatmap(counts_by_day, today, heatmap_weeks),
        streak=streak(counts_by_day, today),
        review_times=times,
        forecast=forecast(cards, states, settings, today, times),
    )


def report_readiness(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    pace: Pace,
    times: ReviewTimes | None = None,
) -> Readiness | None:
    """The report's readiness for the interview (None without an interview date ahead), by
    the forecast's model at the candidate's pace."""
    times = ReviewTimes() if times is None else times
    return readiness(cards, states, settings, today, times, pace.minutes_per_day, pace.days)
