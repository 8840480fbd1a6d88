"""A guide's sources and citations: `check` fails a guide without sources, a figure in a
paragraph that cites none, a citation of an unlisted source and a source never cited; search
gets the prose without the markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyplan.adapters.content.guides import load_sections, parse_guide
from studyplan.adapters.content.markdown import Block, prose_blocks
from studyplan.app.workspace import default_corpus

SOURCE = (
    '[[sources]]\nkey = "bls-2025"\ntitle = "Data Scientists"\n'
    'publisher = "U.S. Bureau of Labor Statistics"\ndate = 2025-08-28\n'
    'link = "https://www.bls.gov/ooh/math/data-scientists.htm"\n'
)
FILLER = "plain words about preparing for interviews " * 8  # a section needs 50 words


def write_guide(tmp_path: Path, body: str, sources: str = SOURCE) -> Path:
    path = tmp_path / "guide.md"
    path.write_text(
        f'+++\ntrack = "career"\nas_of = 2026-11-26\n{sources}+++\n\n# Guide\n\n'
        f"## A section\n\n{FILLER}\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def problems_of(path: Path) -> list[str]:
    problems: list[str] = []
    parse_guide(path, problems, require_as_of=True, require_sources=True)
    return problems


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_a_cited_figure_passes(tmp_path: Path) -> None:
    path = write_guide(tmp_path, "The median wage was $112,590 in May 2024 [^bls-2025].")
    assert problems_of(path) == []


def test_a_guide_without_sources_fails(tmp_path: Path) -> None:
    path = write_guide(tmp_path, "Nothing here needs a source.", sources="")
    assert problems_of(path) == [
        f"{path}:1: front matter lists no sources ([[sources]] with key, title, publisher "
        "and date, cited in the text as [^key])"
    ]
    problems: list[str] = []
    assert parse_guide(path, problems) is not None and problems == []  # only `check` asks


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("A senior offer often passes $300,000 a year.", "$300,000"),
        ("Hiring grew 74% a year.", "74%"),
        ("Hiring grew 74 percent a year.", "74"),
        ("Offers near 250k are common.", "250k"),
        ("ChatGPT has 800 million weekly users.", "800"),
        ("Spending may pass 2 trillion dollars.", "2"),
        ("The exam retired in 2026.", "2026"),
        ("It shipped on 2025-06-22, a Sunday.", "2025-06-22"),
    ],
)
def test_a_figure_without_a_citation_fails_on_its_line(
    tmp_path: Path, sentence: str, word: str
) -> None:
    path = write_guide(tmp_path, f"A first line of the paragraph,\nthen: {sentence}")
    line = line_of(path, sentence)
    assert problems_of(path) == [
        f"{path}:{line}: {word!r} is a figure in a paragraph that cites no source (add [^key] "
        "for one of the guide's sources, or leave the figure out)",
        f"{path}:{line_of(path, '[[sources]]')}: source 'bls-2025' is listed but never cited",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "NVIDIA's H200, B200 and GB300 are names, not years.",
        "A 12-week plan with six mock interviews and 3 projects.",
        "Python 3 and two rounds of coding.",
    ],
)
def test_names_and_small_numbers_are_not_figures(tmp_path: Path, sentence: str) -> None:
    path = write_guide(tmp_path, f"{sentence} [^bls-2025]\n\n{sentence}")
    assert problems_of(path) == []


def test_a_citation_covers_its_own_paragraph_list_item_or_row_only(tmp_path: Path) -> None:
    body = (
        "Pay data comes from surveys [^bls-2025].\n\n"
        "- The median was $112,590 [^bls-2025].\n"
        "- Growth is put at 34%.\n\n"
        "| Year | Median |\n|---|---|\n| 2024 | $112,590 [^bls-2025] |\n| 2023 | $108,020 |\n\n"
        "## No figure in a heading counts: 2026\n\n" + FILLER + "\n\n```\nx = 2024  # code\n```"
    )
    path = write_guide(tmp_path, body)
    uncited = "is a figure in a paragraph that cites no source (add [^key] for one of the "
    uncited += "guide's sources, or leave the figure out)"
    assert problems_of(path) == [
        f"{path}:{line_of(path, 'Growth is put')}: '34%' {uncited}",
        f"{path}:{line_of(path, '| 2023')}: '2023' {uncited}",
    ]


def test_a_citation_of_an_unlisted_source_fails(tmp_path: Path) -> None:
    path = write_guide(tmp_path, "Pay is high [^bls-2025], said a blog [^some-blog].")
    line = line_of(path, "some-blog")
    assert problems_of(path) == [
        f"{path}:{line}: [^some-blog] names no source in the front matter's sources"
    ]


def test_a_listed_source_never_cited_fails_at_its_header(tmp_path: Path) -> None:
    second = SOURCE.replace("bls-2025", "unused-report")
    path = write_guide(tmp_path, "Pay is high [^bls-2025].", sources=SOURCE + second)
    line = line_of(path, 'key = "unused-report"') - 1
    assert problems_of(path) == [f"{path}:{line}: source 'unused-report' is listed but never cited"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('key = "a"\npublisher = "P"\ndate = 2025-01-02\n', "title must be non-empty text"),
        ('key = "a"\ntitle = "T"\npublisher = " "\ndate = "2025"\n', "publisher must be"),
        ('key = "a"\ntitle = "T"\npublisher = "P"\ndate = 2025\n', "date must be a date"),
        ('key = "A b"\ntitle = "T"\npublisher = "P"\ndate = "2025"\n', "key must be lowercase"),
        ('key = "a"\ntitle = "T"\npublisher = "P"\ndate = "May 2025"\n', "date must be a date"),
        ('key = "a"\ntitle = "T"\npublisher = "P"\ndate = "2025-13"\n', "date must be a date"),
        ('key = "a"\ntitle = "T"\npublisher = "P"\n', "date must be a date"),
        ('key = "a"\ntitle = "T"\npublisher = "P"\ndate = "undated"\nurl = "x"\n', "unknown"),
        ('key = "a"\ntitle = "T"\npublisher = "P"\ndate = "2025"\nlink = "www.x"\n', "https://"),
    ],
)
def test_each_source_entry_is_checked(tmp_path: Path, entry: str, message: str) -> None:
    sources = SOURCE + "[[sources]]\n" + entry
    path = write_guide(tmp_path, "Pay is high [^bls-2025].", sources=sources)
    header = line_of(path, 'key = "bls-2025"') + 5  # the second [[sources]] header
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:{header}: source 2: ") and message in problem


def test_a_repeated_key_fails_at_the_repeat(tmp_path: Path) -> None:
    path = write_guide(tmp_path, "Pay is high [^bls-2025].", sources=SOURCE + SOURCE)
    header = line_of(path, 'key = "bls-2025"') + 5
    assert problems_of(path) == [f"{path}:{header}: source 2: key 'bls-2025' repeats"]


def test_a_partial_or_missing_date_is_allowed_as_written(tmp_path: Path) -> None:
    sources = SOURCE + (
        '[[sources]]\nkey = "seed"\ntitle = "A career guide"\npublisher = "A blog"\n'
        'date = "undated"\nnote = "undated, about 2024"\n'
        '[[sources]]\nkey = "survey"\ntitle = "A survey"\npublisher = "P"\ndate = "2025-07"\n'
    )
    path = write_guide(tmp_path, "Pay [^bls-2025][^seed], growth [^survey].", sources=sources)
    problems: list[str] = []
    guide = parse_guide(path, problems, require_sources=True)
    assert problems == [] and guide is not None
    assert [(s.key, s.date, s.note) for s in guide.sources] == [
        ("bls-2025", "2025-08-28", ""),
        ("seed", "undated", "undated, about 2024"),
        ("survey", "2025-07", ""),
    ]


def test_sections_carry_the_prose_without_markers(tmp_path: Path) -> None:
    path = write_guide(tmp_path, "The median wage was $112,590 [^bls-2025][^bls-2025].")
    (section,) = load_sections([path])
    assert section.text.endswith("The median wage was $112,590.")
    assert "[^" not in section.text


def test_prose_blocks_are_paragraphs_items_and_rows() -> None:
    text = "# T\n\nOne\ntwo\n\n- a\n  - b\n\n| h |\n|---|\n| c |\n\n```\nd\n```\n"
    assert prose_blocks(text) == (
        Block(2, "One\ntwo"),
        Block(5, "a"),
        Block(6, "b"),
        Block(8, "h"),
        Block(10, "c"),
    )


def test_every_shipped_guide_lists_and_cites_its_sources() -> None:
    paths = sorted((default_corpus() / "guides").glob("*.md"))
    assert len(paths) == 18
    for path in paths:
        problems: list[str] = []
        guide = parse_guide(path, problems, require_as_of=True, require_sources=True)
        assert problems == [] and guide is not None and guide.sources, path.name
        assert all("[^" not in section.text for section in guide.sections), path.name
