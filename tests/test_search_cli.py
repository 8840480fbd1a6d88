"""The search commands end to end: index, search, add, over the real model and corpus."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

pytestmark = pytest.mark.model  # every test here needs the embedding model

Run = Callable[..., Result]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "ml-engineer-career-guide.txt"
HANDBOOK = SHARED / "testdocs" / "interview-formats-top-companies.md"
needs_shared = pytest.mark.skipif(
    not SEED.exists(), reason="shared documents not beside the checkout"
)


@pytest.fixture(autouse=True)
def built_index(
    isolated_home: Path, copy_real_index: Callable[[Path], Path], shipped_index: Path
) -> Path:
    """Each test starts from a private copy of the one index the session builds."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    return copy_real_index(shipped_index)


def search_json(run: Run, query: str, *options: str) -> list[dict]:
    result = run("search", query, "--json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_search_answers_in_the_contract_shape(run: Run) -> None:
    hits = search_json(run, "how does Apple interview", "-k", "5")
    assert len(hits) == 5
    for hit in hits:
        assert set(hit) >= {"id", "kind", "title", "text", "score", "source"}
        assert hit["kind"] in {"section", "card"}
    assert "apple" in hits[0]["companies"]
    assert "guide:company-apple#how-apple-interviews-ml-engineers" in [h["id"] for h in hits[:3]]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_guide_hits_read_without_citation_markers(run: Run) -> None:
    """Guides cite sources as [^key]; search indexes and prints their prose without them."""
    hits = search_json(run, "how much do ML engineers earn", "--kind", "section", "-k", "5")
    assert any(h["id"].startswith("guide:compensation#") for h in hits)
    assert all("[^" not in h["text"] and "[^" not in h["snippet"] for h in hits)
    table = run("search", "Bar Raiser and Leadership Principles", "--kind", "section", "-k", "3")
    assert table.exit_code == 0 and "[^" not in table.output


def test_table_shows_rank_title_and_where(run: Run) -> None:
    result = run("search", "reverse a linked list in place", "-k", "3")
    assert result.exit_code == 0
    assert "Results for 'reverse a linked list in place'" in result.output
    assert "coding-reverse-linked-list" in result.output


def test_filters(run: Run) -> None:
    sections = search_json(
        run, "interview stages", "--company", "apple", "--kind", "section", "-k", "4"
    )
    assert sections and all(h["kind"] == "section" and "apple" in h["companies"] for h in sections)
    cards = search_json(run, "disagreement with a teammate", "--track", "behavioral", "-k", "5")
    assert len(cards) == 5 and all(h["track"] == "behavioral" for h in cards)
    assert {
        h["kind"] for h in search_json(run, "scaling", "--mode", "lexical", "--kind", "card")
    } == {"card"}


@needs_shared
def test_added_article_is_found_and_adding_again_updates(run: Run, isolated_home: Path) -> None:
    first = run("add", str(SEED))
    assert first.exit_code == 0, first.output
    assert first.output.startswith("added 'ML engineer career guide': 45 sections\n")
    assert "45 new, 0 changed, 0 removed; embedded 45 item(s)" in first.output
    hits = search_json(run, "how does Apple interview")  # the default ten results
    apple = [h for h in hits if h["id"].startswith("doc:") and "apple" in h["companies"]]
    assert apple and apple[0]["title"] == "ML engineer career guide: Apple — Hiring Insights"
    assert "low-power hardware" in apple[0]["text"]
    again = run("add", str(SEED))
    assert again.output.startswith("updated 'ML engineer career guide': 45 sections\n")
    assert "Index up to date" in again.output  # same text: nothing to embed
    ids = [h["id"] for h in search_json(run, "how does Apple interview", "-k", "50")]
    assert len(ids) == len(set(ids))
    assert len(list((isolated_home / "documents").glob("*.json"))) == 1


@needs_shared
def test_added_markdown_sections_are_searchable(run: Run) -> None:
    assert run("add", str(HANDBOOK)).exit_code == 0
    hits = search_json(run, "Airbnb onsite cross functional interviews", "-k", "3")
    assert hits[0]["id"].endswith("#airbnb")
    assert "<InDocAd" not in hits[0]["text"]


def test_index_command_reports_up_to_date(run: Run) -> None:
    result = run("index")
    assert result.exit_code == 0
    assert result.output.startswith("Index up to date: ")


def test_damaged_index_is_rebuilt_not_a_traceback(run: Run, built_index: Path) -> None:
    for path in built_index.glob("*-items.jsonl"):
        path.write_bytes(b"\x00 not json at all \x00")
    result = run("search", "how does Apple interview", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["companies"] == ["apple"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("search", ""), 1, "Error: empty query"),
        (("search", "   \t "), 1, "Error: empty query"),
        (("search", "linked list", "-k", "0"), 2, "0 is not in the range 1<=x<=100"),
        (("search", "linked list", "--mode", "fuzzy"), 2, "'fuzzy' is not one of"),
        (("add", "no-such-file.md"), 1, "Error: no-such-file.md: no such file"),
    ],
)
def test_bad_search_input(run: Run, args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "query", ["x" * 10_000, "wie funktioniert ein LRU-Cache", "二分探索の計算量", "🙂"]
)
def test_odd_queries_still_answer(run: Run, query: str) -> None:
    result = run("search", query, "--json", "-k", "3")
    assert result.exit_code == 0
    hits = json.loads(result.output)
    assert len(hits) == (3 if "LRU" in query else len(hits)) and len(hits) <= 3


