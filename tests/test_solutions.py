"""Reference solutions: every shipped one passes its tests, and the runner reports failures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from studyplan.adapters.code_runner import Limits
from studyplan.adapters.content.solutions import run_solution, run_solutions
from studyplan.core.model import Card, Difficulty, Track


def make(solution: str, tests: str) -> Card:
    return Card(
        id="sample",
        track=Track.CODING,
        topic="t",
        companies=(),
        difficulty=Difficulty.EASY,
        minutes=5,
        prompt="p",
        answer="a",
        source="cards.toml:3",
        solution=solution,
        tests=tests,
    )


def test_every_shipped_solution_passes_its_tests(shipped_cards: tuple[Card, ...]) -> None:
    failures = [run.message() for run in run_solutions(shipped_cards) if not run.passed]
    assert failures == []


def test_the_ml_coding_cards_all_carry_solutions(shipped_cards: tuple[Card, ...]) -> None:
    ml_coding = [card for card in shipped_cards if card.topic == "ml from scratch"]
    assert len(ml_coding) >= 25
    assert all(card.solution and card.tests for card in ml_coding)
    assert all(card.track is Track.CODING for card in ml_coding)


def test_solutions_exist_where_code_is_the_answer(shipped_cards: tuple[Card, ...]) -> None:
    with_solutions = [card for card in shipped_cards if card.solution]
    by_topic = Counter(card.topic for card in with_solutions)
    assert sum(by_topic.values()) >= 50
    assert all(card.track is Track.CODING for card in with_solutions)


def test_a_failing_assertion_is_reported_with_file_line_card_and_values() -> None:
    result = run_solution(make("def f():\n    return 2\n", "assert f() == 1, 'f is wrong'\n"))
    assert not result.passed
    assert result.message() == (
        "cards.toml:3: card sample: solution fails its tests: failed: tests line 1: "
        "assert f() == 1, 'f is wrong' — AssertionError: f is wrong; left = 2, right = 1"
    )


def test_a_passing_card_and_a_crash() -> None:
    assert run_solution(make("x = 1\n", "assert x == 1\n")).passed
    crashed = run_solution(make("import no_such_module_here\n", "assert True\n"))
    assert not crashed.passed and "ModuleNotFoundError" in crashed.detail


def test_a_solution_that_never_ends_is_stopped() -> None:
    limits = Limits(wall_seconds=1.0, cpu_seconds=5)
    result = run_solution(make("while True:\n    pass\n", "assert True\n"), limits)
    assert not result.passed and result.detail == "timeout: stopped after 1 s of time"
    assert result.seconds < 5


def test_the_process_is_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No PYTHONPATH, no current folder on the path: a stray module cannot answer for numpy."""
    (tmp_path / "helper_module_xyz.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    result = run_solution(make("import helper_module_xyz\n", "assert True\n"))
    assert not result.passed and "ModuleNotFoundError" in result.detail


def test_results_keep_the_cards_order_and_skip_cards_without_code() -> None:
    cards = [make("x = 1\n", "assert x == 1\n"), make("", ""), make("x = 2\n", "assert x == 1\n")]
    runs = run_solutions(cards, workers=2)
    assert [run.passed for run in runs] == [True, False]
