"""Cards: add, edit and remove your own; suspend, unsuspend or mark known any card."""

from __future__ import annotations

from datetime import date

import click

from studyplan.adapters import own_cards
from studyplan.adapters.content.cards import MAX_MINUTES
from studyplan.adapters.content.qa_markdown import DEFAULT_MINUTES, DEFAULT_TRACK
from studyplan.app import card_files, marks
from studyplan.app.workspace import Workspace
from studyplan.cli.app import date_option, listed, main, to_stderr, today_or
from studyplan.core.model import COMPANIES, Priority, Track
from studyplan.core.text_safety import one_line

DEFAULT_TOPIC = "my cards"


@main.group()
def card() -> None:
    """Your own question cards (add, edit, remove); any card suspended or marked known."""


@card.command("add")
@click.option("--prompt", help="The question.")
@click.option("--answer", help="The model answer.")
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Default: ml.")
@click.option("--topic", help=f"Default: {DEFAULT_TOPIC!r}.")
@click.option(
    "--minutes",
    type=click.IntRange(1, MAX_MINUTES),
    default=DEFAULT_MINUTES,
    show_default=True,
    help="Minutes to learn it the first time.",
)
@click.option(
    "--company", "companies", type=click.Choice(COMPANIES), multiple=True, help="Repeatable."
)
@click.option(
    "--priority",
    type=click.Choice([p.value for p in Priority]),
    default=Priority.COMMON.value,
    show_default=True,
)
@click.pass_obj
def card_add(
    workspace: Workspace,
    prompt: str | None,
    answer: str | None,
    track: str | None,
    topic: str | None,
    minutes: int,
    companies: tuple[str, ...],
    priority: str,
) -> None:
    """Add a card: asks for what the options do not give."""
    asking = prompt is None
    if prompt is None:
        prompt = str(click.prompt("Question")).strip()
    if answer is None:
        answer = str(click.prompt("Answer")).strip()
    if track is None:
        choices = click.Choice([t.value for t in Track])
        track = str(click.prompt("Track", default=DEFAULT_TRACK, type=choices)) if asking else None
    if topic is None:
        topic = str(click.prompt("Topic", default=DEFAULT_TOPIC)) if asking else DEFAULT_TOPIC
    new = own_cards.NewCard(
        prompt, answer, track or DEFAULT_TRACK, topic, minutes, companies, priority
    )
    made, path = own_cards.add_card(workspace, new)
    click.echo(f"Added {made.id} ({one_line(str(path))}); it joins the plan as a new card.")


@card.command("edit")
@click.argument("card_id")
@click.pass_obj
def card_edit(workspace: Workspace, card_id: str) -> None:
    """Open the card's file in $EDITOR; its reviews stay with its id."""
    with card_files.lock(workspace, to_stderr):
        _edit(workspace, card_id)


def _edit(workspace: Workspace, card_id: str) -> None:
    path = own_cards.prepare_edit(workspace, card_id)
    before = own_cards.EditSnapshot.take(path)
    shown = one_line(str(path))
    try:
        click.edit(filename=str(path))
    except click.ClickException as exc:  # the editor failed to start or exited non-zero
        kept = before.restore()
        aside = f"; what it wrote is in {one_line(str(kept))}" if kept else ""
        raise click.ClickException(
            f"{one_line(exc.message)} — {shown} is restored as it was{aside}"
        ) from None
    result = own_cards.check_edit(path, card_id)
    if result.problems and before.valid:  # the edit broke a good file: its cards stay planned
        kept = before.restore()
        more = f" (and {len(result.problems) - 1} more)" if len(result.problems) > 1 else ""
        raise click.ClickException(
            f"{one_line(result.problems[0])}{more} — {shown} is restored as it was; your edit"
            f" is in {one_line(str(kept))} to fix and copy back"
        )
    if result.problems:
        more = f" (and {len(result.problems) - 1} more)" if len(result.problems) > 1 else ""
        message = (
            f"{one_line(result.problems[0])}{more} — the file is saved as you left it; "
            f"fix it (`studyplan check` lists every problem)"
        )
        if not result.kept:
            raise click.ClickException(message)
        click.echo(f"Warning: {message}", err=True)
    if not result.kept:
        click.echo(
            f"{shown} no longer holds {card_id}: its reviews stay in the log under that id, "
            "and come back if a card takes the id again."
        )
    else:
        click.echo(f"Saved {card_id} ({shown}).")


@card.command("remove")
@click.argument("card_id")
@click.pass_obj
def card_remove(workspace: Workspace, card_id: str) -> None:
    """Remove the card from its file; its reviews stay in the log."""
    path, media = card_files.remove_card(workspace, card_id, to_stderr)
    reviews = len(workspace.store.history(card_id))
    click.echo(
        f"Removed {one_line(card_id)} from {one_line(str(path))}; its {reviews} review(s) stay "
        "in the log."
    )
    if media:
        click.echo(f"Deleted {len(media)} media file(s) no other card shows: {listed(media)}.")


@card.command("suspend")
@click.argument("card_id")
@date_option
@click.pass_obj
def card_suspend(workspace: Workspace, card_id: str, day: date | None) -> None:
    """Leave a card out of every plan, review, mock and calendar; its schedule is kept."""
    since = marks.suspend(workspace, card_id, today_or(day))
    shown = one_line(card_id)
    if since is not None:
        click.echo(f"{shown} is already suspended (since {since}).")
        return
    click.echo(
        f"Suspended {shown}: it is left out of every plan, review, mock and calendar until "
        f"`studyplan card unsuspend {shown}`."
    )


@card.command("unsuspend")
@click.argument("card_id")
@date_option
@click.pass_obj
def card_unsuspend(workspace: Workspace, card_id: str, day: date | None) -> None:
    """Bring a suspended card back into the plan, its schedule as it was."""
    was, state = marks.unsuspend(workspace, card_id, today_or(day))
    shown = one_line(card_id)
    if not was:
        click.echo(f"{shown} is not suspended.")
        return
    where = "as a new card" if state is None else f"next review {state.due}"
    click.echo(f"{shown} is back in the plan ({where}).")


@card.command("known")
@click.argument("card_id")
@date_option
@click.pass_obj
def card_known(workspace: Workspace, card_id: str, day: date | None) -> None:
    """A card you learned before: no longer new, first review in about a week."""
    state = marks.mark_known(workspace, card_id, today_or(day))
    days = (state.due - state.last_review).days
    click.echo(
        f"Marked {one_line(card_id)} known: it is no longer new; first review {state.due} "
        f"(in {days} day{'s' if days != 1 else ''})."
    )
