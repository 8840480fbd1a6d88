"""The user's SQLite database: card states, the append-only review log, settings.

Opened in one place (`studyplan.dbfile` creates, checks and connects to the file); schema
changes are numbered migrations applied on open, each once even when several processes open
the file at the same moment. Every grade is one transaction, committed before the call
returns. Every value read is checked (`studyplan.store_rows`): a damaged one is reported in
one line naming the file, table, row and field, and nothing is written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from studyplan import store_rows as rows
from studyplan.dbfile import open_database, sqlite_failure
from studyplan.errors import ImportedGradeNotUndone, StoreError
from studyplan.srs.card_state import CardState, GradeKind, apply_grade
from studyplan.srs.sm2 import PASSING, Sm2State

if TYPE_CHECKING:
    from studyplan.srs.outside_reviews import OutsideReview

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
)
UNDO_KIND = "undo"
MAX_SECONDS = 86_400
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
    origin: str | None = None  # None: graded in studyplan; "anki": imported from Anki


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What merging reviews from another program did."""

    logged: int = 0  # new log entries
    known: int = 0  # reviews already in the log from an earlier import
    older: int = 0  # logged as drills: dated before their card's last review
    cards: int = 0  # cards whose state changed


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
    def __init__(self, connection: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self._db = connection
        self.path = path
        # A workspace that cannot be written: reads work, writes are refused in one line.
        self.read_only = read_only

    @classmethod
    def open(cls, home: Path) -> Store:
        database = open_database(home, DATABASE_NAME, lambda connection: _migrate(connection, 0))
        connection, path = database.connection, database.path
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 or not _has_studyplan_tables(connection):
                raise StoreError(
                    f"{path} is an SQLite database without studyplan's tables — it was left as "
                    "it is: move it aside, or choose another folder with --home"
                )
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{path} was written by a newer studyplan (schema {version}, this one knows "
                    f"{SCHEMA_VERSION}) — upgrade studyplan; the file was left untouched"
                )
            if version < SCHEMA_VERSION:
                if database.read_only:
                    raise StoreError(
                        f"{path} needs an upgrade to schema {SCHEMA_VERSION}, which a read-only "
                        "workspace does not allow — open it once where it can be written"
                    )
                _migrate(connection, version)
            if not database.read_only:
                connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            connection.close()
            raise sqlite_failure(path, exc, "open") from None
        except StoreError:
            connection.close()
            raise
        return cls(connection, path, database.read_only)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreError(
                f"cannot save to {self.path}: the workspace is read-only here — make "
                f"{self.path.parent} writable to grade cards, change settings or add documents"
            )
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise sqlite_failure(self.path, exc, "save to") from None

    # card state -----------------------------------------------------------------------------

    def states(self) -> dict[str, CardState]:
        states = self._records("SELECT * FROM card_state", (), self._state)
        return {state.card_id: state for state in states}

    def state(self, card_id: str) -> CardState | None:
        states = self._records(
            "SELECT * FROM card_state WHERE card_id = ?", (card_id,), self._state
        )
        return states[0] if states else None

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
            before = self.state(card_id)
            after, kind = apply_grade(before, card_id, quality, day, interview)
            _append_log(db, card_id, day, quality, kind.value, before, after, seconds=seconds)
            if kind is GradeKind.SM2:
                _save_state(db, after)
        return after, kind

    def undo_last(self, today: date) -> Undone | None:
        """Take back the latest grade still in effect: the log keeps it and records the undo;
        the card's state becomes exactly what it was before that grade. None: nothing to undo."""
        with self._write() as db:
            last = self._records(
                "SELECT card_id, day, quality, kind, origin, id FROM grade_log"
                " ORDER BY id DESC LIMIT 1",
                (),
                self._logged(
                    lambda r: (
                        _log_card(r),
                        rows.day(r[1], "day"),
                        rows.quality(r[2]),
                        rows.kind(r[3]),
                        r[4],
                        r[5],
                    )
                ),
            )
            if not last:
                return None
            card_id, day, quality, kind, origin, entry_id = last[0]
            if origin is not None:
                raise ImportedGradeNotUndone(card_id, day, str(origin))
            current = self.state(card_id)
            restored = (
                current if kind is not GradeKind.SM2 else self._state_before(card_id, entry_id)
            )
            if kind is GradeKind.SM2 and restored is not None and current is not None:
                # The lapses the state held before, also when some came with an imported
                # schedule rather than from grades in the log.
                lapsed = quality < PASSING and restored.repetitions > 0
                restored = replace(restored, lapses=max(0, current.lapses - lapsed))
            if kind is GradeKind.SM2:
                if restored is None:
                    db.execute("DELETE FROM card_state WHERE card_id = ?", (card_id,))
                else:
                    _save_state(db, restored)
            _append_log(db, card_id, today, quality, UNDO_KIND, current, restored, undoes=entry_id)
        return Undone(card_id, day, quality, kind, restored)

    def _state_before(self, card_id: str, entry_id: int) -> CardState | None:
        """The card's state just before log entry `entry_id`, from the SM-2 entries in effect."""

        def entry(r: tuple) -> tuple[date, int, int, int, date, bool]:  # type: ignore[type-arg]
            return (
                rows.day(r[1], "day"),
                rows.whole(r[2], "repetitions_after"),
                rows.whole(r[3], "interval_after"),
                rows.whole(r[4], "easiness_after"),
                rows.day(r[5], "due_after"),
                bool(r[6]),
            )

        earlier = self._records(
            "SELECT card_id, day, repetitions_after, interval_after, easiness_after, due_after,"
            " quality < ? AND repetitions_before > 0, id FROM grade_log"
            " WHERE card_id = ? AND kind = ? AND id < ? ORDER BY id",
            (str(PASSING), card_id, GradeKind.SM2.value, str(entry_id)),
            self._logged(entry),
        )
        if not earlier:
            return None
        day, repetitions, interval, easiness, due, _ = earlier[-1]
        return CardState(
            card_id=card_id,
            sm2=Sm2State(repetitions=repetitions, interval=interval, easiness=easiness),
            due=due,
            introduced=earlier[0][0],
            last_review=day,
            lapses=sum(1 for found in earlier if found[5]),
        )

    def history(self, card_id: str) -> list[LoggedGrade]:
        """Every grade of one card still in effect, oldest first."""
        return self._grades("WHERE card_id = ?", (card_id,), order="day, id")

    def merge_outside_reviews(
        self,
        origin: str,
        reviews: Sequence[OutsideReview],
        interview: date | None = None,
        given: Mapping[str, CardState] | None = None,
    ) -> MergeReport:
        """Log the reviews given in another program (`origin`) that are not in the log yet and
        move each card's state as `srs.outside_reviews` says; `given` holds states to take
        for cards (imported schedules). One transaction: all of it is saved, or none."""
        from studyplan.srs.outside_reviews import merge_card

        given = given or {}
        with self._write() as db:
            known = {
                row[0]
                for row in self._read(
                    "SELECT origin_id FROM review_log WHERE origin = ?", (origin,)
                )
            }
            new_reviews: dict[str, list[OutsideReview]] = {}
            for review in reviews:
                if review.origin_id not in known:
                    new_reviews.setdefault(review.card_id, []).append(review)
                    known.add(review.origin_id)
            states = self.states()
            logged = older = changed = 0
            for card_id in sorted(set(new_reviews) | set(given)):
                before = states.get(card_id)
                merged = merge_card(
                    before, new_reviews.get(card_id, ()), interview, given.get(card_id)
                )
                for entry in merged.entries:
                    review = entry.review
                    _append_log(
                        db, card_id, review.day, review.quality, entry.kind.value,
                        entry.before, entry.after, seconds=review.seconds,
                        origin=origin, origin_id=review.origin_id,
                    )  # fmt: skip
                logged += len(merged.entries)
                older += merged.older
                if merged.state is not None and merged.state != before:
                    _save_state(db, merged.state)
                    changed += 1
        return MergeReport(logged, len(reviews) - logged, older, changed)

    def anki_note_stamps(self, fields_sha: Mapping[str, str], now: int) -> dict[str, int]:
        """The modification time each card's exported Anki note carries: the time of the
        export that first wrote its present fields. Anki updates a note on import only when
        it is newer, so an unchanged card leaves its note alone. A read-only workspace gets
        the stamps without saving them."""
        known = {
            r[0]: (r[1], r[2])
            for r in self._read("SELECT card_id, fields_sha, mtime FROM anki_note")
            if isinstance(r[0], str) and isinstance(r[2], int)
        }
        stamps: dict[str, int] = {}
        changed: list[tuple[str, str, int]] = []
        for card_id, sha in fields_sha.items():
            old = known.get(card_id)
            if old is not None and old[0] == sha:
                stamps[card_id] = old[1]
            else:
                stamps[card_id] = max(now, old[1] + 1) if old is not None else now
                changed.append((card_id, sha, stamps[card_id]))
        if changed and not self.read_only:
            with self._write() as db:
                db.executemany("INSERT OR REPLACE INTO anki_note VALUES (?, ?, ?)", changed)
        return stamps

    # review log -----------------------------------------------------------------------------

    def grades_on(self, day: date) -> list[LoggedGrade]:
        return self._grades("WHERE day = ?", (day.isoformat(),))

    def reviews_between(self, first: date, last: date) -> list[LoggedReview]:
        return self._records(
            f"SELECT {_REVIEW_COLUMNS} FROM grade_log WHERE day BETWEEN ? AND ? ORDER BY id",
            (first.isoformat(), last.isoformat()),
            self._logged(_review),
        )

    def recent_grades(self, last: date, limit: int) -> list[LoggedReview]:
        """The latest `limit` grades (same-day drills included) dated up to `last`, oldest first."""
        found = self._records(
            f"SELECT {_REVIEW_COLUMNS} FROM grade_log WHERE day <= ? ORDER BY id DESC LIMIT ?",
            (last.isoformat(), str(limit)),
            self._logged(_review),
        )
        return found[::-1]

    def review_counts_by_day(self, last: date) -> dict[date, int]:
        """How many grades (reviews and drills) each day up to `last` holds; idle days are absent."""

        def counted(r: tuple) -> tuple[date, int]:  # type: ignore[type-arg]
            try:
                return rows.day(r[0], "day"), r[1]
            except rows.BadValue as exc:
                raise self._damaged(f"review_log day {rows.shown(r[0])}", exc) from None

        counts = self._records(
            "SELECT day, count(*) FROM grade_log WHERE day <= ? GROUP BY day ORDER BY day",
            (last.isoformat(),),
            counted,
        )
        return dict(counts)

    def _grades(self, where: str, args: tuple[str, ...], order: str = "id") -> list[LoggedGrade]:
        def grade(r: tuple) -> LoggedGrade:  # type: ignore[type-arg]
            return LoggedGrade(
                _log_card(r),
                rows.day(r[1], "day"),
                rows.quality(r[2]),
                rows.kind(r[3]),
                rows.whole(r[4], "easiness_after"),
                rows.whole(r[5], "interval_after"),
                _seconds(r[6]),
                rows.day(r[7], "due_after"),
                _origin(r[8]),
            )

        return self._records(
            "SELECT card_id, day, quality, kind, easiness_after, interval_after, seconds,"
            f" due_after, origin, id FROM grade_log {where} ORDER BY {order}",
            args,
            self._logged(grade),
        )

    # checked records ------------------------------------------------------------------------

    def _records(
        self,
        sql: str,
        args: tuple[str, ...],
        convert: Callable[[tuple], _R],  # type: ignore[type-arg]
    ) -> list[_R]:
        """Run a query and convert each row; text that is not UTF-8 is read again leniently so
        the conversion can name the row and field it is in."""
        try:
            return [convert(row) for row in self._read(sql, args)]
        except _UndecodableText:
            self._db.text_factory = _lenient_text
            try:
                found = [convert(row) for row in self._read(sql, args)]
            finally:
                self._db.text_factory = str
            return found

    def _damaged(self, where: str, problem: rows.BadValue) -> StoreError:
        return StoreError(
            f"{self.path} has a damaged value ({where}: {problem}) — it was left as it is: "
            "correct that value with sqlite3, or restore the file from a backup"
        )

    def _state(self, row: tuple) -> CardState:  # type: ignore[type-arg]
        try:
            return rows.card_state(row)
        except (rows.BadValue, ValueError) as exc:
            problem = (
                exc if isinstance(exc, rows.BadValue) else rows.BadValue("row", row, "8 values")
            )
            raise self._damaged(f"card_state row of card {rows.shown(row[0])}", problem) from None

    def _logged(self, convert: Callable[[tuple], _R]) -> Callable[[tuple], _R]:  # type: ignore[type-arg]
        """`convert` for review_log rows, whose last column is the row id."""

        def checked(row: tuple) -> _R:  # type: ignore[type-arg]
            try:
                return convert(row)
            except rows.BadValue as exc:
                where = f"review_log row {row[-1]} (card {rows.shown(row[0])})"
                raise self._damaged(where, exc) from None

        return checked

    # settings -------------------------------------------------------------------------------

    def grade_count(self) -> int:
        """Grades in the log, leaving out undo entries and the grades they took back."""
        return int(self._read("SELECT count(*) FROM grade_log")[0][0])

    def settings(self) -> dict[str, str]:
        def setting(r: tuple) -> tuple[str, str]:  # type: ignore[type-arg]
            try:
                return rows.text(r[0], "key"), rows.text(r[1], "value")
            except rows.BadValue as exc:
                raise self._damaged(f"settings row {rows.shown(r[0])}", exc) from None

        return dict(self._records("SELECT key, value FROM settings", (), setting))

    def set_setting(self, key: str, value: str | None) -> None:
        with self._write() as db:
            if value is None:
                db.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))

    def _read(self, sql: str, args: tuple[str, ...] = ()) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            if str(exc).startswith("Could not decode to UTF-8"):
                raise _UndecodableText from None
            raise sqlite_failure(self.path, exc, "read") from None
        except sqlite3.Error as exc:
            raise sqlite_failure(self.path, exc, "read") from None


