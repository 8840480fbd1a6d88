"""From Anki's records to studyplan's: notes to cards, tags to track/topic/company, a card's
schedule to an SM-2 state, its review log to grades. Pure: the day and time zone are given.

- Ids: a note's GUID is its identity across exports, so a card's id is `own-anki-` and a hash
  of the GUID, with `-2`, `-3`... for a note's second, third card (the reversed card, cloze
  2, ...): importing the same deck again finds the same ids.
- Grades: Again, Hard, Good, Easy are SM-2 grades 1, 3, 4, 5.
- Schedule: ease factor 2500 is easiness 2.50 (held as 250), the interval in days is kept,
  the due day is the collection's creation day plus the card's due number (a learning card's
  due is a time), lapses are kept. Repetitions (SM-2's count of successful reviews in a row)
  come from the review log: the passes since the last Again, at least 1 for a card in
  review, at least 2 once its interval reaches 6 days (so the next interval is
  ceil(I × EF), as SM-2 gives it then).
- Ranges (`limits`): easiness 1.30-10.00, interval 1-36,500 days, lapses 0-100,000, due
  dates and review days 1970-01-01 to 2200-12-31; a value outside is clamped and counted. A
  review dated outside the calendar, or after the import day, is left out and counted; the
  last review never falls after the import day, so the card can be graded at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from studyplan.adapters.anki import ANKI_CARD_PREFIX, limits
from studyplan.adapters.anki import cloze as clozes
from studyplan.adapters.anki.collection import SUSPENDED, AnkiCard, Collection, Review
from studyplan.adapters.anki.html_text import MediaRef, answer_part, html_to_text
from studyplan.adapters.anki.limits import Findings, LeftOut, clamp
from studyplan.adapters.anki.template import TemplateError, TooLong, render_template
from studyplan.adapters.content.cards import MAX_DECK_NAME
from studyplan.adapters.content.qa_markdown import words_slug
from studyplan.core.dates import EARLIEST_DATE, LATEST_DATE
from studyplan.core.model import COMPANIES, COMPANY_ALIASES, Track
from studyplan.core.records import MAX_SECONDS
from studyplan.core.srs.card_state import MAX_INTERVAL, CardState, cap_before_interview
from studyplan.core.srs.outside_reviews import OutsideReview
from studyplan.core.srs.sm2 import INITIAL_EASINESS, MIN_EASINESS, Sm2State

ANKI_PREFIX = ANKI_CARD_PREFIX
EASE_TO_QUALITY = {1: 1, 2: 3, 3: 4, 4: 5}  # Again, Hard, Good, Easy
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
_TIMESTAMP_DUE = 1_000_000_000  # a due above this is a time (seconds), not a day number
_TRACKS = {track.value: track for track in Track}


def note_guid(card_id: str) -> str:
    """The GUID of the Anki note `export anki` writes for a card: the same on every export,
    so Anki updates the note instead of adding a copy."""
    return "studyplan-" + hashlib.sha1(card_id.encode("utf-8")).hexdigest()[:16]


def card_id_for(guid: str, ord_: int) -> str:
    digest = hashlib.sha1(guid.encode("utf-8")).hexdigest()[:12]
    return f"{ANKI_PREFIX}{digest}" + (f"-{ord_ + 1}" if ord_ else "")


@dataclass(frozen=True, slots=True)
class CardText:
    prompt: str
    answer: str
    media: tuple[MediaRef, ...]  # the media files the card shows, by their names in the package


def card_text(collection: Collection, card: AnkiCard) -> CardText:
    """The card's question and answer as text. LeftOut when it cannot be shown: its note or
    note type missing, no template for it, a template Anki shows an error for, text too long."""
    note = collection.notes.get(card.note_id)
    if note is None:
        raise LeftOut(collection.left_out_notes.get(card.note_id, (limits.NO_NOTE, None))[0])
    notetype = collection.notetypes.get(note.notetype_id)
    if notetype is None:
        raise LeftOut(limits.NO_NOTETYPE)
    values = dict(zip(notetype.fields, note.fields, strict=False))
    values.setdefault("Tags", " ".join(note.tags))
    cloze = card.ord + 1 if notetype.cloze else None
    template = notetype.templates.get(0 if notetype.cloze else card.ord)
    if template is None or card.ord < 0 or (cloze and card.ord >= limits.MAX_CLOZE_CARDS):
        raise LeftOut(limits.NO_TEMPLATE)
    if cloze is not None and not any(cloze in clozes.numbers_in(text) for text in note.fields):
        raise LeftOut(limits.NO_CLOZE)
    media: list[MediaRef] = []
    limit = limits.MAX_TEXT_BYTES
    try:
        question_html = render_template(template[0], values, cloze, True, limit)
        answer_html = render_template(template[1], values, cloze, False, limit)
    except TemplateError:
        raise LeftOut(limits.BROKEN_TEMPLATE) from None
    except TooLong:
        raise LeftOut(limits.TOO_LONG) from None
    question = html_to_text(question_html, media)
    answer = html_to_text(answer_part(answer_html), media)
    if max(len(question.encode()), len(answer.encode())) > limit:
        raise LeftOut(limits.TOO_LONG)
    return CardText(question, answer, tuple(dict.fromkeys(media)))


def is_suspended(card: AnkiCard) -> bool:
    return card.queue == SUSPENDED


def studied_reviews(card: AnkiCard, reviews: Sequence[Review]) -> Sequence[Review]:
    """The reviews that stand behind the card's schedule: none once the card is new again
    (reset in Anki, its earlier reviews no longer count)."""
    return () if card.type == NEW else reviews


@dataclass(frozen=True, slots=True)
class TagMeaning:
    track: Track | None
    topic: str | None
    companies: tuple[str, ...]
    kept: tuple[str, ...]


def read_tags(tags: Iterable[str], known_topics: Mapping[str, str]) -> TagMeaning:
    """Tags naming a track, a company or a known topic (plain, or as `track::ml`,
    `company::google`, `topic::graphs`) say so; the others are kept as tags."""
    track: Track | None = None
    topic: str | None = None
    companies: list[str] = []
    kept: list[str] = []
    for tag in tags:
        parts = tag.split("::")
        kind = parts[-2].lower() if len(parts) > 1 else ""
        word = parts[-1].lower().replace("_", "-")
        spaced = word.replace("-", " ")
        if kind == "topic" and spaced.strip():
            topic = known_topics.get(spaced, spaced)
        elif word in _TRACKS and kind in ("", "track", "studyplan"):
            track = track or _TRACKS[word]
        elif word in COMPANIES or word in COMPANY_ALIASES:
            name = COMPANY_ALIASES.get(word, word)
            if name not in companies:
                companies.append(name)
        elif spaced in known_topics and kind in ("", "studyplan"):
            topic = topic or known_topics[spaced]
        else:
            kept.append(tag)
    ordered = tuple(name for name in COMPANIES if name in companies)
    return TagMeaning(track, topic, ordered, tuple(kept))


_TRACK_NAMES: dict[Track, tuple[str, ...]] = {
    Track.CODING: (
        "coding", "leetcode", "leet code", "algorithms", "algorithm", "algo", "algos", "dsa",
        "data structures", "programming",
    ),
    Track.SYSTEM_DESIGN: ("system design", "systems design", "sd", "sysdesign"),
    Track.ML: (
        "ml", "machine learning", "deep learning", "dl", "ai", "nlp", "llm", "llms", "genai",
        "mle", "mlops",
    ),
    Track.BEHAVIORAL: (
        "behavioral", "behavioural", "behavior", "behaviour", "soft skills",
        "leadership principles",
    ),
    Track.COMPANY: ("company", "companies"),
}  # fmt: skip
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def name_words(name: str) -> list[str]:
    """A name's words, lowercase: `SystemDesign`, `system_design`, `System-Design` all give
    ["system", "design"]."""
    return _NON_WORD.sub(" ", _CAMEL.sub(" ", name).lower()).split()


def deck_track(deck_name: str) -> Track | None:
    """The track a deck's name names, read as words: `System Design`, `system_design`,
    `SD::Caching`, `Interview prep::Machine Learning`. When it names several, the last wins:
    the deepest subdeck, and in one name its head noun (`ML System Design` is system design)."""
    words = name_words(deck_name.replace("::", " "))
    best: tuple[int, Track] | None = None
    for track, names in _TRACK_NAMES.items():
        for name in names:
            wanted = name.split()
            for start in range(len(words) - len(wanted) + 1):
                if words[start : start + len(wanted)] == wanted:
                    end = start + len(wanted)
                    if best is None or end > best[0]:
                        best = (end, track)
    return best[1] if best else None


def stored_deck_name(name: str) -> str:
    """A deck's name as a card records it: at most MAX_DECK_NAME characters."""
    return name[:MAX_DECK_NAME]


