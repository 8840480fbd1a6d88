"""Loading and validating the question cards in corpus/cards/*.toml.

Validation collects every problem (file and line) before failing, so one `studyplan check`
run shows all that needs fixing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from studyplan.adapters.structured import parse_toml
from studyplan.core.errors import CorpusError
from studyplan.core.model import COMPANIES, Card, Difficulty, Priority, Track

CARD_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "topic", "difficulty", "minutes", "prompt", "answer")
CODE_KEYS = ("solution", "tests")  # plain Python: a reference solution and its assertions
ANKI_KEYS = ("media", "suspended_in_anki", "deck")  # written by `import anki`, allowed on any card
KNOWN_KEYS = {
    *REQUIRED, *CODE_KEYS, *ANKI_KEYS, "track", "companies", "priority", "related", "source", "tags",
}  # fmt: skip
MAX_MINUTES = 60
_E = TypeVar("_E", Track, Difficulty, Priority)
_CARD_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*card[ \t]*\]\]", re.MULTILINE)
_TAG = re.compile(r"^[^\s\x00-\x1f\x7f]{1,100}$")  # one word, as Anki's tags are
_MEDIA_NAME = re.compile(r"^(?![.-])[^/\\\x00-\x1f\x7f]{1,100}$")  # a file in media/, no path
MAX_DECK_NAME = 500
_LEADING_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")
MARKDOWN_SUFFIX = (
    ".md"  # own cards also come as Q:/A: Markdown (studyplan.adapters.content.qa_markdown)
)


def load_cards(paths: Iterable[Path]) -> list[Card]:
    """All cards of the given files, in file order; raises CorpusError listing every problem."""
    cards, problems = check_cards(paths)
    if problems:
        raise CorpusError(problems)
    return cards


def check_cards(
    paths: Iterable[Path], default_priority: Priority | None = Priority.COMMON
) -> tuple[list[Card], list[str]]:
    """Parse and validate; returns the valid cards and one message per problem.

    A card without a priority gets `default_priority`; `studyplan check` passes None, so
    every shipped card must say its own."""
    cards: list[Card] = []
    problems: list[str] = []
    first_seen: dict[str, str] = {}
    for path in paths:
        for card, where in _cards_of_file(path, problems, default_priority):
            if card.id in first_seen:
                problems.append(
                    f"{where}: duplicate id {card.id!r} (first at {first_seen[card.id]})"
                )
                continue
            first_seen[card.id] = where
            cards.append(card)
    problems.extend(check_related(cards))
    return cards, problems


def check_related(cards: list[Card]) -> list[str]:
    """Every `related` id names a card that exists, and the link is listed on both cards."""
    by_id = {card.id: card for card in cards}
    problems: list[str] = []
    for card in cards:
        for other in card.related:
            if other not in by_id:
                problems.append(f"{card.source}: card {card.id}: related card {other!r} not found")
            elif card.id not in by_id[other].related:
                problems.append(
                    f"{card.source}: card {card.id}: lists {other!r} as related, but "
                    f"{other} ({by_id[other].source}) does not list {card.id!r} back"
                )
    return problems


def _cards_of_file(
    path: Path, problems: list[str], default_priority: Priority | None
) -> Iterable[tuple[Card, str]]:
    if path.suffix == MARKDOWN_SUFFIX:
        yield from _cards_of_markdown(path, problems, default_priority)
        return
    try:
        text = path.read_text(encoding="utf-8")
        document = parse_toml(text)
    except UnicodeDecodeError:
        problems.append(f"{path}:1: not UTF-8 text")
        return
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}:{_toml_error_line(exc)}: not valid TOML: {exc}")
        return
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
        return

    header_lines: list[int] = []
    line, counted = 1, 0
    for match in _CARD_HEADER.finditer(text):  # counted on from the last header: linear time
        line += text.count("\n", counted, match.start())
        counted = match.start()
        header_lines.append(line)
    file_track = document.get("track")
    entries = document.get("card", [])
    if not isinstance(entries, list) or not entries:
        problems.append(f"{path}:1: no [[card]] tables")
        return
    for index, entry in enumerate(entries):
        line = header_lines[index] if index < len(header_lines) else 1
        where = f"{path}:{line}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: a card must be a [[card]] table, not {type(entry).__name__}")
            continue
        card = validate_entry(entry, file_track, where, problems, default_priority)
        if card is not None:
            yield card, where


def _cards_of_markdown(
    path: Path, problems: list[str], default_priority: Priority | None
) -> Iterable[tuple[Card, str]]:
    from studyplan.adapters.content.qa_markdown import parse_qa_markdown

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(f"{path}:1: not UTF-8 text")
        return
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
        return
    parsed = parse_qa_markdown(text, default_topic=path.stem.replace("-", " ").replace("_", " "))
    problems.extend(f"{path}:{line}: {message}" for line, message in parsed.problems)
    if not parsed.blocks and not parsed.problems:
        problems.append(f"{path}:1: no cards (each starts with a 'Q:' line, then an 'A:' line)")
    for block in parsed.blocks:
        where = f"{path}:{block.line}"
        card = validate_entry(block.entry, None, where, problems, default_priority)
        if card is not None:
            yield card, where


def validate_entry(
    entry: dict[str, Any],
    file_track: Any,
    where: str,
    problems: list[str],
    default_priority: Priority | None,
) -> Card | None:
    """One card's fields checked as a card file's `[[card]]` table is; problems are appended."""
    found: list[str] = []
    for key in REQUIRED:
        if key not in entry:
            found.append(f"missing field {key!r}")
    if "priority" in entry:
        priority = _enum_value(Priority, entry["priority"])
        if priority is None:
            found.append(
                f"bad priority {entry['priority']!r} (one of {', '.join(p.value for p in Priority)})"
            )
    elif default_priority is None:
        found.append("missing field 'priority' (core, common or deep)")
    priority = _enum_value(Priority, entry.get("priority", default_priority))
    for key in sorted(set(entry) - KNOWN_KEYS):
        found.append(f"unknown field {key!r}")

    card_id = entry.get("id")
    if "id" in entry and not (isinstance(card_id, str) and CARD_ID.match(card_id)):
        found.append(f"bad id {card_id!r}: use lowercase words joined by hyphens")

    track_value = entry.get("track", file_track)
    track = _enum_value(Track, track_value)
    if track is None:
        found.append(f"unknown track {track_value!r} (one of {', '.join(t.value for t in Track)})")

    difficulty = _enum_value(Difficulty, entry.get("difficulty"))
    if "difficulty" in entry and difficulty is None:
        found.append(
            f"bad difficulty {entry['difficulty']!r} "
            f"(one of {', '.join(d.value for d in Difficulty)})"
        )

    minutes = entry.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        minutes = None
    if "minutes" in entry and not (minutes is not None and 1 <= minutes <= MAX_MINUTES):
        found.append(f"bad minutes {entry['minutes']!r}: a whole number from 1 to {MAX_MINUTES}")

    for key in ("topic", "prompt", "answer"):
        value = entry.get(key)
        if key in entry and not (isinstance(value, str) and value.strip()):
            found.append(f"empty or non-text {key!r}")
    for key in (*CODE_KEYS, "source"):
        value = entry.get(key, "")
        if not isinstance(value, str) or (key in entry and not value.strip()):
            found.append(f"empty or non-text {key!r}")
    if bool(str(entry.get("solution", "")).strip()) != bool(str(entry.get("tests", "")).strip()):
        found.append("'solution' and 'tests' come together: give both or neither")
    for key in CODE_KEYS:
        value = entry.get(key, "")
        if isinstance(value, str) and value.strip():
            try:
                compile(value, f"<{key}>", "exec")
            except (SyntaxError, ValueError) as exc:
                found.append(f"{key!r} is not valid Python: {exc}")

    related = entry.get("related", [])
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        found.append("related must be a list of card ids")
        related = []
    if isinstance(card_id, str) and card_id in related:
        found.append("related lists the card itself")
    if len(set(related)) != len(related):
        found.append("related lists an id twice")

    companies = entry.get("companies", [])
    if not isinstance(companies, list) or not all(isinstance(c, str) for c in companies):
        found.append("companies must be a list of names")
        companies = []
    for company in companies:
        if company not in COMPANIES:
            found.append(f"unknown company {company!r} (one of {', '.join(COMPANIES)})")

    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and _TAG.match(t) for t in tags):
        found.append("tags must be a list of single words (no spaces)")
        tags = []

    media = entry.get("media", [])
    if not isinstance(media, list) or not all(
        isinstance(m, str) and _MEDIA_NAME.match(m) for m in media
    ):
        found.append("media must be a list of file names in the workspace's media/ folder")
        media = []
    deck = entry.get("deck", "")
    if not isinstance(deck, str) or len(deck) > MAX_DECK_NAME:
        found.append(f"deck must be a deck name of at most {MAX_DECK_NAME} characters")
        deck = ""
    suspended = entry.get("suspended_in_anki", False)
    if not isinstance(suspended, bool):
        found.append("suspended_in_anki must be true or false")
        suspended = False

    label = f" {card_id}" if isinstance(card_id, str) else ""
    problems.extend(f"{where}: card{label}: {message}" for message in found)
    if (
        found
        or track is None
        or difficulty is None
        or not isinstance(card_id, str)
        or minutes is None
        or priority is None
    ):
        return None
    return Card(
        id=card_id,
        track=track,
        topic=entry["topic"].strip(),
        companies=tuple(companies),
        difficulty=difficulty,
        minutes=minutes,
        prompt=_text(entry["prompt"]),
        answer=_text(entry["answer"]),
        source=where,
        priority=priority,
        solution=_code(entry.get("solution", "")),
        tests=_code(entry.get("tests", "")),
        related=tuple(related),
        citation=entry.get("source", "").strip(),
        tags=tuple(tags),
        media=tuple(media),
        suspended_in_anki=suspended,
        deck=deck,
    )


def _text(value: str) -> str:
    """A prompt or answer without the blank lines and trailing spaces around it; its first line
    keeps its indentation (code)."""
    return _LEADING_BLANK_LINES.sub("", value.rstrip())


def _code(text: str) -> str:
    """Python source as written, without the blank lines TOML's multi-line strings add."""
    return text.strip("\n") + "\n" if text.strip() else ""


def _enum_value(enum: type[_E], value: Any) -> _E | None:
    try:
        return enum(value)
    except ValueError:
        return None


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else 1
