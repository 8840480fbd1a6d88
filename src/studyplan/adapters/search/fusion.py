"""Combining a dense and a lexical ranking into one. Pure functions over {row: score} maps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

RRF_K = 60  # Cormack, Clarke & Buettcher (2009): score(d) = sum over rankings of 1 / (k + rank(d))
# Weight of the dense side in linear fusion, tuned on tests/search_queries.toml
# (bench/bench_search.py prints the sweep).
LINEAR_DENSE_WEIGHT = 0.7
FUSIONS = ("calibrated", "rrf", "linear")
# Weight of cosine similarity in calibrated fusion, chosen on the tune split
# (bench/bench_fusion.py prints the sweep).
CALIBRATED_DENSE_WEIGHT = 0.8


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Each ranking lists rows best first; ranks count from 1."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
    return fused


def min_max(scores: Mapping[int, float]) -> dict[int, float]:
    """Rescale to [0, 1]; when all scores are equal every candidate counts as the best (1.0)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return dict.fromkeys(scores, 1.0)
    return {row: (score - low) / (high - low) for row, score in scores.items()}


def linear_fusion(
    dense: Mapping[int, float], lexical: Mapping[int, float], dense_weight: float
) -> dict[int, float]:
    """w * minmax(dense) + (1 - w) * minmax(lexical); a row missing from one side gets 0 there."""
    dense_norm, lexical_norm = min_max(dense), min_max(lexical)
    return {
        row: dense_weight * dense_norm.get(row, 0.0)
        + (1.0 - dense_weight) * lexical_norm.get(row, 0.0)
        for row in dense_norm.keys() | lexical_norm.keys()
    }


def ranked(scores: Mapping[int, float]) -> list[tuple[int, float]]:
    """Best first; ties broken by row so results are deterministic."""
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def calibrated_fusion(
    cosine: np.ndarray, lexical: np.ndarray, best_lexical: float, dense_weight: float
) -> np.ndarray:
    """w * cosine + (1 - w) * lexical / best_lexical, each row scored on both sides.

    Unlike min-max, nothing is stretched to fill [0, 1]: cosine is kept as it is, so a query
    whose best match is weak scores low, and a row missing from one side's candidate list is
    still scored there (a strong rare-word match is not zeroed on the dense side). The
    lexical side is divided by the query's best BM25 only, so 0 stays 0.
    """
    lexical_share = lexical / best_lexical if best_lexical > 0 else np.zeros_like(lexical)
    result: np.ndarray = dense_weight * np.clip(cosine, 0.0, 1.0) + (1.0 - dense_weight) * (
        lexical_share
    )
    return result
