"""`studyplan place`: a quick pass over unstudied cards, one key each, marking what you know."""

from __future__ import annotations

import sys
from datetime import date

import click
from rich.console import Console

from studyplan.app import marks
from studyplan.app.workspace import Workspace
from studyplan.cli.app import date_option, main, new_console, today_or
from studyplan.cli.render import literal
from studyplan.core.model import COMPANIES, Card, Track

KNOW, DONT_KNOW, BACK, STOP = "y", "n", "u", "q"


def read_key() -> str:
    """One key: at a terminal without Enter; from a pipe, the next character that is not
    white space. The end of input, Ctrl-C and Ctrl-D read as stop."""
    try:
        if sys.stdin.isatty():
            return click.getchar().lower()
        while True:
            key = sys.stdin.read(1)
            if not key:
                return STOP
            if not key.isspace():
                return key.lower()
    except (EOFError, KeyboardInterrupt):
        return STOP


def _show(console: Console, card: Card, number: int, count: int) -> None:
    console.rule(
        literal(f"{number} of {count} · {card.priority.value} · {card.track.value} · {card.id}")
    )
    console.print(literal(card.prompt))


@main.command()
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Only this track.")
@click.option("--company", type=click.Choice(COMPANIES), help="Only cards tagged for this company.")
@date_option
@click.pass_obj
def place(workspace: Workspace, track: str | None, company: str | None, day: date | None) -> None:
    """Placement: the prompts of cards you have not studied, core first; y marks one known,
    n leaves it to learn. Every answer is saved at once; stop any time."""
    today_ = today_or(day)
    cards = marks.placement_cards(workspace, track, company)
    console = new_console()
    if not cards:
        console.print("Nothing to place: every card here is studied, suspended or answered.")
        return
    console.print(
        f"Placement: {len(cards)} card(s) not studied yet, core first. For each, {KNOW} if you "
        f"could answer it in an interview today, {DONT_KNOW} if not; {BACK} takes back the last "
        f"answer, {STOP} stops. Every answer is saved at once.",
        markup=False,
    )
    answered: list[tuple[Card, bool]] = []
    position, shown = 0, -1
    while position < len(cards):
        card = cards[position]
        if shown != position:
            _show(console, card, position + 1, len(cards))
            shown = position
        console.print(f"Know it? {KNOW}/{DONT_KNOW} ({BACK} back, {STOP} stop): ", end="")
        key = read_key()
        console.print(key if key.isprintable() else "")
        if key == STOP:
            break
        if key == BACK:
            if not answered:
                console.print("Nothing to take back in this pass.")
                continue
            if workspace.store.undo_last(today_, mark_on=answered[-1][0].id) is None:
                raise click.ClickException(
                    "the last answer is no longer the latest change (a grade came after it), "
                    "so it was left as it is"
                )
            answered.pop()
            position -= 1
            continue
        if key not in (KNOW, DONT_KNOW):
            console.print(f"{KNOW}, {DONT_KNOW}, {BACK} or {STOP}.", markup=False)
            continue
        marks.place(workspace, card, key == KNOW, today_)
        answered.append((card, key == KNOW))
        position += 1
    known = sum(1 for _, is_known in answered if is_known)
    left = len(cards) - position
    console.print(
        f"Placed {len(answered)} card(s): {known} known (first review in about a week), "
        f"{len(answered) - known} to learn as new cards."
        + (f" {left} not placed yet: `studyplan place` goes on from there." if left else ""),
        markup=False,
    )
