"""The passage of a hit's text that best matches the query, with the query's words marked."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

SNIPPET_CHARS = 200
LEAD_CHARS = 40  # context kept before the first matched word
ELLIPSIS = "…"
WORD = re.compile(r"(?u)\b\w\w+\b")  # the lexical index's token pattern
MARKUP = re.compile(r"\*\*|__|`")  # Markdown emphasis and code marks: noise in a one-line passage


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) character spans in `text`


def make_snippet(
    text: str,
    query_stems: Collection[str],
    stem: Callable[[str], str],
    *,
    stopwords: Collection[str] = (),
    width: int = SNIPPET_CHARS,
) -> Snippet:
    """A window of about `width` characters holding the most distinct query words.

    Words match when their stems do, so "interviews" marks a query's "interview".
    """
    flat = " ".join(MARKUP.sub("", text).split())
    matches = [
        (m.start(), m.end(), stemmed)
        for m in WORD.finditer(flat)
        if (word := m.group().lower()) not in stopwords and (stemmed := stem(word)) in query_stems
    ]
    if not matches:
        start, end = 0, _word_end(flat, width)
    else:
        first = _best_window_start(matches, width)
        start = min(first, _word_start(flat, max(0, first - LEAD_CHARS)))
        end = _word_end(flat, start + width)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(flat) else ""
    shift = len(prefix) - start
    spans = tuple(
        (begin + shift, finish + shift)
        for begin, finish, _ in matches
        if start <= begin and finish <= end
    )
    return Snippet(f"{prefix}{flat[start:end]}{suffix}", spans)


def _best_window_start(matches: list[tuple[int, int, str]], width: int) -> int:
    """Start of the match opening the window with most distinct stems (then most matches)."""
    best_key, best_start = (-1, -1), matches[0][0]
    for i, (start, _, _) in enumerate(matches):
        inside = [m for m in matches[i:] if m[1] <= start + width - LEAD_CHARS]
        key = (len({m[2] for m in inside}), len(inside))
        if key > best_key:
            best_key, best_start = key, start
    return best_start


def _word_start(text: str, position: int) -> int:
    """Move `position` forward to the start of a word (or keep 0)."""
    if position == 0:
        return 0
    space = text.find(" ", position - 1)
    return position if space == -1 else space + 1


def _word_end(text: str, position: int) -> int:
    """Move `position` back to the end of a word, or to the end of the text."""
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", 0, position + 1)
    return position if space <= 0 else space
