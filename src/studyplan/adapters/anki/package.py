"""Reading an Anki package (.apkg, a deck; .colpkg, a whole collection) without Anki.

A package is a zip archive. Its collection is an SQLite database stored under one of three
names, and a `meta` member (a small protobuf message) says which, when present:

- format 1, `collection.anki2`, no `meta`: the oldest; what genanki writes;
- format 2, `collection.anki21` (a `meta` may say so, or it is simply there);
- format 3, `collection.anki21b`, compressed with zstd: what current Anki exports. Such a
  package also holds a `collection.anki2` that only asks the user to upgrade Anki.

A `meta` naming a format this reader does not know is refused as too new. Schema 11
collections (formats 1 and 2) keep note types, decks and settings as JSON in the `col` row;
schema 18 (format 3) in tables of their own, with protobuf settings. The `media` member lists
the package's media files (JSON in formats 1-2, zstd-compressed protobuf in 3), each stored in
a member of its own (zstd-compressed in format 3); `media.py` copies the ones cards show.

Everything is read and checked before anything is written; every problem is one
AnkiPackageError line.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from studyplan.adapters.anki.protobuf import ProtobufError, first_int, first_text, message_fields
from studyplan.adapters.user_files import open_user_file
from studyplan.core.errors import StudyplanError

MAX_COLLECTION_BYTES = 1024 * 1024 * 1024  # a large collection with years of reviews: ~300 MB
KNOWN_FORMATS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
_CHUNK = 1024 * 1024
SUSPENDED = -1  # a card's queue when the user suspended it


class AnkiPackageError(StudyplanError):
    """A file cannot be read as an Anki package."""


@dataclass(frozen=True, slots=True)
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: dict[int, tuple[str, str]]  # card ord -> (question, answer) template


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
    created: int  # the collection's creation time (`crt`), seconds since the epoch
    creation_offset: int | None  # minutes west of UTC when it was created, if recorded
    rollover: int  # the hour a new Anki day starts
    fsrs: bool  # FSRS scheduling: `factor` then holds a difficulty, not an ease
    notetypes: dict[int, NoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)
    notes: dict[int, Note] = field(default_factory=dict)
    cards: list[AnkiCard] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)  # file name -> its member in the zip


def read_package(path: Path) -> Collection:
    with open_user_file(path) as handle:
        try:
            return _read(path, handle)
        except zipfile.BadZipFile as exc:
            raise _damaged(path, str(exc)) from None
        except (zlib.error, EOFError) as exc:
            raise _damaged(path, f"compressed data cut short ({exc})") from None
        except OSError as exc:
            raise AnkiPackageError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _damaged(path: Path, detail: str) -> AnkiPackageError:
    return AnkiPackageError(
        f"{path} is damaged or incomplete ({detail}) — export it from Anki again; "
        "nothing was imported"
    )


def _read(path: Path, handle: IO[bytes]) -> Collection:
    head = handle.read(4)
    handle.seek(0)
    if not zipfile.is_zipfile(handle):
        if head == b"PK\x03\x04":
            raise _damaged(path, "the zip archive's directory is missing: the file is cut short")
        raise AnkiPackageError(
            f"{path} is not an Anki package (not a zip archive) — in Anki, use File > Export "
            "to write an .apkg or .colpkg file"
        )
    handle.seek(0)
    with zipfile.ZipFile(handle) as archive:
        names = set(archive.namelist())
        version = _format(path, archive, names)
        member = KNOWN_FORMATS[version]
        if member not in names:
            raise AnkiPackageError(
                f"{path} holds no Anki collection ({', '.join(KNOWN_FORMATS.values())}) — "
                "export the deck from Anki again"
            )
        data = _member(path, archive, member, compressed=version == 3)
        media = _media_members(path, archive, names, compressed=version == 3)
    collection = _from_database(path, data, version)
    collection.media = media
    return collection


def _format(path: Path, archive: zipfile.ZipFile, names: set[str]) -> int:
    if "meta" not in names:
        return 2 if "collection.anki21" in names else 1
    try:
        version = first_int(message_fields(archive.read("meta")), 1)
    except ProtobufError:
        raise _damaged(path, "its 'meta' entry is not readable") from None
    if version not in KNOWN_FORMATS:
        raise AnkiPackageError(
            f"{path} was written by a newer Anki (package format {version}; this reader knows "
            "1-3) — in Anki's export dialog, tick 'Support older Anki versions' and export "
            "again; nothing was imported"
        )
    return version


def _member(path: Path, archive: zipfile.ZipFile, name: str, compressed: bool) -> bytes:
    with archive.open(name) as raw:
        if not compressed:
            return _bounded(path, raw)
        import zstandard

        try:
            with zstandard.ZstdDecompressor().stream_reader(raw) as reader:
                return _bounded(path, reader)
        except zstandard.ZstdError as exc:
            raise _damaged(path, f"{name} does not decompress: {exc}") from None


def _bounded(path: Path, stream: IO[bytes]) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_COLLECTION_BYTES:
            raise AnkiPackageError(
                f"{path} holds a collection over {MAX_COLLECTION_BYTES // 1024**3} GiB — "
                "export the decks you need as an .apkg instead"
            )
    return b"".join(chunks)


def _media_members(
    path: Path, archive: zipfile.ZipFile, names: set[str], compressed: bool
) -> dict[str, str]:
    """The package's media files: each file's name, and the zip member holding it. Formats
    1-2 list them as JSON (member -> name); format 3 as protobuf entries, the member being an
    entry's index unless the entry names another."""
    if "media" not in names:
        return {}
    data = _member(path, archive, "media", compressed)
    found: dict[str, str] = {}
    try:
        if not compressed:
            listed = json.loads(data or b"{}")
            if isinstance(listed, dict):
                for member, name in listed.items():
                    if isinstance(name, str):
                        found.setdefault(name, str(member))
            return found
        for index, entry in enumerate(message_fields(data).get(1, [])):
            if isinstance(entry, bytes):
                fields = message_fields(entry)
                member = first_int(fields, 255, index)
                found.setdefault(first_text(fields, 1), str(member))
        return found
    except (ValueError, ProtobufError):
        raise _damaged(path, "its media list is not readable") from None


