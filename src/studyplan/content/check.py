"""`studyplan check`: every problem of the shipped corpus, with file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studyplan.content.cards import check_cards
from studyplan.content.guides import parse_guide


@dataclass
class CorpusReport:
    cards: int = 0
    card_files: int = 0
    sections: int = 0
    guide_files: int = 0
    problems: list[str] = field(default_factory=list)


def check_corpus(card_files: list[Path], guide_files: list[Path]) -> CorpusReport:
    report = CorpusReport(card_files=len(card_files), guide_files=len(guide_files))
    if not card_files:
        report.problems.append("no card files (corpus/cards/*.toml) found")
    cards, problems = check_cards(card_files, default_priority=None)
    report.cards = len(cards)
    report.problems.extend(problems)
    for path in guide_files:
        guide = parse_guide(path, report.problems)
        if guide is not None:
            report.sections += len(guide.sections)
    return report
