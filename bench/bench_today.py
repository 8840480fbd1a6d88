"""Time `studyplan today` in a fresh process on a workspace with 2,000 cards and a year of reviews.

    .venv/bin/python bench/bench_today.py [--runs 15]

Prints the median wall time of the command and of `python -c pass` for comparison, with an
interview date six weeks ahead (the plan then also forecasts what fits before it) and, on a
copy of the workspace, without one. Runs alternate between the commands.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from studyplan.app.workspace import Workspace
from studyplan.core.model import Track
from studyplan.core.planner import plan_day
from studyplan.core.settings import Settings

CARDS = 2000
START = date(2025, 11, 25)
TODAY = date(2026, 11, 25)
STUDYPLAN = Path(sys.executable).with_name("studyplan")


def write_corpus(folder: Path) -> None:
    (folder / "cards").mkdir(parents=True)
    tracks = list(Track)
    for file_number in range(20):
        track = tracks[file_number % len(tracks)]
        lines = [f'track = "{track.value}"', ""]
        for i in range(CARDS // 20):
            card_id = f"bench-{file_number:02}-{i:03}"
            lines += [
                "[[card]]",
                f'id = "{card_id}"',
                f'topic = "topic {i % 7}"',
                'difficulty = "medium"',
                f"minutes = {3 + i % 8}",
                f'prompt = "Benchmark question {card_id}: explain the trade-offs of approach {i}."',
                'answer = """\n- First key point.\n- Second key point with some detail.\n- Pitfalls.\n"""',
                "",
            ]
        (folder / "cards" / f"bench-{file_number:02}.toml").write_text(
            "\n".join(lines), encoding="utf-8"
        )


def write_history(home: Path, corpus: Path) -> int:
    """A year of daily study: each day's plan graded with realistic grades."""
    workspace = Workspace(home, corpus)
    store = workspace.store
    store.set_setting("minutes-per-day", "60")
    rng = random.Random(1)
    grades = 0
    day = START
    while day < TODAY:
        plan = plan_day(workspace.cards, store.states(), [], Settings(minutes_per_day=120), day)
        for item in plan.items:
            store.record_grade(item.card_id, rng.choice([2, 3, 4, 4, 4, 5, 5]), day)
            grades += 1
        day += timedelta(days=1)
    workspace.close()
    return grades


def set_interview(env: dict[str, str]) -> str:
    """Give the bench workspace (`env`'s STUDYPLAN_HOME) an interview six weeks after TODAY and
    two target companies; returns the interview date."""
    interview = (TODAY + timedelta(days=42)).isoformat()
    for key, value in (("interview-date", interview), ("companies", "google,meta")):
        subprocess.run(
            [str(STUDYPLAN), "config", key, value, "--date", TODAY.isoformat()],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return interview


def median_seconds(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, float]:
    """Each command's median wall time, the commands taking turns so that a busy moment of
    the machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            began = time.perf_counter()
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(spent) for name, spent in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="studyplan-bench-"))
    try:
        corpus, home = folder / "corpus", folder / "home"
        write_corpus(corpus)
        began = time.perf_counter()
        grades = write_history(home, corpus)
        print(
            f"workspace: {CARDS} cards, {grades} grades over a year (built in {time.perf_counter() - began:.1f} s)"
        )
        undated = folder / "home-undated"
        shutil.copytree(home, undated)
        env = {**os.environ, "STUDYPLAN_HOME": str(home), "STUDYPLAN_CORPUS": str(corpus)}
        day = ["--date", TODAY.isoformat()]
        interview = set_interview(env)
        medians = median_seconds(
            {
                "python -c pass": ([sys.executable, "-c", "pass"], env),
                f"studyplan today (interview {interview})": ([str(STUDYPLAN), "today", *day], env),
                "studyplan today --json": ([str(STUDYPLAN), "today", *day, "--json"], env),
                "studyplan today (no interview date)": (
                    [str(STUDYPLAN), "today", *day],
                    {**env, "STUDYPLAN_HOME": str(undated)},
                ),
            },
            runs,
        )
        print(f"{'command':<44} median of {runs}")
        for name, seconds in medians.items():
            print(f"{name:<44} {seconds * 1000:7.0f} ms")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
