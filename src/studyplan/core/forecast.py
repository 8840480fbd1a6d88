"""What fits before the interview: one model behind `today`, `stats` and the HTML report.

The cards that matter are the target set in the planner's order: the target companies'
cards, then core, common and deep, tracks taking turns. The model (`forecast_model`) runs
the days from today to the interview on totals, each with its budget (days off have none):
reviews first, then new cards up to the last day for new cards. From its runs come:

- the forecast at the daily budget: how many cards can still be learned, by when each group
  is done, and for a group that is not, the smallest budget that would learn it all (never
  advice above MAX_ADVICE_MINUTES a day: above it, or when new-per-day is what stops it,
  the forecast says so instead);
- readiness: the target cards mature (interval of MATURE_INTERVAL days or more) on the
  interview day at the candidate's pace, at most (any budget), and the budget that reaches
  90% of that most.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from studyplan.core.budget_search import smallest_budget
from studyplan.core.forecast_model import (
    Costs,
    Days,
    Load,
    Run,
    costs_of,
    days_to,
    learned_load,
    run_days,
)
from studyplan.core.model import Card, Priority
from studyplan.core.new_cards import new_card_order, new_cards_until, target_pool, track_weights_for
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import MATURE_INTERVAL, CardState
from studyplan.core.study_days import MINUTES_IN_A_DAY

MAX_ADVICE_MINUTES = 240  # a daily budget above four hours is advice nobody can take
GOAL_SHARE = (9, 10)  # readiness aims at this share of the most that can mature
ASSUMPTION = (
    "this many minutes every study day until the interview (none on days off), reviews "
    "first, then new cards in the plan's order, each card graded good (4)"
)


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
    minutes_needed: int | None  # daily budget that learns them all (None: none up to the limit)
    new_per_day_bound: bool = False  # no budget at all learns them: new-per-day is too low


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
    first_day: date  # today
    study_days: int  # days with study from today to the deadline
    new_per_day: int
    mature_now: int
    mature_by_interview: int  # at the budget


@dataclass(frozen=True, slots=True)
class Readiness:
    """Target cards mature on the interview day, by the same model as the forecast."""

    interview_date: date
    days_left: int
    target_cards: int
    mature_now: int
    pace_minutes: int
    pace_days: int
    projected_mature: int  # at the pace
    reachable_mature: int  # with no limit on minutes
    goal_mature: int  # GOAL_SHARE of reachable, never below mature_now
    minutes_needed: int | None  # daily minutes that reach the goal (None: over the limit)

    @property
    def projected_share(self) -> float:
        return self.projected_mature / self.target_cards if self.target_cards else 0.0


def group_of(card: Card, settings: Settings) -> Group:
    if set(card.companies) & set(settings.companies):
        return Group.COMPANIES
    return {Priority.CORE: Group.CORE, Priority.COMMON: Group.COMMON}.get(card.priority, Group.DEEP)


@dataclass(frozen=True, slots=True)
class _Model:
    """Everything a run needs, computed once: runs differ only in the daily budget."""

    pool: Sequence[Card]
    order: Sequence[Card]
    load: Load
    days: Days
    deadline: date
    new_per_day: int
    costs: Costs

    def run(self, minutes: int) -> Run:
        budgets = self.days.budgets(minutes)
        return run_days(
            self.order, self.load, budgets, self.days, self.deadline, self.new_per_day, self.costs
        )

    def mature(self, run: Run) -> int:
        return sum(
            1
            for card in self.pool
            if max(self.load.intervals.get(card.id, 0), run.intervals.get(card.id, 0))
            >= MATURE_INTERVAL
        )


def _model(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    times: ReviewTimes,
    budget: int,
) -> _Model | None:
    interview = settings.interview_date
    if interview is None or interview <= today:
        return None
    pool = target_pool(cards, settings)
    weights = track_weights_for(pool, states, settings, today, max(1, budget))
    order = new_card_order(pool, states, weights, today)
    by_id = {card.id: card for card in cards}
    return _Model(
        pool,
        order,
        learned_load(states, by_id, today, interview, times),
        days_to(settings, today, interview),
        new_cards_until(interview),
        settings.new_per_day,
        costs_of(order, times),
    )


def forecast(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    times: ReviewTimes,
    minutes: int | None = None,
) -> Forecast | None:
    """None without an interview date whose last day for new cards is today or later."""
    budget = settings.minutes_per_day if minutes is None else minutes
    model = _model(cards, states, settings, today, times, budget)
    if model is None or model.deadline < today:
        return None
    at_budget = model.run(budget)
    introduced = at_budget.introduced
    members_of: dict[Group, list[Card]] = {}
    for card in model.order:
        members_of.setdefault(group_of(card, settings), []).append(card)
    groups = []
    for group in Group:
        members = members_of.get(group, [])
        if not members:
            continue
        days = [introduced[card.id] for card in members if card.id in introduced]
        done = max(days) if len(days) == len(members) else None

        def learns_all(minutes: int, members: list[Card] = members) -> bool:
            got = model.run(minutes).introduced
            return all(card.id in got for card in members)

        needed: int | None = budget
        bound = False
        if done is None:
            needed = _smallest_budget(learns_all, budget)
            bound = needed is None and not learns_all(MINUTES_IN_A_DAY)
        groups.append(GroupForecast(group, len(members), len(days), done, needed, bound))
    return Forecast(
        minutes_per_day=budget,
        interview_date=model.days.interview,
        deadline=model.deadline,
        matter=len(model.pool),
        known=sum(1 for card in model.pool if card.id in states),
        learnable=len(introduced),
        groups=tuple(groups),
        first_day=today,
        study_days=settings.study_days(today, model.deadline),
        new_per_day=settings.new_per_day,
        mature_now=_mature_now(model.pool, states),
        mature_by_interview=model.mature(at_budget),
    )


def readiness(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    times: ReviewTimes,
    pace_minutes: int,
    pace_days: int,
) -> Readiness | None:
    """None when no interview date lies ahead."""
    model = _model(cards, states, settings, today, times, max(1, pace_minutes))
    if model is None:
        return None

    def mature_at(minutes: int) -> int:
        return model.mature(model.run(minutes))

    now = _mature_now(model.pool, states)
    reachable = mature_at(MINUTES_IN_A_DAY)
    projected = mature_at(pace_minutes)
    share, whole = GOAL_SHARE
    goal = max(now, -(-reachable * share // whole))
    needed: int | None = min(pace_minutes, MAX_ADVICE_MINUTES)
    if projected < goal:
        needed = _smallest_budget(lambda minutes: mature_at(minutes) >= goal, pace_minutes)
    return Readiness(
        interview_date=model.days.interview,
        days_left=(model.days.interview - today).days,
        target_cards=len(model.pool),
        mature_now=now,
        pace_minutes=pace_minutes,
        pace_days=pace_days,
        projected_mature=projected,
        reachable_mature=reachable,
        goal_mature=goal,
        minutes_needed=needed,
    )


def _mature_now(pool: Sequence[Card], states: Mapping[str, CardState]) -> int:
    return sum(
        1 for card in pool if card.id in states and states[card.id].interval >= MATURE_INTERVAL
    )


def _smallest_budget(reaches: Callable[[int], bool], above: int) -> int | None:
    """The smallest budget in five-minute steps above `above` for which `reaches` holds;
    None when even MAX_ADVICE_MINUTES does not."""
    if above >= MAX_ADVICE_MINUTES or not reaches(MAX_ADVICE_MINUTES):
        return None
    return smallest_budget(reaches, above + 1, MAX_ADVICE_MINUTES)
