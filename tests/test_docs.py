"""Every command is loadable, listed in --help, and documented in the README."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from studyplan.cli import COMMAND_MODULES, main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def registered_commands() -> set[str]:
    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(f"studyplan.cli.{module}")
    return set(main.commands)


def test_every_command_is_mapped_to_its_module() -> None:
    assert registered_commands() == set(COMMAND_MODULES)


def test_every_command_is_in_help_and_readme(run) -> None:  # type: ignore[no-untyped-def]
    help_text = run("--help").output
    for name in registered_commands():
        assert f"  {name} " in help_text, name
        assert f"`studyplan {name}" in README, name


def test_every_option_is_documented_in_readme() -> None:
    names = registered_commands()  # commands load lazily: load them all first
    assert len(names) == len(COMMAND_MODULES)
    for name, command in sorted(main.commands.items()):
        commands = command.commands.values() if isinstance(command, click.Group) else [command]
        for sub in commands:
            for param in sub.params:
                if isinstance(param, click.Option) and not param.hidden and param.name != "help":
                    longest = max(param.opts, key=len)
                    assert longest in README or param.opts[0] in README, f"{name}: {longest}"