def deck_topic(deck_name: str) -> str:
    return deck_name.split("::")[-1].strip() or "anki"


def deck_file_stem(deck_name: str) -> str:
    return "anki-" + (words_slug(deck_name.split("::")[0], 40) or "deck")


# The moments (seconds since the epoch) whose day can be in the calendar: a day either side,
# for time zones and the rollover hour.
_EARLIEST_MOMENT = (EARLIEST_DATE.toordinal() - date(1970, 1, 1).toordinal() - 1) * 86_400
_LATEST_MOMENT = (LATEST_DATE.toordinal() - date(1970, 1, 1).toordinal() + 2) * 86_400


class CreationTimeUnusable(ValueError):
    """Review due days count from the collection's creation time, which is not a time."""


def anki_day(stamp_seconds: float, rollover: int, tz: tzinfo | None) -> date | None:
    """The day Anki counts a moment in: local time, the day starting at the rollover hour;
    None when it is not a day from EARLIEST_DATE to LATEST_DATE."""
    if not _EARLIEST_MOMENT <= stamp_seconds <= _LATEST_MOMENT:
        return None
    moment = (
        datetime.fromtimestamp(stamp_seconds, tz) if tz else datetime.fromtimestamp(stamp_seconds)
    )
    day = (moment - timedelta(hours=rollover)).date()
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


