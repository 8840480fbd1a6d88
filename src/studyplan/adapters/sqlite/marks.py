"""Marks on cards besides grades: suspend, unsuspend, known, and placement's "don't know".

Each mark is one row appended to `card_mark`, committed before the call returns; what is in
effect is read back from the marks not taken back (the `mark_log` view). A known mark also
gives the card its first state, in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from studyplan.adapters.sqlite import rows
from studyplan.adapters.sqlite.connection import Database, save_state
from studyplan.core.errors import AlreadyStudied
from studyplan.core.records import MarkKind, Marks, UndoneMark
from studyplan.core.srs.card_state import CardState, known_state

UNDO_MARK = "undo"
_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class MarkEntry:
    """One mark in effect, as the log holds it."""

    card_id: str
    day: date
    mark: MarkKind
    due: date | None  # a known mark: the first review it gave the card
    after_log: int  # the review_log's last id when it was made
    entry_id: int


class CardMarks(Database):
    def marks(self) -> Marks:
        """The marks in effect: suspended cards, cards marked known, cards placed."""
        suspended: dict[str, date] = {}
        known: dict[str, date] = {}
        placed: set[str] = set()
        for entry in self._mark_entries("", ()):
            if entry.mark is MarkKind.SUSPEND:
                suspended.setdefault(entry.card_id, entry.day)
            elif entry.mark is MarkKind.UNSUSPEND:
                suspended.pop(entry.card_id, None)
            else:
                placed.add(entry.card_id)
                if entry.mark is MarkKind.KNOWN:
                    known[entry.card_id] = entry.day
        return Marks(suspended, known, frozenset(placed))

    def suspend(self, card_id: str, day: date) -> date | None:
        """Suspend a card; if it already is, nothing changes and the day it was is returned."""
        with self._write() as db:
            since = self.marks().suspended.get(card_id)
            if since is None:
                _append_mark(db, card_id, day, MarkKind.SUSPEND.value)
        return since

    def unsuspend(self, card_id: str, day: date) -> bool:
        """Bring a suspended card back; False (nothing changed) when it was not suspended."""
        with self._write() as db:
            suspended = card_id in self.marks().suspended
            if suspended:
                _append_mark(db, card_id, day, MarkKind.UNSUSPEND.value)
        return suspended

    def set_suspended(self, wanted: Mapping[str, bool], day: date) -> tuple[int, int]:
        """Suspend (True) or unsuspend (False) each card as `wanted` says, in one transaction;
        a card already so is left alone. Returns how many were suspended and unsuspended."""
        suspended = unsuspended = 0
        with self._write() as db:
            now = self.marks().suspended
            for card_id, suspend in wanted.items():
                if suspend and card_id not in now:
                    _append_mark(db, card_id, day, MarkKind.SUSPEND.value)
                    suspended += 1
                elif not suspend and card_id in now:
                    _append_mark(db, card_id, day, MarkKind.UNSUSPEND.value)
                    unsuspended += 1
        return suspended, unsuspended

    def mark_known(self, card_id: str, day: date, interview: date | None) -> CardState:
        """A new card learned already: it gets the known state (first review in about a week).
        A card already studied is refused (AlreadyStudied) and left as it is."""
        with self._write() as db:
            current = self.state(card_id)
            if current is not None:
                raise AlreadyStudied(card_id, current.due)
            state = known_state(card_id, day, interview)
            save_state(db, state)
            _append_mark(db, card_id, day, MarkKind.KNOWN.value, due=state.due)
        return state

    def mark_to_learn(self, card_id: str, day: date) -> None:
        """Placement's "don't know": the card stays new; placement does not ask again."""
        with self._write() as db:
            _append_mark(db, card_id, day, MarkKind.TO_LEARN.value)

    def known_mark(self, card_id: str) -> CardState | None:
        """The state a known mark in effect gave the card, if it has one."""
        found = self._mark_entries(" WHERE card_id = ? AND mark = ?", (card_id, "known"))
        if not found:
            return None
        entry = found[-1]
        first = known_state(card_id, entry.day)
        return first if entry.due is None else replace(first, due=entry.due)

    def _last_mark(self) -> MarkEntry | None:
        found = self._mark_entries("", (), order="id DESC LIMIT 1")
        return found[0] if found else None

    def _take_back_mark(self, db: sqlite3.Connection, entry: MarkEntry, today: date) -> UndoneMark:
        """Inside a write: record the undo of `entry`; a known card becomes new again."""
        if entry.mark is MarkKind.KNOWN:
            db.execute("DELETE FROM card_state WHERE card_id = ?", (entry.card_id,))
        _append_mark(db, entry.card_id, today, UNDO_MARK, undoes=entry.entry_id)
        return UndoneMark(entry.card_id, entry.day, entry.mark, self.state(entry.card_id))

    def _mark_entries(
        self, where: str, args: tuple[str, ...], order: str = "id"
    ) -> list[MarkEntry]:
        def entry(r: tuple) -> MarkEntry:  # type: ignore[type-arg]
            return MarkEntry(
                rows.text(r[0], "card_id"),
                rows.day(r[1], "day"),
                rows.mark(r[2]),
                None if r[3] is None else rows.day(r[3], "due"),
                rows.whole(r[4], "after_log"),
                r[5],
            )

        return self._records(
            f"SELECT card_id, day, mark, due, after_log, id FROM mark_log{where} ORDER BY {order}",
            args,
            self._logged(entry, "card_mark"),
        )


def _append_mark(
    db: sqlite3.Connection,
    card_id: str,
    day: date,
    mark: str,
    due: date | None = None,
    undoes: int | None = None,
) -> None:
    db.execute(
        "INSERT INTO card_mark (card_id, day, mark, due, undoes, after_log)"
        " VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM review_log))",
        (card_id, day.isoformat(), mark, None if due is None else due.isoformat(), undoes),
    )
