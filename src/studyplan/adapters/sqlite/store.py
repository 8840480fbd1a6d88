"""The user's SQLite database: card states, the append-only review log, settings.

Opened in one place (`dbfile` creates, checks and connects to the file); schema
changes are numbered migrations applied on open, each once even when several processes open
the file at the same moment. Every grade is one transaction, committed before the call
returns. Every value read is checked (`rows`): a damaged one is reported in
one line naming the file, table, row and field, and nothing is written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

from studyplan.adapters.sqlite import rows
from studyplan.adapters.sqlite.connection import save_state
from studyplan.adapters.sqlite.dbfile import open_database, sqlite_failure
from studyplan.adapters.sqlite.marks import CardMarks
from studyplan.adapters.sqlite.outside import OutsideReviews
from studyplan.adapters.sqlite.review_log import UNDO_KIND, ReviewLog, append_log, log_card
from studyplan.adapters.sqlite.schema import (
    DATABASE_NAME,
    SCHEMA_VERSION,
    has_studyplan_tables,
    migrate,
)
from studyplan.core.errors import ImportedGradeNotUndone, StoreError
from studyplan.core.records import Undone, UndoneMark
from studyplan.core.srs.card_state import CardState, GradeKind, apply_grade
from studyplan.core.srs.sm2 import PASSING, Sm2State

__all__ = ["DATABASE_NAME", "SCHEMA_VERSION", "Store"]


class Store(ReviewLog, OutsideReviews, CardMarks):
    """Card states, the review log, card marks and settings in one SQLite file, opened in one
    place."""

    @classmethod
    def open(cls, home: Path) -> Store:
        database = open_database(home, DATABASE_NAME, lambda connection: migrate(connection, 0))
        connection, path = database.connection, database.path
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 or not has_studyplan_tables(connection):
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
                migrate(connection, version)
            if not database.read_only:
                connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            connection.close()
            raise sqlite_failure(path, exc, "open") from None
        except StoreError:
            connection.close()
            raise
        return cls(connection, path, database.read_only)

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
            append_log(db, card_id, day, quality, kind.value, before, after, seconds=seconds)
            if kind is GradeKind.SM2:
                save_state(db, after)
        return after, kind

    def undo_last(self, today: date, mark_on: str | None = None) -> Undone | UndoneMark | None:
        """Take back the latest grade or card mark still in effect, whichever came last: the
        log keeps it and records the undo; the card's state becomes exactly what it was
        before. None: nothing to undo. With `mark_on`, only a mark on that card is taken back
        (None when the latest is anything else)."""
        with self._write() as db:
            mark = self._last_mark()
            last = self._records(
                "SELECT card_id, day, quality, kind, origin, id FROM grade_log"
                " ORDER BY id DESC LIMIT 1",
                (),
                self._logged(
                    lambda r: (
                        log_card(r),
                        rows.day(r[1], "day"),
                        rows.quality(r[2]),
                        rows.kind(r[3]),
                        r[4],
                        r[5],
                    )
                ),
            )
            if mark is not None and (not last or mark.after_log >= last[0][5]):
                if mark_on is not None and mark.card_id != mark_on:
                    return None
                return self._take_back_mark(db, mark, today)
            if mark_on is not None:
                return None
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
                    save_state(db, restored)
            append_log(db, card_id, today, quality, UNDO_KIND, current, restored, undoes=entry_id)
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
        known = self.known_mark(card_id)  # the card's first state, when it was marked known
        if not earlier:
            return known
        day, repetitions, interval, easiness, due, _ = earlier[-1]
        return CardState(
            card_id=card_id,
            sm2=Sm2State(repetitions=repetitions, interval=interval, easiness=easiness),
            due=due,
            introduced=known.introduced if known is not None else earlier[0][0],
            last_review=day,
            lapses=sum(1 for found in earlier if found[5]),
        )

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
