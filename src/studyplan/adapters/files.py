"""Writing a user's files safely: the one atomic writer every file studyplan writes goes through.

A file is written to a temporary name in the target's own folder, flushed to disk, then
renamed over the target, and the folder is flushed too: a reader, or the next run after a
crash, sees the old file or the new one, never half of one.

- Only regular files are replaced. A device, a FIFO or a folder at the target is refused.
- A symbolic link is written through: the file it points to is replaced, the link stays. A
  link to nothing is refused, and so is a file that belongs to another user.
- A new file gets its mode from the umask like any other file (0644 under umask 022);
  replacing a file keeps that file's mode.
- The temporary file is removed on every way out of the writer that Python sees. A process
  killed mid-write leaves it behind; the next write into that folder removes such leftovers
  once they are older than `STALE_SECONDS`.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from studyplan.core.errors import StudyplanError

TEMP_SUFFIX = ".studyplan-tmp"
STALE_SECONDS = 3600
_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + "$")

Writer = Callable[[IO[bytes]], object]


class FileWriteError(StudyplanError):
    """A file cannot be written where it was asked for."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


class FileExists(FileWriteError):
    """The target exists and the write was asked not to replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "it already exists")


def temp_name(name: str) -> str:
    """A hidden name beside `name` that `is_temp_name` recognises and no user file has."""
    return f".{name}.{os.urandom(4).hex()}{TEMP_SUFFIX}"  # os.urandom: `secrets` imports hmac


def is_temp_name(name: str) -> bool:
    return _TEMP_NAME.match(name) is not None


def describe_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """Where a write to `path` lands (a symlink's target) and that file's status, if it exists.

    Raises FileWriteError when something other than a regular file of the user's is in the
    way, or when `path` is a symbolic link that leads nowhere: a write never creates the file
    a dangling link names, which could be anywhere.
    """
    try:
        info = path.stat()  # follows a link the way the system does
    except FileNotFoundError:
        if path.is_symlink():
            raise FileWriteError(
                path, "it is a symbolic link to a file that does not exist; remove the link"
            ) from None
        return path, None
    except OSError as exc:
        raise FileWriteError(path, exc.strerror or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise FileWriteError(
            path, f"it is {describe_kind(info.st_mode)}, and only regular files are replaced"
        )
    if info.st_uid != os.geteuid():
        raise FileWriteError(path, "it belongs to another user, and studyplan replaces only yours")
    target = path.resolve() if path.is_symlink() else path
    return target, info


def write_atomic(
    path: Path, data: bytes | Writer, *, replace: bool = True, durable: bool = True
) -> Path:
    """Write `data` (bytes, or a function that writes to a binary handle) to `path` atomically.

    With `replace=False` an existing file is left alone and FileExists is raised, also when
    another process creates the file at the same moment. `durable=False` skips the flushes to
    disk, for caches that may be lost. Returns the file written: `path`, or a symlink's target.
    Raises FileWriteError (OSError details in its reason).
    """
    target, existing = write_target(path)
    if existing is not None and not replace:
        raise FileExists(path)
    folder = target.parent
    remove_stale_temps(folder)
    temp = folder / temp_name(target.name)
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise FileWriteError(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                data(handle)
            handle.flush()
            if existing is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(existing.st_mode))
            if durable:
                os.fsync(handle.fileno())
        if replace:
            os.replace(temp, target)
        else:
            os.link(temp, target)  # fails if the target appeared meanwhile: never clobbers
        if durable:
            fsync_folder(folder)
    except FileExistsError:
        raise FileExists(path) from None
    except OSError as exc:
        raise FileWriteError(path, exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    return target


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_stale_temps(folder: Path, older_than: float = STALE_SECONDS) -> None:
    """Delete this module's temporary files left in `folder` by killed runs."""
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not is_temp_name(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
