"""Importing users' documents: real files written elsewhere, split into good sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyplan.adapters.content.importer import (
    import_document,
    load_documents,
    save_document,
    split_plain_text,
)
from studyplan.core.errors import ImportFailed

SHARED = Path(__file__).resolve().parents[2] / "shared"
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
