"""A package's media list, read for the files its cards show.

The `media` member names each media file and the zip member holding it: JSON in package formats
1-2 (`{"0": "photo.png", ...}`: member -> name), zstd-compressed protobuf in format 3 (entries
in order, each a name, the member being the entry's index unless it names another). The list
is read twice as a stream: once to refuse one over MAX_MEDIA_LIST_BYTES, once keeping only the
entries of the files wanted. Memory holds a chunk and those entries, whatever the list declares.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from studyplan.adapters.anki.limits import MAX_MEDIA_LIST_BYTES
from studyplan.adapters.anki.package import (
    MEMBER_ERRORS,
    AnkiPackageError,
    damaged,
    open_member,
)

MEMBER = "media"
MAX_ENTRY = 64 * 1024  # one entry's name and member
_CHUNK = 1024 * 1024
# One JSON entry: "member": "name" (or any number or literal, which names no file), then a
# comma or the closing brace. Possessive: a partial entry fails at once and is read again
# with the next chunk.
_JSON_ENTRY = re.compile(
    rb"""[ \t\n\r]*+"((?:[^"\\]|\\.)*+)"[ \t\n\r]*+:[ \t\n\r]*+"""
    rb"""(?:"((?:[^"\\]|\\.)*+)"|[-+0-9.eE]++|true|false|null)[ \t\n\r]*+([,}])""",
    re.DOTALL,
)
_OBJECT_START = re.compile(rb"[ \t\n\r]*+\{[ \t\n\r]*+(\}?)")


class _Unreadable(ValueError):
    """The media list is not what Anki writes."""


def media_members(
    path: Path, archive: zipfile.ZipFile, wanted: set[str], compressed: bool
) -> dict[str, str]:
    """For each wanted file name the media list holds, the zip member holding that file."""
    if not wanted or MEMBER not in archive.namelist():
        return {}
    import zstandard

    try:
        with open_member(path, archive, MEMBER, compressed) as stream:
            size = sum(len(chunk) for chunk in _chunks(stream, path))
        if size == 0:
            return {}
        with open_member(path, archive, MEMBER, compressed) as stream:
            chunks = _chunks(stream, path)
            if compressed:
                return _protobuf_members(chunks, wanted)
            return _json_members(chunks, wanted)
    except (*MEMBER_ERRORS, zstandard.ZstdError, _Unreadable):
        raise damaged(path, "its media list is not readable") from None


def _chunks(stream: IO[bytes], path: Path) -> Iterator[bytes]:
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > MAX_MEDIA_LIST_BYTES:
            raise AnkiPackageError(
                f"{path} lists more media than studyplan reads (its media list is over "
                f"{MAX_MEDIA_LIST_BYTES // 1024**2} MiB) — in Anki, use Tools > Check Media "
                "to remove unused files and export again; nothing was imported"
            )
        yield chunk


def _json_string(raw: bytes) -> str:
    if b"\\" not in raw:
        return raw.decode("utf-8", "replace")
    decoded = json.loads(b'"' + raw + b'"')
    if not isinstance(decoded, str):
        raise _Unreadable
    return decoded


def _json_members(chunks: Iterator[bytes], wanted: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    buffer, at, ended = b"", 0, False
    started = False
    while True:
        if not started:
            start = _OBJECT_START.match(buffer)
            if start is not None and (start.group(1) or start.end() < len(buffer)):
                if start.group(1):
                    return found  # {}
                started, at = True, start.end()
                continue
        else:
            entry = _JSON_ENTRY.match(buffer, at)
            if entry is not None:
                at = entry.end()
                if entry.group(2) is not None:
                    name = _json_string(entry.group(2))
                    if name in wanted and name not in found:
                        found[name] = _json_string(entry.group(1))
                if entry.group(3) == b"}":
                    return found
                continue
        if ended or len(buffer) - at > MAX_ENTRY:
            raise _Unreadable
        chunk = next(chunks, b"")
        ended = not chunk
        buffer, at = buffer[at:] + chunk, 0


def _varint(buffer: bytes, at: int) -> tuple[int, int] | None:
    """A protobuf varint at `at` and the position after it; None when the buffer ends first."""
    value = shift = 0
    while at < len(buffer):
        byte = buffer[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise _Unreadable
    return None


def _protobuf_members(chunks: Iterator[bytes], wanted: set[str]) -> dict[str, str]:
    """Entries of a MediaEntries message: field 1, each a MediaEntry (name 1, size 2, sha1 3,
    zip member 255)."""
    from studyplan.adapters.anki.protobuf import (
        ProtobufError,
        first_int,
        first_text,
        message_fields,
    )

    wanted_bytes = {name.encode("utf-8") for name in wanted}
    found: dict[str, str] = {}
    buffer, at, index, ended = b"", 0, 0, False
    while True:
        key = _varint(buffer, at)
        length = _varint(buffer, key[1]) if key is not None else None
        if key is not None and length is not None and length[1] + length[0] <= len(buffer):
            if key[0] != 0x0A or length[0] > MAX_ENTRY:
                raise _Unreadable
            entry = buffer[length[1] : length[1] + length[0]]
            at = length[1] + length[0]
            if _could_name(entry, wanted_bytes):
                try:
                    fields = message_fields(entry)
                except ProtobufError:
                    raise _Unreadable from None
                name = first_text(fields, 1)
                if name in wanted and name not in found:
                    found[name] = str(first_int(fields, 255, index))
            index += 1
            continue
        if ended:
            if at < len(buffer):
                raise _Unreadable
            return found
        if len(buffer) - at > MAX_ENTRY + 20:
            raise _Unreadable
        chunk = next(chunks, b"")
        ended = not chunk
        buffer, at = buffer[at:] + chunk, 0


def _could_name(entry: bytes, wanted: set[bytes]) -> bool:
    """Whether an entry may name a wanted file: its name, when it comes first as Anki writes
    it, is one of them; an entry laid out otherwise is read in full."""
    if entry[:1] != b"\x0a" or len(entry) < 2 or entry[1] & 0x80:
        return True
    return entry[2 : 2 + entry[1]] in wanted
