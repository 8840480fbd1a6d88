"""Practising a card for real: code run against the card's tests, a typed answer checked
against the model answer's key points. Both suggest a grade the user confirms; saving it is
`save_grade`, the same as any grade.

The entry points a front end uses: `starter_code`, `run_code`, `check_answer`, `save_grade`.
Running code needs no model and loads none; checking an answer loads the embedding model
(first use in a process) from the search index of the shipped corpus.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from studyplan.adapters.folders import PRACTICE_FOLDER
from studyplan.app import study
from studyplan.app.workspace import Workspace
from studyplan.core import practice
from studyplan.core.errors import StudyplanError
from studyplan.core.model import Card
from studyplan.core.srs.card_state import CardState, GradeKind

Notify = Callable[[str], None]  # hears what a check does that the user should know
MAX_CODE_BYTES = 256 * 1024  # a solution is a page or two of code
MAX_ANSWER_BYTES = 64 * 1024  # a typed answer is a few paragraphs


class NotACodeCard(StudyplanError):
    def __init__(self, card_id: str) -> None:
        super().__init__(
            f"{card_id} has no tests to run code against — practise it with a typed answer "
            "(`--answer FILE`, or type it at the prompt)"
        )


class CodeNotSaved(StudyplanError):
    """The practice file cannot be written."""


@dataclass(frozen=True, slots=True)
class CodeResult:
    """One run of the user's code against a card's tests.

    status: passed | failed | syntax-error | timeout | memory | crash. `passed` and `failed`
    count the tests' checks; `first_failure` is one line (the test line and the values it
    compared, or the error and where); `seconds` is the run's own time; `suggested_grade` is
    0-5 (again 1, hard 3, good 4, easy 5)."""

    status: str
    passed: int
    failed: int
    first_failure: str | None
    seconds: float
    suggested_grade: int
    output: str = ""  # the end of what the code printed


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """A typed answer checked against the card's key points (the model answer's bullets or
    sentences): those it covers and those it misses, in the card's order; `seconds` is the
    check's own time."""

    covered: list[str]
    missing: list[str]
    suggested_grade: int
    seconds: float


def code_card(workspace: Workspace, card_id: str) -> Card:
    """The card, which must carry tests (UnknownCard, NotACodeCard otherwise)."""
    card = study.find_card(workspace, card_id)
    if not practice.is_code_card(card):
        raise NotACodeCard(card_id)
    return card


def starter_code(workspace: Workspace, card_id: str) -> str:
    """The file to start from: the prompt as a comment, then the signatures to fill in."""
    return practice.starter_code(code_card(workspace, card_id))


def run_code(
    workspace: Workspace, card_id: str, code: str, *, attempt_seconds: float | None = None
) -> CodeResult:
    """Run `code` against the card's tests in a limited child process (the limits of
    `check --run`). `attempt_seconds`, the time since the attempt began, lets a quick pass
    suggest easy; without it a pass suggests good."""
    from studyplan.adapters.code_runner import run_tests

    card = code_card(workspace, card_id)
    run = run_tests(code, card.tests, code_name=f"{card.id}.py")
    minutes = card.minutes if attempt_seconds is not None else 0
    grade = practice.suggest_code_grade(
        run.status, run.passed, run.failed, attempt_seconds or 0.0, minutes
    )
    return CodeResult(
        run.status, run.passed, run.failed, run.first_failure, run.seconds, grade, run.output
    )


def check_answer(
    workspace: Workspace, card_id: str, answer: str, *, notify: Notify | None = None
) -> AnswerResult:
    """Compare a typed answer with the card's key points (loads the embedding model on first
    use in a process; builds the search index first if there is none, which `notify` hears)."""
    card = study.find_card(workspace, card_id)
    return check_points(workspace, practice.answer_key_points(card), answer, notify=notify)


def check_points(
    workspace: Workspace, points: Sequence[str], answer: str, *, notify: Notify | None = None
) -> AnswerResult:
    """`check_answer` against the points given (the mock's rubric)."""
    from studyplan.adapters.answer_match import point_credits

    _ensure_index(workspace, notify)
    started = time.perf_counter()
    credits = point_credits(workspace.index, points, answer)
    covered = [p for p, c in zip(points, credits, strict=True) if c >= practice.POINT_COVERED]
    missing = [p for p, c in zip(points, credits, strict=True) if c < practice.POINT_COVERED]
    share = sum(credits) / len(credits) if credits else 0.0
    grade = practice.grade_from_share(share)
    return AnswerResult(covered, missing, grade, time.perf_counter() - started)


def _ensure_index(workspace: Workspace, notify: Notify | None) -> None:
    from studyplan.app.library import refresh, shipped_index_ready

    if not shipped_index_ready(workspace):
        refresh(workspace, notify=notify)


def practice_file(workspace: Workspace, card_id: str) -> Path:
    """The user's file for a coding card, `practice/CARD_ID.py` in the workspace: written with
    the starter code the first time, kept as the user left it afterwards."""
    from studyplan.adapters.files import FileExists, write_atomic

    starter = starter_code(workspace, card_id)
    path = _practice_path(workspace, card_id)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExists):  # written meanwhile: it is the user's now
            write_atomic(path, starter.encode("utf-8"), replace=False)
    return path


def saved_code(workspace: Workspace, card_id: str) -> str:
    """The user's code for a coding card: their practice file as they left it (the one
    `studyplan practice` opens), else the starter code."""
    starter = starter_code(workspace, card_id)  # also checks it is a coding card
    path = _practice_path(workspace, card_id)
    return read_code(path) if path.exists() else starter


def save_code(workspace: Workspace, card_id: str, code: str) -> Path:
    """Keep `code` as the card's practice file, so the terminal and the page share it."""
    from studyplan.adapters.files import FileWriteError, write_atomic

    code_card(workspace, card_id)
    if len(code.encode("utf-8")) > MAX_CODE_BYTES:
        raise CodeNotSaved(f"the code is over {MAX_CODE_BYTES // 1024} KiB: not saved")
    path = _practice_path(workspace, card_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomic(path, code.encode("utf-8"))
    except OSError as exc:
        raise CodeNotSaved(f"cannot write {path}: {exc.strerror}") from None
    except FileWriteError as exc:
        raise CodeNotSaved(str(exc)) from None


def _practice_path(workspace: Workspace, card_id: str) -> Path:
    return workspace.home / PRACTICE_FOLDER / f"{card_id}.py"


def read_code(path: Path) -> str:
    """The user's code from a file they name (bounded, UTF-8)."""
    from studyplan.adapters.user_files import read_user_text

    return read_user_text(path, MAX_CODE_BYTES, "Python source")


def read_answer(path: Path) -> str:
    """A typed answer from a file the user names (bounded, UTF-8)."""
    from studyplan.adapters.user_files import read_user_text

    return read_user_text(path, MAX_ANSWER_BYTES, "a typed answer")


def save_grade(
    workspace: Workspace, card_id: str, quality: int, day: date, seconds: int | None
) -> tuple[CardState, GradeKind]:
    """Save the grade the user confirmed, with the attempt's seconds, as any grade is saved."""
    return study.grade_card(workspace, card_id, quality, day, seconds)
