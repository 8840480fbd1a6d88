"""Dense retrieval with real FAISS indexes over random unit vectors (no model needed)."""

from __future__ import annotations

import numpy as np
import pytest

from studyplan.adapters.search.dense import DenseIndex, build_index, index_kind, stored_vectors

DIM = 384


def unit_rows(n: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def exact_top(vectors: np.ndarray, query: np.ndarray, n: int, allowed: np.ndarray) -> list[int]:
    scores = np.where(allowed, vectors @ query, -np.inf)
    return [int(r) for r in np.argsort(-scores, kind="stable")[:n]]


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return unit_rows(3000, seed=1)


def test_small_collections_use_an_exact_flat_index(vectors: np.ndarray) -> None:
    index = DenseIndex(build_index(vectors))
    assert index_kind(index.index) == "flat"
    query = vectors[17]
    rows, scores = index.search(query, 5)
    assert rows[0] == 17 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert list(rows) == exact_top(vectors, query, 5, np.ones(len(vectors), dtype=bool))


def test_above_the_threshold_hnsw_finds_the_exact_neighbours(vectors: np.ndarray) -> None:
    index = DenseIndex(build_index(vectors, hnsw_threshold=1000))
    assert index_kind(index.index) == "hnsw"
    everything = np.ones(len(vectors), dtype=bool)
    queries = unit_rows(50, seed=2)
    recall = np.mean(
        [
            len(set(index.search(q, 10)[0]) & set(exact_top(vectors, q, 10, everything))) / 10
            for q in queries
        ]
    )
    assert recall >= 0.95


@pytest.mark.parametrize("hnsw_threshold", [10**9, 1000])
def test_filters_return_k_matching_rows(vectors: np.ndarray, hnsw_threshold: int) -> None:
    index = DenseIndex(build_index(vectors, hnsw_threshold=hnsw_threshold))
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[::7] = True  # 429 rows
    query = unit_rows(1, seed=3)[0]
    rows, scores = index.search(query, 10, allowed)
    assert len(rows) == 10
    assert all(allowed[rows])
    assert list(rows) == exact_top(vectors, query, 10, allowed)
    assert list(scores) == sorted(scores, reverse=True)


def test_filtered_hnsw_over_many_rows_keeps_to_the_filter(vectors: np.ndarray) -> None:
    big = np.concatenate([vectors] * 8)  # 24,000 rows: above the exact-scan limit for filters
    index = DenseIndex(build_index(big, hnsw_threshold=1000))
    allowed = np.zeros(len(big), dtype=bool)
    allowed[: len(big) * 9 // 10] = True
    rows, _ = index.search(vectors[5], 10, allowed)
    assert len(rows) == 10 and all(allowed[rows])


def test_asking_for_more_than_exists_returns_everything(vectors: np.ndarray) -> None:
    few = vectors[:4]
    index = DenseIndex(build_index(few))
    rows, _ = index.search(few[0], 50)
    assert sorted(rows) == [0, 1, 2, 3]
    none_allowed = np.zeros(4, dtype=bool)
    assert len(index.search(few[0], 5, none_allowed)[0]) == 0


def test_empty_index_returns_nothing() -> None:
    empty = np.zeros((0, DIM), dtype=np.float32)
    assert len(DenseIndex(build_index(empty)).search(unit_rows(1, 4)[0], 10)[0]) == 0


@pytest.mark.parametrize("hnsw_threshold", [10**9, 10])
def test_stored_vectors_are_a_copy_that_outlives_the_index(
    vectors: np.ndarray, hnsw_threshold: int
) -> None:
    rows = stored_vectors(build_index(vectors[:50], hnsw_threshold=hnsw_threshold))
    np.testing.assert_array_equal(rows, vectors[:50])
