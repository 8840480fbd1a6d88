"""The order of an interactive review session: the day's plan, with failed cards coming back."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import replace

from studyplan.planner import ItemKind, PlanItem, drill_minutes
from studyplan.srs.card_state import needs_drill


class ReviewQueue:
    def __init__(self, items: Iterable[PlanItem]) -> None:
        self._pending: deque[PlanItem] = deque(items)
        self.graded = 0

    def current(self) -> PlanItem | None:
        return self._pending[0] if self._pending else None

    @property
    def total(self) -> int:
        return self.graded + len(self._pending)

    @property
    def minutes_left(self) -> int:
        return sum(item.minutes for item in self._pending)

    def record(self, quality: int) -> None:
        """The current card was graded; below 4 it returns at the end as a re-drill."""
        item = self._pending.popleft()
        self.graded += 1
        if needs_drill(quality):
            minutes = item.minutes if item.kind is ItemKind.RELEARN else drill_minutes(item.minutes)
            self._pending.append(replace(item, kind=ItemKind.RELEARN, minutes=minutes))
