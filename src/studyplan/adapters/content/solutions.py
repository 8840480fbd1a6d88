"""Running the reference solutions of coding cards against their tests.

Each card's `solution` and then its `tests` run as one program in a fresh, isolated Python
process (`python -I`: no user site, no PYTHON* variables, no current folder on the path), in a
temporary working folder, with a time limit. A card passes when that process exits 0.
Cards run in parallel, a few at a time; the report keeps the cards' order.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from studyplan.core.model import Card

TIMEOUT_SECONDS = 10.0
OUTPUT_LINES = 6  # the last lines of a failure's output shown in its report


@dataclass(frozen=True, slots=True)
class SolutionRun:
    card_id: str
    source: str  # file:line of the card
    passed: bool
    seconds: float
    detail: str = ""  # for a failure: the end of its output, or why it stopped

    def message(self) -> str:
        return f"{self.source}: card {self.card_id}: solution fails its tests: {self.detail}"


def program(card: Card) -> str:
    """The text one card runs: the solution, then the tests, each marked for tracebacks."""
    return f"# solution of {card.id}\n{card.solution}\n# tests of {card.id}\n{card.tests}\n"


def run_solution(
    card: Card, timeout: float = TIMEOUT_SECONDS, python: str = sys.executable
) -> SolutionRun:
    """Run one card's solution and tests in a subprocess; never raises for a failing card."""
    import time

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="studyplan-solution-") as folder:
        script = os.path.join(folder, f"{card.id}.py")
        with open(script, "w", encoding="utf-8") as handle:
            handle.write(program(card))
        environment = {
            key: value for key, value in os.environ.items() if key in ("PATH", "SYSTEMROOT")
        }
        environment.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
        try:
            finished = subprocess.run(
                [python, "-I", "-X", "utf8", script],
                cwd=folder,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            seconds = time.perf_counter() - started
            return SolutionRun(
                card.id, card.source, False, seconds, f"no result within {timeout:g} s"
            )
    seconds = time.perf_counter() - started
    if finished.returncode == 0:
        return SolutionRun(card.id, card.source, True, seconds)
    output = (finished.stderr or finished.stdout).decode("utf-8", "replace").strip()
    tail = output.splitlines()[-OUTPUT_LINES:] or [f"exit status {finished.returncode}"]
    return SolutionRun(card.id, card.source, False, seconds, " | ".join(tail))


def run_solutions(
    cards: Sequence[Card], timeout: float = TIMEOUT_SECONDS, workers: int | None = None
) -> list[SolutionRun]:
    """Every card with a solution, run against its tests; results in the cards' order."""
    chosen = [card for card in cards if card.solution]
    if workers is None:
        workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda card: run_solution(card, timeout), chosen))
