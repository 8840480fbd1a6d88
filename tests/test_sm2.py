"""SM-2 as DESIGN.md states it: golden sequences, properties, and a float peer."""

from __future__ import annotations

import math
import random
from datetime import datetime
from fractions import Fraction

import pytest
import supermemo2
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.srs.sm2 import MIN_EASINESS, Sm2State, easiness_change, review

grades = st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=40)


def run_grades(qualities: list[int]) -> list[Sm2State]:
    states, state = [], Sm2State()
    for quality in qualities:
        state = review(state, quality)
        states.append(state)
    return states


@pytest.mark.parametrize(
    ("qualities", "intervals", "easiness"),
    [
        # Perfect recall: 1, 6, then ceil(I x EF) with EF from before each review.
        ([5, 5, 5, 5], [1, 6, 17, 48], [260, 270, 280, 290]),  # 6 x 2.7 = 16.2, 17 x 2.8 = 47.6
        # "Good" keeps EF at 2.5: 6 x 2.5 = 15, 15 x 2.5 = 37.5 -> 38.
        ([4, 4, 4, 4], [1, 6, 15, 38], [250, 250, 250, 250]),
        # A lapse resets to 1 day and repetitions restart; EF drops by 0.54 at q=1.
        ([4, 4, 4, 1, 4, 4], [1, 6, 15, 1, 1, 6], [250, 250, 250, 196, 196, 196]),
        # Hard passes shrink EF by 0.14 each, never below 1.3.
        (
            [3] * 10,
            [1, 6, 14, 30, 59, 107, 178, 271, 374, 487],
            [236, 222, 208, 194, 180, 166, 152, 138, 130, 130],
        ),
    ],
)
def test_golden_sequences(qualities: list[int], intervals: list[int], easiness: list[int]) -> None:
    states = run_grades(qualities)
    assert [s.interval for s in states] == intervals
    assert [s.easiness for s in states] == easiness


def test_whole_number_product_is_not_rounded_up() -> None:
    # 55 x 2.2 = 121 exactly; binary floats make it 121.00000000000001 and schedule 122.
    state = review(Sm2State(repetitions=5, interval=55, easiness=220), 4)
    assert state.interval == 121
    assert math.ceil(55 * 2.2) == 122  # the float pitfall this guards against


def test_easiness_changes_per_quality() -> None:
    assert [easiness_change(q) for q in range(6)] == [-80, -54, -32, -14, 0, 10]


def test_quality_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        review(Sm2State(), 6)


@given(grades)
def test_easiness_never_below_floor(qualities: list[int]) -> None:
    assert all(s.easiness >= MIN_EASINESS for s in run_grades(qualities))


@given(grades)
def test_failure_resets_repetitions_and_interval(qualities: list[int]) -> None:
    for quality, state in zip(qualities, run_grades(qualities), strict=True):
        if quality < 3:
            assert (state.repetitions, state.interval) == (0, 1)


@given(grades)
def test_passes_never_shrink_the_interval(qualities: list[int]) -> None:
    previous = Sm2State()
    for quality in qualities:
        state = review(previous, quality)
        if quality >= 3:
            assert state.interval >= previous.interval
            assert state.repetitions == previous.repetitions + 1
        previous = state


@given(grades)
def test_interval_matches_exact_rational_arithmetic(qualities: list[int]) -> None:
    previous = Sm2State()
    for quality in qualities:
        state = review(previous, quality)
        if quality >= 3 and previous.repetitions >= 2:
            exact = Fraction(previous.interval) * Fraction(previous.easiness, 100)
            assert state.interval == math.ceil(exact)
        previous = state


REVIEW_DAY = datetime(2026, 1, 1)


def peer(quality: int, easiness: float, interval: int, repetitions: int) -> dict[str, float]:
    result: dict[str, float] = supermemo2.review(
        quality, easiness, interval, repetitions, REVIEW_DAY
    )
    return result


def is_float_roundup(state: Sm2State) -> bool:
    """The peer's only licensed disagreement: ceil() of a whole-number product nudged up by float error."""
    return state.repetitions >= 2 and (state.interval * state.easiness) % 100 == 0


def test_matches_supermemo2_fed_exact_state() -> None:
    """Each step from the same exact state: identical except float round-ups of whole products,
    which on these 36,000 grades happen exactly 6 times (the figure in the design notes)."""
    rng = random.Random(1)
    steps = disagreements = 0
    for _ in range(3000):
        state = Sm2State()
        for _ in range(12):
            quality = rng.choice([0, 1, 2, 3, 3, 4, 4, 4, 5, 5])
            ours = review(state, quality)
            theirs = peer(quality, state.easiness / 100, state.interval, state.repetitions)
            steps += 1
            assert theirs["repetitions"] == ours.repetitions
            assert round(theirs["easiness"] * 100) == ours.easiness
            if theirs["interval"] != ours.interval:
                disagreements += 1
                assert quality >= 3 and is_float_roundup(state), (state, quality, theirs)
                assert theirs["interval"] == ours.interval + 1
            state = ours
    assert steps == 36000
    assert disagreements == 6


def test_matches_supermemo2_left_to_its_own_floats() -> None:
    """Run side by side; each sequence may only part ways at a float round-up, and then the
    peer's schedule stays one float artefact away from ours until EF drift compounds it."""
    rng = random.Random(7)
    parted = 0
    for _ in range(3000):
        qualities = [rng.choice([0, 1, 2, 3, 3, 4, 4, 4, 5, 5]) for _ in range(12)]
        ours = Sm2State()
        theirs = {"easiness": 2.5, "interval": 0, "repetitions": 0}
        for quality in qualities:
            before = ours
            ours = review(ours, quality)
            theirs = peer(
                quality, theirs["easiness"], int(theirs["interval"]), int(theirs["repetitions"])
            )
            assert theirs["repetitions"] == ours.repetitions
            assert abs(theirs["easiness"] * 100 - ours.easiness) < 1e-6
            if theirs["interval"] != ours.interval:
                # The first divergence must be ceil() of a whole-number product rounded up.
                assert quality >= 3 and before.repetitions >= 2
                exact_product = Fraction(before.interval) * Fraction(before.easiness, 100)
                assert exact_product.denominator == 1
                assert theirs["interval"] == ours.interval + 1
                parted += 1
                break
    assert parted == 258  # of 3,000 sequences (36,000 grades), as in the design notes
