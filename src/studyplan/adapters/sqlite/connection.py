"""The open database: checked reads, one transaction per write, the card states."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from studyplan.adapters.sqlite import rows
from studyplan.adapters.sqlite.dbfile import sqlite_failure
from studyplan.core.errors import StoreError
from studyplan.core.srs.card_state import CardState

_R = TypeVar("_R")


class Database:
    """A connection to the user's database; `Store` adds what studyplan keeps in it."""

    def __init__(self, connection: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self._db = connection
        self.path = path
        # A workspace that cannot be written: reads work, writes are refused in one line.
        self.read_only = read_only

    def close(self) -> None:
        self._db.close()

    def version(self) -> tuple[int, int]:
        """A value that changes whenever the database does: a commit on this connection
        (`total_changes`) or in another process (`PRAGMA data_version`)."""
        try:
            other = self._db.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise sqlite_failure(self.path, exc, "read") from None
        return int(other), self._db.total_changes

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

    def _read(self, sql: str, args: tuple[str, ...] = ()) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            if str(exc).startswith("Could not decode to UTF-8"):
                raise _UndecodableText from None
            raise sqlite_failure(self.path, exc, "read") from None
        except sqlite3.Error as exc:
            raise sqlite_failure(self.path, exc, "read") from None

    def _records(
        self,
        sql: str,
        args: tuple[str, ...],
        convert: Callable[[tuple], _R],  # type: ignore[type-arg]
    ) -> list[_R]:
        """Run a query and convert each row; text that is not UTF-8 is read again leniently so
        the conversion can name the row and field it is in."""
        return self._converted(sql, args, lambda found: [convert(row) for row in found])

    def _converted(
        self,
        sql: str,
        args: tuple[str, ...],
        convert: Callable[[list[tuple]], _R],  # type: ignore[type-arg]
    ) -> _R:
        """`_records`, converting all the rows in one call."""
        try:
            return convert(self._read(sql, args))
        except _UndecodableText:
            self._db.text_factory = _lenient_text
            try:
                found = convert(self._read(sql, args))
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

    def _logged(
        self,
        convert: Callable[[tuple], _R],  # type: ignore[type-arg]
        table: str = "review_log",
    ) -> Callable[[tuple], _R]:  # type: ignore[type-arg]
        """`convert` for rows of a log table (review_log, card_mark) whose first column is the
        card id and last the row id: a bad value names the row as damaged."""

        def checked(row: tuple) -> _R:  # type: ignore[type-arg]
            try:
                return convert(row)
            except rows.BadValue as exc:
                where = f"{table} row {row[-1]} (card {rows.shown(row[0])})"
                raise self._damaged(where, exc) from None

        return checked

    def states(self) -> dict[str, CardState]:
        def convert(found: list[tuple]) -> list[CardState]:  # type: ignore[type-arg]
            states = rows.card_states(found)  # None: a value is off, the row is named below
            return states if states is not None else [self._state(row) for row in found]

        states = self._converted("SELECT * FROM card_state", (), convert)
        return {state.card_id: state for state in states}

    def state(self, card_id: str) -> CardState | None:
        states = self._records(
            "SELECT * FROM card_state WHERE card_id = ?", (card_id,), self._state
        )
        return states[0] if states else None


class _UndecodableText(Exception):
    """A text value is not UTF-8; the query is read again to say where."""


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")  # rows.text refuses what this lets in


def save_state(db: sqlite3.Connection, state: CardState) -> None:
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
