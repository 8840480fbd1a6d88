"""Fusion quality on the shipped corpus and on real notes written elsewhere, with a held-out split.

    .venv/bin/python bench/bench_fusion.py [--shipped DIR] [--testdocs DIR]

The notes are the tech-interview-handbook pages in ../shared/testdocs/ (MIT), added to a fresh
workspace as a user would (`add FOLDER`), so they form the workspace's own index layer beside
the shipped one. Labelled queries: tests/search_queries.toml (the shipped corpus) and
tests/testdocs_queries_{tune,heldout}.toml. Settings are chosen on the tune split only (the
calibrated weight sweep below); the held-out split is reported alone and never used to choose.

"linear w=0.7 (old default)" is the fusion `search` used before: min-max over each side's top
100, a row missing from one side counted 0 there, no prior for the user's own items. Nothing
here is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_search_metrics import Labelled, Quality, load_queries, quality
from studyplan.adapters.search import fusion as fusions
from studyplan.adapters.search import query as Q
from studyplan.adapters.search.layers import Layers
from studyplan.app import library
from studyplan.app.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
TESTDOCS = ROOT.parent / "shared" / "testdocs" / "tech-interview-handbook"
TUNE = ROOT / "tests" / "testdocs_queries_tune.toml"
HELD_OUT = ROOT / "tests" / "testdocs_queries_heldout.toml"
WEIGHTS = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))
SHARES = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 99.0)
NONSENSE = ("zzqxj", "qwxv zzkj", "🙂", "?!", "asdfghjkl", "xkcd blorptastic")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipped", type=Path, help="a built shipped index to reuse")
    parser.add_argument("--testdocs", type=Path, default=TESTDOCS)
    args = parser.parse_args()
    if not args.testdocs.is_dir():
        sys.exit(f"no {args.testdocs}: the testdocs folder sits beside the checkout")
    work = Path(tempfile.mkdtemp(prefix="bench-fusion-"))
    try:
        run(args.shipped or work / "shipped", args.testdocs, work / "home")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass
class QuerySet:
    name: str
    queries: list[Labelled]
    layers: Layers


def run(shipped_dir: Path, testdocs: Path, home: Path) -> None:
    shipped_only = Workspace(home.with_name("empty-home"), index_dir=shipped_dir)
    library.refresh(shipped_only)
    time_add(shipped_dir, testdocs, home.with_name("add-home"))
    workspace = Workspace(home, index_dir=shipped_dir)
    added, failed = library.add_documents(workspace, [testdocs])
    report = library.refresh(workspace)
    assert report.own is not None
    print(
        f"notes: {len(added)} pages added ({len(failed)} refused), "
        f"{report.own.added} sections, own layer built in {report.own.seconds:.1f} s"
    )
    alone = Q.open_layers(shipped_dir)
    both = Q.open_layers(shipped_dir, workspace.own_index)
    ids = own_ids(both)
    shipped = QuerySet("shipped corpus (tests/search_queries.toml)", load_queries(), alone)
    tune = QuerySet("testdocs tune", relabel(load_queries(TUNE), ids), both)
    held = QuerySet("testdocs held-out", relabel(load_queries(HELD_OUT), ids), both)

    print("\n## Calibrated weight, swept on the tune split only (S@3 / MRR@10, no own slot)\n")
    sweep = {w: score(tune, calibrated(w, 99.0)) for w in WEIGHTS}
    print(
        "  "
        + "  ".join(f"{w:.2f}:{q.success_at_3:.3f}/{q.mrr_at_10:.3f}" for w, q in sweep.items())
    )
    # Success@3 first (is the answer on screen?), then MRR@10.
    best = max(WEIGHTS, key=lambda w: (sweep[w].success_at_3, sweep[w].mrr_at_10))
    print(f"best on tune: w={best}; in use: w={fusions.CALIBRATED_DENSE_WEIGHT}")
    print("\nown-item slot share, on the tune split (S@3 / MRR@10, weight in use):")
    for share in SHARES:
        found = score(tune, calibrated(fusions.CALIBRATED_DENSE_WEIGHT, share))
        shown = "off" if share > 1 else f"{share:.2f}"
        print(f"  {shown}: {found.success_at_3:.3f} / {found.mrr_at_10:.3f}")
    print(f"in use: {Q.OWN_SHARE}")

    modes: list[tuple[str, Ranker]] = [
        ("lexical (BM25)", plain("lexical", "calibrated")),
        ("semantic (MiniLM)", plain("semantic", "calibrated", own_share=99.0)),
        ("hybrid, RRF k=60", plain("hybrid", "rrf", own_share=99.0)),
        ("hybrid, linear w=0.7 (old default)", plain("hybrid", "linear", own_share=99.0)),
        (
            f"hybrid, {Q.DEFAULT_FUSION} w={fusions.CALIBRATED_DENSE_WEIGHT} (default)",
            plain("hybrid", Q.DEFAULT_FUSION),
        ),
    ]
    sets = (shipped, tune, held)
    print("\n## Success@3 / MRR@10 by set\n")
    print("| mode | " + " | ".join(f"{s.name} (n={len(s.queries)})" for s in sets), end="")
    print(f" | shipped + held-out (n={len(shipped.queries) + len(held.queries)}) |")
    print("|---|" + "---:|" * (len(sets) + 1))
    for label, ranker in modes:
        scores = [score(s, ranker) for s in sets]
        together = combined(scores[0], len(shipped.queries), scores[2], len(held.queries))
        cells = [f"{q.success_at_3:.3f} / {q.mrr_at_10:.3f}" for q in [*scores, together]]
        print(f"| {label} | " + " | ".join(cells) + " |")

    print("\n## Held-out misses at 3 (default)\n")
    for q in held.queries:
        ranked = names(held.layers, plain("hybrid", Q.DEFAULT_FUSION)(held.layers, q.query))
        if not q.relevant & set(ranked[:3]):
            print(f"- {q.query!r}: top 3 {ranked[:3]}")

    print("\n## Nothing matches: best cosine, and whether any query word is in the collection\n")
    real = [q.query for s in sets for q in s.queries]
    floor = min(best_cosine(both, text) for text in real)
    dropped = [text for text in real if Q.evidence(both, text, "hybrid", None).nothing()]
    print(
        f"lowest best-cosine over all {len(real)} labelled queries: {floor:.3f}; "
        f"labelled queries answered with nothing: {dropped or 'none'}"
    )
    for text in NONSENSE:
        found = Q.evidence(both, text, "hybrid", None)
        print(
            f"- {text!r}: best cosine {found.cosine.max():.3f}, lexical match "
            f"{bool((found.lexical > 0).any())} -> "
            f"{'nothing' if found.nothing() else 'results'}"
        )
    print(f"threshold in use: {Q.NOTHING_COSINE}")


def time_add(shipped_dir: Path, testdocs: Path, home: Path, words: int = 22_000) -> None:
    """`studyplan add` of a folder of pages of about `words` words, in a fresh workspace: one
    process, wall time, everything included (import, split, embed, write the own index)."""
    folder = home.with_name("add-pages")
    folder.mkdir()
    total = 0
    for page in sorted(testdocs.rglob("*.md")):
        if total >= words:
            break
        total += len(page.read_text(encoding="utf-8").split())
        shutil.copy(page, folder / page.name)
    count = len(list(folder.iterdir()))
    env = os.environ | {"STUDYPLAN_INDEX": str(shipped_dir)}
    command = [sys.executable, "-c", "from studyplan.launch import run; run()"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--home", str(home), "add", str(folder)], capture_output=True, env=env
    )
    seconds = time.perf_counter() - start
    print(
        f"`studyplan add` of {count} pages ({total:,} words) into a fresh workspace: "
        f"{seconds:.1f} s (exit {done.returncode}); load average {os.getloadavg()[0]:.2f}"
    )


Ranker = Callable[[Layers, str], list[tuple[int, float]]]


def plain(mode: str, fusion: str, own_share: float = Q.OWN_SHARE) -> Ranker:
    return lambda layers, text: Q.rank(
        layers, text, mode=mode, fusion=fusion, allowed=None, k=10, own_share=own_share
    )


def calibrated(weight: float, share: float) -> Ranker:
    return lambda layers, text: Q.rank(
        layers,
        text,
        mode="hybrid",
        fusion="calibrated",
        allowed=None,
        k=10,
        dense_weight=weight,
        own_share=share,
    )


def best_cosine(layers: Layers, text: str) -> float:
    return float(Q.evidence(layers, text, "semantic", None).cosine.max())


def names(layers: Layers, ranking: Sequence[tuple[int, float]]) -> list[str]:
    return [item.id for item in layers.items([row for row, _ in ranking])]


def score(query_set: QuerySet, ranker: Ranker) -> Quality:
    return quality(
        [
            (names(query_set.layers, ranker(query_set.layers, q.query)), q.relevant)
            for q in query_set.queries
        ]
    )


def combined(a: Quality, n_a: int, b: Quality, n_b: int) -> Quality:
    def mean(x: float, y: float) -> float:
        return (x * n_a + y * n_b) / (n_a + n_b)

    return Quality(
        mean(a.success_at_3, b.success_at_3),
        mean(a.mrr_at_10, b.mrr_at_10),
        mean(a.ndcg_at_10, b.ndcg_at_10),
    )


def own_ids(layers: Layers) -> dict[str, str]:
    """ "<file stem>#<section key>" -> the section's id in the index."""
    start = layers.own_start
    found: dict[str, str] = {}
    for item in layers.items(range(start, len(layers))):
        doc, key = item.id.removeprefix("doc:").split("#", 1)
        stem = Path(item.source).stem
        found[f"{stem}#{key}"] = item.id
        assert doc.rsplit("-", 1)[0]  # "<slug>-<hash>"
    return found


def relabel(queries: list[Labelled], ids: dict[str, str]) -> list[Labelled]:
    missing = sorted({r for q in queries for r in q.relevant} - ids.keys())
    if missing:
        sys.exit(f"labels name sections the import does not produce: {missing[:5]}")
    return [
        Labelled(q.query, frozenset(ids[r] for r in q.relevant), q.track, q.tags) for q in queries
    ]


if __name__ == "__main__":
    main()
