"""The ranges every value taken from an Anki package is held to, and what an import says about
a value outside them: a card or review left out, with its reason, or a value clamped into its
range, with a note. Nothing out of range reaches the workspace.

- Numbers are whole numbers within 64 bits. One that is not (text, a fraction) in a card's or a
  review's identity or kind leaves that card or review out; in a schedule value (due, interval,
  ease, lapses, time taken) it is clamped like any value out of range.
- Dates fall from EARLIEST_DATE to LATEST_DATE, like every date studyplan takes.
- Text: a note over MAX_TEXT_BYTES (fields and tags), or a card side that renders longer, is
  left out, as documents over that size are refused.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from studyplan.adapters.user_files import MAX_DOCUMENT_BYTES
from studyplan.core.dates import EARLIEST_DATE, LATEST_DATE
from studyplan.core.srs.card_state import MAX_INTERVAL
from studyplan.core.srs.sm2 import MIN_EASINESS

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_TEXT_BYTES = MAX_DOCUMENT_BYTES  # a note's fields and tags; a card side as rendered
MAX_JSON_BYTES = 32 * 1024 * 1024  # the note types, decks or settings of a schema-11 collection
MAX_MEDIA_LIST_BYTES = 32 * 1024 * 1024  # a media list: ~500,000 files
MAX_EASINESS = 1000  # hundredths: Anki's ease 1000%; Easy adds 15 points a review
MAX_LAPSES = 100_000  # 100 years of daily reviews is 36,500
MAX_CLOZE_CARDS = 500  # Anki makes at most 500 cards of a cloze note (ord 0-499)
MAX_IMPORT_TEXT = 256 * 1024 * 1024  # the text of all the cards one import keeps

# Why a card is left out.
NO_NOTE = "their note is not in the package"
NO_NOTETYPE = "their note type is not in the package"
NO_TEMPLATE = "their note type has no card template for them"
BROKEN_TEMPLATE = "their card template has an error (Anki shows the error instead of the card)"
NO_CLOZE = "their cloze is not in their note's text (Anki shows an error instead of the card)"
TOO_LONG = f"their text is over {MAX_TEXT_BYTES // 1024**2} MiB"
DUPLICATE_GUID = "their note has the same GUID as an earlier note (Anki would take the two as one)"
GUID_NOT_TEXT = "their note's GUID is not text"
NOT_ANKI_VALUES = "they hold values Anki does not write"

# Why a review is left out (with NOT_ANKI_VALUES).
OUTSIDE_CALENDAR = f"not dated from {EARLIEST_DATE} to {LATEST_DATE}"


def after_today(today: object) -> str:
    return f"dated after today ({today})"


# What was clamped.
EASE_CLAMPED = (
    f"card(s) with an ease outside {MIN_EASINESS}%-{MAX_EASINESS}%: clamped into that range"
)
INTERVAL_CLAMPED = (
    f"card(s) with an interval outside 1-{MAX_INTERVAL} days: clamped into that range"
)
DUE_CLAMPED = (
    f"card(s) due outside {EARLIEST_DATE} to {LATEST_DATE}: due date clamped into that range"
)
LAPSES_CLAMPED = f"card(s) with lapses outside 0-{MAX_LAPSES}: clamped into that range"
TIME_CLAMPED = "review(s) with a time taken outside 0 s to 1 day: clamped into that range"


class LeftOut(Exception):
    """A card cannot be imported; `reason` says why (one of the reasons above)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Findings:
    """What an import did with the values out of range it met."""

    cards_left_out: Counter[str] = field(default_factory=Counter)  # reason -> cards
    reviews_left_out: Counter[str] = field(default_factory=Counter)  # reason -> reviews
    clamped: Counter[str] = field(default_factory=Counter)  # what -> how many
    settings: list[str] = field(default_factory=list)  # collection settings not used, as said


def whole(value: object) -> int | None:
    """A whole number as SQLite holds one (an integer, or a real without a fraction, within 64
    bits); None for anything else."""
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer() and INT64_MIN <= value <= INT64_MAX:
        return int(value)
    return None


def saturated(value: object) -> int | None:
    """A number as a whole number: a fraction cut, one beyond 64 bits (infinity too) taken as
    the nearest end; None for text, bytes and NULL."""
    if type(value) is int:
        return value
    if isinstance(value, float) and value == value:
        if value >= INT64_MAX:
            return INT64_MAX
        if value <= INT64_MIN:
            return INT64_MIN
        return int(value)
    return None


def clamp(value: int, low: int, high: int, findings: Findings, what: str) -> int:
    """`value` within low..high; counted under `what` when it was not."""
    if low <= value <= high:
        return value
    findings.clamped[what] += 1
    return low if value < low else high
