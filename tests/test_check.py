"""`studyplan check`: guide dates, stale-guide warnings and `--run` over reference solutions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.content.guides import parse_guide, stale_warning

Run = Callable[..., Result]
SOURCE = '[[sources]]\nkey = "a-survey"\ntitle = "A survey"\npublisher = "P"\ndate = "2025"\n'
BODY = "\n# Guide\n\n## A section\n\n" + "word " * 60 + "[^a-survey]\n"
CARDS = (
    'track = "coding"\n\n'
    '[[card]]\nid = "good"\ntopic = "t"\ndifficulty = "easy"\npriority = "core"\nminutes = 5\n'
    'prompt = "p1"\nanswer = "a"\nsolution = "x = 1"\ntests = "assert x == 1"\n\n'
    '[[card]]\nid = "bad"\ntopic = "t"\ndifficulty = "easy"\npriority = "core"\nminutes = 5\n'
    'prompt = "p2"\nanswer = "a"\nsolution = "x = 2"\ntests = "assert x == 1, \'x is off\'"\n'
)


def guide(tmp_path: Path, front: str) -> Path:
    path = tmp_path / "guide.md"
    path.write_text(f"+++\n{front}\n{SOURCE}+++\n{BODY}", encoding="utf-8")
    return path


def test_as_of_is_parsed_and_required_when_asked(tmp_path: Path) -> None:
    problems: list[str] = []
    parsed = parse_guide(guide(tmp_path, "as_of = 2026-11-01"), problems, require_as_of=True)
    assert problems == [] and parsed is not None and parsed.as_of == date(2026, 11, 1)
    undated = guide(tmp_path, 'track = "career"')
    assert parse_guide(undated, problems) is not None and problems == []
    parse_guide(undated, problems, require_as_of=True)
    assert problems == [f"{undated}:1: front matter has no as_of date (as_of = YYYY-MM-DD)"]


@pytest.mark.parametrize("value", ['"2026-11-01"', "2026-11-01T10:00:00", "20261101"])
def test_as_of_must_be_a_plain_date(tmp_path: Path, value: str) -> None:
    problems: list[str] = []
    path = guide(tmp_path, f"as_of = {value}")
    parsed = parse_guide(path, problems)
    assert parsed is not None and parsed.as_of is None
    assert problems == [f"{path}:1: as_of must be a date without a time, like as_of = 2026-11-01"]


def test_a_guide_older_than_a_year_is_stale(tmp_path: Path) -> None:
    parsed = parse_guide(guide(tmp_path, "as_of = 2025-11-26"), [])
    assert parsed is not None
    assert stale_warning(parsed, date(2026, 11, 26)) is None  # exactly 365 days
    warning = stale_warning(parsed, date(2026, 11, 27))
    assert warning is not None and "dated 2025-11-26, over a year before 2026-11-27" in warning


def corpus_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cards: str) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "cards").mkdir(parents=True)
    (corpus / "guides").mkdir()
    (corpus / "cards" / "cards.toml").write_text(cards, encoding="utf-8")
    (corpus / "guides" / "one.md").write_text(
        f"+++\nas_of = 2026-01-10\n{SOURCE}+++\n{BODY}", encoding="utf-8"
    )
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(corpus))
    return corpus


def test_check_validates_without_running_and_warns_about_old_guides(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = corpus_with(tmp_path, monkeypatch, CARDS)
    fresh = run("check", "--date", "2026-06-01")
    assert fresh.exit_code == 0, fresh.output
    assert fresh.output == "ok: 2 cards in 1 files, 1 guide sections in 1 guides\n"
    old = run("check", "--date", "2027-03-01")
    assert old.exit_code == 0  # a warning, not an error
    assert old.output.splitlines() == [
        f"warning: {corpus / 'guides' / 'one.md'}:1: guide is dated 2026-01-10, over a year "
        "before 2027-03-01 — check its facts and move as_of forward",
        "ok: 2 cards in 1 files, 1 guide sections in 1 guides",
    ]


def test_check_run_reports_each_failing_solution(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = corpus_with(tmp_path, monkeypatch, CARDS)
    result = run("check", "--run", "--date", "2026-06-01")
    assert result.exit_code == 1
    cards = corpus / "cards" / "cards.toml"
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{cards}:14: card bad: solution fails its tests: ")
    assert "AssertionError: x is off" in lines[0]
    assert lines[-1] == "Error: 1 problem(s) in the corpus"


def test_check_run_passes_when_every_solution_does(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_with(tmp_path, monkeypatch, CARDS.split('\n\n[[card]]\nid = "bad"')[0] + "\n")
    result = run("check", "--run", "--date", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 1 cards in 1 files, 1 guide sections in 1 guides; ")
    assert "1 solutions pass their tests" in result.output


def test_check_reports_each_uncited_figure_with_its_file_and_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = corpus_with(tmp_path, monkeypatch, CARDS.split('\n\n[[card]]\nid = "bad"')[0] + "\n")
    guide = corpus / "guides" / "one.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + "\nEntry offers start near $150,000.\n",
        encoding="utf-8",
    )
    line = len(guide.read_text(encoding="utf-8").splitlines())
    result = run("check", "--date", "2026-06-01")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{guide}:{line}: '$150,000' is a figure in a paragraph that cites no source (add [^key] "
        "for one of the guide's sources, or leave the figure out)",
        "Error: 1 problem(s) in the corpus",
    ]


def test_check_run_says_whose_code_it_runs(run: Run, isolated_home: Path) -> None:
    cards = isolated_home / "cards"
    cards.mkdir(parents=True)
    (cards / "mine.toml").write_text(
        'track = "coding"\n\n[[card]]\nid = "own-double"\ntopic = "arith"\ndifficulty = "easy"\n'
        'minutes = 3\nprompt = "Double it."\nanswer = "x * 2"\n'
        'solution = "def double(x):\\n    return x * 2\\n"\ntests = "assert double(2) == 4\\n"\n',
        encoding="utf-8",
    )
    result = run("check", "--run")
    assert result.stderr.startswith(
        "Running the code of 1 of your own card(s) as your user, each in its own Python process"
    )
    assert "own-double" in result.stderr.splitlines()[0]
