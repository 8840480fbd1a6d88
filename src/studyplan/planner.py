"""Today's and the coming week's study plans. Pure: cards, states and settings in, plans out.

A day's plan is filled in priority order inside the minutes budget:
1. due reviews, most overdue relative to their interval first (in the interview's final
   week: weakest first);
2. same-day re-drills of cards graded below 4 today (SM-2 step 7);
3. new cards up to the day's quota, interleaved across tracks by weight, target-company
   cards first; the quota rises when the interview date needs a faster pace;
4. in the interview's final week, spare minutes go to early reviews of the weakest cards.
Reviews and re-drills that do not fit are deferred and reported, and so are new cards the
interview pace needs; the backlog of missed days is thus worked off over the following
days, most at-risk first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from studyplan.content.model import Card, Difficulty, Track
from studyplan.settings import Settings
from studyplan.srs.card_state import CardState, apply_grade, cap_before_interview, needs_drill
from studyplan.srs.sm2 import INITIAL_EASINESS, Quality

NEW_CARDS_LEAD_DAYS = 7  # every target card is introduced at least this long before the interview
FINAL_DAYS = 7  # the stretch before the interview that favours the weakest cards
_TRACK_ORDER = tuple(Track)
_DIFFICULTY_ORDER = {Difficulty.EASY: 0, Difficulty.MEDIUM: 1, Difficulty.HARD: 2}


class ItemKind(StrEnum):
    REVIEW = "review"
    RELEARN = "relearn"
    NEW = "new"


@dataclass(frozen=True, slots=True)
class PlanItem:
    card_id: str
    kind: ItemKind
    track: str
    topic: str
    prompt: str
    minutes: int
    due: date


@dataclass(frozen=True, slots=True)
class Plan:
    date: date
    minutes_budget: int
    minutes_done: int
    minutes_planned: int
    items: tuple[PlanItem, ...]
    deferred: tuple[PlanItem, ...]
    interview_date: dt.date | None = None  # `date` is a field name here

    @property
    def minutes_deferred(self) -> int:
        return sum(item.minutes for item in self.deferred)

    def count(self, kind: ItemKind) -> int:
        return sum(1 for item in self.items if item.kind is kind)


@dataclass(frozen=True, slots=True)
class GradeToday:
    """A grade already given on the planned day, oldest first."""

    card_id: str
    quality: int


@dataclass
class _Budget:
    left: int
    items: list[PlanItem] = field(default_factory=list)
    deferred: list[PlanItem] = field(default_factory=list)

    def offer(self, item: PlanItem, defer: bool = True) -> None:
        if item.minutes <= self.left:
            self.items.append(item)
            self.left -= item.minutes
        elif defer:
            self.deferred.append(item)


def drill_minutes(card_minutes: int) -> int:
    """A same-day repeat of a card just seen takes about half its study time."""
    return max(1, math.ceil(card_minutes / 2))


def plan_day(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    grades_today: Sequence[GradeToday],
    settings: Settings,
    today: date,
    minutes: int | None = None,
    pool: Sequence[Card] | None = None,
) -> Plan:
    """The plan for `today`. `pool` is `target_pool(cards, settings)` when the caller has it."""
    by_id = {card.id: card for card in cards}
    budget = settings.minutes_per_day if minutes is None else minutes
    done = _minutes_done(grades_today, by_id)
    fill = _Budget(left=max(0, budget - done))
    interview = (
        settings.interview_date
        if settings.interview_date and settings.interview_date > today
        else None
    )
    final_stretch = interview is not None and (interview - today).days <= FINAL_DAYS

    due_reviews = _due_reviews(by_id, states, today, interview, weakest_first=final_stretch)
    for card, state in due_reviews:
        fill.offer(_item(card, ItemKind.REVIEW, card.minutes, state.due))

    latest_quality = {grade.card_id: grade.quality for grade in grades_today}
    for card_id, quality in latest_quality.items():
        drilled = by_id.get(card_id)
        if drilled is not None and needs_drill(quality):
            fill.offer(_item(drilled, ItemKind.RELEARN, drill_minutes(drilled.minutes), today))

    introduced_today = sum(1 for s in states.values() if s.introduced == today)
    pool = target_pool(cards, settings) if pool is None else pool
    quota = new_card_quota(pool, states, settings, today)
    # New cards are optional unless the interview pace needs them: only then is one that
    # does not fit reported as deferred.
    pace_required = quota > settings.new_per_day
    for card in new_card_order(cards, states, settings, max(0, quota - introduced_today), pool):
        fill.offer(_item(card, ItemKind.NEW, card.minutes, today), defer=pace_required)

    if final_stretch:
        planned = {item.card_id for item in fill.items} | {item.card_id for item in fill.deferred}
        for card, state in _weakest_not_due(by_id, states, today, planned):
            fill.offer(_item(card, ItemKind.REVIEW, card.minutes, state.due), defer=False)

    return Plan(
        date=today,
        minutes_budget=budget,
        minutes_done=done,
        minutes_planned=sum(item.minutes for item in fill.items),
        items=tuple(fill.items),
        deferred=tuple(fill.deferred),
        interview_date=settings.interview_date,
    )


def _item(card: Card, kind: ItemKind, minutes: int, due: date) -> PlanItem:
    return PlanItem(card.id, kind, card.track.value, card.topic, card.prompt, minutes, due)


def _minutes_done(grades_today: Sequence[GradeToday], by_id: Mapping[str, Card]) -> int:
    done = 0
    seen: set[str] = set()
    for grade in grades_today:
        card = by_id.get(grade.card_id)
        if card is None:
            continue
        done += drill_minutes(card.minutes) if grade.card_id in seen else card.minutes
        seen.add(grade.card_id)
    return done


def _weakness(state: CardState) -> tuple[int, int]:
    return (state.easiness, -state.lapses)


def _due_reviews(
    by_id: Mapping[str, Card],
    states: Mapping[str, CardState],
    today: date,
    interview: date | None,
    weakest_first: bool,
) -> list[tuple[Card, CardState]]:
    due: list[tuple[Card, CardState, float]] = []
    latest = cap_before_interview(date.max, today, interview)  # due dates past it count as it
    for card_id, state in states.items():
        card = by_id.get(card_id)
        if card is None or state.last_review == today:
            continue
        due_day = min(state.due, latest)
        if due_day <= today:
            overdue = (today - due_day).days / max(1, state.interval)
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
) -> list[PlanItem]:
    """Learned cards of one topic not yet seen today, weakest first, as many as `minutes` allow."""
    by_id = {card.id: card for card in cards if card.topic == topic}
    candidates = [
        (by_id[card_id], state)
        for card_id, state in states.items()
        if card_id in by_id and card_id not in exclude and state.last_review != today
    ]
    candidates.sort(key=lambda entry: (*_weakness(entry[1]), entry[0].id))
    fill = _Budget(left=max(0, minutes))
    for card, state in candidates:
        fill.offer(_item(card, ItemKind.REVIEW, card.minutes, state.due), defer=False)
    return fill.items


def in_target_set(card: Card, settings: Settings) -> bool:
    """Cards the candidate means to learn: weighted tracks, and only their own companies' guides."""
    if settings.track_weights.get(card.track, 0) <= 0:
        return False
    if card.track is Track.COMPANY and settings.companies:
        return bool(set(card.companies) & set(settings.companies))
    return True


