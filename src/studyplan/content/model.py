"""The records content is made of: tracks, companies, cards and guide sections."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Track(StrEnum):
    CODING = "coding"
    SYSTEM_DESIGN = "system-design"
    ML = "ml"
    BEHAVIORAL = "behavioral"
    COMPANY = "company"


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


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    track: Track
    topic: str
    companies: tuple[str, ...]
    difficulty: Difficulty
    minutes: int
    prompt: str
    answer: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """One searchable passage of a guide or of a document the user added."""

    id: str
    title: str
    text: str
    source: str
    track: str = ""
    companies: tuple[str, ...] = ()
