"""Anki both ways: import anki (a deck or collection, with or without its history) and
export anki (studyplan's cards as a deck)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from studyplan.adapters.content.cards import MAX_MINUTES
from studyplan.adapters.folders import MEDIA_FOLDER
from studyplan.app.workspace import Workspace
from studyplan.cli.app import date_option, listed, main, to_stderr, today_or
from studyplan.cli.calendar_commands import export
from studyplan.core.model import COMPANIES, Priority, Track
from studyplan.core.text_safety import one_line

if TYPE_CHECKING:
    from studyplan.app.anki_import import ImportReport

SHOWN_MEDIA = 5
SHOWN_DECKS = 10


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
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the cards whose notes were deleted in Anki (their reviews stay in the log).",
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
    prune: bool,
    day: date | None,
) -> None:
    """Import an Anki package (.apkg or .colpkg): its notes become your own cards."""
    from studyplan.app.anki_import import ImportOptions, import_anki

    if with_history and reviews_only:
        raise click.UsageError("--with-history and --reviews-only exclude each other: choose one")
    if prune and reviews_only:
        raise click.UsageError("--prune changes cards, --reviews-only none: choose one")
    options = ImportOptions(
        with_history, reviews_only, Track(track), minutes, Priority(priority), prune
    )
    report = import_anki(workspace, package, today_or(day), options, notify=to_stderr)
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
    _print_decks(report, track)
    if report.empty:
        click.echo(f"{report.empty} card(s) with nothing to show (an empty side) left out.")
    _print_findings(report)
    if report.unknown:
        click.echo(f"{report.unknown} card(s) studyplan does not have were left out.")
    _print_media(report, workspace)
    if report.suspended:
        click.echo(
            f"{report.suspended} card(s) suspended in Anki: suspended here too, out of the plan "
            "(`studyplan card unsuspend ID` brings one back)."
        )
    if report.unsuspended:
        click.echo(f"{report.unsuspended} card(s) unsuspended in Anki: back in the plan.")
    if report.reset:
        click.echo(
            f"{report.reset} card(s) reset to new in Anki: imported as new, their earlier "
            "reviews not taken."
        )
    if report.pruned:
        click.echo(f"Removed {report.pruned} card(s) whose notes were deleted in Anki.")
        if report.media_removed:
            click.echo(
                f"Deleted {len(report.media_removed)} media file(s) only they showed: "
                f"{listed(report.media_removed, SHOWN_MEDIA)}."
            )
    elif report.deleted:
        click.echo(
            f"{len(report.deleted)} card(s) whose notes were deleted in Anki are still here "
            "— import again with --prune to remove them."
        )
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


def _print_findings(report: ImportReport) -> None:
    """The cards and reviews left out, and the values clamped, each with its reason."""
    findings = report.findings
    for count, what in (
        *((n, f"card(s) left out: {why}") for why, n in findings.cards_left_out.items()),
        *((n, f"review(s) left out: {why}") for why, n in findings.reviews_left_out.items()),
        *((n, what) for what, n in findings.clamped.items()),
    ):
        click.echo(f"{count} {what}.")
    for line in findings.settings:
        click.echo(line)


def _print_decks(report: ImportReport, default: str) -> None:
    """Which track each deck's cards went to, and why."""
    if not report.decks:
        return
    click.echo("Tracks by deck:")
    decks = sorted(report.decks.items())
    for name, deck in decks[:SHOWN_DECKS]:
        counts = ", ".join(f"{track} {count}" for track, count in deck.tracks.most_common())
        why = (
            f"the deck's name says {deck.named.value}"
            if deck.named is not None
            else f"the deck's name names no track: --track {default}"
        )
        tagged = sum(c for t, c in deck.tracks.items() if t != (deck.named or default))
        by_tags = f"; {tagged} by their tags" if tagged else ""
        click.echo(f"  {one_line(name)} → {counts} ({why}{by_tags})")
    if len(decks) > SHOWN_DECKS:
        click.echo(f"  and {len(decks) - SHOWN_DECKS} more deck(s)")


def _print_media(report: ImportReport, workspace: Workspace) -> None:
    from studyplan.adapters.anki.media import MAX_MEDIA_BYTES

    media = report.media
    if media.names:
        folder = one_line(str(workspace.home / MEDIA_FOLDER))
        again = f", {media.unchanged} already there" if media.unchanged else ""
        click.echo(f"Media: {media.copied} file(s) copied to {folder}{again}.")
    for count, what in (
        (media.missing, "shown by the cards are not in the package"),
        (media.too_large, f"are over {MAX_MEDIA_BYTES // 1024**2} MiB and were not copied"),
        (media.unreadable, "could not be copied (damaged in the package)"),
    ):
        if count:
            click.echo(f"{len(count)} media file(s) {what}: {listed(count, SHOWN_MEDIA)}.")
    if report.remote:
        click.echo(f"{report.remote} image(s) from the web are shown by their address.")


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
@click.option(
    "--with-schedule",
    is_flag=True,
    help="Cards studied here arrive in Anki as review cards, with their interval and due date.",
)
@click.pass_obj
def export_anki(
    workspace: Workspace,
    output: Path,
    track: str | None,
    company: str | None,
    priority: str | None,
    force: bool,
    with_schedule: bool,
) -> None:
    """Write the cards as an Anki deck; exporting again updates the same notes."""
    from studyplan.adapters.anki.writer import export_anki as write_deck

    report = write_deck(
        workspace, output, int(time.time()), track, company, priority, force, with_schedule
    )
    tracks = ", ".join(f"{name} {count}" for name, count in sorted(report.by_track.items()))
    left = f"; {report.left_out} card(s) from Anki left out" if report.left_out else ""
    click.echo(
        f"Wrote {report.notes} note(s) to {one_line(str(output))} ({tracks}){left}. "
        "Import it in Anki with File > Import."
    )
    if with_schedule:
        click.echo(
            f"{report.scheduled} card(s) studied here arrive as review cards with their "
            'interval and due date (tick "Import any learning progress" in Anki\'s import '
            "dialog)."
        )
