"""The typed-answer checker, measured on hand-labelled answers: tune part and held-out part.

The labelled answers are tests/answers_tune.toml (what the settings were chosen on) and
tests/answers_heldout.toml (other cards, never tuned on). Each card has one answer of each
level: good, partial, wrong (the topic's words around a wrong mechanism) and empty. For each
method the clause threshold is chosen on the tune part alone (grid search), then both parts
are scored with it. Figures, per part:

    good>wrong   cards whose good answer gets a higher suggested grade than its wrong one
    good>=4      good answers suggested good or easy
    wrong<=2     wrong answers suggested at most 2 (a failed review)
    empty<=1     nearly empty answers suggested again or below
    ordered      pairs (good, partial), (partial, wrong), (good, wrong) of a card whose
                 suggested grades are strictly in that order

and the time one check takes once the model is loaded (median of the held-out answers).

    PYTHONPATH=src .venv/bin/python bench/bench_answers.py [--index DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from studyplan.adapters.answer_match import ClauseScores, Matching, clause_scores, point_credits
from studyplan.app.library import refresh, shipped_index_ready
from studyplan.app.workspace import Workspace
from studyplan.core.practice import GRADE_CUTS, answer_key_points, grade_from_share

TESTS = Path(__file__).resolve().parents[1] / "tests"
PARTS = {"tune": TESTS / "answers_tune.toml", "held-out": TESTS / "answers_heldout.toml"}
ORDER = (("good", "partial"), ("partial", "wrong"), ("good", "wrong"))
THRESHOLDS = [round(0.25 + 0.025 * step, 3) for step in range(19)]  # 0.25 .. 0.70
METHODS = {  # the share of the score that is lexical; whether swapped opposites are caught
    "embedding only": (0.0, False),
    "embedding + lexical, even": (0.5, False),
    "embedding + lexical, mostly lexical": (0.8, False),
    "embedding + lexical, mostly lexical, opposites caught (chosen)": (0.8, True),
    "lexical only": (1.0, False),
}


@dataclass(frozen=True)
class Labelled:
    card: str
    level: str
    text: str


def load(path: Path) -> list[Labelled]:
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["answer"]
    return [Labelled(row["card"], row["level"], row["text"]) for row in rows]


def scored(workspace: Workspace, answers: list[Labelled]) -> dict[tuple[str, str], ClauseScores]:
    cards = {card.id: card for card in workspace.cards}
    return {
        (a.card, a.level): clause_scores(workspace.index, answer_key_points(cards[a.card]), a.text)
        for a in answers
    }


def grades(
    scores: dict[tuple[str, str], ClauseScores], matching: Matching
) -> dict[tuple[str, str], int]:
    found = {}
    for key, clause in scores.items():
        credits = clause.credits(matching)
        found[key] = grade_from_share(sum(credits) / len(credits))
    return found


@dataclass(frozen=True)
class Figures:
    cards: int
    good_above_wrong: int
    good_at_least_4: int
    wrong_at_most_2: int
    empty_at_most_1: int
    ordered: int

    def score(self) -> float:
        return (
            self.good_above_wrong
            + self.good_at_least_4
            + self.wrong_at_most_2
            + self.empty_at_most_1 / 2
            + self.ordered / 3
        )

    def line(self) -> str:
        n = self.cards

        def share(count: int, total: int) -> str:
            return f"{count}/{total} ({100 * count / total:.0f}%)"

        return (
            f"good>wrong {share(self.good_above_wrong, n)}  good>=4 {share(self.good_at_least_4, n)}"
            f"  wrong<=2 {share(self.wrong_at_most_2, n)}  empty<=1 "
            f"{share(self.empty_at_most_1, n)}  ordered {share(self.ordered, 3 * n)}"
        )


def figures(found: dict[tuple[str, str], int]) -> Figures:
    cards = sorted({card for card, _ in found})
    return Figures(
        len(cards),
        sum(found[(c, "good")] > found[(c, "wrong")] for c in cards),
        sum(found[(c, "good")] >= 4 for c in cards),
        sum(found[(c, "wrong")] <= 2 for c in cards),
        sum(found[(c, "empty")] <= 1 for c in cards),
        sum(found[(c, high)] > found[(c, low)] for c in cards for high, low in ORDER),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="The shipped corpus's index folder.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        workspace = Workspace(Path(home), index_dir=args.index)
        if not shipped_index_ready(workspace):
            print("building the search index first", file=sys.stderr)
            refresh(workspace)
        parts = {name: load(path) for name, path in PARTS.items()}
        print(f"labelled answers: {', '.join(f'{n} {len(a)}' for n, a in parts.items())}")
        print(f"grade cuts (share of key points for grades 1-5): {GRADE_CUTS}")
        scores = {name: scored(workspace, answers) for name, answers in parts.items()}
        for method, (weight, opposites) in METHODS.items():
            tuned = max(
                THRESHOLDS,
                key=lambda t: figures(
                    grades(scores["tune"], Matching(weight, t, opposites))
                ).score(),
            )
            print(f"\n{method}: lexical weight {weight}, clause threshold {tuned} (tuned)")
            for name in parts:
                found = figures(grades(scores[name], Matching(weight, tuned, opposites)))
                print(f"  {name:9s} {found.line()}")
        cards = {card.id: card for card in workspace.cards}
        timings = []
        for answer in parts["held-out"]:
            started = time.perf_counter()
            point_credits(workspace.index, answer_key_points(cards[answer.card]), answer.text)
            timings.append(time.perf_counter() - started)
        print(
            f"\none check, model loaded: median {statistics.median(timings) * 1000:.0f} ms, "
            f"slowest {max(timings) * 1000:.0f} ms ({len(timings)} answers)"
        )


if __name__ == "__main__":
    main()
