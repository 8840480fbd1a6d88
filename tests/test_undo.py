"""Undo: the last grade is taken back, the card's state restored exactly, the log kept."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.adapters.sqlite.store import DATABASE_NAME, Store
from studyplan.core.srs.card_state import GradeKind

DAY = date(2026, 11, 25)

# (card, quality, days after the previous grade): same-day repeats are drills.
grades = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 5), st.integers(0, 20)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(history=grades, undos=st.integers(1, 3))
def test_undo_restores_each_earlier_state_exactly(
    tmp_path_factory: object, history: list[tuple[str, int, int]], undos: int
) -> None:
    home = Path(str(tmp_path_factory.mktemp("undo")))  # type: ignore[attr-defined]
    store = Store.open(home)
    day = DAY
    snapshots = [store.states()]
    interview = DAY + timedelta(days=60)
    for card_id, quality, gap in history:
        day += timedelta(days=gap)
        store.record_grade(card_id, quality, day, interview)
        snapshots.append(store.states())
    for back in range(1, min(undos, len(history)) + 1):
        undone = store.undo_last(day)
        assert undone is not None and undone.card_id == history[-back][0]
        assert store.states() == snapshots[-1 - back]
    store.close()


def test_undo_keeps_the_log_and_hides_the_grade(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.record_grade("a", 4, DAY, seconds=30)
    store.record_grade("a", 2, DAY + timedelta(days=1), seconds=45)
    undone = store.undo_last(DAY + timedelta(days=1))
    assert undone is not None and (undone.quality, undone.kind) == (2, GradeKind.SM2)
    assert undone.state is not None and undone.state.due == DAY + timedelta(days=1)
    assert [g.quality for g in store.grades_on(DAY + timedelta(days=1))] == []
    assert [(g.quality, g.seconds) for g in store.history("a")] == [(4, 30)]
    raw = sqlite3.connect(tmp_path / DATABASE_NAME)
    kinds = [row[0] for row in raw.execute("SELECT kind FROM review_log ORDER BY id")]
    assert kinds == ["sm2", "sm2", "undo"]  # append-only: the undo is recorded, nothing removed
    # Undoing the first grade makes the card new again; then nothing is left to undo.
    again = store.undo_last(DAY + timedelta(days=1))
    assert again is not None and again.state is None and store.states() == {}
    assert store.undo_last(DAY + timedelta(days=1)) is None
    store.close()


def test_undoing_a_drill_leaves_the_schedule(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.record_grade("a", 2, DAY)
    before = store.states()
    store.record_grade("a", 4, DAY)  # the same day: a re-drill
    undone = store.undo_last(DAY)
    assert undone is not None and undone.kind is GradeKind.DRILL
    assert store.states() == before
    assert [g.quality for g in store.grades_on(DAY)] == [2]
    store.close()
