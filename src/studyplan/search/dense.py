"""Dense retrieval over normalised embeddings: exact FAISS inner product, HNSW for big collections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from studyplan.search.storage import write_atomic

# Below this many vectors exact search is fast enough (see bench/bench_search.py: a 50,000-vector
# flat scan answers in a few ms) and loses nothing; above it HNSW keeps queries sub-millisecond.
HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
# With a filter that leaves at most this many vectors, scan them exactly instead of walking HNSW.
EXACT_FILTER_LIMIT = 20_000


def build_index(vectors: np.ndarray, *, hnsw_threshold: int = HNSW_THRESHOLD) -> Any:
    import faiss

    dimension = vectors.shape[1]
    if len(vectors) < hnsw_threshold:
        index = faiss.IndexFlatIP(dimension)
    else:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def index_kind(index: Any) -> str:
    return "hnsw" if hasattr(index, "hnsw") else "flat"


def save_index(index: Any, path: Path) -> None:
    import faiss

    write_atomic(path, lambda handle: handle.write(faiss.serialize_index(index).tobytes()))


def load_index(path: Path) -> Any:
    import faiss

    return faiss.read_index(str(path))


def save_vectors(vectors: np.ndarray, path: Path) -> None:
    write_atomic(path, lambda handle: np.save(handle, vectors, allow_pickle=False))


def load_vectors(path: Path) -> np.ndarray:
    return np.load(path, mmap_mode="r", allow_pickle=False)


class DenseIndex:
    def __init__(self, index: Any, vectors: np.ndarray) -> None:
        self.index = index
        self.vectors = vectors

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top `n` rows by cosine (rows, scores), restricted to rows where `allowed` is true."""
        n = min(n, len(self))
        if n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is None:
            scores, rows = self.index.search(query, n)
            return _valid(rows[0], scores[0])
        candidates = np.flatnonzero(allowed)
        if index_kind(self.index) == "flat" or len(candidates) <= EXACT_FILTER_LIMIT:
            return _exact_top(self.vectors, candidates, query[0], n)
        return self._filtered_hnsw(query, n, candidates)

    def _filtered_hnsw(
        self, query: np.ndarray, n: int, candidates: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        selector = faiss.IDSelectorBatch(candidates.astype(np.int64))
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, n))
        scores, rows = self.index.search(query, min(n, len(candidates)), params=params)
        return _valid(rows[0], scores[0])


def _exact_top(
    vectors: np.ndarray, candidates: np.ndarray, query: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    if len(candidates) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores = np.asarray(vectors[candidates] @ query, dtype=np.float32)
    n = min(n, len(candidates))
    top = np.argpartition(-scores, n - 1)[:n]
    top = top[np.lexsort((candidates[top], -scores[top]))]
    return candidates[top].astype(np.int64), scores[top]


def _valid(rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = rows >= 0  # FAISS pads with -1 when fewer than n results exist
    return rows[keep].astype(np.int64), scores[keep].astype(np.float32)
