"""The user's SQLite database: card states, the append-only review log, settings.

Opened in one place; schema changes are numbered migrations applied on open. Every grade
is one transaction, committed before the call returns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from studyplan.errors import StoreError
from studyplan.srs.card_state import CardState, GradeKind, apply_grade
from studyplan.srs.sm2 import PASSING, Sm2State

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
)
UNDO_KIND = "undo"
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True, slots=True)
class LoggedGrade:
    card_id: str
    day: date
    quality: int
    kind: GradeKind
    easiness_after: int
    interval_after: int
    seconds: int | None = None
    due_after: date | None = None


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """One review log entry; `first` marks a card's first grade ever (learning, not recall)."""

    card_id: str
    day: date
    quality: int
    kind: GradeKind
    first: bool
    seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Undone:
    """A grade taken back, and the card's state now (None: the card is new again)."""

    card_id: str
    day: date
    quality: int
    kind: GradeKind
    state: CardState | None


class Store:
    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, home: Path) -> Store:
        path = home / DATABASE_NAME
        try:
            home.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None, timeout=5.0)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database at {path}: {exc}") from None
        try:
            connection.execute("PRAGMA busy_timeout = 5000")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{path} was written by a newer studyplan (schema {version}, this one knows "
                    f"{SCHEMA_VERSION}) — upgrade studyplan; the file was left untouched"
                )
            if version < SCHEMA_VERSION:
                _migrate(connection, version)
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise StoreError(
                f"{path} is not a readable studyplan database ({exc}) — move it aside to start afresh"
            ) from None
        except StoreError:
            connection.close()
            raise
        return cls(connection, path)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"could not save to {self.path}: {exc}") from None

    # card state -----------------------------------------------------------------------------

    def states(self) -> dict[str, CardState]:
        rows = self._read("SELECT * FROM card_state")
        return {row[0]: _state_from_row(row) for row in rows}

    def state(self, card_id: str) -> CardState | None:
        rows = self._read("SELECT * FROM card_state WHERE card_id = ?", (card_id,))
        return _state_from_row(rows[0]) if rows else None

    def record_grade(
        self,
        card_id: str,
        quality: int,
        day: date,
        interview: date | None = None,
        seconds: int | None = None,
    ) -> tuple[CardState, GradeKind]:
        """Grade one card on `day` and commit it, log entry and new state together."""
        with self._write() as db:
            row = db.execute("SELECT * FROM card_state WHERE card_id = ?", (card_id,)).fetchone()
            before = _state_from_row(row) if row else None
            after, kind = apply_grade(before, card_id, quality, day, interview)
            db.execute(
                "INSERT INTO review_log (card_id, day, quality, kind, repetitions_before,"
                " interval_before, easiness_before, due_before, repetitions_after, interval_after,"
                " easiness_after, due_after, seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    card_id,
                    day.isoformat(),
                    quality,
                    kind.value,
                    before.repetitions if before else None,
                    before.interval if before else None,
                    before.easiness if before else None,
                    before.due.isoformat() if before else None,
                    after.repetitions,
                    after.interval,
                    after.easiness,
                    after.due.isoformat(),
                    seconds,
                ),
            )
            if kind is GradeKind.SM2:
                _save_state(db, after)
        return after, kind

    def undo_last(self, today: date) -> Undone | None:
        """Take back the latest grade still in effect: the log keeps it and records the undo;
        the card's state becomes exactly what it was before that grade. None: nothing to undo."""
        with self._write() as db:
            last = db.execute(
                "SELECT id, card_id, day, quality, kind FROM grade_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if last is None:
                return None
            entry_id, card_id, day, quality, kind = last
            row = db.execute("SELECT * FROM card_state WHERE card_id = ?", (card_id,)).fetchone()
            current = _state_from_row(row) if row else None
            restored = current if kind != GradeKind.SM2 else _state_before(db, card_id, entry_id)
            if kind == GradeKind.SM2:
                if restored is None:
                    db.execute("DELETE FROM card_state WHERE card_id = ?", (card_id,))
                else:
                    _save_state(db, restored)
            db.execute(
                "INSERT INTO review_log (card_id, day, quality, kind, repetitions_before,"
                " interval_before, easiness_before, due_before, repetitions_after, interval_after,"
                " easiness_after, due_after, undoes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    card_id,
                    today.isoformat(),
                    quality,
                    UNDO_KIND,
                    current.repetitions if current else None,
                    current.interval if current else None,
                    current.easiness if current else None,
                    current.due.isoformat() if current else None,
                    restored.repetitions if restored else 0,
                    restored.interval if restored else 0,
                    restored.easiness if restored else 0,
                    (restored.due if restored else today).isoformat(),
                    entry_id,
                ),
            )
        return Undone(card_id, date.fromisoformat(day), quality, GradeKind(kind), restored)

    def history(self, card_id: str) -> list[LoggedGrade]:
        """Every grade of one card still in effect, oldest first."""
        return self._grades("WHERE card_id = ?", (card_id,))

    # review log -----------------------------------------------------------------------------

    def grades_on(self, day: date) -> list[LoggedGrade]:
        return self._grades("WHERE day = ?", (day.isoformat(),))

    def reviews_between(self, first: date, last: date) -> list[LoggedReview]:
        rows = self._read(
            "SELECT card_id, day, quality, kind, repetitions_before IS NULL, seconds FROM grade_log"
            " WHERE day BETWEEN ? AND ? ORDER BY id",
            (first.isoformat(), last.isoformat()),
        )
        return [
            LoggedReview(r[0], date.fromisoformat(r[1]), r[2], GradeKind(r[3]), bool(r[4]), r[5])
            for r in rows
        ]

    def review_counts_by_day(self, last: date) -> dict[date, int]:
        """How many grades (reviews and drills) each day up to `last` holds; idle days are absent."""
        rows = self._read(
            "SELECT day, count(*) FROM grade_log WHERE day <= ? GROUP BY day ORDER BY day",
            (last.isoformat(),),
        )
        return {date.fromisoformat(day): count for day, count in rows}

    def _grades(self, where: str, args: tuple[str, ...]) -> list[LoggedGrade]:
        rows = self._read(
            "SELECT card_id, day, quality, kind, easiness_after, interval_after, seconds,"
            f" due_after FROM grade_log {where} ORDER BY id",
            args,
        )
        return [
            LoggedGrade(
                r[0],
                date.fromisoformat(r[1]),
                r[2],
                GradeKind(r[3]),
                r[4],
                r[5],
                r[6],
                date.fromisoformat(r[7]),
            )
            for r in rows
        ]

    # settings -------------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        return dict(self._read("SELECT key, value FROM settings"))

    def set_setting(self, key: str, value: str | None) -> None:
        with self._write() as db:
            if value is None:
                db.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))

    def _read(self, sql: str, args: tuple[str, ...] = ()) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"could not read {self.path}: {exc}") from None


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    for number in range(version, SCHEMA_VERSION):
        try:
            connection.executescript(
                f"BEGIN IMMEDIATE; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; COMMIT;"
            )
        except sqlite3.Error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise


