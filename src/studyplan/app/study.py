"""What the study commands do, between the CLI and the pure core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from studyplan.app.marks import study_set
from studyplan.app.workspace import Workspace
from studyplan.core.errors import CardSuspended, NothingToUndo, UnknownTopic
from studyplan.core.forecast import Forecast, forecast
from studyplan.core.model import Card
from studyplan.core.new_cards import introduction_order, new_card_order
from studyplan.core.plan import GradeToday, ItemKind, Plan, PlanItem, plan_item
from studyplan.core.planner import minutes_done, plan_day, simulate, topic_drill
from studyplan.core.records import LoggedGrade, Marks, Undone, UndoneMark
from studyplan.core.review_time import ReviewTimes, TimedGrade, learn_review_times
from studyplan.core.settings import Settings, config_key, settings_as_text, validate_for_today
from studyplan.core.srs.card_state import CardState, GradeKind

if TYPE_CHECKING:
    from studyplan.core.review_session import ReviewQueue

WEEK_DAYS = 7
TIMING_GRADES = 400  # review times and re-drill rates follow this many latest grades


@dataclass(frozen=True, slots=True)
class PlanningInputs:
    """What planning a day reads from the workspace, read once."""

    cards: list[Card]
    states: dict[str, CardState]
    grades: list[GradeToday]
    settings: Settings
    times: ReviewTimes
    open_drills: frozenset[str] = frozenset()  # failed on an earlier day, never re-drilled


def grades_today(workspace: Workspace, day: date) -> list[GradeToday]:
    return [GradeToday(g.card_id, g.quality, g.seconds) for g in workspace.store.grades_on(day)]


def review_times(workspace: Workspace, day: date) -> ReviewTimes:
    """Review times and re-drill rates learned from the user's latest grades."""
    logged = workspace.store.recent_grades(day, TIMING_GRADES)
    grades = [
        TimedGrade(r.card_id, r.quality, r.first, r.kind is GradeKind.DRILL, r.seconds)
        for r in logged
    ]
    return learn_review_times({card.id: card for card in workspace.cards}, grades)


def today_plan(workspace: Workspace, day: date, minutes: int | None = None) -> Plan:
    return _plan(planning_inputs(workspace, day), day, minutes)


def _plan(given: PlanningInputs, day: date, minutes: int | None) -> Plan:
    return plan_day(
        given.cards,
        given.states,
        given.grades,
        given.settings,
        day,
        minutes,
        times=given.times,
        open_drills=given.open_drills,
    )


def today_with_forecast(
    workspace: Workspace, day: date, minutes: int | None = None
) -> tuple[Plan, Forecast | None]:
    """Today's plan, and what fits before the interview at the daily budget."""
    given = planning_inputs(workspace, day)
    outlook = forecast(given.cards, given.states, given.settings, day, given.times)
    return _plan(given, day, minutes), outlook


def today_and_ahead(
    workspace: Workspace, day: date, days_ahead: int
) -> tuple[Plan, Forecast | None, list[Plan]]:
    """`today_with_forecast`, and the next `days_ahead` days as `week_plans` plans them,
    from one reading of the workspace."""
    given = planning_inputs(workspace, day)
    outlook = forecast(given.cards, given.states, given.settings, day, given.times)
    ahead = simulate(
        given.cards,
        given.states,
        given.grades,
        given.settings,
        day,
        days_ahead + 1,
        given.times,
        given.open_drills,
    ).plans[1:]
    return _plan(given, day, None), outlook, ahead


def week_plans(workspace: Workspace, start: date, days: int = WEEK_DAYS) -> list[Plan]:
    given = planning_inputs(workspace, start)
    return simulate(
        given.cards,
        given.states,
        given.grades,
        given.settings,
        start,
        days,
        given.times,
        given.open_drills,
    ).plans


def planning_inputs(workspace: Workspace, day: date) -> PlanningInputs:
    """Everything a day's plan reads; suspended cards are left out here, before any planning."""
    store = workspace.store
    cards, states = study_set(workspace.cards, store.states(), store.marks())
    return PlanningInputs(
        cards,
        states,
        grades_today(workspace, day),
        workspace.settings(),
        review_times(workspace, day),
        frozenset(workspace.store.open_redrills(day)),
    )


def review_queue(
    workspace: Workspace,
    day: date,
    minutes: int | None,
    track: str | None,
    topic: str | None,
    company: str | None = None,
) -> ReviewQueue:
    """The session for `studyplan review`: the items of `review_items`, with a failed card
    coming back at its re-drill time, what can wait put off once the day's minutes are spent,
    and, once today's plan is done with minutes to spare, what the plan holds next."""
    from studyplan.core.review_session import ReviewQueue  # only `review` needs it

    given = planning_inputs(workspace, day)
    items, room = review_items(given, day, minutes, track, topic, company)
    by_id = {card.id: card for card in given.cards}

    def rest_of_plan() -> list[PlanItem]:
        return list(today_plan(workspace, day, minutes).items)

    narrowed = track is not None or topic is not None or company is not None
    return ReviewQueue(
        items,
        lambda item: given.times.redrill_minutes(by_id[item.card_id]),
        room,
        day,
        refill=None if narrowed else rest_of_plan,
    )


