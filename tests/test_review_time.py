"""Review times: defaults per track, then learned from the user's own timings."""

from __future__ import annotations

import pytest

from studyplan.core.model import Card, Difficulty, Track
from studyplan.core.review_time import (
    DEFAULT_REDRILL_RATE,
    DEFAULT_REVIEW_SHARE,
    TimedGrade,
    learn_review_times,
)


def card(card_id: str, track: Track = Track.CODING, minutes: int = 10) -> Card:
    return Card(card_id, track, "t", (), Difficulty.EASY, minutes, "Q?", "A.")


CARDS = {c.id: c for c in (card("a"), card("b", minutes=20), card("m", Track.ML, minutes=5))}


def timed(
    card_id: str, seconds: int | None, quality: int = 4, first: bool = False, drill: bool = False
) -> TimedGrade:
    return TimedGrade(card_id, quality, first, drill=drill, seconds=seconds)


def test_defaults_before_any_timing() -> None:
    times = learn_review_times(CARDS, [])
    assert times.review_minutes(CARDS["a"]) == round(10 * DEFAULT_REVIEW_SHARE[Track.CODING])
    assert times.review_minutes(CARDS["m"]) == 2  # 40% of 5
    assert times.new_redrill_rate == times.review_redrill_rate == DEFAULT_REDRILL_RATE


def test_a_track_learns_its_mean_share_and_a_card_its_own_mean() -> None:
    grades = [
        timed("a", 60),  # 1 of 10 minutes: share 0.1
        timed("b", 240),  # 4 of 20: 0.2
        timed("b", 360),  # 6 of 20: 0.3
        timed("a", None),  # untimed: ignored for times
        timed("a", 7200),  # two hours: a break, not a review time
        timed("a", 600, first=True),  # learning it, not reviewing it
    ]
    times = learn_review_times(CARDS, grades)
    assert times.tracks[Track.CODING].share == pytest.approx(0.2)
    assert times.tracks[Track.CODING].samples == 3
    assert times.tracks[Track.ML].samples == 0  # still the default
    assert times.card_minutes == {"b": 5.0}  # a has one usable timing, b two: 5 min
    assert times.review_minutes(CARDS["a"]) == 2  # 0.2 x 10
    assert times.review_minutes(CARDS["b"]) == 5


def test_redrill_rates_follow_recent_grades() -> None:
    reviews = [timed("a", None, quality=q) for q in [3, 4, 5, 2] * 5]  # half below 4
    learning = [timed("m", None, quality=5, first=True)] * 25  # never below 4
    times = learn_review_times(CARDS, reviews + learning)
    assert times.review_redrill_rate == 0.5
    assert times.new_redrill_rate == 0.0


def test_a_card_left_on_screen_does_not_count_but_slow_reviews_do() -> None:
    steady = [timed("a", 120)] * 3  # share 0.2 each
    slow = learn_review_times(CARDS, [*steady, timed("a", 300)])  # 0.5: slow, still a review
    assert slow.tracks[Track.CODING].share == pytest.approx((0.2 * 3 + 0.5) / 4)
    away = learn_review_times(CARDS, [*steady, timed("a", 480)])  # 0.8: over 3x the median
    assert away.tracks[Track.CODING].share == pytest.approx(0.2)


def test_redrills_cost_a_review_until_the_track_has_timed_redrills() -> None:
    reviews = [timed("a", 180)] * 3  # 3 of 10 minutes
    two_drills = [timed("a", 60, drill=True)] * 2
    times = learn_review_times(CARDS, reviews + two_drills)
    assert times.redrill_minutes(CARDS["a"]) == times.review_minutes(CARDS["a"]) == 3
    three_drills = [timed("b", 120, drill=True)] * 3  # 2 of 20 minutes: share 0.1
    times = learn_review_times(CARDS, reviews + two_drills + three_drills)
    assert times.redrill_minutes(CARDS["a"]) == 1  # 0.1 of 10, from the track's re-drills
    assert times.review_minutes(CARDS["a"]) == 3  # reviews are not re-drills
    assert times.new_redrill(CARDS["b"]) == pytest.approx(DEFAULT_REDRILL_RATE * 2)
    assert times.redrill_minutes(CARDS["m"]) == times.review_minutes(CARDS["m"])  # ML: none yet
