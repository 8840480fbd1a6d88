"""The local web page: `studyplan serve`."""

from __future__ import annotations

from datetime import date

import click

from studyplan.app.workspace import Workspace
from studyplan.cli.app import date_option, main

DEFAULT_PORT = 8765


@main.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port on 127.0.0.1; 0 takes any free one.",
)
@click.option("--no-open", is_flag=True, help="Print the address without opening a browser.")
@date_option
@click.pass_obj
def serve(workspace: Workspace, port: int, no_open: bool, day: date | None) -> None:
    """Today, review, cards, search, week and stats in your browser, served on this machine
    only (127.0.0.1). The first line printed is the page's address, with a token made for
    this launch; Ctrl-C stops it."""
    from studyplan.web.server import serve as run_server  # only this command loads the web

    run_server(workspace, port, not no_open, day, click.echo)