def review_items(
    given: PlanningInputs,
    day: date,
    minutes: int | None,
    track: str | None,
    topic: str | None,
    company: str | None = None,
) -> tuple[list[PlanItem], int]:
    """Today's plan, or custom study of a track, topic or company, and the minutes the
    session has for them.

    Narrowed, the session is `minutes` long (the daily budget by default), whatever was
    studied earlier today: it holds the day's matching due reviews and re-drills, then fills
    the rest beyond the plan: a topic with its weakest learned cards, a track or company with
    its unseen cards as extra new ones, most important first."""
    cards, states = given.cards, given.states
    if topic is not None and not any(card.topic == topic for card in cards):
        topics = sorted({card.topic for card in cards})
        raise UnknownTopic(topic, topics)
    if track is None and topic is None and company is None:
        plan = _plan(given, day, minutes)
        return list(plan.items), max(0, plan.minutes_budget - plan.minutes_done)
    by_id = {card.id: card for card in cards}
    session_room = given.settings.minutes_per_day if minutes is None else minutes
    done = minutes_done(given.grades, by_id, states, day, given.times)
    plan = _plan(given, day, done + session_room)  # the day's plan with the session's room

    def matches(card: Card) -> bool:
        return (
            (track is None or card.track.value == track)
            and (topic is None or card.topic == topic)
            and (company is None or company in card.companies)
        )

    items: list[PlanItem] = []
    room = session_room
    for item in (*plan.items, *plan.deferred):
        if matches(by_id[item.card_id]) and item.minutes <= room:
            items.append(item)
            room -= item.minutes
    chosen = {item.card_id for item in items}
    if topic is not None:
        drill = topic_drill(cards, states, topic, day, room, chosen, given.times)
        return items + drill, session_room
    # Studying a track or company on purpose reaches beyond the plan's weights and targets.
    # An extra card is taken only if the session would start it (the queue's own rule), so
    # a long card that would be put off does not take the place of shorter ones that fit.
    from studyplan.core.review_session import fits_in_session

    unseen = [c for c in introduction_order(cards, given.settings.companies) if matches(c)]
    weights = {t: float(w) or 1.0 for t, w in given.settings.track_weights.items()}
    for card in new_card_order(unseen, states, weights, day):
        before = session_room - room
        if card.id not in chosen and fits_in_session(before, card.minutes, session_room):
            items.append(plan_item(card, ItemKind.NEW, card.minutes, day))
            room -= card.minutes
    return items, session_room


def find_card(workspace: Workspace, card_id: str) -> Card:
    return workspace.card(card_id)


def grade_card(
    workspace: Workspace, card_id: str, quality: int, day: date, seconds: int | None = None
) -> tuple[CardState, GradeKind]:
    """Grade a card and save it at once; a suspended card is not studied (CardSuspended)."""
    workspace.card(card_id)
    if card_id in workspace.store.marks().suspended:
        raise CardSuspended(card_id)
    interview = workspace.settings().interview_date
    return workspace.store.record_grade(card_id, quality, day, interview, seconds)


def undo_last_grade(workspace: Workspace, day: date) -> Undone | UndoneMark:
    """Take back the latest grade or card mark, whichever came last."""
    undone = workspace.store.undo_last(day)
    if undone is None:
        raise NothingToUndo()
    return undone


@dataclass(frozen=True, slots=True)
class CardView:
    """One card as `show` presents it: the card, its state, its grades, its review time."""

    card: Card
    state: CardState | None
    history: list[LoggedGrade]
    review_minutes: int
    marks: Marks = field(default_factory=Marks)  # whether it is suspended, marked known


def card_view(workspace: Workspace, card_id: str, day: date) -> CardView:
    card = find_card(workspace, card_id)
    store = workspace.store
    return CardView(
        card,
        store.state(card_id),
        store.history(card_id),
        review_times(workspace, day).review_minutes(card),
        store.marks(),
    )


def set_setting(workspace: Workspace, name: str, text: str | None, today: date) -> None:
    key = config_key(name)
    if text is not None:
        validate_for_today(name, key.parse(text), today)
        text = key.show(key.parse(text))
    workspace.store.set_setting(name, text)


def show_settings(workspace: Workspace) -> dict[str, str]:
    """Every setting as text: what is stored, or the default."""
    return settings_as_text(workspace.settings())
