"""Advisory locks that serialise the processes writing one set of files: a lock file beside
them, locked whole while one writes. Readers never take it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive(lock_file: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock on `lock_file` (created if need be) for the block; `on_wait` is called
    once before waiting, when another process holds it. Where there are no advisory locks, or
    the lock file cannot be opened (a read-only folder, whose writes fail on their own), the
    block runs unlocked."""
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform: writers race, readers stay safe
        yield
        return
    try:
        handle = lock_file.open("a")
    except OSError:
        yield
        return
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
