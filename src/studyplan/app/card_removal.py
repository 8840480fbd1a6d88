"""Removing one of the user's own cards, with the media files no other card shows."""

from __future__ import annotations

from pathlib import Path

from studyplan.adapters import own_cards
from studyplan.adapters.anki.media import remove_unused
from studyplan.adapters.folders import MEDIA_FOLDER
from studyplan.app.workspace import Workspace


def remove_card(workspace: Workspace, card_id: str) -> tuple[Path, list[str]]:
    """Take the card out of its file (its reviews stay in the log); the file it was in, and
    the media files only it showed, now deleted from `media/`."""
    path = own_cards.remove_card(workspace, card_id)
    gone = next((card for card in workspace.own_cards if card.id == card_id), None)
    if gone is None or not gone.media:
        return path, []
    shown = {name for card in workspace.own_cards if card.id != card_id for name in card.media}
    return path, remove_unused(workspace.home / MEDIA_FOLDER, gone.media, shown)
