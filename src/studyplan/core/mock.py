"""Mock interviews: a few cards shaped like a company's loop, self-graded against a rubric.

A mock takes one card per round of the company's process (as its own cards describe it),
preferring cards tagged for that company and falling back to the round's track. Its
rubric is the model answer's key points (its bullet lines); the points the candidate
says they covered become an SM-2 quality (see `quality_from_rubric`), saved at once.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from studyplan.core.errors import StudyplanError
from studyplan.core.model import Card, Track
from studyplan.core.progress.stats import drill_command

RECENT_DAYS = 7  # cards reviewed this recently are used only when nothing fresher is left
WELL = 4  # answers graded at least this went well


class MockError(StudyplanError):
    """A mock interview cannot be put together as asked."""


@dataclass(frozen=True, slots=True)
class Round:
    track: Track
    name: str
    topics: tuple[str, ...] = ()  # preferred topics within the track (none: any)


CODING = Round(Track.CODING, "coding")
DESIGN = Round(Track.SYSTEM_DESIGN, "ML system design")
BEHAVIORAL = Round(Track.BEHAVIORAL, "behavioral")
ML = Round(Track.ML, "ML knowledge")
RESEARCH = Round(Track.ML, "ML research depth")
PAST_WORK = Round(Track.BEHAVIORAL, "deep dive into past work", ("tell me about yourself",))
GPU = Round(Track.ML, "GPU and performance", ("cuda",))
CLIENT_CASE = Round(Track.SYSTEM_DESIGN, "client case (ML system design)")

STANDARD_LOOP: tuple[Round, ...] = (CODING, DESIGN, BEHAVIORAL)
# Each company's loop as its own cards in the question bank describe it (its interview-process
# card): every round beside the card's words for it, which tests/test_mock.py finds there.
LOOPS: Mapping[str, tuple[tuple[Round, str], ...]] = {
    "google": (
        (CODING, "covering coding"),
        (ML, "ML depth"),
        (DESIGN, "ML system design"),
        (BEHAVIORAL, "'Googleyness and leadership' round"),
    ),
    "amazon": (
        (CODING, "mixing coding"),
        (ML, "ML depth and breadth"),
        (DESIGN, "ML system design"),
        (BEHAVIORAL, "Leadership Principle questions"),
    ),
    "microsoft": (
        (CODING, "each mixes coding"),
        (ML, "ML or system design"),
        (DESIGN, "ML or system design"),
        (BEHAVIORAL, "with behavioral questions"),
    ),
    "meta": (
        (CODING, "two coding rounds"),
        (DESIGN, "ML system design rounds"),
        (BEHAVIORAL, "a behavioral round"),
    ),
    "openai": (
        (CODING, "coding, system design"),
        (DESIGN, "coding, system design"),
        (PAST_WORK, "a deep dive into past work"),
        (RESEARCH, "a discussion of research ideas"),
    ),
    "apple": (
        (CODING, "one or more technical screens"),
        (DESIGN, "the team's domain and practical depth"),
        (PAST_WORK, "a presentation of past work"),
    ),
    "nvidia": (
        (CODING, "often mixing coding"),
        (ML, "deep learning fundamentals"),
        (GPU, "performance or GPU questions"),
        (PAST_WORK, "a detailed discussion of past projects"),
    ),
    "tesla": (
        (CODING, "coding and ML fundamentals"),
        (ML, "coding and ML fundamentals"),
        (PAST_WORK, "a presentation of past projects"),
    ),
    "ibm": (
        (CODING, "ML fundamentals, coding"),
        (ML, "ML fundamentals, coding"),
        (CLIENT_CASE, "a scenario or case discussion"),
        (BEHAVIORAL, "Behavioral questions on teamwork"),
    ),
    "deepmind": (
        (CODING, "Coding is still tested"),
        (ML, "rapid-fire knowledge questions"),
        (RESEARCH, "in-depth discussion of papers, your own research"),
        (BEHAVIORAL, "conversations about collaboration"),
    ),
}


@dataclass(frozen=True, slots=True)
class MockQuestion:
    number: int
    round: str
    card: Card
    minutes: int  # time allowed
    key_points: tuple[str, ...]
    tagged: bool  # tagged for the company (else taken from the track)


@dataclass(frozen=True, slots=True)
class MockOutcome:
    question: MockQuestion
    covered: frozenset[int]  # 1-based numbers of the key points covered
    seconds: int  # time taken
    quality: int

    @property
    def over_time(self) -> bool:
        return self.seconds > self.question.minutes * 60

    @property
    def missed(self) -> tuple[str, ...]:
        points = self.question.key_points
        return tuple(p for n, p in enumerate(points, 1) if n not in self.covered)


@dataclass(frozen=True, slots=True)
class DrillHint:
    card_id: str
    topic: str
    quality: int
    missed: tuple[str, ...]
    command: str


@dataclass(frozen=True, slots=True)
class MockSummary:
    graded: int
    asked: int
    went_well: tuple[MockOutcome, ...]
    to_drill: tuple[DrillHint, ...]
    not_reached: tuple[MockQuestion, ...]


def loop_for(company: str | None) -> tuple[Round, ...]:
    """The company's loop as its cards describe it; without one, the standard loop."""
    described = LOOPS.get(company or "")
    return STANDARD_LOOP if described is None else tuple(round_ for round_, _ in described)


