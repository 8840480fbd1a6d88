"""Combining a dense and a lexical ranking into one. Pure functions over {row: score} maps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60  # Cormack, Clarke & Buettcher (2009): score(d) = sum over rankings of 1 / (k + rank(d))
# Weight of the dense side in linear fusion, tuned on tests/search_queries.toml
# (bench/bench_search.py prints the sweep).
LINEAR_DENSE_WEIGHT = 0.7
FUSIONS = ("rrf", "linear")


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
