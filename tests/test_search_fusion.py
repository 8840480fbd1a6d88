"""Fusion of a dense and a lexical ranking, checked by hand on small inputs."""

from __future__ import annotations

import numpy as np
import pytest

from studyplan.adapters.search.fusion import (
    calibrated_fusion,
    linear_fusion,
    min_max,
    ranked,
    reciprocal_rank_fusion,
)
from studyplan.adapters.search.query import keep_own_in_sight


def test_rrf_sums_reciprocal_ranks_with_k_60() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]])
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2] == pytest.approx(1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert fused[4] == pytest.approx(1 / 63)
    assert [row for row, _ in ranked(fused)] == [1, 3, 2, 4]


def test_rrf_of_one_ranking_keeps_its_order() -> None:
    assert [row for row, _ in ranked(reciprocal_rank_fusion([[7, 3, 5], []]))] == [7, 3, 5]


def test_rrf_smaller_k_favours_top_ranks_more() -> None:
    fused = reciprocal_rank_fusion([[1, 2]], k=1)
    assert fused == {1: pytest.approx(1 / 2), 2: pytest.approx(1 / 3)}


def test_min_max_rescales_to_unit_range() -> None:
    assert min_max({1: 2.0, 2: 4.0, 3: 3.0}) == {1: 0.0, 2: 1.0, 3: 0.5}
    assert min_max({}) == {}


def test_min_max_of_equal_scores_counts_all_as_best() -> None:
    assert min_max({5: 0.3, 6: 0.3}) == {5: 1.0, 6: 1.0}


def test_linear_fusion_by_hand() -> None:
    dense = {1: 0.9, 2: 0.5, 3: 0.1}  # -> 1.0, 0.5, 0.0
    lexical = {3: 10.0, 4: 6.0, 1: 2.0}  # -> 1.0, 0.5, 0.0
    fused = linear_fusion(dense, lexical, dense_weight=0.6)
    assert fused == {
        1: pytest.approx(0.6),
        2: pytest.approx(0.3),
        3: pytest.approx(0.4),
        4: pytest.approx(0.2),
    }
    assert [row for row, _ in ranked(fused)] == [1, 3, 2, 4]


def test_linear_fusion_weight_extremes_reduce_to_one_side() -> None:
    dense = {1: 0.2, 2: 0.9}
    lexical = {1: 5.0, 3: 1.0}
    assert [r for r, _ in ranked(linear_fusion(dense, lexical, 1.0))][:1] == [2]
    assert [r for r, _ in ranked(linear_fusion(dense, lexical, 0.0))][:1] == [1]


def test_ranked_breaks_ties_by_row() -> None:
    assert ranked({9: 1.0, 2: 1.0, 5: 2.0}) == [(5, 2.0), (2, 1.0), (9, 1.0)]


def test_calibrated_fusion_by_hand() -> None:
    cosine = np.array([0.6, 0.2, -0.1], dtype=np.float32)
    lexical = np.array([0.0, 8.0, 4.0], dtype=np.float32)
    fused = calibrated_fusion(cosine, lexical, best_lexical=8.0, dense_weight=0.8)
    np.testing.assert_allclose(fused, [0.48, 0.16 + 0.2, 0.0 + 0.1], rtol=1e-6)
    # No lexical evidence: the scores are the weighted cosines, not stretched to 1.
    alone = calibrated_fusion(cosine, np.zeros(3, dtype=np.float32), 0.0, 0.8)
    np.testing.assert_allclose(alone, [0.48, 0.16, 0.0], rtol=1e-6)


def test_own_items_keep_a_place_in_the_top_three() -> None:
    ranking = [(0, 1.0), (1, 0.9), (2, 0.8), (3, 0.7), (10, 0.65), (11, 0.6)]
    moved = keep_own_in_sight(ranking, own_start=10, share=0.6)
    assert [row for row, _ in moved] == [0, 1, 10, 2, 3, 11]
    assert keep_own_in_sight(ranking, own_start=10, share=0.7) == ranking  # too weak
    already = [(0, 1.0), (10, 0.9), (1, 0.8), (11, 0.7)]
    assert keep_own_in_sight(already, own_start=10, share=0.6) == already
