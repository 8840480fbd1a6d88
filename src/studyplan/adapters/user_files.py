"""Reading a file the user names: a regular file, of bounded size, holding UTF-8 text.

Every file given on the command line (`add FILE...`, `story add --from FILE`) is read here.
A FIFO, device, socket or folder is refused before anything is read (so `/dev/zero` or a
named pipe can neither exhaust memory nor hang the command), and so is a file over the
size limit: checked with stat first, then enforced while reading in case the file grows.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from studyplan.core.errors import StudyplanError

MAX_DOCUMENT_BYTES = (
    2 * 1024 * 1024
)  # a long article is 100-300 KB; a book chapter well under 2 MiB
MAX_STORY_BYTES = 256 * 1024  # a story is a page or two
_CHUNK = 64 * 1024


class UnreadableFile(StudyplanError):
    """A user's file cannot be read as text."""


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_user_file(path: Path) -> BinaryIO:
    """A regular file opened for reading, for formats read piece by piece (a zip package):
    the same refusals as `read_user_bytes`, and no size limit, which the reader keeps."""
    fd = _open_regular(path)
    return os.fdopen(fd, "rb")


def _open_regular(path: Path) -> int:
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFile(f"{path} is a folder: give the files inside it")
        if not stat.S_ISREG(mode):
            raise UnreadableFile(f"{path} is {_kind_of(mode)}: give a regular file")
        # O_NONBLOCK: should the path turn into a FIFO between stat and open, open cannot block.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except NotADirectoryError:
        raise UnreadableFile(f"{path}: no such file (a part of the path is not a folder)") from None
    except OSError as exc:
        reason = "the name is too long" if exc.errno == errno.ENAMETOOLONG else exc.strerror
        raise UnreadableFile(f"{path}: cannot read ({reason})") from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise UnreadableFile(f"{path}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnreadableFile(f"{path} is {_kind_of(info.st_mode)}: give a regular file")
    return fd


def read_user_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; UnreadableFile says what is wrong."""
    fd = _open_regular(path)
    too_large = UnreadableFile(f"{path} is larger than {_size(limit)}: split it first")
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableFile(f"{path} is {_kind_of(info.st_mode)}: give a regular file")
            if info.st_size > limit:
                raise too_large
            chunks: list[bytes] = []
            total = 0
            while chunk := handle.read(min(_CHUNK, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise too_large
        except OSError as exc:
            raise UnreadableFile(f"{path}: cannot read ({exc.strerror})") from None
    return b"".join(chunks)


def read_user_text(path: Path, limit: int, what: str = "text") -> str:
    """The file as text: UTF-8 (a byte-order mark is dropped), newlines normalised to \\n.

    Refuses binary files (NUL bytes) and text in other encodings, naming the first bad byte.
    `what` names the expected content in those messages ("Markdown or plain text").
    """
    text = decode_user_text(path, read_user_bytes(path, limit), what)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_user_text(path: Path, data: bytes, what: str = "text") -> str:
    """`data`, read from `path`, as UTF-8 text (a byte-order mark dropped, newlines as they
    are); UnreadableFile for a binary file (NUL bytes) or another encoding."""
    if b"\x00" in data:
        raise UnreadableFile(f"{path} is a binary file: studyplan reads {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{path} is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8): "
            f"studyplan reads {what}; save the file as UTF-8"
        ) from None
