"""Spelling correction of query words against the indexed collection's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyplan.adapters.search.lexical import LexicalIndex, build_lexical, respell
from studyplan.adapters.search.spelling import Speller, edit_distance

WORDS = {"interview": 40, "microsoft": 12, "precision": 5, "characters": 3, "decision": 9}


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("interview", "interview", 0),
        ("interveiw", "interview", 1),  # adjacent swap is one edit
        ("precison", "precision", 1),
        ("charcters", "characters", 1),
        ("kitten", "sitting", 3),
        ("", "abc", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, limit=5) == distance


def test_edit_distance_stops_past_the_limit() -> None:
    assert edit_distance("abcdefgh", "zyxwvuts", limit=2) == 3


def test_corrects_typos_to_collection_words() -> None:
    speller = Speller(WORDS)
    assert speller.correct("interveiw") == "interview"
    assert speller.correct("microsfot") == "microsoft"
    assert speller.correct("precison") == "precision"


def test_leaves_known_short_and_distant_words_alone() -> None:
    speller = Speller(WORDS, lambda: {"coaching"})
    assert speller.correct("interview") is None  # already a collection word
    assert speller.correct("coaching") is None  # a real word the collection lacks
    assert speller.correct("intv") is None  # too short to correct safely
    assert speller.correct("zebrafish") is None  # nothing close


def test_prefers_the_more_frequent_of_equally_close_words() -> None:
    speller = Speller({"decision": 9, "precision": 5})
    assert speller.correct("xecision") == "decision"


def test_known_words_load_lazily_and_once() -> None:
    loads: list[int] = []

    def known() -> set[str]:
        loads.append(1)
        return set()

    speller = Speller(WORDS, known)
    assert loads == []
    speller.correct("interveiw")
    speller.correct("precison")
    assert loads == [1]


@pytest.mark.model  # the speller reads the model's vocabulary
def test_lexical_index_scores_misspelt_queries(tmp_path: Path) -> None:
    build_lexical(["How Microsoft interviews engineers", "Mixed precision training"], tmp_path)
    index = LexicalIndex.load(tmp_path)
    assert index.corrections("microsfot interveiw") == {
        "microsfot": "microsoft",
        "interveiw": "interviews",
    }
    assert index.scores("microsfot interveiw")[0] > 0
    assert index.corrections("coaching interviews") == {}  # a real word stays as typed


def test_respell_replaces_whole_words_case_insensitively() -> None:
    fixes = {"microsfot": "microsoft"}
    assert respell("Microsfot interviews, microsfots", fixes) == "microsoft interviews, microsfots"
    assert respell("unchanged", {}) == "unchanged"
