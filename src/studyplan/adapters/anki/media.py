"""The media files imported Anki cards show, copied from the package into the workspace's
`media/` folder, where a card names them (`Card.media`) and a page can show them.

- Only the files the imported cards show (the images, sounds and videos of their question or
  answer), and only those the package's media list (`media_list`) names; nothing else in the
  package is read.
- At most MAX_MEDIA_BYTES a file (read no further than that, whatever the package declares)
  and MAX_IMPORT_MEDIA_BYTES in one import; a file over either is not copied.
- Names made safe: the last part of the name, its letters, digits, `.`, `-` and `_` (others
  become `_`), no leading dot or dash, at most MAX_NAME characters with the extension kept.
  When `media/` already holds another file of that name (from another deck), the file gets
  the name with `-` and 8 hex digits of its content's SHA-256.
- A file already there with the same content is left alone: importing again copies nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from studyplan.adapters.anki.collection import Collection
from studyplan.adapters.anki.media_list import media_members
from studyplan.adapters.anki.package import MEMBER_ERRORS
from studyplan.adapters.files import FileExists, FileWriteError, write_atomic
from studyplan.adapters.user_files import open_user_file
from studyplan.core.errors import StudyplanError

MAX_MEDIA_BYTES = 20 * 1024 * 1024  # a photo or a minute of audio is well under this
MAX_IMPORT_MEDIA_BYTES = 512 * 1024 * 1024
MAX_NAME = 100
_CHUNK = 256 * 1024
# A member missing, damaged, encrypted (RuntimeError) or compressed in a way zipfile cannot read
# (NotImplementedError): that one file is not copied.
_UNREADABLE = (
    *MEMBER_ERRORS, KeyError, OSError, ValueError, RuntimeError, NotImplementedError,
)  # fmt: skip
_UNSAFE = re.compile(r"[^\w.\-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}  # fmt: skip


class AnkiMediaError(StudyplanError):
    """The workspace's media folder cannot be written."""


@dataclass
class MediaCopy:
    names: dict[str, str] = field(default_factory=dict)  # name in the package -> in media/
    copied: int = 0  # files written
    unchanged: int = 0  # already in media/ with the same content
    missing: list[str] = field(default_factory=list)  # shown by cards, not in the package
    too_large: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # damaged, or no name free in media/


def safe_name(name: str) -> str:
    """A file name that is safe to create in `media/` and to name in a page."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE.sub("_", base).lstrip(".-_") or "media"
    stem, dot, extension = base.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        stem, extension = base, ""
    suffix = f".{extension}" if extension else ""
    stem = stem[: MAX_NAME - len(suffix)].rstrip(".") or "media"
    if stem.lower() in _RESERVED:
        stem = "_" + stem
    return stem + suffix


def copy_media(
    package: Path, collection: Collection, wanted: Iterable[str], folder: Path
) -> MediaCopy:
    """Copy the files named in `wanted` (names in the package) into `folder`."""
    result = MediaCopy()
    names = sorted(set(wanted))
    if not names:
        return result
    try:
        with open_user_file(package) as handle, zipfile.ZipFile(handle) as archive:
            members = media_members(package, archive, set(names), collection.format == 3)
            _copy_each(archive, collection, members, names, folder, result)
    except (zipfile.BadZipFile, OSError) as exc:  # the package changed since it was read
        raise AnkiMediaError(f"cannot read the media of {package}: {exc}") from None
    return result


def remove_unused(folder: Path, names: Iterable[str], still_shown: set[str]) -> list[str]:
    """Delete from `folder` each file of `names` (the media of cards just removed) that no
    card in `still_shown` shows any more; what was removed, sorted. Only names this module
    could have made are touched, so a file the user put there is never a candidate."""
    removed = []
    for name in sorted(set(names) - still_shown):
        if name != safe_name(name):
            continue
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise AnkiMediaError(f"cannot remove {folder / name}: {exc.strerror}") from None
        removed.append(name)
    return removed


def _copy_each(
    archive: zipfile.ZipFile,
    collection: Collection,
    members: dict[str, str],
    names: list[str],
    folder: Path,
    result: MediaCopy,
) -> None:
    budget = MAX_IMPORT_MEDIA_BYTES
    compressed = collection.format == 3
    for name in names:
        member = members.get(name)
        if member is None:
            result.missing.append(name)
            continue
        try:
            data = _read(archive, member, compressed, min(MAX_MEDIA_BYTES, budget))
        except _UNREADABLE:
            result.unreadable.append(name)
            continue
        if data is None:
            result.too_large.append(name)
            continue
        budget -= len(data)
        placed = _place(folder, safe_name(name), data, result)
        if placed is None:
            result.unreadable.append(name)
        else:
            result.names[name] = placed


def _read(archive: zipfile.ZipFile, member: str, compressed: bool, limit: int) -> bytes | None:
    """The member's bytes, or None when it holds more than `limit`."""
    if not compressed and archive.getinfo(member).file_size > limit:
        return None
    with archive.open(member) as raw:
        if not compressed:
            return _bounded(raw, limit)
        import zstandard

        try:
            with zstandard.ZstdDecompressor().stream_reader(raw) as reader:
                return _bounded(reader, limit)
        except zstandard.ZstdError as exc:
            raise ValueError(str(exc)) from None


def _bounded(stream: IO[bytes], limit: int) -> bytes | None:
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _place(folder: Path, name: str, data: bytes, result: MediaCopy) -> str | None:
    """Write `data` as `name` in `folder` (or beside it, named by its hash); the name used."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    hashed = f"{stem[: MAX_NAME - 20]}-{hashlib.sha256(data).hexdigest()[:8]}"
    for candidate in (name, hashed + (f".{extension}" if extension else "")):
        path = folder / candidate
        if path.is_symlink() or (path.exists() and not path.is_file()):
            continue
        if path.exists():
            if _same_content(path, data):
                result.unchanged += 1
                return candidate
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data, replace=False)
        except FileExists:
            if _same_content(path, data):
                result.unchanged += 1
                return candidate
            continue
        except (OSError, FileWriteError) as exc:
            reason = exc.reason if isinstance(exc, FileWriteError) else exc.strerror
            raise AnkiMediaError(f"cannot write to {folder}: {reason}") from None
        result.copied += 1
        return candidate
    return None  # both names taken by something else: a folder, a link


def _same_content(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False
