"""Today's and the coming days' study plans. Pure: cards, states and settings in, plans out.

A day's plan is filled in this order inside the minutes budget, each item charged what it
really costs (a new card its `minutes`, a review or re-drill the learned review time) plus
the re-drills it is expected to bring (SM-2 repeats a card graded below 4 the same day):
1. due reviews, most overdue relative to their interval first (in the interview's final
   week: weakest first); what does not fit is deferred, most at-risk first the next day;
2. same-day re-drills of cards graded below 4 today (SM-2 step 7);
3. new cards, only when no review was deferred, in the order of the target set: the target
   companies' cards, then core, common and deep; tracks take turns so that each one's share
   of new-card minutes over the last seven days follows its weight, and the company track
   speeds up (within ten points of its share) to have every target company's card
   introduced a week before the interview;
4. in the interview's final week no new cards; spare minutes go to early reviews of the
   weakest cards.
On the interview day only a short warm-up of the weakest cards is planned, nothing after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from studyplan.core.model import PRIORITY_RANK, Card, Track
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState, apply_grade, cap_before_interview, needs_drill
from studyplan.core.srs.sm2 import INITIAL_EASINESS, Quality

NEW_CARDS_LEAD_DAYS = 7  # every new card is introduced at least this long before the interview
BALANCE_DAYS = 7  # tracks' shares of new-card minutes are balanced over this many days
BALANCE_SLACK = 0.02  # how far above its share a track may go while another cannot fit
INTERVIEW_DAY_MINUTES = 15  # the warm-up on the day itself
COMPANY_BOOST_LIMIT = 0.07  # how far above its weight share the company track may go
COMPANY_MARGIN_DAYS = 0.5  # share of the days left a candidate can be counted on to study
COMPANY_MARGIN = 0.5  # new-card minutes shrink as reviews grow: plan on half of today's
COMPANY_SPARE_DAYS = 2  # target-company cards aim to be in this long before the deadline
_TRACK_ORDER = tuple(Track)


class ItemKind(StrEnum):
    REVIEW = "review"
    RELEARN = "relearn"
    NEW = "new"


class Stage(StrEnum):
    """Where the day stands against the interview date."""

    STUDY = "study"  # no interview date, or more than a week before it
    FINAL_WEEK = "final-week"  # no new cards; weakest cards first
    INTERVIEW_DAY = "interview-day"  # a short warm-up of the weakest cards only
    AFTER_INTERVIEW = "after-interview"  # nothing planned until a new date is set


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One card in a day's plan, with the minutes booked for it."""

    card_id: str
    kind: ItemKind
    track: str
    topic: str
    prompt: str
    minutes: int
    due: date


@dataclass(frozen=True, slots=True)
class Plan:
    """A day's plan: the items that fit the budget, in order, and the reviews deferred."""

    date: date
    minutes_budget: int
    minutes_done: int
    minutes_planned: int
    items: tuple[PlanItem, ...]
    deferred: tuple[PlanItem, ...]
    interview_date: dt.date | None = None  # `date` is a field name here
    minutes_redrill: int = 0  # kept free for the re-drills the planned cards will likely need
    stage: Stage = Stage.STUDY

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
    seconds: int | None = None


@dataclass
class _Budget:
    """Minutes left today; each item also books the re-drill it will likely bring."""

    left: float
    items: list[PlanItem] = field(default_factory=list)
    deferred: list[PlanItem] = field(default_factory=list)
    redrill: float = 0.0

    def fits(self, minutes: float, redrill: float = 0.0) -> bool:
        return minutes + redrill <= self.left + 1e-9

    def offer(self, item: PlanItem, redrill: float = 0.0, defer: bool = True) -> bool:
        if self.fits(item.minutes, redrill):
            self.items.append(item)
            self.left -= item.minutes + redrill
            self.redrill += redrill
            return True
        if defer:
            self.deferred.append(item)
        return False


def new_cards_until(interview: date) -> date:
    """The last day a new card is introduced before the interview."""
    return interview - timedelta(days=NEW_CARDS_LEAD_DAYS)


def stage_of(today: date, interview: date | None) -> Stage:
    if interview is None:
        return Stage.STUDY
    days_left = (interview - today).days
    if days_left < 0:
        return Stage.AFTER_INTERVIEW
    if days_left == 0:
        return Stage.INTERVIEW_DAY
    return Stage.FINAL_WEEK if days_left < NEW_CARDS_LEAD_DAYS else Stage.STUDY


