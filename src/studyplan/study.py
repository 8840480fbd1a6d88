"""What the study commands do, between the CLI and the pure core."""

from __future__ import annotations

from datetime import date

from studyplan.content.model import Card
from studyplan.errors import UnknownCard, UnknownTopic
from studyplan.planner import GradeToday, Plan, PlanItem, plan_day, simulate_days, topic_drill
from studyplan.settings import Settings, config_key, settings_as_text, validate_for_today
from studyplan.srs.card_state import CardState, GradeKind
from studyplan.workspace import Workspace

WEEK_DAYS = 7


def grades_today(workspace: Workspace, day: date) -> list[GradeToday]:
    return [GradeToday(g.card_id, g.quality) for g in workspace.store.grades_on(day)]


def today_plan(workspace: Workspace, day: date, minutes: int | None = None) -> Plan:
    cards, states, grades, settings = _planning_inputs(workspace, day)
    return plan_day(cards, states, grades, settings, day, minutes)


def week_plans(workspace: Workspace, start: date, days: int = WEEK_DAYS) -> list[Plan]:
    cards, states, grades, settings = _planning_inputs(workspace, start)
    return simulate_days(cards, states, grades, settings, start, days)


def _planning_inputs(
    workspace: Workspace, day: date
) -> tuple[list[Card], dict[str, CardState], list[GradeToday], Settings]:
    return (
        workspace.cards,
        workspace.store.states(),
        grades_today(workspace, day),
        workspace.settings(),
    )


def review_items(
    workspace: Workspace, day: date, minutes: int | None, track: str | None, topic: str | None
) -> list[PlanItem]:
    """Today's plan, narrowed to a track or topic. A topic drill also brings that topic's
    weakest cards already learned, so `studyplan review --topic T` always has work."""
    cards, states, grades, settings = _planning_inputs(workspace, day)
    if topic is not None and not any(card.topic == topic for card in cards):
        topics = sorted({card.topic for card in cards})
        raise UnknownTopic(topic, topics)
    plan = plan_day(cards, states, grades, settings, day, minutes)
    items = [
        item
        for item in plan.items
        if (track is None or item.track == track) and (topic is None or item.topic == topic)
    ]
    if topic is not None:
        room = plan.minutes_budget - plan.minutes_done - sum(item.minutes for item in items)
        chosen = {item.card_id for item in items}
        items += topic_drill(cards, states, topic, day, room, exclude=chosen)
    return items


def find_card(workspace: Workspace, card_id: str) -> Card:
    for card in workspace.cards:
        if card.id == card_id:
            return card
    raise UnknownCard(card_id)


def grade_card(
    workspace: Workspace, card_id: str, quality: int, day: date
) -> tuple[CardState, GradeKind]:
    find_card(workspace, card_id)
    interview = workspace.settings().interview_date
    return workspace.store.record_grade(card_id, quality, day, interview)


def set_setting(workspace: Workspace, name: str, text: str | None, today: date) -> None:
    key = config_key(name)
    if text is not None:
        validate_for_today(name, key.parse(text), today)
        text = key.show(key.parse(text))
    workspace.store.set_setting(name, text)


def show_settings(workspace: Workspace) -> dict[str, str]:
    """Every setting as text: what is stored, or the default."""
    return settings_as_text(workspace.settings())
