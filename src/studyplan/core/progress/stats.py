"""Progress per group of cards, and the weakest topics.

Definitions, all over the cards of a group (a track, a company, a topic):
- introduced: cards graded at least once; mature: cards whose SM-2 interval is >= 21 days.
- retention: over the reviews of the window (the last 30 days), the share recalled: graded
  3 or more. A lapse (below 3) counts against it; hard (exactly 3) is a recall, counted
  apart as well. A review is the day's first grade of a card studied before: same-day
  re-drills do not count, nor a card's very first grade (that is learning, not recall).
- average easiness: mean SM-2 easiness of the introduced cards; lapses: times an introduced
  card that had been recalled before was failed again (lifetime).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.model import Card, Track
from studyplan.core.records import LoggedGrade
from studyplan.core.srs.card_state import MATURE_INTERVAL, CardState, GradeKind
from studyplan.core.srs.sm2 import INITIAL_EASINESS, MIN_EASINESS, PASSING

RETENTION_DAYS = 30
RETENTION_COUNTS = (
    f"reviews in the last {RETENTION_DAYS} days of cards studied before (the day's first grade;"
    " first studies and same-day re-drills are not reviews): recalled is graded 3 or more,"
    " hard is graded 3, a lapse below 3"
)
WEAKEST_LIMIT = 5


@dataclass(frozen=True, slots=True)
class GroupProgress:
    name: str
    total: int
    introduced: int
    mature: int
    reviews: int  # SM-2 recall reviews in the window
    recalled: int  # of those, graded >= 3
    hard: int  # of the recalled, graded exactly 3
    retention: float | None  # recalled / reviews; None without reviews
    average_easiness: float | None  # None when nothing is introduced
    lapses: int


@dataclass(frozen=True, slots=True)
class WeakTopic:
    track: str
    topic: str
    introduced: int
    retention: float | None
    average_easiness: float | None
    lapses: int
    score: float
    command: str


def retention_window(today: date) -> tuple[date, date]:
    """The last RETENTION_DAYS days, today included."""
    return today - timedelta(days=RETENTION_DAYS - 1), today


def recall_reviews(reviews: Iterable[LoggedGrade], first: date, last: date) -> list[LoggedGrade]:
    """The reviews retention counts: SM-2 steps on cards seen before, inside [first, last]."""
    return [
        r for r in reviews if r.kind is GradeKind.SM2 and not r.first and first <= r.day <= last
    ]


def group_progress(
    name: str,
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    recall: Sequence[LoggedGrade],
) -> GroupProgress:
    """Figures for one group; `recall` are the window's recall reviews (any cards)."""
    ids = {card.id for card in cards}
    seen = [states[card.id] for card in cards if card.id in states]
    in_group = [r for r in recall if r.card_id in ids]
    recalled = sum(1 for r in in_group if r.quality >= PASSING)
    return GroupProgress(
        name=name,
        total=len(cards),
        introduced=len(seen),
        mature=sum(1 for s in seen if s.interval >= MATURE_INTERVAL),
        reviews=len(in_group),
        recalled=recalled,
        hard=sum(1 for r in in_group if r.quality == PASSING),
        retention=recalled / len(in_group) if in_group else None,
        average_easiness=_mean_easiness(seen),
        lapses=sum(s.lapses for s in seen),
    )


def _mean_easiness(seen: Sequence[CardState]) -> float | None:
    if not seen:
        return None
    return round(sum(s.easiness for s in seen) / len(seen) / 100, 2)


def track_progress(
    cards: Sequence[Card], states: Mapping[str, CardState], recall: Sequence[LoggedGrade]
) -> list[GroupProgress]:
    """One entry per track that has cards, in the tracks' fixed order."""
    groups = []
    for track in Track:
        members = [card for card in cards if card.track is track]
        if members:
            groups.append(group_progress(track.value, members, states, recall))
    return groups


def company_progress(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    recall: Sequence[LoggedGrade],
    companies: Sequence[str],
) -> list[GroupProgress]:
    """One entry per company: the cards tagged for it, whatever their track."""
    return [
        group_progress(company, [c for c in cards if company in c.companies], states, recall)
        for company in companies
    ]


def weakness_score(progress: GroupProgress) -> float:
    """failed share + easiness deficit + lapses per card, each about 0-1; 0 means no sign of trouble.

    failed share = 1 - retention (0 without reviews); easiness deficit = how far the mean
    easiness sits below the starting 2.5, over the 2.5-1.3 range SM-2 allows (never negative:
    easy cards do not hide failed ones); lapses per introduced card.
    """
    if not progress.introduced:
        return 0.0
    failed = 1 - progress.retention if progress.retention is not None else 0.0
    easiness = progress.average_easiness if progress.average_easiness is not None else 2.5
    deficit = max(0.0, (INITIAL_EASINESS - easiness * 100) / (INITIAL_EASINESS - MIN_EASINESS))
    return round(failed + deficit + progress.lapses / progress.introduced, 4)


def drill_command(topic: str) -> str:
    return f"studyplan review --topic {shlex.quote(topic)}"


def weakest_topics(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    recall: Sequence[LoggedGrade],
    limit: int = WEAKEST_LIMIT,
) -> list[WeakTopic]:
    """Topics with introduced cards and some sign of trouble, weakest (highest score) first."""
    by_topic: dict[tuple[str, str], list[Card]] = {}
    for card in cards:
        by_topic.setdefault((card.track.value, card.topic), []).append(card)
    weak: list[WeakTopic] = []
    for (track, topic), members in by_topic.items():
        progress = group_progress(topic, members, states, recall)
        score = weakness_score(progress)
        if score > 0:
            weak.append(
                WeakTopic(
                    track=track,
                    topic=topic,
                    introduced=progress.introduced,
                    retention=progress.retention,
                    average_easiness=progress.average_easiness,
                    lapses=progress.lapses,
                    score=score,
                    command=drill_command(topic),
                )
            )
    weak.sort(key=lambda w: (-w.score, w.track, w.topic))
    return weak[:limit]
