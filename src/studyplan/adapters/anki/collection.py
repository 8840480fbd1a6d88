"""An Anki collection (the SQLite database inside a package) read into records, each value
checked on the way in (`limits`); its note types, decks and settings by `note_types`.

A note or card row holding what Anki never writes leaves its cards out with a reason
(`Collection.left_out_notes`, `Collection.findings`); a review row, that review. SQLite is
told never to load a value longer than the import keeps (`note_types.limit`): a note over
MAX_TEXT_BYTES is skipped unread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from studyplan.adapters.anki import limits
from studyplan.adapters.anki.limits import Findings, saturated, whole
from studyplan.adapters.anki.note_types import (
    NoteType,
    col_value,
    limit,
    schema_11,
    schema_18,
)

SUSPENDED = -1  # a card's queue when the user suspended it
CARD_TYPES = range(4)  # new, learning, review, relearning
CARD_QUEUES = range(-3, 5)  # buried (-3, -2), suspended (-1), new ... preview (4)
REVIEW_EASES = range(5)  # 0 a manual reschedule; 1-4 again, hard, good, easy
MAX_NUMBER_BYTES = 64 * 1024  # a value of a card or review row: a number, where Anki writes one
DEFAULT_ROLLOVER = 4
TOO_LONG_VALUE = object()  # in place of a note's fields too long to read


class NotACollection(ValueError):
    """The database is not an Anki collection."""


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnkiCard:
    id: int
    note_id: int
    deck_id: int
    ord: int
    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # 0 new, 1 learning (due: a timestamp), 2 review, 3 day-learning (due: a day
    # number), 4 preview; -1 suspended (SUSPENDED), -2/-3 buried
    due: int
    interval: int  # days
    factor: int  # ease in permille: 2500 = 250%
    lapses: int


@dataclass(frozen=True, slots=True)
class Review:
    id: int  # milliseconds since the epoch, when it was given
    card_id: int
    ease: int  # 1 again, 2 hard, 3 good, 4 easy; 0 a manual reschedule
    millis: int  # time taken


@dataclass
class Collection:
    format: int
    created: int | None  # the collection's creation time (`crt`), seconds since the epoch
    creation_offset: int | None  # minutes west of UTC when it was created, if recorded
    rollover: int  # the hour a new Anki day starts
    fsrs: bool  # FSRS scheduling: `factor` then holds a difficulty, not an ease
    notetypes: dict[int, NoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)
    notes: dict[int, Note] = field(default_factory=dict)
    # note id -> why its cards are left out, and its GUID when it has one
    left_out_notes: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    cards: list[AnkiCard] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)


def read_collection(path: Path, version: int) -> Collection:
    """The collection in the SQLite file at `path` (read only). Raises sqlite3.Error,
    NotACollection or DamagedCollection."""
    db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
    try:
        db.text_factory = _text
        # Anki's tables sort names with its own collation; reading needs it to exist.
        db.create_collation(
            "unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower())
        )
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"col", "notes", "cards", "revlog"} <= tables:
            raise NotACollection
        collection = _settings(db, tables, version)
        _read_notes(db, collection)
        _read_cards(db, collection)
        _read_reviews(db, collection)
        return collection
    finally:
        db.close()


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _settings(db: sqlite3.Connection, tables: set[str], version: int) -> Collection:
    created = col_value(db, "crt", "creation time")
    if "notetypes" in tables and "config" in tables:
        config, notetypes, deck_names = schema_18(db)
    else:
        config, notetypes, deck_names = schema_11(db)
    collection = Collection(
        format=version,
        created=whole(created),
        creation_offset=None,
        rollover=DEFAULT_ROLLOVER,
        fsrs=config.get("fsrs") is True,
        notetypes=notetypes,
        decks=deck_names,
    )
    _time_settings(config, collection)
    return collection


def _time_settings(config: dict[str, Any], collection: Collection) -> None:
    """The creation offset and the rollover hour; one out of range is not used, and said."""
    offset = config.get("creationOffset")
    if offset is not None:
        minutes = whole(offset)
        if minutes is not None and -1440 < minutes < 1440:
            collection.creation_offset = minutes
        else:
            collection.findings.settings.append(
                f"The collection's creationOffset ({_shown(offset)} minutes) is not a time "
                "zone: the local one is used."
            )
    rollover = config.get("rollover")
    if rollover is not None:
        hour = whole(rollover)
        if hour is not None and 0 <= hour <= 23:
            collection.rollover = hour
        else:
            collection.findings.settings.append(
                f"The collection's rollover hour ({_shown(rollover)}) is not 0-23: "
                f"{DEFAULT_ROLLOVER} is used."
            )


def _shown(value: object) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _note_rows(db: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """The notes' rows in order (id, guid, note type, fields, tags); a note whose fields or
    tags are over MAX_TEXT_BYTES comes with `TOO_LONG` in their place, unread."""
    limit(db, limits.MAX_TEXT_BYTES)
    query = "SELECT rowid, id, guid, mid, flds, tags FROM notes"
    after: int | None = None
    while True:
        where = " WHERE rowid > ?" if after is not None else ""
        args = (after,) if after is not None else ()
        try:
            for row in db.execute(f"{query}{where} ORDER BY rowid", args):
                after = row[0]
                yield row[1:]
            return
        except sqlite3.DataError:  # the next note holds a value over the limit
            big = _next_note(db, where, args)
            after = big[0]
            yield big[1], big[2], None, TOO_LONG_VALUE, TOO_LONG_VALUE


def _next_note(db: sqlite3.Connection, where: str, args: tuple[int, ...]) -> tuple[Any, ...]:
    """The rowid, id and GUID (None when it is too long too) of the next note."""
    try:
        return tuple(
            db.execute(
                f"SELECT rowid, id, guid FROM notes{where} ORDER BY rowid LIMIT 1", args
            ).fetchone()
        )
    except sqlite3.DataError:
        return (
            *db.execute(
                f"SELECT rowid, id FROM notes{where} ORDER BY rowid LIMIT 1", args
            ).fetchone(),
            None,
        )


def _read_notes(db: sqlite3.Connection, collection: Collection) -> None:
    seen: set[str] = set()
    for nid, guid, mid, flds, tags in _note_rows(db):
        note_id = whole(nid)
        if note_id is None or note_id in collection.notes or note_id in collection.left_out_notes:
            continue  # its cards find no note
        text_guid = _guid(guid)
        if text_guid is None:
            collection.left_out_notes[note_id] = (limits.GUID_NOT_TEXT, None)
            continue
        if text_guid in seen:
            collection.left_out_notes[note_id] = (limits.DUPLICATE_GUID, None)
            continue
        seen.add(text_guid)
        notetype = whole(mid)
        if flds is TOO_LONG_VALUE:
            collection.left_out_notes[note_id] = (limits.TOO_LONG, text_guid)
        elif notetype is None or not isinstance(flds, str) or not isinstance(tags, str):
            collection.left_out_notes[note_id] = (limits.NOT_ANKI_VALUES, text_guid)
        elif len(flds.encode()) + len(tags.encode()) > limits.MAX_TEXT_BYTES:
            collection.left_out_notes[note_id] = (limits.TOO_LONG, text_guid)
        else:
            fields, tag_list = tuple(flds.split("\x1f")), tuple(tags.split())
            collection.notes[note_id] = Note(note_id, text_guid, notetype, fields, tag_list)


def _guid(value: object) -> str | None:
    """A note's GUID as text; None when it is not text (bytes that are not UTF-8, a number)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _read_cards(db: sqlite3.Connection, collection: Collection) -> None:
    limit(db, MAX_NUMBER_BYTES)
    for row in db.execute(
        "SELECT id, nid, CASE WHEN odid THEN odid ELSE did END, ord, type, queue,"
        " CASE WHEN odid THEN odue ELSE due END, ivl, factor, lapses FROM cards"
        " ORDER BY nid, ord"
    ):
        identity = [whole(value) for value in row[:6]]
        schedule = [saturated(value) for value in row[6:]]
        card_type, queue = identity[4], identity[5]
        if (
            None in identity
            or None in schedule
            or card_type not in CARD_TYPES
            or queue not in CARD_QUEUES
        ):
            collection.findings.cards_left_out[limits.NOT_ANKI_VALUES] += 1
            continue
        collection.cards.append(AnkiCard(*identity, *schedule))  # type: ignore[arg-type]


def _read_reviews(db: sqlite3.Connection, collection: Collection) -> None:
    limit(db, MAX_NUMBER_BYTES)
    for stamp, cid, ease, millis in db.execute(
        "SELECT id, cid, ease, time FROM revlog ORDER BY id"
    ):
        values = (whole(stamp), whole(cid), whole(ease), saturated(millis))
        if None in values or values[2] not in REVIEW_EASES:
            collection.findings.reviews_left_out[limits.NOT_ANKI_VALUES] += 1
            continue
        collection.reviews.append(Review(*values))  # type: ignore[arg-type]
