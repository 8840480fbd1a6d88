"""The SQLite store: migrations, the append-only log, refusing databases it cannot trust."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from studyplan.adapters.sqlite.store import DATABASE_NAME, SCHEMA_VERSION, Store
from studyplan.core.errors import StoreError
from studyplan.core.srs.card_state import GradeKind

DAY = date(2026, 11, 25)


def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_grade_is_committed_before_returning(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    state, kind = store.record_grade("coding-two-sum", 4, DAY)
    assert kind is GradeKind.SM2 and state.interval == 1
    # A second connection, as another process would, already sees both rows.
    other = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert other.execute(
        "SELECT repetitions, interval, easiness, due FROM card_state"
    ).fetchall() == [(1, 1, 250, "2026-11-26")]
    log = other.execute(
        "SELECT card_id, day, quality, kind, repetitions_before, due_after FROM review_log"
    ).fetchall()
    assert log == [("coding-two-sum", "2026-11-25", 4, "sm2", None, "2026-11-26")]
    store.close()


def test_second_grade_same_day_is_a_drill_that_keeps_the_state(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    first, _ = store.record_grade("x", 2, DAY)
    again, kind = store.record_grade("x", 5, DAY)
    assert kind is GradeKind.DRILL and again == first
    assert [(g.quality, g.kind) for g in store.grades_on(DAY)] == [
        (2, GradeKind.SM2),
        (5, GradeKind.DRILL),
    ]
    store.close()


def test_all_states_read_together_match_each_state_read_alone(tmp_path: Path) -> None:
    """`states` checks its rows a column at a time, `state` one row: the same records."""
    store = Store.open(tmp_path)
    grades = [("a", 4), ("b", 1), ("c", 5), ("a", 5), ("b", 4), ("a", 2), ("c", 4)]
    for offset, (card_id, quality) in enumerate(grades):
        store.record_grade(card_id, quality, DAY + timedelta(days=offset))
    states = store.states()
    assert states == {card_id: store.state(card_id) for card_id in ("a", "b", "c")}
    a = states["a"]
    assert (a.repetitions, a.interval, a.lapses) == (0, 1, 1)
    assert (a.introduced, a.last_review, a.due) == (
        DAY,
        DAY + timedelta(days=5),
        DAY + timedelta(days=6),
    )
    store.close()


def test_review_log_is_append_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.record_grade("x", 4, DAY)
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM review_log")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE review_log SET quality = 5")
    store.close()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    path = tmp_path / DATABASE_NAME
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer studyplan"):
        Store.open(tmp_path)
    assert path.read_bytes() == before


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="is not an SQLite database"):
        Store.open(tmp_path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_settings_round_trip(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.set_setting("minutes-per-day", "45")
    store.set_setting("companies", "apple")
    store.set_setting("companies", None)
    assert store.settings() == {"minutes-per-day": "45"}
    store.close()
