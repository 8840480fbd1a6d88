"""Snippets: the best matching window of a text, with query words (by stem) highlighted."""

from __future__ import annotations

import pytest
import Stemmer
from hypothesis import given
from hypothesis import strategies as st

from studyplan.adapters.search.snippet import (
    ELLIPSIS,
    LEAD_CHARS,
    _best_window_start,
    make_snippet,
)

STEM = Stemmer.Stemmer("english").stemWord
STOP = frozenset({"the", "a", "of", "to", "and", "in"})


def stems(*words: str) -> set[str]:
    return {STEM(w) for w in words}


def marked(snippet_text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [snippet_text[a:b] for a, b in spans]


def test_short_text_is_whole_and_marks_words_by_stem() -> None:
    snippet = make_snippet("Apple interviews ML engineers.", stems("interview"), STEM)
    assert snippet.text == "Apple interviews ML engineers."
    assert marked(snippet.text, snippet.highlights) == ["interviews"]


def test_window_moves_to_the_densest_matches() -> None:
    filler = "Lorem ipsum dolor sit amet consectetur. " * 12
    text = f"{filler}Reverse the linked list in place by relinking each node. {filler}"
    snippet = make_snippet(text, stems("reverse", "linked", "list"), STEM, stopwords=STOP)
    assert snippet.text.startswith(ELLIPSIS) and snippet.text.endswith(ELLIPSIS)
    assert len(snippet.text) <= 202
    assert marked(snippet.text, snippet.highlights) == ["Reverse", "linked", "list"]


def test_window_prefers_more_distinct_terms_over_repeats() -> None:
    text = "cache cache cache cache. " + "filler words here. " * 20 + "cache eviction policy LRU."
    snippet = make_snippet(text, stems("cache", "eviction", "policy"), STEM, width=60)
    assert "eviction" in marked(snippet.text, snippet.highlights)


def test_no_match_shows_the_start_cut_at_a_word() -> None:
    text = "word " * 100
    snippet = make_snippet(text, stems("absent"), STEM)
    assert snippet.highlights == ()
    assert snippet.text.endswith(ELLIPSIS)
    assert snippet.text[:-1].split(" ")[-1] == "word"


def test_whitespace_is_flattened_and_spans_stay_aligned() -> None:
    text = "- Two pointers:\n\n  slow and fast\n- detect a cycle"
    snippet = make_snippet(text, stems("cycle", "pointer"), STEM, stopwords=STOP)
    assert "\n" not in snippet.text
    assert marked(snippet.text, snippet.highlights) == ["pointers", "cycle"]


def test_stop_words_are_not_highlighted() -> None:
    snippet = make_snippet("the cost of the model", stems("the", "cost"), STEM, stopwords=STOP)
    assert marked(snippet.text, snippet.highlights) == ["cost"]


def test_text_without_spaces_is_cut_without_error() -> None:
    text = "机器学习工程师" * 60
    snippet = make_snippet(text, stems("机器学习工程师"), STEM)
    assert snippet.text.endswith(ELLIPSIS)


def _window_by_brute_force(matches: list[tuple[int, int, str]], width: int) -> int:
    """The best window's start by counting every window afresh (quadratic, for reference)."""
    best_key, best_start = (-1, -1), matches[0][0]
    for i, (start, _, _) in enumerate(matches):
        inside = [m for m in matches[i:] if m[1] <= start + width - LEAD_CHARS]
        key = (len({m[2] for m in inside}), len(inside))
        if key > best_key:
            best_key, best_start = key, start
    return best_start


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(2, 9), st.sampled_from("abcd")), min_size=1),
    st.integers(LEAD_CHARS + 1, 240),
)
def test_the_window_is_the_best_one(words: list[tuple[int, int, str]], width: int) -> None:
    matches, position = [], 0
    for gap, length, stem in words:
        position += gap
        matches.append((position, position + length, stem))
        position += length + 1
    assert _best_window_start(matches, width) == _window_by_brute_force(matches, width)


@pytest.mark.timeout(10)
def test_a_two_mebibyte_note_full_of_the_query_word_is_quick() -> None:
    text = "attention is all " * (2 * 1024 * 1024 // 17)
    snippet = make_snippet(text, {"attent"}, lambda word: word[:6])
    assert snippet.text.startswith("attention") and len(snippet.highlights) >= 10
