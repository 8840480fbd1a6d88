"""Skipping what you know, as the plan sees it: a suspended card is never planned, reviewed,
mocked or forecast; a card marked known is never planned as new and counts as learned."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyplan.app import marks, mock, study
from studyplan.app.workspace import Workspace
from studyplan.core.errors import CardSuspended
from studyplan.core.plan import ItemKind, Plan

DAY = date(2026, 11, 25)
TRACKS = ("coding", "ml", "system-design", "behavioral")
CARD_IDS = [f"{track}-{n}" for track in TRACKS for n in range(4)]


def write_corpus(root: Path) -> Path:
    """Sixteen cards, four per track, 4-7 minutes each: a 30-minute day plans a few of them."""
    (root / "cards").mkdir(parents=True)
    for track in TRACKS:
        body = f'track = "{track}"\n\n'
        for n in range(4):
            body += (
                f'[[card]]\nid = "{track}-{n}"\ntopic = "t{n % 2}"\ndifficulty = "easy"\n'
                f'priority = "{"core" if n < 2 else "common"}"\nminutes = {4 + n}\n'
                f'prompt = "Question {track} {n}?"\nanswer = "- one\\n- two"\n\n'
            )
        (root / "cards" / f"{track}.toml").write_text(body, encoding="utf-8")
    return root


def workspace(folder: Path, interview: date | None = None) -> Workspace:
    space = Workspace(folder / "home", corpus=write_corpus(folder / "corpus"))
    study.set_setting(space, "minutes-per-day", "30", DAY)
    if interview is not None:
        study.set_setting(space, "interview-date", interview.isoformat(), DAY)
    return space


def planned(plans: list[Plan]) -> set[str]:
    return {item.card_id for plan in plans for item in (*plan.items, *plan.deferred)}


# Each day: days since the previous one, which cards to suspend or bring back, and a grade
# for each planned card in turn (cycled).
DAYS = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.sets(st.sampled_from(CARD_IDS), max_size=5),
        st.lists(st.integers(0, 5), min_size=1, max_size=6),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=DAYS)
def test_a_suspended_card_is_never_planned_reviewed_or_mocked(
    tmp_path_factory: pytest.TempPathFactory, days: list[tuple[int, set[str], list[int]]]
) -> None:
    space = workspace(tmp_path_factory.mktemp("suspend"))
    day = DAY
    for gap, toggles, qualities in days:
        day += timedelta(days=gap)
        for card_id in sorted(toggles):  # studied or not, suspended or not: flip it
            if card_id in space.store.marks().suspended:
                marks.unsuspend(space, card_id, day)
            else:
                marks.suspend(space, card_id, day)
        suspended = set(space.store.marks().suspended)
        plan = study.today_plan(space, day)
        assert not planned([plan]) & suspended
        assert not planned(study.week_plans(space, day, 7)) & suspended
        given = study.planning_inputs(space, day)
        for track in TRACKS:
            items, _ = study.review_items(given, day, 20, track, None)
            assert not {item.card_id for item in items} & suspended
        asked = mock.start_mock(space, None, None, day)
        assert not {question.card.id for question in asked} & suspended
        for number, item in enumerate(plan.items):
            study.grade_card(space, item.card_id, qualities[number % len(qualities)], day)
        for card_id in suspended:
            with pytest.raises(CardSuspended):
                study.grade_card(space, card_id, 4, day)
    space.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    known=st.sets(st.sampled_from(CARD_IDS), max_size=10),
    gaps=st.lists(st.integers(1, 3), min_size=1, max_size=10),
    quality=st.integers(3, 5),
)
def test_a_known_card_is_never_planned_as_new(
    tmp_path_factory: pytest.TempPathFactory, known: set[str], gaps: list[int], quality: int
) -> None:
    space = workspace(tmp_path_factory.mktemp("known"))
    for card_id in sorted(known):
        marks.mark_known(space, card_id, DAY)
    day = DAY
    for gap in gaps:
        plan = study.today_plan(space, day)
        news = {item.card_id for item in plan.items if item.kind is ItemKind.NEW}
        assert not news & known
        for item in plan.items:
            if item.card_id in known:  # its first review: six days on, not before
                assert (day - DAY).days >= 6
            study.grade_card(space, item.card_id, quality, day)
        day += timedelta(days=gap)
    for plan in study.week_plans(space, day, 7):
        assert not {i.card_id for i in plan.items if i.kind is ItemKind.NEW} & known
    space.close()


def test_the_forecast_counts_known_cards_as_learned_and_leaves_suspended_ones_out(
    tmp_path: Path,
) -> None:
    space = workspace(tmp_path, interview=DAY + timedelta(days=40))
    _, before = study.today_with_forecast(space, DAY)
    assert before is not None and (before.matter, before.known) == (16, 0)
    marks.mark_known(space, "ml-0", DAY)
    marks.mark_known(space, "ml-1", DAY)
    marks.suspend(space, "coding-3", DAY)
    _, after = study.today_with_forecast(space, DAY)
    assert after is not None and (after.matter, after.known) == (15, 2)
    space.close()
