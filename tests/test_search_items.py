"""Items: what is searchable, and hashes that decide what must be re-embedded."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from studyplan.adapters.search.items import Item, collection_fingerprint, items_from_content
from studyplan.core.model import Card, Difficulty, Section, Track

CARD = Card(
    id="coding-two-sum",
    track=Track.CODING,
    topic="arrays and hashing",
    companies=("google", "amazon"),
    difficulty=Difficulty.EASY,
    minutes=6,
    prompt="Return the indices of two numbers that add up to a target.",
    answer="- One pass with a hash map.",
    source="corpus/cards/coding-arrays.toml:5",
)
SECTION = Section(
    id="guide:company-apple#how-apple-interviews-ml-engineers",
    title="Apple: ML engineer guide: How Apple interviews ML engineers",
    text="Apple's ML hiring has two marked emphases.",
    source="company-apple.md:31",
    track="company",
    companies=("apple",),
)


def test_cards_and_sections_become_items() -> None:
    section, card = items_from_content([CARD], [SECTION])
    assert (card.id, card.kind, card.title, card.track) == (
        "coding-two-sum",
        "card",
        CARD.prompt,
        "coding",
    )
    assert card.text == f"{CARD.prompt}\n\n{CARD.answer}"
    assert card.companies == ("google", "amazon") and card.source == CARD.source
    assert (section.id, section.kind, section.title, section.text) == (
        SECTION.id,
        "section",
        SECTION.title,
        SECTION.text,
    )
    assert section.track == "company" and section.companies == ("apple",)
    assert section.indexed_text.startswith(SECTION.title)


def test_digest_follows_the_indexed_text_only() -> None:
    (card,) = items_from_content([CARD], [])
    moved = items_from_content([replace(CARD, source="elsewhere.toml:99")], [])[0]
    edited = items_from_content([replace(CARD, answer="- Sort, then two pointers.")], [])[0]
    assert len(card.digest) == 64
    assert moved.digest == card.digest
    assert edited.digest != card.digest


def test_fingerprint_sees_metadata_and_order() -> None:
    items = items_from_content([CARD], [SECTION])
    moved = items_from_content([replace(CARD, source="x.toml:1")], [SECTION])
    retagged = items_from_content([replace(CARD, companies=("meta",))], [SECTION])
    base = collection_fingerprint(items)
    assert base == collection_fingerprint(list(items))
    assert base != collection_fingerprint(moved)
    assert base != collection_fingerprint(retagged)
    assert base != collection_fingerprint(items[::-1])


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        Item(id="x", kind="video", title="", text="", source="", track="", companies=())


def test_items_and_refresh_modules_import_nothing_heavy() -> None:
    code = (
        "import sys, studyplan.adapters.search.items, studyplan.adapters.search.index;"
        "heavy = {'torch', 'transformers', 'sentence_transformers', 'faiss', 'onnxruntime',"
        " 'tokenizers', 'bm25s', 'scipy'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
