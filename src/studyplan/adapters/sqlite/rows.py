"""Rows of the database turned into records, every value checked on the way in.

A database can hold anything: a hand edit, another program or a flipped bit can leave a due
date of '2026-1:-05', easiness stored as text or bytes that are not UTF-8. Each conversion
raises BadValue naming the field, and the store turns that into one line naming the file,
the table and the row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from studyplan.adapters.columns import all_exactly
from studyplan.core.records import MarkKind
from studyplan.core.srs.card_state import CardState, GradeKind
from studyplan.core.srs.sm2 import MIN_EASINESS, Sm2State

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SHOWN_CHARACTERS = 40


class BadValue(Exception):
    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field} is {shown(value)}, not {expected}")


def shown(value: object) -> str:
    """A value as the message shows it: short, on one line, raw bytes where text is not UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "surrogateescape")
    text = repr(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def text(value: Any, field: str) -> str:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            pass
    raise BadValue(field, value, "UTF-8 text")


_PARSED_DAYS: dict[str, date] = {}  # the same few hundred dates recur across thousands of rows


def day(value: Any, field: str) -> date:
    if type(value) is str:
        known = _PARSED_DAYS.get(value)
        if known is not None:
            return known
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if len(_PARSED_DAYS) < 100_000:
                _PARSED_DAYS[value] = parsed
            return parsed
    if isinstance(value, str):
        text(value, field)  # undecodable bytes are named as such
    raise BadValue(field, value, "a date (YYYY-MM-DD)")


def whole(value: Any, field: str, low: int = 0, high: int | None = None) -> int:
    if type(value) is int and value >= low and (high is None or value <= high):
        return value
    expected = f"a whole number {low}-{high}" if high is not None else f"a whole number ≥ {low}"
    raise BadValue(field, value, expected)


def kind(value: Any, field: str = "kind") -> GradeKind:
    try:
        return GradeKind(value)
    except ValueError:
        raise BadValue(field, value, " or ".join(repr(k.value) for k in GradeKind)) from None


def mark(value: Any, field: str = "mark") -> MarkKind:
    try:
        return MarkKind(value)
    except ValueError:
        raise BadValue(field, value, " or ".join(repr(k.value) for k in MarkKind)) from None


def card_state(row: tuple[Any, ...]) -> CardState:
    card_id, repetitions, interval, easiness, due, introduced, last_review, lapses = row
    return CardState(
        card_id=text(card_id, "card_id"),
        sm2=Sm2State(
            repetitions=whole(repetitions, "repetitions"),
            interval=whole(interval, "interval"),
            easiness=whole(easiness, "easiness", MIN_EASINESS),
        ),
        due=day(due, "due"),
        introduced=day(introduced, "introduced"),
        last_review=day(last_review, "last_review"),
        lapses=whole(lapses, "lapses"),
    )


def card_states(found: Sequence[tuple[Any, ...]]) -> list[CardState] | None:
    """The rows of card_state as records, checked a column at a time (the types of a whole
    column at once, each distinct date once); None when any value is off, for `card_state`
    to name it row by row."""
    if not found:
        return []
    if set(map(len, found)) != {8}:
        return None
    card_ids, repetitions, intervals, easiness, dues, introduced, last_reviews, lapses = zip(
        *found, strict=True
    )
    if not (
        all_exactly(str, card_ids)
        and _utf8(card_ids)
        and _whole_column(repetitions, 0)
        and _whole_column(intervals, 0)
        and _whole_column(easiness, MIN_EASINESS)
        and _whole_column(lapses, 0)
    ):
        return None
    try:
        days = {text: day(text, "day") for text in {*dues, *introduced, *last_reviews}}
    except BadValue:
        return None
    on = days.__getitem__
    sm2 = map(Sm2State, repetitions, intervals, easiness)
    return list(
        map(
            CardState,
            card_ids,
            sm2,
            map(on, dues),
            map(on, introduced),
            map(on, last_reviews),
            lapses,
        )
    )


def _utf8(texts: Sequence[str]) -> bool:
    try:
        "".join(texts).encode("utf-8")  # surrogates do not pair up across the join
    except UnicodeEncodeError:
        return False
    return True


def _whole_column(values: Sequence[Any], low: int) -> bool:
    return all_exactly(int, values) and min(values) >= low


def quality(value: Any) -> int:
    return whole(value, "quality", 0, 5)
