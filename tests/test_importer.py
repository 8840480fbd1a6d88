"""Importing users' documents: real files written elsewhere, split into good sections."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from studyplan.adapters.content.documents import load_documents, save_document
from studyplan.adapters.content.importer import document_files, import_document
from studyplan.adapters.content.plain_text import split_plain_text
from studyplan.core.errors import ImportFailed

# ../shared beside the checkout (or beside the folder holding a worktree).
SHARED = next(
    (
        folder / "shared"
        for folder in Path(__file__).resolve().parents[2:4]
        if (folder / "shared").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared",
)
SEED = SHARED / "seed" / "ml-engineer-career-guide.txt"
HANDBOOK = SHARED / "testdocs" / "interview-formats-top-companies.md"
needs_shared = pytest.mark.skipif(
    not SEED.exists(), reason="shared documents not beside the checkout"
)


@needs_shared
def test_plain_text_article_splits_at_numbered_headings() -> None:
    document = import_document(SEED)
    headings = [s.title.split(": ", 1)[1] for s in document.sections]
    for company in (
        "Google",
        "Amazon",
        "Microsoft",
        "Meta",
        "OpenAI",
        "Apple",
        "NVIDIA",
        "Tesla",
        "IBM",
        "DeepMind",
    ):
        assert company in headings
    assert "Salary and Compensation" in headings and "Introduction" in headings
    apple = next(s for s in document.sections if s.title.endswith(": Apple"))
    assert "Siri" in apple.text and "6. Apple" not in apple.text
    assert "NVIDIA" not in apple.text  # the next company starts a new section


@needs_shared
def test_trailing_comment_marker_is_dropped() -> None:
    last = import_document(SEED).sections[-1]
    assert last.text.endswith("path to an ML engineer.")
    assert "تعليقات" not in last.text


@needs_shared
def test_markdown_with_front_matter_mdx_and_admonitions() -> None:
    document = import_document(HANDBOOK)
    assert document.title == "Interview format at top companies"
    titles = [s.title for s in document.sections]
    assert "Interview format at top companies: Airbnb" in titles
    assert "Interview format at top companies: Meta (previously Facebook)" in titles
    everything = "\n".join(s.text for s in document.sections)
    for boilerplate in ("import InDocAd", "<InDocAd", ":::", "sidebar_label", "---"):
        assert boilerplate not in everything
    assert "Due to COVID travel restrictions" in everything  # admonition text is kept


def test_short_title_lines_split_plain_text_without_numbers() -> None:
    text = (
        "Preparing for interviews\n"
        "Start early and practise every day, one problem at a time, with a timer running, notes kept "
        "and every mistake written down.\n"
        "Mock interviews\n"
        "Ask a friend to interview you under real conditions and to give honest feedback on your "
        "answers, your pace and your explanations.\n"
    )
    pieces = split_plain_text(text)
    assert [h for h, _ in pieces] == ["Preparing for interviews", "Mock interviews"]


def test_a_short_piece_of_plain_text_never_takes_the_next_heading_away() -> None:
    long = "the model reads the whole prompt in one parallel pass before it writes a token " * 2
    text = (
        "A few words first.\n"
        "Prefill versus decode\n"
        f"During prefill {long}\n"
        "Batching\n"
        "Only a short note here.\n"
        "Throughput\n"
        f"Throughput grows with batch size while {long}\n"
    )
    pieces = split_plain_text(text)
    assert [h for h, _ in pieces] == ["Prefill versus decode", "Batching — Throughput"]
    assert pieces[0][1].startswith("A few words first.")
    assert "Only a short note here." in pieces[1][1]


def test_markdown_code_blocks_are_not_headings(tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    body = "Words about hashing and buckets. " * 8
    doc.write_text(
        f"# Notes\n\n## Hashing\n{body}\n```\n# not a heading\n```\n## Heaps\n{body}\n",
        encoding="utf-8",
    )
    sections = import_document(doc).sections
    assert [s.title for s in sections] == ["Notes: Hashing", "Notes: Heaps"]
    assert "# not a heading" in sections[0].text


def test_adding_again_replaces_instead_of_duplicating(tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text("# Notes\n\n## One\n" + "first version words " * 10, encoding="utf-8")
    home = tmp_path / "home"
    assert save_document(home, import_document(doc)) is False
    doc.write_text("# Notes\n\n## One\n" + "second version words " * 10, encoding="utf-8")
    assert save_document(home, import_document(doc)) is True
    (stored,), skipped = load_documents(home)
    assert skipped == []
    assert "second version" in stored.sections[0].text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is a binary file"),
        (b"caf\xe9 latin-1 text", "is not UTF-8 text"),
    ],
)
def test_unusable_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        import_document(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        import_document(tmp_path / "nope.md")


TESTDOCS = SHARED / "testdocs" / "tech-interview-handbook"
MARKUP = re.compile(
    r"<[A-Za-z/!][^>\n]*>"  # an HTML tag
    r"|\]\(|!\["  # link or image syntax
    r"|(?<![\w:/]):[a-z0-9_+-]{2,40}:(?!\w)"  # an emoji shortcode
    r"|\{#[\w-]+\}"  # a heading anchor
    r"|^\s*:::"  # an admonition fence
    r"|\*\*|__"  # strong emphasis
    r"|^(---|\+\+\+)$",  # front matter fences
    re.MULTILINE,
)


@pytest.mark.skipif(not TESTDOCS.is_dir(), reason="shared documents not beside the checkout")
def test_every_testdocs_page_imports_without_markup() -> None:
    pages = sorted(TESTDOCS.rglob("*.md"))
    assert len(pages) == 48
    for page in pages:
        document = import_document(page)
        assert not MARKUP.search(document.title), (page.name, document.title)
        for section in document.sections:
            for text in (section.title, section.text):
                found = MARKUP.search(text)
                raw = page.read_text(encoding="utf-8")
                if found and html.escape(found.group(), quote=False) in raw:
                    continue  # written as entities ("&lt;role&gt;"): a reader sees "<role>"
                # Code blocks keep their text exactly; markup-like text inside them is code.
                if found and "```" not in raw:
                    raise AssertionError((page.name, section.title, found.group()))
                if found:
                    assert found.group() in _code_of(page), (page.name, found.group())


def _code_of(page: Path) -> str:
    code, inside = [], False
    for line in page.read_text(encoding="utf-8").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            inside = not inside
        elif inside:
            code.append(line)
    return "\n".join(code)


@pytest.mark.skipif(not TESTDOCS.is_dir(), reason="shared documents not beside the checkout")
def test_titles_read_like_the_page() -> None:
    array = import_document(TESTDOCS / "algorithms" / "array.md")
    assert array.title == "Array cheatsheet for coding interviews"
    assert "Array cheatsheet for coding interviews: Techniques — Sliding window" in [
        s.title for s in array.sections
    ]
    mock = import_document(TESTDOCS / "mock-interviews.md")
    assert "Best mock coding interview platforms for Software Engineers: Pramp" in [
        s.title for s in mock.sections
    ]
    prep = import_document(TESTDOCS / "coding-interview-prep.md")
    assert not any("{#" in s.title for s in prep.sections)


def test_markup_is_removed_from_titles_and_text(tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text(
        "---\ntitle: My notes\n---\n\n"
        '## <a name="breadth"></a> 3. ML Fundamentals (Breadth) {#breadth}\n\n'
        "See [the guide](http://x.example) and ![chart](c.png) :robot: for **bias** and "
        "<sup>variance</sup>; a < b stays.\n\n"
        "## ML/Data Coding :robot:\n\n"
        ":::tip Expert advice\nPractise *daily* with a timer.\n:::\n\n"
        "| model | loss |\n|---|---|\n| logistic | log loss |\n",
        encoding="utf-8",
    )
    document = import_document(doc)
    assert [s.title for s in document.sections] == [
        "My notes: 3. ML Fundamentals (Breadth)",
        "My notes: ML/Data Coding",
    ]
    first, second = (s.text for s in document.sections)
    assert first == "See the guide and for bias and variance; a < b stays."
    assert "Expert advice\nPractise daily with a timer." in second
    assert "logistic | log loss" in second and "---" not in second


def test_a_heading_after_a_short_paragraph_starts_its_own_section(tmp_path: Path) -> None:
    doc = tmp_path / "llm.md"
    doc.write_text(
        "# LLM serving\n\n## KV cache\nKeys and values are cached.\n\n"
        "## Prefill vs decode\n"
        + "Prefill processes the prompt in parallel; decode is serial. "
        * 4,
        encoding="utf-8",
    )
    titles = [s.title for s in import_document(doc).sections]
    assert titles == ["LLM serving: KV cache", "LLM serving: Prefill vs decode"]


def test_a_short_preamble_joins_the_first_section_under_its_heading(tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text(
        "A short lead-in.\n\n## Heaps\n" + "A heap keeps the smallest on top. " * 5,
        encoding="utf-8",
    )
    (section,) = import_document(doc).sections
    assert section.title == "Notes: Heaps"
    assert section.text.startswith("A short lead-in.")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.4\nX\n1 0 obj << /Type /Catalog >> endobj\n", "a PDF file"),
        (b"PK\x03\x04\x14\x00word/document.xml", "a ZIP archive"),
        (b"{\\rtf1\\ansi Hello}", "an RTF document"),
        (b"text" + b"\x01\x02\x03\x04" * 20, ""),
    ],
)
def test_non_text_files_are_refused_in_one_line(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as caught:
        import_document(path)
    message = str(caught.value)
    assert message.startswith(f"{path} is a binary file") and kind in message
    assert "\n" not in message


def test_folders_expand_to_their_text_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ("a/one.md", "a/b/two.markdown", "three.txt", "skip.pdf", ".git/x.md", "a/.h.md"):
        (tmp_path / name).write_text("text", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in document_files([tmp_path])]
    assert found == ["a/b/two.markdown", "a/one.md", "three.txt"]


NOTES = Path(__file__).resolve().parents[1] / "bench" / "notes" / "ml-engineering"


def test_a_title_from_the_file_name_is_cased_as_the_text_writes_it(tmp_path: Path) -> None:
    cases = {
        "numa-affinity.txt": ("Pin each rank to its NUMA node: NUMA matters.", "NUMA affinity"),
        "vllm_serving.md": (
            "## Paging\n\nvLLM pages the KV cache. Serving is fast.",
            "vLLM serving",
        ),
        "kv-cache.md": ("## Size\n\nThe KV cache grows with the context. Cache it.", "KV cache"),
        "notes.md": ("## Topic\n\nNotes on serving, plain words only here.", "Notes"),
    }
    for name, (text, title) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert import_document(path).title == title, name


def test_escapes_entities_credits_and_split_links_read_as_the_page(tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text(
        "# Notes\n\n## Gradients\n\n"
        "\\* Checkpointing frees memory for B\\*, GB\\* and a \\_private\\_ name.\n"
        "Set bit k: `num &#124;= (1 &lt;&lt; k)` in O(&#124;V&#124; + &#124;E&#124;) &amp; more.\n\n"
        "![diagram](images/ring.png)\n[source](https://example.org/ring)\n"
        "([source](https://example.org/paper))\n\n"
        "- [Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B](\n"
        "https://arxiv.org/abs/2201.11990)\n",
        encoding="utf-8",
    )
    (section,) = import_document(doc).sections
    lines = section.text.split("\n")
    assert lines[0] == "* Checkpointing frees memory for B*, GB* and a _private_ name."
    assert lines[1] == "Set bit k: num |= (1 << k) in O(|V| + |E|) & more."
    assert "source" not in section.text and "arxiv" not in section.text
    assert lines[-1] == "- Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B"


def test_real_notes_keep_no_credit_lines_escapes_or_raw_links() -> None:
    comms = import_document(NOTES / "heldout" / "network" / "comms.md")
    for section in comms.sections:
        assert not any(
            line.strip().lower() in ("source", "(source)") for line in section.text.split("\n")
        )
    performance = import_document(NOTES / "heldout" / "training" / "performance" / "README.md")
    text = "\n".join(s.text for s in performance.sections)
    assert "\\ " not in text and "* Gradient checkpointing slows things down" in text
    parallelism = import_document(NOTES / "tune" / "training" / "model-parallelism" / "README.md")
    text = "\n".join(s.text for s in parallelism.sections)
    assert "Megatron-Turing NLG 530B, A Large-Scale Generative Language Model" in text
    assert "](" not in text and "https://arxiv.org/abs/2201.11990" not in text
