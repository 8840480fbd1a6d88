"""Reading an Anki package (.apkg, a deck; .colpkg, a whole collection) without Anki.

A package is a zip archive. Its collection is an SQLite database stored under one of three
names, and a `meta` member (a small protobuf message) says which, when present:

- format 1, `collection.anki2`, no `meta`: the oldest; what genanki writes;
- format 2, `collection.anki21` (a `meta` may say so, or it is simply there);
- format 3, `collection.anki21b`, compressed with zstd: what current Anki exports. Such a
  package also holds a `collection.anki2` that only asks the user to upgrade Anki.

A `meta` naming a format this reader does not know is refused as too new. The collection is
unpacked into a temporary file (at most MAX_COLLECTION_BYTES, whatever the package declares)
and read from there by `collection.py`, so memory holds what is read from it, not the whole
database. The `media` member lists the package's media files; `media.py` reads it for the
files cards show.

Everything is read and checked before anything is written; every problem is one
AnkiPackageError line.
"""

from __future__ import annotations

import lzma
import sqlite3
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import IO

from studyplan.adapters.anki.collection import Collection, NotACollection, read_collection
from studyplan.adapters.anki.note_types import DamagedCollection
from studyplan.adapters.anki.protobuf import ProtobufError, first_int, message_fields
from studyplan.adapters.user_files import open_user_file
from studyplan.core.errors import StudyplanError

MAX_COLLECTION_BYTES = 1024 * 1024 * 1024  # a large collection with years of reviews: ~300 MB
KNOWN_FORMATS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
_CHUNK = 1024 * 1024
# What reading a damaged zip member raises, by compression method.
MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError)


class AnkiPackageError(StudyplanError):
    """A file cannot be read as an Anki package."""


def read_package(path: Path) -> Collection:
    with open_user_file(path) as handle:
        try:
            return _read(path, handle)
        except MEMBER_ERRORS as exc:
            raise damaged(path, f"compressed data cut short or corrupt ({exc})") from None
        except OSError as exc:
            raise AnkiPackageError(f"{path}: cannot read ({exc.strerror or exc})") from None


def damaged(path: Path, detail: str) -> AnkiPackageError:
    return AnkiPackageError(
        f"{path} is damaged or incomplete ({detail}) — export it from Anki again; "
        "nothing was imported"
    )


def _read(path: Path, handle: IO[bytes]) -> Collection:
    head = handle.read(4)
    handle.seek(0)
    if not zipfile.is_zipfile(handle):
        if head == b"PK\x03\x04":
            raise damaged(path, "the zip archive's directory is missing: the file is cut short")
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
        with tempfile.TemporaryDirectory(prefix="studyplan-anki-") as scratch:
            database = Path(scratch) / "collection.db"
            _unpack(path, archive, member, version == 3, database)
            return _from_database(path, database, version)


def _format(path: Path, archive: zipfile.ZipFile, names: set[str]) -> int:
    if "meta" not in names:
        return 2 if "collection.anki21" in names else 1
    try:
        with open_member(path, archive, "meta", compressed=False) as meta:
            version = first_int(message_fields(meta.read(4096)), 1)
    except ProtobufError:
        raise damaged(path, "its 'meta' entry is not readable") from None
    if version not in KNOWN_FORMATS:
        raise AnkiPackageError(
            f"{path} was written by a newer Anki (package format {version}; this reader knows "
            "1-3) — in Anki's export dialog, tick 'Support older Anki versions' and export "
            "again; nothing was imported"
        )
    return version


def open_member(path: Path, archive: zipfile.ZipFile, name: str, compressed: bool) -> IO[bytes]:
    """A zip member opened for reading, through zstd when `compressed`. Raises AnkiPackageError
    when the member uses a compression or encryption this reader does not know."""
    try:
        raw = archive.open(name)
    except (NotImplementedError, RuntimeError) as exc:  # another method, or a password
        raise damaged(path, f"{name} cannot be read here: {exc}") from None
    if not compressed:
        return raw
    import zstandard

    return zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)


def _unpack(
    path: Path, archive: zipfile.ZipFile, name: str, compressed: bool, target: Path
) -> None:
    """Copy the member into `target`, at most MAX_COLLECTION_BYTES of it."""
    import zstandard

    total = 0
    with open_member(path, archive, name, compressed) as stream, target.open("wb") as out:
        while True:
            try:
                chunk = stream.read(_CHUNK)
                while total == 0 and 0 < len(chunk) < 20 and (more := stream.read(_CHUNK)):
                    chunk += more  # the header whole, to read its journal mode
            except (*MEMBER_ERRORS, zstandard.ZstdError) as exc:
                raise damaged(path, f"{name} does not decompress: {exc}") from None
            if not chunk:
                break
            if total == 0:
                chunk = _without_wal(chunk)
            total += len(chunk)
            if total > MAX_COLLECTION_BYTES:
                raise AnkiPackageError(
                    f"{path} holds a collection over {MAX_COLLECTION_BYTES // 1024**3} GiB — "
                    "export the decks you need as an .apkg instead"
                )
            try:
                out.write(chunk)
            except OSError as exc:
                raise AnkiPackageError(
                    f"cannot unpack {path} into {target.parent.parent}: {exc.strerror}"
                ) from None


def _without_wal(head: bytes) -> bytes:
    """An SQLite header in WAL mode (bytes 18-19 are 2) set back to a rollback journal: the
    unpacked copy has no write-ahead log beside it."""
    if head[:16] == b"SQLite format 3\x00" and head[18:20] == b"\x02\x02":
        return head[:18] + b"\x01\x01" + head[20:]
    return head


def _from_database(path: Path, database: Path, version: int) -> Collection:
    try:
        return read_collection(database, version)
    except NotACollection:
        raise AnkiPackageError(
            f"{path} holds a database that is not an Anki collection — nothing was imported"
        ) from None
    except DamagedCollection as exc:
        raise damaged(path, str(exc)) from None
    except sqlite3.Error as exc:
        raise damaged(path, f"its collection is not a readable database: {exc}") from None
