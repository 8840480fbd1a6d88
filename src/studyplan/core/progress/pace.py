"""The candidate's pace: the average daily study minutes of the last PACE_DAYS days.

Each grade counts its timed seconds, or where untimed the planner's estimate (a card's
minutes the first time, the review time after). The window ends today if today already has
grades, else yesterday, and never starts before the first grade; days off (`config
days-off`, a weekday at 0 minutes) are not counted, so a holiday does not lower the pace of
the days that are studied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.model import Card
from studyplan.core.records import LoggedGrade
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings

PACE_DAYS = 14


@dataclass(frozen=True, slots=True)
class Pace:
    minutes_per_day: int
    days: int  # the study days the average is taken over (0: no history yet)


def study_pace(
    reviews: Sequence[LoggedGrade],
    cards: Sequence[Card],
    today: date,
    first_day: date | None,
    times: ReviewTimes | None = None,
    settings: Settings | None = None,
) -> Pace:
    """`reviews` must cover the window; `first_day` is the day of the first grade ever."""
    if first_day is None or first_day > today:
        return Pace(0, 0)
    times = ReviewTimes() if times is None else times
    settings = Settings() if settings is None else settings
    by_id = {card.id: card for card in cards}
    last = today if any(r.day == today for r in reviews) else today - timedelta(days=1)
    first = max(last - timedelta(days=PACE_DAYS - 1), first_day)
    if last < first:
        return Pace(0, 0)
    spent = 0.0
    for r in reviews:
        card = by_id.get(r.card_id)
        if first <= r.day <= last and card is not None:
            if r.seconds is not None:
                spent += r.seconds / 60
            else:
                spent += card.minutes if r.first else times.review_minutes(card)
    days = max(1, settings.study_days(first, last))
    return Pace(round(spent / days), days)
