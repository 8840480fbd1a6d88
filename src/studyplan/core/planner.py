"""Today's and the coming days' study plans. Pure: cards, states and settings in, plans out.

A day's plan is filled in this order inside the day's minutes (`Settings.minutes_on`: the
weekday's minutes or minutes-per-day, none on a day off), each item charged what it really
costs (a new card its `minutes`, a review or re-drill the learned review time) plus the
re-drills it is expected to bring (SM-2 repeats a card graded below 4 the same day):
1. re-drills: of cards graded below 4 today (SM-2 step 7), and of cards failed on an earlier
   day whose re-drill never came; planned even past the budget, so a failed card is never
   lost;
2. due reviews, most overdue relative to their interval first (in the interview's final
   week: weakest first); what does not fit is deferred, most at-risk first the next day;
3. new cards, only when no review was deferred, in the order of the target set: the target
   companies' cards, then core, common and deep; tracks take turns so that each one's share
   of new-card minutes over the last seven days follows its weight, and the company track
   speeds up (within ten points of its share) to have every target company's card
   introduced a week before the interview;
4. in the interview's final week no new cards: the reviews SM-2 would give after the
   interview come forward, spread over the study days left (`final_days`), then spare
   minutes go to early reviews of the weakest cards.
On a day off nothing is planned (but the re-drills of cards failed that day). On the
interview day only a short warm-up is planned, at most INTERVIEW_DAY_MINUTES with what was
already studied that day, nothing after it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.final_days import plan_refreshes
from studyplan.core.model import Card
from studyplan.core.new_cards import new_cards_until, plan_new_cards, target_pool
from studyplan.core.plan import DayBudget, GradeToday, ItemKind, Plan, PlanItem, Stage, plan_item
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import (
    LAST_REVIEW_DAYS,
    CardState,
    apply_grade,
    needs_drill,
    waits_for_final_days,
)
from studyplan.core.srs.sm2 import INITIAL_EASINESS, Quality

INTERVIEW_DAY_MINUTES = 15  # the warm-up on the day itself, with what was already done


def stage_of(today: date, interview: date | None) -> Stage:
    if interview is None:
        return Stage.STUDY
    days_left = (interview - today).days
    if days_left < 0:
        return Stage.AFTER_INTERVIEW
    if days_left == 0:
        return Stage.INTERVIEW_DAY
    return Stage.FINAL_WEEK if days_left <= LAST_REVIEW_DAYS else Stage.STUDY


def plan_day(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    grades_today: Sequence[GradeToday],
    settings: Settings,
    today: date,
    minutes: int | None = None,
    pool: Sequence[Card] | None = None,
    times: ReviewTimes | None = None,
    open_drills: Collection[str] = (),
) -> Plan:
    """The plan for `today`. `minutes` overrides the day's budget (a day off included);
    `pool` is `target_pool(cards, settings)` when the caller has it; `times` the learned
    review times (defaults until the user has timed reviews); `open_drills` the cards failed
    on an earlier day whose re-drill never came."""
    by_id = {card.id: card for card in cards}
    times = ReviewTimes() if times is None else times
    stage = stage_of(today, settings.interview_date)
    day_off = (
        minutes is None and settings.is_day_off(today) and stage in (Stage.STUDY, Stage.FINAL_WEEK)
    )
    budget = settings.minutes_on(today) if minutes is None else minutes
    if stage is Stage.INTERVIEW_DAY:
        budget = min(budget, INTERVIEW_DAY_MINUTES)
    done = minutes_done(grades_today, by_id, states, today, times)
    fill = DayBudget(left=max(0, budget - done))
    graded_today = {grade.card_id for grade in grades_today}
    drills = _drills_today(grades_today, by_id)
    drills += [by_id[i] for i in sorted(open_drills) if i in by_id and i not in graded_today]

    if day_off:  # only the re-drills of cards studied today anyway
        for card in _drills_today(grades_today, by_id):
            _take_review(fill, card, today, times)
    elif stage is Stage.INTERVIEW_DAY:  # a warm-up: nothing is booked for re-drills
        for card in drills:
            fill.offer(
                plan_item(card, ItemKind.RELEARN, times.review_minutes(card), today), defer=False
            )
        planned = {item.card_id for item in fill.items}
        for card, state in _weakest_not_due(by_id, states, today, exclude=planned):
            fill.offer(
                plan_item(card, ItemKind.REVIEW, times.review_minutes(card), state.due), defer=False
            )
    elif stage is not Stage.AFTER_INTERVIEW:
        interview = settings.interview_date
        for card in drills:
            _take_review(fill, card, today, times)
        planned = {card.id for card in drills}
        weakest_first = stage is Stage.FINAL_WEEK
        for card, state in _due_reviews(by_id, states, today, interview, weakest_first, planned):
            _offer_review(fill, card, ItemKind.REVIEW, state.due, times)
        planned = {item.card_id for item in fill.items} | {i.card_id for i in fill.deferred}
        if stage is Stage.FINAL_WEEK and interview is not None:
            plan_refreshes(fill, by_id, states, settings, today, interview, times, planned)
            planned |= {item.card_id for item in fill.items}
        new_cards = interview is None or today <= new_cards_until(interview)
        if new_cards and not fill.deferred:
            pool = target_pool(cards, settings) if pool is None else pool
            plan_new_cards(fill, pool, states, settings, today, times)
        if stage is Stage.FINAL_WEEK:
            planned |= {item.card_id for item in fill.items}
            for card, state in _weakest_not_due(by_id, states, today, planned):
                _offer_review(fill, card, ItemKind.REVIEW, state.due, times, defer=False)

    return Plan(
        date=today,
        minutes_budget=budget,
        minutes_done=done,
        minutes_planned=sum(item.minutes for item in fill.items),
        items=tuple(fill.items),
        deferred=tuple(fill.deferred),
        interview_date=settings.interview_date,
        minutes_redrill=round(fill.redrill),
        stage=Stage.DAY_OFF if day_off else stage,
        resumes=settings.next_study_day(today) if day_off else None,
    )


def _drills_today(grades_today: Sequence[GradeToday], by_id: Mapping[str, Card]) -> list[Card]:
    """Cards whose latest grade today is below 4: SM-2 repeats them the same day."""
    latest_quality = {grade.card_id: grade.quality for grade in grades_today}
    return [
        by_id[card_id]
        for card_id, quality in latest_quality.items()
        if card_id in by_id and needs_drill(quality)
    ]


def _take_review(fill: DayBudget, card: Card, today: date, times: ReviewTimes) -> None:
    """A re-drill, planned whatever room is left."""
    item = plan_item(card, ItemKind.RELEARN, times.review_minutes(card), today)
    fill.take(item, times.review_redrill(card))


def _offer_review(
    fill: DayBudget, card: Card, kind: ItemKind, due: date, times: ReviewTimes, defer: bool = True
) -> bool:
    """A review or re-drill at the card's review time, booking its likely re-drill."""
    item = plan_item(card, kind, times.review_minutes(card), due)
    return fill.offer(item, times.review_redrill(card), defer)