def test_unusable_files_are_refused_and_good_ones_kept(run: Run, tmp_path: Path) -> None:
    binary, empty, good = tmp_path / "photo.md", tmp_path / "empty.txt", tmp_path / "notes.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    empty.write_text("", encoding="utf-8")
    good.write_text(
        "# Notes\n\n## Heaps\n" + "A heap keeps the smallest item on top. " * 6, encoding="utf-8"
    )
    result = run("add", str(binary), str(empty), str(good))
    assert result.exit_code == 1
    assert "added 'Notes': 1 section" in result.output
    assert f"Error: {binary} is a binary file" in result.output
    assert f"Error: {empty} is empty" in result.output
    assert search_json(run, "smallest item on top of a heap", "-k", "1")[0]["id"].startswith(
        "doc:notes-"
    )


def test_related_cards_fold_into_the_best_of_them(run: Run) -> None:
    hits = search_json(run, "KV cache memory during LLM inference", "-k", "5")
    assert len(hits) == 5
    ids = [h["id"] for h in hits]
    assert len(set(ids)) == 5
    cards = {c["id"]: c for c in json.loads(run("cards", "--json").output)}
    for hit in hits:
        for other in hit["also"]:
            assert other in cards[hit["id"]]["related"] or hit["id"] in cards[other]["related"]
            assert other not in ids  # folded in, not a row of its own
    assert any(hit["also"] for hit in hits)


def test_a_new_workspace_reuses_the_shared_index_and_writes_nothing_big(
    run: Run, isolated_home: Path, built_index: Path
) -> None:
    manifest = (built_index / "manifest.json").read_bytes()
    result = run("search", "reverse a linked list", "--json", "-k", "3")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # nothing built, nothing refreshed
    assert (built_index / "manifest.json").read_bytes() == manifest
    assert not (isolated_home / "index").exists()  # no own items: no own index
    written = sum(p.stat().st_size for p in isolated_home.rglob("*") if p.is_file())
    assert written < 5_000_000


def test_the_workspace_indexes_only_its_own_documents(
    run: Run, isolated_home: Path, built_index: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# Notes\n\n## Flamingos\n" + "Flamingos balance on one leg to save heat. " * 5,
        encoding="utf-8",
    )
    result = run("add", str(notes))
    assert result.exit_code == 0, result.output
    assert "1 new, 0 changed, 0 removed; embedded 1 item(s)" in result.output
    own = isolated_home / "index"
    assert not list(own.glob("encoder-*"))  # the shared encoder is used, not copied
    assert sum(p.stat().st_size for p in own.rglob("*") if p.is_file()) < 1_000_000
    hits = search_json(run, "why do pink birds stand on one leg", "-k", "3")
    assert hits[0]["id"].startswith("doc:notes-") and hits[0]["own"] is True
    assert not any(hit["own"] for hit in hits[1:] if hit["id"].startswith("coding-"))


def test_nonsense_answers_nothing(run: Run) -> None:
    for query in ("zzqxj", "qwxv zzkj"):
        assert search_json(run, query) == []
        result = run("search", query)
        assert result.exit_code == 0
        assert result.output.startswith(f"Nothing matches {query!r}.")


def test_scores_are_not_stretched_to_one(run: Run) -> None:
    strong = search_json(run, "reverse a singly linked list", "-k", "1")[0]["score"]
    weak = search_json(run, "coaching a junior engineer", "-k", "1")[0]["score"]
    assert 0 < weak < strong < 1.0


