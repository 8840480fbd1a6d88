"""Short windows of several sizes, on the tune splits and the shipped corpus: the sweep
`chunks.WINDOW_WORDS` and `dense.WINDOW_SHARE` were chosen from.

    .venv/bin/python bench/sweep_windows.py [--work DIR]

Reuses bench_fusion.py's workspaces (`--work`, built when missing). Each layer's stored short
windows are swapped for windows of another size, embedded here with the index's own encoder
(each a half-overlapping run of that many words after the section's title), and every
labelled query is asked again (S@3 / MRR@10, hybrid). The windows are cut by the index's own
`chunks.short_windows`, at most MAX_WINDOWS a section. The held-out splits are not read.
Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import bench_fusion as fusion_bench
from studyplan.adapters.search import chunks, dense
from studyplan.adapters.search.dense import Passages
from studyplan.adapters.search.layers import Layers

SIZES = (0, 40, 50, 60, 100, 150)  # 0: no short windows
SHARES = (0.3, 0.5, 0.7, 1.0)


def with_windows(layers: Layers, size: int, stored: dict[int, Passages]) -> None:
    """Give every layer windows of `size` words in place of the ones it stores (embedded by
    the shipped layer's encoder, which an own layer shares)."""
    encoder = layers.indexes[0].encoder
    for index in layers.indexes:
        original = stored.setdefault(id(index), index.dense.passages or Passages.of([], [], []))
        keep = ~np.asarray(original.windows, dtype=bool)
        items = index.catalog.items(list(range(len(index.catalog))))
        texts, rows = [], []
        for row, item in enumerate(items):
            if item.kind == "section":
                made = chunks.short_windows(item.text, item.title, size, size // 2) if size else []
                texts += made
                rows += [row] * len(made)
        vectors = encoder.encode(texts) if texts else np.zeros((0, dense.DIMENSION))
        index.dense.passages = Passages(
            np.concatenate([np.asarray(original.vectors)[keep], vectors]).astype(np.float32),
            np.concatenate([np.asarray(original.rows)[keep], np.asarray(rows, dtype=np.int64)]),
            np.concatenate([np.zeros(int(keep.sum()), dtype=bool), np.ones(len(rows), bool)]),
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-fusion")
    parser.add_argument("--testdocs", type=Path, default=fusion_bench.default_testdocs())
    args = parser.parse_args()
    sets = [
        s
        for s in fusion_bench.query_sets(args.work / "shipped", args.testdocs, args.work)
        if not s.held_out or s.name == "shipped corpus"
    ]
    print("| window words | share | " + " | ".join(s.name for s in sets) + " |")
    print("|---:|---:|" + "---:|" * len(sets))
    tune = [s for s in sets if s.name != "shipped corpus"]
    stored: dict[int, Passages] = {}
    in_use = dense.WINDOW_SHARE
    pooled: dict[tuple[int, float], float] = {}
    try:
        for size in SIZES:
            for query_set in sets:
                with_windows(query_set.layers, size, stored)
            for share in SHARES if size else (0.0,):
                dense.WINDOW_SHARE = share
                cells = [fusion_bench.score(s, fusion_bench.ranker("hybrid")) for s in sets]
                print(f"| {size} | {share} | " + " | ".join(
                    f"{q.success_at_3:.3f} / {q.mrr_at_10:.3f}" for q in cells) + " |")  # fmt: skip
                both = fusion_bench.pooled(
                    [c for c, s in zip(cells, sets, strict=True) if s in tune], tune
                )
                pooled[(size, share)] = both.success_at_3 + both.mrr_at_10
    finally:
        dense.WINDOW_SHARE = in_use
    size, share = max(pooled, key=lambda key: (round(pooled[key], 3), -key[0], key[1]))
    print(f"best on the tune splits (pooled S@3 + MRR@10): {size} words, share {share}")
    print(f"in use: {chunks.WINDOW_WORDS} words, share {dense.WINDOW_SHARE}")


if __name__ == "__main__":
    main()
