"""Sections cut into passages the model reads whole, and into short windows.

The model reads MAX_TOKENS wordpieces (about 200 words) and ignores the rest, so a long
section would be matched by meaning on its opening only. An item's first passage is its
indexed text as it always was (the model cuts it where it cuts it); past that, its text is
cut into passages of the model's length, each after the item's title and overlapping the one
before by OVERLAP tokens, and each embedded on its own.

A passage of 200 words still blurs the one paragraph that answers a question into the rest
of a section, so a section over WINDOW_WORDS words is also cut into short windows of that
many words, each after its title, a window starting every WINDOW_STEP words.
`Passages.combined` makes one cosine of them all; the item stays the unit a search shows.
Cards are not cut (`writer.item_passages` says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from studyplan.adapters.search.model_files import MAX_TOKENS

WINDOW = MAX_TOKENS - 2  # [CLS] and [SEP] take two of the model's places
OVERLAP = 32  # tokens shared by neighbouring passages, so no sentence is only ever cut
MIN_BODY = 64  # a title longer than the window leaves the passage at least this much text
MAX_PASSAGES = 48  # per item, the first included: about 7,000 words; past it BM25 alone reads
# Short windows: sizes from 40 to 150 words were swept on the tune splits
# (bench/sweep_windows.py); half-overlapping windows of 100 did best.
WINDOW_WORDS = 100
WINDOW_STEP = 50
MAX_WINDOWS = 140  # per item: about 7,000 words, as MAX_PASSAGES
# Stored with the index: passages written under another layout are embedded again.
LAYOUT = f"{WINDOW}/{OVERLAP}/{MAX_PASSAGES}/sections/windows-{WINDOW_WORDS}-{WINDOW_STEP}"


def extra_passages(texts: Sequence[str], titles: Sequence[str], tokenizer: Any) -> list[list[str]]:
    """For each item (its indexed text and title), the texts of its passages after the first
    (none for a short item). `tokenizer` is the model's, without truncation."""
    found: list[list[str]] = [[] for _ in texts]
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    long = [n for n, encoding in enumerate(encodings) if len(encoding.ids) > WINDOW]
    if not long:
        return found
    heads = tokenizer.encode_batch([titles[n] for n in long], add_special_tokens=False)
    for n, head in zip(long, heads, strict=True):
        found[n] = _windows(texts[n], titles[n], encodings[n], len(head.ids))
    return found


def _windows(text: str, title: str, encoding: Any, title_tokens: int) -> list[str]:
    offsets = encoding.offsets
    size = max(WINDOW - title_tokens - 1, MIN_BODY)
    passages: list[str] = []
    start, previous = WINDOW - OVERLAP, 0
    while start < len(offsets) and len(passages) < MAX_PASSAGES - 1:
        wanted = start
        while start > previous + 1 and not text[offsets[start][0] - 1].isspace():
            start -= 1  # start after a space, never inside a word (unless it is one huge word)
        if start <= previous + 1:
            start = wanted
        previous = start
        end = min(start + size, len(offsets))
        passages.append(f"{title}\n{text[offsets[start][0] : offsets[end - 1][1]]}")
        if end == len(offsets):
            break
        start = end - OVERLAP
    return passages


def short_windows(
    text: str, title: str, size: int = WINDOW_WORDS, step: int = WINDOW_STEP
) -> list[str]:
    """The short windows of a section's text, `size` words each, one every `step` (none for
    a text of `size` words or fewer); at most MAX_WINDOWS."""
    words = text.split()
    if len(words) <= size:
        return []
    found = []
    for start in range(0, len(words), step):
        found.append(f"{title}\n{' '.join(words[start : start + size])}")
        if start + size >= len(words) or len(found) == MAX_WINDOWS:
            break
    return found
