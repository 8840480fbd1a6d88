"""The append-only review log: writing one entry, and the reads of it the core needs."""

from __future__ import annotations

import sqlite3
from datetime import date

from studyplan.adapters.sqlite import rows
from studyplan.adapters.sqlite.connection import Database
from studyplan.core.records import MAX_SECONDS, LoggedGrade
from studyplan.core.srs.card_state import DRILL_UNTIL, CardState

UNDO_KIND = "undo"


class ReviewLog(Database):
    def history(self, card_id: str) -> list[LoggedGrade]:
        """Every grade of one card still in effect, oldest first."""
        return self._grades("WHERE card_id = ?", (card_id,), order="day, id")

    def grades_on(self, day: date) -> list[LoggedGrade]:
        return self._grades("WHERE day = ?", (day.isoformat(),))

    def reviews_between(self, first: date, last: date) -> list[LoggedGrade]:
        return self._grades("WHERE day BETWEEN ? AND ?", (first.isoformat(), last.isoformat()))

    def recent_grades(self, last: date, limit: int) -> list[LoggedGrade]:
        """The latest `limit` grades (same-day drills included) dated up to `last`, oldest first."""
        found = self._grades(
            "WHERE day <= ?", (last.isoformat(), str(limit)), order="id DESC LIMIT ?"
        )
        return found[::-1]

    def open_redrills(self, before: date) -> list[str]:
        """Cards whose latest grade on the last day studied before `before` is below 4: the
        same-day re-drill SM-2 asks for never came. Only that last session counts, and only
        grades given in studyplan."""
        found = self._read(
            "SELECT max(day) FROM grade_log WHERE day < ? AND origin IS NULL", (before.isoformat(),)
        )
        if not found or found[0][0] is None:
            return []
        last_session = found[0][0]
        latest: dict[str, int] = {}
        for card_id, quality in self._records(
            "SELECT card_id, quality FROM grade_log WHERE day = ? AND origin IS NULL ORDER BY id",
            (str(last_session),),
            lambda r: (log_card(r), rows.quality(r[1])),
        ):
            latest[card_id] = quality
        return sorted(card_id for card_id, quality in latest.items() if quality < DRILL_UNTIL)

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
                log_card(r),
                rows.day(r[1], "day"),
                rows.quality(r[2]),
                rows.kind(r[3]),
                bool(r[4]),
                rows.whole(r[5], "easiness_after"),
                rows.whole(r[6], "interval_after"),
                _seconds(r[7]),
                rows.day(r[8], "due_after"),
                _origin(r[9]),
            )

        return self._records(
            "SELECT card_id, day, quality, kind, repetitions_before IS NULL, easiness_after,"
            f" interval_after, seconds, due_after, origin, id FROM grade_log {where}"
            f" ORDER BY {order}",
            args,
            self._logged(grade),
        )

    def grade_count(self) -> int:
        """Grades in the log, leaving out undo entries and the grades they took back."""
        return int(self._read("SELECT count(*) FROM grade_log")[0][0])


def log_card(row: tuple) -> str:  # type: ignore[type-arg]
    return rows.text(row[0], "card_id")


def _origin(value: object) -> str | None:
    return None if value is None else rows.text(value, "origin")


def _seconds(value: object) -> int | None:
    return None if value is None else rows.whole(value, "seconds", 0, MAX_SECONDS)


def append_log(
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
