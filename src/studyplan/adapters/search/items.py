"""Searchable items: every guide section and every card, flattened to one record type.

Pure and light: importing this module pulls in nothing beyond the standard library.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from studyplan.core.model import Card, Section

KINDS = ("section", "card")
# Bump when the embedded text's layout changes: every digest changes, so everything re-embeds.
TEXT_LAYOUT = "v1"
# Bump when only the BM25 text changes: the index is rewritten, nothing is embedded again.
LEXICAL_LAYOUT = "card-ids"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: str  # "section" | "card"
    title: str
    text: str
    source: str
    track: str
    companies: tuple[str, ...]
    # sha256 of `indexed_text`: decides whether the stored embedding can be reused.
    digest: str = field(default="", compare=False)
    related: tuple[str, ...] = ()  # a card's related cards, which search folds into it

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"item kind must be one of {KINDS}, not {self.kind!r}")
        if not self.digest:
            object.__setattr__(self, "digest", text_digest(self.indexed_text))

    @property
    def indexed_text(self) -> str:
        """What is embedded and BM25-indexed: a card's text already starts with its prompt.

        (Prefixing cards with their topic was measured and lowered semantic MRR@10.)
        """
        return self.text if self.kind == "card" else f"{self.title}\n{self.text}"

    @property
    def lexical_text(self) -> str:
        """What BM25 indexes: the embedded text, and for a card the words of its id, which
        name what the card is about in the words people type ("coding-lru-cache" for a card
        that spells out "Least Recently Used")."""
        if self.kind != "card":
            return self.indexed_text
        return f"{self.indexed_text}\n{self.id.replace('-', ' ').replace('_', ' ')}"

    def record(self) -> dict[str, object]:
        """Everything but the digest, as JSON-ready values."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "track": self.track,
            "companies": list(self.companies),
            "related": list(self.related),
        }


def text_digest(text: str) -> str:
    return hashlib.sha256(f"{TEXT_LAYOUT}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def card_item(card: Card) -> Item:
    return Item(
        id=card.id,
        kind="card",
        title=card.prompt,
        text=f"{card.prompt}\n\n{card.answer}",
        source=card.source,
        track=str(card.track),
        companies=tuple(card.companies),
        related=tuple(card.related),
    )


def section_item(section: Section) -> Item:
    return Item(
        id=section.id,
        kind="section",
        title=section.title,
        text=section.text,
        source=section.source,
        track=section.track,
        companies=tuple(section.companies),
    )


def items_from_content(cards: Sequence[Card], sections: Sequence[Section]) -> list[Item]:
    """Sections first, then cards, each in the order given."""
    return [*(section_item(s) for s in sections), *(card_item(c) for c in cards)]


def collection_fingerprint(items: Sequence[Item]) -> str:
    """One hash over every field of every item, in order: equal means nothing to refresh."""
    digest = hashlib.sha256(f"{TEXT_LAYOUT}/{LEXICAL_LAYOUT}".encode())
    for item in items:
        for value in (item.id, item.kind, item.title, item.source, item.track, item.digest):
            digest.update(value.encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
        digest.update("\x1e".join(item.companies).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1d")
        digest.update("\x1e".join(item.related).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1d")
    return digest.hexdigest()