def _from_database(path: Path, data: bytes, version: int) -> Collection:
    if data[:16] == b"SQLite format 3\x00" and data[18:20] == b"\x02\x02":
        data = data[:18] + b"\x01\x01" + data[20:]  # WAL mode: a copy in memory cannot use it
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(data)
        # Anki's tables sort names with its own collation; reading needs it to exist.
        db.create_collation(
            "unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower())
        )
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"col", "notes", "cards", "revlog"} <= tables:
            raise AnkiPackageError(
                f"{path} holds a database that is not an Anki collection — nothing was imported"
            )
        return _collection(db, tables, version)
    except sqlite3.Error as exc:
        raise _damaged(path, f"its collection is not a readable database: {exc}") from None
    except (ValueError, TypeError, KeyError, ProtobufError) as exc:
        raise _damaged(path, f"its collection holds a value Anki would not write: {exc}") from None
    finally:
        db.close()


def _collection(db: sqlite3.Connection, tables: set[str], version: int) -> Collection:
    created, models, decks, conf = db.execute("SELECT crt, models, decks, conf FROM col").fetchone()
    if "notetypes" in tables and "config" in tables:
        config = {
            str(k): json.loads(bytes(v) if isinstance(v, bytes) else str(v))
            for k, v in db.execute("SELECT key, val FROM config")
        }
        notetypes = _notetypes_18(db)
        deck_names = {
            int(i): str(n).replace("\x1f", "::")
            for i, n in db.execute("SELECT id, name FROM decks")
        }
    else:
        config = json.loads(conf or "{}")
        notetypes = _notetypes_11(json.loads(models or "{}"))
        deck_names = {int(i): str(d["name"]) for i, d in json.loads(decks or "{}").items()}
    offset = config.get("creationOffset")
    collection = Collection(
        format=version,
        created=int(created),
        creation_offset=offset if isinstance(offset, int) else None,
        rollover=_hour(config.get("rollover")),
        fsrs=config.get("fsrs") is True,
        notetypes=notetypes,
        decks=deck_names,
    )
    for nid, guid, mid, flds, tags in db.execute("SELECT id, guid, mid, flds, tags FROM notes"):
        collection.notes[int(nid)] = Note(
            int(nid), str(guid), int(mid), tuple(str(flds).split("\x1f")), tuple(str(tags).split())
        )
    collection.cards = [
        AnkiCard(*(int(v) for v in row))
        for row in db.execute(
            "SELECT id, nid, CASE WHEN odid THEN odid ELSE did END, ord, type, queue,"
            " CASE WHEN odid THEN odue ELSE due END, ivl, factor, lapses FROM cards ORDER BY nid, ord"
        )
    ]
    collection.reviews = [
        Review(*(int(v) for v in row))
        for row in db.execute("SELECT id, cid, ease, time FROM revlog ORDER BY id")
    ]
    return collection


def _hour(value: Any) -> int:
    return value if isinstance(value, int) and 0 <= value <= 23 else 4


def _notetypes_11(models: dict[str, Any]) -> dict[int, NoteType]:
    found: dict[int, NoteType] = {}
    for key, model in models.items():
        fields = sorted(model["flds"], key=lambda f: f["ord"])
        templates = {int(t["ord"]): (str(t["qfmt"]), str(t["afmt"])) for t in model["tmpls"]}
        found[int(key)] = NoteType(
            int(key),
            str(model["name"]),
            model.get("type") == 1,
            tuple(str(f["name"]) for f in fields),
            templates,
        )
    return found


def _notetypes_18(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ord_, name in db.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(int(ntid), []).append((int(ord_), str(name)))
    templates: dict[int, dict[int, tuple[str, str]]] = {}
    for ntid, ord_, config in db.execute("SELECT ntid, ord, config FROM templates"):
        parts = message_fields(bytes(config))
        templates.setdefault(int(ntid), {})[int(ord_)] = (
            first_text(parts, 1),
            first_text(parts, 2),
        )
    found: dict[int, NoteType] = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        kind = first_int(message_fields(bytes(config)), 1)
        names = tuple(n for _, n in sorted(fields.get(int(ntid), [])))
        found[int(ntid)] = NoteType(
            int(ntid), str(name), kind == 1, names, templates.get(int(ntid), {})
        )
    return found
