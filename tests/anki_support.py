"""Building real Anki collections and packages with the official `anki` library, and reading
what Anki itself makes of a package."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from anki.collection import (
    Collection,
    DeckIdLimit,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)


@contextmanager
def collection(folder: Path, name: str = "collection.anki2") -> Iterator[Collection]:
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / name))
    try:
        yield col
    finally:
        col.close()


def add_note(
    col: Collection, notetype: str, deck: str, fields: dict[str, str], tags: Sequence[str] = ()
) -> Any:
    note = col.new_note(col.models.by_name(notetype))
    for key, value in fields.items():
        note[key] = value
    note.tags = list(tags)
    col.add_note(note, col.decks.id(deck))
    return note


def export_deck(col: Collection, deck: str, out: Path, legacy: bool = False) -> Path:
    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_media=True, legacy=legacy, with_deck_configs=False
        ),
        limit=DeckIdLimit(col.decks.id(deck)),
    )
    return out


def export_colpkg(col: Collection, out: Path) -> Path:
    """The whole collection as a current-format .colpkg (Anki closes it to export; it is
    opened again after)."""
    col.export_collection_package(str(out), include_media=True, legacy=False)
    col.reopen()
    return out


def import_package(col: Collection, package: Path) -> Any:
    """Anki's own import of `package`; returns its log (new, updated, duplicate... notes)."""
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
    )
    return col.import_anki_package(request).log


def review_all(col: Collection, deck: str, eases: Sequence[int]) -> int:
    """Answer the deck's queue with Anki's scheduler, one ease per card shown; how many."""
    col.decks.select(col.decks.id(deck))
    done = 0
    for ease in eases:
        card = col.sched.getCard()
        if card is None:
            break
        col.sched.answerCard(card, ease)
        done += 1
    return done


def anki_today(col: Collection) -> date:
    """The calendar day Anki counts as today (its day starts at the rollover hour)."""
    rollover = col.get_config("rollover", 4)
    return (datetime.now() - timedelta(hours=rollover)).date()


def due_date(col: Collection, due: int) -> date:
    """The date of a review card's due day number, from Anki's own day count."""
    return anki_today(col) + timedelta(days=due - col.sched.today)
