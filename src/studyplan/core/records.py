"""The records the review log holds, as the store returns them and the core reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from studyplan.core.srs.card_state import CardState, GradeKind

MAX_SECONDS = 86_400  # the longest time a logged grade can carry: a day


@dataclass(frozen=True, slots=True)
class LoggedGrade:
    """One review log entry still in effect: the grade, and what it made of the card."""

    card_id: str
    day: date
    quality: int
    kind: GradeKind
    first: bool  # the card's first grade ever (learning, not recall)
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
class Undone:
    """A grade taken back, and the card's state now (None: the card is new again)."""

    card_id: str
    day: date
    quality: int
    kind: GradeKind
    state: CardState | None


class MarkKind(StrEnum):
    """What a user says of a card, apart from grading it."""

    SUSPEND = "suspend"  # left out of every plan until unsuspended
    UNSUSPEND = "unsuspend"
    KNOWN = "known"  # learned before: a card state from the start, first review in a week
    TO_LEARN = "to-learn"  # answered "don't know" in placement: stays new


@dataclass(frozen=True, slots=True)
class Marks:
    """The marks in effect: suspended cards (since when), cards marked known (when), and the
    cards answered in placement either way."""

    suspended: Mapping[str, date] = field(default_factory=dict)
    known: Mapping[str, date] = field(default_factory=dict)
    placed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class UndoneMark:
    """A mark taken back, and the card's state now (None: the card is new)."""

    card_id: str
    day: date
    mark: MarkKind
    state: CardState | None