def plan_day(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    grades_today: Sequence[GradeToday],
    settings: Settings,
    today: date,
    minutes: int | None = None,
    pool: Sequence[Card] | None = None,
    times: ReviewTimes | None = None,
) -> Plan:
    """The plan for `today`. `pool` is `target_pool(cards, settings)` when the caller has it;
    `times` the learned review times (defaults until the user has timed reviews)."""
    by_id = {card.id: card for card in cards}
    times = ReviewTimes() if times is None else times
    budget = settings.minutes_per_day if minutes is None else minutes
    done = minutes_done(grades_today, by_id, states, today, times)
    stage = stage_of(today, settings.interview_date)
    interview = settings.interview_date if stage is not Stage.AFTER_INTERVIEW else None
    room = max(0, budget - done)
    if stage is Stage.INTERVIEW_DAY:
        room = min(room, INTERVIEW_DAY_MINUTES)
    fill = _Budget(left=room)

    if stage is Stage.INTERVIEW_DAY:  # a warm-up: nothing is booked for re-drills
        for card, state in _weakest_not_due(by_id, states, today, exclude=set()):
            fill.offer(
                plan_item(card, ItemKind.REVIEW, times.review_minutes(card), state.due), defer=False
            )
    elif stage is not Stage.AFTER_INTERVIEW:
        _plan_reviews(fill, by_id, states, grades_today, today, interview, stage, times)
        if stage is Stage.STUDY and not fill.deferred:
            pool = target_pool(cards, settings) if pool is None else pool
            _plan_new_cards(fill, pool, states, settings, today, times)
        if stage is Stage.FINAL_WEEK:
            planned = {item.card_id for item in fill.items} | {i.card_id for i in fill.deferred}
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
        stage=stage,
    )


def _plan_reviews(
    fill: _Budget,
    by_id: Mapping[str, Card],
    states: Mapping[str, CardState],
    grades_today: Sequence[GradeToday],
    today: date,
    interview: date | None,
    stage: Stage,
    times: ReviewTimes,
) -> None:
    weakest_first = stage is Stage.FINAL_WEEK
    for card, state in _due_reviews(by_id, states, today, interview, weakest_first):
        _offer_review(fill, card, ItemKind.REVIEW, state.due, times)
    latest_quality = {grade.card_id: grade.quality for grade in grades_today}
    for card_id, quality in latest_quality.items():
        drilled = by_id.get(card_id)
        if drilled is not None and needs_drill(quality):
            _offer_review(fill, drilled, ItemKind.RELEARN, today, times)


def _offer_review(
    fill: _Budget, card: Card, kind: ItemKind, due: date, times: ReviewTimes, defer: bool = True
) -> None:
    """A review or re-drill at the card's review time, booking its likely re-drill."""
    item = plan_item(card, kind, times.review_minutes(card), due)
    fill.offer(item, times.review_redrill(card), defer)


def _plan_new_cards(
    fill: _Budget,
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    times: ReviewTimes,
) -> None:
    """New cards, tracks taking turns by weight in minutes (see `new_card_order`).

    The next card comes from the track whose new-card minutes over the last BALANCE_DAYS
    days, with this card, are least for its weight (the long-run clock breaks ties): so
    every seven days follow the weights, not only the run as a whole, and a track of long
    cards is not left out of a week while its clock catches up. A track's turn goes to its
    first card that fits today: a longer one keeps its place for a roomier day. Once a
    track has nothing that fits, the others may use its minutes only up to BALANCE_SLACK
    above their share of the last days: the rest stays reserved.
    """
    allowed = settings.new_per_day - sum(1 for s in states.values() if s.introduced == today)
    if allowed <= 0 or fill.left < 1:
        return
    weights = track_weights_for(pool, states, settings, today, fill.left)
    queues, recent, clock = _turns(pool, states, weights, today)
    open_weight = sum(weights[track] for track in queues)
    room = fill.left

    def take(card: Card) -> bool:
        item = plan_item(card, ItemKind.NEW, card.minutes, today)
        if not fill.offer(item, times.new_redrill(card), defer=False):
            return False
        queues[card.track].remove(card)
        clock[card.track] += card.minutes / weights[card.track]
        recent[card.track] += card.minutes
        return True

    for card in _due_company_cards(queues, settings, today)[:allowed]:
        if take(card):
            allowed -= 1
    shut_out = False
    for _ in range(allowed):
        turns: list[tuple[float, float, int, Track, int]] = []
        for rank, track in enumerate(queues):
            position = next(
                (
                    n
                    for n, card in enumerate(queues[track])
                    if fill.fits(card.minutes, times.new_redrill(card))
                ),
                None,
            )
            if position is None:
                shut_out = shut_out or bool(queues[track])
                continue
            card = queues[track][position]
            share = weights[track] / open_weight + BALANCE_SLACK
            total = sum(recent.values()) + card.minutes
            if shut_out and recent[track] + card.minutes > share * max(total, room):
                continue
            finish = (recent[track] + card.minutes) / weights[track]
            turns.append((finish, clock[track], rank, track, position))
        if not turns:
            return
        _, _, _, track, position = min(turns)  # first of equals wins: fixed track order
        take(queues[track][position])


