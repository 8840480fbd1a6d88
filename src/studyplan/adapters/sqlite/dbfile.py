"""The database file itself: creating it whole, refusing one that is damaged, connecting to it.

- A new database is built under a temporary name and linked into place complete, so two first
  runs at once never see a half-made schema, and a 0-byte `studyplan.db` always means damage.
- An existing file must start with SQLite's header and pass `PRAGMA integrity_check`, which
  also finds index b-trees that disagree with their tables (`quick_check` does not). The
  check costs milliseconds per megabyte, so its "ok" is remembered in the workspace's cache
  folder under the file's size, modification time and inode (and its -wal file's): it runs
  again only when the file has changed since it was last verified.
- A workspace whose folder or database file is not writable is opened read-only (SQLite's
  `mode=ro`, or `immutable=1` when no -wal file holds changes the main file lacks): read
  commands work, and writes are refused with one line.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studyplan.adapters.files import (
    FileWriteError,
    fsync_folder,
    remove_stale_temps,
    temp_name,
    write_atomic,
)
from studyplan.adapters.structured import parse_json
from studyplan.core.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = int.from_bytes(b"stpl", "big")  # marks files studyplan created
VERDICT_FILE = Path("cache") / "database-check.json"
RECOVER_ADVICE = (
    "it was left as it is: restore it from a backup, or salvage it with `sqlite3 {path} .recover`"
)


@dataclass
class DatabaseFile:
    """An open database file, and whether it may be written."""

    connection: sqlite3.Connection
    path: Path
    read_only: bool


def damaged(path: Path, detail: str) -> StoreError:
    return StoreError(f"{path} is damaged ({detail}) — {RECOVER_ADVICE.format(path=path)}")


def sqlite_failure(path: Path, exc: sqlite3.Error, doing: str) -> StoreError:
    """One line for an SQLite error; only real damage is called damage."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        type(exc) is sqlite3.DatabaseError and not name
    ):
        return damaged(path, str(exc))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(
            f"{path} is busy: another studyplan process is using it — try again in a moment"
        )
    if name.startswith("SQLITE_READONLY"):
        return StoreError(f"cannot {doing} {path}: it is read-only here")
    if name.startswith(("SQLITE_FULL", "SQLITE_IOERR")) and disk_full(path.parent):
        return StoreError(
            f"cannot {doing} {path}: the disk it is on is full — free some space and try again;"
            " nothing saved is lost"
        )
    return StoreError(f"cannot {doing} {path}: {exc}")


DISK_FULL_BYTES = 1 << 20  # less free than this, and SQLite cannot grow its shared memory file


def disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < DISK_FULL_BYTES
    except OSError:
        return False


def workspace_writable(home: Path, path: Path) -> bool:
    """Whether this process may write the folder (for the -wal and -shm files) and the file."""
    return os.access(home, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def open_database(
    home: Path, name: str, initialise: Callable[[sqlite3.Connection], None]
) -> DatabaseFile:
    """Connect to `home/name`, creating it with `initialise` when absent, refusing damage."""
    path = home / name
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the workspace folder {home}: {exc.strerror}") from None
    writable = workspace_writable(home, path)
    created = False
    if not path.exists():
        if not writable:
            raise StoreError(
                f"{home} is read-only and holds no studyplan database — "
                "make it writable, or choose another folder with --home"
            )
        created = _create(path, initialise)
    _check_header(path)
    key = _file_key(path)  # before connecting: reading may create an empty -wal file
    connection = _connect(path, writable)
    try:
        if not created:
            _verify(connection, home / VERDICT_FILE, path, key, writable)
    except sqlite3.Error as exc:
        connection.close()
        raise sqlite_failure(path, exc, "read") from None
    except StoreError:
        connection.close()
        raise
    return DatabaseFile(connection, path, not writable)


def _create(path: Path, initialise: Callable[[sqlite3.Connection], None]) -> bool:
    """Build a new database under a temporary name and link it into place; False when another
    process put one there first (theirs is kept, this one dropped)."""
    folder = path.parent
    remove_stale_temps(folder)
    temp = folder / temp_name(path.name)
    try:
        connection = sqlite3.connect(temp, isolation_level=None)
        try:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            initialise(connection)
            connection.execute("PRAGMA journal_mode = WAL")
        finally:
            connection.close()
        descriptor = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        fsync_folder(folder)
        return True
    except sqlite3.Error as exc:
        raise StoreError(f"cannot create the database {path}: {exc}") from None
    except OSError as exc:
        raise StoreError(f"cannot create the database {path}: {exc.strerror}") from None
    finally:
        for leftover in (temp, *(temp.with_name(temp.name + s) for s in ("-wal", "-shm"))):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    if not head:
        raise StoreError(
            f"{path} is empty (0 bytes), so it was damaged: studyplan never leaves an empty "
            "database — restore it from a backup, or move it aside to start afresh"
        )
    if head != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an SQLite database (another program's file, or damaged) — it was "
            "left as it is: restore it from a backup, or move it aside to start afresh"
        )


def _connect(path: Path, writable: bool) -> sqlite3.Connection:
    uri = path.absolute().as_uri()
    if writable:
        uri += "?mode=rw"
    elif path.with_name(path.name + "-wal").exists():
        uri += "?mode=ro"
    else:
        uri += "?mode=ro&immutable=1"  # nothing outside the main file, and nobody can change it
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0)
        connection.execute("PRAGMA busy_timeout = 5000")
    except sqlite3.Error as exc:
        raise sqlite_failure(path, exc, "open") from None
    return connection


def _file_key(path: Path) -> list[list[int] | None]:
    key: list[list[int] | None] = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            info = file.stat()
            key.append([info.st_size, info.st_mtime_ns, info.st_ino])
        except FileNotFoundError:
            key.append(None)
    return key


def _verify(
    connection: sqlite3.Connection,
    verdict_file: Path,
    path: Path,
    key: list[list[int] | None],
    writable: bool,
) -> None:
    """Run the integrity check unless the file is unchanged since it last passed."""
    with contextlib.suppress(OSError, ValueError):
        if parse_json(verdict_file.read_bytes()) == {"key": key, "result": "ok"}:
            return
    problems = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        first = str(problems[0]).replace("\n", " ")
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise damaged(path, f"integrity check: {first}{more}")
    if writable:
        with contextlib.suppress(OSError, FileWriteError):
            verdict_file.parent.mkdir(exist_ok=True)
            data = json.dumps({"key": key, "result": "ok"}).encode()
            write_atomic(verdict_file, data, durable=False)
