"""Anki both ways: import anki (a deck or collection, with or without its history) and
export anki (studyplan's cards as a deck)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import click

from studyplan.adapters.content.cards import MAX_MINUTES
from studyplan.app.workspace import Workspace
from studyplan.cli.app import date_option, main, today_or
from studyplan.cli.calendar_commands import export
from studyplan.core.model import COMPANIES, Priority, Track
from studyplan.core.text_safety import one_line

SHOWN_MEDIA = 5


@main.group("import")
def import_group() -> None:
    """Bring in cards and reviews from other programs."""


@import_group.command("anki")
@click.argument("package", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with-history",
    is_flag=True,
    help="Also take each card's Anki schedule (as SM-2) and its reviews.",
)
@click.option(
    "--reviews-only",
    is_flag=True,
    help="Add no cards: only merge the Anki reviews of cards studyplan has.",
)
@click.option(
    "--track",
    type=click.Choice([t.value for t in Track]),
    default=Track.ML.value,
    show_default=True,
    help="Track of notes whose tags and deck name none.",
)
@click.option(
    "--minutes",
    type=click.IntRange(1, MAX_MINUTES),
    default=2,
    show_default=True,
    help="Minutes to learn each new card.",
)
@click.option(
    "--priority",
    type=click.Choice([p.value for p in Priority]),
    default=Priority.COMMON.value,
    show_default=True,
)
@date_option
@click.pass_obj
def import_anki(
    workspace: Workspace,
    package: Path,
    with_history: bool,
    reviews_only: bool,
    track: str,
    minutes: int,
    priority: str,
    day: date | None,
) -> None:
    """Import an Anki package (.apkg or .colpkg): its notes become your own cards."""
    from studyplan.app.anki_import import ImportOptions, import_anki

    if with_history and reviews_only:
        raise click.UsageError("--with-history and --reviews-only exclude each other: choose one")
    options = ImportOptions(with_history, reviews_only, Track(track), minutes, Priority(priority))
    report = import_anki(workspace, package, today_or(day), options)
    name = one_line(str(package))
    if reviews_only:
        click.echo(f"Read {name}: {report.notes} note(s).")
    else:
        click.echo(
            f"Imported {name}: {report.new} new card(s), {report.updated} updated, "
            f"{report.unchanged} unchanged, from {report.notes} note(s)."
        )
    for path in report.files:
        click.echo(f"  wrote {one_line(str(path))}")
    if report.exported:
        click.echo(f"{report.exported} note(s) are studyplan's own export: their reviews merged.")
    if report.kept:
        click.echo(f"{report.kept} card(s) already in your own card files were left as they are.")
    if report.empty:
        click.echo(f"{report.empty} card(s) without text to study (image-only or empty) left out.")
    if report.unknown:
        click.echo(f"{report.unknown} card(s) studyplan does not have were left out.")
    if report.media:
        listed = ", ".join(one_line(name) for name in report.media[:SHOWN_MEDIA])
        more = (
            f" and {len(report.media) - SHOWN_MEDIA} more"
            if len(report.media) > SHOWN_MEDIA
            else ""
        )
        click.echo(f"{len(report.media)} media file(s) referenced and left out: {listed}{more}.")
    merge = report.merge
    if merge is not None:
        older = (
            f", {merge.older} dated before their card's last review (logged, schedule unchanged)"
            if merge.older
            else ""
        )
        click.echo(
            f"Reviews: {merge.logged} logged from Anki{older}; {merge.known} already in the log; "
            f"{merge.cards} card schedule(s) updated."
        )


@export.command("anki")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .apkg file to write.",
)
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Only this track.")
@click.option("--company", type=click.Choice(COMPANIES), help="Only cards tagged for this company.")
@click.option(
    "--priority", type=click.Choice([p.value for p in Priority]), help="Only this priority."
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.pass_obj
def export_anki(
    workspace: Workspace,
    output: Path,
    track: str | None,
    company: str | None,
    priority: str | None,
    force: bool,
) -> None:
    """Write the cards as an Anki deck; exporting again updates the same notes."""
    from studyplan.adapters.anki.writer import export_anki as write_deck

    report = write_deck(workspace, output, int(time.time()), track, company, priority, force)
    tracks = ", ".join(f"{name} {count}" for name, count in sorted(report.by_track.items()))
    left = f"; {report.left_out} card(s) from Anki left out" if report.left_out else ""
    click.echo(
        f"Wrote {report.notes} note(s) to {one_line(str(output))} ({tracks}){left}. "
        "Import it in Anki with File > Import."
    )
