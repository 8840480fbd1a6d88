"""How practice shows a run of the user's code and a checked answer, as text or JSON."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from studyplan.app.practice import AnswerResult, CodeResult
from studyplan.cli.render import literal

GRADE_NAMES = {0: "0", 1: "again", 2: "2", 3: "hard", 4: "good", 5: "easy"}
OUTPUT_LINES = 8  # the last lines the code printed, shown after a failure


def grade_name(quality: int) -> str:
    return GRADE_NAMES.get(quality, str(quality))


def print_code_result(console: Console, result: CodeResult) -> None:
    total = result.passed + result.failed
    took = f"{result.seconds:.1f} s"
    if result.status == "passed":
        console.print(f"All {total} checks pass in {took}.", style="green")
    elif result.status == "failed":
        console.print(
            f"{result.failed} of {total} checks fail ({result.passed} pass) in {took}.",
            style="red",
        )
    else:
        headline = {
            "syntax-error": "Syntax error",
            "timeout": "Stopped: out of time",
            "memory": "Stopped: out of memory",
            "crash": "The run crashed",
        }.get(result.status, result.status)
        console.print(f"{headline} ({took}).", style="red")
    if result.first_failure:
        console.print(literal(f"First failure: {result.first_failure}"))
    if result.status != "passed" and result.output.strip():
        console.print("Your code printed (last lines):", style="bold")
        for line in result.output.rstrip().splitlines()[-OUTPUT_LINES:]:
            console.print(literal(f"  {line}"))
    console.print(f"Suggested grade: {grade_name(result.suggested_grade)}.", style="bold")


def print_answer_result(console: Console, result: AnswerResult) -> None:
    total = len(result.covered) + len(result.missing)
    console.print(f"Your answer covers {len(result.covered)} of {total} key points.", style="bold")
    for point in result.covered:
        console.print(literal(f"  ✓ {point}", style="green"))
    for point in result.missing:
        console.print(literal(f"  ✗ {point}", style="yellow"))
    console.print(f"Suggested grade: {grade_name(result.suggested_grade)}.", style="bold")


def code_json(card_id: str, result: CodeResult) -> dict[str, Any]:
    return {
        "card_id": card_id,
        "kind": "code",
        "suggested_grade": result.suggested_grade,
        "seconds": round(result.seconds, 3),
        "tests": {
            "status": result.status,
            "passed": result.passed,
            "failed": result.failed,
            "first_failure": result.first_failure,
        },
        "output": result.output,
    }


def answer_json(card_id: str, result: AnswerResult) -> dict[str, Any]:
    return {
        "card_id": card_id,
        "kind": "answer",
        "suggested_grade": result.suggested_grade,
        "seconds": round(result.seconds, 3),
        "covered": result.covered,
        "missing": result.missing,
    }
