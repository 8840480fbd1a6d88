"""Shared helpers for the search tests (no tests here).

The real-corpus index is built once per test session, whichever search test module asks first;
each module's session fixture calls `real_index`.
"""

from __future__ import annotations

import functools
import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from studyplan.content.cards import check_cards
from studyplan.content.guides import load_sections
from studyplan.search.index import RefreshReport, refresh_index
from studyplan.search.items import Item, items_from_content
from studyplan.search.model_files import model_dir
from studyplan.workspace import default_corpus

QUERIES_FILE = Path(__file__).with_name("search_queries.toml")
_built: dict[str, tuple[Path, RefreshReport]] = {}


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    relevant: tuple[str, ...]
    track: str
    tags: tuple[str, ...]


def corpus_items() -> list[Item]:
    """Cards and guide sections of the shipped corpus, as the CLI collects them."""
    corpus = default_corpus()
    cards, _ = check_cards(sorted((corpus / "cards").glob("*.toml")))
    sections = load_sections(sorted((corpus / "guides").glob("*.md")))
    return items_from_content(cards, sections)


def real_index(factory: pytest.TempPathFactory) -> tuple[Path, RefreshReport]:
    if "real" not in _built:
        folder = factory.mktemp("real-index")
        _built["real"] = (folder, refresh_index(folder, corpus_items()))
    return _built["real"]


@functools.cache
def sentence_transformer() -> Any:
    """The packaged model in sentence-transformers (torch): the reference the ONNX export is
    held to. Offline: nothing is fetched from the Hugging Face hub."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir()), device="cpu")


def shipped_index_path() -> Path:
    """Where the CLI looks for the shipped corpus's index in this test (see conftest.py)."""
    return Path(os.environ["STUDYPLAN_INDEX"])


def copy_index(source: Path, target: Path) -> Path:
    """A private copy a test may damage (copy2 keeps file times, so it stays 'unchanged')."""
    shutil.copytree(source, target)
    return target


def labelled_queries() -> list[LabelledQuery]:
    data = tomllib.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    return [
        LabelledQuery(
            query=entry["query"],
            relevant=tuple(entry["relevant"]),
            track=entry["track"],
            tags=tuple(entry.get("tags", ())),
        )
        for entry in data["query"]
    ]
