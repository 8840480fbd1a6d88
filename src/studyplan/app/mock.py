"""Mock interviews in a workspace: choosing the questions, saving each answer's grade."""

from __future__ import annotations

from datetime import date

from studyplan.app import study
from studyplan.app.marks import study_set
from studyplan.app.workspace import Workspace
from studyplan.core.mock import MockOutcome, MockQuestion, plan_mock, quality_from_rubric
from studyplan.core.srs.card_state import CardState, GradeKind


def start_mock(
    workspace: Workspace, company: str | None, minutes: int | None, today: date
) -> tuple[MockQuestion, ...]:
    store = workspace.store
    cards, states = study_set(workspace.cards, store.states(), store.marks())
    last_review = {card_id: s.last_review for card_id, s in states.items()}
    return plan_mock(cards, last_review, company, minutes, today)


def grade_answer(
    workspace: Workspace,
    question: MockQuestion,
    covered: frozenset[int],
    seconds: int,
    today: date,
) -> tuple[MockOutcome, CardState, GradeKind]:
    """Turn the ticked rubric into a grade and save it at once."""
    over_time = seconds > question.minutes * 60
    quality = quality_from_rubric(len(covered), len(question.key_points), over_time)
    state, kind = study.grade_card(workspace, question.card.id, quality, today)
    return MockOutcome(question, covered, seconds, quality), state, kind
