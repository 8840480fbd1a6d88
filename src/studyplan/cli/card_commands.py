"""Your own cards: card add, card edit, card remove."""

from __future__ import annotations

import click

from studyplan.adapters import own_cards
from studyplan.adapters.content.cards import MAX_MINUTES
from studyplan.adapters.content.qa_markdown import DEFAULT_MINUTES, DEFAULT_TRACK
from studyplan.app.workspace import Workspace
from studyplan.cli.app import main
from studyplan.core.model import COMPANIES, Priority, Track
from studyplan.core.text_safety import one_line

DEFAULT_TOPIC = "my cards"


@main.group()
def card() -> None:
    """Your own question cards: add, edit, remove."""


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
    path = own_cards.remove_card(workspace, card_id)
    reviews = len(workspace.store.history(card_id))
    click.echo(
        f"Removed {card_id} from {one_line(str(path))}; its {reviews} review(s) stay in the log."
    )
