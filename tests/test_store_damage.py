"""A damaged database is one line naming the file and what is wrong, exit 1, nothing written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.sqlite.dbfile import VERDICT_FILE, sqlite_failure
from studyplan.adapters.sqlite.store import DATABASE_NAME

Run = Callable[..., Result]
DAY = "2026-11-25"
READERS = [
    ("today", "--date", DAY),
    ("week", "--date", DAY),
    ("stats", "--date", DAY),
    ("cards",),
]


@pytest.fixture
def db(run: Run, isolated_home: Path) -> Path:
    """A workspace with a few grades, closed cleanly (everything in the main file)."""
    for card in ("coding-two-sum", "ml-bias-variance-tradeoff", "coding-valid-parentheses"):
        assert run("grade", card, "4", "--date", DAY).exit_code == 0
    return isolated_home / DATABASE_NAME


def change(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        connection.execute(statement)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in home.iterdir() if p.name.startswith(DATABASE_NAME)}


def assert_refused(run: Run, home: Path, args: tuple[str, ...], line: str) -> None:
    before = files(home)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {line}\n"
    assert files(home) == before  # nothing rewritten


ADVICE = "it was left as it is: correct that value with sqlite3, or restore the file from a backup"


@pytest.mark.parametrize("args", READERS)
def test_a_bad_due_date(run: Run, db: Path, args: tuple[str, ...]) -> None:
    change(db, "UPDATE card_state SET due = '2026-1:-05' WHERE card_id = 'coding-two-sum'")
    assert_refused(
        run,
        db.parent,
        args,
        f"{db} has a damaged value (card_state row of card 'coding-two-sum': due is "
        f"'2026-1:-05', not a date (YYYY-MM-DD)) — {ADVICE}",
    )


def test_easiness_stored_as_text(run: Run, db: Path) -> None:
    change(db, "UPDATE card_state SET easiness = 'high' WHERE card_id = 'coding-two-sum'")
    assert_refused(
        run,
        db.parent,
        ("today", "--date", DAY),
        f"{db} has a damaged value (card_state row of card 'coding-two-sum': easiness is "
        f"'high', not a whole number ≥ 130) — {ADVICE}",
    )


@pytest.mark.parametrize(
    ("assignment", "problem"),
    [
        ("repetitions = -1", "repetitions is -1, not a whole number ≥ 0"),
        ("interval = 'six'", "interval is 'six', not a whole number ≥ 0"),
        ("easiness = 129", "easiness is 129, not a whole number ≥ 130"),
        ("lapses = 1.5", "lapses is 1.5, not a whole number ≥ 0"),
        ("introduced = '2026-02-30'", "introduced is '2026-02-30', not a date (YYYY-MM-DD)"),
        ("last_review = x'3230'", "last_review is b'20', not a date (YYYY-MM-DD)"),
    ],
)
def test_a_damaged_state_in_any_row_is_named(
    run: Run, db: Path, assignment: str, problem: str
) -> None:
    """The states are checked a column at a time; a bad value is still named by row and field."""
    change(db, f"UPDATE card_state SET {assignment} WHERE card_id = 'ml-bias-variance-tradeoff'")
    assert_refused(
        run,
        db.parent,
        ("today", "--date", DAY),
        f"{db} has a damaged value (card_state row of card 'ml-bias-variance-tradeoff': "
        f"{problem}) — {ADVICE}",
    )


def test_text_that_is_not_utf8(run: Run, db: Path) -> None:
    change(
        db,
        "UPDATE card_state SET last_review = CAST(x'323032362d31312dff35' AS TEXT)"
        " WHERE card_id = 'coding-two-sum'",
    )
    assert_refused(
        run,
        db.parent,
        ("today", "--date", DAY),
        f"{db} has a damaged value (card_state row of card 'coding-two-sum': last_review is "
        f"b'2026-11-\\xff5', not UTF-8 text) — {ADVICE}",
    )


def test_an_unknown_review_kind(run: Run, db: Path) -> None:
    change(
        db,
        "INSERT INTO review_log (card_id, day, quality, kind, repetitions_after, interval_after,"
        " easiness_after, due_after) VALUES ('coding-two-sum', '2026-11-25', 4, 'zap', 1, 1,"
        " 250, '2026-11-26')",
    )
    expected = (
        f"{db} has a damaged value (review_log row 4 (card 'coding-two-sum'): kind is 'zap', "
        f"not 'sm2' or 'drill') — {ADVICE}"
    )
    assert_refused(run, db.parent, ("today", "--date", DAY), expected)
    assert_refused(run, db.parent, ("stats", "--date", DAY), expected)


@pytest.mark.parametrize(
    ("assignment", "problem"),
    [
        ("quality = 7", "quality is 7, not a whole number 0-5"),
        ("seconds = -3", "seconds is -3, not a whole number 0-86400"),
        ("interval_after = 2.5", "interval_after is 2.5, not a whole number ≥ 0"),
        ("due_after = '2026-11-31'", "due_after is '2026-11-31', not a date (YYYY-MM-DD)"),
        ("kind = x'736d32'", "kind is b'sm2', not 'sm2' or 'drill'"),
        ("origin = x'ff'", "origin is b'\\xff', not UTF-8 text"),
    ],
)
def test_a_damaged_grade_in_any_row_is_named(
    run: Run, db: Path, assignment: str, problem: str
) -> None:
    """The log is checked a column at a time; a bad value is still named by row and field."""
    change(
        db,
        "DROP TRIGGER review_log_no_update",
        f"UPDATE review_log SET {assignment} WHERE id = 2",
    )
    expected = (
        f"{db} has a damaged value (review_log row 2 (card 'ml-bias-variance-tradeoff'): "
        f"{problem}) — {ADVICE}"
    )
    assert_refused(run, db.parent, ("today", "--date", DAY), expected)
    assert_refused(run, db.parent, ("stats", "--date", DAY), expected)


def test_a_bad_setting(run: Run, db: Path) -> None:
    change(db, "INSERT INTO settings VALUES ('minutes-per-day', CAST(x'3435ff' AS TEXT))")
    assert_refused(
        run,
        db.parent,
        ("today", "--date", DAY),
        f"{db} has a damaged value (settings row 'minutes-per-day': value is b'45\\xff', "
        f"not UTF-8 text) — {ADVICE}",
    )


def damage_index(path: Path, index: str, old: bytes, new: bytes) -> None:
    """Rewrite one key inside an index b-tree page, leaving its table alone."""
    connection = sqlite3.connect(path)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root[0] - 1) * page_size
    at = data.index(old, start, start + page_size)
    data[at : at + len(old)] = new
    path.write_bytes(bytes(data))


def test_a_damaged_index_is_found_and_refused(run: Run, db: Path) -> None:
    # Without the check, the day's grades silently lose one: the planner reads them by index.
    damage_index(db, "review_log_by_day", b"2026-11-25", b"2026-11-24")
    assert_refused(
        run,
        db.parent,
        ("stats", "--date", DAY),
        f"{db} is damaged (integrity check: row 3 missing from index review_log_by_day) — it "
        f"was left as it is: restore it from a backup, or salvage it with `sqlite3 {db} .recover`",
    )


def test_the_check_is_remembered_until_the_file_changes(run: Run, db: Path) -> None:
    assert run("today", "--date", DAY).exit_code == 0
    verdict = json.loads((db.parent / VERDICT_FILE).read_bytes())
    assert verdict["result"] == "ok"
    stat = db.stat()
    assert verdict["key"][0] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    damage_index(db, "review_log_by_day", b"2026-11-25", b"2026-11-24")  # changes the mtime
    assert run("today", "--date", DAY).exit_code == 1


def test_an_empty_file_is_refused_not_reinitialised(run: Run, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / DATABASE_NAME).write_bytes(b"")
    assert_refused(
        run,
        isolated_home,
        ("grade", "coding-two-sum", "4"),
        f"{isolated_home / DATABASE_NAME} is empty (0 bytes), so it was damaged: studyplan never "
        "leaves an empty database — restore it from a backup, or move it aside to start afresh",
    )


def test_another_programs_sqlite_file_is_refused(run: Run, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    path = isolated_home / DATABASE_NAME
    change(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    assert_refused(
        run,
        isolated_home,
        ("config", "minutes-per-day", "30"),
        f"{path} is an SQLite database without studyplan's tables — it was left as it is: move "
        "it aside, or choose another folder with --home",
    )


def test_a_busy_database_is_not_called_damaged(db: Path) -> None:
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    waiting = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            waiting.execute("BEGIN IMMEDIATE")
    finally:
        waiting.close()
        blocker.execute("ROLLBACK")
        blocker.close()
    assert str(sqlite_failure(db, caught.value, "save to")) == (
        f"{db} is busy: another studyplan process is using it — try again in a moment"
    )
