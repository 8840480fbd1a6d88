"""Code practice on random coding cards: the reference solution and three wrong versions.

For each of N coding cards with tests (seeded choice), `app.practice.run_code` runs:

    reference   the card's solution                       -> should suggest good or easy
    none        every function body replaced by `return None` -> hard or again
    syntax      the solution with a syntax error appended    -> again
    loop        `while True: pass` at the top of the first function -> again

and reports each suggestion and run time (every run must end within 30 s), then a program that
allocates 8 GB (stopped by the memory limit, not swapped). Last, the runner's own cost: for
the reference runs, the run's time minus the tests' own time (the same solution and tests run
in this process), against `python -c pass` measured alongside.

    PYTHONPATH=src .venv/bin/python bench/bench_practice.py [--cards N] [--seed S]
"""

from __future__ import annotations

import argparse
import ast
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from studyplan.app.practice import run_code
from studyplan.app.workspace import Workspace
from studyplan.core.model import Card
from studyplan.core.practice import is_code_card

LIMIT_SECONDS = 30.0
EXPECTED = {"reference": {4, 5}, "none": {1, 3}, "syntax": {1}, "loop": {1}}


class ReturnNone(ast.NodeTransformer):
    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.body = [ast.Return(value=ast.Constant(value=None))]
        return node


def returning_none(solution: str) -> str:
    tree = ReturnNone().visit(ast.parse(textwrap.dedent(solution)))
    return ast.unparse(ast.fix_missing_locations(tree))


def with_syntax_error(solution: str) -> str:
    return solution + "\nthis line is not Python (\n"


def looping(solution: str) -> str:
    tree = ast.parse(textwrap.dedent(solution))
    first = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))
    first.body.insert(0, ast.While(test=ast.Constant(value=True), body=[ast.Pass()], orelse=[]))
    return ast.unparse(ast.fix_missing_locations(tree))


VERSIONS = {
    "reference": lambda card: card.solution,
    "none": lambda card: returning_none(card.solution),
    "syntax": lambda card: with_syntax_error(card.solution),
    "loop": lambda card: looping(card.solution),
}


def own_time(card: Card) -> float:
    """The tests' own time: solution and tests run in this process."""
    namespace: dict[str, object] = {"__name__": "solution"}
    started = time.perf_counter()
    exec(compile(card.solution, "solution", "exec"), namespace)
    exec(compile(card.tests, "tests", "exec"), namespace)
    return time.perf_counter() - started


def python_pass() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20)
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        workspace = Workspace(Path(home))
        coding = sorted((c for c in workspace.cards if is_code_card(c)), key=lambda card: card.id)
        chosen = random.Random(args.seed).sample(coding, args.cards)
        print(f"{len(chosen)} of {len(coding)} coding cards with tests (seed {args.seed})")
        print(f"{'card':44s} " + " ".join(f"{v:>16s}" for v in VERSIONS))
        misses = 0
        slowest = 0.0
        overheads: list[float] = []
        baselines: list[float] = []
        for card in chosen:
            cells = []
            for version, make in VERSIONS.items():
                # attempt_seconds: as if the user took the card's whole time (a pass suggests
                # good; easy needs a quicker attempt)
                result = run_code(
                    workspace, card.id, make(card), attempt_seconds=card.minutes * 60.0
                )
                slowest = max(slowest, result.seconds)
                ok = result.suggested_grade in EXPECTED[version]
                ok = ok and result.seconds < LIMIT_SECONDS
                misses += not ok
                mark = "" if ok else " !"
                cells.append(
                    f"{result.status[:7]}:{result.suggested_grade} {result.seconds:4.1f}s{mark}"
                )
                if version == "reference":
                    overheads.append(result.seconds - own_time(card))
                    baselines.append(python_pass())
            print(f"{card.id[:44]:44s} " + " ".join(f"{c:>16s}" for c in cells))
        print(f"\nruns off the expected grade or over {LIMIT_SECONDS:g} s: {misses}")
        print(f"slowest run: {slowest:.1f} s")
        big = run_code(
            workspace,
            chosen[0].id,
            "block = bytearray(8 << 30)\nblock[-1] = 1\n" + chosen[0].solution,
        )
        print(f"8 GB allocation: {big.status} in {big.seconds:.2f} s — {big.first_failure}")
        median_overhead = statistics.median(overheads)
        median_pass = statistics.median(baselines)
        print(
            f"runner cost beyond the tests' own time: median {median_overhead * 1000:.0f} ms, "
            f"max {max(overheads) * 1000:.0f} ms; `python -c pass` median "
            f"{median_pass * 1000:.0f} ms (ratio {median_overhead / median_pass:.1f})"
        )


if __name__ == "__main__":
    main()
