"""Changing the user's own card files: one command at a time (an Anki import rewrites its
files whole, so an edit or a removal made meanwhile would be lost), and a card's removal with
the media files no other card shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from studyplan.adapters import locks, own_cards
from studyplan.adapters.anki.media import remove_unused
from studyplan.adapters.folders import CARD_FILES_LOCK, MEDIA_FOLDER
from studyplan.app.workspace import Workspace
from studyplan.core.model import Card


def lock(
    workspace: Workspace, notify: Callable[[str], None] | None = None
) -> AbstractContextManager[None]:
    """Held while a command changes the card files; `notify` hears when it has to wait."""

    def waiting() -> None:
        if notify is not None:
            notify(
                f"Another studyplan command is changing the cards in {workspace.home}: "
                "waiting for it to finish…"
            )

    return locks.exclusive(workspace.home / CARD_FILES_LOCK, waiting)


def remove_card(
    workspace: Workspace, card_id: str, notify: Callable[[str], None] | None = None
) -> tuple[Path, list[str]]:
    """Take the card out of its file (its reviews stay in the log); the file it was in, and
    the media files only it showed, now deleted from `media/`."""
    cards = workspace.own_cards  # read before the removal: the card as it was
    gone = next((card for card in cards if card.id == card_id), None)
    with lock(workspace, notify):
        path = own_cards.remove_card(workspace, card_id)
    if gone is None:
        return path, []
    return path, remove_media(workspace, gone.media, [c for c in cards if c.id != card_id])


def remove_media(
    workspace: Workspace, names: Iterable[str], remaining: Iterable[Card]
) -> list[str]:
    """Delete from `media/` the files of `names` (shown by cards just removed) that none of
    the `remaining` cards shows; the names deleted."""
    shown = {name for card in remaining for name in card.media}
    return remove_unused(workspace.home / MEDIA_FOLDER, names, shown)
