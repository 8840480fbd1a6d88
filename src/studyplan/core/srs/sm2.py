"""The SM-2 step (SuperMemo, 1987), in exact integer arithmetic.

Easiness only ever moves in steps of 0.02, so it is held as whole hundredths (250 = 2.5)
and ceil(I × EF) is computed on integers: binary floats round products such as
55 × 2.2 up to 122 instead of 121.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

INITIAL_EASINESS = 250
MIN_EASINESS = 130
PASSING = 3


class Quality(IntEnum):
    """SM-2's grades: 0-2 are failures, 3-5 passes; again/hard/good/easy name 1, 3, 4 and 5."""

    BLACKOUT = 0
    AGAIN = 1
    WRONG_BUT_FAMILIAR = 2
    HARD = 3
    GOOD = 4
    EASY = 5


@dataclass(slots=True)  # not frozen: built by the thousand on every start
class Sm2State:
    """What SM-2 knows of a card: successful reviews in a row, interval in days, easiness."""

    repetitions: int = 0
    interval: int = 0
    easiness: int = INITIAL_EASINESS

    @property
    def easiness_factor(self) -> float:
        return self.easiness / 100


def easiness_change(quality: int) -> int:
    """EF' = EF + 0.1 - (5 - q)(0.08 + (5 - q) 0.02), in hundredths."""
    miss = 5 - quality
    return 10 - miss * (8 + miss * 2)


def review(state: Sm2State, quality: int) -> Sm2State:
    """One SM-2 review of a card in `state` graded `quality` (0-5)."""
    if not 0 <= quality <= 5:
        raise ValueError(f"SM-2 quality must be 0-5, got {quality}")
    if quality >= PASSING:
        if state.repetitions == 0:
            interval = 1
        elif state.repetitions == 1:
            interval = 6
        else:
            interval = -(-state.interval * state.easiness // 100)  # ceil(I × EF) on integers
        repetitions = state.repetitions + 1
    else:
        interval, repetitions = 1, 0
    easiness = max(MIN_EASINESS, state.easiness + easiness_change(quality))
    return Sm2State(repetitions=repetitions, interval=interval, easiness=easiness)
