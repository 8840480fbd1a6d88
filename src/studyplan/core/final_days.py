"""The interview's final days: the reviews SM-2 would give just after the interview come
forward.

A card last reviewed before the final days whose next review SM-2 puts on or after the
interview, with the interview using up most of its interval (`needs_refresh`; its due date
then moved to the day before the interview), needs one more review before the interview.
Rather than all of them falling on the eve, each study day left takes an equal share of
their minutes, the cards most at risk first: those whose interval the interview would most
use up since their last review. They fill spare minutes only, so they never crowd out a
due review and are never deferred; a card reviewed in the final days is not brought
forward again (its review carries it to the interview).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

from studyplan.core.model import Card
from studyplan.core.plan import DayBudget, ItemKind, plan_item
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import (
    LAST_REVIEW_DAYS,
    CardState,
    falls_after_interview,
    needs_refresh,
)


def waiting_refreshes(
    by_id: Mapping[str, Card],
    states: Mapping[str, CardState],
    today: date,
    interview: date,
    planned: Collection[str],
) -> list[tuple[Card, CardState]]:
    """Cards whose review comes forward from after the interview, most at risk first."""
    final_start = interview - timedelta(days=LAST_REVIEW_DAYS)
    waiting = [
        (by_id[card_id], state)
        for card_id, state in states.items()
        if card_id in by_id
        and card_id not in planned
        and state.last_review < final_start
        and state.last_review != today
        and falls_after_interview(state, interview)
        and needs_refresh(state.last_review, state.interval, interview)
    ]

    def risk(entry: tuple[Card, CardState]) -> tuple[float, int, str]:
        card, state = entry
        used = (interview - state.last_review).days / max(1, state.interval)
        return (-used, state.easiness, card.id)

    return sorted(waiting, key=risk)


def plan_refreshes(
    fill: DayBudget,
    by_id: Mapping[str, Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    interview: date,
    times: ReviewTimes,
    planned: Collection[str],
) -> None:
    """Today's share of the reviews brought forward (see the module docstring)."""
    waiting = waiting_refreshes(by_id, states, today, interview, planned)
    if not waiting:
        return
    days_left = max(1, settings.study_days(today, interview - timedelta(days=1)))

    def cost(card: Card) -> float:
        return times.review_minutes(card) + times.review_redrill(card)

    share = sum(cost(card) for card, _ in waiting) / days_left
    taken = 0.0
    for card, state in waiting:
        if taken >= share:
            return
        item = plan_item(card, ItemKind.REVIEW, times.review_minutes(card), state.due)
        if fill.offer(item, times.review_redrill(card), defer=False):
            taken += cost(card)
