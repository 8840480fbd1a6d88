"""The records content is made of: tracks, companies, cards and guide sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache


class Track(StrEnum):
    CODING = "coding"
    SYSTEM_DESIGN = "system-design"
    ML = "ml"
    BEHAVIORAL = "behavioral"
    COMPANY = "company"


class Priority(StrEnum):
    """How often interviews ask a card's question: core cards are learned first, deep last."""

    CORE = "core"
    COMMON = "common"
    DEEP = "deep"


PRIORITY_RANK = {Priority.CORE: 0, Priority.COMMON: 1, Priority.DEEP: 2}


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


COMPANIES: tuple[str, ...] = (
    "google",
    "amazon",
    "microsoft",
    "meta",
    "openai",
    "apple",
    "nvidia",
    "tesla",
    "ibm",
    "deepmind",
)

# Each company's name as it spells it, for everything printed (the slugs stay the keys).
COMPANY_NAMES: dict[str, str] = {
    "google": "Google",
    "amazon": "Amazon",
    "microsoft": "Microsoft",
    "meta": "Meta",
    "openai": "OpenAI",
    "apple": "Apple",
    "nvidia": "NVIDIA",
    "tesla": "Tesla",
    "ibm": "IBM",
    "deepmind": "DeepMind",
}


def company_name(slug: str) -> str:
    """'openai' -> 'OpenAI'; a slug studyplan does not know is shown as it is."""
    return COMPANY_NAMES.get(slug, slug)


COMPANY_ALIASES = {"facebook": "meta", "aws": "amazon"}
_COMPANY_NAMES = {**{name: name for name in COMPANIES}, **COMPANY_ALIASES}


@cache  # compiled on first use, not on every start: a day's plan never needs it
def _company_pattern() -> re.Pattern[str]:
    names = "|".join(sorted(_COMPANY_NAMES, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + names + r")(?![\w-])", re.I)  # "meta-learning" names none


def companies_named_in(text: str) -> tuple[str, ...]:
    """The companies a text names, in COMPANIES order ("Meta (previously Facebook)" -> meta)."""
    found = {_COMPANY_NAMES[match.lower()] for match in _company_pattern().findall(text)}
    return tuple(name for name in COMPANIES if name in found)


@dataclass(slots=True)  # not frozen: built by the thousand on every start
class Card:
    """One question card: its prompt and answer, and what the planner orders it by."""

    id: str
    track: Track
    topic: str
    companies: tuple[str, ...]
    difficulty: Difficulty
    minutes: int
    prompt: str
    answer: str
    source: str = ""  # where the card is defined: "file:line"
    priority: Priority = Priority.COMMON
    solution: str = ""  # a reference solution in plain Python (numpy allowed)
    tests: str = ""  # assertions run after `solution`
    related: tuple[str, ...] = ()  # ids of cards that overlap with this one
    citation: str = ""  # the TOML key `source`: the public source behind company tags
    tags: tuple[str, ...] = ()  # the user's own labels (Anki tags kept on import)
    media: tuple[str, ...] = ()  # files in the workspace's media/ the card shows, in order
    suspended_in_anki: bool = False  # at its last import; the import suspends it here too
    deck: str = ""  # the Anki deck an imported card came from

    def media_files(self) -> tuple[str, ...]:
        """The names, in the workspace's `media/` folder, of the images and sounds the card
        shows; its text shows each as a placeholder, `[image: NAME]` or `[sound: NAME]`."""
        return self.media


@dataclass(frozen=True, slots=True)
class Section:
    """One searchable passage of a guide or of a document the user added."""

    id: str
    title: str
    text: str
    source: str
    track: str = ""
    companies: tuple[str, ...] = ()
