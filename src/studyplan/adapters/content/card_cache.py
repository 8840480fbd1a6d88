"""A parsed copy of the card files, so a day's plan does not re-read TOML on every start.

Keyed on each file's path, size and modification time: any change, and the cards are parsed
again. The cache is plain JSON data (field names, then one row of values per card), so no
change to the code can make it unloadable; it is disposable: a cache that is unreadable,
of another format or with other fields is ignored and rewritten.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import astuple, fields
from itertools import chain
from pathlib import Path
from typing import Any

from studyplan.adapters.columns import all_exactly
from studyplan.adapters.files import write_atomic
from studyplan.adapters.structured import parse_json
from studyplan.core.errors import StudyplanError
from studyplan.core.model import Card, Difficulty, Priority, Track

FORMAT = 6  # raised whenever a card's fields change meaning
FIELDS = [f.name for f in fields(Card)]
_TEXT_FIELDS = (
    "id", "topic", "prompt", "answer", "source", "solution", "tests", "citation", "deck",
)  # fmt: skip
_LIST_FIELDS = ("companies", "related", "tags", "media")  # tuples in a Card, lists in JSON


def _signature(paths: Sequence[Path]) -> list[list[object]]:
    signature: list[list[object]] = []
    for path in paths:
        stat = path.stat()
        signature.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    return signature


def _load_cards(paths: Sequence[Path]) -> list[Card]:
    from studyplan.adapters.content.cards import load_cards

    return load_cards(paths)


def load_cards_cached(paths: Sequence[Path], cache_file: Path) -> list[Card]:
    """The cards of `paths`, from the cache when no file changed since it was written."""
    try:
        key: list[Any] = [FORMAT, FIELDS, _signature(paths)]
    except OSError:
        return _load_cards(paths)  # a file vanished or is unreadable: let parsing report it
    cached = _read_cache(cache_file, key)
    if cached is not None:
        return cached
    cards = _load_cards(paths)  # raises on invalid cards: nothing is cached then
    # ASCII JSON: a file name that is not UTF-8 (held as surrogates) is escaped, not an error
    data = json.dumps({"key": key, "cards": [card_row(card) for card in cards]})
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file, data.encode("utf-8"), durable=False)
    except (OSError, StudyplanError):
        pass  # a read-only workspace still works, just without the speed-up
    return cards


def card_row(card: Card) -> list[object]:
    return [list(value) if isinstance(value, tuple) else value for value in astuple(card)]


def _read_cache(cache_file: Path, key: list[Any]) -> list[Card] | None:
    """The cached cards when the cache is readable and was made from exactly these files."""
    try:
        stored = parse_json(cache_file.read_bytes())
        if stored["key"] != key:
            return None
        return cards_from_rows(stored["cards"])
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None


_TRACKS = {track.value: track for track in Track}
_DIFFICULTIES = {difficulty.value: difficulty for difficulty in Difficulty}
_PRIORITIES = {priority.value: priority for priority in Priority}
_ENUMS = (("track", _TRACKS), ("difficulty", _DIFFICULTIES), ("priority", _PRIORITIES))
_AT = {name: FIELDS.index(name) for name in FIELDS}
_TEXT_AT = tuple(_AT[name] for name in _TEXT_FIELDS)
_LIST_AT = tuple(_AT[name] for name in _LIST_FIELDS)


def cards_from_rows(rows: Any) -> list[Card]:
    """Cards from their cached rows; raises KeyError or TypeError when a row does not fit.

    The values are checked a column at a time (the types of a whole column at once), which
    costs a fraction of checking card by card."""
    if type(rows) is not list or not all_exactly(list, rows) or set(map(len, rows)) - {len(FIELDS)}:
        raise TypeError("a cached card has the wrong number of values")
    if not rows:
        return []
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    if not (
        all(all_exactly(str, columns[at]) for at in _TEXT_AT)
        and all_exactly(int, columns[_AT["minutes"]])
        and all_exactly(bool, columns[_AT["suspended_in_anki"]])
    ):
        raise TypeError("a cached card has a value of the wrong type")
    for at in _LIST_AT:
        if not (
            all_exactly(list, columns[at]) and all_exactly(str, chain.from_iterable(columns[at]))
        ):
            raise TypeError("a cached card has a list of the wrong type")
        columns[at] = list(map(tuple, columns[at]))
    for name, members in _ENUMS:
        columns[_AT[name]] = list(map(members.__getitem__, columns[_AT[name]]))
    return list(map(Card, *columns))
