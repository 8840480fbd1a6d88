"""`studyplan practice`: write code against a card's tests, or type an answer to be checked;
either way a suggested grade to confirm. `review --type` and `mock --type` use the same steps."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click
from rich.console import Console

from studyplan.app import practice, study
from studyplan.app.workspace import Workspace
from studyplan.cli import render, render_practice, render_study
from studyplan.cli.app import (
    ask,
    ask_quality,
    date_option,
    json_option,
    main,
    new_console,
    parse_quality,
    today_or,
)
from studyplan.core.model import Card
from studyplan.core.practice import is_code_card
from studyplan.core.records import MAX_SECONDS

# The practice stopwatch. Tests replace it to "take" any time without waiting.
clock: Callable[[], float] = time.monotonic


@main.command("practice")
@click.argument("card_id")
@click.option(
    "--code",
    "code_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Run this Python file against the card's tests (else the card's file in the "
    "workspace, opened in $EDITOR).",
)
@click.option(
    "--answer",
    "answer_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check the answer in this text file against the card's key points (else type it).",
)
@click.option(
    "--starter",
    is_flag=True,
    help="Print the card's starter code (prompt, signatures, empty bodies) and stop.",
)
@date_option
@json_option
@click.pass_obj
def practice_command(
    workspace: Workspace,
    card_id: str,
    code_path: Path | None,
    answer_path: Path | None,
    starter: bool,
    day: date | None,
    as_json: bool,
) -> None:
    """Practise a card for real: code cards run your code against their tests; any card
    checks a typed answer against its key points. You confirm the suggested grade, which is
    saved with the time taken. With --json: report only (save a grade with `grade`)."""
    if starter:
        click.echo(practice.starter_code(workspace, card_id), nl=False)
        return
    if code_path is not None and answer_path is not None:
        raise click.UsageError("give --code FILE or --answer FILE, not both")
    if as_json and code_path is None and answer_path is None:
        raise click.UsageError("--json reports on a file: give --code FILE or --answer FILE")
    card = study.find_card(workspace, card_id)
    typed = answer_path is not None or (code_path is None and not is_code_card(card))
    # Files are read (and refused) before anything is shown.
    answer = practice.read_answer(answer_path) if answer_path is not None else None
    code = None
    if code_path is not None:
        practice.code_card(workspace, card.id)
        code = practice.read_code(code_path)
    if as_json:
        if answer is not None:
            result = practice.check_answer(workspace, card.id, answer)
            click.echo(render.to_json(render_practice.answer_json(card.id, result)))
        elif code is not None:
            ran = practice.run_code(workspace, card.id, code)
            click.echo(render.to_json(render_practice.code_json(card.id, ran)))
        return
    console = new_console()
    console.rule(render.literal(f"{card.id} · {card.track.value} · {card.minutes} min"))
    console.print(render.literal(card.prompt))
    started = clock()
    if typed:
        quality = practise_answer(console, workspace, card, answer)
    else:
        quality = practise_code(console, workspace, card, code_path, started)
    if quality is None:
        console.print("No grade given; nothing saved.")
        return
    seconds = min(MAX_SECONDS, max(0, round(clock() - started)))
    state, kind = practice.save_grade(workspace, card.id, quality, today_or(day), seconds)
    render_study.print_grade(console, card.id, quality, state, kind, workspace.settings())


def practise_code(
    console: Console,
    workspace: Workspace,
    card: Card,
    code_path: Path | None,
    started: float,
) -> int | None:
    """Edit and run until the user grades (the quality) or quits (None)."""
    path = code_path if code_path is not None else practice.practice_file(workspace, card.id)
    console.print(render.literal(f"Your code: {path}"))
    if code_path is None:
        _edit(console, path)
    while True:
        result = practice.run_code(
            workspace, card.id, practice.read_code(path), attempt_seconds=clock() - started
        )
        render_practice.print_code_result(console, result)
        suggested = render_practice.grade_name(result.suggested_grade)
        while True:
            answer = ask(
                f"Enter saves {suggested}; or again/hard/good/easy/0-5; r runs again; "
                "e edits; q quits",
                console,
            )
            if answer == "q":
                return None
            if answer == "":
                return result.suggested_grade
            if answer in ("r", "e"):
                break
            quality = parse_quality(answer)
            if quality is not None:
                return quality
            console.print(render.literal(f"{answer!r} is not a grade or a key.", style="red"))
        if answer == "e":
            _edit(console, path)


def _edit(console: Console, path: Path) -> None:
    """Open the file in $VISUAL or $EDITOR; without one, wait while the user edits it."""
    if os.environ.get("VISUAL") or os.environ.get("EDITOR"):
        click.edit(filename=str(path))
    else:
        ask("Edit the file in your editor, then press Enter to run it", console)


def practise_answer(
    console: Console, workspace: Workspace, card: Card, answer: str | None
) -> int | None:
    """Check the answer (typed at the prompt when None) and ask for the grade (None: quit)."""
    result = check_typed(console, workspace, card, answer)
    if result is None:
        return None
    return ask_confirmed_grade(console, result.suggested_grade)


def check_typed(
    console: Console, workspace: Workspace, card: Card, answer: str | None
) -> practice.AnswerResult | None:
    text = answer if answer is not None else type_answer(console)
    if not text.strip() or (answer is None and quits(text)):
        return None
    with console.status("Checking your answer against the key points..."):
        result = practice.check_answer(workspace, card.id, text, notify=say(console))
    render_practice.print_answer_result(console, result)
    return result


def type_answer(console: Console) -> str:
    """Lines typed at the prompt until an empty line (or the end of input), bounded."""
    console.print("Type your answer; an empty line ends it (q alone quits).", style="bold")
    lines: list[str] = []
    size = 0
    while size <= practice.MAX_ANSWER_BYTES:
        line = sys.stdin.readline()
        if not lines and quits(line):
            return "q"
        if not line.strip():
            break
        lines.append(line.rstrip("\n"))
        size += len(line)
    return "\n".join(lines)


def say(console: Console) -> Callable[[str], None]:
    """What the checker tells the user (building the index the first time), one line each."""
    return lambda message: console.print(render.literal(message))


def quits(typed: str) -> bool:
    """A typed answer that is only "q": the user stops here."""
    return typed.strip().lower() == "q"


def ask_confirmed_grade(console: Console, suggested: int) -> int | None:
    name = render_practice.grade_name(suggested)
    return ask_quality(
        console, f"Enter saves {name}; or again/hard/good/easy/0-5; q quits", suggested
    )
