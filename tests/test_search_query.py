"""Querying the real-corpus index: modes, filters, snippets, bad input, the cold fast path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studyplan.adapters.search.errors import BadQuery
from studyplan.adapters.search.items import Item
from studyplan.adapters.search.query import Hit, search

pytestmark = pytest.mark.model  # every test here needs the embedding model

APPLE_INTERVIEWS = "guide:company-apple#how-apple-interviews-ml-engineers"


def test_apple_question_finds_apples_interview_section(index_dir: Path) -> None:
    hits = search(index_dir, "how does Apple interview")
    assert APPLE_INTERVIEWS in [hit.id for hit in hits[:3]]


@pytest.mark.parametrize("mode", ["hybrid", "semantic", "lexical"])
@pytest.mark.parametrize("fusion", [None, "rrf", "linear"])
def test_every_mode_and_fusion_ranks_the_obvious_card_first(
    index_dir: Path, mode: str, fusion: str | None
) -> None:
    hits = search(index_dir, "reverse a singly linked list", mode=mode, fusion=fusion)
    assert len(hits) == 10
    assert "coding-reverse-linked-list" in [hit.id for hit in hits[:3]]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hits_carry_item_fields(index_dir: Path, corpus: dict[str, Item]) -> None:
    for hit in search(index_dir, "gradient boosting versus random forest", k=5):
        item = corpus[hit.id]
        assert (hit.kind, hit.title, hit.text, hit.source, hit.track, hit.companies) == (
            item.kind,
            item.title,
            item.text,
            item.source,
            item.track,
            item.companies,
        )


def test_snippet_shows_the_answer_with_query_words_marked_by_stem(index_dir: Path) -> None:
    hits = search(index_dir, "reverse a singly linked list", k=3)
    (hit,) = [h for h in hits if h.id == "coding-reverse-linked-list"]
    assert not hit.snippet.lstrip("…").startswith(hit.title)  # the title is shown apart
    marked = {hit.snippet[a:b].lower() for a, b in hit.highlights}
    assert {"reverse", "lists"} <= marked  # "lists" matches the query's "list" by stem
    assert len(hit.snippet) <= 210


def test_snippet_marks_corrected_spellings(index_dir: Path) -> None:
    hit = search(index_dir, "microsfot interveiw stages", k=1)[0]
    assert hit.id == "co-microsoft-interview-process"
    marked = {hit.snippet[a:b].lower() for a, b in hit.highlights}
    assert "interviews" in marked


@pytest.mark.parametrize(
    ("option", "value"),
    [("track", "coding"), ("track", "behavioral"), ("company", "ibm"), ("kind", "section")],
)
def test_filters_still_return_k_hits(
    index_dir: Path, corpus: dict[str, Item], option: str, value: str
) -> None:
    # A query that mostly matches other material: filtering after ranking would come up short.
    hits = search(index_dir, "how does Apple interview", k=10, **{option: value})  # type: ignore[arg-type]
    assert len(hits) == 10
    field = {"track": "track", "company": "companies", "kind": "kind"}[option]
    for hit in hits:
        found = getattr(corpus[hit.id], field)
        assert value in found if field == "companies" else found == value


def test_filters_combine_and_may_match_fewer_than_k(
    index_dir: Path, corpus: dict[str, Item]
) -> None:
    matching = [i for i in corpus.values() if i.kind == "section" and "tesla" in i.companies]
    hits = search(index_dir, "autopilot", k=50, company="Tesla", kind="section")
    assert {h.id for h in hits} == {i.id for i in matching}


def test_k_edges(index_dir: Path, corpus: dict[str, Item]) -> None:
    assert len(search(index_dir, "attention", k=1)) == 1
    assert len(search(index_dir, "attention", k=10_000, mode="semantic")) == len(corpus)
    for bad in (0, -3):
        with pytest.raises(BadQuery, match="k must be a whole number of at least 1"):
            search(index_dir, "attention", k=bad)


@pytest.mark.parametrize("query", ["", "   ", "\n\t "])
def test_empty_query_is_a_named_error(index_dir: Path, query: str) -> None:
    with pytest.raises(BadQuery, match="empty query"):
        search(index_dir, query)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mode": "fuzzy"}, "unknown search mode 'fuzzy'"),
        ({"fusion": "max"}, "unknown fusion 'max'"),
        ({"kind": "video"}, "unknown kind 'video'"),
        ({"track": "cooking"}, "unknown track 'cooking'"),
        ({"company": "initech"}, "unknown company 'initech'"),
    ],
)
def test_unknown_options_are_named_errors(
    index_dir: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(BadQuery, match=message):
        search(index_dir, "attention", **options)  # type: ignore[arg-type]


def test_very_long_query_is_answered(index_dir: Path) -> None:
    query = ("how to design a feature store for online and offline features " * 160)[:10_000]
    hits = search(index_dir, query)
    assert len(hits) == 10
    assert any("feature" in hit.text.lower() for hit in hits[:3])


@pytest.mark.parametrize(
    "query",
    [
        "wie bereitet man sich auf ein Vorstellungsgespräch vor",
        "机器学习面试",
        "¿qué es la atención?",
    ],
)
def test_non_english_queries_give_results_not_errors(index_dir: Path, query: str) -> None:
    hits = search(index_dir, query)
    assert len(hits) in (0, 10)  # ten results, or none when nothing is close enough
    assert isinstance(search(index_dir, query, mode="lexical"), list)


def test_punctuation_only_query(index_dir: Path) -> None:
    assert search(index_dir, "?!", mode="lexical") == []
    assert search(index_dir, "?!") == []  # no word, nothing close in meaning


@pytest.mark.parametrize("query", ["zzqxj", "qwxv zzkj", "asdfghjkl", "🙂"])
@pytest.mark.parametrize("mode", ["hybrid", "semantic", "lexical"])
def test_nonsense_answers_nothing_in_every_mode(index_dir: Path, query: str, mode: str) -> None:
    assert search(index_dir, query, mode=mode) == []


def test_a_rare_exact_word_is_not_buried(index_dir: Path) -> None:
    # "LRU" is only in the card's id; its text says "Least Recently Used".
    assert "coding-lru-cache" in [h.id for h in search(index_dir, "LRU cache")[:3]]
    top = [h.id for h in search(index_dir, "top-p nucleus sampling and temperature")[:2]]
    assert "ml-llm-top-k-top-p" in top and "coding-daily-temperatures" not in top


def test_cold_search_process_never_imports_torch(index_dir: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyplan.adapters.search.query import search\n"
        f"hits = search(Path({str(index_dir)!r}), 'how does Apple interview')\n"
        "heavy = {'torch', 'transformers', 'sentence_transformers', 'bm25s', 'scipy'}\n"
        "print(hits[0].id, sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == ""
    first, loaded = out.stdout.split(" ", 1)
    assert loaded.strip() == "[]"
    assert first.startswith(("guide:company-apple", "co-apple"))


def test_hit_is_a_frozen_record(index_dir: Path) -> None:
    hit = search(index_dir, "attention", k=1)[0]
    assert isinstance(hit, Hit)
    with pytest.raises(AttributeError):
        hit.score = 0.0  # type: ignore[misc]
