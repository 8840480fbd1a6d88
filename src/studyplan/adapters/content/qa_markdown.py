"""Own cards written as light Markdown: `Q:` / `A:` blocks, as plain-text card tools use.

    track: ml                 lines before the first Q: apply to every card of the file
    topic: optimisation

    Q: What does Adam's bias correction fix?
    A: The moment estimates start at zero, so the first steps are too small;
    dividing by 1 - beta^t scales them back up.
    companies: google         a key line inside a block applies to that card only

A block runs from its `Q:` line to the next one. The question is the text from `Q:` to
`A:`, the answer the text after `A:`; both may span lines. Key lines (`id:`, `track:`,
`topic:`, `companies:`, `priority:`, `minutes:`, `difficulty:`, `tags:`; lowercase, at
the start of a line) are taken out of the text. Each block becomes the same fields a card
file's `[[card]]` table holds, so it is validated the same way (`studyplan.adapters.content.cards`).

A card without an `id:` line is named after its question (`own-what-does-adam-s-bias-...`):
its review history follows that id, so an edited question starts afresh unless the block
keeps the old id in an `id:` line (`studyplan card edit` adds that line for you).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from studyplan.core.model import COMPANY_ALIASES
from studyplan.core.names import slug

OWN_PREFIX = "own-"  # every own card's id starts so: shipped and story ids never do
DEFAULT_TRACK = "ml"
DEFAULT_MINUTES = 3
DEFAULT_DIFFICULTY = "medium"
MAX_ID_WORDS = 60
KEYS = ("id", "track", "topic", "companies", "priority", "minutes", "difficulty", "tags")
_KEY_LINE = re.compile(r"^(" + "|".join(KEYS) + r"|company):[ \t]*(.*?)[ \t]*$")
_MARK = re.compile(r"^([QA]):(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class Block:
    line: int  # of its Q: line, 1-based
    last_line: int  # the block's last line holding text or a key
    entry: dict[str, Any]  # the fields, as a card file's [[card]] table holds them
    has_id: bool


@dataclass
class ParsedMarkdown:
    blocks: list[Block] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def words_slug(text: str, limit: int = MAX_ID_WORDS) -> str:
    """The text's words as a slug cut at `limit` characters on a word boundary."""
    return slug(text, limit, whole_words=True)


def derived_id(prompt: str) -> str:
    """The id of a card that names none: its question's words, or a hash of a question that
    has no ASCII letters or digits."""
    words = words_slug(prompt)
    if not words:
        words = hashlib.sha1(prompt.encode("utf-8")).hexdigest()[:12]
    return OWN_PREFIX + words


def parse_qa_markdown(text: str, default_topic: str = "my cards") -> ParsedMarkdown:
    parsed = ParsedMarkdown()
    defaults: dict[str, Any] = {}
    current: _Building | None = None
    for number, line in enumerate(text.splitlines(), 1):
        key = _KEY_LINE.match(line)
        mark = _MARK.match(line)
        if mark and mark.group(1) == "Q":
            if current is not None:
                current.finish(parsed, defaults, default_topic)
            current = _Building(number)
            current.question.append(line[mark.end() :])
            current.last_line = number
        elif current is None:
            if key:
                _set_key(defaults, key.group(1), key.group(2), number, parsed.problems)
            elif mark:
                parsed.problems.append((number, "an 'A:' line before any 'Q:' line"))
        elif key:
            _set_key(current.keys, key.group(1), key.group(2), number, parsed.problems)
            current.last_line = number
        elif mark and current.answer is None:
            current.answer = [line[mark.end() :]]
            current.last_line = number
        else:
            (current.answer if current.answer is not None else current.question).append(line)
            if line.strip():
                current.last_line = number
    if current is not None:
        current.finish(parsed, defaults, default_topic)
    return parsed


class _Building:
    def __init__(self, line: int) -> None:
        self.line = line
        self.last_line = line
        self.question: list[str] = []
        self.answer: list[str] | None = None
        self.keys: dict[str, Any] = {}

    def finish(self, parsed: ParsedMarkdown, defaults: dict[str, Any], default_topic: str) -> None:
        """Add the block to `parsed`, or a problem when it has no answer."""
        if self.answer is None:
            parsed.problems.append((self.line, "a 'Q:' block without an 'A:' line"))
            return
        prompt = _text(self.question)
        entry: dict[str, Any] = {
            "topic": default_topic,
            "track": DEFAULT_TRACK,
            "difficulty": DEFAULT_DIFFICULTY,
            "minutes": DEFAULT_MINUTES,
            **defaults,
            **self.keys,
            "prompt": prompt,
            "answer": _text(self.answer),
        }
        entry.setdefault("id", derived_id(prompt))
        parsed.blocks.append(Block(self.line, self.last_line, entry, "id" in self.keys))


def _text(lines: list[str]) -> str:
    """The lines as written, without the blank lines around them."""
    return "\n".join(lines).strip()


def _set_key(
    target: dict[str, Any], key: str, value: str, line: int, problems: list[tuple[int, str]]
) -> None:
    if key in ("companies", "company"):
        names = [name.strip().lower() for name in value.split(",") if name.strip()]
        target["companies"] = [COMPANY_ALIASES.get(name, name) for name in names]
    elif key == "tags":
        target["tags"] = value.replace(",", " ").split()
    elif key == "minutes":
        if value.isascii() and value.isdigit():
            target["minutes"] = int(value)
        else:
            problems.append((line, f"minutes {value!r} is not a whole number"))
    else:
        target[key] = value