_R = TypeVar("_R")


class _UndecodableText(Exception):
    """A text value is not UTF-8; the query is read again to say where."""


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")  # store_rows.text refuses what this lets in


def _log_card(row: tuple) -> str:  # type: ignore[type-arg]
    return rows.text(row[0], "card_id")


_REVIEW_COLUMNS = "card_id, day, quality, kind, repetitions_before IS NULL, seconds, id"


def _review(r: tuple) -> LoggedReview:  # type: ignore[type-arg]
    return LoggedReview(
        _log_card(r),
        rows.day(r[1], "day"),
        rows.quality(r[2]),
        rows.kind(r[3]),
        bool(r[4]),
        _seconds(r[5]),
    )


def _origin(value: object) -> str | None:
    return None if value is None else rows.text(value, "origin")


def _seconds(value: object) -> int | None:
    return None if value is None else rows.whole(value, "seconds", 0, MAX_SECONDS)


def _append_log(
    db: sqlite3.Connection,
    card_id: str,
    day: date,
    quality: int,
    kind: str,
    before: CardState | None,
    after: CardState | None,
    seconds: int | None = None,
    undoes: int | None = None,
    origin: str | None = None,
    origin_id: str | None = None,
) -> None:
    """One review log row. `after` is None only when an undo makes the card new again: its
    after-columns then hold zeros and the day itself."""
    db.execute(
        "INSERT INTO review_log (card_id, day, quality, kind, repetitions_before,"
        " interval_before, easiness_before, due_before, repetitions_after, interval_after,"
        " easiness_after, due_after, seconds, undoes, origin, origin_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            card_id,
            day.isoformat(),
            quality,
            kind,
            before.repetitions if before else None,
            before.interval if before else None,
            before.easiness if before else None,
            before.due.isoformat() if before else None,
            after.repetitions if after else 0,
            after.interval if after else 0,
            after.easiness if after else 0,
            (after.due if after else day).isoformat(),
            seconds,
            undoes,
            origin,
            origin_id,
        ),
    )


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


def _has_studyplan_tables(connection: sqlite3.Connection) -> bool:
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


def _migrate(connection: sqlite3.Connection, version: int) -> None:
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
