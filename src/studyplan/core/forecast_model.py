"""The arithmetic behind the forecast: the days to the interview run on totals.

Each day has its budget (`Settings.minutes_on`: none on a day off); the reviews falling due
that day come first (every card recalled, as SM-2 schedules it after a "good" grade: 1, 6,
then about 2.5 times the last interval, moved before the interview as the planner moves it),
reviews a day off or a full day cannot hold wait for the next day, and new cards follow in
the planner's order while they fit, each with the re-drill it will likely bring. It is the
planner's arithmetic on totals rather than card by card, so it is fast enough for `today`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.model import Card
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState, cap_before_interview
from studyplan.core.srs.sm2 import Quality, Sm2State, review


@dataclass(frozen=True, slots=True)
class Days:
    """The days from `first` to the interview: which are off, and which keep their own
    weekday minutes whatever minutes-per-day is (None: they follow it)."""

    first: date
    interview: date
    off: tuple[bool, ...]
    own_minutes: tuple[int | None, ...]

    def budgets(self, minutes_per_day: int) -> list[int]:
        return [
            0 if off else (minutes_per_day if own is None else own)
            for off, own in zip(self.off, self.own_minutes, strict=True)
        ]


def days_to(settings: Settings, first: date, interview: date) -> Days:
    span = [first + timedelta(days=n) for n in range((interview - first).days)]
    return Days(
        first,
        interview,
        tuple(settings.is_day_off(day) for day in span),
        tuple(settings.weekday_minutes.get(day.weekday()) for day in span),
    )


def review_days(sm2: Sm2State, first: date, interview: date) -> tuple[list[date], int]:
    """The days a card is reviewed until the interview, each review graded "good", from a
    review due on `first`; and its interval on the interview day."""
    days: list[date] = []
    day, state = first, sm2
    while day < interview:
        days.append(day)
        state = review(state, Quality.GOOD)
        day = cap_before_interview(day + timedelta(days=state.interval), day, interview)
        if day <= days[-1]:
            break  # capped to the same day: the last review before the interview
    return days, state.interval


@dataclass(frozen=True, slots=True)
class Load:
    """What the cards already learned bring: review minutes per day, and their intervals on
    the interview day."""

    minutes: Mapping[date, float]
    intervals: Mapping[str, int]


def learned_load(
    states: Mapping[str, CardState],
    by_id: Mapping[str, Card],
    today: date,
    interview: date,
    times: ReviewTimes,
) -> Load:
    """A card overdue today counts today; one whose next review SM-2 puts after the
    interview (and the planner does not bring forward) brings none."""
    minutes: dict[date, float] = {}
    intervals: dict[str, int] = {}
    for card_id, state in states.items():
        card = by_id.get(card_id)
        if card is None:
            continue
        cost = times.review_minutes(card) + times.review_redrill(card)
        days, intervals[card_id] = review_days(state.sm2, max(today, state.due), interview)
        for day in days:
            minutes[day] = minutes.get(day, 0.0) + cost
    return Load(minutes, intervals)


@dataclass(frozen=True, slots=True)
class Costs:
    """Per card: the minutes its first study books (with its likely re-drill), and each of
    its reviews."""

    first: Mapping[str, float]
    review: Mapping[str, float]
    smallest: float


def costs_of(order: Sequence[Card], times: ReviewTimes) -> Costs:
    first = {card.id: card.minutes + times.new_redrill(card) for card in order}
    review_cost = {
        card.id: times.review_minutes(card) + times.review_redrill(card) for card in order
    }
    return Costs(first, review_cost, min(first.values(), default=0.0))


@dataclass(frozen=True, slots=True)
class Run:
    """One run of the days: the day each card was introduced, and its interval on the
    interview day."""

    introduced: dict[str, date]
    intervals: dict[str, int]


def run_days(
    order: Sequence[Card],
    load: Load,
    budgets: Sequence[int],
    days: Days,
    deadline: date,
    new_per_day: int,
    costs: Costs,
) -> Run:
    """The cards of `order` introduced first-fit day by day up to `deadline`."""
    minutes = dict(load.minutes)
    waiting = [card.id for card in order]
    introduced: dict[str, date] = {}
    intervals: dict[str, int] = {}
    learned = review(Sm2State(), Quality.GOOD)  # a new card's state after its first study
    after_learning: dict[date, tuple[list[date], int]] = {}
    carried = 0.0  # review minutes a day off or a full day left for the next day
    for offset, budget in enumerate(budgets):
        day = days.first + timedelta(days=offset)
        if day > deadline or not waiting:
            break
        due = minutes.get(day, 0.0) + carried
        if budget <= 0:
            carried = due
            continue
        room = budget - due
        carried = max(0.0, -room)
        taken = 0
        kept: list[str] = []
        for position, card_id in enumerate(waiting):
            if taken >= new_per_day or room < costs.smallest:
                kept.extend(waiting[position:])
                break
            if costs.first[card_id] <= room:
                room -= costs.first[card_id]
                taken += 1
                introduced[card_id] = day
                if day not in after_learning:
                    start = day + timedelta(days=1)
                    after_learning[day] = review_days(learned, start, days.interview)
                review_on, intervals[card_id] = after_learning[day]
                for review_day in review_on:
                    minutes[review_day] = minutes.get(review_day, 0.0) + costs.review[card_id]
            else:
                kept.append(card_id)
        waiting = kept
    return Run(introduced, intervals)
