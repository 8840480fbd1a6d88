"""What every page of a running server shares: the workspace, the day, the review in progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar, cast

import anyio

from studyplan.app import library
from studyplan.app.workspace import Workspace
from studyplan.web.review import ReviewRun

Signature = tuple[tuple[str, int, int], ...]
T = TypeVar("T")


def _signature(paths: list[Path]) -> Signature:
    found = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(found)


class Workspaces:
    """The workspace the pages read, kept open from one request to the next (its cards parsed
    once, its database connected once) and opened afresh when a card or story file changed,
    or when a request runs on another thread than the one that opened it (an SQLite
    connection belongs to its thread)."""

    def __init__(self, make: Callable[[], Workspace]) -> None:
        self._make = make
        self._open: Workspace | None = None
        self._key: tuple[int, Signature] | None = None
        self._indexed: Signature | None = None
        self.generation = 0  # counts the openings: a new one reads everything afresh

    def current(self) -> Workspace:
        workspace = self._open if self._open is not None else self._make()
        key = (threading.get_ident(), self._content(workspace))
        if self._open is None or key != self._key:
            if self._open is not None:
                self._open.close()
                workspace = self._make()
            self._open, self._key = workspace, key
            self.generation += 1
        return workspace

    @staticmethod
    def _content(workspace: Workspace) -> Signature:
        return _signature(
            [*workspace.card_files(), *workspace.own_card_files(), *workspace.story_files()]
        )

    def searchable(self) -> Workspace:
        """The workspace with its search indexes up to date: refreshed on the first search
        and whenever a card, story or document file changed since the last one."""
        workspace = self.current()
        key = (*self._content(workspace), *_signature(workspace.document_files()))
        if key != self._indexed:
            library.refresh(workspace)
            self._indexed = key
        return workspace

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None


@dataclass
class Site:
    """One running server: its workspace, its token, its port, the day it shows."""

    workspaces: Workspaces
    token: str
    port: int
    fixed_day: date | None = None  # `serve --date`; otherwise the clock's date, each request
    clock_day: Callable[[], date] = date.today
    review: ReviewRun | None = field(default=None, repr=False)
    notices: list[str] = field(default_factory=list)  # said once, on the next page shown
    # When each card's page was first shown, for the time a practised card took; a grade
    # given on the page ends the attempt.
    practice_started: dict[str, float] = field(default_factory=dict, repr=False)
    slow_work: anyio.Lock = field(default_factory=anyio.Lock, repr=False)

    _remembered: dict[str, tuple[Hashable, object]] = field(default_factory=dict, repr=False)

    def day(self) -> date:
        return self.fixed_day if self.fixed_day is not None else self.clock_day()

    def version(self) -> Hashable:
        """Changes with the day, the workspace's files or anything saved in its database."""
        workspace = self.workspaces.current()
        return (self.day(), self.workspaces.generation, workspace.store.version())

    def remembered(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave last time if nothing changed since (`version`): a
        page shown again costs no planning."""
        version = self.version()
        kept = self._remembered.get(name)
        if kept is not None and kept[0] == version:
            return cast(T, kept[1])
        value = compute()
        self._remembered[name] = (version, value)
        return value

    def recall(self, name: str) -> object | None:
        kept = self._remembered.get(name)
        return kept[1] if kept is not None and kept[0] == self.version() else None

    def keep(self, name: str, value: object, version: Hashable) -> None:
        self._remembered[name] = (version, value)