_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


def key_points(answer: str) -> tuple[str, ...]:
    """The answer's bullet lines (continuation lines joined on); without bullets, its lines."""
    points: list[str] = []
    bulleted = any(_BULLET.match(line) for line in answer.splitlines())
    for line in answer.splitlines():
        text = line.strip()
        if not text:
            continue
        match = _BULLET.match(line)
        if match or not bulleted or not points:
            points.append(match.group(1) if match else text)
        else:
            points[-1] += " " + text
    return tuple(" ".join(p.replace("**", "").split()) for p in points)


def quality_from_rubric(covered: int, total: int, over_time: bool) -> int:
    """SM-2 quality from the share of key points covered.

    all of them 5; at least 3/4 4; at least 1/2 3 (a pass); at least 1/4 2; any 1; none 0.
    Running over the time allowed costs one grade, but never turns a pass into a failure.
    """
    if total <= 0:
        raise ValueError("a rubric needs at least one key point")
    if covered >= total:
        quality = 5
    elif 4 * covered >= 3 * total:
        quality = 4
    elif 2 * covered >= total:
        quality = 3
    elif 4 * covered >= total:
        quality = 2
    else:
        quality = 1 if covered > 0 else 0
    if over_time and quality > 3:
        quality -= 1
    return quality


def parse_ticks(text: str, count: int) -> frozenset[int]:
    """'1 3 4', '1,3-4', 'all' or 'none' -> 1-based point numbers; ValueError says what is wrong."""
    words = text.strip().lower().replace(",", " ").split()
    if words == ["all"]:
        return frozenset(range(1, count + 1))
    if words == ["none"]:
        return frozenset()
    if not words:
        raise ValueError("type the numbers of the points you covered, 'all' or 'none'")
    ticked: set[int] = set()
    for word in words:
        first, dash, last = word.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise ValueError(f"{word!r} is not a point number: use 1-{count}, 'all' or 'none'")
        low, high = int(first), int(last) if dash else int(first)
        if not 1 <= low <= high <= count:
            raise ValueError(f"{word!r} is out of range: the points are numbered 1-{count}")
        ticked.update(range(low, high + 1))
    return frozenset(ticked)


