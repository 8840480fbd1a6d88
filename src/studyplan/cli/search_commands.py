"""Finding things: index, search, add."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from studyplan.adapters.search.errors import IndexCorrupt
from studyplan.app import library
from studyplan.app.workspace import Workspace
from studyplan.cli import render
from studyplan.cli.app import json_option, main, new_console
from studyplan.core.model import COMPANIES, Track
from studyplan.core.text_safety import one_line

if TYPE_CHECKING:
    from studyplan.adapters.search.index import ProgressCallback, RefreshReport

SHOW_PROGRESS_FROM = 32  # fewer items embed in well under a second: no bar needed
SECTION_TRACKS = ("career",)


@contextmanager
def embedding_progress() -> Iterator[ProgressCallback]:
    """A callback that shows a progress bar (with items/s) once there is enough to embed."""
    bar: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if total < SHOW_PROGRESS_FROM:
                return
            bar = Progress(
                TextColumn("Embedding"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} items/s"),
                TimeRemainingColumn(),
                console=new_console(stderr=True),
                transient=True,
            )
            bar.start()
            task = bar.add_task("embed", total=total, rate="…")
        assert task is not None
        elapsed = bar.tasks[0].elapsed or 0.0
        rate = f"{done / elapsed:.0f}" if elapsed > 0 else "…"
        bar.update(task, completed=done, total=total, rate=rate)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


def refresh_with_progress(
    workspace: Workspace, rebuild: bool = False, verify: bool = False
) -> RefreshReport:
    with embedding_progress() as progress:
        return library.refresh(workspace, rebuild=rebuild, progress=progress, verify=verify)


@main.command()
@click.option(
    "--rebuild", is_flag=True, help="Embed everything again instead of only what changed."
)
@click.pass_obj
def index(workspace: Workspace, rebuild: bool) -> None:
    """Build or refresh the search index (only new or changed items are embedded)."""
    report = refresh_with_progress(workspace, rebuild, verify=True)
    if report.read_only:
        raise click.ClickException(
            f"cannot refresh the search index in {workspace.index}: its folder is read-only"
        )
    click.echo(render.refresh_summary(report, workspace.index))


@main.command()
@click.argument("query")
@click.option(
    "-k", "k", type=click.IntRange(1, 100), default=10, show_default=True, help="How many results."
)
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "semantic", "lexical"]),
    default="hybrid",
    show_default=True,
    help="Meaning, words, or both fused.",
)
@click.option(
    "--track",
    type=click.Choice([*(t.value for t in Track), *SECTION_TRACKS]),
    help="Only this track.",
)
@click.option("--company", type=click.Choice(COMPANIES), help="Only items about this company.")
@click.option(
    "--kind", type=click.Choice(["section", "card"]), help="Only guide sections or only cards."
)
@json_option
@click.pass_obj
def search(
    workspace: Workspace,
    query: str,
    k: int,
    mode: str,
    track: str | None,
    company: str | None,
    kind: str | None,
    as_json: bool,
) -> None:
    """Search guides, cards and your documents in plain words."""
    report = refresh_with_progress(workspace)
    if report.embedded or report.removed or report.read_only:
        click.echo(render.refresh_summary(report, workspace.index), err=True)
    try:
        hits = library.search(workspace, query, k, mode, track, company, kind)
    except IndexCorrupt as exc:
        # Damaged files are written again from what is intact; anything else, a full rebuild.
        click.echo(f"{exc.detail}: rebuilding the search index", err=True)
        if not refresh_with_progress(workspace, verify=True).damaged:
            refresh_with_progress(workspace, rebuild=True)
        hits = library.search(workspace, query, k, mode, track, company, kind)
    if as_json:
        click.echo(render.to_json(render.hits_json(hits)))
    else:
        render.print_hits(new_console(), query, hits)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def add(workspace: Workspace, files: tuple[Path, ...]) -> None:
    """Import Markdown or plain-text documents so search finds their sections."""
    added, failed = library.add_documents(workspace, files)
    for result in added:
        verb = "updated" if result.replaced else "added"
        count = len(result.document.sections)
        click.echo(f"{verb} {result.document.title!r}: {count} section{'s' if count != 1 else ''}")
    if added:
        report = refresh_with_progress(workspace)
        click.echo(render.refresh_summary(report, workspace.index))
    for failure in failed[:-1]:
        click.echo(f"Error: {one_line(failure.message)}", err=True)
    if failed:
        raise click.ClickException(one_line(failed[-1].message))