def creation_day(collection: Collection, tz: tzinfo | None) -> date:
    """Day 0 of the collection's review due numbers: the local date it was created on."""
    created = collection.created
    if created is None or not _EARLIEST_MOMENT <= created <= _LATEST_MOMENT:
        raise CreationTimeUnusable
    if collection.creation_offset is not None:
        zone: tzinfo | None = timezone(timedelta(minutes=-collection.creation_offset))
    else:
        zone = tz
    moment = datetime.fromtimestamp(created, zone) if zone else datetime.fromtimestamp(created)
    return moment.date()


def outside_reviews(
    card_id: str,
    reviews: Sequence[Review],
    rollover: int,
    tz: tzinfo | None,
    today: date,
    findings: Findings,
) -> list[OutsideReview]:
    """A card's Anki reviews as grades (manual reschedules, ease 0, are not reviews); one
    dated outside the calendar or after today is left out, and counted."""
    graded = []
    for review in reviews:
        if review.ease not in EASE_TO_QUALITY:
            continue
        day = anki_day(review.id / 1000, rollover, tz)
        if day is None:
            findings.reviews_left_out[limits.OUTSIDE_CALENDAR] += 1
            continue
        if day > today:
            findings.reviews_left_out[limits.after_today(today)] += 1
            continue
        seconds = clamp(review.millis, 0, MAX_SECONDS * 1000, findings, limits.TIME_CLAMPED)
        graded.append(
            OutsideReview(
                card_id,
                f"{review.id}:{card_id}",
                day,
                EASE_TO_QUALITY[review.ease],
                min(MAX_SECONDS, round(seconds / 1000)),
            )
        )
    return graded


def _due_day(card: AnkiCard, collection: Collection, tz: tzinfo | None, findings: Findings) -> date:
    """The card's due day within the calendar (clamped into it, and counted, when not)."""
    if card.due > _TIMESTAMP_DUE:
        day = anki_day(card.due, collection.rollover, tz)
        if day is not None:
            return day
        findings.clamped[limits.DUE_CLAMPED] += 1
        return LATEST_DATE  # a time after 2001: past the calendar's end
    number = creation_day(collection, tz).toordinal() + card.due
    ordinal = clamp(
        number, EARLIEST_DATE.toordinal(), LATEST_DATE.toordinal(), findings, limits.DUE_CLAMPED
    )
    return date.fromordinal(ordinal)


def schedule_state(
    card_id: str,
    card: AnkiCard,
    graded: Sequence[OutsideReview],
    collection: Collection,
    today: date,
    interview: date | None,
    tz: tzinfo | None,
    findings: Findings,
) -> CardState | None:
    """The SM-2 state of an Anki card that has been studied; None for a new card. Raises
    CreationTimeUnusable when its due day counts from a creation time that is not a time."""
    if card.type == NEW:
        return None
    easiness = INITIAL_EASINESS
    if not collection.fsrs and card.factor != 0:
        easiness = clamp(
            card.factor // 10, MIN_EASINESS, limits.MAX_EASINESS, findings, limits.EASE_CLAMPED
        )
    in_review = card.type == REVIEW
    interval = 1
    if in_review:
        interval = clamp(card.interval, 1, MAX_INTERVAL, findings, limits.INTERVAL_CLAMPED)
    due = _due_day(card, collection, tz, findings)
    lapses = clamp(card.lapses, 0, limits.MAX_LAPSES, findings, limits.LAPSES_CLAMPED)
    passes = 0
    for review in sorted(graded, key=lambda r: (r.day, r.origin_id)):
        passes = passes + 1 if review.quality >= 3 else 0
    repetitions = max(passes, 2 if interval >= 6 else 1) if in_review else 0
    days = sorted(review.day for review in graded)
    if days:
        last = days[-1]
    else:
        stepped_back = due.toordinal() - (interval if in_review else 0)
        last = date.fromordinal(max(EARLIEST_DATE.toordinal(), stepped_back))
    last = min(last, today)  # Anki's data never dates a review after today
    return CardState(
        card_id=card_id,
        sm2=Sm2State(repetitions=repetitions, interval=interval, easiness=easiness),
        due=cap_before_interview(max(due, last), today, interview),
        introduced=days[0] if days else last,
        last_review=last,
        lapses=lapses,
    )
