"""Cloze deletions read as Anki reads them, in one pass over the text.

Anki's rules: `{{c1::` (or `{{c1,2::`, a cloze of several cards) opens a cloze, `}}` closes the
innermost open one, and a closed cloze nests in the one around it. In a cloze's text, `::`
starts its hint. Up to 10 clozes are open at once (a deeper opening is dropped); a `}}` with
no cloze open is text; a cloze still open at the end is dropped with all it holds.

On the question, the card's own clozes show as `[...]` (or `[hint]`); every other cloze shows
its text. On the answer every cloze shows its text. A card whose cloze is not in the text
shows nothing, as Anki does.
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_OPEN = 10
_MARKER = re.compile(r"\{\{c([0-9,]*)::|\}\}")


class Cloze:
    __slots__ = ("hint", "nodes", "numbers")

    def __init__(self, numbers: frozenset[int]) -> None:
        self.numbers = numbers
        self.nodes: list[str | Cloze] = []
        self.hint: str | None = None

    def text(self) -> str:
        return "".join(node if isinstance(node, str) else node.text() for node in self.nodes)


@lru_cache(maxsize=256)
def _numbers(digits: str) -> frozenset[int]:
    """The cloze numbers of an opening (`1,2`); numbers past 16 bits are not numbers to Anki."""
    return frozenset(int(part) for part in digits.split(",") if part and int(part) < 65_536)


@lru_cache(maxsize=8)  # the cards of a note read the same fields: each is parsed once
def parse(text: str) -> list[str | Cloze]:
    """The text as top-level text and clozes (shared between calls: never changed)."""
    output: list[str | Cloze] = []
    open_clozes: list[Cloze] = []
    text_start = 0  # the text since the last opening or closing: a `}}` with no cloze open
    # and an opening without a number are part of it

    def add_text(piece: str) -> None:
        if open_clozes:
            cloze = open_clozes[-1]
            head, separator, tail = piece.partition("::")
            if separator:
                piece, cloze.hint = head, tail
            cloze.nodes.append(piece)
        else:
            output.append(piece)

    for marker in _MARKER.finditer(text):
        digits = marker.group(1)
        if digits is None:
            if not open_clozes:
                continue
        else:
            numbers = _numbers(digits)
            if not numbers:
                continue
        start, end = marker.span()
        if start > text_start:
            add_text(text[text_start:start])
        text_start = end
        if digits is None:
            closed = open_clozes.pop()
            (open_clozes[-1].nodes if open_clozes else output).append(closed)
        elif len(open_clozes) < MAX_OPEN:
            open_clozes.append(Cloze(numbers))
    if text_start < len(text):
        add_text(text[text_start:])
    return output


def _reveal(cloze: Cloze, number: int, question: bool, parts: list[str]) -> bool:
    """Append what `cloze` shows on card `number`; whether the card's cloze was met."""
    active = number in cloze.numbers
    if question and active:  # what it holds is hidden
        parts.append(f"[{cloze.hint if cloze.hint is not None else '...'}]")
        return True
    found = active
    for node in cloze.nodes:
        if isinstance(node, str):
            parts.append(node)
        else:
            found = _reveal(node, number, question, parts) or found
    return found


def reveal(text: str, number: int, question: bool) -> str:
    """The text as card `number` shows it; empty when the card's cloze is not in it."""
    parts: list[str] = []
    found = False
    for node in parse(text):
        if isinstance(node, str):
            parts.append(node)
        else:
            found = _reveal(node, number, question, parts) or found
    return "".join(parts) if found else ""


def _active(nodes: list[str | Cloze], number: int) -> list[Cloze]:
    """The clozes of card `number`, outer ones first, nested ones after them."""
    found: list[Cloze] = []
    pending = [node for node in reversed(nodes) if isinstance(node, Cloze)]
    while pending:
        cloze = pending.pop()
        if number in cloze.numbers:
            found.append(cloze)
        pending.extend(node for node in reversed(cloze.nodes) if isinstance(node, Cloze))
    return found


def cloze_only(text: str, number: int, question: bool) -> str:
    """Anki's `cloze-only` filter: the card's clozes alone (their hints on the question),
    joined by ", "."""
    shown = [
        (cloze.hint if cloze.hint is not None else "...") if question else cloze.text()
        for cloze in _active(parse(text), number)
    ]
    return ", ".join(shown)


def typed_answer(text: str, number: int) -> str:
    """What card `number` asks to type: its clozes' texts, joined by ", " (one, when all the
    same)."""
    answers = [cloze.text() for cloze in _active(parse(text), number)]
    if answers and min(answers) == max(answers):
        return answers[0]
    return ", ".join(answers)


def numbers_in(text: str) -> set[int]:
    """The cloze numbers the text holds (0 is not one)."""
    found: set[int] = set()
    pending: list[str | Cloze] = list(parse(text))
    while pending:
        node = pending.pop()
        if isinstance(node, Cloze):
            found |= node.numbers
            pending.extend(node.nodes)
    found.discard(0)
    return found
