"""How much of each key point a typed answer says: the embedding model and the BM25 terms of
the shipped corpus's search index, compared clause by clause.

Each key point and the answer are cut into clauses (`core.practice.clauses`). A clause of a
key point is said when some clause of the answer matches it on

    (1 - LEXICAL_WEIGHT) * cosine + LEXICAL_WEIGHT * recall  >=  CLAUSE_MATCH

where cosine is the two clauses' embedding similarity and recall the share of the key
clause's terms (stemmed, stop words out, as BM25 indexes them) that the answer clause uses,
each term weighed by its inverse document frequency in the corpus, so that "gradient" counts
for less than "bias-corrected" — unless that answer clause swaps a term of the key clause for
its opposite (L1 for L2, training for inference: `core.practice.CONTRASTS`). A key point's
credit is the share of its clauses said. Both
settings were chosen on the labelled answers of tests/answers_tune.toml (bench/bench_answers.py
prints the figures of each method tried, on it and on the held-out answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studyplan.adapters.search.lexical import LexicalIndex, lucene_idf
from studyplan.adapters.search.reader import open_index
from studyplan.core.practice import answer_pieces, clauses, contrast_words, says_the_opposite

LEXICAL_WEIGHT = 0.8
CLAUSE_MATCH = 0.40


@dataclass(frozen=True, slots=True)
class Matching:
    """How clauses are matched; the defaults are the tuned ones."""

    lexical_weight: float = LEXICAL_WEIGHT
    clause_match: float = CLAUSE_MATCH
    contrasts: bool = True  # a clause matched by a piece that swaps a term for its opposite
    # (core.practice.CONTRASTS) is not said


@dataclass(frozen=True)
class ClauseScores:
    """Every key-point clause against every piece of an answer: `cosine` and `recall` have a
    row per key clause; `sizes` is how many clauses each key point has, in order."""

    cosine: np.ndarray
    recall: np.ndarray
    sizes: tuple[int, ...]
    opposite: np.ndarray  # [i, j]: piece j swaps a term of key clause i for its opposite

    def credits(self, matching: Matching = Matching()) -> list[float]:
        """For each key point, the share (0 to 1) of its clauses that the answer says."""
        if self.cosine.shape[1] == 0:
            return [0.0] * len(self.sizes)
        weight = matching.lexical_weight
        joint = (1 - weight) * self.cosine + weight * self.recall
        said = joint.max(axis=1) >= matching.clause_match
        if matching.contrasts:
            best = joint.argmax(axis=1)
            said &= ~self.opposite[np.arange(len(best)), best]
        shares: list[float] = []
        start = 0
        for size in self.sizes:
            shares.append(float(np.mean(said[start : start + size])))
            start += size
        return shares


def clause_scores(index_dir: Path, points: Sequence[str], answer: str) -> ClauseScores:
    """Embed and compare the clauses of the key points and of the answer."""
    point_clauses = [clauses(point) for point in points]
    flat = [clause for group in point_clauses for clause in group]
    sizes = tuple(len(group) for group in point_clauses)
    pieces = answer_pieces(answer)
    if not pieces or not flat:
        empty = np.zeros((len(flat), 0), dtype=np.float32)
        return ClauseScores(empty, empty, sizes, empty.astype(bool))
    index = open_index(index_dir)
    rows = index.encoder.encode(flat + pieces)
    cosine = rows[: len(flat)] @ rows[len(flat) :].T
    piece_words = [contrast_words(piece) for piece in pieces]
    opposite = np.array(
        [[says_the_opposite(contrast_words(k), words) for words in piece_words] for k in flat],
        dtype=bool,
    )
    return ClauseScores(cosine, _term_recall(index.lexical, flat, pieces), sizes, opposite)


def point_credits(
    index_dir: Path, points: Sequence[str], answer: str, matching: Matching = Matching()
) -> list[float]:
    """For each key point, the share (0 to 1) of its clauses that the answer says."""
    return clause_scores(index_dir, points, answer).credits(matching)


def _term_recall(lexical: LexicalIndex, key_clauses: list[str], pieces: list[str]) -> np.ndarray:
    """recall[i, j]: the idf-weighted share of key clause i's terms that piece j uses."""
    piece_terms = [set(lexical.analyzer.terms(piece)) for piece in pieces]
    recall = np.zeros((len(key_clauses), len(pieces)), dtype=np.float32)
    for i, clause in enumerate(key_clauses):
        weights = {
            term: lucene_idf(lexical.num_docs, lexical.document_frequency(term))
            for term in set(lexical.analyzer.terms(clause))
        }
        total = sum(weights.values())
        if total <= 0:
            continue
        for j, terms in enumerate(piece_terms):
            recall[i, j] = sum(w for term, w in weights.items() if term in terms) / total
    return recall
