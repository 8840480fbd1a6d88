"""A failed card is never lost: its re-drill comes that day, or first on the next study day."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.adapters.sqlite.store import Store
from studyplan.core.model import Card, Difficulty, Track
from studyplan.core.plan import GradeToday, ItemKind
from studyplan.core.planner import plan_day
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState
from studyplan.core.srs.sm2 import Sm2State
from studyplan.core.study_days import parse_days_off

Run = Callable[..., Result]
DAY = date(2026, 12, 7)
CARDS = [
    Card(f"c{n}", Track.CODING, "t", (), Difficulty.EASY, 4 + n % 6, f"c{n}?", "A.")
    for n in range(12)
]


def due_state(card_id: str, overdue: int) -> CardState:
    due = DAY - timedelta(days=overdue)
    return CardState(card_id, Sm2State(2, 6, 230), due, due - timedelta(20), due - timedelta(6))


@settings(max_examples=150, deadline=None)
@given(
    open_drills=st.sets(st.sampled_from([c.id for c in CARDS]), max_size=6),
    failed_today=st.sets(st.sampled_from([c.id for c in CARDS]), max_size=4),
    overdue=st.dictionaries(st.sampled_from([c.id for c in CARDS]), st.integers(0, 20)),
    budget=st.integers(0, 90),
)
def test_re_drills_come_first_whatever_the_budget_and_the_backlog(
    open_drills: set[str], failed_today: set[str], overdue: dict[str, int], budget: int
) -> None:
    states = {card_id: due_state(card_id, days) for card_id, days in overdue.items()}
    grades = [GradeToday(card_id, 2) for card_id in sorted(failed_today)]
    plan = plan_day(
        CARDS, states, grades, Settings(new_per_day=0), DAY, budget, open_drills=open_drills
    )
    drills = failed_today | open_drills
    head = [item.card_id for item in plan.items[: len(drills)]]
    assert sorted(head) == sorted(drills)
    assert all(item.kind is ItemKind.RELEARN for item in plan.items[: len(drills)])
    assert not drills & {item.card_id for item in plan.deferred}
    # Due reviews not re-drilled are planned or deferred, each once.
    shown = [i.card_id for i in plan.items[len(drills) :]] + [i.card_id for i in plan.deferred]
    assert sorted(shown) == sorted(set(states) - drills)


def test_open_re_drills_wait_for_the_next_study_day() -> None:
    away = Settings(days_off=parse_days_off("2026-12-08..2026-12-09"))
    off = plan_day(CARDS, {}, [], away, DAY + timedelta(days=1), open_drills={"c1"})
    assert not off.items
    back = plan_day(CARDS, {}, [], away, DAY + timedelta(days=3), open_drills={"c1"})
    assert back.items[0].card_id == "c1" and back.items[0].kind is ItemKind.RELEARN


grades = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(["c0", "c1", "c2", "c3"]), st.integers(0, 5)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(history=grades, undo=st.booleans())
def test_any_grade_history_leaves_no_failed_card_without_its_re_drill(
    history: list[tuple[int, str, int]], undo: bool
) -> None:
    """Grades in day order through the real store, perhaps the last one undone: every card whose
    last grade of the last day studied is below 4 comes first the next day."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder))
        try:
            for offset, card_id, quality in sorted(history, key=lambda g: g[0]):
                store.record_grade(card_id, quality, DAY + timedelta(days=offset))
            last_day = DAY + timedelta(days=max(offset for offset, _, _ in history))
            if undo:
                store.undo_last(last_day)
            next_day = last_day + timedelta(days=1)
            kept = store.grades_on(
                max((g.day for g in store.recent_grades(last_day, 1)), default=DAY)
            )
            latest = {g.card_id: g.quality for g in kept}
            expected = sorted(c for c, q in latest.items() if q < 4)
            assert store.open_redrills(next_day) == expected
            plan = plan_day(CARDS, store.states(), [], Settings(), next_day, open_drills=expected)
            assert [item.card_id for item in plan.items[: len(expected)]] == expected
        finally:
            store.close()


def test_a_re_drill_done_closes_it_and_only_the_last_session_counts(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        store.record_grade("c0", 2, DAY)
        store.record_grade("c1", 3, DAY)
        store.record_grade("c1", 4, DAY)  # re-drilled
        assert store.open_redrills(DAY + timedelta(days=1)) == ["c0"]
        assert store.open_redrills(DAY) == []  # today's failures are today's re-drills
        store.record_grade("c2", 1, DAY + timedelta(days=2))
        assert store.open_redrills(DAY + timedelta(days=5)) == ["c2"]  # the last session only
        store.record_grade("c2", 5, DAY + timedelta(days=2))
        assert store.open_redrills(DAY + timedelta(days=5)) == []
        store.undo_last(DAY + timedelta(days=2))  # the re-drill taken back: open again
        assert store.open_redrills(DAY + timedelta(days=5)) == ["c2"]
    finally:
        store.close()


def test_today_brings_yesterdays_failed_card_first(run: Run) -> None:
    run("config", "minutes-per-day", "20")
    run("grade", "coding-two-sum", "again", "--date", "2026-12-06")
    plan = json.loads(run("today", "--date", "2026-12-07", "--json").output)
    assert plan["items"][0] == {
        **plan["items"][0],
        "card_id": "coding-two-sum",
        "kind": "relearn",
    }
    assert "1 to re-drill" in run("today", "--date", "2026-12-07").output
