"""The command line: parse options, call one core function, render the result."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from studyplan import render, study
from studyplan.content.model import COMPANIES, Track
from studyplan.errors import StudyplanError
from studyplan.review_queue import ReviewQueue
from studyplan.settings import KEYS
from studyplan.srs.sm2 import Quality
from studyplan.workspace import Workspace, default_home

GRADE_WORDS = {
    "again": Quality.AGAIN,
    "hard": Quality.HARD,
    "good": Quality.GOOD,
    "easy": Quality.EASY,
}


class DateType(click.ParamType):
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date: use YYYY-MM-DD", param, ctx)


class QualityType(click.ParamType):
    name = "quality"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        parsed = parse_quality(str(value))
        if parsed is None:
            self.fail(f"{value!r} is not a grade: use 0-5 or again|hard|good|easy", param, ctx)
        return parsed


def parse_quality(text: str) -> int | None:
    text = text.strip().lower()
    if text in GRADE_WORDS:
        return int(GRADE_WORDS[text])
    if text.isdigit() and 0 <= int(text) <= 5:
        return int(text)
    return None


class StudyplanGroup(click.Group):
    """Turns the core's named errors into one-line messages with exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StudyplanError as exc:
            raise click.ClickException(str(exc)) from None


DATE = DateType()
date_option = click.option(
    "--date", "day", type=DATE, help="Act as if today were this day (YYYY-MM-DD)."
)
minutes_option = click.option(
    "--minutes", type=click.IntRange(min=0), help="Budget for today, overriding minutes-per-day."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _today(day: date | None) -> date:
    return day if day is not None else date.today()


@click.group(cls=StudyplanGroup)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Workspace folder (default: $STUDYPLAN_HOME or the platform's user data folder).",
)
@click.version_option(package_name="studyplan")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """Offline study planner for machine-learning-engineer interviews."""
    workspace = Workspace(home if home is not None else default_home())
    ctx.obj = workspace
    ctx.call_on_close(workspace.close)


@main.command()
@date_option
@minutes_option
@json_option
@click.pass_obj
def today(workspace: Workspace, day: date | None, minutes: int | None, as_json: bool) -> None:
    """Today's plan: due reviews, re-drills and new cards within the daily minutes."""
    plan = study.today_plan(workspace, _today(day), minutes)
    if as_json:
        click.echo(render.to_json(render.plan_json(plan)))
    else:
        render.print_plan(_console(), plan)


@main.command()
@click.argument("card_id")
@click.argument("quality", type=QualityType())
@date_option
@json_option
@click.pass_obj
def grade(
    workspace: Workspace, card_id: str, quality: int, day: date | None, as_json: bool
) -> None:
    """Grade one card: QUALITY is 0-5 (SM-2) or again|hard|good|easy."""
    state, kind = study.grade_card(workspace, card_id, quality, _today(day))
    if as_json:
        click.echo(render.to_json(render.grade_json(card_id, quality, state, kind)))
    else:
        render.print_grade(_console(), card_id, quality, state, kind)


@main.command()
@date_option
@minutes_option
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Only this track.")
@click.option("--topic", help="Only cards of this topic (as `cards` lists it).")
@click.pass_obj
def review(
    workspace: Workspace,
    day: date | None,
    minutes: int | None,
    track: str | None,
    topic: str | None,
) -> None:
    """Study today's plan card by card; every grade is saved as you give it."""
    today_ = _today(day)
    plan = study.today_plan(workspace, today_, minutes)
    items = [
        item
        for item in plan.items
        if (track is None or item.track == track) and (topic is None or item.topic == topic)
    ]
    console = _console()
    if not items:
        console.print("Nothing to review right now.")
        return
    answers = {card.id: card.answer for card in workspace.cards}
    queue = ReviewQueue(items)
    while (item := queue.current()) is not None:
        console.rule(
            f"{queue.graded + 1} of {queue.total} · {queue.minutes_left} min left · "
            f"{item.kind.value} · {item.track} · {item.card_id}"
        )
        console.print(item.prompt)
        if _ask("Enter shows the answer, q quits", console) == "q":
            break
        console.print(answers[item.card_id], style="green")
        quality = _ask_quality(console)
        if quality is None:
            break
        state, kind = study.grade_card(workspace, item.card_id, quality, today_)
        render.print_grade(console, item.card_id, quality, state, kind)
        queue.record(quality)
    console.print(f"Graded {queue.graded} card(s); every grade is saved.")


def _ask(message: str, console: Console) -> str:
    try:
        return (
            str(click.prompt(message, default="", show_default=False, prompt_suffix=": "))
            .strip()
            .lower()
        )
    except click.Abort:
        console.print()
        return "q"


def _ask_quality(console: Console) -> int | None:
    while True:
        answer = _ask("Grade 0-5 or again/hard/good/easy (q quits)", console)
        if answer == "q":
            return None
        quality = parse_quality(answer)
        if quality is not None:
            return quality
        console.print(f"{answer!r} is not a grade.", style="red")


@main.command()
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Only this track.")
@click.option("--company", type=click.Choice(COMPANIES), help="Only cards tagged for this company.")
@json_option
@click.pass_obj
def cards(workspace: Workspace, track: str | None, company: str | None, as_json: bool) -> None:
    """List the question cards."""
    chosen = [
        card
        for card in workspace.cards
        if (track is None or card.track.value == track)
        and (company is None or company in card.companies)
    ]
    if as_json:
        click.echo(render.to_json(render.cards_json(chosen)))
    else:
        render.print_cards(_console(), chosen, workspace.store.states())


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("key", required=False, type=click.Choice(list(KEYS)))
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help="Forget KEY's value and use the default.")
@date_option
@click.pass_obj
def config(
    workspace: Workspace, key: str | None, value: str | None, unset: bool, day: date | None
) -> None:
    """Show or change settings: interview-date, companies, minutes-per-day, new-per-day, track-weights."""
    if key is not None and (value is not None or unset):
        study.set_setting(workspace, key, None if unset else value, _today(day))
    shown = study.show_settings(workspace)
    for name, text in shown.items():
        if key is None or name == key:
            click.echo(f"{name} = {text}" if text else f"{name} (not set)")


