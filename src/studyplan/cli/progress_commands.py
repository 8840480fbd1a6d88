"""Knowing where you stand: stats, mock interviews, and your own behavioral stories."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from studyplan.adapters.story_files import story_from_markdown
from studyplan.adapters.user_files import MAX_STORY_BYTES, read_user_text
from studyplan.app import mock as mock_core
from studyplan.app import stories
from studyplan.app.report import stats_for
from studyplan.app.workspace import Workspace
from studyplan.cli import render, render_progress, render_study
from studyplan.cli.app import ask, date_option, json_option, main, new_console, today_or
from studyplan.core import mock as mock_model
from studyplan.core import stories as story_model
from studyplan.core.model import COMPANIES
from studyplan.core.text_safety import one_line

# The mock's stopwatch. Tests replace it to "take" any time without waiting.
clock: Callable[[], float] = time.monotonic


@main.command()
@date_option
@json_option
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures as charts to this self-contained HTML page.",
)
@click.option("--force", is_flag=True, help="Replace the --html file if it exists.")
@click.pass_obj
def stats(
    workspace: Workspace, day: date | None, as_json: bool, html_path: Path | None, force: bool
) -> None:
    """Where you stand: progress per track and company, weak topics, readiness, streak."""
    if html_path is not None and html_path.exists() and not force:
        raise click.ClickException(
            f"{one_line(str(html_path))} already exists — pass --force to replace it"
        )
    report = stats_for(workspace, today_or(day))
    if html_path is not None:
        from studyplan.adapters.html_report import write_html

        write_html(report, html_path, overwrite=force)
    if as_json:
        click.echo(render.to_json(render_progress.stats_json(report)))
        return
    render_progress.print_stats(new_console(), report)
    if html_path is not None:
        click.echo(f"Wrote the report to {one_line(str(html_path))}.")


def _positive_minutes(ctx: click.Context, param: click.Parameter, value: Any) -> int | None:
    if value is not None and value < 1:
        raise click.BadParameter(
            f"{value} leaves no time to answer: give 1 or more, or leave it out "
            "to use each question's own time"
        )
    return value  # type: ignore[no-any-return]


@main.command()
@click.option(
    "--company", type=click.Choice(COMPANIES), help="Shape the loop like this company's process."
)
@click.option(
    "--minutes",
    type=int,
    callback=_positive_minutes,
    help="Total time for the mock, shared by the questions (default: each question's own).",
)
@click.option(
    "--type",
    "typed",
    is_flag=True,
    help="Type each answer: the points it covers are suggested as your ticks.",
)
@date_option
@click.pass_obj
def mock(
    workspace: Workspace, company: str | None, minutes: int | None, typed: bool, day: date | None
) -> None:
    """A timed mock interview; your self-assessment is saved as each card's grade."""
    today_ = today_or(day)
    questions = mock_core.start_mock(workspace, company, minutes, today_)
    console = new_console()
    render_progress.print_mock_intro(console, company, questions)
    outcomes = []
    for question in questions:
        render_progress.print_mock_question(console, question, len(questions))
        started = clock()
        suggested: frozenset[int] | None = None
        if typed:
            from studyplan.cli.practice_commands import quits, type_answer

            text = type_answer(console)
            if quits(text):
                break
            seconds = max(0, round(clock() - started))
            if text.strip():
                suggested = _suggested_ticks(console, workspace, question, text)
        elif ask("Press Enter when you have answered (q quits)", console) == "q":
            break
        else:
            seconds = max(0, round(clock() - started))
        render_progress.print_mock_answer(console, question, seconds)
        covered = _ask_ticks(console, len(question.key_points), suggested)
        if covered is None:
            break
        outcome, state, kind = mock_core.grade_answer(workspace, question, covered, seconds, today_)
        render_progress.print_mock_grade(console, outcome)
        render_study.print_grade(
            console, question.card.id, outcome.quality, state, kind, workspace.settings()
        )
        outcomes.append(outcome)
    render_progress.print_mock_summary(console, mock_model.summarise(questions, outcomes))


def _suggested_ticks(
    console: Console, workspace: Workspace, question: mock_model.MockQuestion, text: str
) -> frozenset[int]:
    """The rubric points a typed answer covers, as the checker judges them."""
    from studyplan.app.practice import check_points
    from studyplan.cli.practice_commands import say

    with console.status("Checking your answer against the key points..."):
        result = check_points(workspace, question.key_points, text, notify=say(console))
    covered = set(result.covered)
    return frozenset(n for n, point in enumerate(question.key_points, 1) if point in covered)


def _ask_ticks(
    console: Console, count: int, suggested: frozenset[int] | None = None
) -> frozenset[int] | None:
    message = f"Points you covered, e.g. 1 3 4, all or none (1-{count}; q quits)"
    if suggested is not None:
        shown = " ".join(str(n) for n in sorted(suggested)) or "none"
        message = (
            f"Enter accepts the points your answer covers ({shown}), or type the points you "
            f"covered, e.g. 1 3 4, all or none (1-{count}; q quits)"
        )
    while True:
        answer = ask(message, console)
        if answer == "q":
            return None
        if answer == "" and suggested is not None:
            return suggested
        try:
            return mock_model.parse_ticks(answer, count)
        except ValueError as exc:
            console.print(render.literal(str(exc), style="red"))


@main.group()
def story() -> None:
    """Your own behavioral stories, rehearsed as cards."""


@story.command("add")
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the story from a Markdown file: '# Title', then Situation, Task, Action, "
    "Result and Themes headings.",
)
@click.pass_obj
def story_add(workspace: Workspace, source: Path | None) -> None:
    """Add a story (STAR: situation, task, action, result) and the themes it answers."""
    if source is not None:
        text = read_user_text(source, MAX_STORY_BYTES, "a Markdown story")
        new = story_from_markdown(text, str(source))
    else:
        new = _prompt_story()
    path = stories.add_story(workspace, new)
    render_progress.print_story_added(new_console(), new, path)


def _prompt_story() -> story_model.Story:
    title, situation, task, action, result = (
        str(click.prompt(label)).strip()
        for label in ("Title", "Situation", "Task", "Action you took", "Result")
    )
    themes_help = f"Themes it answers, comma-separated ({', '.join(story_model.THEMES)})"
    themes = click.prompt(themes_help, value_proc=_themes)
    return story_model.make_story(title, situation, task, action, result, themes)


def _themes(text: str) -> tuple[str, ...]:
    try:
        themes = story_model.parse_themes(text)
    except story_model.StoryError as exc:
        raise click.UsageError(str(exc)) from None
    if not themes:
        raise click.UsageError("name at least one theme")
    return themes


@story.command("list")
@json_option
@click.pass_obj
def story_list(workspace: Workspace, as_json: bool) -> None:
    """Your stories, and the common behavioral themes that have none yet."""
    overview = stories.story_overview(workspace)
    if as_json:
        click.echo(render.to_json(render_progress.stories_json(overview)))
    else:
        render_progress.print_stories(new_console(), overview)
