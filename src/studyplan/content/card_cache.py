"""A parsed copy of the card files, so a day's plan does not re-read TOML on every start.

Keyed on each file's path, size and modification time: any change, and the cards are parsed
again. The cache is disposable: an unreadable one is ignored and rewritten.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from studyplan.content.cards import load_cards
from studyplan.content.model import Card

FORMAT = 2  # raised whenever Card changes shape


def _signature(paths: Sequence[Path]) -> list[tuple[str, int, int]]:
    signature = []
    for path in paths:
        stat = path.stat()
        signature.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns))
    return signature


def load_cards_cached(paths: Sequence[Path], cache_file: Path) -> list[Card]:
    """The cards of `paths`, from the cache when no file changed since it was written."""
    try:
        key = (FORMAT, _signature(paths))
    except OSError:
        return load_cards(paths)  # a file vanished or is unreadable: let parsing report it
    try:
        with cache_file.open("rb") as handle:
            stored_key, cards = pickle.load(handle)
        if stored_key == key:
            return list(cards)
    except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
        pass
    cards = load_cards(paths)  # raises on invalid cards: nothing is cached then
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temp = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
        with temp.open("wb") as handle:
            pickle.dump((key, cards), handle, protocol=pickle.HIGHEST_PROTOCOL)
        temp.replace(cache_file)
    except OSError:
        pass  # a read-only workspace still works, just without the speed-up
    return cards
