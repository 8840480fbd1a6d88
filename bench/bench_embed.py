"""Embedding throughput for big imports: a full index build, in items per second.

    .venv/bin/python bench/bench_embed.py [--runs 3] [--src DIR]

Two collections: the shipped corpus (its guide sections and cards), and a real Anki deck of
1,639 notes (../shared/testdocs/anki/mp-french-phrases.apkg, MIT) imported with
`studyplan import anki` into a fresh workspace, whose cards become its own index layer. Each
build runs in a process of its own (`--one`), so its peak memory is its own: wall time of the
whole `refresh_index` (tokenising, embedding, writing), items per second, passages embedded
(long items embed more than one) and peak resident memory. `python -c pass` is timed in the
same run, interleaved, as the machine's yardstick. `--src DIR` runs the builds on another
checkout's source (for before/after figures on the same machine in one run). Nothing here is
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def deck_path() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        found = base / "shared" / "testdocs" / "anki" / "mp-french-phrases.apkg"
        if found.is_file():
            return found
    return ROOT.parent / "shared" / "testdocs" / "anki" / "mp-french-phrases.apkg"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", type=Path, action="append", default=[])
    parser.add_argument("--one", choices=("shipped", "deck"), help=argparse.SUPPRESS)
    parser.add_argument("--shipped-index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(build_once(args.one, args.shipped_index)))
        return
    sources = [ROOT / "src", *args.src]
    work = Path(tempfile.mkdtemp(prefix="bench-embed-"))
    try:
        shipped = work / "shipped"
        subprocess.run(
            [sys.executable, __file__, "--one", "shipped", "--shipped-index", str(shipped)],
            env=env_for(sources[0]),
            check=True,
            capture_output=True,
        )
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        baseline: list[float] = []
        for _ in range(args.runs):
            baseline.append(python_pass())
            for source in sources:
                for what in ("shipped", "deck"):
                    results.setdefault((str(source), what), []).append(
                        run_one(source, what, shipped)
                    )
        pass_s = statistics.median(baseline)
        print(
            f"`python -c pass`: {pass_s:.3f} s (median of {len(baseline)}); shared machine, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(
            "| source | collection | items | passages | seconds | items/s | peak RSS MB | x python -c pass |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for (source, what), runs in results.items():
            seconds = statistics.median(r["seconds"] for r in runs)
            print(
                f"| {source} | {what} | {runs[0]['items']:.0f} | {runs[0]['passages']:.0f} | "
                f"{seconds:.1f} | {runs[0]['items'] / seconds:.1f} | "
                f"{max(r['rss_mb'] for r in runs):.0f} | {seconds / pass_s:.0f} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def env_for(source: Path) -> dict[str, str]:
    bench = str(Path(__file__).resolve().parent)
    return os.environ | {"PYTHONPATH": f"{source}{os.pathsep}{bench}"}


def run_one(source: Path, what: str, shipped: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", what, "--shipped-index", str(shipped)],
        env=env_for(source),
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def python_pass() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def build_once(what: str, shipped: Path) -> dict[str, float]:
    """One full build in this process: the shipped corpus into a new folder (kept at
    `shipped` the first time, for the deck's builds to share its encoder), or the deck's
    cards as a workspace's own layer."""
    from studyplan.adapters.search.index import SharedEncoder, refresh_index
    from studyplan.adapters.search.manifest import read_manifest
    from studyplan.app import library
    from studyplan.app.anki_import import ImportOptions, import_anki
    from studyplan.app.workspace import Workspace

    work = Path(tempfile.mkdtemp(prefix="bench-embed-one-"))
    try:
        if what == "shipped":
            items = library.shipped_items(Workspace(work / "home", index_dir=shipped))
            first = not shipped.exists()
            target = shipped if first else work / "index"
            # After the first build, the export is shared: only embedding is timed.
            encoder = None if first else SharedEncoder(shipped, read_manifest(shipped).encoder)
        else:
            workspace = Workspace(work / "home", index_dir=shipped)
            import_anki(workspace, deck_path(), date(2026, 11, 25), ImportOptions())
            items = library.own_items(Workspace(work / "home", index_dir=shipped))  # read afresh
            target = work / "own"
            encoder = SharedEncoder(shipped, read_manifest(shipped).encoder)
        seen = {"passages": 0}

        def progress(done: int, total: int) -> None:
            seen["passages"] = total

        start = time.perf_counter()
        refresh_index(target, items, progress=progress, encoder=encoder)
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"items": len(items), "passages": seen["passages"], "seconds": seconds, "rss_mb": rss}


if __name__ == "__main__":
    main()
