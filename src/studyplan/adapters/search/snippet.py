"""The passage of a hit's text that best matches the query, with the query's words marked."""

from __future__ import annotations

import re
from collections import Counter
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
    """Start of the match opening the window with most distinct stems (then most matches).

    The matches are in text order and do not overlap, so the window's far end only moves
    forward: one pass with a count of the stems inside, linear in the number of matches.
    """
    best_key, best_start = (-1, -1), matches[0][0]
    inside: Counter[str] = Counter()
    right = 0
    for i, (start, _, stem) in enumerate(matches):
        limit = start + width - LEAD_CHARS
        right = max(right, i)
        while right < len(matches) and matches[right][1] <= limit:
            inside[matches[right][2]] += 1
            right += 1
        key = (len(inside), right - i)
        if key > best_key:
            best_key, best_start = key, start
        if right > i:  # the opening match leaves the window
            inside[stem] -= 1
            if not inside[stem]:
                del inside[stem]
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