def allot_minutes(card_minutes: Sequence[int], total: int | None) -> list[int]:
    """Each card's own minutes, or `total` shared in proportion to them (at least 1 each)."""
    if total is None:
        return list(card_minutes)
    count = len(card_minutes)
    if total < count:
        raise MockError(
            f"{total} minute(s) cannot hold {count} questions: give --minutes {count} or more"
        )
    weight = sum(card_minutes)
    # Whole minutes by largest remainder, then any question left with 0 takes one from the longest.
    allotted = [total * m // weight for m in card_minutes]
    by_remainder = sorted(range(count), key=lambda i: (-(total * card_minutes[i] % weight), i))
    for index in by_remainder[: total - sum(allotted)]:
        allotted[index] += 1
    for index in range(count):
        if allotted[index] == 0:
            allotted[allotted.index(max(allotted))] -= 1
            allotted[index] = 1
    return allotted


def choose_cards(
    cards: Sequence[Card],
    last_review: Mapping[str, date],
    company: str | None,
    today: date,
) -> list[tuple[Round, Card, bool]]:
    """One card per round, seeded by the day (and company) so a day's mock is repeatable.

    Pools in order of preference: tagged for the company and not reviewed in the last
    RECENT_DAYS days; of the track, not recent and not another company's own; of the track
    and not recent; tagged but recent; any of the track. A round with preferred topics draws
    from them while they have cards. A round whose track has no cards left is skipped.
    """
    rng = random.Random(f"mock:{today.isoformat()}:{company or ''}")
    taken: set[str] = set()
    chosen: list[tuple[Round, Card, bool]] = []
    for round_ in loop_for(company):
        track_cards = sorted(
            (c for c in cards if c.track is round_.track and c.id not in taken),
            key=lambda c: c.id,
        )
        on_topic = [c for c in track_cards if c.topic in round_.topics]
        track_cards = on_topic or track_cards

        def fresh(card: Card) -> bool:
            seen = last_review.get(card.id)
            return seen is None or (today - seen).days >= RECENT_DAYS

        def tagged(card: Card) -> bool:
            return company is not None and company in card.companies

        def general(card: Card) -> bool:  # not another company's own question
            return company is None or not card.companies or company in card.companies

        pools = (
            [c for c in track_cards if tagged(c) and fresh(c)],
            [c for c in track_cards if general(c) and fresh(c)],
            [c for c in track_cards if fresh(c)],
            [c for c in track_cards if tagged(c)],
            track_cards,
        )
        pool = next((p for p in pools if p), None)
        if pool is None:
            continue
        card = rng.choice(pool)
        taken.add(card.id)
        chosen.append((round_, card, tagged(card)))
    return chosen


def plan_mock(
    cards: Sequence[Card],
    last_review: Mapping[str, date],
    company: str | None,
    minutes: int | None,
    today: date,
) -> tuple[MockQuestion, ...]:
    chosen = choose_cards(cards, last_review, company, today)
    if not chosen:
        tracks = ", ".join(dict.fromkeys(r.track.value for r in loop_for(company)))
        raise MockError(f"no cards for a mock: the corpus has no {tracks} cards")
    allotted = allot_minutes([card.minutes for _, card, _ in chosen], minutes)
    return tuple(
        MockQuestion(n, round_.name, card, allowed, key_points(card.answer), is_tagged)
        for n, ((round_, card, is_tagged), allowed) in enumerate(
            zip(chosen, allotted, strict=True), 1
        )
    )


def summarise(questions: Sequence[MockQuestion], outcomes: Sequence[MockOutcome]) -> MockSummary:
    graded = {o.question.number for o in outcomes}
    return MockSummary(
        graded=len(outcomes),
        asked=len(questions),
        went_well=tuple(o for o in outcomes if o.quality >= WELL),
        to_drill=tuple(
            DrillHint(
                o.question.card.id,
                o.question.card.topic,
                o.quality,
                o.missed,
                drill_command(o.question.card.topic),
            )
            for o in outcomes
            if o.quality < WELL
        ),
        not_reached=tuple(q for q in questions if q.number not in graded),
    )
