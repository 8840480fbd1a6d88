"""Readiness for the interview: how much of the target set will be mature by then.

The model, kept simple on purpose:
1. Pace: the average daily study minutes of the last 14 days (the timed seconds of each
   grade, or where untimed the planner's estimate: a card's minutes the first time, the
   review time after). The window ends today
   if today already has grades, else yesterday, and never starts before the first grade.
2. Projection: the planner is run day by day from today to the eve of the interview with
   that many minutes a day, every planned card graded "good" (4), exactly as `studyplan
   week` assumes. Cards of the target set (new_cards.in_target_set) whose SM-2 interval is then
   >= 21 days count as mature.
3. Reachable: the same run with no time limit (1440 minutes a day). Cards introduced in
   the last three weeks or so cannot mature, so this can fall short of the whole set.
4. Goal: 90% of the reachable count (never less than what is mature now). The last tenth
   comes from cramming every capped review into the final days, which costs hours a day.
5. Minutes needed: the smallest daily budget, in 5-minute steps, whose run reaches the
   goal, searched up from the current pace (assuming more minutes never mature fewer cards).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from studyplan.core.budget_search import smallest_budget
from studyplan.core.model import Card
from studyplan.core.new_cards import in_target_set
from studyplan.core.plan import GradeToday
from studyplan.core.planner import simulate
from studyplan.core.progress.stats import MATURE_INTERVAL
from studyplan.core.records import LoggedGrade
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState

PACE_DAYS = 14
MAX_MINUTES = 1440
GOAL_SHARE = (9, 10)  # of the reachable count
ASSUMPTION = (
    "the planner runs every day until the interview with this many minutes, "
    "each planned card graded good (4)"
)


@dataclass(frozen=True, slots=True)
class Pace:
    minutes_per_day: int
    days: int  # the window the average is taken over (0: no history yet)


@dataclass(frozen=True, slots=True)
class Readiness:
    interview_date: date
    days_left: int
    target_cards: int
    mature_now: int
    pace_minutes: int
    pace_days: int
    projected_mature: int  # at the current pace
    reachable_mature: int  # with unlimited minutes
    goal_mature: int  # 90% of reachable
    minutes_needed: int  # daily minutes that reach `goal_mature`

    @property
    def projected_share(self) -> float:
        return self.projected_mature / self.target_cards if self.target_cards else 0.0


def study_pace(
    reviews: Sequence[LoggedGrade],
    cards: Sequence[Card],
    today: date,
    first_day: date | None,
    times: ReviewTimes | None = None,
) -> Pace:
    """Average daily minutes over the last PACE_DAYS days (see the module docstring).

    `reviews` must cover the window; `first_day` is the day of the first grade ever.
    """
    if first_day is None or first_day > today:
        return Pace(0, 0)
    times = ReviewTimes() if times is None else times
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
    days = (last - first).days + 1
    return Pace(round(spent / days), days)


def mature_after(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    grades_today: Sequence[GradeToday],
    settings: Settings,
    today: date,
    minutes: int,
    times: ReviewTimes | None = None,
) -> int:
    """Target cards mature on the interview day if the planner runs with `minutes` a day."""
    interview = settings.interview_date
    assert interview is not None and interview > today
    paced = replace(settings, minutes_per_day=minutes)
    days = (interview - today).days
    final = simulate(cards, states, grades_today, paced, today, days, times).states
    return _mature(cards, final, settings)


def _mature(cards: Sequence[Card], states: Mapping[str, CardState], settings: Settings) -> int:
    return sum(
        1
        for card in cards
        if in_target_set(card, settings)
        and card.id in states
        and states[card.id].interval >= MATURE_INTERVAL
    )


def readiness(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    grades_today: Sequence[GradeToday],
    settings: Settings,
    today: date,
    pace: Pace,
    times: ReviewTimes | None = None,
) -> Readiness | None:
    """None when no interview date lies ahead."""
    interview = settings.interview_date
    if interview is None or interview <= today:
        return None

    def run(minutes: int) -> int:
        return mature_after(cards, states, grades_today, settings, today, minutes, times)

    reachable = run(MAX_MINUTES)
    projected = run(pace.minutes_per_day)
    mature_now = _mature(cards, states, settings)
    share, whole = GOAL_SHARE
    goal = max(mature_now, -(-reachable * share // whole))
    # The run at the current pace already tells on which side of it the answer lies.
    pace_minutes = min(pace.minutes_per_day, MAX_MINUTES)
    bounds = (0, pace_minutes) if projected >= goal else (pace_minutes + 1, MAX_MINUTES)
    return Readiness(
        interview_date=interview,
        days_left=(interview - today).days,
        target_cards=sum(1 for card in cards if in_target_set(card, settings)),
        mature_now=mature_now,
        pace_minutes=pace.minutes_per_day,
        pace_days=pace.days,
        projected_mature=projected,
        reachable_mature=reachable,
        goal_mature=goal,
        minutes_needed=smallest_budget(lambda minutes: run(minutes) >= goal, *bounds),
    )
