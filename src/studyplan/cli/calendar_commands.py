"""Looking ahead: the week's plan and its calendar export."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import click

from studyplan.app import study
from studyplan.app.workspace import Workspace
from studyplan.cli import render, render_study
from studyplan.cli.app import DATE, LazyGroup, json_option, main, new_console, today_or
from studyplan.core.text_safety import one_line

# `--start` was the first name of --date on these two commands; it stays, hidden, for scripts.
start_alias = click.option("--start", type=DATE, hidden=True, help="Old name of --date.")


def first_day(day: date | None, start: date | None) -> date:
    if day is not None and start is not None and day != start:
        raise click.UsageError("--start is another name for --date: give one of them")
    return today_or(day if day is not None else start)


@main.command()
@click.option(
    "--date", "day", type=DATE, help="First day of the week, as if today (default: today)."
)
@start_alias
@json_option
@click.pass_obj
def week(workspace: Workspace, day: date | None, start: date | None, as_json: bool) -> None:
    """The next seven days as the planner will build them."""
    plans = study.week_plans(workspace, first_day(day, start))
    if as_json:
        click.echo(render.to_json(render_study.week_json(plans)))
    else:
        render_study.print_week(new_console(), plans)


@main.group(cls=LazyGroup, lazy={"anki": "anki_commands"})
def export() -> None:
    """Export the plan to other programs."""


class ClockTime(click.ParamType[time]):
    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> time:
        if isinstance(value, time):
            return value
        try:
            hours, minutes = (int(part) for part in str(value).split(":"))
            return time(hours, minutes)
        except (ValueError, OverflowError):
            self.fail(f"{value!r} is not a time of day: use HH:MM, 00:00-23:59", param, ctx)


@export.command("ics")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .ics file to write.",
)
@click.option("--date", "day", type=DATE, help="First day, as if today (default: today).")
@start_alias
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
    day: date | None,
    start: date | None,
    weeks: int,
    start_at: time,
    zone_name: str | None,
    alarm: int | None,
    force: bool,
) -> None:
    """Write the coming weeks as calendar events (iCalendar)."""
    from studyplan.adapters import calendar_export

    zone = calendar_export.find_zone(zone_name or calendar_export.system_zone_name())
    plans = study.week_plans(workspace, first_day(day, start), days=7 * weeks)
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
    click.echo(
        f"Wrote {events} study block(s) over {weeks} week(s) to {one_line(str(output))} "
        f"({zone.key})."
    )
