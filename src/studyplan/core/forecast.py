"""What fits before the interview: how many of the cards that matter can be learned at a
daily budget, by when each group is done, and what budget each group needs.

The cards that matter are the target set in the planner's order: the target companies'
cards, then core, common and deep. The forecast runs the days from today to the last day
for new cards (a week before the interview), each with the daily budget: first the reviews
falling due (every card recalled, as SM-2 schedules it after a "good" grade: 1, 6, then
about 2.5 times the last interval, never past the interview), then new cards in the
planner's order while they fit, each with the re-drill it will likely bring. It is the
planner's arithmetic on totals rather than card by card, so it is fast enough for `today`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from studyplan.core.budget_search import smallest_budget
from studyplan.core.model import Card, Priority
from studyplan.core.new_cards import new_card_order, new_cards_until, target_pool, track_weights_for
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState, cap_before_interview
from studyplan.core.srs.sm2 import Quality, Sm2State, review

MAX_MINUTES = 600  # beyond ten hours a day, "needs more than 600" says enough


class Group(StrEnum):
    COMPANIES = "your companies"
    CORE = "core"
    COMMON = "common"
    DEEP = "deep"


@dataclass(frozen=True, slots=True)
class GroupForecast:
    """How one group of cards fares at the budget, and the budget that learns it all."""

    group: Group
    cards: int  # still to learn
    learned: int  # of those, introduced by the deadline at the budget
    done_on: date | None  # the day the last one comes, if it comes by the deadline
    minutes_needed: int | None  # daily budget that learns them all (None: over MAX_MINUTES)


@dataclass(frozen=True, slots=True)
class Forecast:
    """What fits before the interview at a daily budget, in total and by group."""

    minutes_per_day: int
    interview_date: date
    deadline: date  # the last day for new cards
    matter: int  # every card of the target set, learned or not
    known: int  # already learned
    learnable: int  # still to learn and introduced by the deadline at the budget
    groups: tuple[GroupForecast, ...]


def group_of(card: Card, settings: Settings) -> Group:
    if set(card.companies) & set(settings.companies):
        return Group.COMPANIES
    return {Priority.CORE: Group.CORE, Priority.COMMON: Group.COMMON}.get(card.priority, Group.DEEP)


def forecast(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    times: ReviewTimes,
    minutes: int | None = None,
) -> Forecast | None:
    """None without an interview date at least a week away (no new cards come then)."""
    interview = settings.interview_date
    if interview is None:
        return None
    deadline = new_cards_until(interview)
    if deadline < today:
        return None
    budget = settings.minutes_per_day if minutes is None else minutes
    pool = target_pool(cards, settings)
    weights = track_weights_for(pool, states, settings, today, max(1, budget))
    order = new_card_order(pool, states, weights, today)
    by_id = {card.id: card for card in cards}
    reviews = _review_load(states, by_id, today, interview, times)
    costs = _costs(order, times)

    def run(minutes: int) -> dict[str, date]:
        return _simulate(
            order, reviews, minutes, settings.new_per_day, today, deadline, interview, costs
        )

    introduced = run(budget)
    members_of: dict[Group, list[Card]] = {}
    for card in order:
        members_of.setdefault(group_of(card, settings), []).append(card)
    groups = []
    for group in Group:
        members = members_of.get(group, [])
        if not members:
            continue
        days = [introduced[card.id] for card in members if card.id in introduced]
        done = max(days) if len(days) == len(members) else None

        def learns_all(minutes: int, members: list[Card] = members) -> bool:
            got = run(minutes)
            return all(card.id in got for card in members)

        needed = budget if done is not None else _smallest_budget(learns_all, budget)
        groups.append(GroupForecast(group, len(members), len(days), done, needed))
    return Forecast(
        minutes_per_day=budget,
        interview_date=interview,
        deadline=deadline,
        matter=len(pool),
        known=sum(1 for card in pool if card.id in states),
        learnable=len(introduced),
        groups=tuple(groups),
    )


def _review_load(
    states: Mapping[str, CardState],
    by_id: Mapping[str, Card],
    today: date,
    interview: date,
    times: ReviewTimes,
) -> dict[date, float]:
    """Review minutes falling due each day until the interview from the cards already learned
    (a card overdue today counts today)."""
    load: dict[date, float] = {}
    for card_id, state in states.items():
        card = by_id.get(card_id)
        if card is None:
            continue
        cost = times.review_minutes(card) + times.review_redrill(card)
        due = max(today, state.due)
        for day in _review_days(state.sm2, due, today, interview):
            load[day] = load.get(day, 0.0) + cost
    return load


def _review_days(sm2: Sm2State, first: date, today: date, interview: date) -> list[date]:
    """The days a card is reviewed until the interview, each review graded "good"."""
    days = []
    day, state = first, sm2
    while day < interview:
        days.append(day)
        state = review(state, Quality.GOOD)
        day = cap_before_interview(day + timedelta(days=state.interval), day, interview)
        if day <= days[-1]:
            break  # capped to the same day: the last review before the interview
    return days


@dataclass(frozen=True, slots=True)
class _Costs:
    """Per card: the minutes its first study books (with its likely re-drill), and the
    review days and minutes it then brings if introduced on a given day."""

    first: Mapping[str, float]
    review: Mapping[str, float]
    smallest: float


def _costs(order: Sequence[Card], times: ReviewTimes) -> _Costs:
    first = {card.id: card.minutes + times.new_redrill(card) for card in order}
    review_cost = {
        card.id: times.review_minutes(card) + times.review_redrill(card) for card in order
    }
    return _Costs(first, review_cost, min(first.values(), default=0.0))


def _simulate(
    order: Sequence[Card],
    reviews: Mapping[date, float],
    budget: int,
    new_per_day: int,
    today: date,
    deadline: date,
    interview: date,
    costs: _Costs,
) -> dict[str, date]:
    """The day each card of `order` is introduced at `budget` minutes a day (first fit)."""
    load = dict(reviews)
    waiting = [card.id for card in order]
    introduced: dict[str, date] = {}
    learned = review(Sm2State(), Quality.GOOD)  # a new card's state after its first study
    after_learning: dict[date, list[date]] = {}  # review days of a card introduced that day
    day = today
    while day <= deadline and waiting:
        room = budget - load.get(day, 0.0)
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
                    after_learning[day] = _review_days(learned, start, today, interview)
                for review_day in after_learning[day]:
                    load[review_day] = load.get(review_day, 0.0) + costs.review[card_id]
            else:
                kept.append(card_id)
        waiting = kept
        day += timedelta(days=1)
    return introduced


def _smallest_budget(learns_all: Callable[[int], bool], above: int) -> int | None:
    """The smallest multiple of MINUTES_STEP above `above` for which `learns_all` holds;
    None when even MAX_MINUTES does not (checked only when the search ends there)."""
    if above >= MAX_MINUTES:
        return None
    found = smallest_budget(learns_all, above + 1, MAX_MINUTES)
    return None if found >= MAX_MINUTES and not learns_all(MAX_MINUTES) else found
