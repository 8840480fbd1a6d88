"""`studyplan practice` on code cards, `review --type` on them, and the pure practice rules."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.code_runner import run_tests
from studyplan.cli import practice_commands
from studyplan.core.model import Card, Difficulty, Track
from studyplan.core.practice import (
    GRADE_CUTS,
    answer_key_points,
    clauses,
    contrast_words,
    grade_from_share,
    is_code_card,
    says_the_opposite,
    starter_code,
    suggest_code_grade,
)

Run = Callable[..., Result]
CARD = "coding-two-sum"  # 6 minutes; 5 checks
RIGHT = """\
def two_sum(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
"""
WRONG = "def two_sum(nums, target):\n    return [0, 1]\n"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The practice stopwatch: each reading takes the next value (the last one repeats)."""
    readings: list[float] = [0.0]

    def now() -> float:
        return readings.pop(0) if len(readings) > 1 else readings[0]

    monkeypatch.setattr(practice_commands, "clock", now)
    yield readings


def history(run: Run, card_id: str) -> list[dict[str, object]]:
    shown = json.loads(run("show", card_id, "--json", "--date", "2026-12-01").output)
    return list(shown["history"])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_passing_code_suggests_good_and_enter_saves_it_with_the_time(
    run: Run, tmp_path: Path, clock: list[float]
) -> None:
    clock[:] = [0.0, 200.0, 250.0]  # start, the run (over half of 6 min? no: 200 s), the grade
    code = write(tmp_path, "mine.py", RIGHT)
    result = run("practice", CARD, "--code", str(code), "--date", "2026-12-01", input="\n")
    assert result.exit_code == 0, result.output
    assert "All 5 checks pass in " in result.output
    assert "Suggested grade: good." in result.output
    (logged,) = history(run, CARD)
    assert (logged["quality"], logged["seconds"]) == (4, 250)


def test_a_quick_pass_suggests_easy(run: Run, tmp_path: Path, clock: list[float]) -> None:
    clock[:] = [0.0, 60.0, 70.0]
    code = write(tmp_path, "mine.py", RIGHT)
    result = run("practice", CARD, "--code", str(code), "--date", "2026-12-01", input="\n")
    assert "Suggested grade: easy." in result.output
    assert history(run, CARD)[0]["quality"] == 5


def test_a_failure_shows_the_first_failing_check_and_the_user_can_change_the_grade(
    run: Run, tmp_path: Path, clock: list[float]
) -> None:
    code = write(tmp_path, "mine.py", WRONG)
    result = run("practice", CARD, "--code", str(code), "--date", "2026-12-01", input="hard\n")
    assert "3 of 5 checks fail (2 pass)" in result.output
    assert "First failure: tests line 5: assert two_sum([3, 2, 4], 6) == [1, 2]" in result.output
    assert "AssertionError: left = [0, 1], right = [1, 2]" in result.output.replace("\n", " ")
    assert "Suggested grade: again." in result.output
    assert history(run, CARD)[0]["quality"] == 3


def test_r_runs_the_file_again_after_a_fix(run: Run, tmp_path: Path, clock: list[float]) -> None:
    code = write(tmp_path, "mine.py", WRONG)
    # The editor session is a script: the fix lands between the first run and the second.
    fixer = write(
        tmp_path,
        "fix.py",
        f"import pathlib\npathlib.Path({str(code)!r}).write_text({RIGHT!r})\n",
    )
    os.environ["EDITOR"] = f"{sys.executable} {fixer}"
    try:
        result = run("practice", CARD, "--code", str(code), "--date", "2026-12-01", input="e\n\n")
    finally:
        del os.environ["EDITOR"]
    assert result.output.index("3 of 5 checks fail") < result.output.index("All 5 checks pass")
    assert history(run, CARD)[0]["quality"] in (4, 5)
    again = run("practice", CARD, "--code", str(code), "--date", "2026-12-01", input="r\nq\n")
    assert again.output.count("All 5 checks pass") == 2
    assert "No grade given; nothing saved." in again.output
    assert len(history(run, CARD)) == 1


def test_without_code_the_starter_file_is_written_once_and_opened_in_the_editor(
    run: Run, tmp_path: Path, isolated_home: Path, clock: list[float]
) -> None:
    editor = write(
        tmp_path, "editor.py", "import sys\nopen(sys.argv[1], 'a').write('\\n# seen\\n')\n"
    )
    os.environ["EDITOR"] = f"{sys.executable} {editor}"
    try:
        result = run("practice", CARD, "--date", "2026-12-01", input="q\n")
        run("practice", CARD, "--date", "2026-12-01", input="q\n")
    finally:
        del os.environ["EDITOR"]
    path = isolated_home / "practice" / f"{CARD}.py"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {CARD}\n#\n# Given an unsorted integer array")
    assert "def two_sum(nums, target):\n    pass\n" in text
    assert text.count("# seen") == 2  # opened twice, never written over
    assert "0 of 5 checks pass" not in result.output and "5 of 5 checks fail" in result.output


def test_starter_prints_the_starter_code(run: Run) -> None:
    result = run("practice", "coding-reverse-linked-list", "--starter")
    assert result.exit_code == 0
    assert "class ListNode:\n    def __init__(self, val, next=None):\n" in result.output
    assert "def reverse_iterative(head):\n    pass\n" in result.output
    assert "previous = None" not in result.output  # nothing of the solution's bodies
    failing = run("practice", "ml-kv-cache", "--starter")
    assert failing.exit_code == 1 and "has no tests to run code against" in failing.output


def test_json_reports_the_run_and_saves_nothing(run: Run, tmp_path: Path) -> None:
    code = write(tmp_path, "mine.py", WRONG)
    result = run("practice", CARD, "--code", str(code), "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert set(report) == {"card_id", "kind", "suggested_grade", "seconds", "tests", "output"}
    assert report["kind"] == "code" and report["suggested_grade"] == 1
    assert report["tests"] == {
        "status": "failed",
        "passed": 2,
        "failed": 3,
        "first_failure": "tests line 5: assert two_sum([3, 2, 4], 6) == [1, 2]  "
        "# not the same element twice — AssertionError: left = [0, 1], right = [1, 2]",
    }
    assert 0 < report["seconds"] < 30
    assert history(run, CARD) == []


def test_json_of_a_syntax_error(run: Run, tmp_path: Path) -> None:
    code = write(tmp_path, "mine.py", RIGHT + "def (\n")
    report = json.loads(run("practice", CARD, "--code", str(code), "--json").output)
    assert report["tests"]["status"] == "syntax-error" and report["suggested_grade"] == 1
    assert report["tests"]["first_failure"].startswith(f"{CARD}.py line 7: ")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--code", "a.py", "--answer", "b.txt"], 2, "give --code FILE or --answer FILE, not both"),
        (["--json"], 2, "--json reports on a file: give --code FILE or --answer FILE"),
    ],
)
def test_usage_errors(run: Run, args: list[str], code: int, message: str) -> None:
    result = run("practice", CARD, *args)
    assert result.exit_code == code and message in result.output


