"""The smallest daily budget that reaches a goal, found with few runs of a simulation."""

from __future__ import annotations

from collections.abc import Callable

MINUTES_STEP = 5  # budgets are said in five-minute steps


def smallest_budget(reaches: Callable[[int], bool], low: int, high: int) -> int:
    """The smallest multiple of MINUTES_STEP in [low, high] for which `reaches` holds,
    assuming it holds at `high` and, once it holds, for every larger budget.

    Gallops up from `low` in doubling steps, then bisects: answers near `low` (the current
    pace) cost a few runs of the planner, not a dozen.
    """
    low, high = -(-low // MINUTES_STEP), -(-high // MINUTES_STEP)
    low = min(low, high)
    probe, stride = low, 1
    while probe < high and not reaches(probe * MINUTES_STEP):
        low = probe + 1
        probe = min(high, low + stride)
        stride *= 2
    high = probe
    while low < high:
        middle = (low + high) // 2
        if reaches(middle * MINUTES_STEP):
            high = middle
        else:
            low = middle + 1
    return low * MINUTES_STEP