def test_add_a_folder_then_list_and_remove_documents(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    (folder / "ml").mkdir(parents=True)
    body = "Words about the topic at hand, enough of them to stand alone. " * 3
    (folder / "heaps.md").write_text(f"# Heaps\n\n## Basics\n{body}", encoding="utf-8")
    (folder / "ml" / "bias.txt").write_text(f"Bias and variance\n{body}\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    added = run("add", str(folder))
    assert added.exit_code == 0, added.output
    assert "added 'Heaps': 1 section" in added.output and "added 'Bias'" in added.output
    listed = json.loads(run("docs", "--json").output)
    assert sorted(d["title"] for d in listed) == ["Bias", "Heaps"]
    heaps = next(d for d in listed if d["title"] == "Heaps")
    assert heaps["source_path"] == str((folder / "heaps.md").resolve())
    assert heaps["sections"] == 1 and heaps["added"]
    table = run("docs")
    assert heaps["doc_id"] in table.output and "Heaps" in table.output
    removed = run("docs", "remove", heaps["doc_id"])
    assert removed.exit_code == 0, removed.output
    assert removed.output.startswith(f"removed {heaps['doc_id']}\n")
    assert "0 new, 0 changed, 1 removed" in removed.output
    assert [d["title"] for d in json.loads(run("docs", "--json").output)] == ["Bias"]
    ids = [h["id"] for h in search_json(run, "words about the topic at hand", "-k", "20")]
    assert not any(i.startswith(f"doc:{heaps['doc_id']}") for i in ids)
    missing = run("docs", "remove", "no-such-doc")
    assert missing.exit_code == 1
    assert missing.output == (
        "Error: no document with id 'no-such-doc' — `studyplan docs` lists the documents\n"
    )


def test_re_adding_a_changed_file_updates_it_in_place(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n## One\n" + "first version words " * 10, encoding="utf-8")
    assert run("add", str(notes)).exit_code == 0
    notes.write_text("# Notes\n\n## One\n" + "second version words " * 10, encoding="utf-8")
    again = run("add", str(notes))
    assert again.output.startswith("updated 'Notes': 1 section\n")
    assert "0 new, 1 changed, 0 removed; embedded 1 item(s)" in again.output
    assert len(json.loads(run("docs", "--json").output)) == 1


def test_a_fake_pdf_is_refused_in_one_line(run: Run, tmp_path: Path) -> None:
    fake = tmp_path / "paper.pdf"
    fake.write_bytes(b"%PDF-1.4\nX\n")
    result = run("add", str(fake))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {fake} is a binary file (a PDF file): studyplan reads Markdown or plain text\n"
    )


@needs_shared
def test_the_seed_articles_apple_section_is_in_the_top_3(run: Run) -> None:
    assert run("add", str(SEED)).exit_code == 0
    top = search_json(run, "how does Apple interview", "-k", "3")
    assert any(h["id"].startswith("doc:") and "apple" in h["companies"] for h in top), [
        h["id"] for h in top
    ]


def test_a_query_that_looks_like_an_option_is_searched(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "launch.md"
    notes.write_text(
        "# Launchers\n\n## CPU affinity\n\nHF Accelerate binds each process to the cores of its "
        "NUMA node when you pass --enable_cpu_affinity to `accelerate launch`.\n",
        encoding="utf-8",
    )
    assert run("add", str(notes)).exit_code == 0
    for args in (
        ("--enable_cpu_affinity", "--json", "-k", "3"),
        ("--json", "-k", "3", "--", "--enable_cpu_affinity"),
    ):
        result = run("search", *args)
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)[0]["title"] == "Launchers: CPU affinity"
    # After `--`, even one of search's own options is the query.
    result = run("search", "-k", "2", "--", "--json")
    assert result.exit_code == 0 and "Results for '--json'" in result.output


def test_show_opens_every_kind_of_id_search_prints(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "kv.md"
    notes.write_text(
        "# Serving notes\n\n## KV cache\n\nThe cache of keys and values grows with every "
        "token of the context, two vectors per layer and head, so long prompts cost memory.\n",
        encoding="utf-8",
    )
    assert run("add", str(notes)).exit_code == 0
    hits = search_json(run, "how does the KV cache grow with the context", "-k", "10")
    own = next(h for h in hits if h["id"].startswith("doc:"))
    guide = search_json(run, "how does Apple interview", "--kind", "section", "-k", "1")[0]
    assert guide["id"].startswith("guide:")
    for hit in (own, guide):
        result = run("show", hit["id"], "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["text"] == hit["text"]
        table = run("show", hit["id"])
        assert table.exit_code == 0 and hit["id"][:24] in table.output
    # A narrow table may cut an id short with "…": the start of it opens the section.
    cut = run("show", guide["id"][:-3] + "…", "--json")
    assert cut.exit_code == 0 and json.loads(cut.output)["id"] == guide["id"]
    card = next(h for h in hits if h["kind"] == "card")
    assert run("show", card["id"]).exit_code == 0
    missing = run("show", "doc:nothing-here#none")
    assert missing.exit_code == 1
    assert "no section with id 'doc:nothing-here#none'" in missing.output