def test_bad_input_is_one_line_and_exit_1(run: Run, tmp_path: Path) -> None:
    missing = run("practice", CARD, "--code", str(tmp_path / "nope.py"))
    assert missing.exit_code == 1
    assert missing.output == f"Error: {tmp_path / 'nope.py'}: no such file\n"
    unknown = run("practice", "no-such-card", "--code", str(tmp_path / "nope.py"))
    assert unknown.exit_code == 1 and "no card with id 'no-such-card'" in unknown.output
    code = write(tmp_path, "mine.py", RIGHT)
    not_code = run("practice", "ml-kv-cache", "--code", str(code), "--json")
    assert not_code.exit_code == 1
    assert "ml-kv-cache has no tests to run code against" in not_code.output
    binary = tmp_path / "bin.py"
    binary.write_bytes(b"\x00\x01")
    assert run("practice", CARD, "--code", str(binary)).exit_code == 1


def test_review_type_runs_code_cards_against_their_tests(run: Run, clock: list[float]) -> None:
    # No editor: the session waits for Enter, runs the starter file, the user takes the
    # suggestion, and quits at the next card.
    run("grade", "coding-merge-intervals", "again", "--date", "2026-11-30")
    result = run(
        "review", "--type", "--topic", "intervals", "--date", "2026-12-01", input="\n\nq\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "Edit the file in your editor, then press Enter to run it" in result.output
    assert "Suggested grade: again." in result.output
    assert "Graded 1 card(s); every grade is saved." in result.output
    assert [g["quality"] for g in history(run, "coding-merge-intervals")] == [1, 1]


def test_practice_needs_no_heavy_import(tmp_path: Path) -> None:
    code = write(tmp_path, "mine.py", RIGHT)
    probe = (
        "import sys\nfrom studyplan.cli import main\n"
        "try:\n    main(sys.argv[1:], standalone_mode=False)\nfinally:\n"
        "    heavy = [m for m in ('numpy', 'onnxruntime', 'faiss', 'torch') if m in sys.modules]\n"
        "    print('HEAVY:' + ','.join(heavy), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "practice", CARD, "--code", str(code), "--json"],
        env={**os.environ, "STUDYPLAN_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY:\n" in done.stderr


# The rules, without a process.


def test_suggested_code_grades() -> None:
    six_minutes = 6
    assert suggest_code_grade("passed", 5, 0, 100.0, six_minutes) == 5
    assert suggest_code_grade("passed", 5, 0, 181.0, six_minutes) == 4
    assert suggest_code_grade("failed", 4, 1, 10.0, six_minutes) == 3
    assert suggest_code_grade("failed", 2, 2, 10.0, six_minutes) == 1
    for status in ("syntax-error", "timeout", "memory", "crash"):
        assert suggest_code_grade(status, 4, 1, 10.0, six_minutes) == 1


def test_grade_from_share_follows_the_cuts() -> None:
    assert grade_from_share(0.0) == 0
    assert [grade_from_share(cut) for cut in GRADE_CUTS] == [1, 2, 3, 4, 5]
    assert grade_from_share(1.0) == 5


def test_clauses_split_where_a_point_changes_claim() -> None:
    point = "Sort by start; then merge, which takes O(n): the sort dominates."
    assert clauses(point) == [
        "Sort by start",
        "then merge",
        "which takes O(n)",
        "the sort dominates",
    ]
    assert clauses("Short.") == ["Short."]


def test_behavioral_probing_notes_are_not_points_to_make(shipped_cards: tuple[Card, ...]) -> None:
    card = next(c for c in shipped_cards if c.id == "beh-conflict-pm-metric")
    points = answer_key_points(card)
    assert len(points) == 4 and points[0].startswith("S/T:")


def test_a_paragraph_answer_is_checked_sentence_by_sentence() -> None:
    card = Card(
        "own", Track.ML, "t", (), Difficulty.EASY, 3, "Why?", "First reason. Second reason here."
    )
    assert answer_key_points(card) == ("First reason.", "Second reason here.")


def test_every_starter_file_runs_and_fails_cleanly(shipped_cards: tuple[Card, ...]) -> None:
    """The starter of each coding card compiles, keeps what the tests build on, and fails
    its checks (never a syntax error or crash). Sampled: one card in five."""
    coding = [card for card in shipped_cards if is_code_card(card)][::5]
    assert len(coding) >= 30
    for card in coding:
        run = run_tests(starter_code(card), card.tests)
        assert run.status == "failed", (card.id, run)


def test_a_typed_answer_of_q_quits_before_any_check(run: Run) -> None:
    result = run("practice", "ml-kv-cache", "--date", "2026-12-01", input="q\n")
    assert result.exit_code == 0
    assert "Type your answer; an empty line ends it (q alone quits)." in result.output
    assert result.output.endswith("No grade given; nothing saved.\n")
    assert history(run, "ml-kv-cache") == []


def test_mock_type_quits_on_q(run: Run) -> None:
    result = run("mock", "--type", "--date", "2026-12-01", input="q\nfirst line of nothing\n")
    assert result.exit_code == 0
    assert "Graded 0 of 3 question(s)" in result.output


def _returning_none(solution: str) -> str:
    tree = ast.parse(textwrap.dedent(solution))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            node.body = [ast.Return(value=ast.Constant(value=None))]
    return ast.unparse(ast.fix_missing_locations(tree))


@pytest.mark.parametrize(
    "card_id", ["coding-lru-cache", "coding-number-of-islands", "ml-code-kmeans"]
)
def test_the_reference_suggests_a_pass_and_broken_versions_a_failure(
    card_id: str, isolated_home: Path
) -> None:
    from studyplan.app.practice import run_code
    from studyplan.app.workspace import Workspace

    workspace = Workspace(isolated_home)
    card = next(c for c in workspace.cards if c.id == card_id)
    minutes = card.minutes * 60.0
    assert run_code(workspace, card_id, card.solution, attempt_seconds=minutes).suggested_grade == 4
    emptied = run_code(workspace, card_id, _returning_none(card.solution))
    assert emptied.status in ("failed", "crash") and emptied.suggested_grade in (1, 3)
    broken = run_code(workspace, card_id, card.solution + "\nnot python (\n")
    assert (broken.status, broken.suggested_grade) == ("syntax-error", 1)


def test_an_answer_that_swaps_a_term_for_its_opposite_says_the_opposite() -> None:
    key = contrast_words("L1 (lasso) sets many weights exactly to zero")
    assert says_the_opposite(key, contrast_words("L2 sets the weights exactly to zero"))
    assert not says_the_opposite(key, contrast_words("lasso sets many weights exactly to zero"))
    assert not says_the_opposite(key, contrast_words("unlike L2, L1 zeroes many weights"))
    both = contrast_words("Training uses batch statistics, inference the running averages")
    assert not says_the_opposite(both, contrast_words("at inference it uses running averages"))
