"""`studyplan check`: every problem of the shipped corpus and of the user's own cards, with
file and line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from studyplan.adapters.content.cards import check_cards
from studyplan.adapters.content.guides import parse_guide, stale_warning


@dataclass
class CorpusReport:
    cards: int = 0
    card_files: int = 0
    sections: int = 0
    guide_files: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    solutions_run: int = 0
    solutions_failed: int = 0
    solutions_seconds: float = 0.0
    own_cards: int = 0
    own_files: int = 0


def check_corpus(
    card_files: list[Path],
    guide_files: list[Path],
    today: date | None = None,
    run_solutions: bool = False,
    own_files: Sequence[Path] = (),
) -> CorpusReport:
    """Validate cards and guides (a guide's sources and citations included: see
    `adapters/content/citations.py`), and the user's own card files (`own_files`: stories and
    `cards/`) as the workspace loads them; with `today`, warn about guides dated over a year
    before it; with `run_solutions`, also run every card's reference solution against its tests."""
    report = CorpusReport(card_files=len(card_files), guide_files=len(guide_files))
    if not card_files:
        report.problems.append("no card files (corpus/cards/*.toml) found")
    cards, problems = check_cards(card_files, default_priority=None)
    report.cards = len(cards)
    report.problems.extend(problems)
    if own_files:
        from studyplan.adapters.own_cards import check_own_cards

        own, own_problems = check_own_cards(own_files)
        report.own_cards, report.own_files = len(own), len(own_files)
        report.problems.extend(own_problems)
        cards = cards + own
    for path in guide_files:
        guide = parse_guide(path, report.problems, require_as_of=True, require_sources=True)
        if guide is not None:
            report.sections += len(guide.sections)
            warning = stale_warning(guide, today) if today is not None else None
            if warning:
                report.warnings.append(warning)
    if run_solutions:
        import time

        from studyplan.adapters.content.solutions import run_solutions as run_all

        started = time.perf_counter()
        runs = run_all(cards)
        report.solutions_seconds = time.perf_counter() - started
        report.solutions_run = len(runs)
        failures = [run for run in runs if not run.passed]
        report.solutions_failed = len(failures)
        report.problems.extend(run.message() for run in failures)
    return report
