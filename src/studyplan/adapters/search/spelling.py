"""Correcting misspelt query words against the words of the indexed collection.

BM25 finds nothing for "interveiw" and the embedding of a misspelt word drifts; the collection
says "interview". A query word the collection lacks, and that is not a known English word
either, is replaced by the most frequent collection word within a small edit distance
(adjacent transpositions count as one edit), Norvig-style. Pure Python: candidates come from
a character-bigram index, so only a few dozen distances are computed per word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Mapping

MIN_LENGTH = 5  # shorter words have too many neighbours to correct safely


def max_edits(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 1 if len(word) <= 7 else 2


class Speller:
    def __init__(
        self, counts: Mapping[str, int], known_words: Callable[[], Container[str]] | None = None
    ) -> None:
        """`counts`: collection word -> frequency; `known_words`: loads real words that must
        not be "corrected" (called only when a correction is first considered)."""
        self._counts = dict(counts)
        self._load_known = known_words
        self._known: Container[str] = ()
        self._by_bigram: dict[str, list[str]] | None = None
        self._memo: dict[str, str | None] = {}

    def correct(self, word: str) -> str | None:
        """The best collection word for `word`, or None when it needs (or allows) none."""
        if word not in self._memo:
            self._memo[word] = self._correct(word)
        return self._memo[word]

    def _correct(self, word: str) -> str | None:
        limit = max_edits(word)
        if limit == 0 or word in self._counts or word in self._known_words():
            return None
        shared = Counter(
            candidate
            for bigram in _bigrams(word)
            for candidate in self._bigram_index().get(bigram, ())
        )
        needed = len(word) + 1 - 3 * limit  # each edit breaks at most three bigrams
        best: tuple[int, int, str] | None = None
        for candidate, overlap in shared.items():
            if overlap < needed or abs(len(candidate) - len(word)) > limit:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -self._counts[candidate], candidate)
                best = key if best is None or key < best else best
        return best[2] if best else None

    def _known_words(self) -> Container[str]:
        if self._load_known is not None:
            self._known, self._load_known = self._load_known(), None
        return self._known

    def _bigram_index(self) -> dict[str, list[str]]:
        if self._by_bigram is None:
            index: dict[str, list[str]] = {}
            for word in self._counts:
                if len(word) >= MIN_LENGTH - 2:
                    for bigram in set(_bigrams(word)):
                        index.setdefault(bigram, []).append(word)
            self._by_bigram = index
        return self._by_bigram


def _bigrams(word: str) -> list[str]:
    padded = f"^{word}$"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours);
    returns limit + 1 as soon as the distance must exceed `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
