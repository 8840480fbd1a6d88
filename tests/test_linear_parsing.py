"""Importing documents and stories takes time linear in their size, whatever their shape.

Each pathological input below once took tens of seconds (a backtracking heading pattern,
a list copied per line); the bound is generous, the real figures are a small fraction of it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from studyplan.adapters.content.importer import (
    _front_matter_title,
    _is_mdx_import,
    _without_html_comments,
    import_document,
)
from studyplan.adapters.content.markdown import markdown_heading
from studyplan.adapters.content.markup import link_texts as _link_texts
from studyplan.adapters.story_files import story_from_markdown
from studyplan.adapters.user_files import MAX_DOCUMENT_BYTES
from studyplan.core.errors import StudyplanError

BOUND_SECONDS = 2.0
BIG = MAX_DOCUMENT_BYTES - 64  # just under the cap


def _short_lines(line: str, size: int = 240_000) -> str:
    return (line + "\n") * (size // (len(line) + 1))


PATHOLOGICAL = {
    "heading-3000-spaces.md": "# Notes\n\n## a" + " " * 3_000 + "b\n\nsome text under it\n",
    "heading-20000-spaces.md": "# Notes\n\n## a" + " " * 20_000 + "b\n\nsome text under it\n",
    "heading-closing-hashes.md": "# Notes\n\n## a" + " #" * 20_000 + "b\n\ntext\n",
    "one-word-lines.txt": _short_lines("w"),
    "short-lines.txt": _short_lines("a short line"),
    "label-lines.txt": _short_lines("Label:"),
    "numbered-lines.txt": _short_lines("1. Heading"),
    "blank-lines.txt": "Title\n" + "\n" * 240_000 + "a longer line of prose here\n",
    "long-line.txt": ("word " * (BIG // 5)).strip() + "\n",
    "long-line.md": "# Notes\n\n" + "x" * BIG,
    "open-brackets.md": "# Notes\n\n" + "[" * BIG,
    "unclosed-links.md": "# Notes\n\n" + "[a](" * (BIG // 4),
    "bracket-pairs.md": "# Notes\n\n" + "[a]" * (BIG // 3),
    "unclosed-comments.md": "# Notes\n\nsome text\n" + "<!--" * (BIG // 4),
    "import-lines.md": "# Notes\n\n" + "import x" + " from 'y" * (BIG // 8),
    "tag-line.md": "# Notes\n\nsome text\n<a " + "> " * (BIG // 2),
    "front-matter.md": "---\ntitle: a" + " " * 100_000 + "b\n---\n# Notes\n\ntext here\n",
    "comment-markers.txt": "Some text about heaps and stacks.\n" + "comments\n" * 30_000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_documents_import_quickly(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(PATHOLOGICAL[name], encoding="utf-8")
    started = time.perf_counter()
    document = import_document(path)
    seconds = time.perf_counter() - started
    assert document.sections
    assert seconds < BOUND_SECONDS, f"{name}: {seconds:.2f} s"


@pytest.mark.parametrize(
    "text",
    [
        "# a" + " " * 20_000 + "b\n## Situation\n" + "x " * 100_000,
        "## Situation" + " " * 20_000 + "x\n" * 10_000,
        ("#" * 6 + " " * 1_000 + "\n") * 200,
    ],
)
def test_pathological_stories_parse_quickly(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(StudyplanError):  # incomplete stories: the point is the time taken
        story_from_markdown(text, "story.md")
    assert time.perf_counter() - started < BOUND_SECONDS


# the scanners read Markdown as the patterns they replace did --------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("# Title", (1, "Title")),
        ("###### Six", (6, "Six")),
        ("## Closed ##", (2, "Closed")),
        ("##\tTabbed  ", (2, "Tabbed")),
        ("## a" + " " * 3000 + "b", (2, "a" + " " * 3000 + "b")),
        ("####### Seven", None),
        ("#NoSpace", None),
        ("##   ", None),
        ("plain text", None),
        ("", None),
    ],
)
def test_markdown_heading(line: str, expected: tuple[int, str] | None) -> None:
    assert markdown_heading(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("see [the guide](http://x.example/a) now", "see the guide now"),
        ("![a chart](chart.png) and [b](c)", " and b"),
        ("[Guide, [Part 1]](u) and [x]", "Guide, [Part 1] and [x]"),
        ("[not a link] (x) [a](b", "[not a link] (x) [a](b"),
        ("[[nested](u)", "[nested"),
        ("x[a][b](c)", "x[a]b"),
    ],
)
def test_link_texts(line: str, expected: str) -> None:
    assert _link_texts(line) == expected


def test_html_comments_closed_ones_go_an_unclosed_one_stays() -> None:
    assert _without_html_comments("a<!-- x\ny -->b<!-- c -->d<!-- e") == "abd<!-- e"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("import Tabs from '@theme/Tabs';", True),
        ('  export { default } from "./x"', True),
        ("import x from 'y' ;", False),
        ("import from 'y'", False),
        ("import  from 'y'", False),
        ("imports are from 'y'", False),
        ("import x from ''", False),
        ("import x from 'y", False),
    ],
)
def test_mdx_import_lines(line: str, expected: bool) -> None:
    assert _is_mdx_import(line) is expected


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ('slug: x\ntitle: "Hello, world"\n', "Hello, world"),
        ("title = 'TOML style'", "TOML style"),
        ("title:   ", None),
        ("subtitle: no", None),
    ],
)
def test_front_matter_title(front_matter: str, expected: str | None) -> None:
    assert _front_matter_title(front_matter) == expected
