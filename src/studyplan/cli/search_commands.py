"""Finding things: index, search, add, docs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyplan.app import library
from studyplan.app.workspace import Workspace
from studyplan.cli import render
from studyplan.cli.app import json_option, main, new_console, today_or
from studyplan.cli.model_commands import offer_model_install
from studyplan.cli.render import literal
from studyplan.core.model import COMPANIES, Track
from studyplan.core.text_safety import one_line

if TYPE_CHECKING:
    from rich.progress import Progress

    from studyplan.adapters.search.index import ProgressCallback
    from studyplan.app.library import LayeredReport

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
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

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
) -> LayeredReport:
    with embedding_progress() as progress:
        return library.refresh(
            workspace, rebuild=rebuild, progress=progress, verify=verify, notify=to_stderr
        )


def to_stderr(message: str) -> None:
    click.echo(message, err=True)


def summaries(report: LayeredReport, workspace: Workspace, changes_only: bool) -> list[str]:
    """One line per layer (only the layers that changed, with `changes_only`)."""
    lines = []
    for layer, folder in ((report.shipped, workspace.index), (report.own, workspace.own_index)):
        if layer is None:
            continue
        if changes_only and not (
            layer.embedded or layer.removed or layer.read_only or layer.damaged
        ):
            continue
        lines.append(render.refresh_summary(layer, folder))
    return lines


@main.command()
@click.option(
    "--rebuild", is_flag=True, help="Embed everything again instead of only what changed."
)
@click.pass_obj
def index(workspace: Workspace, rebuild: bool) -> None:
    """Build or refresh the search indexes: the shipped corpus's (shared) and this workspace's."""
    offer_model_install()
    report = refresh_with_progress(workspace, rebuild, verify=True)
    for layer, folder in ((report.shipped, workspace.index), (report.own, workspace.own_index)):
        if layer is not None and layer.read_only:
            raise click.ClickException(
                f"cannot refresh the search index in {folder}: its folder is read-only"
            )
    for line in summaries(report, workspace, changes_only=False):
        click.echo(line)


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
    offer_model_install()
    for line in summaries(refresh_with_progress(workspace), workspace, changes_only=True):
        click.echo(line, err=True)
    with embedding_progress() as progress:
        request = library.SearchRequest(query, k, mode, track, company, kind)
        hits = library.search(workspace, request, progress, notify=to_stderr)
    if as_json:
        click.echo(render.to_json(render.hits_json(hits)))
    else:
        render.print_hits(new_console(), query, hits)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def add(workspace: Workspace, files: tuple[Path, ...]) -> None:
    """Import Markdown or plain-text documents (a folder: every .md, .markdown and .txt file
    under it) so search finds their sections."""
    added, failed = library.add_documents(workspace, files, today_or(None))
    for result in added:
        verb = "updated" if result.replaced else "added"
        count = len(result.document.sections)
        click.echo(f"{verb} {result.document.title!r}: {count} section{'s' if count != 1 else ''}")
    if added:
        for line in summaries(refresh_with_progress(workspace), workspace, changes_only=False):
            click.echo(line)
    for failure in failed[:-1]:
        click.echo(f"Error: {one_line(failure.message)}", err=True)
    if failed:
        raise click.ClickException(one_line(failed[-1].message))


@main.group(invoke_without_command=True)
@json_option
@click.pass_context
def docs(ctx: click.Context, as_json: bool) -> None:
    """List the documents you added: id, title, file, sections and the date added."""
    if ctx.invoked_subcommand is not None:
        return
    workspace: Workspace = ctx.obj
    listed = library.documents(workspace)
    if as_json:
        click.echo(render.to_json([asdict(document) for document in listed]))
        return
    from rich.table import Table

    console = new_console()
    if not listed:
        console.print("No documents yet — `studyplan add FILE_OR_FOLDER` imports some.")
        return
    table = Table(title=f"{len(listed)} document(s)", title_justify="left")
    for column in ("id", "title", "file", "sections", "added"):
        table.add_column(column, justify="right" if column == "sections" else "left")
    for document in listed:
        table.add_row(
            literal(document.doc_id),
            literal(document.title),
            literal(document.source_path),
            str(document.sections),
            document.added,
        )
    console.print(table)


@docs.command("remove")
@click.argument("doc_id")
@click.pass_obj
def docs_remove(workspace: Workspace, doc_id: str) -> None:
    """Remove a document you added, and its sections from the search index."""
    removed = library.remove(workspace, doc_id)
    click.echo(f"removed {removed}")
    if library.shipped_index_ready(workspace):
        for line in summaries(refresh_with_progress(workspace), workspace, changes_only=False):
            click.echo(line)
