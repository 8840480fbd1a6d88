"""Several open indexes searched as one collection: the shipped corpus's, then a workspace's own.

Rows are numbered across the layers (the shipped index's rows first), so a ranking, a filter
mask or a company prior spans both. Cosine similarities are comparable across layers as they
are (one model), and BM25 is made comparable by weighing each query term with the inverse
document frequency of the layers together, as one index of everything would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studyplan.adapters.search.items import Item, compounds
from studyplan.adapters.search.lexical import lucene_idf, respell
from studyplan.adapters.search.reader import OpenIndex


@dataclass
class Layers:
    indexes: list[OpenIndex]  # the shipped corpus's first

    @property
    def offsets(self) -> list[int]:
        starts = [0]
        for index in self.indexes:
            starts.append(starts[-1] + len(index.catalog))
        return starts

    def __len__(self) -> int:
        return self.offsets[-1]

    @property
    def own_start(self) -> int:
        """The first row of the workspace's own layer (len(self) when there is none)."""
        return self.offsets[1] if len(self.indexes) > 1 else len(self)

    def items(self, rows: Sequence[int]) -> list[Item]:
        starts = self.offsets
        found: dict[int, Item] = {}
        for layer, index in enumerate(self.indexes):
            local = [r for r in rows if starts[layer] <= r < starts[layer + 1]]
            for row, item in zip(
                local, index.catalog.items([r - starts[layer] for r in local]), strict=True
            ):
                found[row] = item
        return [found[row] for row in rows]

    def mask(
        self, *, track: str | None = None, company: str | None = None, kind: str | None = None
    ) -> np.ndarray | None:
        masks = [i.catalog.mask(track=track, company=company, kind=kind) for i in self.indexes]
        if all(m is None for m in masks):
            return None
        return np.concatenate(
            [
                m if m is not None else np.ones(len(i.catalog), dtype=bool)
                for m, i in zip(masks, self.indexes, strict=True)
            ]
        )

    def about_companies(self, companies: set[str]) -> tuple[np.ndarray, np.ndarray]:
        pairs = [index.catalog.about_companies(companies) for index in self.indexes]
        return (
            np.concatenate([named for named, _ in pairs]),
            np.concatenate([anything for _, anything in pairs]),
        )

    @property
    def tracks(self) -> set[str]:
        return {t for index in self.indexes for t in index.catalog.tracks}

    @property
    def companies(self) -> set[str]:
        return {c for index in self.indexes for c in index.catalog.companies}

    def corrections(self, text: str) -> dict[str, str]:
        """Misspelt query words: a word any layer knows is left alone; otherwise the first
        layer with a correction gives it."""
        first = self.indexes[0].lexical
        known = {
            w
            for w in first.analyzer.words(text)
            if any(first.analyzer.stem(w) in index.lexical.vocab for index in self.indexes)
        }
        fixes: dict[str, str] = {}
        for index in self.indexes:
            for word, fixed in index.lexical.corrections(text).items():
                if word not in known:
                    fixes.setdefault(word, fixed)
        return fixes

    def terms(self, text: str) -> list[str]:
        """The query's BM25 terms: its words (misspelt ones corrected) and joined words."""
        analyzer = self.indexes[0].lexical.analyzer
        fixes = self.corrections(text)
        words = [fixes.get(word, word) for word in analyzer.words(text)]
        return [analyzer.stem(word) for word in [*words, *compounds(text)]]

    def document_frequency(self, term: str) -> int:
        """How many items of all the layers contain the (stemmed) term."""
        return sum(index.lexical.document_frequency(term) for index in self.indexes)

    def rows_with(self, term: str) -> np.ndarray:
        """The rows, across the layers, of the items that contain the (stemmed) term."""
        starts = self.offsets[:-1]
        return np.concatenate(
            [
                index.lexical.rows_with(term) + start
                for index, start in zip(self.indexes, starts, strict=True)
            ]
        )

    def lexical_scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 of every row, each term weighed by its IDF over all the layers together."""
        total = sum(index.lexical.num_docs for index in self.indexes)
        idf = {
            term: lucene_idf(
                total, sum(index.lexical.document_frequency(term) for index in self.indexes)
            )
            for term in set(terms)
        }
        shared = idf if len(self.indexes) > 1 else None
        return np.concatenate(
            [index.lexical.term_scores(terms, shared) for index in self.indexes]
        ).astype(np.float32)

    def cosines(self, text: str, rows_wanted: int) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of the (respelt) query with every row: with its first passage, and from all
        its passages (a long item has several, see `chunks` and `Passages.combined`). For a
        layer too large to scan (HNSW) only its nearest `rows_wanted` rows are scored, the
        others get -1."""
        spelled = respell(text, self.corrections(text))
        query = self.indexes[0].encoder.encode_one(spelled)
        firsts, bests = [], []
        for index in self.indexes:
            dense = index.dense
            if dense.index is None or not hasattr(dense.index, "hnsw"):
                first = dense.similarities(query)
            else:
                first = np.full(len(dense), -1.0, dtype=np.float32)
                rows, found = dense.search(query, rows_wanted)
                first[rows] = found
            firsts.append(first)
            bests.append(dense.with_passages(query, first))
        if not firsts:
            empty = np.zeros(0, np.float32)
            return empty, empty
        return (
            np.concatenate(firsts).astype(np.float32),
            np.concatenate(bests).astype(np.float32),
        )
