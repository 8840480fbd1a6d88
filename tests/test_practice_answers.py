"""Typed answers checked against key points, with the real model and the real corpus index:
the labelled answers (tune and held-out), the CLI prompt, JSON, and the mock's suggested ticks."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.app.practice import check_answer
from studyplan.app.workspace import Workspace

pytestmark = pytest.mark.model
Run = Callable[..., Result]
TESTS = Path(__file__).resolve().parent
ORDER = (("good", "partial"), ("partial", "wrong"), ("good", "wrong"))


@pytest.fixture
def workspace(index_dir: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("STUDYPLAN_INDEX", str(index_dir))
    return Workspace(isolated_home, index_dir=index_dir)


@pytest.fixture(scope="module")
def labelled() -> dict[str, list[dict[str, str]]]:
    return {
        part: tomllib.loads((TESTS / f"answers_{part}.toml").read_text(encoding="utf-8"))["answer"]
        for part in ("tune", "heldout")
    }


@pytest.mark.parametrize("part", ["tune", "heldout"])
def test_labelled_answers_are_graded_in_the_order_of_their_labels(
    workspace: Workspace, labelled: dict[str, list[dict[str, str]]], part: str
) -> None:
    grades = {
        (a["card"], a["level"]): check_answer(workspace, a["card"], a["text"]).suggested_grade
        for a in labelled[part]
    }
    cards = sorted({card for card, _ in grades})
    assert len(cards) == 12 and {c.split("-")[0] for c in cards} >= {
        "coding",
        "ml",
        "sd",
        "beh",
        "co",
    }
    assert all(grades[(c, "good")] > grades[(c, "wrong")] for c in cards)
    assert sum(grades[(c, "good")] >= 4 for c in cards) >= 0.8 * len(cards)
    assert sum(grades[(c, "wrong")] <= 2 for c in cards) >= 0.8 * len(cards)
    assert all(grades[(c, "empty")] <= 1 for c in cards)
    ordered = sum(grades[(c, high)] > grades[(c, low)] for c in cards for high, low in ORDER)
    assert ordered >= 0.75 * 3 * len(cards)


def test_keyword_soup_with_the_wrong_mechanism_is_not_good(workspace: Workspace) -> None:
    soup = (
        "L2 regularisation makes weights sparse because squaring pushes small weights to zero, "
        "while L1 (lasso) shrinks all weights smoothly and never sets any exactly to zero. "
        "The L2 region is a diamond with corners on the axes."
    )
    result = check_answer(workspace, "ml-l1-vs-l2-regularization", soup)
    assert result.suggested_grade < 4  # it uses every word of the model answer: hard at best


def test_an_answer_costs_under_a_second_once_the_model_is_loaded(workspace: Workspace) -> None:
    check_answer(workspace, "ml-kv-cache", "It keeps keys and values of earlier tokens.")
    result = check_answer(
        workspace,
        "ml-kv-cache",
        "The keys and values of past tokens do not change under the causal mask, so each layer "
        "keeps them and a step only computes the new token's query, key and value. It costs "
        "memory: 2 x layers x heads x head dim x tokens x bytes, and decoding becomes bound by "
        "memory bandwidth. Grouped-query attention and paged caches reduce it.",
    )
    assert result.seconds < 1.0
    assert result.suggested_grade >= 3


def test_typed_at_the_prompt_checked_and_saved(
    run: Run, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = (
        "Scan the array once with a dict from each value seen to its index.\n"
        "For x at index i look up target - x before storing x, and return both indices.\n"
        "\n"
    )
    result = run("practice", "coding-two-sum", "--answer", "/dev/null", input="")
    assert result.exit_code == 1 and "is a device" in result.output
    result = run("practice", "ml-kv-cache", "--date", "2026-12-01", input=typed + "\n")
    assert result.exit_code == 0, result.output
    assert "Type your answer; an empty line ends it (q alone quits)." in result.output
    assert "Your answer covers 0 of 5 key points." in result.output  # the wrong card's answer
    assert "Suggested grade: 0." in result.output
    shown = json.loads(run("show", "ml-kv-cache", "--json", "--date", "2026-12-01").output)
    assert [g["quality"] for g in shown["history"]] == [0]


def test_answer_json(run: Run, workspace: Workspace, tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(
        "Scan once with a hash map from value to index. For each x look up target - x before "
        "inserting x, then return the two indices. Linear time and linear extra space.",
        encoding="utf-8",
    )
    result = run("practice", "coding-two-sum", "--answer", str(answer), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"card_id", "kind", "suggested_grade", "seconds", "covered", "missing"}
    assert report["kind"] == "answer"
    assert len(report["covered"]) + len(report["missing"]) == 4
    assert report["covered"][0].startswith("Scan once, keeping a hash map")
    assert 0 <= report["suggested_grade"] <= 5 and report["seconds"] < 5


def test_the_mock_suggests_ticks_from_a_typed_answer(run: Run, workspace: Workspace) -> None:
    # The 2026-12-01 mock (no company) opens with the stock-trading question; answer it,
    # accept the suggested ticks, then quit.
    typed = (
        "One pass keeping the lowest price seen so far; selling today earns the price minus "
        "that lowest, so keep the best of those.\n"
        "O(n) time and O(1) space.\n"
        "\n"
    )
    result = run("mock", "--type", "--date", "2026-12-01", input=typed + "\nq\n")
    assert result.exit_code == 0, result.output
    assert "coding-best-time-to-buy-sell-stock" in result.output
    found = re.search(r"Enter accepts the points your answer covers \(([\d ]+)\)", result.output)
    assert found is not None, result.output
    ticks = found.group(1).split()
    assert "1" in ticks and "3" not in ticks  # the one pass, not Kadane's view
    assert f"Covered {len(ticks)} of 5 points" in result.output
