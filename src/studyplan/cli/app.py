"""The `studyplan` group, and the option types and helpers its commands share."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from studyplan.app.workspace import Workspace, default_home
from studyplan.core.dates import check_date_range
from studyplan.core.errors import ConfigError, StudyplanError
from studyplan.core.srs.sm2 import Quality
from studyplan.core.study_days import MINUTES_IN_A_DAY
from studyplan.core.text_safety import one_line

GRADE_WORDS = {
    "again": Quality.AGAIN,
    "hard": Quality.HARD,
    "good": Quality.GOOD,
    "easy": Quality.EASY,
}


class DateType(click.ParamType[date]):
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return check_date_range(date.fromisoformat(str(value)))
        except ValueError:
            self.fail(f"{value!r} is not a date: use YYYY-MM-DD", param, ctx)
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


class QualityType(click.ParamType[int]):
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
    if text.isascii() and text.isdigit() and 0 <= int(text) <= 5:  # not "²" or "５"
        return int(text)
    return None


# Each command's module is imported only when that command runs, so `today` does not pay
# for the search, calendar and progress code.
COMMAND_MODULES = {
    **dict.fromkeys(
        ("today", "review", "grade", "undo", "show", "cards", "config", "check"), "study_commands"
    ),
    **dict.fromkeys(("week", "export"), "calendar_commands"),
    **dict.fromkeys(("index", "search", "add", "docs"), "search_commands"),
    **dict.fromkeys(("stats", "mock", "story"), "progress_commands"),
    **dict.fromkeys(("info", "completion"), "info_commands"),
    "card": "card_commands",
    "place": "place_commands",
    "practice": "practice_commands",
    "import": "anki_commands",
    "model": "model_commands",
    "serve": "serve_commands",
}


class LazyGroup(click.Group):
    """A command group whose subcommands named in `lazy` are imported on first use, so
    `export ics` does not load what `export anki` needs."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            importlib.import_module(f"studyplan.cli.{self.lazy[cmd_name]}")
        return super().get_command(ctx, cmd_name)


class StudyplanGroup(click.Group):
    """Loads commands on demand; turns the core's named errors into one-line messages (exit 1)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"studyplan.cli.{COMMAND_MODULES[cmd_name]}")
        if not gc.isenabled():  # paused by studyplan.launch while the code loaded
            gc.freeze()
            gc.enable()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StudyplanError as exc:
            raise click.ClickException(one_line(str(exc))) from None


DATE = DateType()
date_option = click.option(
    "--date", "day", type=DATE, help="Act as if today were this day (YYYY-MM-DD)."
)
minutes_option = click.option(
    "--minutes",
    type=click.IntRange(0, MINUTES_IN_A_DAY),
    help="Budget for today, overriding minutes-per-day.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


MAX_WIDTH = 400  # columns: COLUMNS=99999999 would make every rule and table that wide


def new_console(stderr: bool = False) -> Console:
    # No emoji codes: ":warning:" in a card is text. Markup is the project's own only; card and
    # user text reach rich as Text (render.literal).
    console = Console(highlight=False, emoji=False, soft_wrap=False, stderr=stderr)
    if console.width > MAX_WIDTH:
        console.width = MAX_WIDTH
    return console


def to_stderr(line: str) -> None:
    """A line the user should see beside the output, such as why a command waits."""
    click.echo(line, err=True)


def listed(names: Sequence[str], limit: int = 5) -> str:
    """The first `limit` names, made safe to print, and how many more there are."""
    shown = ", ".join(one_line(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def today_or(day: date | None) -> date:
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
    chosen_home = home if home is not None else default_home()
    workspace = Workspace(chosen_home)  # the index folder is found when a command needs it
    ctx.obj = workspace

    def finish() -> None:
        for message in workspace.warnings:
            click.echo(f"Warning: {message}", err=True)
        workspace.close()

    ctx.call_on_close(finish)


def ask(message: str, console: Console) -> str:
    """One answer typed at a prompt, trimmed and lowercased; end of input reads as "q" (quit,
    keeping whatever was already saved)."""
    try:
        answer = click.prompt(message, default="", show_default=False, prompt_suffix=": ")
    except click.Abort:
        console.print()
        return "q"
    return str(answer).strip().lower()


def ask_quality(console: Console, message: str, suggested: int | None = None) -> int | None:
    """A grade typed at a prompt until one parses; Enter takes `suggested` when there is one;
    None when the user quits."""
    from studyplan.cli.render import literal

    while True:
        answer = ask(message, console)
        if answer == "q":
            return None
        if answer == "" and suggested is not None:
            return suggested
        quality = parse_quality(answer)
        if quality is not None:
            return quality
        console.print(literal(f"{answer!r} is not a grade.", style="red"))
