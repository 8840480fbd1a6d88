"""The database's schema: numbered migrations, applied on open, each exactly once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

DATABASE_NAME = "studyplan.db"

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE card_state (
        card_id     TEXT PRIMARY KEY,
        repetitions INTEGER NOT NULL,
        interval    INTEGER NOT NULL,
        easiness    INTEGER NOT NULL,  -- hundredths: 250 = 2.5
        due         TEXT NOT NULL,
        introduced  TEXT NOT NULL,
        last_review TEXT NOT NULL,
        lapses      INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE review_log (
        id                 INTEGER PRIMARY KEY,
        card_id            TEXT NOT NULL,
        day                TEXT NOT NULL,
        quality            INTEGER NOT NULL,
        kind               TEXT NOT NULL,  -- 'sm2' moves the state, 'drill' is a same-day repeat
        repetitions_before INTEGER,
        interval_before    INTEGER,
        easiness_before    INTEGER,
        due_before         TEXT,
        repetitions_after  INTEGER NOT NULL,
        interval_after     INTEGER NOT NULL,
        easiness_after     INTEGER NOT NULL,
        due_after          TEXT NOT NULL
    );
    CREATE INDEX review_log_by_day ON review_log(day);
    CREATE INDEX review_log_by_card ON review_log(card_id);
    CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # Review times, and undo: an 'undo' entry names the entry it takes back; grade_log is
    # the log as if the undone entries had never been given.
    """
    ALTER TABLE review_log ADD COLUMN seconds INTEGER;  -- showing the card to grading it
    ALTER TABLE review_log ADD COLUMN undoes INTEGER;
    CREATE INDEX review_log_by_undoes ON review_log(undoes) WHERE undoes IS NOT NULL;
    CREATE VIEW grade_log AS
        SELECT * FROM review_log AS entry
        WHERE entry.kind != 'undo' AND NOT EXISTS (
            SELECT 1 FROM review_log AS undo WHERE undo.kind = 'undo' AND undo.undoes = entry.id
        );
    """,
    # Reviews from another program (Anki), each logged once however often it is imported;
    # and the modification time each card's exported Anki note carries.
    """
    ALTER TABLE review_log ADD COLUMN origin TEXT;  -- NULL: graded in studyplan; 'anki'
    ALTER TABLE review_log ADD COLUMN origin_id TEXT;  -- its id there (Anki: the revlog id)
    CREATE UNIQUE INDEX review_log_by_origin ON review_log(origin, origin_id)
        WHERE origin_id IS NOT NULL;
    CREATE TABLE anki_note (
        card_id    TEXT PRIMARY KEY,
        fields_sha TEXT NOT NULL,  -- the exported fields and tags
        mtime      INTEGER NOT NULL  -- seconds; changes only when the fields do
    );
    """,
    # Marks a user sets on cards besides grades: suspend, unsuspend, known, to-learn
    # (placement's "don't know"), and 'undo' entries naming the mark they take back. Append-only
    # like the review log. `after_log` places a mark among the grades for undo: it came after
    # every review_log entry up to that id. A known mark keeps the due date it gave the card.
    """
    CREATE TABLE card_mark (
        id        INTEGER PRIMARY KEY,
        card_id   TEXT NOT NULL,
        day       TEXT NOT NULL,
        mark      TEXT NOT NULL,
        due       TEXT,
        undoes    INTEGER,
        after_log INTEGER NOT NULL
    );
    CREATE INDEX card_mark_by_undoes ON card_mark(undoes) WHERE undoes IS NOT NULL;
    CREATE TRIGGER card_mark_no_update BEFORE UPDATE ON card_mark
        BEGIN SELECT RAISE(ABORT, 'the card marks are append-only'); END;
    CREATE TRIGGER card_mark_no_delete BEFORE DELETE ON card_mark
        BEGIN SELECT RAISE(ABORT, 'the card marks are append-only'); END;
    CREATE VIEW mark_log AS
        SELECT * FROM card_mark AS entry
        WHERE entry.mark != 'undo' AND NOT EXISTS (
            SELECT 1 FROM card_mark AS undo WHERE undo.mark = 'undo' AND undo.undoes = entry.id
        );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def has_studyplan_tables(connection: sqlite3.Connection) -> bool:
    names = {
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return {"card_state", "review_log", "settings"} <= names


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, trigger bodies kept whole."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""


def migrate(connection: sqlite3.Connection, version: int) -> None:
    """Apply the migrations after `version`, each in one transaction that first re-reads the
    version under the write lock: a process that lost the race finds the step done and skips it."""
    for number in range(version, SCHEMA_VERSION):
        connection.execute("BEGIN IMMEDIATE")
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] <= number:
                for statement in _statements(MIGRATIONS[number]):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {number + 1}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