def minutes_done(
    grades_today: Sequence[GradeToday],
    by_id: Mapping[str, Card],
    states: Mapping[str, CardState],
    today: date,
    times: ReviewTimes,
) -> int:
    """Minutes studied today: the timed seconds where there are, else the estimates."""
    done = 0.0
    seen: set[str] = set()
    for grade in grades_today:
        card = by_id.get(grade.card_id)
        if card is None:
            continue
        if grade.seconds is not None:
            done += grade.seconds / 60
        else:
            state = states.get(card.id)
            learned_today = state is not None and state.introduced == today
            first_sight = learned_today and grade.card_id not in seen
            done += card.minutes if first_sight else times.review_minutes(card)
        seen.add(grade.card_id)
    return round(done)


def _weakness(state: CardState) -> tuple[int, int]:
    return (state.easiness, -state.lapses)


def _due_reviews(
    by_id: Mapping[str, Card],
    states: Mapping[str, CardState],
    today: date,
    interview: date | None,
    weakest_first: bool,
    planned: Collection[str],
) -> list[tuple[Card, CardState]]:
    """Reviews due by today. One SM-2 would give on or after the interview is not due: the
    final days bring it forward (`final_days.plan_refreshes`), or it waits for the interview."""
    due: list[tuple[Card, CardState, float]] = []
    for card_id, state in states.items():
        card = by_id.get(card_id)
        if card is None or state.last_review == today or card_id in planned:
            continue
        if interview is not None and interview > today and waits_for_final_days(state, interview):
            continue
        if state.due <= today:
            overdue = (today - state.due).days / max(1, state.interval)
            due.append((card, state, overdue))
    if weakest_first:
        due.sort(key=lambda entry: (*_weakness(entry[1]), -entry[2], entry[0].id))
    else:
        due.sort(key=lambda entry: (-entry[2], entry[1].due, entry[0].id))
    return [(card, state) for card, state, _ in due]


