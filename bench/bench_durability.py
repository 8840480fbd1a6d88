"""Crash and concurrency figures for the database.

    .venv/bin/python bench/bench_durability.py [--kills 20] [--rounds 10] [--runs 8]

1. kill -9 while grading: a child process grades cards in a loop and prints each grade once
   `record_grade` has returned (confirmed); it is killed with SIGKILL at a random moment, and
   the next child carries on from what is stored. Every confirmed grade must be stored, and the
   file must pass SQLite's integrity check after each kill.
2. First runs at once: `--runs` processes run `studyplan config` on one fresh workspace at the
   same moment, `--rounds` times; every one must succeed.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

CHILD = """
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import IO
from studyplan.adapters.sqlite.store import Store

store = Store.open(Path(sys.argv[1]))
first = int(sys.argv[2])
print("ready", flush=True)
for n in range(first, first + 1_000_000):
    # 50 cards, one grade each per day: every grade is an SM-2 step, days only move forward;
    # a failed grade every few days keeps intervals (and due dates) in range.
    quality = (4, 2, 5, 3, 4)[n // 50 % 5]
    store.record_grade(f"card-{n % 50}", quality, date(2026, 1, 1) + timedelta(days=n // 50))
    print(n, flush=True)
"""


@dataclass
class KillFigures:
    kills: int = 0
    confirmed: int = 0  # grades the child reported as saved
    stored: int = 0  # grades in the review log afterwards
    lost: int = 0  # confirmed but not stored: must stay 0
    unconfirmed_stored: int = 0  # committed just before the kill, not yet printed: harmless
    damaged: int = 0  # integrity checks that failed: must stay 0


def stored_grades(database: Path) -> int:
    if not database.exists():
        return 0
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute("SELECT count(*) FROM review_log").fetchone()[0])
    finally:
        connection.close()


def integrity_ok(database: Path) -> bool:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()


def _read_lines(stream: IO[str], lines: list[str]) -> None:
    lines.extend(stream)


def kill_while_grading(home: Path, kills: int, rng: random.Random) -> KillFigures:
    figures = KillFigures()
    database = home / "studyplan.db"
    for _ in range(kills):
        first = stored_grades(database)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(home), str(first)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=_read_lines, args=(child.stdout, lines), daemon=True)
        reader.start()
        while not lines and child.poll() is None:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.02, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reader.join()
        child.stdout.close()
        confirmed = [int(line) for line in lines if line.strip().isdigit()]
        stored = stored_grades(database)
        figures.kills += 1
        figures.confirmed += len(confirmed)
        figures.stored += stored - first
        if confirmed:
            figures.lost += max(0, confirmed[-1] + 1 - stored)
            figures.unconfirmed_stored += max(0, stored - (confirmed[-1] + 1))
        else:
            figures.unconfirmed_stored += stored - first
        figures.damaged += not integrity_ok(database)
    return figures


def first_runs_at_once(runs: int, rounds: int, folder: Path) -> tuple[int, int, list[str]]:
    """(runs started, runs failed, first line of each failure's error)."""
    started = failed = 0
    errors: list[str] = []
    for number in range(rounds):
        env = {**os.environ, "STUDYPLAN_HOME": str(folder / f"round-{number}")}
        command = [sys.executable, "-m", "studyplan", "config"]  # opens the database first thing
        children = [
            subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            for _ in range(runs)
        ]
        for child in children:
            _, stderr = child.communicate()
            started += 1
            if child.returncode != 0:
                failed += 1
                errors.append((stderr.strip().splitlines() or ["(no message)"])[-1])
    return started, failed, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studyplan-durability-") as name:
        folder = Path(name)
        began = time.perf_counter()
        figures = kill_while_grading(folder / "kills", options.kills, random.Random(options.seed))
        print(
            f"kill -9 while grading: {figures.kills} kills, {figures.confirmed} grades confirmed, "
            f"{figures.stored} stored, {figures.lost} confirmed but lost, "
            f"{figures.unconfirmed_stored} stored just before a kill without confirmation, "
            f"{figures.damaged} failed integrity checks ({time.perf_counter() - began:.1f} s)"
        )
        began = time.perf_counter()
        started, failed, errors = first_runs_at_once(options.runs, options.rounds, folder)
        print(
            f"first runs at once: {options.runs} processes × {options.rounds} rounds = {started} "
            f"runs, {failed} failed ({time.perf_counter() - began:.1f} s)"
        )
        for error in errors[:5]:
            print(f"  {error}")
    if figures.lost or figures.damaged or failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