def target_pool(cards: Sequence[Card], settings: Settings) -> list[Card]:
    """Every target card in introduction order: target companies' first, easy before hard,
    then corpus order. Depends on no state, so a simulation computes it once."""
    targets = set(settings.companies)

    def priority(indexed: tuple[int, Card]) -> tuple[bool, int, int]:
        position, card = indexed
        for_target = bool(targets & set(card.companies))
        return (not for_target, _DIFFICULTY_ORDER[card.difficulty], position)

    return [
        card for _, card in sorted(enumerate(cards), key=priority) if in_target_set(card, settings)
    ]


def new_card_quota(
    pool: Sequence[Card], states: Mapping[str, CardState], settings: Settings, today: date
) -> int:
    """New cards for `today`: the daily setting, raised if the interview date needs more."""
    quota = settings.new_per_day
    interview = settings.interview_date
    if interview is None or interview <= today:
        return quota
    remaining = sum(1 for card in pool if card.id not in states)
    # Count today and every day up to the deadline; past the deadline, catch up at once.
    days_left = (interview - timedelta(days=NEW_CARDS_LEAD_DAYS) - today).days + 1
    needed = math.ceil(remaining / days_left) if days_left > 0 else remaining
    return max(quota, needed)


def new_card_order(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    limit: int,
    pool: Sequence[Card] | None = None,
) -> list[Card]:
    """The next `limit` unseen target cards, interleaved across tracks by weight."""
    queues: dict[Track, list[Card]] = {}
    for card in target_pool(cards, settings) if pool is None else pool:
        if card.id not in states:
            queues.setdefault(card.track, []).append(card)
    weights = {track: settings.track_weights.get(track, 0) for track in queues}
    return _interleave(queues, weights, limit)


def _interleave(
    queues: Mapping[Track, list[Card]], weights: Mapping[Track, int], limit: int
) -> list[Card]:
    """Smooth weighted round-robin: each track's share of any prefix follows its weight."""
    heads = dict.fromkeys(queues, 0)
    credit = dict.fromkeys(queues, 0)
    order: list[Card] = []
    while len(order) < limit:
        active = [
            t for t in _TRACK_ORDER if t in queues and heads[t] < len(queues[t]) and weights[t] > 0
        ]
        if not active:
            break
        for track in active:
            credit[track] += weights[track]
        chosen = max(active, key=lambda t: credit[t])  # first of equals wins: tracks in fixed order
        credit[chosen] -= sum(weights[t] for t in active)
        order.append(queues[chosen][heads[chosen]])
        heads[chosen] += 1
    return order


def simulate_days(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    grades_on_start: Sequence[GradeToday],
    settings: Settings,
    start: date,
    days: int,
) -> list[Plan]:
    """Plans for `days` days from `start`, as if every planned card were graded "good"."""
    simulated = dict(states)
    pool = target_pool(cards, settings)
    plans: list[Plan] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        grades = grades_on_start if offset == 0 else ()
        plan = plan_day(cards, simulated, grades, settings, day, pool=pool)
        plans.append(plan)
        for item in plan.items:
            state, _ = apply_grade(
                simulated.get(item.card_id),
                item.card_id,
                Quality.GOOD,
                day,
                settings.interview_date,
            )
            simulated[item.card_id] = state
    return plans


def tracks_of(items: Iterable[PlanItem]) -> list[str]:
    """The tracks a list of items covers, most minutes first."""
    minutes: dict[str, int] = {}
    for item in items:
        minutes[item.track] = minutes.get(item.track, 0) + item.minutes
    return sorted(minutes, key=lambda track: (-minutes[track], track))
