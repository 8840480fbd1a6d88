"""About the installation: `info` for bug reports, `completion` for the shell."""

from __future__ import annotations

from dataclasses import asdict

import click

from studyplan.app.workspace import Workspace
from studyplan.cli import render
from studyplan.cli.app import json_option, main, new_console

SHELLS = ("bash", "zsh", "fish")
PROGRAM = "studyplan"
COMPLETE_VARIABLE = "_STUDYPLAN_COMPLETE"  # click's name for it: _{PROGRAM}_COMPLETE


@main.command()
@json_option
@click.pass_obj
def info(workspace: Workspace, as_json: bool) -> None:
    """Version, paths, counts, model and library versions: what a bug report needs."""
    from studyplan.app import about
    from studyplan.cli.render_about import print_info

    facts = about.gather(workspace)
    if as_json:
        click.echo(render.to_json(asdict(facts)))
    else:
        print_info(new_console(), facts)


@main.command()
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL (bash, zsh or fish).

    The script asks `studyplan` itself for completions (click's mechanism), so new commands
    and options complete without generating it again."""
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    if completer is None:  # click knows every one of SHELLS
        raise click.ClickException(f"no completion for {shell}")
    click.echo(completer(main, {}, PROGRAM, COMPLETE_VARIABLE).source())