@main.command()
@click.option("--start", type=DATE, help="First day of the week (default: today).")
@json_option
@click.pass_obj
def week(workspace: Workspace, start: date | None, as_json: bool) -> None:
    """The next seven days as the planner will build them."""
    plans = study.week_plans(workspace, _today(start))
    if as_json:
        click.echo(render.to_json(render.week_json(plans)))
    else:
        render.print_week(_console(), plans)


@main.group()
def export() -> None:
    """Export the plan to other programs."""


class ClockTime(click.ParamType):
    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> time:
        if isinstance(value, time):
            return value
        try:
            hours, minutes = (int(part) for part in str(value).split(":"))
            return time(hours, minutes)
        except ValueError:
            self.fail(f"{value!r} is not a time of day: use HH:MM, 00:00-23:59", param, ctx)


@export.command("ics")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .ics file to write.",
)
@click.option("--start", type=DATE, help="First day (default: today).")
@click.option(
    "--weeks",
    type=click.IntRange(1, 52),
    default=1,
    show_default=True,
    help="How many weeks, 1-52.",
)
@click.option(
    "--at",
    "start_at",
    type=ClockTime(),
    default="18:00",
    show_default=True,
    help="When each study block starts.",
)
@click.option("--tz", "zone_name", help="IANA time zone of --at (default: the system's).")
@click.option(
    "--alarm", type=click.IntRange(0, 1440), help="Reminder this many minutes before each block."
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.pass_obj
def export_ics(
    workspace: Workspace,
    output: Path,
    start: date | None,
    weeks: int,
    start_at: time,
    zone_name: str | None,
    alarm: int | None,
    force: bool,
) -> None:
    """Write the coming weeks as calendar events (iCalendar)."""
    from studyplan import calendar_export

    zone = calendar_export.find_zone(zone_name or calendar_export.system_zone_name())
    if output.exists() and not force:
        raise click.ClickException(f"{output} already exists — pass --force to replace it")
    plans = study.week_plans(workspace, _today(start), days=7 * weeks)
    calendar = calendar_export.build_calendar(
        plans,
        start_at,
        zone,
        stamp=datetime.now(UTC).replace(microsecond=0),
        interview=workspace.settings().interview_date,
        alarm_minutes=alarm,
    )
    calendar_export.write_calendar(calendar, output, overwrite=force)
    events = sum(1 for plan in plans if plan.items)
    click.echo(f"Wrote {events} study block(s) over {weeks} week(s) to {output} ({zone.key}).")


@main.command()
@click.pass_obj
def check(workspace: Workspace) -> None:
    """Validate the shipped corpus: every problem with its file and line."""
    from studyplan.content.check import check_corpus

    report = check_corpus(workspace.card_files(), workspace.guide_files())
    for problem in report.problems:
        click.echo(problem, err=True)
    if report.problems:
        raise click.ClickException(f"{len(report.problems)} problem(s) in the corpus")
    click.echo(
        f"ok: {report.cards} cards in {report.card_files} files, "
        f"{report.sections} guide sections in {report.guide_files} guides"
    )


if __name__ == "__main__":
    sys.exit(main())