def _due_company_cards(
    queues: Mapping[Track, list[Card]], settings: Settings, today: date
) -> list[Card]:
    """Target-company cards that must come today, whatever the balance, for all of them to
    be introduced by the deadline a week before the interview (counting on studying about
    every other day, and aiming COMPANY_SPARE_DAYS early, so that a day off or a slow
    session near the deadline cannot leave one out)."""
    interview = settings.interview_date
    waiting = [c for c in queues.get(Track.COMPANY, []) if is_target_company_card(c, settings)]
    if interview is None or not waiting:
        return []
    days_left = (new_cards_until(interview) - today).days + 1
    if days_left <= 0:
        return []
    study_days = max(1, int((days_left - COMPANY_SPARE_DAYS) * COMPANY_MARGIN_DAYS))
    return waiting[: -(-len(waiting) // study_days)] if len(waiting) >= study_days else []


def _turns(
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    weights: Mapping[Track, float],
    today: date,
) -> tuple[dict[Track, list[Card]], dict[Track, float], dict[Track, float]]:
    """Where the tracks' turns start today: each weighted track's unseen cards in pool order
    (tracks in their fixed order), its new-card minutes of the last days, and its clock."""
    found: dict[Track, list[Card]] = {}
    for card in pool:
        if card.id not in states and weights.get(card.track, 0) > 0:
            found.setdefault(card.track, []).append(card)
    queues = {track: found[track] for track in _TRACK_ORDER if track in found}
    recent = recent_new_minutes(pool, states, today)
    learned: dict[Track, float] = dict.fromkeys(queues, 0.0)
    for card in pool:
        state = states.get(card.id)
        if state is not None and state.introduced <= today and card.track in learned:
            learned[card.track] += card.minutes
    # Clocks count every new-card minute so far, so turns do not swing when a busy day
    # leaves the last week; a track far behind (weights changed, cards added) catches up
    # by at most the last week's new-card minutes before taking turns like the others.
    clock = {track: learned[track] / weights[track] for track in queues}
    lead = max(clock.values(), default=0.0)
    week = sum(recent.values())
    return queues, recent, {t: max(c, lead - week / weights[t]) for t, c in clock.items()}


def plan_item(card: Card, kind: ItemKind, minutes: int, due: date) -> PlanItem:
    return PlanItem(card.id, kind, card.track.value, card.topic, card.prompt, minutes, due)


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
    fill = _Budget(left=max(0, minutes))
    for card, state in candidates:
        fill.offer(
            plan_item(card, ItemKind.REVIEW, times.review_minutes(card), state.due), defer=False
        )
    return fill.items


def in_target_set(card: Card, settings: Settings) -> bool:
    """Cards the candidate means to learn: weighted tracks, and only their own companies' guides."""
    if settings.track_weights.get(card.track, 0) <= 0:
        return False
    if card.track is Track.COMPANY and settings.companies:
        return bool(set(card.companies) & set(settings.companies))
    return True


def is_target_company_card(card: Card, settings: Settings) -> bool:
    """A company-track card of one of the target companies: due a week before the interview."""
    return card.track is Track.COMPANY and bool(set(card.companies) & set(settings.companies))


def introduction_order(cards: Sequence[Card], companies: Sequence[str]) -> list[Card]:
    """Cards in the order they are worth learning: cards for the target `companies` first,
    then core, common and deep, then corpus order."""
    targets = set(companies)

    def rank(indexed: tuple[int, Card]) -> tuple[bool, int, int]:
        position, card = indexed
        return (not targets & set(card.companies), PRIORITY_RANK[card.priority], position)

    return [card for _, card in sorted(enumerate(cards), key=rank)]


def target_pool(cards: Sequence[Card], settings: Settings) -> list[Card]:
    """Every target card in introduction order. Depends on no state, so a simulation
    computes it once."""
    order = introduction_order(cards, settings.companies)
    return [card for card in order if in_target_set(card, settings)]


def track_weights_for(
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    new_minutes_today: float,
) -> dict[Track, float]:
    """The tracks' weights for today's new cards: the settings', with the company track
    raised (at most COMPANY_BOOST_LIMIT above its share) when the target companies' cards
    would otherwise not all be introduced a week before the interview."""
    weights = {track: float(settings.track_weights.get(track, 0)) for track in Track}
    interview = settings.interview_date
    if interview is None or not settings.companies or weights[Track.COMPANY] <= 0:
        return weights
    waiting = [c for c in pool if c.id not in states and is_target_company_card(c, settings)]
    days = (new_cards_until(interview) - today).days + 1
    if not waiting or days <= 0 or new_minutes_today <= 0:
        return weights
    open_tracks = {c.track for c in pool if c.id not in states}
    others = sum(w for t, w in weights.items() if t in open_tracks and t is not Track.COMPANY)
    if others <= 0:
        return weights
    share = weights[Track.COMPANY] / (others + weights[Track.COMPANY])
    needed = sum(c.minutes for c in waiting) / (days * COMPANY_MARGIN) / new_minutes_today
    boosted = min(max(share, needed), share + COMPANY_BOOST_LIMIT, 0.95)
    weights[Track.COMPANY] = boosted * others / (1 - boosted)
    return weights


def new_card_order(
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    weights: Mapping[Track, float],
    today: date,
) -> list[Card]:
    """Every unseen card of `pool`, tracks taking turns by weight in minutes.

    Weighted fair queueing: each track's clock is the minutes of its cards introduced so far
    over its weight (see `_turns`), and the next card comes from the track whose clock is
    furthest behind; so a track behind its share catches up first, and a long card is not
    pushed to the end of the day behind many short ones.
    """
    queues, _, clock = _turns(pool, states, weights, today)
    heads = dict.fromkeys(queues, 0)
    order: list[Card] = []
    while True:
        active = [t for t in _TRACK_ORDER if t in queues and heads[t] < len(queues[t])]
        if not active:
            return order
        track = min(active, key=lambda t: clock[t])  # first of equals wins: fixed track order
        card = queues[track][heads[track]]
        clock[track] += card.minutes / weights[track]
        heads[track] += 1
        order.append(card)


def recent_new_minutes(
    pool: Sequence[Card], states: Mapping[str, CardState], today: date
) -> dict[Track, float]:
    """Minutes of new cards each track still holding unseen cards got in the last
    BALANCE_DAYS days, today included."""
    since = today - timedelta(days=BALANCE_DAYS - 1)
    recent: dict[Track, float] = {card.track: 0.0 for card in pool if card.id not in states}
    for card in pool:
        state = states.get(card.id)
        if state is not None and since <= state.introduced <= today and card.track in recent:
            recent[card.track] += card.minutes
    return recent


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
) -> Simulation:
    """Plans for `days` days from `start`, each card planned graded "good" on its day."""
    simulated = dict(states)
    pool = target_pool(cards, settings)
    plans: list[Plan] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        grades = grades_on_start if offset == 0 else ()
        plan = plan_day(cards, simulated, grades, settings, day, pool=pool, times=times)
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
    return Simulation(plans, simulated)


def tracks_of(items: Iterable[PlanItem]) -> list[str]:
    """The tracks a list of items covers, most minutes first."""
    minutes: dict[str, int] = {}
    for item in items:
        minutes[item.track] = minutes.get(item.track, 0) + item.minutes
    return sorted(minutes, key=lambda track: (-minutes[track], track))
