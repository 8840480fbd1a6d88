"""Running the reference solutions of coding cards against their tests.

Each card's `solution`, then its `tests`, run in the one code runner (`adapters/code_runner`:
a limited child process in a temporary folder), the same one practice runs a user's code in.
A card passes when every check of its tests passes. Cards run in parallel, a few at a time;
the report keeps the cards' order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from studyplan.adapters.code_runner import LIMITS, Limits, run_tests
from studyplan.core.model import Card


@dataclass(frozen=True, slots=True)
class SolutionRun:
    card_id: str
    source: str  # file:line of the card
    passed: bool
    seconds: float
    detail: str = ""  # for a failure: the end of its output, or why it stopped

    def message(self) -> str:
        return f"{self.source}: card {self.card_id}: solution fails its tests: {self.detail}"


def run_solution(card: Card, limits: Limits = LIMITS) -> SolutionRun:
    """Run one card's solution and tests with the runner's limits; never raises for a failing card."""
    run = run_tests(card.solution, card.tests, code_name=f"solution of {card.id}", limits=limits)
    if run.status == "passed":
        return SolutionRun(card.id, card.source, True, run.seconds)
    detail = run.first_failure or run.status
    return SolutionRun(card.id, card.source, False, run.seconds, f"{run.status}: {detail}")


def run_solutions(
    cards: Sequence[Card], limits: Limits = LIMITS, workers: int | None = None
) -> list[SolutionRun]:
    """Every card with a solution, run against its tests; results in the cards' order."""
    chosen = [card for card in cards if card.solution]
    if workers is None:
        workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda card: run_solution(card, limits), chosen))
