"""Skipping what you know: suspending cards, marking them known, and the placement pass.

A suspended card is left out before anything is planned (`study_set`): no plan, review
session, mock, forecast or calendar sees it. A card marked known gets a real card state (no
longer new, first review in about a week), so everything that counts learned cards counts it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from studyplan.app.workspace import Workspace
from studyplan.core.model import PRIORITY_RANK, Card
from studyplan.core.records import Marks
from studyplan.core.srs.card_state import CardState


def study_set(
    cards: Sequence[Card], states: Mapping[str, CardState], marks: Marks
) -> tuple[list[Card], dict[str, CardState]]:
    """The cards and states the plan may use: everything but the suspended cards."""
    left_out = marks.suspended
    if not left_out:
        return list(cards), dict(states)
    return (
        [card for card in cards if card.id not in left_out],
        {card_id: state for card_id, state in states.items() if card_id not in left_out},
    )


def suspend(workspace: Workspace, card_id: str, day: date) -> date | None:
    """Suspend a card (shipped, own or imported); the day it already was, if it was."""
    workspace.card(card_id)
    return workspace.store.suspend(card_id, day)


def unsuspend(workspace: Workspace, card_id: str, day: date) -> tuple[bool, CardState | None]:
    """Bring a card back into the plan: whether it was suspended, and its state."""
    workspace.card(card_id)
    was = workspace.store.unsuspend(card_id, day)
    return was, workspace.store.state(card_id)


def mark_known(workspace: Workspace, card_id: str, day: date) -> CardState:
    """A card learned before: no longer new, first review in about a week."""
    workspace.card(card_id)
    interview = workspace.settings().interview_date
    return workspace.store.mark_known(card_id, day, interview)


def placement_cards(
    workspace: Workspace, track: str | None = None, company: str | None = None
) -> list[Card]:
    """The cards placement asks about: never studied, not suspended, not answered in an
    earlier pass; core first, then common and deep; within each, the target companies'
    cards first, then the order of the question bank."""
    store = workspace.store
    marks, states = store.marks(), store.states()
    targets = set(workspace.settings().companies)
    asked = [
        (index, card)
        for index, card in enumerate(workspace.cards)
        if card.id not in states
        and card.id not in marks.suspended
        and card.id not in marks.placed
        and (track is None or card.track.value == track)
        and (company is None or company in card.companies)
    ]
    asked.sort(
        key=lambda pair: (
            PRIORITY_RANK[pair[1].priority],
            not targets & set(pair[1].companies),
            pair[0],
        )
    )
    return [card for _, card in asked]


def place(workspace: Workspace, card: Card, known: bool, day: date) -> None:
    """One placement answer, saved at once: known, or to learn (the card stays new)."""
    if known:
        mark_known(workspace, card.id, day)
    else:
        workspace.store.mark_to_learn(card.id, day)
