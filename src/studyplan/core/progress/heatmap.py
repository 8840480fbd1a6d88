"""The review heatmap (one cell per day, weeks as columns, like a contribution graph) and streaks."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

HEATMAP_WEEKS = 12
LEVELS = 4  # non-empty days are shaded 1-4 by their share of the busiest day


@dataclass(frozen=True, slots=True)
class HeatCell:
    day: date
    count: int
    level: int  # 0 = no grade; 1-4 = ceil(4 × count / busiest day's count)


@dataclass(frozen=True, slots=True)
class Heatmap:
    start: date  # a Monday
    end: date  # the last day shown (today)
    cells: tuple[HeatCell, ...]  # start..end, one per day
    total: int
    active_days: int
    busiest: int

    @property
    def days(self) -> int:
        return len(self.cells)

    def weeks(self) -> list[list[HeatCell | None]]:
        """Columns of Monday..Sunday; days after `end` are None."""
        columns: list[list[HeatCell | None]] = []
        for index in range(0, len(self.cells), 7):
            week: list[HeatCell | None] = list(self.cells[index : index + 7])
            columns.append(week + [None] * (7 - len(week)))
        return columns


@dataclass(frozen=True, slots=True)
class Streak:
    current: int  # consecutive study days ending today (or yesterday, if today is still open)
    longest: int
    last_day: date | None  # the last day with a grade


def heatmap(counts: Mapping[date, int], today: date, weeks: int = HEATMAP_WEEKS) -> Heatmap:
    """`weeks` columns ending with today's week; `counts` are grades per day."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    span = [start + timedelta(days=offset) for offset in range((today - start).days + 1)]
    shown = [counts.get(day, 0) for day in span]
    busiest = max(shown, default=0)
    cells = tuple(
        HeatCell(day, count, math.ceil(LEVELS * count / busiest) if count else 0)
        for day, count in zip(span, shown, strict=True)
    )
    return Heatmap(
        start=start,
        end=today,
        cells=cells,
        total=sum(shown),
        active_days=sum(1 for count in shown if count),
        busiest=busiest,
    )


def streak(counts: Mapping[date, int], today: date) -> Streak:
    """Study streaks from the days with at least one grade; days after `today` are ignored.

    A streak that reached yesterday is still current: today can still extend it.
    """
    days = sorted(day for day, count in counts.items() if count and day <= today)
    if not days:
        return Streak(current=0, longest=0, last_day=None)
    longest = run = 1
    for before, after in itertools.pairwise(days):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    current = 0
    if (today - days[-1]).days <= 1:
        current = 1
        for before, after in zip(reversed(days[:-1]), reversed(days[1:]), strict=True):
            if (after - before).days != 1:
                break
            current += 1
    return Streak(current=current, longest=longest, last_day=days[-1])
