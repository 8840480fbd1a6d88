"""Synthetic collections for scale benchmarks: realistic-looking vectors and texts, no embedding.

Vectors are random mixtures of two real corpus embeddings plus Gaussian noise, renormalised:
they keep the real embedding geometry (topic clusters, anisotropy) that pure random vectors
lack, so HNSW recall measured on them is closer to what real collections would see.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studyplan.adapters.search.items import Item

NOISE = 0.04


def synthetic_vectors(base: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    first = base[rng.integers(0, len(base), n)]
    second = base[rng.integers(0, len(base), n)]
    weight = rng.uniform(0, 1, (n, 1)).astype(np.float32)
    mixed = weight * first + (1 - weight) * second
    mixed += rng.normal(0, NOISE, mixed.shape).astype(np.float32)
    return (mixed / np.linalg.norm(mixed, axis=1, keepdims=True)).astype(np.float32)


def synthetic_items(corpus: Sequence[Item], n: int, rng: np.random.Generator) -> list[Item]:
    """Items whose texts are 3-6 sentences drawn from the corpus (a realistic BM25 vocabulary)."""
    sentences = [s for item in corpus for s in re.split(r"(?<=[.?!])\s+|\n+", item.text) if s]
    tracks = sorted({item.track for item in corpus})
    companies = sorted({c for item in corpus for c in item.companies})
    items = []
    for i in range(n):
        picks = rng.integers(0, len(sentences), rng.integers(3, 7))
        text = " ".join(sentences[p] for p in picks)
        owners = tuple(
            companies[c] for c in rng.choice(len(companies), rng.integers(0, 3), replace=False)
        )
        items.append(
            Item(
                id=f"synthetic-{i}",
                kind="card" if i % 4 else "section",
                title=sentences[picks[0]][:80],
                text=text,
                source=f"synthetic:{i}",
                track=tracks[i % len(tracks)],
                companies=owners,
            )
        )
    return items


@dataclass(frozen=True)
class AnnRow:
    size: int
    flat_ms: float
    hnsw_build_s: float
    hnsw_ms: dict[int, float]  # efSearch -> median latency
    recall: dict[int, float]  # efSearch -> recall@10 against exact search


def ann_table(
    base: np.ndarray, sizes: Sequence[int], queries: np.ndarray, ef_values: Sequence[int]
) -> list[AnnRow]:
    """Exact (IndexFlatIP) against HNSW at several collection sizes: latency and recall@10."""
    import faiss

    from studyplan.adapters.search.dense import HNSW_EF_CONSTRUCTION, HNSW_M

    rng = np.random.default_rng(7)
    rows = []
    for size in sizes:
        vectors = synthetic_vectors(base, size, rng)
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(vectors)
        flat_ms = _median_ms(lambda q, f=flat: f.search(q, 10), queries)
        _, truth = flat.search(queries, 10)
        hnsw = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        start = time.perf_counter()
        hnsw.add(vectors)
        build = time.perf_counter() - start
        latency, recall = {}, {}
        for ef in ef_values:
            hnsw.hnsw.efSearch = ef
            latency[ef] = _median_ms(lambda q, h=hnsw: h.search(q, 10), queries)
            _, found = hnsw.search(queries, 10)
            recall[ef] = float(
                np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found, strict=True)])
            )
        rows.append(AnnRow(size, flat_ms, build, latency, recall))
    return rows


def _median_ms(run: object, queries: np.ndarray) -> float:
    times = []
    for query in queries:
        start = time.perf_counter()
        run(query[None, :])  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
