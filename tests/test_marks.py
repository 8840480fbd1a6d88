"""Card marks in the store: suspend, unsuspend, known, placement's "don't know"; each saved at
once, read back as the marks in effect, and taken back by `undo` in the order they came among
the grades."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.adapters.sqlite.schema import MIGRATIONS, SCHEMA_VERSION
from studyplan.adapters.sqlite.store import DATABASE_NAME, Store
from studyplan.core.errors import AlreadyStudied, StoreError
from studyplan.core.records import MarkKind, Undone, UndoneMark
from studyplan.core.srs.card_state import known_state

DAY = date(2026, 11, 25)


def test_suspend_and_unsuspend_are_read_back_and_idempotent(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    assert store.suspend("a", DAY) is None
    assert store.suspend("a", DAY + timedelta(days=2)) == DAY  # already: nothing written
    assert store.marks().suspended == {"a": DAY}
    assert store.unsuspend("a", DAY + timedelta(days=3)) is True
    assert store.unsuspend("a", DAY + timedelta(days=3)) is False
    assert store.marks().suspended == {}
    assert store.suspend("a", DAY + timedelta(days=4)) is None
    assert store.marks().suspended == {"a": DAY + timedelta(days=4)}
    raw = sqlite3.connect(tmp_path / DATABASE_NAME)
    marks = [row[0] for row in raw.execute("SELECT mark FROM card_mark ORDER BY id")]
    assert marks == ["suspend", "unsuspend", "suspend"]
    store.close()


def test_known_is_a_real_state_with_a_first_review_in_about_a_week(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    state = store.mark_known("a", DAY, interview=None)
    assert (state.repetitions, state.interval, state.easiness) == (2, 6, 250)
    assert state.due == DAY + timedelta(days=6)
    assert (state.introduced, state.last_review, state.lapses) == (DAY, DAY, 0)
    assert store.states() == {"a": state}
    assert store.marks().known == {"a": DAY} and "a" in store.marks().placed
    # Never after the interview: three days before it, the first review is its eve.
    near = store.mark_known("b", DAY, interview=DAY + timedelta(days=3))
    assert near.due == DAY + timedelta(days=2)
    # A card already studied is refused and left as it was.
    store.record_grade("c", 4, DAY)
    before = store.states()
    with pytest.raises(AlreadyStudied, match="already being studied"):
        store.mark_known("c", DAY + timedelta(days=1), None)
    assert store.states() == before and "c" not in store.marks().known
    store.close()


def test_grading_a_known_card_follows_sm2_from_its_known_state(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.mark_known("a", DAY, None)
    after, _ = store.record_grade("a", 4, DAY + timedelta(days=6))
    assert (after.repetitions, after.interval) == (3, 15)  # ceil(6 × 2.5)
    assert after.introduced == DAY
    undone = store.undo_last(DAY + timedelta(days=6))
    assert isinstance(undone, Undone) and undone.state == known_state("a", DAY)
    assert store.states() == {"a": known_state("a", DAY)}
    store.close()


# One action on one of three cards, some days after the previous one: a grade (0-5), or a mark.
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["grade", "suspend", "unsuspend", "known", "to-learn"]),
        st.integers(0, 5),
        st.integers(0, 9),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=60, deadline=None)
@given(actions=ACTIONS, undos=st.integers(1, 6))
def test_undo_takes_back_grades_and_marks_in_the_order_they_came(
    tmp_path_factory: pytest.TempPathFactory, actions: list[tuple[str, str, int, int]], undos: int
) -> None:
    store = Store.open(tmp_path_factory.mktemp("marks"))
    day = DAY
    snapshots = [(store.states(), store.marks())]
    done: list[str] = []  # the card each action that changed something was on
    for card_id, action, quality, gap in actions:
        day += timedelta(days=gap)
        if action == "grade":
            store.record_grade(card_id, quality, day)
        elif action == "suspend":
            if store.suspend(card_id, day) is not None:
                continue
        elif action == "unsuspend":
            if not store.unsuspend(card_id, day):
                continue
        elif action == "known":
            if store.state(card_id) is not None:
                continue
            store.mark_known(card_id, day, None)
        else:
            store.mark_to_learn(card_id, day)
        done.append(card_id)
        snapshots.append((store.states(), store.marks()))
    for back in range(1, min(undos, len(done)) + 1):
        undone = store.undo_last(day)
        assert undone is not None and undone.card_id == done[-back]
        assert (store.states(), store.marks()) == snapshots[-1 - back]
    if undos >= len(done):
        assert store.undo_last(day) is None
    store.close()


def test_undo_of_a_placement_answer_only_when_it_is_the_latest(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.mark_to_learn("a", DAY)
    store.record_grade("b", 4, DAY)
    assert store.undo_last(DAY, mark_on="a") is None  # a grade came after it: nothing changes
    assert "a" in store.marks().placed and "b" in store.states()
    store.mark_known("c", DAY, None)
    undone = store.undo_last(DAY, mark_on="c")
    assert isinstance(undone, UndoneMark) and undone.mark is MarkKind.KNOWN
    assert undone.state is None and "c" not in store.states()
    store.close()


def test_a_schema_3_database_gains_card_marks_and_keeps_its_grades(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    for script in MIGRATIONS[:3]:
        db.executescript(script)
    db.execute("PRAGMA user_version = 3")
    db.execute(
        "INSERT INTO review_log (card_id, day, quality, kind, repetitions_after, interval_after,"
        " easiness_after, due_after) VALUES ('a', '2026-11-20', 4, 'sm2', 1, 1, 250, '2026-11-21')"
    )
    db.commit()
    db.close()
    store = Store.open(tmp_path)
    assert [g.card_id for g in store.history("a")] == ["a"]
    assert store.marks().suspended == {}
    store.suspend("a", DAY)
    store.close()
    raw = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4


def test_the_marks_are_append_only(tmp_path: Path) -> None:
    Store.open(tmp_path).suspend("a", DAY)
    raw = sqlite3.connect(tmp_path / DATABASE_NAME)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("DELETE FROM card_mark")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE card_mark SET mark = 'unsuspend'")


def test_a_damaged_mark_is_named_in_one_line(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    raw = sqlite3.connect(tmp_path / DATABASE_NAME)
    raw.execute(
        "INSERT INTO card_mark (card_id, day, mark, after_log) VALUES ('a', '2026-11-25', 'x', 0)"
    )
    raw.commit()
    raw.close()
    store = Store.open(tmp_path)
    with pytest.raises(StoreError) as failure:
        store.marks()
    message = str(failure.value)
    assert "card_mark row 1 (card 'a')" in message and "mark is 'x'" in message
    assert "\n" not in message
    store.close()
