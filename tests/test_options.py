"""One name per meaning across commands: `--date` for a day, `--json` on every read command."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

import click
from click.testing import Result

from studyplan.cli import COMMAND_MODULES, main
from studyplan.cli.app import DateType

Run = Callable[..., Result]
DAY = "2026-11-25"
# Commands that only read and print: each answers in JSON too.
READ_COMMANDS = ("today", "show", "cards", "config", "check", "search", "stats", "week", "info")


def all_commands() -> dict[str, click.Command]:
    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(f"studyplan.cli.{module}")
    found: dict[str, click.Command] = {}
    for name, command in main.commands.items():
        found[name] = command
        if isinstance(command, click.Group):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
    return found


def test_every_visible_day_option_is_called_date() -> None:
    for name, command in all_commands().items():
        for param in command.params:
            if isinstance(param, click.Option) and isinstance(param.type, DateType):
                assert param.hidden or param.opts == ["--date"], (name, param.opts)


def test_every_read_command_has_json() -> None:
    commands = all_commands()
    for name in (*READ_COMMANDS, "story list"):
        options = {opt for p in commands[name].params for opt in getattr(p, "opts", [])}
        assert "--json" in options, name


def test_start_still_works_as_the_old_name_of_date(run: Run, tmp_path: Path) -> None:
    by_date = run("week", "--date", DAY, "--json")
    by_start = run("week", "--start", DAY, "--json")
    assert by_date.exit_code == by_start.exit_code == 0
    assert by_start.output == by_date.output
    assert json.loads(by_date.output)["start"] == DAY
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run("export", "ics", "-o", str(first), "--date", DAY, "--tz", "UTC").exit_code == 0
    assert run("export", "ics", "-o", str(second), "--start", DAY, "--tz", "UTC").exit_code == 0
    assert b"DTSTART:20261125T180000Z" in first.read_bytes()
    assert b"DTSTART:20261125T180000Z" in second.read_bytes()
    assert "--start" not in run("week", "--help").output


def test_start_and_a_different_date_is_a_usage_error(run: Run) -> None:
    result = run("week", "--date", DAY, "--start", "2026-11-26")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: --start is another name for --date: give one of them"
    )


def test_config_json(run: Run) -> None:
    assert run("config", "minutes-per-day", "50").exit_code == 0
    shown = json.loads(run("config", "--json").output)
    assert shown["minutes-per-day"] == "50"
    assert shown["interview-date"] is None
    assert json.loads(run("config", "new-per-day", "--json").output) == {"new-per-day": "12"}


def test_check_json(run: Run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    good = run("check", "--json")
    assert good.exit_code == 0
    report = json.loads(good.output)
    assert report["problems"] == [] and report["cards"] > 600
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "bad.toml").write_text('[[card]]\nid = "x"\n', encoding="utf-8")
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(tmp_path))
    bad = run("check", "--json")
    assert bad.exit_code == 1
    assert any("missing field 'answer'" in p for p in json.loads(bad.output)["problems"])