def _save_state(db: sqlite3.Connection, state: CardState) -> None:
    db.execute(
        "INSERT OR REPLACE INTO card_state VALUES (?,?,?,?,?,?,?,?)",
        (
            state.card_id,
            state.repetitions,
            state.interval,
            state.easiness,
            state.due.isoformat(),
            state.introduced.isoformat(),
            state.last_review.isoformat(),
            state.lapses,
        ),
    )


def _state_before(db: sqlite3.Connection, card_id: str, entry_id: int) -> CardState | None:
    """The card's state just before log entry `entry_id`, from the SM-2 entries in effect."""
    earlier = db.execute(
        "SELECT day, repetitions_after, interval_after, easiness_after, due_after,"
        " quality < ? AND repetitions_before > 0 FROM grade_log"
        " WHERE card_id = ? AND kind = ? AND id < ? ORDER BY id",
        (PASSING, card_id, GradeKind.SM2.value, entry_id),
    ).fetchall()
    if not earlier:
        return None
    day, repetitions, interval, easiness, due, _ = earlier[-1]
    return CardState(
        card_id=card_id,
        sm2=Sm2State(repetitions=repetitions, interval=interval, easiness=easiness),
        due=date.fromisoformat(due),
        introduced=date.fromisoformat(earlier[0][0]),
        last_review=date.fromisoformat(day),
        lapses=sum(1 for entry in earlier if entry[5]),
    )


def _state_from_row(row: tuple) -> CardState:  # type: ignore[type-arg]
    card_id, repetitions, interval, easiness, due, introduced, last_review, lapses = row
    return CardState(
        card_id=card_id,
        sm2=Sm2State(repetitions=repetitions, interval=interval, easiness=easiness),
        due=date.fromisoformat(due),
        introduced=date.fromisoformat(introduced),
        last_review=date.fromisoformat(last_review),
        lapses=lapses,
    )
