"""How long studying a card again takes, and how often it needs a same-day re-drill.

A first study of a card costs its `minutes`; a review costs a share of that. Until the user
has timed reviews, each track has a default share; then the estimate follows their own
times: per track, the average of the recent timed reviews as a share of the cards' minutes
(leaving out a card left on screen over three times as long as the median);
per card, once it has been timed twice, its own recent times. Re-drill rates (how often a
grade is below 4, so that SM-2 repeats the card the same day) likewise start from a default
and follow the user's recent grades; a re-drill, right after seeing the answer, costs a
review's time until the user's own timed re-drills of the track say otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from studyplan.core.model import Card, Track

DEFAULT_REVIEW_SHARE: Mapping[Track, float] = {
    Track.CODING: 0.3,  # recall the approach and its complexity, not re-derive the code
    Track.SYSTEM_DESIGN: 0.3,
    Track.ML: 0.4,
    Track.BEHAVIORAL: 0.4,
    Track.COMPANY: 0.4,
}
DEFAULT_REDRILL_RATE = 0.25  # share of grades below 4, for new cards and for reviews
TRACK_SAMPLES = 30  # the most recent timed reviews of a track that its estimate uses
MIN_TRACK_SAMPLES = 3
CARD_SAMPLES = 5
MIN_CARD_SAMPLES = 2
RATE_SAMPLES = 100
MIN_RATE_SAMPLES = 20
LONGEST_REVIEW_SECONDS = 3600  # longer, the card sat through a break: says nothing of its time


@dataclass(frozen=True, slots=True)
class TimedGrade:
    """One logged grade: `first` is a card's first grade ever (learning it), `drill` a
    same-day repeat; `seconds` is None when the grade was given without a timing."""

    card_id: str
    quality: int
    first: bool
    drill: bool
    seconds: int | None


@dataclass(frozen=True, slots=True)
class TrackEstimate:
    """A track's review time as a share of its cards' first-time minutes."""

    share: float  # review minutes per first-time minute
    samples: int  # timed reviews behind it; 0 means the default


@dataclass(frozen=True, slots=True)
class ReviewTimes:
    """Review times and re-drill rates: the defaults, or learned from the user's grades."""

    tracks: Mapping[Track, TrackEstimate] = field(
        default_factory=lambda: {t: TrackEstimate(s, 0) for t, s in DEFAULT_REVIEW_SHARE.items()}
    )
    card_minutes: Mapping[str, float] = field(default_factory=dict)
    new_redrill_rate: float = DEFAULT_REDRILL_RATE
    review_redrill_rate: float = DEFAULT_REDRILL_RATE
    drill_shares: Mapping[Track, float] = field(default_factory=dict)  # re-drill min per minute

    def review_minutes(self, card: Card) -> int:
        own = self.card_minutes.get(card.id)
        estimate = own if own is not None else card.minutes * self.tracks[card.track].share
        return max(1, round(estimate))

    def redrill_minutes(self, card: Card) -> int:
        """What repeating `card` the same day costs."""
        share = self.drill_shares.get(card.track)
        return self.review_minutes(card) if share is None else max(1, round(card.minutes * share))

    def new_redrill(self, card: Card) -> float:
        """The re-drill minutes a first study of `card` is expected to bring."""
        return self.new_redrill_rate * self.redrill_minutes(card)

    def review_redrill(self, card: Card) -> float:
        """The re-drill minutes a review of `card` is expected to bring."""
        return self.review_redrill_rate * self.redrill_minutes(card)


def learn_review_times(cards: Mapping[str, Card], grades: Sequence[TimedGrade]) -> ReviewTimes:
    """Estimates from the user's grades, oldest first (only recent ones need be passed)."""
    by_track: dict[Track, list[float]] = defaultdict(list)
    drills: dict[Track, list[float]] = defaultdict(list)
    by_card: dict[str, list[float]] = defaultdict(list)
    new_fails: list[bool] = []
    review_fails: list[bool] = []
    for grade in grades:
        card = cards.get(grade.card_id)
        if card is None:
            continue
        timed = grade.seconds is not None and 0 < grade.seconds <= LONGEST_REVIEW_SECONDS
        if grade.drill:
            if timed:
                drills[card.track].append(_minutes(grade) / card.minutes)
            continue
        (new_fails if grade.first else review_fails).append(grade.quality < 4)
        if grade.first or not timed:
            continue
        minutes = _minutes(grade)
        by_track[card.track].append(minutes / card.minutes)
        by_card[card.id].append(minutes)
    tracks = {
        track: (
            TrackEstimate(
                _typical(by_track[track][-TRACK_SAMPLES:]),
                len(by_track[track][-TRACK_SAMPLES:]),
            )
            if len(by_track[track]) >= MIN_TRACK_SAMPLES
            else TrackEstimate(default, 0)
        )
        for track, default in DEFAULT_REVIEW_SHARE.items()
    }
    card_minutes = {
        card_id: _typical(times[-CARD_SAMPLES:])
        for card_id, times in by_card.items()
        if len(times) >= MIN_CARD_SAMPLES
    }
    drill_shares = {
        track: _typical(shares[-TRACK_SAMPLES:])
        for track, shares in drills.items()
        if len(shares) >= MIN_TRACK_SAMPLES
    }
    return ReviewTimes(tracks, card_minutes, _rate(new_fails), _rate(review_fails), drill_shares)


def _minutes(grade: TimedGrade) -> float:
    return (grade.seconds or 0) / 60


def _typical(values: Sequence[float]) -> float:
    """The mean, leaving out times over three times the median (a card left on screen):
    a budget must hold the slow reviews too, which a median would not count."""
    median = _median(values)
    kept = [v for v in values if v <= 3 * median]
    return sum(kept) / len(kept)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)  # `statistics` would cost every command its import time
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _rate(fails: Sequence[bool]) -> float:
    recent = fails[-RATE_SAMPLES:]
    if len(recent) < MIN_RATE_SAMPLES:
        return DEFAULT_REDRILL_RATE
    return sum(recent) / len(recent)
