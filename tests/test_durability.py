"""kill -9 while grading loses no confirmed grade; first runs at once all succeed.

Smaller versions of bench/bench_durability.py, which prints the full figures.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import bench_durability as durability


def test_every_confirmed_grade_survives_kill_9(tmp_path: Path) -> None:
    figures = durability.kill_while_grading(tmp_path / "home", 3, random.Random(7))
    assert figures.kills == 3 and figures.confirmed > 0
    assert figures.lost == 0
    assert figures.damaged == 0
    assert figures.stored == figures.confirmed + figures.unconfirmed_stored


def test_first_runs_at_once_all_succeed(tmp_path: Path) -> None:
    started, failed, errors = durability.first_runs_at_once(8, 3, tmp_path)
    assert (started, failed, errors) == (24, 0, [])
