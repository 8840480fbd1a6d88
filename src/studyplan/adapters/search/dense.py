"""Dense retrieval over normalised embeddings: exact FAISS inner product, HNSW for big collections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studyplan.adapters.files import write_atomic
from studyplan.adapters.search.model_files import DIMENSION

# Below this many vectors an exact scan costs less than encoding the query (about 3 ms here,
# see bench/bench_search.py) and loses nothing; above it the scan dominates and grows linearly,
# while HNSW answers in about 0.3 ms with recall@10 >= 0.997 against exact search.
HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 256
# With a filter that leaves at most this many vectors, scan them exactly instead of walking HNSW.
EXACT_FILTER_LIMIT = 20_000


def _faiss() -> Any:
    """The faiss module, imported on first use (its stubs lag behind its Python API)."""
    import faiss

    return faiss


def build_index(vectors: np.ndarray, *, hnsw_threshold: int = HNSW_THRESHOLD) -> Any:
    faiss = _faiss()
    dimension = vectors.shape[1]
    if len(vectors) < hnsw_threshold:
        index = faiss.IndexFlatIP(dimension)
    else:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def index_kind(index: Any) -> str:
    return "hnsw" if hasattr(index, "hnsw") else "flat"


def save_index(index: Any, path: Path) -> None:
    faiss = _faiss()
    write_atomic(path, lambda handle: handle.write(faiss.serialize_index(index).tobytes()))


def load_index(path: Path) -> Any:
    return _faiss().read_index(str(path))


def stored_vectors(index: Any) -> np.ndarray:
    """A copy of the vectors held by a flat or HNSW index, one row per item."""
    faiss = _faiss()
    flat = faiss.downcast_index(index.storage) if hasattr(index, "storage") else index
    if index.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    # rev_swig_ptr views FAISS-owned memory, which dies with `index`: copy while it lives.
    view = faiss.rev_swig_ptr(flat.get_xb(), index.ntotal * index.d)
    return np.array(view, dtype=np.float32).reshape(index.ntotal, index.d)


# How much of a section's cosine comes from its best short window (see `chunks`); the rest
# is its cosine from its full-length passages. Chosen on the tune splits
# (bench/sweep_windows.py prints the sweep).
WINDOW_SHARE = 0.7


@dataclass(frozen=True)
class Passages:
    """The vectors of items' passages after their first (see `chunks`), the row of the item
    each belongs to, and which are short windows rather than full-length passages."""

    vectors: np.ndarray  # float32, one row per passage
    rows: np.ndarray  # int64, the item row of each passage
    windows: np.ndarray  # bool, a short window (True) or a full-length passage

    @classmethod
    def of(
        cls, vectors: Sequence[np.ndarray], rows: Sequence[int], windows: Sequence[bool]
    ) -> Passages:
        stacked = (
            np.stack(vectors).astype(np.float32)
            if len(vectors)
            else np.zeros((0, DIMENSION), dtype=np.float32)
        )
        return cls(
            np.ascontiguousarray(stacked),
            np.asarray(rows, dtype=np.int64),
            np.asarray(windows, dtype=bool),
        )

    def combined(self, query: np.ndarray, first: np.ndarray) -> np.ndarray:
        """An item's cosine as search weighs it, from the cosines of its first passages:

        - full length: the mean of its first passage's (its title and opening: what it is
          about) and its best passage's (what it holds anywhere);
        - with short windows: WINDOW_SHARE of that raised to its best window's where higher,
          the rest as it is, so one paragraph answering the query counts without it
          outweighing everything the section is about.

        An item of one passage keeps its cosine. Chosen on the tune splits
        (bench/bench_fusion.py, bench/sweep_windows.py)."""
        if not len(self.rows):
            return first
        cosines = np.asarray(self.vectors, np.float32) @ query
        windows = np.asarray(self.windows, dtype=bool)
        rows = np.asarray(self.rows)
        best = np.array(first, dtype=np.float32)
        np.maximum.at(best, rows[~windows], cosines[~windows])
        whole: np.ndarray = (first + best) / np.float32(2.0)
        if not windows.any():
            return whole
        best_window = np.full(len(first), -np.inf, dtype=np.float32)
        np.maximum.at(best_window, rows[windows], cosines[windows])
        share = np.float32(WINDOW_SHARE)
        raised = np.maximum(whole, best_window)
        result: np.ndarray = np.where(
            np.isfinite(best_window), (1 - share) * whole + share * raised, whole
        ).astype(np.float32)
        return result


class DenseIndex:
    def __init__(
        self, index: Any, vectors: np.ndarray | None = None, passages: Passages | None = None
    ) -> None:
        """A FAISS index, or (`index` None) the vectors of a flat index as a plain array,
        which exact search reads with numpy alone; `passages`: long items' further passages,
        whose best cosine counts as the item's."""
        self.index = index
        self.vectors = vectors
        self.passages = passages
        # Exact scans (filtered searches) run on the flat index, or on HNSW's flat storage.
        if index is not None:
            self._flat = (
                _faiss().downcast_index(index.storage) if hasattr(index, "storage") else index
            )

    def __len__(self) -> int:
        if self.index is None:
            return len(self.vectors) if self.vectors is not None else 0
        return int(self.index.ntotal)

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine of `query` with every row's vector (its first passage), exactly."""
        if self.vectors is None:
            self.vectors = stored_vectors(self.index)
        result: np.ndarray = np.asarray(self.vectors, dtype=np.float32) @ query.astype(np.float32)
        return result

    def with_passages(self, query: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Each item's cosine with `query` from all its passages (`Passages.combined`), given
        the cosines with its first ones."""
        query = query.astype(np.float32)
        return first if self.passages is None else self.passages.combined(query, first)

    def search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top `n` rows by cosine (rows, scores), restricted to rows where `allowed` is true."""
        if self.index is None:
            return self._scan(query, n, allowed)
        faiss = _faiss()
        hnsw = index_kind(self.index) == "hnsw"
        ef_search = max(HNSW_EF_SEARCH, 2 * n)
        count = len(self) if allowed is None else int(np.count_nonzero(allowed))
        n = min(n, count)
        if n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is None:
            params = faiss.SearchParametersHNSW(efSearch=ef_search) if hnsw else None
            scores, rows = self.index.search(query, n, params=params)
            return _valid(rows[0], scores[0])
        # FAISS keeps raw pointers to the bitmap and the selector: both must outlive the search.
        bitmap = np.packbits(allowed, bitorder="little")
        selector = faiss.IDSelectorBitmap(bitmap)
        if hnsw and count > EXACT_FILTER_LIMIT:
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef_search)
            scores, rows = self.index.search(query, n, params=params)
        else:
            params = faiss.SearchParameters(sel=selector)
            scores, rows = self._flat.search(query, n, params=params)
        return _valid(rows[0], scores[0])

    def _scan(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        scores = self.with_passages(query, self.similarities(query))
        rows = np.arange(len(scores)) if allowed is None else np.flatnonzero(allowed)
        n = min(n, len(rows))
        if n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        picked = rows[np.argpartition(-scores[rows], n - 1)[:n]]
        order = np.lexsort((picked, -scores[picked]))
        return picked[order].astype(np.int64), scores[picked[order]].astype(np.float32)


def _valid(rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = rows >= 0  # FAISS pads with -1 when fewer than n results exist
    return rows[keep].astype(np.int64), scores[keep].astype(np.float32)
