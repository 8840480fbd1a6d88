"""The order of an interactive review session: the day's plan, with failed cards coming back."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace

from studyplan.planner import ItemKind, PlanItem
from studyplan.srs.card_state import needs_drill


class ReviewQueue:
    """`redrill_minutes` tells what a failed card costs when it comes back (its review time)."""

    def __init__(
        self,
        items: Iterable[PlanItem],
        redrill_minutes: Callable[[PlanItem], int] = lambda item: item.minutes,
    ) -> None:
        self._pending: deque[PlanItem] = deque(items)
        self._redrill_minutes = redrill_minutes
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
            minutes = self._redrill_minutes(item)
            self._pending.append(replace(item, kind=ItemKind.RELEARN, minutes=minutes))
