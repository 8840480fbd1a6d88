"""Writing cards in the card-file format: `[[card]]` tables that `content.cards` reads back."""

from __future__ import annotations

import json
from collections.abc import Iterable

from studyplan.core.model import Card

_CONTROL = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {"\x7f"}


def toml_string(text: str) -> str:
    """A TOML basic string on one line. A JSON string is one, except that TOML wants DEL
    escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_text(text: str) -> str:
    """A TOML string that keeps line breaks readable: a multi-line basic string when the
    text has several lines, else a basic string."""
    if "\n" not in text:
        return toml_string(text)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(f"\\u{ord(c):04x}" if c in _CONTROL else c for c in escaped)
    return f'"""\n{escaped}"""'


def toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(toml_string(value) for value in values) + "]"


def card_table(card: Card) -> str:
    """One `[[card]]` table holding every field of `card` that differs from the default."""
    lines = [
        "[[card]]",
        f"id = {toml_string(card.id)}",
        f"track = {toml_string(card.track.value)}",
        f"topic = {toml_string(card.topic)}",
        f"difficulty = {toml_string(card.difficulty.value)}",
        f"priority = {toml_string(card.priority.value)}",
        f"minutes = {card.minutes}",
    ]
    if card.companies:
        lines.append(f"companies = {toml_list(card.companies)}")
    if card.tags:
        lines.append(f"tags = {toml_list(card.tags)}")
    if card.related:
        lines.append(f"related = {toml_list(card.related)}")
    lines.append(f"prompt = {toml_text(card.prompt)}")
    lines.append(f"answer = {toml_text(card.answer)}")
    for name, value in (("solution", card.solution), ("tests", card.tests)):
        if value:
            lines.append(f"{name} = {toml_text(value)}")
    if card.citation:
        lines.append(f"source = {toml_string(card.citation)}")
    if card.media:
        lines.append(f"media = {toml_list(card.media)}")
    if card.deck:
        lines.append(f"deck = {toml_string(card.deck)}")
    if card.suspended_in_anki:
        lines.append("suspended_in_anki = true")
    return "\n".join(lines) + "\n"
