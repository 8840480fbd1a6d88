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
from studyplan.adapters.search.query import Evidence, keep_rare_match, own_first, own_in_sight


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


def test_own_items_come_first_among_near_equals() -> None:
    # Rows from 10 on are the user's own. The rule: the two best own rows each rank above any
    # other row scoring less than the margin more; nothing else moves and no score changes.
    ranking = [(0, 0.80), (1, 0.70), (10, 0.66), (2, 0.60), (11, 0.50), (12, 0.45)]
    moved = own_first(ranking, own_start=10, margin=0.15)
    assert moved == [(10, 0.66), (0, 0.80), (1, 0.70), (11, 0.50), (2, 0.60), (12, 0.45)]
    # A shipped row clearly better (by the margin or more) stays first.
    clear = [(0, 0.90), (10, 0.74), (1, 0.60)]
    assert own_first(clear, own_start=10, margin=0.15) == [(0, 0.90), (10, 0.74), (1, 0.60)]
    # Only the two best own rows are lifted: a third stays where its score puts it.
    many = [(0, 0.70), (10, 0.60), (11, 0.59), (12, 0.58)]
    assert [r for r, _ in own_first(many, own_start=10, margin=0.15)] == [10, 11, 0, 12]
    assert own_first(ranking, own_start=10, margin=0.0) == ranking


def test_the_best_own_item_stays_in_sight_in_the_top_three() -> None:
    # Rows from 10 on are the user's own: its best takes third place when it scores at least
    # 0.6 of the best score, whatever number of shipped items score above it.
    ranking = [(0, 0.78), (1, 0.76), (2, 0.71), (3, 0.67), (10, 0.50), (11, 0.47)]
    assert [r for r, _ in own_in_sight(ranking, own_start=10)] == [0, 1, 10, 2, 3, 11]
    weak = [(0, 0.78), (1, 0.76), (2, 0.71), (10, 0.40)]
    assert own_in_sight(weak, own_start=10) == weak  # under 0.6 of the best: left out of sight
    high = [(0, 0.78), (10, 0.70), (1, 0.60)]
    assert own_in_sight(high, own_start=10) == high  # already in sight
    assert own_in_sight(ranking[:4], own_start=10) == ranking[:4]  # no own item at all


def test_an_exact_rare_match_keeps_a_place_in_the_top_three() -> None:
    cosine = np.array([0.70, 0.68, 0.66, 0.64, 0.20], dtype=np.float32)
    lexical = np.array([0.0, 0.0, 0.0, 1.0, 9.0], dtype=np.float32)
    ranking = [(0, 0.9), (1, 0.8), (2, 0.7), (3, 0.6), (4, 0.5)]
    # Row 4 is BM25's first and holds a rare query term: it moves up to third place.
    rare = Evidence(cosine, lexical, None, rare_rows=np.array([4, 3]))
    assert [r for r, _ in keep_rare_match(ranking, rare)] == [0, 1, 4, 2, 3]
    # Without a rare term in it, or already in the top three, nothing moves.
    common = Evidence(cosine, lexical, None, rare_rows=np.array([3]))
    assert keep_rare_match(ranking, common) == ranking
    assert keep_rare_match(ranking, Evidence(cosine, lexical, None)) == ranking
    high = [(4, 0.95), *ranking[:4]]
    assert keep_rare_match(high, rare) == high