def _weakest_not_due(
    by_id: Mapping[str, Card],
    states: Mapping[str, CardState],
    today: date,
    exclude: set[str],
) -> list[tuple[Card, CardState]]:
    weak = [
        (by_id[card_id], state)
        for card_id, state in states.items()
        if card_id in by_id
        and card_id not in exclude
        and state.last_review != today
        and (state.easiness < INITIAL_EASINESS or state.lapses > 0)
    ]
    weak.sort(key=lambda entry: (*_weakness(entry[1]), entry[0].id))
    return weak


def topic_drill(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    topic: str,
    today: date,
    minutes: int,
    exclude: set[str],
    times: ReviewTimes | None = None,
) -> list[PlanItem]:
    """Learned cards of one topic not yet seen today, weakest first, as many as `minutes` allow."""
    times = ReviewTimes() if times is None else times
    by_id = {card.id: card for card in cards if card.topic == topic}
    candidates = [
        (by_id[card_id], state)
        for card_id, state in states.items()
        if card_id in by_id and card_id not in exclude and state.last_review != today
    ]
    candidates.sort(key=lambda entry: (*_weakness(entry[1]), entry[0].id))
    fill = DayBudget(left=max(0, minutes))
    for card, state in candidates:
        fill.offer(
            plan_item(card, ItemKind.REVIEW, times.review_minutes(card), state.due), defer=False
        )
    return fill.items


@dataclass(frozen=True, slots=True)
class Simulation:
    """Days planned ahead as if every planned card were graded "good", and the card states
    those grades leave."""

    plans: list[Plan]
    states: dict[str, CardState]


def simulate(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    grades_on_start: Sequence[GradeToday],
    settings: Settings,
    start: date,
    days: int,
    times: ReviewTimes | None = None,
    open_drills: Collection[str] = (),
) -> Simulation:
    """Plans for `days` days from `start`, each card planned graded "good" on its day."""
    simulated = dict(states)
    pool = target_pool(cards, settings)
    plans: list[Plan] = []
    waiting = set(open_drills)  # failed before `start`: re-drilled on the first study day
    for offset in range(days):
        day = start + timedelta(days=offset)
        grades = grades_on_start if offset == 0 else ()
        plan = plan_day(
            cards, simulated, grades, settings, day, pool=pool, times=times, open_drills=waiting
        )
        plans.append(plan)
        waiting -= {item.card_id for item in plan.items}
        for item in plan.items:
            state, _ = apply_grade(
                simulated.get(item.card_id),
                item.card_id,
                Quality.GOOD,
                day,
                settings.interview_date,
            )
            simulated[item.card_id] = state
    return Simulation(plans, simulated)
